package e2e_test

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// The pictures (issue 15 §6) and the dossier a lawyer files (§5), at a phone's width and a
// desktop's: each picture has words for those who cannot see it, nothing scrolls sideways,
// and the print of a dossier fits three A4 pages.
func TestChartsAndDossierPrint(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)
	for _, width := range []int64{375, 1280} {
		for _, tc := range []struct{ path, chart string }{
			{"/people/max-bokayev", "timeline-chart"},
			{"/resolutions/2019-2610-rsp/scoreboard", "follow-up-chart"},
			{"/people/larisa-kharkova/dossier", "timeline-chart"},
		} {
			t.Run(fmt.Sprintf("%s_at_%d", filepath.Base(tc.path), width), func(t *testing.T) {
				ctx := e2e.NewTab(t, browser)
				do(t, ctx, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+tc.path),
					chromedp.WaitVisible(chromedp.CSS(`[data-testid="`+tc.chart+`"] svg`)))
				sel := fmt.Sprintf(`document.querySelector('[data-testid=%q]')`, tc.chart)
				if got := eval[string](t, ctx, sel+`.querySelector('svg').getAttribute('role')`); got != "img" {
					t.Errorf("the picture's role is %q, want img", got)
				}
				// The accessible name and description are the picture's title and desc.
				for _, part := range []string{"title", "desc"} {
					text := eval[string](t, ctx, sel+`.querySelector('svg > `+part+`').textContent`)
					ids := eval[string](t, ctx, sel+`.querySelector('svg').getAttribute('aria-labelledby')`)
					id := eval[string](t, ctx, sel+`.querySelector('svg > `+part+`').id`)
					if len(text) < 20 || !regexp.MustCompile(`\b`+regexp.QuoteMeta(id)+`\b`).MatchString(ids) {
						t.Errorf("svg %s %q (id %q) is not named by aria-labelledby=%q", part, text, id, ids)
					}
				}
				if rows := eval[int](t, ctx, sel+`.querySelectorAll('table tbody tr').length`); rows == 0 {
					t.Error("no table says what the picture shows")
				}
				// A bar or band per period, each with its words on hover.
				if n := eval[int](t, ctx, sel+`.querySelectorAll('svg rect title').length`); n == 0 {
					t.Error("the picture's shapes have no titles")
				}
				if over := eval[int](t, ctx, `document.documentElement.scrollWidth - document.documentElement.clientWidth`); over > 0 {
					t.Errorf("the page scrolls sideways by %d px at %d px", over, width)
				}
				if width != 1280 {
					return // axe once a page is enough: the phone's layout hides nothing from it
				}
				for _, v := range runAxe(t, ctx).Violations {
					if v.Impact == "serious" || v.Impact == "critical" {
						t.Errorf("%s (%s): %s, at %v", v.ID, v.Impact, v.Help, v.Nodes)
					}
				}
			})
		}
	}
	// The seed's people with the most to say: the print of their dossier is two or three
	// A4 pages, no longer one section a page.
	for _, slug := range []string{"max-bokayev", "larisa-kharkova"} {
		t.Run("print_"+slug, func(t *testing.T) {
			ctx := e2e.NewTab(t, browser)
			do(t, ctx, chromedp.Navigate(base+"/people/"+slug+"/dossier"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="dossier-end"]`)))
			yes := true
			res, err := chromedp.Run(ctx, chromedp.Action[page.PrintToPDFResult](func(ctx context.Context, target *chromedp.Target) (page.PrintToPDFResult, error) {
				return cdp.Call(ctx, target, page.PrintToPDF, page.PrintToPDFParams{PreferCSSPageSize: &yes})
			}))
			if err != nil {
				t.Fatalf("print to PDF: %v", err)
			}
			pdf := res.Data
			n := pdfPages(t, pdf)
			if n < 1 || n > 3 {
				t.Errorf("the dossier of %s prints on %d pages, want at most 3", slug, n)
			}
			t.Logf("%s: %d pages", slug, n)
		})
	}
}

// pdfPages counts a PDF's pages with poppler's pdfinfo, as a reader's tools would.
func pdfPages(t *testing.T, pdf []byte) int {
	t.Helper()
	if _, err := exec.LookPath("pdfinfo"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdfinfo is not installed; CI installs poppler-utils")
		}
		t.Skip("counting pages needs pdfinfo: apt-get install poppler-utils")
	}
	path := filepath.Join(t.TempDir(), "print.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	m := regexp.MustCompile(`(?m)^Pages:\s+(\d+)`).FindSubmatch(out)
	if m == nil {
		t.Fatalf("pdfinfo says no page count:\n%s", out)
	}
	n, _ := strconv.Atoi(string(m[1]))
	return n
}
