package server

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// An export (the dossiers zip, the CSVs) is built whole into a file before a byte is sent,
// then served from that file with its Content-Length. So a download is complete or visibly
// fails (a failed build answers an error page, never a 200), no database connection waits
// on a client that reads slowly, and the file is kept and served again until the data
// changes: it is keyed by the data version, the profile and the language it was built for.

// exportStall is how long a download may go without the client taking any bytes before
// it is dropped: a client that never reads holds nothing for longer.
const exportStall = 30 * time.Second

// exportStore keeps the latest built file of each export, and runs the builds: one at a
// time per client and at most maxBuilds at once; a request for a file already being built
// waits for that build rather than starting another.
type exportStore struct {
	dir       string // made on first use when empty (guarded by mu)
	maxBuilds int
	timeout   time.Duration

	mu      sync.Mutex
	kept    map[string]*keptExport  // by export name and profile: the newest whole file
	builds  map[string]*exportBuild // in progress, by key (name, profile and version)
	clients map[string]bool         // clients with a build of theirs in progress
}

// inProgress is how many exports are being built now, for /metrics.
func (st *exportStore) inProgress() int {
	st.mu.Lock()
	defer st.mu.Unlock()
	return len(st.builds)
}

// keptExport is one built file.
type keptExport struct {
	key     string
	version int64
	path    string
	etag    string
	builtAt time.Time
}

// exportBuild is a build in progress; done closes when file or err is set.
type exportBuild struct {
	done chan struct{}
	file *keptExport
	err  error
}

func newExportStore(dir string, maxBuilds int, timeout time.Duration) *exportStore {
	return &exportStore{dir: dir, maxBuilds: maxBuilds, timeout: timeout,
		kept: map[string]*keptExport{}, builds: map[string]*exportBuild{}, clients: map[string]bool{}}
}

// export describes one export: its name, who it is for, and how it is written.
type export struct {
	name        string // file name stem: "dossiers", "people", "cases"
	ext         string // "zip", "csv"
	contentType string
	profile     dossier.Profile
	lang        i18n.Lang // the language it is written in, where it has words of its own (the dossiers); "" for none
	variant     string    // the filter it was asked with, as a canonical query string; "" for all
	write       func(ctx context.Context, w io.Writer) error
}

func (e export) kind() string {
	k := e.name + "-" + string(e.profile)
	if e.lang != "" && e.lang != i18n.EN { // English keeps the name it always had
		k += "-" + string(e.lang)
	}
	if e.variant != "" {
		sum := sha256.Sum256([]byte(e.variant))
		k += "-" + hex.EncodeToString(sum[:8])
	}
	return k + "." + e.ext
}

// maxKeptFiltered is how many files of filtered exports are kept at once: the filters
// come from visitors' addresses, so their number must not grow the folder without end.
const maxKeptFiltered = 32

