package tracker

import (
	"fmt"
	"net/mail"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"
)

// Role is what a staff account may do.
type Role string

// The roles: editors keep the data current; admins also manage accounts and read the log.
const (
	RoleEditor Role = "editor"
	RoleAdmin  Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool { return r == RoleEditor || r == RoleAdmin }

// Allows reports whether a holder of r may act as need.
func (r Role) Allows(need Role) bool { return r == RoleAdmin || r == need }

// User is a staff account. Its password hash never leaves the storage layer.
type User struct {
	ID         int64
	Email      string
	Role       Role
	DisabledAt *time.Time
	CreatedAt  time.Time
	// SessionEpoch changes when the password changes or the account is disabled; a session
	// made under an older epoch is no longer valid, on every server at once.
	SessionEpoch int
	// TwoFactor says the account signs in with a TOTP code after its password.
	TwoFactor bool
}

// NormalizeEmail lower-cases and trims an email address and checks its form.
func NormalizeEmail(s string) (string, bool) {
	s = strings.ToLower(strings.TrimSpace(s))
	a, err := mail.ParseAddress(s)
	if err != nil || a.Address != s || !strings.Contains(s[strings.IndexByte(s, '@'):], ".") {
		return s, false
	}
	return s, true
}

// FieldErrors maps a form field to what is wrong with it, in words for the user.
type FieldErrors map[string]string

// Any reports whether there is any error.
func (f FieldErrors) Any() bool { return len(f) > 0 }

// ValidationError is a refused input with its per-field messages.
type ValidationError struct {
	Fields FieldErrors
}

func (e *ValidationError) Error() string { return "invalid input" }

// StatusUpdate is a new entry for a case's history, as staff submit it.
type StatusUpdate struct {
	CaseSlug     string
	Version      int // the case version the form was read at
	Status       Status
	EffectiveOn  string // "2018", "2018-05" or "2018-05-14" as typed
	DatedBy      string // what the date rests on when the source gives no date of the event
	VerifiedOn   string // YYYY-MM-DD as typed, or "": when staff last checked it
	Note         string
	InternalNote string
	SourceURL    string
	SourceClause string // "resolution-slug#eid", or ""
	Supersedes   int64  // the entry this one corrects, or 0
	// DemandStates are the demands about the case and its people that change with it,
	// saved in the same transaction and audit entry; empty leaves every demand as it is.
	DemandStates []DemandChange
}

// DemandChange is a demand's new state recorded together with a case status: same date,
// same source, one audit entry.
type DemandChange struct {
	Demand  string // slug
	State   DemandState
	Note    string // "" takes the status's public note
	Version int    // the demand version the form was read at; 0 does not check
}

// EntryDates are a history entry's dates as validated: when it happened, and when staff
// last checked it (zero when not given).
type EntryDates struct {
	Effective When
	Verified  time.Time
}

// Limits on free text, so no field can grow without bound.
const (
	MaxNoteLength = 4000
	MaxNameLength = 200
	MaxURLLength  = 2000
)

// Validate checks a status update against the rules every form and the API share; today
// is the date it is checked on, so a date in the future can be refused. A demand change's
// errors are keyed "demand_states[i].state" (and ".demand", ".note").
func (u StatusUpdate) Validate(today time.Time) (EntryDates, FieldErrors) {
	on, errs := validateDatedSource(entryFields{u.EffectiveOn, u.DatedBy, u.VerifiedOn, u.Note, u.InternalNote, u.SourceURL, u.SourceClause}, today)
	if _, ok := u.Status.Info(); !ok {
		errs["status"] = "Choose a status from the list."
	}
	seen := map[string]bool{}
	for i, c := range u.DemandStates {
		key := fmt.Sprintf("demand_states[%d].", i)
		switch {
		case strings.TrimSpace(c.Demand) == "":
			errs[key+"demand"] = "Name the demand (its slug)."
		case seen[c.Demand]:
			errs[key+"demand"] = "This demand is given twice."
		}
		seen[c.Demand] = true
		if !c.State.Valid() {
			errs[key+"state"] = "Choose a state from the list."
		}
		if utf8.RuneCountInString(c.Note) > MaxNoteLength {
			errs[key+"note"] = "Keep the note under 4,000 characters."
		}
	}
	return on, errs
}

// entryFields are the fields every history entry has, as typed.
type entryFields struct {
	effectiveOn, datedBy, verifiedOn, note, internalNote, sourceURL, sourceClause string
}

// EffectiveOnHint is how forms ask for a date of uncertain precision.
const EffectiveOnHint = "A year (2018), a month (2018-05) or a day (2018-05-14): no more than the source says."

// validateDatedSource checks what every history entry needs: a date, to a year, a month or
// a day, that is not in the future; an optional date it was checked on; bounded notes;
// and a source (a well-formed web address, a clause, or both).
func validateDatedSource(f entryFields, today time.Time) (EntryDates, FieldErrors) {
	errs := FieldErrors{}
	var d EntryDates
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	if strings.TrimSpace(f.effectiveOn) == "" {
		errs["effective_on"] = "Give the date it took effect: " + EffectiveOnHint
	} else if on, msg := CheckPast(f.effectiveOn, today); msg != "" {
		errs["effective_on"] = msg
	} else {
		d.Effective = on
	}
	if v := strings.TrimSpace(f.verifiedOn); v != "" {
		checked, err := time.Parse(time.DateOnly, v)
		switch {
		case err != nil:
			errs["verified_on"] = "Write the day you checked as YYYY-MM-DD, for example 2024-05-31."
		case checked.After(today):
			errs["verified_on"] = "The day you checked cannot be in the future."
		case !d.Effective.IsZero() && checked.Before(d.Effective.Start):
			errs["verified_on"] = "The day you checked cannot come before the date it took effect."
		default:
			d.Verified = checked
		}
	}
	if utf8.RuneCountInString(f.datedBy) > MaxNameLength {
		errs["dated_by"] = "Keep what the date rests on under 200 characters."
	}
	if utf8.RuneCountInString(f.note) > MaxNoteLength {
		errs["note"] = "Keep the note under 4,000 characters."
	}
	if utf8.RuneCountInString(f.internalNote) > MaxNoteLength {
		errs["internal_note"] = "Keep the internal note under 4,000 characters."
	}
	if msg := checkURL(f.sourceURL); msg != "" {
		errs["source_url"] = msg
	}
	if strings.TrimSpace(f.sourceURL) == "" && f.sourceClause == "" {
		errs["source_url"] = "Give a source: a web address, a clause, or both."
	}
	return d, errs
}

// checkURL returns what is wrong with a source address, or "" when it is empty or fine.
func checkURL(s string) string {
	s = strings.TrimSpace(s)
	if s == "" {
		return ""
	}
	if len(s) > MaxURLLength {
		return "The address is too long."
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "Give a full web address starting with https:// or http://."
	}
	return ""
}

// PersonEdit is a person as staff create or edit it.
type PersonEdit struct {
	Slug string // on create, the slug proposed ("" to make one from the name)
	Revision
	Name          string
	Aliases       []string
	Names         ScriptNames
	Role          string
	Place         string
	Notes         string
	InternalNotes string
	BornOn        string // YYYY-MM-DD as typed, or ""
	Affiliations  []AffiliationEdit
}

// Validate checks a person; whether the organisations exist is the storage's to check.
func (e PersonEdit) Validate() FieldErrors {
	errs := FieldErrors{}
	validateNamed(errs, e.Name, e.Aliases, e.Names)
	checkLength(errs, "role", "Keep the role under 200 characters.", e.Role, MaxNameLength)
	checkLength(errs, "place", "Keep the place under 200 characters.", e.Place, MaxNameLength)
	checkLength(errs, "notes", "Keep the notes under 4,000 characters.", e.Notes, MaxNoteLength)
	checkLength(errs, "internal_notes", "Keep the internal notes under 4,000 characters.", e.InternalNotes, MaxNoteLength)
	if _, msg := ParseBornOn(e.BornOn, time.Now()); msg != "" {
		errs["born_on"] = msg
	}
	if len(e.Affiliations) > 50 {
		errs["affiliations"] = "Give at most 50 affiliations."
	}
	for _, a := range e.Affiliations {
		switch {
		case strings.TrimSpace(a.Organisation) == "":
			errs["affiliations"] = "Name the organisation of each affiliation, then its role after a colon: \"CITUK: chair\"."
		case utf8.RuneCountInString(a.Role) > MaxNameLength || utf8.RuneCountInString(a.Organisation) > MaxNameLength:
			errs["affiliations"] = "Keep each organisation and role under 200 characters."
		}
	}
	return errs
}

// SplitLines turns a textarea of one item per line into trimmed, non-empty, distinct items.
func SplitLines(s string) []string {
	out := []string{}
	seen := map[string]bool{}
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !seen[l] {
			seen[l] = true
			out = append(out, l)
		}
	}
	return out
}

