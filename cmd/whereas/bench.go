package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/loadgen"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

const benchHelp = `Usage: whereas bench [-duration 10s] [-conns 64] [-soak 30s] [-soak-conns 256] [-replica-url URL] [-out FILE]

Load-benchmarks Whereas on this machine: starts "whereas serve" on a free loopback port
against DATABASE_URL (prepared by make bench: the seed plus "whereas gen" data), then
measures, at -conns connections, a bare endpoint doing one SELECT 1 through the pool (the
ceiling), /healthz (no database), the person page, the resolution page, the people index
and one API call from the page cache, the person page signed in as staff, and the same
public pages on a second server with the page cache off; with -replica-url, the uncached
pages once more on a third server reading from that streaming replica. Then it holds
-soak-conns connections for -soak and counts errors. It reports requests/s, p50/p95/p99
latency, each page's throughput as a share of the ceiling against its goal, and the
server's peak RSS, and writes them with the date and machine to -out. The load comes from
wrk where it is installed (Debian: apt-get install wrk), else from a Go client.

Environment:
  DATABASE_URL  PostgreSQL URL of the prepared database (required)

Options:
`

// benchRow is one measured page and its goal, as a share of the ceiling (0: no goal).
type benchRow struct {
	name, path string
	goal       float64 // the share of the ceiling's requests/s it should reach, e.g. 1.5 or 0.3
	p99Goal    bool    // also judged on p99 < 20 ms
	headers    []string
	res        loadgen.Result
}

