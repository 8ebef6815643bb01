package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

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
	f := newFaultWorld(t)
	dbURL := f.dbURL
	srv := f.serve(t, postgres.Config{MaxConns: 16}, server.Options{PageCacheBytes: 1 << 20}, io.Discard)
	db, err := postgres.Open(context.Background(), dbURL, postgres.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)

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
			code, out := apiDo(t, method, srv.URL+path, faultToken, body(version, i))
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

// faultWorld is a seeded database with an editor who has an API token, and the means to
// start servers on it with pools of their own and to act on the database past them.
type faultWorld struct {
	dbURL, name string
	admin       *pgx.Conn
}

const faultToken = "fault-token-0123456789abcdefghijklmnopqrstuv"

func newFaultWorld(t *testing.T) *faultWorld {
	t.Helper()
	seeded, dbURL := postgrestest.OpenSeeded(t)
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	if _, err := seeded.CreateUser(ctx, postgres.Actor{Name: "test"}, "editor@example.org", tracker.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	if err := seeded.CreateAPIToken(ctx, postgres.Actor{Name: "test"}, "editor@example.org", "fault", faultToken); err != nil {
		t.Fatal(err)
	}
	admin, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { admin.Close(context.Background()) })
	u, _ := url.Parse(dbURL)
	return &faultWorld{dbURL: dbURL, name: strings.TrimPrefix(u.Path, "/"), admin: admin}
}

// serve starts a server on a pool of its own, opened now, logging JSON into logs.
func (f *faultWorld) serve(t *testing.T, cfg postgres.Config, opts server.Options, logs io.Writer) *httptest.Server {
	t.Helper()
	db, err := postgres.Open(context.Background(), f.dbURL, cfg)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewJSONHandler(logs, nil)), opts))
	t.Cleanup(srv.Close)
	return srv
}

// logFile is where a server under test logs: a file, which its goroutines may append to
// while the test reads it.
func logFile(t *testing.T) *os.File {
	t.Helper()
	f, err := os.CreateTemp(t.TempDir(), "log")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	return f
}

