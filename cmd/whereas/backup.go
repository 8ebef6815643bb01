package main

import (
	"context"
	"fmt"
	"io"
	"os"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

const backupHelp = `Usage: whereas backup -o FILE

Writes everything to one portable file (JSON lines): resolutions, clauses, people,
organisations, legal provisions, cases and their links, every status history, the audit
log, and accounts and API tokens as hashes only (no plain-text secret exists to write).
It reads one consistent snapshot, so the server can keep running. "-o -" writes to
standard output.

Environment:
  DATABASE_URL  PostgreSQL URL (required)
`

const restoreHelp = `Usage: whereas restore FILE|-     (- reads the backup from standard input)

Loads a backup made by "whereas backup" into an empty database (it applies the migrations
first, and refuses a database that holds data). All of it is restored in one transaction,
or nothing is. Records keep their ids, so every address stays the same.

Environment:
  DATABASE_URL  PostgreSQL URL (required)
`

func runBackup(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("backup", backupHelp, stdout)
	out := fs.String("o", "", "the file to write (- for standard output)")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *out == "" {
		return usageError{"backup needs -o FILE"}
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	version, _, err := postgres.MigrateVersion(u)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	w, report := stdout, stderr
	var f *os.File
	if *out != "-" {
		// Write beside the target and rename, so a failed backup never leaves a partial file
		// under the name a restore would trust.
		if f, err = os.CreateTemp(dirOf(*out), ".whereas-backup-*"); err != nil {
			return err
		}
		defer os.Remove(f.Name())
		w, report = f, stdout
	}
	rows, err := db.Backup(ctx, w, version)
	if err != nil {
		return err
	}
	if f != nil {
		if err := f.Sync(); err != nil {
			return err
		}
		if err := f.Close(); err != nil {
			return err
		}
		if err := os.Rename(f.Name(), *out); err != nil {
			return err
		}
	}
	fmt.Fprintf(report, "backup: %d rows, schema version %d, written to %s\n", rows, version, *out)
	return nil
}

func dirOf(path string) string {
	for i := len(path) - 1; i >= 0; i-- {
		if path[i] == '/' {
			return path[:i+1]
		}
	}
	return "."
}

func runRestore(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("restore", restoreHelp, stdout)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if fs.NArg() != 1 {
		return usageError{"restore needs one FILE (- for standard input)"}
	}
	var r io.Reader = stdin
	if fs.Arg(0) != "-" {
		f, err := os.Open(fs.Arg(0))
		if err != nil {
			return err
		}
		defer f.Close()
		r = f
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	if err := postgres.MigrateUp(u); err != nil {
		return err
	}
	version, _, err := postgres.MigrateVersion(u)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	rows, err := db.Restore(ctx, r, version)
	if err != nil {
		if code := tracker.ErrorCode(err); code == tracker.EINVALID || code == tracker.ECONFLICT {
			return fmt.Errorf("restore: %s", tracker.ErrorMessage(err))
		}
		return err
	}
	if err := db.EnsureSearchNames(ctx); err != nil {
		return err
	}
	fmt.Fprintf(stdout, "restore: %d rows restored\n", rows)
	return nil
}
