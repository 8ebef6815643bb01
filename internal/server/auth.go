package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/alexedwards/scs/v2"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// Sign-in throttling: attempts counted in PostgreSQL, so every server applies the same
// limit. An attempt is counted from before its password is checked until it turns out
// right, so at most this many wrong guesses are ever checked per window.
const (
	throttleWindow     = 15 * time.Minute
	maxFailuresAccount = 5
	maxFailuresAddress = 20
)

// newSessions configures scs on the PostgreSQL store: HttpOnly, SameSite=Lax cookies,
// Secure when the site is served over TLS, ended after two idle hours.
func newSessions(db *postgres.DB, secure bool) *scs.SessionManager {
	sm := scs.New()
	sm.Store = db.Sessions()
	sm.Lifetime = 12 * time.Hour
	sm.IdleTimeout = 2 * time.Hour
	sm.Cookie.Name = "whereas_session"
	sm.Cookie.HttpOnly = true
	sm.Cookie.SameSite = http.SameSiteLaxMode
	sm.Cookie.Secure = secure
	sm.Cookie.Path = "/"
	return sm
}

type userKey struct{}

// currentUser is the staff member the request is made by, or nil.
func currentUser(ctx context.Context) *tracker.User {
	u, _ := ctx.Value(userKey{}).(*tracker.User)
	return u
}

// flashKey is the session key of a one-time message for the next page.
const flashKey = "flash"

// identify works out who is asking: an API token in "Authorization: Bearer", or a session
// whose account is still enabled and whose epoch is current. Requests with neither stay
// anonymous and cost no database call.
func (s *Server) identify(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		var user *tracker.User
		if h := r.Header.Get("Authorization"); h != "" {
			token, ok := strings.CutPrefix(h, "Bearer ")
			if !ok || token == "" {
				s.fail(w, r, tracker.Errorf(tracker.EUNAUTHORIZED, "Send the API token as \"Authorization: Bearer TOKEN\"."))
				return
			}
			u, err := s.db.UserForToken(ctx, token)
			if err != nil {
				s.fail(w, r, err)
				return
			}
			user = &u
		} else if id := s.sessions.GetInt64(ctx, "user_id"); id != 0 {
			u, err := s.db.User(ctx, id)
			switch {
			case err == nil && u.SessionEpoch == s.sessions.GetInt(ctx, "epoch"):
				user = &u
			case err == nil || tracker.ErrorCode(err) == tracker.ENOTFOUND:
				// disabled, or the password changed since: this session has ended
				_ = s.sessions.Destroy(ctx)
			default:
				s.fail(w, r, err)
				return
			}
		}
		if user != nil && s.opts.Require2FA && !user.TwoFactor && r.Header.Get("Authorization") == "" && !enrolmentOnly(r.URL.Path) {
			// WHEREAS_REQUIRE_2FA: a session without two-factor sign-in is sent to set it up
			// before anything else. API tokens are not sessions and are unaffected.
			if r.Method == http.MethodGet || r.Method == http.MethodHead {
				http.Redirect(w, r, "/staff/2fa", http.StatusSeeOther)
			} else {
				s.fail(w, r, tracker.Errorf(tracker.EFORBIDDEN, "This site requires two-factor sign-in: set it up at /staff/2fa first."))
			}
			return
		}
		if user != nil {
			ctx = context.WithValue(ctx, userKey{}, user)
			ctx = web.WithViewer(ctx, user)
			w.Header().Set("Cache-Control", "private, no-store")
			if r.Method == http.MethodGet && !isAPI(r) && !strings.HasPrefix(r.URL.Path, "/static/") {
				// A message left by the previous request (a save that merged others' changes)
				// is shown once, on the next page.
				if msg := s.sessions.PopString(ctx, flashKey); msg != "" {
					ctx = web.WithFlash(ctx, msg)
				}
			}
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// requireRole lets through only staff who hold role (admins hold every role). Anonymous
// visitors are sent to sign in (pages) or told 401 (API); others get 403.
func (s *Server) requireRole(role tracker.Role) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			u := currentUser(r.Context())
			switch {
			case u == nil && !isAPI(r) && (r.Method == http.MethodGet || r.Method == http.MethodHead):
				// The address is escaped so that its own query survives as one value; slashes
				// may stay, as they read better.
				next := strings.ReplaceAll(url.QueryEscape(r.URL.RequestURI()), "%2F", "/")
				http.Redirect(w, r, "/sign-in?next="+next, http.StatusSeeOther)
			case u == nil:
				s.fail(w, r, tracker.Errorf(tracker.EUNAUTHORIZED, "Sign in, or send an API token, to do this."))
			case !u.Role.Allows(role):
				s.fail(w, r, tracker.Errorf(tracker.EFORBIDDEN, "Your account (%s) cannot do this; it needs the %s role.", u.Role, role))
			default:
				next.ServeHTTP(w, r)
			}
		})
	}
}

// actor names the signed-in user for the audit log.
func actor(ctx context.Context) postgres.Actor {
	if u := currentUser(ctx); u != nil {
		return postgres.Actor{UserID: u.ID, Name: u.Email}
	}
	return postgres.Actor{Name: "anonymous"}
}

