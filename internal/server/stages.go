package server

import (
	"errors"
	"net/http"
	"strconv"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// handleEditTextForm shows staff which text a resolution is (stage, reference, date) and
// its official link, to confirm or correct (issue 15 §0, §3).
func (s *Server) handleEditTextForm(w http.ResponseWriter, r *http.Request) error {
	res, err := s.db.Resolution(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.TextEditPage(res, textEditOf(res), nil))
}

func textEditOf(res tracker.Resolution) tracker.TextEdit {
	e := tracker.TextEdit{Slug: res.Slug, Version: res.Version, Stage: string(res.Stage), Reference: res.Reference, OfficialURL: res.OfficialURL}
	if !res.TextDate.IsZero() {
		e.TextDate = res.TextDate.Format("2006-01-02")
	}
	return e
}

// handleEditText saves the form: refused input comes back with the error beside its field
// (422), a form read before someone else's save with their values and a 409.
func (s *Server) handleEditText(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	res, err := s.db.Resolution(ctx, chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	e := tracker.TextEdit{Slug: res.Slug, Version: version, Stage: r.PostFormValue("stage"), Reference: r.PostFormValue("reference"),
		TextDate: r.PostFormValue("text_date"), OfficialURL: r.PostFormValue("official_url")}
	err = s.db.EditResolutionText(ctx, actor(ctx), e)
	var verr *tracker.ValidationError
	switch {
	case err == nil:
		return s.saved(w, r, "/resolutions/"+res.Slug, "Saved which text this is and its official link.")
	case errors.As(err, &verr):
		return render(ctx, w, http.StatusUnprocessableEntity, web.TextEditPage(res, e, verr.Fields))
	case tracker.ErrorCode(err) == tracker.ECONFLICT:
		return render(ctx, w, http.StatusConflict, web.TextEditPage(res, textEditOf(res), tracker.FieldErrors{"stage": tracker.ErrorMessage(err)}))
	}
	return err
}

// handleCompare sets two texts of one procedure side by side, clause by clause.
func (s *Server) handleCompare(w http.ResponseWriter, r *http.Request) error {
	left, err := s.db.Resolution(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	right, err := s.db.Resolution(r.Context(), chi.URLParam(r, "other"))
	if err != nil {
		return err
	}
	if left.Procedure != right.Procedure || left.Slug == right.Slug {
		return tracker.Errorf(tracker.ENOTFOUND, "These are not two texts of one procedure.")
	}
	return render(r.Context(), w, http.StatusOK, web.ComparePage(left, right, tracker.CompareClauses(left.Clauses, right.Clauses)))
}

// handleCarryOverForm lists the demands of the procedure's other texts that this text
// could take over, each with a "carry over" box (issue 15 §0).
func (s *Server) handleCarryOverForm(w http.ResponseWriter, r *http.Request) error {
	res, cands, err := s.db.CarryOver(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.CarryOverPage(res, cands, nil, nil))
}

// handleCarryOver carries the ticked demands over in one transaction; none ticked, or one
// that cannot be carried, comes back with the error beside the list (422), ticks kept.
func (s *Server) handleCarryOver(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	ticked := r.PostForm["demand"]
	n, err := s.db.CarryOverDemands(ctx, actor(ctx), slug, ticked)
	var verr *tracker.ValidationError
	switch {
	case err == nil:
		return s.saved(w, r, "/resolutions/"+slug, web.Plural(n, "demand", "demands")+" carried over; each starts as not yet assessed.")
	case !errors.As(err, &verr):
		return err
	}
	res, cands, err := s.db.CarryOver(ctx, slug)
	if err != nil {
		return err
	}
	return render(ctx, w, http.StatusUnprocessableEntity, web.CarryOverPage(res, cands, ticked, verr.Fields))
}
