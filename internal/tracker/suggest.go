package tracker

import "strings"

// MaxSuggestions is how many records a suggestion list offers at most.
const MaxSuggestions = 10

// Suggestion is a record offered by name to a field that links records: its name, and a
// detail that tells namesakes apart (a person's role and place, an organisation's kind,
// a law's citation, a case's current status).
type Suggestion struct {
	Type    EntityType
	Slug    string
	Name    string
	Detail  string // "" when nothing is known beyond the name
	Match   Match  // MatchName or MatchAlias: the whole name; MatchPart: whole words of it; MatchClose: a beginning or a typo
	Matched string // the name or alias that matched
}

// Ref is the suggestion as a reference to its record.
func (s Suggestion) Ref() EntityRef { return EntityRef{Type: s.Type, Slug: s.Slug, Name: s.Name} }

// Label is the name with its detail, as a list of choices shows it: "Max Bokayev (civil
// society activist · Atyrau)".
func (s Suggestion) Label() string {
	if s.Detail == "" {
		return s.Name
	}
	return s.Name + " (" + s.Detail + ")"
}

// SuggestTypes are the kinds of record a picker links, in the order the API documents them.
var SuggestTypes = []EntityType{PersonEntity, OrganisationEntity, LegalProvisionEntity, CaseEntity}

// ParseSuggestType reads the type a picker asks for; ok is false for anything else.
func ParseSuggestType(s string) (EntityType, bool) {
	for _, t := range SuggestTypes {
		if string(t) == s {
			return t, true
		}
	}
	return "", false
}

// Pick is what one typed name of a picker field came to.
type Pick struct {
	Typed   string       // the line as typed
	Chosen  *Suggestion  // the record it names, when exactly one does
	Choices []Suggestion // the records it may mean, when it names several or none exactly
}

// PickFrom decides what a typed name names, from its suggestions (best first). A name is
// taken when exactly one record has it as its name or alias in any spelling or, failing
// that, when exactly one record holds all its words; several such records are offered as
// choices. A name that only begins a record's name or is a typo is never taken silently:
// the records it may mean are offered. No suggestion at all leaves both empty.
func PickFrom(typed string, sugg []Suggestion) Pick {
	p := Pick{Typed: typed}
	for _, tiers := range [][]Match{{MatchName, MatchAlias}, {MatchPart}} {
		var same []Suggestion
		for _, s := range sugg {
			for _, m := range tiers {
				if s.Match == m {
					same = append(same, s)
				}
			}
		}
		switch len(same) {
		case 0:
			continue
		case 1:
			p.Chosen = &same[0]
		default:
			p.Choices = same
		}
		return p
	}
	p.Choices = sugg
	return p
}

// PickField is the state of a picker field after a submission: the records it holds and
// what its typed names came to.
type PickField struct {
	Chosen []Suggestion // the records the field links, in order, each once
	Asks   []Pick       // typed names that name several records (or none exactly): the user chooses
	Absent []string     // typed names that match no record
}

// Add puts a record in the field unless it is there already.
func (f *PickField) Add(r Suggestion) {
	for _, c := range f.Chosen {
		if c.Type == r.Type && c.Slug == r.Slug {
			return
		}
	}
	f.Chosen = append(f.Chosen, r)
}

// Slugs are the slugs of the records the field holds.
func (f PickField) Slugs() []string {
	out := make([]string, len(f.Chosen))
	for i, c := range f.Chosen {
		out[i] = c.Slug
	}
	return out
}

// Settled reports whether every typed name was resolved to one record.
func (f PickField) Settled() bool { return len(f.Asks) == 0 && len(f.Absent) == 0 }

// Problem says what is still to do in the field, in words for the user, or "" when nothing is.
func (f PickField) Problem(noun string) string {
	var parts []string
	if len(f.Absent) == 1 {
		parts = append(parts, "No "+noun+" matches “"+f.Absent[0]+"”: check the spelling, or create the record first.")
	} else if len(f.Absent) > 1 {
		parts = append(parts, "No "+noun+" matches “"+strings.Join(f.Absent, "”, “")+"”: check the spelling, or create the records first.")
	}
	if len(f.Asks) > 0 {
		parts = append(parts, "Choose below which "+noun+" you mean.")
	}
	return strings.Join(parts, " ")
}