// The goals of issue 16: a cached page served from memory outruns a bare SELECT 1 through the
// pool; an uncached page, which must run its queries, reaches a fixed share of it.
const (
	cachedGoal          = 1.5
	uncachedPersonGoal  = 0.3
	uncachedIndexGoal   = 0.3
	uncachedResolution  = 0.2
	benchStaffEmail     = "bench-staff@example.org"
	benchStaffPassword  = "a long enough benchmark passphrase"
	benchPerson         = "/people/max-bokayev"
	benchResolutionPage = "/resolutions/2019-2610-rsp"
)

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", benchHelp, stdout)
	duration := fs.Duration("duration", 10*time.Second, "measuring time for each page")
	warmup := fs.Duration("warmup", 2*time.Second, "warm-up before each measurement")
	conns := fs.Int("conns", 64, "concurrent connections for the page measurements")
	soak := fs.Duration("soak", 30*time.Second, "length of the error soak")
	soakConns := fs.Int("soak-conns", 256, "concurrent connections for the soak")
	out := fs.String("out", "", "write the report here as Markdown (default: stdout only)")
	replicaURL := fs.String("replica-url", "", "a streaming replica of DATABASE_URL: adds rows of anonymous pages read from it")
	scale := fs.Bool("scale", false, "measure search, filters and the person page on a large database instead")
	seedURL := fs.String("seed-url", "", "with -scale: a database holding the seed alone, to compare the person page with")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	if *scale {
		if *seedURL == "" {
			return usageError{"bench -scale needs -seed-url URL of a database holding the seed alone"}
		}
		return runScaleBench(ctx, u, *seedURL, *out, 8, 5*time.Second, stdout, stderr)
	}
	if err := ensureBenchStaff(ctx, u); err != nil {
		return err
	}
	client := loadgen.NewClient(max(*conns, *soakConns))
	m := benchMeasurer{client: client, conns: *conns, warmup: *warmup, duration: *duration, wrk: loadgen.HaveWrk(), stdout: stdout}
	if !m.wrk {
		fmt.Fprintln(stderr, "bench: wrk not found (Debian: apt-get install wrk); measuring with the Go client, which takes more of the CPU it measures")
	}

	srv, base, err := startBenchServer(ctx, u, stderr)
	if err != nil {
		return err
	}
	defer stopBenchServer(srv)
	pid := srv.Process.Pid
	var peakRSS atomic.Int64
	stopRSS := make(chan struct{})
	go func() {
		for {
			if kb := procStatusKB(pid, "VmRSS"); kb > peakRSS.Load() {
				peakRSS.Store(kb)
			}
			select {
			case <-stopRSS:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
	}()
	cookie, err := benchSignIn(ctx, base)
	if err != nil {
		return err
	}
	rows := []benchRow{
		{name: "Ceiling: SELECT 1 through the pool", path: "/_test/select1"},
		{name: "No database: /healthz", path: "/healthz"},
		{name: "Person page", path: benchPerson, goal: cachedGoal, p99Goal: true},
		{name: "Resolution page", path: benchResolutionPage, goal: cachedGoal, p99Goal: true},
		{name: "People index (first page)", path: "/people", goal: cachedGoal, p99Goal: true},
		{name: "API: person", path: "/api/v1/people/max-bokayev"},
		{name: "Staff: person page, signed in", path: benchPerson, headers: []string{"Cookie: " + cookie}},
	}
	if err := m.measure(ctx, base, rows); err != nil {
		return err
	}
	soakRes := loadgen.Run(ctx, client, []string{base + benchPerson, base + benchResolutionPage, base + "/people", base + "/api/v1/people/max-bokayev"}, *soakConns, *soak)
	fmt.Fprintf(stdout, "soak: %d connections for %s: %d requests, %d errors, p99 %s\n", *soakConns, *soak, soakRes.Requests, soakRes.Errors, ms(soakRes.Percentile(99)))
	close(stopRSS)
	peak := max(peakRSS.Load(), procStatusKB(pid, "VmHWM"))
	prop, err := measurePropagation(ctx, u, base, 20)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "a write seen by the server: p50 %s, max %s over %d writes\n", ms(prop[len(prop)/2]), ms(prop[len(prop)-1]), len(prop))
	fmt.Fprintf(stdout, "server peak RSS: %.1f MB\n", float64(peak)/1024)
	stopBenchServer(srv)

	// The same pages with the page cache off: what a request costs when it must be rendered,
	// as the first one after every change is, and as every staff page is.
	srv, base, err = startBenchServer(ctx, u, stderr, "WHEREAS_PAGE_CACHE_BYTES=0")
	if err != nil {
		return err
	}
	defer stopBenchServer(srv)
	uncached := []benchRow{
		{name: "Person page, uncached", path: benchPerson, goal: uncachedPersonGoal},
		{name: "Resolution page, uncached", path: benchResolutionPage, goal: uncachedResolution},
		{name: "People index (first page), uncached", path: "/people", goal: uncachedIndexGoal},
		{name: "API: person, uncached", path: "/api/v1/people/max-bokayev"},
	}
	if err := m.measure(ctx, base, uncached); err != nil {
		return err
	}
	rows = append(rows, uncached...)
	stopBenchServer(srv)

	if *replicaURL != "" {
		// Anonymous pages read from a streaming replica, the cache off so every request reads it.
		srv, base, err = startBenchServer(ctx, u, stderr, "WHEREAS_PAGE_CACHE_BYTES=0", "WHEREAS_REPLICA_URL="+*replicaURL)
		if err != nil {
			return err
		}
		defer stopBenchServer(srv)
		replica := []benchRow{
			{name: "Person page, uncached, from a replica", path: benchPerson, goal: uncachedPersonGoal},
			{name: "Resolution page, uncached, from a replica", path: benchResolutionPage, goal: uncachedResolution},
		}
		if err := m.measure(ctx, base, replica); err != nil {
			return err
		}
		rows = append(rows, replica...)
	}

	report := benchReport(ctx, u, rows, soakRes, *conns, *soakConns, *duration, *soak, peak, m.wrk, *replicaURL != "", prop)
	if *out != "" {
		if err := writeSection(*out, "load", report); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *out)
	}
	return nil
}

// measurePropagation times how long a write committed by another client (as by another
// app server) takes to show on the server's cached person page: n times, it reads the
// page's ETag, changes the person's public notes in its own transaction, and polls the page
// until its ETag changes. The durations come back sorted.
func measurePropagation(ctx context.Context, dbURL, base string, n int) ([]time.Duration, error) {
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	defer conn.Close(ctx)
	etag := func() (string, error) {
		resp, err := http.Get(base + benchPerson)
		if err != nil {
			return "", err
		}
		io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		return resp.Header.Get("ETag"), nil
	}
	var took []time.Duration
	for i := range n {
		before, err := etag()
		if err != nil {
			return nil, err
		}
		start := time.Now()
		if _, err := conn.Exec(ctx, `UPDATE people SET notes = $1 WHERE slug = $2`,
			fmt.Sprintf("Benchmark write %d at %s.", i, start.Format(time.RFC3339Nano)), strings.TrimPrefix(benchPerson, "/people/")); err != nil {
			return nil, err
		}
		for {
			now, err := etag()
			if err != nil {
				return nil, err
			}
			if now != before {
				break
			}
			if time.Since(start) > 10*time.Second {
				return nil, fmt.Errorf("bench: a write was not seen by the server within 10 s")
			}
			time.Sleep(time.Millisecond)
		}
		took = append(took, time.Since(start))
	}
	slices.Sort(took)
	return took, nil
}

