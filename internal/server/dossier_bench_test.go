package server_test

import (
	"archive/zip"
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"runtime/metrics"
	"sync/atomic"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/synth"
)

// BenchmarkDossierPDF makes one person's PDF dossier through the whole stack, database
// reads included. Goal: under 50 ms.
func BenchmarkDossierPDF(b *testing.B) {
	db, _ := postgrestest.OpenSeeded(b)
	if err := db.LoadSynthetic(context.Background(), synth.Generate(synth.Options{People: 2000, Seed: 1})); err != nil {
		b.Fatal(err)
	}
	h := server.New(db, slog.New(slog.NewJSONHandler(io.Discard, nil)), server.Options{})
	b.ReportAllocs()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/people/max-bokayev/dossier.pdf", nil))
		if w.Code != 200 {
			b.Fatalf("status %d", w.Code)
		}
	}
}

// BenchmarkDossierZip builds and downloads every person's dossiers, at two sizes, and reports
// the peak live heap while it runs: flat memory means the peak does not grow with the number
// of people. Each iteration has a server of its own, so the zip is built, not served from the
// kept file, and the benchmark fails unless the archive opens with every person in it.
func BenchmarkDossierZip(b *testing.B) {
	for _, people := range []int{200, 800} {
		b.Run(fmt.Sprintf("people=%d", people), func(b *testing.B) {
			db, _ := postgrestest.OpenSeeded(b)
			if err := db.LoadSynthetic(context.Background(), synth.Generate(synth.Options{People: people - 11, Seed: 2})); err != nil {
				b.Fatal(err)
			}
			// The live heap as each garbage collection finds it: what the export holds, not the
			// garbage it has yet to collect.
			var peak atomic.Uint64
			stop := make(chan struct{})
			go func() {
				sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
				for {
					metrics.Read(sample)
					if v := sample[0].Value.Uint64(); v > peak.Load() {
						peak.Store(v)
					}
					select {
					case <-stop:
						return
					case <-time.After(5 * time.Millisecond):
					}
				}
			}()
			var bytes int64
			for b.Loop() {
				srv := httptest.NewServer(server.New(db, slog.New(slog.NewJSONHandler(io.Discard, nil)), server.Options{ExportDir: b.TempDir()}))
				resp, err := http.Get(srv.URL + "/dossiers.zip")
				if err != nil {
					b.Fatal(err)
				}
				// To a file, not memory, so the heap measured is the server's.
				path := filepath.Join(b.TempDir(), "dossiers.zip")
				f, err := os.Create(path)
				if err != nil {
					b.Fatal(err)
				}
				n, err := io.Copy(f, resp.Body)
				resp.Body.Close()
				f.Close()
				srv.Close()
				if err != nil || resp.StatusCode != 200 {
					b.Fatalf("zip: %d %v", resp.StatusCode, err)
				}
				zr, err := zip.OpenReader(path)
				if err != nil || len(zr.File) != 2*people {
					b.Fatalf("the zip does not open whole: %v, %d entries for %d people", err, len(zr.File), people)
				}
				zr.Close()
				bytes = n
			}
			close(stop)
			b.ReportMetric(float64(peak.Load())/(1<<20), "peak-live-heap-MB")
			b.ReportMetric(float64(bytes)/(1<<20), "zip-MB")
			b.ReportMetric(float64(b.Elapsed().Milliseconds())/float64(b.N)/float64(people), "ms/person")
		})
	}
}
