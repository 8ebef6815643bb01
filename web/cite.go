package web

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// The citations and headings of the resolution pages in the page's language. internal/tracker
// writes them in English for the API and the dossiers (tracker.Cite, TextRef.Heading,
// TextRef.Describe); these write the same sentences from the catalogs, the English ones byte
// for byte as tracker's, keeping inside them what is content as it was published: the
// resolution's title in English, procedure and document numbers, clause labels.

// Part is a piece of a sentence a page shows: interface text, or a value put into it that
// is content, shown as written and marked as such.
type Part struct {
	Text string
	Lang string // content in a language of its own: "en" for the resolution's own words
	Keep bool   // not to be translated: a procedure or document number, a clause's label
	Time string // a date, its machine-readable form for <time datetime>
	Bold bool   // a figure the sentence is about: "<strong>3</strong> people are …"
	Href string // the address the piece links to
}

// Parts is a sentence in pieces, for a template to mark its content up (marked); String is
// the sentence as plain text, for a page's title.
type Parts []Part

// String is the sentence as plain text.
func (ps Parts) String() string {
	var b strings.Builder
	for _, p := range ps {
		b.WriteString(p.Text)
	}
	return b.String()
}

// inEnglish is the resolution's own English words in a sentence: its title, a quotation.
func inEnglish(s string) Part { return Part{Text: s, Lang: "en"} }

// kept is an identifier in a sentence, the same in every language: "2019/2610(RSP)", "K".
func kept(s string) Part { return Part{Text: s, Keep: true} }

// citeSlot marks where a value of Parts goes in a rendered message: a control character no
// catalog text holds.
const citeSlot = "\x1f"

// pieces puts Part and Parts values into message id (rendered by render with the values
// replaced by numbered slots) and cuts the text at them.
func pieces(render func(kv []any) string, kv []any) Parts {
	var held []Parts
	args := make([]any, len(kv))
	copy(args, kv)
	for i := 1; i < len(args); i += 2 {
		var ps Parts
		switch v := args[i].(type) {
		case Part:
			ps = Parts{v}
		case Parts:
			ps = v
		default:
			continue
		}
		args[i] = citeSlot + strconv.Itoa(len(held)) + citeSlot
		held = append(held, ps)
	}
	s := render(args)
	var out Parts
	for {
		before, rest, found := strings.Cut(s, citeSlot)
		if before != "" {
			out = append(out, Part{Text: before})
		}
		if !found {
			return out
		}
		num, after, _ := strings.Cut(rest, citeSlot)
		if n, err := strconv.Atoi(num); err == nil && n < len(held) {
			out = append(out, held[n]...)
		}
		s = after
	}
}

// TM is T with content in it kept apart: values of type Part or Parts come back as their
// own pieces, so a page can mark them (lang="en", translate="no").
func TM(ctx context.Context, id string, kv ...any) Parts {
	return pieces(func(args []any) string { return T(ctx, id, args...) }, kv)
}

// NM is N with content in it kept apart, as TM.
func NM(ctx context.Context, id string, n int, kv ...any) Parts {
	return pieces(func(args []any) string { return N(ctx, id, n, args...) }, kv)
}

// joinParts joins sentences or lists of pieces with sep between them.
func joinParts(sep string, pss ...Parts) Parts {
	var out Parts
	for i, ps := range pss {
		if i > 0 {
			out = append(out, Part{Text: sep})
		}
		out = append(out, ps...)
	}
	return out
}

// KindLabelM is a clause as a heading names it, "Recital K", with its label kept apart.
func KindLabelM(ctx context.Context, kind tracker.ClauseKind, label string) Parts {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph, tracker.Point:
		return TM(ctx, "clause_kind."+string(kind), "Label", kept(label))
	}
	return Parts{kept(label)}
}

// clauseNameM is a clause as a citation names it, "recital K", with its label kept apart.
func clauseNameM(ctx context.Context, kind tracker.ClauseKind, label string) Parts {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph:
		return TM(ctx, "clause_name."+string(kind), "Label", kept(label))
	case tracker.Point:
		return TM(ctx, "clause_name.paragraph", "Label", kept(label))
	}
	return Parts{kept(label)}
}

