package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
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
	queues, err := s.db.QueueCounts(r.Context())
	if err != nil {
		return err
	}
	stale, recent, err := s.db.StaleCases(r.Context(), days, 50)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.StaffDashboard(queues, stale, recent, days))
}

// queuePageSize is how many records a work queue's page lists.
const queuePageSize = 50

// handleQueue lists one work queue of the dashboard, a page at a time.
func (s *Server) handleQueue(w http.ResponseWriter, r *http.Request) error {
	q, ok := tracker.QueueByName(chi.URLParam(r, "queue"))
	if !ok {
		return tracker.Errorf(tracker.ENOTFOUND, "There is no such work queue.")
	}
	p, err := pageParam(r, "", queuePageSize, queuePageSize)
	if err != nil {
		return err
	}
	items, total, err := s.db.QueueItems(r.Context(), q.Name, p)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.QueuePage(q, items, web.Pager{Path: r.URL.Path, Page: p, Total: total}))
}

// clauseOptions offers the clauses that cite a case as its status's source.
func clauseOptions(cs []tracker.CitingClause) []web.ClauseOption {
	out := make([]web.ClauseOption, len(cs))
	for i, c := range cs {
		out[i] = web.ClauseOption{Value: c.ResolutionSlug + "#" + c.EID, Label: c.ResolutionProcedure + ", " + tracker.KindLabel(c.Kind, c.Label),
			Procedure: c.ResolutionProcedure, Kind: c.Kind, Clause: c.Label}
	}
	return out
}

// statusUpdateFromForm reads the add-a-status form.
func statusUpdateFromForm(r *http.Request, slug string) tracker.StatusUpdate {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	supersedes, _ := strconv.ParseInt(r.PostFormValue("supersedes"), 10, 64)
	return tracker.StatusUpdate{
		CaseSlug: slug, Version: version, Status: tracker.Status(r.PostFormValue("status")),
		EffectiveOn: r.PostFormValue("effective_on"), DatedBy: r.PostFormValue("dated_by"), VerifiedOn: r.PostFormValue("verified_on"),
		Note: r.PostFormValue("note"), InternalNote: r.PostFormValue("internal_note"),
		SourceURL: r.PostFormValue("source_url"), SourceClause: r.PostFormValue("source_clause"), Supersedes: supersedes,
	}
}

// newStatusForm is the empty add-a-status form of a case: dated today, offering the
// demands about the case and its people, each left as it is.
func newStatusForm(d tracker.CaseDetail) *web.StatusForm {
	f := &web.StatusForm{Update: tracker.StatusUpdate{EffectiveOn: time.Now().Format(time.DateOnly)}, Clauses: clauseOptions(d.Clauses)}
	for _, dm := range d.Related {
		f.Demands = append(f.Demands, web.DemandChoice{Demand: dm})
	}
	return f
}

// demandChoicesFromForm reads, for each demand about the case and its people, the state
// staff chose in the status form ("" leaves it), and proposes, for each one left, the
// state the chosen status suggests. It also fills u.DemandStates with the demands that
// change, and says whether any proposal was newly made (then staff check before saving).
func demandChoicesFromForm(r *http.Request, related []tracker.Demand, u *tracker.StatusUpdate) ([]web.DemandChoice, bool) {
	proposing := tracker.Status(r.PostFormValue("proposed_for")) != u.Status
	var out []web.DemandChoice
	proposed := false
	for _, dm := range related {
		c := web.DemandChoice{Demand: dm, Chosen: tracker.DemandState(r.PostFormValue(web.DemandField(dm.Slug)))}
		if p, ok := tracker.ProposeDemandState(u.Status, dm.Action, dm.State()); ok {
			c.Proposed = p
			if proposing && c.Chosen == "" {
				c.Chosen, proposed = p, true
			}
		}
		out = append(out, c)
	}
	for _, c := range out {
		if c.Chosen != "" {
			version, _ := strconv.Atoi(r.PostFormValue("demand_version." + c.Demand.Slug))
			u.DemandStates = append(u.DemandStates, tracker.DemandChange{Demand: c.Demand.Slug, State: c.Chosen, Version: version})
		}
	}
	return out, proposed
}