// benchMeasurer measures rows one after another against one server.
type benchMeasurer struct {
	client           *http.Client
	conns            int
	warmup, duration time.Duration
	wrk              bool
	stdout           io.Writer
}

func (m benchMeasurer) measure(ctx context.Context, base string, rows []benchRow) error {
	for i := range rows {
		url := base + rows[i].path
		if m.wrk {
			// Every request accepts gzip, as every browser's does (the Go client does so itself).
			headers := append([]string{"Accept-Encoding: gzip, deflate, br, zstd"}, rows[i].headers...)
			// wrk sends as many requests from 2 threads as the Go client does from 64 goroutines
			// at a fraction of the CPU, which the server and PostgreSQL need on 2 cores.
			if _, err := loadgen.Wrk(ctx, url, m.conns, runtime.NumCPU(), m.warmup, headers...); err != nil {
				return err
			}
			res, err := loadgen.Wrk(ctx, url, m.conns, runtime.NumCPU(), m.duration, headers...)
			if err != nil {
				return err
			}
			rows[i].res = res
		} else {
			if len(rows[i].headers) > 0 {
				return fmt.Errorf("bench: the row %q needs wrk (apt-get install wrk)", rows[i].name)
			}
			loadgen.Run(ctx, m.client, []string{url}, m.conns, m.warmup)
			rows[i].res = loadgen.Run(ctx, m.client, []string{url}, m.conns, m.duration)
		}
		r := rows[i].res
		fmt.Fprintf(m.stdout, "%-44s %8.0f req/s  p50 %6s  p95 %6s  p99 %6s  errors %d\n", rows[i].name, r.RPS(),
			ms(r.Percentile(50)), ms(r.Percentile(95)), ms(r.Percentile(99)), r.Errors)
	}
	return nil
}

// ensureBenchStaff gives the benchmark database an editor account to sign in with.
func ensureBenchStaff(ctx context.Context, dbURL string) error {
	db, err := postgres.Open(ctx, dbURL, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	hash, err := auth.Hash(benchStaffPassword)
	if err != nil {
		return err
	}
	_, err = db.CreateUser(ctx, postgres.Actor{Name: "whereas bench"}, benchStaffEmail, tracker.RoleEditor, hash)
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		return db.SetPassword(ctx, postgres.Actor{Name: "whereas bench"}, benchStaffEmail, hash)
	}
	return err
}

// benchSignIn signs the benchmark's editor in and returns the session cookie ("name=value").
func benchSignIn(ctx context.Context, base string) (string, error) {
	c := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	form := url.Values{"email": {benchStaffEmail}, "password": {benchStaffPassword}, "next": {"/staff"}}
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, base+"/sign-in", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.Do(req)
	if err != nil {
		return "", err
	}
	resp.Body.Close()
	for _, ck := range resp.Cookies() {
		if ck.Name == "whereas_session" && resp.StatusCode == http.StatusSeeOther {
			return ck.Name + "=" + ck.Value, nil
		}
	}
	return "", fmt.Errorf("bench: signing in as %s answered %d without a session", benchStaffEmail, resp.StatusCode)
}

// startBenchServer runs `whereas serve` from this same binary on a free loopback port.
func startBenchServer(ctx context.Context, dbURL string, stderr io.Writer, extraEnv ...string) (*exec.Cmd, string, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, "", err
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	addr := ln.Addr().String()
	ln.Close()
	srv := exec.CommandContext(ctx, self, "serve")
	srv.Env = append(append(os.Environ(), "DATABASE_URL="+dbURL, "WHEREAS_ADDR="+addr, "WHEREAS_TEST_ENDPOINTS=1", "WHEREAS_LOG_FORMAT=json"), extraEnv...)
	srv.Stdout, srv.Stderr = io.Discard, stderr
	if err := srv.Start(); err != nil {
		return nil, "", fmt.Errorf("start server: %w", err)
	}
	base := "http://" + addr
	if err := waitHealthy(ctx, base+"/healthz", 60*time.Second); err != nil {
		stopBenchServer(srv)
		return nil, "", err
	}
	return srv, base, nil
}

