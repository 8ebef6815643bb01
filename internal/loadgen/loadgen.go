// Package loadgen drives HTTP load at a server from this machine and reports throughput
// and latency percentiles. It keeps every latency, so the percentiles are exact.
package loadgen

import (
	"context"
	"io"
	"net/http"
	"slices"
	"sync"
	"time"
)

// Result is what one run measured.
type Result struct {
	Requests  int
	Errors    int // transport errors and answers other than 2xx
	Elapsed   time.Duration
	latencies []time.Duration           // sorted
	fixed     map[float64]time.Duration // percentiles measured elsewhere (wrk), when latencies are not kept
}

// RPS is completed requests per second.
func (r Result) RPS() float64 {
	if r.Elapsed <= 0 {
		return 0
	}
	return float64(r.Requests) / r.Elapsed.Seconds()
}

// Percentile returns the latency below which p (0 to 100) per cent of requests finished.
// A result from Wrk knows the 50th, 90th, 95th and 99th only.
func (r Result) Percentile(p float64) time.Duration {
	if r.fixed != nil {
		return r.fixed[p]
	}
	if len(r.latencies) == 0 {
		return 0
	}
	i := int(float64(len(r.latencies)-1) * p / 100)
	return r.latencies[i]
}

// NewClient returns a client that keeps up to conns connections open to one host.
func NewClient(conns int) *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConns = conns
	t.MaxIdleConnsPerHost = conns
	t.MaxConnsPerHost = conns
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

// Run keeps conns requests in flight for d, cycling through urls, and returns what it saw.
// It stops by itself after d or when ctx ends.
func Run(ctx context.Context, client *http.Client, urls []string, conns int, d time.Duration) Result {
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	type part struct {
		n, errs int
		lat     []time.Duration
	}
	parts := make([]part, conns)
	var wg sync.WaitGroup
	start := time.Now()
	for w := range conns {
		wg.Add(1)
		go func() {
			defer wg.Done()
			p := &parts[w]
			for i := w; ctx.Err() == nil; i++ {
				req, _ := http.NewRequestWithContext(context.WithoutCancel(ctx), http.MethodGet, urls[i%len(urls)], nil)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
				}
				p.lat = append(p.lat, time.Since(t0))
				p.n++
				if err != nil || resp.StatusCode < 200 || resp.StatusCode > 299 {
					p.errs++
				}
			}
		}()
	}
	wg.Wait()
	r := Result{Elapsed: time.Since(start)}
	for _, p := range parts {
		r.Requests += p.n
		r.Errors += p.errs
		r.latencies = append(r.latencies, p.lat...)
	}
	slices.Sort(r.latencies)
	return r
}