// demandFieldErrors moves the errors of the demands changed with a status
// ("demand_states[i].state") to the form's field of each demand.
func demandFieldErrors(errs tracker.FieldErrors, changes []tracker.DemandChange) tracker.FieldErrors {
	for i, c := range changes {
		for _, part := range []string{"demand", "state", "note"} {
			key := fmt.Sprintf("demand_states[%d].%s", i, part)
			if msg, ok := errs[key]; ok {
				delete(errs, key)
				errs[web.DemandField(c.Demand)] = msg
			}
		}
	}
	return errs
}

// handleAddStatus appends to a case's history, with the demand states that change with it.
// The first submission of a status that proposes new states for the demands about the case
// and its people saves nothing: the form comes back with each proposal chosen, for staff
// to confirm, change or leave; the next saves the status and the chosen states in one
// transaction and one audit entry. Invalid input re-renders the case page with the
// messages beside the fields; a stale version re-renders it with the newer history and
// the user's input kept; success goes back to the case's timeline.
func (s *Server) handleAddStatus(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	d, err := s.db.Case(ctx, slug)
	if err != nil {
		return err
	}
	u := statusUpdateFromForm(r, slug)
	choices, proposed := demandChoicesFromForm(r, d.Related, &u)
	on, errs := u.Validate(time.Now())
	errs = demandFieldErrors(errs, u.DemandStates)
	var conflict string
	status := http.StatusUnprocessableEntity
	switch {
	case errs.Any():
	case proposed:
		status = http.StatusOK // nothing saved yet: the proposals are shown to be checked
	default:
		_, err := s.db.AppendStatus(ctx, actor(ctx), u, on)
		if err == nil {
			return s.saved(w, r, "/cases/"+slug+"#timeline-h", "Status added to the history: "+u.Status.Label()+".")
		}
		if errs, conflict, err = refused(err); err != nil {
			return err
		}
		errs = demandFieldErrors(errs, u.DemandStates)
		if d, err = s.db.Case(ctx, slug); err != nil {
			return err
		}
		choices, _ = demandChoicesFromForm(r, d.Related, &tracker.StatusUpdate{Status: u.Status})
	}
	if conflict != "" {
		status = http.StatusConflict
		u.Version = d.Case.Version // resubmitting now applies on top of the newer history
	}
	d.Case.Version = u.Version
	form := web.StatusForm{Update: u, Errors: errs, Conflict: conflict, Clauses: clauseOptions(d.Clauses), Demands: choices}
	form.ProposedFor = tracker.Status(r.PostFormValue("proposed_for"))
	if proposed {
		form.ProposedFor = u.Status
	}
	files, err := s.attachments(ctx, postgres.AttachmentsOf{Case: slug})
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.CasePage(d, &form, web.Files{List: files}))
}

// revisionFromForm reads the version an edit form was opened at and, after a conflict, the
// choices made for the fields both sides changed: a field whose choice is "theirs" is left
// out of the edit, so it keeps what was saved; one with no choice stays unsettled, and the
// save is refused until it is chosen. The list of conflicting fields comes from the form,
// so a tampered list only skips a choice the user could have made anyway.
func revisionFromForm(r *http.Request, fields []tracker.Field) tracker.Revision {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	rev := tracker.Revision{Version: version}
	disputed := r.PostForm["conflict"]
	if len(disputed) == 0 {
		return rev
	}
	for _, f := range fields {
		choice := r.PostFormValue("choose_" + f.Name)
		switch {
		case !slices.Contains(disputed, f.Name) || choice == "mine":
			rev.Only = append(rev.Only, f.Name)
		case choice == "theirs":
			// left out: the field keeps the value saved meanwhile
		default:
			rev.Only = append(rev.Only, f.Name)
			rev.Unsettled = append(rev.Unsettled, f.Name)
		}
	}
	return rev
}

