package web

import (
	"context"
	"strings"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/tracker"
)

// FacetTitle is a filter's title in the page's language: "Current status", "Law used".
// The facets come from the database with English titles (the API keeps them); pages say
// them by their parameter.
func FacetTitle(ctx context.Context, param string) string {
	return T(ctx, "index.facet."+param)
}

// FacetValue is a facet value as the filter bar writes it: a status in the page's
// language; anything else is what records hold (a law's or organisation's name, a role or
// a place as staff typed it, a resolution's procedure number), written as content.
func FacetValue(ctx context.Context, param string, v tracker.FacetValue) templ.Component {
	if param == "status" {
		return plain(StatusLabel(ctx, tracker.Status(v.Value)))
	}
	return ForeignName(v.Label)
}

// FilterChip is one active filter as the list shows it: the facet's title and the value
// (a status in words, a law by its name), with the address of the list without it.
type FilterChip struct {
	Title     string
	Value     templ.Component
	RemoveURL string
}

// Chips are the active filters in words, in the page's language. A value is labelled as
// its facet lists it; one the facets do not list (no record has it) is shown as given.
func (p Pager) Chips(ctx context.Context, facets []tracker.Facet) []FilterChip {
	var out []FilterChip
	for _, param := range tracker.FilterParams {
		v := p.Filter.Get(param)
		if v == "" || param == "sort" {
			continue
		}
		label := v
		for _, f := range facets {
			if f.Param != param {
				continue
			}
			for _, fv := range f.Values {
				if fv.Value == v {
					label = fv.Label
				}
			}
		}
		c := FilterChip{Title: FacetTitle(ctx, param), Value: ForeignName(label), RemoveURL: p.FilterURL(param, "")}
		switch param {
		case "status":
			c.Value = plain(StatusLabel(ctx, tracker.Status(v)))
		case "clause":
			if kind, label, ok := clauseFromEID(v); ok {
				c.Value = ClauseLabel(ctx, kind, label)
			}
		}
		out = append(out, c)
	}
	return out
}

// clauseFromEID reads a clause's kind and label from its eId as Akoma Ntoso writes it:
// "rec_J" is recital J, "para_3" paragraph 3, "cit_1" citation 1; ok is false for any
// other eId.
func clauseFromEID(eid string) (kind tracker.ClauseKind, label string, ok bool) {
	prefix, label, found := strings.Cut(eid, "_")
	if !found || label == "" || strings.Contains(label, "_") {
		return "", "", false
	}
	kind, ok = map[string]tracker.ClauseKind{"rec": tracker.Recital, "para": tracker.Paragraph, "cit": tracker.Citation}[prefix]
	return kind, label, ok
}

// ClauseLabel is how a clause is named in prose, as KindLabel says it ("Recital A",
// "Пункт преамбулы A", "Кіріспе бөлімнің A тармағы"), with the clause's own label (A, 3,
// 1a: the resolution's numbering, the same in every language) marked as content.
func ClauseLabel(ctx context.Context, kind tracker.ClauseKind, label string) templ.Component {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph, tracker.Point:
		before, after := Around(ctx, "clause_kind."+string(kind), slotLabel)
		return templ.Join(plain(before), content(label), plain(after))
	}
	return content(label)
}

// The values a message holds in an element the template writes (Around).
const (
	slotName  = "Name"  // a name, written by ForeignName
	slotLink  = "Link"  // a link
	slotLabel = "Label" // a clause's label
)

// aroundMark stands for the element a sentence holds while the sentence is translated.
const aroundMark = "\x00"

// Around is the text of message id before and after its value slot (slotName, slotLink,
// slotLabel): one sentence to translate, in whatever word order the language needs, around
// an element the template writes itself.
func Around(ctx context.Context, id, slot string, kv ...any) (before, after string) {
	before, after, _ = strings.Cut(T(ctx, id, append([]any{slot, aroundMark}, kv...)...), aroundMark)
	return before, after
}

// NameAmid is message id, a sentence holding a name as {{.Name}}, in the page's language,
// with the name written by ForeignName (content, kept as written) wherever the language
// puts it: "No clause of any resolution names Max Bokayev.", "Бокаев не упоминается …".
func NameAmid(ctx context.Context, id, name string, kv ...any) templ.Component {
	before, after := Around(ctx, id, slotName, kv...)
	return templ.Join(plain(before), ForeignName(name), plain(after))
}

// plain is text as a component.
func plain(s string) templ.Component { return templ.Raw(templ.EscapeString(s)) }

// content is text that is not the interface's (a clause's label, a value staff typed),
// marked so that no one translates it.
func content(s string) templ.Component {
	return templ.Raw(`<span translate="no">` + templ.EscapeString(s) + `</span>`)
}

// sentenceFact is a case's sentence as the judgment words it (content), with its term in
// the page's language: "5 years in prison (60 months)", "… (5 лет)". Where both are
// recorded they read as one phrase, marked as content with the judgment's words.
func sentenceFact(ctx context.Context, f tracker.Facts) templ.Component {
	switch {
	case f.SentenceMonths == nil:
		return content(f.Sentence)
	case f.Sentence == "":
		return plain(SentenceTerm(ctx, *f.SentenceMonths))
	}
	return content(f.Sentence + " (" + SentenceTerm(ctx, *f.SentenceMonths) + ")")
}

// SentenceTerm is a sentence's length in the page's language: English counts months ("60
// months"), Russian and Kazakh say whole years as years ("5 лет", "5 жыл") and a longer
// term as years and months ("1 год 6 месяцев").
func SentenceTerm(ctx context.Context, months int) string {
	years, rest := months/12, months%12
	switch {
	case years > 0 && rest == 0:
		return N(ctx, "entity.term_years", years, "Months", months)
	case years > 0:
		return T(ctx, "entity.term_years_months", "Months", months,
			"Years", N(ctx, "entity.term_years", years, "Months", months), "Rest", N(ctx, "entity.term_months", rest))
	}
	return N(ctx, "entity.term_months", months)
}
