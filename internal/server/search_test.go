package server_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

type searchAnswer struct {
	Query     string
	Truncated bool
	Total     int
	Groups    []struct {
		Type  string
		Items []struct{ Type, Slug, Name, URL, Match, Matched, Snippet string }
	}
}

func (a searchAnswer) first(typ string) string {
	for _, g := range a.Groups {
		if g.Type == typ && len(g.Items) > 0 {
			return g.Items[0].Slug
		}
	}
	return ""
}

func TestSearch(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	search := func(q string) searchAnswer {
		t.Helper()
		var a searchAnswer
		getJSON(t, w.a, "/api/v1/search?q="+urlQuery(q), 200, &a)
		return a
	}

	t.Run("EverySpellingFindsItsPerson", func(t *testing.T) {
		for slug, spellings := range map[string][]string{
			"max-bokayev":         {"Max Bokayev", "Maks Bokayev", "Bokaev", "Бокаев", "Макс Бокаев", "BOKÁYEV"},
			"nurbek-kushakbaev":   {"Kushakbaev", "Kushakbayev", "Кушакбаев", "Құшақбаев"},
			"aset-mataev":         {"Mataev", "Matayev", "Матаев"},
			"iskander-yerimbetov": {"Yerimbetov", "Erimbetov", "Еримбетов"},
			"amin-eleusinov":      {"Eleusinov", "Yeleusinov", "Елеусинов"},
			"larisa-kharkova":     {"Kharkova", "Харькова", "Larissa Kharkova", "Лариса Харькова"},
			"ardak-ashim":         {"Ardak Ashim", "Ардақ Әшім"},
		} {
			for _, q := range spellings {
				if got := search(q).first("person"); got != slug {
					t.Errorf("%q found %q first, want %s", q, got, slug)
				}
			}
		}
	})

	t.Run("TwoLetterTyposStillFind", func(t *testing.T) {
		for q, slug := range map[string]string{"Bukaiv": "max-bokayev", "Kharkva": "larisa-kharkova", "Erimbetv": "iskander-yerimbetov", "Kushkbaev": "nurbek-kushakbaev", "Baltabaj": "erlan-baltabay"} {
			if got := search(q).first("person"); got != slug {
				t.Errorf("typo %q found %q, want %s", q, got, slug)
			}
		}
	})

	t.Run("RankingNameThenCloseThenText", func(t *testing.T) {
		a := search("Article 174")
		if a.first("legal_provision") != "criminal-code-article-174" {
			t.Errorf("Article 174 first law = %q", a.first("legal_provision"))
		}
		var laws []string
		for _, g := range a.Groups {
			if g.Type == "legal_provision" {
				for _, it := range g.Items {
					laws = append(laws, it.Slug+" "+it.Match)
				}
			}
		}
		// Numbers are never fuzzed: Article 274 is no close name for "Article 174".
		if len(laws) != 1 || laws[0] != "criminal-code-article-174 alias" {
			t.Errorf("laws found = %v, want Article 174 alone, by its alias", laws)
		}
		clauses := search("Zhanaozen torture")
		if clauses.first("clause") == "" {
			t.Fatal("clause text search found nothing for Zhanaozen torture")
		}
		for _, g := range clauses.Groups {
			for _, it := range g.Items {
				if g.Type == "clause" && (!strings.Contains(it.Snippet, "«") || !strings.HasPrefix(it.URL, "/resolutions/2019-2610-rsp#")) {
					t.Errorf("clause hit %+v lacks a marked snippet or an anchor", it)
				}
			}
		}
	})

	t.Run("BadInputGetsAClearPageNever500", func(t *testing.T) {
		for _, q := range []string{"", "   ", `"unclosed`, `\\`, "%", "_", "100%_", "a & b | !c", "foo:*", "<->", "(((", "😀", "Бокаев 😀 Bokayev", "'; DROP TABLE people; --", strings.Repeat("Бокаев ", 200), "\x01\x02"} {
			resp, body := fetchWith(t, browser(t), w.a.URL+"/search?q="+urlQuery(q))
			if resp.StatusCode != 200 || !strings.Contains(body, "<h1>Search</h1>") {
				t.Errorf("search %q = %d", q, resp.StatusCode)
			}
		}
		long := search(strings.Repeat("Бокаев ", 200))
		if !long.Truncated || long.first("person") != "max-bokayev" || len([]rune(long.Query)) > 200 {
			t.Errorf("a long query: truncated %v, found %q", long.Truncated, long.first("person"))
		}
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/api/v1/search?q="); resp.StatusCode != 400 {
			t.Errorf("empty API query = %d, want 400", resp.StatusCode)
		}
		var list struct{ Total int }
		getJSON(t, w.a, "/api/v1/people", 200, &list)
		if list.Total != 11 {
			t.Error("the people table changed after the injection attempt")
		}
	})

	t.Run("InternalNotesOnlyForStaff", func(t *testing.T) {
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		form := editPersonForm(t, editor, w.a, "elena-semenova")
		form.Set("internal_notes", "Prisoner transfer to Zhezkazgan colony pending")
		if resp, _ := post(t, editor, w.a.URL+"/people/elena-semenova/edit", form); resp.StatusCode != 303 {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if a := search("Zhezkazgan colony"); a.Total != 0 {
			t.Errorf("public search matched internal notes: %+v", a)
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/search?q=Zhezkazgan")
		if strings.Contains(page, "Zhezkazgan colony") || strings.Contains(page, "elena-semenova") {
			t.Error("the public search page reveals internal text")
		}
		_, staffPage := fetchWith(t, editor, w.a.URL+"/search?q=Zhezkazgan")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(staffPage))
		if doc.Find(`[data-testid="hits-person"] a[href="/people/elena-semenova"]`).Length() != 1 {
			t.Error("staff search does not find the internal note")
		}
	})

	t.Run("HeaderSearchBoxOnEveryPage", func(t *testing.T) {
		for _, path := range []string{"/", "/people/max-bokayev", "/resolutions/2019-2610-rsp", "/no/such/page"} {
			_, body := fetchWith(t, browser(t), w.a.URL+path)
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if doc.Find(`header form[role="search"][action="/search"] input[name="q"]`).Length() != 1 || doc.Find(`label[for="site-search"]`).Length() != 1 {
				t.Errorf("%s has no labelled search box in its header", path)
			}
		}
	})
}