// safeNext keeps a post-sign-in redirect on this site: a path with one leading slash and
// no control characters or backslashes. Browsers drop tabs and newlines from a Location and
// read a backslash as a slash, so "/\t/evil.example" or "/\\evil" would leave the site.
// The same holds for the path decoded once more, for any proxy or client that decodes it.
func safeNext(next string) string {
	const fallback = "/staff"
	decoded, err := url.PathUnescape(next)
	if err != nil || !sitePath(next) || !sitePath(decoded) {
		return fallback
	}
	if u, err := url.Parse(next); err != nil || u.Scheme != "" || u.Host != "" || u.User != nil {
		return fallback
	}
	return next
}

// sitePath reports whether p starts with exactly one slash and holds no control character
// or backslash.
func sitePath(p string) bool {
	if !strings.HasPrefix(p, "/") || strings.HasPrefix(p, "//") || strings.ContainsRune(p, '\\') {
		return false
	}
	for _, r := range p {
		if r < 0x20 || r == 0x7f || (r >= 0x80 && r < 0xa0) || r == utf8.RuneError {
			return false
		}
	}
	return true
}

func (s *Server) handleSignInForm(w http.ResponseWriter, r *http.Request) error {
	return render(r.Context(), w, http.StatusOK, web.SignInPage(web.SignInForm{Next: safeNext(r.URL.Query().Get("next"))}))
}

// throttled answers a sign-in that may not be checked now: the account or address has
// used its attempts (429 for the rest of the window), or no hashing slot came free (429
// for a few seconds). Both keep the form's input.
func throttled(ctx context.Context, w http.ResponseWriter, form web.SignInForm, retryAfter, message string) error {
	form.Error = message
	w.Header().Set("Retry-After", retryAfter)
	return render(ctx, w, http.StatusTooManyRequests, web.SignInPage(form))
}

// tooManyAttempts is the message for a spent throttle.
var tooManyAttempts = fmt.Sprintf("Too many failed attempts. Wait %d minutes, then try again.", int(throttleWindow.Minutes()))

// handleSignIn checks the password, throttled per account and per address, and gives the
// same message for an unknown email as for a wrong password.
//
// The attempt is reserved in PostgreSQL before the password is hashed, so concurrent
// guesses cannot all be checked before any is counted, and hashing waits for a slot of
// the hash gate, so a burst cannot exhaust memory. A right password gives its
// reservation back and clears the account's earlier failures; a wrong one keeps it.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	form := web.SignInForm{Email: email, Next: safeNext(r.PostFormValue("next"))}
	accountKey, addressKey := "account:"+email, "address:"+s.clientAddress(r)
	_, ok, err := s.db.ReserveSignIn(ctx, throttleWindow,
		postgres.SignInLimit{Key: accountKey, Max: maxFailuresAccount}, postgres.SignInLimit{Key: addressKey, Max: maxFailuresAddress})
	if err != nil {
		return err
	}
	if !ok {
		s.metrics.throttled.WithLabelValues(throttleAttempts).Inc()
		return throttled(ctx, w, form, fmt.Sprint(int(throttleWindow.Seconds())), tooManyAttempts)
	}
	var user tracker.User
	err = s.hashes.do(ctx, func() error {
		var hash string
		var err error
		user, hash, err = s.db.UserForSignIn(ctx, email)
		switch {
		case tracker.ErrorCode(err) == tracker.ENOTFOUND:
			auth.VerifyDummy(password)
			return auth.ErrMismatch
		case err != nil:
			return err
		}
		return auth.Verify(password, hash)
	})
	switch {
	case errors.Is(err, errHashBusy):
		// Never checked, so it must not count against the account or the address.
		if err := s.db.ReleaseSignIn(context.WithoutCancel(ctx), accountKey, addressKey); err != nil {
			return err
		}
		s.metrics.throttled.WithLabelValues(throttleHashing).Inc()
		return throttled(ctx, w, form, hashRetryAfter, tracker.ErrorMessage(errHashBusy))
	case errors.Is(err, auth.ErrMismatch):
		form.Error = "The email or password is not right."
		return render(ctx, w, http.StatusUnauthorized, web.SignInPage(form))
	case err != nil:
		return err
	}
	if user.TwoFactor {
		// A right password, but the sign-in is not done: this attempt is given back, and the
		// account's earlier failures keep counting until the code completes it.
		if err := s.db.ReleaseSignIn(ctx, accountKey, addressKey); err != nil {
			return err
		}
		if err := s.startPendingSignIn(ctx, user, form.Next); err != nil {
			return err
		}
		http.Redirect(w, r, "/sign-in/code", http.StatusSeeOther)
		return nil
	}
	if err := s.db.ReleaseSignIn(ctx, addressKey); err != nil {
		return err
	}
	if err := s.db.ClearSignIn(ctx, accountKey); err != nil {
		return err
	}
	if err := s.finishSignIn(ctx, user); err != nil {
		return err
	}
	http.Redirect(w, r, form.Next, http.StatusSeeOther)
	return nil
}

// handleSignOut ends the session on the server, not just in the browser.
func (s *Server) handleSignOut(w http.ResponseWriter, r *http.Request) error {
	if err := s.sessions.Destroy(r.Context()); err != nil {
		return err
	}
	http.Redirect(w, r, "/", http.StatusSeeOther)
	return nil
}
