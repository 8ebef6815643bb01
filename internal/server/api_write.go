package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// The write API: the same rules as the forms, answered in JSON. 400 for a body that is not
// the JSON asked for, 401/403 for who may write, 409 with the current version when the
// record changed since it was read, 422 with per-field messages for invalid values.

type apiStatusWrite struct {
	Version      int                   `json:"version"`
	Status       tracker.Status        `json:"status"`
	EffectiveOn  string                `json:"effective_on"` // "2018", "2018-05" or "2018-05-14"
	DatedBy      string                `json:"dated_by"`
	VerifiedOn   string                `json:"verified_on"`
	Note         string                `json:"note"`
	InternalNote string                `json:"internal_note"`
	SourceURL    string                `json:"source_url"`
	SourceClause string                `json:"source_clause"` // "resolution-slug#eid"
	Supersedes   int64                 `json:"supersedes"`
	DemandStates []apiDemandStateWrite `json:"demand_states"`
}

// apiDemandStateWrite is a demand's new state sent with a case status: saved with it, in
// one transaction and one audit entry. version, when sent, must be the demand's.
type apiDemandStateWrite struct {
	Demand  string              `json:"demand"`
	State   tracker.DemandState `json:"state"`
	Note    string              `json:"note"`
	Version int                 `json:"version"`
}

// apiPersonWrite and apiCaseWrite are the bodies of PATCH and PUT: a field left out (or
// null) keeps what the record holds, so a client never erases a field it did not send.
type apiPersonWrite struct {
	Version       *int                       `json:"version"`
	Name          *string                    `json:"name"`
	NameRU        *string                    `json:"name_ru"`
	NameKK        *string                    `json:"name_kk"`
	Aliases       *[]string                  `json:"aliases"`
	Role          *string                    `json:"role"`
	Place         *string                    `json:"place"`
	Notes         *string                    `json:"notes"`
	InternalNotes *string                    `json:"internal_notes"`
	BornOn        *string                    `json:"born_on"`
	Affiliations  *[]tracker.AffiliationEdit `json:"affiliations"`
}

type apiCaseWrite struct {
	Version         *int           `json:"version"`
	Title           *string        `json:"title"`
	Summary         *string        `json:"summary"`
	People          *[]string      `json:"people"`
	Organisations   *[]string      `json:"organisations"`
	LegalProvisions *[]string      `json:"legal_provisions"`
	InternalNotes   *string        `json:"internal_notes"`
	Facts           *apiFactsWrite `json:"facts"`
}

// apiFactsWrite is the facts of a case write: a key left out keeps that fact; null (or an
// empty text) clears it, so facts read as null write back unchanged.
type apiFactsWrite struct {
	DetainedOn     optional[string]           `json:"detained_on"`
	Charges        optional[[]apiChargeWrite] `json:"charges"`
	Court          optional[string]           `json:"court"`
	CaseNumber     optional[string]           `json:"case_number"`
	VerdictOn      optional[string]           `json:"verdict_on"`
	Sentence       optional[string]           `json:"sentence"`
	SentenceMonths optional[int]              `json:"sentence_months"`
	ReleaseDueOn   optional[string]           `json:"release_due_on"`
	NextHearingOn  optional[string]           `json:"next_hearing_on"`
	Facility       optional[string]           `json:"facility"`
	FacilityPublic optional[bool]             `json:"facility_public"`
}

// apiChargeWrite is one charge as a write gives it; name and url, as a read has them, are
// accepted and ignored, so a charge read can be written back.
type apiChargeWrite struct {
	LegalProvision string  `json:"legal_provision"`
	Detail         *string `json:"detail"`
	Name           *string `json:"name"`
	URL            *string `json:"url"`
}

// optional is a JSON value that may be left out: Set says the body has the key, Null that
// it is null, and V holds its value.
type optional[T any] struct {
	Set, Null bool
	V         T
}

