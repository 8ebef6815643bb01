package server_test

import (
	"net/url"
	"sort"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

type filteredList struct {
	Items []struct {
		Slug          string
		CurrentStatus *string `json:"current_status"`
	}
	Total  int
	Facets []struct {
		Param  string
		Values []struct {
			Value string
			Count int
		}
	}
}

func (l filteredList) slugs() []string {
	var out []string
	for _, it := range l.Items {
		out = append(out, it.Slug)
	}
	sort.Strings(out)
	return out
}

func (l filteredList) count(param, value string) int {
	for _, f := range l.Facets {
		if f.Param == param {
			for _, v := range f.Values {
				if v.Value == value {
					return v.Count
				}
			}
		}
	}
	return -1
}

func TestIndexFilters(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	get := func(path string) filteredList {
		t.Helper()
		var l filteredList
		getJSON(t, w.a, path, 200, &l)
		return l
	}

	t.Run("CombinedFiltersAndTheirCounts", func(t *testing.T) {
		l := get("/api/v1/people?place=Shymkent&role=trade+unionist")
		if strings.Join(l.slugs(), " ") != "erlan-baltabay larisa-kharkova" || l.Total != 2 {
			t.Errorf("Shymkent trade unionists = %v (total %d)", l.slugs(), l.Total)
		}
		// Counts are taken with the other filters applied: of the Shymkent people, 2 are
		// trade unionists and 1 an activist.
		if l.count("role", "trade unionist") != 2 || l.count("role", "activist") != 1 {
			t.Errorf("role counts = %+v", l.Facets)
		}
		if l.count("status", "under_investigation") != 1 || l.count("status", "restrictions_on_activity") != 1 {
			t.Errorf("status counts = %+v", l.Facets)
		}
	})

	t.Run("ByLawOrganisationResolutionClause", func(t *testing.T) {
		if got := strings.Join(get("/api/v1/people?law=criminal-code-article-274").slugs(), " "); got != "elena-semenova max-bokayev talgat-ayan" {
			t.Errorf("Article 274 people = %s", got)
		}
		if got := strings.Join(get("/api/v1/cases?org=dvk").slugs(), " "); got != "dvk-ban" {
			t.Errorf("DVK cases = %s", got)
		}
		if got := strings.Join(get("/api/v1/people?resolution=2019-2610-rsp&clause=para_8").slugs(), " "); got != "iskander-yerimbetov" {
			t.Errorf("people of paragraph 8 = %s", got)
		}
		if got := get("/api/v1/cases?status=imprisoned&law=criminal-code-article-174"); strings.Join(got.slugs(), " ") != "max-bokayev-case" {
			t.Errorf("imprisoned under 174 = %v", got.slugs())
		}
	})

	t.Run("FilterIsInTheAddressAndKeptAcrossPages", func(t *testing.T) {
		_, body := fetchWith(t, browser(t), w.a.URL+"/people?role=trade+unionist")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if n := doc.Find(`[data-testid="summary-list"] li`).Length(); n != 4 {
			t.Errorf("%d trade unionists listed, want 4", n)
		}
		link, _ := doc.Find(`[data-testid="facet-place"]`).First().Attr("href")
		u, _ := url.Parse(link)
		if u.Query().Get("role") != "trade unionist" || u.Query().Get("place") == "" {
			t.Errorf("a facet link drops the current filter: %s", link)
		}
		if !strings.Contains(doc.Find(`[data-testid="active-filters"]`).Text(), "Role: trade unionist") {
			t.Error("the active filter is not shown")
		}
	})

	t.Run("SortByStatus", func(t *testing.T) {
		l := get("/api/v1/cases?sort=status")
		var prev string
		for _, it := range l.Items {
			s := ""
			if it.CurrentStatus != nil {
				s = *it.CurrentStatus
			}
			if s < prev {
				t.Errorf("cases not in status order: %q after %q", s, prev)
			}
			prev = s
		}
	})

	t.Run("BadFiltersAreRefusedOrMatchNothing", func(t *testing.T) {
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/people?sort=drop+table"); resp.StatusCode != 400 {
			t.Errorf("bad sort = %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/people?clause=para_1"); resp.StatusCode != 400 {
			t.Errorf("clause without resolution = %d", resp.StatusCode)
		}
		if l := get("/api/v1/people?role=%27%3B+DROP+TABLE+people%3B--"); l.Total != 0 {
			t.Errorf("an injection-looking role matched %d", l.Total)
		}
		if l := get("/api/v1/people"); l.Total != 11 {
			t.Errorf("people after the attempts: %d", l.Total)
		}
	})
}
