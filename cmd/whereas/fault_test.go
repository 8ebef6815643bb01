package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// cluster is a PostgreSQL server of the test's own, which it can stop and start.
type cluster struct {
	t    *testing.T
	dir  string
	port string
}

func pgScript() string {
	wd, _ := os.Getwd()
	return filepath.Join(wd, "..", "..", "scripts", "pg.sh")
}

// needPostgres skips a test that starts its own cluster where PostgreSQL is not installed,
// except in CI, where nothing may skip.
func needPostgres(t *testing.T) {
	t.Helper()
	if _, err := exec.LookPath("pg_ctl"); err != nil {
		if m, _ := filepath.Glob("/usr/lib/postgresql/*/bin/pg_ctl"); len(m) == 0 {
			if os.Getenv("CI") == "true" {
				t.Fatal("PostgreSQL is not installed; CI must run the fault tests")
			}
			t.Skip("fault tests need PostgreSQL's pg_ctl: apt-get install postgresql")
		}
	}
}

// newCluster starts a private cluster with scripts/pg.sh, as `make test` does, and destroys
// it when the test ends. Where PostgreSQL is not installed the test skips, except in CI.
func newCluster(t *testing.T) *cluster {
	t.Helper()
	needPostgres(t)
	addr := freeAddr(t)
	c := &cluster{t: t, dir: filepath.Join(t.TempDir(), "pg"), port: addr[strings.LastIndex(addr, ":")+1:]}
	t.Cleanup(func() { _ = exec.Command(pgScript(), "destroy", c.dir).Run() })
	c.start()
	return c
}

func (c *cluster) start() string {
	c.t.Helper()
	out, err := exec.Command(pgScript(), "start", c.dir, c.port, "whereas", "fast").Output()
	if err != nil {
		c.t.Fatalf("start cluster: %v", err)
	}
	return strings.TrimSpace(string(out))
}

func (c *cluster) stop() {
	c.t.Helper()
	if err := exec.Command(pgScript(), "stop", c.dir).Run(); err != nil {
		c.t.Fatalf("stop cluster: %v", err)
	}
}

// serveInProcess runs `whereas serve` with env and waits until it is healthy.
func serveInProcess(t *testing.T, vars map[string]string) (base string, stop func() error) {
	t.Helper()
	addr := freeAddr(t)
	vars["WHEREAS_ADDR"] = addr
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	var logs syncBuffer
	go func() { done <- run(ctx, []string{"serve"}, env(vars), nil, &logs, &logs) }()
	base = "http://" + addr
	waitFor(t, 30*time.Second, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err != nil {
			return false
		}
		resp.Body.Close()
		return resp.StatusCode == 200
	}, func() string { return logs.String() })
	var once sync.Once
	var err error
	stop = func() error {
		once.Do(func() { cancel(); err = <-done })
		return err
	}
	t.Cleanup(func() { _ = stop() })
	return base, stop
}

func waitFor(t *testing.T, limit time.Duration, ok func() bool, why func() string) {
	t.Helper()
	deadline := time.Now().Add(limit)
	for !ok() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up after %s; %s", limit, why())
		}
		time.Sleep(100 * time.Millisecond)
	}
}

type answer struct {
	status int
	body   string
	ctype  string
	took   time.Duration
}

func fetch(t *testing.T, url string) answer {
	t.Helper()
	client := &http.Client{Timeout: 30 * time.Second}
	start := time.Now()
	resp, err := client.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return answer{resp.StatusCode, string(b), resp.Header.Get("Content-Type"), time.Since(start)}
}

