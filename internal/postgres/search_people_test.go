package postgres_test

import (
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/synth"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/internal/translit"
)

// TestSearchTellsPeopleApart checks what issue 15 §1 asks of search: person hits carry
// what tells namesakes apart, clause hits are titled by their resolution, numbers are
// matched exactly and clause text is found across scripts.
func TestSearchTellsPeopleApart(t *testing.T) {
	t.Parallel()
	db, u := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	search := func(q string) []tracker.SearchHit {
		t.Helper()
		hits, _, err := db.Search(ctx, q, false)
		if err != nil {
			t.Fatal(err)
		}
		return hits
	}
	hit := func(hits []tracker.SearchHit, typ tracker.EntityType, slug string) *tracker.SearchHit {
		for i := range hits {
			if hits[i].Type == typ && hits[i].Slug == slug {
				return &hits[i]
			}
		}
		return nil
	}

	t.Run("PersonHitsSayRolePlaceStatusAndYears", func(t *testing.T) {
		h := hit(search("Bokayev"), tracker.PersonEntity, "max-bokayev")
		if h == nil {
			t.Fatal("Bokayev not found")
		}
		if h.Role != "civil society activist" || h.Place == "" || h.Status == "" || h.Since.IsZero() || !slices.Equal(h.Years, []int{2019}) {
			t.Errorf("Bokayev hit = role %q, place %q, status %q since %v, years %v", h.Role, h.Place, h.Status, h.Since, h.Years)
		}
		// The date is that of the entry that set the current status, as the database has it.
		want := postgrestest.Count(t, u, `SELECT to_char(se.effective_on, 'YYYYMMDD')::int FROM status_entries se
			JOIN case_people j ON j.case_id = se.case_id JOIN people p ON p.id = j.person_id
			WHERE p.slug = 'max-bokayev' AND NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
			ORDER BY se.effective_on DESC, se.id DESC LIMIT 1`)
		if got := h.Since.Start.Year()*10000 + int(h.Since.Start.Month())*100 + h.Since.Start.Day(); got != want {
			t.Errorf("since %v, want the latest entry's date %d", h.Since, want)
		}
	})

	// The details come with the hits of both search queries: a person found by words of
	// their notes, or by internal notes (staff only), is told apart like one found by name.
	t.Run("PeopleFoundByTextAreDescribedToo", func(t *testing.T) {
		postgrestest.Exec(t, u, `UPDATE people SET notes = notes || ' Kestrelwatch.', internal_notes = 'Zebrafinch sighting.' WHERE slug = 'max-bokayev'`)
		for _, c := range []struct {
			q     string
			staff bool
		}{{"Kestrelwatch", false}, {"Zebrafinch", true}} {
			hits, _, err := db.Search(ctx, c.q, c.staff)
			if err != nil {
				t.Fatal(err)
			}
			h := hit(hits, tracker.PersonEntity, "max-bokayev")
			if h == nil || h.Match != tracker.MatchText {
				t.Fatalf("%s: Bokayev not found by text: %+v", c.q, hits)
			}
			if h.Role != "civil society activist" || h.Place == "" || h.Status == "" || h.Since.IsZero() || !slices.Equal(h.Years, []int{2019}) {
				t.Errorf("%s: text hit = role %q, place %q, status %q since %v, years %v", c.q, h.Role, h.Place, h.Status, h.Since, h.Years)
			}
		}
		if hits, _, _ := db.Search(ctx, "Zebrafinch", false); hit(hits, tracker.PersonEntity, "max-bokayev") != nil {
			t.Error("the public found a person by their internal notes")
		}
	})

	t.Run("ClauseHitsAreTitledByTheirResolution", func(t *testing.T) {
		var clause *tracker.SearchHit
		for _, h := range search("Zhanaozen torture") {
			if h.Type == tracker.ClauseEntity {
				clause = &h
				break
			}
		}
		if clause == nil {
			t.Fatal("no clause found")
		}
		if !strings.HasPrefix(clause.Name, "Human rights situation in Kazakhstan, 14 March 2019 · ") || strings.Contains(clause.Name, "RSP") {
			t.Errorf("clause hit titled %q", clause.Name)
		}
	})

	t.Run("NumbersAreNeverFuzzed", func(t *testing.T) {
		hits := search("article 174")
		if hit(hits, tracker.LegalProvisionEntity, "criminal-code-article-174") == nil {
			t.Error("article 174 not found")
		}
		if h := hit(hits, tracker.LegalProvisionEntity, "criminal-code-article-274"); h != nil {
			t.Errorf("article 174 found Article 274 (%s)", h.Match)
		}
		// A typo in the word still finds it; a wrong number finds no article at all.
		if hit(search("artcle 174"), tracker.LegalProvisionEntity, "criminal-code-article-174") == nil {
			t.Error("artcle 174 (a typo) does not find Article 174")
		}
		for _, h := range search("article 1744") {
			if h.Type == tracker.LegalProvisionEntity {
				t.Errorf("article 1744 found %s (%s)", h.Slug, h.Match)
			}
		}
	})

	t.Run("CyrillicQueriesFindLatinClauses", func(t *testing.T) {
		latin := map[string]bool{}
		for _, h := range search("Zhanaozen") {
			if h.Type == tracker.ClauseEntity {
				latin[h.Slug] = true
			}
		}
		if len(latin) < 2 {
			t.Fatalf("Zhanaozen found %d clauses, want the recital and the paragraph", len(latin))
		}
		for _, q := range []string{"Жанаозен", "Жаңаөзен"} {
			n := 0
			for _, h := range search(q) {
				if h.Type == tracker.ClauseEntity && latin[h.Slug] {
					n++
					if !strings.Contains(h.Snippet, "\x01Zhanaozen\x02") {
						t.Errorf("%s: snippet does not mark Zhanaozen: %q", q, h.Snippet)
					}
				}
			}
			if n != len(latin) {
				t.Errorf("%s found %d of the %d clauses that say Zhanaozen", q, n, len(latin))
			}
		}
	})

	t.Run("LatinQueriesFindCyrillicClauses", func(t *testing.T) {
		postgrestest.Exec(t, u, `INSERT INTO clauses (resolution_id, kind, label, eid, position, text)
			SELECT id, 'recital', 'ZZ', 'rec_ZZ', 999, 'Учитывая события в Жаңаөзене в 2011 году' FROM resolutions LIMIT 1`)
		found := false
		for _, h := range search("Zhanaozene") {
			found = found || h.Type == tracker.ClauseEntity && strings.HasSuffix(h.Slug, "#rec_ZZ")
		}
		if !found {
			t.Error("Zhanaozene does not find the clause written in Cyrillic")
		}
	})

	t.Run("SQLTransliterationIsTranslitLatin", func(t *testing.T) {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		for _, w := range []string{"Жаңаөзен", "Щучинск", "Хабаровск", "Цой", "Чечня", "Шымкент", "Юрий", "Ярослава", "Ёлка", "Қызылорда", "Өскемен", "Ұлытау", "Үштөбе", "Һ", "Іле", "Ғалым", "Подъезд", "Ольга", "Ыбырай", "Эдуард", "Әлия", "Йошкар"} {
			var got string
			if err := conn.QueryRow(ctx, `SELECT whereas_translit($1)`, w).Scan(&got); err != nil {
				t.Fatal(err)
			}
			if want := translit.Latin(w); got != want {
				t.Errorf("whereas_translit(%q) = %q, translit.Latin = %q", w, got, want)
			}
		}
	})
}