// editRefused sorts the error of an edit form's save: field errors to show beside the
// fields (422), or a conflict whose merge the form shows (409), both with the input kept;
// any other error is returned for the error boundary.
func editRefused(err error) (int, tracker.FieldErrors, *tracker.Merge, error) {
	var verr *tracker.ValidationError
	var cerr *tracker.ConflictError
	switch {
	case errors.As(err, &verr):
		return http.StatusUnprocessableEntity, verr.Fields, nil, nil
	case errors.As(err, &cerr):
		return http.StatusConflict, nil, &cerr.Merge, nil
	}
	return 0, nil, nil, err
}

// savedMerged ends a saved edit: the next page says it was saved and what the save merged
// from others' saves.
// name is the record's name as typed; nameField, the field whose merged value replaces it.
func (s *Server) savedMerged(w http.ResponseWriter, r *http.Request, to string, m tracker.Merge, edited tracker.Revision, noun, nameField, name string) error {
	msg := web.MergeNotice(r.Context(), m, edited, noun)
	if merged, ok := m.Result()[nameField]; ok {
		name = merged
	}
	if msg == "" {
		msg = "Saved your changes to " + strings.TrimSpace(name) + "."
	}
	return s.saved(w, r, to, msg)
}

func (s *Server) handleEditPersonForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Person(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	p := d.Person
	e := tracker.PersonEditOf(p)
	form := web.PersonForm{Aliases: strings.Join(p.Aliases, "\n"), Edit: e}
	if err := s.showAffiliations(r.Context(), &form, e.Affiliations); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.PersonEditPage(p, form))
}

// handleEditPerson saves a person's edit form. An edit made while someone else saved is
// merged field by field: when no field was changed by both, it is saved and the next page
// says what was kept from the other save; otherwise the form comes back with both values
// of every field and a choice under each field both changed, the input kept.
func (s *Server) handleEditPerson(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	form := personFormFromRequest(r, slug)
	save, err := s.readAffiliations(r, &form)
	if err != nil || !save {
		d, derr := s.db.Person(ctx, slug)
		if derr != nil {
			return derr
		}
		return s.personFormAgain(w, r, err, d.Person, form)
	}
	m, err := s.db.UpdatePerson(ctx, actor(ctx), form.Edit)
	if err == nil {
		return s.savedMerged(w, r, "/people/"+slug, m, form.Edit.Revision, "person", "name", form.Edit.Name)
	}
	status, errs, merge, err := editRefused(err)
	if err != nil {
		return err
	}
	form.Errors, form.Merge = errs, merge
	if merge != nil {
		v := merge.Result()
		form.Edit = form.Edit.WithValues(v)
		form.Edit.Revision, form.Aliases = afterConflict(merge, form.Edit.Revision), v["aliases"]
		if err := s.showAffiliations(ctx, &form, form.Edit.Affiliations); err != nil {
			return err
		}
	}
	d, err := s.db.Person(ctx, slug)
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.PersonEditPage(d.Person, form))
}

func (s *Server) handleUsers(w http.ResponseWriter, r *http.Request) error {
	return s.renderUsers(w, r, http.StatusOK, web.UserForm{Role: "editor"})
}

// renderUsers shows the accounts page: every account and every account's API tokens.
func (s *Server) renderUsers(w http.ResponseWriter, r *http.Request, status int, f web.UserForm) error {
	ctx := r.Context()
	users, err := s.db.Users(ctx)
	if err != nil {
		return err
	}
	tokens, err := s.db.APITokens(ctx, 0)
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.UsersPage(users, tokens, f))
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
		hash, err := s.hashPassword(r.Context(), secret)
		if err != nil {
			return err
		}
		_, err = s.db.CreateUser(ctx, actor(ctx), email, tracker.Role(form.Role), hash)
		switch {
		case err == nil:
			r = r.WithContext(noticed(ctx, "Account "+email+" added, as "+form.Role+"."))
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
	return s.renderUsers(w, r, status, form)
}

