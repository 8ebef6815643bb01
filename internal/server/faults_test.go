package server_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// TestConcurrentStatusEntriesAndPersonEdits sends status entries for a person's case and
// edits of that person at once, through the API of a real server on PostgreSQL: the two
// used to take the data_version row and the person's row in opposite orders and deadlock
// (a 500 each). Every answer must be a success or a conflict (someone saved first), and
// every write answered as saved must be in the database, with its audit entry.
func TestConcurrentStatusEntriesAndPersonEdits(t *testing.T) {
	t.Parallel()
	seeded, dbURL := postgrestest.OpenSeeded(t)
	db, err := postgres.Open(context.Background(), dbURL, postgres.Config{MaxConns: 16})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeded.CreateUser(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", tracker.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	const token = "load-token-0123456789abcdefghijklmnopqrstuv"
	if err := seeded.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "load", token); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PageCacheBytes: 1 << 20}))
	t.Cleanup(srv.Close)

	const workers, writesEach = 6, 12
	c, err := db.Case(context.Background(), "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	p, err := db.Person(context.Background(), "max-bokayev")
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	saved := map[string]int{} // "status" and "edit" answers that said saved
	unexpected := []string{}
	// write sends one kind of write writesEach times, starting from version and following
	// the version each answer gives (201/200 the new one, 409 the current one).
	write := func(kind, method, path string, version int, body func(version, i int) string) {
		for i := 0; i < writesEach; i++ {
			code, out := apiDo(t, method, srv.URL+path, token, body(version, i))
			mu.Lock()
			switch code {
			case 200, 201:
				saved[kind]++
				version = int(out["version"].(float64))
			case 409:
				version = int(out["current_version"].(float64))
			default:
				unexpected = append(unexpected, fmt.Sprintf("%s %d: %v", kind, code, out))
			}
			mu.Unlock()
		}
	}
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Add(2)
		go func() {
			defer wg.Done()
			write("status", "POST", "/api/v1/cases/max-bokayev-case/statuses", c.Case.Version, func(v, i int) string {
				return fmt.Sprintf(`{"version": %d, "status": "imprisoned", "effective_on": "2019-08-20", "note": "load %d-%d", "source_url": "https://example.org/load"}`, v, w, i)
			})
		}()
		go func() {
			defer wg.Done()
			write("edit", "PUT", "/api/v1/people/max-bokayev", p.Person.Version, func(v, i int) string {
				return fmt.Sprintf(`{"version": %d, "name": "Max Bokayev", "role": "activist", "notes": "edit %d-%d", "internal_notes": "internal %d-%d"}`, v, w, i, w, i)
			})
		}()
	}
	wg.Wait()
	for _, u := range unexpected {
		t.Error(u)
	}
	if saved["status"] == 0 || saved["edit"] == 0 {
		t.Fatalf("nothing was saved: %v", saved)
	}
	if n := postgrestest.Count(t, dbURL, `SELECT count(*) FROM status_entries WHERE note LIKE 'load %'`); n != saved["status"] {
		t.Errorf("%d status entries answered as saved, %d in the database", saved["status"], n)
	}
	if n := postgrestest.Count(t, dbURL, `SELECT count(*) FROM audit_log WHERE action = 'add status' AND entity_slug = 'max-bokayev-case'`); n != saved["status"] {
		t.Errorf("%d status entries answered as saved, %d audited", saved["status"], n)
	}
	if n := postgrestest.Count(t, dbURL, `SELECT version FROM people WHERE slug = 'max-bokayev'`); n != p.Person.Version+saved["edit"] {
		t.Errorf("%d person edits answered as saved, the version moved by %d", saved["edit"], n-p.Person.Version)
	}
	if n := postgrestest.Count(t, dbURL, `SELECT count(*) FROM audit_log WHERE action = 'edit' AND entity_slug = 'max-bokayev'`); n != saved["edit"] {
		t.Errorf("%d person edits answered as saved, %d audited", saved["edit"], n)
	}
	t.Logf("saved %v in %d attempts each", saved, workers*writesEach)
}
