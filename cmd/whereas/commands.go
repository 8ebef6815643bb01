package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// newFlags makes a subcommand's flag set whose -h prints help and returns flag.ErrHelp.
func newFlags(name, help string, stdout io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stdout)
	fs.Usage = func() {
		fmt.Fprint(stdout, help)
		fs.PrintDefaults()
	}
	return fs
}

// parseFlagsAnywhere is parseFlags for a command whose operands (files) may come before,
// between or after its options; it returns the operands in order.
func parseFlagsAnywhere(fs *flag.FlagSet, args []string) (operands []string, done bool, err error) {
	for {
		if done, err := parseFlags(fs, args); done {
			return nil, true, err
		}
		if fs.NArg() == 0 {
			return operands, false, nil
		}
		operands, args = append(operands, fs.Arg(0)), fs.Args()[1:]
	}
}

// parseFlags parses args; asking for help is a success, a bad flag a usage error.
func parseFlags(fs *flag.FlagSet, args []string) (done bool, err error) {
	if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
		return true, nil
	} else if err != nil {
		return true, usageError{err.Error()}
	}
	return false, nil
}

func databaseURL(getenv func(string) string) (string, error) {
	u := getenv("DATABASE_URL")
	if u == "" {
		return "", usageError{"DATABASE_URL is not set (e.g. postgres://user@localhost:5432/whereas); `make run` sets it up for you"}
	}
	return u, nil
}

const migrateHelp = `Usage: whereas migrate up | down N | down --all | version | force VERSION | show N

Applies, reverts or reports the database schema. The migrations are built into the binary;
each runs in one transaction together with the version that records it, so an interrupted
or failed migration leaves the previous version, clean, and "up" runs it again.
  up             apply every pending migration
  down N         revert the last N migrations
  down --all     revert every migration: this deletes every table and all the data in it
                 (the README lists which migrations delete data on the way down)
  version        print the applied version; if it is marked dirty, what to check and run
  force VERSION  record VERSION as applied and clean, running nothing (0: none applied);
                 for a database an older whereas left dirty, after checking what it holds
  show N         print the SQL of migration N (up), to check what a dirty one would create

Environment:
  DATABASE_URL  PostgreSQL URL (required; not for show)
`

