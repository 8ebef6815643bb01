package web

import (
	"context"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
)

// FacetTitle is a filter's title in the page's language: "Current status", "Law used".
// The facets come from the database with English titles (the API keeps them); pages say
// them by their parameter.
func FacetTitle(ctx context.Context, param string) string {
	return T(ctx, "index.facet."+param)
}

// FacetLabel is a facet value as the filter bar shows it: a status in the page's language,
// or (content is true) what the record holds, a law's or organisation's name, a role or a
// place as staff typed it, a resolution's procedure number, none of them interface text.
func FacetLabel(ctx context.Context, param string, v tracker.FacetValue) (label string, content bool) {
	if param == "status" {
		return StatusLabel(ctx, tracker.Status(v.Value)), false
	}
	return v.Label, true
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

// aroundMark stands for the element a sentence holds while the sentence is translated.
const aroundMark = "\x00"

// Around is the text of message id before and after the element it holds, {{.Name}} (a
// name, marked as content) or {{.Link}} (a link): one sentence to translate, in whatever
// word order the language needs, around an element the template writes itself.
func Around(ctx context.Context, id string, kv ...any) (before, after string) {
	s := T(ctx, id, append([]any{"Name", aroundMark, "Link", aroundMark}, kv...)...)
	before, after, _ = strings.Cut(s, aroundMark)
	return before, after
}
