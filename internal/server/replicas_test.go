package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// TestReadReplicas serves the site with a real streaming replica of its database:
// anonymous pages come from the replica; staff sign in and write on the primary; the
// author sees the write at once, signed in or not, and so does the public on pages filed
// under the data version (the cache never files an older page under the new version);
// what the public reads from the replica shows the write once the replica has replayed
// it; a stopped replica leaves the pages to the primary.
func TestReadReplicas(t *testing.T) {
	replica := postgrestest.StartReplica(t)
	seeded, dbURL := postgrestest.OpenSeeded(t)
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := seeded.CreateUser(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", tracker.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(context.Background(), dbURL, postgres.Config{MaxConns: 4,
		ReplicaURLs: []string{replica.URL(dbURL)}, ReplicaMaxLag: time.Minute, ReplicaPoll: 50 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PageCacheBytes: 1 << 20, TestEndpoints: true}))
	t.Cleanup(srv.Close)
	status := func() postgres.ReplicaStatus { return db.Replicas()[0] }
	postgrestest.WaitFor(t, "the replica to be usable", func() bool { return status().Usable })
	fromReplica := "replica " + status().Name
	replicaMetric := func(name string) float64 {
		fams, _ := scrape(t, srv.URL+"/metrics")
		return sample(fams, name, map[string]string{"replica": status().Name})
	}
	if up, usable, lag := replicaMetric("whereas_replica_up"), replicaMetric("whereas_replica_usable"), replicaMetric("whereas_replica_lag_seconds"); up != 1 || usable != 1 || lag < 0 || lag > 60 {
		t.Errorf("metrics of a usable replica: up %v, usable %v, lag %v s", up, usable, lag)
	}

	// read fetches path with c and says which server answered its reads.
	read := func(c *http.Client, path string) (string, string) {
		t.Helper()
		resp, body := fetchWith(t, c, srv.URL+path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, body)
		}
		return body, resp.Header.Get("X-Whereas-Read-From")
	}
	public := browser(t)
	// A page is filed under the data version read from the primary, and rendered from a
	// replica once the monitor has seen it replay where the primary was at that read: from
	// the next poll on. Each try asks for a new address, so that it is a cache miss.
	tries := 0
	for _, path := range []string{"/people/max-bokayev?", "/api/v1/people/max-bokayev?", "/people/max-bokayev/dossier.json?", "/search?q=bokayev&"} {
		postgrestest.WaitFor(t, "anonymous GET "+path+" to read from the replica", func() bool {
			tries++
			_, from := read(public, path+"try="+strconv.Itoa(tries))
			return from == fromReplica
		})
	}
	t.Logf("%d requests until the four kinds of anonymous reads had each come from the replica", tries)

	replica.PauseReplay()
	editor := browser(t)
	signIn(t, editor, srv, "editor@example.org")
	form := editPersonForm(t, editor, srv, "max-bokayev")
	form.Set("place", "Atyrau (moved, per the test)")
	resp, body := post(t, editor, srv.URL+"/people/max-bokayev/edit", form)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit with the replica paused: %d\n%s", resp.StatusCode, body)
	}
	const moved = "moved, per the test"
	if page, from := read(editor, "/people/max-bokayev"); !strings.Contains(page, moved) || from != "primary" {
		t.Errorf("the author's own page (from %q) lacks the change", from)
	}
	if r, _ := post(t, editor, srv.URL+"/sign-out", nil); r.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign out: %d", r.StatusCode)
	}
	if dossier, from := read(editor, "/people/max-bokayev/dossier.json"); !strings.Contains(dossier, moved) || from != "primary" {
		t.Errorf("the author, signed out, read from %q a dossier without the change", from)
	}
	if dossier, from := read(public, "/people/max-bokayev/dossier.json"); strings.Contains(dossier, moved) || from != fromReplica {
		t.Errorf("the public read the dossier from %q (change shown: %v), want the paused replica's older data", from, strings.Contains(dossier, moved))
	}
	if page, from := read(public, "/people/max-bokayev"); !strings.Contains(page, moved) || from != "primary" {
		t.Errorf("the public person page, filed under the new data version, came from %q without the change", from)
	}

	replica.ResumeReplay()
	postgrestest.WaitFor(t, "the replica to replay the edit", func() bool {
		dossier, from := read(public, "/people/max-bokayev/dossier.json")
		return strings.Contains(dossier, moved) && from == fromReplica
	})
	// The author's last write (signing out ends a session: a write too) is replayed.
	var written postgres.LSN
	for _, c := range editor.Jar.Cookies(mustURL(t, srv.URL)) {
		if c.Name == "whereas_wal" {
			written, _ = postgres.ParseLSN(c.Value)
		}
	}
	if written == 0 {
		t.Fatal("the author's client holds no whereas_wal cookie after writing")
	}
	postgrestest.WaitFor(t, "the replica to replay the author's last write", func() bool { return status().Replayed >= written })
	if dossier, from := read(editor, "/people/max-bokayev/dossier.json"); !strings.Contains(dossier, moved) || from != fromReplica {
		t.Errorf("once replayed, the author read from %q (change shown: %v), want the replica", from, strings.Contains(dossier, moved))
	}

	replica.Stop()
	postgrestest.WaitFor(t, "the monitor to see the replica down", func() bool { return !status().Up })
	if up, usable, lag := replicaMetric("whereas_replica_up"), replicaMetric("whereas_replica_usable"), replicaMetric("whereas_replica_lag_seconds"); up != 0 || usable != 0 || lag != -1 {
		t.Errorf("metrics of a stopped replica: up %v, usable %v, lag %v (want 0, 0, and no lag series: it is unknown)", up, usable, lag)
	}
	for _, path := range []string{"/people/max-bokayev?after=stop", "/people/max-bokayev/dossier.json", "/api/v1/search?q=bokayev"} {
		if _, from := read(public, path); from != "primary" {
			t.Errorf("with the replica stopped, GET %s read from %q", path, from)
		}
	}
}

func mustURL(t *testing.T, raw string) *url.URL {
	t.Helper()
	u, err := url.Parse(raw)
	if err != nil {
		t.Fatal(err)
	}
	return u
}
