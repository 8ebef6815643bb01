package tracker

import (
	"slices"
	"strings"
	"time"
)

// Field is one field of an edit form, by the name the form and the API give it.
type Field struct {
	Name  string
	Label string
}

// The fields of each record staff edit, in the order the forms show them. A merge
// compares exactly these, so every field a form submits, internal ones included, is
// merged and shown when it conflicts.
var (
	PersonFields = []Field{{"name", "Name"}, NameRUField, NameKKField, {"aliases", "Aliases"}, {"role", "Role"}, {"place", "Place"},
		{"born_on", "Date of birth"}, {"affiliations", "Organisations"},
		{"notes", "Notes (public)"}, {"internal_notes", "Internal notes (staff only)"}}
	CaseFields = slices.Concat([]Field{{"title", "Title"}, {"summary", "Summary (public)"}, {"people", "People"},
		{"organisations", "Organisations"}, {"legal_provisions", "Laws used"}}, FactFields, []Field{{"internal_notes", "Internal notes (staff only)"}})
)

// Values holds a record's editable fields by field name, each written as its form shows
// it: lists one item per line. It is what a merge compares.
type Values map[string]string

// Revision says what an edit was made against and which of its fields it sets.
type Revision struct {
	// Version is the record version the form or client read.
	Version int
	// Only names the fields the edit sets; nil sets every field. A field left out keeps
	// whatever the record holds when the edit is saved (the API's partial writes, and a
	// form field whose conflict the user settled by taking the other version).
	Only []string
	// Unsettled names fields a conflict page asked the user to choose for, where no choice
	// came back: they stay conflicts until chosen.
	Unsettled []string
	// Strict refuses a stale version even when nothing conflicts (the API: a client must
	// read again); forms save the merge when nothing conflicts.
	Strict bool
}

// Sets reports whether the edit sets the field.
func (r Revision) Sets(name string) bool { return r.Only == nil || slices.Contains(r.Only, name) }

// Rev is the revision itself: every edit embeds one, so code serving several kinds of edit
// reaches it through this method.
func (r *Revision) Rev() *Revision { return r }

// Outcome is how one field came out of a merge.
type Outcome string

// The outcomes of a field in a three-way merge of the version an edit was made against
// (base), the edit (mine) and the record as it now stands (theirs).
const (
	Unchanged  Outcome = "unchanged" // nobody changed it
	TookMine   Outcome = "yours"     // only this edit changed it
	TookTheirs Outcome = "theirs"    // only the other saves changed it
	Agreed     Outcome = "same"      // both made the same change
	Conflicted Outcome = "conflict"  // both changed it differently: the user must choose
)

// FieldMerge is one field of a merge, with both sides' values as the form shows them.
type FieldMerge struct {
	Field
	Mine    string
	Theirs  string
	Outcome Outcome
}

// Merge is the result of merging an edit with the saves made since its version: every
// field with both values, and who saved the version merged with, and when.
type Merge struct {
	Fields  []FieldMerge
	Version int       // the version merged with
	By      []string  // who saved since the edit's version, most recent first
	At      time.Time // when the most recent of those saves was made
	// BaseKnown is false when the version the edit was made against could not be read
	// back: every field the two sides hold differently is then a conflict.
	BaseKnown bool
}

// Conflicts lists the fields both sides changed differently.
func (m Merge) Conflicts() []FieldMerge { return m.with(Conflicted) }

// Theirs lists the fields only the other saves changed, which the merge keeps.
func (m Merge) Theirs() []FieldMerge { return m.with(TookTheirs) }

func (m Merge) with(o Outcome) []FieldMerge {
	var out []FieldMerge
	for _, f := range m.Fields {
		if f.Outcome == o {
			out = append(out, f)
		}
	}
	return out
}

// Result is the merged record: each field as the merge decided, conflicting fields as
// this edit has them (to be saved only once the user chose them).
func (m Merge) Result() Values {
	v := Values{}
	for _, f := range m.Fields {
		v[f.Name] = f.Mine
		if f.Outcome == TookTheirs || f.Outcome == Unchanged {
			v[f.Name] = f.Theirs
		}
	}
	return v
}

// sameValue compares two field values as they would be stored: surrounding space and the
// carriage returns browsers add to line breaks do not count.
func sameValue(a, b string) bool { return normalValue(a) == normalValue(b) }

