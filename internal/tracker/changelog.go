package tracker

import (
	"strconv"
	"strings"
	"time"
)

// LogKind is what an entry of the public change log (/changes and the Atom feeds) records.
type LogKind string

// The kinds of entry the change log holds.
const (
	LogStatus      LogKind = "status"       // a case's status entry
	LogDemandState LogKind = "demand_state" // a demand's state entry
	LogResolution  LogKind = "resolution"   // a resolution (one text of a procedure) published
	LogRecord      LogKind = "record"       // a person, case, organisation or law created by staff
)

// LogKinds are the kinds in the order a filter offers them.
var LogKinds = []LogKind{LogStatus, LogDemandState, LogResolution, LogRecord}

// Valid says whether k is one of LogKinds.
func (k LogKind) Valid() bool { return k.Rank() > 0 }

// Rank orders the kinds of entries that share a date, newest first: the higher first.
func (k LogKind) Rank() int {
	switch k {
	case LogStatus:
		return 4
	case LogDemandState:
		return 3
	case LogResolution:
		return 2
	case LogRecord:
		return 1
	}
	return 0
}

// LogOrder is which date the change log is ordered by, newest first.
type LogOrder string

// The change log's orders.
const (
	ByEffective LogOrder = "effective" // when it happened, to its precision (the default)
	ByRecorded  LogOrder = "recorded"  // when it was entered
)

// Valid says whether o is one of the two orders.
func (o LogOrder) Valid() bool { return o == ByEffective || o == ByRecorded }

// LogEntry is one entry of the public change log: what happened, when, to what, and when
// it was entered. Nothing in it is internal: no internal note, no staff name.
type LogEntry struct {
	Kind         LogKind
	ID           int64     // the entry's row in its kind's table (the audit entry, for a record created)
	On           When      // when it happened (a record's creation: the day it was entered)
	DatedBy      string    // what the date rests on where the source gives no date of the event
	RecordedAt   time.Time // when it was entered
	UpdatedAt    time.Time // when it last changed: its entry, or the correction that replaced it
	Status       Status    // LogStatus: the case's new status
	State        DemandState
	Subject      EntityRef // the case, the demand (Type "demand"), the resolution or the record created
	Whom         EntityRef // whom a status or demand state concerns: the case's person or organisation, the demand's first target
	Note         string    // the entry's public note
	Text         TextRef   // LogResolution: which text it is
	Supersedes   int64     // the entry this one corrects, 0 if none
	SupersededBy int64     // the entry that corrects this one, 0 if none
}

// Path is the address of the page that shows the entry, with its anchor where it has one.
func (e LogEntry) Path() string {
	switch e.Kind {
	case LogStatus:
		return CaseEntity.Path(e.Subject.Slug) + "#status-" + strconv.FormatInt(e.ID, 10)
	case LogDemandState:
		return "/demands/" + e.Subject.Slug + "#state-" + strconv.FormatInt(e.ID, 10)
	case LogResolution:
		return "/resolutions/" + e.Subject.Slug
	}
	return e.Subject.Type.Path(e.Subject.Slug)
}

// Cursor is where the entry stands in order o, for the next page to start after it.
func (e LogEntry) Cursor(o LogOrder) LogCursor {
	at := e.On.Start
	if o == ByRecorded {
		at = e.RecordedAt
	}
	return LogCursor{At: at.UTC(), Kind: e.Kind, ID: e.ID}
}

// LogCursor is a place in the change log: a page lists the entries after it. Being the
// last entry's own key, not a count of entries, a page starts at the same entry however
// many are added meanwhile.
type LogCursor struct {
	At   time.Time // the effective date (midnight UTC) or the recorded time
	Kind LogKind
	ID   int64
}

// String is the cursor as ?before= carries it: "2019-03-14T00:00:00Z.status.12".
func (c LogCursor) String() string {
	return c.At.UTC().Format(time.RFC3339Nano) + "." + string(c.Kind) + "." + strconv.FormatInt(c.ID, 10)
}

// ParseLogCursor reads a ?before= value.
func ParseLogCursor(s string) (LogCursor, error) {
	bad := Errorf(EINVALID, "before must be a place in the list of changes, as its “Older changes” link gives, not %q.", Shorten(s, 40))
	rest, id, ok := cutLast(s)
	if !ok {
		return LogCursor{}, bad
	}
	at, kind, ok := cutLast(rest)
	if !ok {
		return LogCursor{}, bad
	}
	var c LogCursor
	var err error
	if c.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
		return LogCursor{}, bad
	}
	c.Kind = LogKind(kind)
	if c.ID, err = strconv.ParseInt(id, 10, 64); err != nil || c.ID < 1 || !c.Kind.Valid() {
		return LogCursor{}, bad
	}
	return c, nil
}

func cutLast(s string) (before, after string, ok bool) {
	i := strings.LastIndexByte(s, '.')
	if i < 0 {
		return "", "", false
	}
	return s[:i], s[i+1:], true
}

// LogQuery is what to read of the change log: an order, filters and where to start.
type LogQuery struct {
	Order      LogOrder
	Kind       LogKind // "" for every kind
	Person     string  // a person's slug: what concerns them ("" for everyone)
	Case       string  // a case's slug: what concerns it
	Resolution string  // a resolution's slug: the resolution, its demands, and the cases of whom it names
	Before     *LogCursor
	Limit      int
}

// LogPage is one page of the change log.
type LogPage struct {
	Entries []LogEntry
	Next    *LogCursor // where the next (older) page starts; nil on the last page
}
