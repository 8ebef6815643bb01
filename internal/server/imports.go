package server

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
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
	req := importer.Request{Procedure: r.PostFormValue("procedure"), Title: r.PostFormValue("title"), Date: r.PostFormValue("date"),
		Stage: r.PostFormValue("stage"), Reference: r.PostFormValue("reference"), Text: r.PostFormValue("text")}
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
	return s.saved(w, r, "/admin/imports/"+strconv.FormatInt(id, 10), "Parsed and kept as a draft. Review it below; nothing is public until you publish.")
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
	f.CandidatesFrom, _ = strconv.Atoi(r.URL.Query().Get("candidates"))
	f.ProposalsFrom, _ = strconv.Atoi(r.URL.Query().Get("proposals"))
	if id, err := draftID(r); err == nil {
		if raw := s.sessions.PopString(r.Context(), keptKey(id)); raw != "" {
			var kept url.Values
			if json.Unmarshal([]byte(raw), &kept) == nil {
				if err := s.showKept(r.Context(), &f, kept); err != nil {
					return err
				}
			}
		}
	}
	return s.renderReview(w, r, http.StatusOK, f)
}

// reviewNotices are what the review page says after each of its actions succeeded.
var reviewNotices = map[string]string{
	"saved":          "Your decisions are saved.",
	"check":          "Your decisions are saved. Check them before publishing.",
	"entity":         "Added; the text is linked to them now. Your other decisions are saved too.",
	"removed":        "Removed. Your other decisions are saved.",
	"demand":         "Demand added. Your other decisions are saved too.",
	"demand-removed": "Demand removed. Your other decisions are saved.",
}

// draftView reads the draft the address names; decisions sent but not saved (a refused
// post) are shown on it as sent.
func (s *Server) draftView(r *http.Request, posted *importer.Decisions) (importer.View, error) {
	id, err := draftID(r)
	if err != nil {
		return importer.View{}, err
	}
	v, err := s.db.DraftView(r.Context(), id)
	if err == nil && posted != nil {
		v.Preview.Overlay(*posted)
	}
	return v, err
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, f web.ReviewForms) error {
	v, err := s.draftView(r, f.Posted)
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.ImportReviewPage(v, f))
}

// reviewDecisions reads the decisions the review page's one form sends with every button:
// which of the links it shows are ticked, and what was decided about each proposed demand.
// nil when the request does not come from that form (it carries no "decisions" field), so
// that such a request changes no decision.
func reviewDecisions(r *http.Request) *importer.Decisions {
	if r.PostFormValue("decisions") != "1" {
		return nil
	}
	d := &importer.Decisions{RejectedLinks: []string{}}
	accepted := map[string]bool{}
	for _, k := range r.PostForm["accept"] {
		accepted[k] = true
	}
	for _, k := range r.PostForm["key"] {
		if !accepted[k] {
			d.RejectedLinks = append(d.RejectedLinks, k)
		}
	}
	for _, n := range r.PostForm["proposal"] {
		pre := "prop-" + n + "-"
		pd := importer.ProposalDecision{Key: r.PostFormValue(pre + "key"), Decision: r.PostFormValue(pre + "decision"),
			Demand: importer.NewDemand{Action: tracker.DemandAction(r.PostFormValue(pre + "action")), Wording: r.PostFormValue(pre + "wording"),
				Targets: targetRefs(r.PostForm[pre+"target"])}}
		if pd.Key != "" && (pd.Decision == "" || pd.Decision == importer.Accept || pd.Decision == importer.Reject) {
			d.Proposals = append(d.Proposals, pd)
		}
	}
	return d
}

// targetRefs reads demand targets sent as "type/slug".
func targetRefs(values []string) []tracker.EntityRef {
	var out []tracker.EntityRef
	for _, t := range values {
		if typ, slug, ok := strings.Cut(t, "/"); ok {
			out = append(out, tracker.EntityRef{Type: tracker.EntityType(typ), Slug: slug})
		}
	}
	return out
}