// AuditEntry is one line of the activity log.
type AuditEntry struct {
	ID         int64
	At         time.Time
	Actor      string
	Action     string
	EntityType string
	EntitySlug string
	Before     string // JSON
	After      string // JSON
}

// CaseEdit is an edit of a case: its title, summary, whom it concerns and the laws used.
type CaseEdit struct {
	Slug string
	Revision
	Title           string
	Summary         string
	People          []string // slugs
	Organisations   []string // slugs
	LegalProvisions []string // slugs
	InternalNotes   string
	Facts           FactsEdit
}

// Validate checks a case edit on today's date; whether the slugs exist is the storage's
// to check.
func (e CaseEdit) Validate() FieldErrors {
	errs, _ := e.ValidateOn(time.Now())
	return errs
}

// ValidateOn checks a case edit, its facts included, on the date today, and returns the
// facts parsed.
func (e CaseEdit) ValidateOn(today time.Time) (FieldErrors, ParsedFacts) {
	errs := FieldErrors{}
	facts := e.Facts.Validate(today, errs)
	switch n := utf8.RuneCountInString(strings.TrimSpace(e.Title)); {
	case n == 0:
		errs["title"] = "The title is required."
	case n > 300:
		errs["title"] = "Keep the title under 300 characters."
	}
	if utf8.RuneCountInString(e.Summary) > MaxNoteLength {
		errs["summary"] = "Keep the summary under 4,000 characters."
	}
	if utf8.RuneCountInString(e.InternalNotes) > MaxNoteLength {
		errs["internal_notes"] = "Keep the internal notes under 4,000 characters."
	}
	if len(e.People)+len(e.Organisations) == 0 {
		errs["people"] = "A case concerns at least one person or organisation."
	}
	return errs, facts
}

