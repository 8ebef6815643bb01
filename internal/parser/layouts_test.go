package parser_test

import (
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
)

// want is one expected clause: "cit_1 having regard to …".
type want struct{ eid, text string }

// exactly checks every clause of d: its eId, kind, label and text, in order.
func exactly(t *testing.T, d parser.Document, ws []want) {
	t.Helper()
	if len(d.Clauses) != len(ws) {
		var got []string
		for _, c := range d.Clauses {
			got = append(got, c.EID+" "+c.Text)
		}
		t.Fatalf("%d clauses, want %d:\n%s", len(d.Clauses), len(ws), strings.Join(got, "\n"))
	}
	for i, w := range ws {
		c := d.Clauses[i]
		kind, label := kindOf(w.eid)
		if c.EID != w.eid || c.Kind != kind || c.Label != label || c.Text != w.text || c.Position != i+1 {
			t.Errorf("clause %d = %s %s %q %q (position %d),\nwant        %s %s %q %q", i+1, c.EID, c.Kind, c.Label, c.Text, c.Position, w.eid, kind, label, w.text)
		}
	}
}

// kindOf reads the kind and label an eId stands for.
func kindOf(eid string) (tracker.ClauseKind, string) {
	switch {
	case strings.HasPrefix(eid, "cit_"):
		return tracker.Citation, eid[4:]
	case strings.HasPrefix(eid, "rec_"):
		return tracker.Recital, eid[4:]
	case strings.Contains(eid, "__point_"):
		para, point, _ := strings.Cut(strings.TrimPrefix(eid, "para_"), "__point_")
		return tracker.Point, para + "(" + point + ")"
	}
	return tracker.Paragraph, strings.TrimPrefix(eid, "para_")
}

// The page footers of a joint motion, as its PDF's text extract puts them at every page
// break: the motion's own reference and page, then one line per motion it replaces, each
// with the brace that groups them, "RC1" after the last, and the motto.
const jointFooter = "RC\\1224524EN.docx\t2/12\tPE689.006v01-00 }\nPE689.007v01-00 }\nPE689.008v01-00 } RC1\nEN\tUnited in diversity\tEN\n"

// The same for a motion tabled by one group: no braces.
const singleFooter = "RE\\1224530EN.docx\t3/5\tPE689.011v01-00\nEN\tUnited in diversity\tEN\n"

