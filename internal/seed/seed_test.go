package seed_test

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

func TestLoadSeed(t *testing.T) {
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	if len(ds.Resolution.Clauses) != 28 || len(ds.People) != 11 || len(ds.Cases) != 13 {
		t.Errorf("seed has %d clauses, %d people, %d cases", len(ds.Resolution.Clauses), len(ds.People), len(ds.Cases))
	}
	// Every named individual has a case with a status sourced to a clause.
	hasCase := map[string]bool{}
	for _, c := range ds.Cases {
		for _, p := range c.People {
			hasCase[p] = true
		}
		if len(c.Statuses) == 0 || c.Statuses[0].SourceClause == "" {
			t.Errorf("case %s first status = %+v", c.Slug, c.Statuses)
		}
	}
	for _, p := range ds.People {
		if !hasCase[p.Slug] {
			t.Errorf("%s has no case", p.Slug)
		}
	}
}

func TestLoadRefusesInconsistentData(t *testing.T) {
	text := "A. whereas Jane Doe is held;\n1. Urges her release;\n"
	base := `{"resolution": {"procedure": "2020/0001(RSP)", "title": "T", "adopted_on": "2020-01-02", "text_file": "r.txt"},
	  "people": [{"slug": "jane-doe", "name": "Jane Doe"}], %s}`
	tests := []struct{ name, extra, says string }{
		{"UnknownPersonInCase", `"cases": [{"slug": "c", "title": "C", "people": ["john"], "statuses": []}]`, `unknown person "john"`},
		{"UnknownStatus", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "vanished"}]}]`, `unknown status "vanished"`},
		{"UnknownSourceClause", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "source_clause": "rec_Z"}]}]`, `source clause "rec_Z"`},
		{"BadDate", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "effective_on": "last May"}]}]`, `want YYYY, YYYY-MM or YYYY-MM-DD`},
		{"MonthThirteen", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "effective_on": "2018-13"}]}]`, `effective_on "2018-13"`},
		{"EvidenceNotInClause", `"cases": [{"slug": "c", "title": "C", "people": ["jane-doe"], "statuses": [{"status": "imprisoned", "source_clause": "rec_A", "evidence": "is free"}]}]`, `does not say "is free"`},
		{"CaseWithNoSubject", `"cases": [{"slug": "c", "title": "C", "statuses": []}]`, `concerns no person`},
		{"DuplicateSlug", `"organisations": [{"slug": "o", "name": "O"}, {"slug": "o", "name": "P"}]`, `appears twice`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"d.json": {Data: []byte(strings.Replace(base, "%s", tc.extra, 1))},
				"r.txt":  {Data: []byte(text)},
			}
			_, err := seed.Load(fsys, "d.json")
			if err == nil || !strings.Contains(err.Error(), tc.says) {
				t.Errorf("Load = %v, want an error saying %q", err, tc.says)
			}
		})
	}
	// The seed is published unreviewed: a warning nobody would read is refused.
	t.Run("TextWithWarningsNamesTheLine", func(t *testing.T) {
		fsys := fstest.MapFS{
			"d.json": {Data: []byte(strings.Replace(base, ", %s", "", 1))},
			"r.txt":  {Data: []byte("A. whereas one;\n1. Urges;\n3. Calls;\n")},
		}
		_, err := seed.Load(fsys, "d.json")
		if err == nil || !strings.Contains(err.Error(), "r.txt: line 3: warning: paragraph 3 follows paragraph 1") || !strings.Contains(err.Error(), "must parse without warnings") {
			t.Errorf("Load = %v", err)
		}
	})
	t.Run("UnparseableTextNamesTheLine", func(t *testing.T) {
		fsys := fstest.MapFS{
			"d.json": {Data: []byte(strings.Replace(base, ", %s", "", 1))},
			"r.txt":  {Data: []byte("A. whereas one;\nB. whereas two;\nA. whereas three;\n")},
		}
		_, err := seed.Load(fsys, "d.json")
		if err == nil || !strings.Contains(err.Error(), "r.txt: line 3") {
			t.Errorf("Load = %v", err)
		}
	})
}

