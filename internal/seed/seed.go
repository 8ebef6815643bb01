// Package seed reads a dataset, a resolution's raw text plus the reviewable file of the
// people, organisations, legal provisions and cases it names, and checks it hangs together
// before anything is written. The clauses always come from the parser, never from the file.
package seed

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"path"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
)

// Dataset is one resolution and the entities and cases it names, ready to be stored.
type Dataset struct {
	Resolution      tracker.Resolution
	People          []tracker.Person
	Organisations   []tracker.Organisation
	LegalProvisions []tracker.LegalProvision
	Cases           []Case
	Demands         []Demand
}

// Demand is a demand as the dataset gives it: the clause by eId, its exact words (found in
// the clause's parsed text, so a typo in the file is caught), its targets by slug, and the
// state the resolution itself reports, "unknown" where it says nothing.
type Demand struct {
	Slug        string               `json:"-"`
	Position    int                  `json:"-"`
	Clause      string               `json:"clause"`
	Action      tracker.DemandAction `json:"action"`
	Wording     string               `json:"wording"`
	Start, End  int                  `json:"-"`
	Targets     DemandTargets        `json:"targets"`
	State       tracker.DemandState  `json:"state"`
	StateNote   string               `json:"state_note"`
	StateSource string               `json:"state_source"`
	// StateEvidence is the words of the state's source clause that report it; a state the
	// resolution reports is dated by it (StateDatedBy), one it does not ("unknown") starts
	// on the day the demand was made.
	StateEvidence string `json:"state_evidence"`
	StateDatedBy  string `json:"-"`
}

// DemandTargets are a demand's targets by slug.
type DemandTargets struct {
	People          []string `json:"people"`
	Organisations   []string `json:"organisations"`
	LegalProvisions []string `json:"legal_provisions"`
	Cases           []string `json:"cases"`
}

// Case is a case as the dataset gives it: its subjects and provisions by slug, and its
// first status entries with their source clause by eId.
type Case struct {
	Slug            string        `json:"slug"`
	Title           string        `json:"title"`
	Summary         string        `json:"summary"`
	People          []string      `json:"people"`
	Organisations   []string      `json:"organisations"`
	LegalProvisions []string      `json:"legal_provisions"`
	Statuses        []StatusEntry `json:"statuses"`
	Facts           *Facts        `json:"facts"`
	// Checked is Facts as they are stored, once Load has checked them.
	Checked tracker.Facts `json:"-"`
}

// Facts are a case's facts as the dataset gives them, only what the resolution says: the
// sentence in its own words, charges by the provision's slug.
type Facts struct {
	DetainedOn string `json:"detained_on"`
	Charges    []struct {
		LegalProvision string `json:"legal_provision"`
		Detail         string `json:"detail"`
	} `json:"charges"`
	Court          string `json:"court"`
	CaseNumber     string `json:"case_number"`
	VerdictOn      string `json:"verdict_on"`
	Sentence       string `json:"sentence"`
	SentenceMonths *int   `json:"sentence_months"`
	ReleaseDueOn   string `json:"release_due_on"`
	NextHearingOn  string `json:"next_hearing_on"`
	Facility       string `json:"facility"`
	FacilityPublic bool   `json:"facility_public"`
}

// edit is the facts as an edit of a case gives them.
func (f Facts) edit() tracker.FactsEdit {
	e := tracker.FactsEdit{DetainedOn: f.DetainedOn, Court: f.Court, CaseNumber: f.CaseNumber, VerdictOn: f.VerdictOn, Sentence: f.Sentence,
		ReleaseDueOn: f.ReleaseDueOn, NextHearingOn: f.NextHearingOn, Facility: f.Facility, FacilityPublic: f.FacilityPublic}
	if f.SentenceMonths != nil {
		e.SentenceMonths = fmt.Sprint(*f.SentenceMonths)
	}
	for _, c := range f.Charges {
		e.Charges = append(e.Charges, tracker.ChargeEdit{Slug: c.LegalProvision, Detail: c.Detail})
	}
	return e
}

// StatusEntry is a status as the dataset gives it, dated as its source dates it: the
// effective date is written "2018", "2018-05" or "2018-05-14", no more precise than the
// text. Where the text gives no date of the event, effective_on is left out: the entry is
// then dated by the resolution that reports it (its adoption day, DatedBy "reported by
// the resolution of 14 March 2019"), never "since" that day. Evidence is the source
// clause's own words that the date (or the fact, for an entry dated by the resolution)
// rests on; Load checks the clause holds them.
type StatusEntry struct {
	Status       tracker.Status `json:"status"`
	EffectiveOn  string         `json:"effective_on"`
	Evidence     string         `json:"evidence"`
	Note         string         `json:"note"`
	SourceURL    string         `json:"source_url"`
	SourceClause string         `json:"source_clause"`
	When         tracker.When   `json:"-"`
	DatedBy      string         `json:"-"`
}

