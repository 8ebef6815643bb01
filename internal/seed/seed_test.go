package seed_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/seed"
)

func TestLoadSeed(t *testing.T) {
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Resolution.Clauses) != 28 || len(ds.People) != 11 || len(ds.Cases) != 13 {
		t.Errorf("seed has %d clauses, %d people, %d cases", len(ds.Resolution.Clauses), len(ds.People), len(ds.Cases))
	}
	// Every named individual has a case whose first status is dated to the adoption.
	hasCase := map[string]bool{}
	for _, c := range ds.Cases {
		for _, p := range c.People {
			hasCase[p] = true
		}
		if len(c.Statuses) == 0 || c.Statuses[0].EffectiveOn != "2019-03-14" || c.Statuses[0].SourceClause == "" {
			t.Errorf("case %s first status = %+v", c.Slug, c.Statuses)
		}
	}
	for _, p := range ds.People {
		if !hasCase[p.Slug] {
			t.Errorf("%s has no case", p.Slug)
		}
	}
}

func TestLoadRefusesInconsistentData(t *testing.T) {
	text := "A. whereas Jane Doe is held;\n1. Urges her release;\n"
	base := `{"resolution": {"procedure": "2020/0001(RSP)", "title": "T", "adopted_on": "2020-01-02", "text_file": "r.txt"},
	  "people": [{"slug": "jane-doe", "name": "Jane Doe"}], %s}`
	tests := []struct{ name, extra, says string }{
		{"UnknownPersonInCase", `"cases": [{"slug": "c", "title": "C", "people": ["john"], "statuses": []}]`, `unknown person "john"`},
		{"UnknownStatus", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "vanished"}]}]`, `unknown status "vanished"`},
		{"UnknownSourceClause", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "source_clause": "rec_Z"}]}]`, `source clause "rec_Z"`},
		{"BadDate", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "effective_on": "last May"}]}]`, `want YYYY-MM-DD`},
		{"CaseWithNoSubject", `"cases": [{"slug": "c", "title": "C", "statuses": []}]`, `concerns no person`},
		{"DuplicateSlug", `"organisations": [{"slug": "o", "name": "O"}, {"slug": "o", "name": "P"}]`, `appears twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"d.json": {Data: []byte(strings.Replace(base, "%s", tc.extra, 1))},
				"r.txt":  {Data: []byte(text)},
			}
			_, err := seed.Load(fsys, "d.json")
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Load = %v, want an error saying %q", err, tc.says)
			}
		})
	}
	t.Run("UnparseableTextNamesTheLine", func(t *testing.T) {
		fsys := fstest.MapFS{
			"d.json": {Data: []byte(strings.Replace(base, ", %s", "", 1))},
			"r.txt":  {Data: []byte("A. whereas one;\nC. whereas three;\n")},
		}
		_, err := seed.Load(fsys, "d.json")
		if err == nil || !strings.Contains(err.Error(), "r.txt: line 2") {
			t.Errorf("Load = %v", err)
		}
	})
}
