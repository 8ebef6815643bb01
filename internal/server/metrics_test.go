package server_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"

	dto "github.com/prometheus/client_model/go"
	"github.com/prometheus/common/expfmt"
	"github.com/prometheus/common/model"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// scrape reads /metrics as Prometheus would, failing on anything its parser refuses.
func scrape(t *testing.T, u string) (map[string]*dto.MetricFamily, string) {
	t.Helper()
	resp, body := fetchWith(t, http.DefaultClient, u)
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/plain") {
		t.Fatalf("GET %s = %d %s", u, resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	p := expfmt.NewTextParser(model.UTF8Validation)
	fams, err := p.TextToMetricFamilies(strings.NewReader(body))
	if err != nil {
		t.Fatalf("not Prometheus text format: %v", err)
	}
	return fams, body
}

// sample is the value of the series of family name whose labels include want, or -1.
func sample(fams map[string]*dto.MetricFamily, name string, want map[string]string) float64 {
	f := fams[name]
	if f == nil {
		return -1
	}
	for _, m := range f.GetMetric() {
		labels := map[string]string{}
		for _, l := range m.GetLabel() {
			labels[l.GetName()] = l.GetValue()
		}
		match := true
		for k, v := range want {
			match = match && labels[k] == v
		}
		if !match {
			continue
		}
		switch {
		case m.Counter != nil:
			return m.GetCounter().GetValue()
		case m.Gauge != nil:
			return m.GetGauge().GetValue()
		case m.Histogram != nil:
			return float64(m.GetHistogram().GetSampleCount())
		}
	}
	return -1
}

func TestMetrics(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	c := browser(t)
	for _, p := range []string{"/people/max-bokayev", "/people/max-bokayev", "/people/no-such-person-xq", "/search?q=secretquery", "/no/such/page/zz"} {
		fetchWith(t, c, w.a.URL+p)
	}
	for range 6 { // the sixth wrong password on one account is refused by the throttle
		post(t, browser(t), w.a.URL+"/sign-in", url.Values{"email": {"editor@example.org"}, "password": {"not the password at all"}})
	}
	fams, body := scrape(t, w.a.URL+"/metrics")

	for _, c := range []struct {
		name   string
		labels map[string]string
		want   float64
	}{
		{"whereas_http_requests_total", map[string]string{"route": "/people/{slug}", "status": "2xx"}, 2},
		{"whereas_http_requests_total", map[string]string{"route": "/people/{slug}", "status": "4xx"}, 1},
		{"whereas_http_requests_total", map[string]string{"route": "/search", "status": "2xx"}, 1},
		{"whereas_http_requests_total", map[string]string{"route": "unmatched", "status": "4xx"}, 1},
		{"whereas_http_request_duration_seconds", map[string]string{"route": "/people/{slug}", "status": "2xx"}, 2},
		// The first visit of each public page is rendered (three: two pages and a 404), the second served from the cache.
		{"whereas_page_cache_misses_total", nil, 3},
		{"whereas_page_cache_hits_total", nil, 1},
		{"whereas_signin_throttled_total", map[string]string{"reason": "attempts"}, 1},
		{"whereas_signin_throttled_total", map[string]string{"reason": "hashing"}, 0},
		{"whereas_export_builds_in_progress", nil, 0},
		{"whereas_db_pool_max_connections", map[string]string{"pool": "primary"}, float64(w.db.PoolStats()[0].Max)},
	} {
		if got := sample(fams, c.name, c.labels); got != c.want {
			t.Errorf("%s%v = %v, want %v", c.name, c.labels, got, c.want)
		}
	}
	if got := sample(fams, "whereas_http_requests_total", map[string]string{"route": "/sign-in", "status": "4xx"}); got != 6 {
		t.Errorf("sign-in 4xx = %v, want 6 (five 401 and one 429)", got)
	}
	version, err := w.db.DataVersion(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := sample(fams, "whereas_data_version", nil); got != float64(version) {
		t.Errorf("whereas_data_version = %v, want %d", got, version)
	}
	if got := sample(fams, "whereas_db_pool_acquires_total", map[string]string{"pool": "primary"}); got < 1 {
		t.Errorf("pool acquires = %v, want some", got)
	}
	// Nothing a visitor typed becomes a label: not a slug, not a query, not a path.
	for _, typed := range []string{"max-bokayev", "no-such-person-xq", "secretquery", "/no/such/page", "editor@example.org"} {
		if strings.Contains(body, typed) {
			t.Errorf("/metrics holds %q, which a visitor typed", typed)
		}
	}
	// Every metric of ours is in the README's table, those only a watcher or a replica
	// reports (tested in TestWatcherConnectionCut, TestReadReplicas) too.
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"whereas_version_watcher_up", "whereas_replica_up", "whereas_replica_usable", "whereas_replica_lag_seconds", "whereas_replica_last_poll_timestamp_seconds"}
	for name := range fams {
		if strings.HasPrefix(name, "whereas_") {
			names = append(names, name)
		}
	}
	for _, name := range names {
		if !strings.Contains(string(readme), "| `"+name+"` |") {
			t.Errorf("%s is not in the README's metrics table", name)
		}
	}
	// The other server counts its own requests only.
	other, _ := scrape(t, w.b.URL+"/metrics")
	if got := sample(other, "whereas_http_requests_total", map[string]string{"route": "/people/{slug}", "status": "2xx"}); got != -1 {
		t.Errorf("server b counted %v person pages it never served", got)
	}
}

// With WHEREAS_METRICS_ADDR the metrics are served apart and the public address has none.
func TestMetricsApart(t *testing.T) {
	t.Parallel()
	db, _ := postgrestest.OpenSeeded(t)
	app, metrics := server.Handlers(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{MetricsApart: true})
	pub, priv := httptest.NewServer(app), httptest.NewServer(metrics)
	t.Cleanup(pub.Close)
	t.Cleanup(priv.Close)
	fetchWith(t, http.DefaultClient, pub.URL+"/people/max-bokayev")
	if resp, _ := fetchWith(t, http.DefaultClient, pub.URL+"/metrics"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("/metrics on the public address = %d, want 404", resp.StatusCode)
	}
	fams, _ := scrape(t, priv.URL+"/metrics")
	if got := sample(fams, "whereas_http_requests_total", map[string]string{"route": "/people/{slug}", "status": "2xx"}); got != 1 {
		t.Errorf("person pages counted apart = %v, want 1", got)
	}
}
