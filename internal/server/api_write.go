package server

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// The write API: the same rules as the forms, answered in JSON. 400 for a body that is not
// the JSON asked for, 401/403 for who may write, 409 with the current version when the
// record changed since it was read, 422 with per-field messages for invalid values.

type apiStatusWrite struct {
	Version      int            `json:"version"`
	Status       tracker.Status `json:"status"`
	EffectiveOn  string         `json:"effective_on"`
	Note         string         `json:"note"`
	InternalNote string         `json:"internal_note"`
	SourceURL    string         `json:"source_url"`
	SourceClause string         `json:"source_clause"` // "resolution-slug#eid"
	Supersedes   int64          `json:"supersedes"`
}

type apiPersonWrite struct {
	Version       int      `json:"version"`
	Name          string   `json:"name"`
	Aliases       []string `json:"aliases"`
	Role          string   `json:"role"`
	Place         string   `json:"place"`
	Notes         string   `json:"notes"`
	InternalNotes string   `json:"internal_notes"`
}

type apiCaseWrite struct {
	Version         int      `json:"version"`
	Title           string   `json:"title"`
	Summary         string   `json:"summary"`
	People          []string `json:"people"`
	Organisations   []string `json:"organisations"`
	LegalProvisions []string `json:"legal_provisions"`
	InternalNotes   string   `json:"internal_notes"`
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

func (s *Server) apiAddStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiStatusWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u := tracker.StatusUpdate{CaseSlug: slug, Version: in.Version, Status: in.Status, EffectiveOn: in.EffectiveOn, Note: in.Note,
		InternalNote: in.InternalNote, SourceURL: in.SourceURL, SourceClause: in.SourceClause, Supersedes: in.Supersedes}
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
	d, err := s.db.Case(ctx, slug)
	if err != nil {
		return err
	}
	out := toAPICase(d.Case, d.Clauses)
	return writeJSON(w, http.StatusCreated, map[string]any{"id": id, "version": d.Case.Version, "case": out})
}

func (s *Server) apiEditPerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiPersonWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	if in.Aliases == nil {
		in.Aliases = []string{}
	}
	e := tracker.PersonEdit{Slug: slug, Version: in.Version, Name: in.Name, Aliases: in.Aliases, Role: in.Role, Place: in.Place,
		Notes: in.Notes, InternalNotes: in.InternalNotes}
	if errs := e.Validate(); errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	err := s.db.UpdatePerson(ctx, actor(ctx), e)
	d, rerr := s.db.Person(ctx, slug) // the record as it now stands, for either answer
	if tracker.ErrorCode(err) == tracker.ECONFLICT && rerr == nil {
		return writeConflict(w, err, d.Person.Version)
	} else if err != nil {
		return err
	} else if rerr != nil {
		return rerr
	}
	p := d.Person
	return writeJSON(w, http.StatusOK, map[string]any{"version": p.Version, "person": apiEntity{Slug: p.Slug, Name: p.Name, Aliases: p.Aliases,
		Role: p.Role, Place: p.Place, Notes: p.Notes, URL: tracker.PersonEntity.Path(p.Slug), Cases: toAPICases(d.Cases), Clauses: toAPIClauseRefs(d.Clauses)}})
}

func (s *Server) apiEditCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiCaseWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	e := tracker.CaseEdit{Slug: slug, Version: in.Version, Title: in.Title, Summary: in.Summary, People: in.People,
		Organisations: in.Organisations, LegalProvisions: in.LegalProvisions, InternalNotes: in.InternalNotes}
	if errs := e.Validate(); errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	err := s.db.UpdateCase(ctx, actor(ctx), e)
	d, rerr := s.db.Case(ctx, slug) // the record as it now stands, for either answer
	if tracker.ErrorCode(err) == tracker.ECONFLICT && rerr == nil {
		return writeConflict(w, err, d.Case.Version)
	} else if err != nil {
		return err
	} else if rerr != nil {
		return rerr
	}
	return writeJSON(w, http.StatusOK, map[string]any{"version": d.Case.Version, "case": toAPICase(d.Case, d.Clauses)})
}
