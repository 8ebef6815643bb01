package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// BenchmarkPages serves pages through the whole handler stack, in process, so allocations
// and CPU per request can be read apart from the network and the load generator.
func BenchmarkPages(b *testing.B) {
	db, _ := postgrestest.OpenSeeded(b)
	for _, cache := range []struct {
		name  string
		bytes int64
	}{{"cached", 16 << 20}, {"uncached", 0}} {
		h := server.New(db, slog.New(slog.NewJSONHandler(io.Discard, nil)), server.Options{PageCacheBytes: cache.bytes, TestEndpoints: true})
		for _, path := range []string{"/_test/select1", "/people/max-bokayev", "/resolutions/2019-2610-rsp", "/people", "/api/v1/people/max-bokayev"} {
			b.Run(cache.name+path, func(b *testing.B) {
				b.ReportAllocs()
				b.RunParallel(func(pb *testing.PB) {
					for pb.Next() {
						w := httptest.NewRecorder()
						h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, path, nil))
						if w.Code != 200 {
							b.Fatalf("%s: %d", path, w.Code)
						}
					}
				})
			})
		}
	}
}
