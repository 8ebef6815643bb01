// Package web holds every HTML page as a templ component, the helpers they share, and the
// stylesheet, embedded so the binary serves its own look with nothing fetched at run time.
package web

import (
	"context"
	"embed"
	"fmt"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/tracker"
)

// Static holds the files served under /static/.
//
//go:embed static
var Static embed.FS

// Segment is a run of clause text: plain, or a mention linking to what it names.
type Segment struct {
	Text    string
	Mention *tracker.Mention
	Self    bool // the mention names the entity whose page this is
}

// Segments cuts text at its mentions so a page can link each name. Case mentions share
// their subject's span and are listed beside the clause rather than highlighted; where
// spans overlap, the first one wins.
func Segments(text string, mentions []tracker.Mention, self tracker.EntityRef) []Segment {
	runes := []rune(text)
	ms := make([]tracker.Mention, 0, len(mentions))
	for _, m := range mentions {
		if m.Type != tracker.CaseEntity && m.Start >= 0 && m.End <= len(runes) && m.Start < m.End {
			ms = append(ms, m)
		}
	}
	sort.SliceStable(ms, func(i, j int) bool { return ms[i].Start < ms[j].Start })
	var out []Segment
	at := 0
	for i := range ms {
		m := ms[i]
		if m.Start < at {
			continue
		}
		if m.Start > at {
			out = append(out, Segment{Text: string(runes[at:m.Start])})
		}
		out = append(out, Segment{Text: string(runes[m.Start:m.End]), Mention: &ms[i], Self: m.Type == self.Type && m.Slug == self.Slug})
		at = m.End
	}
	if at < len(runes) {
		out = append(out, Segment{Text: string(runes[at:])})
	}
	return out
}

// CaseMentions returns the distinct cases a clause mentions.
func CaseMentions(mentions []tracker.Mention) []tracker.Mention {
	var out []tracker.Mention
	seen := map[string]bool{}
	for _, m := range mentions {
		if m.Type == tracker.CaseEntity && !seen[m.Slug] {
			seen[m.Slug] = true
			out = append(out, m)
		}
	}
	return out
}

// Date formats a date the way the EP writes it: 14 March 2019.
func Date(t time.Time) string { return t.Format("2 January 2006") }

// PeopleWithStatus is the address of the people list filtered to a current status; ""
// (none recorded) is the list's "No status recorded" value.
func PeopleWithStatus(s tracker.Status) string {
	if s == "" {
		s = tracker.NoStatus
	}
	return "/people?" + tracker.Filter{Status: string(s)}.Query().Encode()
}

// Plural writes a count with its noun in English: "1 clause", "3 clauses". It is for English
// text (the command line, messages the server writes); pages count with N, whose plural
// forms each language gives.
var Plural = tracker.Plural

// TypeLabel is an entity type in words, singular.
func TypeLabel(t tracker.EntityType) string { return t.Noun() }

// ClausesOfKind picks a resolution's clauses of one kind; points go with paragraphs.
func ClausesOfKind(cs []tracker.Clause, kinds ...tracker.ClauseKind) []tracker.Clause {
	var out []tracker.Clause
	for _, c := range cs {
		for _, k := range kinds {
			if c.Kind == k {
				out = append(out, c)
			}
		}
	}
	return out
}

// Page carries what the layout needs besides the page's body.
type Page struct {
	Title   string   // the <title>, before " · Whereas"
	Section string   // which navigation entry is current: "resolutions", "people", …
	Share   Share    // what a shared link to the page shows; none where Description is ""
	Feed    FeedLink // the Atom feed the page offers in its <head>; none where Href is ""
}

// NavItem is one entry of the main navigation.
type NavItem struct{ Key, Href, Label string }

// Nav is the main navigation, in order.
var Nav = []NavItem{
	{"resolutions", "/resolutions", "Resolutions"},
	{"people", "/people", "People"},
	{"cases", "/cases", "Cases"},
	{"organisations", "/organisations", "Organisations"},
	{"legal-provisions", "/legal-provisions", "Laws"},
}

// ClauseMarker is what stands before a clause's text, as in the printed resolution:
// "–" for a citation, "A." for a recital, "3." for a paragraph, "(a)" for a point.
func ClauseMarker(c tracker.Clause) string {
	switch c.Kind {
	case tracker.Citation:
		return "–"
	case tracker.Point:
		if i := strings.IndexByte(c.Label, '('); i >= 0 {
			return c.Label[i:]
		}
	}
	return c.Label + "."
}

