package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

const importHelp = `Usage: whereas import FILE|- [--procedure REF] [--title T] [--date YYYY-MM-DD] [--stage S] [--reference R] [--publish [--accept-warnings]]

Reads a resolution (plain text as extracted from the EP's PDF or HTML, or Akoma Ntoso XML
as /resolutions/{slug}.akn.xml exports it), parses it with the same parser as the seed,
and stores it as a draft for review. It prints the clauses, the links found to known
people, organisations and laws, the names that look like new people (with the role and
place the text gives), the demands its paragraphs seem to make, and, when the procedure is
published already, the clause-by-clause changes. Nothing is public until the draft is
published: on the admin page /admin/imports/{id}, or here with --publish, which accepts
every proposed link and no proposed demand (accept those on the review page).

Where the parser was unsure it prints warnings ("line N: warning: …"). A text with
warnings is not published by --publish alone: the draft is kept, the command says so on
standard error and exits 1. Compare those lines with the official text, then publish the
draft on its review page or run the import again with --publish --accept-warnings.

A text that cannot be parsed is refused with the line where it stopped; nothing is written.
--procedure, --title and --date (the day of the Parliament's vote) may be left out when
the text gives them; --stage and --reference when its front matter says which text it is.
Another stage of a published procedure is published beside it, not over it.

Environment: DATABASE_URL.

Options:
`

func runImport(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) error {
	fs := newFlags("import", importHelp, stdout)
	procedure := fs.String("procedure", "", "procedure reference, e.g. 2019/2610(RSP)")
	title := fs.String("title", "", "the resolution's title")
	date := fs.String("date", "", "the day of the Parliament's vote in the procedure, YYYY-MM-DD")
	stage := fs.String("stage", "", "which text this is: motion, joint_motion or adopted")
	reference := fs.String("reference", "", "its document number: B8-0180/2019, RC-B8-0180/2019, P8_TA(2019)0203")
	publish := fs.Bool("publish", false, "publish at once, accepting every proposed link")
	acceptWarnings := fs.Bool("accept-warnings", false, "with --publish: publish even though the parser warned (after comparing those lines with the source)")
	files, done, err := parseFlagsAnywhere(fs, args)
	if done {
		return err
	}
	if len(files) != 1 {
		fmt.Fprint(stderr, importHelp)
		return usageError{"import needs one FILE, or - for standard input"}
	}
	if *acceptWarnings && !*publish {
		return usageError{"--accept-warnings goes with --publish"}
	}
	name := files[0]
	var raw []byte
	if name == "-" {
		name = "stdin"
		raw, err = io.ReadAll(io.LimitReader(stdin, importer.MaxSourceBytes+1))
	} else {
		raw, err = os.ReadFile(name)
	}
	if err != nil {
		return fmt.Errorf("import: %w", err)
	}
	req := importer.Request{Procedure: *procedure, Title: *title, Date: *date, Stage: *stage, Reference: *reference, Text: string(raw)}
	if _, errs := req.Validate(); errs.Any() {
		for _, f := range []string{"text", "procedure", "title", "date", "stage", "reference"} {
			if msg := errs[f]; msg != "" {
				flagName := map[string]string{"text": name, "procedure": "--procedure", "title": "--title", "date": "--date", "stage": "--stage", "reference": "--reference"}[f]
				fmt.Fprintf(stderr, "whereas import: %s: %s\n", flagName, msg)
			}
		}
		return errReported
	}
	db, err := openMigrated(ctx, getenv)
	if err != nil {
		return err
	}
	defer db.Close()
	id, err := db.CreateDraft(ctx, cliActor, req)
	if err != nil {
		return fmt.Errorf("import: %s", errorText(err))
	}
	v, err := db.DraftView(ctx, id)
	if err != nil {
		return fmt.Errorf("import: %s", errorText(err))
	}
	printView(stdout, v)
	if !*publish {
		fmt.Fprintf(stdout, "\nDraft %d saved, not public. Review and publish it at /admin/imports/%d, or run the import again with --publish.\n", id, id)
		return nil
	}
	res, err := db.PublishDraft(ctx, cliActor, id, v.Record.Version, *acceptWarnings)
	var verr *tracker.ValidationError
	if errors.As(err, &verr) && verr.Fields[importer.WarningsField] != "" {
		n := len(v.Preview.Parsed.Warnings)
		fmt.Fprintf(stderr, "whereas import: not published: the parser gave %s (listed above under \"Warnings (%d)\"). Draft %d is saved, not public: compare those lines with the official text, then publish it at /admin/imports/%d, or run the import again with --publish --accept-warnings.\n",
			web.Plural(n, "warning", "warnings"), n, id, id)
		return errReported
	}
	if err != nil {
		return fmt.Errorf("import: publish: %s", errorText(err))
	}
	fmt.Fprintf(stdout, "\nPublished at /resolutions/%s: %d clauses added, %d changed, %d removed, %d unchanged; %d links, %d new people, %d new organisations.\n",
		res.Slug, res.Added, res.Changed, res.Removed, res.Unchanged, res.Links, res.People, res.Organisations)
	return nil
}

