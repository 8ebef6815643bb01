// Package tracker holds Whereas's domain: resolutions and their clauses, the people,
// organisations, legal provisions and cases they name, and the errors the rest of the
// application speaks in. It does no I/O, so every other package can depend on it.
package tracker

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Error codes, after benbjohnson/wtf: each maps to one HTTP status at the boundary.
const (
	ECONFLICT     = "conflict"
	EINTERNAL     = "internal"
	EINVALID      = "invalid"
	EMETHOD       = "method_not_allowed"
	ENOTFOUND     = "not_found"
	ETOOLARGE     = "too_large"
	EUNAUTHORIZED = "unauthorized"
	EFORBIDDEN    = "forbidden"
	ETOOMANY      = "too_many_requests"
	EUNAVAILABLE  = "unavailable"
	EGONE         = "gone" // a retired record, at its public address
)

// Error is an application error whose Message is safe to show to a user.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string {
	return fmt.Sprintf("whereas error: code=%s message=%s", e.Code, e.Message)
}

// Errorf builds an *Error with a formatted, user-safe message.
func Errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// ErrorCode returns the code of the first *Error in err's chain, EINTERNAL for any other
// error, and "" for nil, so callers never have to type-assert.
func ErrorCode(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Code
	}
	return EINTERNAL
}

// ErrorMessage returns the user-safe message of err; internal errors get a fixed text so
// that nothing about the system leaks.
func ErrorMessage(err error) string {
	var e *Error
	if err == nil {
		return ""
	} else if errors.As(err, &e) {
		return e.Message
	}
	return "Something went wrong."
}

// ClauseKind says which part of a resolution a clause belongs to.
type ClauseKind string

// The clause kinds, in the order a resolution presents them.
const (
	Citation  ClauseKind = "citation"  // "having regard to …"
	Recital   ClauseKind = "recital"   // "A. whereas …"
	Paragraph ClauseKind = "paragraph" // operative paragraph "1. Urges …"
	Point     ClauseKind = "point"     // sub-point "(a) …" of a paragraph
)

// Resolution is one text of a European Parliament resolution procedure: a motion, a joint
// motion or the adopted text (Stage). The texts of one procedure share Procedure.
type Resolution struct {
	ID          int64
	Slug        string // "2019-2610-rsp"
	Procedure   string // "2019/2610(RSP)"
	Title       string
	AdoptedOn   time.Time // the day the Parliament voted in the procedure (for a motion, not the motion's date)
	Stage       Stage
	Reference   string    // the document number, "B8-0180/2019"; "" when unknown
	TextDate    time.Time // the day this text was tabled or adopted; zero when unknown
	OfficialURL string    // the text on the Parliament's site; "" when unknown
	Version     int
	SourceText  string // the text as imported; Resolution does not read it back (no page shows it)
	Clauses     []Clause
	// Stages are the texts of the same procedure stored as other rows, in stage order.
	Stages []TextRef
}

// Shorten cuts s to at most n characters, the last of them an ellipsis when it was cut,
// for texts quoted in messages, options and terminal lines.
func Shorten(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// ValidSlug reports whether s can be a slug: lower-case letters and digits in words joined
// by single hyphens, as the database's checks require.
func ValidSlug(s string) bool {
	if s == "" || len(s) > 200 || s[0] == '-' || s[len(s)-1] == '-' || strings.Contains(s, "--") {
		return false
	}
	for _, r := range s {
		if !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9' || r == '-') {
			return false
		}
	}
	return true
}

// SlugForProcedure turns a procedure reference such as "2019/2610(RSP)" into the slug
// used in addresses, "2019-2610-rsp".
func SlugForProcedure(procedure string) string {
	out := make([]rune, 0, len(procedure))
	dash := false
	for _, r := range procedure {
		switch {
		case r >= 'A' && r <= 'Z':
			out = append(out, r+'a'-'A')
			dash = false
		case (r >= 'a' && r <= 'z') || (r >= '0' && r <= '9'):
			out = append(out, r)
			dash = false
		default:
			if !dash && len(out) > 0 {
				out = append(out, '-')
				dash = true
			}
		}
	}
	for len(out) > 0 && out[len(out)-1] == '-' {
		out = out[:len(out)-1]
	}
	return string(out)
}

