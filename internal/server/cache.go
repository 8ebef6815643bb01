package server

import (
	"bytes"
	"compress/gzip"
	"container/list"
	"fmt"
	"hash/fnv"
	"net/http"
	"strconv"
	"strings"
	"sync"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/web"
)

// pageCache keeps rendered public pages and API answers, each tagged with the data version
// it was rendered at. A request first learns the current version (dataVersion: from the
// version watcher, in memory, so a hit makes no round trip; from the database while the
// watcher is not sure of it); an entry of that version is served as it is, anything else
// is rendered afresh. Two servers on one database therefore agree as soon as each has
// heard of a change (at its commit), and a change is visible on the next request. Least
// recently used entries go first once maxBytes is reached.
type pageCache struct {
	mu       sync.Mutex
	maxBytes int64
	size     int64
	lru      *list.List // of *cachedPage, most recent first
	byKey    map[string]*list.Element
	renders  map[renderKey]*pageRender // pages being rendered now
}

// A pageRender is one request rendering a page that others asking for the same page at the
// same version wait for, instead of each rendering it again: after a write, every page
// is missing from the cache at once, and fifty visitors of one page would otherwise cost
// fifty renders at the same moment (measured: the resolution page's p99 at 64
// connections went from 25 ms to 380 ms when its first requests all came together).
type pageRender struct {
	done chan struct{}
	page *cachedPage // set before done is closed; nil if the render gave no 200
}

type renderKey struct {
	key     string
	version int64
}

// startRender makes the caller the renderer of key at version, or returns the render
// already under way (leader false) to wait for.
func (c *pageCache) startRender(key string, version int64) (r *pageRender, leader bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	k := renderKey{key, version}
	if r := c.renders[k]; r != nil {
		return r, false
	}
	r = &pageRender{done: make(chan struct{})}
	c.renders[k] = r
	return r, true
}

// endRender hands the render's page (nil if none) to those waiting for it.
func (c *pageCache) endRender(key string, version int64, r *pageRender, p *cachedPage) {
	c.mu.Lock()
	delete(c.renders, renderKey{key, version})
	c.mu.Unlock()
	r.page = p
	close(r.done)
}

type cachedPage struct {
	key         string
	version     int64
	contentType string
	etag        string
	body        []byte
	gzipped     []byte // body compressed once when stored, for clients that accept gzip; nil where it would not save
}

// cost is the memory a cached page is counted for.
func (p *cachedPage) cost() int64 { return int64(len(p.body) + len(p.gzipped) + len(p.key) + 128) }

// compress fills p.gzipped, once, as the page is stored: every browser accepts gzip, and a
// page sent in a quarter of its bytes costs the server (and a visitor on a slow line) less
// each time it is served than compressing it cost once. Small or incompressible bodies
// are sent as they are.
func (p *cachedPage) compress() {
	if len(p.body) < 1024 {
		return
	}
	var b bytes.Buffer
	zw, _ := gzip.NewWriterLevel(&b, gzip.DefaultCompression)
	_, _ = zw.Write(p.body)
	if zw.Close() != nil || b.Len() > len(p.body)*9/10 {
		return
	}
	p.gzipped = b.Bytes()
}

func newPageCache(maxBytes int64) *pageCache {
	if maxBytes <= 0 {
		return nil
	}
	return &pageCache{maxBytes: maxBytes, lru: list.New(), byKey: map[string]*list.Element{}, renders: map[renderKey]*pageRender{}}
}

func (c *pageCache) get(key string, version int64) *cachedPage {
	c.mu.Lock()
	defer c.mu.Unlock()
	el, ok := c.byKey[key]
	if !ok {
		return nil
	}
	p := el.Value.(*cachedPage)
	if p.version != version {
		return nil
	}
	c.lru.MoveToFront(el)
	return p
}

// bytes is the memory the cached pages hold, for /metrics.
func (c *pageCache) bytes() int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.size
}

// put stores a page unless a page of a newer version is already there: a slow request
// that read an older version must not replace a fresher render.
func (c *pageCache) put(p *cachedPage) {
	cost := p.cost()
	if cost > c.maxBytes/8 {
		return // one page may not crowd out the rest
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if el, ok := c.byKey[p.key]; ok {
		old := el.Value.(*cachedPage)
		if old.version > p.version {
			return
		}
		c.size -= old.cost()
		c.lru.Remove(el)
	}
	c.byKey[p.key] = c.lru.PushFront(p)
	c.size += cost
	for c.size > c.maxBytes {
		last := c.lru.Back()
		old := last.Value.(*cachedPage)
		c.lru.Remove(last)
		delete(c.byKey, old.key)
		c.size -= old.cost()
	}
}

// bufferedResponse holds a handler's response so it can be stored before it is sent.
type bufferedResponse struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferedResponse) Header() http.Header { return b.header }
func (b *bufferedResponse) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}
func (b *bufferedResponse) WriteHeader(status int) {
	if b.status == 0 {
		b.status = status
	}
}

