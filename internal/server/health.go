package server

import (
	"context"
	"net/http"
	"time"
)

// handleHealthz answers as long as the process serves requests.
func (s *Server) handleHealthz(w http.ResponseWriter, r *http.Request) {
	_ = writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

// handleReadyz answers 200 only while the database answers, so a load balancer stops
// sending traffic to an instance that cannot serve it.
func (s *Server) handleReadyz(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.db.Ping(ctx); err != nil {
		s.log.Warn("not ready", "request_id", RequestID(r.Context()), "err", err)
		_ = writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable", "error": "database unreachable"})
		return
	}
	_ = writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
}
