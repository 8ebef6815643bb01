package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
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
