package server

import (
	"context"
	"net/http"
	"strings"

	"github.com/a-h/templ"
	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// Creating, retiring and restoring every kind of record, and editing organisations and
// legal provisions (issue 13 §1). Editors create, edit and retire; admins restore.

// goneForPublic refuses a retired record to the public: its address answers 410. Staff
// still see it, with a banner saying it is retired.
func goneForPublic(ctx context.Context, r tracker.Retirement, t tracker.EntityType) error {
	if r.Retired() && currentUser(ctx) == nil {
		return tracker.Errorf(tracker.EGONE, "This %s was retired on %s and is no longer published here.", t.Noun(), r.RetiredAt.UTC().Format("2 January 2006"))
	}
	return nil
}

// createRefused sorts the error of a create form's save: field errors (422), or a proposed
// slug that is taken (409, shown beside the slug field), both with the input kept; any
// other error is returned for the error boundary.
func createRefused(err error) (int, tracker.FieldErrors, error) {
	errs, conflict, err := refused(err)
	if err != nil {
		return 0, nil, err
	}
	if conflict != "" {
		return http.StatusConflict, tracker.FieldErrors{"slug": conflict}, nil
	}
	return http.StatusUnprocessableEntity, errs, nil
}

// --- people ---

// personFormFromRequest reads a posted person form; its organisations are settled by
// readAffiliations.
func personFormFromRequest(r *http.Request, slug string) web.PersonForm {
	aliases := r.PostFormValue("aliases")
	return web.PersonForm{Aliases: aliases, Edit: tracker.PersonEdit{
		Slug: slug, Revision: revisionFromForm(r, tracker.PersonFields), Name: r.PostFormValue("name"), Names: tracker.ScriptNames{RU: r.PostFormValue("name_ru"), KK: r.PostFormValue("name_kk")}, Aliases: tracker.SplitLines(aliases),
		Role: r.PostFormValue("role"), Place: r.PostFormValue("place"), Notes: r.PostFormValue("notes"),
		InternalNotes: r.PostFormValue("internal_notes"), BornOn: r.PostFormValue("born_on"),
	}}
}

func (s *Server) handleNewPersonForm(w http.ResponseWriter, r *http.Request) error {
	form := web.PersonForm{}
	if err := s.showAffiliations(r.Context(), &form, nil); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.PersonEditPage(tracker.Person{}, form))
}

// handleCreatePerson creates a person from the form. People may share a name: one named
// like another is created, and the next page names the others.
func (s *Server) handleCreatePerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := personFormFromRequest(r, r.PostFormValue("slug"))
	save, err := s.readAffiliations(r, &form)
	if err != nil || !save {
		return s.personFormAgain(w, r, err, tracker.Person{}, form)
	}
	slug, err := s.db.CreatePerson(ctx, actor(ctx), form.Edit)
	if err == nil {
		notice := "Person created."
		if same, err := s.db.SameName(ctx, form.Edit.Name, slug); err == nil && len(same) > 0 {
			names := make([]string, len(same))
			for i, p := range same {
				names[i] = p.Name + " (" + p.Type.Path(p.Slug) + ")"
			}
			notice += " Others have the same name: " + strings.Join(names, ", ") + ". If this is one of them, retire this record."
		}
		return s.saved(w, r, tracker.PersonEntity.Path(slug), notice)
	}
	status, errs, err := createRefused(err)
	if err != nil {
		return err
	}
	form.Errors = errs
	return render(ctx, w, status, web.PersonEditPage(tracker.Person{}, form))
}

// --- cases ---

func (s *Server) handleNewCaseForm(w http.ResponseWriter, r *http.Request) error {
	// ?person=slug (from a person's page) starts the case with that person.
	form := web.CaseForm{}
	if p := r.URL.Query().Get("person"); p != "" {
		form.Edit.People = []string{p}
	}
	if err := s.showCasePickers(r.Context(), &form); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.CaseEditPage(tracker.Case{}, form))
}

// handleCreateCase creates a case from the form. Names typed in its pickers that do not
// each come to one record send the form back, with nothing saved, to choose or correct.
func (s *Server) handleCreateCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	form := caseFormFromRequest(r, r.PostFormValue("slug"))
	settled, err := s.readCasePickers(r, &form)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if settled {
		slug, err := s.db.CreateCase(ctx, actor(ctx), form.Edit)
		if err == nil {
			return s.saved(w, r, tracker.CaseEntity.Path(slug), "Case created. Record its status below.")
		}
		var errs tracker.FieldErrors
		if status, errs, err = createRefused(err); err != nil {
			return err
		}
		form.Errors = errs
	} else {
		for k, v := range form.Edit.Validate() {
			form.Errors[k] = v
		}
	}
	return render(ctx, w, status, web.CaseEditPage(tracker.Case{}, form))
}