// UnmarshalJSON is called for a key present in the body, null included; the value is
// decoded as strictly as the body (unknown keys refused).
func (o *optional[T]) UnmarshalJSON(b []byte) error {
	o.Set = true
	if string(b) == "null" {
		o.Null = true
		return nil
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	return dec.Decode(&o.V)
}

// edit is the facts as a case edit holds them, and the names of the fields the body sets.
func (f *apiFactsWrite) edit() (tracker.FactsEdit, []string) {
	var e tracker.FactsEdit
	var only sent
	if f == nil {
		return e, nil
	}
	text := func(name string, o optional[string], dst *string) {
		only.add(name, o.Set)
		*dst = o.V
	}
	text("detained_on", f.DetainedOn, &e.DetainedOn)
	only.add("charges", f.Charges.Set)
	for _, c := range f.Charges.V {
		e.Charges = append(e.Charges, tracker.ChargeEdit{Slug: c.LegalProvision, Detail: deref(c.Detail)})
	}
	text("court", f.Court, &e.Court)
	text("case_number", f.CaseNumber, &e.CaseNumber)
	text("verdict_on", f.VerdictOn, &e.VerdictOn)
	text("sentence", f.Sentence, &e.Sentence)
	only.add("sentence_months", f.SentenceMonths.Set)
	if f.SentenceMonths.Set && !f.SentenceMonths.Null {
		e.SentenceMonths = strconv.Itoa(f.SentenceMonths.V)
	}
	text("release_due_on", f.ReleaseDueOn, &e.ReleaseDueOn)
	text("next_hearing_on", f.NextHearingOn, &e.NextHearingOn)
	text("facility", f.Facility, &e.Facility)
	only.add("facility_public", f.FacilityPublic.Set)
	e.FacilityPublic = f.FacilityPublic.V
	return e, only
}

// apiStaffFields are what staff reads add to a person or case: the version to write back
// with, and the internal notes. Anonymous answers, and so the page cache, never hold them.
type apiStaffFields struct {
	Version       int    `json:"version"`
	InternalNotes string `json:"internal_notes"`
}

// withCaseStaffFields adds a case's version and internal notes, and its entries' internal
// notes, to its answer when staff ask.
func withCaseStaffFields(ctx context.Context, out apiCase, c tracker.Case) any {
	if currentUser(ctx) == nil {
		return out
	}
	for i := range out.Statuses {
		out.Statuses[i].InternalNote = &c.Statuses[i].InternalNote
		out.Statuses[i].VerifiedOn = dayOrNull(c.Statuses[i].VerifiedOn)
	}
	if cur, ok := c.Current(); ok && out.CurrentStatus != nil {
		out.CurrentStatus.InternalNote = &cur.InternalNote
		out.CurrentStatus.VerifiedOn = dayOrNull(cur.VerifiedOn)
	}
	out.Facts = toAPIFacts(c.Facts, true)
	return struct {
		apiCase
		apiStaffFields
		apiRetired
	}{out, apiStaffFields{Version: c.Version, InternalNotes: c.InternalNotes}, toAPIRetired(c.Retirement)}
}

// sent collects the fields a write body holds: set(name, present) per field, in order.
type sent []string

func (s *sent) add(name string, present bool) {
	if present {
		*s = append(*s, name)
	}
}

// deref is a sent field's value, or the zero value for one left out (which the merge
// replaces with what the record holds).
func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// decodeJSON reads a JSON body into v, refusing unknown fields and trailing data, and
// refusing text PostgreSQL cannot store (invalid UTF-8, which encoding/json would quietly
// replace, and "\u0000") as the form check in validInput does for forms.
func decodeJSON(r *http.Request, v any) error {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		var maxErr *http.MaxBytesError
		if errors.As(err, &maxErr) {
			return tracker.Errorf(tracker.ETOOLARGE, "The request body is too large.")
		}
		return err
	}
	if !utf8.Valid(body) || jsonHasNUL(body) {
		return tracker.Errorf(tracker.EINVALID, "The body holds characters that are not text (a NUL character or invalid UTF-8).")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The body must be a JSON object with the documented fields: %s.", jsonProblem(err))
	}
	if dec.More() {
		return tracker.Errorf(tracker.EINVALID, "The body must hold one JSON object.")
	}
	return nil
}

