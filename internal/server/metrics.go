package server

import (
	"context"
	"net/http"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/go-chi/chi/v5"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/whereas/whereas/internal/postgres"
)

// metrics is what /metrics reports, in a registry of the server's own (never the
// process-wide default one, so two servers in one test process do not share counters).
//
// No label carries user input: routes are chi's patterns ("/people/{slug}", never the
// slug), statuses are classes ("2xx"), and anything no route matched is "unmatched". A
// label made from the path or the query would let any visitor grow the series without end.
type metrics struct {
	reg         *prometheus.Registry
	requests    *prometheus.CounterVec
	duration    *prometheus.HistogramVec
	cacheHits   prometheus.Counter
	cacheMisses prometheus.Counter
	throttled   *prometheus.CounterVec
	version     atomic.Int64 // the newest public data version this server has seen
}

// Reasons a sign-in was refused by the throttle, the values of whereas_signin_throttled_total's
// reason label.
const (
	throttleAttempts     = "attempts"      // too many failed passwords for the account or address
	throttleHashing      = "hashing"       // no password-hashing slot came free in time
	throttleSecondFactor = "second_factor" // too many wrong two-factor codes
)

func newMetrics(s *Server) *metrics {
	m := &metrics{reg: prometheus.NewRegistry()}
	m.requests = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "whereas_http_requests_total",
		Help: "HTTP requests answered, by route pattern and status class.",
	}, []string{"route", "status"})
	m.duration = prometheus.NewHistogramVec(prometheus.HistogramOpts{
		Name: "whereas_http_request_duration_seconds",
		Help: "Time to answer an HTTP request, from its headers read to its last byte written, by route pattern and status class.",
		// From a cached page (well under a millisecond) to the request time limit (10 s).
		Buckets: []float64{.0005, .001, .0025, .005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10},
	}, []string{"route", "status"})
	m.cacheHits = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "whereas_page_cache_hits_total",
		Help: "Public pages and API answers served from the page cache.",
	})
	m.cacheMisses = prometheus.NewCounter(prometheus.CounterOpts{
		Name: "whereas_page_cache_misses_total",
		Help: "Public pages and API answers the page cache did not hold at the current data version, so they were rendered.",
	})
	m.throttled = prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "whereas_signin_throttled_total",
		Help: "Sign-in attempts refused with 429, by reason: attempts (too many failures for the account or address), hashing (no password-hashing slot free), second_factor (too many wrong codes).",
	}, []string{"reason"})
	for _, r := range []string{throttleAttempts, throttleHashing, throttleSecondFactor} {
		m.throttled.WithLabelValues(r) // every reason is reported from the start, at 0
	}
	m.reg.MustRegister(m.requests, m.duration, m.cacheHits, m.cacheMisses, m.throttled,
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "whereas_data_version",
			Help: "The newest public data version this server has seen (it moves with every change the public can observe).",
		}, func() float64 {
			if v, _, ok := s.db.WatchedVersion(); ok {
				m.sawVersion(v)
			}
			return float64(m.version.Load())
		}),
		prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "whereas_export_builds_in_progress",
			Help: "Exports (the dossier zip, the CSVs) being built now.",
		}, func() float64 { return float64(s.exports.inProgress()) }),
		dbCollector{db: s.db},
	)
	if s.opts.Mail {
		m.reg.MustRegister(mailCollector{db: s.db})
	}
	if s.pages != nil {
		m.reg.MustRegister(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
			Name: "whereas_page_cache_bytes",
			Help: "Memory held by the page cache's pages.",
		}, func() float64 { return float64(s.pages.bytes()) }))
	}
	return m
}

// sawVersion records a data version read from the database; versions only move forward.
func (m *metrics) sawVersion(v int64) {
	for {
		old := m.version.Load()
		if v <= old || m.version.CompareAndSwap(old, v) {
			return
		}
	}
}

// observe counts one answered request.
func (m *metrics) observe(r *http.Request, status int, took time.Duration) {
	route := "unmatched"
	if rc := chi.RouteContext(r.Context()); rc != nil && rc.RoutePattern() != "" {
		route = rc.RoutePattern()
	}
	class := strconv.Itoa(status/100) + "xx"
	m.requests.WithLabelValues(route, class).Inc()
	m.duration.WithLabelValues(route, class).Observe(took.Seconds())
}

// handler serves the registry in Prometheus's text format.
func (m *metrics) handler() http.Handler {
	return promhttp.HandlerFor(m.reg, promhttp.HandlerOpts{Registry: m.reg})
}

// dbCollector reports, at each scrape, the connection pools' statistics, the version
// watcher's state and each read replica's as the monitor last polled it. A replica that
// is down has no lag series: its lag is unknown, and a last known figure would understate it.
type dbCollector struct{ db *postgres.DB }