// --- organisations and legal provisions ---

// namedKind is what differs between organisations and legal provisions on their create and
// edit pages (their fields); the handlers below serve both. R is the record, E its edit.
type namedKind[R, E any, P namedEdit[E]] struct {
	t       tracker.EntityType
	created string // the notice after creating one
	form    func(r *http.Request, slug string) web.NamedForm[E]
	editOf  func(R) (E, []string) // an edit that changes nothing, and the aliases
	read    func(s *Server, ctx context.Context, slug string) (R, error)
	create  func(db *postgres.DB, ctx context.Context, a postgres.Actor, e E) (string, error)
	update  func(db *postgres.DB, ctx context.Context, a postgres.Actor, e E) (tracker.Merge, error)
	page    func(R, web.NamedForm[E]) templ.Component
}

// namedEdit is what the shared handlers use of an edit: its revision, and its fields by name.
type namedEdit[E any] interface {
	*E
	Rev() *tracker.Revision
	Values() tracker.Values
	WithValues(tracker.Values) E
}

var organisations = namedKind[tracker.Organisation, tracker.OrganisationEdit, *tracker.OrganisationEdit]{
	t: tracker.OrganisationEntity, created: "Organisation created.",
	form: func(r *http.Request, slug string) web.OrganisationForm {
		aliases := r.PostFormValue("aliases")
		return web.OrganisationForm{Aliases: aliases, Edit: tracker.OrganisationEdit{Slug: slug, Revision: revisionFromForm(r, tracker.OrganisationFields),
			Name: r.PostFormValue("name"), Names: tracker.ScriptNames{RU: r.PostFormValue("name_ru"), KK: r.PostFormValue("name_kk")}, Aliases: tracker.SplitLines(aliases), Kind: r.PostFormValue("kind"), Notes: r.PostFormValue("notes")}}
	},
	editOf: func(o tracker.Organisation) (tracker.OrganisationEdit, []string) {
		return tracker.OrganisationEditOf(o), o.Aliases
	},
	read: func(s *Server, ctx context.Context, slug string) (tracker.Organisation, error) {
		d, err := s.db.Organisation(ctx, slug)
		return d.Organisation, err
	},
	create: (*postgres.DB).CreateOrganisation, update: (*postgres.DB).UpdateOrganisation, page: web.OrganisationEditPage,
}

var legalProvisions = namedKind[tracker.LegalProvision, tracker.LegalProvisionEdit, *tracker.LegalProvisionEdit]{
	t: tracker.LegalProvisionEntity, created: "Law or article created.",
	form: func(r *http.Request, slug string) web.LegalProvisionForm {
		aliases := r.PostFormValue("aliases")
		return web.LegalProvisionForm{Aliases: aliases, Edit: tracker.LegalProvisionEdit{Slug: slug, Revision: revisionFromForm(r, tracker.LegalProvisionFields),
			Name: r.PostFormValue("name"), Names: tracker.ScriptNames{RU: r.PostFormValue("name_ru"), KK: r.PostFormValue("name_kk")}, Aliases: tracker.SplitLines(aliases), Jurisdiction: r.PostFormValue("jurisdiction"),
			Citation: r.PostFormValue("citation"), OfficialURL: r.PostFormValue("official_url"), Notes: r.PostFormValue("notes")}}
	},
	editOf: func(l tracker.LegalProvision) (tracker.LegalProvisionEdit, []string) {
		return tracker.LegalProvisionEditOf(l), l.Aliases
	},
	read: func(s *Server, ctx context.Context, slug string) (tracker.LegalProvision, error) {
		d, err := s.db.LegalProvision(ctx, slug)
		return d.LegalProvision, err
	},
	create: (*postgres.DB).CreateLegalProvision, update: (*postgres.DB).UpdateLegalProvision, page: web.LegalProvisionEditPage,
}

// handleNewNamedForm shows the empty create form.
func handleNewNamedForm[R, E any, P namedEdit[E]](k namedKind[R, E, P]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		var zero R
		return render(r.Context(), w, http.StatusOK, k.page(zero, web.NamedForm[E]{}))
	}
}

