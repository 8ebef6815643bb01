package main

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/whereas/whereas/internal/synth"
)

const genHelp = `Usage: whereas gen [-people N] [-resolutions R] [-names-per-clause K] [-seed S]

Fills the database with realistic synthetic data for benchmarks and scale tests: people
with Kazakh and Russian names in Latin and Cyrillic with spelling variants, resolutions
whose recitals and paragraphs name them, one case per person with a status history.
The same seed gives the same data. Applies pending migrations first; adds to what is there.

Environment:
  DATABASE_URL  PostgreSQL URL (required)

Options:
`

func runGen(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("gen", genHelp, stdout)
	people := fs.Int("people", 10000, "how many people")
	resolutions := fs.Int("resolutions", 0, "how many resolutions (default people/50)")
	seed := fs.Uint64("seed", 1, "random seed")
	names := fs.Int("names-per-clause", 0, "people each recital and paragraph names (default one to three); mentions ≈ resolutions × 23 × this × 2")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	if *people < 1 || *resolutions < 0 {
		return usageError{"gen: -people must be at least 1 and -resolutions not negative"}
	}
	db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	d := synth.Generate(synth.Options{People: *people, Resolutions: *resolutions, NamesPerClause: *names, Seed: *seed})
	if err := db.LoadSynthetic(ctx, d); err != nil {
		return err
	}
	mentions := 0
	for _, r := range d.Resolutions {
		mentions += len(r.Mentions)
	}
	fmt.Fprintf(stdout, "gen: added %d people, %d resolutions, %d cases, %d person mentions in %s\n",
		len(d.People), len(d.Resolutions), len(d.Cases), mentions, time.Since(start).Round(time.Millisecond))
	return nil
}