// get returns the file of e at data version version: the kept one, the one being built, or
// a new build. A client that already has a build running, or a request finding every build
// slot taken, gets ETOOMANY.
func (s *Server) getExport(ctx context.Context, e export, version int64, client string) (*keptExport, error) {
	st := s.exports
	key := fmt.Sprintf("%s@%d", e.kind(), version)
	if e.variant != "" {
		key += "~" // marks a filtered export, of which only maxKeptFiltered are kept
	}
	st.mu.Lock()
	if k := st.kept[e.kind()]; k != nil && k.version == version {
		st.mu.Unlock()
		return k, nil
	}
	b := st.builds[key]
	if b == nil {
		if st.clients[client] {
			st.mu.Unlock()
			return nil, tracker.Errorf(tracker.ETOOMANY, "An export you asked for is still being prepared. Please wait for it before asking for another.")
		}
		if len(st.builds) >= st.maxBuilds {
			st.mu.Unlock()
			return nil, tracker.Errorf(tracker.ETOOMANY, "Other exports are being prepared just now. Please try again in a minute.")
		}
		b = &exportBuild{done: make(chan struct{})}
		st.builds[key] = b
		st.clients[client] = true
		// The build goes on if the client leaves, so the next request finds it done; it
		// keeps the request's values (its id, for the log) but has its own time limit.
		bctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), st.timeout)
		go func() {
			defer cancel()
			file, err := s.buildExport(bctx, e, key, version)
			st.mu.Lock()
			delete(st.builds, key)
			delete(st.clients, client)
			if err == nil {
				if old := st.kept[e.kind()]; old == nil || old.version <= version {
					if old == nil && e.variant != "" {
						st.dropOldestFiltered()
					}
					st.kept[e.kind()] = file
					if old != nil && old.path != file.path {
						// A request that found the old file has opened it by now or will retry.
						os.Remove(old.path)
					}
				}
			}
			b.file, b.err = file, err
			st.mu.Unlock()
			close(b.done)
		}()
	}
	st.mu.Unlock()
	select {
	case <-b.done:
		return b.file, b.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

// dropOldestFiltered removes the oldest kept filtered export when maxKeptFiltered are kept
// (st.mu held). A request that found it has opened it by now or will ask again.
func (st *exportStore) dropOldestFiltered() {
	var oldest string
	n := 0
	for kind, k := range st.kept {
		if !strings.Contains(k.key, "~") {
			continue
		}
		n++
		if oldest == "" || k.builtAt.Before(st.kept[oldest].builtAt) {
			oldest = kind
		}
	}
	if n >= maxKeptFiltered {
		os.Remove(st.kept[oldest].path)
		delete(st.kept, oldest)
	}
}

// buildExport writes e to a new file in the store's folder, whole or not at all.
func (s *Server) buildExport(ctx context.Context, e export, key string, version int64) (*keptExport, error) {
	st := s.exports
	start := time.Now()
	st.mu.Lock()
	if st.dir == "" {
		// A folder of this server's own, made only when an export is first built: no other
		// process's files can pass for its exports.
		dir, err := os.MkdirTemp("", "whereas-exports-")
		if err != nil {
			st.mu.Unlock()
			return nil, fmt.Errorf("export folder: %w", err)
		}
		st.dir = dir
	}
	dir := st.dir
	st.mu.Unlock()
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("export folder: %w", err)
	}
	f, err := os.CreateTemp(dir, ".building-*")
	if err != nil {
		return nil, fmt.Errorf("export file: %w", err)
	}
	defer os.Remove(f.Name()) // gone unless renamed below
	defer f.Close()
	sum := sha256.New()
	bw := bufio.NewWriterSize(io.MultiWriter(f, sum), 256<<10)
	err = e.write(ctx, bw)
	if err == nil {
		err = bw.Flush()
	}
	if err == nil {
		err = f.Close()
	}
	if err != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			err = tracker.Errorf(tracker.EUNAVAILABLE, "Preparing this export took longer than the %s allowed, so it was stopped. Please try again later.", st.timeout)
		}
		s.log.Error("export failed", "export", e.kind(), "version", version, "request_id", RequestID(ctx), "err", err)
		return nil, err
	}
	path := filepath.Join(dir, fmt.Sprintf("%s-v%d.%s", strings.TrimSuffix(e.kind(), "."+e.ext), version, e.ext))
	if err := os.Rename(f.Name(), path); err != nil {
		return nil, fmt.Errorf("export file: %w", err)
	}
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	s.log.Info("export built", "export", e.kind(), "version", version, "bytes", info.Size(),
		"seconds", time.Since(start).Seconds(), "request_id", RequestID(ctx))
	return &keptExport{key: key, version: version, path: path, builtAt: time.Now(),
		etag: `"` + hex.EncodeToString(sum.Sum(nil))[:32] + `"`}, nil
}

// serveExport answers a request for e: the kept file when the data has not changed, a new
// build otherwise; either way the file is whole before the status line goes out.
func (s *Server) serveExport(w http.ResponseWriter, r *http.Request, e export, filename string) error {
	version, err := s.dataVersion(r)
	if err != nil {
		return err
	}
	// The file may be replaced by a newer one between finding and opening it: ask again.
	for attempt := 0; ; attempt++ {
		k, err := s.getExport(r.Context(), e, version, s.clientAddress(r))
		if tracker.ErrorCode(err) == tracker.ETOOMANY {
			w.Header().Set("Retry-After", "60")
		}
		if err != nil {
			return err
		}
		f, err := os.Open(k.path)
		if errors.Is(err, os.ErrNotExist) && attempt < 3 {
			continue
		} else if err != nil {
			return err
		}
		defer f.Close()
		h := w.Header()
		h.Set("Content-Type", e.contentType)
		h.Set("Content-Disposition", `attachment; filename="`+filename+`"`)
		h.Set("ETag", k.etag)
		// Public exports may be kept by browsers and proxies, but must be checked again:
		// the ETag answers 304 while the file is unchanged.
		h.Set("Cache-Control", "no-cache")
		if e.profile != dossier.Public {
			h.Set("Cache-Control", "private, no-store")
		}
		http.ServeContent(&stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), end: time.Now().Add(s.opts.ExportTimeout)}, r, "", k.builtAt, f)
		return nil
	}
}

// stallDeadline is the deadline of the next read or write of a transfer that must move
// within stall and end by end.
func stallDeadline(stall time.Duration, end time.Time) time.Time {
	if d := time.Now().Add(stall); d.Before(end) {
		return d
	}
	return end
}

// stallWriter sends a download while the client keeps reading: each write must finish
// within exportStall, and the whole within the export time limit. It hides the
// connection's ReadFrom so that the deadline is renewed chunk by chunk.
type stallWriter struct {
	http.ResponseWriter
	rc  *http.ResponseController
	end time.Time
}

func (w *stallWriter) Write(p []byte) (int, error) {
	d := stallDeadline(exportStall, w.end)
	_ = w.rc.SetWriteDeadline(d)
	return w.ResponseWriter.Write(p)
}

// exportTime lifts the request time limit for the routes it wraps: waiting for a build is
// bounded by the build's own limit, and sending by stallWriter, so the request itself ends
// only when the client goes away.
func (s *Server) exportTime(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
		defer cancel()
		if client, ok := r.Context().Value(untimedKey).(context.Context); ok {
			stop := context.AfterFunc(client, cancel)
			defer stop()
		}
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}
