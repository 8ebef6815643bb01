package tracker

// What a case status says about the demands concerning the case and its people, so that
// the one form that records a status can propose each demand's new state. Staff confirm,
// change or leave every proposal: these are suggestions, never written on their own.
//
// The rules, by the demand's action:
//   - release: released, conviction quashed, acquitted or charges dropped → met (the
//     person is free without conditions); released on parole → partly met (free, but
//     under conditions and still convicted); back in pre-trial detention, house arrest,
//     prison or forced psychiatric detention → not met; deceased → superseded (the demand
//     can no longer be met).
//   - quash_conviction: conviction quashed or acquitted → met; released, on parole or
//     any other status → nothing (a release leaves the conviction standing).
//   - review_case: conviction quashed, acquitted or charges dropped → met (the case was
//     reviewed and its outcome undone).
//   - lift_restrictions: restrictions on activity or a travel ban → not met.
//   - every other action (laws, investigations, practices, dialogue): nothing: one case's
//     status says nothing about them.

// ProposeDemandState is the state a new status s proposes for a demand with action a
// that stands at current, and false when s says nothing about it or the demand already
// stands there.
func ProposeDemandState(s Status, a DemandAction, current DemandState) (DemandState, bool) {
	var p DemandState
	switch a {
	case "release":
		switch s {
		case "released", "conviction_quashed", "acquitted", "charges_dropped":
			p = Met
		case "released_on_parole":
			p = PartlyMet
		case "pre_trial_detention", "house_arrest", "imprisoned", "forced_psychiatric_detention":
			p = NotMet
		case "deceased":
			p = Superseded
		}
	case "quash_conviction":
		switch s {
		case "conviction_quashed", "acquitted":
			p = Met
		}
	case "review_case":
		switch s {
		case "conviction_quashed", "acquitted", "charges_dropped":
			p = Met
		}
	case "lift_restrictions":
		switch s {
		case "restrictions_on_activity", "travel_ban":
			p = NotMet
		}
	}
	if p == "" || p == current {
		return "", false
	}
	return p, true
}

// Contradicts reports whether a status s leaves a demand's state plainly behind: the
// status would make the demand met but it still stands at not met, partly met or
// unknown ("Released" above "Not met: Release"). Pages show staff a prompt to review it.
func Contradicts(s Status, a DemandAction, current DemandState) bool {
	p, ok := ProposeDemandState(s, a, current)
	return ok && p == Met && current != Superseded
}

// Mismatch is a demand whose state a case's current status plainly leaves behind, for
// staff to review: "Released" above "Not met: Release".
type Mismatch struct {
	CaseSlug string
	Status   Status
	Demand   Demand
}

// Mismatches lists the demands whose state the current status of a case contradicts (see
// Contradicts). A demand is held against the cases it targets among cases, or, when it
// targets none of them (a demand about the person), against the case whose current status
// is the latest.
func Mismatches(cases []Case, demands []Demand) []Mismatch {
	var out []Mismatch
	for _, d := range demands {
		var against *Case
		for i := range cases {
			targeted := false
			for _, t := range d.Targets {
				targeted = targeted || (t.Type == CaseEntity && t.Slug == cases[i].Slug)
			}
			if targeted {
				against = &cases[i]
				break
			}
		}
		if against == nil {
			var latest StatusEntry
			for i := range cases {
				if cur, ok := cases[i].Current(); ok && (against == nil || !cur.EffectiveOn.Start.Before(latest.EffectiveOn.Start)) {
					against, latest = &cases[i], cur
				}
			}
		}
		if against == nil {
			continue
		}
		if cur, ok := against.Current(); ok && Contradicts(cur.Status, d.Action, d.State()) {
			out = append(out, Mismatch{CaseSlug: against.Slug, Status: cur.Status, Demand: d})
		}
	}
	return out
}
