package server

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// Two-factor sign-in (TOTP). After a right password an account with two-factor sign-in
// is only half signed in: the session holds who is signing in ("pending_*") but no
// user_id, so identify grants nothing until the code is given at /sign-in/code.
const (
	maxFailuresSecondFactor = 5               // wrong codes per account in throttleWindow, as for passwords
	pendingSignInFor        = 5 * time.Minute // how long a right password waits for its code
	totpIssuer              = "Whereas"
)

// pendingSignIn is a sign-in whose password was right and whose code is awaited.
type pendingSignIn struct {
	userID int64
	epoch  int
	next   string
}

// startPendingSignIn records a right password for an account that needs a code. The
// session token is renewed here and again when the code completes the sign-in.
func (s *Server) startPendingSignIn(ctx context.Context, u tracker.User, next string) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Remove(ctx, "user_id")
	s.sessions.Remove(ctx, "epoch")
	s.sessions.Put(ctx, "pending_user_id", u.ID)
	s.sessions.Put(ctx, "pending_epoch", u.SessionEpoch)
	s.sessions.Put(ctx, "pending_next", next)
	s.sessions.Put(ctx, "pending_until", time.Now().Add(pendingSignInFor).Unix())
	return nil
}

// pending returns the sign-in awaiting a code, if there is one and it is recent.
func (s *Server) pending(ctx context.Context) (pendingSignIn, bool) {
	id := s.sessions.GetInt64(ctx, "pending_user_id")
	if id == 0 || time.Now().Unix() > s.sessions.GetInt64(ctx, "pending_until") {
		return pendingSignIn{}, false
	}
	return pendingSignIn{userID: id, epoch: s.sessions.GetInt(ctx, "pending_epoch"), next: safeNext(s.sessions.GetString(ctx, "pending_next"))}, true
}

func (s *Server) clearPending(ctx context.Context) {
	for _, k := range []string{"pending_user_id", "pending_epoch", "pending_next", "pending_until"} {
		s.sessions.Remove(ctx, k)
	}
}

// secondFactor is the outcome of checking a code.
type secondFactor int

const (
	factorOK        secondFactor = iota
	factorWrong                  // neither the current TOTP code nor an unused recovery code
	factorReused                 // a TOTP code already accepted once
	factorThrottled              // too many wrong codes for this account or address
)

// checkSecondFactor checks a TOTP code or a recovery code for u, throttled like
// passwords: the attempt is reserved (per account and per address) before the check,
// a wrong code keeps it, a right one gives it back.
func (s *Server) checkSecondFactor(ctx context.Context, r *http.Request, u tracker.User, code string) (secondFactor, error) {
	factorKey, addressKey := fmt.Sprintf("2fa:%d", u.ID), "address:"+s.clientAddress(r)
	_, ok, err := s.db.ReserveSignIn(ctx, throttleWindow,
		postgres.SignInLimit{Key: factorKey, Max: maxFailuresSecondFactor}, postgres.SignInLimit{Key: addressKey, Max: maxFailuresAddress})
	if err != nil {
		return 0, err
	}
	if !ok {
		s.metrics.throttled.WithLabelValues(throttleSecondFactor).Inc()
		return factorThrottled, nil
	}
	code = strings.Join(strings.Fields(code), "")
	if len(code) == 6 && strings.Trim(code, "0123456789") == "" {
		secret, err := s.db.TOTPSecret(ctx, u.ID)
		if err != nil {
			return 0, err
		}
		step, ok := auth.CheckTOTP(secret, code, time.Now())
		if !ok {
			return factorWrong, nil
		}
		if fresh, err := s.db.UseTOTPStep(ctx, u.ID, step); err != nil {
			return 0, err
		} else if !fresh {
			return factorReused, nil
		}
	} else {
		_, ok, err := s.db.UseRecoveryCode(ctx, postgres.Actor{UserID: u.ID, Name: u.Email}, u.ID, u.Email, auth.HashRecoveryCode(code))
		if err != nil {
			return 0, err
		}
		if !ok {
			return factorWrong, nil
		}
	}
	return factorOK, s.db.ReleaseSignIn(ctx, factorKey, addressKey)
}

