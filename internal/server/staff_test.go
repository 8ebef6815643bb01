package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

const testPassword = "a long enough test passphrase"

// staffWorld is two servers on one seeded database, as behind a load balancer, with an
// editor and an admin account.
type staffWorld struct {
	db   *postgres.DB
	url  string // the database's URL, for checks that bypass the application
	a, b *httptest.Server
}

func newStaffWorld(t testing.TB) *staffWorld {
	t.Helper()
	return newStaffWorldWith(t, server.Options{PageCacheBytes: 1 << 20})
}

// newStaffWorldWith is newStaffWorld with both servers built with opts.
func newStaffWorldWith(t testing.TB, opts server.Options) *staffWorld {
	t.Helper()
	db, dbURL := postgrestest.OpenSeeded(t)
	hash, err := auth.Hash(testPassword)
	if err != nil {
		t.Fatal(err)
	}
	for email, role := range map[string]tracker.Role{"editor@example.org": tracker.RoleEditor, "admin@example.org": tracker.RoleAdmin} {
		if _, err := db.CreateUser(context.Background(), postgres.Actor{Name: "test"}, email, role, hash); err != nil {
			t.Fatal(err)
		}
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	w := &staffWorld{db: db, url: dbURL,
		a: httptest.NewServer(server.New(db, quiet, opts)),
		b: httptest.NewServer(server.New(db, quiet, opts)),
	}
	t.Cleanup(w.a.Close)
	t.Cleanup(w.b.Close)
	return w
}

// browser is a client with a cookie jar that does not follow redirects, so tests see them.
func browser(t testing.TB) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// answer reads a whole response; every request helper of these tests ends with it.
func answer(t testing.TB, resp *http.Response, err error) (*http.Response, string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp, string(b)
}

func post(t testing.TB, c *http.Client, u string, form url.Values) (*http.Response, string) {
	t.Helper()
	resp, err := c.PostForm(u, form)
	return answer(t, resp, err)
}

func fetchWith(t testing.TB, c *http.Client, u string) (*http.Response, string) {
	t.Helper()
	resp, err := c.Get(u)
	return answer(t, resp, err)
}

func signIn(t testing.TB, c *http.Client, srv *httptest.Server, email string) {
	t.Helper()
	resp, body := post(t, c, srv.URL+"/sign-in", url.Values{"email": {email}, "password": {testPassword}, "next": {"/staff"}})
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff" {
		t.Fatalf("sign in as %s: %d %s", email, resp.StatusCode, body)
	}
}

func caseVersion(t *testing.T, c *http.Client, srv *httptest.Server, slug string) string {
	t.Helper()
	_, body := fetchWith(t, c, srv.URL+"/cases/"+slug)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	v, ok := doc.Find(`#add-status input[name="version"]`).Attr("value")
	if !ok {
		t.Fatalf("no status form on the case page for staff")
	}
	return v
}

