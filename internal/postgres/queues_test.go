package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// queueCount is one queue's count on the dashboard.
func queueCount(t *testing.T, db *postgres.DB, q tracker.Queue) int {
	t.Helper()
	counts, err := db.QueueCounts(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range counts {
		if c.Name == q {
			return c.Count
		}
	}
	t.Fatalf("no count for %s", q)
	return 0
}

// queueAll reads a whole queue, page by page, checking each page's total against the count.
func queueAll(t *testing.T, db *postgres.DB, q tracker.Queue, pageSize int) []tracker.QueueItem {
	t.Helper()
	count := queueCount(t, db, q)
	var all []tracker.QueueItem
	for n := 1; ; n++ {
		items, total, err := db.QueueItems(context.Background(), q, tracker.Page{Number: n, Size: pageSize})
		if err != nil {
			t.Fatal(err)
		}
		if total != count {
			t.Fatalf("%s: page %d says %d in all, the dashboard %d", q, n, total, count)
		}
		all = append(all, items...)
		if len(items) < pageSize {
			break
		}
	}
	if len(all) != count {
		t.Fatalf("%s: the list holds %d, the count says %d", q, len(all), count)
	}
	return all
}

func TestWorkQueues(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	today := time.Now()

	t.Run("UnassessedDemands", func(t *testing.T) {
		want := postgrestest.Count(t, url, `SELECT count(*) FROM demands d WHERE NOT EXISTS (SELECT 1 FROM demand_state_entries e WHERE e.demand_id = d.id
			AND e.state <> 'unknown' AND NOT EXISTS (SELECT 1 FROM demand_state_entries s WHERE s.supersedes_id = e.id))`)
		items := queueAll(t, db, tracker.QueueUnassessedDemands, 7)
		if want == 0 || len(items) != want {
			t.Errorf("%d unassessed demands listed, want %d", len(items), want)
		}
		d, _ := db.Demand(ctx, items[0].URL[len("/demands/"):])
		u := tracker.DemandUpdate{DemandSlug: d.Slug, Version: d.Version, State: "met", EffectiveOn: "2019-06-01", SourceURL: "https://example.org/met"}
		on, errs := u.Validate(today)
		if errs.Any() {
			t.Fatal(errs)
		}
		if _, err := db.AppendDemandState(ctx, postgres.Actor{Name: "editor@example.org"}, u, on); err != nil {
			t.Fatal(err)
		}
		if n := queueCount(t, db, tracker.QueueUnassessedDemands); n != want-1 {
			t.Errorf("after assessing one: %d, want %d", n, want-1)
		}
	})

	t.Run("PeopleWithoutCaseAndCasesWithoutStatus", func(t *testing.T) {
		people := queueAll(t, db, tracker.QueuePeopleWithoutCase, 3)
		want := postgrestest.Count(t, url, `SELECT count(*) FROM people p WHERE NOT EXISTS (SELECT 1 FROM case_people cp WHERE cp.person_id = p.id)`)
		if len(people) != want {
			t.Errorf("people with no case: %d, want %d", len(people), want)
		}
		exec(t, url, `INSERT INTO people (slug, name) VALUES ('new-person', 'New Person')`)
		exec(t, url, `INSERT INTO cases (slug, title) VALUES ('new-case', 'New case')`)
		found := false
		for _, it := range queueAll(t, db, tracker.QueuePeopleWithoutCase, 3) {
			found = found || it.URL == "/people/new-person"
		}
		cases := queueAll(t, db, tracker.QueueCasesWithoutStatus, 2)
		if !found || len(cases) != 1 || cases[0].URL != "/cases/new-case" || cases[0].Title != "New case" {
			t.Errorf("new person listed %v; cases with no status %+v", found, cases)
		}
	})

	t.Run("UnsourcedEntries", func(t *testing.T) {
		before := queueCount(t, db, tracker.QueueUnsourcedEntries)
		exec(t, url, `INSERT INTO status_entries (case_id, status, effective_on, recorded_by_name) SELECT id, 'released', '2020-01-02', 'test' FROM cases WHERE slug = 'max-bokayev-case'`)
		items := queueAll(t, db, tracker.QueueUnsourcedEntries, 5)
		if len(items) != before+1 || items[0].Title != "Max Bokayev — criminal case" || items[0].Detail != "Released" || items[0].On.Format(time.DateOnly) != "2020-01-02" {
			t.Errorf("unsourced entries %+v (before %d)", items, before)
		}
	})

	t.Run("OpenImports", func(t *testing.T) {
		exec(t, url, `INSERT INTO import_drafts (procedure, title, adopted_on, source_text, created_by_name) VALUES
			('2022/2502(RSP)', 'Kazakhstan', '2022-01-20', 'text', 'admin@example.org'),
			('2023/2000(RSP)', 'Published', '2023-01-20', 'text', 'admin@example.org')`)
		exec(t, url, `UPDATE import_drafts SET state = 'discarded' WHERE procedure = '2023/2000(RSP)'`)
		items := queueAll(t, db, tracker.QueueOpenImports, 10)
		if len(items) != 1 || items[0].Title != "2022/2502(RSP) Kazakhstan" {
			t.Errorf("open imports %+v", items)
		}
	})

	t.Run("ComingUp", func(t *testing.T) {
		day := func(n int) string { return today.AddDate(0, 0, n).Format(time.DateOnly) }
		exec(t, url, `UPDATE cases SET next_hearing_on = $1, release_due_on = $2 WHERE slug = 'max-bokayev-case'`, day(3), day(29))
		exec(t, url, `UPDATE cases SET next_hearing_on = $1 WHERE slug = 'talgat-ayan-case'`, day(31))    // beyond the window
		exec(t, url, `UPDATE cases SET release_due_on = $1 WHERE slug = 'vadim-kuramshin-case'`, day(-1)) // past
		items := queueAll(t, db, tracker.QueueComingUp, 1)
		if len(items) != 2 || items[0].Detail != "Next hearing" || items[0].On.Format(time.DateOnly) != day(3) || items[1].Detail != "Release due" ||
			items[1].URL != "/cases/max-bokayev-case" {
			t.Errorf("coming up %+v", items)
		}
	})

	t.Run("UnknownQueueIsNotFound", func(t *testing.T) {
		if _, _, err := db.QueueItems(ctx, "everything", tracker.Page{Number: 1, Size: 10}); tracker.ErrorCode(err) != tracker.ENOTFOUND {
			t.Errorf("err = %v", err)
		}
	})
}

// TestStaleCasesByWhatHappened measures a case's staleness from the latest date something in
// its history happened or was checked, not from when the entries were typed in.
func TestStaleCasesByWhatHappened(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, url := seeded(t)
	stale, _, err := db.StaleCases(ctx, 180, 100)
	if err != nil {
		t.Fatal(err)
	}
	cases := postgrestest.Count(t, url, `SELECT count(*) FROM cases`)
	if len(stale) != cases {
		t.Errorf("%d of %d seed cases stale after 180 days, though every seed fact is from 2019 or before", len(stale), cases)
	}
	exec(t, url, `UPDATE status_entries SET verified_on = current_date - 10 WHERE case_id = (SELECT id FROM cases WHERE slug = 'max-bokayev-case')`)
	stale, _, _ = db.StaleCases(ctx, 180, 100)
	for _, s := range stale {
		if s.Slug == "max-bokayev-case" {
			t.Error("a case checked 10 days ago is listed as not updated in 180 days")
		}
	}
	if len(stale) != cases-1 {
		t.Errorf("%d stale after one was checked, want %d", len(stale), cases-1)
	}
}
