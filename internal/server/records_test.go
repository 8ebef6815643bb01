package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres"
)

// recordTokens makes an editor's and an admin's API token in w.
func recordTokens(t *testing.T, w *staffWorld) (editor, admin string) {
	t.Helper()
	editor, admin = "records-editor-0123456789abcdefghijklmnop", "records-admin-0123456789abcdefghijklmnopq"
	for email, tok := range map[string]string{"editor@example.org": editor, "admin@example.org": admin} {
		if err := w.db.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, email, "records", tok); err != nil {
			t.Fatal(err)
		}
	}
	return editor, admin
}

// listed says whether a JSON list answer names slug among its items.
func listed(t *testing.T, u, slug string) bool {
	t.Helper()
	_, raw := apiRaw(t, http.MethodGet, u, "", "")
	return strings.Contains(raw, `"slug":"`+slug+`"`)
}

// TestCreateRecordsAPI creates every kind of record through the API: 201 with the record
// as a staff read gives it, at once in lists and search; 422 per field, 409 for a slug
// taken, 401 for visitors.
func TestCreateRecordsAPI(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor, _ := recordTokens(t, w)
	api := w.a.URL + "/api/v1"

	for _, c := range []struct {
		name, path, body, slug, list string
		want                         []string
		typ                          string
	}{
		{"Person", "/people", `{"name": "Бокаев Макс", "aliases": ["Maks Bokaev Jr"], "role": "blogger", "born_on": "1990-02-03", "affiliations": [{"organisation": "CITUK", "role": "chair"}]}`,
			"bokaev-maks", "/people?per_page=500", []string{`"born_on":"1990-02-03"`, `"role":"chair"`, `"slug":"cituk"`, `"internal_notes":""`}, "person"},
		{"Case", "/cases", `{"title": "Case of Maks Bokaev", "people": ["Бокаев Макс"], "organisations": ["Confederation of Independent Trade Unions of Kazakhstan"], "legal_provisions": ["criminal-code-article-174"]}`,
			"case-of-maks-bokaev", "/cases?per_page=500", []string{`"slug":"bokaev-maks"`, `"slug":"criminal-code-article-174"`, `"current_status":null`}, "case"},
		{"Organisation", "/organisations", `{"name": "Adil Soz", "aliases": ["Әділ сөз"], "kind": "NGO", "notes": "Free speech foundation."}`,
			"adil-soz", "/organisations?per_page=500", []string{`"kind":"NGO"`, `"affiliations":[]`}, "organisation"},
		{"LegalProvision", "/legal-provisions", `{"name": "Article 274", "slug": "article-274-kazakhstan", "jurisdiction": "Kazakhstan", "citation": "Criminal Code of the Republic of Kazakhstan, Article 274", "official_url": "https://adilet.zan.kz/"}`,
			"article-274-kazakhstan", "/legal-provisions?per_page=500", []string{`"citation":"Criminal Code of the Republic of Kazakhstan, Article 274"`, `"official_url":"https://adilet.zan.kz/"`}, "legal_provision"},
	} {
		t.Run(c.name, func(t *testing.T) {
			resp, raw := apiRaw(t, http.MethodPost, api+c.path, editor, c.body)
			if resp.StatusCode != http.StatusCreated || !strings.Contains(raw, `"slug":"`+c.slug+`"`) || !strings.Contains(raw, `"version":1`) {
				t.Fatalf("create: %d %s", resp.StatusCode, raw)
			}
			if loc := resp.Header.Get("Location"); loc != "/api/v1"+c.path+"/"+c.slug {
				t.Errorf("Location %q", loc)
			}
			for _, s := range c.want {
				if !strings.Contains(raw, s) {
					t.Errorf("answer lacks %s: %s", s, raw)
				}
			}
			if !listed(t, api+c.list, c.slug) {
				t.Error("not in the public list at once")
			}
			// The public GET is the same record, without the staff keys.
			if code, out := apiDo(t, http.MethodGet, api+c.path+"/"+c.slug, "", ""); code != 200 || out["version"] != nil {
				t.Errorf("public GET: %d %v", code, out["version"])
			}
			if log, _ := w.db.Activity(context.Background(), c.typ, c.slug, 5); len(log) != 1 || log[0].Action != "create" || log[0].Actor != "editor@example.org" {
				t.Errorf("audit: %+v", log)
			}
		})
	}
	t.Run("NewPersonIsFoundAndCounted", func(t *testing.T) {
		_, raw := apiRaw(t, http.MethodGet, api+"/search?q=Bokaev+Maks", "", "")
		if !strings.Contains(raw, `"slug":"bokaev-maks"`) {
			t.Errorf("search: %s", raw)
		}
		_, raw = apiRaw(t, http.MethodGet, api+"/people", "", "")
		if !strings.Contains(raw, `{"value":"blogger","label":"blogger","count":1}`) {
			t.Errorf("role facet: %s", raw)
		}
	})
	t.Run("RefusedPerField", func(t *testing.T) {
		for _, c := range []struct{ path, body, field string }{
			{"/people", `{"name": ""}`, "name"},
			{"/people", `{"name": "A", "born_on": "31.12.1990"}`, "born_on"},
			{"/people", `{"name": "A", "affiliations": [{"organisation": "No Such Union", "role": "chair"}]}`, "affiliations"},
			{"/people", `{"name": "A", "slug": "Not a slug"}`, "slug"},
			{"/cases", `{"title": "A case", "people": ["Nobody Atall"]}`, "people"},
			{"/cases", `{"title": "", "people": ["max-bokayev"]}`, "title"},
			{"/organisations", `{"name": "` + strings.Repeat("x", 201) + `"}`, "name"},
			{"/legal-provisions", `{"name": "A law", "official_url": "javascript:alert(1)"}`, "official_url"},
		} {
			code, out := apiDo(t, http.MethodPost, api+c.path, editor, c.body)
			fields, _ := out["fields"].(map[string]any)
			if code != http.StatusUnprocessableEntity || fields[c.field] == nil {
				t.Errorf("POST %s %s: %d %v, want 422 on %s", c.path, c.body, code, out, c.field)
			}
		}
	})
	t.Run("SlugTakenIsAConflict", func(t *testing.T) {
		if code, out := apiDo(t, http.MethodPost, api+"/people", editor, `{"name": "Max", "slug": "max-bokayev"}`); code != http.StatusConflict {
			t.Errorf("slug taken: %d %v", code, out)
		}
		// Without a proposal, the name's slug gets the next free number.
		if code, out := apiDo(t, http.MethodPost, api+"/people", editor, `{"name": "Max Bokayev"}`); code != http.StatusCreated || out["slug"] != "max-bokayev-2" {
			t.Errorf("same name: %d %v", code, out["slug"])
		}
	})
	t.Run("VisitorsMayNotCreate", func(t *testing.T) {
		for _, p := range []string{"/people", "/cases", "/organisations", "/legal-provisions"} {
			if code, _ := apiDo(t, http.MethodPost, api+p, "", `{"name": "X", "title": "X"}`); code != http.StatusUnauthorized {
				t.Errorf("anonymous POST %s: %d", p, code)
			}
		}
	})
	t.Run("OrganisationEditsMergeAndRefuseStaleVersions", func(t *testing.T) {
		code, out := apiDo(t, http.MethodPatch, api+"/organisations/adil-soz", editor, `{"version": 1, "kind": "foundation"}`)
		if code != 200 || out["version"] != float64(2) {
			t.Fatalf("edit: %d %v", code, out)
		}
		if code, out := apiDo(t, http.MethodPatch, api+"/organisations/adil-soz", editor, `{"version": 1, "notes": "x"}`); code != http.StatusConflict || out["current_version"] != float64(2) {
			t.Errorf("stale edit: %d %v", code, out)
		}
		if code, _ := apiDo(t, http.MethodPut, api+"/legal-provisions/article-274-kazakhstan", editor, `{"version": 1, "citation": ""}`); code != 200 {
			t.Errorf("provision edit: %d", code)
		}
		if code, _ := apiDo(t, http.MethodPatch, api+"/organisations/adil-soz", "", `{"version": 2, "kind": "x"}`); code != http.StatusUnauthorized {
			t.Errorf("anonymous edit: %d", code)
		}
	})
	t.Run("PersonEditSetsBirthAndAffiliations", func(t *testing.T) {
		d, _ := w.db.Person(context.Background(), "larisa-kharkova")
		code, out := apiDo(t, http.MethodPatch, api+"/people/larisa-kharkova", editor,
			fmt.Sprintf(`{"version": %d, "born_on": "1970-01-01", "affiliations": [{"organisation": "cituk", "role": "chair"}, {"organisation": "Adil Soz", "role": "member"}]}`, d.Person.Version))
		person, _ := out["person"].(map[string]any)
		if code != 200 || person["born_on"] != "1970-01-01" || len(person["affiliations"].([]any)) != 2 {
			t.Errorf("edit: %d %v", code, out)
		}
	})
}