// ReportedBy is what an entry the resolution adopted on adopted reports, with no date of
// its own, is dated by.
func ReportedBy(adopted time.Time) string {
	return "reported by the resolution of " + adopted.Format("2 January 2006")
}

// squeeze folds runs of white space into one space, so evidence quoted from a clause is
// found across the line breaks of the text.
func squeeze(s string) string { return strings.Join(strings.Fields(s), " ") }

type file struct {
	Resolution struct {
		Procedure string `json:"procedure"`
		Slug      string `json:"slug"`
		Title     string `json:"title"`
		AdoptedOn string `json:"adopted_on"` // the day the Parliament voted in the procedure
		TextFile  string `json:"text_file"`
		// Stage is which text of the procedure text_file holds (motion, joint_motion,
		// adopted); read from the text's heading when left out.
		Stage       tracker.Stage `json:"stage"`
		Reference   string        `json:"reference"`    // its document number, "" when unknown
		TextDate    string        `json:"text_date"`    // the day it was tabled or adopted, "" when unknown
		OfficialURL string        `json:"official_url"` // on europarl.europa.eu, "" when unknown
	} `json:"resolution"`
	People []struct {
		Slug, Name, Role, Place, Notes string
		Aliases                        []string
		Names                          seedNames `json:"names"`
		// Affiliations name organisations of the dataset by slug, with the person's role.
		Affiliations []struct{ Organisation, Role string }
	} `json:"people"`
	Organisations []struct {
		Slug, Name, Kind, Notes string
		Aliases                 []string
		Names                   seedNames `json:"names"`
	} `json:"organisations"`
	LegalProvisions []struct {
		Slug, Name, Notes string
		Aliases           []string
		Names             seedNames `json:"names"`
	} `json:"legal_provisions"`
	Cases   []Case   `json:"cases"`
	Demands []Demand `json:"demands"`
}

// seedNames are a record's names in Cyrillic as the dataset gives them: "names": {"ru":
// "Нурбек Кушакбаев", "kk": "Нұрбек Құшақбаев"}, either left out where not known.
type seedNames struct {
	RU string `json:"ru"`
	KK string `json:"kk"`
}

func (n seedNames) names() tracker.ScriptNames { return tracker.ScriptNames{RU: n.RU, KK: n.KK} }

