// Package dossier builds the per-person dossier that staff hand to diplomats, journalists
// and lawyers. One model is built once from a person's record, in the reader's language
// (Words); each format (JSON, Markdown, PDF; HTML is a templ page over the same model) is
// an encoder of it, so every format says the same thing and the content hash compares them
// all, whatever their language.
package dossier

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"sort"
	"time"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/chart"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// Profile says who a dossier is for: the public one never holds internal text.
type Profile string

// The profiles.
const (
	Public   Profile = "public"
	Internal Profile = "internal"
)

// Dossier is everything known about one person, as of one moment.
type Dossier struct {
	Schema  string  `json:"$schema"`
	Profile Profile `json:"profile"`
	// Lang is the language the dossier's own words (headings, labels, dates, statuses) are
	// written in; the record's words (names, notes, quoted clauses) are as entered. Labels
	// name the fields people read ("timeline.label") in Lang, for programs that show the
	// JSON: the keys stay the same in every language. Both are always there, and left out
	// only of what the content hash is taken of, so it is the same in every language.
	Lang          i18n.Lang         `json:"lang,omitempty"`
	Labels        map[string]string `json:"labels,omitempty"`
	GeneratedAt   time.Time         `json:"generated_at"`
	DataChangedAt time.Time         `json:"data_changed_at"`
	ContentHash   string            `json:"content_hash"`
	Person        Person            `json:"person"`
	Current       []Current         `json:"current_status"`
	Timeline      []Entry           `json:"timeline"`
	Cases         []Case            `json:"cases"`
	Demands       []Demand          `json:"demands"`
	Clauses       []Clause          `json:"clauses"`
	Organisations []Ref             `json:"organisations"`
	// Documents are the files about the person (theirs, their cases', their status
	// entries', their demands' states): internal ones in the internal profile only.
	Documents []Document `json:"documents"`
	// Omitted says, in sentences for the reader, what the limits below left out; empty
	// when the dossier is whole.
	Omitted []string `json:"omitted"`
	// Chart is the status timeline as a picture, for the formats that draw one (PDF, HTML).
	Chart chart.Timeline `json:"-"`
	// words write the formats' headings and labels.
	words Words
}

// Words are the words the dossier is written with.
func (d Dossier) Words() Words { return d.words }

// Generated says when the dossier was made and when its data last changed: "Generated 14
// March 2026, 10:00 UTC; data last changed 1 March 2026, 09:12 UTC."
func (d Dossier) Generated() string {
	return d.words.T("dossier.generated", "Generated", d.words.moment(d.GeneratedAt), "Changed", d.words.moment(d.DataChangedAt))
}

// What one dossier may hold, so that one request's cost is bounded whatever the data (60
// long status entries once made a PDF of 218 pages). What is left out is said in the
// dossier itself, with where to read it all.
const (
	MaxTimeline  = 40   // status entries: the most recent ones
	MaxCases     = 25   // cases, in the record's order
	MaxDemands   = 50   // demands about the person
	MaxClauses   = 50   // citing clauses, oldest resolution first
	MaxDocuments = 100  // documents, oldest obtained first
	MaxNoteChars = 500  // characters of one timeline note or internal note (a narrow PDF column)
	MaxTextChars = 1500 // characters of one case's summary or internal notes
)

// Person is the profile.
type Person struct {
	Slug          string   `json:"slug"`
	Name          string   `json:"name"`
	Aliases       []string `json:"aliases"`
	Role          string   `json:"role"`
	Place         string   `json:"place"`
	Notes         string   `json:"notes"`
	InternalNotes string   `json:"internal_notes,omitempty"`
	URL           string   `json:"url"`
}

// Ref is a linked record.
type Ref struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// Current is the current status of one of the person's cases.
type Current struct {
	Case        string `json:"case"`
	Status      string `json:"status"`
	Label       string `json:"label"`
	EffectiveOn string `json:"effective_on"` // "2018", "2018-05" or "2018-05-14": no more than is known
	DatedBy     string `json:"dated_by"`     // what the date rests on when the source gives none, or ""
	Dated       string `json:"dated"`        // in words: "since May 2018", or what it is dated by
	// DatedAsTyped says Dated is staff's own words (DatedBy as they typed it), not the
	// dossier's: a page marks it as such.
	DatedAsTyped bool `json:"-"`
}