// TestSeedDatesSayWhatTheResolutionSays checks every status and demand-state entry of the
// seed against the resolution's own words. Each entry quotes the words of its source clause
// it rests on (the evidence), and those words must be in the clause. An entry dated by the
// text says, in those words, exactly the date it has, to its precision: "in 2018" for a
// year (no month in front of it), "May 2018" for a month, "14 May 2018" for a day. An
// entry whose words give no date of the event is dated by the resolution and says so,
// never "since 14 March 2019" for a fact of 2016 or 2018: and its words must then hold no
// year at all (if they did, the entry should be dated by it).
func TestSeedDatesSayWhatTheResolutionSays(t *testing.T) {
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	squeeze := func(s string) string { return strings.Join(strings.Fields(s), " ") }
	texts := map[string]string{}
	for _, c := range ds.Resolution.Clauses {
		texts[c.EID] = squeeze(c.Text)
	}
	adopted := tracker.Day(ds.Resolution.AdoptedOn)
	const reported = "reported by the resolution of 14 March 2019"
	if got := seed.ReportedBy(ds.Resolution.AdoptedOn); got != reported {
		t.Fatalf("ReportedBy = %q, want %q", got, reported)
	}
	anyYear := regexp.MustCompile(`\b(19|20)\d\d\b`)
	const months = `(January|February|March|April|May|June|July|August|September|October|November|December)`
	checkUndated := func(what, evidence, datedBy string, when tracker.When) {
		if datedBy != reported || when != adopted {
			t.Errorf("%s: dated %s, by %q; its words give no date of the event, so want %s by %q", what, when, datedBy, adopted, reported)
		}
		if y := anyYear.FindString(evidence); y != "" {
			t.Errorf("%s: its words %q give a year (%s): date the entry by the text, not by the resolution", what, evidence, y)
		}
	}
	entries := 0
	for _, c := range ds.Cases {
		for i, st := range c.Statuses {
			entries++
			what := c.Slug + " status " + strconv.Itoa(i+1) + " (" + string(st.Status) + ")"
			ev := squeeze(st.Evidence)
			if ev == "" || !strings.Contains(texts[st.SourceClause], ev) {
				t.Errorf("%s: its evidence %q is not in %s", what, st.Evidence, st.SourceClause)
				continue
			}
			if st.DatedBy != "" || st.EffectiveOn == "" {
				checkUndated(what, ev, st.DatedBy, st.When)
				continue
			}
			y := strconv.Itoa(st.When.Start.Year())
			switch st.When.Precision {
			case tracker.ByYear:
				if !strings.Contains(ev, "in "+y) || regexp.MustCompile(months+` `+y).MatchString(ev) {
					t.Errorf("%s: dated %s (a year), but its words %q do not say \"in %s\" alone", what, st.When, ev, y)
				}
			case tracker.ByMonth:
				if !strings.Contains(ev, st.When.Start.Format("January 2006")) || regexp.MustCompile(`\d `+st.When.Start.Format("January 2006")).MatchString(ev) {
					t.Errorf("%s: dated %s (a month), but its words %q do not say %q alone", what, st.When, ev, st.When.Start.Format("January 2006"))
				}
			case tracker.ByDay:
				if !strings.Contains(ev, st.When.Start.Format("2 January 2006")) {
					t.Errorf("%s: dated %s (a day), but its words %q do not say %q", what, st.When, ev, st.When.Start.Format("2 January 2006"))
				}
			}
			if st.When.Start.After(adopted.Start) {
				t.Errorf("%s: dated %s, after the resolution that reports it", what, st.When)
			}
		}
	}
	for i, d := range ds.Demands {
		entries++
		what := "demand " + strconv.Itoa(i+1) + " (" + d.Wording + ")"
		if d.StateSource == "" {
			if d.State != tracker.Unknown || d.StateDatedBy != "" {
				t.Errorf("%s: %s with no source in the resolution; want unknown, starting the day it was made", what, d.State)
			}
			continue
		}
		ev := squeeze(d.StateEvidence)
		if ev == "" || !strings.Contains(texts[d.StateSource], ev) {
			t.Errorf("%s: its evidence %q is not in %s", what, d.StateEvidence, d.StateSource)
			continue
		}
		checkUndated(what, ev, d.StateDatedBy, adopted)
	}
	if entries < 40 {
		t.Errorf("checked %d entries; the seed has more", entries)
	}

	// The facts the resolution dates, as it dates them.
	for _, want := range []struct{ c, status, on string }{
		{"talgat-ayan-case", "released_on_parole", "2018"},
		{"vadim-kuramshin-case", "released_on_parole", "2018"},
		{"nurbek-kushakbaev-case", "released_on_parole", "2018-05"},
		{"amin-eleusinov-case", "released_on_parole", "2018-05"},
		{"iskander-yerimbetov-case", "imprisoned", "2018-10"},
	} {
		found := false
		for _, c := range ds.Cases {
			for _, st := range c.Statuses {
				found = found || (c.Slug == want.c && string(st.Status) == want.status && st.When.String() == want.on && st.DatedBy == "")
			}
		}
		if !found {
			t.Errorf("%s has no %s entry dated %s", want.c, want.status, want.on)
		}
	}
}

