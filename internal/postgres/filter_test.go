package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// facet returns the counts of one facet an unfiltered people or cases index shows, and
// the index's total.
func facet(t *testing.T, db *postgres.DB, e tracker.EntityType, param string) (map[string]int, int) {
	t.Helper()
	_, total, facets, err := db.FilteredSummaries(context.Background(), e, tracker.Filter{}, tracker.Page{Number: 1, Size: 10})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range facets {
		if f.Param == param {
			for _, v := range f.Values {
				got[v.Value] = v.Count
			}
		}
	}
	return got, total
}

// recount counts a column's values the slow way, for comparison with the kept counts.
func recount(t *testing.T, url, table, column string) map[string]int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), "SELECT "+column+", count(*) FROM "+table+" WHERE "+column+" <> '' GROUP BY 1")
	got := map[string]int{}
	var s string
	var n int
	if _, err := pgx.ForEachRow(rows, []any{&s, &n}, func() error { got[s] = n; return nil }); err != nil {
		t.Fatal(err)
	}
	return got
}

func sameCounts(a, b map[string]int) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

// The counts beside an unfiltered index come from tables kept by triggers; after a status
// change or a person's edit they must still match a count of the records themselves.
func TestStatusCountsFollowChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	check := func(when string) {
		t.Helper()
		for _, c := range []struct {
			e             tracker.EntityType
			table, column string
			param         string
		}{
			{tracker.PersonEntity, "people", "current_status", "status"}, {tracker.CaseEntity, "cases", "current_status", "status"},
			{tracker.PersonEntity, "people", "role", "role"}, {tracker.PersonEntity, "people", "place", "place"},
		} {
			got, total := facet(t, db, c.e, c.param)
			if want := recount(t, url, c.table, c.column); !sameCounts(got, want) || len(want) == 0 {
				t.Errorf("%s: %s %s counts = %v, records say %v", when, c.table, c.param, got, want)
			}
			if n := postgrestest.Count(t, url, "SELECT count(*) FROM "+c.table); total != n {
				t.Errorf("%s: %s index total %d, records %d", when, c.table, total, n)
			}
		}
	}
	check("after seeding")
	c, err := db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, tracker.StatusUpdate{CaseSlug: c.Case.Slug, Version: c.Case.Version,
		Status: tracker.Status("released"), EffectiveOn: "2026-01-02", Note: "Released."}, tracker.EntryDates{Effective: tracker.Day(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC))}); err != nil {
		t.Fatal(err)
	}
	check("after a release")
	p, err := db.Person(ctx, "max-bokayev")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.UpdatePerson(ctx, postgres.Actor{Name: "test"}, tracker.PersonEdit{Slug: "max-bokayev", Revision: tracker.Revision{Version: p.Person.Version}, Name: p.Person.Name,
		Aliases: p.Person.Aliases, Role: "trade unionist", Place: "Aktau", Notes: p.Person.Notes}); err != nil {
		t.Fatal(err)
	}
	check("after a person's role and place changed")
}
