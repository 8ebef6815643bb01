package web

import (
	"context"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// ShownName is a name as a page shows it, with the language it is written in, so that
// screen readers say it right and the page's checks know it for a name, not interface text.
type ShownName struct {
	Text string
	Lang string // "en" for the Latin name, "ru" or "kk" for a Cyrillic one
}

// NamesOf are a record's names as a page in ctx's language shows them (issue 17 §2): a
// Russian or Kazakh page the Cyrillic name first (Kazakh falling back to the Russian
// spelling and the other way round) and the Latin one beside it; an English page the Latin
// name first and the Cyrillic ones beside it. Names not known are left out, never guessed.
func NamesOf(ctx context.Context, latin string, n tracker.ScriptNames) (first ShownName, beside []ShownName) {
	l := Lang(ctx)
	if l != i18n.EN {
		if name, lang := n.Cyrillic(string(l)); name != "" {
			return ShownName{name, lang}, []ShownName{{latin, "en"}}
		}
		return ShownName{latin, "en"}, nil
	}
	first = ShownName{latin, "en"}
	if n.RU != "" {
		beside = append(beside, ShownName{n.RU, "ru"})
	}
	if n.KK != "" && n.KK != n.RU {
		beside = append(beside, ShownName{n.KK, "kk"})
	}
	return first, beside
}

// FirstName is the name a page in ctx's language shows first, as text (for a <title>).
func FirstName(ctx context.Context, latin string, n tracker.ScriptNames) string {
	first, _ := NamesOf(ctx, latin, n)
	return first.Text
}
