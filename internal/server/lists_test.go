package server_test

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/server"
)

// TestListsAndExportsFollowTheUser checks issue 15 §4 on a generated database: each
// filtered index links to a CSV with exactly its rows and a JSON with the same filter,
// chips say the filters in words, and "No status recorded" is a facet value.
func TestListsAndExportsFollowTheUser(t *testing.T) {
	t.Parallel()
	db, _ := exportDB(t, 400, 4)
	srv := exportServer(t, db, server.Options{}, nil)
	page := func(path string) *goquery.Document {
		t.Helper()
		resp, body := download(t, nil, srv.URL+path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		doc, err := goquery.NewDocumentFromReader(bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	count := func(doc *goquery.Document) int {
		t.Helper()
		text := doc.Find(`[data-testid="count"]`).Text()
		if text == "" {
			return 0
		}
		n, err := strconv.Atoi(text[strings.LastIndex(text, " ")+1:])
		if err != nil {
			t.Fatalf("count %q", text)
		}
		return n
	}
	for _, path := range []string{"/people?status=imprisoned", "/people?status=none", "/people?role=journalist&place=Almaty",
		"/people?law=criminal-code-article-174&sort=status", "/cases?status=released", "/cases?status=none", "/cases", "/people"} {
		t.Run(path, func(t *testing.T) {
			doc := page(path)
			total := count(doc)
			csvLink, _ := doc.Find(`[data-testid="csv-link"]`).Attr("href")
			jsonLink, _ := doc.Find(`[data-testid="json-link"]`).Attr("href")
			u, _ := url.Parse(path)
			cu, _ := url.Parse(csvLink)
			ju, _ := url.Parse(jsonLink)
			if cu.Path != "/api/v1"+u.Path+".csv" || ju.Path != "/api/v1"+u.Path {
				t.Fatalf("links %q and %q", csvLink, jsonLink)
			}
			for k := range u.Query() {
				if k != "sort" && cu.Query().Get(k) != u.Query().Get(k) || ju.Query().Get(k) != u.Query().Get(k) {
					t.Errorf("the exports' links drop %s: %s, %s", k, csvLink, jsonLink)
				}
			}
			resp, body := download(t, nil, srv.URL+csvLink)
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || resp.StatusCode != http.StatusOK {
				t.Fatalf("CSV: %d %v", resp.StatusCode, err)
			}
			if len(rows)-1 != total {
				t.Errorf("the CSV has %d rows, the page says %d", len(rows)-1, total)
			}
			col := map[string]int{}
			for i, h := range rows[0] {
				col[h] = i
			}
			for _, r := range rows[1:] {
				if st := u.Query().Get("status"); st != "" && r[col["current_status"]] != strings.ReplaceAll(st, "none", "") {
					t.Errorf("row %s has status %q", r[0], r[col["current_status"]])
				}
				if r[col["current_status"]] != "" && r[col["current_status_since"]] == "" && r[col["current_status_dated_by"]] == "" {
					t.Errorf("row %s has a status without its date", r[0])
				}
				if u.Path == "/people" && u.Query().Get("role") != "" && r[col["role"]] != u.Query().Get("role") {
					t.Errorf("row %s has role %q", r[0], r[col["role"]])
				}
			}
			var list struct {
				Total int `json:"total"`
			}
			_, jb := download(t, nil, srv.URL+jsonLink)
			if err := json.Unmarshal(jb, &list); err != nil || list.Total != total {
				t.Errorf("the JSON says %d (%v), the page %d", list.Total, err, total)
			}
		})
	}

	t.Run("ChipsSayTheFiltersInWords", func(t *testing.T) {
		doc := page("/people?status=pre_trial_detention&law=criminal-code-article-174")
		chips := doc.Find(`[data-testid="chip"]`).Text()
		if !strings.Contains(chips, "Current status: Pre-trial detention") || !strings.Contains(chips, "Law used: Criminal Code Article 174") ||
			strings.Contains(chips, "pre_trial_detention") || strings.Contains(chips, "criminal-code-article-174") {
			t.Errorf("chips = %q", chips)
		}
		if chips := page("/people?status=none").Find(`[data-testid="chip"]`).Text(); !strings.Contains(chips, "No status recorded") {
			t.Errorf("chips = %q", chips)
		}
	})

	t.Run("NoStatusRecordedIsAFacet", func(t *testing.T) {
		doc := page("/people")
		link := doc.Find(`[data-testid="facet-status"]`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return s.Text() == "No status recorded"
		})
		href, _ := link.Attr("href")
		if href != "/people?status=none" {
			t.Fatalf("no-status facet link %q", href)
		}
		n, _ := strconv.Atoi(strings.TrimSpace(link.Parent().Find(".count").Text()))
		if n == 0 || n != count(page(href)) {
			t.Errorf("the facet says %d, the list %d", n, count(page(href)))
		}
	})

	// A word hundreds of records hold: the search returns its best 40 text hits and says
	// that more match, on the page ("The best …", counts as "N+") and in the API (more).
	t.Run("SearchSaysWhenItShowsOnlyTheBest", func(t *testing.T) {
		doc := page("/search?q=activist")
		if s := doc.Find(`[data-testid="search-summary"]`).Text(); !strings.Contains(s, "The best") || !strings.Contains(s, "more records match") {
			t.Errorf("summary %q does not say more records match", s)
		}
		doc.Find(`[data-testid="search-types"] .count`).Each(func(_ int, c *goquery.Selection) {
			if !strings.HasSuffix(c.Text(), "+") {
				t.Errorf("count %q reads as the whole", c.Text())
			}
		})
		_, body := download(t, nil, srv.URL+"/api/v1/search?q=activist")
		var ans struct {
			Total int  `json:"total"`
			More  bool `json:"more"`
		}
		if err := json.Unmarshal(body, &ans); err != nil || !ans.More || ans.Total == 0 {
			t.Errorf("API: %s", body)
		}
	})

	t.Run("ABadFilterIsRefusedOnTheCSVAsOnThePage", func(t *testing.T) {
		for _, p := range []string{"/api/v1/people.csv?clause=rec_J", "/api/v1/cases.csv?clause=rec_J"} {
			if resp, _ := download(t, nil, srv.URL+p); resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
				t.Errorf("%s = %d", p, resp.StatusCode)
			}
		}
	})
}

// TestSearchHitsTellPeopleApart checks the API's person fields and the search page's type
// filter (issue 15 §1).
func TestSearchHitsTellPeopleApart(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)
	var ans struct {
		Groups []struct {
			Type  string `json:"type"`
			Items []struct {
				Slug          string  `json:"slug"`
				Name          string  `json:"name"`
				Role          *string `json:"role"`
				Place         *string `json:"place"`
				CurrentStatus *struct {
					Code, Label string
					Since       *string
				} `json:"current_status"`
				Resolutions *[]int `json:"resolutions"`
			} `json:"items"`
		} `json:"groups"`
	}
	_, body := get(t, srv, "/api/v1/search?q=Bokayev")
	if err := json.Unmarshal([]byte(body), &ans); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(body, `"more":false`) {
		t.Errorf("a search that found everything says more match: %s", body)
	}
	// An alias that matched is quoted, in its language, as text, never as template code.
	if _, page := get(t, srv, "/search?q=Максат+Бокаев"); !strings.Contains(page, `also written “<span lang="ru">Максат Бокаев</span>”`) || strings.Contains(page, "@ForeignName") {
		t.Errorf("the alias match reads: %s", page[strings.Index(page, "<main"):])
	}
	found := false
	for _, g := range ans.Groups {
		for _, it := range g.Items {
			if g.Type == "person" && it.Slug == "max-bokayev" {
				found = true
				if it.Role == nil || *it.Role != "civil society activist" || it.Place == nil || it.CurrentStatus == nil ||
					it.CurrentStatus.Code == "" || it.CurrentStatus.Label == "" || it.CurrentStatus.Since == nil ||
					it.Resolutions == nil || len(*it.Resolutions) != 1 || (*it.Resolutions)[0] != 2019 {
					t.Errorf("Bokayev hit: %s", body)
				}
			}
			if g.Type != "person" && (it.Role != nil || it.CurrentStatus != nil || it.Resolutions != nil) {
				t.Errorf("%s hit %s carries person fields", g.Type, it.Slug)
			}
		}
	}
	if !found {
		t.Fatalf("Bokayev not found: %s", body)
	}

	doc := getDoc(t, srv, "/search?q=Kazakhstan", http.StatusOK)
	tabs := doc.Find(`[data-testid="search-types"] li`)
	if tabs.Length() < 3 {
		t.Fatalf("type filter: %q", tabs.Text())
	}
	clauses := doc.Find(`[data-testid="type-clauses"]`)
	href, _ := clauses.Attr("href")
	n, _ := strconv.Atoi(clauses.Find(".count").Text())
	only := getDoc(t, srv, href, http.StatusOK)
	if got := only.Find(`[data-testid="hit"]`).Length(); n == 0 || got != n || only.Find(`[data-testid="hits-person"]`).Length() != 0 {
		t.Errorf("clauses tab says %d, lists %d hits (people shown: %d)", n, got, only.Find(`[data-testid="hits-person"]`).Length())
	}
	if title := only.Find(`[data-testid="hit"]`).First().Text(); !strings.HasPrefix(title, "Human rights situation in Kazakhstan, 14 March 2019 · ") {
		t.Errorf("clause hit titled %q", title)
	}
	if resp, _ := get(t, srv, "/search?q=x&type=everything"); resp.StatusCode != http.StatusBadRequest && resp.StatusCode != http.StatusUnprocessableEntity {
		t.Errorf("a bad type answers %d", resp.StatusCode)
	}
}

