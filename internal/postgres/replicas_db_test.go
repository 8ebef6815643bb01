package postgres_test

import (
	"context"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// TestTokenUsesWrittenInBatches checks that a token check writes nothing (so it would work
// on any server), that the account's token list shows the use at once, and that a flush
// writes it to the database.
func TestTokenUsesWrittenInBatches(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.Open(t)
	ctx := context.Background()
	if _, err := db.CreateUser(ctx, postgres.Actor{Name: "test"}, "ed@example.org", tracker.RoleEditor, "x"); err != nil {
		t.Fatal(err)
	}
	if err := db.CreateAPIToken(ctx, postgres.Actor{Name: "test"}, "ed@example.org", "script", "tok-1"); err != nil {
		t.Fatal(err)
	}
	unwritten := func() int {
		return postgrestest.Count(t, dbURL, `SELECT count(*) FROM api_tokens WHERE last_used_at IS NULL`)
	}
	if _, err := db.UserForToken(ctx, "tok-1"); err != nil {
		t.Fatal(err)
	}
	if unwritten() != 1 {
		t.Error("a token check wrote last_used_at")
	}
	list, err := db.APITokens(ctx, 0)
	if err != nil || len(list) != 1 || list[0].LastUsedAt == nil {
		t.Fatalf("token list before the flush = %+v, %v", list, err)
	}
	if err := db.FlushTokenUses(ctx); err != nil {
		t.Fatal(err)
	}
	if n := postgrestest.Count(t, dbURL, `SELECT count(*) FROM api_tokens WHERE last_used_at = $1`, *list[0].LastUsedAt); n != 1 {
		t.Errorf("after the flush no token has last_used_at = %v", list[0].LastUsedAt)
	}
}

// TestReadReplica runs reads against a real streaming replica of the test cluster: reads
// marked for a replica go to it while it has replayed what they need and lags at most the
// maximum, and to the primary otherwise (a write not yet replayed, replay paused past the
// maximum lag, the replica stopped), never failing.
func TestReadReplica(t *testing.T) {
	replica := postgrestest.StartReplica(t)
	_, dbURL := postgrestest.OpenSeeded(t)
	const maxLag = 500 * time.Millisecond
	db, err := postgres.Open(context.Background(), dbURL, postgres.Config{MaxConns: 4,
		ReplicaURLs: []string{replica.URL(dbURL)}, ReplicaMaxLag: maxLag, ReplicaPoll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	status := func() postgres.ReplicaStatus { return db.Replicas()[0] }
	usable := func() bool { return status().Usable }
	postgrestest.WaitFor(t, "the replica to be usable", usable)
	ctx := context.Background()
	// name reads a person's name as an anonymous page would (after: the client's last
	// write), and says which server answered.
	name := func(after postgres.LSN) (string, string) {
		t.Helper()
		rctx := postgres.ReplicaReads(ctx, after)
		p, err := db.Person(rctx, "max-bokayev")
		if err != nil {
			t.Fatalf("read from %s: %v", postgres.ReadFrom(rctx), err)
		}
		return p.Person.Name, postgres.ReadFrom(rctx)
	}
	if _, from := name(0); from != status().Name {
		t.Fatalf("an anonymous read went to %q, want the replica %q", from, status().Name)
	}
	if _, err := db.Person(ctx, "max-bokayev"); err != nil || postgres.ReadFrom(ctx) != "primary" {
		t.Errorf("an unmarked read: %v from %q, want the primary", err, postgres.ReadFrom(ctx))
	}

	t.Run("IdlePrimaryDoesNotLag", func(t *testing.T) {
		// Nothing is written to this database: however long that lasts, the replica has
		// all of it (lag measured by the time since the last replayed transaction would
		// pass the maximum here, with an idle cluster).
		since := time.Now()
		postgrestest.WaitFor(t, "polls spanning three times the maximum lag", func() bool { return status().Checked.Sub(since) > 3*maxLag })
		if st := status(); !st.Usable || st.Lag > maxLag {
			t.Errorf("after %v with nothing written: %+v", time.Since(since), st)
		}
	})

	t.Run("WriteNotReplayedReadFromPrimary", func(t *testing.T) {
		replica.PauseReplay()
		defer replica.ResumeReplay()
		const renamed = "Max Bokayev (renamed)"
		postgrestest.Exec(t, dbURL, `UPDATE people SET name = $1 WHERE slug = 'max-bokayev'`, renamed)
		written, err := db.WALPosition(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if got, from := name(written); got != renamed || from != "primary" {
			t.Errorf("the writer read %q from %q, want its own write from the primary", got, from)
		}
		if got, from := name(0); got == renamed || from != status().Name {
			t.Errorf("another client read %q from %q, want the replica's older data", got, from)
		}
		postgrestest.WaitFor(t, "the paused replica to lag more than the maximum", func() bool { return !usable() })
		if st := status(); !st.Up || st.Lag <= maxLag {
			t.Errorf("paused replica: %+v, want up and lagging more than %v", st, maxLag)
		}
		if got, from := name(0); got != renamed || from != "primary" {
			t.Errorf("with the replica past the maximum lag, read %q from %q, want the primary", got, from)
		}
		replica.ResumeReplay()
		postgrestest.WaitFor(t, "the replica to catch up", func() bool { return usable() && status().Replayed >= written })
		if got, from := name(written); got != renamed || from != status().Name {
			t.Errorf("after replay the writer read %q from %q, want its write from the replica", got, from)
		}
	})

	t.Run("StoppedReplicaSkipped", func(t *testing.T) {
		replica.Stop()
		postgrestest.WaitFor(t, "the monitor to see the replica down", func() bool { return !status().Up })
		if _, from := name(0); from != "primary" {
			t.Errorf("with the replica down, read from %q", from)
		}
		replica.Start()
		postgrestest.WaitFor(t, "the restarted replica to be usable", usable)
		if _, from := name(0); from != status().Name {
			t.Errorf("with the replica back, read from %q", from)
		}
	})
}
