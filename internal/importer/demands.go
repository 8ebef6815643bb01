package importer

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"unicode"

	"github.com/whereas/whereas/internal/tracker"
)

// Proposed demands. A paragraph that demands something ("Urges the government to release
// X and quash his conviction", "Calls for an independent investigation", "Calls on the
// authorities to:" followed by points) gives one proposal per demanding phrase: its words,
// an action from the vocabulary, and as targets the people, cases, organisations and laws
// linked within those words. Staff accept, change or reject each; only accepted ones are
// published.

// Decisions on a proposed demand.
const (
	Accept = "accept"
	Reject = "reject"
)

// Proposal is a demand the importer proposes, with what staff decided about it.
type Proposal struct {
	Key        string    // stable for the draft: the clause's eId and where the words start, "para_1@40"
	Demand     NewDemand // as proposed, or as staff changed and accepted it
	Decision   string    // Accept, Reject or "" (not decided yet)
	Start, End int       // the proposed words, in characters of the clause text
}

// Phrase is a demanding phrase found in a clause's text.
type Phrase struct {
	Start, End int // byte offsets into the clause text
	Wording    string
	Action     tracker.DemandAction
}

// splitVerbs start a new demand when they follow a comma or "and": "release X, and quash
// his conviction, as well as quash …".
const splitVerbs = `release|quash|overturn|annul|amend|repeal|revise|abolish|review|investigate|end|cease|stop|halt|lift|allow|address|implement|engage|ensure|place|take|establish|comply|drop|guarantee|refrain|restore|grant|withdraw|dismiss|conduct|publish|ratify|return`

var (
	// "Urges the government of Kazakhstan to", "calls on the Kazakh authorities to fully",
	// "Asks the Commission to": the demand's words start after "to".
	reToTrigger = regexp.MustCompile(`(?i)^(?:urges?|calls?\s+on|asks?)\b[^;]*?\bto\b[ \t]*:?`)
	// "Calls for", "Demands", "Insists on", "Asks for": the words start at the trigger.
	reNounTrigger = regexp.MustCompile(`(?i)^(?:calls?\s+for|demands?|insists?\s+on|asks?\s+for)\b`)
	// Where a trigger may stand: at the start of a sentence, or after "and" or a comma.
	reTriggerAt = regexp.MustCompile(`(?i)(?:^\s*|\band\s+|,\s*)(urges?|calls?|asks?|demands?|insists?)\b`)
	reSplit     = regexp.MustCompile(`(?i)(?:,\s*(?:and\s+|as well as\s+|but also\s+)?|\s+and\s+|\s+as well as\s+)(` + splitVerbs + `)\b`)
	// A "to" right before a verb of the list is the one a trigger means: "Urges X, under its
	// commitments to the OSCE, to release" starts at "release".
	reToVerb = regexp.MustCompile(`(?i)\bto\s+(?:[a-z]+ly\s+)?(` + splitVerbs + `)\b`)
	reLeadIn = regexp.MustCompile(`(?i)\b(?:to|for)\s*:\s*$`)
)

// DemandPhrases finds the demanding phrases of a paragraph's or point's text. continued says
// that the clause continues a lead-in such as "Calls on the authorities to:" (a point of such
// a paragraph), so its words demand from their start.
func DemandPhrases(text string, continued bool) []Phrase {
	var out []Phrase
	for i, seg := range sentences(text) {
		a, b := seg[0], seg[1]
		s := text[a:b]
		lead := len(s) - len(strings.TrimLeft(s, " \t\n"))
		rest := -1 // where the demanding words start, in s
		noun := false
		if i == 0 && continued {
			rest = lead
		}
		for _, m := range reTriggerAt.FindAllStringSubmatchIndex(s, -1) {
			if rest >= 0 {
				break
			}
			t := s[m[2]:]
			if reNounTrigger.MatchString(t) {
				rest, noun = m[2], true
			} else if tm := reToTrigger.FindStringIndex(t); tm != nil {
				rest = m[2] + tm[1]
				// "Urges X, under its commitments to the OSCE, to release": when a comma
				// stands between the first "to" and a "to" before a verb the list knows,
				// the latter is the one the trigger means.
				if vm := reToVerb.FindStringSubmatchIndex(t); vm != nil && m[2]+vm[0] >= rest-len("to")-1 {
					if m[2]+vm[0] < rest || strings.Contains(s[rest:m[2]+vm[0]], ",") {
						rest = m[2] + vm[2]
					}
				}
			}
		}
		if rest < 0 {
			continue
		}
		for rest < len(s) && (s[rest] == ' ' || s[rest] == '\t' || s[rest] == '\n') {
			rest++
		}
		// Cut the rest at each verb that starts another demand.
		starts := []int{rest}
		for _, m := range reSplit.FindAllStringSubmatchIndex(s[rest:], -1) {
			if noun && m[2] == 0 {
				continue
			}
			starts = append(starts, rest+m[2])
		}
		for j, st := range starts {
			en := len(s)
			if j+1 < len(starts) {
				en = starts[j+1]
			}
			w := strings.TrimRight(s[st:en], " \t\n,;.:")
			w = strings.TrimSuffix(strings.TrimSuffix(w, " and"), " as well as")
			w = strings.TrimRight(w, " \t\n,;:")
			if len(strings.Fields(w)) < 2 {
				continue
			}
			out = append(out, Phrase{Start: a + st, End: a + st + len(w), Wording: w, Action: ActionFor(w)})
		}
	}
	return out
}