// Clause is one addressable unit of a resolution's text.
type Clause struct {
	ID       int64
	Kind     ClauseKind
	Label    string // "1", "A", "3(a)"
	EID      string // Akoma Ntoso-style id: "cit_1", "rec_A", "para_3__point_a"
	Position int    // 1-based order within the resolution
	Text     string
	Mentions []Mention
	Demands  []Demand // what the clause demands, in order
}

// EntityType names the kinds of thing a clause can mention.
type EntityType string

// The entity types, as they appear in the API.
const (
	PersonEntity         EntityType = "person"
	OrganisationEntity   EntityType = "organisation"
	LegalProvisionEntity EntityType = "legal_provision"
	CaseEntity           EntityType = "case"
)

// Noun is the type in words, singular: "person", "legal provision".
func (t EntityType) Noun() string {
	return strings.ReplaceAll(string(t), "_", " ")
}

// Path returns the public address of an entity of this type.
func (t EntityType) Path(slug string) string {
	switch t {
	case PersonEntity:
		return "/people/" + slug
	case OrganisationEntity:
		return "/organisations/" + slug
	case LegalProvisionEntity:
		return "/legal-provisions/" + slug
	case CaseEntity:
		return "/cases/" + slug
	case ClauseEntity:
		res, eid, _ := strings.Cut(slug, "#")
		return "/resolutions/" + res + "#" + eid
	}
	return "/"
}

// Mention ties a clause to an entity it names, with the span of clause text that named it.
// Start and End count Unicode code points (not bytes) into the clause text.
type Mention struct {
	Type    EntityType
	Slug    string
	Name    string
	Matched string
	Start   int
	End     int
}

// ScriptNames are a record's names in Cyrillic beside its Latin Name (issue 17 §2): how
// Russian and Kazakh write it, "" where not known. Kazakh often differs (Нұрбек Құшақбаев,
// Нурбек Кушакбаев); pages in either language show theirs first, the Latin one beside.
type ScriptNames struct {
	RU string
	KK string
}

// Cyrillic is the name a page in lang ("ru" or "kk") shows first, with the language it
// is written in: Kazakh falls back to the Russian spelling, Russian to the Kazakh one, since
// either is nearer the reader than the Latin; "" where neither is known.
func (n ScriptNames) Cyrillic(lang string) (name, nameLang string) {
	first, second := n.RU, n.KK
	firstLang, secondLang := "ru", "kk"
	if lang == "kk" {
		first, second, firstLang, secondLang = n.KK, n.RU, "kk", "ru"
	}
	if first != "" {
		return first, firstLang
	}
	if second != "" {
		return second, secondLang
	}
	return "", ""
}

// Person is an individual named by a resolution.
type Person struct {
	ID            int64
	Slug          string
	Name          string
	Aliases       []string
	Names         ScriptNames // the name in Cyrillic, Russian and Kazakh, where known
	Role          string
	Place         string
	Notes         string
	InternalNotes string // staff only: never on public pages or in the public API
	Version       int    // bumped by every edit, for conflict checks
	BornOn        *time.Time
	Affiliations  []Affiliation // the organisations the person belongs to, by organisation name
	Retirement
}

// Organisation is a body named by a resolution: a union, a party, a newsroom, a UN mechanism.
type Organisation struct {
	ID      int64
	Slug    string
	Name    string
	Aliases []string
	Names   ScriptNames // the name in Cyrillic, Russian and Kazakh, where known
	Kind    string
	Notes   string
	Version int
	Members []Affiliation // the people affiliated with it, by person name
	Retirement
}

// LegalProvision is a law or article a resolution names, usually one used against people.
type LegalProvision struct {
	ID           int64
	Slug         string
	Name         string
	Aliases      []string
	Names        ScriptNames // the name in Cyrillic, Russian and Kazakh, where known
	Jurisdiction string
	Citation     string // "Criminal Code of the Republic of Kazakhstan, Article 174"
	OfficialURL  string
	Notes        string
	Version      int
	Retirement
}

