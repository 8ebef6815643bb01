package tracker

// Status is a code from the controlled vocabulary of case statuses. The same list is
// seeded into the case_statuses table so the database refuses anything else.
type Status string

// Tone groups statuses for display: colour always comes with the status's words.
type Tone string

// The tones a status can be shown in.
const (
	ToneDetained   Tone = "detained"   // deprived of liberty
	ToneRestricted Tone = "restricted" // free but constrained, or under prosecution
	ToneFree       Tone = "free"       // released, acquitted, quashed
	ToneOther      Tone = "other"      // unknown, deceased, exile
)

// StatusInfo describes one status of the vocabulary.
type StatusInfo struct {
	Code  Status
	Label string
	Tone  Tone
}

// Statuses is the controlled vocabulary, in the order staff see it offered.
var Statuses = []StatusInfo{
	{"under_investigation", "Under investigation", ToneRestricted},
	{"charged", "Charged", ToneRestricted},
	{"on_trial", "On trial", ToneRestricted},
	{"pre_trial_detention", "Pre-trial detention", ToneDetained},
	{"house_arrest", "House arrest", ToneDetained},
	{"imprisoned", "Imprisoned", ToneDetained},
	{"forced_psychiatric_detention", "Forced psychiatric detention", ToneDetained},
	{"released_on_parole", "Released on parole", ToneRestricted},
	{"restrictions_on_activity", "Restrictions on activity", ToneRestricted},
	{"travel_ban", "Travel ban", ToneRestricted},
	{"banned", "Banned (organisation)", ToneRestricted},
	{"released", "Released", ToneFree},
	{"conviction_quashed", "Conviction quashed", ToneFree},
	{"acquitted", "Acquitted", ToneFree},
	{"charges_dropped", "Charges dropped", ToneFree},
	{"in_exile", "In exile", ToneOther},
	{"deceased", "Deceased", ToneOther},
	{"unknown", "Unknown", ToneOther},
}

// Info returns the vocabulary entry for s, and false when s is not in the vocabulary.
func (s Status) Info() (StatusInfo, bool) {
	for _, info := range Statuses {
		if info.Code == s {
			return info, true
		}
	}
	return StatusInfo{Code: s, Label: string(s), Tone: ToneOther}, false
}

// Label is the status in words.
func (s Status) Label() string { info, _ := s.Info(); return info.Label }

// Tone is the status's display group.
func (s Status) Tone() Tone { info, _ := s.Info(); return info.Tone }
