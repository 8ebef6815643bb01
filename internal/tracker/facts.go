package tracker

import (
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// Charge is one legal provision a case is brought under, with its optional detail
// ("part 2", "paragraph 1").
type Charge struct {
	Provision EntityRef
	Detail    string
}

// Facts are what a case is about. Each is optional: a zero date, an empty text and a nil
// SentenceMonths mean nobody has recorded it, and pages say so rather than guess.
//
// A detention or a verdict is an event sources often date only by its year or month ("detained
// in May 2019"), so DetainedOn and VerdictOn are a When, no more precise than was given. A
// release due and a next hearing are days set in advance (by a sentence's arithmetic or a
// court's summons), and the dashboard counts the days to them: they stay days.
type Facts struct {
	DetainedOn     When
	Charges        []Charge
	Court          string
	CaseNumber     string
	VerdictOn      When
	Sentence       string // as the judgment words it: "5 years' restricted freedom"
	SentenceMonths *int   // the same in months, where it is a term
	ReleaseDueOn   time.Time
	NextHearingOn  time.Time
	// Facility is the prison or place of detention: staff only unless FacilityPublic.
	Facility       string
	FacilityPublic bool
}

// Public is the facts as the public may see them: the facility only where staff made it public.
func (f Facts) Public() Facts {
	if !f.FacilityPublic {
		f.Facility = ""
	}
	return f
}

// Empty reports whether nothing is recorded (the facility counted only as f holds it).
func (f Facts) Empty() bool {
	return f.DetainedOn.IsZero() && len(f.Charges) == 0 && f.Court == "" && f.CaseNumber == "" && f.VerdictOn.IsZero() &&
		f.Sentence == "" && f.SentenceMonths == nil && f.ReleaseDueOn.IsZero() && f.NextHearingOn.IsZero() && f.Facility == ""
}

// ChargeEdit is a charge as staff submit it: the provision's slug and the detail.
type ChargeEdit struct {
	Slug   string
	Detail string
}

// FactsEdit is the facts of a case as staff submit them, each as typed: the detention and
// verdict as YYYY, YYYY-MM or YYYY-MM-DD, the other dates YYYY-MM-DD, or empty; months as
// digits or empty.
type FactsEdit struct {
	DetainedOn     string
	Charges        []ChargeEdit
	Court          string
	CaseNumber     string
	VerdictOn      string
	Sentence       string
	SentenceMonths string
	ReleaseDueOn   string
	NextHearingOn  string
	Facility       string
	FacilityPublic bool
}

// FactFields are the facts' fields, by the names the form and the API give them, in the
// order the form shows them; they are part of CaseFields, so a merge covers them.
var FactFields = []Field{{"detained_on", "Detained on"}, {"charges", "Charges"}, {"court", "Court"}, {"case_number", "Case number"},
	{"verdict_on", "Verdict on"}, {"sentence", "Sentence"}, {"sentence_months", "Sentence in months"}, {"release_due_on", "Release due on"},
	{"next_hearing_on", "Next hearing on"}, {"facility", "Facility (place of detention)"}, {"facility_public", "Facility shown to the public"}}

// factDate writes a recorded date as a form holds it: YYYY-MM-DD, or empty when unknown.
func factDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// factWhen writes a recorded date of known precision as a form holds it ("2019", "2019-05",
// "2019-05-14"), or empty when unknown.
func factWhen(w When) string {
	if w.IsZero() {
		return ""
	}
	return w.String()
}

// FactsEditOf is the facts as the edit form opens with them.
func FactsEditOf(f Facts) FactsEdit {
	e := FactsEdit{DetainedOn: factWhen(f.DetainedOn), Court: f.Court, CaseNumber: f.CaseNumber, VerdictOn: factWhen(f.VerdictOn),
		Sentence: f.Sentence, ReleaseDueOn: factDate(f.ReleaseDueOn), NextHearingOn: factDate(f.NextHearingOn),
		Facility: f.Facility, FacilityPublic: f.FacilityPublic}
	if f.SentenceMonths != nil {
		e.SentenceMonths = strconv.Itoa(*f.SentenceMonths)
	}
	for _, c := range f.Charges {
		e.Charges = append(e.Charges, ChargeEdit{Slug: c.Provision.Slug, Detail: c.Detail})
	}
	return e
}

// ChargeLines writes charges one per line, as the form's text area holds them: the
// provision's slug, then its detail after a space.
func ChargeLines(cs []ChargeEdit) string {
	out := make([]string, len(cs))
	for i, c := range cs {
		slug := strings.TrimSpace(c.Slug)
		if slug == "" || strings.ContainsAny(slug, " \t\r\n") {
			slug = "?" // not a slug: the line is refused as such, not read as another provision
		}
		out[i] = strings.Join(strings.Fields(slug+" "+c.Detail), " ") // a line break in a detail must not start a charge
	}
	return strings.Join(out, "\n")
}

// ParseChargeLines reads the charges text area: one charge per line, the provision's slug
// (which has no spaces) and then, optionally, its detail.
func ParseChargeLines(s string) []ChargeEdit {
	var out []ChargeEdit
	for _, l := range SplitLines(s) {
		slug, detail, _ := strings.Cut(l, " ")
		out = append(out, ChargeEdit{Slug: slug, Detail: strings.TrimSpace(detail)})
	}
	return out
}

// yesNo writes a flag as the merge compares it: "yes", or empty for no.
func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return ""
}