func TestDatabaseOutage(t *testing.T) {
	c := newCluster(t)
	url := fmt.Sprintf("postgres://whereas@127.0.0.1:%s/whereas?sslmode=disable", c.port)
	const requestTimeout = 3 * time.Second
	base, _ := serveInProcess(t, map[string]string{
		"DATABASE_URL":                 url,
		"WHEREAS_REQUEST_TIMEOUT":      requestTimeout.String(),
		"WHEREAS_DB_STATEMENT_TIMEOUT": "2s",
	})
	if a := fetch(t, base+"/people/max-bokayev"); a.status != 200 {
		t.Fatalf("before the outage: %d", a.status)
	}

	c.stop()

	t.Run("PagesAnswer503Promptly", func(t *testing.T) {
		for i := 0; i < 3; i++ { // the first request meets the dead pooled connections, the next ones a refused dial
			a := fetch(t, base+"/people/max-bokayev")
			if a.status != 503 || !strings.Contains(a.body, "Temporarily unavailable") || !strings.HasPrefix(a.ctype, "text/html") {
				t.Errorf("page during outage: %d %q", a.status, a.ctype)
			}
			if a.took > requestTimeout+time.Second {
				t.Errorf("page took %s, more than the request timeout %s", a.took, requestTimeout)
			}
		}
	})
	t.Run("APIAnswersJSON503", func(t *testing.T) {
		a := fetch(t, base+"/api/v1/people/max-bokayev")
		var body struct{ Error string }
		if a.status != 503 || a.ctype != "application/json" || json.Unmarshal([]byte(a.body), &body) != nil || body.Error == "" {
			t.Errorf("API during outage: %d %q %s", a.status, a.ctype, a.body)
		}
		if a.took > requestTimeout+time.Second {
			t.Errorf("API took %s", a.took)
		}
	})
	t.Run("ReadyzFailsHealthzHolds", func(t *testing.T) {
		if a := fetch(t, base+"/readyz"); a.status != 503 {
			t.Errorf("/readyz = %d during outage", a.status)
		}
		if a := fetch(t, base+"/healthz"); a.status != 200 {
			t.Errorf("/healthz = %d during outage", a.status)
		}
	})

	c.start()

	t.Run("RecoversWithoutRestart", func(t *testing.T) {
		waitFor(t, 20*time.Second, func() bool { return fetch(t, base+"/people/max-bokayev").status == 200 },
			func() string { return "the server never served the page again" })
		if a := fetch(t, base+"/readyz"); a.status != 200 {
			t.Errorf("/readyz = %d after recovery", a.status)
		}
		if a := fetch(t, base+"/api/v1/resolutions/2019-2610-rsp"); a.status != 200 {
			t.Errorf("API = %d after recovery", a.status)
		}
	})
}

// TestGracefulShutdown sends SIGTERM to a real whereas process under load, with a slow
// request in flight: that request completes, nothing answers 5xx, and the process exits
// well within its grace period.
func TestGracefulShutdown(t *testing.T) {
	t.Parallel()
	bin := filepath.Join(t.TempDir(), "whereas")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	addr := freeAddr(t)
	cmd := exec.Command(bin, "serve")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+postgrestest.NewDatabase(t), "WHEREAS_ADDR="+addr,
		"WHEREAS_TEST_ENDPOINTS=1", "WHEREAS_SHUTDOWN_TIMEOUT=10s")
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	base := "http://" + addr
	waitFor(t, 30*time.Second, func() bool {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
		}
		return err == nil && resp.StatusCode == 200
	}, logs.String)

	// Load: 8 clients in a loop until the server stops answering.
	var ok, fiveXX, other, refused atomic.Int64
	var wg sync.WaitGroup
	stopLoad := make(chan struct{})
	client := &http.Client{Timeout: 15 * time.Second}
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				select {
				case <-stopLoad:
					return
				default:
				}
				resp, err := client.Get(base + "/people/max-bokayev")
				if err != nil {
					refused.Add(1) // after the listener closes: not an answer, not a 5xx
					time.Sleep(20 * time.Millisecond)
					continue
				}
				io.Copy(io.Discard, resp.Body)
				resp.Body.Close()
				switch {
				case resp.StatusCode == 200:
					ok.Add(1)
				case resp.StatusCode >= 500:
					fiveXX.Add(1)
				default:
					other.Add(1)
				}
			}
		}()
	}
	slow := make(chan answer, 1)
	go func() {
		start := time.Now()
		resp, err := client.Get(base + "/_test/sleep?ms=1500")
		if err != nil {
			slow <- answer{status: -1, body: err.Error()}
			return
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		slow <- answer{status: resp.StatusCode, body: string(b), took: time.Since(start)}
	}()
	time.Sleep(500 * time.Millisecond)
	signalled := time.Now()
	if err := cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}

	select {
	case err := <-exited:
		if err != nil {
			t.Errorf("whereas exited with %v after SIGTERM; logs:\n%s", err, logs.String())
		}
		if took := time.Since(signalled); took > 10*time.Second {
			t.Errorf("exit took %s, longer than the 10s grace period", took)
		}
	case <-time.After(20 * time.Second):
		t.Fatal("whereas did not exit after SIGTERM")
	}
	close(stopLoad)
	wg.Wait()

	if a := <-slow; a.status != 200 || !strings.Contains(a.body, `"slept_ms":1500`) {
		t.Errorf("the request in flight at SIGTERM got %d %q", a.status, a.body)
	}
	if fiveXX.Load() != 0 || other.Load() != 0 {
		t.Errorf("under shutdown: %d answers 5xx and %d other non-200 (%d ok)", fiveXX.Load(), other.Load(), ok.Load())
	}
	if ok.Load() == 0 {
		t.Error("the load never got an answer")
	}
	t.Logf("during shutdown: %d ok, %d refused after close", ok.Load(), refused.Load())
}

