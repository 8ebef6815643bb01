package server

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"runtime/debug"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/tracker"
)

// hashGate bounds how many password hashes run at once. Each argon2id hash holds 19 MiB
// for its whole run, so without a bound a burst of anonymous sign-in posts grows the
// server by 19 MiB per request; with one, the burst queues for a short, bounded time and
// the rest are told to come back (429), while pages keep being served.
type hashGate struct {
	slots chan struct{}
	wait  time.Duration
}

func newHashGate(n int, wait time.Duration) *hashGate {
	return &hashGate{slots: make(chan struct{}, n), wait: wait}
}

// errHashBusy is what a request gets when no hashing slot came free in time.
var errHashBusy = tracker.Errorf(tracker.ETOOMANY, "Too many sign-ins are being checked at this moment. Wait a few seconds, then try again.")

// do runs fn, which hashes, once a slot is free; errHashBusy when none came free within
// the gate's wait (or the request ended first).
func (g *hashGate) do(ctx context.Context, fn func() error) error {
	t := time.NewTimer(g.wait)
	defer t.Stop()
	select {
	case g.slots <- struct{}{}:
	case <-t.C:
		return errHashBusy
	case <-ctx.Done():
		return errHashBusy
	}
	defer func() {
		// The hash's 19 MiB is garbage now. Left to the collector's pacing, a burst lets
		// the heap grow to twice its peak (about 160 MB measured); collecting and returning
		// it at once costs a few milliseconds per sign-in, a human-paced event, and keeps the
		// server's memory near its resting size plus the slots in use.
		debug.FreeOSMemory()
		<-g.slots
	}()
	return fn()
}

// hashRetryAfter is the Retry-After, in seconds, sent with errHashBusy.
const hashRetryAfter = "2"

// hashPassword hashes a new password through the gate.
func (s *Server) hashPassword(ctx context.Context, pw string) (hash string, err error) {
	err = s.hashes.do(ctx, func() error {
		hash, err = auth.Hash(pw)
		return err
	})
	return hash, err
}

// trusted reports whether a is one of the configured reverse proxies.
func (s *Server) trusted(a netip.Addr) bool {
	a = a.Unmap()
	for _, p := range s.opts.TrustedProxies {
		if p.Contains(a) {
			return true
		}
	}
	return false
}

// clientAddress is the client's IP, for throttling by address. A request from a trusted
// proxy is attributed to the address that proxy saw, the rightmost X-Forwarded-For entry
// not itself a trusted proxy (entries further left are the client's to write, so cannot
// be believed); from anyone else X-Forwarded-For is ignored, since a client could send
// any address in it to escape the per-address limit.
func (s *Server) clientAddress(r *http.Request) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	peer, err := netip.ParseAddr(host)
	if err != nil || !s.trusted(peer) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		a, err := netip.ParseAddr(strings.TrimSpace(hops[i]))
		if err != nil {
			break // a garbled entry: trust nothing left of it
		}
		if !s.trusted(a) {
			return a.Unmap().String()
		}
		peer = a
	}
	return peer.Unmap().String()
}
