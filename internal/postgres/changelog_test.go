package postgres_test

import (
	"context"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestChangeLogPagesEveryEntryOnce walks the seed's change log in both orders and under
// each filter, a few entries a page, and finds every entry exactly once, in order.
func TestChangeLogPagesEveryEntryOnce(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	for _, q := range []tracker.LogQuery{
		{Order: tracker.ByEffective},
		{Order: tracker.ByRecorded},
		{Order: tracker.ByEffective, Person: "max-bokayev"},
		{Order: tracker.ByRecorded, Resolution: "2019-2610-rsp"},
		{Order: tracker.ByEffective, Kind: tracker.LogDemandState},
	} {
		whole, err := db.ChangeLog(ctx, tracker.LogQuery{Order: q.Order, Kind: q.Kind, Person: q.Person, Resolution: q.Resolution, Limit: 1000})
		if err != nil {
			t.Fatalf("%+v: %v", q, err)
		}
		if len(whole.Entries) == 0 || whole.Next != nil {
			t.Fatalf("%+v: %d entries, next %v", q, len(whole.Entries), whole.Next)
		}
		var paged []tracker.LogEntry
		q.Limit = 3
		for pages := 0; ; pages++ {
			p, err := db.ChangeLog(ctx, q)
			if err != nil {
				t.Fatalf("%+v: %v", q, err)
			}
			paged = append(paged, p.Entries...)
			if p.Next == nil {
				break
			}
			q.Before = p.Next
			if pages > 1000 {
				t.Fatal("no end")
			}
		}
		if len(paged) != len(whole.Entries) {
			t.Fatalf("%+v: paged %d entries, whole %d", q, len(paged), len(whole.Entries))
		}
		for i := range paged {
			if paged[i].Kind != whole.Entries[i].Kind || paged[i].ID != whole.Entries[i].ID {
				t.Fatalf("%+v: entry %d paged %s %d, whole %s %d", q, i, paged[i].Kind, paged[i].ID, whole.Entries[i].Kind, whole.Entries[i].ID)
			}
		}
	}
	if _, err := db.ChangeLog(ctx, tracker.LogQuery{Person: "nobody-at-all"}); tracker.ErrorCode(err) != tracker.ENOTFOUND {
		t.Errorf("unknown person: %v", err)
	}
	if _, name, err := db.LogSubject(ctx, postgres.ResolutionSubject, "2019-2610-rsp"); err != nil || name != "Human rights situation in Kazakhstan" {
		t.Errorf("the seed resolution as a subject: %q, %v", name, err)
	}
}
