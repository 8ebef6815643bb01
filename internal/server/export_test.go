package server_test

import (
	"archive/zip"
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/synth"
)

// logBuffer collects a server's log lines, safely for concurrent handlers.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

// builds counts the "export built" lines for one export, e.g. "dossiers-public.zip".
func (l *logBuffer) builds(export string) int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return strings.Count(l.b.String(), `"msg":"export built","export":"`+export+`"`)
}

// exportDB is a fresh database with the seed and people synthetic people, on a pool of conns.
func exportDB(t *testing.T, people int, conns int32) (*postgres.DB, string) {
	t.Helper()
	u := postgrestest.NewMigrated(t)
	db, err := postgres.Open(context.Background(), u, postgres.Config{MaxConns: conns})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.ImportDataset(context.Background(), ds); err != nil {
		t.Fatal(err)
	}
	if people > 0 {
		if err := db.LoadSynthetic(context.Background(), synth.Generate(synth.Options{People: people, Seed: 3})); err != nil {
			t.Fatal(err)
		}
	}
	return db, u
}

func exportServer(t *testing.T, db *postgres.DB, opts server.Options, log io.Writer) *httptest.Server {
	t.Helper()
	if log == nil {
		log = io.Discard
	}
	opts.ExportDir = t.TempDir()
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewJSONHandler(log, nil)), opts))
	t.Cleanup(srv.Close)
	return srv
}

// zipEntries opens a zip and counts its PDFs and JSON files, or fails the test.
func zipEntries(t *testing.T, body []byte) (pdfs, jsons int) {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
	if err != nil {
		t.Fatalf("the zip does not open (%d bytes): %v", len(body), err)
	}
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		b, err := io.ReadAll(rc)
		rc.Close()
		if err != nil {
			t.Fatalf("%s: %v", f.Name, err)
		}
		switch {
		case strings.HasSuffix(f.Name, ".pdf") && bytes.HasPrefix(b, []byte("%PDF-")):
			pdfs++
		case strings.HasSuffix(f.Name, ".json") && bytes.Contains(b, []byte(`"content_hash"`)):
			jsons++
		}
	}
	return pdfs, jsons
}

func download(t *testing.T, c *http.Client, u string, header ...string) (*http.Response, []byte) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	if c == nil {
		c = http.DefaultClient
	}
	resp, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("GET %s: reading the body: %v", u, err)
	}
	return resp, b
}

// TestExportsAreWholeOrFail: the zip is never cut by the request time limit and answered
// 200; an export that cannot be built in its own time limit answers an error, not a 200.
func TestExportsAreWholeOrFail(t *testing.T) {
	t.Parallel()
	db, _ := exportDB(t, 60, 4)

	t.Run("RequestTimeoutDoesNotCutTheZip", func(t *testing.T) {
		// Pages must answer in 100 ms; the zip of 71 people takes longer than that.
		srv := exportServer(t, db, server.Options{RequestTimeout: 100 * time.Millisecond}, nil)
		resp, body := download(t, nil, srv.URL+"/dossiers.zip")
		if resp.StatusCode != 200 {
			t.Fatalf("zip = %d", resp.StatusCode)
		}
		if resp.ContentLength != int64(len(body)) {
			t.Errorf("Content-Length %d, body %d bytes", resp.ContentLength, len(body))
		}
		if pdfs, jsons := zipEntries(t, body); pdfs != 71 || jsons != 71 {
			t.Errorf("the zip holds %d PDFs and %d JSON files, want 71 each", pdfs, jsons)
		}
	})

	t.Run("AnExportOverItsTimeLimitIsAnError", func(t *testing.T) {
		srv := exportServer(t, db, server.Options{ExportTimeout: time.Nanosecond}, nil) // over before the build begins
		for _, path := range []string{"/dossiers.zip", "/api/v1/people.csv"} {
			resp, body := download(t, nil, srv.URL+path)
			if resp.StatusCode != http.StatusServiceUnavailable || resp.Header.Get("Retry-After") == "" {
				t.Errorf("%s over its time limit = %d (Retry-After %q), want 503 with Retry-After", path, resp.StatusCode, resp.Header.Get("Retry-After"))
			}
			if bytes.HasPrefix(body, []byte("PK")) || bytes.HasPrefix(body, []byte("slug,")) || !bytes.Contains(body, []byte("took longer than")) {
				t.Errorf("%s over its time limit answered %.200q", path, body)
			}
		}
	})
}

