package server_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/netip"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// signInAttempt is one sign-in post: where to, as whom, and with which X-Forwarded-For.
type signInAttempt struct {
	srv             *httptest.Server
	email, password string
	forwardedFor    string
}

// burst sends every attempt at once (each on its own connection, released together) and
// returns how many got each status.
func burst(t *testing.T, attempts []signInAttempt) map[int]int {
	t.Helper()
	var (
		start  = make(chan struct{})
		wg     sync.WaitGroup
		mu     sync.Mutex
		counts = map[int]int{}
		errs   []error
	)
	for _, a := range attempts {
		wg.Add(1)
		go func() {
			defer wg.Done()
			form := url.Values{"email": {a.email}, "password": {a.password}, "next": {"/staff"}}
			req, _ := http.NewRequest(http.MethodPost, a.srv.URL+"/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			if a.forwardedFor != "" {
				req.Header.Set("X-Forwarded-For", a.forwardedFor)
			}
			c := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
			<-start
			resp, err := c.Do(req)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				errs = append(errs, err)
				return
			}
			resp.Body.Close()
			counts[resp.StatusCode]++
		}()
	}
	close(start)
	wg.Wait()
	if len(errs) > 0 {
		t.Fatalf("%d requests failed, first: %v", len(errs), errs[0])
	}
	return counts
}

// checked is how many attempts had their password checked: a wrong one answers 401, a
// right one 303; a throttled attempt (429) was never checked.
func checked(counts map[int]int) int {
	return counts[http.StatusUnauthorized] + counts[http.StatusSeeOther]
}

func TestSignInUnderConcurrency(t *testing.T) {
	t.Parallel()
	// A long hashing wait: here every attempt the throttle lets through must be checked.
	opts := server.Options{HashWait: time.Minute}

	t.Run("ConcurrentGuessesOnOneAccountCheckAtMostFiveAcrossTwoServers", func(t *testing.T) {
		t.Parallel()
		w := newStaffWorldWith(t, opts)
		var attempts []signInAttempt
		for i := range 25 {
			attempts = append(attempts, signInAttempt{srv: []*httptest.Server{w.a, w.b}[i%2], email: "admin@example.org", password: fmt.Sprintf("wrong guess number %d", i)})
		}
		counts := burst(t, attempts)
		if checked(counts) > 5 || counts[http.StatusTooManyRequests] != 25-checked(counts) {
			t.Errorf("25 concurrent guesses on one account: %v; want at most 5 checked (401) and the rest 429", counts)
		}
		if counts[http.StatusUnauthorized] != 5 {
			t.Errorf("wanted exactly the limit, 5, checked: %v", counts)
		}
		// The limit is spent: the right password does not get in now, on either server.
		for _, srv := range []*httptest.Server{w.a, w.b} {
			resp, _ := post(t, browser(t), srv.URL+"/sign-in", url.Values{"email": {"admin@example.org"}, "password": {testPassword}})
			if resp.StatusCode != http.StatusTooManyRequests || resp.Header.Get("Retry-After") == "" {
				t.Errorf("right password after the limit: %d, Retry-After %q", resp.StatusCode, resp.Header.Get("Retry-After"))
			}
		}
	})

	t.Run("RightPasswordInABurstOfGuessesIsCheckedOnlyWithinTheLimit", func(t *testing.T) {
		t.Parallel()
		w := newStaffWorldWith(t, opts)
		var attempts []signInAttempt
		for i := range 25 {
			pw := fmt.Sprintf("wrong guess number %d", i)
			if i == 24 {
				pw = testPassword
			}
			attempts = append(attempts, signInAttempt{srv: []*httptest.Server{w.a, w.b}[i%2], email: "editor@example.org", password: pw})
		}
		counts := burst(t, attempts)
		if checked(counts) > 5 || counts[http.StatusSeeOther] > 1 {
			t.Errorf("24 wrong and 1 right at once: %v; want at most 5 checked", counts)
		}
	})

	t.Run("ConcurrentAttemptsFromOneAddressGet429", func(t *testing.T) {
		t.Parallel()
		w := newStaffWorldWith(t, opts)
		var attempts []signInAttempt
		for i := range 100 {
			attempts = append(attempts, signInAttempt{srv: []*httptest.Server{w.a, w.b}[i%2], email: fmt.Sprintf("user%d@example.org", i), password: "some wrong password"})
		}
		counts := burst(t, attempts)
		if checked(counts) > 20 || counts[http.StatusTooManyRequests] < 80 {
			t.Errorf("100 concurrent attempts on 100 accounts from one address: %v; want at most 20 checked, the rest 429", counts)
		}
	})

	t.Run("RightPasswordDoesNotCountAndClearsTheAccount", func(t *testing.T) {
		t.Parallel()
		w := newStaffWorldWith(t, opts)
		c := browser(t)
		for range 3 {
			for range 4 {
				if resp, _ := post(t, c, w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {"wrong wrong wrong"}}); resp.StatusCode != http.StatusUnauthorized {
					t.Fatalf("wrong password within the limit: %d", resp.StatusCode)
				}
			}
			signIn(t, browser(t), w.b, "editor@example.org")
		}
		// 12 wrong and 3 right from one address, all within 20: 8 more wrong still checked.
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM sign_in_failures WHERE key LIKE 'address:%'`); n != 12 {
			t.Errorf("the address holds %d attempts; want the 12 failures only", n)
		}
	})

	t.Run("ForwardedForOnlyFromATrustedProxy", func(t *testing.T) {
		t.Parallel()
		proxied := newStaffWorldWith(t, server.Options{HashWait: time.Minute, TrustedProxies: []netip.Prefix{netip.MustParsePrefix("127.0.0.0/8"), netip.MustParsePrefix("::1/128")}})
		direct := newStaffWorldWith(t, opts)
		wrong := func(srv *httptest.Server, i int, xff string) int {
			form := url.Values{"email": {fmt.Sprintf("user%d@example.org", i)}, "password": {"some wrong password"}}
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/sign-in", strings.NewReader(form.Encode()))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			req.Header.Set("X-Forwarded-For", xff)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			return resp.StatusCode
		}
		// Behind the proxy: client 203.0.113.1 uses its 20 attempts, then gets 429 however
		// it spoofs the left of the header; client 203.0.113.2 is a separate bucket.
		for i := range 20 {
			if s := wrong(proxied.a, i, "203.0.113.1"); s != http.StatusUnauthorized {
				t.Fatalf("attempt %d via the proxy: %d", i, s)
			}
		}
		if s := wrong(proxied.b, 100, "198.51.100.9, 203.0.113.1"); s != http.StatusTooManyRequests {
			t.Errorf("21st attempt of one client, spoofed on the left: %d; want 429", s)
		}
		if s := wrong(proxied.a, 101, "203.0.113.2"); s != http.StatusUnauthorized {
			t.Errorf("another client behind the same proxy: %d; want 401, its own bucket", s)
		}
		// Not from a trusted proxy: the header is the client's own claim and is ignored.
		for i := range 20 {
			if s := wrong(direct.a, i, fmt.Sprintf("203.0.113.%d", i+1)); s != http.StatusUnauthorized {
				t.Fatalf("attempt %d: %d", i, s)
			}
		}
		if s := wrong(direct.b, 100, "203.0.113.200"); s != http.StatusTooManyRequests {
			t.Errorf("21st attempt from one address with a made-up X-Forwarded-For: %d; want 429", s)
		}
	})
}
