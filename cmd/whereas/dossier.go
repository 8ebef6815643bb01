package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/web"
)

const dossierHelp = `Usage:
  whereas dossier --person SLUG --format pdf|json|md|html [-o FILE] [--internal] [--lang en|ru|kk]
  whereas dossier --all -o DIR [--format pdf|json|md|html] [--internal] [--lang en|ru|kk]

Writes a person's dossier: profile, aliases, current status and the full status timeline,
cases with their laws, demands about the person with their follow-up state, every clause
citing them verbatim, the organisations involved, when it was generated and when the data
last changed, and a content hash to compare copies. Without -o, one dossier goes to
standard output. --all writes every person's dossier into DIR (PDF and JSON unless
--format says otherwise). --internal includes staff-only internal notes: do not share it.
--lang writes the headings, labels, dates and statuses in English (en, the default),
Russian (ru) or Kazakh (kk); names, notes and the resolutions' quoted words stay as they
were written, and the content hash is the same in every language.

Environment:
  DATABASE_URL        PostgreSQL URL (required)
  WHEREAS_PUBLIC_URL  the site's address for the links in the dossier [http://localhost:8080]

Options:
`

func runDossier(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("dossier", dossierHelp, stdout)
	person := fs.String("person", "", "the person's slug, as in /people/SLUG")
	format := fs.String("format", "", "pdf, json, md or html")
	out := fs.String("o", "", "file (or, with --all, directory) to write")
	all := fs.Bool("all", false, "every person")
	internal := fs.Bool("internal", false, "include internal notes (staff only)")
	langFlag := fs.String("lang", "en", "the dossier's language: en, ru or kk")
	if done, err := parseFlags(fs, args); done {
		return err
	}
	lang, ok := i18n.Parse(*langFlag)
	if !ok {
		return usageError{fmt.Sprintf("dossier: unknown language %q (en, ru or kk)", *langFlag)}
	}
	words := dossier.Words{Lang: lang, Catalog: web.Catalog()}
	ctx = web.WithLang(ctx, lang)
	formats := []string{*format}
	switch {
	case *all && *out == "":
		return usageError{"dossier --all needs -o DIR"}
	case *all && *format == "":
		formats = []string{"pdf", "json"}
	case !*all && *person == "":
		return usageError{"dossier needs --person SLUG or --all"}
	case !*all && *format == "":
		return usageError{"dossier needs --format pdf, json, md or html"}
	}
	for _, f := range formats {
		if f != "pdf" && f != "json" && f != "md" && f != "html" {
			return usageError{fmt.Sprintf("dossier: unknown format %q (pdf, json, md or html)", f)}
		}
	}
	u, err := databaseURL(getenv)
	if err != nil {
		return err
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 2})
	if err != nil {
		return err
	}
	defer db.Close()
	base := strings.TrimSuffix(getenv("WHEREAS_PUBLIC_URL"), "/")
	if base == "" {
		base = "http://localhost:8080"
	}
	profile := dossier.Public
	if *internal {
		profile = dossier.Internal
	}
	changedAt := db.DataChangedAt
	if profile == dossier.Internal {
		changedAt = db.StaffDataChangedAt
	}
	changed, err := changedAt(ctx)
	if err != nil {
		return err
	}
	build := func(slug string) (dossier.Dossier, error) {
		pd, err := db.DossierPerson(ctx, slug)
		if err != nil {
			return dossier.Dossier{}, fmt.Errorf("person %s: %s", slug, errorText(err))
		}
		return dossier.Build(pd, profile, base, changed, time.Now(), words), nil
	}
	if !*all {
		d, err := build(*person)
		if err != nil {
			return err
		}
		b, err := encodeDossier(ctx, d, *format)
		if err != nil {
			return err
		}
		if *out == "" || *out == "-" {
			_, err = stdout.Write(b)
			return err
		}
		return os.WriteFile(*out, b, 0o644)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}
	n := 0
	err = db.PersonSlugs(ctx, func(slug string) error {
		d, err := build(slug)
		if err != nil {
			return err
		}
		for _, f := range formats {
			b, err := encodeDossier(ctx, d, f)
			if err != nil {
				return err
			}
			if err := os.WriteFile(filepath.Join(*out, slug+"."+f), b, 0o644); err != nil {
				return err
			}
		}
		n++
		return nil
	})
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "dossier: wrote %d people's dossiers (%s) to %s\n", n, strings.Join(formats, ", "), *out)
	return nil
}

// encodeDossier writes one format; HTML carries its stylesheet inside, to stand alone.
func encodeDossier(ctx context.Context, d dossier.Dossier, format string) ([]byte, error) {
	switch format {
	case "json":
		return d.JSON()
	case "md":
		return d.Markdown(), nil
	case "html":
		css, err := web.Static.ReadFile("static/dossier.css")
		if err != nil {
			return nil, err
		}
		var buf bytes.Buffer
		err = web.DossierPage(d, string(css)).Render(ctx, &buf)
		return buf.Bytes(), err
	}
	var buf bytes.Buffer
	err := d.PDF(&buf)
	return buf.Bytes(), err
}
