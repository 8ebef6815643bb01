package loadgen_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/loadgen"
)

func TestRunCountsRequestsErrorsAndLatency(t *testing.T) {
	var n atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n.Add(1)%4 == 0 {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	res := loadgen.Run(context.Background(), loadgen.NewClient(4), []string{srv.URL}, 4, 300*time.Millisecond)
	if res.Requests == 0 || int64(res.Requests) != n.Load() {
		t.Fatalf("counted %d requests, server saw %d", res.Requests, n.Load())
	}
	if want := res.Requests / 4; res.Errors < want-4 || res.Errors > want+4 {
		t.Errorf("%d errors in %d requests, want about a quarter", res.Errors, res.Requests)
	}
	if p50, p99 := res.Percentile(50), res.Percentile(99); p50 < 0 || p99 < 2*time.Millisecond || p99 < p50 {
		t.Errorf("p50 %s, p99 %s", p50, p99)
	}
	if res.RPS() <= 0 {
		t.Errorf("RPS = %f", res.RPS())
	}
}

func TestWrkCountsRequestsErrorsAndLatency(t *testing.T) {
	if !loadgen.HaveWrk() {
		if os.Getenv("CI") == "true" {
			t.Fatal("wrk is not installed; CI installs it (apt-get install wrk)")
		}
		t.Skip("wrk is not installed (apt-get install wrk); make bench installs it")
	}
	var n, cookies atomic.Int64
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Cookie") == "s=1" {
			cookies.Add(1)
		}
		if n.Add(1)%4 == 0 {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		time.Sleep(2 * time.Millisecond)
	}))
	defer srv.Close()
	res, err := loadgen.Wrk(context.Background(), srv.URL, 4, 1, time.Second, "Cookie: s=1")
	if err != nil {
		t.Fatal(err)
	}
	// wrk may cut requests in flight at the end: it counts only those answered.
	if res.Requests == 0 || int64(res.Requests) > n.Load() || n.Load()-int64(res.Requests) > 4 {
		t.Fatalf("counted %d requests, server saw %d", res.Requests, n.Load())
	}
	if cookies.Load() != n.Load() {
		t.Errorf("%d of %d requests carried the header", cookies.Load(), n.Load())
	}
	if want := res.Requests / 4; res.Errors < want-4 || res.Errors > want+4 {
		t.Errorf("%d errors in %d requests, want about a quarter", res.Errors, res.Requests)
	}
	if p50, p95, p99 := res.Percentile(50), res.Percentile(95), res.Percentile(99); p50 <= 0 || p99 < 2*time.Millisecond || p95 < p50 || p99 < p95 {
		t.Errorf("p50 %s, p95 %s, p99 %s", p50, p95, p99)
	}
	if res.RPS() <= 0 {
		t.Errorf("RPS = %f", res.RPS())
	}
}