func TestRequestLimits(t *testing.T) {
	t.Parallel()
	base, _ := serveInProcess(t, map[string]string{
		"DATABASE_URL": postgrestest.NewDatabase(t), "WHEREAS_MAX_BODY_BYTES": "1024",
	})
	for _, path := range []string{"/api/v1/people", "/people"} {
		resp, err := http.Post(base+path, "text/plain", strings.NewReader(strings.Repeat("x", 4096)))
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusRequestEntityTooLarge {
			t.Errorf("POST %s with a 4 KiB body = %d, want 413", path, resp.StatusCode)
		}
	}
	// The test endpoints are off unless asked for.
	if a := fetch(t, base+"/_test/select1"); a.status != 404 {
		t.Errorf("/_test/select1 = %d without WHEREAS_TEST_ENDPOINTS", a.status)
	}
	var out syncBuffer
	err := run(context.Background(), []string{"serve"}, env(map[string]string{"DATABASE_URL": "postgres://x@127.0.0.1:1/x", "WHEREAS_REQUEST_TIMEOUT": "soon"}), nil, &out, &out)
	if err == nil || !strings.Contains(err.Error(), "WHEREAS_REQUEST_TIMEOUT") {
		t.Errorf("a bad duration gave %v", err)
	}
}

// TestKilledMigrateUp kills a real "whereas migrate up" (SIGKILL) while its last migration
// waits for a lock another session holds. PostgreSQL finishes the migration after the
// client is gone; the version must then be recorded, clean, with it: with versions
// written in separate commits this left "version N dirty" although N had committed.
func TestKilledMigrateUp(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	u := postgrestest.NewMigrated(t)
	all := postgres.Migrations()
	latest := all[len(all)-1]
	if err := postgres.MigrateDown(u, 1); err != nil {
		t.Fatal(err)
	}
	// Hold every table of the public schema, so the last migration blocks at its first statement.
	holder, err := pgx.Connect(ctx, u)
	if err != nil {
		t.Fatal(err)
	}
	defer holder.Close(ctx)
	tx, err := holder.Begin(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := tx.Exec(ctx, `DO $$ DECLARE r record; BEGIN
		FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' AND tablename <> 'schema_migrations' LOOP
			EXECUTE format('LOCK TABLE %I IN ACCESS EXCLUSIVE MODE', r.tablename);
		END LOOP; END $$`); err != nil {
		t.Fatal(err)
	}

	bin := filepath.Join(t.TempDir(), "whereas")
	if out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput(); err != nil {
		t.Fatalf("build: %v\n%s", err, out)
	}
	cmd := exec.Command(bin, "migrate", "up")
	cmd.Env = append(os.Environ(), "DATABASE_URL="+u)
	var logs syncBuffer
	cmd.Stdout, cmd.Stderr = &logs, &logs
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	waiting := func() int {
		return postgrestest.Count(t, u, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
			AND wait_event_type = 'Lock' AND pid <> pg_backend_pid()`)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	for waiting() == 0 {
		select {
		case <-exited:
			t.Skipf("migration %d took no lock on an existing table, so it cannot be held up to be killed: %s", latest, logs.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	if err := cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	<-exited
	if err := tx.Commit(ctx); err != nil { // the orphaned migration now runs to its end
		t.Fatal(err)
	}
	for postgrestest.Count(t, u, `SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()
		AND state = 'active' AND pid <> pg_backend_pid()`) > 0 {
		time.Sleep(20 * time.Millisecond)
	}
	// PostgreSQL either finished the orphaned migration (it does when its answers fit its
	// output buffer) or rolled it back; either way the recorded version must say which,
	// clean, so that the next migrate up just works.
	v, dirty, err := postgres.MigrateVersion(u)
	if err != nil || dirty {
		t.Fatalf("after migrate up was killed: version %d dirty=%v err=%v, want a clean version", v, dirty, err)
	}
	t.Logf("after the kill: version %d (migration %s)", v, map[bool]string{true: "committed", false: "rolled back"}[v == latest])
	if err := postgres.MigrateUp(u); err != nil {
		t.Errorf("migrate up afterwards: %v", err)
	}
	if v, dirty, _ := postgres.MigrateVersion(u); v != latest || dirty {
		t.Errorf("finally: version %d dirty=%v, want %d", v, dirty, latest)
	}
}