func stopBenchServer(srv *exec.Cmd) {
	if srv.ProcessState == nil {
		_ = srv.Process.Signal(os.Interrupt)
		_ = srv.Wait()
	}
}

func waitHealthy(ctx context.Context, url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				return nil
			}
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
	return fmt.Errorf("server not healthy after %s", limit)
}

// procStatusKB reads a kB field such as VmRSS from /proc/PID/status; 0 where unavailable.
func procStatusKB(pid int, field string) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return n
		}
	}
	return 0
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2fms", float64(d.Microseconds())/1000) }

func mark(ok bool) string {
	if ok {
		return "met"
	}
	return "**not met**"
}

// benchReport writes the results as Markdown with the machine, the data and each goal.
func benchReport(ctx context.Context, dbURL string, rows []benchRow, soak loadgen.Result, conns, soakConns int, d, soakD time.Duration, peakKB int64, wrk, replica bool, prop []time.Duration) string {
	var b strings.Builder
	cpu := "unknown CPU"
	if raw, err := os.ReadFile("/proc/cpuinfo"); err == nil {
		for _, l := range strings.Split(string(raw), "\n") {
			if v, ok := strings.CutPrefix(l, "model name"); ok {
				cpu = strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
				break
			}
		}
	}
	memKB := int64(0)
	if raw, err := os.ReadFile("/proc/meminfo"); err == nil {
		fmt.Sscanf(strings.SplitN(string(raw), "\n", 2)[0], "MemTotal: %d kB", &memKB)
	}
	pgVersion, counts := "unknown", "unknown"
	if conn, err := pgx.Connect(ctx, dbURL); err == nil {
		_ = conn.QueryRow(ctx, "SHOW server_version").Scan(&pgVersion)
		var people, resolutions, clauses, mentions, statuses int
		if conn.QueryRow(ctx, `SELECT (SELECT count(*) FROM people), (SELECT count(*) FROM resolutions), (SELECT count(*) FROM clauses),
			(SELECT count(*) FROM mentions), (SELECT count(*) FROM status_entries)`).Scan(&people, &resolutions, &clauses, &mentions, &statuses) == nil {
			counts = fmt.Sprintf("%d people, %d resolutions, %d clauses, %d mentions, %d status entries", people, resolutions, clauses, mentions, statuses)
		}
		conn.Close(ctx)
	}
	fmt.Fprintf(&b, "## Load\n\nWritten by `make bench` (`whereas bench`). Numbers are from one run on the machine below;\nthe load generator, the server and PostgreSQL share its cores, so they measure the whole stack\non one box, not the server alone.\n\n")
	fmt.Fprintf(&b, "- Date: %s\n- Machine: %s, %d cores, %.1f GiB memory, %s/%s\n- Go: %s; PostgreSQL %s\n- Data: %s (the seed plus `whereas gen`)\n",
		time.Now().UTC().Format("2006-01-02 15:04 MST"), cpu, runtime.NumCPU(), float64(memKB)/1024/1024, runtime.GOOS, runtime.GOARCH, runtime.Version(), pgVersion, counts)
	gen := "wrk (Debian's package), " + fmt.Sprint(runtime.NumCPU()) + " threads"
	if !wrk {
		gen = "the Go client of internal/loadgen (wrk was not installed)"
	}
	fmt.Fprintf(&b, "- Load: %s, %d connections, 2s warm-up then %s per row, keep-alive, on loopback\n\n", gen, conns, d)
	ceiling := rows[0].res.RPS()
	fmt.Fprintf(&b, "| what | requests/s | share of ceiling | goal | p50 | p95 | p99 | errors |\n|---|---:|---:|---|---:|---:|---:|---:|\n")
	var missed []string
	for i, r := range rows {
		share, goal := "—", "—"
		if i > 0 && ceiling > 0 {
			share = fmt.Sprintf("%.0f%%", r.res.RPS()/ceiling*100)
		}
		if r.goal > 0 {
			ok := ceiling > 0 && r.res.RPS() >= r.goal*ceiling
			goal = fmt.Sprintf("≥ %.0f%%", r.goal*100)
			if r.p99Goal {
				goal += ", p99 < 20 ms"
				ok = ok && r.res.Percentile(99) < 20*time.Millisecond
			}
			goal += " (" + mark(ok) + ")"
			if !ok {
				missed = append(missed, r.name)
			}
		}
		fmt.Fprintf(&b, "| %s `%s` | %.0f | %s | %s | %s | %s | %s | %d |\n", r.name, r.path, r.res.RPS(), share, goal,
			ms(r.res.Percentile(50)), ms(r.res.Percentile(95)), ms(r.res.Percentile(99)), r.res.Errors)
	}
	if len(missed) == 0 {
		fmt.Fprintf(&b, "\nEvery goal in the table is met in this run.\n")
	} else {
		fmt.Fprintf(&b, "\nNot met in this run: %s.\n", strings.Join(missed, "; "))
	}
	fmt.Fprintf(&b, "\nThe first rows ran on a server with the page cache on; rows marked *uncached* on a second server with\n`WHEREAS_PAGE_CACHE_BYTES=0`, where every request renders the page from the database, as the first request after\neach change does and as every staff page does.")
	if replica {
		fmt.Fprintf(&b, " Rows marked *from a replica* ran on a third server, the cache off, with\n`WHEREAS_REPLICA_URL` naming a streaming replica of the database (made by `scripts/pg.sh replica`) on the same machine.")
	}
	fmt.Fprintf(&b, " The staff row sends a signed-in editor's session cookie: staff pages are never cached.")
	fmt.Fprintf(&b, " Every request says it accepts gzip, as browsers do: cached pages are sent in the gzip kept\nwith them (the person page's 10 KB in about 3), pages rendered afresh as they are.\n")
	fmt.Fprintf(&b, "\n- Soak: %d connections for %s over the four public pages: %d requests, **%d errors** (goal: 0, %s), p99 %s\n",
		soakConns, soakD, soak.Requests, soak.Errors, mark(soak.Errors == 0), ms(soak.Percentile(99)))
	fmt.Fprintf(&b, "- Server peak RSS: **%.1f MB** (goal < 100 MB, %s)\n", float64(peakKB)/1024, mark(peakKB < 100*1024))
	fmt.Fprintf(&b, "- A write committed by another client, until the server's cached page shows it (%d writes, the page polled every millisecond): p50 %s, max **%s** (goal < 100 ms, %s)\n",
		len(prop), ms(prop[len(prop)/2]), ms(prop[len(prop)-1]), mark(prop[len(prop)-1] < 100*time.Millisecond))
	fmt.Fprintf(&b, "\n### Reading these numbers\n\n")
	fmt.Fprintf(&b, "- The ceiling is a bare `SELECT 1` through the pool: one round trip to PostgreSQL and nothing else. `/healthz`\n  touches no database: it is what the HTTP stack alone allows on this machine.\n")
	fmt.Fprintf(&b, "- A cached page is served from memory while the data version it was rendered at is current; the server learns\n  of changes by LISTEN/NOTIFY, so a hit makes no round trip, and can outrun the ceiling. Uncached, a page costs its\n  queries (sent as one batch, one round trip), decoding their rows, and rendering.\n")
	fmt.Fprintf(&b, "- Each figure is one run; runs on this machine differ by 10-20%%. Compare shares of the ceiling, not raw\n  requests/s, between runs.\n")
	return b.String()
}

// writeSection replaces the part of a Markdown file between "<!-- NAME:start -->" and
// "<!-- NAME:end -->" with body, keeping the rest, so several benchmarks share one file.
func writeSection(path, name, body string) error {
	start, end := "<!-- "+name+":start -->", "<!-- "+name+":end -->"
	old, err := os.ReadFile(path)
	if err != nil && !os.IsNotExist(err) {
		return err
	}
	text := string(old)
	section := start + "\n" + body + end
	i, j := strings.Index(text, start), strings.Index(text, end)
	switch {
	case i >= 0 && j > i:
		text = text[:i] + section + text[j+len(end):]
	case text == "":
		text = "# Benchmarks\n\n" + section + "\n"
	default:
		text = strings.TrimRight(text, "\n") + "\n\n" + section + "\n"
	}
	return os.WriteFile(path, []byte(text), 0o644)
}