// handleDisableUser disables an account, after a confirmation page. An admin cannot
// disable their own account (the page does not offer it, and the server refuses it): the
// last admin could lock everyone out, and another admin can always do it.
func (s *Server) handleDisableUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	if u := currentUser(ctx); u != nil && u.Email == email {
		return tracker.Errorf(tracker.EFORBIDDEN, "You cannot disable your own account. Another admin can disable it if it must be.")
	}
	if ok, err := confirmed(w, r, web.Confirmation{
		Title: "Disable " + email + "?",
		Effects: []string{
			"Every session of " + email + " ends at once, and it can no longer sign in.",
			"Every API token of " + email + " is revoked for good.",
			"What it recorded stays, with its name on it. An admin can enable the account again; it then signs in with its old password and makes new tokens.",
		},
		Button: "Disable " + email, Cancel: "/admin/users",
	}); !ok {
		return err
	}
	if err := s.db.DisableUser(ctx, actor(ctx), email); err != nil {
		return err
	}
	return s.saved(w, r, "/admin/users", "Account "+email+" disabled: its sessions have ended and its API tokens are revoked.")
}

// handleEnableUser enables a disabled account again.
func (s *Server) handleEnableUser(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	if err := s.db.EnableUser(ctx, actor(ctx), email); err != nil {
		return err
	}
	return s.saved(w, r, "/admin/users", "Account "+email+" enabled again: it can sign in with its password.")
}

// handleActivity shows the audit log, filtered as the query string says (README: "The
// activity log"); a bad filter comes back with its error summary and a 400.
func (s *Server) handleActivity(w http.ResponseWriter, r *http.Request) error {
	v := web.ActivityView{}
	v.Filter, v.Errors = tracker.ParseAuditFilter(r.URL.Query().Get)
	if v.Errors.Any() {
		return render(r.Context(), w, http.StatusBadRequest, web.ActivityPage(v))
	}
	var err error
	if v.Entries, v.More, err = s.db.AuditLog(r.Context(), v.Filter); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ActivityPage(v))
}

func caseFormFromRequest(r *http.Request, slug string) web.CaseForm {
	return web.CaseForm{Edit: tracker.CaseEdit{
		Slug: slug, Revision: revisionFromForm(r, tracker.CaseFields), Title: r.PostFormValue("title"), Summary: r.PostFormValue("summary"),
		InternalNotes: r.PostFormValue("internal_notes"),
		Facts: tracker.FactsEdit{DetainedOn: r.PostFormValue("detained_on"), Charges: tracker.ParseChargeLines(r.PostFormValue("charges")),
			Court: r.PostFormValue("court"), CaseNumber: r.PostFormValue("case_number"), VerdictOn: r.PostFormValue("verdict_on"),
			Sentence: r.PostFormValue("sentence"), SentenceMonths: r.PostFormValue("sentence_months"), ReleaseDueOn: r.PostFormValue("release_due_on"),
			NextHearingOn: r.PostFormValue("next_hearing_on"), Facility: r.PostFormValue("facility"), FacilityPublic: r.PostFormValue("facility_public") == "yes"},
	}}
}

