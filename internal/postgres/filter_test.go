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

// recount counts a column's values among live records the slow way, for comparison with the kept counts.
func recount(t *testing.T, url, table, column string) map[string]int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	rows, _ := conn.Query(context.Background(), "SELECT "+column+", count(*) FROM "+table+" WHERE retired_at IS NULL AND "+column+" <> '' GROUP BY 1")
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
// change, a person's edit, retiring and restoring they must still match a count of the
// records themselves, and so must the counts under filters of status, role and place
// (checkFilteredCounts).
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
			if n := postgrestest.Count(t, url, "SELECT count(*) FROM "+c.table+" WHERE retired_at IS NULL"); total != n {
				t.Errorf("%s: %s index total %d, records %d", when, c.table, total, n)
			}
		}
		checkFilteredCounts(t, db, url, when)
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
	if err := db.SetRetired(ctx, postgres.Actor{Name: "test"}, tracker.PersonEntity, "max-bokayev", true); err != nil {
		t.Fatal(err)
	}
	check("after the person was retired")
	if err := db.SetRetired(ctx, postgres.Actor{Name: "test"}, tracker.PersonEntity, "max-bokayev", false); err != nil {
		t.Fatal(err)
	}
	check("after the person was restored")
}

// checkFilteredCounts compares, under filters of status, role and place built from the
// values people have, the people index's total and its status, role and place counts with
// a count of the live people themselves: those come from counts per combination kept by
// the facet trigger (migration 0038).
func checkFilteredCounts(t *testing.T, db *postgres.DB, url, when string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	cols := map[string]string{"status": "current_status", "role": "role", "place": "place"}
	// count counts the live people passing f, by the values of column.
	count := func(f tracker.Filter, column string) (map[string]int, int) {
		t.Helper()
		status := f.Status
		if status == tracker.NoStatus {
			status = ""
		}
		rows, _ := conn.Query(ctx, `SELECT `+column+`, count(*) FROM people WHERE retired_at IS NULL
			AND ($1 = '' OR current_status = $2) AND ($3 = '' OR role = $3) AND ($4 = '' OR place = $4) GROUP BY 1`, f.Status, status, f.Role, f.Place)
		got, total := map[string]int{}, 0
		var v string
		var n int
		if _, err := pgx.ForEachRow(rows, []any{&v, &n}, func() error {
			total += n
			if v == "" && column == "current_status" {
				v = tracker.NoStatus
			}
			if v != "" {
				got[v] = n
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		return got, total
	}
	var filters []tracker.Filter
	rows, _ := conn.Query(ctx, `SELECT DISTINCT current_status, role, place FROM people`)
	var s, r, p string
	if _, err := pgx.ForEachRow(rows, []any{&s, &r, &p}, func() error {
		if s == "" {
			s = tracker.NoStatus
		}
		filters = append(filters, tracker.Filter{Status: s}, tracker.Filter{Role: r}, tracker.Filter{Place: p},
			tracker.Filter{Role: r, Place: p}, tracker.Filter{Status: s, Place: p}, tracker.Filter{Status: s, Role: r, Place: p},
			tracker.Filter{Status: s, Role: "no such role"})
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for _, f := range filters {
		_, total, facets, err := db.FilteredSummaries(ctx, tracker.PersonEntity, f, tracker.Page{Number: 1, Size: 10})
		if err != nil {
			t.Fatalf("%s: %+v: %v", when, f, err)
		}
		if _, want := count(f, "role"); total != want {
			t.Errorf("%s: %+v: total %d, records %d", when, f, total, want)
		}
		for _, fc := range facets {
			col, ok := cols[fc.Param]
			if !ok {
				continue
			}
			want, _ := count(f.With(fc.Param, ""), col)
			got := map[string]int{}
			for _, v := range fc.Values {
				if v.Count > 0 {
					got[v.Value] = v.Count
				}
			}
			if !sameCounts(got, want) {
				t.Errorf("%s: %+v: %s counts %v, records say %v", when, f, fc.Param, got, want)
			}
		}
	}
	if len(filters) < 20 {
		t.Fatalf("%s: only %d filters to check", when, len(filters))
	}
}
