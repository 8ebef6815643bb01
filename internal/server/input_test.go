package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// TestBadInputIs400 sends text PostgreSQL cannot store (a NUL byte, bytes that are not
// UTF-8) in every place a visitor or a client controls: each answer is a 400 through the
// error boundary (the error page, or JSON on the API), and nothing is written.
func TestBadInputIs400(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	const token = "input-token-0123456789abcdefghijklmnopqrstu"
	if err := w.db.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	version := caseVersion(t, editor, w.a, "max-bokayev-case")
	personForm := editPersonForm(t, editor, w.a, "talgat-ayan")
	with := func(form url.Values, key, value string) url.Values {
		out := url.Values{}
		for k, vs := range form {
			out[k] = vs
		}
		out.Set(key, value)
		return out
	}
	statusJSON := func(note string) string {
		return `{"version": ` + version + `, "status": "released", "effective_on": "2020-01-01", "note": "` + note + `"}`
	}
	audits := postgrestest.Count(t, w.url, `SELECT count(*) FROM audit_log`)
	for _, bad := range []string{"\x00", "\xff"} {
		name := map[string]string{"\x00": "NUL", "\xff": "InvalidUTF8"}[bad]
		enc := url.QueryEscape(bad)
		cases := []struct {
			name   string
			do     func() (*http.Response, string)
			isJSON bool
		}{
			{"SearchQuery", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/search?q=bok"+enc) }, false},
			{"APISearchQuery", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/api/v1/search?q=bok"+enc) }, true},
			{"FilterQuery", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/people?place="+enc) }, false},
			{"QueryKey", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/people?"+enc+"=1") }, false},
			{"PersonSlug", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/people/max"+enc) }, false},
			{"APICaseSlug", func() (*http.Response, string) { return fetchWith(t, browser(t), w.a.URL+"/api/v1/cases/x"+enc) }, true},
			{"DossierSlug", func() (*http.Response, string) {
				return fetchWith(t, browser(t), w.a.URL+"/people/x"+enc+"/dossier.md")
			}, false},
			{"SignInEmail", func() (*http.Response, string) {
				return post(t, browser(t), w.a.URL+"/sign-in", url.Values{"email": {"editor" + bad + "@example.org"}, "password": {testPassword}})
			}, false},
			{"StaffFormField", func() (*http.Response, string) {
				return post(t, editor, w.a.URL+"/people/talgat-ayan/edit", with(personForm, "notes", "note "+bad))
			}, false},
			{"StaffFormKey", func() (*http.Response, string) {
				return post(t, editor, w.a.URL+"/people/talgat-ayan/edit", with(personForm, "x"+bad, "1"))
			}, false},
			{"APIWriteBody", func() (*http.Response, string) {
				body := statusJSON("note " + bad)
				if bad == "\x00" {
					body = statusJSON(`note \u0000`)
				}
				return apiRaw(t, http.MethodPost, w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", token, body)
			}, true},
		}
		for _, c := range cases {
			t.Run(name+"In"+c.name, func(t *testing.T) {
				resp, body := c.do()
				if resp.StatusCode != http.StatusBadRequest {
					t.Fatalf("status %d, want 400\n%.300s", resp.StatusCode, body)
				}
				if c.isJSON {
					var e struct{ Error string }
					if err := json.Unmarshal([]byte(body), &e); err != nil || !strings.Contains(e.Error, "not text") {
						t.Errorf("want a JSON error saying what is wrong, got %q", body)
					}
					return
				}
				doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
				if err != nil || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") || !strings.Contains(doc.Find("h1").Text(), "could not be understood") {
					t.Errorf("want the 400 error page, got %s\n%.300s", resp.Header.Get("Content-Type"), body)
				}
			})
		}
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM status_entries WHERE note LIKE 'note %'`); n != 0 {
		t.Errorf("%d status entries with bad text were written", n)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM audit_log`); n != audits {
		t.Errorf("%d audit entries written by refused requests", n-audits)
	}
}

// TestAPIBodyIsJSONWhateverItsType: `curl -d` labels a JSON body as a form; the API reads
// it as JSON all the same (the input check once parsed it as a form and left the handler
// an empty body: 400 "EOF").
func TestAPIBodyIsJSONWhateverItsType(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	const token = "curl-token-0123456789abcdefghijklmnopqrstuv"
	if err := w.db.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	version := caseVersion(t, editor, w.a, "max-bokayev-case")
	body := `{"version": ` + version + `, "status": "released", "effective_on": "2021-02-08", "note": "Sent with curl -d.", "source_url": "https://example.org/released"}`
	req, _ := http.NewRequest(http.MethodPost, w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", strings.NewReader(body))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	resp, got := answer(t, resp, err)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("status %d, want 201: %s", resp.StatusCode, got)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM status_entries WHERE note = 'Sent with curl -d.'`); n != 1 {
		t.Errorf("%d entries saved, want 1", n)
	}
}

// TestSignInStaysOnSite tries the redirects browsers read as leaving the site: after
// signing in, each lands on /staff, while a real path of the site is kept.
func TestSignInStaysOnSite(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	for _, next := range []string{
		"/\t/evil.example", "/\n/evil.example", "/\r\n/evil.example", "/\\evil.example", "/\\/evil.example",
		"//evil.example", "///evil.example", "/%09/evil.example", "https://evil.example/", "javascript:alert(1)",
		"evil.example", "/ok\\..\\evil", "/\x7f/evil.example", "/\u0085/evil.example", " /staff",
	} {
		// The form carries next as the query gave it, decoded once; a raw "%09" in the
		// query arrives here as a tab.
		decoded, _ := url.QueryUnescape(next)
		for _, n := range []string{next, decoded} {
			resp, _ := post(t, browser(t), w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}, "next": {n}})
			if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || loc != "/staff" {
				t.Errorf("next=%q: %d Location %q, want /staff", n, resp.StatusCode, loc)
			}
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/sign-in?next="+url.QueryEscape(next))
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		if v, _ := doc.Find(`input[name="next"]`).Attr("value"); v != "/staff" {
			t.Errorf("sign-in form for next=%q carries next=%q", next, v)
		}
	}
	t.Run("SitePathKept", func(t *testing.T) {
		resp, _ := post(t, browser(t), w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}, "next": {"/staff?days=30"}})
		if loc := resp.Header.Get("Location"); loc != "/staff?days=30" {
			t.Errorf("Location %q, want /staff?days=30", loc)
		}
	})
	t.Run("SignInLinkKeepsTheWholeAddress", func(t *testing.T) {
		resp, _ := fetchWith(t, browser(t), w.a.URL+"/staff?days=30&x=1")
		loc, _ := url.Parse(resp.Header.Get("Location"))
		if got := loc.Query().Get("next"); got != "/staff?days=30&x=1" {
			t.Errorf("redirect to sign in carries next=%q", got)
		}
	})
}

// TestStrictTransportSecurity: HSTS only when the site says it is served over TLS.
func TestStrictTransportSecurity(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	for _, secure := range []bool{false, true} {
		srv := httptest.NewServer(server.New(db, quiet, server.Options{SecureCookies: secure}))
		t.Cleanup(srv.Close)
		for _, path := range []string{"/", "/healthz", "/api/v1/people", "/no-such-page"} {
			resp, _ := get(t, srv, path)
			hsts := resp.Header.Get("Strict-Transport-Security")
			if secure && !strings.Contains(hsts, "max-age=31536000") {
				t.Errorf("secure cookies, %s: Strict-Transport-Security %q", path, hsts)
			}
			if !secure && hsts != "" {
				t.Errorf("plain HTTP, %s: Strict-Transport-Security %q sent", path, hsts)
			}
		}
	}
}

// TestHeadWhereverGet walks the route table: every address answered to GET is answered to
// HEAD with the same status and headers, and no body.
func TestHeadWhereverGet(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	params := map[string]string{"slug": "max-bokayev", "eid": "para_1", "id": "1"}
	bySlug := map[string]string{"/cases/": "max-bokayev-case", "/resolutions/": "2019-2610-rsp", "/demands/": "2019-2610-rsp-para-1-1",
		"/organisations/": "cituk", "/legal-provisions/": "criminal-code-article-174"}
	var paths []string
	err := chi.Walk(server.New(w.db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}).(chi.Routes),
		func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
			if method != http.MethodGet {
				return nil
			}
			p := strings.Replace(route, "/*", "/style.css", 1)
			for prefix, slug := range bySlug {
				if strings.HasPrefix(p, prefix+"{slug}") || strings.HasPrefix(p, "/api/v1"+prefix+"{slug}") {
					p = strings.Replace(p, "{slug}", slug, 1)
				}
			}
			for k, v := range params {
				p = strings.Replace(p, "{"+k+"}", v, 1)
			}
			paths = append(paths, p)
			return nil
		})
	if err != nil || len(paths) < 40 {
		t.Fatalf("walked %d GET routes: %v", len(paths), err)
	}
	for _, p := range paths {
		for _, c := range []struct {
			who    string
			client *http.Client
		}{{"anonymous", browser(t)}, {"admin", admin}} {
			getResp, _ := fetchWith(t, c.client, w.a.URL+p)
			req, _ := http.NewRequest(http.MethodHead, w.a.URL+p, nil)
			resp, err := c.client.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != getResp.StatusCode || resp.StatusCode == http.StatusMethodNotAllowed || len(body) != 0 ||
				resp.Header.Get("Content-Type") != getResp.Header.Get("Content-Type") {
				t.Errorf("%s HEAD %s = %d %q (%d body bytes); GET = %d %q", c.who, p, resp.StatusCode, resp.Header.Get("Content-Type"), len(body),
					getResp.StatusCode, getResp.Header.Get("Content-Type"))
			}
		}
	}
	for _, p := range []string{"/healthz", "/readyz", "/", "/api/v1/people", "/people/max-bokayev"} {
		req, _ := http.NewRequest(http.MethodHead, w.a.URL+p, nil)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("HEAD %s = %d, want 200", p, resp.StatusCode)
		}
	}
	// A route that answers only POST still says so to HEAD.
	req, _ := http.NewRequest(http.MethodHead, w.a.URL+"/sign-out", nil)
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("HEAD /sign-out: %v %v, want 405", resp.StatusCode, err)
	}
}