// casePickers are the fields of a case that link records, picked by name.
var casePickers = []struct {
	name, label, noun string
	typ               tracker.EntityType
	slugs             func(e *tracker.CaseEdit) *[]string
	field             func(f *web.CaseForm) *web.PickerField
}{
	{"people", "People", "person", tracker.PersonEntity,
		func(e *tracker.CaseEdit) *[]string { return &e.People }, func(f *web.CaseForm) *web.PickerField { return &f.People }},
	{"organisations", "Organisations", "organisation", tracker.OrganisationEntity,
		func(e *tracker.CaseEdit) *[]string { return &e.Organisations }, func(f *web.CaseForm) *web.PickerField { return &f.Organisations }},
	{"legal_provisions", "Laws used", "law", tracker.LegalProvisionEntity,
		func(e *tracker.CaseEdit) *[]string { return &e.LegalProvisions }, func(f *web.CaseForm) *web.PickerField { return &f.LegalProvisions }},
}

// chargeRow is the case form's row for the i-th charge (from 0): its law's picker holding
// the law given, if any.
func chargeRow(i int, law []tracker.Suggestion, detail string, got *tracker.PickField) web.ChargeRow {
	p := web.NewPicker("charge_"+strconv.Itoa(i), "Charge "+strconv.Itoa(i+1)+": the law", "law", tracker.LegalProvisionEntity, law, got)
	p.Single = true
	return web.ChargeRow{Law: p, Detail: detail}
}

// withEmptyChargeRows adds the empty rows the form offers for new charges: one after the
// last row used, and two rows at least.
func withEmptyChargeRows(rows []web.ChargeRow) []web.ChargeRow {
	empty := func(r web.ChargeRow) bool {
		return len(r.Law.Chosen) == 0 && len(r.Law.Asks) == 0 && r.Law.Typed == "" && strings.TrimSpace(r.Detail) == ""
	}
	for len(rows) < tracker.MaxCharges && (len(rows) < 2 || !empty(rows[len(rows)-1])) {
		rows = append(rows, chargeRow(len(rows), nil, "", nil))
	}
	return rows
}

// showCharges fills the case form's charge rows with the charges its edit holds.
func (s *Server) showCharges(ctx context.Context, form *web.CaseForm) error {
	slugs := make([]string, len(form.Edit.Facts.Charges))
	for i, c := range form.Edit.Facts.Charges {
		slugs[i] = c.Slug
	}
	recs, err := s.db.Records(ctx, tracker.LegalProvisionEntity, slugs)
	if err != nil {
		return err
	}
	bySlug := map[string]tracker.Suggestion{}
	for _, rec := range recs {
		bySlug[rec.Slug] = rec
	}
	form.Charges = nil
	for i, c := range form.Edit.Facts.Charges {
		var law []tracker.Suggestion
		if rec, ok := bySlug[c.Slug]; ok {
			law = []tracker.Suggestion{rec}
		}
		form.Charges = append(form.Charges, chargeRow(i, law, c.Detail, nil))
	}
	form.Charges = withEmptyChargeRows(form.Charges)
	return nil
}

// readCharges settles the case form's charge rows (charge_rows of them) into its facts: each
// row's law picked by name, as any picker (one match taken, several asked, none an error
// beside the row), and its detail. A form without rows (an older page, a script) still
// sends its charges as "charges", one per line: a law's slug, then any detail.
func (s *Server) readCharges(r *http.Request, form *web.CaseForm) (bool, error) {
	n, err := strconv.Atoi(r.PostFormValue("charge_rows"))
	if err != nil || n <= 0 {
		return true, s.showCharges(r.Context(), form)
	}
	settled := true
	form.Edit.Facts.Charges = nil
	form.Charges = nil
	for i := range min(n, tracker.MaxCharges) {
		name := "charge_" + strconv.Itoa(i)
		got, err := s.readPicker(r.Context(), r, name, tracker.LegalProvisionEntity)
		if err != nil {
			return false, err
		}
		detail := r.PostFormValue(name + "_detail")
		row := chargeRow(i, nil, detail, &got)
		problem := row.Law.Error
		switch {
		case problem != "":
		case len(got.Chosen) > 1:
			problem = "Keep one law for each charge: untick the others, or give each its own charge."
		case len(got.Chosen) == 0 && strings.TrimSpace(detail) != "":
			problem = "Pick the law this detail belongs to, or clear the detail to leave the charge out."
		case len(got.Chosen) == 1:
			form.Edit.Facts.Charges = append(form.Edit.Facts.Charges, tracker.ChargeEdit{Slug: got.Chosen[0].Slug, Detail: detail})
		}
		if problem != "" {
			settled = false
			row.Law.Error = problem
			if form.Errors == nil {
				form.Errors = tracker.FieldErrors{}
			}
			form.Errors[name] = problem
		}
		form.Charges = append(form.Charges, row)
	}
	form.Charges = withEmptyChargeRows(form.Charges)
	return settled, nil
}

