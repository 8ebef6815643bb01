package postgres_test

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestCreateRetireRestore creates a record of each kind and retires and restores a
// person: the record appears at once in lists, search and counts, leaves them when
// retired, comes back when restored, and every step is audited.
func TestCreateRetireRestore(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	a := postgres.Actor{Name: "editor@example.org"}

	people := func() (int, map[string]int) {
		t.Helper()
		list, total, facets, err := db.FilteredSummaries(ctx, tracker.PersonEntity, tracker.Filter{}, tracker.Page{Number: 1, Size: 500})
		if err != nil {
			t.Fatal(err)
		}
		if len(list) != total {
			t.Fatalf("listed %d people of %d", len(list), total)
		}
		roles := map[string]int{}
		for _, f := range facets {
			if f.Param == "role" {
				for _, v := range f.Values {
					roles[v.Value] = v.Count
				}
			}
		}
		return total, roles
	}
	found := func(q, slug string) bool {
		t.Helper()
		hits, _, err := db.Search(ctx, q, false)
		if err != nil {
			t.Fatal(err)
		}
		return slices.ContainsFunc(hits, func(h tracker.SearchHit) bool { return h.Slug == slug })
	}
	total0, _ := people()
	v0, _ := db.DataVersion(ctx)

	slug, err := db.CreatePerson(ctx, a, tracker.PersonEdit{Name: "Жанболат Мамай", Aliases: []string{"Zhanbolat Mamay"}, Role: "newspaper editor",
		BornOn: "1988-01-12", Affiliations: []tracker.AffiliationEdit{{Organisation: "CITUK", Role: "member"}}})
	if err != nil {
		t.Fatal(err)
	}
	if slug != "zhanbolat-mamai" && slug != "zhanbolat-mamay" {
		t.Errorf("slug %q: want the name transliterated", slug)
	}
	t.Run("CreatedPersonIsListedSearchedAndCounted", func(t *testing.T) {
		total, roles := people()
		if total != total0+1 || roles["newspaper editor"] != 1 {
			t.Errorf("after create: %d people (was %d), role count %d", total, total0, roles["newspaper editor"])
		}
		if !found("Mamay", slug) || !found("Мамай", slug) {
			t.Error("the new person is not found by name in both scripts")
		}
		if v, _ := db.DataVersion(ctx); v <= v0 {
			t.Error("the public data version did not move")
		}
		d, err := db.Person(ctx, slug)
		if err != nil {
			t.Fatal(err)
		}
		if d.Person.BornOn == nil || d.Person.BornOn.Format("2006-01-02") != "1988-01-12" || len(d.Person.Affiliations) != 1 ||
			d.Person.Affiliations[0].Slug != "cituk" || d.Person.Version != 1 {
			t.Errorf("read back: %+v", d.Person)
		}
		o, _ := db.Organisation(ctx, "cituk")
		if !slices.ContainsFunc(o.Organisation.Members, func(m tracker.Affiliation) bool { return m.Slug == slug && m.Role == "member" }) {
			t.Errorf("CITUK's people: %+v", o.Organisation.Members)
		}
		log, _ := db.Activity(ctx, "person", slug, 10)
		if len(log) != 1 || log[0].Action != "create" {
			t.Errorf("audit: %+v", log)
		}
	})

	t.Run("CaseLinksByNameInAnySpelling", func(t *testing.T) {
		cs, err := db.CreateCase(ctx, a, tracker.CaseEdit{Title: "Case of Zhanbolat Mamay", People: []string{"Жанболат Мамай"},
			Organisations: []string{"cituk"}, LegalProvisions: []string{"criminal-code-article-174"}})
		if err != nil {
			t.Fatal(err)
		}
		c, err := db.Case(ctx, cs)
		if err != nil || len(c.Case.People) != 1 || c.Case.People[0].Slug != slug {
			t.Errorf("case people: %+v, %v", c.Case.People, err)
		}
		_, err = db.CreateCase(ctx, a, tracker.CaseEdit{Title: "Nobody's case", People: []string{"Nobody Atall"}})
		var verr *tracker.ValidationError
		if !errors.As(err, &verr) || verr.Fields["people"] == "" {
			t.Errorf("an unknown person: %v", err)
		}
	})

	t.Run("SameNameGetsTheNextSlug", func(t *testing.T) {
		again, err := db.CreatePerson(ctx, a, tracker.PersonEdit{Name: "Жанболат Мамай"})
		if err != nil || again != slug+"-2" {
			t.Errorf("second person of that name: %q, %v", again, err)
		}
		_, err = db.CreatePerson(ctx, a, tracker.PersonEdit{Name: "Someone", Slug: "max-bokayev"})
		if tracker.ErrorCode(err) != tracker.ECONFLICT {
			t.Errorf("a proposed slug that is taken: %v, want a conflict", err)
		}
		_, err = db.CreatePerson(ctx, a, tracker.PersonEdit{Name: "Someone", Slug: "Not A Slug", BornOn: "tomorrow"})
		var verr *tracker.ValidationError
		if !errors.As(err, &verr) || verr.Fields["slug"] == "" || verr.Fields["born_on"] == "" {
			t.Errorf("a malformed slug and date: %v", err)
		}
		// Now two people have the name: a case naming it must say which.
		_, err = db.CreateCase(ctx, a, tracker.CaseEdit{Title: "Ambiguous", People: []string{"Zhanbolat Mamay"}})
		if !errors.As(err, &verr) || verr.Fields["people"] == "" {
			t.Errorf("a name two people share: %v", err)
		}
	})

	t.Run("OrganisationAndProvisionAreCreatedAndEdited", func(t *testing.T) {
		o, err := db.CreateOrganisation(ctx, a, tracker.OrganisationEdit{Name: "Adil Soz", Kind: "NGO"})
		if err != nil || o != "adil-soz" {
			t.Fatalf("organisation: %q %v", o, err)
		}
		l, err := db.CreateLegalProvision(ctx, a, tracker.LegalProvisionEdit{Name: "Criminal Code Article 274", Jurisdiction: "Kazakhstan",
			Citation: "Criminal Code of the Republic of Kazakhstan, Article 274", OfficialURL: "https://adilet.zan.kz/eng/docs/K1400000226"})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.UpdateLegalProvision(ctx, a, tracker.LegalProvisionEdit{Slug: l, Revision: tracker.Revision{Version: 1, Only: []string{"notes"}}, Notes: "False information."}); err != nil {
			t.Fatal(err)
		}
		// A second edit made on version 1 changing the same field conflicts.
		_, err = db.UpdateLegalProvision(ctx, a, tracker.LegalProvisionEdit{Slug: l, Revision: tracker.Revision{Version: 1, Only: []string{"notes"}}, Notes: "Other."})
		var cerr *tracker.ConflictError
		if !errors.As(err, &cerr) {
			t.Errorf("stale edit: %v, want a conflict", err)
		}
		d, _ := db.LegalProvision(ctx, l)
		if d.LegalProvision.Version != 2 || d.LegalProvision.Notes != "False information." || d.LegalProvision.Citation == "" {
			t.Errorf("provision: %+v", d.LegalProvision)
		}
	})

	t.Run("RetiredLeavesListsSearchCountsAndCSV", func(t *testing.T) {
		if err := db.SetRetired(ctx, a, tracker.PersonEntity, slug, true); err != nil {
			t.Fatal(err)
		}
		total, roles := people()
		if total != total0+1 || roles["newspaper editor"] != 0 { // the second Mamay is still there
			t.Errorf("after retiring: %d people, role count %d", total, roles["newspaper editor"])
		}
		if found("Zhanbolat Mamay", slug) {
			t.Error("a retired person is still found")
		}
		var inCSV bool
		_ = db.CSVRows(ctx, tracker.PersonEntity, tracker.Filter{}, func(r postgres.CSVRow) error { inCSV = inCSV || r.Slug == slug; return nil })
		if inCSV {
			t.Error("a retired person is still in the CSV")
		}
		d, err := db.Person(ctx, slug)
		if err != nil || !d.Person.Retired() || d.Person.RetiredBy != a.Name {
			t.Errorf("read back: %+v %v", d.Person.Retirement, err)
		}
		if err := db.SetRetired(ctx, a, tracker.PersonEntity, slug, true); tracker.ErrorCode(err) != tracker.ECONFLICT {
			t.Errorf("retired twice: %v", err)
		}
	})

	t.Run("RestoredComesBack", func(t *testing.T) {
		if err := db.SetRetired(ctx, postgres.Actor{Name: "admin@example.org"}, tracker.PersonEntity, slug, false); err != nil {
			t.Fatal(err)
		}
		if _, roles := people(); roles["newspaper editor"] != 1 || !found("Zhanbolat Mamay", slug) {
			t.Error("a restored person is not back in counts and search")
		}
		log, _ := db.Activity(ctx, "person", slug, 10)
		var actions []string
		for _, e := range log {
			actions = append(actions, e.Action)
		}
		if !slices.Equal(actions, []string{"restore", "retire", "create"}) {
			t.Errorf("audit actions: %v", actions)
		}
	})
}
