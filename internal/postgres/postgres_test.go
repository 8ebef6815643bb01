package postgres_test

import (
	"context"
	"slices"
	"testing"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

func seeded(t *testing.T) (*postgres.DB, string) {
	t.Helper()
	return postgrestest.OpenSeeded(t)
}

func TestImportSeed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, _ := seeded(t)

	t.Run("ResolutionHasEveryClauseInOrder", func(t *testing.T) {
		r, err := db.Resolution(ctx, "2019-2610-rsp")
		if err != nil {
			t.Fatal(err)
		}
		counts := map[tracker.ClauseKind]int{}
		for i, c := range r.Clauses {
			counts[c.Kind]++
			if c.Position != i+1 {
				t.Errorf("clause %s at position %d, want %d", c.EID, c.Position, i+1)
			}
		}
		if counts[tracker.Citation] != 7 || counts[tracker.Recital] != 11 || counts[tracker.Paragraph] != 10 {
			t.Errorf("counts = %v, want 7 citations, 11 recitals, 10 paragraphs", counts)
		}
		if r.Procedure != "2019/2610(RSP)" || r.AdoptedOn.Format("2006-01-02") != "2019-03-14" {
			t.Errorf("resolution = %s adopted %s", r.Procedure, r.AdoptedOn)
		}
	})

	t.Run("ReimportChangesNothing", func(t *testing.T) {
		ds, _ := seed.Load(data.Seed, data.SeedFile)
		res, err := db.ImportDataset(ctx, ds)
		if err != nil {
			t.Fatal(err)
		}
		if res.Changed() {
			t.Errorf("second import wrote %+v", res)
		}
		r, _ := db.Resolution(ctx, "2019-2610-rsp")
		if len(r.Clauses) != 28 {
			t.Errorf("after re-import %d clauses, want 28", len(r.Clauses))
		}
	})

	t.Run("PersonPageHasCitingClausesAndCase", func(t *testing.T) {
		p, err := db.Person(ctx, "larisa-kharkova")
		if err != nil {
			t.Fatal(err)
		}
		var eids []string
		for _, c := range p.Clauses {
			eids = append(eids, c.EID)
		}
		if !slices.Equal(eids, []string{"rec_D", "para_3"}) {
			t.Errorf("Kharkova cited by %v, want [rec_D para_3]", eids)
		}
		if !slices.Contains(p.Person.Aliases, "Larissa Kharkova") {
			t.Errorf("aliases %v lack Larissa Kharkova", p.Person.Aliases)
		}
		if len(p.Cases) != 1 {
			t.Fatalf("cases = %d, want 1", len(p.Cases))
		}
		cur, ok := p.Cases[0].Current()
		if !ok || cur.Status != "restrictions_on_activity" || cur.SourceClause == nil || cur.SourceClause.EID != "rec_D" {
			t.Errorf("current status = %+v", cur)
		}
		if cur.EffectiveOn.String() != "2019-03-14" || cur.DatedBy != "reported by the resolution of 14 March 2019" {
			t.Errorf("status dated %s by %q, want the resolution's adoption 2019-03-14, saying so", cur.EffectiveOn, cur.DatedBy)
		}
	})

	t.Run("ProvisionPageListsCasesBroughtUnderIt", func(t *testing.T) {
		l, err := db.LegalProvision(ctx, "criminal-code-article-274")
		if err != nil {
			t.Fatal(err)
		}
		var cases []string
		for _, c := range l.Cases {
			cases = append(cases, c.Slug)
		}
		for _, want := range []string{"max-bokayev-case", "elena-semenova-case", "forbes-kazakhstan-ratel-investigation"} {
			if !slices.Contains(cases, want) {
				t.Errorf("Article 274 cases %v lack %s", cases, want)
			}
		}
	})

	t.Run("CasePageIsCitedThroughItsSubjects", func(t *testing.T) {
		c, err := db.Case(ctx, "iskander-yerimbetov-case")
		if err != nil {
			t.Fatal(err)
		}
		var eids []string
		for _, cl := range c.Clauses {
			eids = append(eids, cl.EID)
		}
		if !slices.Equal(eids, []string{"rec_K", "para_8"}) {
			t.Errorf("case cited by %v, want [rec_K para_8]", eids)
		}
		if len(c.Case.People) != 1 || c.Case.People[0].Slug != "iskander-yerimbetov" {
			t.Errorf("case people = %v", c.Case.People)
		}
	})

	t.Run("UnknownSlugIsNotFound", func(t *testing.T) {
		for name, err := range map[string]error{
			"person":       func() error { _, err := db.Person(ctx, "nobody"); return err }(),
			"organisation": func() error { _, err := db.Organisation(ctx, "nobody"); return err }(),
			"provision":    func() error { _, err := db.LegalProvision(ctx, "nobody"); return err }(),
			"case":         func() error { _, err := db.Case(ctx, "nobody"); return err }(),
			"resolution":   func() error { _, err := db.Resolution(ctx, "nobody"); return err }(),
		} {
			if code := tracker.ErrorCode(err); code != tracker.ENOTFOUND {
				t.Errorf("%s: code %q (%v), want not_found", name, code, err)
			}
		}
	})

	t.Run("OverviewCountsPeopleByCurrentStatus", func(t *testing.T) {
		o, err := db.Overview(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if o.People != 11 || o.Cases != 13 || len(o.Resolutions) != 1 {
			t.Errorf("overview = %d people, %d cases, %d resolutions", o.People, o.Cases, len(o.Resolutions))
		}
		total := 0
		for _, s := range o.ByStatus {
			total += s.Count
		}
		if total != o.People {
			t.Errorf("statuses cover %d people, want %d", total, o.People)
		}
	})

	t.Run("SummariesCountCitingClauses", func(t *testing.T) {
		people, total, err := db.Summaries(ctx, tracker.PersonEntity, tracker.Page{Number: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if total != 11 || len(people) != 11 {
			t.Errorf("people: %d listed, total %d, want 11", len(people), total)
		}
		second, total, err := db.Summaries(ctx, tracker.PersonEntity, tracker.Page{Number: 2, Size: 5})
		if err != nil || total != 11 || len(second) != 5 || second[0].Slug != people[5].Slug {
			t.Errorf("page 2 of 5 = %d items from %v, total %d, err %v", len(second), second, total, err)
		}
		for _, p := range people {
			if p.Slug == "max-bokayev" && (p.Clauses != 2 || p.Status != "imprisoned") {
				t.Errorf("Bokayev summary = %+v", p)
			}
			if p.Clauses == 0 {
				t.Errorf("%s is cited by no clause", p.Slug)
			}
		}
	})
}

func TestMigrations(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	t.Run("UpDownUp", func(t *testing.T) {
		if err := postgres.MigrateUp(u); err != nil {
			t.Fatal(err)
		}
		if v, dirty, err := postgres.MigrateVersion(u); err != nil || v == 0 || dirty {
			t.Fatalf("version = %d dirty=%v err=%v", v, dirty, err)
		}
		if err := postgres.MigrateDown(u, 0); err != nil {
			t.Fatal(err)
		}
		if v, _, err := postgres.MigrateVersion(u); err != nil || v != 0 {
			t.Fatalf("after down: version = %d err=%v", v, err)
		}
		if err := postgres.MigrateUp(u); err != nil {
			t.Fatalf("up again after down: %v", err)
		}
	})
}
