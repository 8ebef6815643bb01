package server

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func (s *Server) handleDashboard(w http.ResponseWriter, r *http.Request) error {
	days := 180
	if v := r.URL.Query().Get("days"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 3650 {
			return tracker.Errorf(tracker.EINVALID, "days must be a whole number from 1 to 3650.")
		}
		days = n
	}
	stale, recent, err := s.db.StaleCases(r.Context(), days, 50)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.StaffDashboard(stale, recent, days))
}

// clauseOptions offers the clauses that cite a case as its status's source.
func clauseOptions(cs []tracker.CitingClause) []web.ClauseOption {
	out := make([]web.ClauseOption, len(cs))
	for i, c := range cs {
		out[i] = web.ClauseOption{Value: c.ResolutionSlug + "#" + c.EID, Label: c.ResolutionProcedure + ", " + tracker.KindLabel(c.Kind, c.Label)}
	}
	return out
}

// statusUpdateFromForm reads the add-a-status form.
func statusUpdateFromForm(r *http.Request, slug string) tracker.StatusUpdate {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	supersedes, _ := strconv.ParseInt(r.PostFormValue("supersedes"), 10, 64)
	return tracker.StatusUpdate{
		CaseSlug: slug, Version: version, Status: tracker.Status(r.PostFormValue("status")),
		EffectiveOn: r.PostFormValue("effective_on"), Note: r.PostFormValue("note"), InternalNote: r.PostFormValue("internal_note"),
		SourceURL: r.PostFormValue("source_url"), SourceClause: r.PostFormValue("source_clause"), Supersedes: supersedes,
	}
}

// handleAddStatus appends to a case's history. Invalid input re-renders the case page with
// the messages beside the fields; a stale version re-renders it with the newer history and
// the user's input kept; success goes back to the case's timeline.
func (s *Server) handleAddStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	u := statusUpdateFromForm(r, slug)
	on, errs := u.Validate(time.Now())
	var conflict string
	if !errs.Any() {
		_, err := s.db.AppendStatus(ctx, actor(ctx), u, on)
		if err == nil {
			http.Redirect(w, r, "/cases/"+slug+"#timeline-h", http.StatusSeeOther)
			return nil
		}
		if errs, conflict, err = refused(err); err != nil {
			return err
		}
	}
	d, err := s.db.Case(ctx, slug)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if conflict != "" {
		status = http.StatusConflict
		u.Version = d.Case.Version // resubmitting now applies on top of the newer history
	}
	d.Case.Version = u.Version
	form := web.StatusForm{Update: u, Errors: errs, Conflict: conflict, Clauses: clauseOptions(d.Clauses)}
	return render(ctx, w, status, web.CasePage(d, &form))
}

func personFormFromRequest(r *http.Request, slug string) web.PersonForm {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	aliases := r.PostFormValue("aliases")
	return web.PersonForm{Aliases: aliases, Edit: tracker.PersonEdit{
		Slug: slug, Version: version, Name: r.PostFormValue("name"), Aliases: tracker.SplitLines(aliases),
		Role: r.PostFormValue("role"), Place: r.PostFormValue("place"), Notes: r.PostFormValue("notes"),
		InternalNotes: r.PostFormValue("internal_notes"),
	}}
}

func (s *Server) handleEditPersonForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Person(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	p := d.Person
	form := web.PersonForm{Aliases: strings.Join(p.Aliases, "\n"), Edit: tracker.PersonEdit{
		Slug: p.Slug, Version: p.Version, Name: p.Name, Aliases: p.Aliases, Role: p.Role, Place: p.Place, Notes: p.Notes, InternalNotes: p.InternalNotes}}
	return render(r.Context(), w, http.StatusOK, web.PersonEditPage(p, form))
}