// reviewStep runs one action posted from the review page, with the decisions the page
// sent: on success it goes back to the page with a notice; a conflict or refused input
// shows the page again with the message, every decision and the input as sent.
func (s *Server) reviewStep(w http.ResponseWriter, r *http.Request, done string, f web.ReviewForms, change func(id int64, version int, d *importer.Decisions) error) error {
	id, err := draftID(r)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	d := reviewDecisions(r)
	err = change(id, version, d)
	// What was typed on the page and not sent by this action's part of the form comes
	// back on the next page, whatever the action was.
	kept := keptInput(r, map[string]string{"entity": f.EntityAt, "demand": "demand"}[done])
	if err == nil {
		to := "/admin/imports/" + strconv.FormatInt(id, 10)
		if done == "check" {
			to += "/check"
		} else {
			q := url.Values{}
			for _, window := range []string{"candidates", "proposals"} {
				if from, _ := strconv.Atoi(r.PostFormValue(window)); from > 0 {
					q.Set(window, strconv.Itoa(from))
				}
			}
			if len(q) > 0 {
				to += "?" + q.Encode()
			}
			to += map[string]string{"entity": "#people-h", "removed": "#people-h", "demand": "#demands-h", "demand-removed": "#demands-h"}[done]
		}
		if raw, err := json.Marshal(kept); err == nil && len(kept) > 0 && len(raw) <= maxKeptBytes {
			s.sessions.Put(r.Context(), keptKey(id), string(raw))
		}
		return s.saved(w, r, to, reviewNotices[done])
	}
	errs, conflict, err := refused(err)
	if err != nil {
		return err
	}
	if err := s.showKept(r.Context(), &f, kept); err != nil {
		return err
	}
	f.Posted = d
	if f.CandidatesFrom == 0 {
		f.CandidatesFrom, _ = strconv.Atoi(r.PostFormValue("candidates"))
	}
	f.ProposalsFrom, _ = strconv.Atoi(r.PostFormValue("proposals"))
	if conflict != "" {
		f.Conflict = conflict
		return s.renderReview(w, r, http.StatusConflict, f)
	}
	for k, v := range errs {
		switch {
		case strings.Contains(k, "/"):
			if f.ProposalErrs == nil {
				f.ProposalErrs = tracker.FieldErrors{}
			}
			f.ProposalErrs[k] = v
		case done == "entity":
			if f.EntityErrs == nil {
				f.EntityErrs = tracker.FieldErrors{}
			}
			f.EntityErrs[f.EntityAt+"-"+k] = v
		default:
			if f.DemandErrs == nil {
				f.DemandErrs = tracker.FieldErrors{}
			}
			f.DemandErrs[k] = v
		}
	}
	return s.renderReview(w, r, http.StatusUnprocessableEntity, f)
}

// handleImportLinks saves the review page's decisions ("Save decisions").
func (s *Server) handleImportLinks(w http.ResponseWriter, r *http.Request) error {
	return s.saveDecisions(w, r, "saved")
}

// handleImportCheck saves the review page's decisions and goes on to check them.
func (s *Server) handleImportCheck(w http.ResponseWriter, r *http.Request) error {
	return s.saveDecisions(w, r, "check")
}

func (s *Server) saveDecisions(w http.ResponseWriter, r *http.Request, done string) error {
	ctx := r.Context()
	return s.reviewStep(w, r, done, web.ReviewForms{}, func(id int64, version int, d *importer.Decisions) error {
		if d == nil {
			return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again from the review page.")
		}
		return s.db.SaveDraftDecisions(ctx, actor(ctx), id, version, *d)
	})
}

// handleImportEntity creates a person or organisation from the form the button named
// (name="at": "cand-N" or "new"), whose fields are prefixed with it.
func (s *Server) handleImportEntity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	at := r.PostFormValue("at")
	if at != "new" && !strings.HasPrefix(at, "cand-") {
		at = "new"
	}
	field := func(name string) string { return r.PostFormValue(at + "-" + name) }
	e := importer.NewEntity{Type: tracker.EntityType(field("type")), Name: field("name"), Role: strings.TrimSpace(field("role")),
		Place: strings.TrimSpace(field("place")), Aliases: strings.Split(field("aliases"), "\n")}
	f := web.ReviewForms{Entity: e, EntityAt: at, Aliases: field("aliases"), CandidatesFrom: web.CandidatesFromAt(at)}
	return s.reviewStep(w, r, "entity", f, func(id int64, version int, d *importer.Decisions) error {
		return s.db.AddDraftEntity(ctx, actor(ctx), id, version, d, e)
	})
}

