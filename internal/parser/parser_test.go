package parser_test

import (
	"errors"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
)

func labels(cs []tracker.Clause, kind tracker.ClauseKind) string {
	var out []string
	for _, c := range cs {
		if c.Kind == kind {
			out = append(out, c.Label)
		}
	}
	return strings.Join(out, ",")
}

func clause(t *testing.T, cs []tracker.Clause, eid string) tracker.Clause {
	t.Helper()
	for _, c := range cs {
		if c.EID == eid {
			return c
		}
	}
	t.Fatalf("no clause %s", eid)
	return tracker.Clause{}
}

func TestSeed(t *testing.T) {
	raw, err := os.ReadFile("../../data/seed/ep-2019-2610-rsp-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	doc, err := parser.Parse(string(raw))
	if err != nil {
		t.Fatal(err)
	}
	if doc.Procedure != "2019/2610(RSP)" {
		t.Errorf("procedure = %q", doc.Procedure)
	}
	if doc.Title != "European Parliament resolution on the Human rights situation in Kazakhstan" {
		t.Errorf("title = %q", doc.Title)
	}
	for kind, want := range map[tracker.ClauseKind]string{
		tracker.Citation:  "1,2,3,4,5,6,7",
		tracker.Recital:   "A,B,C,D,E,F,G,H,I,J,K",
		tracker.Paragraph: "1,2,3,4,5,6,7,8,9,10",
	} {
		if got := labels(doc.Clauses, kind); got != want {
			t.Errorf("%s labels = %s, want %s", kind, got, want)
		}
	}
	for i, c := range doc.Clauses {
		if c.Position != i+1 {
			t.Errorf("%s position %d, want %d", c.EID, c.Position, i+1)
		}
		if strings.HasPrefix(c.Text, "-") || strings.Contains(c.Text, "  ") || c.Text != strings.TrimSpace(c.Text) {
			t.Errorf("%s keeps an artifact: %q", c.EID, c.Text)
		}
	}
	t.Run("RecitalKStopsBeforeParagraph1", func(t *testing.T) {
		k := clause(t, doc.Clauses, "rec_K").Text
		if !strings.HasSuffix(k, "during his pretrial detention.") || strings.Contains(k, "Urges") {
			t.Errorf("recital K = %q", k)
		}
	})
	t.Run("Paragraph8StopsBefore9", func(t *testing.T) {
		p8 := clause(t, doc.Clauses, "para_8").Text
		if !strings.HasPrefix(p8, "Urges the government of Kazakhstan to review the case of Iskander Yerimbetov") ||
			!strings.HasSuffix(p8, "are duly investigated;") {
			t.Errorf("paragraph 8 = %q", p8)
		}
	})
	t.Run("PageBreakSpaceJoinsCleanly", func(t *testing.T) {
		if c := clause(t, doc.Clauses, "rec_C").Text; !strings.Contains(c, "Confederation of Independent Trade Unions of Kazakhstan (CITUK)") {
			t.Errorf("recital C = %q", c)
		}
	})
	t.Run("HyphenatedWordsInTheTextStay", func(t *testing.T) {
		if c := clause(t, doc.Clauses, "para_3").Text; !strings.Contains(c, "politically-motivated") {
			t.Errorf("paragraph 3 = %q", c)
		}
	})
}

func TestSynthetic(t *testing.T) {
	// thirty recitals, past Z
	var many strings.Builder
	many.WriteString("The European Parliament,\n")
	for i := 1; i <= 30; i++ {
		label := string(rune('A' + i - 1))
		if i > 26 {
			label = "A" + string(rune('A'+i-27))
		}
		fmt.Fprintf(&many, "%s.\twhereas recital number %d is here;\n", label, i)
	}
	for i := 1; i <= 12; i++ {
		fmt.Fprintf(&many, "%d.\tCalls for action number %d;\n", i, i)
	}

	tests := []struct {
		name  string
		text  string
		check func(t *testing.T, d parser.Document)
	}{
		{
			name: "EnDashBulletsOnTheSameLine",
			text: "Title\nThe European Parliament,\n–\thaving regard to its previous resolutions,\n–\thaving regard to Rule 144\nof its Rules of Procedure,\nA.\twhereas something happened;\n1.\tCondemns it;\n",
			check: func(t *testing.T, d parser.Document) {
				if got := labels(d.Clauses, tracker.Citation); got != "1,2" {
					t.Errorf("citations = %s", got)
				}
				if got := d.Clauses[1].Text; got != "having regard to Rule 144 of its Rules of Procedure," {
					t.Errorf("citation 2 = %q", got)
				}
			},
		},
		{
			name: "RecitalsPastZAndMoreThanTenParagraphs",
			text: many.String(),
			check: func(t *testing.T, d parser.Document) {
				r := labels(d.Clauses, tracker.Recital)
				if !strings.HasSuffix(r, "Y,Z,AA,AB,AC,AD") {
					t.Errorf("recitals = %s", r)
				}
				if p := labels(d.Clauses, tracker.Paragraph); p != "1,2,3,4,5,6,7,8,9,10,11,12" {
					t.Errorf("paragraphs = %s", p)
				}
				if c := d.Clauses[len(d.Clauses)-1]; c.EID != "para_12" || c.Text != "Calls for action number 12;" {
					t.Errorf("last clause = %+v", c)
				}
				for _, c := range d.Clauses {
					if c.Label == "AB" && c.EID != "rec_AB" {
						t.Errorf("recital AB eid = %s", c.EID)
					}
				}
			},
		},
		{
			name: "SubPoints",
			text: "A. whereas x;\n1. Calls on the authorities to:\n(a) release all those detained;\n(b) repeal the law\nwithout delay;\n2. Instructs its President;\n",
			check: func(t *testing.T, d parser.Document) {
				if got := labels(d.Clauses, tracker.Point); got != "1(a),1(b)" {
					t.Errorf("points = %s", got)
				}
				b := clause(t, d.Clauses, "para_1__point_b")
				if b.Text != "repeal the law without delay;" {
					t.Errorf("point b = %q", b.Text)
				}
				if p := clause(t, d.Clauses, "para_1"); p.Text != "Calls on the authorities to:" {
					t.Errorf("paragraph 1 = %q", p.Text)
				}
				if p := clause(t, d.Clauses, "para_2"); p.Text != "Instructs its President;" {
					t.Errorf("paragraph 2 = %q", p.Text)
				}
			},
		},
		{
			name: "PageNumbersAndRunningHeaders",
			text: "A. whereas the first part\n3/7\nRC\\1177440EN.docx PE635.470v01-00 }\nPE635.471v01-00 }\nPE635.472v01-00 } RC1\nEN United in diversity EN\ncontinues here;\n12\nB8-0191/2019 }\nB8-0192/2019 } RC1\nB. whereas another;\n1. Urges;\nPage 7 of 7\n",
			check: func(t *testing.T, d parser.Document) {
				if a := clause(t, d.Clauses, "rec_A").Text; a != "whereas the first part continues here;" {
					t.Errorf("recital A = %q", a)
				}
				if p := clause(t, d.Clauses, "para_1").Text; p != "Urges;" {
					t.Errorf("paragraph 1 = %q", p)
				}
			},
		},
		{
			name: "WordsHyphenatedAcrossLines",
			text: "A. whereas he faces imprison-\nment and a politically-motivated trial, a politically-\nmotivated one, and a soft\u00adhy\u00ad\nphen;\n1. Urges;\n",
			check: func(t *testing.T, d parser.Document) {
				want := "whereas he faces imprisonment and a politically-motivated trial, a politically-motivated one, and a softhyphen;"
				if a := clause(t, d.Clauses, "rec_A").Text; a != want {
					t.Errorf("recital A =\n%q\nwant\n%q", a, want)
				}
			},
		},
		{
			name: "NoCitationsLowerCaseWhereasAndLeadIn",
			text: "Resolution title\nWhereas:\nA.\twhereas one;\nB.\twhereas two;\n1.\tCalls;\n",
			check: func(t *testing.T, d parser.Document) {
				if labels(d.Clauses, tracker.Citation) != "" || labels(d.Clauses, tracker.Recital) != "A,B" {
					t.Errorf("clauses = %+v", d.Clauses)
				}
				if d.Title != "Resolution title" {
					t.Errorf("title = %q", d.Title)
				}
			},
		},
		{
			name: "FootnoteMarkersAndFootnotes",
			text: "The European Parliament,\n–\thaving regard to its resolution on Kazakhstan(1),\n–\thaving regard to the 2013[2] report and to Article 174(1) of the Criminal Code,\n–\thaving regard to its resolution of 14 March 2019(3),\nA.\twhereas x;\n(1) OJ C 76, 28.2.2018, p. 6.\n[2] Texts adopted, P8_TA(2013)0123.\n(3) Texts adopted, P8_TA(2019)0203.\n1.\tUrges;\n",
			check: func(t *testing.T, d parser.Document) {
				if c := d.Clauses[0].Text; c != "having regard to its resolution on Kazakhstan," {
					t.Errorf("citation 1 = %q", c)
				}
				if c := d.Clauses[1].Text; c != "having regard to the 2013 report and to Article 174(1) of the Criminal Code," {
					t.Errorf("citation 2 = %q", c)
				}
				if c := d.Clauses[2].Text; c != "having regard to its resolution of 14 March 2019," {
					t.Errorf("citation 3 = %q", c)
				}
				if a := clause(t, d.Clauses, "rec_A").Text; a != "whereas x;" {
					t.Errorf("recital A = %q: a footnote line was kept", a)
				}
			},
		},
		{
			name: "RealisticEditionWithEverything",
			text: realistic(),
			check: func(t *testing.T, d parser.Document) {
				if got := labels(d.Clauses, tracker.Citation); got != "1,2,3" {
					t.Errorf("citations = %s", got)
				}
				r := labels(d.Clauses, tracker.Recital)
				if !strings.HasPrefix(r, "A,B,C") || !strings.HasSuffix(r, "Z,AA,AB,AC,AD") {
					t.Errorf("recitals = %s", r)
				}
				if got := labels(d.Clauses, tracker.Point); got != "4(a),4(b),4(c)" {
					t.Errorf("points = %s", got)
				}
				if c := clause(t, d.Clauses, "cit_1").Text; c != "having regard to its previous resolutions on Kazakhstan, notably that of 14 March 2019," {
					t.Errorf("citation 1 = %q", c)
				}
				if c := clause(t, d.Clauses, "rec_AB").Text; c != "whereas recital 28 reports the imprisonment of 10 000 workers since 2013;" {
					t.Errorf("recital AB = %q", c)
				}
				if c := clause(t, d.Clauses, "rec_L").Text; c != "whereas recital 12 was split by a page break and its defenders were tried;" {
					t.Errorf("recital L = %q", c)
				}
				if c := clause(t, d.Clauses, "para_4__point_b").Text; c != "repeal Article 174 of the Criminal Code;" {
					t.Errorf("point 4(b) = %q", c)
				}
				for _, c := range d.Clauses {
					for _, bad := range []string{"PE635", "RC\\", "RC1", "}", "OJ C", "\u00a0", "(1)", "[2]", "Page", "Official Journal", "Thursday"} {
						if strings.Contains(c.Text, bad) {
							t.Errorf("%s keeps %q: %q", c.EID, bad, c.Text)
						}
					}
				}
			},
		},
		{
			name: "NonBreakingSpacesAndCRLF",
			text: "A.\u00a0whereas on 12\u00a0December\u00a02017 it was so;\r\n1. Urges;\r\n",
			check: func(t *testing.T, d parser.Document) {
				if a := d.Clauses[0].Text; a != "whereas on 12 December 2017 it was so;" {
					t.Errorf("recital A = %q", a)
				}
			},
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parser.Parse(tc.text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			tc.check(t, d)
		})
	}
}

// realistic is a synthetic resolution laid out as EP PDF extracts are: tab stops after
// labels, dash bullets, a bare "Whereas:", thirty recitals, sub-points, footnote markers and
// footnotes, running headers and page numbers between lines, non-breaking spaces inside
// numbers and dates, and words hyphenated across lines.
func realistic() string {
	var b strings.Builder
	b.WriteString("European Parliament resolution of 5 May 2022 on a synthetic country (2022/2650(RSP))\n")
	b.WriteString("The European Parliament,\n")
	b.WriteString("–\thaving regard to its previous resolutions on Kazakhstan(1), notably that of 14\u00a0March\u00a02019,\n")
	b.WriteString("–\thaving regard to the report of 2013[2],\n–\thaving regard to Rules 144(5) and 132(4) of its Rules of Procedure,\n")
	b.WriteString("Whereas:\n")
	for i := 1; i <= 30; i++ {
		label := string(rune('A' + i - 1))
		if i > 26 {
			label = "A" + string(rune('A'+i-27))
		}
		switch i {
		case 12:
			b.WriteString("PE635.470v01-00\t2/5\tRC\\1177440EN.docx\n")
			fmt.Fprintf(&b, "%s.\twhereas recital %d was split by a page break and its defen-\n", label, i)
			b.WriteString("RC\\1177440EN.docx\t3/5\tPE635.470v01-00 }\nPE635.471v01-00 }\nPE635.472v01-00 } RC1\nEN\tUnited in diversity\tEN\n")
			b.WriteString("ders were tried;\n")
		case 28:
			fmt.Fprintf(&b, "%s.\twhereas recital %d reports the imprisonment of 10\u00a0000 workers since 2013;\n", label, i)
		default:
			fmt.Fprintf(&b, "%s.\twhereas recital %d is here;\n", label, i)
		}
	}
	b.WriteString("(1) Texts adopted, P8_TA(2019)0203.\n[2] OJ C 76, 28.2.2018, p. 6.\nPage 3 of 5\n")
	b.WriteString("C 23/118\tEN\tOfficial Journal of the European Union\t21.1.2021\nThursday 14 March 2019\n")
	b.WriteString("1.\tCondemns the sentences;\n2.\tUrges the release of all those detained;\n3.\tRegrets the law;\n")
	b.WriteString("4.\tCalls on the authorities to:\n(a)\trelease the trade unionists;\n(b)\trepeal Article 174 of the Criminal\nCode;\n(c)\tend the ban;\n")
	b.WriteString("5.\tInstructs its President to forward this resolution.\n")
	return b.String()
}

func TestRefusals(t *testing.T) {
	tests := []struct {
		name, text string
		line       int
		says       string
	}{
		{"Empty", "", 1, "no clauses found"},
		{"OnlyATitle", "Some title\nand more\n", 3, "no clauses found"},
		{"RecitalOutOfOrder", "A. whereas one;\nB. whereas two;\nA. whereas three;\n1. Urges;\n", 3, "recital A is out of order: expected recital C"},
		{"RecitalsFarOutOfOrder", "A. whereas one;\nR. whereas three;\n1. Urges;\n", 2, "recital R is out of order: expected recital B"},
		{"ParagraphOutOfOrder", "A. whereas one;\n1. Urges;\n2. Calls;\n2. Calls again;\n", 4, "paragraph 2 is out of order: expected paragraph 3"},
		{"NumberedRecitalOutOfOrder", "1. Whereas one;\n2. whereas two;\n1. whereas again;\n1. Urges;\n", 3, "recital numbered 1 is out of order: expected recital 3"},
		{"NumberedRecitalsThenParagraphsNeitherFromOneNorOn", "1. Whereas one;\n2. whereas two;\n4. Urges;\n", 3, "paragraph 4 is out of order: expected paragraph 1, or 3 numbering on from the recitals"},
		{"ParagraphsNumberedOnThenRepeated", "1. Whereas one;\n2. whereas two;\n3. Urges;\n3. Calls;\n", 4, "paragraph 3 is out of order: expected paragraph 4"},
		{"ParagraphsNumberedOnThenFromOne", "1. Whereas one;\n2. whereas two;\n3. Urges;\n1. Calls;\n", 4, "paragraph 1 is out of order: expected paragraph 4"},
		{"ParagraphsNumberedOnThenBackwards", "1. Whereas one;\n2. whereas two;\n3. Urges;\n4. Calls;\n2. Notes;\n", 5, "paragraph 2 is out of order: expected paragraph 5"},
		{"RecitalAfterParagraphsNumberedOn", "1. Whereas one;\n2. whereas two;\n3. Urges;\n4. whereas three;\n", 4, "comes after the operative paragraphs have begun"},
		{"DashRecitalAfterParagraphs", "A. whereas one;\n1. Urges;\n– whereas two;\n", 3, "recital"},
		{"AmendmentTableWithNothingBefore", "REPORT\non something\nAmendment 1\nProposal for a regulation\nRecital 1\nText proposed by the Commission\tAmendment\n(1) The Union shall\n1. Calls;\n", 3, "amendment table begins here (\"Amendment 1\")"},
		{"AmendmentTableAfterTheOpening", "The European Parliament,\nPresent text | Amendment\n1. Calls;\n", 2, "amendment table"},
		{"RecitalAfterParagraphs", "A. whereas one;\n1. Urges;\nB. whereas two;\n", 3, "after the operative paragraphs"},
		{"CitationAfterRecitals", "A. whereas one;\n– having regard to a thing;\n", 2, "citation"},
		{"TextBeforeTheFirstClause", "Title\nThe European Parliament,\nsomething stray\n– having regard to a thing;\n", 3, "text outside any clause"},
		{"InvalidUTF8", "A. whereas one;\n1. Urges \xff;\n", 2, "not valid UTF-8"},
		{"NulByte", "A. whereas\x00;\n", 1, "NUL"},
		{"MoreRecitalsThanLetters", strings.Repeat("– whereas x;\n", 703), 703, "more than 702 recitals"},
		{"EmptyParagraph", "A. whereas one;\n1.\n2. Calls;\n", 2, "Paragraph 1 has no text"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := parser.Parse(tc.text)
			var perr *parser.Error
			if !errors.As(err, &perr) {
				t.Fatalf("Parse = %v, want a *parser.Error", err)
			}
			if perr.Line != tc.line || !strings.Contains(perr.Msg, tc.says) {
				t.Errorf("error = %q at line %d, want %q at line %d", perr.Msg, perr.Line, tc.says, tc.line)
			}
			if !strings.HasPrefix(err.Error(), fmt.Sprintf("line %d: ", tc.line)) {
				t.Errorf("message %q does not start by naming the line", err.Error())
			}
		})
	}
}

