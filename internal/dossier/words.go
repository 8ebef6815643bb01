package dossier

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// Words writes a dossier's interface text in the reader's language: its headings, labels,
// dates, statuses and the sentences around the record's own words. The texts are the
// message catalogs' (web/locales/*/dossier.toml and the shared vocabularies); the caller
// passes them in (web.Catalog()), since the web package, which holds them, imports this
// one to draw the HTML dossier. The record's own words (names, notes, the resolutions'
// titles and clauses) are written as they were entered, whatever the language.
type Words struct {
	Lang    i18n.Lang
	Catalog *i18n.Catalog
}

// English is the dossier's words in English, from catalog c.
func English(c *i18n.Catalog) Words { return Words{Lang: i18n.EN, Catalog: c} }

// values turns name, value pairs into a message's data.
func values(kv []any) map[string]any {
	if len(kv) == 0 {
		return nil
	}
	m := make(map[string]any, len(kv)/2)
	for i := 0; i+1 < len(kv); i += 2 {
		m[fmt.Sprint(kv[i])] = kv[i+1]
	}
	return m
}

// T is message id in the dossier's language with name, value pairs put in where it has
// {{.Name}}. As on the pages, a key the language lacks falls back to English and one
// English lacks is written as the key: the catalog checks keep both from shipping.
func (w Words) T(id string, kv ...any) string {
	data := values(kv)
	if w.Catalog != nil {
		if s, ok := w.Catalog.Text(w.Lang, id, data); ok {
			return s
		}
		if s, ok := w.Catalog.Text(i18n.EN, id, data); ok {
			return s
		}
	}
	return id
}

// N is plural message id for the count n ({{.Count}}) in the dossier's language.
func (w Words) N(id string, n int, kv ...any) string {
	data := values(kv)
	if w.Catalog != nil {
		if s, ok := w.Catalog.Count(w.Lang, id, n, data); ok {
			return s
		}
		if s, ok := w.Catalog.Count(i18n.EN, id, n, data); ok {
			return s
		}
	}
	return id + " " + strconv.Itoa(n)
}

// english reports whether the dossier is written in English, whose words some of the
// record's own texts share (a resolution's title, the "reported by" of a dated entry).
func (w Words) english() bool { return w.Lang == "" || w.Lang == i18n.EN }

// status is a status in words.
func (w Words) status(s tracker.Status) string {
	if s == "" || s == tracker.NoStatus {
		return w.T("status.none")
	}
	if _, ok := s.Info(); !ok {
		return string(s)
	}
	return w.T("status." + string(s))
}

// demandState is a demand's follow-up state in words.
func (w Words) demandState(s tracker.DemandState) string {
	if !s.Valid() {
		return string(s)
	}
	return w.T("demand_state." + string(s))
}

// action is what a demand asks for, in words.
func (w Words) action(a tracker.DemandAction) string {
	if !a.Valid() {
		return string(a)
	}
	return w.T("demand_action." + string(a))
}

// kindLabel names a clause in prose: "Recital A", "Пункт преамбулы A".
func (w Words) kindLabel(kind tracker.ClauseKind, label string) string {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph, tracker.Point:
		return w.T("clause_kind."+string(kind), "Label", label)
	}
	return label
}

// clauseName names a clause as a citation does, in lower case: "recital A".
func (w Words) clauseName(kind tracker.ClauseKind, label string) string {
	switch kind {
	case tracker.Citation, tracker.Recital, tracker.Paragraph:
		return w.T("clause_name."+string(kind), "Label", label)
	case tracker.Point:
		return w.T("clause_name.paragraph", "Label", label)
	}
	return label
}

func (w Words) lang() i18n.Lang {
	if w.Lang == "" {
		return i18n.EN
	}
	return w.Lang
}

// date is a date in words to its precision: "May 2018", "май 2018 г.", "2018 жылғы мамыр".
func (w Words) date(when tracker.When) string { return i18n.Date(w.lang(), when) }

// day is a calendar day in words: "14 March 2019", "14 марта 2019 г.".
func (w Words) day(t time.Time) string { return i18n.Day(w.lang(), t) }

// moment is a time of day in UTC: "14 March 2019, 15:04 UTC".
func (w Words) moment(t time.Time) string {
	t = t.UTC()
	return w.T("dossier.moment", "Day", w.day(t), "Time", t.Format("15:04"))
}

// reportedBy is the "dated by" that the seed, the importer and the database write for an
// entry a resolution reports without a date of its own: "reported by the resolution of 14
// March 2019". Other "dated by" texts are typed by staff and kept as they wrote them.
var reportedBy = regexp.MustCompile(`^reported by the resolution of (\d{1,2} [A-Z][a-z]+ \d{4})$`)

