package tracker

import (
	"strings"
	"time"
)

// WatchKind is the kind of record a watch follows: a person, a case or a resolution.
type WatchKind string

// The kinds of record one can watch.
const (
	WatchPerson     WatchKind = "person"
	WatchCase       WatchKind = "case"
	WatchResolution WatchKind = "resolution"
)

// ParseWatchKind reads a watch kind from a form or an address.
func ParseWatchKind(s string) (WatchKind, bool) {
	switch k := WatchKind(s); k {
	case WatchPerson, WatchCase, WatchResolution:
		return k, true
	}
	return "", false
}

// Path is the public address of the watched record.
func (k WatchKind) Path(slug string) string {
	switch k {
	case WatchPerson:
		return "/people/" + slug
	case WatchCase:
		return "/cases/" + slug
	}
	return "/resolutions/" + slug
}

// Noun is the kind in words, for messages: "person", "case", "resolution".
func (k WatchKind) Noun() string { return string(k) }

// Watch is one watcher following one record.
type Watch struct {
	ID        int64
	Kind      WatchKind
	Slug      string
	Name      string // the person's name, the case's or the resolution's title
	Lang      string // the language emails are written in: en, ru or kk
	Email     string // a visitor's address; "" for staff
	Confirmed bool
	CreatedAt time.Time
}

// NewsKind is the kind of change that makes news for watchers.
type NewsKind string

// The changes watchers hear of.
const (
	NewsStatus      NewsKind = "status"       // a new status entry of a case
	NewsDemandState NewsKind = "demand_state" // a new state of a demand
	NewsCaseEdit    NewsKind = "case_edit"    // an edit of a case's own fields
	NewsPersonEdit  NewsKind = "person_edit"  // an edit of a person's own fields
	NewsStage       NewsKind = "stage"        // a new text (stage) of a resolution's procedure
)

// RecordRef names a record in news: its address's slug, its name and whether it is retired.
type RecordRef struct {
	Slug    string
	Name    string
	Retired bool
}

// News is one change, as its emails tell it.
type News struct {
	ID         int64
	Kind       NewsKind
	Internal   bool // only internal fields changed: staff hear of it, visitors never
	At         time.Time
	Case       RecordRef // the case of a status entry or edit
	Person     RecordRef // the person edited
	Resolution RecordRef // the resolution of a demand, or the new stage
	Demand     RecordRef // the demand whose state changed (Name: its wording)
	Status     Status
	State      DemandState
	Stage      Stage
	Effective  When
	Note       string
}

// Retired says whether the changed record is retired, which visitors never hear of.
func (c News) Retired() bool { return c.Case.Retired || c.Person.Retired }

// Notice is one email's worth of news: a change, for one watcher of one record.
type Notice struct {
	Watch     Watch
	Recipient string
	Staff     bool
	News      News
}

// MailKind says why an email is sent.
type MailKind string

// The kinds of email Whereas sends.
const (
	MailChange  MailKind = "change"  // news of a change to a watched record
	MailConfirm MailKind = "confirm" // a visitor's confirmation link
	MailDigest  MailKind = "digest"  // a staff member's weekly digest
)

// Mail is an email ready to be queued: the recipient, the subject, the plain-text and HTML
// bodies and the extra headers (List-Unsubscribe and its kin).
type Mail struct {
	Kind    MailKind
	To      string
	Subject string
	Text    string
	HTML    string
	Headers map[string]string
	WatchID int64
}

// QueuedMail is an email in the mail queue.
type QueuedMail struct {
	Mail
	ID        int64
	Attempts  int
	CreatedAt time.Time
	SentAt    *time.Time
	FailedAt  *time.Time
	NextTry   time.Time
	LastError string
}

// MailQueueCounts counts the mail queue by state.
type MailQueueCounts struct {
	Waiting, Sent, Failed int
}

// NormalEmail is an email address as watches keep it (trimmed, lower case), and whether
// it looks like one.
func NormalEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	at := strings.LastIndexByte(s, '@')
	if len(s) > 254 || at < 1 || !strings.Contains(s[at:], ".") || strings.ContainsAny(s, " \t\r\n<>,;\"") ||
		strings.HasSuffix(s, ".") || strings.Count(s, "@") != 1 {
		return s, false
	}
	return s, true
}

// Hearing is a case's coming hearing, for the staff digest.
type Hearing struct {
	Case RecordRef
	On   time.Time
}

// Digest is what a staff member's weekly digest lists.
type Digest struct {
	Stale       []EntitySummary
	Hearings    []Hearing
	StaleDays   int // a case is stale with no news for this many days
	HearingDays int // hearings this many days ahead are listed
}

// DigestStaleDays and DigestHearingDays are the digest's windows: cases with no news for
// half a year, hearings in the next two weeks.
const (
	DigestStaleDays   = 180
	DigestHearingDays = 14
)
