package web

import (
	"context"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
)

// The import pages (web/imports.templ) in the reader's language. The importer and the
// parser write what they say in English, which the command line and the API keep; these
// say it again from what it is made of (parser.Words, the importer's codes), with the
// texts in web/locales/*/imports.toml.

// warningsSeenValue is the value of the check page's box by which staff say they compared
// the lines the parser warned about with the source (the server reads "yes").
const warningsSeenValue = "yes"

// importSplit is message id cut around its value name, so that the page can mark the
// value (a name, an address: content, not interface text) with translate="no" or its
// language: T(ctx, id, name, value, kv...) is before + value + after.
func importSplit(ctx context.Context, id, name string, kv ...any) (before, after string) {
	const mark = "\uE000" // a private-use character no message holds
	before, after, _ = strings.Cut(T(ctx, id, append([]any{name, mark}, kv...)...), mark)
	return before, after
}

// importState is a draft's state in words: "draft", "published", "discarded".
func importState(ctx context.Context, state string) string {
	switch state {
	case importer.StateDraft, importer.StatePublished, importer.StateDiscarded:
		return T(ctx, "imports.state."+state)
	}
	return state
}

// importChange is how a clause of a re-import differs from the published one: "changed".
func importChange(ctx context.Context, change string) string {
	switch change {
	case importer.Added, importer.Changed, importer.Unchanged, importer.Removed:
		return T(ctx, "imports.change."+change)
	}
	return change
}

// importFormat is what a source text was read as: "plain text", "Akoma Ntoso XML".
func importFormat(ctx context.Context, f string) string {
	if f == importer.FormatAKN {
		return T(ctx, "imports.format.akn")
	}
	return T(ctx, "imports.format.text")
}

// importStageDate is a text's date as the review page's heading gives it: "adopted 14
// March 2019", "tabled 11 March 2019; resolution adopted 14 March 2019" (StageDate, in the
// page's language).
func importStageDate(ctx context.Context, t tracker.TextRef) string {
	switch {
	case t.Stage == tracker.Adopted && !t.TextDate.IsZero():
		return T(ctx, "imports.stage_date.adopted", "Date", Day(ctx, t.TextDate))
	case t.Stage == tracker.Adopted:
		return T(ctx, "imports.stage_date.adopted", "Date", Day(ctx, t.VoteDate))
	case !t.TextDate.IsZero():
		return T(ctx, "imports.stage_date.tabled", "Tabled", Day(ctx, t.TextDate), "Adopted", Day(ctx, t.VoteDate))
	}
	return T(ctx, "imports.stage_date.untabled", "Adopted", Day(ctx, t.VoteDate))
}

// decisionLabel is what staff decided about a proposed demand.
func decisionLabel(ctx context.Context, d string) string {
	switch d {
	case importer.Accept:
		return T(ctx, "imports.decision.accepted")
	case importer.Reject:
		return T(ctx, "imports.decision.rejected")
	}
	return T(ctx, "imports.decision.undecided")
}

// candidateCue is what made a name look like a new person's or organisation's, when it is
// the importer's own words ("capitalised name"); "" when the cue is the text's own word
// ("journalist"), which the page shows as the text has it.
func candidateCue(ctx context.Context, c importer.Candidate) string {
	if !c.CueOwn {
		return ""
	}
	switch c.Cue {
	case importer.CueName:
		return T(ctx, "imports.cue.name")
	case importer.CueOrganisation:
		return T(ctx, "imports.cue.organisation")
	}
	return T(ctx, "imports.cue.marked_up", "Type", TypeNoun(ctx, c.Type))
}

// TargetNames lists a demand's targets by name, for the check page; "nobody named" when none.
func TargetNames(ctx context.Context, pv importer.Preview, d importer.NewDemand) string {
	if len(d.Targets) == 0 {
		return T(ctx, "imports.nobody_named")
	}
	var names []string
	for _, t := range d.Targets {
		names = append(names, TargetName(pv, t))
	}
	return strings.Join(names, ", ")
}

// CheckLink is a link the check page lists: its clause, and whom or what it names.
type CheckLink struct {
	Clause string // "Recital B", in the page's language
	Name   string
	Type   string // "person", in the page's language
}

// CheckLinks lists, clause by clause, the links a draft publishes, and those turned down.
func CheckLinks(ctx context.Context, pv importer.Preview) (ticked, turnedDown []CheckLink) {
	for _, c := range pv.Clauses {
		for _, l := range c.Links {
			cl := CheckLink{Clause: KindLabel(ctx, c.Clause.Kind, c.Clause.Label), Name: l.Name, Type: TypeNoun(ctx, l.Type)}
			if l.Accepted {
				ticked = append(ticked, cl)
			} else {
				turnedDown = append(turnedDown, cl)
			}
		}
	}
	return ticked, turnedDown
}

// warningsUnseen is the refusal to publish a text whose n warnings nobody said they
// checked, in the page's language; any other message as Say gives it.
func warningsUnseen(ctx context.Context, msg string, n int) string {
	if Lang(ctx) != i18n.EN && msg == importer.WarningsUnseen(n) {
		return N(ctx, "imports.check.warnings_unseen", n)
	}
	return Say(ctx, msg)
}

