package web

import (
	"context"
	"embed"
	"fmt"
	"io/fs"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// Locales holds the interface's message catalogs: one folder per language
// (locales/en is the reference), one TOML file per part of the site, for internal/i18n.
//
//go:embed locales
var Locales embed.FS

// catalog is the shipped catalogs, read once: they are part of the binary, and a broken
// one fails make test (internal/i18n's and this package's tests) long before it could
// fail a start.
var catalog = func() *i18n.Catalog {
	dir, err := fs.Sub(Locales, "locales")
	if err == nil {
		var c *i18n.Catalog
		if c, err = i18n.LoadCatalog(dir); err == nil {
			return c
		}
	}
	panic("web: the shipped message catalogs do not load: " + err.Error())
}()

// Catalog is the shipped message catalogs.
func Catalog() *i18n.Catalog { return catalog }

type langKey struct{}

// WithLang records the language the pages rendered with ctx speak.
func WithLang(ctx context.Context, l i18n.Lang) context.Context {
	return context.WithValue(ctx, langKey{}, l)
}

// Lang is the language of the page being rendered; English where none was chosen (tests,
// the command line).
func Lang(ctx context.Context) i18n.Lang {
	if l, ok := ctx.Value(langKey{}).(i18n.Lang); ok {
		return l
	}
	return i18n.EN
}

// values turns T's name, value pairs into a message's data.
func values(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// T is interface text id in the page's language, with name, value pairs put in where the
// text has {{.Name}}: T(ctx, "search.results_for", "Query", q). A key the language lacks
// falls back to English and one English lacks shows as the key itself: the catalog and
// template checks (make test) keep both from shipping, and a key on the page is a bug
// anyone can report, where a blank would hide it.
func T(ctx context.Context, id string, kv ...any) string {
	data := values(kv)
	if s, ok := catalog.Text(Lang(ctx), id, data); ok {
		return s
	}
	if s, ok := catalog.Text(i18n.EN, id, data); ok {
		return s
	}
	return id
}

// N is plural message id for the count n in the page's language ({{.Count}} is n): "1
// пункт", "2 пункта", "5 пунктов".
func N(ctx context.Context, id string, n int, kv ...any) string {
	data := values(kv)
	if s, ok := catalog.Count(Lang(ctx), id, n, data); ok {
		return s
	}
	if s, ok := catalog.Count(i18n.EN, id, n, data); ok {
		return s
	}
	return id + " " + strconv.Itoa(n)
}

// StatusLabel is a status in the page's language; "" is "No status recorded".
func StatusLabel(ctx context.Context, s tracker.Status) string {
	if s == "" || s == tracker.NoStatus {
		return T(ctx, "status.none")
	}
	if _, ok := s.Info(); !ok {
		return string(s)
	}
	return T(ctx, "status."+string(s))
}

// DemandStateLabel is a demand's state in the page's language.
func DemandStateLabel(ctx context.Context, s tracker.DemandState) string {
	if !s.Valid() {
		return string(s)
	}
	return T(ctx, "demand_state."+string(s))
}

// DemandActionLabel is what a demand asks for, in the page's language.
func DemandActionLabel(ctx context.Context, a tracker.DemandAction) string {
	if !a.Valid() {
		return string(a)
	}
	return T(ctx, "demand_action."+string(a))
}

// StageLabel is a text's stage as a heading says it: "Motion for a resolution".
func StageLabel(ctx context.Context, s tracker.Stage) string {
	if !s.Valid() {
		return T(ctx, "stage.text")
	}
	return T(ctx, "stage."+string(s))
}

// TypeNoun is an entity type in words, singular, in the page's language.
func TypeNoun(ctx context.Context, t tracker.EntityType) string {
	return T(ctx, "type."+string(t))
}

// KindLabel is how a clause is named in prose: "Recital A", "Пункт 3", "Citation 1".
func KindLabel(ctx context.Context, kind tracker.ClauseKind, label string) string {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph, tracker.Point:
		return T(ctx, "clause_kind."+string(kind), "Label", label)
	}
	return label
}

// ClauseName is a clause as a citation names it, in lower case: "recital K".
func ClauseName(ctx context.Context, kind tracker.ClauseKind, label string) string {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph:
		return T(ctx, "clause_name."+string(kind), "Label", label)
	case tracker.Point:
		return T(ctx, "clause_name.paragraph", "Label", label)
	}
	return label
}

// DateText is a date in words in the page's language, saying no more than is known:
// "May 2018", "март 2019 г.", "2019 жылғы 14 наурыз"; a zero date is "date unknown".
func DateText(ctx context.Context, w tracker.When) string { return i18n.Date(Lang(ctx), w) }

// DateIn is the date after a verb of something that happened: "on 14 May 2018".
func DateIn(ctx context.Context, w tracker.When) string { return i18n.DateIn(Lang(ctx), w) }

// DateSince is the date of a state that still holds: "since May 2018".
func DateSince(ctx context.Context, w tracker.When) string { return i18n.DateSince(Lang(ctx), w) }

// Day is a calendar day in the page's language: "14 March 2019", "14 марта 2019 г.".
func Day(ctx context.Context, t time.Time) string { return i18n.Day(Lang(ctx), t) }

// Dating is how an entry's date reads after its status: "since May 2018", or what the date
// rests on (typed by staff, shown as they wrote it), never a "since" the source does not say.
func Dating(ctx context.Context, w tracker.When, datedBy string) string {
	if datedBy != "" {
		return Say(ctx, datedBy) // typed by staff; the seed's own phrase is in the catalogs
	}
	return DateSince(ctx, w)
}

// DemandDating is how a demand's current state is dated after its label (see
// tracker.DemandDating): nothing, or what it rests on in brackets, for one not yet assessed.
func DemandDating(ctx context.Context, s tracker.DemandState, w tracker.When, datedBy string) string {
	if s != tracker.Unknown {
		return Dating(ctx, w, datedBy)
	}
	if datedBy == "" {
		return ""
	}
	return "(" + datedBy + ")"
}

// List joins items as the page's language writes a list: "a, b and c", "a, b и c".
func List(ctx context.Context, items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " " + T(ctx, "list.and") + " " + items[len(items)-1]
}

type addressKey struct{}

// WithAddress records the request's method and address, for the language switcher.
func WithAddress(ctx context.Context, method string, u *url.URL, referer string) context.Context {
	return context.WithValue(ctx, addressKey{}, address{method, u, referer})
}

type address struct {
	method  string
	u       *url.URL
	referer string
}

// LangURL is the address of the page being rendered in language l: the same path and query
// with lang=l. A page answering a form (a POST) has no address of its own to come back to;
// its switcher leads to the page the form was on, where that is one of this site's.
func LangURL(ctx context.Context, l i18n.Lang) string {
	a, _ := ctx.Value(addressKey{}).(address)
	path, q := "/", url.Values{}
	switch {
	case a.u != nil && (a.method == http.MethodGet || a.method == http.MethodHead):
		path, q = a.u.EscapedPath(), a.u.Query()
	case a.referer != "":
		if ref, err := url.Parse(a.referer); err == nil && strings.HasPrefix(ref.Path, "/") && !strings.HasPrefix(ref.Path, "//") {
			path, q = ref.EscapedPath(), ref.Query()
		}
	}
	q.Set("lang", string(l))
	return path + "?" + q.Encode()
}

// LangName is a language's name in itself, as the switcher offers it.
func LangName(l i18n.Lang) string {
	switch l {
	case i18n.RU:
		return "Русский"
	case i18n.KK:
		return "Қазақша"
	}
	return "English"
}