// printView writes a draft's preview for a terminal.
func printView(w io.Writer, v importer.View) {
	pv := v.Preview
	r := v.Record
	// Which text this is: "adopted 20 January 2022" for a text adopted, the stage and what
	// is known of its date for the others.
	stage := web.StageDate(tracker.TextRef{Stage: r.Stage, TextDate: r.TextDate, VoteDate: r.AdoptedOn})
	if r.Stage != tracker.Adopted {
		stage = r.Stage.Label() + map[bool]string{true: " " + r.Reference}[r.Reference != ""] + ", " + stage
	}
	fmt.Fprintf(w, "%s · %s · %s · %s\n", r.Procedure, r.Title, stage, pv.Parsed.Format)
	for _, o := range v.Stages {
		fmt.Fprintf(w, "Kept beside another text of this procedure: %s%s at /resolutions/%s\n", o.Stage.Label(), map[bool]string{true: " " + o.Reference}[o.Reference != ""], o.Slug)
	}
	if pv.Existing {
		fmt.Fprintf(w, "Re-import of a published resolution: %d clauses changed, %d added, %d removed, %d unchanged.\n",
			pv.Changed, pv.Added, len(pv.Removed), pv.Unchanged)
	} else {
		fmt.Fprintf(w, "New resolution: %d clauses.\n", len(pv.Clauses))
	}
	if pv.Parsed.FullTitle != "" {
		fmt.Fprintf(w, "The title is shortened for display; in full: %s\n", pv.Parsed.FullTitle)
	}
	if pv.Parsed.RecitalsNote != "" {
		fmt.Fprintln(w, pv.Parsed.RecitalsNote)
	}
	if n := len(pv.Parsed.Warnings); n > 0 {
		fmt.Fprintf(w, "Warnings (%d): compare these lines of the text with the official one before publishing:\n", n)
		for _, x := range pv.Parsed.Warnings {
			fmt.Fprintf(w, "  %s\n", x)
		}
	}
	for _, c := range pv.Clauses {
		mark := map[string]string{importer.Added: "+", importer.Changed: "~", importer.Unchanged: " "}[c.Change]
		if !pv.Existing {
			mark = " "
		}
		var links []string
		for _, l := range c.Links {
			links = append(links, fmt.Sprintf("%s → %s/%s", l.Matched, l.Type, l.Slug))
		}
		line := fmt.Sprintf("%s %-16s %s", mark, c.Clause.EID, tracker.Shorten(c.Clause.Text, 70))
		if len(links) > 0 {
			line += "\n                   links: " + strings.Join(links, "; ")
		}
		fmt.Fprintln(w, line)
	}
	for _, c := range pv.Removed {
		fmt.Fprintf(w, "- %-16s %s\n", c.EID, tracker.Shorten(c.Text, 70))
	}
	fmt.Fprintf(w, "%d links proposed.\n", pv.Links)
	if len(pv.Candidates) > 0 {
		fmt.Fprintln(w, "Names of people and organisations not yet known (create them on the review page):")
		for _, c := range pv.Candidates {
			said := c.Cue
			if c.Role != "" {
				said = c.Role
			}
			if c.Place != "" {
				said += ", from " + c.Place
			}
			fmt.Fprintf(w, "  %s (%s: %s; %s)\n", c.Name, c.Type.Noun(), said, strings.Join(c.Clauses, ", "))
		}
	}
	n := 0
	for _, c := range pv.Clauses {
		n += len(c.Proposals)
	}
	if n > 0 {
		fmt.Fprintf(w, "Proposed demands (%d; accept, change or reject them on the review page; --publish leaves them out):\n", n)
		for _, c := range pv.Clauses {
			for _, p := range c.Proposals {
				fmt.Fprintf(w, "  %-16s %s: %s\n", c.Clause.EID, p.Demand.Action.Label(), tracker.Shorten(p.Demand.Wording, 70))
			}
		}
	}
	for _, p := range v.Problems {
		fmt.Fprintln(w, "Cannot publish yet:", p)
	}
}
