package e2e_test

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/synth"
)

// startVolumeApp serves the seed plus people generated people (as `whereas gen -people`
// makes them), for the checks issue 15 asks at volume.
func startVolumeApp(t *testing.T, people int) string {
	t.Helper()
	db, _ := postgrestest.OpenSeeded(t)
	if err := db.LoadSynthetic(context.Background(), synth.Generate(synth.Options{People: people, Seed: 1})); err != nil {
		t.Fatalf("generate %d people: %v", people, err)
	}
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// TestHomePageAtVolume: with 2,000 people the home page is no longer than with 11 (issue
// 15 §2): under 3,000 px tall at 1280 px, no sideways scrolling at 375 px, and axe finds
// no serious or critical issue at either width.
func TestHomePageAtVolume(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startVolumeApp(t, 2000)
	for _, width := range []int64{1280, 375} {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="changes"]`)))
		if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="change"]').length`); n == 0 {
			t.Errorf("%d px: no latest change listed", width)
		}
		height := eval[int](t, ctx, `document.documentElement.scrollHeight`)
		sizes := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
		t.Logf("%d px: %d px tall", width, height)
		if width == 1280 && height >= 3000 {
			t.Errorf("at 1280 px the home page is %d px tall, want under 3,000", height)
		}
		if sizes[0] > sizes[1] {
			t.Errorf("at %d px: content %d px wide in a %d px viewport", width, sizes[0], sizes[1])
		}
		for _, v := range runAxe(t, ctx).Violations {
			if v.Impact == "serious" || v.Impact == "critical" {
				t.Errorf("%d px: %s (%s): %s, at %v", width, v.ID, v.Impact, v.Help, v.Nodes)
			}
		}
	}
}
