package importer_test

import (
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

func seedData(t testing.TB) (*seed.Dataset, []linker.Entity) {
	t.Helper()
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	return ds, ds.LinkerEntities()
}

func names(cs []importer.Candidate) []string {
	var out []string
	for _, c := range cs {
		out = append(out, c.Name)
	}
	return out
}

func TestCandidatesOnAnEmptyDatabase(t *testing.T) {
	ds, _ := seedData(t)
	p, err := importer.Parse(ds.Resolution.SourceText)
	if err != nil {
		t.Fatal(err)
	}
	pv := importer.BuildPreview(p, importer.Known{Linker: linker.New(nil, nil)}, nil, nil, nil)
	got := names(pv.Candidates)
	for _, want := range []string{"Max Bokayev", "Talgat Ayan", "Vadim Kuramshin", "Nurbek Kushakbaev", "Amin Eleusinov", "Larisa Kharkova",
		"Elena Semenova", "Ardak Ashim", "Aset Mataev", "Iskander Yerimbetov"} {
		if !slices.Contains(got, want) {
			t.Errorf("candidates %q lack %q", got, want)
		}
	}
	for _, bad := range []string{"European Union", "Kazakhstan", "The European"} {
		if slices.Contains(got, bad) {
			t.Errorf("candidate %q is not a person", bad)
		}
	}
	for _, c := range pv.Candidates {
		if c.Name == "Max Bokayev" && (c.Slug != "max-bokayev" || len(c.Clauses) < 2 || c.Cue == "" || !strings.Contains(c.Snippet, "Max Bokayev")) {
			t.Errorf("Max Bokayev candidate = %+v; want every clause naming him, a slug, a cue and a snippet", c)
		}
	}
	if pv.Added != 28 || pv.Links != 0 || pv.Existing {
		t.Errorf("preview counts = %d added, %d links", pv.Added, pv.Links)
	}
}

func TestKnownPeopleAreLinksNotCandidates(t *testing.T) {
	ds, ents := seedData(t)
	p, _ := importer.Parse(ds.Resolution.SourceText)
	l := linker.New(ents, nil)
	pv := importer.BuildPreview(p, importer.Known{Linker: l}, nil, nil, nil)
	if len(pv.Candidates) != 0 {
		t.Errorf("with the seed's people known, candidates = %q", names(pv.Candidates))
	}
	if pv.Links < 30 || pv.Accepted != pv.Links {
		t.Errorf("links = %d, accepted %d: every proposed link starts accepted", pv.Links, pv.Accepted)
	}
	// Rejecting one link leaves it out of what is published.
	first := pv.Clauses[0]
	for _, c := range pv.Clauses {
		if len(c.Links) > 0 {
			first = c
			break
		}
	}
	rejected := first.Links[0].Key
	pv2 := importer.BuildPreview(p, importer.Known{Linker: l}, []string{rejected}, nil, nil)
	if pv2.Accepted != pv.Accepted-1 {
		t.Errorf("after a rejection accepted = %d, want %d", pv2.Accepted, pv.Accepted-1)
	}
	for _, m := range pv2.AcceptedLinks()[first.Clause.EID] {
		if importer.LinkKey(first.Clause.EID, m) == rejected {
			t.Errorf("rejected link %s still accepted", rejected)
		}
	}
}

func TestReimportDiff(t *testing.T) {
	ds, ents := seedData(t)
	l := linker.New(ents, nil)
	published := ds.Resolution.Clauses
	for i := range published {
		published[i].Mentions = l.Link(published[i].Text)
	}
	text := strings.Replace(ds.Resolution.SourceText, "9. Calls for a substantial review", "9. Calls strongly for a substantial review", 1)
	p, err := importer.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	pv := importer.BuildPreview(p, importer.Known{Linker: l, Published: published, Existing: true}, nil, nil, nil)
	if pv.Changed != 1 || pv.Added != 0 || pv.Unchanged != len(published)-1 || len(pv.Removed) != 0 {
		t.Fatalf("diff = %d changed, %d added, %d unchanged, %d removed", pv.Changed, pv.Added, pv.Unchanged, len(pv.Removed))
	}
	for _, c := range pv.Clauses {
		if c.Change == importer.Changed && !strings.Contains(c.Clause.Text, "Calls strongly") {
			t.Errorf("changed clause %s = %q (old %q)", c.Clause.EID, c.Clause.Text, c.OldText)
		}
		if c.Change == importer.Unchanged {
			for _, lk := range c.Links {
				if !lk.Existing {
					t.Errorf("%s: link %s of an unchanged clause not marked as stored", c.Clause.EID, lk.Key)
				}
			}
		}
	}
	// A demand quoting words the changed paragraph lost stops publishing; one whose words
	// remain does not.
	refs := map[string][]importer.ClauseRef{"para_9": {{What: "demand lost", Wording: "Calls for a substantial review"}, {What: "demand kept", Wording: "substantial review"}}}
	if probs := importer.Problems(pv, refs); len(probs) != 1 || !strings.Contains(probs[0], "Paragraph 9 changes, and demand lost") {
		t.Errorf("problems of a changed paragraph = %q", probs)
	}
	// A shorter text drops a paragraph: it shows as removed, and blocks publishing while a
	// demand refers to it.
	cut := ds.Resolution.SourceText[:strings.Index(ds.Resolution.SourceText, "\n10.")]
	p2, err := importer.Parse(cut)
	if err != nil {
		t.Fatal(err)
	}
	pv2 := importer.BuildPreview(p2, importer.Known{Linker: l, Published: published, Existing: true}, nil, nil, nil)
	if len(pv2.Removed) != 1 || pv2.Removed[0].EID != "para_10" {
		t.Fatalf("removed = %+v", pv2.Removed)
	}
	if probs := importer.Problems(pv2, map[string][]importer.ClauseRef{"para_10": {{What: "demand d-1", Wording: "Instructs"}}}); len(probs) != 1 || !strings.Contains(probs[0], "Paragraph 10") {
		t.Errorf("problems = %q", probs)
	}
}

func TestRequestValidation(t *testing.T) {
	ds, _ := seedData(t)
	for name, tc := range map[string]struct {
		req   importer.Request
		field string
		want  string
	}{
		"Empty":          {importer.Request{}, "text", "Paste"},
		"Unparseable":    {importer.Request{Procedure: "2020/0001(RSP)", Title: "T", Date: "2020-01-01", Text: "A. whereas x;\n1. Urges;\n2. Calls;\n1. Again;\n"}, "text", "line 4"},
		"BadProcedure":   {importer.Request{Procedure: "2019-2610", Title: "T", Date: "2019-03-14", Text: ds.Resolution.SourceText}, "procedure", "2019/2610(RSP)"},
		"OtherProcedure": {importer.Request{Procedure: "2020/2610(RSP)", Title: "T", Date: "2019-03-14", Text: ds.Resolution.SourceText}, "procedure", "is procedure 2019/2610(RSP)"},
		"BadDate":        {importer.Request{Procedure: "2019/2610(RSP)", Title: "T", Date: "14.3.2019", Text: ds.Resolution.SourceText}, "date", "YYYY-MM-DD"},
		"NoDate":         {importer.Request{Procedure: "2019/2610(RSP)", Title: "T", Text: ds.Resolution.SourceText}, "date", "adopted"},
	} {
		t.Run(name, func(t *testing.T) {
			_, errs := tc.req.Validate()
			if !strings.Contains(errs[tc.field], tc.want) {
				t.Errorf("errors = %v, want %s: …%s…", errs, tc.field, tc.want)
			}
		})
	}
	p, errs := importer.Request{Date: "2019-03-14", Text: ds.Resolution.SourceText}.Validate()
	if errs.Any() || p.Procedure != "2019/2610(RSP)" || p.Title == "" {
		t.Errorf("procedure and title from the heading: %+v %v", p.Procedure, errs)
	}
}

func FuzzPreview(f *testing.F) {
	ds, ents := seedData(f)
	l := linker.New(ents, nil)
	f.Add(ds.Resolution.SourceText)
	f.Add("The European Parliament,\n– having regard to x,\nA. whereas activist Jane Roe and Max Bokayev were held;\n1. Calls for the release of Mr John Doe;\n")
	for _, name := range []string{"01-ukraine-children", "04-kazakhstan-2022", "16-egypt"} {
		b, err := os.ReadFile("testdata/eval/" + name + ".txt")
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	f.Fuzz(func(t *testing.T, text string) {
		p, err := importer.Parse(text)
		if err != nil {
			return
		}
		pv := importer.BuildPreview(p, importer.Known{Linker: l, Published: ds.Resolution.Clauses, Existing: true}, nil, nil, nil)
		if pv.Added+pv.Changed+pv.Unchanged != len(p.Clauses) {
			t.Fatalf("counts do not add up: %+v", pv)
		}
		for _, c := range pv.Clauses {
			n := len([]rune(c.Clause.Text))
			for _, lk := range c.Links {
				if lk.Start < 0 || lk.End > n || lk.Start >= lk.End {
					t.Fatalf("link %+v outside %q", lk, c.Clause.Text)
				}
			}
		}
		for _, c := range pv.Candidates {
			if c.Name == "" || !tracker.ValidSlug(c.Slug) && c.Slug != "" {
				t.Fatalf("bad candidate %+v", c)
			}
		}
	})
}

// TestCandidatesListEveryClauseNamingThem: a name found next to a cue is listed with every
// clause that names it as whole words, once per clause, and not with a clause where the
// words are split by punctuation or are part of a longer name.
func TestCandidatesListEveryClauseNamingThem(t *testing.T) {
	text := "Resolution on Testland (2024/2999(RSP))\nWhereas:\nA.\twhereas activist Talgat Ospan was detained;\n" +
		"1.\tCalls for the release of Talgat Ospan and of TALGAT OSPAN’s lawyer;\n2.\tNotes that Talgat, Ospan and others were heard;\n" +
		"3.\tRecalls the case of Talgat Ospanov;\n4.\tWelcomes that Talgat  Ospan, Talgat Ospan and\nTalgat Ospan were heard;\n"
	p, err := importer.Parse(text)
	if err != nil {
		t.Fatal(err)
	}
	pv := importer.BuildPreview(p, importer.Known{Linker: linker.New(nil, nil)}, nil, nil, nil)
	for _, c := range pv.Candidates {
		if c.Name == "Talgat Ospan" {
			if want := []string{"rec_A", "para_1", "para_4"}; !slices.Equal(c.Clauses, want) {
				t.Errorf("Talgat Ospan listed with %q, want %q", c.Clauses, want)
			}
			if !strings.Contains(c.Snippet, "whereas activist Talgat Ospan was detained") {
				t.Errorf("snippet %q", c.Snippet)
			}
			return
		}
	}
	t.Errorf("no candidate Talgat Ospan in %q", names(pv.Candidates))
}
