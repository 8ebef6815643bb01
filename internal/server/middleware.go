package server

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io/fs"
	"net/http"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

type ctxKey int

const (
	requestIDKey ctxKey = iota
	untimedKey          // the request's context before the timeout middleware, for exportTime
)

// RequestID returns the id the requestID middleware gave this request, or "".
func RequestID(ctx context.Context) string {
	id, _ := ctx.Value(requestIDKey).(string)
	return id
}

// requestID gives every request a random id, returned in X-Request-Id and written in every
// log line and error page, so a user's report can be matched with the log.
func (s *Server) requestID(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		_, _ = rand.Read(b)
		id := hex.EncodeToString(b)
		w.Header().Set("X-Request-Id", id)
		next.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), requestIDKey, id)))
	})
}

// statusRecorder remembers the status and size of a response for the request log.
type statusRecorder struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (r *statusRecorder) WriteHeader(status int) {
	if r.status == 0 {
		r.status = status
	}
	r.ResponseWriter.WriteHeader(status)
}

func (r *statusRecorder) Write(b []byte) (int, error) {
	if r.status == 0 {
		r.status = http.StatusOK
	}
	n, err := r.ResponseWriter.Write(b)
	r.bytes += n
	return n, err
}

func (r *statusRecorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }

// logRequests writes one structured line per request.
func (s *Server) logRequests(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		next.ServeHTTP(rec, r)
		if rec.status == 0 {
			rec.status = http.StatusOK
		}
		s.metrics.observe(r, rec.status, time.Since(start))
		s.log.InfoContext(r.Context(), "request",
			"method", r.Method, "path", r.URL.Path, "status", rec.status,
			"duration_ms", float64(time.Since(start).Microseconds())/1000, "bytes", rec.bytes,
			"request_id", RequestID(r.Context()))
	})
}

// recoverPanics turns a panic in a handler into the 500 page, logged with its request id.
func (s *Server) recoverPanics(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if v := recover(); v != nil {
				if v == http.ErrAbortHandler {
					panic(v)
				}
				s.fail(w, r, fmt.Errorf("panic: %v", v))
			}
		}()
		next.ServeHTTP(w, r)
	})
}

// timeout bounds each request's work, database calls included, so nothing hangs when the
// database stops answering.
func (s *Server) timeout(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(context.WithValue(r.Context(), untimedKey, r.Context()), s.opts.RequestTimeout)
		defer cancel()
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// siteAddress gives pages the site's public address (WHEREAS_PUBLIC_URL), for the absolute
// addresses of shared links (og:url); without it they carry none, never the request's Host.
func (s *Server) siteAddress(next http.Handler) http.Handler {
	if s.opts.PublicURL == "" {
		return next
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		next.ServeHTTP(w, r.WithContext(web.WithPublicURL(r.Context(), s.opts.PublicURL)))
	})
}

// securityHeaders sets the headers every response carries: no inline script or style,
// no framing, no MIME sniffing, and a referrer that leaves the site with the origin only.
// A site served over TLS (Options.SecureCookies) also tells browsers to use nothing else
// for a year, so a network attacker cannot downgrade a later visit to plain HTTP.
func (s *Server) securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		if s.opts.SecureCookies {
			h.Set("Strict-Transport-Security", "max-age=31536000")
		}
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		h.Set("X-Frame-Options", "DENY")
		next.ServeHTTP(w, r)
	})
}

// staticFiles serves the embedded stylesheet and scripts, cacheable for a day.
func staticFiles(fsys fs.FS) http.Handler {
	fileServer := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		fileServer.ServeHTTP(w, r)
	})
}

// limitBody refuses a request whose declared body exceeds the cap, and stops reading any
// body at the cap, so no client can make the server buffer without end.
func (s *Server) limitBody(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// An upload form whose file is too large is answered by its handler, which shows the
		// form again with the rest of the input: its body is cut at the cap instead.
		if limit := s.bodyCap(r); r.ContentLength > limit && !isUpload(r) {
			s.fail(w, r, tracker.Errorf(tracker.ETOOLARGE, "The request body is larger than the %d bytes this server accepts.", limit))
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, s.bodyCap(r))
		next.ServeHTTP(w, r)
	})
}

// bodyCap is the largest body r may send: Options.MaxBodyBytes, except that an upload may
// hold a file of Options.MaxUploadBytes and its fields, and that a new import
// (a resolution's text, uploaded or pasted) may always hold a text of the importer's limit,
// and so may the review page's one form, which sends every decision about such a text.
func (s *Server) bodyCap(r *http.Request) int64 {
	if isUpload(r) {
		return max(s.opts.MaxBodyBytes, s.opts.MaxUploadBytes+uploadSlack)
	}
	if r.Method == http.MethodPost && strings.HasPrefix(r.URL.Path, "/admin/imports") {
		return max(s.opts.MaxBodyBytes, importer.MaxSourceBytes+64<<10)
	}
	return s.opts.MaxBodyBytes
}

// langCookie keeps the language a visitor chose with ?lang= for their later visits.
const langCookie = "whereas_lang"

// chooseLanguage picks the language every page of the request speaks (i18n.Negotiate:
// ?lang=, else the cookie, else Accept-Language, else English) and keeps a choice made
// with ?lang= in a cookie for a year, so the switcher's choice holds on every later page.
// Responses say their language (Content-Language) and that it depends on the request's
// (Vary), so no shared cache hands one visitor's Russian page to another's English browser.
func (s *Server) chooseLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var cookie string
		if c, err := r.Cookie(langCookie); err == nil {
			cookie = c.Value
		}
		query := r.URL.Query().Get("lang")
		l := i18n.Negotiate(query, cookie, r.Header.Get("Accept-Language"))
		h := w.Header()
		if chosen, ok := i18n.Parse(query); ok && string(chosen) != cookie {
			h.Add("Set-Cookie", (&http.Cookie{Name: langCookie, Value: string(chosen), Path: "/", MaxAge: 365 * 24 * 3600,
				HttpOnly: true, Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode}).String())
		}
		h.Set("Content-Language", string(l))
		h.Add("Vary", "Accept-Language, Cookie")
		ctx := web.WithAddress(web.WithLang(r.Context(), l), r.Method, r.URL, r.Header.Get("Referer"))
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
