package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseCommand(t *testing.T) {
	t.Parallel()
	t.Run("PrintsClausesAsJSON", func(t *testing.T) {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"parse", "../../data/seed/ep-2019-2610-rsp-kazakhstan.txt"}, env(nil), nil, &out, &errb)
		if err != nil {
			t.Fatalf("parse: %v (%s)", err, errb.String())
		}
		var clauses []struct{ Kind, Label, EID, Text string }
		if err := json.Unmarshal(out.Bytes(), &clauses); err != nil {
			t.Fatal(err)
		}
		if len(clauses) != 28 || clauses[0].EID != "cit_1" || clauses[27].EID != "para_10" || !strings.Contains(out.String(), `"kind": "recital"`) {
			t.Errorf("parse printed %d clauses: %s…", len(clauses), out.String()[:200])
		}
	})
	t.Run("ReadsStandardInput", func(t *testing.T) {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"parse", "-"}, env(nil), strings.NewReader("A. whereas x;\n1. Urges;\n"), &out, &errb)
		if err != nil || !strings.Contains(out.String(), `"eid": "para_1"`) {
			t.Errorf("parse - = %v, %s", err, out.String())
		}
	})
	t.Run("RefusesNamingTheLine", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.txt")
		os.WriteFile(bad, []byte("A. whereas one;\nB. whereas two;\nA. whereas three;\n"), 0o644)
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"parse", bad}, env(nil), nil, &out, &errb)
		if err == nil || out.Len() != 0 || !strings.Contains(errb.String(), "line 3: recital A is out of order") {
			t.Errorf("parse bad = %v, stdout %q, stderr %q", err, out.String(), errb.String())
		}
	})
	t.Run("WarnsOnStandardErrorAndKeepsTheClausesOnStandardOutput", func(t *testing.T) {
		var out, errb bytes.Buffer
		err := run(context.Background(), []string{"parse", "-"}, env(nil), strings.NewReader("A. whereas x;\nC. whereas z;\n1. Urges;\n"), &out, &errb)
		var clauses []struct{ EID string }
		if err != nil || json.Unmarshal(out.Bytes(), &clauses) != nil || len(clauses) != 3 || clauses[1].EID != "rec_C" {
			t.Errorf("parse = %v, stdout %s", err, out.String())
		}
		if errb.String() != "whereas parse: stdin: line 2: warning: recital C follows recital A: the numbering skips B\n" {
			t.Errorf("stderr = %q", errb.String())
		}
	})
	t.Run("JSONObjectWithWarningsAndWhereTheTextCameFrom", func(t *testing.T) {
		var out, errb bytes.Buffer
		text := "Texts adopted\nThursday, 16 March 2023 - Strasbourg\nEuropean Parliament resolution on Testland (2023/2999(RSP))\n" +
			"The European Parliament,\n1. Whereas x;\n2. whereas y;\n1. Urges;\n3. Calls;\n"
		err := run(context.Background(), []string{"parse", "-", "--json"}, env(nil), strings.NewReader(text), &out, &errb)
		if err != nil {
			t.Fatal(err)
		}
		var got struct {
			Title, Procedure, Adopted, Tabled string
			RecitalsNote                      string `json:"recitals_note"`
			Clauses                           []struct{ Kind, Label, EID, Text string }
			Warnings                          []struct {
				Line int
				Msg  string
			}
		}
		if err := json.Unmarshal(out.Bytes(), &got); err != nil {
			t.Fatalf("%v: %s", err, out.String())
		}
		if got.Title != "European Parliament resolution on Testland" || got.Procedure != "2023/2999(RSP)" || got.Adopted != "2023-03-16" || got.Tabled != "" ||
			!strings.Contains(got.RecitalsNote, "numbers its recitals 1 to 2") || len(got.Clauses) != 4 || got.Clauses[1].EID != "rec_B" ||
			len(got.Warnings) != 1 || got.Warnings[0].Line != 8 || !strings.Contains(got.Warnings[0].Msg, "paragraph 3 follows paragraph 1") {
			t.Errorf("parse --json = %+v", got)
		}
		out.Reset()
		run(context.Background(), []string{"parse", "--json", "-"}, env(nil), strings.NewReader("1. Urges;\n"), &out, &errb)
		if !strings.Contains(out.String(), `"warnings": []`) {
			t.Errorf("no warnings should print an empty list: %s", out.String())
		}
	})
	t.Run("HelpSaysWhatItReads", func(t *testing.T) {
		for _, cmd := range []string{"serve", "migrate", "seed", "parse", "import"} {
			var out bytes.Buffer
			if err := run(context.Background(), []string{cmd, "-h"}, env(nil), nil, &out, &out); err != nil {
				t.Errorf("%s -h: %v", cmd, err)
			}
			if !strings.Contains(out.String(), "Environment") {
				t.Errorf("%s -h does not say which environment it reads:\n%s", cmd, out.String())
			}
		}
	})
	t.Run("UnknownCommandIsAUsageError", func(t *testing.T) {
		var out bytes.Buffer
		err := run(context.Background(), []string{"frobnicate"}, env(nil), nil, &out, &out)
		if _, ok := err.(usageError); !ok {
			t.Errorf("err = %v, want a usage error", err)
		}
	})
}