// readCasePickers settles the case form's pickers, its charges' laws included, into its
// edit; it reports whether every typed name came to one record, and otherwise puts what is
// left to do beside each field.
func (s *Server) readCasePickers(r *http.Request, form *web.CaseForm) (bool, error) {
	settled, err := s.readCharges(r, form)
	if err != nil {
		return false, err
	}
	for _, p := range casePickers {
		got, err := s.readPicker(r.Context(), r, p.name, p.typ)
		if err != nil {
			return false, err
		}
		*p.slugs(&form.Edit) = got.Slugs()
		*p.field(form) = web.NewPicker(p.name, p.label, p.noun, p.typ, nil, &got)
		if !got.Settled() {
			settled = false
			if form.Errors == nil {
				form.Errors = tracker.FieldErrors{}
			}
			form.Errors[p.name] = got.Problem(p.noun)
		}
	}
	return settled, nil
}

// showCasePickers fills the case form's pickers with the records its edit links, as the
// form opens or comes back merged with a save made meanwhile.
func (s *Server) showCasePickers(ctx context.Context, form *web.CaseForm) error {
	if err := s.showCharges(ctx, form); err != nil {
		return err
	}
	for _, p := range casePickers {
		f, err := s.pickerOf(ctx, p.name, p.label, p.noun, p.typ, *p.slugs(&form.Edit))
		if err != nil {
			return err
		}
		*p.field(form) = f
	}
	return nil
}

func (s *Server) handleEditCaseForm(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Case(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	form := web.CaseForm{Edit: tracker.CaseEditOf(d.Case)}
	if err := s.showCasePickers(r.Context(), &form); err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.CaseEditPage(d.Case, form))
}