// Entry is one line of the status timeline, across all the person's cases, oldest first.
type Entry struct {
	Case         string `json:"case"`
	CaseTitle    string `json:"case_title"`
	EffectiveOn  string `json:"effective_on"` // "2018", "2018-05" or "2018-05-14"
	Date         string `json:"date"`         // in words: "2018", "May 2018", "14 May 2018"
	DatedBy      string `json:"dated_by"`
	Status       string `json:"status"`
	Label        string `json:"label"`
	Note         string `json:"note"`
	InternalNote string `json:"internal_note,omitempty"`
	Source       string `json:"source"`     // words: "2019/2610(RSP), Recital A" and/or a URL
	SourceURL    string `json:"source_url"` // where the source can be read
	RecordedBy   string `json:"recorded_by"`
	RecordedAt   string `json:"recorded_at"`
	Corrected    bool   `json:"corrected"`  // a later entry corrects this one
	Correction   bool   `json:"correction"` // this entry corrects an earlier one
	// DateWords is the date as a timeline shows it (DateCell); DateAsTyped says it is
	// staff's own words (what the date rests on, as they typed it).
	DateWords   string `json:"-"`
	DateAsTyped bool   `json:"-"`
	// RecordedWords says when and by whom the entry was recorded (Recorded).
	RecordedWords string `json:"-"`
	// SourceTitle is the title of the resolution Source cites, in its own language, or "".
	SourceTitle string `json:"-"`
}

// Case is one of the person's cases.
type Case struct {
	Slug            string `json:"slug"`
	Title           string `json:"title"`
	URL             string `json:"url"`
	Summary         string `json:"summary"`
	InternalNotes   string `json:"internal_notes,omitempty"`
	CurrentStatus   string `json:"current_status"`
	LegalProvisions []Ref  `json:"legal_provisions"`
	Organisations   []Ref  `json:"organisations"`
	Facts           Facts  `json:"facts"`
	// FactLines are the recorded facts in words, for the formats that print them.
	FactLines []FactLine `json:"-"`
}

// Facts are what a case is about, each null while unknown, dates as YYYY-MM-DD except the
// detention and the verdict, written to their precision ("2019", "2019-05" or "2019-05-14"):
// the one JSON shape of a case's facts, in dossiers and in the API. The facility is null unless it may be
// shown (staff, or made public); FacilityPublic is set only where it may.
type Facts struct {
	DetainedOn     *string  `json:"detained_on"`
	Charges        []Charge `json:"charges"`
	Court          *string  `json:"court"`
	CaseNumber     *string  `json:"case_number"`
	VerdictOn      *string  `json:"verdict_on"`
	Sentence       *string  `json:"sentence"`
	SentenceMonths *int     `json:"sentence_months"`
	ReleaseDueOn   *string  `json:"release_due_on"`
	NextHearingOn  *string  `json:"next_hearing_on"`
	Facility       *string  `json:"facility"`
	FacilityPublic *bool    `json:"facility_public,omitempty"` // staff and internal dossiers only
}

// Charge is one charge: the legal provision (its slug, name and page) and its detail ("part 2") or null.
type Charge struct {
	LegalProvision string  `json:"legal_provision"`
	Name           string  `json:"name"`
	URL            string  `json:"url"`
	Detail         *string `json:"detail"`
}

// orNull is s, or null when s is empty.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// dateOrNull is a recorded date as YYYY-MM-DD, or null when unknown.
func dateOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// whenOrNull is a recorded date to its precision ("2019", "2019-05", "2019-05-14"), or null when unknown.
func whenOrNull(w tracker.When) *string {
	if w.IsZero() {
		return nil
	}
	s := w.String()
	return &s
}

// FactsOf is a case's facts in their JSON shape: whole for staff (with FacilityPublic), as
// the public may see them otherwise; baseURL goes before the charges' addresses.
func FactsOf(f tracker.Facts, staff bool, baseURL string) Facts {
	if !staff {
		f = f.Public()
	}
	out := Facts{DetainedOn: whenOrNull(f.DetainedOn), Charges: make([]Charge, len(f.Charges)), Court: orNull(f.Court),
		CaseNumber: orNull(f.CaseNumber), VerdictOn: whenOrNull(f.VerdictOn), Sentence: orNull(f.Sentence), SentenceMonths: f.SentenceMonths,
		ReleaseDueOn: dateOrNull(f.ReleaseDueOn), NextHearingOn: dateOrNull(f.NextHearingOn), Facility: orNull(f.Facility)}
	for i, c := range f.Charges {
		out.Charges[i] = Charge{LegalProvision: c.Provision.Slug, Name: c.Provision.Name, URL: baseURL + tracker.LegalProvisionEntity.Path(c.Provision.Slug), Detail: orNull(c.Detail)}
	}
	if staff {
		out.FacilityPublic = &f.FacilityPublic
	}
	return out
}