// importProblem is what stops a re-import from publishing, in the page's language.
func importProblem(ctx context.Context, p string) string { return Say(ctx, p) }

// ImportWarning is a parser's warning in the page's language: as the parser wrote it in
// English, from its key and values in another.
func ImportWarning(ctx context.Context, w parser.Warning) string {
	if Lang(ctx) == i18n.EN || w.Words.Key == "" {
		return w.Msg
	}
	if s := importWarning(ctx, w.Words, w.Words.Args["Quote"]); s != "" {
		return s
	}
	return w.Msg
}

// ImportWarningParts is ImportWarning cut around the words it quotes from the text, so that
// the page can mark their language: before, the quotation, after. English keeps the
// parser's text whole (before).
func ImportWarningParts(ctx context.Context, w parser.Warning) (before, quote, after string) {
	if Lang(ctx) == i18n.EN || w.Words.Key == "" || w.Words.Args["Quote"] == "" {
		return ImportWarning(ctx, w), "", ""
	}
	const mark = "\uE000" // a private-use character no message holds
	before, after, ok := strings.Cut(importWarning(ctx, w.Words, mark), mark)
	if !ok {
		return ImportWarning(ctx, w), "", ""
	}
	return before, w.Words.Args["Quote"], after
}

// importWarning writes a warning from its words in the page's language, with quote for the
// words it quotes from the text.
func importWarning(ctx context.Context, w parser.Words, quote string) string {
	a := w.Args
	clause := func(kind, label string) string { return importClauseInProse(ctx, tracker.ClauseKind(kind), label) }
	switch w.Key {
	case "suspect":
		return T(ctx, "imports.warning.suspect", "Clause", clause(a["Kind"], a["Label"]), "What", T(ctx, "imports.suspect."+a["What"]), "Quote", quote)
	case "mid_line":
		next := T(ctx, "imports.next_clause.clause")
		switch a["Next"] {
		case "recital", "paragraph", "point":
			next = clause(a["Next"], a["NextLabel"])
		case "recital_numbered":
			next = T(ctx, "imports.next_clause.recital_numbered", "Number", a["NextLabel"])
		}
		return T(ctx, "imports.warning.mid_line", "Next", next, "Clause", clause(a["Kind"], a["Label"]), "Quote", quote)
	case "end_table", "end_section", "paragraph_like":
		return T(ctx, "imports.warning."+w.Key, "Quote", quote, "Got", a["Got"], "Want", a["Want"])
	case "recital_gap", "numbered_recital_gap", "paragraph_gap", "point_gap":
		return T(ctx, "imports.warning."+w.Key, "Got", a["Got"], "After", a["After"], "Paragraph", a["Paragraph"], "Gap", importRange(ctx, a["From"], a["To"]))
	case "long_clause":
		times, _ := strconv.Atoi(a["Times"])
		return N(ctx, "imports.warning.long_clause", times, "Clause", clause(a["Kind"], a["Label"]), "Length", a["Length"],
			"Usual", T(ctx, "imports.usual."+a["Kind"]))
	}
	return ""
}

// ImportRecitalsNote says how the source labelled its recitals, when not A, B, …: as the parser
// wrote it in English, from its key and values in another language.
func ImportRecitalsNote(ctx context.Context, p importer.Parsed) string {
	if Lang(ctx) == i18n.EN || p.RecitalsWords.Key == "" {
		return p.RecitalsNote
	}
	return importRecitalsNote(ctx, p.RecitalsWords)
}

// importRecitalsNote writes the recitals' note from its words in the page's language.
func importRecitalsNote(ctx context.Context, w parser.Words) string {
	a := w.Args
	letters := importRange(ctx, "A", a["Last"])
	recitals, _ := strconv.Atoi(a["Recitals"])
	switch w.Key {
	case "numbered":
		return N(ctx, "imports.recitals.numbered", recitals, "Numbered", a["Numbered"], "Letters", letters)
	case "numbered_on":
		return T(ctx, "imports.recitals.numbered_on", "Numbered", a["Numbered"], "Source", importRange(ctx, a["From"], a["To"]), "Letters", letters,
			"Paragraphs", importRange(ctx, "1", a["Paragraphs"]), "First", a["From"])
	}
	return N(ctx, "imports.recitals.dashed", recitals, "Letters", letters)
}

// importRange is the labels from to to: "B", "B to D" ("B–D").
func importRange(ctx context.Context, from, to string) string {
	if from == to || to == "" {
		return from
	}
	return T(ctx, "imports.range", "From", from, "To", to)
}

// importClauseInProse is a clause named inside a sentence, in lower case where the language
// writes it so: "recital B", "пункт преамбулы B", "3(a) тармақша".
func importClauseInProse(ctx context.Context, kind tracker.ClauseKind, label string) string {
	if kind == tracker.Point {
		return importLowerFirst(KindLabel(ctx, kind, label))
	}
	return ClauseName(ctx, kind, label)
}

// importLowerFirst is s with its first letter in lower case.
func importLowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if r == utf8.RuneError {
		return s
	}
	return string(unicode.ToLower(r)) + s[size:]
}