func (s *Server) handleEditPerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	form := personFormFromRequest(r, slug)
	form.Errors = form.Edit.Validate()
	status := http.StatusUnprocessableEntity
	if !form.Errors.Any() {
		err := s.db.UpdatePerson(ctx, actor(ctx), form.Edit)
		if err == nil {
			http.Redirect(w, r, "/people/"+slug, http.StatusSeeOther)
			return nil
		}
		var conflict string
		if form.Errors, conflict, err = refused(err); err != nil {
			return err
		}
		if conflict != "" {
			status = http.StatusConflict
		}
	}
	d, err := s.db.Person(ctx, slug)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		form.Conflict = &d.Person
		form.Edit.Version = d.Person.Version
	}
	return render(ctx, w, status, web.PersonEditPage(d.Person, form))
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	users, err := s.db.Users(r.Context())
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.UsersPage(users, web.UserForm{Role: "editor"}))
}

// handleAddUser creates an account with a generated password, shown to the admin once.
func (s *Server) handleAddUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, ok := tracker.NormalizeEmail(r.PostFormValue("email"))
	form := web.UserForm{Email: r.PostFormValue("email"), Role: r.PostFormValue("role"), Errors: tracker.FieldErrors{}}
	if !ok {
		form.Errors["email"] = "Give a valid email address."
	}
	if !tracker.Role(form.Role).Valid() {
		form.Errors["role"] = "Choose editor or admin."
	}
	status := http.StatusOK
	if !form.Errors.Any() {
		secret := auth.RandomSecret(18)
		hash, err := auth.Hash(secret)
		if err != nil {
			return err
		}
		_, err = s.db.CreateUser(ctx, actor(ctx), email, tracker.Role(form.Role), hash)
		switch {
		case err == nil:
			form = web.UserForm{Role: "editor", Created: email, Secret: secret}
		case tracker.ErrorCode(err) == tracker.ECONFLICT:
			form.Errors["email"] = "An account with this email exists already."
		default:
			return err
		}
	}
	if form.Errors.Any() {
		status = http.StatusUnprocessableEntity
	}
	users, err := s.db.Users(ctx)
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.UsersPage(users, form))
}

func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	if u := currentUser(ctx); u != nil && u.Email == email {
		return tracker.Errorf(tracker.EINVALID, "You cannot disable your own account.")
	}
	if err := s.db.DisableUser(ctx, actor(ctx), email); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/users", http.StatusSeeOther)
	return nil
}

func (s *Server) handleActivity(w http.ResponseWriter, r *http.Request) error {
	entries, err := s.db.Activity(r.Context(), r.URL.Query().Get("type"), r.URL.Query().Get("slug"), 200)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ActivityPage(entries))
}

func caseFormFromRequest(r *http.Request, slug string) web.CaseForm {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	return web.CaseForm{Edit: tracker.CaseEdit{
		Slug: slug, Version: version, Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		People: tracker.SplitLines(r.PostFormValue("people")), Organisations: tracker.SplitLines(r.PostFormValue("organisations")),
		LegalProvisions: tracker.SplitLines(r.PostFormValue("legal_provisions")), InternalNotes: r.PostFormValue("internal_notes"),
	}}
}

func slugsOf(refs []tracker.EntityRef) []string {
	out := make([]string, len(refs))
	for i, r := range refs {
		out[i] = r.Slug
	}
	return out
}

func (s *Server) handleEditCaseForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Case(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	c := d.Case
	form := web.CaseForm{Edit: tracker.CaseEdit{Slug: c.Slug, Version: c.Version, Title: c.Title, Summary: c.Summary,
		People: slugsOf(c.People), Organisations: slugsOf(c.Organisations), LegalProvisions: slugsOf(c.LegalProvisions), InternalNotes: c.InternalNotes}}
	return render(r.Context(), w, http.StatusOK, web.CaseEditPage(c, form))
}

