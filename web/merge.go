package web

import (
	"context"
	"slices"
	"strings"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// OutcomeLabel says in words what a merge did with a field.
func OutcomeLabel(ctx context.Context, o tracker.Outcome) string {
	switch o {
	case tracker.TookMine:
		return T(ctx, "form.merge.outcome.mine")
	case tracker.TookTheirs:
		return T(ctx, "form.merge.outcome.theirs")
	case tracker.Agreed:
		return T(ctx, "form.merge.outcome.agreed")
	case tracker.Conflicted:
		return T(ctx, "form.merge.outcome.conflicted")
	}
	return T(ctx, "form.merge.outcome.unchanged")
}

// utcName is the name of the time zone the staff pages give times in, the same in every
// language.
const utcName = "UTC"

// savedWho names who saved the version an edit was merged with: their accounts, or
// "Someone else" (content and interface text: savedBy marks which is which).
func savedWho(ctx context.Context, m tracker.Merge) string {
	if len(m.By) > 0 {
		return strings.Join(m.By, ", ")
	}
	return T(ctx, "form.merge.someone")
}

// savedAt is when the version an edit was merged with was saved, without its time zone
// (UTC): "2 January 2006, 15:04:05"; "the last at …" when several saved; "" when unknown.
func savedAt(ctx context.Context, m tracker.Merge) string {
	if m.At.IsZero() {
		return ""
	}
	at := m.At.UTC()
	if len(m.By) > 1 {
		return T(ctx, "form.merge.last_at", "Day", Day(ctx, at), "Time", at.Format("15:04:05"))
	}
	return T(ctx, "form.merge.at", "Day", Day(ctx, at), "Time", at.Format("15:04:05"))
}

// SavedBy names who saved the version an edit was merged with, and when.
func SavedBy(ctx context.Context, m tracker.Merge) string {
	who := savedWho(ctx, m)
	if at := savedAt(ctx, m); at != "" {
		return who + " (" + at + " " + utcName + ")"
	}
	return who
}

// fieldLabel is a record field's label in the page's language: english is the label the
// field has in English (tracker.PersonFields, …), which form.field.<name> translates.
func fieldLabel(ctx context.Context, name, english string) string {
	return labelFor(ctx, "form.field."+name, english)
}

// labelFor is message id in the page's language where the English catalog gives it as
// english, else english itself: a label the catalogs do not know stays as the domain
// wrote it rather than show another's words.
func labelFor(ctx context.Context, id, english string) string {
	if en, ok := catalog.Raw(i18n.EN, id); !ok || en != english {
		return english
	}
	return T(ctx, id)
}

// recordNoun is how merge messages name the record being edited ("this person", "the
// person's"), by noun: "person", "case", "organisation", "legal provision".
func recordNoun(ctx context.Context, form, noun string) string {
	return T(ctx, "form.noun."+form+"."+strings.ReplaceAll(noun, " ", "_"))
}

// conflicted returns the field's merge when both sides changed it, or nil.
func conflicted(m *tracker.Merge, name string) *tracker.FieldMerge {
	if m == nil {
		return nil
	}
	for i, f := range m.Fields {
		if f.Name == name && f.Outcome == tracker.Conflicted {
			return &m.Fields[i]
		}
	}
	return nil
}

// MergeNotice tells an editor whose save was merged with others' saves what it took from
// them, in the page's language; "" when nobody else saved meanwhile.
func MergeNotice(ctx context.Context, m tracker.Merge, edited tracker.Revision, noun string) string {
	if m.Version == edited.Version {
		return ""
	}
	var theirs []string
	for _, f := range m.Theirs() {
		theirs = append(theirs, fieldLabel(ctx, f.Name, f.Label))
	}
	this := recordNoun(ctx, "this", noun)
	if len(theirs) == 0 {
		return T(ctx, "form.merge.notice_same", "Who", SavedBy(ctx, m), "This", this)
	}
	return T(ctx, "form.merge.notice_kept", "Who", SavedBy(ctx, m), "This", this, "Fields", strings.Join(theirs, ", "))
}

type flashKey struct{}

// WithFlash records a one-time message for the page rendered with ctx.
func WithFlash(ctx context.Context, msg string) context.Context {
	return context.WithValue(ctx, flashKey{}, msg)
}

// Flash is the one-time message the page shows, or "".
func Flash(ctx context.Context) string { s, _ := ctx.Value(flashKey{}).(string); return s }

// unsettled reports whether the user was asked to choose for the field and did not.
func unsettled(r tracker.Revision, name string) bool { return slices.Contains(r.Unsettled, name) }
