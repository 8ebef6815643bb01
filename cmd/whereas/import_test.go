package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

func TestImportCommand(t *testing.T) {
	t.Parallel()
	u := postgrestest.NewDatabase(t)
	e := env(map[string]string{"DATABASE_URL": u})
	ctx := context.Background()
	var out, errb bytes.Buffer
	if err := run(ctx, []string{"seed"}, e, nil, &out, &errb); err != nil {
		t.Fatal(err)
	}
	db, err := postgres.Open(ctx, u, postgres.Config{MaxConns: 1})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	drafts := func() int {
		t.Helper()
		list, err := db.Drafts(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}

	t.Run("RefusedNamingTheLineAndWritingNothing", func(t *testing.T) {
		bad := filepath.Join(t.TempDir(), "bad.txt")
		os.WriteFile(bad, []byte("Resolution (2023/2001(RSP))\nA. whereas x;\nB. whereas y;\nA. whereas again;\n1. Urges;\n"), 0o644)
		out.Reset()
		errb.Reset()
		err := run(ctx, []string{"import", bad, "--date", "2023-06-01", "--title", "T"}, e, nil, &out, &errb)
		if err == nil || !strings.Contains(errb.String(), "line 4: recital A is out of order") || drafts() != 0 {
			t.Errorf("import bad = %v, stderr %q, drafts %d", err, errb.String(), drafts())
		}
		errb.Reset()
		err = run(ctx, []string{"import", "../../internal/importer/testdata/synthetic-2022-kazakhstan.txt", "--procedure", "2022-2502"}, e, nil, &out, &errb)
		if err == nil || !strings.Contains(errb.String(), "--procedure: Write the reference as the EP does") || drafts() != 0 {
			t.Errorf("import with a bad procedure = %v, stderr %q", err, errb.String())
		}
	})

	t.Run("DraftThenPublish", func(t *testing.T) {
		out.Reset()
		if err := run(ctx, []string{"import", "--title", "The situation in Kazakhstan", "../../internal/importer/testdata/synthetic-2022-kazakhstan.txt"}, e, nil, &out, &errb); err != nil {
			t.Fatalf("import: %v\n%s", err, errb.String())
		}
		for _, want := range []string{"2022/2502(RSP) · The situation in Kazakhstan · adopted 20 January 2022", "New resolution: 12 clauses.",
			"Max Bokayev → person/max-bokayev", "Galym Ageleuov (person: human rights defender; rec_C, para_2__point_a)", "Draft 1 saved, not public",
			"Proposed demands (4;", "para_2__point_c  Amend or repeal law: repeal Criminal Code article 174"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
		if _, err := db.Resolution(ctx, "2022-2502-rsp"); err == nil {
			t.Error("the draft is public")
		}
		out.Reset()
		if err := run(ctx, []string{"import", "../../internal/importer/testdata/synthetic-2022-kazakhstan.txt", "--publish"}, e, nil, &out, &errb); err != nil {
			t.Fatalf("import --publish: %v\n%s", err, errb.String())
		}
		if !strings.Contains(out.String(), "Published at /resolutions/2022-2502-rsp: 12 clauses added") {
			t.Errorf("output:\n%s", out.String())
		}
		r, err := db.Resolution(ctx, "2022-2502-rsp")
		if err != nil || len(r.Clauses) != 12 {
			t.Fatalf("published: %d clauses, %v", len(r.Clauses), err)
		}
		// Importing the same text again is a re-import with nothing changed.
		out.Reset()
		if err := run(ctx, []string{"import", "../../internal/importer/testdata/synthetic-2022-kazakhstan.txt", "--publish"}, e, nil, &out, &errb); err != nil {
			t.Fatalf("re-import: %v", err)
		}
		if !strings.Contains(out.String(), "0 clauses changed, 0 added, 0 removed, 12 unchanged") {
			t.Errorf("re-import output:\n%s", out.String())
		}
		if r2, _ := db.Resolution(ctx, "2022-2502-rsp"); len(r2.Clauses) != 12 {
			t.Errorf("re-import duplicated clauses: %d", len(r2.Clauses))
		}
	})

	t.Run("WholeWebPageWithALongTitleAndWarnings", func(t *testing.T) {
		long := "on " + strings.Repeat("the situation of human rights defenders and journalists, ", 7) + "in Testland"
		page := filepath.Join(t.TempDir(), "page.txt")
		os.WriteFile(page, []byte("Texts adopted\nThursday, 16 March 2023 - Strasbourg\nP9_TA(2023)0099\n"+
			"European Parliament resolution of 16 March 2023 "+long+" (2023/2999(RSP))\n"+
			"The European Parliament,\n-having regard to its resolutions,\n- whereas the court sentenced\n"+
			"RC\\1224524EN.docx\t2/12\tPE689.006v01-00 }\nPE689.007v01-00 } RC1\nEN United in diversity EN\nher to prison;\n"+
			"1.\tCondemns the sentence;\n3.\tInstructs its President to forward this resolution.\nLast updated: 17 March 2023\n"), 0o644)
		out.Reset()
		errb.Reset()
		if err := run(ctx, []string{"import", page}, e, nil, &out, &errb); err != nil {
			t.Fatalf("import: %v\n%s", err, errb.String())
		}
		for _, want := range []string{"2023/2999(RSP) · Situation of human rights defenders", "… · adopted 16 March 2023", "New resolution: 4 clauses.",
			"The title is shortened for display; in full: Situation " + strings.TrimPrefix(long, "on the situation "),
			"The source marks its recitals with dashes, not letters; it is lettered A here",
			"Warnings (1): compare these lines", "  line 13: warning: paragraph 3 follows paragraph 1: the numbering skips 2",
			"rec_A            whereas the court sentenced her to prison;"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("output lacks %q:\n%s", want, out.String())
			}
		}
	})

	// A text the parser warned about is not published by --publish alone (issue 14 §2):
	// exit 1, the refusal on standard error with the draft to review, nothing public.
	t.Run("PublishWithWarningsNeedsAcceptWarnings", func(t *testing.T) {
		gap := filepath.Join(t.TempDir(), "gap.txt")
		os.WriteFile(gap, []byte("European Parliament resolution of 16 March 2023 on the case of Jane Roe (2023/2998(RSP))\n"+
			"The European Parliament,\n–\thaving regard to its resolutions,\nA.\twhereas Jane Roe was sentenced;\n"+
			"1.\tCondemns the sentence;\n3.\tInstructs its President to forward this resolution.\n"), 0o644)
		public := func() bool {
			_, err := db.Resolution(ctx, "2023-2998-rsp")
			return err == nil
		}
		before := drafts()
		out.Reset()
		errb.Reset()
		err := run(ctx, []string{"import", gap, "--publish"}, e, nil, &out, &errb)
		if !errors.Is(err, errReported) || public() {
			t.Fatalf("import --publish of a text with a warning = %v, public %v\n%s", err, public(), errb.String())
		}
		if !strings.Contains(out.String(), "Warnings (1): compare these lines") || !strings.Contains(out.String(), "line 6: warning: paragraph 3 follows paragraph 1") {
			t.Errorf("the warning is not printed:\n%s", out.String())
		}
		id := before + 1
		for _, want := range []string{"not published: the parser gave 1 warning (listed above under \"Warnings (1)\")",
			fmt.Sprintf("Draft %d is saved, not public", id), fmt.Sprintf("/admin/imports/%d", id), "--publish --accept-warnings"} {
			if !strings.Contains(errb.String(), want) {
				t.Errorf("stderr lacks %q: %s", want, errb.String())
			}
		}
		if drafts() != before+1 {
			t.Errorf("the draft was not kept: %d drafts, had %d", drafts(), before)
		}
		errb.Reset()
		if err := run(ctx, []string{"import", gap, "--accept-warnings"}, e, nil, &out, &errb); !strings.Contains(fmt.Sprint(err), "--accept-warnings goes with --publish") || drafts() != before+1 {
			t.Errorf("--accept-warnings without --publish = %v", err)
		}
		out.Reset()
		if err := run(ctx, []string{"import", gap, "--publish", "--accept-warnings"}, e, nil, &out, &errb); err != nil {
			t.Fatalf("import --publish --accept-warnings: %v\n%s", err, errb.String())
		}
		if !strings.Contains(out.String(), "Published at /resolutions/2023-2998-rsp: 4 clauses added") || !public() {
			t.Errorf("not published with --accept-warnings:\n%s", out.String())
		}
	})
}
