// Package server is Whereas's HTTP surface: one route table (routes.go), handlers grouped
// by area, middleware, and one error boundary that turns every failure into a page or a
// JSON error that tells the user what they can do and nothing about the system.
package server

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"runtime"
	"time"

	"github.com/a-h/templ"
	"github.com/alexedwards/scs/v2"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// Server holds the dependencies every handler needs; it is built once by New.
type Server struct {
	db       *postgres.DB
	log      *slog.Logger
	opts     Options
	pages    *pageCache // nil when Options.PageCacheBytes is 0
	exports  *exportStore
	sessions *scs.SessionManager
	hashes   *hashGate // bounds concurrent password hashing
	metrics  *metrics
}

// Options are the tunables of the HTTP layer.
type Options struct {
	RequestTimeout time.Duration  // cap on one request's work, database calls included
	MaxBodyBytes   int64          // cap on a request body
	TestEndpoints  bool           // serve /_test/select1 and /_test/sleep and mark cached answers with X-Cache, for benchmarks and fault tests
	PageCacheBytes int64          // memory for rendered public pages; 0 turns the cache off
	SecureCookies  bool           // mark the session cookie Secure: the site is served over TLS
	PublicURL      string         // the site's address for absolute links in exports; "" uses the request's host
	ExportTimeout  time.Duration  // cap on building one export and on sending it; 0 means 30 minutes
	ExportDir      string         // where built exports are kept; "" makes a folder in the system's temporary folder at the first build
	ExportBuilds   int            // exports built at once, all clients together; 0 means 2
	TrustedProxies []netip.Prefix // reverse proxies whose X-Forwarded-For names the client; none by default
	HashSlots      int            // password hashes run at once; 0 means one per core
	HashWait       time.Duration  // how long a sign-in waits for a hashing slot before 429; 0 means 3s
	Require2FA     bool           // send every signed-in account without two-factor sign-in to /staff/2fa first
	MetricsApart   bool           // serve /metrics on an address of its own (see Metrics), not on the main one
	Blobs          blob.Store     // where attachments' bytes are kept; nil means the database's own store
	MaxUploadBytes int64          // the largest file staff may attach; 0 means 25 MB
	Mail           bool           // emails are sent (WHEREAS_SMTP_URL): visitors may be offered watching by email
}

// DefaultMaxUploadBytes is the largest file staff may attach unless configured otherwise
// (WHEREAS_MAX_UPLOAD_BYTES): 25 MB.
const DefaultMaxUploadBytes = 25 << 20

// New returns the application's http.Handler with every route and middleware in place.
func New(db *postgres.DB, log *slog.Logger, opts Options) http.Handler {
	app, _ := Handlers(db, log, opts)
	return app
}

// Handlers returns the application's handler and its Prometheus metrics handler, for a
// server that serves /metrics on an address of its own (Options.MetricsApart): metrics
// tell anyone how busy the site is and which pages fail, which an operator may keep to a
// private network.
func Handlers(db *postgres.DB, log *slog.Logger, opts Options) (app, metrics http.Handler) {
	s := newServer(db, log, opts)
	return s.routes(), s.metrics.handler()
}

// newServer fills in the options' defaults and builds the Server behind New.
func newServer(db *postgres.DB, log *slog.Logger, opts Options) *Server {
	if opts.RequestTimeout <= 0 {
		opts.RequestTimeout = 10 * time.Second
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = 1 << 20
	}
	if opts.HashSlots <= 0 {
		opts.HashSlots = runtime.GOMAXPROCS(0)
	}
	if opts.HashWait <= 0 {
		opts.HashWait = 3 * time.Second
	}
	if opts.ExportTimeout <= 0 {
		opts.ExportTimeout = 30 * time.Minute
	}
	if opts.ExportBuilds <= 0 {
		opts.ExportBuilds = 2
	}
	if opts.MaxUploadBytes <= 0 {
		opts.MaxUploadBytes = DefaultMaxUploadBytes
	}
	if opts.Blobs == nil {
		opts.Blobs = db.Blobs()
	}
	s := &Server{db: db, log: log, opts: opts, pages: newPageCache(opts.PageCacheBytes), sessions: newSessions(db, opts.SecureCookies),
		exports: newExportStore(opts.ExportDir, opts.ExportBuilds, opts.ExportTimeout), hashes: newHashGate(opts.HashSlots, opts.HashWait)}
	s.sessions.ErrorFunc = s.sessionFailed
	s.metrics = newMetrics(s)
	return s
}

// handlerFunc is a handler that returns its error to the boundary instead of writing it.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

// handle adapts a handlerFunc to http.Handler through the error boundary.
func (s *Server) handle(h handlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if err := h(w, r); err != nil {
			s.fail(w, r, err)
		}
	}
}

// render writes a page. It renders into a buffer first, so a template that fails halfway
// yields a clean error page rather than half a page with a 200.
//
// A request that ran out of time is never answered 200 with what it had: whatever
// the handler read may be short, so it gets the 503 page instead.
func render(ctx context.Context, w http.ResponseWriter, status int, c templ.Component) error {
	var buf bytes.Buffer
	if err := c.Render(ctx, &buf); err != nil {
		return err
	}
	if status < 400 && errors.Is(ctx.Err(), context.DeadlineExceeded) {
		return tracker.Errorf(tracker.EUNAVAILABLE, "The request took too long. Please try again in a moment.")
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, err := buf.WriteTo(w)
	return err
}

// writeJSON writes v as the JSON response body with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	body, err := json.Marshal(v)
	if err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, err = w.Write(append(body, '\n'))
	return err
}