// jsonHasNUL reports whether a string (key or value) of a JSON text holds a NUL character.
// A text that is not valid JSON reports false: decoding it says what is wrong.
func jsonHasNUL(body []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(body))
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if s, ok := tok.(string); ok && strings.ContainsRune(s, 0) {
			return true
		}
	}
}

// jsonProblem says what is wrong with a body without echoing internals.
func jsonProblem(err error) string {
	var typeErr *json.UnmarshalTypeError
	var syntaxErr *json.SyntaxError
	switch {
	case errors.As(err, &typeErr):
		return "field " + typeErr.Field + " has the wrong type"
	case errors.As(err, &syntaxErr):
		return "it is not valid JSON"
	case len(err.Error()) < 120:
		return err.Error()
	}
	return "it could not be read"
}

// writeConflict answers 409 with the record's current version, so a script can re-read it.
func writeConflict(w http.ResponseWriter, err error, current int) error {
	return writeJSON(w, http.StatusConflict, map[string]any{"error": tracker.ErrorMessage(err), "current_version": current})
}

// writeEditConflict answers a stale edit with 409: the current version, the fields that
// conflict (ones the body sets that were also changed, differently, since its version),
// every field changed since, and who saved meanwhile and when.
func writeEditConflict(w http.ResponseWriter, cerr *tracker.ConflictError) error {
	m := cerr.Merge
	conflicts, changed := []string{}, []string{}
	for _, f := range m.Fields {
		if f.Outcome == tracker.Conflicted {
			conflicts = append(conflicts, f.Name)
		}
		if f.Outcome == tracker.Conflicted || f.Outcome == tracker.TookTheirs || f.Outcome == tracker.Agreed {
			changed = append(changed, f.Name)
		}
	}
	var at *string
	if !m.At.IsZero() {
		s := m.At.UTC().Format(time.RFC3339)
		at = &s
	}
	by := m.By
	if by == nil {
		by = []string{}
	}
	var changedSince any = changed
	if !m.BaseKnown {
		changedSince = nil // the version sent cannot be read back: what changed since is not known
	}
	return writeJSON(w, http.StatusConflict, map[string]any{"error": cerr.Message, "current_version": m.Version,
		"conflicts": conflicts, "changed": changedSince, "saved_by": by, "saved_at": at})
}

// editAnswered answers an edit's refusal: 409 for a stale version (whatever else is wrong
// with the body), 422 for invalid fields, the error boundary for the rest.
func editAnswered(w http.ResponseWriter, err error) error {
	var cerr *tracker.ConflictError
	if errors.As(err, &cerr) {
		return writeEditConflict(w, cerr)
	}
	return err
}

func (s *Server) apiAddStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiStatusWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u := tracker.StatusUpdate{CaseSlug: slug, Version: in.Version, Status: in.Status, EffectiveOn: in.EffectiveOn, DatedBy: in.DatedBy,
		VerifiedOn: in.VerifiedOn, Note: in.Note, InternalNote: in.InternalNote, SourceURL: in.SourceURL, SourceClause: in.SourceClause,
		Supersedes: in.Supersedes}
	for _, c := range in.DemandStates {
		u.DemandStates = append(u.DemandStates, tracker.DemandChange(c))
	}
	on, errs := u.Validate(time.Now())
	if errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	id, err := s.db.AppendStatus(ctx, actor(ctx), u, on)
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		d, rerr := s.db.Case(ctx, slug)
		if rerr != nil {
			return rerr
		}
		return writeConflict(w, err, d.Case.Version)
	}
	if err != nil {
		return err
	}
	answer := map[string]any{"id": id, "version": nil, "case": nil}
	s.readBack(r, func(ctx context.Context) error {
		d, err := s.db.Case(ctx, slug)
		if err == nil {
			d.Attachments, err = s.attachments(ctx, postgres.AttachmentsOf{Case: slug})
		}
		if err == nil {
			answer["version"], answer["case"] = d.Case.Version, withCaseStaffFields(ctx, toAPICaseDetail(d), d.Case)
		}
		return err
	})
	return writeJSON(w, http.StatusCreated, answer)
}