// handleEditCase saves a case's edit form, merged with saves made meanwhile like a
// person's (see handleEditPerson). Names typed in its pickers that do not each come to one
// record send the form back, with nothing saved, to choose or correct them.
func (s *Server) handleEditCase(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	form := caseFormFromRequest(r, slug)
	settled, err := s.readCasePickers(r, &form)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if settled {
		m, err := s.db.UpdateCase(ctx, actor(ctx), form.Edit)
		if err == nil {
			return s.savedMerged(w, r, "/cases/"+slug, m, form.Edit.Revision, "case", "title", form.Edit.Title)
		}
		var errs tracker.FieldErrors
		var merge *tracker.Merge
		status, errs, merge, err = editRefused(err)
		if err != nil {
			return err
		}
		form.Errors, form.Merge = errs, merge
		if merge != nil {
			unsettled := form.Edit.Unsettled
			form.Edit = form.Edit.WithValues(merge.Result())
			form.Edit.Revision = tracker.Revision{Version: merge.Version, Unsettled: unsettled}
			if err := s.showCasePickers(ctx, &form); err != nil {
				return err
			}
		}
	} else {
		for k, v := range form.Edit.Validate() {
			if _, ok := form.Errors[k]; !ok {
				form.Errors[k] = v
			}
		}
	}
	// A picker shows its own error, whoever found it (a name, or the storage's check).
	for _, p := range casePickers {
		p.field(&form).Error = form.Errors[p.name]
	}
	d, err := s.db.Case(ctx, slug)
	if err != nil {
		return err
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
	return s.renderLinkEditor(w, r, http.StatusOK, web.LinkForm{Edit: tracker.LinkEdit{Type: tracker.PersonEntity}, Record: linkPicker(tracker.PersonEntity, nil)})
}

// linkPicker is the link editor's field for the record to link: one record, of the kind
// the form's type select holds.
func linkPicker(t tracker.EntityType, got *tracker.PickField) web.PickerField {
	p := web.NewPicker("record", "Record to link", t.Noun(), t, nil, got)
	p.Single, p.TypeFrom = true, "type"
	return p
}

// handleAddLink links a clause to a record picked by name (web.PickerField "record"); the
// old field "slug" still names it by slug.
func (s *Server) handleAddLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	l := tracker.LinkEdit{Resolution: chi.URLParam(r, "slug"), EID: chi.URLParam(r, "eid"),
		Type: tracker.EntityType(r.PostFormValue("type")), Matched: r.PostFormValue("matched")}
	if slug := strings.TrimSpace(r.PostFormValue("slug")); slug != "" {
		r.PostForm.Add("record", slug)
	}
	var got tracker.PickField
	errs := tracker.FieldErrors{}
	if t, ok := tracker.ParseSuggestType(string(l.Type)); ok && t != tracker.CaseEntity {
		var err error
		if got, err = s.readPicker(ctx, r, "record", t); err != nil {
			return err
		}
		switch {
		case !got.Settled():
			errs["record"] = got.Problem(t.Noun())
		case len(got.Chosen) == 0:
			errs["record"] = "Type the name of the " + t.Noun() + " to link."
		case len(got.Chosen) > 1:
			errs["record"] = "Keep one record: a link names one."
		default:
			l.Slug = got.Chosen[0].Slug
		}
	}
	if len(errs) == 0 {
		err := s.db.AddLink(ctx, actor(ctx), l)
		var verr *tracker.ValidationError
		switch {
		case err == nil:
			return s.saved(w, r, r.URL.Path, "Link added: “"+strings.TrimSpace(l.Matched)+"” now links to "+got.Chosen[0].Name+".")
		case !errors.As(err, &verr):
			return err
		}
		errs = verr.Fields
		if msg, ok := errs["slug"]; ok {
			errs["record"] = msg
		}
	}
	form := web.LinkForm{Edit: l, Errors: errs, Record: linkPicker(l.Type, &got)}
	form.Record.Error = errs["record"]
	return s.renderLinkEditor(w, r, http.StatusUnprocessableEntity, form)
}

// handleRemoveLink removes a wrongly detected link from a clause, after a confirmation
// page naming the words, the record and the clause.
func (s *Server) handleRemoveLink(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	id, err := strconv.ParseInt(r.PostFormValue("mention"), 10, 64)
	if err != nil {
		return tracker.Errorf(tracker.EINVALID, "Choose a link to remove.")
	}
	c, ids, err := s.db.ClauseMentions(ctx, chi.URLParam(r, "slug"), chi.URLParam(r, "eid"))
	if err != nil {
		return err
	}
	i := slices.Index(ids, id)
	if i < 0 || i >= len(c.Mentions) {
		return tracker.Errorf(tracker.ENOTFOUND, "This clause has no such link: it may have been removed already.")
	}
	m, clause, back := c.Mentions[i], tracker.KindLabel(c.Kind, c.Label), strings.TrimSuffix(r.URL.Path, "/remove")
	if ok, err := confirmed(w, r, web.Confirmation{
		Title: "Remove the link of “" + m.Matched + "” to " + m.Name + "?",
		Effects: []string{
			"In " + clause + " of " + c.ResolutionProcedure + ", the words “" + m.Matched + "” will no longer link to " + m.Name + " (" + m.Type.Noun() + ").",
			"The clause leaves " + m.Name + "'s page, and the cases of " + m.Name + " no longer cite it.",
			"The removal is recorded in the activity log; the link can be added again from this clause's link editor.",
		},
		Button: "Remove the link", Cancel: back,
	}); !ok {
		return err
	}
	if err := s.db.RemoveLink(ctx, actor(ctx), chi.URLParam(r, "slug"), chi.URLParam(r, "eid"), id); err != nil {
		return err
	}
	return s.saved(w, r, back, "Link removed: “"+m.Matched+"” no longer links to "+m.Name+".")
}

