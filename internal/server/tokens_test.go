package server_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// tokenRows reads the token table of /staff/tokens or /admin/users: one line per token,
// its cells joined by " | ", spaces squeezed.
func tokenRows(t *testing.T, body string) []string {
	t.Helper()
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	var rows []string
	doc.Find(`[data-testid="token"]`).Each(func(_ int, tr *goquery.Selection) {
		var cells []string
		tr.Find("td").Each(func(_ int, td *goquery.Selection) {
			cells = append(cells, strings.Join(strings.Fields(td.Text()), " "))
		})
		rows = append(rows, strings.Join(cells, " | "))
	})
	return rows
}

// makeToken makes a token on /staff/tokens as the signed-in c and returns it.
func makeToken(t *testing.T, c *http.Client, base string, form url.Values) string {
	t.Helper()
	resp, body := post(t, c, base+"/staff/tokens", form)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	token := doc.Find(`[data-testid="new-token"]`).Text()
	if resp.StatusCode != 200 || len(token) < 40 {
		t.Fatalf("make token %v: %d %q", form, resp.StatusCode, token)
	}
	return token
}

func TestTokensEndWithAnAdminSetPassword(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor, admin := browser(t), browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	token := makeToken(t, editor, w.a.URL, url.Values{"name": {"nightly import"}, "expires_in": {"90"}})
	statusURL := w.a.URL + "/api/v1/cases/erlan-baltabay-case/statuses"
	status := func(version int) string {
		return fmt.Sprintf(`{"version": %d, "status": "imprisoned", "effective_on": "2019-08-20", "note": "Sentenced.", "source_url": "https://example.org/b"}`, version)
	}
	d, _ := w.db.Case(context.Background(), "erlan-baltabay-case")
	if code, body := apiDo(t, "POST", statusURL, token, status(d.Case.Version)); code != 201 {
		t.Fatalf("a write with the fresh token = %d %v", code, body)
	}

	_, page := fetchWith(t, admin, w.a.URL+"/admin/users")
	if rows := tokenRows(t, page); len(rows) != 1 || !strings.HasPrefix(rows[0], "editor@example.org | nightly import | ") || !strings.Contains(rows[0], "Active") {
		t.Errorf("the admin's token list = %q", rows)
	}

	resp, body := post(t, admin, w.a.URL+"/admin/users/password", url.Values{"email": {"editor@example.org"}})
	if resp.StatusCode != 200 || !strings.Contains(body, "API tokens are revoked") {
		t.Fatalf("reset: %d", resp.StatusCode)
	}
	d, _ = w.db.Case(context.Background(), "erlan-baltabay-case")
	code, answer := apiDo(t, "POST", statusURL, token, status(d.Case.Version))
	if code != 401 {
		t.Errorf("a write with the token after an admin set the password = %d %v, want 401", code, answer)
	}
	if after, _ := w.db.Case(context.Background(), "erlan-baltabay-case"); after.Case.Version != d.Case.Version {
		t.Errorf("the refused write changed the case: version %d → %d", d.Case.Version, after.Case.Version)
	}
	if rows := tokenRows(t, body); len(rows) != 1 || !strings.Contains(rows[0], "Revoked") {
		t.Errorf("after the reset the admin's token list = %q", rows)
	}
	entries, _ := w.db.Activity(context.Background(), "user", "editor@example.org", 5)
	if len(entries) == 0 || entries[0].Action != "change password" || entries[0].Actor != "admin@example.org" || !strings.Contains(entries[0].After, "nightly import") {
		t.Errorf("the audit entry of the reset = %+v", entries)
	}
}

