package server

import (
	"context"
	"net/http"
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// A person form's organisations (issue 13 §2): rows, each an organisation picked by name
// (web.PickerField, one record) and the person's role in it. The form sends how many rows
// it shows ("affiliation_rows"); "Add another organisation" (add_affiliation) shows the
// form again with one more blank row and everything typed kept, nothing saved, so rows are
// added without JavaScript. The old textarea ("affiliations", "organisation: role" lines)
// is still read.

// maxAffiliationRows bounds the rows a form may claim to send.
const maxAffiliationRows = 200

// affiliationPicker is the organisation field of the i-th affiliation row.
func affiliationPicker(i int, chosen []tracker.Suggestion, got *tracker.PickField) web.PickerField {
	p := web.NewPicker(web.AffiliationField(i), "Organisation "+strconv.Itoa(i+1), "organisation", tracker.OrganisationEntity, chosen, got)
	p.Single = true
	return p
}

// readAffiliations settles the organisation rows of a posted person form into
// form.Edit.Affiliations, and keeps them, as typed, in form.AffiliationRows. It reports
// whether the form is to be saved: every row settled to one organisation or left without
// one (a row whose organisation is unticked is removed, whatever its role), and no row
// asked for.
func (s *Server) readAffiliations(r *http.Request, form *web.PersonForm) (bool, error) {
	ctx := r.Context()
	n, _ := strconv.Atoi(r.PostFormValue("affiliation_rows"))
	n = min(max(n, 0), maxAffiliationRows)
	save := true
	fail := func(key, msg string) {
		if form.Errors == nil {
			form.Errors = tracker.FieldErrors{}
		}
		form.Errors[key], save = msg, false
	}
	var edits []tracker.AffiliationEdit
	form.AffiliationRows = nil
	for i := range n {
		name := web.AffiliationField(i)
		got, err := s.readPicker(ctx, r, name, tracker.OrganisationEntity)
		if err != nil {
			return false, err
		}
		row := web.AffiliationRow{Organisation: affiliationPicker(i, nil, &got), Role: strings.TrimSpace(r.PostFormValue(name + "_role"))}
		switch {
		case !got.Settled():
			fail(name, row.Organisation.Error)
		case len(got.Chosen) > 1:
			row.Organisation.Error = "Keep one organisation in this row; give each other one a row of its own."
			fail(name, row.Organisation.Error)
		case len(got.Chosen) == 1:
			edits = append(edits, tracker.AffiliationEdit{Organisation: got.Chosen[0].Slug, Role: roleOrMember(row.Role)})
		}
		form.AffiliationRows = append(form.AffiliationRows, row)
	}
	edits = append(edits, tracker.ParseAffiliations(r.PostFormValue("affiliations"))...)
	form.Edit.Affiliations = edits
	if r.PostFormValue("add_affiliation") != "" {
		form.AffiliationRows = append(form.AffiliationRows, affiliationRow(len(form.AffiliationRows), nil, ""))
		save = false
	}
	if !save && len(form.Errors) > 0 {
		for k, v := range form.Edit.Validate() {
			form.Errors[k] = v
		}
	}
	return save, nil
}

// roleOrMember is the role as typed, or member when none is.
func roleOrMember(role string) string {
	if role = strings.TrimSpace(role); role != "" {
		return role
	}
	return tracker.DefaultAffiliationRole
}

// affiliationRow is the i-th row holding the organisation c (nil for a blank row).
func affiliationRow(i int, c *tracker.Suggestion, role string) web.AffiliationRow {
	var chosen []tracker.Suggestion
	if c != nil {
		chosen = []tracker.Suggestion{*c}
	}
	return web.AffiliationRow{Organisation: affiliationPicker(i, chosen, nil), Role: role}
}

// showAffiliations fills the person form's rows with the affiliations as, and a blank row
// to add one, as the form opens or comes back merged with a save made meanwhile.
func (s *Server) showAffiliations(ctx context.Context, form *web.PersonForm, as []tracker.AffiliationEdit) error {
	slugs := make([]string, len(as))
	for i, a := range as {
		slugs[i] = a.Organisation
	}
	recs, err := s.db.Records(ctx, tracker.OrganisationEntity, slugs)
	if err != nil {
		return err
	}
	known := map[string]tracker.Suggestion{}
	for _, rec := range recs {
		known[rec.Slug] = rec
	}
	form.AffiliationRows = nil
	for _, a := range as {
		if rec, ok := known[a.Organisation]; ok {
			form.AffiliationRows = append(form.AffiliationRows, affiliationRow(len(form.AffiliationRows), &rec, a.Role))
		}
	}
	form.AffiliationRows = append(form.AffiliationRows, affiliationRow(len(form.AffiliationRows), nil, ""))
	return nil
}

// personFormAgain shows a person form that was not saved, with everything typed: 422 when
// a field needs attention, 200 when a row was asked for. err, when not nil, is returned
// for the error boundary instead.
func (s *Server) personFormAgain(w http.ResponseWriter, r *http.Request, err error, p tracker.Person, form web.PersonForm) error {
	if err != nil {
		return err
	}
	status := http.StatusOK
	if len(form.Errors) > 0 {
		status = http.StatusUnprocessableEntity
	}
	return render(r.Context(), w, status, web.PersonEditPage(p, form))
}
