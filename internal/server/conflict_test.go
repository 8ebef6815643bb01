package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// formOf reads an edit form as the page fills it in: inputs, textareas, hidden fields.
// Radio buttons are left out: on a conflict page nothing is chosen for the user.
func formOf(t *testing.T, body string) url.Values {
	t.Helper()
	form := url.Values{}
	doc(t, body).Find(`main form.form input[name], main form.form textarea[name]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		switch {
		case goquery.NodeName(s) == "textarea":
			form.Set(name, s.Text())
		case s.AttrOr("type", "") == "radio":
		case s.AttrOr("type", "") == "submit": // sent only when pressed
		case s.AttrOr("type", "") == "checkbox": // sent only when ticked, as a browser does
			if _, on := s.Attr("checked"); on {
				form.Add(name, s.AttrOr("value", "on"))
			}
		default:
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	return form
}

func doc(t *testing.T, body string) *goquery.Document {
	t.Helper()
	d, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// mergeRow is one row of the conflict page's table of every field.
type mergeRow struct{ mine, theirs, outcome string }

func mergeTable(d *goquery.Document) map[string]mergeRow {
	rows := map[string]mergeRow{}
	d.Find(`[data-testid="merge-table"] tbody tr`).Each(func(_ int, s *goquery.Selection) {
		cells := s.Find("td")
		rows[s.AttrOr("data-field", "")] = mergeRow{cells.Eq(0).Text(), cells.Eq(1).Text(), s.AttrOr("data-outcome", "")}
	})
	return rows
}

// twoEditors is a staff world with the editor signed in on server b and the admin on a.
func twoEditors(t *testing.T) (*staffWorld, *http.Client, *http.Client) {
	t.Helper()
	w := newStaffWorld(t)
	editor, admin := browser(t), browser(t)
	signIn(t, editor, w.b, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	return w, editor, admin
}

// TestConflictPageKeepsOtherEditorsWork is the reported loss, through real HTTP with two
// sessions on two app servers: editor B opens a person's form; admin A changes the role
// and the internal notes; B saves. A's internal note must survive B's saves.
func TestConflictPageKeepsOtherEditorsWork(t *testing.T) {
	t.Parallel()
	w, editor, admin := twoEditors(t)
	ctx := context.Background()
	const slug = "max-bokayev"
	editURL := w.b.URL + "/people/" + slug + "/edit"

	adminSaves := func(t *testing.T, role, internal string) {
		t.Helper()
		form := editPersonForm(t, admin, w.a, slug)
		form.Set("role", role)
		form.Set("internal_notes", internal)
		if resp, body := post(t, admin, w.a.URL+"/people/"+slug+"/edit", form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin's save: %d %s", resp.StatusCode, body)
		}
	}

	t.Run("OnlyOneSideChangedEachFieldSavesMergedAndSaysSo", func(t *testing.T) {
		bForm := editPersonForm(t, editor, w.b, slug) // B opens the form
		adminSaves(t, "trade union leader", "Lawyer: A. Example, +7 700 000 0000")
		bForm.Set("notes", "Released in 2023 after serving his term.") // B changes only the public notes
		resp, body := post(t, editor, editURL, bForm)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("B's save, nothing both changed: %d, want 303 (saved merged)\n%s", resp.StatusCode, body)
		}
		d, _ := w.db.Person(ctx, slug)
		if p := d.Person; p.InternalNotes != "Lawyer: A. Example, +7 700 000 0000" || p.Role != "trade union leader" || p.Notes != "Released in 2023 after serving his term." {
			t.Errorf("after the merged save: role %q, internal notes %q, notes %q", p.Role, p.InternalNotes, p.Notes)
		}
		_, page := fetchWith(t, editor, w.b.URL+resp.Header.Get("Location"))
		flash := doc(t, page).Find(`[data-testid="flash"]`).Text()
		if !strings.Contains(flash, "admin@example.org") || !strings.Contains(flash, "Role") || !strings.Contains(flash, "Internal notes") {
			t.Errorf("the page after a merged save should say whose changes to which fields were kept: %q", flash)
		}
		if _, again := fetchWith(t, editor, w.b.URL+resp.Header.Get("Location")); strings.Contains(again, `data-testid="flash"`) {
			t.Error("the merge notice is shown a second time")
		}
	})

	t.Run("BothChangedIsShownWithBothValuesAndMustBeChosen", func(t *testing.T) {
		bForm := editPersonForm(t, editor, w.b, slug)
		adminSaves(t, "union organiser", "Prison address: colony 12")
		bForm.Set("role", "former union leader")
		bForm.Set("place", "Aktau region")
		resp, body := post(t, editor, editURL, bForm)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("B's save, role both changed: %d, want 409", resp.StatusCode)
		}
		page := doc(t, body)
		rows := mergeTable(page)
		var shown []string
		for name := range rows {
			shown = append(shown, name)
		}
		slices.Sort(shown)
		if fmt.Sprint(shown) != "[affiliations aliases born_on internal_notes name name_kk name_ru notes place role]" {
			t.Errorf("the conflict page shows the fields %v, want every field the form submits", shown)
		}
		if r := rows["role"]; r.mine != "former union leader" || r.theirs != "union organiser" || r.outcome != "conflict" {
			t.Errorf("role row = %+v, want both values, marked as a conflict", r)
		}
		if r := rows["internal_notes"]; r.theirs != "Prison address: colony 12" || r.outcome != "theirs" {
			t.Errorf("internal notes row = %+v, want the admin's note kept", r)
		}
		if r := rows["place"]; r.mine != "Aktau region" || r.outcome != "yours" {
			t.Errorf("place row = %+v", r)
		}
		conflict := page.Find(`[data-testid="conflict"]`).Text()
		if !strings.Contains(conflict, "admin@example.org") || !strings.Contains(conflict, "UTC") {
			t.Errorf("the conflict page should say who saved meanwhile and when: %q", conflict)
		}
		if page.Find(`[data-testid="choose-role"] input[type="radio"]`).Length() != 2 || page.Find(`[data-testid="choose-role"] input[checked]`).Length() != 0 {
			t.Error("role needs a choice between the two values, none made for the user")
		}
		if n := page.Find(`fieldset[data-testid^="choose-"]`).Length(); n != 1 {
			t.Errorf("%d choices asked, want one (only role was changed by both)", n)
		}
		if got := page.Find("#role").AttrOr("value", ""); got != "former union leader" {
			t.Errorf("role input = %q, want B's input kept", got)
		}
		if got := page.Find("#internal_notes").Text(); got != "Prison address: colony 12" {
			t.Errorf("internal notes field = %q, want the admin's note merged in", got)
		}

		// Saving again without choosing is refused, and nothing is written.
		again := formOf(t, body)
		resp, body = post(t, editor, editURL, again)
		if resp.StatusCode != http.StatusConflict || doc(t, body).Find(`[data-testid="choose-role-error"]`).Length() == 0 {
			t.Fatalf("save without a choice: %d, want 409 asking to choose", resp.StatusCode)
		}
		if d, _ := w.db.Person(ctx, slug); d.Person.Role != "union organiser" || d.Person.Place == "Aktau region" {
			t.Errorf("a save without a choice wrote: role %q, place %q", d.Person.Role, d.Person.Place)
		}

		// Choosing B's role saves the merge: A's internal note survives.
		again = formOf(t, body)
		again.Set("choose_role", "mine")
		if resp, body = post(t, editor, editURL, again); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save with a choice: %d %s", resp.StatusCode, body)
		}
		d, _ := w.db.Person(ctx, slug)
		if p := d.Person; p.Role != "former union leader" || p.Place != "Aktau region" || p.InternalNotes != "Prison address: colony 12" {
			t.Errorf("after choosing: role %q, place %q, internal notes %q", p.Role, p.Place, p.InternalNotes)
		}
	})

	t.Run("ChoosingTheirsKeepsTheirs", func(t *testing.T) {
		bForm := editPersonForm(t, editor, w.b, slug)
		adminSaves(t, "chair of the union", "Prison address: colony 14")
		bForm.Set("internal_notes", "B's own note")
		resp, body := post(t, editor, editURL, bForm)
		if resp.StatusCode != http.StatusConflict {
			t.Fatalf("B's save, internal notes both changed: %d, want 409", resp.StatusCode)
		}
		again := formOf(t, body)
		again.Set("choose_internal_notes", "theirs")
		if resp, body := post(t, editor, editURL, again); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("save taking theirs: %d %s", resp.StatusCode, body)
		}
		if d, _ := w.db.Person(ctx, slug); d.Person.InternalNotes != "Prison address: colony 14" || d.Person.Role != "chair of the union" {
			t.Errorf("after taking theirs: internal notes %q, role %q", d.Person.InternalNotes, d.Person.Role)
		}
	})
}

// TestCaseConflictMerges is the same for the case form: fields one side changed merge, a
// field both changed is shown with both values and chosen.
func TestCaseConflictMerges(t *testing.T) {
	t.Parallel()
	w, editor, admin := twoEditors(t)
	ctx := context.Background()
	const slug = "aset-mataev-case"
	caseForm := func(c *http.Client, base string) url.Values {
		_, body := fetchWith(t, c, base+"/cases/"+slug+"/edit")
		return formOf(t, body)
	}
	bForm := caseForm(editor, w.b.URL)
	aForm := caseForm(admin, w.a.URL)
	aForm.Set("title", "Case of Aset Mataev (union leader)")
	aForm.Set("internal_notes", "Family contact: via the union office")
	if resp, body := post(t, admin, w.a.URL+"/cases/"+slug+"/edit", aForm); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin's save: %d %s", resp.StatusCode, body)
	}
	// A status added meanwhile also moves the case's version; it changes no field.
	if resp, body := post(t, admin, w.a.URL+"/cases/"+slug+"/statuses", url.Values{"version": {caseVersion(t, admin, w.a, slug)},
		"status": {"released"}, "effective_on": {"2020-10-01"}, "note": {"Released."}, "source_url": {"https://example.org/m"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin's status: %d %s", resp.StatusCode, body)
	}

	bForm.Set("title", "Case of Aset Mataev")
	bForm.Set("summary", "Sentenced in 2017 for leading a strike.")
	resp, body := post(t, editor, w.b.URL+"/cases/"+slug+"/edit", bForm)
	if resp.StatusCode != http.StatusConflict {
		t.Fatalf("B's save, title both changed: %d, want 409", resp.StatusCode)
	}
	rows := mergeTable(doc(t, body))
	if len(rows) != len(tracker.CaseFields) || rows["facility_public"].outcome != "unchanged" || rows["title"].outcome != "conflict" || rows["title"].theirs != "Case of Aset Mataev (union leader)" ||
		rows["internal_notes"].theirs != "Family contact: via the union office" || rows["summary"].outcome != "yours" {
		t.Errorf("case conflict table = %+v", rows)
	}
	again := formOf(t, body)
	again.Set("choose_title", "theirs")
	if resp, body := post(t, editor, w.b.URL+"/cases/"+slug+"/edit", again); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save taking their title: %d %s", resp.StatusCode, body)
	}
	d, _ := w.db.Case(ctx, slug)
	if c := d.Case; c.Title != "Case of Aset Mataev (union leader)" || c.Summary != "Sentenced in 2017 for leading a strike." ||
		c.InternalNotes != "Family contact: via the union office" || len(c.Statuses) == 0 {
		t.Errorf("after the merge: title %q, summary %q, internal notes %q", c.Title, c.Summary, c.InternalNotes)
	}
}

// TestAPIEditsKeepWhatTheyDoNotSend covers the API's side of the same loss: staff reads
// carry the version and internal fields, writes change only what they send, and a stale
// version is refused first, naming the fields that conflict.
func TestAPIEditsKeepWhatTheyDoNotSend(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "test-token-0123456789abcdefghijklmnopqrstuv"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	person := w.a.URL + "/api/v1/people/vadim-kuramshin"
	version := func() int { // read from storage, so each subtest stands on its own
		d, err := w.db.Person(ctx, "vadim-kuramshin")
		if err != nil {
			t.Fatal(err)
		}
		return d.Person.Version
	}
	admin := browser(t)
	signIn(t, admin, w.b, "admin@example.org")
	// adminEdits is someone else's save, through the admin's edit form.
	adminEdits := func(t *testing.T, path string, set map[string]string) {
		t.Helper()
		_, page := fetchWith(t, admin, w.b.URL+path)
		form := formOf(t, page)
		for k, v := range set {
			form.Set(k, v)
		}
		if resp, body := post(t, admin, w.b.URL+path, form); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("admin's edit: %d %s", resp.StatusCode, body)
		}
	}
	setInternal := func(t *testing.T, note string) {
		t.Helper()
		adminEdits(t, "/people/vadim-kuramshin/edit", map[string]string{"internal_notes": note})
	}
	setInternal(t, "Lawyer: B. Example")

	t.Run("StaffTokenReadHasVersionAndInternalNotes", func(t *testing.T) {
		code, read := apiDo(t, "GET", person, token, "")
		if code != 200 || read["version"] != float64(version()) || read["internal_notes"] != "Lawyer: B. Example" {
			t.Errorf("staff read (token): %d, version %v, internal_notes %v", code, read["version"], read["internal_notes"])
		}
	})
	t.Run("StaffSessionReadHasVersionAndInternalNotes", func(t *testing.T) {
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		_, body := fetchWith(t, editor, person)
		if !strings.Contains(body, `"internal_notes":"Lawyer: B. Example"`) || !strings.Contains(body, `"version":`) {
			t.Errorf("staff session read lacks version or internal notes: %s", body)
		}
	})
	t.Run("AnonymousReadHasNoInternalFieldsEvenFromCache", func(t *testing.T) {
		for i := 0; i < 2; i++ { // a miss, then a hit of the page cache
			_, body := get(t, w.a, "/api/v1/people/vadim-kuramshin")
			if strings.Contains(body, "internal_notes") || strings.Contains(body, `"version"`) || strings.Contains(body, "B. Example") {
				t.Errorf("anonymous read %d shows staff fields: %s", i, body)
			}
		}
	})
	for _, method := range []string{"PATCH", "PUT"} {
		t.Run(method+"WithoutInternalNotesKeepsThem", func(t *testing.T) {
			role := "human rights defender (" + method + ")"
			code, body := apiDo(t, method, person, token, fmt.Sprintf(`{"version": %d, "name": "Vadim Kuramshin", "role": %q}`, version(), role))
			if code != 200 {
				t.Fatalf("%s: %d %v", method, code, body)
			}
			d, _ := w.db.Person(ctx, "vadim-kuramshin")
			if d.Person.InternalNotes != "Lawyer: B. Example" || d.Person.Role != role || len(d.Person.Aliases) == 0 {
				t.Errorf("after %s: internal notes %q, role %q, aliases %v", method, d.Person.InternalNotes, d.Person.Role, d.Person.Aliases)
			}
		})
	}
	t.Run("StaleVersionIs409ListingConflictsBeforeValidation", func(t *testing.T) {
		old := version()
		adminEdits(t, "/people/vadim-kuramshin/edit", map[string]string{"role": "defender", "internal_notes": "Lawyer: C. Example"})
		// Stale, with a role that conflicts and a name that is not valid: the conflict answers.
		code, body := apiDo(t, "PATCH", person, token, fmt.Sprintf(`{"version": %d, "name": "", "role": "activist", "place": "Almaty"}`, old))
		if code != 409 || fmt.Sprint(body["conflicts"]) != "[role]" || body["current_version"] != float64(old+1) ||
			!strings.Contains(fmt.Sprint(body["changed"]), "internal_notes") || fmt.Sprint(body["saved_by"]) != "[admin@example.org]" {
			t.Errorf("stale write: %d %v", code, body)
		}
		if msg, _ := body["error"].(string); !strings.Contains(msg, fmt.Sprintf("version %d", old+1)) {
			t.Errorf("the 409 should name the version to read again: %q", msg)
		}
		// Stale with nothing conflicting is still refused: a client must read again.
		code, body = apiDo(t, "PATCH", person, token, fmt.Sprintf(`{"version": %d, "place": "Almaty"}`, old))
		if code != 409 || fmt.Sprint(body["conflicts"]) != "[]" {
			t.Errorf("stale write without conflicts: %d %v", code, body)
		}
		if d, _ := w.db.Person(ctx, "vadim-kuramshin"); d.Person.Role != "defender" || d.Person.Place == "Almaty" {
			t.Errorf("a refused write changed the person: %+v", d.Person)
		}
		// Without a version nothing tells what the client read: refused as a malformed body.
		if code, body := apiDo(t, "PATCH", person, token, `{"role": "activist"}`); code != 400 || !strings.Contains(fmt.Sprint(body["error"]), "version") {
			t.Errorf("no version: %d %v", code, body)
		}
		// With the current version, an invalid name is refused per field.
		code, body = apiDo(t, "PATCH", person, token, fmt.Sprintf(`{"version": %d, "name": ""}`, old+1))
		if fields, _ := body["fields"].(map[string]any); code != 422 || fields["name"] == nil {
			t.Errorf("invalid name: %d %v", code, body)
		}
	})
	t.Run("UnknownBaseCountsEveryDifferenceAsConflict", func(t *testing.T) {
		old := version()
		adminEdits(t, "/people/vadim-kuramshin/edit", map[string]string{"notes": "Public note."})
		conn, err := pgx.Connect(ctx, w.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		// As for entries written before versions were recorded.
		if _, err := conn.Exec(ctx, `UPDATE audit_log SET record_version = NULL WHERE entity_slug = 'vadim-kuramshin'`); err != nil {
			t.Fatal(err)
		}
		code, body := apiDo(t, "PATCH", person, token, fmt.Sprintf(`{"version": %d, "notes": "Another note.", "role": "defender"}`, old))
		if code != 409 || fmt.Sprint(body["conflicts"]) != "[notes]" || body["changed"] != nil {
			t.Errorf("stale write over an unknown base: %d %v", code, body)
		}
	})
	t.Run("CasePatchKeepsInternalNotes", func(t *testing.T) {
		caseURL := w.a.URL + "/api/v1/cases/vadim-kuramshin-case"
		c, _ := w.db.Case(ctx, "vadim-kuramshin-case")
		adminEdits(t, "/cases/vadim-kuramshin-case/edit", map[string]string{"internal_notes": "Hearing moved to May"})
		_, read := apiDo(t, "GET", caseURL, token, "")
		if read["internal_notes"] != "Hearing moved to May" || read["version"] != float64(c.Case.Version+1) {
			t.Errorf("staff case read lacks version or internal notes: %v", read)
		}
		code, body := apiDo(t, "PUT", caseURL, token, fmt.Sprintf(`{"version": %d, "title": "Case of Vadim Kuramshin"}`, c.Case.Version+1))
		d, _ := w.db.Case(ctx, "vadim-kuramshin-case")
		if code != 200 || d.Case.InternalNotes != "Hearing moved to May" || d.Case.Title != "Case of Vadim Kuramshin" || len(d.Case.People) == 0 {
			t.Errorf("case write: %d %v; internal notes %q, title %q, people %v", code, body, d.Case.InternalNotes, d.Case.Title, d.Case.People)
		}
		_, anon := get(t, w.a, "/api/v1/cases/vadim-kuramshin-case")
		if strings.Contains(anon, "internal_note") || strings.Contains(anon, "Hearing moved") {
			t.Error("anonymous case read shows internal fields")
		}
	})
}

// TestConcurrentEditsOfDifferentFieldsAllSurvive sends, at once, one save per field of a
// person from forms all opened at the same version, half through each app server: each
// save is merged under the row's lock with the ones committed before it, so every field
// ends as its editor set it and nothing is answered with a conflict.
func TestConcurrentEditsOfDifferentFieldsAllSurvive(t *testing.T) {
	t.Parallel()
	w, editor, admin := twoEditors(t)
	const slug = "talgat-ayan"
	opened := editPersonForm(t, editor, w.b, slug)
	want := map[string]string{"name": "Talgat Ayan (edited)", "aliases": "Талгат Аян\nTalgat Ayanov", "role": "activist (edited)",
		"place": "Atyrau (edited)", "notes": "Public note (edited).", "internal_notes": "Internal note (edited)."}
	type result struct {
		field string
		code  int
	}
	results := make(chan result, len(want))
	start := make(chan struct{})
	i := 0
	for field, value := range want {
		c, srv := editor, w.b
		if i%2 == 1 {
			c, srv = admin, w.a
		}
		i++
		form := url.Values{}
		for k, vs := range opened {
			form[k] = append([]string(nil), vs...)
		}
		form.Set(field, value)
		go func() {
			<-start
			resp, err := c.PostForm(srv.URL+"/people/"+slug+"/edit", form)
			if err != nil {
				results <- result{field, 0}
				return
			}
			resp.Body.Close()
			results <- result{field, resp.StatusCode}
		}()
	}
	close(start)
	for range want {
		if r := <-results; r.code != http.StatusSeeOther {
			t.Errorf("save of %s: %d, want 303 (merged)", r.field, r.code)
		}
	}
	d, err := w.db.Person(context.Background(), slug)
	if err != nil {
		t.Fatal(err)
	}
	p := d.Person
	got := map[string]string{"name": p.Name, "aliases": strings.Join(p.Aliases, "\n"), "role": p.Role, "place": p.Place, "notes": p.Notes, "internal_notes": p.InternalNotes}
	for field, value := range want {
		if got[field] != value {
			t.Errorf("%s = %q, want %q: a concurrent save overwrote it", field, got[field], value)
		}
	}
}