// Load reads the dataset file name from fsys, parses the resolution text it points to, and
// checks every reference. Its errors name what is wrong and where.
func Load(fsys fs.FS, name string) (*Dataset, error) {
	raw, err := fs.ReadFile(fsys, name)
	if err != nil {
		return nil, fmt.Errorf("read dataset: %w", err)
	}
	var f file
	if err := json.Unmarshal(raw, &f); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	r := f.Resolution
	adopted, err := time.Parse(time.DateOnly, r.AdoptedOn)
	if err != nil {
		return nil, fmt.Errorf("%s: resolution adopted_on %q: want YYYY-MM-DD", name, r.AdoptedOn)
	}
	textName := path.Join(path.Dir(name), r.TextFile)
	text, err := fs.ReadFile(fsys, textName)
	if err != nil {
		return nil, fmt.Errorf("read resolution text: %w", err)
	}
	doc, err := parser.Parse(string(text))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", textName, err)
	}
	// The seed is published with no one reviewing it, so nobody would see a warning: a
	// text the parser is unsure of is refused, to be mended in the file (issue 14 §2).
	if n := len(doc.Warnings); n > 0 {
		more := ""
		if n > 1 {
			more = fmt.Sprintf(" (and %d more)", n-1)
		}
		return nil, fmt.Errorf("%s: %s%s: the seed is published unreviewed, so its text must parse without warnings", textName, doc.Warnings[0], more)
	}
	if doc.Procedure != "" && doc.Procedure != r.Procedure {
		return nil, fmt.Errorf("%s: procedure %s does not match the text's %s", name, r.Procedure, doc.Procedure)
	}
	if r.Slug == "" {
		r.Slug = tracker.SlugForProcedure(r.Procedure)
	}
	ds := &Dataset{Resolution: tracker.Resolution{
		Slug: r.Slug, Procedure: r.Procedure, Title: r.Title, AdoptedOn: adopted,
		Stage: r.Stage, Reference: r.Reference, OfficialURL: r.OfficialURL,
		SourceText: string(text), Clauses: doc.Clauses,
	}}
	if err := textStage(&ds.Resolution, doc, r.TextDate); err != nil {
		return nil, fmt.Errorf("%s: resolution %w", name, err)
	}
	slugs := map[string]bool{}
	unique := func(kind, slug string) error {
		if slug == "" {
			return fmt.Errorf("%s: a %s has no slug", name, kind)
		}
		if slugs[kind+slug] {
			return fmt.Errorf("%s: %s %q appears twice", name, kind, slug)
		}
		slugs[kind+slug] = true
		return nil
	}
	for _, p := range f.People {
		if err := unique("person", p.Slug); err != nil {
			return nil, err
		}
		ds.People = append(ds.People, tracker.Person{Slug: p.Slug, Name: p.Name, Aliases: nonNil(p.Aliases), Names: p.Names.names(), Role: p.Role, Place: p.Place, Notes: p.Notes})
	}
	for _, o := range f.Organisations {
		if err := unique("organisation", o.Slug); err != nil {
			return nil, err
		}
		ds.Organisations = append(ds.Organisations, tracker.Organisation{Slug: o.Slug, Name: o.Name, Aliases: nonNil(o.Aliases), Names: o.Names.names(), Kind: o.Kind, Notes: o.Notes})
	}
	for i, p := range f.People {
		for _, a := range p.Affiliations {
			if !slugs["organisation"+a.Organisation] || a.Role == "" {
				return nil, fmt.Errorf("%s: person %q: affiliation with unknown organisation %q or no role", name, p.Slug, a.Organisation)
			}
			ds.People[i].Affiliations = append(ds.People[i].Affiliations, tracker.Affiliation{Slug: a.Organisation, Role: a.Role})
		}
	}
	for _, l := range f.LegalProvisions {
		if err := unique("legal provision", l.Slug); err != nil {
			return nil, err
		}
		ds.LegalProvisions = append(ds.LegalProvisions, tracker.LegalProvision{Slug: l.Slug, Name: l.Name, Aliases: nonNil(l.Aliases), Names: l.Names.names(), Notes: l.Notes})
	}
	texts := map[string]string{}
	for _, c := range doc.Clauses {
		texts[c.EID] = c.Text
	}
	for i, c := range f.Cases {
		if err := unique("case", c.Slug); err != nil {
			return nil, err
		}
		if len(c.People)+len(c.Organisations) == 0 {
			return nil, fmt.Errorf("%s: case %q concerns no person or organisation", name, c.Slug)
		}
		for _, ref := range []struct {
			kind  string
			slugs []string
		}{{"person", c.People}, {"organisation", c.Organisations}, {"legal provision", c.LegalProvisions}} {
			for _, s := range ref.slugs {
				if !slugs[ref.kind+s] {
					return nil, fmt.Errorf("%s: case %q names unknown %s %q", name, c.Slug, ref.kind, s)
				}
			}
		}
		for j, st := range c.Statuses {
			if _, ok := st.Status.Info(); !ok {
				return nil, fmt.Errorf("%s: case %q: unknown status %q", name, c.Slug, st.Status)
			}
			text, ok := texts[st.SourceClause]
			if st.SourceClause != "" && !ok {
				return nil, fmt.Errorf("%s: case %q: source clause %q is not in the resolution", name, c.Slug, st.SourceClause)
			}
			if st.Evidence != "" && !strings.Contains(squeeze(text), squeeze(st.Evidence)) {
				return nil, fmt.Errorf("%s: case %q: source clause %q does not say %q", name, c.Slug, st.SourceClause, st.Evidence)
			}
			e := &f.Cases[i].Statuses[j]
			if st.EffectiveOn == "" {
				e.When, e.DatedBy = tracker.Day(adopted), ReportedBy(adopted)
			} else if e.When, err = tracker.ParseWhen(st.EffectiveOn); err != nil {
				return nil, fmt.Errorf("%s: case %q: effective_on %q: want YYYY, YYYY-MM or YYYY-MM-DD", name, c.Slug, st.EffectiveOn)
			}
		}
		if c.Facts != nil {
			e := c.Facts.edit()
			errs := tracker.FieldErrors{}
			checked := e.Validate(time.Now(), errs)
			for _, ch := range e.Charges {
				if !slugs["legal provision"+ch.Slug] {
					errs["charges"] = fmt.Sprintf("unknown legal provision %q", ch.Slug)
				}
			}
			for field, msg := range errs {
				return nil, fmt.Errorf("%s: case %q: facts: %s: %s", name, c.Slug, field, msg)
			}
			f.Cases[i].Checked = e.Checked(checked)
		}
		ds.Cases = append(ds.Cases, f.Cases[i])
	}
	positions := map[string]int{}
	for i, d := range f.Demands {
		text, ok := texts[d.Clause]
		if !ok {
			return nil, fmt.Errorf("%s: demand %d: clause %q is not in the resolution", name, i+1, d.Clause)
		}
		if !d.Action.Valid() {
			return nil, fmt.Errorf("%s: demand %d: unknown action %q", name, i+1, d.Action)
		}
		if d.State == "" {
			d.State = tracker.Unknown
		}
		if !d.State.Valid() {
			return nil, fmt.Errorf("%s: demand %d: unknown state %q", name, i+1, d.State)
		}
		if d.StateSource != "" && texts[d.StateSource] == "" {
			return nil, fmt.Errorf("%s: demand %d: state source %q is not in the resolution", name, i+1, d.StateSource)
		}
		if d.StateEvidence != "" && !strings.Contains(squeeze(texts[d.StateSource]), squeeze(d.StateEvidence)) {
			return nil, fmt.Errorf("%s: demand %d: state source %q does not say %q", name, i+1, d.StateSource, d.StateEvidence)
		}
		if d.StateSource != "" {
			d.StateDatedBy = ReportedBy(adopted)
		}
		start, end, found := tracker.ClauseSpan(text, d.Wording)
		if !found {
			return nil, fmt.Errorf("%s: demand %d: %s does not contain the words %q", name, i+1, d.Clause, d.Wording)
		}
		for _, ref := range []struct {
			kind  string
			slugs []string
		}{{"person", d.Targets.People}, {"organisation", d.Targets.Organisations}, {"legal provision", d.Targets.LegalProvisions}, {"case", d.Targets.Cases}} {
			for _, s := range ref.slugs {
				if !slugs[ref.kind+s] {
					return nil, fmt.Errorf("%s: demand %d targets unknown %s %q", name, i+1, ref.kind, s)
				}
			}
		}
		positions[d.Clause]++
		d.Position = positions[d.Clause]
		d.Slug = fmt.Sprintf("%s-%s-%d", ds.Resolution.Slug, strings.ReplaceAll(strings.ToLower(d.Clause), "_", "-"), d.Position)
		d.Start, d.End = start, end
		ds.Demands = append(ds.Demands, d)
	}
	return ds, nil
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// LinkerEntities lists the dataset's people, organisations and legal provisions as the
// linker takes them, so a resolution can be linked against the dataset without a database.
func (ds *Dataset) LinkerEntities() []linker.Entity {
	var ents []linker.Entity
	for _, p := range ds.People {
		ents = append(ents, linker.Entity{Type: tracker.PersonEntity, Slug: p.Slug, Name: p.Name, Names: p.Aliases})
	}
	for _, o := range ds.Organisations {
		ents = append(ents, linker.Entity{Type: tracker.OrganisationEntity, Slug: o.Slug, Name: o.Name, Names: o.Aliases})
	}
	for _, l := range ds.LegalProvisions {
		ents = append(ents, linker.Entity{Type: tracker.LegalProvisionEntity, Slug: l.Slug, Name: l.Name, Names: l.Aliases})
	}
	return ents
}