// Demand is a demand about the person and its follow-up state.
type Demand struct {
	Slug       string `json:"slug"`
	URL        string `json:"url"`
	Action     string `json:"action"`
	Wording    string `json:"wording"`
	State      string `json:"state"`
	StateLabel string `json:"state_label"`
	Since      string `json:"since"`    // "2018", "2018-05" or "2018-05-14", "" with no history
	DatedBy    string `json:"dated_by"` // what that date rests on when the source gives none
	Dated      string `json:"dated"`    // in words: "since May 2018", or what it is dated by; for a demand not yet assessed only that, in brackets, or ""
	Clause     string `json:"clause"`   // the full citation (tracker.Cite): "Motion for a resolution on …, 2019/2610(RSP), paragraph 1; the Parliament adopted a resolution on 14 March 2019"
	ClauseURL  string `json:"clause_url"`
	// DatedAsTyped says Dated is staff's own words; ClauseTitle is the title of the
	// resolution Clause cites, in its own language.
	DatedAsTyped bool   `json:"-"`
	ClauseTitle  string `json:"-"`
}

// Clause is a clause citing the person, verbatim.
type Clause struct {
	Resolution string `json:"resolution"`
	Procedure  string `json:"procedure"`
	Kind       string `json:"kind"`
	Label      string `json:"label"`
	EID        string `json:"eid"`
	Text       string `json:"text"`
	URL        string `json:"url"`
	// Citation names the text the clause comes from as what it is (tracker.Cite).
	Citation    string `json:"citation"`
	OfficialURL string `json:"official_url"` // the text on europarl.europa.eu, "" when unknown
	// Title is the resolution's title, in its own language, as Citation quotes it.
	Title string `json:"-"`
}

// SchemaURL is where the JSON Schema of this format is published in the repository.
const SchemaURL = "https://whereas.example/docs/dossier.schema.json" // its $id; the file is docs/dossier.schema.json

// Build makes the dossier of a person, written with w (the reader's language). baseURL
// makes every link absolute, so links work on paper and offline; staff-only text goes in
// only for the internal profile. The content hash is the English dossier's, so copies in
// any language and format of the same record compare equal.
func Build(d tracker.PersonDetail, profile Profile, baseURL string, dataChangedAt, now time.Time, w Words) Dossier {
	if w.Lang == "" {
		w.Lang = i18n.EN
	}
	out := build(d, profile, baseURL, dataChangedAt, now, w)
	if w.Lang == i18n.EN {
		out.ContentHash = contentHash(out)
	} else {
		out.ContentHash = contentHash(build(d, profile, baseURL, dataChangedAt, now, English(w.Catalog)))
	}
	return out
}