// TestSeedFactsAreTheResolutions checks every fact the seed gives a case against the
// resolution's wording: a sentence is the text's own words, its months are its years
// (written as the text writes them) times twelve, and each charge is one the text says the
// person faced, in the words recital B gives the article.
func TestSeedFactsAreTheResolutions(t *testing.T) {
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(ds.Resolution.SourceText), " ")
	years := map[string]int{"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}
	chargeWords := map[string]string{"criminal-code-article-174": "“inciting discord”", "criminal-code-article-274": "“dissemination of knowingly false information”"}
	want := map[string]string{"aset-mataev-case": "six-year prison sentence · 72", "iskander-yerimbetov-case": "seven years’ imprisonment · 84",
		"elena-semenova-case": "criminal-code-article-274", "ardak-ashim-case": "criminal-code-article-174"}
	for _, c := range ds.Cases {
		f := c.Checked
		var got []string
		if f.Sentence != "" {
			if !strings.Contains(text, f.Sentence) {
				t.Errorf("%s: the resolution does not say %q", c.Slug, f.Sentence)
			}
			word, _, _ := strings.Cut(strings.NewReplacer("-", " ").Replace(f.Sentence), " ")
			if f.SentenceMonths == nil || *f.SentenceMonths != 12*years[word] {
				t.Errorf("%s: %q is not %v months", c.Slug, f.Sentence, f.SentenceMonths)
			}
			got = append(got, fmt.Sprintf("%s · %d", f.Sentence, *f.SentenceMonths))
		}
		for _, ch := range f.Charges {
			words, ok := chargeWords[ch.Provision.Slug]
			if !ok || !strings.Contains(text, words) {
				t.Errorf("%s: charge %s is not in the resolution's words", c.Slug, ch.Provision.Slug)
			}
			got = append(got, ch.Provision.Slug)
		}
		if !f.DetainedOn.IsZero() || !f.VerdictOn.IsZero() || f.Court != "" || f.Facility != "" || !f.ReleaseDueOn.IsZero() || !f.NextHearingOn.IsZero() {
			t.Errorf("%s: the resolution gives no date, court or facility, the seed does: %+v", c.Slug, f)
		}
		if strings.Join(got, ", ") != want[c.Slug] {
			t.Errorf("%s: facts %q, want %q", c.Slug, strings.Join(got, ", "), want[c.Slug])
		}
	}
}