func readLog(t *testing.T, f *os.File) string {
	t.Helper()
	b, err := os.ReadFile(f.Name())
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func (f *faultWorld) exec(t *testing.T, sql string) {
	t.Helper()
	if _, err := f.admin.Exec(context.Background(), sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

// checkUnavailablePage asserts the styled 503 page, whole and alone, with nothing internal.
func checkUnavailablePage(t *testing.T, what string, resp *http.Response, body string) {
	t.Helper()
	if resp.StatusCode != 503 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || resp.Header.Get("Retry-After") == "" {
		t.Errorf("%s: %d %q Retry-After %q, want the 503 page\n%s", what, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), body)
	}
	if !strings.Contains(body, "<h1>Temporarily unavailable</h1>") || !strings.Contains(body, `data-testid="request-id"`) ||
		!strings.Contains(body, `rel="stylesheet"`) || strings.Count(body, "<html") != 1 {
		t.Errorf("%s: not the styled error page alone:\n%s", what, body)
	}
	checkNothingInternal(t, what, body)
}

// checkUnavailableJSON asserts a JSON 503 with a message and a request id.
func checkUnavailableJSON(t *testing.T, what string, resp *http.Response, body string) {
	t.Helper()
	var out struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	if resp.StatusCode != 503 || resp.Header.Get("Content-Type") != "application/json" || resp.Header.Get("Retry-After") == "" ||
		json.Unmarshal([]byte(body), &out) != nil || out.Error == "" || out.RequestID == "" {
		t.Errorf("%s: %d %q Retry-After %q, want a JSON 503\n%s", what, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Retry-After"), body)
	}
	checkNothingInternal(t, what, body)
}

func checkNothingInternal(t *testing.T, what, body string) {
	t.Helper()
	for _, leak := range []string{"SQLSTATE", "statement timeout", "canceling", "read-only transaction", "pgx", "session:", "Internal Server Error"} {
		if strings.Contains(body, leak) {
			t.Errorf("%s shows %q:\n%s", what, leak, body)
		}
	}
}

func send(t *testing.T, c *http.Client, method, u, contentType, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	if c == nil {
		c = http.DefaultClient
		req.Header.Set("Authorization", "Bearer "+faultToken)
	}
	resp, err := c.Do(req)
	return answer(t, resp, err)
}

// TestReadOnlyDatabase: with the database made read-only (as an operator does for
// maintenance), writes and anything that must save a session answer 503 (a styled page,
// or JSON for the API) with nothing internal shown, one JSON log line each, reads still
// work, /readyz says not ready, and all of it recovers when the database is writable again.
func TestReadOnlyDatabase(t *testing.T) {
	t.Parallel()
	f := newFaultWorld(t)
	logs := logFile(t)
	writable := f.serve(t, postgres.Config{MaxConns: 4}, server.Options{}, logs)
	editor := browser(t)
	signIn(t, editor, writable, "editor@example.org") // the cookie works on every server of this host
	version := caseVersion(t, editor, writable, "max-bokayev-case")
	entries := postgrestest.Count(t, f.dbURL, `SELECT count(*) FROM status_entries`)

	f.exec(t, `ALTER DATABASE `+f.name+` SET default_transaction_read_only = on`)
	srv := f.serve(t, postgres.Config{MaxConns: 4}, server.Options{}, logs) // new connections: read-only
	statusForm := url.Values{"version": {version}, "status": {"released"}, "effective_on": {"2021-02-08"},
		"note": {"Released."}, "source_url": {"https://example.org/released"}, "supersedes": {"0"}, "proposed_for": {"released"}}
	statusJSON := fmt.Sprintf(`{"version": %s, "status": "released", "effective_on": "2021-02-08", "note": "Released.", "source_url": "https://example.org/released"}`, version)

	t.Run("StaffWriteIsThe503Page", func(t *testing.T) {
		resp, body := post(t, editor, srv.URL+"/cases/max-bokayev-case/statuses", statusForm)
		checkUnavailablePage(t, "status form", resp, body)
	})
	t.Run("SignedInPageIsThe503Page", func(t *testing.T) {
		// The session's idle expiry is saved on every request, and cannot be.
		resp, body := fetchWith(t, editor, srv.URL+"/staff")
		checkUnavailablePage(t, "staff dashboard", resp, body)
	})
	t.Run("SignedInAPIIsJSON503", func(t *testing.T) {
		resp, body := fetchWith(t, editor, srv.URL+"/api/v1/people/max-bokayev")
		checkUnavailableJSON(t, "API read with a session", resp, body)
		resp, body = send(t, editor, "POST", srv.URL+"/api/v1/cases/max-bokayev-case/statuses", "application/json", statusJSON)
		checkUnavailableJSON(t, "API write with a session", resp, body)
	})
	t.Run("TokenWriteIsJSON503", func(t *testing.T) {
		resp, body := send(t, nil, "POST", srv.URL+"/api/v1/cases/max-bokayev-case/statuses", "application/json", statusJSON)
		checkUnavailableJSON(t, "API write with a token", resp, body)
	})
	t.Run("PublicReadsStillWork", func(t *testing.T) {
		if resp, _ := fetchWith(t, browser(t), srv.URL+"/people/max-bokayev"); resp.StatusCode != 200 {
			t.Errorf("public page = %d while read-only", resp.StatusCode)
		}
	})
	t.Run("ReadyzSaysNotReady", func(t *testing.T) {
		for _, s := range []*httptest.Server{srv, writable} { // the older server's pool is still writable: /readyz asks a new connection
			resp, body := fetchWith(t, browser(t), s.URL+"/readyz")
			if resp.StatusCode != 503 || !strings.Contains(body, "read-only") {
				t.Errorf("/readyz = %d %s while read-only", resp.StatusCode, body)
			}
		}
	})
	t.Run("NothingWrittenOneJSONLogLineEach", func(t *testing.T) {
		if n := postgrestest.Count(t, f.dbURL, `SELECT count(*) FROM status_entries`); n != entries {
			t.Errorf("%d status entries, had %d", n, entries)
		}
		failed := 0
		for _, line := range strings.Split(strings.TrimSpace(readLog(t, logs)), "\n") {
			var l struct{ Msg, Err string }
			if err := json.Unmarshal([]byte(line), &l); err != nil {
				t.Errorf("log line not in the configured format (JSON): %s", line)
			}
			if l.Msg == "request failed" {
				failed++
			}
			if strings.Contains(line, `"status":500`) {
				t.Errorf("a 500 was logged: %s", line)
			}
		}
		if failed < 5 {
			t.Errorf("%d failures logged, want one per failed request", failed)
		}
	})

	f.exec(t, `ALTER DATABASE `+f.name+` RESET default_transaction_read_only`)

	t.Run("RecoversWhenWritable", func(t *testing.T) {
		if resp, body := fetchWith(t, browser(t), srv.URL+"/readyz"); resp.StatusCode != 200 {
			t.Errorf("/readyz = %d %s once writable", resp.StatusCode, body)
		}
		// The pool's read-only connections go at the first write they refuse.
		saved := false
		for i := 0; i < 3 && !saved; i++ {
			resp, _ := post(t, editor, srv.URL+"/cases/max-bokayev-case/statuses", statusForm)
			saved = resp.StatusCode == http.StatusSeeOther
		}
		if !saved {
			t.Error("the server still cannot write once the database is writable")
		}
	})
}

// TestStatementTimeout: a statement cut by statement_timeout (here one waiting on a lock)
// is the database being slow, not a fault of the program: 503, page or JSON.
func TestStatementTimeout(t *testing.T) {
	t.Parallel()
	f := newFaultWorld(t)
	srv := f.serve(t, postgres.Config{MaxConns: 4, StatementTimeout: 300 * time.Millisecond}, server.Options{}, io.Discard)
	f.exec(t, `BEGIN`)
	f.exec(t, `LOCK TABLE people IN ACCESS EXCLUSIVE MODE`)
	defer f.exec(t, `ROLLBACK`)

	resp, body := fetchWith(t, browser(t), srv.URL+"/people/max-bokayev")
	checkUnavailablePage(t, "person page", resp, body)
	resp, body = fetchWith(t, browser(t), srv.URL+"/api/v1/people/max-bokayev")
	checkUnavailableJSON(t, "API person", resp, body)
	resp, body = send(t, nil, "PUT", srv.URL+"/api/v1/people/max-bokayev", "application/json", `{"version": 1, "name": "Max Bokayev"}`)
	checkUnavailableJSON(t, "API person edit", resp, body)
}

// TestCommittedWriteAnsweredAsSaved: when the write commits and only the read for the
// answer fails (here it waits on a lock the write does not need, until statement_timeout),
// the answer still says saved, and the entry is there.
func TestCommittedWriteAnsweredAsSaved(t *testing.T) {
	t.Parallel()
	f := newFaultWorld(t)
	srv := f.serve(t, postgres.Config{MaxConns: 4, StatementTimeout: 300 * time.Millisecond}, server.Options{}, io.Discard)
	version := postgrestest.Count(t, f.dbURL, `SELECT version FROM cases WHERE slug = 'max-bokayev-case'`)
	f.exec(t, `BEGIN`)
	f.exec(t, `LOCK TABLE legal_provisions IN ACCESS EXCLUSIVE MODE`) // the case's answer lists its laws
	resp, body := send(t, nil, "POST", srv.URL+"/api/v1/cases/max-bokayev-case/statuses", "application/json",
		fmt.Sprintf(`{"version": %d, "status": "released", "effective_on": "2021-02-08", "note": "Saved whatever the answer.", "source_url": "https://example.org/saved"}`, version))
	f.exec(t, `ROLLBACK`)
	var out map[string]any
	if err := json.Unmarshal([]byte(body), &out); err != nil || resp.StatusCode != 201 || out["id"] == nil {
		t.Errorf("committed write answered %d %s", resp.StatusCode, body)
	}
	if n := postgrestest.Count(t, f.dbURL, `SELECT count(*) FROM status_entries WHERE note = 'Saved whatever the answer.'`); n != 1 {
		t.Errorf("%d entries saved", n)
	}
}

// TestErrorPageAfterTheDeadline: a request that used up its time still gets the styled
// error page, not a plain-text fallback.
func TestErrorPageAfterTheDeadline(t *testing.T) {
	t.Parallel()
	f := newFaultWorld(t)
	logs := logFile(t)
	srv := f.serve(t, postgres.Config{MaxConns: 4}, server.Options{RequestTimeout: 200 * time.Millisecond, TestEndpoints: true}, logs)
	resp, body := fetchWith(t, browser(t), srv.URL+"/_test/sleep?ms=3000")
	checkUnavailablePage(t, "timed-out request", resp, body)
	if l := readLog(t, logs); strings.Contains(l, "render error page") {
		t.Errorf("the error page failed to render:\n%s", l)
	}
}

// TestClientThatLeavesIsNoFailure: a visitor who closes the tab while the page waits on the
// database is no server failure: no error line (which would page an operator), and the
// request line says 499.
func TestClientThatLeavesIsNoFailure(t *testing.T) {
	t.Parallel()
	f := newFaultWorld(t)
	logs := logFile(t)
	srv := f.serve(t, postgres.Config{MaxConns: 4}, server.Options{}, logs)
	f.exec(t, `BEGIN`)
	f.exec(t, `LOCK TABLE people IN ACCESS EXCLUSIVE MODE`)
	defer f.exec(t, `ROLLBACK`)

	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/people/max-bokayev", nil)
	if resp, err := http.DefaultClient.Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("the page answered %d while its table was locked", resp.StatusCode)
	}
	var l string
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		if l = readLog(t, logs); strings.Contains(l, `"path":"/people/max-bokayev","status"`) {
			break
		}
	}
	if !strings.Contains(l, `"path":"/people/max-bokayev","status":499`) {
		t.Errorf("want the request logged with status 499:\n%s", l)
	}
	if strings.Contains(l, `"level":"ERROR"`) {
		t.Errorf("a client that left was logged as an error:\n%s", l)
	}
}