func runMigrate(args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || strings.HasPrefix(args[0], "-") {
		fs := newFlags("migrate", migrateHelp, stdout)
		if done, err := parseFlags(fs, args); done {
			return err
		}
		fmt.Fprint(stderr, migrateHelp)
		return usageError{"migrate needs up, down, version, force or show"}
	}
	action := args[0]
	switch action {
	case "up", "down", "version", "force", "show":
	default:
		fmt.Fprint(stderr, migrateHelp)
		return usageError{fmt.Sprintf("migrate: unknown action %q (want up, down, version, force or show)", action)}
	}
	fs := newFlags("migrate "+action, migrateHelp, stdout)
	all := fs.Bool("all", false, "down: revert every migration")
	if done, err := parseFlags(fs, args[1:]); done {
		return err
	}
	number := func(what string, min int) (int, error) {
		if fs.NArg() != 1 {
			return 0, usageError{fmt.Sprintf("migrate %s needs one %s", action, what)}
		}
		n, err := strconv.Atoi(fs.Arg(0))
		if err != nil || n < min {
			return 0, usageError{fmt.Sprintf("migrate %s: %s must be a whole number from %d, not %q", action, what, min, fs.Arg(0))}
		}
		return n, nil
	}
	if action != "down" && *all {
		return usageError{fmt.Sprintf("migrate %s: --all is only for down", action)}
	}
	if action == "show" {
		n, err := number("N", 1)
		if err != nil {
			return err
		}
		sql, err := postgres.MigrationSQL(uint(n), true)
		if err != nil {
			return usageError{"migrate show: " + tracker.ErrorMessage(err)}
		}
		fmt.Fprintf(stdout, "-- %s\n%s", postgres.MigrationFile(uint(n)), sql)
		return nil
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	switch action {
	case "up":
		if fs.NArg() > 0 {
			return usageError{fmt.Sprintf("migrate up takes no argument, not %q", fs.Arg(0))}
		}
		if err := postgres.MigrateUp(u); err != nil {
			return err
		}
	case "down":
		n := 0
		switch {
		case *all && fs.NArg() > 0:
			return usageError{"migrate down: give N or --all, not both"}
		case *all:
			fmt.Fprintln(stderr, "migrate down --all: reverting every migration; every table and its data goes")
		case fs.NArg() == 0:
			fmt.Fprint(stderr, migrateHelp)
			return usageError{"migrate down needs N (how many migrations to revert) or --all; with --all every table and its data is deleted"}
		default:
			if n, err = number("N", 1); err != nil {
				return err
			}
		}
		if err := postgres.MigrateDown(u, n); err != nil {
			return err
		}
	case "force":
		n, err := number("VERSION", 0)
		if err != nil {
			return err
		}
		if err := postgres.MigrateForce(u, uint(n)); err != nil {
			if tracker.ErrorCode(err) == tracker.EINVALID {
				return usageError{"migrate force: " + tracker.ErrorMessage(err)}
			}
			return err
		}
	case "version":
		if fs.NArg() > 0 {
			return usageError{fmt.Sprintf("migrate version takes no argument, not %q", fs.Arg(0))}
		}
	}
	v, dirty, err := postgres.MigrateVersion(u)
	if err != nil {
		return err
	}
	if dirty {
		fmt.Fprintf(stdout, "version %d (dirty)\n%v\n", v, postgres.NewDirtyError(v))
	} else {
		fmt.Fprintf(stdout, "version %d\n", v)
	}
	return nil
}

const seedHelp = `Usage: whereas seed

Loads the seed resolution, 2019/2610(RSP) "Human rights situation in Kazakhstan", with the
people, organisations, legal provisions and cases it names, from the dataset built into the
binary (data/seed/ in the source). Applies pending migrations first. Running it again
changes nothing: records that exist are left as they are.

Environment:
  DATABASE_URL  PostgreSQL URL (required)
`

func runSeed(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("seed", seedHelp, stdout)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	res, err := loadSeed(ctx, db)
	if err != nil {
		return err
	}
	if !res.Changed() {
		fmt.Fprintln(stdout, "seed: already loaded; nothing changed")
		return nil
	}
	fmt.Fprintf(stdout, "seed: added %d resolution, %d clauses, %d people, %d organisations, %d legal provisions, %d cases, %d status entries, %d mentions, %d demands\n",
		res.Resolutions, res.Clauses, res.People, res.Organisations, res.LegalProvisions, res.Cases, res.StatusEntries, res.Mentions, res.Demands)
	if res.Redated > 0 {
		fmt.Fprintf(stdout, "seed: %d entries an earlier seed dated to the adoption now say so (\"reported by the resolution of …\")\n", res.Redated)
	}
	return nil
}

// openMigrated applies pending migrations to DATABASE_URL and opens a small pool on it,
// for the commands that write data (seed, gen).
func openMigrated(ctx context.Context, getenv func(string) string) (*postgres.DB, error) {
	u, err := databaseURL(getenv)
	if err != nil {
		return nil, err
	}
	if err := postgres.MigrateUp(u); err != nil {
		return nil, err
	}
	return postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
}

// loadSeed imports the built-in dataset.
func loadSeed(ctx context.Context, db *postgres.DB) (postgres.ImportResult, error) {
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		return postgres.ImportResult{}, fmt.Errorf("load seed dataset: %w", err)
	}
	return db.ImportDataset(ctx, ds)
}

