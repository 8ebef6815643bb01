package server_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// watchedWorld is two servers on one seeded database, each with its own pool and version
// watcher, as two app servers behind a load balancer; an editor's API token for writes.
type watchedWorld struct {
	url         string
	dbA, dbB    *postgres.DB
	a, b        *httptest.Server
	editorToken string
	quietLogger *slog.Logger
}

func newWatchedWorld(t *testing.T) *watchedWorld {
	t.Helper()
	dbA, dbURL := postgrestest.OpenSeeded(t)
	dbB, err := postgres.Open(context.Background(), dbURL, postgres.Config{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(dbB.Close)
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := dbA.CreateUser(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", tracker.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	w := &watchedWorld{url: dbURL, dbA: dbA, dbB: dbB, editorToken: "notify-editor-0123456789abcdefghijklmnop",
		quietLogger: slog.New(slog.NewTextHandler(io.Discard, nil))}
	if err := dbA.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "notify", w.editorToken); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	for _, db := range []*postgres.DB{dbA, dbB} {
		db.WatchVersion(nil)
		if _, err := db.WaitVersion(ctx, 0); err != nil {
			t.Fatalf("the watcher did not start: %v", err)
		}
	}
	opts := server.Options{PageCacheBytes: 1 << 20, TestEndpoints: true}
	w.a = httptest.NewServer(server.New(dbA, w.quietLogger, opts))
	w.b = httptest.NewServer(server.New(dbB, w.quietLogger, opts))
	t.Cleanup(w.a.Close)
	t.Cleanup(w.b.Close)
	return w
}

// editNotes sets Max Bokayev's public notes through server srv's API, as an editor.
func (w *watchedWorld) editNotes(t *testing.T, srv *httptest.Server, notes string) {
	t.Helper()
	version := postgrestest.Count(t, w.url, `SELECT version FROM people WHERE slug = 'max-bokayev'`)
	code, out := apiDo(t, http.MethodPut, srv.URL+"/api/v1/people/max-bokayev", w.editorToken,
		fmt.Sprintf(`{"version": %d, "name": "Max Bokayev", "role": "activist", "notes": %q}`, version, notes))
	if code != http.StatusOK {
		t.Fatalf("edit through the API: %d %v", code, out)
	}
}

// waitForPage asks srv for path, as a visitor, until the page holds want, and returns how
// long that took and the answer that held it. The bound is generous: the machine is shared.
func waitForPage(t *testing.T, srv *httptest.Server, path, want string) (time.Duration, *http.Response) {
	t.Helper()
	start := time.Now()
	for {
		resp, body := get(t, srv, path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d while waiting for a change", path, resp.StatusCode)
		}
		if strings.Contains(body, want) {
			return time.Since(start), resp
		}
		if time.Since(start) > 20*time.Second {
			t.Fatalf("GET %s: %q not there after %s", path, want, time.Since(start))
		}
		time.Sleep(time.Millisecond)
	}
}

// TestCachedHitMakesNoRoundTrip: with the version watcher, a page served from the cache
// takes no connection from the pool; without it, each hit still asks for the version.
func TestCachedHitMakesNoRoundTrip(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	acquires := func(db *postgres.DB) int64 { return db.PoolStats()[0].Acquires }
	for _, path := range []string{"/people/max-bokayev", "/people", "/api/v1/people/max-bokayev"} {
		if resp, _ := get(t, w.a, path); resp.Header.Get("X-Cache") != "miss" {
			t.Fatalf("GET %s first: X-Cache %q", path, resp.Header.Get("X-Cache"))
		}
		before := acquires(w.dbA)
		for range 5 {
			if resp, _ := get(t, w.a, path); resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "hit" {
				t.Fatalf("GET %s again: %d, X-Cache %q", path, resp.StatusCode, resp.Header.Get("X-Cache"))
			}
		}
		if n := acquires(w.dbA) - before; n != 0 {
			t.Errorf("GET %s five cached hits took %d connections from the pool, want 0", path, n)
		}
	}

	// The same count sees the round trip a server without a watcher makes on each hit.
	dbC, err := postgres.Open(context.Background(), w.url, postgres.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer dbC.Close()
	c := httptest.NewServer(server.New(dbC, w.quietLogger, server.Options{PageCacheBytes: 1 << 20, TestEndpoints: true}))
	defer c.Close()
	get(t, c, "/people/max-bokayev")
	before := acquires(dbC)
	if resp, _ := get(t, c, "/people/max-bokayev"); resp.Header.Get("X-Cache") != "hit" || acquires(dbC) == before {
		t.Errorf("without a watcher: X-Cache %q, %d connections taken (want a hit that asks the database)", resp.Header.Get("X-Cache"), acquires(dbC)-before)
	}
}

// TestWriteOnOneServerIsSeenByTheOther: a write through server A reaches the page B has
// cached, B being told nothing but what its watcher hears; the delay is measured.
func TestWriteOnOneServerIsSeenByTheOther(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	const path = "/people/max-bokayev"
	var delays []time.Duration
	for i := range 5 {
		get(t, w.b, path)
		if resp, _ := get(t, w.b, path); resp.Header.Get("X-Cache") != "hit" {
			t.Fatalf("B's page is not cached before write %d: X-Cache %q", i, resp.Header.Get("X-Cache"))
		}
		notes := fmt.Sprintf("Released, write %d.", i)
		w.editNotes(t, w.a, notes)
		d, resp := waitForPage(t, w.b, path, notes)
		if resp.Header.Get("X-Cache") != "miss" {
			t.Errorf("B's first page with write %d: X-Cache %q, want a fresh render", i, resp.Header.Get("X-Cache"))
		}
		delays = append(delays, d)
	}
	slices.Sort(delays)
	t.Logf("write through A → seen on B's cached page: p50 %s, max %s over %d writes", delays[len(delays)/2], delays[len(delays)-1], len(delays))
}

// TestWatcherConnectionCut: B's watcher connection is killed while a write happens; B
// answers throughout, shows the write, and never the old page after it has shown the new.
func TestWatcherConnectionCut(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	const path = "/people/max-bokayev"
	get(t, w.b, path)
	if resp, _ := get(t, w.b, path); resp.Header.Get("X-Cache") != "hit" {
		t.Fatalf("B's page is not cached: X-Cache %q", resp.Header.Get("X-Cache"))
	}
	// Both watchers share an application name; cut them all (A's too: the write goes
	// through A, which must not need its watcher to write).
	cut := postgrestest.Count(t, w.url, `SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity
		WHERE datname = current_database() AND application_name = $1) x`, postgres.WatcherApplicationName)
	if cut != 2 {
		t.Fatalf("cut %d watcher connections, want 2", cut)
	}
	w.editNotes(t, w.a, "Released while the watchers were away.")
	d, _ := waitForPage(t, w.b, path, "Released while the watchers were away.")
	for i := range 20 {
		resp, body := get(t, w.b, path)
		if resp.StatusCode != 200 || !strings.Contains(body, "Released while the watchers were away.") {
			t.Fatalf("request %d after B showed the write: %d, the write shown %v", i, resp.StatusCode, strings.Contains(body, "Released while the watchers were away."))
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	v, err := w.dbA.DataVersion(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.dbB.WaitVersion(ctx, v); err != nil {
		t.Fatalf("B's watcher did not come back with version %d: %v", v, err)
	}
	if resp, _ := get(t, w.b, path); resp.Header.Get("X-Cache") != "hit" {
		t.Errorf("B after its watcher came back: X-Cache %q, want hits again", resp.Header.Get("X-Cache"))
	}
	fams, _ := scrape(t, w.b.URL+"/metrics")
	if got := sample(fams, "whereas_version_watcher_up", nil); got != 1 {
		t.Errorf("B's whereas_version_watcher_up = %v once its watcher is back, want 1", got)
	}
	if got := sample(fams, "whereas_data_version", nil); got != float64(v) {
		t.Errorf("B's whereas_data_version = %v, want %d (the write made through A)", got, v)
	}
	t.Logf("B showed the write %s after it was made", d)
}

// TestConditionalGet: If-None-Match with the page's ETag (alone, in a list, weak, or *)
// answers 304 with no body; after a write the old ETag gets 200 and the new page.
func TestConditionalGet(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	const path = "/people/max-bokayev"
	first, _ := get(t, w.a, path)
	etag := first.Header.Get("ETag")
	if etag == "" {
		t.Fatal("no ETag")
	}
	conditional := func(inm string) (*http.Response, string) {
		req, _ := http.NewRequest(http.MethodGet, w.a.URL+path, nil)
		req.Header.Set("If-None-Match", inm)
		resp, err := http.DefaultClient.Do(req)
		return answer(t, resp, err)
	}
	for _, inm := range []string{etag, `"0-0", ` + etag, "W/" + etag, "*"} {
		resp, body := conditional(inm)
		if resp.StatusCode != http.StatusNotModified || body != "" || resp.Header.Get("ETag") != etag {
			t.Errorf("If-None-Match %s: %d, body %d bytes, ETag %q; want 304, empty, %q", inm, resp.StatusCode, len(body), resp.Header.Get("ETag"), etag)
		}
	}
	if resp, _ := conditional(`"0-0"`); resp.StatusCode != http.StatusOK {
		t.Errorf("If-None-Match another ETag: %d, want 200", resp.StatusCode)
	}

	w.editNotes(t, w.a, "Released after the ETag was handed out.")
	var resp *http.Response
	var body string
	waitFor := time.Now()
	for {
		resp, body = conditional(etag)
		if resp.StatusCode != http.StatusNotModified || time.Since(waitFor) > 20*time.Second {
			break
		}
		time.Sleep(time.Millisecond)
	}
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Released after the ETag was handed out.") || resp.Header.Get("ETag") == etag {
		t.Errorf("the old ETag after a write: %d, new page %v, ETag %q (was %q)", resp.StatusCode, strings.Contains(body, "Released after"), resp.Header.Get("ETag"), etag)
	}
}

// TestCachedPagesGzipped: a client that accepts gzip gets the cached page compressed, the
// same bytes once decompressed, under an ETag of its own that answers 304 to it alone;
// a client that does not gets the page as it is.
func TestCachedPagesGzipped(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	fetch := func(path string, header ...string) (*http.Response, []byte) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, w.a.URL+path, nil)
		for i := 0; i < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		// Setting Accept-Encoding ourselves stops the client from decompressing for us.
		if req.Header.Get("Accept-Encoding") == "" {
			req.Header.Set("Accept-Encoding", "identity")
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, err := io.ReadAll(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body
	}
	for _, path := range []string{"/people/max-bokayev", "/resolutions/2019-2610-rsp", "/api/v1/people/max-bokayev"} {
		for _, round := range []string{"first", "again"} {
			plain, plainBody := fetch(path)
			zipped, zippedBody := fetch(path, "Accept-Encoding", "gzip, deflate, br, zstd")
			if plain.StatusCode != 200 || zipped.StatusCode != 200 {
				t.Fatalf("%s (%s): %d, %d", path, round, plain.StatusCode, zipped.StatusCode)
			}
			if plain.Header.Get("Content-Encoding") != "" || zipped.Header.Get("Content-Encoding") != "gzip" {
				t.Errorf("%s (%s): Content-Encoding %q and %q, want none and gzip", path, round, plain.Header.Get("Content-Encoding"), zipped.Header.Get("Content-Encoding"))
			}
			zr, err := gzip.NewReader(bytes.NewReader(zippedBody))
			if err != nil {
				t.Fatalf("%s (%s): not gzip: %v", path, round, err)
			}
			unzipped, err := io.ReadAll(zr)
			if err != nil || !bytes.Equal(unzipped, plainBody) {
				t.Errorf("%s (%s): the gzipped page (%d bytes) is not the plain page (%d bytes) compressed: %v", path, round, len(zippedBody), len(plainBody), err)
			}
			if len(zippedBody) > len(plainBody)/2 || zipped.ContentLength != int64(len(zippedBody)) {
				t.Errorf("%s (%s): gzipped %d bytes (Content-Length %d) of %d", path, round, len(zippedBody), zipped.ContentLength, len(plainBody))
			}
			for _, r := range []*http.Response{plain, zipped} {
				if !slices.Contains(r.Header.Values("Vary"), "Accept-Encoding") {
					t.Errorf("%s (%s): Vary %q lacks Accept-Encoding", path, round, r.Header.Values("Vary"))
				}
			}
			plainTag, zippedTag := plain.Header.Get("ETag"), zipped.Header.Get("ETag")
			if plainTag == "" || plainTag == zippedTag {
				t.Errorf("%s (%s): ETags %q and %q, want two", path, round, plainTag, zippedTag)
			}
			if r, _ := fetch(path, "Accept-Encoding", "gzip", "If-None-Match", zippedTag); r.StatusCode != http.StatusNotModified || r.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: the gzipped ETag from a gzip client: %d, Content-Encoding %q; want 304 with none", path, r.StatusCode, r.Header.Get("Content-Encoding"))
			}
			if r, body := fetch(path, "If-None-Match", zippedTag); r.StatusCode != http.StatusOK || !bytes.Equal(body, plainBody) {
				t.Errorf("%s: the gzipped ETag from a client without gzip: %d, want 200 and the plain page", path, r.StatusCode)
			}
			if r, _ := fetch(path, "Accept-Encoding", "gzip;q=0"); r.Header.Get("Content-Encoding") != "" {
				t.Errorf("%s: gzip;q=0 got Content-Encoding %q", path, r.Header.Get("Content-Encoding"))
			}
		}
	}
}

// TestOneRenderPerPage: fifty visitors asking at once for a page the cache lacks cost one
// render, not fifty; the others wait for it and get the same page. The render is held on
// a lock the test takes on the people table, so that all fifty are in before it ends.
func TestOneRenderPerPage(t *testing.T) {
	t.Parallel()
	w := newWatchedWorld(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, w.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	tx, err := conn.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE people IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	const path, visitors = "/people/max-bokayev?from=a-shared-link", 50
	type answer struct {
		status int
		cache  string
		body   string
	}
	answers := make(chan answer, visitors)
	for range visitors {
		go func() {
			resp, err := http.Get(w.a.URL + path)
			if err != nil {
				answers <- answer{}
				return
			}
			defer resp.Body.Close()
			body, _ := io.ReadAll(resp.Body)
			answers <- answer{resp.StatusCode, resp.Header.Get("X-Cache"), string(body)}
		}()
	}
	waiting := func() int {
		return postgrestest.Count(t, w.url, `SELECT count(*) FROM pg_stat_activity
			WHERE datname = current_database() AND wait_event_type = 'Lock' AND pid <> $1`, conn.PgConn().PID())
	}
	postgrestest.WaitFor(t, "a render to wait on the lock", func() bool { return waiting() > 0 })
	time.Sleep(time.Second) // the others arrive meanwhile
	renders := waiting()
	if err := tx.Rollback(ctx); err != nil {
		t.Fatal(err)
	}
	misses := 0
	var first string
	for range visitors {
		a := <-answers
		if a.status != http.StatusOK || !strings.Contains(a.body, "Max Bokayev") {
			t.Fatalf("a visitor got %d", a.status)
		}
		if first == "" {
			first = a.body
		} else if a.body != first {
			t.Error("two visitors got different pages")
		}
		if a.cache == "miss" {
			misses++
		}
	}
	if renders != 1 || misses != 1 {
		t.Errorf("%d visitors at once: %d renders waiting on the database, %d answered as rendered; want 1 and 1", visitors, renders, misses)
	}
}