// factorMessage is what a refused code is told, and its status.
func factorMessage(w http.ResponseWriter, f secondFactor) (int, string) {
	switch f {
	case factorThrottled:
		w.Header().Set("Retry-After", fmt.Sprint(int(throttleWindow.Seconds())))
		return http.StatusTooManyRequests, fmt.Sprintf("Too many wrong codes. Wait %d minutes, then try again.", int(throttleWindow.Minutes()))
	case factorReused:
		return http.StatusUnauthorized, "That code was used already. Wait for your app to show the next one, then enter it."
	}
	return http.StatusUnauthorized, "That code is not right. Enter the six-digit code your app shows now, or one of your recovery codes."
}

func (s *Server) handleSignInCodeForm(w http.ResponseWriter, r *http.Request) error {
	if _, ok := s.pending(r.Context()); !ok {
		http.Redirect(w, r, "/sign-in", http.StatusSeeOther)
		return nil
	}
	return render(r.Context(), w, http.StatusOK, web.SignInCodePage(""))
}

// handleSignInCode completes a sign-in with the second factor: the session is signed in
// (with a new token) only now.
func (s *Server) handleSignInCode(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	p, ok := s.pending(ctx)
	var u tracker.User
	var err error
	if ok {
		u, err = s.db.User(ctx, p.userID)
		if err != nil && tracker.ErrorCode(err) != tracker.ENOTFOUND {
			return err
		}
		// disabled, its password changed, or its two-factor sign-in reset since the password
		ok = err == nil && u.SessionEpoch == p.epoch && u.TwoFactor
	}
	if !ok {
		s.clearPending(ctx)
		return render(ctx, w, http.StatusUnauthorized, web.SignInPage(web.SignInForm{Next: "/staff",
			Error: "This sign-in has ended (it waits 5 minutes for the code). Enter your email and password again."}))
	}
	f, err := s.checkSecondFactor(ctx, r, u, r.PostFormValue("code"))
	if err != nil {
		return err
	}
	if f != factorOK {
		status, msg := factorMessage(w, f)
		return render(ctx, w, status, web.SignInCodePage(msg))
	}
	// The owner has proved who they are: earlier typos stop counting.
	if err := s.db.ClearSignIn(ctx, "account:"+u.Email, fmt.Sprintf("2fa:%d", u.ID)); err != nil {
		return err
	}
	if err := s.finishSignIn(ctx, u); err != nil {
		return err
	}
	http.Redirect(w, r, p.next, http.StatusSeeOther)
	return nil
}

// finishSignIn signs the session in as u. A new token, so a session id planted before
// sign-in is worthless after it; nothing of an earlier, unfinished sign-in or enrolment
// is kept.
func (s *Server) finishSignIn(ctx context.Context, u tracker.User) error {
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.clearPending(ctx)
	s.sessions.Remove(ctx, "enrol_totp_url")
	s.sessions.Put(ctx, "user_id", u.ID)
	s.sessions.Put(ctx, "epoch", u.SessionEpoch)
	return nil
}

// enrolmentKey is the secret being enrolled, kept in the session (as its otpauth URL)
// from the page that shows it until the first code confirms it.
func (s *Server) enrolmentKey(ctx context.Context, u *tracker.User) (auth.TOTPKey, error) {
	if url := s.sessions.GetString(ctx, "enrol_totp_url"); url != "" {
		if k, err := auth.TOTPKeyFromURL(url); err == nil && k.Account == u.Email {
			return k, nil
		}
	}
	k, err := auth.NewTOTPKey(totpIssuer, u.Email)
	if err != nil {
		return k, err
	}
	s.sessions.Put(ctx, "enrol_totp_url", k.URL)
	return k, nil
}

// renderTwoFactor shows /staff/2fa: enrolment (QR code, secret, code field) for an
// account without two-factor sign-in, its state and the forms that need a code otherwise.
func (s *Server) renderTwoFactor(w http.ResponseWriter, r *http.Request, status int, v web.TwoFactorView) error {
	ctx := r.Context()
	u := currentUser(ctx)
	v.Required = s.opts.Require2FA
	if v.On = u.TwoFactor || v.NewCodes != nil; v.On {
		n, err := s.db.RecoveryCodesLeft(ctx, u.ID)
		if err != nil {
			return err
		}
		v.CodesLeft = n
	} else {
		k, err := s.enrolmentKey(ctx, u)
		if err != nil {
			return err
		}
		png, err := k.QRCodePNG(220)
		if err != nil {
			return err
		}
		// A data: URI, which the Content-Security-Policy's img-src allows: no script, no
		// extra route holding the secret.
		v.QRCode = templ.SafeURL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png))
		v.Secret = k.Secret
	}
	return render(ctx, w, status, web.TwoFactorPage(v))
}

