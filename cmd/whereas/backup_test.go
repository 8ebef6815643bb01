package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// tableCount is how many tables the public schema of the database at u has: 0 for a
// database nothing was written to, migrations included.
func tableCount(t *testing.T, u string) int {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), u)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	var n int
	if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM pg_tables WHERE schemaname = current_schema()`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// TestRestoreRefusesWhatIsNotWhole cuts, empties and alters a real backup: every such file
// is refused by restore and by restore --check, and the database it was aimed at is left
// exactly as it was, with not even the migrations applied.
func TestRestoreRefusesWhatIsNotWhole(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": src})
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"seed"}, e, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	dir := t.TempDir()
	good := filepath.Join(dir, "good.jsonl")
	if err := run(ctx, []string{"backup", "-o", good}, e, nil, &out, &errb); err != nil {
		t.Fatal(err, errb.String())
	}
	raw, _ := os.ReadFile(good)
	lines := strings.SplitAfter(string(raw), "\n")
	lines = lines[:len(lines)-1] // the empty string after the last newline
	if len(lines) < 200 || !strings.HasPrefix(lines[len(lines)-1], `{"trailer":{"rows":{`) {
		t.Fatalf("the backup has %d lines, ending %q", len(lines), lines[len(lines)-1])
	}
	half := len(lines) / 2
	altered := append([]string(nil), lines...)
	for i, l := range altered {
		if strings.Contains(l, "Kharkova") && strings.HasPrefix(l, `{"table":"people"`) {
			altered[i] = strings.Replace(l, "Kharkova", "Kharkovа", 1) // a Cyrillic а for the Latin a
			break
		}
	}
	// A trailer whose checksum is right but whose counts are not.
	recount := append([]string(nil), lines...)
	recount[len(lines)-1] = strings.Replace(lines[len(lines)-1], `"people":11`, `"people":12`, 1)

	for _, tc := range []struct{ name, body, says string }{
		{"CutAtALineBoundary", strings.Join(lines[:half], ""), "without its trailer"},
		{"CutMidLine", strings.Join(lines[:half], "") + lines[half][:len(lines[half])/2], "middle of line"},
		{"WithoutTheTrailerOnly", strings.Join(lines[:len(lines)-1], ""), "without its trailer"},
		{"HeaderOnly", lines[0], "without its trailer"},
		{"OneRowAltered", strings.Join(altered, ""), "SHA-256 does not match"},
		{"TrailerCountsWrong", strings.Join(recount, ""), "table people 12 rows"},
		{"RowsAfterTheTrailer", strings.Join(lines, "") + lines[5], "after its trailer"},
		{"Empty", "", "empty"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.name == "OneRowAltered" && tc.body == string(raw) {
				t.Fatal("the test found no row to alter")
			}
			file := filepath.Join(dir, tc.name+".jsonl")
			os.WriteFile(file, []byte(tc.body), 0o644)
			dst := postgrestest.NewDatabase(t)
			var out bytes.Buffer
			err := run(ctx, []string{"restore", file}, env(map[string]string{"DATABASE_URL": dst}), nil, &out, &out)
			if err == nil || !strings.Contains(err.Error(), tc.says) || !strings.Contains(err.Error(), "Nothing was restored") {
				t.Errorf("restore = %v (%s), want a refusal saying %q", err, out.String(), tc.says)
			}
			if n := tableCount(t, dst); n != 0 {
				t.Errorf("the refused restore left %d tables in the database", n)
			}
			if err := run(ctx, []string{"restore", "--check", file}, env(nil), nil, &out, &out); err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("restore --check = %v, want a refusal saying %q", err, tc.says)
			}
		})
	}

	t.Run("CheckSaysAWholeBackupIsWhole", func(t *testing.T) {
		t.Parallel()
		var out bytes.Buffer
		if err := run(ctx, []string{"restore", good, "--check"}, env(nil), nil, &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "a whole backup") || !strings.Contains(out.String(), "people") {
			t.Errorf("restore --check said %q", out.String())
		}
	})

	t.Run("StandardInputRestores", func(t *testing.T) {
		t.Parallel()
		dst := postgrestest.NewDatabase(t)
		var out bytes.Buffer
		if err := run(ctx, []string{"restore", "-"}, env(map[string]string{"DATABASE_URL": dst}), bytes.NewReader(raw), &out, &out); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(out.String(), "rows restored") {
			t.Errorf("restore said %q", out.String())
		}
	})

	t.Run("NonEmptyDatabaseRefusedBeforeMigrating", func(t *testing.T) {
		t.Parallel()
		dst := postgrestest.NewDatabase(t)
		de := env(map[string]string{"DATABASE_URL": dst})
		var out bytes.Buffer
		if err := run(ctx, []string{"seed"}, de, nil, &out, &out); err != nil {
			t.Fatal(err)
		}
		if err := postgres.MigrateDown(dst, 1); err != nil {
			t.Fatal(err)
		}
		before, _, _ := postgres.MigrateVersion(dst)
		err := run(ctx, []string{"restore", good}, de, nil, &out, &out)
		if err == nil || !strings.Contains(err.Error(), "not empty") {
			t.Errorf("restore into a seeded database = %v", err)
		}
		if after, dirty, _ := postgres.MigrateVersion(dst); after != before || dirty {
			t.Errorf("the refused restore moved the schema from version %d to %d (dirty %v)", before, after, dirty)
		}
	})
}

// TestBackupKeepsAttachedFiles backs up a database with attached files (one of several
// megabytes, so of several pieces; one internal) and restores it into a fresh database:
// the rows and the bytes come back, byte for byte, with the same SHA-256.
func TestBackupKeepsAttachedFiles(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := seededSource(t)
	db, err := postgres.Open(ctx, src, postgres.Config{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	big := make([]byte, 2<<20+777)
	if _, err := rand.Read(big); err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for i, f := range []struct {
		data  []byte
		owner tracker.AttachmentOwner
		v     tracker.Visibility
	}{
		{big, tracker.AttachmentOwner{CaseSlug: "max-bokayev-case"}, tracker.Public},
		{[]byte("A letter from prison."), tracker.AttachmentOwner{PersonSlug: "max-bokayev"}, tracker.Internal},
	} {
		sum := sha256.Sum256(f.data)
		key := hex.EncodeToString(sum[:])
		att := tracker.Attachment{Owner: f.owner, Title: fmt.Sprint("File ", i), Filename: fmt.Sprint("file-", i, ".bin"), ContentType: "application/pdf",
			Size: int64(len(f.data)), SHA256: key, Visibility: f.v, BlobKey: key, TextState: "none"}
		if _, err := db.CreateAttachment(ctx, postgres.Actor{Name: "editor@example.org"}, db.Blobs(), att, "", bytes.NewReader(f.data)); err != nil {
			t.Fatal(err)
		}
		files[key] = f.data
	}
	db.Close()
	backup, dst := backupRestored(t, src)
	restored, err := postgres.Open(ctx, dst, postgres.Config{MaxConns: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	for _, of := range []postgres.AttachmentsOf{{Case: "max-bokayev-case", Staff: true}, {Person: "max-bokayev", Staff: true}} {
		list, err := restored.Attachments(ctx, of)
		if err != nil || len(list) != 1 {
			t.Fatalf("restored %+v of %+v (%v), want one file", list, of, err)
		}
		a := list[0]
		rc, err := restored.Blobs().Open(ctx, a.BlobKey)
		if err != nil {
			t.Fatal(err)
		}
		got, err := io.ReadAll(rc)
		rc.Close()
		sum := sha256.Sum256(got)
		if err != nil || !bytes.Equal(got, files[a.SHA256]) || hex.EncodeToString(sum[:]) != a.SHA256 {
			t.Errorf("file %s came back as %d bytes (err %v), want the %d backed up", a.Filename, len(got), err, len(files[a.SHA256]))
		}
	}
	var out bytes.Buffer
	if err := run(ctx, []string{"restore", "--check", backup}, env(nil), nil, &out, &out); err != nil || !strings.Contains(out.String(), "attachment_blobs") {
		t.Errorf("restore --check = %v, saying %q", err, out.String())
	}
}

// TestBackupKeepsWatches: who watches what (a staff member in Russian, a visitor by email
// with the confirmation and unsubscribe tokens as hashes), the digest setting and the
// visitors' switch come back from a backup as they were, and the restore itself writes no
// news for anyone.
func TestBackupKeepsWatches(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	src := seededSource(t)
	postgrestest.Exec(t, src, `INSERT INTO users (email, role, password_hash) VALUES ('watcher@example.org', 'editor', 'not a hash')`)
	postgrestest.Exec(t, src, `INSERT INTO watches (user_id, person_id, lang, confirmed_at)
		SELECT u.id, p.id, 'ru', now() FROM users u, people p WHERE u.email = 'watcher@example.org' AND p.slug = 'max-bokayev'`)
	postgrestest.Exec(t, src, `INSERT INTO watches (email, case_id, lang, confirm_hash)
		SELECT 'visitor@example.org', id, 'kk', sha256('confirm') FROM cases WHERE slug = 'dvk-ban'`)
	postgrestest.Exec(t, src, `INSERT INTO watch_tokens (token_hash, watch_id) SELECT sha256('unsubscribe'), min(id) FROM watches`)
	postgrestest.Exec(t, src, `INSERT INTO staff_digests (user_id, enabled, lang) SELECT id, false, 'kk' FROM users`)
	postgrestest.Exec(t, src, `UPDATE site_settings SET visitor_watches = true, updated_by = 'admin@example.org'`)
	const state = `SELECT (SELECT jsonb_agg(to_jsonb(w) - 'id' - 'user_id' ORDER BY w.lang) FROM watches w)::text
		|| (SELECT jsonb_agg(encode(token_hash, 'hex'))::text FROM watch_tokens)
		|| (SELECT jsonb_agg(to_jsonb(d) - 'user_id')::text FROM staff_digests d)
		|| (SELECT jsonb_agg(to_jsonb(s))::text FROM site_settings s)`
	read := func(u string) string {
		conn, err := pgx.Connect(ctx, u)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		var s string
		if err := conn.QueryRow(ctx, state).Scan(&s); err != nil {
			t.Fatal(err)
		}
		return s
	}
	want := read(src)
	_, dst := backupRestored(t, src)
	if got := read(dst); got != want {
		t.Errorf("watches after restore:\n%s\nwant\n%s", got, want)
	}
	if n := postgrestest.Count(t, dst, `SELECT count(*) FROM watch_events`); n != 0 {
		t.Errorf("the restore wrote %d changes to mail", n)
	}
}

// seededSource is a new database with the seed loaded by the seed command.
func seededSource(t *testing.T) string {
	t.Helper()
	src := postgrestest.NewDatabase(t)
	var out bytes.Buffer
	if err := run(context.Background(), []string{"seed"}, env(map[string]string{"DATABASE_URL": src}), nil, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	return src
}

// backupRestored backs up the database at src with the backup command and restores the
// file into a new database: the file, and the new database's URL.
func backupRestored(t *testing.T, src string) (file, dst string) {
	t.Helper()
	var out bytes.Buffer
	file = filepath.Join(t.TempDir(), "backup.jsonl")
	if err := run(context.Background(), []string{"backup", "-o", file}, env(map[string]string{"DATABASE_URL": src}), nil, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	dst = postgrestest.NewDatabase(t)
	if err := run(context.Background(), []string{"restore", file}, env(map[string]string{"DATABASE_URL": dst}), nil, &out, &out); err != nil {
		t.Fatal(err, out.String())
	}
	return file, dst
}