// values adds the facts' fields to v.
func (e FactsEdit) values(v Values) {
	v["detained_on"], v["charges"], v["court"], v["case_number"] = e.DetainedOn, ChargeLines(e.Charges), e.Court, e.CaseNumber
	v["verdict_on"], v["sentence"], v["sentence_months"] = e.VerdictOn, e.Sentence, e.SentenceMonths
	v["release_due_on"], v["next_hearing_on"], v["facility"], v["facility_public"] = e.ReleaseDueOn, e.NextHearingOn, e.Facility, yesNo(e.FacilityPublic)
}

// factsFrom reads the facts' fields from v.
func factsFrom(v Values) FactsEdit {
	return FactsEdit{DetainedOn: v["detained_on"], Charges: ParseChargeLines(v["charges"]), Court: v["court"], CaseNumber: v["case_number"],
		VerdictOn: v["verdict_on"], Sentence: v["sentence"], SentenceMonths: v["sentence_months"], ReleaseDueOn: v["release_due_on"],
		NextHearingOn: v["next_hearing_on"], Facility: v["facility"], FacilityPublic: strings.TrimSpace(v["facility_public"]) == "yes"}
}

// Limits on the facts.
const (
	MaxCharges        = 50
	MaxSentenceMonths = 1200 // a hundred years: anything longer is a typing mistake
)

// ParsedFacts are the facts of an edit once checked: dates parsed (zero when not given)
// and months as a number (nil when not given).
type ParsedFacts struct {
	DetainedOn, VerdictOn       When
	ReleaseDueOn, NextHearingOn time.Time
	SentenceMonths              *int
}

// Validate checks the facts, adding a message per field to errs; today is the date they
// are checked on, for the dates that cannot be in the future. Whether each charge's legal
// provision exists is the storage's to check.
func (e FactsEdit) Validate(today time.Time, errs FieldErrors) ParsedFacts {
	var p ParsedFacts
	day := func(name, typed string) time.Time {
		typed = strings.TrimSpace(typed)
		if typed == "" {
			return time.Time{}
		}
		on, err := time.Parse(time.DateOnly, typed)
		switch {
		case err != nil:
			errs[name] = "Write the date as YYYY-MM-DD, for example 2024-05-31, or leave it empty."
		case on.Year() < 1900 || on.Year() > 2200:
			errs[name] = "The date is out of range."
		default:
			return on
		}
		return time.Time{}
	}
	happened := func(name, typed string) When {
		if strings.TrimSpace(typed) == "" {
			return When{}
		}
		w, msg := CheckPast(typed, today)
		if msg != "" {
			errs[name] = msg
		}
		return w
	}
	p.DetainedOn = happened("detained_on", e.DetainedOn)
	p.VerdictOn = happened("verdict_on", e.VerdictOn)
	p.ReleaseDueOn = day("release_due_on", e.ReleaseDueOn)
	p.NextHearingOn = day("next_hearing_on", e.NextHearingOn)
	// Only what is known to come first is refused: a verdict "in 2019" may follow a
	// detention in May 2019, a verdict in April 2019 cannot.
	if !p.DetainedOn.IsZero() && !p.VerdictOn.IsZero() && p.DetainedOn.After(p.VerdictOn) {
		errs["verdict_on"] = "The verdict cannot come before the detention (" + p.DetainedOn.Text() + ")."
	}
	if !p.DetainedOn.IsZero() && !p.ReleaseDueOn.IsZero() && p.ReleaseDueOn.Before(p.DetainedOn.Start) {
		errs["release_due_on"] = "The release cannot be due before the detention (" + p.DetainedOn.Text() + ")."
	}
	if m := strings.TrimSpace(e.SentenceMonths); m != "" {
		n, err := strconv.Atoi(m)
		switch {
		case err != nil:
			errs["sentence_months"] = "Give the sentence in whole months, for example 84 for seven years, or leave it empty."
		case n < 0:
			errs["sentence_months"] = "The months cannot be negative."
		case n > MaxSentenceMonths:
			errs["sentence_months"] = "Give at most 1,200 months."
		default:
			p.SentenceMonths = &n
		}
	}
	for _, t := range []struct {
		name, value string
		max         int
		msg         string
	}{{"court", e.Court, MaxNameLength, "Keep the court under 200 characters."},
		{"case_number", e.CaseNumber, MaxNameLength, "Keep the case number under 200 characters."},
		{"sentence", e.Sentence, 1000, "Keep the sentence under 1000 characters."},
		{"facility", e.Facility, MaxNameLength, "Keep the facility under 200 characters."}} {
		if utf8.RuneCountInString(t.value) > t.max {
			errs[t.name] = t.msg // one whole sentence each, for the translations (web.Say)
		}
	}
	if len(e.Charges) > MaxCharges {
		errs["charges"] = "Give at most 50 charges."
	}
	for _, c := range e.Charges {
		switch {
		case !ValidSlug(c.Slug):
			errs["charges"] = "Start each charge with the slug of a legal provision, as in its address (for example criminal-code-art-174), then any detail such as part 2."
		case utf8.RuneCountInString(c.Detail) > MaxNameLength:
			errs["charges"] = "Keep each charge's detail under 200 characters."
		}
	}
	return p
}