var (
	poolLabels       = []string{"pool"}
	poolTotalDesc    = prometheus.NewDesc("whereas_db_pool_connections", "Open connections in the pool, by state (idle, acquired, constructing).", []string{"pool", "state"}, nil)
	poolMaxDesc      = prometheus.NewDesc("whereas_db_pool_max_connections", "The pool's largest size (WHEREAS_DB_MAX_CONNS).", poolLabels, nil)
	poolAcquireDesc  = prometheus.NewDesc("whereas_db_pool_acquires_total", "Connections taken from the pool.", poolLabels, nil)
	poolWaitDesc     = prometheus.NewDesc("whereas_db_pool_acquire_waits_total", "Acquires that had to wait for a connection to come free or be opened.", poolLabels, nil)
	poolWaitTimeDesc = prometheus.NewDesc("whereas_db_pool_acquire_wait_seconds_total", "Time spent waiting for a connection when none was idle.", poolLabels, nil)
	poolCancelDesc   = prometheus.NewDesc("whereas_db_pool_acquire_cancels_total", "Acquires given up because the request ended first.", poolLabels, nil)
)

func (dbCollector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{poolTotalDesc, poolMaxDesc, poolAcquireDesc, poolWaitDesc, poolWaitTimeDesc, poolCancelDesc,
		replicaUpDesc, replicaUsableDesc, replicaLagDesc, replicaCheckedDesc, watcherUpDesc} {
		ch <- d
	}
}

func (c dbCollector) Collect(ch chan<- prometheus.Metric) {
	for _, p := range c.db.PoolStats() {
		ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue, float64(p.Idle), p.Name, "idle")
		ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue, float64(p.Acquired), p.Name, "acquired")
		ch <- prometheus.MustNewConstMetric(poolTotalDesc, prometheus.GaugeValue, float64(p.Constructing), p.Name, "constructing")
		ch <- prometheus.MustNewConstMetric(poolMaxDesc, prometheus.GaugeValue, float64(p.Max), p.Name)
		ch <- prometheus.MustNewConstMetric(poolAcquireDesc, prometheus.CounterValue, float64(p.Acquires), p.Name)
		ch <- prometheus.MustNewConstMetric(poolWaitDesc, prometheus.CounterValue, float64(p.Waits), p.Name)
		ch <- prometheus.MustNewConstMetric(poolWaitTimeDesc, prometheus.CounterValue, p.WaitTime.Seconds(), p.Name)
		ch <- prometheus.MustNewConstMetric(poolCancelDesc, prometheus.CounterValue, float64(p.Cancels), p.Name)
	}
	c.collectReplicas(ch)
}

var (
	replicaLabels      = []string{"replica"}
	replicaUpDesc      = prometheus.NewDesc("whereas_replica_up", "1 if the read replica answered the monitor's last poll as a standby, else 0.", replicaLabels, nil)
	replicaUsableDesc  = prometheus.NewDesc("whereas_replica_usable", "1 if anonymous reads may go to the replica (up, lagging at most WHEREAS_REPLICA_MAX_LAG), else 0.", replicaLabels, nil)
	replicaLagDesc     = prometheus.NewDesc("whereas_replica_lag_seconds", "How far the replica was behind the primary at the last poll (absent while it is down).", replicaLabels, nil)
	replicaCheckedDesc = prometheus.NewDesc("whereas_replica_last_poll_timestamp_seconds", "When the monitor last polled the replica (Unix time).", replicaLabels, nil)
	watcherUpDesc      = prometheus.NewDesc("whereas_version_watcher_up", "1 while the data version watcher listens and is trusted, so cached pages need no round trip; 0 while pages ask the database.", nil, nil)
)

// collectReplicas reports the watcher's and the replicas' state.
func (c dbCollector) collectReplicas(ch chan<- prometheus.Metric) {
	if c.db.Watching() {
		_, _, ok := c.db.WatchedVersion()
		ch <- prometheus.MustNewConstMetric(watcherUpDesc, prometheus.GaugeValue, bool01(ok))
	}
	for _, r := range c.db.Replicas() {
		ch <- prometheus.MustNewConstMetric(replicaUpDesc, prometheus.GaugeValue, bool01(r.Up), r.Name)
		ch <- prometheus.MustNewConstMetric(replicaUsableDesc, prometheus.GaugeValue, bool01(r.Usable), r.Name)
		if r.Up {
			ch <- prometheus.MustNewConstMetric(replicaLagDesc, prometheus.GaugeValue, r.Lag.Seconds(), r.Name)
		}
		if !r.Checked.IsZero() {
			ch <- prometheus.MustNewConstMetric(replicaCheckedDesc, prometheus.GaugeValue, float64(r.Checked.UnixNano())/1e9, r.Name)
		}
	}
}

func bool01(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// mailCollector reports the mail queue at each scrape (only where emails are sent): how
// many emails wait, and how many were given up on. A scrape the database cannot answer
// reports neither, rather than a zero that would look healthy.
type mailCollector struct{ db *postgres.DB }

var mailQueueDesc = prometheus.NewDesc("whereas_mail_queue_emails", "Emails in the mail queue not sent, by state: waiting (to be sent or retried) or failed (given up on).", []string{"state"}, nil)

func (mailCollector) Describe(ch chan<- *prometheus.Desc) { ch <- mailQueueDesc }

func (c mailCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	waiting, failed, err := c.db.MailBacklog(ctx)
	if err != nil {
		return
	}
	ch <- prometheus.MustNewConstMetric(mailQueueDesc, prometheus.GaugeValue, float64(waiting), "waiting")
	ch <- prometheus.MustNewConstMetric(mailQueueDesc, prometheus.GaugeValue, float64(failed), "failed")
}