// dates are the forms a day takes in the catalogs' sentences: Date "14 March 2019",
// "14 марта 2019 г.", "2019 жылғы 14 наурыз"; On after a verb, "on 14 March 2019",
// "14 марта 2019 г.", "2019 жылғы 14 наурызда"; Of before a noun it dates, Kazakh
// "2019 жылғы 14 наурыздағы" (the others write Date there).
func dates(ctx context.Context, prefix string, t time.Time) []any {
	day := Day(ctx, t)
	on := DateIn(ctx, tracker.Day(t))
	of := day
	if Lang(ctx) == i18n.KK && !t.IsZero() {
		// The locative "наурызда" takes -ғы after a back vowel, -гі after a front one.
		if strings.HasSuffix(on, "а") {
			of = on + "ғы"
		} else {
			of = on + "гі"
		}
	}
	if Lang(ctx) == i18n.EN {
		day = Date(t) // as tracker writes it, byte for byte
		on = "on " + day
	}
	return []any{prefix + "Date", day, prefix + "On", on, prefix + "Of", of}
}

// citedTitle is a resolution's title inside a citation: English writes it into its sentence
// ("on the human rights situation in Kazakhstan", as tracker does); Russian and Kazakh quote
// it as published.
func citedTitle(ctx context.Context, title string) Part {
	if Lang(ctx) == i18n.EN {
		return inEnglish(tracker.Topic(title))
	}
	return inEnglish(title)
}

// TextHeading names a text with its procedure, as a citation begins (tracker's
// TextRef.Heading): "European Parliament resolution of 14 March 2019 on the human rights
// situation in Kazakhstan (2019/2610(RSP))", "Резолюция Европейского парламента от 14 марта
// 2019 г. «Human rights situation in Kazakhstan» (2019/2610(RSP))".
func TextHeading(ctx context.Context, t tracker.TextRef) Parts {
	title := citedTitle(ctx, t.Title)
	if t.Stage == tracker.Adopted {
		on := t.TextDate
		if on.IsZero() {
			on = t.VoteDate
		}
		numbers := Parts{kept(t.Procedure)}
		if t.Reference != "" {
			numbers = append(numbers, Part{Text: ", "}, kept(t.Reference))
		}
		if on.IsZero() {
			return TM(ctx, "resolution.heading_adopted_undated", "Title", title, "Numbers", numbers)
		}
		return TM(ctx, "resolution.heading_adopted", append([]any{"Title", title, "Numbers", numbers}, dates(ctx, "", on)...)...)
	}
	stage := "text"
	if t.Stage.Valid() {
		stage = string(t.Stage)
	}
	var detail []Parts
	if t.Reference != "" {
		detail = append(detail, Parts{kept(t.Reference)})
	}
	if !t.TextDate.IsZero() {
		detail = append(detail, TM(ctx, "resolution.tabled_on", dates(ctx, "", t.TextDate)...))
	}
	if len(detail) == 0 {
		return TM(ctx, "resolution.heading_"+stage, "Title", title, "Procedure", kept(t.Procedure))
	}
	return TM(ctx, "resolution.heading_"+stage+"_detail", "Title", title, "Detail", joinParts(", ", detail...), "Procedure", kept(t.Procedure))
}

// Cite is the full citation of a clause of a text in the page's language (tracker.Cite):
// the text, the clause, and for a motion the day the Parliament voted. An empty kind cites
// the whole text.
func Cite(ctx context.Context, t tracker.TextRef, kind tracker.ClauseKind, label string) Parts {
	out := TextHeading(ctx, t)
	if kind != "" {
		out = joinParts(", ", out, clauseNameM(ctx, kind, label))
	}
	if t.Stage != tracker.Adopted && !t.VoteDate.IsZero() {
		out = TM(ctx, "resolution.cite_vote", append([]any{"Cited", out}, dates(ctx, "", t.VoteDate)...)...)
	}
	return out
}