// LeadIn reports whether a paragraph's text ends in a lead-in to its points: "Calls on the
// authorities of Kazakhstan to:".
func LeadIn(text string) bool {
	segs := sentences(text)
	if len(segs) == 0 || !reLeadIn.MatchString(text) {
		return false
	}
	last := strings.TrimSpace(text[segs[len(segs)-1][0]:segs[len(segs)-1][1]])
	for _, m := range reTriggerAt.FindAllStringSubmatchIndex(last, -1) {
		if reToTrigger.MatchString(last[m[2]:]) || reNounTrigger.MatchString(last[m[2]:]) {
			return true
		}
	}
	return false
}

// sentences cuts text at semicolons and at full stops that end a sentence, as byte ranges.
func sentences(text string) [][2]int {
	var out [][2]int
	start := 0
	for i := 0; i < len(text); i++ {
		c := text[i]
		if c == ';' || (c == '.' && (i+1 == len(text) || text[i+1] == ' ' || text[i+1] == '\n')) {
			if strings.TrimSpace(text[start:i]) != "" {
				out = append(out, [2]int{start, i})
			}
			start = i + 1
		}
	}
	if strings.TrimSpace(text[start:]) != "" {
		out = append(out, [2]int{start, len(text)})
	}
	return out
}

var (
	reFirstWord = regexp.MustCompile(`^(?:(?:calls?\s+for|demands?|insists?\s+on|asks?\s+for)\s+)?(?:(?:the|an?|all|its|their|a\s+\w+)\s+)*([a-z]+)`)
	reLawWords  = regexp.MustCompile(`\b(law|laws|code|article|articles|amendments?|legislation|moratorium|provisions?|decree)\b`)
)

// ActionFor is the action a demanding phrase most likely asks for, from its first verb (or
// noun) and the words it uses; "other" when nothing says.
func ActionFor(wording string) tracker.DemandAction {
	w := strings.ToLower(wording)
	first := ""
	if m := reFirstWord.FindStringSubmatch(w); m != nil {
		first = m[1]
	}
	has := func(words ...string) bool {
		return slices.ContainsFunc(words, func(x string) bool { return startsWord(w, x) })
	}
	switch first {
	case "release", "free":
		return "release"
	case "quash", "overturn", "annul":
		return "quash_conviction"
	case "amend", "repeal", "revise", "abolish", "place":
		if first != "place" || reLawWords.MatchString(w) {
			return "amend_or_repeal_law"
		}
	case "review":
		switch {
		case has("case", "cases", "conviction", "sentence"):
			return "review_case"
		case reLawWords.MatchString(w):
			return "amend_or_repeal_law"
		}
	case "investigate", "investigation":
		return "investigate"
	case "end", "cease", "stop", "halt":
		return "end_practice"
	case "lift", "allow":
		return "lift_restrictions"
	case "engage":
		return "engage_in_dialogue"
	case "address":
		if has("case", "investigation against", "charges against") {
			return "review_case"
		}
	}
	switch {
	case has("release"):
		return "release"
	case has("quash"):
		return "quash_conviction"
	case has("investigat"):
		return "investigate"
	case has("repeal", "abolish", "amend"):
		return "amend_or_repeal_law"
	case has("review the case", "review of the case"):
		return "review_case"
	case has("lift", "restrictions"):
		return "lift_restrictions"
	case has("dialogue"):
		return "engage_in_dialogue"
	}
	return "other"
}

// proposalKey names a proposal: its clause and where its words start, in characters.
func proposalKey(eid string, start int) string { return fmt.Sprintf("%s@%d", eid, start) }

// ProposalClause is the clause eId a proposal key names.
func ProposalClause(key string) string {
	eid, _, _ := strings.Cut(key, "@")
	return eid
}

