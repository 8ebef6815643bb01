package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/tracker"
)

// PickerField is a form field that links records by name, never by slug (README: "Picking
// records by name"). Without JavaScript it is a list of the records it holds (ticked
// checkboxes named Name whose values are slugs: untick to remove), a box for typing names
// (Name+"_names", one per line), and, after a submission, a choice for each typed name that
// may mean several records (hidden Name+"_ask" inputs, radio groups Name+"_pick_N").
// web/static/picker.js turns the box into a combobox suggesting records as the user types
// (GET /api/v1/suggest). The server reads it back with the server's readPicker.
type PickerField struct {
	Name     string             // the form name
	Label    string             // "People"
	Noun     string             // one record, in words: "person"
	Type     tracker.EntityType // the kind of record it suggests; "" when TypeFrom holds it
	TypeFrom string             // the id of a <select> beside it whose value is the kind (a clause link)
	Single   bool               // it holds one record, not a list
	Hint     string             // shown under the label, before the standard one
	Chosen   []tracker.Suggestion
	Typed    string         // names typed and not yet settled, one per line
	Asks     []tracker.Pick // typed names that may mean several records
	Error    string
}

// NewPicker is a picker field holding what f came to (nil for a field just opened with the
// records already linked, given as chosen).
func NewPicker(name, label, noun string, t tracker.EntityType, chosen []tracker.Suggestion, f *tracker.PickField) PickerField {
	p := PickerField{Name: name, Label: label, Noun: noun, Type: t, Chosen: chosen}
	if f != nil {
		p.Chosen, p.Asks = f.Chosen, f.Asks
		p.Typed = strings.Join(f.Absent, "\n")
		p.Error = f.Problem(noun)
	}
	return p
}

// The ids of a picker's parts derive from its name; the typing box's id is the name
// itself, so that an error summary's link to the field lands in it.
func (p PickerField) errorID() string  { return ErrID(p.Name) }
func (p PickerField) chosenID() string { return p.Name + "-chosen" }
func (p PickerField) hintID() string   { return p.Name + "-hint" }

// chosenItemID is the id of the checkbox of the i-th record the picker holds.
func (p PickerField) chosenItemID(i int) string { return p.Name + "-chosen-" + strconv.Itoa(i) }

// askName is the name of the radio group that settles the i-th typed name to ask about.
func (p PickerField) askName(i int) string { return p.Name + "_pick_" + strconv.Itoa(i) }

// typedLabel labels the typing box, in the page's language.
func (p PickerField) typedLabel(ctx context.Context) string {
	if p.Single {
		return T(ctx, "picker.type_name")
	}
	return T(ctx, "picker.add_by_name")
}

// scriptTexts are what web/static/picker.js says (its list's name, what it announces), in
// the page's language, as data- attributes of the picker: {query}, {name} and {count} in
// them stand for what the script puts there. A count's text is given for 1, 2 and 5, the
// numbers whose plural forms ("one", "few", "many") the languages' rules can ask for; the
// script picks with Intl.PluralRules.
func (p PickerField) scriptTexts(ctx context.Context) templ.Attributes {
	return templ.Attributes{
		"data-picker-text-list":       T(ctx, "picker.js_list"),
		"data-picker-text-none":       T(ctx, "picker.js_none", "Noun", p.Noun, "Query", "{query}"),
		"data-picker-text-count-one":  N(ctx, "picker.js_count", 1, "Count", "{count}"),
		"data-picker-text-count-few":  N(ctx, "picker.js_count", 2, "Count", "{count}"),
		"data-picker-text-count-many": N(ctx, "picker.js_count", 5, "Count", "{count}"),
		"data-picker-text-added":      T(ctx, "picker.js_added", "Name", "{name}"),
		"data-picker-text-already":    T(ctx, "picker.js_already", "Name", "{name}"),
	}
}

// boxAria is the ARIA of the typing box: described by its hint and, if any, its error,
// and marked invalid only when it has one (a form opened without an error marks nothing).
func (p PickerField) boxAria() templ.Attributes {
	a := templ.Attributes{"aria-describedby": p.hintID()}
	if p.Error != "" {
		a["aria-describedby"], a["aria-invalid"] = p.errorID()+" "+p.hintID(), "true"
	}
	return a
}