// errNoVersion refuses an edit that does not say which version it was made against: without
// it, nothing tells what the client saw, so it could overwrite what it never read.
var errNoVersion = tracker.Errorf(tracker.EINVALID, "The body must give version: the version of the record you read (staff reads carry it).")

// apiEditPerson changes the fields of a person the body sends (PATCH; PUT alike) if the
// person is still at the body's version. The merged record is validated as a whole.
func (s *Server) apiEditPerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiPersonWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var only sent
	only.add("name", in.Name != nil)
	only.add("name_ru", in.NameRU != nil)
	only.add("name_kk", in.NameKK != nil)
	only.add("aliases", in.Aliases != nil)
	only.add("role", in.Role != nil)
	only.add("place", in.Place != nil)
	only.add("notes", in.Notes != nil)
	only.add("internal_notes", in.InternalNotes != nil)
	only.add("born_on", in.BornOn != nil)
	only.add("affiliations", in.Affiliations != nil)
	if in.Version == nil {
		return errNoVersion
	}
	e := tracker.PersonEdit{Slug: slug, Revision: tracker.Revision{Version: *in.Version, Only: append([]string{}, only...), Strict: true},
		Name: deref(in.Name), Names: tracker.ScriptNames{RU: deref(in.NameRU), KK: deref(in.NameKK)}, Aliases: deref(in.Aliases), Role: deref(in.Role), Place: deref(in.Place), Notes: deref(in.Notes), InternalNotes: deref(in.InternalNotes),
		BornOn: deref(in.BornOn), Affiliations: deref(in.Affiliations)}
	if _, err := s.db.UpdatePerson(ctx, actor(ctx), e); err != nil {
		return editAnswered(w, err)
	}
	answer := map[string]any{"version": nil, "person": nil}
	s.readBack(r, func(ctx context.Context) error {
		d, err := s.db.Person(ctx, slug)
		if err == nil {
			d.Attachments, err = s.attachments(ctx, postgres.AttachmentsOf{Person: slug})
		}
		if err == nil {
			answer["version"], answer["person"] = d.Person.Version, toAPIPerson(ctx, d)
		}
		return err
	})
	return writeJSON(w, http.StatusOK, answer)
}

// apiEditCase changes the fields of a case the body sends, like apiEditPerson.
func (s *Server) apiEditCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiCaseWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	var only sent
	only.add("title", in.Title != nil)
	only.add("summary", in.Summary != nil)
	only.add("people", in.People != nil)
	only.add("organisations", in.Organisations != nil)
	only.add("legal_provisions", in.LegalProvisions != nil)
	only.add("internal_notes", in.InternalNotes != nil)
	facts, factsSent := in.Facts.edit()
	only = append(only, factsSent...)
	if in.Version == nil {
		return errNoVersion
	}
	e := tracker.CaseEdit{Slug: slug, Revision: tracker.Revision{Version: *in.Version, Only: append([]string{}, only...), Strict: true},
		Title: deref(in.Title), Summary: deref(in.Summary), People: deref(in.People), Organisations: deref(in.Organisations),
		LegalProvisions: deref(in.LegalProvisions), InternalNotes: deref(in.InternalNotes), Facts: facts}
	if _, err := s.db.UpdateCase(ctx, actor(ctx), e); err != nil {
		return editAnswered(w, err)
	}
	answer := map[string]any{"version": nil, "case": nil}
	s.readBack(r, func(ctx context.Context) error {
		d, err := s.db.Case(ctx, slug)
		if err == nil {
			d.Attachments, err = s.attachments(ctx, postgres.AttachmentsOf{Case: slug})
		}
		if err == nil {
			answer["version"], answer["case"] = d.Case.Version, withCaseStaffFields(ctx, toAPICaseDetail(d), d.Case)
		}
		return err
	})
	return writeJSON(w, http.StatusOK, answer)
}

