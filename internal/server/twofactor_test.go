package server_test

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// enrol turns on two-factor sign-in for the signed-in browser c through /staff/2fa and
// returns the secret and the recovery codes the page showed.
func enrol(t *testing.T, c *http.Client, srv *httptest.Server) (secret string, codes []string) {
	t.Helper()
	resp, body := fetchWith(t, c, srv.URL+"/staff/2fa")
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET /staff/2fa: %d", resp.StatusCode)
	}
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	secret = strings.ReplaceAll(doc.Find(`[data-testid="2fa-secret"]`).Text(), " ", "")
	if src, _ := doc.Find(`[data-testid="2fa-qr"]`).Attr("src"); !strings.HasPrefix(src, "data:image/png;base64,") || secret == "" {
		t.Fatalf("enrolment page: QR src %.40q, secret %q", src, secret)
	}
	// A wrong first code is refused beside the field, and the same key is offered again.
	resp, body = post(t, c, srv.URL+"/staff/2fa", url.Values{"code": {"000000"}})
	if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "That code is not right") || !strings.Contains(body, secret[:4]) {
		t.Fatalf("wrong first code: %d", resp.StatusCode)
	}
	code, _ := auth.TOTPCode(secret, time.Now())
	resp, body = post(t, c, srv.URL+"/staff/2fa", url.Values{"code": {code}})
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("confirming the enrolment: %d %s", resp.StatusCode, body)
	}
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	doc.Find(`[data-testid="recovery-codes"] code`).Each(func(_ int, s *goquery.Selection) { codes = append(codes, s.Text()) })
	if len(codes) != 10 {
		t.Fatalf("%d recovery codes shown; want 10", len(codes))
	}
	return secret, codes
}