func TestMigrateAndSeedCommands(t *testing.T) {
	t.Parallel()
	e := env(map[string]string{"DATABASE_URL": postgrestest.NewDatabase(t)})
	ctx := context.Background()
	step := func(args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, args, e, nil, &out, &errb); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errb.String())
		}
		return out.String()
	}
	if got := step("migrate", "version"); got != "version 0\n" {
		t.Errorf("fresh database: %q", got)
	}
	if got := step("seed"); !strings.Contains(got, "28 clauses") || !strings.Contains(got, "11 people") {
		t.Errorf("first seed said %q", got)
	}
	if got := step("seed"); !strings.Contains(got, "nothing changed") {
		t.Errorf("second seed said %q", got)
	}
	var refused bytes.Buffer
	err := run(ctx, []string{"migrate", "down"}, e, nil, &refused, &refused)
	if _, usage := err.(usageError); !usage || !strings.Contains(err.Error(), "--all") {
		t.Errorf("migrate down with no N: %v, want a usage error naming --all", err)
	}
	if got := step("seed"); !strings.Contains(got, "nothing changed") {
		t.Errorf("the refused migrate down changed the data: seed said %q", got)
	}
	if got := step("migrate", "down", "--all"); got != "version 0\n" {
		t.Errorf("migrate down --all said %q", got)
	}
	if got := step("migrate", "up"); got == "version 0\n" {
		t.Errorf("migrate up said %q", got)
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"migrate", "down", "zero"}, e, nil, &out, &out); err == nil {
		t.Error("migrate down zero was accepted")
	}
}

