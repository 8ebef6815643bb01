package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// statusFacet returns the status counts an unfiltered people or cases index shows.
func statusFacet(t *testing.T, db *postgres.DB, e tracker.EntityType) map[string]int {
	t.Helper()
	_, _, facets, err := db.FilteredSummaries(context.Background(), e, tracker.Filter{}, tracker.Page{})
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]int{}
	for _, f := range facets {
		if f.Param == "status" {
			for _, v := range f.Values {
				got[v.Value] = v.Count
			}
		}
	}
	return got
}

// recount counts current statuses the slow way, for comparison with the kept counts.
func recount(t *testing.T, url, table string) map[string]int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), "SELECT current_status, count(*) FROM "+table+" WHERE current_status <> '' GROUP BY 1")
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

// The status counts beside an index come from a table kept by triggers; after a status
// change they must still match a count of the records themselves.
func TestStatusCountsFollowChanges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	check := func(when string) {
		t.Helper()
		for e, table := range map[tracker.EntityType]string{tracker.PersonEntity: "people", tracker.CaseEntity: "cases"} {
			if got, want := statusFacet(t, db, e), recount(t, url, table); !sameCounts(got, want) || len(want) == 0 {
				t.Errorf("%s: %s status counts = %v, records say %v", when, table, got, want)
			}
		}
	}
	check("after seeding")
	c, err := db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, tracker.StatusUpdate{CaseSlug: c.Case.Slug, Version: c.Case.Version,
		Status: tracker.Status("released"), EffectiveOn: "2026-01-02", Note: "Released."}, time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	check("after a release")
}
