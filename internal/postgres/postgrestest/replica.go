package postgrestest

import (
	"bytes"
	"context"
	"net"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"
)

// Replica is a real streaming replica of the test cluster, made for one test by
// `scripts/pg.sh replica` (pg_basebackup -R) and destroyed when the test ends. It holds
// every database of the cluster, each test's included.
type Replica struct {
	t    testing.TB
	dir  string
	port string
}

// StartReplica makes and starts a replica of the cluster at DATABASE_URL on a free port.
// Where one cannot be made (a DATABASE_URL whose server refuses replication), the test is
// skipped, except under CI=true, where that is a failure.
func StartReplica(t testing.TB) *Replica {
	t.Helper()
	admin := AdminURL(t)
	r := &Replica{t: t, dir: filepath.Join(t.TempDir(), "replica"), port: freePort(t)}
	t.Cleanup(func() { _, _ = pgsh("destroy", r.dir) })
	if out, err := pgsh("replica", admin, r.dir, r.port); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("start a replica of the test cluster: %v\n%s", err, out)
		}
		t.Skipf("cannot start a replica of the test cluster (%v): %s", err, out)
	}
	return r
}

// URL is the URL of the database at dbURL (a database of the test cluster) on the replica.
func (r *Replica) URL(dbURL string) string {
	r.t.Helper()
	u, err := url.Parse(dbURL)
	if err != nil {
		r.t.Fatal(err)
	}
	u.Host = "127.0.0.1:" + r.port
	return u.String()
}

// Stop stops the replica (pg_ctl stop -m fast), as a crash or maintenance would.
func (r *Replica) Stop() {
	r.t.Helper()
	if out, err := pgsh("stop", r.dir); err != nil {
		r.t.Fatalf("stop the replica: %v\n%s", err, out)
	}
}

// Start starts a stopped replica again; it catches up with the primary by itself.
func (r *Replica) Start() {
	r.t.Helper()
	if out, err := pgsh("replica", "-", r.dir, r.port); err != nil {
		r.t.Fatalf("start the replica: %v\n%s", err, out)
	}
}

// PauseReplay stops the replica applying what it receives (pg_wal_replay_pause): it keeps
// answering, with the data as of now, and its lag grows while the primary writes.
func (r *Replica) PauseReplay() { r.exec("SELECT pg_wal_replay_pause()") }

// ResumeReplay lets the replica catch up.
func (r *Replica) ResumeReplay() { r.exec("SELECT pg_wal_replay_resume()") }

func (r *Replica) exec(sql string) {
	r.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	conn, err := pgx.Connect(ctx, "postgres://whereas@127.0.0.1:"+r.port+"/postgres?sslmode=disable")
	if err != nil {
		r.t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		r.t.Fatalf("%s on the replica: %v", sql, err)
	}
}

// WaitFor calls cond until it holds, for at most a minute; the test fails with what after
// that. For conditions the replica or its monitor reach by themselves (a write replayed),
// so a test waits for the event, never for a guessed time.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(time.Minute)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("waited a minute for %s", what)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// pgsh runs the repository's scripts/pg.sh, found from the test's package folder upwards.
func pgsh(args ...string) (string, error) {
	dir, _ := os.Getwd()
	for dir != "/" && dir != "." {
		if _, err := os.Stat(filepath.Join(dir, "scripts", "pg.sh")); err == nil {
			break
		}
		dir = filepath.Dir(dir)
	}
	cmd := exec.Command(filepath.Join(dir, "scripts", "pg.sh"), args...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return strings.TrimSpace(out.String()), err
}

// freePort finds a TCP port no one listens on now.
func freePort(t testing.TB) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return strconv.Itoa(ln.Addr().(*net.TCPAddr).Port)
}
