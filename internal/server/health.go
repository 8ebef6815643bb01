package server

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// handleHealthz answers as long as the process serves requests.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	_ = writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 200 only while the database answers and takes writes, so a load
// balancer stops sending traffic to an instance that cannot serve it.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ready(ctx); err != nil {
		s.log.Warn("not ready", "request_id", RequestID(r.Context()), "err", err)
		reason := "database unreachable"
		if errors.Is(err, postgres.ErrReadOnly) {
			reason = "database read-only"
		}
		w.Header().Set("Retry-After", "5")
		_ = writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": reason})
		return
	}
	_ = writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}

// handleSelect1 runs one SELECT 1 through the pool: the ceiling the load benchmark
// compares every page with. Served only with Options.TestEndpoints.
func (s *Server) handleSelect1(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.Select1(r.Context()); err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, map[string]int{"result": 1})
}

// handleSleep answers after ?ms= milliseconds (at most 5000), so fault tests can have a
// request in flight when the server is told to stop. Served only with Options.TestEndpoints.
func (s *Server) handleSleep(w http.ResponseWriter, r *http.Request) error {
	ms, err := strconv.Atoi(r.URL.Query().Get("ms"))
	if err != nil || ms < 0 || ms > 5000 {
		return tracker.Errorf(tracker.EINVALID, "ms must be a whole number from 0 to 5000.")
	}
	select {
	case <-time.After(time.Duration(ms) * time.Millisecond):
	case <-r.Context().Done():
		return tracker.Errorf(tracker.EUNAVAILABLE, "The request took too long.")
	}
	return writeJSON(w, http.StatusOK, map[string]int{"slept_ms": ms})
}