// cachePages serves GET and HEAD requests from the page cache when the data has not
// changed since they were rendered, and answers 304 to a client that holds the same page.
// Only 200 answers are kept; errors are always rendered afresh.
func (s *Server) cachePages(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Staff see internal notes and forms: their pages are never cached or served from cache.
		if s.pages == nil || (r.Method != http.MethodGet && r.Method != http.MethodHead) || currentUser(r.Context()) != nil {
			next.ServeHTTP(w, r)
			return
		}
		version, err := s.dataVersion(r)
		if err != nil {
			s.fail(w, r, err)
			return
		}
		s.metrics.sawVersion(version)
		// Each language is a page of its own: the same address serves all three.
		key := string(web.Lang(r.Context())) + " " + r.URL.RequestURI()
		if p := s.pages.get(key, version); p != nil {
			s.metrics.cacheHits.Inc()
			s.markCache(w, "hit")
			writeCached(w, r, p)
			return
		}
		rn, leader := s.pages.startRender(key, version)
		if !leader {
			select {
			case <-rn.done:
				if rn.page != nil {
					s.metrics.cacheHits.Inc()
					s.markCache(w, "hit")
					writeCached(w, r, rn.page)
					return
				}
				// The render gave no page (an error, or its client left): render our own.
			case <-r.Context().Done():
				// Our own render below answers as a request out of time does.
			}
		}
		s.metrics.cacheMisses.Inc()
		buf := &bufferedResponse{header: w.Header()}
		p := s.renderToCache(next, buf, r, key, version, rn, leader)
		if p == nil {
			w.WriteHeader(buf.status)
			_, _ = w.Write(buf.body.Bytes())
			return
		}
		s.markCache(w, "miss")
		writeCached(w, r, p)
	})
}

// renderToCache renders a page into buf and, if it is a 200, stores it and returns it. The
// renderer lets those waiting for its render go as soon as the page is rendered, before it
// sends the page to its own client, which may be slow to read; deferred, so that an error
// or a panic in the handler lets them go too.
func (s *Server) renderToCache(next http.Handler, buf *bufferedResponse, r *http.Request, key string, version int64, rn *pageRender, leader bool) (p *cachedPage) {
	if leader {
		defer func() { s.pages.endRender(key, version, rn, p) }()
	}
	next.ServeHTTP(buf, r)
	if buf.status != http.StatusOK {
		return nil
	}
	h := fnv.New64a()
	_, _ = h.Write(buf.body.Bytes())
	p = &cachedPage{key: key, version: version, contentType: buf.header.Get("Content-Type"),
		etag: fmt.Sprintf(`"%d-%x"`, version, h.Sum64()), body: buf.body.Bytes()}
	p.compress()
	s.pages.put(p)
	return p
}

// markCache says in X-Cache whether the page came from the cache, for tests and
// benchmarks only: in production it would tell anyone which pages others have just read.
func (s *Server) markCache(w http.ResponseWriter, hitOrMiss string) {
	if s.opts.TestEndpoints {
		w.Header().Set("X-Cache", hitOrMiss)
	}
}

// dataVersion is the public data version a page or export is filed under (the version
// watcher's when it is sure of it, with no round trip; else read from the database, so a
// lost watcher connection never serves a stale page), and sees
// that the request's reads, when a replica answers them, come from one that has replayed
// the data at least that far: a page rendered from a replica further behind would be filed
// under a version whose data it does not show.
func (s *Server) dataVersion(r *http.Request) (int64, error) {
	version, pos, err := s.db.DataVersionAt(r.Context())
	postgres.NeedReplayed(r.Context(), pos)
	return version, err
}

// writeCached sends a cached page, gzipped to a client that accepts it. The two encodings
// are two representations with ETags of their own (RFC 9110 §8.8.3), so a 304 never tells
// a client to keep bytes in the other encoding.
func writeCached(w http.ResponseWriter, r *http.Request, p *cachedPage) {
	h := w.Header()
	h.Set("Content-Type", p.contentType)
	h.Set("Cache-Control", "no-cache") // browsers may keep it, but must ask again
	body, etag := p.body, p.etag
	if p.gzipped != nil {
		h.Add("Vary", "Accept-Encoding")
		if acceptsGzip(r.Header.Values("Accept-Encoding")) {
			body, etag = p.gzipped, strings.TrimSuffix(p.etag, `"`)+`-gz"`
			h.Set("Content-Encoding", "gzip")
		}
	}
	h.Set("ETag", etag)
	if noneMatch(r.Header.Values("If-None-Match"), etag) {
		h.Del("Content-Encoding")
		w.WriteHeader(http.StatusNotModified)
		return
	}
	h.Set("Content-Length", strconv.Itoa(len(body)))
	w.WriteHeader(http.StatusOK)
	if r.Method != http.MethodHead {
		_, _ = w.Write(body)
	}
}

// acceptsGzip says whether Accept-Encoding headers accept gzip: named (or x-gzip, or *)
// without q=0.
func acceptsGzip(headers []string) bool {
	for _, h := range headers {
		for _, item := range strings.Split(h, ",") {
			coding, params, _ := strings.Cut(item, ";")
			coding = strings.ToLower(strings.TrimSpace(coding))
			if coding != "gzip" && coding != "x-gzip" && coding != "*" {
				continue
			}
			q := strings.ReplaceAll(strings.ToLower(params), " ", "")
			if q == "q=0" || strings.HasPrefix(q, "q=0.") && strings.Trim(q[4:], "0") == "" {
				continue
			}
			return true
		}
	}
	return false
}

// noneMatch says whether an If-None-Match header (each of its values a list of entity
// tags, or "*") names etag, compared weakly as RFC 9110 §13.1.2 asks: W/"x" matches "x".
func noneMatch(headers []string, etag string) bool {
	etag = strings.TrimPrefix(etag, "W/")
	for _, h := range headers {
		for h = strings.TrimSpace(h); h != ""; h = strings.TrimSpace(h) {
			if h[0] == ',' {
				h = h[1:]
				continue
			}
			if h[0] == '*' {
				return true
			}
			h = strings.TrimPrefix(h, "W/")
			if !strings.HasPrefix(h, `"`) {
				return false // not an entity tag: ignore the rest, as a malformed header
			}
			end := strings.IndexByte(h[1:], '"')
			if end < 0 {
				return false
			}
			if h[:end+2] == etag {
				return true
			}
			h = h[end+2:]
		}
	}
	return false
}
