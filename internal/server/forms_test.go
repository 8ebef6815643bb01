package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// noticeAfter follows a form post's redirect and returns the notice the next page shows
// in its status region; it also checks the notice is shown once only.
func noticeAfter(t *testing.T, c *http.Client, base string, resp *http.Response) string {
	t.Helper()
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("a successful post answered %d, want 303 to the next page", resp.StatusCode)
	}
	next := base + resp.Header.Get("Location")
	_, page := fetchWith(t, c, next)
	notice := strings.TrimSpace(doc(t, page).Find(`main [role="status"][data-testid="flash"]`).Text())
	if _, again := fetchWith(t, c, next); strings.Contains(again, `data-testid="flash"`) {
		t.Errorf("the notice %q is shown again on reload", notice)
	}
	return notice
}

// shownNotice is the notice of a page rendered as the answer to a post.
func shownNotice(t *testing.T, body string) string {
	t.Helper()
	return strings.TrimSpace(doc(t, body).Find(`main [role="status"][data-testid="flash"]`).Text())
}

// signedInWorld is a staff world with its editor and its admin signed in on server a.
func signedInWorld(t *testing.T) (w *staffWorld, editor, admin *http.Client) {
	t.Helper()
	w = newStaffWorld(t)
	editor, admin = browser(t), browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	return w, editor, admin
}

func TestNoticeAfterEverySave(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	base := w.a.URL

	check := func(what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s: notice %q, want %q", what, got, want)
		}
	}
	resp, _ := post(t, editor, base+"/cases/max-bokayev-case/statuses", url.Values{"version": {caseVersion(t, editor, w.a, "max-bokayev-case")},
		"status": {"released"}, "proposed_for": {"released"}, "effective_on": {"2021-02-08"}, "source_url": {"https://example.org/bokayev"}})
	check("status", noticeAfter(t, editor, base, resp), "Status added to the history: Released.")

	_, page := fetchWith(t, editor, base+"/people/max-bokayev/edit")
	form := formOf(t, page)
	form.Set("role", "Civil society activist")
	resp, _ = post(t, editor, base+"/people/max-bokayev/edit", form)
	check("person edit", noticeAfter(t, editor, base, resp), "Saved your changes to Max Bokayev.")

	_, page = fetchWith(t, editor, base+"/cases/max-bokayev-case/edit")
	form = formOf(t, page)
	form.Set("internal_notes", "Lawyer: see the file.")
	resp, _ = post(t, editor, base+"/cases/max-bokayev-case/edit", form)
	if n := noticeAfter(t, editor, base, resp); !strings.HasPrefix(n, "Saved your changes to ") {
		t.Errorf("case edit: notice %q", n)
	}

	_, page = fetchWith(t, editor, base+"/demands/2019-2610-rsp-para-1-1")
	v, _ := doc(t, page).Find(`#add-state input[name="version"]`).Attr("value")
	resp, _ = post(t, editor, base+"/demands/2019-2610-rsp-para-1-1/states", url.Values{"version": {v}, "state": {"met"}, "effective_on": {"2021-02-08"}, "source_url": {"https://example.org/bokayev"}})
	check("demand state", noticeAfter(t, editor, base, resp), "Follow-up recorded: Met.")

	resp, _ = post(t, editor, base+"/resolutions/2019-2610-rsp/clauses/rec_H/links", url.Values{"type": {"legal_provision"}, "slug": {"criminal-libel"}, "matched": {"arbitrary criminal prosecutions"}})
	check("link added", noticeAfter(t, editor, base, resp), "Link added: “arbitrary criminal prosecutions” now links to Criminal libel provisions.")

	resp, body := post(t, editor, base+"/staff/tokens", url.Values{"name": {"sync"}, "expires_in": {"30"}})
	if resp.StatusCode != 200 || !strings.Contains(body, `data-testid="new-token"`) {
		t.Fatalf("make a token: %d", resp.StatusCode)
	}
	check("token made", shownNotice(t, body), "Token “sync” made; it expires in 30 days.")
	resp, _ = post(t, editor, base+"/staff/tokens/revoke", url.Values{"name": {"sync"}})
	check("token revoked", noticeAfter(t, editor, base, resp), "Token “sync” revoked: it no longer works.")

	_, body = post(t, admin, base+"/admin/users", url.Values{"email": {"new@example.org"}, "role": {"editor"}})
	check("account added", shownNotice(t, body), "Account new@example.org added, as editor.")
	_, body = post(t, admin, base+"/admin/users/password", url.Values{"email": {"new@example.org"}})
	check("password reset", shownNotice(t, body), "New password set for new@example.org: its sessions have ended and its API tokens are revoked.")
	resp, _ = post(t, admin, base+"/admin/users/disable", url.Values{"email": {"new@example.org"}, "confirm": {"yes"}})
	check("account disabled", noticeAfter(t, admin, base, resp), "Account new@example.org disabled: its sessions have ended and its API tokens are revoked.")
	resp, _ = post(t, admin, base+"/admin/users/enable", url.Values{"email": {"new@example.org"}})
	check("account enabled", noticeAfter(t, admin, base, resp), "Account new@example.org enabled again: it can sign in with its password.")

	// The notice is for the one who saved: another session sees none.
	if _, other := fetchWith(t, editor, base+"/admin/users"); strings.Contains(other, `data-testid="flash"`) {
		t.Error("a notice reached another account's session")
	}
}