// TestRetireAndRestore retires a record of each kind, page and API, and restores it: the
// public gets 410 and loses it from lists, search and CSV; staff still see it; editors
// retire, admins restore.
func TestRetireAndRestore(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor, admin := recordTokens(t, w)
	api := w.a.URL + "/api/v1"

	t.Run("API", func(t *testing.T) {
		for _, c := range []struct{ path, slug, list, search string }{
			{"/people", "max-bokayev", "/people?per_page=500", "Bokayev"},
			{"/cases", "talgat-ayan-case", "/cases?per_page=500", "Talgat Ayan"},
			{"/organisations", "ilo", "/organisations?per_page=500", "International Labour Organization"},
			{"/legal-provisions", "criminal-libel", "/legal-provisions?per_page=500", "libel"},
		} {
			if code, _ := apiDo(t, http.MethodDelete, api+c.path+"/"+c.slug, "", ""); code != http.StatusUnauthorized {
				t.Errorf("anonymous DELETE %s: %d", c.path, code)
			}
			if code, out := apiDo(t, http.MethodDelete, api+c.path+"/"+c.slug, editor, ""); code != 200 || out["retired"] != true {
				t.Fatalf("retire %s: %d %v", c.slug, code, out)
			}
			if code, _ := apiDo(t, http.MethodGet, api+c.path+"/"+c.slug, "", ""); code != http.StatusGone {
				t.Errorf("public API GET of retired %s: %d, want 410", c.slug, code)
			}
			if resp, body := fetchWith(t, browser(t), w.a.URL+c.path+"/"+c.slug); resp.StatusCode != http.StatusGone || !strings.Contains(body, "retired") {
				t.Errorf("public page of retired %s: %d", c.slug, resp.StatusCode)
			}
			if code, out := apiDo(t, http.MethodGet, api+c.path+"/"+c.slug, editor, ""); code != 200 || out["retired_at"] == nil || out["retired_by"] != "editor@example.org" {
				t.Errorf("staff GET of retired %s: %d %v", c.slug, code, out["retired_at"])
			}
			if listed(t, api+c.list, c.slug) {
				t.Errorf("retired %s is still listed", c.slug)
			}
			if _, raw := apiRaw(t, http.MethodGet, api+"/search?q="+url.QueryEscape(c.search), "", ""); strings.Contains(raw, `"slug":"`+c.slug+`"`) {
				t.Errorf("retired %s is still found", c.slug)
			}
			if code, _ := apiDo(t, http.MethodPost, api+c.path+"/"+c.slug+"/restore", editor, ""); code != http.StatusForbidden {
				t.Errorf("editor restoring %s: %d, want 403", c.slug, code)
			}
			if code, _ := apiDo(t, http.MethodPost, api+c.path+"/"+c.slug+"/restore", admin, ""); code != 200 {
				t.Errorf("admin restoring %s: %d", c.slug, code)
			}
			if code, _ := apiDo(t, http.MethodGet, api+c.path+"/"+c.slug, "", ""); code != 200 || !listed(t, api+c.list, c.slug) {
				t.Errorf("restored %s: %d", c.slug, code)
			}
		}
	})

	t.Run("RetiredLeavesExportsAndClauseLinks", func(t *testing.T) {
		if code, _ := apiDo(t, http.MethodDelete, api+"/people/max-bokayev", editor, ""); code != 200 {
			t.Fatal(code)
		}
		_, csv := fetchWith(t, browser(t), api+"/people.csv")
		if strings.Contains(csv, "max-bokayev") || !strings.Contains(csv, "talgat-ayan") {
			t.Error("the people CSV still holds the retired person")
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp")
		if strings.Contains(page, `href="/people/max-bokayev"`) {
			t.Error("the resolution still links the retired person")
		}
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev/dossier.json"); resp.StatusCode != http.StatusGone {
			t.Errorf("retired person's dossier: %d", resp.StatusCode)
		}
		if code, _ := apiDo(t, http.MethodPost, api+"/people/max-bokayev/restore", admin, ""); code != 200 {
			t.Fatal(code)
		}
	})

	t.Run("Pages", func(t *testing.T) {
		ed, ad := browser(t), browser(t)
		signIn(t, ed, w.a, "editor@example.org")
		signIn(t, ad, w.a, "admin@example.org")
		// Visitors are sent to sign in; the confirmation page works without JavaScript.
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/organisations/cituk/retire"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous retire page: %d", resp.StatusCode)
		}
		if resp, _ := post(t, browser(t), w.a.URL+"/organisations/cituk/retire", nil); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous retire: %d", resp.StatusCode)
		}
		// The page's "Retire" link opens the confirmation every destructive action asks
		// for (web.Confirmation); a post without confirm=yes answers it too, retiring nothing.
		for _, ask := range []func() (*http.Response, string){
			func() (*http.Response, string) { return fetchWith(t, ed, w.a.URL+"/organisations/cituk/retire") },
			func() (*http.Response, string) { return post(t, ed, w.a.URL+"/organisations/cituk/retire", nil) },
		} {
			resp, body := ask()
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			c := doc.Find(`[data-testid="confirm"]`)
			if resp.StatusCode != 200 || !strings.Contains(c.Find("h1").Text(), "Retire Confederation") ||
				c.Find(`form[action="/organisations/cituk/retire"] input[name="confirm"][value="yes"]`).Length() != 1 ||
				c.Find(`a[href="/organisations/cituk"][data-testid="confirm-cancel"]`).Length() != 1 {
				t.Fatalf("confirmation page: %d %q", resp.StatusCode, c.Find("h1").Text())
			}
			if resp, _ := fetchWith(t, browser(t), w.a.URL+"/organisations/cituk"); resp.StatusCode != 200 {
				t.Fatalf("asking to confirm retired the organisation: %d", resp.StatusCode)
			}
		}
		if resp, _ := post(t, ed, w.a.URL+"/organisations/cituk/retire", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", resp.StatusCode)
		}
		_, body := fetchWith(t, ed, w.a.URL+"/organisations/cituk")
		if n := strings.Count(body, "Retired: the organisation is no longer on public pages"); n != 1 {
			t.Errorf("the retired notice is shown %d times, want once", n)
		}
		if !strings.Contains(body, `data-testid="retired-banner"`) || strings.Contains(body, `data-testid="restore"`) {
			t.Error("an editor sees the retired banner without a restore button")
		}
		if _, body := fetchWith(t, ed, w.a.URL+"/organisations/cituk"); strings.Contains(body, "Retired: the organisation is no longer") {
			t.Error("the notice is shown again on the next visit")
		}
		if resp, _ := post(t, ed, w.a.URL+"/organisations/cituk/retire", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("retiring twice: %d, want 409", resp.StatusCode)
		}
		if resp, _ := post(t, ed, w.a.URL+"/organisations/cituk/restore", nil); resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor restore: %d", resp.StatusCode)
		}
		_, body = fetchWith(t, ad, w.a.URL+"/organisations/cituk")
		if !strings.Contains(body, `data-testid="restore"`) {
			t.Error("an admin has no restore button")
		}
		if resp, _ := post(t, ad, w.a.URL+"/organisations/cituk/restore", nil); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("restore: %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/organisations/cituk"); resp.StatusCode != 200 {
			t.Errorf("restored page: %d", resp.StatusCode)
		}
		log, _ := w.db.Activity(context.Background(), "organisation", "cituk", 5)
		if len(log) < 2 || log[0].Action != "restore" || log[1].Action != "retire" {
			t.Errorf("audit: %+v", log)
		}
	})
}

