package tracker

import (
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Retirement says whether a record was retired, when and by whom. Records are never
// deleted from the web: a retired one leaves public lists, search, counts and exports, its
// public address answers 410 Gone, and staff still see it, with its history.
type Retirement struct {
	RetiredAt *time.Time
	RetiredBy string // the staff member's email
}

// Retired reports whether the record is retired.
func (r Retirement) Retired() bool { return r.RetiredAt != nil }

// Affiliation ties a person to an organisation with a role ("member", "chair"). Seen from
// a person it names the organisation; seen from an organisation, the person.
type Affiliation struct {
	Slug string
	Name string
	Role string
}

// AffiliationEdit is one affiliation as staff give it: the organisation by name or slug.
type AffiliationEdit struct {
	Organisation string `json:"organisation"`
	Role         string `json:"role"`
}

// DefaultAffiliationRole is the role of an affiliation given without one.
const DefaultAffiliationRole = "member"

// ParseAffiliations reads a textarea of affiliations, one per line, "organisation: role"
// (the role after the last colon; "member" when there is none).
func ParseAffiliations(s string) []AffiliationEdit {
	var out []AffiliationEdit
	for _, l := range SplitLines(s) {
		org, role := l, ""
		if i := strings.LastIndex(l, ":"); i >= 0 {
			org, role = strings.TrimSpace(l[:i]), strings.TrimSpace(l[i+1:])
		}
		if role == "" {
			role = DefaultAffiliationRole
		}
		out = append(out, AffiliationEdit{Organisation: org, Role: role})
	}
	return out
}

// AffiliationLines writes affiliations as the form shows them, one per line, in a fixed
// order so two sides holding the same ones compare equal.
func AffiliationLines(as []AffiliationEdit) string {
	ls := make([]string, len(as))
	for i, a := range as {
		role := a.Role
		if role == "" {
			role = DefaultAffiliationRole
		}
		ls[i] = a.Organisation + ": " + role
	}
	slices.Sort(ls)
	return strings.Join(ls, "\n")
}

// The fields of a record's names in Cyrillic, as every named record's form shows them.
var (
	NameRUField = Field{"name_ru", "Name in Russian (Cyrillic)"}
	NameKKField = Field{"name_kk", "Name in Kazakh (Cyrillic)"}
)

// validateNamed checks what every named record shares: a name, its names in Cyrillic
// (written in Cyrillic: a Latin spelling belongs in name or the aliases) and its aliases.
func validateNamed(errs FieldErrors, name string, aliases []string, names ScriptNames) {
	switch {
	case utf8.RuneCountInString(names.RU) > MaxNameLength:
		errs["name_ru"] = "Keep the Russian name under 200 characters."
	case !cyrillic(names.RU):
		errs["name_ru"] = "Write the Russian name in Cyrillic letters, or leave it empty."
	}
	switch {
	case utf8.RuneCountInString(names.KK) > MaxNameLength:
		errs["name_kk"] = "Keep the Kazakh name under 200 characters."
	case !cyrillic(names.KK):
		errs["name_kk"] = "Write the Kazakh name in Cyrillic letters, or leave it empty."
	}
	switch n := utf8.RuneCountInString(strings.TrimSpace(name)); {
	case n == 0:
		errs["name"] = "The name is required."
	case n > MaxNameLength:
		errs["name"] = "Keep the name under 200 characters."
	}
	for _, a := range aliases {
		if utf8.RuneCountInString(a) > MaxNameLength {
			errs["aliases"] = "Keep each alias under 200 characters."
		}
	}
	if len(aliases) > 50 {
		errs["aliases"] = "Give at most 50 aliases."
	}
}

// checkLength sets errs[field] to msg when s is longer than max characters.
func checkLength(errs FieldErrors, field, msg, s string, max int) {
	if utf8.RuneCountInString(s) > max {
		errs[field] = msg
	}
}

// ParseBornOn reads an optional date of birth (YYYY-MM-DD): nil when empty; a message when
// it is not a date, in the future, or before 1850.
func ParseBornOn(s string, today time.Time) (*time.Time, string) {
	s = strings.TrimSpace(s)
	if s == "" {
		return nil, ""
	}
	on, err := time.Parse(time.DateOnly, s)
	switch {
	case err != nil:
		return nil, "Write the date as YYYY-MM-DD, for example 1985-03-14, or leave it empty when it is not known."
	case on.After(today):
		return nil, "The date of birth cannot be in the future."
	case on.Year() < 1850:
		return nil, "The date is too far in the past."
	}
	return &on, ""
}

// OrganisationEdit is an organisation as staff create or edit it.
type OrganisationEdit struct {
	Slug string // on create, the slug proposed ("" to make one from the name)
	Revision
	Name    string
	Aliases []string
	Names   ScriptNames
	Kind    string
	Notes   string
}

// Validate checks an organisation.
func (e OrganisationEdit) Validate() FieldErrors {
	errs := FieldErrors{}
	validateNamed(errs, e.Name, e.Aliases, e.Names)
	checkLength(errs, "kind", "Keep the kind under 200 characters.", e.Kind, MaxNameLength)
	checkLength(errs, "notes", "Keep the notes under 4,000 characters.", e.Notes, MaxNoteLength)
	return errs
}

// LegalProvisionEdit is a law or article as staff create or edit it.
type LegalProvisionEdit struct {
	Slug string
	Revision
	Name         string
	Aliases      []string
	Names        ScriptNames
	Jurisdiction string
	Citation     string
	OfficialURL  string
	Notes        string
}

// Validate checks a legal provision.
func (e LegalProvisionEdit) Validate() FieldErrors {
	errs := FieldErrors{}
	validateNamed(errs, e.Name, e.Aliases, e.Names)
	checkLength(errs, "jurisdiction", "Keep the jurisdiction under 200 characters.", e.Jurisdiction, MaxNameLength)
	checkLength(errs, "citation", "Keep the citation under 300 characters.", e.Citation, 300)
	if msg := checkURL(e.OfficialURL); msg != "" {
		errs["official_url"] = msg
	}
	checkLength(errs, "notes", "Keep the notes under 4,000 characters.", e.Notes, MaxNoteLength)
	return errs
}

// The fields of organisations and legal provisions, as their forms show them.
var (
	OrganisationFields   = []Field{{"name", "Name"}, NameRUField, NameKKField, {"aliases", "Aliases"}, {"kind", "Kind"}, {"notes", "Notes (public)"}}
	LegalProvisionFields = []Field{{"name", "Name"}, NameRUField, NameKKField, {"aliases", "Aliases"}, {"jurisdiction", "Jurisdiction"},
		{"citation", "Citation"}, {"official_url", "Official text (web address)"}, {"notes", "Notes (public)"}}
)

// OrganisationEditOf is an edit of o that changes nothing.
func OrganisationEditOf(o Organisation) OrganisationEdit {
	return OrganisationEdit{Slug: o.Slug, Revision: Revision{Version: o.Version}, Name: o.Name, Aliases: o.Aliases, Names: o.Names, Kind: o.Kind, Notes: o.Notes}
}

// Values is the edit's fields by name.
func (e OrganisationEdit) Values() Values {
	return Values{"name": e.Name, "name_ru": e.Names.RU, "name_kk": e.Names.KK, "aliases": lines(e.Aliases), "kind": e.Kind, "notes": e.Notes}
}

// WithValues is the edit with its fields taken from v.
func (e OrganisationEdit) WithValues(v Values) OrganisationEdit {
	e.Name, e.Aliases, e.Kind, e.Notes = v["name"], SplitLines(v["aliases"]), v["kind"], v["notes"]
	e.Names = ScriptNames{RU: v["name_ru"], KK: v["name_kk"]}
	return e
}

// LegalProvisionEditOf is an edit of l that changes nothing.
func LegalProvisionEditOf(l LegalProvision) LegalProvisionEdit {
	return LegalProvisionEdit{Slug: l.Slug, Revision: Revision{Version: l.Version}, Name: l.Name, Aliases: l.Aliases, Names: l.Names,
		Jurisdiction: l.Jurisdiction, Citation: l.Citation, OfficialURL: l.OfficialURL, Notes: l.Notes}
}

// Values is the edit's fields by name.
func (e LegalProvisionEdit) Values() Values {
	return Values{"name": e.Name, "name_ru": e.Names.RU, "name_kk": e.Names.KK, "aliases": lines(e.Aliases), "jurisdiction": e.Jurisdiction, "citation": e.Citation,
		"official_url": e.OfficialURL, "notes": e.Notes}
}

// WithValues is the edit with its fields taken from v.
func (e LegalProvisionEdit) WithValues(v Values) LegalProvisionEdit {
	e.Name, e.Aliases, e.Jurisdiction, e.Citation, e.OfficialURL, e.Notes = v["name"], SplitLines(v["aliases"]), v["jurisdiction"],
		v["citation"], v["official_url"], v["notes"]
	e.Names = ScriptNames{RU: v["name_ru"], KK: v["name_kk"]}
	return e
}

// ProposedSlugError says what is wrong with a slug proposed for a new record, or "" when
// it is empty (one is made from the name) or well formed. "new" is the address of the
// forms that create records, so no record may have it.
func ProposedSlugError(slug string) string {
	slug = strings.TrimSpace(slug)
	if slug == "" || (ValidSlug(slug) && slug != "new") {
		return ""
	}
	return "Use lower-case letters and digits joined by single hyphens, such as \"max-bokayev\", or leave it empty."
}

// cyrillic reports whether every letter of s is Cyrillic ("" is).
func cyrillic(s string) bool {
	for _, r := range s {
		if unicode.IsLetter(r) && !unicode.Is(unicode.Cyrillic, r) {
			return false
		}
	}
	return true
}