// checkErrorSummary checks the error summary heading a refused form: "There is a
// problem", focused on load, one link per field in want (by id, in order), each leading to
// a field that is marked invalid and described by its message.
func checkErrorSummary(t *testing.T, what, body string, want ...string) {
	t.Helper()
	d := doc(t, body)
	sum := d.Find(`[data-testid="error-summary"]`)
	if sum.Length() != 1 {
		t.Errorf("%s: %d error summaries, want 1", what, sum.Length())
		return
	}
	if h := strings.TrimSpace(sum.Find("h2").Text()); h != "There is a problem" {
		t.Errorf("%s: summary heading %q", what, h)
	}
	if _, ok := sum.Attr("autofocus"); !ok || sum.AttrOr("tabindex", "") != "-1" {
		t.Errorf("%s: the summary does not take the focus", what)
	}
	var got []string
	sum.Find("li a").Each(func(_ int, a *goquery.Selection) {
		id := strings.TrimPrefix(a.AttrOr("href", ""), "#")
		got = append(got, id)
		field := d.Find(`[id="` + id + `"]`)
		if field.Length() != 1 {
			t.Errorf("%s: the summary links to #%s, which is not one field", what, id)
			return
		}
		if field.AttrOr("aria-invalid", "") != "true" {
			t.Errorf("%s: #%s is not marked aria-invalid", what, id)
		}
		described := false
		for _, ref := range strings.Fields(field.AttrOr("aria-describedby", "")) {
			if msg := d.Find(`[id="` + ref + `"]`); msg.Length() == 1 && strings.TrimSpace(msg.Text()) == strings.TrimSpace(a.Text()) {
				described = true
			}
		}
		if !described {
			t.Errorf("%s: #%s is not described by its message %q", what, id, a.Text())
		}
	})
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Errorf("%s: summary links to %v, want %v", what, got, want)
	}
}