func (s *Server) handleEditCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	form := caseFormFromRequest(r, slug)
	form.Errors = form.Edit.Validate()
	status := http.StatusUnprocessableEntity
	if !form.Errors.Any() {
		err := s.db.UpdateCase(ctx, actor(ctx), form.Edit)
		if err == nil {
			http.Redirect(w, r, "/cases/"+slug, http.StatusSeeOther)
			return nil
		}
		var conflict string
		if form.Errors, conflict, err = refused(err); err != nil {
			return err
		}
		if conflict != "" {
			status = http.StatusConflict
		}
	}
	d, err := s.db.Case(ctx, slug)
	if err != nil {
		return err
	}
	if status == http.StatusConflict {
		form.Conflict = &d.Case
		form.Edit.Version = d.Case.Version
	}
	return render(ctx, w, status, web.CaseEditPage(d.Case, form))
}

func (s *Server) renderLinkEditor(w http.ResponseWriter, r *http.Request, status int, form web.LinkForm) error {
	c, ids, err := s.db.ClauseMentions(r.Context(), chi.URLParam(r, "slug"), chi.URLParam(r, "eid"))
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.LinkEditorPage(c, ids, form))
}

func (s *Server) handleLinks(w http.ResponseWriter, r *http.Request) error {
	return s.renderLinkEditor(w, r, http.StatusOK, web.LinkForm{Edit: tracker.LinkEdit{Type: tracker.PersonEntity}})
}

func (s *Server) handleAddLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := tracker.LinkEdit{Resolution: chi.URLParam(r, "slug"), EID: chi.URLParam(r, "eid"),
		Type: tracker.EntityType(r.PostFormValue("type")), Slug: strings.TrimSpace(r.PostFormValue("slug")), Matched: r.PostFormValue("matched")}
	err := s.db.AddLink(ctx, actor(ctx), l)
	var verr *tracker.ValidationError
	switch {
	case err == nil:
		http.Redirect(w, r, r.URL.Path[:len(r.URL.Path)], http.StatusSeeOther)
		return nil
	case errors.As(err, &verr):
		return s.renderLinkEditor(w, r, http.StatusUnprocessableEntity, web.LinkForm{Edit: l, Errors: verr.Fields})
	}
	return err
}

func (s *Server) handleRemoveLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PostFormValue("mention"), 10, 64)
	if err != nil {
		return tracker.Errorf(tracker.EINVALID, "Choose a link to remove.")
	}
	if err := s.db.RemoveLink(ctx, actor(ctx), chi.URLParam(r, "slug"), chi.URLParam(r, "eid"), id); err != nil {
		return err
	}
	http.Redirect(w, r, strings.TrimSuffix(r.URL.Path, "/remove"), http.StatusSeeOther)
	return nil
}

// handleResetPassword gives an account a new generated password, shown to the admin once.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	secret := auth.RandomSecret(18)
	hash, err := auth.Hash(secret)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, actor(ctx), email, hash); err != nil {
		return err
	}
	users, err := s.db.Users(ctx)
	if err != nil {
		return err
	}
	return render(ctx, w, http.StatusOK, web.UsersPage(users, web.UserForm{Role: "editor", Created: email, Secret: secret, Reset: true}))
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, name string, errs tracker.FieldErrors, created, secret string) error {
	tokens, err := s.db.APITokens(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.TokensPage(tokens, name, errs, created, secret))
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, "", nil, "", "")
}

// handleCreateToken makes a token for the signed-in user and shows it once.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := strings.TrimSpace(r.PostFormValue("name"))
	if name == "" || len([]rune(name)) > tracker.MaxNameLength {
		return s.renderTokens(w, r, http.StatusUnprocessableEntity, name, tracker.FieldErrors{"name": "Give the token a name of up to 200 characters."}, "", "")
	}
	secret := auth.RandomSecret(32)
	if err := s.db.CreateAPIToken(ctx, actor(ctx), currentUser(ctx).Email, name, secret); err != nil {
		return err
	}
	return s.renderTokens(w, r, http.StatusOK, "", nil, name, secret)
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	if err := s.db.RevokeAPIToken(ctx, actor(ctx), currentUser(ctx).Email, r.PostFormValue("name")); err != nil {
		return err
	}
	http.Redirect(w, r, "/staff/tokens", http.StatusSeeOther)
	return nil
}