// TestExportsKeptWhileDataUnchanged: the same data gives the same file, built once;
// a change gives a new one, and the old file is gone.
func TestExportsKeptWhileDataUnchanged(t *testing.T) {
	t.Parallel()
	db, u := exportDB(t, 0, 4)
	var log logBuffer
	dir := t.TempDir()
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewJSONHandler(&log, nil)), server.Options{ExportDir: dir}))
	t.Cleanup(srv.Close)

	for _, tc := range []struct{ path, export string }{
		{"/dossiers.zip", "dossiers-public.zip"},
		{"/api/v1/people.csv", "people-public.csv"},
		{"/api/v1/cases.csv", "cases-public.csv"},
	} {
		t.Run(tc.export, func(t *testing.T) {
			r1, b1 := download(t, nil, srv.URL+tc.path)
			r2, b2 := download(t, nil, srv.URL+tc.path)
			if r1.StatusCode != 200 || r2.StatusCode != 200 || !bytes.Equal(b1, b2) || len(b1) == 0 {
				t.Fatalf("two downloads: %d and %d, equal %v", r1.StatusCode, r2.StatusCode, bytes.Equal(b1, b2))
			}
			if n := log.builds(tc.export); n != 1 {
				t.Errorf("built %d times for two downloads of unchanged data, want once", n)
			}
			etag := r1.Header.Get("ETag")
			if etag == "" || r2.Header.Get("ETag") != etag || r1.Header.Get("Cache-Control") != "no-cache" {
				t.Errorf("ETag %q then %q, Cache-Control %q", etag, r2.Header.Get("ETag"), r1.Header.Get("Cache-Control"))
			}
			if r3, b3 := download(t, nil, srv.URL+tc.path, "If-None-Match", etag); r3.StatusCode != http.StatusNotModified || len(b3) != 0 {
				t.Errorf("If-None-Match with the ETag = %d, %d bytes", r3.StatusCode, len(b3))
			}
		})
	}

	t.Run("AChangeBuildsAnew", func(t *testing.T) {
		conn, err := pgx.Connect(context.Background(), u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `UPDATE people SET name = 'Larisa Kharkova-Renamed' WHERE slug = 'larisa-kharkova'`); err != nil {
			t.Fatal(err)
		}
		resp, body := download(t, nil, srv.URL+"/api/v1/people.csv")
		if resp.StatusCode != 200 || !bytes.Contains(body, []byte("Kharkova-Renamed")) || log.builds("people-public.csv") != 2 {
			t.Errorf("after a change: %d, renamed %v, built %d times", resp.StatusCode, bytes.Contains(body, []byte("Kharkova-Renamed")), log.builds("people-public.csv"))
		}
		files, _ := os.ReadDir(dir)
		var names []string
		for _, f := range files {
			names = append(names, f.Name())
		}
		if len(files) != 3 || !strings.Contains(strings.Join(names, " "), "people-public-v") {
			t.Errorf("the export folder holds %v, want the latest file of each of the three exports", names)
		}
	})
}

// smallBuffers makes the server's sockets buffer little, so a client that does not read
// blocks the server's writes after a few kilobytes instead of megabytes.
type smallBuffers struct{ net.Listener }

func (l smallBuffers) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if tc, ok := c.(*net.TCPConn); ok {
		_ = tc.SetWriteBuffer(4096)
	}
	return c, err
}

// stalledClient asks for path, reads the status line, and then reads nothing more.
func stalledClient(t *testing.T, addr, path string) (status string, conn net.Conn) {
	t.Helper()
	d := net.Dialer{Control: func(network, address string, c syscall.RawConn) error {
		return c.Control(func(fd uintptr) { _ = syscall.SetsockoptInt(int(fd), syscall.SOL_SOCKET, syscall.SO_RCVBUF, 4096) })
	}}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	if _, err := io.WriteString(conn, "GET "+path+" HTTP/1.1\r\nHost: whereas.test\r\n\r\n"); err != nil {
		t.Fatal(err)
	}
	line, err := bufio.NewReaderSize(conn, 16).ReadString('\n')
	if err != nil {
		t.Fatal(err)
	}
	return strings.TrimSpace(line), conn
}

// TestExportsHoldNoConnectionForSlowClients: with a pool of two connections, clients that
// ask for the CSVs and the zip and then never read leave every page answering.
func TestExportsHoldNoConnectionForSlowClients(t *testing.T) {
	t.Parallel()
	db, _ := exportDB(t, 1000, 2)
	srv := httptest.NewUnstartedServer(server.New(db, slog.New(slog.NewJSONHandler(io.Discard, nil)),
		server.Options{RequestTimeout: 3 * time.Second, ExportDir: t.TempDir()}))
	srv.Listener = smallBuffers{srv.Listener}
	srv.Start()
	t.Cleanup(srv.Close)
	addr := srv.Listener.Addr().String()

	for _, path := range []string{"/api/v1/people.csv", "/api/v1/people.csv", "/api/v1/cases.csv", "/api/v1/people.csv"} {
		if status, _ := stalledClient(t, addr, path); status != "HTTP/1.1 200 OK" {
			t.Fatalf("%s: %q", path, status)
		}
	}
	for _, path := range []string{"/people", "/people/max-bokayev", "/api/v1/cases", "/resolutions/2019-2610-rsp", "/readyz"} {
		if resp, _ := download(t, nil, srv.URL+path); resp.StatusCode != 200 {
			t.Errorf("%s while four clients stall on exports = %d, want 200", path, resp.StatusCode)
		}
	}
}

// clientFrom is an HTTP client whose connections come from the loopback address ip, so
// that one test can be several clients.
func clientFrom(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}}
	return &http.Client{Transport: &http.Transport{DialContext: d.DialContext}}
}