// Checked is the facts as they are saved, once Validate has passed them: texts trimmed,
// dates and months as parsed, charges naming their provisions by slug.
func (e FactsEdit) Checked(p ParsedFacts) Facts {
	f := Facts{DetainedOn: p.DetainedOn, Court: strings.TrimSpace(e.Court), CaseNumber: strings.TrimSpace(e.CaseNumber), VerdictOn: p.VerdictOn,
		Sentence: strings.TrimSpace(e.Sentence), SentenceMonths: p.SentenceMonths, ReleaseDueOn: p.ReleaseDueOn, NextHearingOn: p.NextHearingOn,
		Facility: strings.TrimSpace(e.Facility), FacilityPublic: e.FacilityPublic}
	for _, c := range e.Charges {
		f.Charges = append(f.Charges, Charge{Provision: EntityRef{Type: LegalProvisionEntity, Slug: c.Slug}, Detail: strings.TrimSpace(c.Detail)})
	}
	return f
}

// Text is the charge in words: "Criminal Code Article 174, part 2".
func (c Charge) Text() string {
	if c.Detail == "" {
		return c.Provision.Name
	}
	return c.Provision.Name + ", " + c.Detail
}

// SentenceText is the sentence as the judgment words it, with its length in months where
// recorded: "5 years in prison (60 months)".
func (f Facts) SentenceText() string {
	months := ""
	switch {
	case f.SentenceMonths == nil:
	case *f.SentenceMonths == 1:
		months = "1 month"
	default:
		months = strconv.Itoa(*f.SentenceMonths) + " months"
	}
	switch {
	case f.Sentence == "":
		return months
	case months == "":
		return f.Sentence
	}
	return f.Sentence + " (" + months + ")"
}

// FactLine is one recorded fact in words, for the formats that print facts as a list.
type FactLine struct {
	Label, Text string
}

// Lines are the recorded facts in words, in the order pages show them, dates written to
// their precision ("2016", "May 2016", "17 May 2016"); facts not recorded are left out. The facility is in them as f holds it:
// make them from Public() for the public.
func (f Facts) Lines() []FactLine {
	var out []FactLine
	add := func(label, text string) {
		if text != "" {
			out = append(out, FactLine{label, text})
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("2 January 2006")
	}
	when := func(w When) string {
		if w.IsZero() {
			return ""
		}
		return w.Text()
	}
	add("Detained on", when(f.DetainedOn))
	charges := make([]string, len(f.Charges))
	for i, c := range f.Charges {
		charges[i] = c.Text()
	}
	add("Charges", strings.Join(charges, "; "))
	add("Court", f.Court)
	add("Case number", f.CaseNumber)
	add("Verdict on", when(f.VerdictOn))
	add("Sentence", f.SentenceText())
	add("Release due on", date(f.ReleaseDueOn))
	add("Next hearing on", date(f.NextHearingOn))
	add("Facility", f.Facility)
	return out
}
