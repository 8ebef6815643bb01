package server

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func (s *Server) handleImports(w http.ResponseWriter, r *http.Request) error {
	return s.renderImports(w, r, http.StatusOK, web.ImportForm{})
}

func (s *Server) renderImports(w http.ResponseWriter, r *http.Request, status int, f web.ImportForm) error {
	drafts, err := s.db.Drafts(r.Context())
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.ImportsPage(drafts, f))
}

// handleCreateImport parses a pasted or uploaded text into a draft and opens its review.
// A text that cannot be parsed comes back in the form, with the line it stopped at.
func (s *Server) handleCreateImport(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseMultipartForm(1 << 20); err != nil && !errors.Is(err, http.ErrNotMultipart) {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	req := importer.Request{Procedure: r.PostFormValue("procedure"), Title: r.PostFormValue("title"), Date: r.PostFormValue("date"), Text: r.PostFormValue("text")}
	if file, _, err := r.FormFile("file"); err == nil {
		raw, err := io.ReadAll(io.LimitReader(file, importer.MaxSourceBytes+1))
		file.Close()
		if err != nil {
			return err
		}
		if len(raw) > 0 {
			req.Text = string(raw)
		}
	}
	id, err := s.db.CreateDraft(ctx, actor(ctx), req)
	var verr *tracker.ValidationError
	if errors.As(err, &verr) {
		return s.renderImports(w, r, http.StatusUnprocessableEntity, web.ImportForm{Request: req, Errors: verr.Fields})
	} else if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/imports/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

func draftID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id < 1 {
		return 0, tracker.Errorf(tracker.ENOTFOUND, "There is no import at this address.")
	}
	return id, nil
}

func (s *Server) handleImport(w http.ResponseWriter, r *http.Request) error {
	f := web.ReviewForms{}
	switch r.URL.Query().Get("done") {
	case "links":
		f.Notice = "Link decisions saved."
	case "entity":
		f.Notice = "Added; the text is linked to them now."
	case "demand":
		f.Notice = "Demand added."
	case "removed":
		f.Notice = "Removed."
	case "discarded":
		f.Notice = "Discarded: this draft will not be published."
	}
	f.CandidatesFrom, _ = strconv.Atoi(r.URL.Query().Get("candidates"))
	return s.renderReview(w, r, http.StatusOK, f)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, f web.ReviewForms) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	v, err := s.db.DraftView(r.Context(), id)
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.ImportReviewPage(v, f))
}

// reviewStep runs one review change posted from the review page: on success it goes back
// to the page with a notice; a conflict or refused input shows the page again, with the
// message and the input kept.
func (s *Server) reviewStep(w http.ResponseWriter, r *http.Request, done string, f web.ReviewForms, change func(id int64, version int) error) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = change(id, version)
	if err == nil {
		http.Redirect(w, r, "/admin/imports/"+strconv.FormatInt(id, 10)+"?done="+done, http.StatusSeeOther)
		return nil
	}
	errs, conflict, err := refused(err)
	switch {
	case err != nil:
		return err
	case conflict != "":
		f.Conflict = conflict
		return s.renderReview(w, r, http.StatusConflict, f)
	case done == "entity":
		f.EntityErrs = tracker.FieldErrors{}
		for k, v := range errs {
			f.EntityErrs[f.EntityAt+"-"+k] = v
		}
	default:
		f.DemandErrs = errs
	}
	return s.renderReview(w, r, http.StatusUnprocessableEntity, f)
}

func (s *Server) handleImportLinks(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	accepted := map[string]bool{}
	for _, k := range r.PostForm["accept"] {
		accepted[k] = true
	}
	var rejected []string
	for _, k := range r.PostForm["key"] {
		if !accepted[k] {
			rejected = append(rejected, k)
		}
	}
	return s.reviewStep(w, r, "links", web.ReviewForms{}, func(id int64, version int) error {
		return s.db.SetDraftLinks(ctx, actor(ctx), id, version, rejected)
	})
}

func (s *Server) handleImportEntity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	e := importer.NewEntity{Type: tracker.EntityType(r.PostFormValue("type")), Name: r.PostFormValue("name"), Role: strings.TrimSpace(r.PostFormValue("role")),
		Aliases: strings.Split(r.PostFormValue("aliases"), "\n")}
	at := r.PostFormValue("at")
	if at != "new" && !strings.HasPrefix(at, "cand-") {
		at = "new"
	}
	f := web.ReviewForms{Entity: e, EntityAt: at, Aliases: r.PostFormValue("aliases"), CandidatesFrom: web.CandidatesFromAt(at)}
	return s.reviewStep(w, r, "entity", f, func(id int64, version int) error {
		return s.db.AddDraftEntity(ctx, actor(ctx), id, version, e)
	})
}

func (s *Server) handleImportRemoveEntity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	return s.reviewStep(w, r, "removed", web.ReviewForms{}, func(id int64, version int) error {
		return s.db.RemoveDraftEntity(ctx, actor(ctx), id, version, tracker.EntityType(r.PostFormValue("type")), r.PostFormValue("slug"))
	})
}

func (s *Server) handleImportDemand(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	d := importer.NewDemand{Clause: r.PostFormValue("clause"), Action: tracker.DemandAction(r.PostFormValue("action")), Wording: r.PostFormValue("wording")}
	for _, t := range r.PostForm["target"] {
		if typ, slug, ok := strings.Cut(t, "/"); ok {
			d.Targets = append(d.Targets, tracker.EntityRef{Type: tracker.EntityType(typ), Slug: slug})
		}
	}
	return s.reviewStep(w, r, "demand", web.ReviewForms{Demand: d}, func(id int64, version int) error {
		return s.db.AddDraftDemand(ctx, actor(ctx), id, version, d)
	})
}

func (s *Server) handleImportDiscard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	return s.reviewStep(w, r, "discarded", web.ReviewForms{}, func(id int64, version int) error {
		return s.db.DiscardDraft(ctx, actor(ctx), id, version)
	})
}

// handleImportPublish publishes a draft and shows the published resolution.
func (s *Server) handleImportPublish(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := draftID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	res, err := s.db.PublishDraft(ctx, actor(ctx), id, version)
	switch {
	case err == nil:
		http.Redirect(w, r, "/resolutions/"+res.Slug, http.StatusSeeOther)
		return nil
	case tracker.ErrorCode(err) == tracker.ECONFLICT:
		return s.renderReview(w, r, http.StatusConflict, web.ReviewForms{Conflict: tracker.ErrorMessage(err)})
	}
	return err
}