// readBackBudget bounds the read that follows a committed write.
const readBackBudget = 2 * time.Second

// readBack reads, for the answer, the record a write has just committed. The write stands
// whatever happens here, so a failed read (a statement timeout, the connection lost right
// after the commit, the request's time used up) must not turn the answer into an error:
// it is logged, and the caller answers "saved" with what it knows (the record and its
// version null). The read runs on a context that outlives the request's deadline, with a
// short budget of its own.
func (s *Server) readBack(r *http.Request, read func(ctx context.Context) error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), readBackBudget)
	defer cancel()
	if err := read(ctx); err != nil {
		s.log.WarnContext(r.Context(), "saved, but not read back for the answer", "request_id", RequestID(r.Context()), "path", r.URL.Path, "err", err.Error())
	}
}

// The bodies of POST /api/v1/{people|cases|organisations|legal-provisions}: the record's
// fields, and optionally the slug proposed (409 when it is taken, 422 when malformed).
type (
	apiPersonCreate struct {
		Slug          string                    `json:"slug"`
		Name          string                    `json:"name"`
		NameRU        string                    `json:"name_ru"`
		NameKK        string                    `json:"name_kk"`
		Aliases       []string                  `json:"aliases"`
		Role          string                    `json:"role"`
		Place         string                    `json:"place"`
		Notes         string                    `json:"notes"`
		InternalNotes string                    `json:"internal_notes"`
		BornOn        *string                   `json:"born_on"`
		Affiliations  []tracker.AffiliationEdit `json:"affiliations"`
	}
	apiCaseCreate struct {
		Slug            string         `json:"slug"`
		Title           string         `json:"title"`
		Summary         string         `json:"summary"`
		People          []string       `json:"people"`
		Organisations   []string       `json:"organisations"`
		LegalProvisions []string       `json:"legal_provisions"`
		InternalNotes   string         `json:"internal_notes"`
		Facts           *apiFactsWrite `json:"facts"`
	}
	apiOrganisationWrite struct {
		Version *int      `json:"version"`
		Slug    *string   `json:"slug"`
		Name    *string   `json:"name"`
		NameRU  *string   `json:"name_ru"`
		NameKK  *string   `json:"name_kk"`
		Aliases *[]string `json:"aliases"`
		Kind    *string   `json:"kind"`
		Notes   *string   `json:"notes"`
	}
	apiLegalProvisionWrite struct {
		Version      *int      `json:"version"`
		Slug         *string   `json:"slug"`
		Name         *string   `json:"name"`
		NameRU       *string   `json:"name_ru"`
		NameKK       *string   `json:"name_kk"`
		Aliases      *[]string `json:"aliases"`
		Jurisdiction *string   `json:"jurisdiction"`
		Citation     *string   `json:"citation"`
		OfficialURL  *string   `json:"official_url"`
		Notes        *string   `json:"notes"`
	}
)

// apiCreated answers a create with 201 and the record as a staff read gives it (its slug
// and version included); when it cannot be read back, with its slug and a null version.
func (s *Server) apiCreated(w http.ResponseWriter, r *http.Request, t tracker.EntityType, slug string) error {
	var answer any = map[string]any{"slug": slug, "version": nil}
	s.readBack(r, func(ctx context.Context) error {
		out, _, _, err := s.apiRecord(ctx, t, slug)
		if err == nil {
			answer = out
		}
		return err
	})
	w.Header().Set("Location", "/api/v1"+t.Path(slug))
	return writeJSON(w, http.StatusCreated, answer)
}

