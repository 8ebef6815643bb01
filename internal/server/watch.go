package server

import (
	"context"
	"crypto/rand"
	"net/http"
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// visitorLimits bound confirmation emails: one an hour to an address, a few an hour asked
// for by one client (a visitor may watch two cases), so the form cannot be used to mail
// strangers.
var visitorLimits = postgres.WatchLimits{PerAddress: 1, PerClient: 5}

// newWatchToken is a fresh random token for a confirmation or unsubscribe link.
func newWatchToken() string { return rand.Text() }

// watchContext tells the page of a watchable record what to offer: staff the button to
// watch or stop watching it, visitors the email form where an admin allows it. A retired
// record offers neither (staff stop watching it on /staff/watches).
func (s *Server) watchContext(r *http.Request, kind tracker.WatchKind, slug string, retired bool) (context.Context, error) {
	ctx := r.Context()
	if retired {
		return ctx, nil
	}
	st := web.WatchState{Kind: kind, Slug: slug}
	if u := currentUser(ctx); u != nil {
		st.Staff = true
		on, err := s.db.Watches(ctx, u.ID, kind, slug)
		if err != nil {
			return ctx, err
		}
		st.Watching = on
	} else if s.opts.Mail {
		on, err := s.db.VisitorWatches(ctx)
		if err != nil {
			return ctx, err
		}
		st.Visitors = on
	}
	return web.WithWatch(ctx, st), nil
}

// watchTarget reads which record a watch form is about.
func watchTarget(r *http.Request) (tracker.WatchKind, string, error) {
	kind, ok := tracker.ParseWatchKind(r.PostFormValue("kind"))
	slug := r.PostFormValue("slug")
	if !ok || slug == "" {
		return "", "", tracker.Errorf(tracker.EINVALID, "Only a person, a case or a resolution can be watched.")
	}
	return kind, slug, nil
}

// handleWatch starts or stops a staff member's watch of a record, then goes back to it.
func (s *Server) handleWatch(w http.ResponseWriter, r *http.Request) error {
	kind, slug, err := watchTarget(r)
	if err != nil {
		return err
	}
	u := currentUser(r.Context())
	if r.PostFormValue("action") == "stop" {
		err = s.db.StopWatch(r.Context(), u.ID, kind, slug)
	} else {
		err = s.db.StartWatch(r.Context(), u.ID, kind, slug, string(web.Lang(r.Context())))
	}
	if err != nil {
		return err
	}
	if r.PostFormValue("back") == "watches" {
		http.Redirect(w, r, "/staff/watches", http.StatusSeeOther)
		return nil
	}
	http.Redirect(w, r, kind.Path(slug), http.StatusSeeOther)
	return nil
}

// handleWatches lists what the signed-in staff member watches, with the digest setting.
func (s *Server) handleWatches(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	list, err := s.db.UserWatches(r.Context(), u.ID)
	if err != nil {
		return err
	}
	digest, err := s.db.DigestOn(r.Context(), u.ID)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.WatchesPage(list, digest, s.opts.Mail))
}

// handleDigest turns the signed-in staff member's weekly digest on or off.
func (s *Server) handleDigest(w http.ResponseWriter, r *http.Request) error {
	u := currentUser(r.Context())
	if err := s.db.SetDigest(r.Context(), u.ID, r.PostFormValue("digest") == "on", string(web.Lang(r.Context()))); err != nil {
		return err
	}
	http.Redirect(w, r, "/staff/watches", http.StatusSeeOther)
	return nil
}