// textStage settles which text a dataset's resolution is: the stage and reference the file
// gives, else those the text's heading gives, else an adopted text; its own date as the
// file gives it, else the text's, else (for an adopted text only) the day of the vote.
func textStage(r *tracker.Resolution, doc parser.Document, textDate string) error {
	if r.Stage == "" {
		r.Stage = doc.Stage
	}
	if r.Stage == "" {
		r.Stage = tracker.Adopted
	}
	if r.Reference == "" {
		r.Reference = doc.Reference
	}
	switch {
	case !r.Stage.Valid():
		return fmt.Errorf("stage %q: want motion, joint_motion or adopted", r.Stage)
	case !tracker.ValidReference(r.Reference):
		return fmt.Errorf("reference %q: want B8-0180/2019, RC-B8-0180/2019 or P8_TA(2019)0203", r.Reference)
	case tracker.ValidOfficialURL(r.OfficialURL) != "":
		return fmt.Errorf("official_url %q: %s", r.OfficialURL, tracker.ValidOfficialURL(r.OfficialURL))
	}
	if textDate != "" {
		on, err := time.Parse(time.DateOnly, textDate)
		if err != nil {
			return fmt.Errorf("text_date %q: want YYYY-MM-DD", textDate)
		}
		r.TextDate = on
		return nil
	}
	switch r.Stage {
	case tracker.Adopted:
		r.TextDate = doc.Adopted
		if r.TextDate.IsZero() {
			r.TextDate = r.AdoptedOn
		}
	default:
		r.TextDate = doc.Tabled
	}
	return nil
}