func build(d tracker.PersonDetail, profile Profile, baseURL string, dataChangedAt, now time.Time, w Words) Dossier {
	internal := profile == Internal
	p := d.Person
	out := Dossier{Schema: SchemaURL, Profile: profile, Lang: w.Lang, Labels: w.labels(), words: w,
		GeneratedAt: now.UTC().Truncate(time.Second), DataChangedAt: dataChangedAt.UTC().Truncate(time.Second),
		Person: Person{Slug: p.Slug, Name: p.Name, Aliases: nonNil(p.Aliases), Role: p.Role, Place: p.Place, Notes: p.Notes,
			URL: baseURL + tracker.PersonEntity.Path(p.Slug)},
		Current: []Current{}, Timeline: []Entry{}, Cases: []Case{}, Demands: []Demand{}, Clauses: []Clause{}, Organisations: []Ref{}, Documents: []Document{}, Omitted: []string{}}
	if internal {
		out.Person.InternalNotes = p.InternalNotes
	}
	orgs := map[string]bool{}
	addOrg := func(r tracker.EntityRef) {
		if !orgs[r.Slug] {
			orgs[r.Slug] = true
			out.Organisations = append(out.Organisations, Ref{Slug: r.Slug, Name: r.Name, URL: baseURL + r.Type.Path(r.Slug)})
		}
	}
	cut := 0 // texts cut short
	clipAt := func(n int) func(string) string {
		return func(s string) string {
			if utf8.RuneCountInString(s) > n {
				cut++
				return tracker.Shorten(s, n)
			}
			return s
		}
	}
	clip, clipText := clipAt(MaxNoteChars), clipAt(MaxTextChars)
	record := baseURL + tracker.PersonEntity.Path(p.Slug)
	cases := d.Cases
	if len(cases) > MaxCases {
		out.Omitted = append(out.Omitted, w.N("dossier.omitted.cases", len(cases), "Shown", MaxCases, "URL", record))
		cases = cases[:MaxCases]
	}
	out.Chart = w.chartIn(chart.PersonTimeline(p.Name, cases, chart.Citations(d.Clauses), now), p.Name, cases, d.Clauses)
	for _, c := range cases {
		kc := Case{Slug: c.Slug, Title: c.Title, URL: baseURL + tracker.CaseEntity.Path(c.Slug), Summary: clipText(c.Summary),
			LegalProvisions: refs(baseURL, c.LegalProvisions), Organisations: refs(baseURL, c.Organisations),
			Facts: FactsOf(c.Facts, internal, baseURL)}
		if internal {
			kc.FactLines = w.factLines(c.Facts)
		} else {
			kc.FactLines = w.factLines(c.Facts.Public())
		}
		if internal {
			kc.InternalNotes = clipText(c.InternalNotes)
		}
		if cur, ok := c.Current(); ok {
			kc.CurrentStatus = w.status(cur.Status)
			out.Current = append(out.Current, Current{Case: c.Title, Status: string(cur.Status), Label: w.status(cur.Status),
				EffectiveOn: cur.EffectiveOn.String(), DatedBy: cur.DatedBy, Dated: w.dating(cur.EffectiveOn, cur.DatedBy),
				DatedAsTyped: cur.DatedBy != "" && w.datedBy(cur.DatedBy) == cur.DatedBy})
		}
		out.Cases = append(out.Cases, kc)
		for _, o := range c.Organisations {
			addOrg(o)
		}
		for _, e := range c.Statuses {
			en := Entry{Case: c.Slug, CaseTitle: c.Title, EffectiveOn: e.EffectiveOn.String(), Date: w.date(e.EffectiveOn), DatedBy: e.DatedBy, Status: string(e.Status), Label: w.status(e.Status),
				Note: clip(e.Note), SourceURL: e.SourceURL, RecordedAt: e.RecordedAt.UTC().Format(time.DateOnly),
				Corrected: e.SupersededBy != 0, Correction: e.Supersedes != 0, RecordedBy: w.recordedBy(e.RecordedBy, internal)}
			en.DateWords = en.Date
			if e.DatedBy != "" {
				en.DateWords = w.datedBy(e.DatedBy)
				en.DateAsTyped = en.DateWords == e.DatedBy
			}
			en.RecordedWords = w.day(e.RecordedAt.UTC()) + ", " + en.RecordedBy
			if internal {
				en.InternalNote = clip(e.InternalNote)
			}
			switch {
			case e.SourceClause != nil && e.SourceURL != "":
				en.Source = w.cite(e.SourceClause.Ref(), e.SourceClause.Kind, e.SourceClause.Label) + "; " + e.SourceURL
			case e.SourceClause != nil:
				en.Source = w.cite(e.SourceClause.Ref(), e.SourceClause.Kind, e.SourceClause.Label)
				en.SourceURL = baseURL + e.SourceClause.URL()
			default:
				en.Source = e.SourceURL
			}
			if e.SourceClause != nil {
				en.SourceTitle = e.SourceClause.ResolutionTitle
			}
			out.Timeline = append(out.Timeline, en)
		}
	}
	sortTimeline(out.Timeline)
	if n := len(out.Timeline); n > MaxTimeline {
		out.Omitted = append(out.Omitted, w.N("dossier.omitted.timeline", n, "Shown", MaxTimeline, "URL", record))
		out.Timeline = out.Timeline[n-MaxTimeline:]
	}
	demands := d.Demands
	if len(demands) > MaxDemands {
		out.Omitted = append(out.Omitted, w.N("dossier.omitted.demands", len(demands), "Shown", MaxDemands, "URL", record))
		demands = demands[:MaxDemands]
	}
	for _, dm := range demands {
		x := Demand{Slug: dm.Slug, URL: baseURL + "/demands/" + dm.Slug, Action: w.action(dm.Action), Wording: dm.Wording,
			State: string(dm.State()), StateLabel: w.demandState(dm.State()),
			Clause: w.cite(dm.Clause.Ref(), dm.Clause.Kind, dm.Clause.Label), ClauseURL: baseURL + dm.Clause.URL(), ClauseTitle: dm.Clause.ResolutionTitle}
		if cur, ok := dm.Current(); ok {
			x.Since, x.DatedBy, x.Dated = cur.EffectiveOn.String(), cur.DatedBy, w.demandDating(cur.State, cur.EffectiveOn, cur.DatedBy)
			x.DatedAsTyped = cur.DatedBy != "" && w.datedBy(cur.DatedBy) == cur.DatedBy
		}
		out.Demands = append(out.Demands, x)
		for _, t := range dm.Targets {
			if t.Type == tracker.OrganisationEntity {
				addOrg(t)
			}
		}
	}
	clauses := d.Clauses
	if len(clauses) > MaxClauses {
		out.Omitted = append(out.Omitted, w.N("dossier.omitted.clauses", len(clauses), "Shown", MaxClauses, "URL", record))
		clauses = clauses[:MaxClauses]
	}
	for _, c := range clauses {
		out.Clauses = append(out.Clauses, Clause{Resolution: c.ResolutionSlug, Procedure: c.ResolutionProcedure, Kind: string(c.Kind),
			Label: w.kindLabel(c.Kind, c.Label), EID: c.EID, Text: c.Text, URL: baseURL + c.URL(),
			Citation: w.cite(c.Ref(), c.Kind, c.Label), OfficialURL: c.ResolutionOfficialURL, Title: c.ResolutionTitle})
		for _, m := range c.Mentions {
			if m.Type == tracker.OrganisationEntity {
				addOrg(tracker.EntityRef{Type: m.Type, Slug: m.Slug, Name: m.Name})
			}
		}
	}
	out.Documents = documents(d.Documents, internal, baseURL, w)
	if n := len(out.Documents); n > MaxDocuments {
		out.Omitted = append(out.Omitted, w.N("documents.omitted", n, "Shown", MaxDocuments, "URL", record))
		out.Documents = out.Documents[:MaxDocuments]
	}
	if cut > 0 {
		out.Omitted = append(out.Omitted, w.N("dossier.omitted.cut", cut, "Note", MaxNoteChars, "Text", MaxTextChars))
	}
	return out
}