// TestCSVRowsFollowTheFilter checks that the CSV has exactly the rows of the filtered
// index, for every kind of filter, on generated data (issue 15 §4).
func TestCSVRowsFollowTheFilter(t *testing.T) {
	t.Parallel()
	db, u := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	postgrestest.Exec(t, u, `INSERT INTO people (slug, name, role, place) VALUES ('no-case-yet', 'No Case Yet', 'journalist', 'Almaty')`)
	if err := db.LoadSynthetic(ctx, synth.Generate(synth.Options{People: 300, Seed: 5})); err != nil {
		t.Fatal(err)
	}
	filters := []tracker.Filter{{}, {Status: "imprisoned"}, {Status: tracker.NoStatus}, {Role: "journalist"}, {Place: "Almaty", Status: "released"},
		{Law: "criminal-code-article-174"}, {Resolution: "2019-2610-rsp"}, {Resolution: "2019-2610-rsp", Clause: "rec_J"}}
	for _, typ := range []tracker.EntityType{tracker.PersonEntity, tracker.CaseEntity} {
		for _, f := range filters {
			_, total, _, err := db.FilteredSummaries(ctx, typ, f, tracker.Page{Number: 1, Size: 1})
			if err != nil {
				t.Fatal(err)
			}
			var rows []postgres.CSVRow
			if err := db.CSVRows(ctx, typ, f, func(r postgres.CSVRow) error { rows = append(rows, r); return nil }); err != nil {
				t.Fatal(err)
			}
			if len(rows) != total {
				t.Errorf("%s %v: CSV has %d rows, the index %d", typ, f.Query(), len(rows), total)
			}
			for _, r := range rows {
				switch {
				case f.Status == tracker.NoStatus && r.Status != "":
					t.Errorf("%s %v: row %s has status %q", typ, f.Query(), r.Slug, r.Status)
				case f.Status != "" && f.Status != tracker.NoStatus && r.Status != f.Status:
					t.Errorf("%s %v: row %s has status %q", typ, f.Query(), r.Slug, r.Status)
				case r.Status != "" && r.Since.IsZero():
					t.Errorf("%s: row %s has a status without its date", typ, r.Slug)
				case typ == tracker.PersonEntity && f.Role != "" && r.Role != f.Role:
					t.Errorf("row %s has role %q", r.Slug, r.Role)
				}
			}
			if typ == tracker.PersonEntity && f.Status == "imprisoned" && total == 0 {
				t.Error("no imprisoned person on generated data: the filter test proves nothing")
			}
		}
	}
	// The status facet offers "No status recorded" when some records have none.
	_, _, facets, err := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{}, tracker.Page{Number: 1, Size: 1})
	if err != nil {
		t.Fatal(err)
	}
	var none *tracker.FacetValue
	for _, f := range facets {
		for i, v := range f.Values {
			if f.Param == "status" && v.Value == tracker.NoStatus {
				none = &f.Values[i]
			}
		}
	}
	_, withNone, _, _ := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{Status: tracker.NoStatus}, tracker.Page{Number: 1, Size: 1})
	if withNone == 0 || (none == nil || none.Label != "No status recorded" || none.Count != withNone) {
		t.Errorf("status facet's no-status value = %+v, want %d labelled No status recorded", none, withNone)
	}
}