// datedBy is what an entry's date rests on, in words: the phrase the site itself writes
// in the dossier's language, staff's own words as they typed them.
func (w Words) datedBy(s string) string {
	if w.english() {
		return s
	}
	if m := reportedBy.FindStringSubmatch(s); m != nil {
		if t, err := time.Parse("2 January 2006", m[1]); err == nil {
			return w.T("dossier.reported_by_resolution", "Date", w.day(t), "On", i18n.DateIn(w.lang(), tracker.Day(t)))
		}
	}
	return s
}

// dating is how an entry's date reads after its status: "since May 2018", or what it
// rests on (tracker.Dating).
func (w Words) dating(when tracker.When, datedBy string) string {
	if datedBy != "" {
		return w.datedBy(datedBy)
	}
	return i18n.DateSince(w.lang(), when)
}

// demandDating is how a demand's current state is dated (tracker.DemandDating): for one
// not yet assessed, only what its entry rests on, in brackets.
func (w Words) demandDating(s tracker.DemandState, when tracker.When, datedBy string) string {
	if s != tracker.Unknown {
		return w.dating(when, datedBy)
	}
	if datedBy == "" {
		return ""
	}
	return "(" + w.datedBy(datedBy) + ")"
}

// topic is a resolution's title as an English citation writes it after "on": "the human
// rights situation in Kazakhstan" (tracker.Cite's own rule, read back from its heading of a
// text with nothing else to say).
func topic(title string) string {
	const before, after = "European Parliament resolution on ", " ()"
	h := tracker.TextRef{Stage: tracker.Adopted, Title: title}.Heading()
	if s, ok := strings.CutPrefix(h, before); ok {
		if s, ok := strings.CutSuffix(s, after); ok {
			return s
		}
	}
	return title
}

// cite is the full citation of a clause of a text, saying what the text is, as
// tracker.Cite writes it in English: "Motion for a resolution on the human rights situation
// in Kazakhstan, 2019/2610(RSP), recital K; the Parliament adopted a resolution on 14 March
// 2019". Other languages quote the title as it is, in the resolution's own language.
func (w Words) cite(t tracker.TextRef, kind tracker.ClauseKind, label string) string {
	s := w.textHeading(t)
	if kind != "" {
		s += ", " + w.clauseName(kind, label)
	}
	if t.Stage != tracker.Adopted && !t.VoteDate.IsZero() {
		s += "; " + w.T("dossier.cite.adopted_later", "On", i18n.DateIn(w.lang(), tracker.Day(t.VoteDate)))
	}
	return s
}

// textHeading names a text with its procedure, as a citation begins (tracker.TextRef.Heading).
func (w Words) textHeading(t tracker.TextRef) string {
	title, about := t.Title, topic(t.Title)
	if t.Stage == tracker.Adopted {
		on := t.TextDate
		if on.IsZero() {
			on = t.VoteDate
		}
		ids := t.Procedure
		if t.Reference != "" {
			ids += ", " + t.Reference
		}
		if on.IsZero() {
			return w.T("dossier.cite.adopted", "Title", title, "Topic", about, "IDs", ids)
		}
		return w.T("dossier.cite.adopted_on", "Title", title, "Topic", about, "IDs", ids, "Date", w.day(on))
	}
	stage := w.T("stage.text")
	if t.Stage.Valid() {
		stage = w.T("stage." + string(t.Stage))
	}
	var detail []string
	if t.Reference != "" {
		detail = append(detail, t.Reference)
	}
	if !t.TextDate.IsZero() {
		detail = append(detail, w.T("dossier.cite.tabled", "On", i18n.DateIn(w.lang(), tracker.Day(t.TextDate))))
	}
	if len(detail) == 0 {
		return w.T("dossier.cite.motion", "Stage", stage, "Title", title, "Topic", about, "Procedure", t.Procedure)
	}
	return w.T("dossier.cite.motion_detail", "Stage", stage, "Title", title, "Topic", about, "Procedure", t.Procedure,
		"Detail", strings.Join(detail, ", "))
}

// recordedBy names who recorded an entry: staff emails stay inside the organisation.
func (w Words) recordedBy(name string, internal bool) string {
	switch {
	case name == "seed data":
		return w.T("dossier.recorded_by_resolution")
	case internal:
		return name
	}
	return w.T("dossier.recorded_by_staff")
}

// sentence is a case's sentence as the judgment words it (staff's words), with its length
// in months where recorded: "5 years in prison (60 months)" (tracker.Facts.SentenceText).
func (w Words) sentence(f tracker.Facts) string {
	months := ""
	if f.SentenceMonths != nil {
		months = w.N("dossier.months", *f.SentenceMonths)
	}
	switch {
	case f.Sentence == "":
		return months
	case months == "":
		return f.Sentence
	}
	return f.Sentence + " (" + months + ")"
}

