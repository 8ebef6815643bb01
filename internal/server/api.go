package server

import (
	"context"
	"net/http"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// The JSON API's shapes. Field names are a contract documented in the README and in
// docs/api.schema.json: every documented key is always present, null when it has no value
// (no omitempty on a documented key).

type apiList[T any] struct {
	Items   []T         `json:"items"`
	Total   int         `json:"total"`
	Page    int         `json:"page"`
	PerPage int         `json:"per_page"`
	Facets  *[]apiFacet `json:"facets,omitempty"` // the filtered lists (people, cases) only
}

// orNull is s, or null when s is empty: an unset optional text.
func orNull(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

// idOrNull is id, or null when it is 0: no such entry.
func idOrNull(id int64) *int64 {
	if id == 0 {
		return nil
	}
	return &id
}

type apiFacet struct {
	Param  string          `json:"param"`
	Title  string          `json:"title"`
	Values []apiFacetValue `json:"values"`
}

type apiFacetValue struct {
	Value string `json:"value"`
	Label string `json:"label"`
	Count int    `json:"count"`
}

// API lists are paged: ?page= from 1, ?per_page= up to apiMaxPageSize.
const (
	apiPageSize    = 100
	apiMaxPageSize = 500
)

type apiMention struct {
	Type    tracker.EntityType `json:"type"`
	Slug    string             `json:"slug"`
	Name    string             `json:"name"`
	Matched string             `json:"matched"`
	Start   int                `json:"start"`
	End     int                `json:"end"`
}

type apiClause struct {
	Kind     tracker.ClauseKind `json:"kind"`
	Label    string             `json:"label"`
	EID      string             `json:"eid"`
	Text     string             `json:"text"`
	Mentions []apiMention       `json:"mentions"`
	Demands  []apiDemand        `json:"demands"`
}

// apiResolutionHead is what every answer about a resolution starts with: which text of
// which procedure it is, and where.
type apiResolutionHead struct {
	Slug      string `json:"slug"`
	Procedure string `json:"procedure"`
	Title     string `json:"title"`
	AdoptedOn string `json:"adopted_on"`
	apiTextStage
	URL string `json:"url"`
}

func resolutionHead(slug, procedure, title string, adoptedOn time.Time, ref tracker.TextRef) apiResolutionHead {
	return apiResolutionHead{Slug: slug, Procedure: procedure, Title: title, AdoptedOn: adoptedOn.Format(time.DateOnly),
		apiTextStage: toAPITextStage(ref), URL: "/resolutions/" + slug}
}

type apiResolutionSummary struct {
	apiResolutionHead
	Citations  int    `json:"citations"`
	Recitals   int    `json:"recitals"`
	Paragraphs int    `json:"paragraphs"`
	People     int    `json:"people"`
	Demands    int    `json:"demands"`
	Met        int    `json:"demands_met"`
	PartlyMet  int    `json:"demands_partly_met"`
	NotMet     int    `json:"demands_not_met"`
	Unassessed int    `json:"demands_unassessed"`
	Score      *int   `json:"follow_up_score"` // percent of the assessed demands; null while none is assessed
	AkomaNtoso string `json:"akoma_ntoso_url"`
}

type apiResolution struct {
	apiResolutionHead
	Clauses []apiClause `json:"clauses"`
}

// apiTextStage says which text of its procedure a resolution is (issue 15 §0): adopted_on
// stays the day of the Parliament's vote in the procedure; a motion's own date is text_date.
type apiTextStage struct {
	Stage       tracker.Stage `json:"stage"`
	Reference   *string       `json:"reference"`
	TextDate    *string       `json:"text_date"`
	OfficialURL *string       `json:"official_url"`
	Citation    string        `json:"citation"`
}

func toAPITextStage(t tracker.TextRef) apiTextStage {
	opt := func(s string) *string {
		if s == "" {
			return nil
		}
		return &s
	}
	out := apiTextStage{Stage: t.Stage, Reference: opt(t.Reference), OfficialURL: opt(t.OfficialURL), Citation: tracker.Cite(t, "", "")}
	if !t.TextDate.IsZero() {
		out.TextDate = opt(t.TextDate.Format(time.DateOnly))
	}
	return out
}

type apiSummary struct {
	Type          tracker.EntityType `json:"type"`
	Slug          string             `json:"slug"`
	Name          string             `json:"name"`
	Aliases       []string           `json:"aliases"`
	Names         apiNames           `json:"names"`
	Detail        *string            `json:"detail"`
	Place         *string            `json:"place"`
	CurrentStatus *string            `json:"current_status"`
	ClauseCount   int                `json:"clause_count"`
	URL           string             `json:"url"`
}

// apiNames is a record's name in Russian and Kazakh Cyrillic beside its Latin name, null
// where not known (issue 17 §2).
type apiNames struct {
	RU *string `json:"ru"`
	KK *string `json:"kk"`
}

func toAPINames(n tracker.ScriptNames) apiNames { return apiNames{RU: orNull(n.RU), KK: orNull(n.KK)} }

type apiRef struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

type apiClauseRef struct {
	Resolution string             `json:"resolution"`
	Procedure  string             `json:"procedure"`
	Kind       tracker.ClauseKind `json:"kind"`
	Label      string             `json:"label"`
	EID        string             `json:"eid"`
	Text       string             `json:"text"`
	URL        string             `json:"url"`
}

// apiStatus is one entry of a case's status history; its id is what a correction names as
// supersedes, and corrects/corrected_by link an entry and its correction.
type apiStatus struct {
	ID           int64          `json:"id"`
	Status       tracker.Status `json:"status"`
	Label        string         `json:"label"`
	EffectiveOn  string         `json:"effective_on"` // "2018", "2018-05" or "2018-05-14"
	DatedBy      *string        `json:"dated_by"`
	Note         string         `json:"note"`
	SourceURL    *string        `json:"source_url"`
	SourceClause *apiClauseRef  `json:"source_clause"`
	RecordedAt   string         `json:"recorded_at"`
	Corrects     *int64         `json:"corrects"`
	CorrectedBy  *int64         `json:"corrected_by"`
	InternalNote *string        `json:"internal_note,omitempty"` // staff reads only
	VerifiedOn   *string        `json:"verified_on,omitempty"`   // staff reads only
}

// dayOrNull is a date for the API, null when it is not set.
func dayOrNull(t time.Time) *string {
	if t.IsZero() {
		return nil
	}
	s := t.Format(time.DateOnly)
	return &s
}

// apiCaseSummary is a case as a person, organisation or law lists it: without its clauses
// and demands, which its own answer (apiCase) adds.
type apiCaseSummary struct {
	Slug            string        `json:"slug"`
	Name            string        `json:"name"`
	Aliases         []string      `json:"aliases"`
	Summary         string        `json:"summary"`
	URL             string        `json:"url"`
	People          []apiRef      `json:"people"`
	Organisations   []apiRef      `json:"organisations"`
	LegalProvisions []apiRef      `json:"legal_provisions"`
	CurrentStatus   *apiStatus    `json:"current_status"`
	Statuses        []apiStatus   `json:"statuses"`
	Facts           dossier.Facts `json:"facts"`
}

// toAPIFacts is a case's facts as the public sees them or, for staff, whole: the dossier's
// JSON shape of facts, with addresses relative to the site.
func toAPIFacts(f tracker.Facts, staff bool) dossier.Facts { return dossier.FactsOf(f, staff, "") }

type apiCase struct {
	apiCaseSummary
	Clauses     []apiClauseRef  `json:"clauses"`
	Demands     []apiDemand     `json:"demands"`
	Attachments []apiAttachment `json:"attachments"` // the case's files and its status entries'
}

// apiEntity is a person, organisation or legal provision: role and place are a person's,
// kind an organisation's, null for the others or when unset.
type apiEntity struct {
	Slug         string           `json:"slug"`
	Name         string           `json:"name"`
	Aliases      []string         `json:"aliases"`
	Names        apiNames         `json:"names"`
	Role         *string          `json:"role"`
	Place        *string          `json:"place"`
	Kind         *string          `json:"kind"`
	BornOn       *string          `json:"born_on"`
	Jurisdiction *string          `json:"jurisdiction"`
	Citation     *string          `json:"citation"`
	OfficialURL  *string          `json:"official_url"`
	Notes        string           `json:"notes"`
	URL          string           `json:"url"`
	Affiliations []apiAffiliation `json:"affiliations"`
	Cases        []apiCaseSummary `json:"cases"`
	Clauses      []apiClauseRef   `json:"clauses"`
	Demands      []apiDemand      `json:"demands"`
	Attachments  []apiAttachment  `json:"attachments"` // a person's own files; always empty for organisations and laws
}

// apiAffiliation is one of a person's organisations, or one of an organisation's people,
// with the person's role in it.
type apiAffiliation struct {
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
	Role string `json:"role"`
}

func toAPIAffiliations(t tracker.EntityType, as []tracker.Affiliation) []apiAffiliation {
	out := make([]apiAffiliation, len(as))
	for i, a := range as {
		out[i] = apiAffiliation{Slug: a.Slug, Name: a.Name, URL: t.Path(a.Slug), Role: a.Role}
	}
	return out
}

// apiRetired is what staff reads add about retirement: when (null while the record is
// public) and by whom.
type apiRetired struct {
	RetiredAt *string `json:"retired_at"`
	RetiredBy *string `json:"retired_by"`
}

func toAPIRetired(r tracker.Retirement) apiRetired {
	if !r.Retired() {
		return apiRetired{}
	}
	at := r.RetiredAt.UTC().Format(time.RFC3339)
	return apiRetired{RetiredAt: &at, RetiredBy: &r.RetiredBy}
}

func toAPIMentions(ms []tracker.Mention) []apiMention {
	out := make([]apiMention, len(ms))
	for i, m := range ms {
		out[i] = apiMention(m)
	}
	return out
}

func toAPIRefs(refs []tracker.EntityRef) []apiRef {
	out := make([]apiRef, len(refs))
	for i, r := range refs {
		out[i] = apiRef{Slug: r.Slug, Name: r.Name, URL: r.Type.Path(r.Slug)}
	}
	return out
}

func toAPIClauseRef(c tracker.ClauseRef) apiClauseRef {
	return apiClauseRef{Resolution: c.ResolutionSlug, Procedure: c.ResolutionProcedure, Kind: c.Kind, Label: c.Label, EID: c.EID, Text: c.Text, URL: c.URL()}
}

func toAPIClauseRefs(cs []tracker.CitingClause) []apiClauseRef {
	out := make([]apiClauseRef, len(cs))
	for i, c := range cs {
		out[i] = toAPIClauseRef(c.ClauseRef)
	}
	return out
}

func toAPIStatus(e tracker.StatusEntry) apiStatus {
	s := apiStatus{ID: e.ID, Status: e.Status, Label: e.Status.Label(), EffectiveOn: e.EffectiveOn.String(), DatedBy: orNull(e.DatedBy),
		Note: e.Note, SourceURL: orNull(e.SourceURL), RecordedAt: e.RecordedAt.UTC().Format("2006-01-02T15:04:05Z"),
		Corrects: idOrNull(e.Supersedes), CorrectedBy: idOrNull(e.SupersededBy)}
	if e.SourceClause != nil {
		ref := toAPIClauseRef(*e.SourceClause)
		s.SourceClause = &ref
	}
	return s
}

func toAPICase(c tracker.Case) apiCaseSummary {
	out := apiCaseSummary{Slug: c.Slug, Name: c.Title, Aliases: []string{}, Summary: c.Summary, URL: tracker.CaseEntity.Path(c.Slug),
		People: toAPIRefs(c.People), Organisations: toAPIRefs(c.Organisations), LegalProvisions: toAPIRefs(c.LegalProvisions),
		Statuses: make([]apiStatus, len(c.Statuses)), Facts: toAPIFacts(c.Facts, false)}
	for i, e := range c.Statuses {
		out.Statuses[i] = toAPIStatus(e)
	}
	if cur, ok := c.Current(); ok {
		s := toAPIStatus(cur)
		out.CurrentStatus = &s
	}
	return out
}

func toAPICases(cs []tracker.Case) []apiCaseSummary {
	out := make([]apiCaseSummary, len(cs))
	for i, c := range cs {
		out[i] = toAPICase(c)
	}
	return out
}

func (s *Server) apiResolutions(w http.ResponseWriter, r *http.Request) error {
	p, err := pageParam(r, "per_page", apiPageSize, apiMaxPageSize)
	if err != nil {
		return err
	}
	rs, total, err := s.db.Resolutions(r.Context(), p)
	if err != nil {
		return err
	}
	items := make([]apiResolutionSummary, len(rs))
	for i, x := range rs {
		items[i] = apiResolutionSummary{apiResolutionHead: resolutionHead(x.Slug, x.Procedure, x.Title, x.AdoptedOn, x.Ref()), Citations: x.Citations, Recitals: x.Recitals, Paragraphs: x.Paragraphs, People: x.People,
			Demands: x.Demands, Met: x.Met, PartlyMet: x.PartlyMet, NotMet: x.NotMet, Unassessed: x.Unassessed, AkomaNtoso: "/resolutions/" + x.Slug + ".akn.xml"}
		if score := x.FollowUpScore(); score >= 0 {
			items[i].Score = &score
		}
	}
	return writeJSON(w, http.StatusOK, apiList[apiResolutionSummary]{Items: items, Total: total, Page: p.Number, PerPage: p.Size})
}

func (s *Server) apiResolution(w http.ResponseWriter, r *http.Request) error {
	res, err := s.db.Resolution(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	out := apiResolution{apiResolutionHead: resolutionHead(res.Slug, res.Procedure, res.Title, res.AdoptedOn, res.Ref()), Clauses: make([]apiClause, len(res.Clauses))}
	for i, c := range res.Clauses {
		out.Clauses[i] = apiClause{Kind: c.Kind, Label: c.Label, EID: c.EID, Text: c.Text, Mentions: toAPIMentions(c.Mentions), Demands: toAPIDemands(c.Demands)}
	}
	return writeJSON(w, http.StatusOK, out)
}

func (s *Server) apiList(t tracker.EntityType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		p, err := pageParam(r, "per_page", apiPageSize, apiMaxPageSize)
		if err != nil {
			return err
		}
		var list []tracker.EntitySummary
		var total int
		var facets []tracker.Facet
		if t == tracker.PersonEntity || t == tracker.CaseEntity {
			list, total, facets, err = s.db.FilteredSummaries(r.Context(), t, tracker.FilterFromQuery(r.URL.Query()), p)
		} else {
			list, total, err = s.db.Summaries(r.Context(), t, p)
		}
		if err != nil {
			return err
		}
		items := make([]apiSummary, len(list))
		for i, x := range list {
			items[i] = apiSummary{Type: x.Type, Slug: x.Slug, Name: x.Name, Aliases: x.Aliases, Names: toAPINames(x.Names), Detail: orNull(x.Detail), Place: orNull(x.Place),
				ClauseCount: x.Clauses, URL: x.Type.Path(x.Slug)}
			if x.Status != "" {
				st := string(x.Status)
				items[i].CurrentStatus = &st
			}
		}
		out := apiList[apiSummary]{Items: items, Total: total, Page: p.Number, PerPage: p.Size}
		if t == tracker.PersonEntity || t == tracker.CaseEntity {
			list := make([]apiFacet, 0, len(facets))
			for _, f := range facets {
				af := apiFacet{Param: f.Param, Title: f.Title, Values: []apiFacetValue{}}
				for _, v := range f.Values {
					af.Values = append(af.Values, apiFacetValue(v))
				}
				list = append(list, af)
			}
			out.Facets = &list
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

// toAPIPerson is a person's API answer (GET and writes); staff also get its version and
// internal notes.
func toAPIPerson(ctx context.Context, d tracker.PersonDetail) any {
	p := d.Person
	out := apiEntity{Slug: p.Slug, Name: p.Name, Aliases: p.Aliases, Names: toAPINames(p.Names), Role: orNull(p.Role), Place: orNull(p.Place), Notes: p.Notes,
		URL: tracker.PersonEntity.Path(p.Slug), Affiliations: toAPIAffiliations(tracker.OrganisationEntity, p.Affiliations),
		Cases: toAPICases(d.Cases), Clauses: toAPIClauseRefs(d.Clauses), Demands: toAPIDemands(d.Demands), Attachments: toAPIAttachments(d.Attachments)}
	if p.BornOn != nil {
		out.BornOn = orNull(p.BornOn.Format(time.DateOnly))
	}
	if currentUser(ctx) == nil {
		return out
	}
	for i, c := range d.Cases {
		out.Cases[i].Facts = toAPIFacts(c.Facts, true)
	}
	return struct {
		apiEntity
		apiStaffFields
		apiRetired
	}{out, apiStaffFields{Version: p.Version, InternalNotes: p.InternalNotes}, toAPIRetired(p.Retirement)}
}

// withNamedStaffFields adds an organisation's or a provision's version and retirement to
// its answer when staff ask.
func withNamedStaffFields(ctx context.Context, out apiEntity, version int, r tracker.Retirement) any {
	if currentUser(ctx) == nil {
		return out
	}
	return struct {
		apiEntity
		Version int `json:"version"`
		apiRetired
	}{out, version, toAPIRetired(r)}
}

// toAPIOrganisation is an organisation's API answer (GET and writes).
func toAPIOrganisation(ctx context.Context, d tracker.OrganisationDetail) any {
	o := d.Organisation
	return withNamedStaffFields(ctx, apiEntity{Slug: o.Slug, Name: o.Name, Aliases: o.Aliases, Names: toAPINames(o.Names), Kind: orNull(o.Kind), Notes: o.Notes,
		URL: tracker.OrganisationEntity.Path(o.Slug), Affiliations: toAPIAffiliations(tracker.PersonEntity, o.Members),
		Cases: toAPICases(d.Cases), Clauses: toAPIClauseRefs(d.Clauses), Demands: toAPIDemands(d.Demands), Attachments: []apiAttachment{}}, o.Version, o.Retirement)
}

// toAPILegalProvision is a legal provision's API answer (GET and writes).
func toAPILegalProvision(ctx context.Context, d tracker.LegalProvisionDetail) any {
	l := d.LegalProvision
	return withNamedStaffFields(ctx, apiEntity{Slug: l.Slug, Name: l.Name, Aliases: l.Aliases, Names: toAPINames(l.Names), Jurisdiction: orNull(l.Jurisdiction),
		Citation: orNull(l.Citation), OfficialURL: orNull(l.OfficialURL), Notes: l.Notes, URL: tracker.LegalProvisionEntity.Path(l.Slug),
		Affiliations: []apiAffiliation{}, Cases: toAPICases(d.Cases), Clauses: toAPIClauseRefs(d.Clauses), Demands: toAPIDemands(d.Demands),
		Attachments: []apiAttachment{}}, l.Version, l.Retirement)
}

// apiRecord reads a record and makes its API answer, with its version and its retirement
// for the caller to check.
func (s *Server) apiRecord(ctx context.Context, t tracker.EntityType, slug string) (any, int, tracker.Retirement, error) {
	switch t {
	case tracker.PersonEntity:
		d, err := s.db.Person(ctx, slug)
		if err == nil {
			d.Attachments, err = s.attachments(ctx, postgres.AttachmentsOf{Person: slug})
		}
		return toAPIPerson(ctx, d), d.Person.Version, d.Person.Retirement, err
	case tracker.OrganisationEntity:
		d, err := s.db.Organisation(ctx, slug)
		return toAPIOrganisation(ctx, d), d.Organisation.Version, d.Organisation.Retirement, err
	case tracker.LegalProvisionEntity:
		d, err := s.db.LegalProvision(ctx, slug)
		return toAPILegalProvision(ctx, d), d.LegalProvision.Version, d.LegalProvision.Retirement, err
	}
	d, err := s.db.Case(ctx, slug)
	if err == nil {
		d.Attachments, err = s.attachments(ctx, postgres.AttachmentsOf{Case: slug})
	}
	return withCaseStaffFields(ctx, toAPICaseDetail(d), d.Case), d.Case.Version, d.Case.Retirement, err
}

// apiGet answers GET of one record; a retired one is 410 for the public.
func (s *Server) apiGet(t tracker.EntityType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		out, _, ret, err := s.apiRecord(r.Context(), t, chi.URLParam(r, "slug"))
		if err != nil {
			return err
		}
		if err := goneForPublic(r.Context(), ret, t); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, out)
	}
}

// toAPICaseDetail is a case as GET /api/v1/cases/{slug} answers it and a write returns it.
func toAPICaseDetail(d tracker.CaseDetail) apiCase {
	return apiCase{apiCaseSummary: toAPICase(d.Case), Clauses: toAPIClauseRefs(d.Clauses), Demands: toAPIDemands(d.Demands),
		Attachments: toAPIAttachments(d.Attachments)}
}