// handleResetPassword gives an account a new generated password, shown to the admin once.
func (s *Server) handleResetPassword(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	secret := auth.RandomSecret(18)
	hash, err := s.hashPassword(r.Context(), secret)
	if err != nil {
		return err
	}
	if err := s.db.SetPassword(ctx, actor(ctx), email, hash); err != nil {
		return err
	}
	r = r.WithContext(noticed(ctx, "New password set for "+email+": its sessions have ended and its API tokens are revoked."))
	return s.renderUsers(w, r, http.StatusOK, web.UserForm{Role: "editor", Created: email, Secret: secret, Reset: true})
}

// handleAdminRevokeToken revokes any account's token, from the accounts page (audited,
// as every revocation is).
func (s *Server) handleAdminRevokeToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	name := r.PostFormValue("name")
	if err := s.db.RevokeAPIToken(ctx, actor(ctx), email, name); err != nil {
		return err
	}
	return s.saved(w, r, "/admin/users#tokens", "Token “"+name+"” of "+email+" revoked: it no longer works.")
}

func (s *Server) renderTokens(w http.ResponseWriter, r *http.Request, status int, f web.TokenForm) error {
	tokens, err := s.db.APITokens(r.Context(), currentUser(r.Context()).ID)
	if err != nil {
		return err
	}
	return render(r.Context(), w, status, web.TokensPage(tokens, f))
}

func (s *Server) handleTokens(w http.ResponseWriter, r *http.Request) error {
	return s.renderTokens(w, r, http.StatusOK, web.TokenForm{ExpiresIn: strconv.Itoa(tracker.DefaultTokenDays)})
}

// handleCreateToken makes a token for the signed-in user, lasting the days chosen, and
// shows it once.
func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	f := web.TokenForm{Name: strings.TrimSpace(r.PostFormValue("name")), ExpiresIn: strings.TrimSpace(r.PostFormValue("expires_in"))}
	days, err := strconv.Atoi(f.ExpiresIn)
	switch {
	case f.ExpiresIn == "":
		days, f.ExpiresIn = tracker.DefaultTokenDays, strconv.Itoa(tracker.DefaultTokenDays)
	case err != nil:
		days = 0 // refused below, with the input kept
	}
	if f.Errors = tracker.ValidateToken(f.Name, days); f.Errors.Any() {
		return s.renderTokens(w, r, http.StatusUnprocessableEntity, f)
	}
	secret := auth.RandomSecret(32)
	err = s.db.CreateExpiringAPIToken(ctx, actor(ctx), currentUser(ctx).Email, f.Name, secret, days)
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		f.Errors["name"] = tracker.ErrorMessage(err)
		return s.renderTokens(w, r, http.StatusConflict, f)
	}
	if err != nil {
		return err
	}
	r = r.WithContext(noticed(ctx, "Token “"+f.Name+"” made; it expires in "+strconv.Itoa(days)+" days."))
	return s.renderTokens(w, r, http.StatusOK, web.TokenForm{ExpiresIn: strconv.Itoa(tracker.DefaultTokenDays), Created: f.Name, Secret: secret})
}

func (s *Server) handleRevokeToken(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	name := r.PostFormValue("name")
	if err := s.db.RevokeAPIToken(ctx, actor(ctx), currentUser(ctx).Email, name); err != nil {
		return err
	}
	return s.saved(w, r, "/staff/tokens", "Token “"+name+"” revoked: it no longer works.")
}
