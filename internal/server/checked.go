package server

import (
	"context"
	"net/http"
	"strconv"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// "Mark as checked today" (issue 13 §4, §7): staff who checked that a case status or a
// demand state still holds say so with one button, which sets the entry's verified_on to
// today (the server's date, UTC) and changes nothing else. The dashboard's staleness counts
// from it. Like a new entry, it needs the record still at the version the page was read at.

// checkedHistory is the history an entry to mark belongs to: a case's statuses or a
// demand's states.
type checkedHistory struct {
	noun    string // "status" or "state", for the notice
	mark    func(db *postgres.DB, ctx context.Context, a postgres.Actor, slug string, id int64, version int, today time.Time) (int, error)
	version func(s *Server, ctx context.Context, slug string) (int, error) // the record's current version, for a 409
	path    func(slug string) string                                       // the record's page
}

var (
	statusChecks = checkedHistory{
		noun: "status",
		mark: (*postgres.DB).MarkStatusChecked,
		version: func(s *Server, ctx context.Context, slug string) (int, error) {
			d, err := s.db.Case(ctx, slug)
			return d.Case.Version, err
		},
		path: tracker.CaseEntity.Path,
	}
	stateChecks = checkedHistory{
		noun: "state",
		mark: (*postgres.DB).MarkDemandStateChecked,
		version: func(s *Server, ctx context.Context, slug string) (int, error) {
			d, err := s.db.Demand(ctx, slug)
			return d.Version, err
		},
		path: func(slug string) string { return "/demands/" + slug },
	}
)

// entryID reads the {id} of an entry's address; anything but a positive number is no entry.
func entryID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tracker.Errorf(tracker.ENOTFOUND, "There is no such history entry.")
	}
	return id, nil
}

// handleMarkChecked marks an entry checked from the staff pages' button (a form posting
// the record's version), and goes back to the entry with the one saved notice.
func (s *Server) handleMarkChecked(h checkedHistory) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		slug := chi.URLParam(r, "slug")
		id, err := entryID(r)
		if err != nil {
			return err
		}
		version, err := strconv.Atoi(r.PostFormValue("version"))
		if err != nil {
			return errNoVersion
		}
		today := time.Now().UTC()
		if _, err := h.mark(s.db, r.Context(), actor(r.Context()), slug, id, version, today); err != nil {
			return err
		}
		return s.saved(w, r, h.path(slug)+"#"+h.noun+"-"+strconv.FormatInt(id, 10),
			"Marked as checked today ("+web.Date(today)+"): the "+h.noun+" still holds.")
	}
}

// apiMarkChecked is the same through the API: POST with {version} → 200 {id, verified_on, version}.
func (s *Server) apiMarkChecked(h checkedHistory) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		slug := chi.URLParam(r, "slug")
		id, err := entryID(r)
		if err != nil {
			return err
		}
		var in struct {
			Version *int `json:"version"`
		}
		if err := decodeJSON(r, &in); err != nil {
			return err
		}
		if in.Version == nil {
			return errNoVersion
		}
		today := time.Now().UTC()
		version, err := h.mark(s.db, ctx, actor(ctx), slug, id, *in.Version, today)
		if tracker.ErrorCode(err) == tracker.ECONFLICT {
			current, rerr := h.version(s, ctx, slug)
			if rerr != nil {
				return rerr
			}
			return writeConflict(w, err, current)
		}
		if err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"id": id, "verified_on": today.Format(time.DateOnly), "version": version})
	}
}