// codeAt is the TOTP code of secret d time steps from now.
func codeAt(t *testing.T, secret string, d int) string {
	t.Helper()
	c, err := auth.TOTPCode(secret, time.Now().Add(time.Duration(d)*30*time.Second))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// sessionCookie is the browser's session cookie for srv.
func sessionCookie(c *http.Client, srv *httptest.Server) string {
	u, _ := url.Parse(srv.URL)
	for _, ck := range c.Jar.Cookies(u) {
		if ck.Name == "whereas_session" {
			return ck.Value
		}
	}
	return ""
}

func TestTwoFactor(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	c := browser(t)
	signIn(t, c, w.a, "editor@example.org")
	secret, recovery := enrol(t, c, w.a)

	t.Run("StoredHashedAndAudited", func(t *testing.T) {
		if n := postgrestest.Count(t, w.url, `SELECT cardinality(recovery_codes) FROM users WHERE email = 'editor@example.org'`); n != 10 {
			t.Errorf("%d recovery code hashes stored", n)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM users WHERE $1 = ANY(recovery_codes)`, recovery[0]); n != 0 {
			t.Error("a recovery code is stored as it was shown")
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM audit_log WHERE action = 'enable 2FA' AND entity_slug = 'editor@example.org'`); n != 1 {
			t.Errorf("%d audit entries for the enrolment", n)
		}
		// The enrolling session carries on; the page now says it is on.
		if _, body := fetchWith(t, c, w.a.URL+"/staff/2fa"); !strings.Contains(body, "Two-factor sign-in is <strong>on</strong>") {
			t.Error("the enrolling session does not see two-factor sign-in on")
		}
	})

	// The code that signs in below, replayed after: the same string, not the code of "the
	// next step" asked again, which is a new code once a 30-second step has passed.
	var signedInWith string
	t.Run("PasswordAloneGrantsNothingThenCodeSignsIn", func(t *testing.T) {
		b := browser(t)
		resp, _ := post(t, b, w.b.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}, "next": {"/staff/tokens"}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/sign-in/code" {
			t.Fatalf("right password: %d %s; want the code step", resp.StatusCode, resp.Header.Get("Location"))
		}
		half := sessionCookie(b, w.b)
		if resp, _ := fetchWith(t, b, w.b.URL+"/staff"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(resp.Header.Get("Location"), "/sign-in") {
			t.Errorf("half signed in, /staff: %d; want sent to sign in", resp.StatusCode)
		}
		if resp, _ := post(t, b, w.b.URL+"/staff/tokens", url.Values{"name": {"sneaky"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("half signed in, making a token: %d; want 401", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, b, w.b.URL+"/sign-in/code"); resp.StatusCode != http.StatusOK {
			t.Errorf("code form: %d", resp.StatusCode)
		}
		signedInWith = codeAt(t, secret, 1)
		resp, _ = post(t, b, w.a.URL+"/sign-in/code", url.Values{"code": {signedInWith}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/tokens" {
			t.Fatalf("right code: %d %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		if full := sessionCookie(b, w.a); full == "" || full == half {
			t.Error("the session token was not renewed when the sign-in completed")
		}
		if resp, body := fetchWith(t, b, w.a.URL+"/staff"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "editor@example.org") {
			t.Errorf("signed in with password and code, /staff: %d", resp.StatusCode)
		}
	})

	t.Run("ACodeWorksOnce", func(t *testing.T) {
		// The code of the step just used (and any older one) is refused: a replay.
		b := browser(t)
		post(t, b, w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
		resp, body := post(t, b, w.a.URL+"/sign-in/code", url.Values{"code": {signedInWith}})
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "used already") {
			t.Errorf("the same code again: %d", resp.StatusCode)
		}
		if resp, _ := post(t, b, w.a.URL+"/sign-in/code", url.Values{"code": {codeAt(t, secret, 0)}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("an older code after a newer one: %d", resp.StatusCode)
		}
	})

	t.Run("RecoveryCodesAreSingleUse", func(t *testing.T) {
		b := browser(t)
		post(t, b, w.b.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
		if resp, _ := post(t, b, w.b.URL+"/sign-in/code", url.Values{"code": {strings.ToUpper(recovery[3])}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("a recovery code: %d", resp.StatusCode)
		}
		b2 := browser(t)
		post(t, b2, w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {testPassword}})
		if resp, _ := post(t, b2, w.a.URL+"/sign-in/code", url.Values{"code": {recovery[3]}}); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("the same recovery code again: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT cardinality(recovery_codes) FROM users WHERE email = 'editor@example.org'`); n != 9 {
			t.Errorf("%d recovery codes left; want 9", n)
		}
	})

	t.Run("DisablingNeedsACurrentCode", func(t *testing.T) {
		resp, _ := post(t, c, w.a.URL+"/staff/2fa/disable", url.Values{"disable-code": {"123456"}})
		if resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("turning off with a wrong code: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM users WHERE email = 'editor@example.org' AND totp_secret IS NOT NULL`); n != 1 {
			t.Fatal("a wrong code turned two-factor sign-in off")
		}
		// A recovery code will do (the app's current code has been used by now).
		if resp, _ := post(t, c, w.a.URL+"/staff/2fa/disable", url.Values{"disable-code": {recovery[5]}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("turning off with a recovery code: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM users WHERE email = 'editor@example.org' AND totp_secret IS NULL AND cardinality(recovery_codes) = 0`); n != 1 {
			t.Error("two-factor sign-in still on after turning it off")
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM audit_log WHERE action = 'disable 2FA' AND entity_slug = 'editor@example.org'`); n != 1 {
			t.Errorf("%d audit entries for turning it off", n)
		}
		// The session that turned it off carries on, and the password alone signs in again.
		if resp, body := fetchWith(t, c, w.a.URL+"/staff/2fa"); resp.StatusCode != http.StatusOK || !strings.Contains(body, "data-testid=\"2fa-qr\"") {
			t.Errorf("after turning off: %d, enrolment offered again: %v", resp.StatusCode, strings.Contains(body, "2fa-qr"))
		}
		signIn(t, browser(t), w.b, "editor@example.org")
	})
}

func TestTwoFactorThrottledLikePasswords(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	c := browser(t)
	signIn(t, c, w.a, "admin@example.org")
	secret, _ := enrol(t, c, w.a)
	b := browser(t)
	post(t, b, w.a.URL+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	for i := range 5 {
		if resp, _ := post(t, b, []*httptest.Server{w.a, w.b}[i%2].URL+"/sign-in/code", url.Values{"code": {"000000"}}); resp.StatusCode != http.StatusUnauthorized {
			t.Fatalf("wrong code %d: %d", i, resp.StatusCode)
		}
	}
	resp, _ := post(t, b, w.b.URL+"/sign-in/code", url.Values{"code": {codeAt(t, secret, 1)}})
	if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
		t.Errorf("right code after 5 wrong ones: %d; want 429", resp.StatusCode)
	}
	// Signing in with the password again does not reset the code's count.
	b2 := browser(t)
	post(t, b2, w.a.URL+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
	if resp, _ := post(t, b2, w.a.URL+"/sign-in/code", url.Values{"code": {codeAt(t, secret, 1)}}); resp.StatusCode != http.StatusTooManyRequests {
		t.Errorf("right code after a new password step: %d; want 429", resp.StatusCode)
	}
}

func TestRequireTwoFactor(t *testing.T) {
	t.Parallel()
	w := newStaffWorldWith(t, server.Options{Require2FA: true})
	c := browser(t)
	signIn(t, c, w.a, "editor@example.org")
	for _, path := range []string{"/staff", "/", "/cases/dvk-ban", "/staff/tokens"} {
		if resp, _ := fetchWith(t, c, w.b.URL+path); resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/staff/2fa" {
			t.Errorf("%s without two-factor sign-in: %d %s; want sent to /staff/2fa", path, resp.StatusCode, resp.Header.Get("Location"))
		}
	}
	if resp, _ := post(t, c, w.b.URL+"/staff/tokens", url.Values{"name": {"before 2fa"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("a write before enrolling: %d; want 403", resp.StatusCode)
	}
	// API tokens are unaffected.
	token := auth.RandomSecret(32)
	if err := w.db.CreateAPIToken(t.Context(), actorFor("test"), "admin@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	if status, _ := apiDo(t, http.MethodGet, w.a.URL+"/api/v1/people", token, ""); status != http.StatusOK {
		t.Errorf("API token without two-factor sign-in: %d", status)
	}
	enrol(t, c, w.a)
	if resp, _ := fetchWith(t, c, w.b.URL+"/staff"); resp.StatusCode != http.StatusOK {
		t.Errorf("/staff after enrolling: %d", resp.StatusCode)
	}
}