const parseHelp = `Usage: whereas parse FILE [--json]
       whereas parse - [--json]  (read the text from standard input)

Parses the raw text of a European Parliament resolution (as extracted from its PDF or HTML,
or a whole EP web page copied from top to bottom) and prints its clauses as JSON:
[{"kind", "label", "eid", "text"}, ...], kind being citation, recital, paragraph or point.
Touches no database. Text it cannot parse is refused with a message naming the line, and
exit status 1.

Where it read the text but is unsure (a clause several times longer than the others, one
holding what looks like a page footer, a document reference, an amendment heading, a
footnote or a signature, a numbering gap, a clause that seems to start in the middle of a
line), it prints "line N: warning: …" on standard error and still exits 0.

--json prints an object instead: {"title", "procedure", "adopted", "tabled",
"recitals_note", "clauses": [...], "warnings": [{"line", "msg"}, ...]}.

Environment: none.

Options:
`

func runParse(args []string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("parse", parseHelp, stdout)
	asObject := fs.Bool("json", false, "print {\"clauses\": [...], \"warnings\": [...]} with the title, procedure and dates")
	files, done, err := parseFlagsAnywhere(fs, args)
	if done {
		return err
	}
	if len(files) != 1 {
		fmt.Fprint(stderr, parseHelp)
		return usageError{"parse needs one FILE, or - for standard input"}
	}
	name := files[0]
	var raw []byte
	if name == "-" {
		name = "stdin"
		raw, err = io.ReadAll(io.LimitReader(stdin, 16<<20))
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("parse: %w", err)
	}
	doc, err := parser.Parse(string(raw))
	if err != nil {
		fmt.Fprintf(stderr, "whereas parse: %s: %v\n", name, err)
		return errReported
	}
	for _, w := range doc.Warnings {
		fmt.Fprintf(stderr, "whereas parse: %s: %s\n", name, w)
	}
	type clause struct {
		Kind  tracker.ClauseKind `json:"kind"`
		Label string             `json:"label"`
		EID   string             `json:"eid"`
		Text  string             `json:"text"`
	}
	clauses := make([]clause, len(doc.Clauses))
	for i, c := range doc.Clauses {
		clauses[i] = clause{c.Kind, c.Label, c.EID, c.Text}
	}
	var out any = clauses
	if *asObject {
		day := func(t time.Time) string {
			if t.IsZero() {
				return ""
			}
			return t.Format(time.DateOnly)
		}
		out = struct {
			Title        string           `json:"title"`
			Procedure    string           `json:"procedure"`
			Adopted      string           `json:"adopted"`
			Tabled       string           `json:"tabled"`
			Stage        string           `json:"stage"`
			Reference    string           `json:"reference"`
			RecitalsNote string           `json:"recitals_note"`
			Clauses      []clause         `json:"clauses"`
			Warnings     []parser.Warning `json:"warnings"`
		}{doc.Title, doc.Procedure, day(doc.Adopted), day(doc.Tabled), string(doc.Stage), doc.Reference, doc.RecitalsNote, clauses, append([]parser.Warning{}, doc.Warnings...)}
	}
	enc := json.NewEncoder(stdout)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}

// durationEnv reads a duration such as "10s" from the environment, or def when unset.
func durationEnv(getenv func(string) string, name string, def time.Duration) (time.Duration, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d < 0 {
		return 0, usageError{fmt.Sprintf("%s=%q: want a duration such as 10s or 500ms", name, v)}
	}
	return d, nil
}

// intEnv reads a positive whole number from the environment, or def when unset.
func intEnv(getenv func(string) string, name string, def int) (int, error) {
	v := getenv(name)
	if v == "" {
		return def, nil
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < 1 {
		return 0, usageError{fmt.Sprintf("%s=%q: want a positive whole number", name, v)}
	}
	return n, nil
}

// errorText is an error as a user should read it: the message of an application error,
// the full text of anything else.
func errorText(err error) string {
	if tracker.ErrorCode(err) != tracker.EINTERNAL {
		return tracker.ErrorMessage(err)
	}
	return err.Error()
}