func (s *Server) handleTwoFactor(w http.ResponseWriter, r *http.Request) error {
	return s.renderTwoFactor(w, r, http.StatusOK, web.TwoFactorView{})
}

// handleEnableTwoFactor confirms an enrolment with its first code, then shows the
// recovery codes, once.
func (s *Server) handleEnableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	if u.TwoFactor {
		http.Redirect(w, r, "/staff/2fa", http.StatusSeeOther)
		return nil
	}
	k, err := s.enrolmentKey(ctx, u)
	if err != nil {
		return err
	}
	step, ok := auth.CheckTOTP(k.Secret, r.PostFormValue("code"), time.Now())
	if !ok {
		return s.renderTwoFactor(w, r, http.StatusUnprocessableEntity, web.TwoFactorView{
			Errs: tracker.FieldErrors{"code": "That code is not right. Enter the six-digit code your app shows now for Whereas."}})
	}
	codes, hashes := auth.NewRecoveryCodes()
	epoch, err := s.db.EnableTwoFactor(ctx, actor(ctx), u.ID, u.Email, k.Secret, step, hashes)
	if err != nil {
		return err
	}
	// Other sessions of this account have ended; this one carries on, with a new token.
	if err := s.sessions.RenewToken(ctx); err != nil {
		return err
	}
	s.sessions.Put(ctx, "epoch", epoch)
	s.sessions.Remove(ctx, "enrol_totp_url")
	r = r.WithContext(noticed(ctx, "Two-factor sign-in is on. Your other sessions have ended."))
	return s.renderTwoFactor(w, r, http.StatusOK, web.TwoFactorView{NewCodes: codes})
}

// currentCode checks the code the signed-in account sent in field (throttled, as at
// sign-in). A refused code re-renders /staff/2fa with the message beside the field, and
// ok is false.
func (s *Server) currentCode(w http.ResponseWriter, r *http.Request, field string) (ok bool, err error) {
	f, err := s.checkSecondFactor(r.Context(), r, *currentUser(r.Context()), r.PostFormValue(field))
	if err != nil || f == factorOK {
		return err == nil, err
	}
	status, msg := factorMessage(w, f)
	return false, s.renderTwoFactor(w, r, status, web.TwoFactorView{Errs: tracker.FieldErrors{field: msg}})
}

// handleDisableTwoFactor turns two-factor sign-in off; it needs a current code, so a
// session left open (or stolen) cannot remove the protection.
func (s *Server) handleDisableTwoFactor(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	if !u.TwoFactor {
		http.Redirect(w, r, "/staff/2fa", http.StatusSeeOther)
		return nil
	}
	if ok, err := s.currentCode(w, r, "disable-code"); !ok {
		return err
	}
	epoch, err := s.db.DisableTwoFactor(ctx, actor(ctx), u.Email, "disable 2FA")
	if err != nil {
		return err
	}
	s.sessions.Put(ctx, "epoch", epoch)
	return s.saved(w, r, "/staff/2fa", "Two-factor sign-in is off: your password alone signs you in now.")
}

// handleNewRecoveryCodes replaces the recovery codes (a current code needed) and shows
// the new ones, once.
func (s *Server) handleNewRecoveryCodes(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	u := currentUser(ctx)
	if !u.TwoFactor {
		http.Redirect(w, r, "/staff/2fa", http.StatusSeeOther)
		return nil
	}
	if ok, err := s.currentCode(w, r, "code"); !ok {
		return err
	}
	codes, hashes := auth.NewRecoveryCodes()
	if err := s.db.NewRecoveryCodes(ctx, actor(ctx), u.ID, u.Email, hashes); err != nil {
		return err
	}
	r = r.WithContext(noticed(ctx, "New recovery codes made; the old ones no longer work."))
	return s.renderTwoFactor(w, r, http.StatusOK, web.TwoFactorView{NewCodes: codes})
}

// enrolmentOnly are the paths a session without two-factor sign-in may still use when
// WHEREAS_REQUIRE_2FA=1: the enrolment itself, signing out, and what pages load.
func enrolmentOnly(path string) bool {
	return path == "/staff/2fa" || path == "/sign-out" || strings.HasPrefix(path, "/static/") || path == "/healthz" || path == "/readyz"
}