// FactLine is one recorded fact of a case in words, for the formats that print facts as a
// list.
type FactLine struct {
	Label, Text string
	// Typed says the text is staff's own words (a court, a charge, a sentence as the
	// judgment words it), written as they were entered; otherwise it is a date in words.
	Typed bool
}

// factLines are a case's recorded facts in words, in the order pages show them (as
// tracker.Facts.Lines), dates written to their precision; facts not recorded are left out.
func (w Words) factLines(f tracker.Facts) []FactLine {
	var out []FactLine
	add := func(key, text string, typed bool) {
		if text != "" {
			out = append(out, FactLine{Label: w.T("dossier.fact." + key), Text: text, Typed: typed})
		}
	}
	when := func(x tracker.When) string {
		if x.IsZero() {
			return ""
		}
		return w.date(x)
	}
	day := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return w.day(t)
	}
	charges := make([]string, len(f.Charges))
	for i, c := range f.Charges {
		charges[i] = c.Text()
	}
	add("detained_on", when(f.DetainedOn), false)
	add("charges", strings.Join(charges, "; "), true)
	add("court", f.Court, true)
	add("case_number", f.CaseNumber, true)
	add("verdict_on", when(f.VerdictOn), false)
	add("sentence", w.sentence(f), true)
	add("release_due_on", day(f.ReleaseDueOn), false)
	add("next_hearing_on", day(f.NextHearingOn), false)
	add("facility", f.Facility, true)
	return out
}

// labelKeys are the JSON dossier's fields that people read, each with the catalog key of
// its label: what a program shows as the heading or column name over the field's values.
// A field is named by its path ("timeline.label"; a list's items by the list's name).
var labelKeys = map[string]string{
	"generated_at": "dossier.field.generated_at", "data_changed_at": "dossier.field.data_changed_at",
	"content_hash": "dossier.field.content_hash", "omitted": "dossier.omitted_heading",

	"person": "dossier.profile", "person.name": "dossier.field.name", "person.aliases": "dossier.field.aliases",
	"person.role": "dossier.field.role", "person.place": "dossier.field.place", "person.notes": "dossier.field.notes",
	"person.internal_notes": "dossier.field.internal_notes", "person.url": "dossier.field.record",

	"current_status": "dossier.current_status", "current_status.case": "dossier.col.case",
	"current_status.label": "dossier.col.status", "current_status.dated": "dossier.field.dated",

	"timeline": "dossier.timeline", "timeline.date": "dossier.col.date", "timeline.case_title": "dossier.col.case",
	"timeline.label": "dossier.col.status", "timeline.note": "dossier.col.note", "timeline.internal_note": "dossier.field.internal_note",
	"timeline.source": "dossier.col.source", "timeline.recorded_by": "dossier.col.recorded",
	"timeline.recorded_at": "dossier.field.recorded_at",

	"cases": "dossier.cases", "cases.title": "dossier.col.case", "cases.current_status": "dossier.current_status",
	"cases.legal_provisions": "dossier.field.laws_used", "cases.organisations": "dossier.field.organisations",
	"cases.summary": "dossier.field.summary", "cases.internal_notes": "dossier.field.internal_notes",
	"cases.facts.detained_on": "dossier.fact.detained_on", "cases.facts.charges": "dossier.fact.charges",
	"cases.facts.court": "dossier.fact.court", "cases.facts.case_number": "dossier.fact.case_number",
	"cases.facts.verdict_on": "dossier.fact.verdict_on", "cases.facts.sentence": "dossier.fact.sentence",
	"cases.facts.sentence_months": "dossier.fact.sentence_months", "cases.facts.release_due_on": "dossier.fact.release_due_on",
	"cases.facts.next_hearing_on": "dossier.fact.next_hearing_on", "cases.facts.facility": "dossier.fact.facility",

	"demands": "dossier.demands", "demands.state_label": "dossier.field.state", "demands.action": "dossier.field.action",
	"demands.wording": "dossier.field.wording", "demands.dated": "dossier.field.dated", "demands.clause": "dossier.field.citation",

	"clauses": "dossier.clauses", "clauses.label": "dossier.field.clause", "clauses.citation": "dossier.field.citation",
	"clauses.text": "dossier.field.clause_text",

	"organisations": "dossier.organisations", "organisations.name": "dossier.field.name",

	"documents": "documents.heading", "documents.title": "documents.field.title", "documents.filename": "documents.field.filename",
	"documents.content_type": "documents.field.type", "documents.size": "documents.field.size",
	"documents.sha256": "documents.field.sha256", "documents.obtained": "documents.field.obtained",
	"documents.source_url": "documents.field.source", "documents.url": "documents.field.download",
	"documents.about": "documents.field.about",
}

// labels are the labels of the JSON dossier's fields in the dossier's language.
func (w Words) labels() map[string]string {
	out := make(map[string]string, len(labelKeys))
	for field, key := range labelKeys {
		out[field] = w.T(key)
	}
	return out
}