// createAnswered answers a create: 201, or its refusal (422 per field, 409 for a slug taken).
func (s *Server) createAnswered(w http.ResponseWriter, r *http.Request, t tracker.EntityType, slug string, err error) error {
	if err != nil {
		return err
	}
	return s.apiCreated(w, r, t, slug)
}

func (s *Server) apiCreatePerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in apiPersonCreate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	slug, err := s.db.CreatePerson(ctx, actor(ctx), tracker.PersonEdit{Slug: in.Slug, Name: in.Name, Names: tracker.ScriptNames{RU: in.NameRU, KK: in.NameKK}, Aliases: tracker.SplitLines(strings.Join(in.Aliases, "\n")),
		Role: in.Role, Place: in.Place, Notes: in.Notes, InternalNotes: in.InternalNotes, BornOn: deref(in.BornOn), Affiliations: in.Affiliations})
	return s.createAnswered(w, r, tracker.PersonEntity, slug, err)
}

func (s *Server) apiCreateCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in apiCaseCreate
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	facts, _ := in.Facts.edit()
	slug, err := s.db.CreateCase(ctx, actor(ctx), tracker.CaseEdit{Slug: in.Slug, Title: in.Title, Summary: in.Summary,
		People: nonNil(in.People), Organisations: nonNil(in.Organisations), LegalProvisions: nonNil(in.LegalProvisions), InternalNotes: in.InternalNotes,
		Facts: facts})
	return s.createAnswered(w, r, tracker.CaseEntity, slug, err)
}

func (s *Server) apiCreateOrganisation(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in apiOrganisationWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version != nil {
		return tracker.Errorf(tracker.EINVALID, "A new record has no version yet: leave version out.")
	}
	slug, err := s.db.CreateOrganisation(ctx, actor(ctx), in.edit(""))
	return s.createAnswered(w, r, tracker.OrganisationEntity, slug, err)
}

func (s *Server) apiCreateLegalProvision(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	var in apiLegalProvisionWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Version != nil {
		return tracker.Errorf(tracker.EINVALID, "A new record has no version yet: leave version out.")
	}
	slug, err := s.db.CreateLegalProvision(ctx, actor(ctx), in.edit(""))
	return s.createAnswered(w, r, tracker.LegalProvisionEntity, slug, err)
}

// nonNil is items, or an empty list for none.
func nonNil(items []string) []string {
	if items == nil {
		return []string{}
	}
	return items
}

// edit is the body as an edit of the organisation at slug ("" on create: the slug the
// body proposes); on an edit, only the fields sent are set.
func (in apiOrganisationWrite) edit(slug string) tracker.OrganisationEdit {
	var only sent
	only.add("name", in.Name != nil)
	only.add("name_ru", in.NameRU != nil)
	only.add("name_kk", in.NameKK != nil)
	only.add("aliases", in.Aliases != nil)
	only.add("kind", in.Kind != nil)
	only.add("notes", in.Notes != nil)
	e := tracker.OrganisationEdit{Slug: slug, Name: deref(in.Name), Names: tracker.ScriptNames{RU: deref(in.NameRU), KK: deref(in.NameKK)}, Aliases: tracker.SplitLines(strings.Join(deref(in.Aliases), "\n")),
		Kind: deref(in.Kind), Notes: deref(in.Notes)}
	if slug == "" {
		e.Slug = deref(in.Slug)
	} else {
		e.Revision = tracker.Revision{Version: deref(in.Version), Only: append([]string{}, only...), Strict: true}
	}
	return e
}

