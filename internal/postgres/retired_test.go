package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestRetiredIsNoPublicFact retires records of the seed and checks every place that lists
// or counts them: a retired record is named nowhere the public reads and counted in no
// figure, is no work in the staff queues, and an edit of what links to it keeps the link,
// so restoring it puts it back.
func TestRetiredIsNoPublicFact(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	editor, admin := postgres.Actor{Name: "editor@example.org"}, postgres.Actor{Name: "admin@example.org"}
	retire := func(t *testing.T, et tracker.EntityType, slug string) {
		t.Helper()
		if err := db.SetRetired(ctx, editor, et, slug, true); err != nil {
			t.Fatal(err)
		}
	}
	restore := func(t *testing.T, et tracker.EntityType, slug string) {
		t.Helper()
		if err := db.SetRetired(ctx, admin, et, slug, false); err != nil {
			t.Fatal(err)
		}
	}
	slugs := func(refs []tracker.EntityRef) []string {
		var out []string
		for _, r := range refs {
			out = append(out, r.Slug)
		}
		return out
	}
	resolutionPeople := func(t *testing.T) int {
		t.Helper()
		list, _, err := db.Resolutions(ctx, tracker.Page{Number: 1, Size: 10})
		if err != nil || len(list) != 1 {
			t.Fatalf("resolutions: %v %v", list, err)
		}
		o, err := db.Overview(ctx)
		if err != nil || o.Resolutions[0].People != list[0].People {
			t.Fatalf("home page counts %v, the list %d: %v", o.Resolutions, list[0].People, err)
		}
		return list[0].People
	}
	queue := func(t *testing.T, q tracker.Queue) int {
		t.Helper()
		counts, err := db.QueueCounts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range counts {
			if c.Name == q {
				_, total, err := db.QueueItems(ctx, q, tracker.Page{Number: 1, Size: 50})
				if err != nil || total != c.Count {
					t.Fatalf("queue %s: count %d, list %d: %v", q, c.Count, total, err)
				}
				return c.Count
			}
		}
		t.Fatalf("no queue %s", q)
		return 0
	}

	t.Run("RetiredPersonLeavesTargetsConcernsAndCounts", func(t *testing.T) {
		people0 := resolutionPeople(t)
		retire(t, tracker.PersonEntity, "max-bokayev")
		defer restore(t, tracker.PersonEntity, "max-bokayev")
		if n := resolutionPeople(t); n != people0-1 {
			t.Errorf("the resolution names %d people, want %d", n, people0-1)
		}
		noTarget := func(where string, ds []tracker.Demand) {
			for _, d := range ds {
				if slices.Contains(slugs(d.Targets), "max-bokayev") {
					t.Errorf("%s: demand %s is still for the retired person", where, d.Slug)
				}
			}
		}
		r, err := db.Resolution(ctx, "2019-2610-rsp")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range r.Clauses {
			noTarget("resolution", c.Demands)
		}
		sb, err := db.Scoreboard(ctx, "2019-2610-rsp")
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range sb.Paragraphs {
			noTarget("scoreboard", p.Demands)
		}
		k, err := db.Case(ctx, "max-bokayev-case")
		if err != nil {
			t.Fatal(err)
		}
		if len(k.Case.People) != 0 {
			t.Errorf("the case still concerns %v", slugs(k.Case.People))
		}
		noTarget("case page", append(k.Demands, k.Related...))
	})

	t.Run("RetiredCaseLeavesStatusAndFacets", func(t *testing.T) {
		lawCount := func(t *testing.T) int {
			t.Helper()
			_, _, facets, err := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{}, tracker.Page{Number: 1, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range facets {
				for _, v := range f.Values {
					if f.Param == "law" && v.Value == "criminal-code-article-174" {
						return v.Count
					}
				}
			}
			return 0
		}
		filtered := func(t *testing.T) []string {
			t.Helper()
			list, _, _, err := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{Law: "criminal-code-article-174"}, tracker.Page{Number: 1, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			var out []string
			for _, s := range list {
				out = append(out, s.Slug)
			}
			return out
		}
		status := func(t *testing.T) (string, string) {
			t.Helper()
			var csv string
			_ = db.CSVRows(ctx, tracker.PersonEntity, tracker.Filter{}, func(r postgres.CSVRow) error {
				if r.Slug == "talgat-ayan" {
					csv = string(r.Status)
				}
				return nil
			})
			list, _, _, _ := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{Status: "released_on_parole"}, tracker.Page{Number: 1, Size: 50})
			for _, s := range list {
				if s.Slug == "talgat-ayan" {
					return string(s.Status), csv
				}
			}
			return "", csv
		}
		laws0 := lawCount(t)
		if s, csv := status(t); s != "released_on_parole" || csv != "released_on_parole" {
			t.Fatalf("before: status %q, CSV %q", s, csv)
		}
		retire(t, tracker.CaseEntity, "talgat-ayan-case")
		if s, csv := status(t); s != "" || csv != "" {
			t.Errorf("with his only case retired, Talgat Ayan's status is %q (CSV %q), want none", s, csv)
		}
		if n := lawCount(t); n != laws0-1 {
			t.Errorf("Article 174 counts %d people, want %d", n, laws0-1)
		}
		if slices.Contains(filtered(t), "talgat-ayan") {
			t.Error("filtered by a law only his retired case used, Talgat Ayan is listed")
		}
		restore(t, tracker.CaseEntity, "talgat-ayan-case")
		if s, _ := status(t); s != "released_on_parole" || lawCount(t) != laws0 {
			t.Errorf("restored: status %q, Article 174 counts %d", s, lawCount(t))
		}

		org := func(t *testing.T) string {
			t.Helper()
			list, _, err := db.Summaries(ctx, tracker.OrganisationEntity, tracker.Page{Number: 1, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			for _, s := range list {
				if s.Slug == "ratel-kz" {
					return string(s.Status)
				}
			}
			return "missing"
		}
		retire(t, tracker.CaseEntity, "forbes-kazakhstan-ratel-investigation")
		defer restore(t, tracker.CaseEntity, "forbes-kazakhstan-ratel-investigation")
		if s := org(t); s != "" {
			t.Errorf("Ratel.kz's only case is retired but the list says %q", s)
		}
	})

	t.Run("RetiredRecordIsNoWork", func(t *testing.T) {
		without, noStatus := queue(t, tracker.QueuePeopleWithoutCase), queue(t, tracker.QueueCasesWithoutStatus)
		p, err := db.CreatePerson(ctx, editor, tracker.PersonEdit{Name: "Duplicate Person"})
		if err != nil {
			t.Fatal(err)
		}
		k, err := db.CreateCase(ctx, editor, tracker.CaseEdit{Title: "Duplicate case", Organisations: []string{"dvk"}})
		if err != nil {
			t.Fatal(err)
		}
		if queue(t, tracker.QueuePeopleWithoutCase) != without+1 || queue(t, tracker.QueueCasesWithoutStatus) != noStatus+1 {
			t.Fatal("the new records are not in the queues")
		}
		retire(t, tracker.PersonEntity, p)
		retire(t, tracker.CaseEntity, k)
		if n := queue(t, tracker.QueuePeopleWithoutCase); n != without {
			t.Errorf("people without a case: %d, want %d (a retired person is no work)", n, without)
		}
		if n := queue(t, tracker.QueueCasesWithoutStatus); n != noStatus {
			t.Errorf("cases without a status: %d, want %d (a retired case is no work)", n, noStatus)
		}
	})

	t.Run("EditKeepsLinksToRetiredRecords", func(t *testing.T) {
		retire(t, tracker.OrganisationEntity, "ratel-kz")
		k, err := db.Case(ctx, "forbes-kazakhstan-ratel-investigation")
		if err != nil {
			t.Fatal(err)
		}
		if got := slugs(k.Case.Organisations); !slices.Equal(got, []string{"forbes-kazakhstan"}) {
			t.Errorf("the case names %v, want Forbes alone while Ratel.kz is retired", got)
		}
		e := tracker.CaseEditOf(k.Case)
		e.Organisations = append(e.Organisations, "cituk")
		if _, err := db.UpdateCase(ctx, editor, e); err != nil {
			t.Fatal(err)
		}
		retire(t, tracker.OrganisationEntity, "cituk")
		p, err := db.Person(ctx, "larisa-kharkova")
		if err != nil {
			t.Fatal(err)
		}
		pe := tracker.PersonEditOf(p.Person)
		pe.Affiliations = append(pe.Affiliations, tracker.AffiliationEdit{Organisation: "dvk", Role: "member"})
		if _, err := db.UpdatePerson(ctx, editor, pe); err != nil {
			t.Fatal(err)
		}
		restore(t, tracker.OrganisationEntity, "ratel-kz")
		restore(t, tracker.OrganisationEntity, "cituk")
		k, _ = db.Case(ctx, "forbes-kazakhstan-ratel-investigation")
		if got := slugs(k.Case.Organisations); !slices.Contains(got, "ratel-kz") || !slices.Contains(got, "cituk") {
			t.Errorf("restored Ratel.kz is no longer on the case edited meanwhile: %v", got)
		}
		p, _ = db.Person(ctx, "larisa-kharkova")
		var orgs []string
		for _, a := range p.Person.Affiliations {
			orgs = append(orgs, a.Slug+":"+a.Role)
		}
		if !slices.Contains(orgs, "cituk:chair") || !slices.Contains(orgs, "dvk:member") {
			t.Errorf("Larisa Kharkova's affiliations after an edit while CITUK was retired: %v", orgs)
		}
	})
}