func TestMigrateRecovery(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewMigrated(t)
	e := env(map[string]string{"DATABASE_URL": u})
	ctx := context.Background()
	cmd := func(args ...string) (string, error) {
		var out bytes.Buffer
		err := run(ctx, args, e, nil, &out, &out)
		return out.String(), err
	}
	all := postgres.Migrations()
	latest, prev := all[len(all)-1], all[len(all)-2]
	markDirty(t, u)

	t.Run("VersionSaysWhatToCheckAndRun", func(t *testing.T) {
		out, err := cmd("migrate", "version")
		for _, want := range []string{
			fmt.Sprintf("version %d (dirty)", latest), postgres.MigrationFile(latest),
			fmt.Sprintf("whereas migrate force %d\n", latest),
			fmt.Sprintf("whereas migrate force %d && whereas migrate up", prev),
			fmt.Sprintf("whereas migrate show %d", latest), "Recovering from a dirty migration",
		} {
			if err != nil || !strings.Contains(out, want) {
				t.Errorf("migrate version on a dirty database: %v, output lacks %q:\n%s", err, want, out)
			}
		}
	})
	t.Run("UpRefusesNamingForce", func(t *testing.T) {
		if _, err := cmd("migrate", "up"); err == nil || !strings.Contains(err.Error(), fmt.Sprintf("whereas migrate force %d", latest)) {
			t.Errorf("migrate up on a dirty database: %v", err)
		}
	})
	t.Run("ServeRefusesNamingForce", func(t *testing.T) {
		var logs syncBuffer
		err := run(ctx, []string{"serve"}, env(map[string]string{"DATABASE_URL": u, "WHEREAS_ADDR": freeAddr(t), "WHEREAS_DB_WAIT": "2s"}), nil, &logs, &logs)
		if err == nil || !strings.Contains(err.Error(), "refusing to serve") || !strings.Contains(err.Error(), fmt.Sprintf("whereas migrate force %d", latest)) {
			t.Errorf("serve on a dirty database: %v", err)
		}
	})
	t.Run("ShowPrintsTheSQL", func(t *testing.T) {
		out, err := cmd("migrate", "show", "1")
		if err != nil || !strings.Contains(out, "CREATE TABLE resolutions") {
			t.Errorf("migrate show 1: %v %.200q", err, out)
		}
	})
	t.Run("ForceRefusesUnknownVersions", func(t *testing.T) {
		for _, v := range []string{"999", "-1", "seven"} {
			if _, err := cmd("migrate", "force", v); err == nil {
				t.Errorf("migrate force %s was accepted", v)
			}
		}
		if _, err := cmd("migrate", "force"); err == nil {
			t.Error("migrate force with no version was accepted")
		}
	})
	t.Run("ForceThenUp", func(t *testing.T) {
		out, err := cmd("migrate", "force", fmt.Sprint(latest))
		if err != nil || out != fmt.Sprintf("version %d\n", latest) {
			t.Errorf("migrate force %d: %v %q", latest, err, out)
		}
		if out, err := cmd("migrate", "up"); err != nil || out != fmt.Sprintf("version %d\n", latest) {
			t.Errorf("migrate up after force: %v %q", err, out)
		}
	})
}

