package e2e_test

import (
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/synth"
)

// TestVolumeSearchAndLists is issue 15's browser check of §1 and §4 on the seed plus 2,000
// generated people, at a phone's width and a laptop's: every person hit for a surname many
// share shows what tells them apart, the filters are open on the wide screen and folded on
// the narrow one, the filtered list's CSV has exactly its rows, and the pages pass axe.
func TestVolumeSearchAndLists(t *testing.T) {
	browser := e2e.NewBrowser(t)
	db, _ := postgrestest.OpenSeeded(t)
	if err := db.LoadSynthetic(context.Background(), synth.Generate(synth.Options{People: 2000, Seed: 15})); err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{ExportDir: t.TempDir()}))
	t.Cleanup(srv.Close)
	base := srv.URL

	for _, width := range []int{375, 1280} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			ctx := e2e.NewTab(t, browser)
			view := func(path string) {
				t.Helper()
				do(t, ctx, chromedp.EmulateViewport(int64(width), 900), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
				if sizes := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); sizes[0] > sizes[1] {
					t.Errorf("%s: content %dpx wide in a %dpx viewport", path, sizes[0], sizes[1])
				}
			}

			view("/search?q=Rakhimov")
			hits := eval[[]map[string]string](t, ctx, `[...document.querySelectorAll('[data-testid="hits-person"] li.hit')].map(li => {
				const text = s => { const e = li.querySelector(s); return e && e.getBoundingClientRect().height > 0 ? e.textContent.trim().replace(/\s+/g, " ") : ""; };
				return {name: text('[data-testid="hit"]'), rolePlace: text('[data-testid="hit-role-place"]'), status: text('[data-testid="hit-status"]'), years: text('[data-testid="hit-years"]')};
			})`)
			if len(hits) < 20 {
				t.Fatalf("Rakhimov found %d people, want the many generated ones", len(hits))
			}
			seen := map[string]int{}
			for _, h := range hits {
				if h["rolePlace"] == "" || h["status"] == "" || h["years"] == "" {
					t.Errorf("a hit lacks what tells it apart: %v", h)
				}
				if !strings.Contains(h["status"], "since") && !strings.Contains(h["status"], "No status recorded") && !strings.Contains(h["status"], "reported") {
					t.Errorf("%s: status without its date: %q", h["name"], h["status"])
				}
				seen[h["name"]]++
			}
			// Namesakes there are, and their details differ where the records do.
			shared := 0
			for _, n := range seen {
				if n > 1 {
					shared++
				}
			}
			if shared == 0 {
				t.Error("no two hits share a name: the check proves nothing")
			}
			checkAxe(t, ctx, "/search?q=Rakhimov")

			// The type filter keeps one kind, with the count it said.
			tab := eval[string](t, ctx, `(document.querySelector('[data-testid="type-people"] .count') || {}).textContent || ""`)
			if n, _ := strconv.Atoi(strings.TrimSuffix(tab, "+")); n != len(hits) { // "40+": the best 40 of more
				t.Errorf("people tab says %q, %d people listed", tab, len(hits))
			}

			// With no filter chosen, the filters are open on the wide screen and folded on the
			// phone; once one is chosen, they are open on both.
			facetsShown := func() bool {
				// checkVisibility is false inside a folded details, which layout queries still measure.
				return eval[bool](t, ctx, `document.querySelector('[data-testid="facet-role"]').checkVisibility()`)
			}
			view("/people")
			if shown, want := facetsShown(), width >= 1280; shown != want {
				t.Errorf("unfiltered: filters shown %v at %dpx, want %v", shown, width, want)
			}
			checkAxe(t, ctx, "/people")
			view("/people?status=imprisoned")
			if !facetsShown() {
				t.Errorf("filtered: filters folded at %dpx", width)
			}
			if chips := eval[string](t, ctx, `document.querySelector('[data-testid="active-filters"]').textContent`); !strings.Contains(chips, "Imprisoned") || strings.Contains(chips, "imprisoned") {
				t.Errorf("chips = %q", chips)
			}
			checkAxe(t, ctx, "/people?status=imprisoned")
			countText := eval[string](t, ctx, `document.querySelector('[data-testid="count"]').textContent`)
			total, _ := strconv.Atoi(countText[strings.LastIndex(countText, " ")+1:])
			href := eval[string](t, ctx, `document.querySelector('[data-testid="csv-link"]').getAttribute("href")`)
			resp, err := http.Get(base + href)
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			rows, err := csv.NewReader(bytes.NewReader(body)).ReadAll()
			if err != nil || total == 0 || len(rows)-1 != total {
				t.Errorf("the list says %d, its CSV (%s) has %d rows (%v)", total, href, len(rows)-1, err)
			}

			for _, path := range []string{"/cases?status=none", "/legal-provisions", "/legal-provisions/criminal-code-article-174"} {
				view(path)
				checkAxe(t, ctx, path)
			}
		})
	}
}