// Case is one legal matter of one or more people or organisations.
type Case struct {
	ID              int64
	Slug            string
	Title           string
	Summary         string
	People          []EntityRef
	Organisations   []EntityRef
	LegalProvisions []EntityRef
	Statuses        []StatusEntry // oldest first, corrected entries included
	InternalNotes   string        // staff only
	Facts           Facts         // what the case is about; its facility is staff-only unless made public
	Version         int           // bumped by every change, for conflict checks
	UpdatedAt       time.Time
	Retirement
}

// Current returns the case's latest status entry that no later entry corrects, or false
// when it has none.
func (c Case) Current() (StatusEntry, bool) {
	for i := len(c.Statuses) - 1; i >= 0; i-- {
		if c.Statuses[i].SupersededBy == 0 {
			return c.Statuses[i], true
		}
	}
	return StatusEntry{}, false
}

// EntityRef is the short form of an entity used in lists and links.
type EntityRef struct {
	Type EntityType
	Slug string
	Name string
}

// StatusEntry is one dated, sourced fact in a case's history. Entries are only ever
// appended, so the history shows what was known when.
type StatusEntry struct {
	ID           int64
	Status       Status
	EffectiveOn  When      // when it happened, to a year, a month or a day
	DatedBy      string    // what the date rests on where the source gives no date of the event, or ""
	VerifiedOn   time.Time // when staff last checked it still holds (staff only); zero when never
	Note         string
	SourceURL    string
	SourceClause *ClauseRef
	RecordedAt   time.Time
	RecordedBy   string // the staff member's email, or "seed data"
	InternalNote string // staff only
	Supersedes   int64  // the entry this one corrects, or 0
	SupersededBy int64  // the entry that corrects this one, or 0
}

// ClauseRef points at one clause of one resolution.
type ClauseRef struct {
	ResolutionSlug      string
	ResolutionProcedure string
	ResolutionTitle     string    // filled where clauses of several resolutions are listed
	ResolutionDate      time.Time // the day the Parliament voted in the resolution's procedure, likewise
	// Which text of the procedure the clause is from, for its full citation (Citation).
	ResolutionStage       Stage
	ResolutionReference   string
	ResolutionTextDate    time.Time
	ResolutionOfficialURL string
	Kind                  ClauseKind
	Label                 string
	EID                   string
	Text                  string
}

// URL is the clause's anchor on its resolution page.
func (c ClauseRef) URL() string { return "/resolutions/" + c.ResolutionSlug + "#" + c.EID }

// KindLabel is how a clause is named in prose: "Recital A", "Paragraph 3", "Citation 1".
func KindLabel(kind ClauseKind, label string) string {
	switch kind {
	case Citation:
		return "Citation " + label
	case Recital:
		return "Recital " + label
	case Paragraph:
		return "Paragraph " + label
	case Point:
		return "Point " + label
	}
	return label
}

// CitingClause is a clause that cites some entity, with every mention in it, so a page
// can show the clause whole with its names highlighted.
type CitingClause struct {
	ClauseRef
	Mentions []Mention
}

// EntitySummary is one row of an index page or API list, whatever the entity type.
type EntitySummary struct {
	Type    EntityType
	Slug    string
	Name    string
	Aliases []string
	Names   ScriptNames // the name in Cyrillic, Russian and Kazakh, where known
	Detail  string      // role of a person, kind of organisation, notes of a provision, summary of a case
	Place   string
	Status  Status // latest status of the entity's cases; "" when it has none
	Clauses int    // how many clauses cite it
	Cases   int    // how many live cases a legal provision is used in (laws only)
}

// PersonDetail is everything the person page shows.
type PersonDetail struct {
	Person  Person
	Cases   []Case
	Clauses []CitingClause
	Demands []Demand // the demands that target it
	// Related are the demands about the case or any of its people: what the status form
	// offers to change with a status, and what the staff prompt checks.
	Related []Demand
	History []AuditEntry // filled for admins only
	// Attachments are the person's own files, as the asker may see them (the server fills
	// them in; internal ones for staff only).
	Attachments []Attachment
	// Documents are every attachment about the person, public and internal, but for
	// removed ones and those of retired cases: read for dossiers only (PersonDocuments),
	// which leave the internal ones out of the public profile.
	Documents []PersonDocument
}

// OrganisationDetail is everything the organisation page shows.
type OrganisationDetail struct {
	Organisation Organisation
	Cases        []Case
	Clauses      []CitingClause
	Demands      []Demand // the demands that target it
}