// markDirty marks the database's migration version dirty, as an older whereas killed
// in the middle of a migration left it.
func markDirty(t *testing.T, dbURL string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE schema_migrations SET dirty = true`); err != nil {
		t.Fatal(err)
	}
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

func TestServe(t *testing.T) {
	t.Parallel()
	addr := freeAddr(t)
	e := env(map[string]string{"DATABASE_URL": postgrestest.NewDatabase(t), "WHEREAS_ADDR": addr, "WHEREAS_LOG_FORMAT": "json"})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var logs syncBuffer
	done := make(chan error, 1)
	go func() { done <- run(ctx, []string{"serve"}, e, nil, &logs, &logs) }()

	base := "http://" + addr
	deadline := time.Now().Add(20 * time.Second)
	for {
		resp, err := http.Get(base + "/healthz")
		if err == nil {
			resp.Body.Close()
			if resp.StatusCode == 200 {
				break
			}
		}
		if time.Now().After(deadline) {
			t.Fatalf("server never became healthy; logs:\n%s", logs.String())
		}
		time.Sleep(50 * time.Millisecond)
	}

	resp, err := http.Get(base + "/api/v1/resolutions")
	if err != nil {
		t.Fatal(err)
	}
	var list struct{ Total int }
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if list.Total != 1 {
		t.Errorf("serve loaded %d resolutions, want the seed", list.Total)
	}
	resp, _ = http.Get(base + "/readyz")
	if resp.StatusCode != 200 {
		t.Errorf("/readyz = %d", resp.StatusCode)
	}
	resp.Body.Close()

	cancel() // as SIGINT/SIGTERM do
	select {
	case err := <-done:
		if err != nil {
			t.Errorf("serve returned %v on shutdown", err)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not stop")
	}
	var sawRequest bool
	for _, line := range strings.Split(logs.String(), "\n") {
		var m map[string]any
		if json.Unmarshal([]byte(line), &m) != nil {
			continue
		}
		if m["msg"] == "request" && m["path"] == "/api/v1/resolutions" && m["method"] == "GET" && m["status"] == float64(200) && m["request_id"] != "" && m["duration_ms"] != nil {
			sawRequest = true
		}
	}
	if !sawRequest {
		t.Errorf("no structured request log line; logs:\n%s", logs.String())
	}

	// A restart on the same database does not load the seed twice.
	addr2 := freeAddr(t)
	e2 := env(map[string]string{"DATABASE_URL": e("DATABASE_URL"), "WHEREAS_ADDR": addr2})
	ctx2, cancel2 := context.WithCancel(context.Background())
	var logs2 syncBuffer
	done2 := make(chan error, 1)
	go func() { done2 <- run(ctx2, []string{"serve"}, e2, nil, &logs2, &logs2) }()
	for time.Now().Before(deadline.Add(20 * time.Second)) {
		if strings.Contains(logs2.String(), "serving") {
			break
		}
		time.Sleep(50 * time.Millisecond)
	}
	cancel2()
	<-done2
	if strings.Contains(logs2.String(), "loaded the seed") {
		t.Errorf("restart loaded the seed again:\n%s", logs2.String())
	}
	resp, err = http.Get(fmt.Sprintf("http://%s/healthz", addr2))
	if err == nil {
		resp.Body.Close()
		t.Error("server still answering after shutdown")
	}
}

func TestGenCommand(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": u})
	var out, errb bytes.Buffer
	if err := run(context.Background(), []string{"gen", "-people", "120", "-resolutions", "3"}, e, nil, &out, &errb); err != nil {
		t.Fatalf("gen: %v (%s)", err, errb.String())
	}
	if !strings.Contains(out.String(), "120 people, 3 resolutions") {
		t.Errorf("gen said %q", out.String())
	}
	// The generated people have pages: cited by clauses that name them, with a Cyrillic alias.
	base, _ := serveInProcess(t, map[string]string{"DATABASE_URL": u})
	resp, err := http.Get(base + "/api/v1/people?per_page=5")
	if err != nil {
		t.Fatal(err)
	}
	var list struct {
		Total int
		Items []struct {
			Slug          string
			Aliases       []string
			ClauseCount   int     `json:"clause_count"`
			CurrentStatus *string `json:"current_status"`
		}
	}
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if list.Total != 120 || len(list.Items) != 5 {
		t.Fatalf("people total %d, %d items", list.Total, len(list.Items))
	}
	// Statuses come from recitals that name people: the bulk load must have set them.
	var all struct {
		Items []struct {
			CurrentStatus *string `json:"current_status"`
		}
	}
	resp2, err := http.Get(base + "/api/v1/people?per_page=200")
	if err != nil {
		t.Fatal(err)
	}
	json.NewDecoder(resp2.Body).Decode(&all)
	resp2.Body.Close()
	withStatus := 0
	for _, p := range all.Items {
		if p.CurrentStatus != nil {
			withStatus++
		}
	}
	if withStatus < 30 {
		t.Errorf("only %d of %d generated people have a current status", withStatus, len(all.Items))
	}
	for _, p := range list.Items {
		cyrillic := false
		for _, a := range p.Aliases {
			cyrillic = cyrillic || strings.ContainsAny(a, "АБВГДЕЖЗИКЛМНОПРСТУФХЦЧШЩЫЭЮЯаеиоуыя")
		}
		if p.ClauseCount == 0 || !cyrillic {
			t.Errorf("%s: cited by %d clauses, aliases %v", p.Slug, p.ClauseCount, p.Aliases)
		}

	}
}

func TestUserCommands(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": u})
	ctx := context.Background()
	step := func(stdin string, args ...string) (string, error) {
		var out, errb bytes.Buffer
		err := run(ctx, args, e, strings.NewReader(stdin), &out, &errb)
		return out.String() + errb.String(), err
	}
	if out, err := step("a long enough passphrase\n", "user", "add", "--email", "Editor@Example.org", "--role", "editor"); err != nil || !strings.Contains(out, "added editor@example.org (editor)") || strings.Contains(out, "password") {
		t.Errorf("user add with a piped password: %v %q", err, out)
	}
	out, err := step("", "user", "add", "--email", "admin@example.org", "--role", "admin")
	if err != nil || !strings.Contains(out, "password (shown once): ") {
		t.Errorf("user add with a generated password: %v %q", err, out)
	}
	if _, err := step("short\n", "user", "add", "--email", "x@example.org", "--role", "editor"); err == nil {
		t.Error("a 5-character password was accepted")
	}
	if _, err := step("a long enough passphrase\n", "user", "add", "--email", "x@example.org", "--role", "owner"); err == nil {
		t.Error("role owner was accepted")
	}
	if out, err := step("a long enough passphrase\n", "user", "add", "--email", "editor@example.org", "--role", "editor"); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("duplicate account: %v %q", err, out)
	}
	makeToken := func(name string, more ...string) string {
		t.Helper()
		out, err := step("", append([]string{"user", "token", "--email", "editor@example.org", "--name", name}, more...)...)
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if err != nil || len(lines[len(lines)-1]) < 40 {
			t.Fatalf("user token --name %s: %v %q", name, err, out)
		}
		return lines[len(lines)-1]
	}
	token := makeToken("import")
	if out, err := step("", "user", "list"); err != nil || !strings.Contains(out, "admin@example.org\tadmin\tenabled") {
		t.Errorf("user list: %v %q", err, out)
	}
	base, _ := serveInProcess(t, map[string]string{"DATABASE_URL": u})
	staffGet := func(token string) int {
		req, _ := http.NewRequest("GET", base+"/staff", nil)
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := (&http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}).Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	if code := staffGet(token); code != 200 {
		t.Errorf("GET /staff with the token = %d", code)
	}

	t.Run("DuplicateTokenNameRefused", func(t *testing.T) {
		out, err := step("", "user", "token", "--email", "editor@example.org", "--name", "import")
		if err == nil || !strings.Contains(err.Error(), `already has a live API token named "import"`) || !strings.Contains(err.Error(), "revoke-token") {
			t.Errorf("a second token named import: %v %q", err, out)
		}
		if n := postgrestest.Count(t, u, `SELECT count(*) FROM api_tokens WHERE name = 'import'`); n != 1 {
			t.Errorf("%d tokens named import", n)
		}
	})
	t.Run("ExpiresInChosenOrDefault", func(t *testing.T) {
		makeToken("week", "--expires-in", "7")
		for name, want := range map[string]int{"week": 7, "import": 90} {
			if got := postgrestest.Count(t, u, `SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int FROM api_tokens WHERE name = $1`, name); got != want {
				t.Errorf("token %s lasts %d days, want %d", name, got, want)
			}
		}
		for _, bad := range []string{"0", "366", "soon"} {
			_, err := step("", "user", "token", "--email", "editor@example.org", "--name", "bad", "--expires-in", bad)
			if _, usage := err.(usageError); !usage {
				t.Errorf("--expires-in %s: %v, want a usage error", bad, err)
			}
		}
	})
	t.Run("UnknownActionNamed", func(t *testing.T) {
		_, err := step("", "user", "frob")
		if _, usage := err.(usageError); !usage || !strings.Contains(err.Error(), `unknown action "frob"`) {
			t.Errorf("user frob: %v", err)
		}
	})

	// A password set for the account revokes its tokens; a token made afterwards works
	// until the account is disabled.
	if out, err := step("another long passphrase\n", "user", "passwd", "--email", "editor@example.org"); err != nil || !strings.Contains(out, "sessions have ended and its API tokens are revoked") {
		t.Errorf("user passwd: %v %q", err, out)
	}
	if code := staffGet(token); code != 401 {
		t.Errorf("GET /staff with a token made before user passwd = %d, want 401", code)
	}
	token = makeToken("import")
	if code := staffGet(token); code != 200 {
		t.Errorf("GET /staff with a token made after user passwd = %d", code)
	}
	if out, err := step("", "user", "disable", "--email", "editor@example.org"); err != nil || !strings.Contains(out, "revoked") {
		t.Errorf("user disable: %v %q", err, out)
	}
	if code := staffGet(token); code != 401 {
		t.Errorf("GET /staff with the token of a disabled account = %d, want 401", code)
	}
}

func TestBackupRestoreRoundTrip(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": src})
	step := func(e func(string) string, stdin string, args ...string) string {
		t.Helper()
		var out, errb bytes.Buffer
		if err := run(ctx, args, e, strings.NewReader(stdin), &out, &errb); err != nil {
			t.Fatalf("%v: %v (%s)", args, err, errb.String())
		}
		return out.String()
	}
	step(e, "", "seed")
	step(e, "a long enough passphrase\n", "user", "add", "--email", "editor@example.org", "--role", "editor")
	step(e, "", "user", "token", "--email", "editor@example.org", "--name", "script")
	// A status change and its audit entry, and a correction, through the storage layer.
	db, err := postgres.Open(ctx, src, postgres.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	d, _ := db.Case(ctx, "max-bokayev-case")
	upd := tracker.StatusUpdate{CaseSlug: "max-bokayev-case", Version: d.Case.Version, Status: "released", Note: "Released; Бокаев освобождён.",
		InternalNote: "secret address", SourceURL: "https://example.org/x"}
	if _, err := db.AppendStatus(ctx, postgres.Actor{Name: "test"}, upd, tracker.EntryDates{Effective: tracker.Day(time.Date(2021, 2, 8, 0, 0, 0, 0, time.UTC))}); err != nil {
		t.Fatal(err)
	}
	db.Close()

	dir := t.TempDir()
	first := filepath.Join(dir, "first.jsonl")
	if out := step(e, "", "backup", "-o", first); !strings.Contains(out, "rows") {
		t.Errorf("backup said %q", out)
	}

	dst := postgrestest.NewDatabase(t)
	e2 := env(map[string]string{"DATABASE_URL": dst})
	step(e2, "", "restore", first)
	second := filepath.Join(dir, "second.jsonl")
	step(e2, "", "backup", "-o", second)

	a, _ := os.ReadFile(first)
	b, _ := os.ReadFile(second)
	la, lb := strings.Split(string(a), "\n"), strings.Split(string(b), "\n")
	if len(la) != len(lb) || len(la) < 200 {
		t.Fatalf("backups have %d and %d lines", len(la), len(lb))
	}
	for i := 1; i < len(la); i++ { // line 0 is the header with its time
		if strings.HasPrefix(la[i], `{"table":"data_version"`) || strings.HasPrefix(la[i], `{"trailer"`) {
			continue // the change counter moves on past a restore, by design, and so the checksum differs
		}
		if la[i] != lb[i] {
			t.Fatalf("line %d differs after the round trip:\n%s\n%s", i, la[i], lb[i])
		}
	}
	if !strings.Contains(string(a), `"table":"audit_log"`) || !strings.Contains(string(a), "Бокаев освобождён") || strings.Contains(string(a), "a long enough passphrase") {
		t.Error("the backup lacks the audit log or the Cyrillic note, or holds a plain-text password")
	}

	t.Run("RefusesANonEmptyDatabase", func(t *testing.T) {
		var out bytes.Buffer
		err := run(ctx, []string{"restore", first}, e2, nil, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("restore into a restored database: %v", err)
		}
	})
	t.Run("RefusesAForeignFile", func(t *testing.T) {
		bad := filepath.Join(dir, "bad.jsonl")
		os.WriteFile(bad, []byte("hello\n"), 0o644)
		var out bytes.Buffer
		err := run(ctx, []string{"restore", bad}, env(map[string]string{"DATABASE_URL": postgrestest.NewDatabase(t)}), nil, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "not a Whereas backup") {
			t.Errorf("restore of a foreign file: %v", err)
		}
	})
}

func TestDossierCommand(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": u, "WHEREAS_PUBLIC_URL": "https://whereas.example.org/"})
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"seed"}, e, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	out.Reset()
	if err := run(ctx, []string{"dossier", "--person", "max-bokayev", "--format", "md"}, e, nil, &out, &errb); err != nil {
		t.Fatalf("dossier md: %v %s", err, errb.String())
	}
	for _, want := range []string{"# Max Bokayev", "Макс Бокаев", "https://whereas.example.org/resolutions/2019-2610-rsp#para_1", "Content hash"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("markdown dossier lacks %q", want)
		}
	}
	english := out.String()
	hash := regexp.MustCompile("`([0-9a-f]{64})`")
	// --lang kk: the headings, labels, dates and statuses in Kazakh; the record, the links
	// and the content hash as in English.
	out.Reset()
	if err := run(ctx, []string{"dossier", "--person", "max-bokayev", "--format", "md", "--lang", "kk"}, e, nil, &out, &errb); err != nil {
		t.Fatalf("dossier --lang kk: %v %s", err, errb.String())
	}
	for _, want := range []string{"# Max Bokayev", "Макс Бокаев", "## Қазіргі мәртебесі", "## Мәртебе хронологиясы", "## Осы адамға қатысты талаптар",
		"**Бас бостандығынан айыру** 2019 жылғы 14 наурызда қабылданған қарардың деректері бойынша", "**Орындалмады**", "## 2 ережеде аталған",
		"https://whereas.example.org/resolutions/2019-2610-rsp#para_1", "«release wrongfully imprisoned civil society activist Max Bokayev»", "Мазмұн хеші (SHA-256)"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("the Kazakh dossier lacks %q", want)
		}
	}
	for _, english := range []string{"## Current status", "## Status timeline", "## Cases", "Demands about this person", "Cited in", "Content hash", "Imprisoned", "Not met"} {
		if strings.Contains(out.String(), english) {
			t.Errorf("the Kazakh dossier says %q", english)
		}
	}
	if h := hash.FindStringSubmatch(out.String()); h == nil || !strings.Contains(english, h[1]) {
		t.Errorf("the Kazakh dossier's content hash differs from the English one's: %v", h)
	}
	kkHTML := filepath.Join(t.TempDir(), "kk.html")
	if err := run(ctx, []string{"dossier", "--person", "max-bokayev", "--format", "html", "--lang", "kk", "-o", kkHTML}, e, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(kkHTML); !strings.Contains(string(b), `<html lang="kk">`) || !strings.Contains(string(b), "Мәртебе хронологиясы") || !strings.Contains(string(b), "/dossier.pdf?lang=kk") {
		t.Error("the Kazakh HTML dossier is not in Kazakh")
	}
	dir := t.TempDir()
	out.Reset()
	if err := run(ctx, []string{"dossier", "--all", "-o", dir}, e, nil, &out, &errb); err != nil {
		t.Fatalf("dossier --all: %v %s", err, errb.String())
	}
	files, _ := os.ReadDir(dir)
	if len(files) != 22 || !strings.Contains(out.String(), "wrote 11 people's dossiers") {
		t.Errorf("--all wrote %d files: %s", len(files), out.String())
	}
	html := filepath.Join(dir, "one.html")
	if err := run(ctx, []string{"dossier", "--person", "ardak-ashim", "--format", "html", "-o", html}, e, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(html); !strings.Contains(string(b), "<style>") || !strings.Contains(string(b), "Ардақ Әшім") {
		t.Error("the HTML file does not stand alone or lacks the Kazakh alias")
	}
	for _, bad := range [][]string{{"dossier", "--person", "nobody", "--format", "pdf"}, {"dossier", "--person", "max-bokayev", "--format", "docx"}, {"dossier", "--all"},
		{"dossier", "--person", "max-bokayev", "--format", "md", "--lang", "de"}} {
		if err := run(ctx, bad, e, nil, &out, &errb); err == nil {
			t.Errorf("%v was accepted", bad)
		}
	}
}
