package server

import (
	"context"
	"errors"
	"fmt"
	"net"
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

// Sign-in throttling: failures counted in PostgreSQL, so every server applies the same limit.
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

// clientAddress is the client's IP, for throttling by address.
func clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// handleSignIn checks the password, throttled per account and per address, and gives the
// same message for an unknown email as for a wrong password.
func (s *Server) handleSignIn(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	email, _ := tracker.NormalizeEmail(r.PostFormValue("email"))
	password := r.PostFormValue("password")
	form := web.SignInForm{Email: email, Next: safeNext(r.PostFormValue("next"))}
	accountKey, addressKey := "account:"+email, "address:"+clientAddress(r)
	since := time.Now().Add(-throttleWindow)
	for _, lim := range []struct {
		key string
		max int
	}{{accountKey, maxFailuresAccount}, {addressKey, maxFailuresAddress}} {
		n, err := s.db.SignInFailures(ctx, lim.key, since)
		if err != nil {
			return err
		}
		if n >= lim.max {
			form.Error = fmt.Sprintf("Too many failed attempts. Wait %d minutes, then try again.", int(throttleWindow.Minutes()))
			w.Header().Set("Retry-After", fmt.Sprint(int(throttleWindow.Seconds())))
			return render(ctx, w, http.StatusTooManyRequests, web.SignInPage(form))
		}
	}
	user, hash, err := s.db.UserForSignIn(ctx, email)
	switch {
	case tracker.ErrorCode(err) == tracker.ENOTFOUND:
		auth.VerifyDummy(password)
		err = auth.ErrMismatch
	case err != nil:
		return err
	default:
		err = auth.Verify(password, hash)
	}
	if err != nil {
		if !errors.Is(err, auth.ErrMismatch) {
			return err
		}
		if err := s.db.RecordSignInFailure(ctx, accountKey, addressKey); err != nil {
			return err
		}
		form.Error = "The email or password is not right."
		return render(ctx, w, http.StatusUnauthorized, web.SignInPage(form))
	}
	if err := s.db.ClearSignInFailures(ctx, accountKey); err != nil {
		return err
	}
	// A new token at sign-in, so a session id planted before sign-in is worthless after it.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, "user_id", user.ID)
	s.sessions.Put(ctx, "epoch", user.SessionEpoch)
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