// JoinNonEmpty joins the parts that are not empty, so a missing place leaves no stray comma.
func JoinNonEmpty(sep string, parts ...string) string {
	var out []string
	for _, p := range parts {
		if p != "" {
			out = append(out, p)
		}
	}
	return strings.Join(out, sep)
}

// Pager is what an index page needs to link to its other pages.
type Pager struct {
	Path   string
	Page   tracker.Page
	Total  int
	Filter tracker.Filter // kept in every page link
}

// First is the 1-based position of the page's first item.
func (p Pager) First() int { return min(p.Page.Offset()+1, p.Total) }

// Last is the 1-based position of the page's last item.
func (p Pager) Last() int { return min(p.Page.Offset()+p.Page.Size, p.Total) }

// Pages is how many pages there are.
func (p Pager) Pages() int { return p.Page.Pages(p.Total) }

// URL is the address of page n, with the filter kept.
func (p Pager) URL(n int) string {
	q := p.Filter.Query()
	if n > 1 {
		q.Set("page", fmt.Sprint(n))
	}
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// FilterURL is the address of the index with the filter changed: one parameter set, or
// cleared with "". Changing a filter goes back to the first page.
func (p Pager) FilterURL(param, value string) string {
	q := p.Filter.With(param, value).Query()
	if len(q) == 0 {
		return p.Path
	}
	return p.Path + "?" + q.Encode()
}

// ExportURL is the address of the list's CSV (ext "csv") or JSON (ext "json") with the
// same filters: the CSV has every filtered row, the JSON the same page as the list.
func (p Pager) ExportURL(ext string) string {
	q := p.Filter.Query()
	path := "/api/v1" + p.Path
	if ext == "csv" {
		q.Del("sort")
		path += ".csv"
	} else if p.Page.Number > 1 {
		q.Set("page", fmt.Sprint(p.Page.Number))
	}
	if len(q) == 0 {
		return path
	}
	return path + "?" + q.Encode()
}

// SnippetPart is a run of a search snippet: plain, or one of the words that matched.
type SnippetPart struct {
	Text string
	Hit  bool
}

// SnippetParts cuts a snippet at the \x01 … \x02 marks PostgreSQL put around matched
// words, so the page can mark them without trusting any HTML from the database.
func SnippetParts(s string) []SnippetPart {
	var out []SnippetPart
	for s != "" {
		i := strings.IndexByte(s, '\x01')
		if i < 0 {
			out = append(out, SnippetPart{Text: s})
			break
		}
		if i > 0 {
			out = append(out, SnippetPart{Text: s[:i]})
		}
		s = s[i+1:]
		j := strings.IndexByte(s, '\x02')
		if j < 0 {
			out = append(out, SnippetPart{Text: s, Hit: true})
			break
		}
		out = append(out, SnippetPart{Text: s[:j], Hit: true})
		s = s[j+1:]
	}
	return out
}

// SearchGroup is the hits of one type, in rank order.
type SearchGroup struct {
	Type  tracker.EntityType
	Title string
	Hits  []tracker.SearchHit
}

// SearchTypes are the values of the search's type filter (?type=), each with the kind of
// record it keeps, in the order the results show them.
var SearchTypes = []struct {
	Param string
	Type  tracker.EntityType
}{{"people", tracker.PersonEntity}, {"organisations", tracker.OrganisationEntity}, {"laws", tracker.LegalProvisionEntity},
	{"cases", tracker.CaseEntity}, {"clauses", tracker.ClauseEntity}, {"documents", tracker.DocumentEntity}}

// SearchType reads the search's type filter: "" for every kind, else the kind it names.
// Anything else is refused with the values it may take.
func SearchType(param string) (tracker.EntityType, error) {
	if param == "" {
		return "", nil
	}
	for _, t := range SearchTypes {
		if t.Param == param {
			return t.Type, nil
		}
	}
	return "", tracker.Errorf(tracker.EINVALID, "type must be people, organisations, laws, cases, clauses or documents, not %q.", tracker.Shorten(param, 21))
}

// SearchTab is one choice of the search's type filter, with how many hits it keeps.
type SearchTab struct {
	Param, Title string
	Count        int
	Current      bool
}

// SearchTabs are the type filter's choices for the hits found ("" first, for all), each
// with its count; kinds with no hit are left out.
func SearchTabs(ctx context.Context, hits []tracker.SearchHit, current tracker.EntityType) []SearchTab {
	tabs := []SearchTab{{Param: "", Title: T(ctx, "common.search_all"), Count: len(hits), Current: current == ""}}
	for _, g := range GroupHits(ctx, hits) {
		for _, t := range SearchTypes {
			if t.Type == g.Type {
				tabs = append(tabs, SearchTab{Param: t.Param, Title: g.Title, Count: len(g.Hits), Current: current == g.Type})
			}
		}
	}
	return tabs
}

// atLeast writes a count that may be a part of the whole as "12+", so it never reads as
// all there is.
func atLeast(n int, more bool) string {
	if more {
		return strconv.Itoa(n) + "+"
	}
	return strconv.Itoa(n)
}

// SearchURL is the address of a search for q, of one kind of record or ("") all.
func SearchURL(q, param string) string {
	v := url.Values{"q": {q}}
	if param != "" {
		v.Set("type", param)
	}
	return "/search?" + v.Encode()
}

// OfType keeps the hits of one kind, or all of them when t is "".
func OfType(hits []tracker.SearchHit, t tracker.EntityType) []tracker.SearchHit {
	if t == "" {
		return hits
	}
	var out []tracker.SearchHit
	for _, h := range hits {
		if h.Type == t {
			out = append(out, h)
		}
	}
	return out
}

// Years writes years as a list in the page's language: "2019", "2019 and 2022", "2017,
// 2019 and 2022", "2017, 2019 и 2022".
func Years(ctx context.Context, ys []int) string {
	s := make([]string, len(ys))
	for i, y := range ys {
		s[i] = fmt.Sprint(y)
	}
	return List(ctx, s)
}

// GroupHits groups ranked hits by type, in a fixed order of types, each group titled in
// the page's language.
func GroupHits(ctx context.Context, hits []tracker.SearchHit) []SearchGroup {
	groups := []SearchGroup{
		{Type: tracker.PersonEntity, Title: T(ctx, "common.group.person")},
		{Type: tracker.OrganisationEntity, Title: T(ctx, "common.group.organisation")},
		{Type: tracker.LegalProvisionEntity, Title: T(ctx, "common.group.legal_provision")},
		{Type: tracker.CaseEntity, Title: T(ctx, "common.group.case")},
		{Type: tracker.ClauseEntity, Title: T(ctx, "common.group.clause")},
		{Type: tracker.DocumentEntity, Title: T(ctx, "documents.group")},
	}
	for _, h := range hits {
		for i := range groups {
			if groups[i].Type == h.Type {
				groups[i].Hits = append(groups[i].Hits, h)
			}
		}
	}
	var out []SearchGroup
	for _, g := range groups {
		if len(g.Hits) > 0 {
			out = append(out, g)
		}
	}
	return out
}

type queryKey struct{}

// WithQuery records the search query a page was asked with, for the header's search box.
func WithQuery(ctx context.Context, q string) context.Context {
	return context.WithValue(ctx, queryKey{}, q)
}

// Query is the search query of the page being rendered, or "".
func Query(ctx context.Context) string { q, _ := ctx.Value(queryKey{}).(string); return q }

// ByResolution splits clauses, in resolution order already, into one group per resolution.
func ByResolution(cs []tracker.CitingClause) [][]tracker.CitingClause {
	var out [][]tracker.CitingClause
	for i, c := range cs {
		if i == 0 || c.ResolutionSlug != cs[i-1].ResolutionSlug {
			out = append(out, nil)
		}
		out[len(out)-1] = append(out[len(out)-1], c)
	}
	return out
}

// Capitalised is s with its first letter in capitals, for a phrase that starts a line.
func Capitalised(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	if size == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[size:]
}

// DatedText is an entry's date in words where a list offers entries, in the page's
// language: "May 2018", "май 2018 г.", or what it is dated by (as staff wrote it).
func DatedText(ctx context.Context, w tracker.When, datedBy string) string {
	if datedBy != "" {
		return Capitalised(Say(ctx, datedBy))
	}
	return DateText(ctx, w)
}