// handleVisitorWatch takes a visitor's email address for a record and sends the link that
// confirms it; the watch starts only once the link is followed. The answer is the same
// whether or not the address already watches the record.
func (s *Server) handleVisitorWatch(w http.ResponseWriter, r *http.Request) error {
	kind, slug, err := watchTarget(r)
	if err != nil {
		return err
	}
	on, err := s.db.VisitorWatches(r.Context())
	if err != nil {
		return err
	}
	if !on || !s.opts.Mail {
		return tracker.Errorf(tracker.EFORBIDDEN, "Watching by email is not offered on this site.")
	}
	name, err := s.db.WatchName(r.Context(), kind, slug)
	if err != nil {
		return err
	}
	typed := r.PostFormValue("email")
	refuse := func(status int, errs tracker.FieldErrors) error {
		return render(r.Context(), w, status, web.VisitorWatchPage(kind, slug, name, typed, errs))
	}
	email, ok := tracker.NormalEmail(typed)
	if !ok {
		return refuse(http.StatusUnprocessableEntity, tracker.FieldErrors{"email": "Enter an email address, such as name@example.org."})
	}
	token := newWatchToken()
	lang := string(web.Lang(r.Context()))
	m, err := web.ConfirmMail(r.Context(), s.baseURL(r), email, tracker.Watch{Kind: kind, Slug: slug, Name: name, Lang: lang}, token)
	if err != nil {
		return err
	}
	err = s.db.RequestVisitorWatch(r.Context(), kind, slug, lang, s.clientAddress(r), postgres.HashToken(token), visitorLimits, m)
	if tracker.ErrorCode(err) == tracker.ETOOMANY {
		w.Header().Set("Retry-After", "3600")
		return refuse(http.StatusTooManyRequests, tracker.FieldErrors{"email": "A confirmation email was sent a short while ago. Please wait an hour before asking for another."})
	} else if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.WatchRequestedPage(kind, slug, name))
}

// linkToken is the token of a confirmation or unsubscribe link: in the address, or in the
// form its page posts.
func linkToken(r *http.Request) []byte {
	t := r.URL.Query().Get("token")
	if t == "" {
		t = r.PostFormValue("token")
	}
	return postgres.HashToken(strings.TrimSpace(t))
}

// handleConfirmWatchForm asks the visitor to press a button to start the watch: a link
// followed by a mail scanner starts nothing.
func (s *Server) handleConfirmWatchForm(w http.ResponseWriter, r *http.Request) error {
	wt, err := s.db.PendingWatch(r.Context(), linkToken(r))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ConfirmWatchPage(wt, r.URL.Query().Get("token"), false))
}

// handleConfirmWatch starts a visitor's watch.
func (s *Server) handleConfirmWatch(w http.ResponseWriter, r *http.Request) error {
	wt, err := s.db.ConfirmWatch(r.Context(), linkToken(r))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ConfirmWatchPage(wt, "", true))
}

// handleUnsubscribeForm asks to confirm ending a watch, without signing in.
func (s *Server) handleUnsubscribeForm(w http.ResponseWriter, r *http.Request) error {
	wt, err := s.db.TokenWatch(r.Context(), linkToken(r))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.UnsubscribePage(wt, r.URL.Query().Get("token"), false))
}

// handleUnsubscribe ends a watch: from the page's button, or a mail program's one-click
// POST (RFC 8058: the token in the address, "List-Unsubscribe=One-Click" in the body).
func (s *Server) handleUnsubscribe(w http.ResponseWriter, r *http.Request) error {
	wt, err := s.db.Unsubscribe(r.Context(), linkToken(r))
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.UnsubscribePage(wt, "", true))
}

// mailQueueShown is how many waiting or failed emails the admin page lists.
const mailQueueShown = 100

// handleMailAdmin shows admins the visitors' switch and the mail queue.
func (s *Server) handleMailAdmin(w http.ResponseWriter, r *http.Request) error {
	on, err := s.db.VisitorWatches(r.Context())
	if err != nil {
		return err
	}
	counts, list, err := s.db.MailQueue(r.Context(), mailQueueShown)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.MailAdminPage(on, s.opts.Mail, counts, list))
}

// handleVisitorWatchSetting lets visitors watch by email, or stops it.
func (s *Server) handleVisitorWatchSetting(w http.ResponseWriter, r *http.Request) error {
	on, err := strconv.ParseBool(r.PostFormValue("visitor_watches"))
	if err != nil {
		return tracker.Errorf(tracker.EINVALID, "Choose whether visitors may watch records by email.")
	}
	if err := s.db.SetVisitorWatches(r.Context(), actor(r.Context()), on); err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/mail", http.StatusSeeOther)
	return nil
}