// proposeDemands makes a clause's proposals: each phrase's words, action, and the entities
// accepted links name within them; then what staff decided, from the draft's demands (an
// accepted proposal is a demand naming it) and its rejected proposals.
func proposeDemands(cr ClauseReview, continued bool, accepted map[string]NewDemand, rejected map[string]bool) []Proposal {
	if cr.Clause.Kind != tracker.Paragraph && cr.Clause.Kind != tracker.Point {
		return nil
	}
	var out []Proposal
	runes := &runeOffsets{text: cr.Clause.Text}
	for _, ph := range DemandPhrases(cr.Clause.Text, continued) {
		p := Proposal{Start: runes.runeAt(ph.Start), End: runes.runeAt(ph.End)}
		p.Key = proposalKey(cr.Clause.EID, p.Start)
		p.Demand = NewDemand{Clause: cr.Clause.EID, Action: ph.Action, Wording: ph.Wording, Proposal: p.Key}
		for _, l := range cr.Links {
			if l.Accepted && l.Start >= p.Start && l.End <= p.End {
				ref := tracker.EntityRef{Type: l.Type, Slug: l.Slug, Name: l.Name}
				if !slices.ContainsFunc(p.Demand.Targets, func(t tracker.EntityRef) bool { return t.Type == ref.Type && t.Slug == ref.Slug }) {
					p.Demand.Targets = append(p.Demand.Targets, ref)
				}
			}
		}
		if d, ok := accepted[p.Key]; ok {
			p.Decision, p.Demand = Accept, d
		} else if rejected[p.Key] {
			p.Decision = Reject
		}
		out = append(out, p)
	}
	return out
}

// Decisions is what the review page sends with every one of its buttons: the links turned
// down and what was decided about each proposed demand on it. Every action applies them
// first, in the same transaction, so that no action loses a decision made before it.
type Decisions struct {
	RejectedLinks []string
	Proposals     []ProposalDecision
}

// ProposalDecision is what staff decided about one proposed demand, with its fields as
// they left them.
type ProposalDecision struct {
	Key      string
	Decision string    // Accept, Reject, or "" (decide later)
	Demand   NewDemand // action, wording and targets as sent
}

// Apply records decisions in a draft. A proposal accepted with words not in its clause is
// refused, beside its fields (keyed "KEY/wording"), and the record is left as it was.
func (r *Record) Apply(d Decisions, clauses []tracker.Clause) tracker.FieldErrors {
	errs := tracker.FieldErrors{}
	demands := slices.Clone(r.Demands)
	rejected := slices.Clone(r.RejectedDemands)
	for _, pd := range d.Proposals {
		rejected = slices.DeleteFunc(rejected, func(k string) bool { return k == pd.Key })
		at := slices.IndexFunc(demands, func(x NewDemand) bool { return x.Proposal == pd.Key })
		switch pd.Decision {
		case Accept:
			nd := pd.Demand
			nd.Clause, nd.Proposal = ProposalClause(pd.Key), pd.Key
			if len(nd.Targets) == 0 {
				nd.Targets = nil
			}
			// In one order whatever order the form sent them in, so that saving them
			// unchanged changes nothing.
			slices.SortFunc(nd.Targets, func(a, b tracker.EntityRef) int {
				return strings.Compare(string(a.Type)+"/"+a.Slug, string(b.Type)+"/"+b.Slug)
			})
			for k, v := range nd.Validate(clauses) {
				errs[pd.Key+"/"+k] = v
			}
			if at >= 0 {
				demands[at] = nd // in its place, so that saving it unchanged changes nothing
			} else {
				demands = append(demands, nd)
			}
			continue
		case Reject:
			rejected = append(rejected, pd.Key)
		}
		if at >= 0 {
			demands = slices.Delete(demands, at, at+1)
		}
	}
	if errs.Any() {
		return errs
	}
	links := slices.Clone(d.RejectedLinks)
	slices.Sort(links)
	r.Rejected = append([]string{}, slices.Compact(links)...)
	slices.Sort(rejected)
	r.RejectedDemands = append([]string{}, slices.Compact(rejected)...)
	r.Demands = demands
	return nil
}

// Undecided counts the proposals nobody has accepted or rejected yet.
func (pv Preview) Undecided() int {
	n := 0
	for _, c := range pv.Clauses {
		for _, p := range c.Proposals {
			if p.Decision == "" {
				n++
			}
		}
	}
	return n
}

// startsWord reports whether x stands in w at the start of a word.
func startsWord(w, x string) bool {
	for from := 0; ; {
		i := strings.Index(w[from:], x)
		if i < 0 {
			return false
		}
		i += from
		if i == 0 || !unicode.IsLetter(rune(w[i-1])) {
			return true
		}
		from = i + 1
	}
}

// Overlay shows on a preview decisions that were sent but not saved (a refused or
// conflicting post), so that the page comes back as its user left it: the ticks as sent,
// each proposal as sent.
func (pv *Preview) Overlay(d Decisions) {
	no := map[string]bool{}
	for _, k := range d.RejectedLinks {
		no[k] = true
	}
	sent := map[string]ProposalDecision{}
	for _, pd := range d.Proposals {
		sent[pd.Key] = pd
	}
	pv.Accepted = 0
	for i := range pv.Clauses {
		c := &pv.Clauses[i]
		for j := range c.Links {
			if l := &c.Links[j]; !l.Existing {
				l.Accepted = !no[l.Key]
			}
			if c.Links[j].Accepted {
				pv.Accepted++
			}
		}
		for j := range c.Proposals {
			p := &c.Proposals[j]
			if pd, ok := sent[p.Key]; ok {
				p.Decision, p.Demand = pd.Decision, pd.Demand
				p.Demand.Clause, p.Demand.Proposal = c.Clause.EID, p.Key
			}
		}
	}
}