func TestLayouts(t *testing.T) {
	tests := []struct {
		name    string
		text    string
		clauses []want
		check   func(t *testing.T, d parser.Document)
	}{
		{
			name: "RecitalsWithDashesInsteadOfLetters",
			text: "Motion for a European Parliament resolution on the case of Maria Ponomarenko\n(2023/2591(RSP))\n" +
				"The European Parliament,\n" +
				"–\thaving regard to its previous resolutions on Russia,\n" +
				"-having regard to Rule 144 of its Rules of Procedure,\n" +
				"- Whereas Maria Ponomarenko was detained on 24\u00a0April\u00a02022;\n" +
				"- whereas the court\nsentenced her to six years;\n" +
				"–\twhereas she has been held\n" + singleFooter + "in solitary confinement;\n" +
				"-\n\nwhereas her lawyers were harassed;\n" +
				"1.\tCondemns her detention;\n2.\tInstructs its President to forward this resolution.\n",
			clauses: []want{
				{"cit_1", "having regard to its previous resolutions on Russia,"},
				{"cit_2", "having regard to Rule 144 of its Rules of Procedure,"},
				{"rec_A", "Whereas Maria Ponomarenko was detained on 24 April 2022;"},
				{"rec_B", "whereas the court sentenced her to six years;"},
				{"rec_C", "whereas she has been held in solitary confinement;"},
				{"rec_D", "whereas her lawyers were harassed;"},
				{"para_1", "Condemns her detention;"},
				{"para_2", "Instructs its President to forward this resolution."},
			},
			check: func(t *testing.T, d parser.Document) {
				if !strings.Contains(d.RecitalsNote, "dashes") || !strings.Contains(d.RecitalsNote, "A to D") {
					t.Errorf("recitals note = %q", d.RecitalsNote)
				}
				if d.Title != "Motion for a European Parliament resolution on the case of Maria Ponomarenko" || d.Procedure != "2023/2591(RSP)" {
					t.Errorf("title %q, procedure %q", d.Title, d.Procedure)
				}
			},
		},
		{
			name: "NumberedRecitalsThenParagraphsFromOne",
			text: "The European Parliament,\n" +
				"–\thaving regard to the Universal Declaration of Human Rights,\n" +
				"1.\tWhereas the elections of 9 August were neither free\n" + jointFooter + "nor fair;\n" +
				"2.\twhereas thousands were arrested;\n" +
				"3. whereas the Nobel Peace Prize laureate Ales Bialiatski was sentenced to ten years;\n" +
				"1.\tCondemns the sentences;\n" +
				"2.\tCalls on the authorities to:\n(a)\trelease all those detained;\n(b)\tend the repression;\n" +
				"3.\tInstructs its President to forward this resolution.\n",
			clauses: []want{
				{"cit_1", "having regard to the Universal Declaration of Human Rights,"},
				{"rec_A", "Whereas the elections of 9 August were neither free nor fair;"},
				{"rec_B", "whereas thousands were arrested;"},
				{"rec_C", "whereas the Nobel Peace Prize laureate Ales Bialiatski was sentenced to ten years;"},
				{"para_1", "Condemns the sentences;"},
				{"para_2", "Calls on the authorities to:"},
				{"para_2__point_a", "release all those detained;"},
				{"para_2__point_b", "end the repression;"},
				{"para_3", "Instructs its President to forward this resolution."},
			},
			check: func(t *testing.T, d parser.Document) {
				if !strings.Contains(d.RecitalsNote, "numbers its recitals 1 to 3") || !strings.Contains(d.RecitalsNote, "A to C") {
					t.Errorf("recitals note = %q", d.RecitalsNote)
				}
			},
		},
		{
			// A group's motion that numbers everything in one run: recitals 1 to 11, then
			// paragraphs 12 on. The paragraphs are numbered from 1 here, as in the adopted
			// text, so that their eIds are those of the same text laid out the usual way.
			name: "NumberedRecitalsThenParagraphsNumberedOn",
			text: numberedOn,
			clauses: []want{
				{"cit_1", "having regard to its previous resolutions on Belarus,"},
				{"cit_2", "having regard to Rule 144 of its Rules of Procedure,"},
				{"rec_A", "Whereas on 3 March 2023 the Leninski District Court of Minsk sentenced Ales Bialiatski to ten years in prison;"},
				{"rec_B", "whereas Valiantsin Stefanovich and Uladzimir Labkovich were sentenced to nine and seven years;"},
				{"rec_C", "whereas the trial was held behind closed doors;"},
				{"rec_D", "whereas more than 1 400 political prisoners are held in Belarus;"},
				{"rec_E", "whereas the authorities liquidated the Viasna Human Rights Centre in 2021;"},
				{"rec_F", "whereas lawyers who defend political prisoners are disbarred;"},
				{"rec_G", "whereas independent media have been declared extremist;"},
				{"rec_H", "whereas journalists are prosecuted for their reporting;"},
				{"rec_I", "whereas the regime supports Russia’s war of aggression against Ukraine;"},
				{"rec_J", "whereas Belarusian opposition leaders live in exile;"},
				{"rec_K", "whereas the Union has adopted five packages of sanctions;"},
				{"para_1", "Condemns the sentences handed down to Ales Bialiatski, Valiantsin Stefanovich and Uladzimir Labkovich;"},
				{"para_2", "Calls on the Belarusian authorities to:"},
				{"para_2__point_a", "release all political prisoners immediately and unconditionally;"},
				{"para_2__point_b", "end the repression of civil society;"},
				{"para_3", "Instructs its President to forward this resolution to the Council, the Commission and the de facto authorities of Belarus."},
			},
			check: func(t *testing.T, d parser.Document) {
				const note = "The source numbers its recitals 1 to 11 and goes on numbering its paragraphs 12 to 14; the recitals are lettered A to K and the paragraphs numbered 1 to 3 here, as the European Parliament usually does. Paragraph 12 of the source is paragraph 1 here."
				if d.RecitalsNote != note {
					t.Errorf("recitals note = %q\nwant            %q", d.RecitalsNote, note)
				}
				if d.Procedure != "2023/2600(RSP)" {
					t.Errorf("procedure = %q", d.Procedure)
				}
			},
		},
		{
			name: "HyphenStuckToHavingRegardAndBlankLinesOfSpaces",
			text: "The European Parliament,\n-having regard to Article 2 of the Treaty on European Union,\n \t\u00a0\n\u00a0\n" +
				"-having regard to the\u202fEuropean Convention on Human Rights,\n\u2003\u3000\n" +
				"A.\twhereas the rule of law\n \u00a0 \nis a value of the Union;\n\u00a0\n1.\tRecalls it;\n",
			clauses: []want{
				{"cit_1", "having regard to Article 2 of the Treaty on European Union,"},
				{"cit_2", "having regard to the European Convention on Human Rights,"},
				{"rec_A", "whereas the rule of law is a value of the Union;"},
				{"para_1", "Recalls it;"},
			},
		},
		{
			name: "JointMotionFootersInTheMiddleOfSentences",
			text: "Joint motion for a European Parliament resolution on the humanitarian situation\n(2021/2657(RSP))\n" +
				"The European Parliament,\n–\thaving regard to its previous resolutions\n" + jointFooter + "on Ukraine,\n" +
				"A.\twhereas the children were deported to Russia, in breach of international\n" + jointFooter + "humanitarian law;\n" +
				"B.\twhereas Maria Lvova-Belova is responsible for the depor-\n" + jointFooter + "tations;\n" +
				"1.\tCondemns the deportations, which\n" + strings.Replace(jointFooter, "2/12", "11/12", 1) + "amount to genocide;\n" +
				"2.\tInstructs its President to forward this resolution.\n" + strings.Replace(jointFooter, "2/12", "12/12", 1),
			clauses: []want{
				{"cit_1", "having regard to its previous resolutions on Ukraine,"},
				{"rec_A", "whereas the children were deported to Russia, in breach of international humanitarian law;"},
				{"rec_B", "whereas Maria Lvova-Belova is responsible for the deportations;"},
				{"para_1", "Condemns the deportations, which amount to genocide;"},
				{"para_2", "Instructs its President to forward this resolution."},
			},
		},
		{
			name: "SingleMotionFootersInTheMiddleOfSentences",
			text: "The European Parliament,\n–\thaving regard to its resolutions\n" + singleFooter + "on Iran,\n" +
				"A.\twhereas the protests\n" + singleFooter + "go on;\n1.\tSupports the protesters;\n",
			clauses: []want{
				{"cit_1", "having regard to its resolutions on Iran,"},
				{"rec_A", "whereas the protests go on;"},
				{"para_1", "Supports the protesters;"},
			},
		},
		{
			name: "WholeWebPageOfAMotion",
			text: webMotion,
			clauses: []want{
				{"cit_1", "having regard to its previous resolutions on Russia,"},
				{"cit_2", "having regard to Rule 144 of its Rules of Procedure,"},
				{"rec_A", "whereas Maria Ponomarenko, a journalist of RusNews, was sentenced on 15 February 2023;"},
				{"rec_B", "whereas she has been held in pre-trial detention since April 2022;"},
				{"para_1", "Condemns the sentence;"},
				{"para_2", "Instructs its President to forward this resolution to the authorities of the Russian Federation."},
			},
			check: func(t *testing.T, d parser.Document) {
				if d.Title != "European Parliament resolution on the case of Maria Ponomarenko in Russia" {
					t.Errorf("title = %q", d.Title)
				}
				if d.Procedure != "2023/2591(RSP)" {
					t.Errorf("procedure = %q", d.Procedure)
				}
				if !d.Tabled.Equal(time.Date(2023, 3, 13, 0, 0, 0, 0, time.UTC)) || !d.Adopted.IsZero() {
					t.Errorf("tabled %v, adopted %v: a motion is tabled, not adopted", d.Tabled, d.Adopted)
				}
			},
		},
		{
			name: "WholeWebPageOfATextAdopted",
			text: "Skip to main content\nTexts adopted\nThursday, 16 March 2023 - Strasbourg\nThe case of journalist Maria Ponomarenko in Russia\nP9_TA(2023)0080\n" +
				"European Parliament resolution of 16 March 2023 on the case of journalist Maria Ponomarenko in Russia (2023/2591(RSP))\n" +
				"The European Parliament,\n–\u00a0\u00a0having regard to its previous resolutions on Russia,\n" +
				"A.\u00a0\u00a0whereas she was sentenced;\n1.\u00a0\u00a0Condemns the sentence;\n" +
				"2.\u00a0\u00a0Instructs its President to forward this resolution.\n\nLast updated: 17 March 2023\nLegal notice - Privacy policy\n",
			clauses: []want{
				{"cit_1", "having regard to its previous resolutions on Russia,"},
				{"rec_A", "whereas she was sentenced;"},
				{"para_1", "Condemns the sentence;"},
				{"para_2", "Instructs its President to forward this resolution."},
			},
			check: func(t *testing.T, d parser.Document) {
				if d.Title != "European Parliament resolution of 16 March 2023 on the case of journalist Maria Ponomarenko in Russia" || d.Procedure != "2023/2591(RSP)" {
					t.Errorf("title %q, procedure %q", d.Title, d.Procedure)
				}
				if !d.Adopted.Equal(time.Date(2023, 3, 16, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("adopted = %v", d.Adopted)
				}
			},
		},
		{
			name: "LongTitleIsShortenedForDisplayOnly",
			text: "European Parliament resolution on " + strings.Repeat("the situation of human rights defenders, ", 12) + "in the region (2023/2001(RSP))\nThe European Parliament,\n–\thaving regard to its resolutions,\n1.\tCalls;\n",
			clauses: []want{
				{"cit_1", "having regard to its resolutions,"},
				{"para_1", "Calls;"},
			},
			check: func(t *testing.T, d parser.Document) {
				if n := len([]rune(d.Title)); n < 500 || !strings.HasSuffix(d.Title, "in the region") {
					t.Errorf("full title (%d characters) = %q", n, d.Title)
				}
				short := d.ShortTitle()
				if n := len([]rune(short)); n > parser.MaxTitle || !strings.HasSuffix(short, "…") || !strings.HasPrefix(d.Title, strings.TrimSuffix(short, "…")) {
					t.Errorf("short title (%d characters) = %q", n, short)
				}
			},
		},
		{
			name: "ReportCopiedIntoItsAmendmentTables",
			text: report,
			clauses: []want{
				{"cit_1", "having regard to the Commission proposal to Parliament and the Council (COM(2021)0206),"},
				{"cit_2", "having regard to Article 294(2) of the Treaty on the Functioning of the European Union,"},
				{"para_1", "Adopts its position at first reading hereinafter set out;"},
				{"para_2", "Calls on the Commission to refer the matter to Parliament again if it replaces, substantially amends or intends to substantially amend its proposal;"},
				{"para_3", "Instructs its President to forward its position to the Council, the Commission and the national parliaments."},
			},
			check: func(t *testing.T, d parser.Document) {
				if d.Procedure != "2021/0106(COD)" || !strings.HasPrefix(d.Title, "DRAFT EUROPEAN PARLIAMENT LEGISLATIVE RESOLUTION on the proposal") {
					t.Errorf("title %q, procedure %q", d.Title, d.Procedure)
				}
				if len(d.Warnings) != 1 || !strings.Contains(d.Warnings[0].Msg, `"Amendment 1"`) || d.Warnings[0].Line != strings.Count(report[:strings.Index(report, "Amendment 1")], "\n")+1 {
					t.Errorf("warnings = %v, want one at the first line of the tables", d.Warnings)
				}
			},
		},
		{
			name: "DecisionCopiedIntoItsAnnex",
			text: "European Parliament decision of 10 May 2023 on setting up a special committee\nThe European Parliament,\n–\thaving regard to Rule 207,\n1.\tDecides to set up a special committee;\n2.\tInstructs its President to forward this decision.\nANNEX\n1. The special committee shall have 33 members.\n",
			clauses: []want{
				{"cit_1", "having regard to Rule 207,"},
				{"para_1", "Decides to set up a special committee;"},
				{"para_2", "Instructs its President to forward this decision."},
			},
			check: func(t *testing.T, d parser.Document) {
				if !d.Adopted.Equal(time.Date(2023, 5, 10, 0, 0, 0, 0, time.UTC)) {
					t.Errorf("adopted = %v", d.Adopted)
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
			exactly(t, d, tc.clauses)
			if tc.check != nil {
				tc.check(t, d)
			}
			for _, w := range d.Warnings {
				if !strings.HasPrefix(tc.name, "Report") && !strings.HasPrefix(tc.name, "Decision") {
					t.Errorf("warning on a layout read exactly: %v", w)
				}
			}
		})
	}
}

// webMotion is a motion's web page on europarl.europa.eu, selected from top to bottom.
const webMotion = `Motion for a resolution - B9-0176/2023
Motion for a resolution
B9‑0176/2023
13.3.2023
to wind up the debate on the statement by the Vice-President of the Commission / High Representative of the Union for Foreign Affairs and Security Policy
pursuant to Rule 144 of the Rules of Procedure
on the case of Maria Ponomarenko in Russia
(2023/2591(RSP))
Michael Gahler, Andrzej Halicki, Isabel Wiseler-Lima, David McAllister
on behalf of the PPE Group
Procedure : 2023/2591(RSP)
Document stages in plenary
Document selected : B9-0176/2023
Texts tabled : B9-0176/2023
Debates : PV 15/03/2023 - 13.1
Votes : PV 16/03/2023 - 7.1
Texts adopted : P9_TA(2023)0080
B9‑0176/2023
European Parliament resolution on the case of Maria Ponomarenko in Russia
(2023/2591(RSP))
The European Parliament,
–  having regard to its previous resolutions on Russia,
–  having regard to Rule 144 of its Rules of Procedure,
A.  whereas Maria Ponomarenko, a journalist of RusNews, was sentenced on 15 February 2023;
B.  whereas she has been held in pre-trial detention since April 2022;
1.  Condemns the sentence;
2.  Instructs its President to forward this resolution to the authorities of the Russian Federation.
Last updated: 15 March 2023
Legal notice - Privacy policy
`

// numberedOn is a group's motion as its PDF extract gives it, numbering recitals and
// paragraphs in one run, with its page footer in the middle of a recital.
const numberedOn = "B9-0160/2023\nMOTION FOR A RESOLUTION\non the case of Ales Bialiatski and other political prisoners in Belarus\n(2023/2600(RSP))\n" +
	"The European Parliament,\n–\thaving regard to its previous resolutions on Belarus,\n–\thaving regard to Rule 144 of its Rules of Procedure,\n" +
	"1.\tWhereas on 3\u00a0March 2023 the Leninski District Court of Minsk sentenced Ales Bialiatski to ten years\n" + singleFooter + "in prison;\n" +
	"2.\twhereas Valiantsin Stefanovich and Uladzimir Labkovich were sentenced to nine and seven years;\n" +
	"3.\twhereas the trial was held behind closed doors;\n" +
	"4.\twhereas more than 1 400 political prisoners are held in Belarus;\n" +
	"5.\twhereas the authorities liquidated the Viasna Human Rights Centre in 2021;\n" +
	"6.\twhereas lawyers who defend political prisoners are disbarred;\n" +
	"7.\twhereas independent media have been declared extremist;\n" +
	"8.\twhereas journalists are prosecuted for their reporting;\n" +
	"9.\twhereas the regime supports Russia’s war of aggression against Ukraine;\n" +
	"10.\twhereas Belarusian opposition leaders live in exile;\n" +
	"11.\twhereas the Union has adopted five packages of sanctions;\n" +
	"12.\tCondemns the sentences handed down to Ales Bialiatski, Valiantsin Stefanovich and Uladzimir Labkovich;\n" +
	"13.\tCalls on the Belarusian authorities to:\n(a)\trelease all political prisoners immediately and unconditionally;\n(b)\tend the repression of civil society;\n" +
	"14.\tInstructs its President to forward this resolution to the Council, the Commission and the de facto authorities of Belarus.\n"

// report is an A-document's PDF extract: contents, the draft legislative resolution, then
// its amendment tables.
const report = "European Parliament\n2019-2024\nPlenary sitting\nA9-0188/2023\n22.5.2023\n***I\nREPORT\non the proposal for a regulation on artificial intelligence\n" +
	"(COM(2021)0206 – C9-0146/2021 – 2021/0106(COD))\nCommittee on the Internal Market and Consumer Protection\nRapporteur: Brando Benifei\n" +
	"CONTENTS\nPage\nDRAFT EUROPEAN PARLIAMENT LEGISLATIVE RESOLUTION.....5\nEXPLANATORY STATEMENT\n40\n" +
	"DRAFT EUROPEAN PARLIAMENT LEGISLATIVE RESOLUTION\non the proposal for a regulation on artificial intelligence\n(COM(2021)0206 – C9-0146/2021 – 2021/0106(COD))\n(Ordinary legislative procedure: first reading)\n" +
	"The European Parliament,\n–\thaving regard to the Commission proposal to Parliament and the Council (COM(2021)0206),\n" +
	"–\thaving regard to Article 294(2) of the Treaty on the Functioning of the European Union,\n" +
	"1.\tAdopts its position at first reading hereinafter set out;\n" +
	"2.\tCalls on the Commission to refer the matter to Parliament again if it replaces, substantially amends or intends to substantially amend its proposal;\n" +
	"3.\tInstructs its President to forward its position to the Council, the Commission and the national parliaments.\n" +
	"Amendment 1\nProposal for a regulation\nRecital 1\n\nText proposed by the Commission\tAmendment\n(1)\tThe purpose of this Regulation is to improve the functioning of the internal market.\t(1)\tThe purpose of this Regulation is to promote the uptake of trustworthy AI.\n" +
	"Amendment 2\nPresent text | Amendment\n2.\tThe Union shall act;\n"

func TestWarnings(t *testing.T) {
	long := strings.Repeat("whereas the situation deteriorated further and further; ", 30)
	tests := []struct {
		name, text string
		line       int
		says       string
	}{
		{"ClauseSeveralTimesLonger", "A. whereas one happened here;\nB. whereas two happened here;\nC. " + long + "\nD. whereas four happened here;\n1. Calls;\n", 3, "recital C is 1"},
		{"DocumentReference", "A. whereas the protests\ngo on RC\\1224524EN.docx 2/12 and on;\n1. Calls;\n", 2, `document reference from a page header or footer ("RC\1224524EN.docx")`},
		{"PEReference", "A. whereas the protests PE689.006v01-00 go on;\n1. Calls;\n", 1, "document reference"},
		{"PageFooter", "A. whereas the protests\nEN United in diversity EN go on;\n1. Calls;\n", 2, "page header or footer"},
		{"AmendmentHeading", "1. Calls for the release of all those detained;\nAmendment 3 Proposal for a regulation Recital 2\n", 2, "amendment heading"},
		{"FootnoteBlock", "– having regard to its resolution on Kazakhstan1,\n1 OJ C 76, 28.2.2018, p. 6.\nA. whereas x;\n1. Calls;\n", 2, "footnote"},
		{"SignatureLine", "A. whereas x;\n1. Instructs its President to forward this resolution.\non behalf of the Renew Group\n", 3, "signature line"},
		{"ParagraphNumberingGap", "A. whereas x;\n1. Calls;\n2. Urges;\n4. Instructs its President;\n", 4, "paragraph 4 follows paragraph 2: the numbering skips 3"},
		{"RecitalLetterGap", "A. whereas x;\nB. whereas y;\nE. whereas z;\n1. Calls;\n", 3, "recital E follows recital B: the numbering skips C to D"},
		{"PointGap", "1. Calls on them to:\n(a) release them;\n(c) end it;\n", 3, "point (c) follows point (a) in paragraph 1: the numbering skips (b)"},
		{"NumberedRecitalGap", "1. Whereas x;\n3. whereas z;\n1. Calls;\n", 2, "recital numbered 3 follows recital numbered 1"},
		{"GapInParagraphsNumberedOn", "1. Whereas x;\n2. whereas y;\n3. Calls;\n(a) one;\n(c) three;\n5. Urges;\n", 6, "paragraph 5 follows paragraph 3: the numbering skips 4"},
		{"PointGapInParagraphsNumberedOn", "1. Whereas x;\n2. whereas y;\n3. Calls;\n(a) one;\n(c) three;\n5. Urges;\n", 5, "point (c) follows point (a) in paragraph 3: the numbering skips (b)"},
		{"ParagraphNumberKeptAsText", "A. whereas x and\n15. Calls;\n1. Urges;\n", 2, "begins like paragraph 15, but paragraph 1 is expected"},
		{"RecitalStartsMidLine", "A. whereas one; B. whereas two;\n1. Calls;\n", 1, "recital B seems to start in the middle of a line"},
		{"NumberedRecitalStartsMidLine", "1. Whereas one;\n2. whereas two; 3. whereas three;\n1. Calls;\n", 2, "recital numbered 3 seems to start in the middle of a line"},
		{"ParagraphNumberedOnStartsMidLine", "1. Whereas one;\n2. whereas two; 3. Calls on them;\n1. Urges;\n", 2, "paragraph 3 seems to start in the middle of a line"},
		{"ParagraphStartsMidLine", "A. whereas one;\n1. Calls; 2. Urges the release;\n", 2, "paragraph 2 seems to start in the middle of a line"},
		{"CitationStartsMidLine", "– having regard to A; – having regard to B,\nA. whereas one;\n", 1, "a new clause seems to start in the middle of a line"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			d, err := parser.Parse(tc.text)
			if err != nil {
				t.Fatalf("Parse: %v", err)
			}
			for _, w := range d.Warnings {
				if w.Line == tc.line && strings.Contains(w.Msg, tc.says) {
					if s := w.String(); !strings.HasPrefix(s, fmt.Sprintf("line %d: warning: ", tc.line)) {
						t.Errorf("warning reads %q", s)
					}
					return
				}
			}
			t.Errorf("warnings = %v, want %q at line %d", d.Warnings, tc.says, tc.line)
		})
	}
}

// TestCleanTextsGiveNoWarnings: a warning must mean something, so none on clean texts.
func TestCleanTextsGiveNoWarnings(t *testing.T) {
	raw, err := os.ReadFile("../../data/seed/ep-2019-2610-rsp-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	for name, text := range map[string]string{"seed": string(raw), "realistic": realistic(), "webMotion": webMotion} {
		d, err := parser.Parse(text)
		if err != nil {
			t.Fatal(err)
		}
		if len(d.Warnings) > 0 {
			t.Errorf("%s: warnings %v", name, d.Warnings)
		}
	}
}
