package server

import (
	"net/http"
	"time"

	"github.com/whereas/whereas/internal/postgres"
)

// walCookie carries, to a client that has just written, the primary's WAL position after
// its write: until a replica has replayed that far the client's reads go to the primary,
// so its change never seems to be missing (read-your-writes). It is a cookie, not state
// kept by one server, so that it holds behind a load balancer across any number of
// servers. It gives no access to anything: a forged one can only send its sender's own
// reads to the primary.
const walCookie = "whereas_wal"

// walCookieAge is how long the position is kept: past it, a replica is either caught up
// or lags more than the maximum and is skipped anyway.
const walCookieAge = 5 * time.Minute

// chooseReads decides where the request's reads go. Anonymous GET and HEAD requests may
// be answered by a replica that has replayed the client's last write (walCookie); staff
// and every other request read the primary. A staff write that succeeds leaves the
// primary's position after it in walCookie. Without replicas it does nothing.
func (s *Server) chooseReads(next http.Handler) http.Handler {
	if !s.db.HasReplicas() {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx := r.Context()
		reading := r.Method == http.MethodGet || r.Method == http.MethodHead
		switch {
		case reading && currentUser(ctx) == nil:
			var after postgres.LSN
			if c, err := r.Cookie(walCookie); err == nil {
				after, _ = postgres.ParseLSN(c.Value)
			}
			r = r.WithContext(postgres.ReplicaReads(ctx, after))
		case !reading && currentUser(ctx) != nil:
			w = &beforeStatus{ResponseWriter: w, before: func(h http.Header, status int) { s.markWrite(r, h, status) }}
		}
		if reading && s.opts.TestEndpoints {
			w = &beforeStatus{ResponseWriter: w, before: func(h http.Header, _ int) { markRead(r, h) }}
		}
		next.ServeHTTP(w, r)
	})
}

// markWrite sets walCookie on a successful write's answer, just before its status goes
// out (after the handler's transaction has committed). Without the position the write
// still stands; the client may see it a moment late.
func (s *Server) markWrite(r *http.Request, h http.Header, status int) {
	if status >= 400 {
		return
	}
	if pos, err := s.db.WALPosition(r.Context()); err == nil {
		h.Add("Set-Cookie", (&http.Cookie{Name: walCookie, Value: pos.String(), Path: "/", MaxAge: int(walCookieAge.Seconds()),
			HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode}).String())
	}
}

// markRead says in X-Whereas-Read-From which server answered the request's reads
// ("primary" or "replica HOST:PORT/DB"), for tests and benchmarks only
// (Options.TestEndpoints): it would tell anyone the site's database addresses.
func markRead(r *http.Request, h http.Header) {
	switch from := postgres.ReadFrom(r.Context()); from {
	case "":
	case "primary":
		h.Set("X-Whereas-Read-From", from)
	default:
		h.Set("X-Whereas-Read-From", "replica "+from)
	}
}

// beforeStatus calls before once, with the status, just before the status line goes out,
// so that it may still set headers.
type beforeStatus struct {
	http.ResponseWriter
	before func(h http.Header, status int)
	done   bool
}

func (b *beforeStatus) WriteHeader(status int) {
	if !b.done {
		b.done = true
		b.before(b.Header(), status)
	}
	b.ResponseWriter.WriteHeader(status)
}

func (b *beforeStatus) Write(p []byte) (int, error) {
	if !b.done {
		b.WriteHeader(http.StatusOK)
	}
	return b.ResponseWriter.Write(p)
}

func (b *beforeStatus) Unwrap() http.ResponseWriter { return b.ResponseWriter }
