package tracker

import (
	"net/url"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// Stage says which text of a procedure a resolution row holds: the European Parliament's
// urgency resolutions go from motions tabled by political groups to a joint motion, and the
// Parliament adopts one text.
type Stage string

// The stages, in the order a procedure goes through them.
const (
	Motion      Stage = "motion"       // a motion for a resolution, tabled by one group (B8-0180/2019)
	JointMotion Stage = "joint_motion" // a joint motion for a resolution (RC-B8-0180/2019)
	Adopted     Stage = "adopted"      // the text the Parliament adopted (P8_TA(2019)0203)
)

// Stages lists the stages in order, for forms.
var Stages = []Stage{Motion, JointMotion, Adopted}

// Valid reports whether s is one of the stages.
func (s Stage) Valid() bool { return s == Motion || s == JointMotion || s == Adopted }

// Label is the stage in words, as a heading says it: "Motion for a resolution".
func (s Stage) Label() string {
	switch s {
	case Motion:
		return "Motion for a resolution"
	case JointMotion:
		return "Joint motion for a resolution"
	case Adopted:
		return "Text adopted"
	}
	return "Resolution text"
}

// Order is the stage's place in a procedure, 1 for a motion.
func (s Stage) Order() int {
	switch s {
	case Motion:
		return 1
	case JointMotion:
		return 2
	case Adopted:
		return 3
	}
	return 0
}

// Noun is the stage as a noun in a sentence: "motion", "joint motion", "adopted text".
func (s Stage) Noun() string {
	switch s {
	case Motion:
		return "motion"
	case JointMotion:
		return "joint motion"
	}
	return "adopted text"
}

// DateNoun says what a text's own date is for its stage: "tabled" or "adopted".
func (s Stage) DateNoun() string {
	if s == Adopted {
		return "adopted"
	}
	return "tabled"
}

var reReference = regexp.MustCompile(`^((RC-)?B\d{1,2}-\d{4}/\d{4}|P\d{1,2}_TA(-PROV)?\(\d{4}\)\d{4})$`)

// ValidReference reports whether ref is written as the Parliament writes its document
// numbers: "B8-0180/2019" (a motion), "RC-B8-0180/2019" (a joint motion),
// "P8_TA(2019)0203" or "P8_TA-PROV(2019)0203" (a text adopted); "" (unknown) is valid too.
func ValidReference(ref string) bool { return ref == "" || reReference.MatchString(ref) }

// ReferenceStage is the stage a document reference belongs to, "" for none.
func ReferenceStage(ref string) Stage {
	switch {
	case strings.HasPrefix(ref, "RC-"):
		return JointMotion
	case strings.HasPrefix(ref, "B"):
		return Motion
	case strings.HasPrefix(ref, "P"):
		return Adopted
	}
	return ""
}

// ValidOfficialURL checks the address of a text on the Parliament's site: https, on
// europarl.europa.eu or one of its subdomains; "" (none known) is valid. It returns the
// message to show beside the field, "" when the address is fine.
func ValidOfficialURL(raw string) string {
	if raw == "" {
		return ""
	}
	u, err := url.Parse(raw)
	switch {
	case err != nil || u.Host == "" || strings.ContainsAny(raw, " \t\r\n"):
		return "Give the full address, starting https://www.europarl.europa.eu/."
	case u.Scheme != "https":
		return "Give an https address on the Parliament's site (https://www.europarl.europa.eu/…)."
	case u.User != nil || u.Port() != "" || !(u.Hostname() == "europarl.europa.eu" || strings.HasSuffix(u.Hostname(), ".europarl.europa.eu")):
		return "Give an address on the Parliament's site, europarl.europa.eu."
	case len(raw) > 2000:
		return "Keep the address under 2,000 characters."
	}
	return ""
}

// TextRef says which text a clause comes from, as a citation names it.
type TextRef struct {
	Slug        string
	Procedure   string    // "2019/2610(RSP)": ties the stages together
	Title       string    // "Human rights situation in Kazakhstan"
	Stage       Stage     //
	Reference   string    // "B8-0180/2019", "" when unknown
	TextDate    time.Time // tabled (motions) or adopted; zero when unknown
	VoteDate    time.Time // the day the Parliament voted in the procedure (adopted_on)
	OfficialURL string    // the text on the Parliament's site, "" when unknown
}

// Ref is the resolution as a citation names it.
func (r Resolution) Ref() TextRef {
	return TextRef{Slug: r.Slug, Procedure: r.Procedure, Title: r.Title, Stage: r.Stage, Reference: r.Reference,
		TextDate: r.TextDate, VoteDate: r.AdoptedOn, OfficialURL: r.OfficialURL}
}

// Ref is the resolution a clause comes from, as a citation names it.
func (c ClauseRef) Ref() TextRef {
	return TextRef{Slug: c.ResolutionSlug, Procedure: c.ResolutionProcedure, Title: c.ResolutionTitle, Stage: c.ResolutionStage,
		Reference: c.ResolutionReference, TextDate: c.ResolutionTextDate, VoteDate: c.ResolutionDate, OfficialURL: c.ResolutionOfficialURL}
}

// Citation is the clause's full citation: its text, stage, procedure, date and clause.
func (c ClauseRef) Citation() string { return Cite(c.Ref(), c.Kind, c.Label) }

// Cite writes the full citation of a clause of a text, saying what the text is:
//
//	Motion for a resolution on the human rights situation in Kazakhstan, 2019/2610(RSP), recital K; the Parliament adopted a resolution on 14 March 2019
//	European Parliament resolution of 14 March 2019 on the human rights situation in Kazakhstan (2019/2610(RSP)), recital K
//
// A motion's date and reference are given when known, never taken from the vote. An empty
// kind cites the whole text.
func Cite(t TextRef, kind ClauseKind, label string) string {
	var b strings.Builder
	b.WriteString(t.Heading())
	if kind != "" {
		b.WriteString(", " + ClauseName(kind, label))
	}
	if t.Stage != Adopted && !t.VoteDate.IsZero() {
		b.WriteString("; the Parliament adopted a resolution on " + t.VoteDate.Format("2 January 2006"))
	}
	return b.String()
}

// Heading names the text itself, with its procedure, as Cite begins.
func (t TextRef) Heading() string {
	about := "on " + Topic(t.Title)
	switch t.Stage {
	case Adopted:
		on := t.TextDate
		if on.IsZero() {
			on = t.VoteDate
		}
		h := "European Parliament resolution"
		if !on.IsZero() {
			h += " of " + on.Format("2 January 2006")
		}
		h += " " + about + " (" + t.Procedure
		if t.Reference != "" {
			h += ", " + t.Reference
		}
		return h + ")"
	default:
		h := t.Stage.Label() + " " + about
		var detail []string
		if t.Reference != "" {
			detail = append(detail, t.Reference)
		}
		if !t.TextDate.IsZero() {
			detail = append(detail, "tabled on "+t.TextDate.Format("2 January 2006"))
		}
		if len(detail) > 0 {
			h += " (" + strings.Join(detail, ", ") + ")"
		}
		return h + ", " + t.Procedure
	}
}

// Describe says in one sentence which text a page shows, for the line under its heading:
// "Motion for a resolution, date tabled unknown. The Parliament adopted a resolution in this
// procedure on 14 March 2019."
func (t TextRef) Describe() string {
	s := t.Stage.Label()
	if t.Reference != "" {
		s += " " + t.Reference
	}
	on := t.TextDate
	if on.IsZero() && t.Stage == Adopted {
		on = t.VoteDate // an adopted text's date is the vote's
	}
	if on.IsZero() {
		s += ", date tabled unknown."
	} else {
		s += ", " + t.Stage.DateNoun() + " on " + on.Format("2 January 2006") + "."
	}
	if t.Stage != Adopted && !t.VoteDate.IsZero() {
		s += " The Parliament adopted a resolution in this procedure on " + t.VoteDate.Format("2 January 2006") + "; the words below are this " + t.Stage.Noun() + "'s, not the adopted text's."
	}
	return s
}

// ClauseName is a clause as a citation names it, in lower case: "recital K", "paragraph 3(a)".
func ClauseName(kind ClauseKind, label string) string {
	switch kind {
	case Citation:
		return "citation " + label
	case Recital:
		return "recital " + label
	case Paragraph, Point:
		return "paragraph " + label
	}
	return label
}

// commonFirst are the words a title may start with that are not names, so a citation can
// write them in lower case after "on the".
var commonFirst = map[string]bool{"human": true, "situation": true, "case": true, "cases": true, "freedom": true, "the": true,
	"detention": true, "arrest": true, "persecution": true, "violations": true, "crackdown": true, "death": true, "imprisonment": true,
	"harassment": true, "recent": true, "continued": true, "ongoing": true, "deteriorating": true, "humanitarian": true, "political": true,
	"media": true, "press": true, "rights": true, "treatment": true, "sentencing": true, "killing": true, "killings": true}

// Topic is a title as it follows "on" in an English citation: "the human rights situation
// in Kazakhstan" for "Human rights situation in Kazakhstan"; a title starting with a name
// ("Kazakhstan, notably …") is kept as it is.
func Topic(title string) string {
	first, _, _ := strings.Cut(title, " ")
	if !commonFirst[strings.ToLower(first)] {
		return title
	}
	r, size := utf8.DecodeRuneInString(title)
	lower := string(unicode.ToLower(r)) + title[size:]
	if strings.EqualFold(first, "the") {
		return lower
	}
	return "the " + lower
}

// NamedPerson is a person a resolution text names, with where they stand now: the status
// of their latest status entry (across their cases) and its date, and the clauses naming them.
type NamedPerson struct {
	Slug    string
	Name    string
	Status  Status // "" when no status is recorded
	Since   When   // zero when unknown
	DatedBy string // what the date rests on when the source gives no date of the event
	Clauses []string
	Labels  []string // the clauses' labels, "Recital A", in the order of Clauses
}

// Ref is the listed resolution as a citation names it.
func (r ResolutionSummary) Ref() TextRef {
	return TextRef{Slug: r.Slug, Procedure: r.Procedure, Title: r.Title, Stage: r.Stage, Reference: r.Reference,
		TextDate: r.TextDate, VoteDate: r.AdoptedOn, OfficialURL: r.OfficialURL}
}

// TextEdit is what staff say about which text a resolution is, as the form sends it.
type TextEdit struct {
	Slug        string
	Version     int // the version the form was read at
	Stage       string
	Reference   string
	TextDate    string // YYYY-MM-DD, or "" for unknown
	OfficialURL string
}

// Validate checks the edit, each problem beside its field, and returns the text date.
func (e *TextEdit) Validate() (time.Time, FieldErrors) {
	errs := FieldErrors{}
	e.Reference, e.TextDate, e.OfficialURL = strings.TrimSpace(e.Reference), strings.TrimSpace(e.TextDate), strings.TrimSpace(e.OfficialURL)
	st := Stage(e.Stage)
	if !st.Valid() {
		errs["stage"] = "Choose which text this is: a motion, a joint motion or the text adopted."
	}
	if !ValidReference(e.Reference) {
		errs["reference"] = "Write the document number as the Parliament does: B8-0180/2019, RC-B8-0180/2019 or P8_TA(2019)0203; leave it empty when unknown."
	} else if rs := ReferenceStage(e.Reference); rs != "" && st.Valid() && rs != st {
		errs["reference"] = "A " + strings.ToLower(rs.Label()) + " has this kind of number, not a " + strings.ToLower(st.Label()) + "."
	}
	var on time.Time
	if e.TextDate != "" {
		var err error
		if on, err = time.Parse(time.DateOnly, e.TextDate); err != nil {
			errs["text_date"] = "Write the date as YYYY-MM-DD, for example 2019-03-11, or leave it empty when unknown."
		}
	}
	if msg := ValidOfficialURL(e.OfficialURL); msg != "" {
		errs["official_url"] = msg
	}
	return on, errs
}

// ClausePair is one row of a clause-by-clause comparison of two texts of a procedure: the
// clause of each at the same place (eId), either missing where the other text lacks it.
type ClausePair struct {
	EID         string
	Label       string // "Recital K"
	Left, Right *Clause
	Same        bool // both present, word for word alike
}

// CompareClauses pairs the clauses of two texts by eId, in the order of the left text,
// then the right text's clauses the left lacks.
func CompareClauses(left, right []Clause) []ClausePair {
	byEID := map[string]int{}
	for i, c := range right {
		byEID[c.EID] = i
	}
	seen := map[string]bool{}
	var out []ClausePair
	for i := range left {
		l := &left[i]
		p := ClausePair{EID: l.EID, Label: KindLabel(l.Kind, l.Label), Left: l}
		if j, ok := byEID[l.EID]; ok {
			p.Right = &right[j]
			p.Same = strings.Join(strings.Fields(l.Text), " ") == strings.Join(strings.Fields(right[j].Text), " ")
			seen[l.EID] = true
		}
		out = append(out, p)
	}
	for i := range right {
		if r := &right[i]; !seen[r.EID] {
			out = append(out, ClausePair{EID: r.EID, Label: KindLabel(r.Kind, r.Label), Right: r})
		}
	}
	return out
}

// CarryCandidate is a demand made on an earlier text of a procedure that staff may carry
// over to another text of it: the same clause (by eId) there still holds its words.
type CarryCandidate struct {
	Demand Demand // as made on the earlier text
	Clause Clause // the clause of the text it would be carried to
	Start  int    // where the words are in that clause, in code points
	End    int
}

// CarryCandidates lists the demands of the other texts that the text with clauses could
// take over: its clause of the same eId holds the demand's words; carried says which
// demands (by slug) it has taken over already, which are left out.
func CarryCandidates(clauses []Clause, others []Demand, carried map[string]bool) []CarryCandidate {
	byEID := map[string]Clause{}
	for _, c := range clauses {
		byEID[c.EID] = c
	}
	var out []CarryCandidate
	for _, d := range others {
		c, ok := byEID[d.Clause.EID]
		if !ok || carried[d.Slug] {
			continue
		}
		i := strings.Index(c.Text, d.Wording)
		if i < 0 {
			continue
		}
		start := utf8.RuneCountInString(c.Text[:i])
		out = append(out, CarryCandidate{Demand: d, Clause: c, Start: start, End: start + utf8.RuneCountInString(d.Wording)})
	}
	return out
}