// TestCreateRecordPages walks the forms that create records: sign-in required, errors
// beside the fields with the input kept, the created record shown with a notice.
func TestCreateRecordPages(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ed := browser(t)
	signIn(t, ed, w.a, "editor@example.org")
	for _, p := range []string{"/people/new", "/cases/new", "/organisations/new", "/legal-provisions/new"} {
		if resp, _ := fetchWith(t, browser(t), w.a.URL+p); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
			t.Errorf("anonymous GET %s: %d", p, resp.StatusCode)
		}
		if resp, _ := post(t, browser(t), w.a.URL+p, url.Values{"name": {"X"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous POST %s: %d", p, resp.StatusCode)
		}
		if resp, body := fetchWith(t, ed, w.a.URL+p); resp.StatusCode != 200 || !strings.Contains(body, "<h1>New ") {
			t.Errorf("GET %s: %d", p, resp.StatusCode)
		}
	}
	t.Run("PersonRefusedKeepsInput", func(t *testing.T) {
		resp, body := post(t, ed, w.a.URL+"/people/new", url.Values{"name": {"Aigul Utepova"}, "born_on": {"1975-13-40"}, "affiliation_rows": {"1"}, "affiliation_0_names": {"No Such Union"}, "notes": {"Journalist."}})
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="born_on-error"]`).Length() != 1 || doc.Find(`[data-testid="affiliation_0-error"]`).Length() != 1 {
			t.Fatalf("refused: %d", resp.StatusCode)
		}
		if v, _ := doc.Find("#name").Attr("value"); v != "Aigul Utepova" || doc.Find("#notes").Text() != "Journalist." || doc.Find("#affiliation_0").AttrOr("value", "") != "No Such Union" {
			t.Error("the input is not kept")
		}
	})
	t.Run("SlugTakenIsShownBesideTheField", func(t *testing.T) {
		resp, body := post(t, ed, w.a.URL+"/organisations/new", url.Values{"name": {"Another ILO"}, "slug": {"ilo"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, `data-testid="slug-error"`) {
			t.Errorf("slug taken: %d", resp.StatusCode)
		}
	})
	t.Run("PersonThenCase", func(t *testing.T) {
		resp, _ := post(t, ed, w.a.URL+"/people/new", url.Values{"name": {"Aigul Utepova"}, "aliases": {"Айгуль Утепова"}, "born_on": {"1975-05-01"}, "affiliations": {"CITUK: member"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/people/aigul-utepova" {
			t.Fatalf("create person: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body := fetchWith(t, ed, w.a.URL+"/people/aigul-utepova")
		if !strings.Contains(body, `data-testid="flash"`) || !strings.Contains(body, "Confederation of Independent Trade Unions of Kazakhstan</a>, member") {
			t.Error("the new person's page has no notice or no affiliation")
		}
		resp, _ = post(t, ed, w.a.URL+"/cases/new", url.Values{"title": {"Case of Aigul Utepova"}, "people_names": {"Айгуль Утепова"}, "legal_provisions": {"criminal-code-article-174"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases/case-of-aigul-utepova" {
			t.Fatalf("create case: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		_, body = fetchWith(t, browser(t), w.a.URL+"/people/aigul-utepova")
		if !strings.Contains(body, "Case of Aigul Utepova") {
			t.Error("the person's public page does not list the new case")
		}
	})
	t.Run("OrganisationListsItsPeople", func(t *testing.T) {
		_, body := fetchWith(t, browser(t), w.a.URL+"/organisations/cituk")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		people := doc.Find(`[data-testid="members-h"]`).Text()
		for _, name := range []string{"Kushakbaev", "Eleusinov", "Kharkova"} {
			if !strings.Contains(people, name) {
				t.Errorf("CITUK's page does not name %s: %q", name, people)
			}
		}
	})
	t.Run("ListsLinkToTheFormsForStaffOnly", func(t *testing.T) {
		_, staff := fetchWith(t, ed, w.a.URL+"/organisations")
		_, public := fetchWith(t, browser(t), w.a.URL+"/organisations")
		if !strings.Contains(staff, `href="/organisations/new"`) || strings.Contains(public, `href="/organisations/new"`) {
			t.Error("the new-organisation link is not for staff only")
		}
		_, dash := fetchWith(t, ed, w.a.URL+"/staff")
		if !strings.Contains(dash, `href="/legal-provisions/new"`) {
			t.Error("the dashboard does not link the forms")
		}
	})
}

// TestNamedRecordEditPages edits an organisation and a legal provision on their pages (one
// piece of code serves both): the form filled with the record; a save with the notice; a
// stale form that changed another field merged and saved; one that changed the same field
// sent back (409) with both values and the input kept.
func TestNamedRecordEditPages(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	for _, c := range []struct{ path, noun, name string }{
		{"/organisations/ilo", "organisation", "International Labour Organization"},
		{"/legal-provisions/criminal-libel", "legal provision", ""},
	} {
		t.Run(c.noun, func(t *testing.T) {
			_, body := fetchWith(t, editor, w.a.URL+c.path+"/edit")
			form := doc(t, body).Find(`form[action="` + c.path + `/edit"]`)
			name, _ := form.Find(`#name`).Attr("value")
			version, _ := form.Find(`input[name="version"]`).Attr("value")
			// as the form would send it, with some fields changed
			sent := func(changes ...string) url.Values {
				v := url.Values{}
				form.Find(`input[name], textarea[name]`).Each(func(_ int, f *goquery.Selection) {
					n, _ := f.Attr("name")
					val, _ := f.Attr("value")
					if goquery.NodeName(f) == "textarea" {
						val = f.Text()
					}
					v.Set(n, val)
				})
				for i := 0; i < len(changes); i += 2 {
					v.Set(changes[i], changes[i+1])
				}
				return v
			}
			if name == "" || version != "1" || (c.name != "" && name != c.name) {
				t.Fatalf("edit form: name %q, version %q", name, version)
			}
			resp, _ := post(t, editor, w.a.URL+c.path+"/edit", sent("notes", "Checked by the editor."))
			if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != c.path {
				t.Fatalf("save: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
			}
			if _, body := fetchWith(t, editor, w.a.URL+c.path); !strings.Contains(body, "Saved your changes to "+name) {
				t.Error("no notice after the save")
			}
			// The admin's form, opened at version 1, changes the name only: merged.
			resp, _ = post(t, admin, w.a.URL+c.path+"/edit", sent("name", name+" (renamed)"))
			if resp.StatusCode != http.StatusSeeOther {
				t.Fatalf("merged save: %d", resp.StatusCode)
			}
			_, body = fetchWith(t, admin, w.a.URL+c.path)
			if !strings.Contains(body, name+" (renamed)") || !strings.Contains(body, "Checked by the editor.") {
				t.Error("the merged save lost one side")
			}
			// Opened at version 1 too, changing the notes the editor changed: a conflict.
			resp, body = post(t, admin, w.a.URL+c.path+"/edit", sent("notes", "Other notes."))
			if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Checked by the editor.") || !strings.Contains(body, "Other notes.") {
				t.Errorf("conflicting save: %d", resp.StatusCode)
			}
		})
	}
}