func normalValue(s string) string { return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n")) }

// MergeFields merges an edit (mine) with the record as it now stands (theirs), field by
// field, against the version the edit was made at (base; nil when it is unknown). A field
// the edit does not set takes theirs. A field only one side changed takes that side's
// value; one both changed the same way agrees; one both changed differently conflicts,
// as does an unsettled one that still differs, and, when base is unknown, any field the
// two sides hold differently.
func MergeFields(fields []Field, r Revision, base, mine, theirs Values) []FieldMerge {
	out := make([]FieldMerge, len(fields))
	for i, f := range fields {
		fm := FieldMerge{Field: f, Mine: mine[f.Name], Theirs: theirs[f.Name]}
		b, known := base[f.Name]
		theirsChanged := !known || !sameValue(b, fm.Theirs)
		mineChanged := !known || !sameValue(b, fm.Mine)
		switch {
		case !r.Sets(f.Name):
			fm.Mine, fm.Outcome = fm.Theirs, Unchanged
			if theirsChanged {
				fm.Outcome = TookTheirs
			}
		case sameValue(fm.Mine, fm.Theirs) && known && !mineChanged:
			fm.Outcome = Unchanged
		case sameValue(fm.Mine, fm.Theirs):
			fm.Outcome = Agreed
		case slices.Contains(r.Unsettled, f.Name), mineChanged && theirsChanged:
			fm.Outcome = Conflicted
		case mineChanged:
			fm.Outcome = TookMine
		default:
			fm.Outcome = TookTheirs
		}
		out[i] = fm
	}
	return out
}

// ConflictError refuses an edit that conflicts with saves made since its version. It
// carries the merge, so the form can show both values of every field, and is an ECONFLICT.
type ConflictError struct {
	Message string
	Merge   Merge
}

func (e *ConflictError) Error() string { return "edit conflict: " + e.Message }

// Unwrap makes the conflict an *Error with code ECONFLICT for ErrorCode and ErrorMessage.
func (e *ConflictError) Unwrap() error { return &Error{Code: ECONFLICT, Message: e.Message} }

// lines writes a list one item per line, as the forms show it.
func lines(items []string) string { return strings.Join(items, "\n") }

// sortedLines writes a set of slugs one per line in a fixed order, so two sides listing
// the same slugs in another order hold the same value.
func sortedLines(items []string) string {
	s := slices.Clone(items)
	slices.Sort(s)
	return strings.Join(s, "\n")
}

// PersonEditOf is an edit of p that changes nothing: what the edit form opens with.
func PersonEditOf(p Person) PersonEdit {
	e := PersonEdit{Slug: p.Slug, Revision: Revision{Version: p.Version}, Name: p.Name, Aliases: p.Aliases, Names: p.Names, Role: p.Role,
		Place: p.Place, Notes: p.Notes, InternalNotes: p.InternalNotes}
	if p.BornOn != nil {
		e.BornOn = p.BornOn.Format(time.DateOnly)
	}
	for _, a := range p.Affiliations {
		e.Affiliations = append(e.Affiliations, AffiliationEdit{Organisation: a.Slug, Role: a.Role})
	}
	return e
}

// Values is the edit's fields by name.
func (e PersonEdit) Values() Values {
	return Values{"name": e.Name, "name_ru": e.Names.RU, "name_kk": e.Names.KK, "aliases": lines(e.Aliases), "role": e.Role, "place": e.Place, "notes": e.Notes, "internal_notes": e.InternalNotes,
		"born_on": strings.TrimSpace(e.BornOn), "affiliations": AffiliationLines(e.Affiliations)}
}

// WithValues is the edit with its fields taken from v.
func (e PersonEdit) WithValues(v Values) PersonEdit {
	e.Name, e.Aliases, e.Role, e.Place, e.Notes, e.InternalNotes = v["name"], SplitLines(v["aliases"]), v["role"], v["place"], v["notes"], v["internal_notes"]
	e.BornOn, e.Affiliations = v["born_on"], ParseAffiliations(v["affiliations"])
	e.Names = ScriptNames{RU: v["name_ru"], KK: v["name_kk"]}
	return e
}

// CaseEditOf is an edit of c that changes nothing: what the edit form opens with.
func CaseEditOf(c Case) CaseEdit {
	slugs := func(refs []EntityRef) []string {
		out := make([]string, len(refs))
		for i, r := range refs {
			out[i] = r.Slug
		}
		return out
	}
	return CaseEdit{Slug: c.Slug, Revision: Revision{Version: c.Version}, Title: c.Title, Summary: c.Summary, People: slugs(c.People),
		Organisations: slugs(c.Organisations), LegalProvisions: slugs(c.LegalProvisions), InternalNotes: c.InternalNotes, Facts: FactsEditOf(c.Facts)}
}

// Values is the edit's fields by name; its lists of slugs are sets, in a fixed order.
func (e CaseEdit) Values() Values {
	v := Values{"title": e.Title, "summary": e.Summary, "people": sortedLines(e.People), "organisations": sortedLines(e.Organisations),
		"legal_provisions": sortedLines(e.LegalProvisions), "internal_notes": e.InternalNotes}
	e.Facts.values(v)
	return v
}

// WithValues is the edit with its fields taken from v.
func (e CaseEdit) WithValues(v Values) CaseEdit {
	e.Title, e.Summary, e.InternalNotes = v["title"], v["summary"], v["internal_notes"]
	e.People, e.Organisations, e.LegalProvisions = SplitLines(v["people"]), SplitLines(v["organisations"]), SplitLines(v["legal_provisions"])
	e.Facts = factsFrom(v)
	return e
}
