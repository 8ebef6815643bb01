package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/loadgen"
)

const benchHelp = `Usage: whereas bench [-duration 10s] [-conns 64] [-soak 30s] [-soak-conns 256] [-out FILE]

Load-benchmarks Whereas on this machine: starts "whereas serve" on a free loopback port
against DATABASE_URL (prepared by make bench: the seed plus "whereas gen" data), then
measures the person page, the resolution page, the people index and one API call, each
against the ceiling of a bare endpoint doing one SELECT 1 through the same pool, at -conns
connections; then holds -soak-conns connections for -soak and counts errors. It reports
requests/s, p50/p95/p99 latency, each page's throughput as a share of the ceiling, and the
server's peak RSS, and writes them with the date and machine to -out.

Environment:
  DATABASE_URL  PostgreSQL URL of the prepared database (required)

Options:
`

type benchRow struct {
	name, path string
	res        loadgen.Result
}

func runBench(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("bench", benchHelp, stdout)
	duration := fs.Duration("duration", 10*time.Second, "measuring time for each page")
	warmup := fs.Duration("warmup", 2*time.Second, "warm-up before each measurement")
	conns := fs.Int("conns", 64, "concurrent connections for the page measurements")
	soak := fs.Duration("soak", 30*time.Second, "length of the error soak")
	soakConns := fs.Int("soak-conns", 256, "concurrent connections for the soak")
	out := fs.String("out", "", "write the report here as Markdown (default: stdout only)")
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

	rows := []benchRow{
		{name: "Ceiling: SELECT 1 through the pool", path: "/_test/select1"},
		{name: "Person page", path: "/people/max-bokayev"},
		{name: "Resolution page", path: "/resolutions/2019-2610-rsp"},
		{name: "People index (first page)", path: "/people"},
		{name: "API: person", path: "/api/v1/people/max-bokayev"},
	}
	client := loadgen.NewClient(max(*conns, *soakConns))
	for i := range rows {
		url := []string{base + rows[i].path}
		loadgen.Run(ctx, client, url, *conns, *warmup)
		rows[i].res = loadgen.Run(ctx, client, url, *conns, *duration)
		r := rows[i].res
		fmt.Fprintf(stdout, "%-36s %8.0f req/s  p50 %6s  p95 %6s  p99 %6s  errors %d\n", rows[i].name, r.RPS(),
			ms(r.Percentile(50)), ms(r.Percentile(95)), ms(r.Percentile(99)), r.Errors)
	}
	var paths []string
	for _, r := range rows[1:] {
		paths = append(paths, base+r.path)
	}
	soakRes := loadgen.Run(ctx, client, paths, *soakConns, *soak)
	fmt.Fprintf(stdout, "soak: %d connections for %s: %d requests, %d errors, p99 %s\n", *soakConns, *soak, soakRes.Requests, soakRes.Errors, ms(soakRes.Percentile(99)))
	close(stopRSS)
	hwm := procStatusKB(pid, "VmHWM")
	peak := max(peakRSS.Load(), hwm)
	fmt.Fprintf(stdout, "server peak RSS: %.1f MB\n", float64(peak)/1024)

	stopBenchServer(srv)

	// The same pages with the page cache off: what a request costs when it must be rendered,
	// as the first one after every change is.
	srv, base, err = startBenchServer(ctx, u, stderr, "WHEREAS_PAGE_CACHE_BYTES=0")
	if err != nil {
		return err
	}
	defer stopBenchServer(srv)
	uncached := make([]benchRow, len(rows)-1)
	for i, r := range rows[1:] {
		uncached[i] = benchRow{name: r.name + ", uncached", path: r.path}
		url := []string{base + r.path}
		loadgen.Run(ctx, client, url, *conns, *warmup)
		uncached[i].res = loadgen.Run(ctx, client, url, *conns, *duration)
		res := uncached[i].res
		fmt.Fprintf(stdout, "%-36s %8.0f req/s  p50 %6s  p95 %6s  p99 %6s  errors %d\n", uncached[i].name, res.RPS(),
			ms(res.Percentile(50)), ms(res.Percentile(95)), ms(res.Percentile(99)), res.Errors)
	}

	report := benchReport(ctx, u, append(rows, uncached...), soakRes, *conns, *soakConns, *duration, *soak, peak)
	if *out != "" {
		if err := writeSection(*out, "load", report); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "wrote %s\n", *out)
	}
	return nil
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
func benchReport(ctx context.Context, dbURL string, rows []benchRow, soak loadgen.Result, conns, soakConns int, d, soakD time.Duration, peakKB int64) string {
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
	fmt.Fprintf(&b, "- Load: %d connections, %s warm-up then %s per row, keep-alive, on loopback\n\n", conns, "2s", d)
	ceiling := rows[0].res.RPS()
	fmt.Fprintf(&b, "| what | requests/s | share of ceiling (goal ≥ 50%%) | p50 | p95 | p99 (goal < 20 ms) | errors |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for i, r := range rows {
		share := "—"
		if i > 0 && ceiling > 0 {
			s := r.res.RPS() / ceiling * 100
			share = fmt.Sprintf("%.0f%% (%s)", s, mark(s >= 50))
		}
		p99 := r.res.Percentile(99)
		fmt.Fprintf(&b, "| %s `%s` | %.0f | %s | %s | %s | %s (%s) | %d |\n", r.name, r.path, r.res.RPS(), share,
			ms(r.res.Percentile(50)), ms(r.res.Percentile(95)), ms(p99), mark(p99 < 20*time.Millisecond), r.res.Errors)
	}
	fmt.Fprintf(&b, "\nRows marked *uncached* ran on a second server with `WHEREAS_PAGE_CACHE_BYTES=0`: every request renders the page\nfrom the database, as the first request after each change does. The others are served from the page cache, which\nstill asks PostgreSQL for the data version on every request (one round trip, like the ceiling).\n")
	fmt.Fprintf(&b, "\n- Soak: %d connections for %s over the four pages: %d requests, **%d errors** (goal: 0, %s), p99 %s\n",
		soakConns, soakD, soak.Requests, soak.Errors, mark(soak.Errors == 0), ms(soak.Percentile(99)))
	fmt.Fprintf(&b, "- Server peak RSS: **%.1f MB** (goal < 100 MB, %s)\n", float64(peakKB)/1024, mark(peakKB < 100*1024))

	fmt.Fprintf(&b, "\n### Reading these numbers\n\n")
	if c := rows[0].res.Percentile(99); c >= 20*time.Millisecond {
		fmt.Fprintf(&b, "- The ceiling's own p99 is %s, at or above the 20 ms goal: with the load generator, the server and\n  PostgreSQL sharing %d cores, %d connections queue for CPU, and no page can answer faster than a bare\n  `SELECT 1`. The cached pages' p99 is what that queue allows plus their own work.\n", ms(c), runtime.NumCPU(), conns)
	}
	fmt.Fprintf(&b, "- A cached page costs one round trip (`SELECT version FROM data_version`) plus writing its bytes, which is\n  why its throughput is close to the ceiling's. Its p99 sits a few milliseconds above the ceiling's: a page is\n  15-40 KB against the ceiling's 13 bytes, and the server and the load generator move those bytes on the same cores. Uncached, a page costs its queries (sent as one pgx batch,\n  one round trip), decoding their JSON, and rendering: the resolution page, with every clause and its\n  mentions, is the heaviest; the people index reads its total and unfiltered counts from tables kept by triggers.\n")
	fmt.Fprintf(&b, "- Each figure is one run; runs on this shared machine differ by 10-20%%. Compare shares of the ceiling, not raw\n  requests/s, between runs.\n")
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