func TestErrorSummaryOnEveryForm(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	base := w.a.URL
	refused := func(what string, c *http.Client, path string, form url.Values, status int, want ...string) {
		t.Helper()
		resp, body := post(t, c, base+path, form)
		if resp.StatusCode != status {
			t.Errorf("%s: %d, want %d", what, resp.StatusCode, status)
		}
		checkErrorSummary(t, what, body, want...)
	}
	refused("status", editor, "/cases/max-bokayev-case/statuses", url.Values{"version": {caseVersion(t, editor, w.a, "max-bokayev-case")},
		"effective_on": {"not a date"}, "source_url": {"javascript:alert(1)"}}, 422, "status", "effective_on", "source_url")
	_, page := fetchWith(t, editor, base+"/people/max-bokayev/edit")
	form := formOf(t, page)
	form.Set("name", " ")
	refused("person edit", editor, "/people/max-bokayev/edit", form, 422, "name")
	_, page = fetchWith(t, editor, base+"/cases/max-bokayev-case/edit")
	form = formOf(t, page)
	form.Set("title", "")
	form.Set("people", "nobody-at-all")
	refused("case edit", editor, "/cases/max-bokayev-case/edit", form, 422, "title", "people")
	_, page = fetchWith(t, editor, base+"/demands/2019-2610-rsp-para-1-1")
	v, _ := doc(t, page).Find(`#add-state input[name="version"]`).Attr("value")
	refused("demand state", editor, "/demands/2019-2610-rsp-para-1-1/states", url.Values{"version": {v}, "effective_on": {"2021-02-08"}}, 422, "state", "source_url")
	refused("link", editor, "/resolutions/2019-2610-rsp/clauses/rec_H/links", url.Values{"type": {"legal_provision"}, "slug": {"no-such-law"}, "matched": {"x"}}, 422, "record")
	refused("token", editor, "/staff/tokens", url.Values{"name": {""}, "expires_in": {"9999"}}, 422, "name", "expires_in")
	refused("account", admin, "/admin/users", url.Values{"email": {"not an email"}, "role": {"root"}}, 422, "email", "role")
	refused("sign-in", browser(t), "/sign-in", url.Values{"email": {"editor@example.org"}, "password": {"wrong"}}, 401, "email")
	refused("2FA", editor, "/staff/2fa", url.Values{"code": {"000000"}}, 422, "code")
	resp, body := postImport(t, admin, base+"/admin/imports", map[string]string{"text": "not a resolution", "date": "tomorrow"}, "")
	if resp.StatusCode != 422 {
		t.Errorf("import: %d", resp.StatusCode)
	}
	if ids := doc(t, body).Find(`[data-testid="error-summary"] a`); ids.Length() == 0 {
		t.Errorf("import: no error summary")
	} else {
		var want []string
		ids.Each(func(_ int, a *goquery.Selection) { want = append(want, strings.TrimPrefix(a.AttrOr("href", ""), "#")) })
		checkErrorSummary(t, "import", body, want...)
	}
	// A page without an error has no summary, and no field marked invalid.
	if _, page := fetchWith(t, editor, base+"/people/max-bokayev/edit"); strings.Contains(page, "error-summary") || strings.Contains(page, "aria-invalid") {
		t.Error("the edit form opens with an error summary or an invalid field")
	}
}

func TestDestructiveActionsAskFirst(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	ctx := context.Background()

	t.Run("DisableAnAccount", func(t *testing.T) {
		resp, body := post(t, admin, w.a.URL+"/admin/users/disable", url.Values{"email": {"editor@example.org"}})
		c := doc(t, body).Find(`[data-testid="confirm"]`)
		if resp.StatusCode != 200 || strings.TrimSpace(c.Find("h1").Text()) != "Disable editor@example.org?" ||
			!strings.Contains(c.Text(), "Every API token of editor@example.org is revoked") {
			t.Fatalf("disable without confirmation: %d %q", resp.StatusCode, c.Text())
		}
		if users, _ := w.db.Users(ctx); users[1].Email != "editor@example.org" || users[1].DisabledAt != nil {
			t.Fatal("an unconfirmed disable disabled the account")
		}
		if c.Find(`form input[name="email"][value="editor@example.org"]`).Length() != 1 || c.Find(`form[action="/admin/users/disable"]`).Length() != 1 {
			t.Error("the confirmation does not post the same account to the same address")
		}
		if href := c.Find(`[data-testid="confirm-cancel"]`).AttrOr("href", ""); href != "/admin/users" {
			t.Errorf("cancel leads to %q", href)
		}
	})
}