func TestAdminRevokesAnyToken(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor, admin := browser(t), browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	keep := makeToken(t, editor, w.a.URL, url.Values{"name": {"keep"}, "expires_in": {"30"}})
	gone := makeToken(t, editor, w.a.URL, url.Values{"name": {"gone"}, "expires_in": {"30"}})
	write := func(token string) int {
		code, _ := apiDo(t, "PUT", w.a.URL+"/api/v1/people/aset-mataev", token, `{"version": 99, "name": "Aset Mataev"}`)
		return code // 409: authenticated, stale version
	}

	// An editor cannot use the admin's form, even for their own token.
	if resp, _ := post(t, editor, w.a.URL+"/admin/users/tokens/revoke", url.Values{"email": {"editor@example.org"}, "name": {"gone"}}); resp.StatusCode != http.StatusForbidden {
		t.Errorf("an editor revoking on the admin form = %d, want 403", resp.StatusCode)
	}
	resp, _ := post(t, admin, w.a.URL+"/admin/users/tokens/revoke", url.Values{"email": {"editor@example.org"}, "name": {"gone"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("the admin revoking = %d", resp.StatusCode)
	}
	if write(gone) != 401 || write(keep) != 409 {
		t.Errorf("after revoking one: revoked token %d (want 401), other token %d (want 409)", write(gone), write(keep))
	}
	entries, _ := w.db.Activity(context.Background(), "user", "editor@example.org", 5)
	if len(entries) == 0 || entries[0].Action != "revoke API token" || entries[0].Actor != "admin@example.org" || !strings.Contains(entries[0].Before, "gone") {
		t.Errorf("the revocation's audit entry = %+v", entries)
	}
	// The editor's own page shows what the admin did.
	_, page := fetchWith(t, editor, w.a.URL+"/staff/tokens")
	rows := tokenRows(t, page)
	if len(rows) != 2 || !strings.HasPrefix(rows[0], "gone | ") || !strings.Contains(rows[0], "Revoked") || !strings.Contains(rows[1], "Active") {
		t.Errorf("the editor's tokens = %q", rows)
	}
	if resp, _ := post(t, admin, w.a.URL+"/admin/users/tokens/revoke", url.Values{"email": {"editor@example.org"}, "name": {"gone"}}); resp.StatusCode != http.StatusNotFound {
		t.Errorf("revoking a revoked token again = %d, want 404", resp.StatusCode)
	}
}

func TestTokenExpiry(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	write := func(token string) (int, map[string]any) {
		return apiDo(t, "PUT", w.a.URL+"/api/v1/people/aset-mataev", token, `{"version": 99, "name": "Aset Mataev"}`)
	}
	days := func(name string) int {
		return postgrestest.Count(t, w.url, `SELECT round(extract(epoch FROM expires_at - created_at) / 86400)::int FROM api_tokens WHERE name = $1 AND revoked_at IS NULL`, name)
	}

	t.Run("ChosenAtCreationDefault90", func(t *testing.T) {
		_, page := fetchWith(t, editor, w.a.URL+"/staff/tokens")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		if v, _ := doc.Find("#expires_in").Attr("value"); v != "90" {
			t.Errorf("the form offers %q days, want 90", v)
		}
		makeToken(t, editor, w.a.URL, url.Values{"name": {"week"}, "expires_in": {"7"}})
		makeToken(t, editor, w.a.URL, url.Values{"name": {"unsaid"}})
		if days("week") != 7 || days("unsaid") != 90 {
			t.Errorf("lifetimes: chosen 7 → %d days, none chosen → %d days (want 90)", days("week"), days("unsaid"))
		}
	})
	t.Run("OutOfRangeRefusedInputKept", func(t *testing.T) {
		for _, v := range []string{"0", "366", "ninety", "-5"} {
			resp, body := post(t, editor, w.a.URL+"/staff/tokens", url.Values{"name": {"bad " + v}, "expires_in": {v}})
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			kept, _ := doc.Find("#expires_in").Attr("value")
			name, _ := doc.Find("#name").Attr("value")
			if resp.StatusCode != 422 || !strings.Contains(doc.Find("#expires_in-error").Text(), "1 to 365") || kept != v || name != "bad "+v {
				t.Errorf("expires_in=%q: %d, error %q, kept %q/%q", v, resp.StatusCode, doc.Find("#expires_in-error").Text(), kept, name)
			}
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM api_tokens WHERE name LIKE 'bad %'`); n != 0 {
			t.Errorf("%d refused tokens were stored", n)
		}
	})
	t.Run("ExpiredIs401SayingSo", func(t *testing.T) {
		token := makeToken(t, editor, w.a.URL, url.Values{"name": {"old"}, "expires_in": {"1"}})
		if code, _ := write(token); code != 409 {
			t.Fatalf("before expiry = %d, want 409", code)
		}
		expire(t, w.url, "old")
		code, body := write(token)
		if code != 401 || !strings.Contains(fmt.Sprint(body["error"]), "expired on") {
			t.Errorf("expired token: %d %v, want 401 saying it expired", code, body)
		}
		_, page := fetchWith(t, editor, w.a.URL+"/staff/tokens")
		var state string
		for _, r := range tokenRows(t, page) {
			if strings.HasPrefix(r, "old | ") {
				state = r
			}
		}
		if !strings.HasSuffix(state, "| Expired") {
			t.Errorf("the expired token's row = %q", state)
		}
		// Its name is free again; the old token stays dead.
		fresh := makeToken(t, editor, w.a.URL, url.Values{"name": {"old"}, "expires_in": {"5"}})
		if code, _ := write(fresh); code != 409 {
			t.Errorf("the new token under the expired one's name = %d, want 409", code)
		}
		if code, _ := write(token); code != 401 {
			t.Errorf("the expired token after its name was reused = %d, want 401", code)
		}
	})
}

// expire makes the live token called name expire a minute ago, as time would.
func expire(t *testing.T, dbURL, name string) {
	t.Helper()
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE api_tokens SET expires_at = now() - interval '1 minute', created_at = now() - interval '2 days'
		WHERE name = $1 AND revoked_at IS NULL`, name); err != nil {
		t.Fatal(err)
	}
}

func TestTokenNamesUniquePerAccount(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	makeToken(t, editor, w.a.URL, url.Values{"name": {"nightly"}, "expires_in": {"90"}})

	t.Run("PageRefusesADuplicateBesideTheField", func(t *testing.T) {
		resp, body := post(t, editor, w.a.URL+"/staff/tokens", url.Values{"name": {"nightly"}, "expires_in": {"30"}})
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if resp.StatusCode != http.StatusConflict || !strings.Contains(doc.Find("#name-error").Text(), `live API token named "nightly"`) ||
			doc.Find(`[data-testid="new-token"]`).Length() != 0 {
			t.Errorf("duplicate name: %d %q", resp.StatusCode, doc.Find("#name-error").Text())
		}
		if v, _ := doc.Find("#expires_in").Attr("value"); v != "30" {
			t.Errorf("the lifetime typed was not kept: %q", v)
		}
	})
	t.Run("DatabaseRefusesConcurrentDuplicates", func(t *testing.T) {
		var wg sync.WaitGroup
		errs := make([]error, 8)
		for i := range errs {
			wg.Add(1)
			go func() {
				defer wg.Done()
				errs[i] = w.db.CreateAPIToken(context.Background(), actorFor("test"), "editor@example.org", "race", fmt.Sprintf("race-token-%02d-0123456789abcdefghijklmnop", i))
			}()
		}
		wg.Wait()
		made := 0
		for _, err := range errs {
			switch {
			case err == nil:
				made++
			case tracker.ErrorCode(err) != tracker.ECONFLICT:
				t.Errorf("unexpected error: %v", err)
			}
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM api_tokens WHERE name = 'race'`); made != 1 || n != 1 {
			t.Errorf("%d of 8 concurrent tokens named race were made, %d stored; want 1", made, n)
		}
	})
	t.Run("RevokeByNameRevokesOne", func(t *testing.T) {
		post(t, editor, w.a.URL+"/staff/tokens/revoke", url.Values{"name": {"nightly"}})
		makeToken(t, editor, w.a.URL, url.Values{"name": {"nightly"}})
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM api_tokens WHERE name = 'nightly' AND revoked_at IS NULL`); n != 1 {
			t.Errorf("%d live tokens named nightly, want 1", n)
		}
		// Another account may use the same name.
		if err := w.db.CreateAPIToken(context.Background(), actorFor("test"), "admin@example.org", "nightly", "admin-nightly-0123456789abcdefghijklmnopqrstu"); err != nil {
			t.Errorf("another account's token of the same name: %v", err)
		}
	})
}