func TestSignIn(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)

	t.Run("WrongPasswordAndUnknownEmailGetOneMessage", func(t *testing.T) {
		c := browser(t)
		r1, b1 := post(t, c, w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {"not the password at all"}})
		r2, b2 := post(t, c, w.a.URL+"/sign-in", url.Values{"email": {"nobody@example.org"}, "password": {"not the password at all"}})
		for i, r := range []*http.Response{r1, r2} {
			body := []string{b1, b2}[i]
			if r.StatusCode != 401 || !strings.Contains(body, "The email or password is not right.") {
				t.Errorf("attempt %d: %d", i, r.StatusCode)
			}
		}
		if !strings.Contains(b1, `value="editor@example.org"`) || strings.Contains(b1, "not the password at all") {
			t.Error("the form should keep the email and never echo the password")
		}
	})

	t.Run("SessionCookieIsHttpOnlyLaxAndSharedByBothServers", func(t *testing.T) {
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		u, _ := url.Parse(w.a.URL)
		var found bool
		resp, _ := post(t, browser(t), w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
		for _, ck := range resp.Cookies() {
			if ck.Name == "whereas_session" {
				found = true
				if !ck.HttpOnly || ck.SameSite != http.SameSiteLaxMode || ck.Secure {
					t.Errorf("cookie %+v", ck)
				}
			}
		}
		if !found {
			t.Error("no session cookie set at sign-in")
		}
		// Server b never saw the sign-in, but shares the sessions in PostgreSQL.
		ub, _ := url.Parse(w.b.URL)
		c.Jar.SetCookies(ub, c.Jar.Cookies(u))
		resp, body := fetchWith(t, c, w.b.URL+"/staff")
		if resp.StatusCode != 200 || !strings.Contains(body, "editor@example.org") {
			t.Errorf("server b with a's session: %d", resp.StatusCode)
		}
	})

	t.Run("SignOutEndsTheSessionOnTheServer", func(t *testing.T) {
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		u, _ := url.Parse(w.a.URL)
		old := c.Jar.Cookies(u)
		post(t, c, w.a.URL+"/sign-out", nil)
		replay := browser(t)
		replay.Jar.SetCookies(u, old)
		resp, _ := fetchWith(t, replay, w.a.URL+"/staff")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
			t.Errorf("the old cookie after sign-out: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})

	t.Run("ThrottledPerAccountAcrossServers", func(t *testing.T) {
		c := browser(t)
		for i := 0; i < 5; i++ {
			srv := []*httptest.Server{w.a, w.b}[i%2]
			post(t, c, srv.URL+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {"wrong wrong wrong"}})
		}
		resp, body := post(t, c, w.b.URL+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
		if resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, "Too many failed attempts") {
			t.Errorf("sixth attempt, right password: %d", resp.StatusCode)
		}
	})

	t.Run("ChangingThePasswordEndsSessions", func(t *testing.T) {
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		hash, _ := auth.Hash("another long passphrase")
		if err := w.db.SetPassword(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", hash); err != nil {
			t.Fatal(err)
		}
		resp, _ := fetchWith(t, c, w.b.URL+"/staff")
		if resp.StatusCode != http.StatusSeeOther {
			t.Errorf("session after password change: %d", resp.StatusCode)
		}
		restore, _ := auth.Hash(testPassword)
		w.db.SetPassword(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", restore)
	})
}

func TestRolesAndCSRF(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	anon := browser(t)
	writes := []struct {
		path string
		form url.Values
	}{
		{"/cases/max-bokayev-case/statuses", url.Values{"status": {"released"}}},
		{"/people/max-bokayev/edit", url.Values{"name": {"X"}}},
		{"/admin/users", url.Values{"email": {"x@example.org"}, "role": {"admin"}}},
		{"/admin/users/disable", url.Values{"email": {"editor@example.org"}}},
	}
	t.Run("AnonymousWritesAre401", func(t *testing.T) {
		for _, wr := range writes {
			resp, _ := post(t, anon, w.a.URL+wr.path, wr.form)
			if resp.StatusCode != 401 {
				t.Errorf("anonymous POST %s = %d", wr.path, resp.StatusCode)
			}
		}
		resp, _ := fetchWith(t, anon, w.a.URL+"/staff")
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sign-in?next=/staff" {
			t.Errorf("anonymous GET /staff = %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
	})
	t.Run("EditorCannotManageAccounts", func(t *testing.T) {
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		for _, wr := range writes[2:] {
			resp, _ := post(t, c, w.a.URL+wr.path, wr.form)
			if resp.StatusCode != 403 {
				t.Errorf("editor POST %s = %d", wr.path, resp.StatusCode)
			}
		}
		if resp, _ := fetchWith(t, c, w.a.URL+"/admin/activity"); resp.StatusCode != 403 {
			t.Errorf("editor GET /admin/activity = %d", resp.StatusCode)
		}
		users, _ := w.db.Users(context.Background())
		if len(users) != 2 || users[1].DisabledAt != nil {
			t.Errorf("accounts changed: %+v", users)
		}
	})
	t.Run("CrossSitePostIsRefused", func(t *testing.T) {
		c := browser(t)
		signIn(t, c, w.a, "admin@example.org")
		req, _ := http.NewRequest("POST", w.a.URL+"/admin/users", strings.NewReader("email=evil%40example.org&role=admin"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		req.Header.Set("Origin", "https://evil.example")
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != 403 {
			t.Errorf("cross-site POST = %d, want 403", resp.StatusCode)
		}
		users, _ := w.db.Users(context.Background())
		if len(users) != 2 {
			t.Errorf("a cross-site post created an account: %d accounts", len(users))
		}
	})
}

func TestStatusHistory(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	today := time.Now().Format(time.DateOnly)

	// Warm the public cache with the old status.
	fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev")

	t.Run("AddedStatusShowsWithWhoAndSource", func(t *testing.T) {
		v := caseVersion(t, editor, w.a, "max-bokayev-case")
		resp, body := post(t, editor, w.a.URL+"/cases/max-bokayev-case/statuses", url.Values{
			"version": {v}, "status": {"released"}, "effective_on": {"2021-02-08"},
			"note": {"Released after serving his sentence."}, "internal_note": {"Lawyer: +7 701 000 0000"},
			"source_url": {"https://example.org/news/bokayev-released"}, "supersedes": {"0"},
			"proposed_for": {"released"}, // the demands' proposals seen, none taken: the status alone
		})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("add status: %d %s", resp.StatusCode, body)
		}
		_, staffPage := fetchWith(t, editor, w.a.URL+"/cases/max-bokayev-case")
		for _, want := range []string{"Released after serving his sentence.", "editor@example.org", "Lawyer: +7 701 000 0000", "https://example.org/news/bokayev-released"} {
			if !strings.Contains(staffPage, want) {
				t.Errorf("staff case page lacks %q", want)
			}
		}
		// The public sees the new status at once, on every server, without the internal note.
		for _, srv := range []*httptest.Server{w.a, w.b} {
			_, pub := fetchWith(t, browser(t), srv.URL+"/people/max-bokayev")
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(pub))
			if got := doc.Find(`[data-testid="current-status"]`).Text(); !strings.Contains(got, "Released") {
				t.Errorf("public current status = %q", got)
			}
			if strings.Contains(pub, "+7 701") || strings.Contains(pub, "editor@example.org") {
				t.Error("the public person page shows the internal note or the staff email")
			}
		}
		_, api := fetchWith(t, browser(t), w.b.URL+"/api/v1/cases/max-bokayev-case")
		if strings.Contains(api, "+7 701") || !strings.Contains(api, `"status":"released"`) {
			t.Errorf("public API: internal note leaked or status missing")
		}
		entries, _ := w.db.Activity(context.Background(), "case", "max-bokayev-case", 10)
		if len(entries) != 1 || entries[0].Actor != "editor@example.org" || !strings.Contains(entries[0].After, "released") {
			t.Errorf("audit = %+v", entries)
		}
	})

	t.Run("ValidationErrorsBesideFieldsInputKept", func(t *testing.T) {
		v := caseVersion(t, editor, w.a, "talgat-ayan-case")
		resp, body := post(t, editor, w.a.URL+"/cases/talgat-ayan-case/statuses", url.Values{
			"version": {v}, "status": {"vanished"}, "effective_on": {"2999-01-01"},
			"note": {"keep this note"}, "source_url": {"not a url"},
		})
		if resp.StatusCode != 422 {
			t.Fatalf("invalid status = %d", resp.StatusCode)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		for field, says := range map[string]string{"status": "Choose a status", "effective_on": "cannot be in the future", "source_url": "full web address"} {
			if got := doc.Find(`[data-testid="` + field + `-error"]`).Text(); !strings.Contains(got, says) {
				t.Errorf("%s error = %q", field, got)
			}
		}
		if doc.Find("#note").Text() != "keep this note" {
			t.Error("the note was not kept")
		}
		if d, _ := w.db.Case(context.Background(), "talgat-ayan-case"); len(d.Case.Statuses) != 1 {
			t.Errorf("an invalid update wrote something: %d entries", len(d.Case.Statuses))
		}
	})

	t.Run("TwoEditorsSameVersionSecondGetsConflict", func(t *testing.T) {
		v := caseVersion(t, editor, w.a, "aset-mataev-case")
		other := browser(t)
		signIn(t, other, w.b, "admin@example.org")
		form := func(note string) url.Values {
			return url.Values{"version": {v}, "status": {"released_on_parole"}, "effective_on": {today}, "note": {note}, "source_url": {"https://example.org/a"}}
		}
		if resp, _ := post(t, other, w.b.URL+"/cases/aset-mataev-case/statuses", form("first editor's note")); resp.StatusCode != 303 {
			t.Fatalf("first update: %d", resp.StatusCode)
		}
		resp, body := post(t, editor, w.a.URL+"/cases/aset-mataev-case/statuses", form("second editor's note"))
		if resp.StatusCode != 409 || !strings.Contains(body, "Someone else changed this case") {
			t.Fatalf("stale update: %d", resp.StatusCode)
		}
		if msg := doc(t, body).Find(`[data-testid="conflict"]`).Text(); !strings.Contains(msg, "admin@example.org") || !strings.Contains(msg, "UTC") {
			t.Errorf("the conflict should say who added to the history meanwhile, and when: %q", msg)
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if doc.Find("#note").Text() != "second editor's note" || !strings.Contains(doc.Find(`[data-testid="timeline"]`).Text(), "first editor's note") {
			t.Error("the conflict page should show the newer change and keep the input")
		}
		// Resubmitting the kept form applies on top of the newer history.
		nv, _ := doc.Find(`#add-status input[name="version"]`).Attr("value")
		f := form("second editor's note")
		f.Set("version", nv)
		if resp, _ := post(t, editor, w.a.URL+"/cases/aset-mataev-case/statuses", f); resp.StatusCode != 303 {
			t.Errorf("resubmission: %d", resp.StatusCode)
		}
		d, _ := w.db.Case(context.Background(), "aset-mataev-case")
		if len(d.Case.Statuses) != 3 {
			t.Errorf("%d entries, want the seed's and both editors'", len(d.Case.Statuses))
		}
	})

	t.Run("CorrectionSupersedesAndBothShow", func(t *testing.T) {
		d, _ := w.db.Case(context.Background(), "ardak-ashim-case")
		wrong := d.Case.Statuses[0]
		v := caseVersion(t, editor, w.a, "ardak-ashim-case")
		resp, _ := post(t, editor, w.a.URL+"/cases/ardak-ashim-case/statuses", url.Values{
			"version": {v}, "status": {"house_arrest"}, "effective_on": {"2019-03-14"}, "source_clause": {"2019-2610-rsp#rec_F"},
			"note": {"Corrected"}, "supersedes": {itoa(wrong.ID)},
		})
		if resp.StatusCode != 303 {
			t.Fatalf("correction: %d", resp.StatusCode)
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/cases/ardak-ashim-case")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		if doc.Find(`[data-testid="timeline"] li`).Length() != 2 || doc.Find(".superseded").Length() != 1 {
			t.Errorf("timeline should show the corrected entry struck and the correction")
		}
		if got := doc.Find(`[data-testid="current-status"]`).Text(); !strings.Contains(got, "House arrest") {
			t.Errorf("current status after correction = %q", got)
		}
	})

	t.Run("FailedChangeWritesNeitherChangeNorAudit", func(t *testing.T) {
		before, _ := w.db.Activity(context.Background(), "", "", 1000)
		v := caseVersion(t, editor, w.a, "elena-semenova-case")
		resp, _ := post(t, editor, w.a.URL+"/cases/elena-semenova-case/statuses", url.Values{
			"version": {v}, "status": {"released"}, "effective_on": {today}, "source_clause": {"2019-2610-rsp#rec_ZZ"},
		})
		if resp.StatusCode != 422 {
			t.Errorf("unknown clause = %d", resp.StatusCode)
		}
		after, _ := w.db.Activity(context.Background(), "", "", 1000)
		d, _ := w.db.Case(context.Background(), "elena-semenova-case")
		if len(after) != len(before) || len(d.Case.Statuses) != 1 {
			t.Errorf("a refused change wrote %d audit entries and left %d statuses", len(after)-len(before), len(d.Case.Statuses))
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestPersonEditing(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	_, page := fetchWith(t, editor, w.a.URL+"/people/talgat-ayan/edit")
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
	v, _ := doc.Find(`input[name="version"]`).Attr("value")
	form := url.Values{"version": {v}, "name": {"Talgat Ayan"}, "aliases": {"Талгат Аян\nTalgat Ayanov"}, "role": {"civil society activist"},
		"place": {"Atyrau"}, "notes": {"Public note."}, "internal_notes": {"Prison address: colony 1"}}

	t.Run("EmptyNameRefusedBesideTheField", func(t *testing.T) {
		bad := url.Values{}
		for k, vs := range form {
			bad[k] = vs
		}
		bad.Set("name", "  ")
		resp, body := post(t, editor, w.a.URL+"/people/talgat-ayan/edit", bad)
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if resp.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="name-error"]`).Text(), "required") || d.Find("#aliases").Text() != "Талгат Аян\nTalgat Ayanov" {
			t.Errorf("empty name: %d", resp.StatusCode)
		}
	})
	t.Run("SavedWithAuditAndInternalNotesHidden", func(t *testing.T) {
		if resp, body := post(t, editor, w.a.URL+"/people/talgat-ayan/edit", form); resp.StatusCode != 303 {
			t.Fatalf("save: %d %s", resp.StatusCode, body)
		}
		_, pub := fetchWith(t, browser(t), w.b.URL+"/people/talgat-ayan")
		if !strings.Contains(pub, "Talgat Ayanov") || strings.Contains(pub, "colony 1") {
			t.Error("public page: alias missing or internal notes shown")
		}
		_, api := fetchWith(t, browser(t), w.b.URL+"/api/v1/people/talgat-ayan")
		if strings.Contains(api, "colony 1") {
			t.Error("public API shows internal notes")
		}
		_, staff := fetchWith(t, editor, w.a.URL+"/people/talgat-ayan")
		if !strings.Contains(staff, "colony 1") {
			t.Error("staff page lacks the internal notes")
		}
		entries, _ := w.db.Activity(context.Background(), "person", "talgat-ayan", 5)
		if len(entries) != 1 || !strings.Contains(entries[0].Before, "Талгат Аян") || !strings.Contains(entries[0].After, "Talgat Ayanov") {
			t.Errorf("audit = %+v", entries)
		}
	})
	t.Run("StaleEditGetsConflictWithInputKept", func(t *testing.T) {
		stale := url.Values{}
		for k, vs := range form {
			stale[k] = vs
		}
		stale.Set("notes", "My stale note")
		resp, body := post(t, editor, w.a.URL+"/people/talgat-ayan/edit", stale) // still the old version
		d, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if resp.StatusCode != 409 || d.Find(`[data-testid="conflict"]`).Length() == 0 || d.Find("#notes").Text() != "My stale note" {
			t.Errorf("stale edit: %d", resp.StatusCode)
		}
	})
}

func apiDo(t *testing.T, method, u, token, body string) (int, map[string]any) {
	t.Helper()
	resp, raw := apiRaw(t, method, u, token, body)
	var out map[string]any
	_ = json.Unmarshal([]byte(raw), &out)
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("%s %s: Content-Type %q", method, u, ct)
	}
	return resp.StatusCode, out
}

// apiRaw sends a JSON API request, with a token when one is given, and returns the body.
func apiRaw(t *testing.T, method, u, token, body string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	return answer(t, resp, err)
}

func TestWriteAPI(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	const token = "test-token-0123456789abcdefghijklmnopqrstuv"
	if err := w.db.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	statusURL := w.a.URL + "/api/v1/cases/erlan-baltabay-case/statuses"
	d, _ := w.db.Case(context.Background(), "erlan-baltabay-case")
	valid := fmt.Sprintf(`{"version": %d, "status": "imprisoned", "effective_on": "2019-08-20", "note": "Sentenced.", "source_url": "https://example.org/baltabay"}`, d.Case.Version)

	t.Run("NoTokenIs401BadTokenIs401", func(t *testing.T) {
		if code, body := apiDo(t, "POST", statusURL, "", valid); code != 401 || body["error"] == "" {
			t.Errorf("no token: %d %v", code, body)
		}
		if code, _ := apiDo(t, "POST", statusURL, "wrong", valid); code != 401 {
			t.Errorf("bad token: %d", code)
		}
	})
	t.Run("InvalidFieldsAre422PerField", func(t *testing.T) {
		code, body := apiDo(t, "POST", statusURL, token, `{"version": 1, "status": "gone", "effective_on": "yesterday"}`)
		fields, _ := body["fields"].(map[string]any)
		if code != 422 || fields["status"] == nil || fields["effective_on"] == nil || fields["source_url"] == nil {
			t.Errorf("invalid: %d %v", code, body)
		}
	})
	t.Run("MalformedJSONIs400", func(t *testing.T) {
		for _, b := range []string{`{"version": "one"}`, `not json`, `{"colour": "red"}`} {
			if code, body := apiDo(t, "POST", statusURL, token, b); code != 400 || body["error"] == "" {
				t.Errorf("%s: %d %v", b, code, body)
			}
		}
	})
	t.Run("ValidIs201ThenStaleIs409WithCurrentVersion", func(t *testing.T) {
		code, body := apiDo(t, "POST", statusURL, token, valid)
		if code != 201 || body["version"] != float64(d.Case.Version+1) {
			t.Fatalf("valid: %d %v", code, body)
		}
		code, body = apiDo(t, "POST", statusURL, token, valid)
		if code != 409 || body["current_version"] != float64(d.Case.Version+1) {
			t.Errorf("stale: %d %v", code, body)
		}
		entries, _ := w.db.Activity(context.Background(), "case", "erlan-baltabay-case", 5)
		if len(entries) != 1 || entries[0].Actor != "editor@example.org" {
			t.Errorf("audit = %+v", entries)
		}
	})
	t.Run("EditPersonAndCase", func(t *testing.T) {
		p, _ := w.db.Person(context.Background(), "vadim-kuramshin")
		code, body := apiDo(t, "PUT", w.a.URL+"/api/v1/people/vadim-kuramshin", token,
			fmt.Sprintf(`{"version": %d, "name": "Vadim Kuramshin", "aliases": ["Вадим Курамшин", "Vadim Kouramchine"], "role": "human rights defender"}`, p.Person.Version))
		if code != 200 || body["version"] != float64(p.Person.Version+1) {
			t.Errorf("edit person: %d %v", code, body)
		}
		c, _ := w.db.Case(context.Background(), "vadim-kuramshin-case")
		code, body = apiDo(t, "PUT", w.a.URL+"/api/v1/cases/vadim-kuramshin-case", token,
			fmt.Sprintf(`{"version": %d, "title": "Case of Vadim Kuramshin", "people": ["vadim-kuramshin", "no-such-person"]}`, c.Case.Version))
		fields, _ := body["fields"].(map[string]any)
		if code != 422 || !strings.Contains(fmt.Sprint(fields["people"]), "no-such-person") {
			t.Errorf("unknown person: %d %v", code, body)
		}
	})
}

func TestCaseAndLinkEditing(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	ctx := context.Background()

	t.Run("CaseSubjectsChangeItsClauses", func(t *testing.T) {
		c, _ := w.db.Case(ctx, "amin-eleusinov-case")
		resp, body := post(t, editor, w.a.URL+"/cases/amin-eleusinov-case/edit", url.Values{
			"version": {itoa(int64(c.Case.Version))}, "title": {"Trade union case of Eleusinov and Mataev"},
			"people": {"amin-eleusinov\naset-mataev"}, "legal_provisions": {"trade-union-law-2014"},
		})
		if resp.StatusCode != 303 {
			t.Fatalf("edit case: %d %s", resp.StatusCode, body)
		}
		after, _ := w.db.Case(ctx, "amin-eleusinov-case")
		var eids []string
		for _, cl := range after.Clauses {
			eids = append(eids, cl.EID)
		}
		if fmt.Sprint(eids) != "[rec_D rec_H para_3]" || len(after.Case.People) != 2 || after.Case.LegalProvisions[0].Slug != "trade-union-law-2014" {
			t.Errorf("after the edit: clauses %v, people %v, laws %v", eids, after.Case.People, after.Case.LegalProvisions)
		}
	})

	t.Run("AddAndRemoveALink", func(t *testing.T) {
		base := w.a.URL + "/resolutions/2019-2610-rsp/clauses/rec_H/links"
		resp, body := post(t, editor, base, url.Values{"type": {"organisation"}, "slug": {"ratel-kz"}, "matched": {"not in the clause"}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Copy the words exactly") {
			t.Errorf("words not in the clause: %d", resp.StatusCode)
		}
		resp, _ = post(t, editor, base, url.Values{"type": {"legal_provision"}, "slug": {"criminal-libel"}, "matched": {"arbitrary criminal prosecutions"}})
		if resp.StatusCode != 303 {
			t.Fatalf("add link: %d", resp.StatusCode)
		}
		l, _ := w.db.LegalProvision(ctx, "criminal-libel")
		if len(l.Clauses) != 2 {
			t.Errorf("criminal libel cited by %d clauses after the new link, want 2", len(l.Clauses))
		}
		_, page := fetchWith(t, editor, base)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		var id string
		doc.Find(`[data-testid="links"] li`).Each(func(_ int, s *goquery.Selection) {
			if strings.Contains(s.Text(), "Criminal libel provisions") {
				id, _ = s.Find(`input[name="mention"]`).Attr("value")
			}
		})
		if id == "" {
			t.Fatal("the new link is not listed")
		}
		// The remove button asks first: the answer is a page saying what will happen,
		// and nothing has changed yet.
		parse := func(b string) *goquery.Document {
			d, _ := goquery.NewDocumentFromReader(strings.NewReader(b))
			return d
		}
		resp, body = post(t, editor, base+"/remove", url.Values{"mention": {id}})
		confirm := parse(body).Find(`[data-testid="confirm"]`)
		if resp.StatusCode != 200 || !strings.Contains(confirm.Find("h1").Text(), "Remove the link of “arbitrary criminal prosecutions” to Criminal libel provisions?") ||
			!strings.Contains(confirm.Text(), "will no longer link to Criminal libel provisions") {
			t.Fatalf("remove without confirmation: %d %q", resp.StatusCode, confirm.Text())
		}
		if href, _ := confirm.Find(`[data-testid="confirm-cancel"]`).Attr("href"); href != strings.TrimPrefix(base, w.a.URL) {
			t.Errorf("cancel leads to %q", href)
		}
		if l, _ := w.db.LegalProvision(ctx, "criminal-libel"); len(l.Clauses) != 2 {
			t.Errorf("an unconfirmed removal removed the link")
		}
		if v, _ := confirm.Find(`input[name="mention"]`).Attr("value"); v != id || confirm.Find(`input[name="confirm"][value="yes"]`).Length() != 1 {
			t.Errorf("the confirmation form does not carry the link (%q) and confirm=yes", v)
		}
		resp, _ = post(t, editor, base+"/remove", url.Values{"mention": {id}, "confirm": {"yes"}})
		if resp.StatusCode != 303 {
			t.Fatalf("remove: %d", resp.StatusCode)
		}
		if _, page := fetchWith(t, editor, w.a.URL+resp.Header.Get("Location")); !strings.Contains(parse(page).Find(`[role="status"][data-testid="flash"]`).Text(), "Link removed: “arbitrary criminal prosecutions” no longer links to Criminal libel provisions.") {
			t.Errorf("no notice after the removal")
		}
		l, _ = w.db.LegalProvision(ctx, "criminal-libel")
		entries, _ := w.db.Activity(ctx, "clause", "2019-2610-rsp#rec_H", 5)
		if len(l.Clauses) != 1 || len(entries) != 2 {
			t.Errorf("after removal: %d clauses, %d audit entries", len(l.Clauses), len(entries))
		}
	})

	t.Run("AdminsSeeTheRecordHistoryEditorsDoNot", func(t *testing.T) {
		admin := browser(t)
		signIn(t, admin, w.a, "admin@example.org")
		_, asAdmin := fetchWith(t, admin, w.a.URL+"/cases/amin-eleusinov-case")
		_, asEditor := fetchWith(t, editor, w.a.URL+"/cases/amin-eleusinov-case")
		if !strings.Contains(asAdmin, "Change history") || !strings.Contains(asAdmin, "Trade union case of Eleusinov and Mataev") {
			t.Error("the admin does not see the case's history")
		}
		if strings.Contains(asEditor, "Change history") {
			t.Error("an editor sees the change history")
		}
		resp, body := post(t, admin, w.a.URL+"/admin/users/password", url.Values{"email": {"editor@example.org"}})
		if resp.StatusCode != 200 || !strings.Contains(body, "shown this once") {
			t.Errorf("reset password: %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, editor, w.a.URL+"/staff"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("the editor's session survived a password reset: %d", resp.StatusCode)
		}
	})
}

func TestOwnAPITokens(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	token := makeToken(t, editor, w.a.URL, url.Values{"name": {"nightly import"}})
	if code, _ := apiDo(t, "PUT", w.a.URL+"/api/v1/people/aset-mataev", token, `{"version": 99, "name": "Aset Mataev"}`); code != 409 {
		t.Errorf("a write with the new token = %d, want 409 (authenticated, stale version)", code)
	}
	if _, again := fetchWith(t, editor, w.a.URL+"/staff/tokens"); strings.Contains(again, token) {
		t.Error("the token is shown a second time")
	}
	post(t, editor, w.a.URL+"/staff/tokens/revoke", url.Values{"name": {"nightly import"}})
	if code, _ := apiDo(t, "PUT", w.a.URL+"/api/v1/people/aset-mataev", token, `{"version": 99, "name": "Aset Mataev"}`); code != 401 {
		t.Errorf("a write with the revoked token = %d, want 401", code)
	}
}

func actorFor(name string) postgres.Actor { return postgres.Actor{Name: name} }

// editPersonForm reads a person's edit form as the page fills it in.
func editPersonForm(t *testing.T, c *http.Client, srv *httptest.Server, slug string) url.Values {
	t.Helper()
	_, page := fetchWith(t, c, srv.URL+"/people/"+slug+"/edit")
	return formOf(t, page)
}

func urlQuery(q string) string { return url.QueryEscape(q) }