// TestExportBuildsAreBounded: one build per client, two in all; a request for an export
// being built waits for it instead of building again.
func TestExportBuildsAreBounded(t *testing.T) {
	t.Parallel()
	db, u := exportDB(t, 0, 8)
	var log logBuffer
	srv := exportServer(t, db, server.Options{}, &log)
	ctx := context.Background()

	// Hold every build that reads people until the test lets go.
	lock, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Close(ctx)
	tx, err := lock.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, "LOCK TABLE people IN ACCESS EXCLUSIVE MODE"); err != nil {
		t.Fatal(err)
	}
	waiting := func(n int) {
		t.Helper()
		for i := 0; i < 400; i++ {
			if postgrestest.Count(t, u, `SELECT count(*) FROM pg_locks WHERE NOT granted AND relation = 'people'::regclass`) >= n {
				return
			}
			time.Sleep(25 * time.Millisecond)
		}
		t.Fatalf("fewer than %d builds are waiting on the people table", n)
	}
	type answer struct {
		resp *http.Response
		body []byte
	}
	start := func(c *http.Client, path string) chan answer {
		ch := make(chan answer, 1)
		go func() {
			resp, err := c.Get(srv.URL + path)
			if err != nil {
				ch <- answer{}
				return
			}
			b, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			ch <- answer{resp, b}
		}()
		return ch
	}
	a, b, c, d := clientFrom("127.0.0.1"), clientFrom("127.0.0.2"), clientFrom("127.0.0.3"), clientFrom("127.0.0.4")
	zipA := start(a, "/dossiers.zip")
	waiting(1)
	for _, tc := range []struct {
		name   string
		client *http.Client
		path   string
	}{
		{"ASecondBuildForOneClient", a, "/api/v1/cases.csv"},
	} {
		resp, body := download(t, tc.client, srv.URL+tc.path)
		if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
			t.Errorf("%s: %d (Retry-After %q) %.100q", tc.name, resp.StatusCode, resp.Header.Get("Retry-After"), body)
		}
	}
	csvB := start(b, "/api/v1/people.csv")
	waiting(2)
	if resp, _ := download(t, c, srv.URL+"/api/v1/cases.csv"); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("a third build while two run: %d (Retry-After %q), want 429 with Retry-After", resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	zipD := start(d, "/dossiers.zip") // the zip being built: waits for it
	time.Sleep(100 * time.Millisecond)
	if err := tx.Commit(ctx); err != nil {
		t.Fatal(err)
	}
	ra, rb, rd := <-zipA, <-csvB, <-zipD
	for name, r := range map[string]answer{"zip for A": ra, "CSV for B": rb, "zip for D": rd} {
		if r.resp == nil || r.resp.StatusCode != 200 {
			t.Fatalf("%s: %v", name, r.resp)
		}
	}
	if !bytes.Equal(ra.body, rd.body) || log.builds("dossiers-public.zip") != 1 {
		t.Errorf("A and D got the same zip: %v; built %d times", bytes.Equal(ra.body, rd.body), log.builds("dossiers-public.zip"))
	}
	if pdfs, _ := zipEntries(t, rd.body); pdfs != 11 {
		t.Errorf("the zip holds %d PDFs", pdfs)
	}
	// Now that the builds are done, C may build.
	if resp, _ := download(t, c, srv.URL+"/api/v1/cases.csv"); resp.StatusCode != 200 {
		t.Errorf("cases CSV once the builds are done = %d", resp.StatusCode)
	}
}

// TestCSVCellsAreNeverFormulas: names that a spreadsheet would run as formulas are written
// as text.
func TestCSVCellsAreNeverFormulas(t *testing.T) {
	t.Parallel()
	db, u := exportDB(t, 0, 4)
	srv := exportServer(t, db, server.Options{}, nil)
	names := map[string]string{
		"max-bokayev":       `=HYPERLINK("https://evil.example","click")`,
		"talgat-ayan":       "+1+cmd|' /C calc'!A0",
		"larisa-kharkova":   "-2+3",
		"aset-mataev":       "@SUM(A1:A9)",
		"vadim-kuramshin":   "\tTabbed",
		"nurbek-kushakbaev": "\rReturned",
	}
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	for slug, name := range names {
		if tag, err := conn.Exec(context.Background(), `UPDATE people SET name = $1 WHERE slug = $2`, name, slug); err != nil || tag.RowsAffected() != 1 {
			t.Fatalf("rename %s: %v %v", slug, err, tag)
		}
	}
	resp, body := download(t, nil, srv.URL+"/api/v1/people.csv")
	rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("%d %v", resp.StatusCode, err)
	}
	seen := 0
	for _, r := range rows[1:] {
		want, ok := names[r[0]]
		if !ok {
			if strings.HasPrefix(r[1], "'") {
				t.Errorf("a plain name was changed: %q", r[1])
			}
			continue
		}
		seen++
		if r[1] != "'"+want {
			t.Errorf("%s: name cell %q, want %q", r[0], r[1], "'"+want)
		}
	}
	if seen != len(names) {
		t.Errorf("found %d of the %d renamed people", seen, len(names))
	}
}