// handleCreateNamed creates the record from the form, or sends the form back with its errors.
func handleCreateNamed[R, E any, P namedEdit[E]](s *Server, k namedKind[R, E, P]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		form := k.form(r, r.PostFormValue("slug"))
		slug, err := k.create(s.db, ctx, actor(ctx), form.Edit)
		if err == nil {
			return s.saved(w, r, k.t.Path(slug), k.created)
		}
		status, errs, err := createRefused(err)
		if err != nil {
			return err
		}
		form.Errors = errs
		var zero R
		return render(ctx, w, status, k.page(zero, form))
	}
}

// handleEditNamedForm shows the edit form filled with the record.
func handleEditNamedForm[R, E any, P namedEdit[E]](s *Server, k namedKind[R, E, P]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		rec, err := k.read(s, r.Context(), chi.URLParam(r, "slug"))
		if err != nil {
			return err
		}
		e, aliases := k.editOf(rec)
		return render(r.Context(), w, http.StatusOK, k.page(rec, web.NamedForm[E]{Aliases: strings.Join(aliases, "\n"), Edit: e}))
	}
}

// handleEditNamed saves the edit form, merged like a person's when someone saved meanwhile.
func handleEditNamed[R, E any, P namedEdit[E]](s *Server, k namedKind[R, E, P]) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		slug := chi.URLParam(r, "slug")
		form := k.form(r, slug)
		m, err := k.update(s.db, ctx, actor(ctx), form.Edit)
		if err == nil {
			return s.savedMerged(w, r, k.t.Path(slug), m, *P(&form.Edit).Rev(), k.t.Noun(), "name", P(&form.Edit).Values()["name"])
		}
		status, errs, merge, err := editRefused(err)
		if err != nil {
			return err
		}
		form.Errors, form.Merge = errs, merge
		if merge != nil {
			v := merge.Result()
			form.Edit = P(&form.Edit).WithValues(v)
			*P(&form.Edit).Rev(), form.Aliases = afterConflict(merge, *P(&form.Edit).Rev()), v["aliases"]
		}
		rec, err := k.read(s, ctx, slug)
		if err != nil {
			return err
		}
		return render(ctx, w, status, k.page(rec, form))
	}
}

// afterConflict is the revision a form stands on after a conflict: the version saved
// meanwhile, holding the merged fields, with the choices still to make.
func afterConflict(m *tracker.Merge, r tracker.Revision) tracker.Revision {
	return tracker.Revision{Version: m.Version, Unsettled: r.Unsettled}
}

// --- retire and restore ---

// handleRetire retires a record from its page, after the confirmation every destructive
// action asks for (confirmed): the record page's "Retire" link opens it (GET), and a post
// without confirm=yes answers it too, changing nothing. Once retired, the record's page
// (which staff still see) says so, once.
func (s *Server) handleRetire(t tracker.EntityType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		slug := chi.URLParam(r, "slug")
		name, retired, err := s.db.RecordName(ctx, t, slug)
		if err != nil {
			return err
		}
		if retired && r.Method == http.MethodGet {
			http.Redirect(w, r, t.Path(slug), http.StatusSeeOther)
			return nil
		} else if retired {
			return tracker.Errorf(tracker.ECONFLICT, "This %s is retired already.", t.Noun())
		}
		if ok, err := confirmed(w, r, web.Confirmation{
			Title: "Retire " + name + "?",
			Effects: []string{
				"The " + t.Noun() + " leaves the public pages: the lists, search, counts, exports, the demands it is named in and the links in clauses. Its address will tell visitors it is gone.",
				"Nothing is deleted: staff still see it with its history, and an admin can restore it.",
			},
			Button: "Retire " + name, Cancel: t.Path(slug),
		}); !ok {
			return err
		}
		if err := s.db.SetRetired(ctx, actor(ctx), t, slug, true); err != nil {
			return err
		}
		return s.saved(w, r, t.Path(slug), "Retired: the "+t.Noun()+" is no longer on public pages. An admin can restore it.")
	}
}

// handleRestore restores a retired record from its page (admins) and goes back to it.
func (s *Server) handleRestore(t tracker.EntityType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		slug := chi.URLParam(r, "slug")
		if err := s.db.SetRetired(ctx, actor(ctx), t, slug, false); err != nil {
			return err
		}
		return s.saved(w, r, t.Path(slug), "Restored: the "+t.Noun()+" is public again.")
	}
}

// apiSetRetired retires (DELETE) or restores (POST …/restore) a record through the API.
func (s *Server) apiSetRetired(t tracker.EntityType, retire bool) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		ctx := r.Context()
		slug := chi.URLParam(r, "slug")
		if err := s.db.SetRetired(ctx, actor(ctx), t, slug, retire); err != nil {
			return err
		}
		return writeJSON(w, http.StatusOK, map[string]any{"slug": slug, "retired": retire})
	}
}