// TestLawPagesListCasesAsATable checks that a legal provision's page lists its cases as
// rows (person, status, since, court), that the laws index says how many cases use each,
// and that case titles lead with the person's name (issue 15 §4).
func TestLawPagesListCasesAsATable(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)
	doc := getDoc(t, srv, "/legal-provisions/criminal-code-article-174", http.StatusOK)
	rows := doc.Find(`[data-testid="case-row"]`)
	if rows.Length() < 2 || doc.Find(`[data-testid="case"]`).Length() != 0 {
		t.Fatalf("%d case rows, %d case cards", rows.Length(), doc.Find(`[data-testid="case"]`).Length())
	}
	rows.Each(func(_ int, r *goquery.Selection) {
		cells := r.Find("td")
		person, _ := r.Find(`th a`).First().Attr("href")
		if !strings.HasPrefix(person, "/people/") && !strings.HasPrefix(person, "/organisations/") || cells.Length() != 3 ||
			strings.TrimSpace(cells.Eq(0).Text()) == "" || strings.TrimSpace(cells.Eq(1).Text()) == "" || strings.TrimSpace(cells.Eq(2).Text()) == "" {
			t.Errorf("row %q", strings.Join(strings.Fields(r.Text()), " "))
		}
	})
	index := getDoc(t, srv, "/legal-provisions", http.StatusOK)
	used := index.Find(`a[href="/legal-provisions/criminal-code-article-174"]`).Closest("li").Find(`[data-testid="used-in"]`).Text()
	if want := "used in " + strconv.Itoa(rows.Length()) + " cases"; used != want {
		t.Errorf("the index says %q, want %q", used, want)
	}
	cases := getDoc(t, srv, "/cases", http.StatusOK)
	if name := cases.Find(`a[href="/cases/max-bokayev-case"]`).Text(); !strings.HasPrefix(name, "Max Bokayev") {
		t.Errorf("Bokayev's case is titled %q", name)
	}
}
