package server

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
	"unicode"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// statusClientClosed is logged for a request whose client left before it was answered.
const statusClientClosed = 499

// statusOf maps error codes to HTTP statuses.
var statusOf = map[string]int{
	tracker.ECONFLICT:     http.StatusConflict,
	tracker.EINVALID:      http.StatusBadRequest,
	tracker.EMETHOD:       http.StatusMethodNotAllowed,
	tracker.ENOTFOUND:     http.StatusNotFound,
	tracker.ETOOLARGE:     http.StatusRequestEntityTooLarge,
	tracker.EUNAUTHORIZED: http.StatusUnauthorized,
	tracker.EFORBIDDEN:    http.StatusForbidden,
	tracker.ETOOMANY:      http.StatusTooManyRequests,
	tracker.EUNAVAILABLE:  http.StatusServiceUnavailable,
	tracker.EGONE:         http.StatusGone,
	tracker.EINTERNAL:     http.StatusInternalServerError,
}

// titleOf is the heading of the error page for each status.
var titleOf = map[int]string{
	http.StatusBadRequest:            "That request could not be understood",
	http.StatusUnauthorized:          "Please sign in",
	http.StatusForbidden:             "You cannot do this here",
	http.StatusNotFound:              "Page not found",
	http.StatusGone:                  "No longer published",
	http.StatusMethodNotAllowed:      "Not allowed here",
	http.StatusConflict:              "That conflicts with a change",
	http.StatusRequestEntityTooLarge: "That request is too large",
	http.StatusTooManyRequests:       "Too many requests",
	http.StatusServiceUnavailable:    "Temporarily unavailable",
	http.StatusInternalServerError:   "Something went wrong",
}

// fail is the one error boundary. Internal and unavailable errors are logged with the
// request id, and the user sees a fixed message and that id; every other error carries a
// message written for users. API paths answer JSON, everything else an HTML page.
func (s *Server) fail(w http.ResponseWriter, r *http.Request, err error) {
	if errors.Is(err, errAnswered) {
		return // the session's failure has been answered and logged already
	}
	if errors.Is(err, context.Canceled) && errors.Is(r.Context().Err(), context.Canceled) {
		// The client went away before the answer: nobody reads one, and nothing failed on
		// our side, so no error line. 499 is nginx's "client closed request", for the log.
		s.log.InfoContext(r.Context(), "client closed the request", "request_id", RequestID(r.Context()), "path", r.URL.Path)
		w.WriteHeader(statusClientClosed)
		return
	}
	var verr *tracker.ValidationError
	if errors.As(err, &verr) {
		// Forms handle their own validation errors; what reaches here is the API's.
		_ = writeJSON(w, http.StatusUnprocessableEntity, map[string]any{"error": "Some fields are not valid.", "fields": verr.Fields})
		return
	}
	code := tracker.ErrorCode(err)
	status, ok := statusOf[code]
	if !ok {
		status = http.StatusInternalServerError
	}
	id := RequestID(r.Context())
	message := tracker.ErrorMessage(err)
	if status >= 500 {
		s.log.ErrorContext(r.Context(), "request failed", "request_id", id, "method", r.Method, "path", r.URL.Path, "status", status, "err", err.Error())
	}
	if status == http.StatusInternalServerError {
		message = "Something went wrong on our side. If it happens again, please tell us the request id below."
	}
	if status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "5")
	}
	if status == http.StatusTooManyRequests && w.Header().Get("Retry-After") == "" {
		// Every 429 says when to come back; the busy password hasher is the usual cause.
		w.Header().Set("Retry-After", hashRetryAfter)
	}
	if isAPI(r) {
		body := map[string]string{"error": message}
		if status >= 500 {
			body["request_id"] = id
		}
		if err := writeJSON(w, status, body); err != nil {
			s.log.Warn("write error response", "request_id", id, "err", err)
		}
		return
	}
	// The request's own context may be past its deadline (that may be why it failed): the
	// page renders on one that is not cancelled, with a budget of its own.
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), errorPageBudget)
	defer cancel()
	var search string
	if status == http.StatusNotFound {
		search = searchWords(r.URL.Path)
	}
	if err := render(ctx, w, status, web.ErrorPage(status, titleOf[status], message, id, search)); err != nil {
		// The error page itself failed: fall back to plain text that still leaks nothing.
		s.log.Error("render error page", "request_id", id, "err", err)
		http.Error(w, "Something went wrong. Request id: "+id, status)
	}
}

