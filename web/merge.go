package web

import (
	"context"
	"slices"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
)

// OutcomeLabel says in words what a merge did with a field.
func OutcomeLabel(o tracker.Outcome) string {
	switch o {
	case tracker.TookMine:
		return "Yours: only you changed it"
	case tracker.TookTheirs:
		return "Theirs: only they changed it"
	case tracker.Agreed:
		return "Same on both sides"
	case tracker.Conflicted:
		return "Both changed it: choose below"
	}
	return "Unchanged"
}

// SavedBy names who saved the version an edit was merged with, and when.
func SavedBy(m tracker.Merge) string {
	who := "Someone else"
	if len(m.By) > 0 {
		who = strings.Join(m.By, ", ")
	}
	if m.At.IsZero() {
		return who
	}
	when := m.At.UTC().Format("2 January 2006, 15:04:05 UTC")
	if len(m.By) > 1 {
		when = "the last at " + when
	}
	return who + " (" + when + ")"
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
// them; "" when nobody else saved meanwhile.
func MergeNotice(m tracker.Merge, edited tracker.Revision, noun string) string {
	if m.Version == edited.Version {
		return ""
	}
	var theirs []string
	for _, f := range m.Theirs() {
		theirs = append(theirs, f.Label)
	}
	msg := "Saved. " + SavedBy(m) + " also changed this " + noun + " while you were editing; "
	if len(theirs) == 0 {
		return msg + "nothing they changed differs from your version, so it was saved as you wrote it."
	}
	return msg + "their changes to " + strings.Join(theirs, ", ") + " were kept alongside yours."
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
