package server

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestHashGate: a sign-in that finds every hashing slot taken waits, then gets 429 with
// Retry-After, and its attempt is not counted; once a slot is free it is checked.
func TestHashGate(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.Open(t)
	s := newServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{HashSlots: 1, HashWait: 50 * time.Millisecond})
	srv := httptest.NewServer(s.routes())
	t.Cleanup(srv.Close)
	signIn := func() *http.Response {
		resp, err := http.PostForm(srv.URL+"/sign-in", url.Values{"email": {"someone@example.org"}, "password": {"not the password"}})
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode == http.StatusTooManyRequests && !strings.Contains(string(b), "Too many sign-ins are being checked") {
			t.Errorf("429 page without its message")
		}
		return resp
	}

	s.hashes.slots <- struct{}{} // every slot busy, as under a burst
	for range 6 {
		if resp := signIn(); resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") != hashRetryAfter {
			t.Fatalf("no slot free: %d, Retry-After %q; want 429 and %s", resp.StatusCode, resp.Header.Get("Retry-After"), hashRetryAfter)
		}
	}
	if n := postgrestest.Count(t, dbURL, `SELECT count(*) FROM sign_in_failures`); n != 0 {
		t.Errorf("%d attempts counted that were never checked", n)
	}
	<-s.hashes.slots
	if resp := signIn(); resp.StatusCode != http.StatusUnauthorized {
		t.Errorf("a slot free: %d; want the password checked (401)", resp.StatusCode)
	}
}

// TestTooManyAlwaysSaysWhen: a 429 from the error boundary (an admin's password reset that
// found every hashing slot taken, on a page or the API) tells the client when to come back,
// as the sign-in page's own 429 does.
func TestTooManyAlwaysSaysWhen(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.Open(t)
	s := newServer(db, slog.New(slog.NewTextHandler(io.Discard, nil)), Options{})
	for _, path := range []string{"/admin/users/password", "/api/v1/people/x"} {
		rec := httptest.NewRecorder()
		s.fail(rec, httptest.NewRequest(http.MethodPost, path, nil), errHashBusy)
		if rec.Code != http.StatusTooManyRequests || rec.Header().Get("Retry-After") != hashRetryAfter {
			t.Errorf("%s: %d, Retry-After %q; want 429 and %s", path, rec.Code, rec.Header().Get("Retry-After"), hashRetryAfter)
		}
	}
}