// sectionWords are the parts of an address that name a kind of page, not what was sought.
var sectionWords = map[string]bool{"people": true, "cases": true, "organisations": true, "legal-provisions": true,
	"resolutions": true, "demands": true, "edit": true, "dossier": true, "scoreboard": true, "search": true}

// searchWords are the words of an address that found no page, for the 404's offer to
// search for them: "/people/rakhimov-x" → "rakhimov x". Only letters and digits are kept
// (at most eight words), so the offer can say nothing an address was made to make it say.
func searchWords(path string) string {
	var words []string
	for _, part := range strings.Split(path, "/") {
		if sectionWords[strings.ToLower(part)] {
			continue
		}
		for _, w := range strings.FieldsFunc(part, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if len(words) < 8 {
				words = append(words, tracker.Shorten(w, 30))
			}
		}
	}
	return strings.Join(words, " ")
}

// forbiddenCrossOrigin answers a state-changing request sent from another site with the
// styled 403 page rather than the standard library's plain text.
func (s *Server) forbiddenCrossOrigin(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, tracker.Errorf(tracker.EFORBIDDEN, "This form was sent from another site, so nothing was changed. Open the page on this site and send it from there."))
}

// errorPageBudget bounds how long an error page may take to render once the request's own
// time is up.
const errorPageBudget = 2 * time.Second

// sessionFailed is the session manager's ErrorFunc: a session that cannot be loaded or
// saved (the database down or read-only) is answered by the error boundary, like any other
// failure, instead of scs's plain-text 500 and its line in the standard logger. What the
// handler set up for its own answer is dropped, and guardSessions discards whatever it
// still writes.
func (s *Server) sessionFailed(w http.ResponseWriter, r *http.Request, err error) {
	for _, h := range []string{"Location", "Content-Disposition", "Content-Length", "ETag", "Last-Modified", "X-Cache"} {
		w.Header().Del(h)
	}
	s.fail(w, r, fmt.Errorf("session: %w", err))
	if g, ok := w.(*sessionGuard); ok {
		g.failed = true
	}
}

// guardSessions wraps the writer the session middleware writes to. scs saves the session
// when the handler starts its answer and, when that fails, calls its ErrorFunc and then
// lets the handler go on writing to the same writer; after sessionFailed has answered,
// the guard drops the rest, so the answer is the error page alone.
func guardSessions(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(&sessionGuard{ResponseWriter: w}, r)
	})
}

type sessionGuard struct {
	http.ResponseWriter
	failed bool
}

func (g *sessionGuard) WriteHeader(status int) {
	if !g.failed {
		g.ResponseWriter.WriteHeader(status)
	}
}

func (g *sessionGuard) Write(b []byte) (int, error) {
	if g.failed {
		return 0, errAnswered
	}
	return g.ResponseWriter.Write(b)
}

func (g *sessionGuard) Unwrap() http.ResponseWriter { return g.ResponseWriter }

// errAnswered tells a handler that its answer was replaced by an error page.
var errAnswered = errors.New("the answer was replaced by an error page")

func isAPI(r *http.Request) bool { return strings.HasPrefix(r.URL.Path, "/api/") }

// refused sorts the error of a write a form asked for: field errors to show beside the
// fields, or a conflict (someone else saved first) to show above them, both with the
// input kept; any other error is returned for the error boundary.
func refused(err error) (tracker.FieldErrors, string, error) {
	var verr *tracker.ValidationError
	switch {
	case errors.As(err, &verr):
		return verr.Fields, "", nil
	case tracker.ErrorCode(err) == tracker.ECONFLICT:
		return tracker.FieldErrors{}, tracker.ErrorMessage(err), nil
	}
	return nil, "", err
}