// TextDescription says in one or two sentences which text a page shows, for the line under
// its heading (tracker's TextRef.Describe): "Motion for a resolution, date tabled unknown.
// The Parliament adopted a resolution in this procedure on 14 March 2019; the words below
// are this motion's, not the adopted text's."
func TextDescription(ctx context.Context, t tracker.TextRef) Parts {
	text := Parts{{Text: StageLabel(ctx, t.Stage)}}
	if t.Reference != "" {
		text = append(text, Part{Text: " "}, kept(t.Reference))
	}
	on := t.TextDate
	if on.IsZero() && t.Stage == tracker.Adopted {
		on = t.VoteDate // an adopted text's date is the vote's
	}
	var out Parts
	switch {
	case on.IsZero():
		out = TM(ctx, "resolution.describe_undated", "Text", text)
	case t.Stage == tracker.Adopted:
		out = TM(ctx, "resolution.describe_adopted", append([]any{"Text", text}, dates(ctx, "", on)...)...)
	default:
		out = TM(ctx, "resolution.describe_tabled", append([]any{"Text", text}, dates(ctx, "", on)...)...)
	}
	if t.Stage != tracker.Adopted && !t.VoteDate.IsZero() {
		stage := "text"
		if t.Stage.Valid() {
			stage = string(t.Stage)
		}
		out = joinParts(" ", out, TM(ctx, "resolution.describe_vote_"+stage, dates(ctx, "", t.VoteDate)...))
	}
	return out
}

// StageDateText is a text's date in a list line, as what it is, in the page's language:
// "adopted 14 March 2019", "tabled 11 March 2019; resolution adopted 14 March 2019", or for
// a motion whose tabling date nobody recorded "date tabled unknown; resolution adopted 14
// March 2019".
func StageDateText(ctx context.Context, t tracker.TextRef) string {
	var id string
	var kv []any
	switch {
	case t.Stage == tracker.Adopted && !t.TextDate.IsZero():
		id, kv = "resolution.stage_date_adopted", dates(ctx, "", t.TextDate)
	case t.Stage == tracker.Adopted:
		id, kv = "resolution.stage_date_adopted", dates(ctx, "", t.VoteDate)
	case !t.TextDate.IsZero():
		id, kv = "resolution.stage_date_tabled", append(dates(ctx, "Tabled", t.TextDate), dates(ctx, "Adopted", t.VoteDate)...)
	default:
		id, kv = "resolution.stage_date_undated", dates(ctx, "Adopted", t.VoteDate)
	}
	return T(ctx, id, kv...)
}

// StageDate is StageDateText in English, for the command line and the pages not yet
// speaking the reader's language.
func StageDate(t tracker.TextRef) string { return StageDateText(context.Background(), t) }

// assessedSummary says how many of the demands staff have assessed are met: "0 of 9
// assessed demands met".
func assessedSummary(ctx context.Context, met, assessed int) string {
	return N(ctx, "demand.assessed_summary", assessed, "Met", met)
}

// clausesByEID indexes a text's clauses by their eId.
func clausesByEID(cs []tracker.Clause) map[string]tracker.Clause {
	m := make(map[string]tracker.Clause, len(cs))
	for _, c := range cs {
		m[c.EID] = c
	}
	return m
}

// namedInLabel is a clause naming a person, "Recital K", found by its eId among the text's
// clauses; label (tracker's English) where it is not among them.
func namedInLabel(ctx context.Context, byEID map[string]tracker.Clause, eid, label string) Parts {
	if c, ok := byEID[eid]; ok {
		return KindLabelM(ctx, c.Kind, c.Label)
	}
	return Parts{kept(label)}
}

// translatedPage reports whether the page speaks another language than the resolutions,
// which it shows as published, in English: such a page says so (originalLanguageNote).
func translatedPage(ctx context.Context) bool { return Lang(ctx) != i18n.EN }

// akomaNtoso is the name of the open standard for legal texts, the same in every language.
const akomaNtoso = "Akoma Ntoso XML"

// citationsLeadIn are the resolution's own words before its citations, shown as published.
const citationsLeadIn = "The European Parliament,"

// aboutTheCase reports whether a demand list is the one on a case's page, which names no
// one: DemandList's about is "" there (or "this case", as pages not yet translated say it).
func aboutTheCase(about string) bool { return about == "" || about == "this case" }

// stageWithRef is a text's stage and document number, "Text adopted P8_TA(2019)0203", the
// number kept apart.
func stageWithRef(ctx context.Context, s tracker.Stage, ref string) Parts {
	ps := Parts{{Text: StageLabel(ctx, s)}}
	if ref != "" {
		ps = append(ps, Part{Text: " "}, kept(ref))
	}
	return ps
}

// clauseOf names a clause with its text's procedure, "2019/2610(RSP), Paragraph 3", the
// procedure and the label kept apart.
func clauseOf(ctx context.Context, c tracker.ClauseRef) Parts {
	return append(Parts{kept(c.ResolutionProcedure), {Text: ", "}}, KindLabelM(ctx, c.Kind, c.Label)...)
}