// FuzzParse shows the parser never panics, and that what it accepts is well formed.
func FuzzParse(f *testing.F) {
	raw, _ := os.ReadFile("../../data/seed/ep-2019-2610-rsp-kazakhstan.txt")
	f.Add(string(raw))
	f.Add("A. whereas x;\n1. Calls on:\n(a) one;\n(b) two;\n")
	f.Add("–\thaving regard to\nA.\twhereas\nAA. whereas\n1.\n")
	f.Add("imprison-\nment\u00ad\n3/7\nPE635.470v01-00\n")
	// the layouts of real texts: a whole web page, a report into its amendment tables,
	// recitals with dashes or numbers, joint-motion footers in mid-sentence, warnings
	f.Add(webMotion)
	f.Add(numberedOn)
	f.Add("1.\tWhereas x;\n2.\twhereas y\n" + jointFooter + "z;\n3.\tCalls on:\n(a)\tone;\n5.\tUrges;\n3.\tNotes;\n")
	f.Add(report)
	f.Add("The European Parliament,\n-having regard to it,\n- Whereas one\n" + jointFooter + "goes on;\n–\twhereas two; C. whereas three;\n-\n\nwhereas four;\n1.\tCalls; 2. Urges;\n3.\tNotes:\n(a) one;\n(c) three;\n")
	f.Add("1.\tWhereas x\n" + singleFooter + "y;\n3. whereas z;\n1.\tCalls;\n4.\tUrges;\non behalf of the PPE Group\n1 OJ C 76, 28.2.2018, p. 6.\n")
	f.Add("Texts adopted\nThursday, 16 March 2023 - Strasbourg\nEuropean Parliament resolution of 16 March 2023 on X (2023/2591(RSP))\nThe European Parliament,\n \u00a0\nA. whereas x;\n1. Calls;\nLast updated: 17 March 2023\n")
	f.Fuzz(func(t *testing.T, text string) {
		d, err := parser.Parse(text)
		if err != nil {
			var perr *parser.Error
			if !errors.As(err, &perr) || perr.Line < 1 {
				t.Fatalf("error %v does not name a line", err)
			}
			return
		}
		if len(d.Clauses) == 0 {
			t.Fatal("accepted text with no clauses")
		}
		seen := map[string]bool{}
		for i, c := range d.Clauses {
			if c.Text == "" || c.Position != i+1 || seen[c.EID] {
				t.Fatalf("bad clause %+v", c)
			}
			seen[c.EID] = true
		}
		last := 0
		for _, w := range d.Warnings {
			if w.Line < max(last, 1) || w.Msg == "" {
				t.Fatalf("warnings out of line order or empty: %v", d.Warnings)
			}
			last = w.Line
		}
	})
}
