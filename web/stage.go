package web

import "github.com/whereas/whereas/internal/tracker"

// StageDate is a text's date in a list line, as what it is: "adopted 14 March 2019",
// "tabled 11 March 2019", or for a motion whose tabling date nobody recorded "date tabled
// unknown; resolution adopted 14 March 2019".
func StageDate(t tracker.TextRef) string {
	switch {
	case t.Stage == tracker.Adopted && !t.TextDate.IsZero():
		return "adopted " + Date(t.TextDate)
	case t.Stage == tracker.Adopted:
		return "adopted " + Date(t.VoteDate)
	case !t.TextDate.IsZero():
		return "tabled " + Date(t.TextDate) + "; resolution adopted " + Date(t.VoteDate)
	}
	return "date tabled unknown; resolution adopted " + Date(t.VoteDate)
}

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

// compareRow says how a row of a comparison differs: "same words", "changed", "only in one".
func compareRow(p tracker.ClausePair) string {
	switch {
	case p.Left == nil || p.Right == nil:
		return "only in one text"
	case p.Same:
		return "same words"
	}
	return "changed"
}

// compareSummary counts the rows of a comparison by how they differ.
func compareSummary(pairs []tracker.ClausePair) string {
	same, changed, one := 0, 0, 0
	for _, p := range pairs {
		switch compareRow(p) {
		case "same words":
			same++
		case "changed":
			changed++
		default:
			one++
		}
	}
	return Plural(same, "clause", "clauses") + " word for word the same, " + Plural(changed, "changed", "changed") + ", " + Plural(one, "in one text only", "in one text only") + "."
}