// LegalProvisionDetail is everything the legal-provision page shows.
type LegalProvisionDetail struct {
	LegalProvision LegalProvision
	Cases          []Case
	Clauses        []CitingClause
	Demands        []Demand // the demands that target it
}

// CaseDetail is everything the case page shows.
type CaseDetail struct {
	Case    Case
	Clauses []CitingClause
	Demands []Demand // the demands that target it
	// Related are the demands about the case or any of its people: what the status form
	// offers to change with a status, and what the staff prompt checks.
	Related []Demand
	History []AuditEntry // filled for admins only
	// Attachments are the files of the case and of its status entries, as the asker may
	// see them (the server fills them in; internal ones for staff only).
	Attachments []Attachment
}

// ResolutionSummary is one resolution in a list, with its counts.
type ResolutionSummary struct {
	Slug        string
	Procedure   string
	Title       string
	AdoptedOn   time.Time
	Stage       Stage
	Reference   string
	TextDate    time.Time // zero when unknown
	OfficialURL string
	Citations   int
	Recitals    int
	Paragraphs  int
	People      int
	Demands     int // demands tracked, and how many of them stand at each state
	Met         int
	PartlyMet   int
	NotMet      int
	Unassessed  int // still "unknown": nobody has assessed them yet
}

// Assessed is how many demands staff have judged met, partly met or not met.
func (r ResolutionSummary) Assessed() int { return r.Met + r.PartlyMet + r.NotMet }

// FollowUpScore is how far the assessed demands have been met, in percent: a met demand
// counts whole, a partly met one half. Demands nobody has assessed are left out rather
// than counted as unmet, so the score never reads as a finding nobody made; it is -1
// while no demand is assessed.
func (r ResolutionSummary) FollowUpScore() int {
	n := r.Assessed()
	if n == 0 {
		return -1
	}
	return (200*r.Met + 100*r.PartlyMet + n) / (2 * n)
}

// StatusCount is how many records currently have a status ("" for none recorded).
type StatusCount struct {
	Status Status
	Count  int
}

// Overview is what the home page shows: a few figures and the latest news, the same length
// at 11 people as at 100,000.
type Overview struct {
	Resolutions     []ResolutionSummary // the newest
	ResolutionCount int                 // all of them
	People          int
	Organisations   int
	LegalProvisions int
	Cases           int
	ByStatus        []StatusCount // people per current status, in vocabulary order, then "" (none recorded)
	Changes         []Change      // the latest dated changes, newest first
}

// Deprived is how many people are held now (a status of the detained tone: imprisoned,
// pre-trial detention, house arrest, forced psychiatric detention), and the counts it sums.
func (o Overview) Deprived() (int, []StatusCount) {
	var n int
	var by []StatusCount
	for _, s := range o.ByStatus {
		if s.Status != "" && s.Status.Tone() == ToneDetained {
			n += s.Count
			by = append(by, s)
		}
	}
	return n, by
}

// ChangeKind says what a dated change is an entry of.
type ChangeKind string

// The kinds of change the home page lists.
const (
	StatusEntryChange ChangeKind = "status" // a case's status entry
	DemandStateChange ChangeKind = "demand" // a demand's state entry
)

// Change is one dated change, as the home page lists it: what happened (a case's status or
// a demand's state), when (to the precision known, or what the date rests on), to whom.
type Change struct {
	Kind    ChangeKind
	On      When
	DatedBy string      // what the date rests on where the source gives no date of the event
	Status  Status      // a StatusEntryChange's new status
	State   DemandState // a DemandStateChange's new state
	Slug    string      // the case's or demand's address
	Title   string      // the case's title or the demand's wording
	Whom    EntityRef   // the person or organisation of the case, or the demand's first target; empty if none
}

// Page is one page of a list: its 1-based number and its size.
type Page struct {
	Number int
	Size   int
}

// Limit is the SQL LIMIT of the page.
func (p Page) Limit() int { return p.Size }

// Offset is the SQL OFFSET of the page.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// Pages is how many pages a list of total items fills; an empty list still has one page.
func (p Page) Pages(total int) int {
	if total == 0 || p.Size == 0 {
		return 1
	}
	return (total + p.Size - 1) / p.Size
}
