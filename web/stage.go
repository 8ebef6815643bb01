package web

import (
	"context"

	"github.com/whereas/whereas/internal/tracker"
)

// refSuffix is a document reference after a stage's name: " B8-0180/2019", or nothing.
func refSuffix(ref string) string {
	if ref == "" {
		return ""
	}
	return " " + ref
}

// stageInputID is the id of a stage's radio button; the first is "stage", so that the error
// summary's link to the field lands on it.
func stageInputID(i int, st tracker.Stage) string {
	if i == 0 {
		return "stage"
	}
	return "stage-" + string(st)
}

// How a row of a comparison differs.
const (
	rowSame    = "same"
	rowChanged = "changed"
	rowOne     = "one"
)

// compareKind says how a row of a comparison differs: rowSame, rowChanged or rowOne.
func compareKind(p tracker.ClausePair) string {
	switch {
	case p.Left == nil || p.Right == nil:
		return rowOne
	case p.Same:
		return rowSame
	}
	return rowChanged
}

// compareRow says how a row of a comparison differs: "same words", "changed", "only in one
// text".
func compareRow(ctx context.Context, p tracker.ClausePair) string {
	return T(ctx, "stage.compare_row_"+compareKind(p))
}

// compareSummary counts the rows of a comparison by how they differ: "3 clauses word for
// word the same, 1 changed, 0 in one text only."
func compareSummary(ctx context.Context, pairs []tracker.ClausePair) string {
	n := map[string]int{}
	for _, p := range pairs {
		n[compareKind(p)]++
	}
	return T(ctx, "stage.compare_summary",
		"Same", N(ctx, "stage.compare_same", n[rowSame]),
		"Changed", N(ctx, "stage.compare_changed", n[rowChanged]),
		"One", N(ctx, "stage.compare_one", n[rowOne]))
}

// pairLabel is a comparison row's clause as a heading names it, "Recital K", from whichever
// text has it.
func pairLabel(ctx context.Context, p tracker.ClausePair) Parts {
	c := p.Left
	if c == nil {
		c = p.Right
	}
	if c == nil {
		return Parts{kept(p.Label)}
	}
	return KindLabelM(ctx, c.Kind, c.Label)
}

// carryCandidate is a demand staff may carry over, as its box's label says it: "Carry over:
// Release, Paragraph 3: “…”", the words the resolution's, in English.
func carryCandidate(ctx context.Context, c tracker.CarryCandidate) Parts {
	words := TM(ctx, "demand.quoted", "Words", inEnglish(c.Demand.Wording))
	return TM(ctx, "stage.carry_candidate", "Action", DemandActionLabel(ctx, c.Demand.Action), "Clause", KindLabelM(ctx, c.Clause.Kind, c.Clause.Label), "Words", words)
}