// LinkEdit adds a link from a clause to an entity, at the first place the clause says Matched.
type LinkEdit struct {
	Resolution string
	EID        string
	Type       EntityType
	Slug       string
	Matched    string
}

// APIToken describes a token; the token itself is shown once and never stored.
type APIToken struct {
	Email      string // the account it acts for
	Name       string // unique among the account's live tokens
	CreatedAt  time.Time
	LastUsedAt *time.Time
	ExpiresAt  time.Time
	RevokedAt  *time.Time
}

// How long a new API token lasts, in days: a token is chosen to expire so that one that
// leaked stops working on its own; a year is the most, since a script's owner should
// look at its token at least that often.
const (
	DefaultTokenDays = 90
	MaxTokenDays     = 365
)

// TokenState is whether a token still works.
type TokenState string

// The states of an API token.
const (
	TokenActive  TokenState = "active"
	TokenExpired TokenState = "expired"
	TokenRevoked TokenState = "revoked"
)

// State says whether the token works at now. A token revoked after it had expired stays
// expired: it stopped working when it expired.
func (t APIToken) State(now time.Time) TokenState {
	switch {
	case t.RevokedAt != nil && t.RevokedAt.Before(t.ExpiresAt):
		return TokenRevoked
	case !now.Before(t.ExpiresAt) || t.RevokedAt != nil:
		return TokenExpired
	}
	return TokenActive
}

// ValidateToken checks a new token's name and lifetime, as given on the page or the
// command line.
func ValidateToken(name string, days int) FieldErrors {
	errs := FieldErrors{}
	if name == "" || utf8.RuneCountInString(name) > MaxNameLength {
		errs["name"] = "Give the token a name of up to 200 characters."
	}
	if days < 1 || days > MaxTokenDays {
		errs["expires_in"] = fmt.Sprintf("Choose how many days the token lasts: 1 to %d.", MaxTokenDays)
	}
	return errs
}