// contentHash is the SHA-256 of the dossier's content, without the moment it was made or
// the language it is written in, so two copies of the same data give the same hash
// whatever their format, language or generation time (Build hashes the English dossier).
func contentHash(d Dossier) string {
	d.GeneratedAt = time.Time{}
	d.ContentHash = ""
	d.Lang, d.Labels = "", nil
	b, _ := json.Marshal(d)
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func refs(baseURL string, rs []tracker.EntityRef) []Ref {
	out := make([]Ref, len(rs))
	for i, r := range rs {
		out[i] = Ref{Slug: r.Slug, Name: r.Name, URL: baseURL + r.Type.Path(r.Slug)}
	}
	return out
}

func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// Recorded says when and by whom an entry was recorded, its date written as every other
// date of the dossier: "30 November 2026, from the resolution".
func (e Entry) Recorded() string { return e.RecordedWords }

// DateCell is the entry's date as a timeline shows it: in words, or what it is dated by
// where the source gives no date of the event.
func (e Entry) DateCell() string { return e.DateWords }

// sortTimeline orders entries by date, as histories are ordered: by the first day each
// date can mean ("2018" before "2018-05-14", a string's prefix sorting first); entries of
// one date keep their case order.
func sortTimeline(es []Entry) {
	sort.SliceStable(es, func(i, j int) bool { return es[i].EffectiveOn < es[j].EffectiveOn })
}

// JSON writes the dossier as indented JSON.
func (d Dossier) JSON() ([]byte, error) {
	b, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		return nil, err
	}
	return append(b, '\n'), nil
}