// handleImportRemoveEntity takes back a new person or organisation; the button says which
// (name="remove", "type/slug").
func (s *Server) handleImportRemoveEntity(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	return s.reviewStep(w, r, "removed", web.ReviewForms{}, func(id int64, version int, d *importer.Decisions) error {
		typ, slug, _ := strings.Cut(r.PostFormValue("remove"), "/")
		return s.db.RemoveDraftEntity(ctx, actor(ctx), id, version, d, tracker.EntityType(typ), slug)
	})
}

// handleImportDemand adds a demand: its targets are the ticked records the text links and
// the records picked by name (web.TargetPickerName); a name that does not come to one
// record sends the page back, nothing saved, to choose or correct it.
func (s *Server) handleImportDemand(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := r.ParseForm(); err != nil {
		return tracker.Errorf(tracker.EINVALID, "The form could not be read: send it again.")
	}
	nd := demandFrom(r.PostForm)
	f := web.ReviewForms{}
	problem, err := s.readTargetPicker(r, &nd, &f)
	if err != nil {
		return err
	}
	f.Demand = nd
	return s.reviewStep(w, r, "demand", f, func(id int64, version int, d *importer.Decisions) error {
		if problem != "" {
			return &tracker.ValidationError{Fields: tracker.FieldErrors{web.TargetPickerName: problem}}
		}
		return s.db.AddDraftDemand(ctx, actor(ctx), id, version, d, nd)
	})
}

// handleImportRemoveDemand takes back a demand staff added; the button's value is its key.
func (s *Server) handleImportRemoveDemand(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	return s.reviewStep(w, r, "demand-removed", web.ReviewForms{}, func(id int64, version int, d *importer.Decisions) error {
		return s.db.RemoveDraftDemand(ctx, actor(ctx), id, version, d, r.PostFormValue("remove"))
	})
}

// handleImportCheckPage shows what publishing will write ("check your answers"), with a
// way back to each part of the review, and the button that publishes.
func (s *Server) handleImportCheckPage(w http.ResponseWriter, r *http.Request) error {
	return s.renderCheck(w, r, http.StatusOK, "", "")
}

func (s *Server) renderCheck(w http.ResponseWriter, r *http.Request, status int, conflict, warningsErr string) error {
	v, err := s.draftView(r, nil)
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.ImportCheckPage(v, conflict, warningsErr))
}

// handleImportDiscardPage asks to confirm discarding a draft.
func (s *Server) handleImportDiscardPage(w http.ResponseWriter, r *http.Request) error {
	v, err := s.draftView(r, nil)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ImportDiscardPage(v, ""))
}

func (s *Server) handleImportDiscard(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := draftID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	err = s.db.DiscardDraft(ctx, actor(ctx), id, version)
	switch {
	case err == nil:
		return s.saved(w, r, "/admin/imports/"+strconv.FormatInt(id, 10), "Discarded: this draft will not be published.")
	case tracker.ErrorCode(err) == tracker.ECONFLICT:
		v, verr := s.draftView(r, nil)
		if verr != nil {
			return verr
		}
		return render(ctx, w, http.StatusConflict, web.ImportDiscardPage(v, tracker.ErrorMessage(err)))
	}
	return err
}

// handleImportPublish publishes a draft and shows the published resolution; a refusal
// comes back on the check page, saying why: a conflict above the form, an unticked
// warnings box (the storage asks it of every way of publishing) beside the box.
func (s *Server) handleImportPublish(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := draftID(r)
	if err != nil {
		return err
	}
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	res, err := s.db.PublishDraft(ctx, actor(ctx), id, version, r.PostFormValue(importer.WarningsField) == "yes")
	if err == nil {
		return s.saved(w, r, "/resolutions/"+res.Slug, fmt.Sprintf("Published: %d clauses added, %d changed, %d removed; %d links, %d people, %d organisations and %d demands are public now.",
			res.Added, res.Changed, res.Removed, res.Links, res.People, res.Organisations, res.Demands))
	}
	fields, conflict, err := refused(err)
	if err != nil {
		return err
	}
	if conflict != "" {
		return s.renderCheck(w, r, http.StatusConflict, conflict, "")
	}
	return s.renderCheck(w, r, http.StatusUnprocessableEntity, "", fields[importer.WarningsField])
}