// edit is the body as an edit of the legal provision at slug, like the organisation's.
func (in apiLegalProvisionWrite) edit(slug string) tracker.LegalProvisionEdit {
	var only sent
	only.add("name", in.Name != nil)
	only.add("name_ru", in.NameRU != nil)
	only.add("name_kk", in.NameKK != nil)
	only.add("aliases", in.Aliases != nil)
	only.add("jurisdiction", in.Jurisdiction != nil)
	only.add("citation", in.Citation != nil)
	only.add("official_url", in.OfficialURL != nil)
	only.add("notes", in.Notes != nil)
	e := tracker.LegalProvisionEdit{Slug: slug, Name: deref(in.Name), Names: tracker.ScriptNames{RU: deref(in.NameRU), KK: deref(in.NameKK)}, Aliases: tracker.SplitLines(strings.Join(deref(in.Aliases), "\n")),
		Jurisdiction: deref(in.Jurisdiction), Citation: deref(in.Citation), OfficialURL: deref(in.OfficialURL), Notes: deref(in.Notes)}
	if slug == "" {
		e.Slug = deref(in.Slug)
	} else {
		e.Revision = tracker.Revision{Version: deref(in.Version), Only: append([]string{}, only...), Strict: true}
	}
	return e
}

// apiEdited answers a PATCH or PUT that saved: 200 {version, record}, read back as staff
// read it.
func (s *Server) apiEdited(w http.ResponseWriter, r *http.Request, t tracker.EntityType, slug, key string) error {
	answer := map[string]any{"version": nil, key: nil}
	s.readBack(r, func(ctx context.Context) error {
		out, version, _, err := s.apiRecord(ctx, t, slug)
		if err == nil {
			answer[key], answer["version"] = out, version
		}
		return err
	})
	return writeJSON(w, http.StatusOK, answer)
}

// namedWrite is the body of an organisation's or a provision's PATCH: it says which
// version it was made at and, when it sends one, the slug.
type namedWrite interface{ versionAndSlug() (*int, *string) }

func (in *apiOrganisationWrite) versionAndSlug() (*int, *string)   { return in.Version, in.Slug }
func (in *apiLegalProvisionWrite) versionAndSlug() (*int, *string) { return in.Version, in.Slug }

// apiEditOrganisation changes the fields of an organisation the body sends (PATCH; PUT
// alike), like apiEditPerson.
func (s *Server) apiEditOrganisation(w http.ResponseWriter, r *http.Request) error {
	var in apiOrganisationWrite
	return s.apiEditNamed(w, r, tracker.OrganisationEntity, "organisation", &in, func(ctx context.Context, slug string) error {
		_, err := s.db.UpdateOrganisation(ctx, actor(ctx), in.edit(slug))
		return err
	})
}

// apiEditLegalProvision changes the fields of a legal provision the body sends.
func (s *Server) apiEditLegalProvision(w http.ResponseWriter, r *http.Request) error {
	var in apiLegalProvisionWrite
	return s.apiEditNamed(w, r, tracker.LegalProvisionEntity, "legal_provision", &in, func(ctx context.Context, slug string) error {
		_, err := s.db.UpdateLegalProvision(ctx, actor(ctx), in.edit(slug))
		return err
	})
}

// apiEditNamed decodes an organisation's or a provision's write into in, refuses one
// without a version or with another slug, saves it with save and answers as apiEdited.
func (s *Server) apiEditNamed(w http.ResponseWriter, r *http.Request, t tracker.EntityType, key string, in namedWrite,
	save func(ctx context.Context, slug string) error) error {
	slug := chi.URLParam(r, "slug")
	if err := decodeJSON(r, in); err != nil {
		return err
	}
	switch version, sent := in.versionAndSlug(); {
	case version == nil:
		return errNoVersion
	case sent != nil && *sent != slug:
		return tracker.Errorf(tracker.EINVALID, "A record's slug does not change.")
	}
	if err := save(r.Context(), slug); err != nil {
		return editAnswered(w, err)
	}
	return s.apiEdited(w, r, t, slug, key)
}
