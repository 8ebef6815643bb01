package web

import (
	"context"
	"net/url"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/atom"
	"github.com/whereas/whereas/internal/tracker"
)

// ChangesView is what /changes shows: one page of the public change log, its order and
// filters, and the names of the records it is filtered to.
type ChangesView struct {
	Query           tracker.LogQuery
	Page            tracker.LogPage
	PersonName      string
	ResolutionTitle string
}

// ChangesURL is the address of the change log at path (/changes, /changes.atom or the
// API's) with q's order, kind and filters, starting after before (nil: the newest).
func ChangesURL(path string, q tracker.LogQuery, before *tracker.LogCursor) string {
	v := url.Values{}
	if q.Order == tracker.ByRecorded {
		v.Set("order", string(q.Order))
	}
	if q.Kind != "" {
		v.Set("kind", string(q.Kind))
	}
	if q.Person != "" {
		v.Set("person", q.Person)
	}
	if q.Resolution != "" {
		v.Set("resolution", q.Resolution)
	}
	if before != nil {
		v.Set("before", before.String())
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// Without is the page's address with one filter taken off ("person", "resolution", "kind").
func (v ChangesView) Without(param string) string {
	q := v.Query
	switch param {
	case "person":
		q.Person = ""
	case "resolution":
		q.Resolution = ""
	case "kind":
		q.Kind = ""
	}
	return ChangesURL("/changes", q, nil)
}

// FeedLink is a feed a page offers, in its <head> and on the page: its address (in the
// page's language) and its title.
type FeedLink struct {
	Href  string
	Title string
}

// FeedOf is the feed at path (/people/x.atom) in the page's language, titled for what it follows.
func FeedOf(ctx context.Context, path, name string) FeedLink {
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	return FeedLink{Href: path + sep + "lang=" + string(Lang(ctx)), Title: FeedTitle(ctx, name)}
}

// FeedTitle is the title of the feed of what changed about name ("" for the whole log).
func FeedTitle(ctx context.Context, name string) string {
	if name == "" {
		return T(ctx, "changes.feed_title_all")
	}
	return T(ctx, "changes.feed_title_of", "Name", name)
}

// LogKindLabel is a kind of change in words: "Status", "Demand state".
func LogKindLabel(ctx context.Context, k tracker.LogKind) string {
	return T(ctx, "changes.kind."+string(k))
}

// LogEntryTitle is one line saying what an entry records, for a feed entry's title.
func LogEntryTitle(ctx context.Context, e tracker.LogEntry) string {
	switch e.Kind {
	case tracker.LogStatus:
		who := e.Whom.Name
		if who == "" {
			who = e.Subject.Name
		}
		return T(ctx, "changes.title_status", "Whom", who, "Status", StatusLabel(ctx, e.Status))
	case tracker.LogDemandState:
		return T(ctx, "changes.title_demand", "State", DemandStateLabel(ctx, e.State), "Demand", tracker.Shorten(e.Subject.Name, 90))
	case tracker.LogResolution:
		return T(ctx, "changes.title_resolution", "Stage", StageLabel(ctx, e.Text.Stage), "Title", e.Subject.Name)
	}
	return T(ctx, "changes.title_record."+string(e.Subject.Type), "Name", e.Subject.Name)
}

// LogEntryWhen says when an entry's change happened, to its precision: a date, what the
// date rests on, a text's stage date, or the day a record was entered.
func LogEntryWhen(ctx context.Context, e tracker.LogEntry) string {
	switch {
	case e.Kind == tracker.LogResolution:
		return StageDateText(ctx, e.Text)
	case e.DatedBy != "":
		return Capitalised(Say(ctx, e.DatedBy))
	}
	return DateText(ctx, e.On)
}

// LogEntrySummary is an entry in plain text, for a feed: when it happened, what about, its
// public note, whether a later entry corrects it, and when it was entered.
func LogEntrySummary(ctx context.Context, e tracker.LogEntry) string {
	lines := []string{T(ctx, "changes.summary_when", "When", LogEntryWhen(ctx, e))}
	switch e.Kind {
	case tracker.LogStatus:
		lines = append(lines, T(ctx, "changes.summary_case", "Title", e.Subject.Name))
	case tracker.LogDemandState:
		lines = append(lines, T(ctx, "changes.summary_demand", "Wording", e.Subject.Name))
		if e.Whom.Name != "" {
			lines = append(lines, T(ctx, "changes.summary_for", "Whom", e.Whom.Name))
		}
	case tracker.LogResolution:
		lines = append(lines, e.Text.Procedure)
	}
	if e.Note != "" {
		lines = append(lines, e.Note)
	}
	if e.SupersededBy != 0 {
		lines = append(lines, T(ctx, "changes.corrected"))
	}
	if e.Supersedes != 0 {
		lines = append(lines, T(ctx, "changes.corrects"))
	}
	lines = append(lines, T(ctx, "changes.entered", "Date", Day(ctx, e.RecordedAt)))
	return strings.Join(lines, "\n")
}

// ChangeFeed is the Atom feed of entries in the page's language. key names the feed for
// its id (its address without the language: the same on every host); self is the feed's
// address and alternate the page it follows, both as the site writes them; base is the
// site's public address, or "" to leave addresses relative to the feed's own; site is the
// site's lasting id, so no other site's feed has the same ids.
func ChangeFeed(ctx context.Context, site, key, title, self, alternate, base string, entries []tracker.LogEntry) atom.Feed {
	f := atom.Feed{
		Lang:  string(Lang(ctx)),
		ID:    atom.ID(site, "feed "+key),
		Title: atom.Plain(title),
		Links: []atom.Link{
			{Rel: "self", Type: "application/atom+xml", Href: base + self},
			{Rel: "alternate", Type: "text/html", Href: base + alternate},
		},
		Author:  atom.Person{Name: siteName},
		Updated: atom.Time(time.Unix(0, 0)),
	}
	for _, e := range entries {
		if e.UpdatedAt.After(time.Time(f.Updated)) {
			f.Updated = atom.Time(e.UpdatedAt)
		}
		f.Entries = append(f.Entries, atom.Entry{
			ID:         atom.ID(site, string(e.Kind)+" "+Itoa64(e.ID)),
			Title:      atom.Plain(LogEntryTitle(ctx, e)),
			Updated:    atom.Time(e.UpdatedAt),
			Published:  atom.Time(e.RecordedAt),
			Links:      []atom.Link{{Rel: "alternate", Type: "text/html", Href: base + e.Path()}},
			Categories: []atom.Category{{Term: string(e.Kind), Label: LogKindLabel(ctx, e.Kind)}},
			Summary:    atom.Plain(LogEntrySummary(ctx, e)),
		})
	}
	return f
}

// Feed is the feed of what the page lists: the same kind and filters, newest entered first.
func (v ChangesView) Feed(ctx context.Context) FeedLink {
	q := tracker.LogQuery{Kind: v.Query.Kind, Person: v.Query.Person, Resolution: v.Query.Resolution}
	name := v.PersonName
	if name == "" {
		name = v.ResolutionTitle
	}
	return FeedOf(ctx, ChangesURL("/changes.atom", q, nil), name)
}
