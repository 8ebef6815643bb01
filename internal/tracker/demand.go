package tracker

import (
	"strings"
	"time"
)

// DemandAction is what a demand asks for.
type DemandAction string

// DemandActions is the vocabulary of actions, mirrored in the demand_actions table.
var DemandActions = []struct {
	Code  DemandAction
	Label string
}{
	{"release", "Release"},
	{"quash_conviction", "Quash conviction"},
	{"amend_or_repeal_law", "Amend or repeal law"},
	{"investigate", "Investigate"},
	{"review_case", "Review case"},
	{"end_practice", "End practice"},
	{"lift_restrictions", "Lift restrictions"},
	{"engage_in_dialogue", "Engage in dialogue"},
	{"other", "Other"},
}

// Label is the action in words.
func (a DemandAction) Label() string {
	for _, x := range DemandActions {
		if x.Code == a {
			return x.Label
		}
	}
	return string(a)
}

// Valid reports whether a is in the vocabulary.
func (a DemandAction) Valid() bool {
	for _, x := range DemandActions {
		if x.Code == a {
			return true
		}
	}
	return false
}

// DemandState is whether a demand has been met. It is a different fact from a case's
// status: a person released at the end of a sentence leaves "quash the conviction" unmet.
type DemandState string

// The demand states, mirrored in the demand_states table.
const (
	NotMet     DemandState = "not_met"
	PartlyMet  DemandState = "partly_met"
	Met        DemandState = "met"
	Superseded DemandState = "superseded"
	Unknown    DemandState = "unknown"
)

// DemandStates lists the states in the order the scoreboard counts them.
var DemandStates = []struct {
	Code  DemandState
	Label string
	Tone  Tone
}{
	{Met, "Met", ToneFree},
	{PartlyMet, "Partly met", ToneRestricted},
	{NotMet, "Not met", ToneDetained},
	{Unknown, "Not yet assessed", ToneOther}, // nobody has assessed it: not a finding of anything
	{Superseded, "Superseded", ToneOther},
}

// Label is the state in words.
func (s DemandState) Label() string {
	for _, x := range DemandStates {
		if x.Code == s {
			return x.Label
		}
	}
	return string(s)
}

// Tone is the state's display group; the words always come with it.
func (s DemandState) Tone() Tone {
	for _, x := range DemandStates {
		if x.Code == s {
			return x.Tone
		}
	}
	return ToneOther
}

// Valid reports whether s is in the vocabulary.
func (s DemandState) Valid() bool {
	for _, x := range DemandStates {
		if x.Code == s {
			return true
		}
	}
	return false
}

// DemandEntry is one dated, sourced entry of a demand's follow-up history.
type DemandEntry struct {
	ID           int64
	State        DemandState
	EffectiveOn  When      // when it happened, to a year, a month or a day
	DatedBy      string    // what the date rests on where the source gives no date of the event, or ""
	VerifiedOn   time.Time // when staff last checked it still holds (staff only); zero when never
	Note         string
	SourceURL    string
	SourceClause *ClauseRef
	RecordedAt   time.Time
	RecordedBy   string
	Supersedes   int64
	SupersededBy int64
}

// Demand is one thing a clause asks for, in the clause's own words.
type Demand struct {
	ID      int64
	Slug    string
	Action  DemandAction
	Wording string
	Start   int // code points into the clause text
	End     int
	Clause  ClauseRef
	Targets []EntityRef
	History []DemandEntry // oldest first
	Version int
}

// Current is the latest entry no correction replaces.
func (d Demand) Current() (DemandEntry, bool) {
	for i := len(d.History) - 1; i >= 0; i-- {
		if d.History[i].SupersededBy == 0 {
			return d.History[i], true
		}
	}
	return DemandEntry{}, false
}

// State is the demand's current state, Unknown when it has no history.
func (d Demand) State() DemandState {
	if e, ok := d.Current(); ok {
		return e.State
	}
	return Unknown
}

// LastChange is when the demand's state last changed, as its entries say (when it
// happened, not when it was typed in; corrected entries left out), to the precision the
// entries allow (see Latest). Zero when nothing has been recorded.
func (d Demand) LastChange() When {
	var t When
	for _, e := range d.History {
		if e.SupersededBy == 0 {
			t = Latest(t, e.EffectiveOn)
		}
	}
	return t
}

// ScoreParagraph is one operative paragraph on the scoreboard, with its demands.
type ScoreParagraph struct {
	Clause  Clause
	Demands []Demand
}

// Scoreboard is how much of a resolution has been acted on, demand by demand.
type Scoreboard struct {
	Resolution ResolutionSummary
	Paragraphs []ScoreParagraph
	Counts     map[DemandState]int
	Total      int
	LastChange When
	All        []Demand // every demand, whatever Only kept: what the follow-up over time counts
}

// NewScoreboard groups demands under the clauses they belong to, in clause order, and
// counts them by current state.
func NewScoreboard(r ResolutionSummary, clauses []Clause, demands []Demand) Scoreboard {
	sb := Scoreboard{Resolution: r, Counts: map[DemandState]int{}, All: demands}
	byEID := map[string][]Demand{}
	for _, d := range demands {
		byEID[d.Clause.EID] = append(byEID[d.Clause.EID], d)
		sb.Counts[d.State()]++
		sb.Total++
		sb.LastChange = Latest(sb.LastChange, d.LastChange())
	}
	for _, c := range clauses {
		if ds := byEID[c.EID]; len(ds) > 0 || c.Kind == Paragraph {
			sb.Paragraphs = append(sb.Paragraphs, ScoreParagraph{Clause: c, Demands: ds})
		}
	}
	return sb
}

// Only is the scoreboard's paragraphs cut to the demands that stand at state, dropping
// paragraphs left with none; the counts and the latest change stay those of the whole
// resolution, so a filtered view still says how it all stands.
func (sb Scoreboard) Only(state DemandState) Scoreboard {
	out := sb
	out.Paragraphs = nil
	for _, p := range sb.Paragraphs {
		var ds []Demand
		for _, d := range p.Demands {
			if d.State() == state {
				ds = append(ds, d)
			}
		}
		if len(ds) > 0 {
			out.Paragraphs = append(out.Paragraphs, ScoreParagraph{Clause: p.Clause, Demands: ds})
		}
	}
	return out
}

// DemandUpdate is a new entry for a demand's history, as staff submit it.
type DemandUpdate struct {
	DemandSlug   string
	Version      int
	State        DemandState
	EffectiveOn  string // "2018", "2018-05" or "2018-05-14" as typed
	DatedBy      string
	VerifiedOn   string // YYYY-MM-DD as typed, or ""
	Note         string
	SourceURL    string
	SourceClause string
	Supersedes   int64
}

// Validate checks a demand update with the same rules as a case status update.
func (u DemandUpdate) Validate(today time.Time) (EntryDates, FieldErrors) {
	on, errs := validateDatedSource(entryFields{u.EffectiveOn, u.DatedBy, u.VerifiedOn, u.Note, "", u.SourceURL, u.SourceClause}, today)
	if !u.State.Valid() {
		errs["state"] = "Choose a state from the list."
	}
	return on, errs
}

// ClauseSpan finds wording in a clause's text and returns its span in code points.
func ClauseSpan(text, wording string) (start, end int, ok bool) {
	i := strings.Index(text, wording)
	if wording == "" || i < 0 {
		return 0, 0, false
	}
	start = len([]rune(text[:i]))
	return start, start + len([]rune(wording)), true
}
