// Command whereas serves the Whereas web app and manages its database: one binary for
// serving, migrating, seeding and parsing resolution texts.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintln(os.Stderr, "whereas:", err)
			os.Exit(2)
		}
		if !errors.Is(err, errReported) {
			fmt.Fprintln(os.Stderr, "whereas:", err)
		}
		os.Exit(1)
	}
}

// usageError is a mistake in how the command was called; it exits with status 2.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// errReported means the failure has already been explained on stderr.
var errReported = errors.New("reported")

const usage = `whereas: follow what European Parliament resolutions demand and what happened since.

Usage:
  whereas serve                 serve the web app and JSON API
  whereas migrate up            apply pending database migrations
  whereas migrate down N|--all  revert the last N migrations, or every one (deleting all data)
  whereas migrate version       print the applied migration version (and, if dirty, what to do)
  whereas migrate force V       record version V as applied and clean, to recover a dirty database
  whereas migrate show N        print the SQL of migration N
  whereas seed                  load the seed resolution and its people, cases and laws
  whereas parse FILE|- [--json] print the clauses of a resolution text as JSON, warnings on
                                standard error (--json: with the warnings, title and dates)
  whereas import FILE|- [--procedure REF] [--title T] [--date YYYY-MM-DD] [--stage S] [--reference R] [--publish [--accept-warnings]]
                                import a resolution (text or Akoma Ntoso) as a draft for review
  whereas user ACTION           manage staff accounts and API tokens (add, passwd, disable,
                                list, token, revoke-token)
  whereas dossier --person SLUG --format pdf|json|md|html [-o FILE] [--internal] [--lang L]
  whereas dossier --all -o DIR [--format F] [--internal] [--lang L]
                                export dossiers
  whereas backup -o FILE|-      write everything to one portable file, while serving
  whereas restore [--check] FILE|-
                                check a backup is whole, then load it into an empty database
  whereas gen [-people N]       fill the database with synthetic data for benchmarks
  whereas bench                 load-benchmark a server on this machine (make bench)
  whereas help [COMMAND]        show help

Environment:
  DATABASE_URL        PostgreSQL URL, e.g. postgres://user@localhost:5432/whereas; read by
                      serve, migrate (not show), seed, import, user, dossier, backup,
                      restore, gen and bench
  WHEREAS_ADDR        address serve listens on (default :8080)
  WHEREAS_PUBLIC_URL  the site's address for absolute links (serve, dossier)
  serve reads more: see "whereas serve -h".

Run "whereas COMMAND -h" for a command's options and environment.
`

// run is the whole program, with its environment passed in so tests can drive it.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return usageError{"no command given"}
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "serve":
		return runServe(ctx, rest, getenv, stdout, stderr)
	case "migrate":
		return runMigrate(rest, getenv, stdout, stderr)
	case "seed":
		return runSeed(ctx, rest, getenv, stdout, stderr)
	case "parse":
		return runParse(rest, stdin, stdout, stderr)
	case "import":
		return runImport(ctx, rest, getenv, stdin, stdout, stderr)
	case "user":
		return runUser(ctx, rest, getenv, stdin, stdout, stderr)
	case "dossier":
		return runDossier(ctx, rest, getenv, stdout, stderr)
	case "backup":
		return runBackup(ctx, rest, getenv, stdout, stderr)
	case "restore":
		return runRestore(ctx, rest, getenv, stdin, stdout, stderr)
	case "gen":
		return runGen(ctx, rest, getenv, stdout, stderr)
	case "bench":
		return runBench(ctx, rest, getenv, stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(rest) > 0 && rest[0] != "help" {
			return run(ctx, []string{rest[0], "-h"}, getenv, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return nil
	}
	fmt.Fprint(stderr, usage)
	return usageError{fmt.Sprintf("unknown command %q", cmd)}
}