func TestAccountsTable(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	states := func() map[string]string {
		_, page := fetchWith(t, admin, w.a.URL+"/admin/users")
		out := map[string]string{}
		doc(t, page).Find(`[data-testid="account"]`).Each(func(_ int, tr *goquery.Selection) {
			email := strings.TrimSpace(tr.Find("td").First().Text())
			actions := []string{}
			tr.Find("button").Each(func(_ int, b *goquery.Selection) { actions = append(actions, strings.TrimSpace(b.Text())) })
			out[email] = strings.Join(strings.Fields(tr.Find(`[data-testid="account-state"]`).Text()), " ") + " | " + strings.Join(actions, "; ")
		})
		return out
	}
	got := states()
	if got["admin@example.org"] != "Enabled | New password for admin@example.org" {
		t.Errorf("the admin's own row: %q (no disable button for oneself)", got["admin@example.org"])
	}
	if got["editor@example.org"] != "Enabled | Disable editor@example.org…; New password for editor@example.org" {
		t.Errorf("the editor's row: %q", got["editor@example.org"])
	}

	t.Run("AdminCannotDisableThemselves", func(t *testing.T) {
		resp, body := post(t, admin, w.a.URL+"/admin/users/disable", url.Values{"email": {"Admin@Example.org"}, "confirm": {"yes"}})
		if resp.StatusCode != http.StatusForbidden || !strings.Contains(body, "You cannot disable your own account") {
			t.Errorf("self-disable: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM users WHERE disabled_at IS NOT NULL`); n != 0 {
			t.Errorf("%d accounts disabled", n)
		}
		if resp, _ := fetchWith(t, admin, w.a.URL+"/admin/users"); resp.StatusCode != 200 {
			t.Errorf("the admin is signed out after refusing: %d", resp.StatusCode)
		}
	})
	t.Run("DisabledThenEnabled", func(t *testing.T) {
		post(t, admin, w.a.URL+"/admin/users/disable", url.Values{"email": {"editor@example.org"}, "confirm": {"yes"}})
		if got := states()["editor@example.org"]; !strings.HasPrefix(got, "Disabled since ") || !strings.HasSuffix(got, " | Enable editor@example.org again") {
			t.Errorf("a disabled account's row: %q", got)
		}
		editor := browser(t)
		if resp, _ := post(t, editor, w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("a disabled account signs in: %d", resp.StatusCode)
		}
		post(t, admin, w.a.URL+"/admin/users/enable", url.Values{"email": {"editor@example.org"}})
		if got := states()["editor@example.org"]; !strings.HasPrefix(got, "Enabled | ") {
			t.Errorf("an enabled account's row: %q", got)
		}
		signIn(t, editor, w.a, "editor@example.org")
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM audit_log WHERE action IN ('disable', 'enable') AND entity_slug = 'editor@example.org'`); n != 2 {
			t.Errorf("%d audit entries for disabling and enabling, want 2", n)
		}
	})
}

func TestActivityLog(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	base := w.a.URL
	// Two changes about Max Bokayev (his profile, his case), one about Talgat Ayan.
	_, page := fetchWith(t, editor, base+"/people/max-bokayev/edit")
	form := formOf(t, page)
	before := form.Get("role")
	form.Set("role", "Civil society activist")
	post(t, editor, base+"/people/max-bokayev/edit", form)
	post(t, editor, base+"/cases/max-bokayev-case/statuses", url.Values{"version": {caseVersion(t, editor, w.a, "max-bokayev-case")},
		"status": {"released"}, "proposed_for": {"released"}, "effective_on": {"2021-02-08"}, "source_url": {"https://example.org/bokayev"}})
	_, page = fetchWith(t, editor, base+"/people/talgat-ayan/edit")
	form = formOf(t, page)
	form.Set("place", "Almaty")
	post(t, editor, base+"/people/talgat-ayan/edit", form)
	// An old change and sixty changes of one demand, written straight into the log.
	postgrestest.Exec(t, w.url, `INSERT INTO audit_log (at, actor, action, entity_type, entity_slug, after)
		VALUES ('2020-01-15 23:59:00+00', 'someone@example.org', 'set state', 'demand', 'old-demand', '{"state":"met"}')`)
	postgrestest.Exec(t, w.url, `INSERT INTO audit_log (at, actor, action, entity_type, entity_slug, after)
		SELECT '2020-03-01'::timestamptz + n * interval '1 minute', 'someone@example.org', 'set state', 'demand', 'busy-demand', '{"state":"unknown"}'
		FROM generate_series(1, 60) n`)

	type entry struct{ record, link string }
	activity := func(query string) (int, []entry, *goquery.Document) {
		t.Helper()
		resp, body := fetchWith(t, admin, base+"/admin/activity"+query)
		d := doc(t, body)
		var out []entry
		d.Find(`[data-testid="activity-entry"]`).Each(func(_ int, li *goquery.Selection) {
			a := li.Find(`[data-testid="activity-record"]`)
			out = append(out, entry{strings.TrimSpace(a.Text()), a.AttrOr("href", "")})
		})
		return resp.StatusCode, out, d
	}

	t.Run("FieldByFieldBeforeAfter", func(t *testing.T) {
		_, entries, d := activity("?type=person&slug=max-bokayev")
		if len(entries) != 1 || entries[0] != (entry{"person max-bokayev", "/people/max-bokayev"}) {
			t.Fatalf("the person's changes: %+v", entries)
		}
		rows := d.Find(`[data-testid="diff"] tbody tr`)
		if rows.Length() != 1 {
			t.Errorf("%d rows for an edit of one field", rows.Length())
		}
		row := d.Find(`[data-testid="diff"] tr[data-field="role"]`)
		if got := strings.TrimSpace(row.Find("th").Text()); got != "Role" {
			t.Errorf("field label %q", got)
		}
		if b, a := strings.TrimSpace(row.Find(`[data-testid="before"]`).Text()), strings.TrimSpace(row.Find(`[data-testid="after"]`).Text()); b != before || a != "Civil society activist" {
			t.Errorf("role: %q → %q, want %q → Civil society activist", b, a, before)
		}
		if text := d.Find(`[data-testid="activity"]`).Text(); strings.Contains(text, `{"`) || strings.Contains(text, `":`) {
			t.Errorf("the log shows raw JSON:\n%s", text)
		}
		_, _, d = activity("?type=case&slug=max-bokayev-case")
		if got := strings.TrimSpace(d.Find(`tr[data-field="status"] [data-testid="after"]`).Text()); got != "Released" {
			t.Errorf("the status added reads %q, want its label", got)
		}
	})
	t.Run("ByPerson", func(t *testing.T) {
		_, entries, _ := activity("?person=max-bokayev")
		if len(entries) != 2 || entries[0].link != "/cases/max-bokayev-case" || entries[1].link != "/people/max-bokayev" {
			t.Errorf("a person's changes and their case's: %+v", entries)
		}
	})
	t.Run("ByDate", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			want  int
		}{
			{"?type=demand&slug=old-demand&from=2020-01-15&to=2020-01-15", 1}, // to is included, to the last minute
			{"?type=demand&slug=old-demand&from=2020-01-16", 0},
			{"?type=demand&slug=old-demand&to=2020-01-14", 0},
			{"?from=2020-01-01&to=2020-01-31", 1},
		} {
			if _, entries, _ := activity(tc.query); len(entries) != tc.want {
				t.Errorf("%s: %d entries, want %d", tc.query, len(entries), tc.want)
			}
		}
		today := time.Now().UTC().Format(time.DateOnly)
		if _, entries, _ := activity("?person=talgat-ayan&from=" + today + "&to=" + today); len(entries) != 1 || entries[0].link != "/people/talgat-ayan" {
			t.Errorf("today's changes to Talgat Ayan: %+v", entries)
		}
	})
	t.Run("Pages", func(t *testing.T) {
		_, first, d := activity("?type=demand&slug=busy-demand")
		older := d.Find(`[data-testid="older"]`).AttrOr("href", "")
		if len(first) != 50 || older != "/admin/activity?type=demand&slug=busy-demand&page=2" || d.Find(`[data-testid="newer"]`).Length() != 0 {
			t.Fatalf("first page: %d entries, older %q", len(first), older)
		}
		_, second, d := activity(strings.TrimPrefix(older, "/admin/activity"))
		if len(second) != 10 || d.Find(`[data-testid="older"]`).Length() != 0 || d.Find(`[data-testid="newer"]`).AttrOr("href", "") != "/admin/activity?type=demand&slug=busy-demand" {
			t.Errorf("second page: %d entries", len(second))
		}
	})
	t.Run("BadFilterSaysWhy", func(t *testing.T) {
		resp, body := fetchWith(t, admin, base+"/admin/activity?from=yesterday&type=case")
		if resp.StatusCode != http.StatusBadRequest || strings.Contains(body, `data-testid="activity-entry"`) {
			t.Errorf("bad filter: %d", resp.StatusCode)
		}
		checkErrorSummary(t, "activity filter", body, "slug", "from")
	})
}
