package e2e_test

import (
	"bytes"
	"context"
	_ "embed"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdpbrowser "github.com/chromedp/cdproto/browser"
	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

//go:embed testdata/axe-core/axe.min.js
var axeSource string

// startApp serves the real handler on a real socket, backed by a fresh seeded database.
func startApp(t *testing.T) string {
	t.Helper()
	db, _ := postgrestest.OpenSeeded(t)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}))
	t.Cleanup(srv.Close)
	return srv.URL
}

func do(t *testing.T, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

func eval[T any](t *testing.T, ctx context.Context, js string) T {
	t.Helper()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](js))
	if err != nil {
		t.Fatalf("evaluate %s: %v", js, err)
	}
	return v
}

// waitJS polls a JavaScript condition until it holds: for a page that changes after a
// form post, where waiting for an element the old page also had would race the navigation.
func waitJS(t *testing.T, ctx context.Context, cond string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](cond))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("waited 15s for %s (last error %v)", cond, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func location(t *testing.T, ctx context.Context) string {
	t.Helper()
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	return loc
}

func TestBrowserFlows(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)

	t.Run("ClauseToPersonToClauseAnchor", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx,
			chromedp.Navigate(base+"/"),
			chromedp.Click(chromedp.CSS(`.resolution-card a[href="/resolutions/2019-2610-rsp"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#rec_A`)),
		)
		if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Human rights situation in Kazakhstan" {
			t.Fatalf("resolution page h1 = %q", h1)
		}
		// A highlighted name in recital A leads to the person.
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`#rec_A a.mention[href="/people/max-bokayev"]`)),
			chromedp.WaitVisible(chromedp.CSS(`[data-testid="citing-clauses"]`)),
		)
		if loc := location(t, ctx); loc != base+"/people/max-bokayev" {
			t.Fatalf("after clicking the name: %s", loc)
		}
		if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Max Bokayev" {
			t.Fatalf("person page h1 = %q", h1)
		}
		// A citing clause leads back to its anchor in the resolution.
		do(t, ctx,
			chromedp.Click(chromedp.CSS(`[data-testid="clause-link"][href$="#para_1"]`)),
			chromedp.WaitVisible(chromedp.CSS(`#para_1`)),
		)
		if loc := location(t, ctx); loc != base+"/resolutions/2019-2610-rsp#para_1" {
			t.Fatalf("after clicking the clause: %s", loc)
		}
		target := eval[string](t, ctx, `(document.querySelector(":target") || {}).id || ""`)
		inView := eval[bool](t, ctx, `(() => { const r = document.getElementById("para_1").getBoundingClientRect(); return r.top >= 0 && r.top < window.innerHeight; })()`)
		if target != "para_1" || !inView {
			t.Errorf("landed on :target %q, in view %v; want paragraph 1 in view", target, inView)
		}
	})

	t.Run("UnknownAddressShowsTheNotFoundPage", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		resp, err := chromedp.RunResponse(ctx, chromedp.Navigate(base+"/people/no-such-person"))
		if err != nil {
			t.Fatal(err)
		}
		if resp.Status != 404 {
			t.Errorf("status = %d, want 404", resp.Status)
		}
		if h1 := eval[string](t, ctx, `document.querySelector("h1").textContent`); h1 != "Page not found" {
			t.Errorf("h1 = %q", h1)
		}
	})

	t.Run("NarrowPhoneHasNoHorizontalScroll", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		for _, path := range []string{"/people", "/resolutions/2019-2610-rsp", "/people/max-bokayev", "/cases/dvk-ban", "/"} {
			do(t, ctx, chromedp.EmulateViewport(375, 812), chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
			sizes := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
			if sizes[0] > sizes[1] {
				t.Errorf("%s at 375px: content %dpx wide in a %dpx viewport", path, sizes[0], sizes[1])
			}
		}
	})

	t.Run("KeyboardOnly", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx, chromedp.Navigate(base+"/resolutions/2019-2610-rsp"), chromedp.WaitVisible(chromedp.CSS("main")))
		// The first Tab reaches the skip link, and Enter moves focus to the main content.
		do(t, ctx, chromedp.KeyEvent(kb.Tab))
		if cls := eval[string](t, ctx, `document.activeElement.className`); cls != "skip-link" {
			t.Fatalf("first Tab focused %q, want the skip link", cls)
		}
		if !eval[bool](t, ctx, `getComputedStyle(document.activeElement).outlineStyle !== "none" && document.activeElement.getBoundingClientRect().left >= 0`) {
			t.Error("the focused skip link is not visible")
		}
		do(t, ctx, chromedp.KeyEvent(kb.Enter))
		if id := eval[string](t, ctx, `document.activeElement.id`); id != "main" {
			t.Errorf("after the skip link, focus is on %q, want main", id)
		}
		tabTo := func(selector string) {
			t.Helper()
			for i := 0; i < 150; i++ {
				if eval[bool](t, ctx, fmt.Sprintf(`document.activeElement.matches(%q)`, selector)) {
					if eval[string](t, ctx, `getComputedStyle(document.activeElement).outlineStyle`) == "none" {
						t.Errorf("focus on %s is not visible", selector)
					}
					return
				}
				do(t, ctx, chromedp.KeyEvent(kb.Tab))
			}
			t.Fatalf("Tab never reached %s", selector)
		}
		tabTo(`#rec_A a.mention[href="/people/max-bokayev"]`)
		do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`[data-testid="citing-clauses"]`)))
		if loc := location(t, ctx); loc != base+"/people/max-bokayev" {
			t.Fatalf("Enter on the name went to %s", loc)
		}
		tabTo(`[data-testid="clause-link"][href$="#para_1"]`)
		do(t, ctx, chromedp.KeyEvent(kb.Enter), chromedp.WaitVisible(chromedp.CSS(`#para_1`)))
		if loc := location(t, ctx); loc != base+"/resolutions/2019-2610-rsp#para_1" {
			t.Errorf("Enter on the clause link went to %s", loc)
		}
	})
}

// runAxe injects axe-core into the page and runs the WCAG 2.2 AA and best-practice rules.
func runAxe(t *testing.T, ctx context.Context) axeResult {
	t.Helper()
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](axeSource+";true")); err != nil {
		t.Fatalf("inject axe-core: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[json.RawMessage](
		`axe.run(document, {runOnly: {type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]}, resultTypes: ["violations"]})`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe-core: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal(raw, &res); err != nil {
		t.Fatal(err)
	}
	return res
}

// axeResult is the part of axe-core's report the test reads.
type axeResult struct {
	Violations []struct {
		ID, Impact, Help string
		Nodes            []struct{ Target []any }
	}
}

func TestAccessibility(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)
	pages := []string{
		"/", "/resolutions", "/resolutions/2019-2610-rsp",
		"/people", "/people/max-bokayev", "/people/ardak-ashim",
		"/organisations", "/organisations/dvk",
		"/legal-provisions", "/legal-provisions/criminal-code-article-174",
		"/cases", "/cases/forbes-kazakhstan-ratel-investigation",
		"/no/such/page",
	}
	// The check itself must be able to fail: an image with no text alternative is caught.
	t.Run("AxeCatchesAMissingAltText", func(t *testing.T) {
		ctx := e2e.NewTab(t, browser)
		do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS("main")))
		eval[bool](t, ctx, `document.querySelector("main").appendChild(document.createElement("img")) && true`)
		found := false
		for _, v := range runAxe(t, ctx).Violations {
			found = found || (v.ID == "image-alt" && v.Impact == "critical")
		}
		if !found {
			t.Error("axe-core did not report an img without alt")
		}
	})
	for _, path := range pages {
		name := strings.Trim(strings.ReplaceAll(path, "/", "_"), "_")
		if name == "" {
			name = "home"
		}
		t.Run(name, func(t *testing.T) {
			ctx := e2e.NewTab(t, browser)
			do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
			if n := eval[int](t, ctx, `document.querySelectorAll("h1").length`); n != 1 {
				t.Errorf("%d h1 elements, want 1", n)
			}
			if lang := eval[string](t, ctx, `document.documentElement.lang`); lang != "en" {
				t.Errorf("lang = %q", lang)
			}
			for _, landmark := range []string{"header", "nav", "main", "footer", `a.skip-link[href="#main"]`} {
				if !eval[bool](t, ctx, fmt.Sprintf(`!!document.querySelector(%q)`, landmark)) {
					t.Errorf("no %s", landmark)
				}
			}
			for _, v := range runAxe(t, ctx).Violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s (%s): %s, at %v", v.ID, v.Impact, v.Help, v.Nodes)
				} else {
					t.Logf("minor: %s (%s): %s", v.ID, v.Impact, v.Help)
				}
			}
		})
	}
}

func TestDossierDownload(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)
	ctx := e2e.NewTab(t, browser)
	dir := t.TempDir()
	// Let the browser save downloads where the test can find them.
	if _, err := cdp.Call(ctx, chromedp.FromContext(ctx).Browser, cdpbrowser.SetDownloadBehavior,
		cdpbrowser.SetDownloadBehaviorParams{Behavior: cdpbrowser.SetDownloadBehaviorBehaviorAllow, DownloadPath: dir}); err != nil {
		t.Fatalf("allow downloads: %v", err)
	}
	do(t, ctx,
		chromedp.Navigate(base+"/people/ardak-ashim"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="dossier-pdf"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="dossier-pdf"]`)),
	)
	path := filepath.Join(dir, "dossier-ardak-ashim.pdf")
	deadline := time.Now().Add(20 * time.Second)
	for {
		if b, err := os.ReadFile(path); err == nil && bytes.HasPrefix(b, []byte("%PDF-")) && bytes.Contains(b, []byte("%%EOF")) {
			break
		}
		if time.Now().After(deadline) {
			entries, _ := os.ReadDir(dir)
			t.Fatalf("no PDF downloaded; the folder holds %v", entries)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

func TestSearchBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)
	ctx := e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(base+"/people"),
		chromedp.WaitVisible(chromedp.CSS(`#site-search`)),
		chromedp.SendKeys(chromedp.CSS(`#site-search`), "Zhanaozen torture"),
		chromedp.Submit(chromedp.CSS(`#site-search`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hits-clause"]`)),
	)
	checkAxe(t, ctx, "/search?q=Zhanaozen torture")
	if marks := eval[int](t, ctx, `document.querySelectorAll('[data-testid="hits-clause"] mark').length`); marks == 0 {
		t.Error("no matched words marked in the clause snippets")
	}
	href := eval[string](t, ctx, `document.querySelector('[data-testid="hits-clause"] [data-testid="hit"]').getAttribute("href")`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="hits-clause"] [data-testid="hit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="clause"]`)))
	eid := href[strings.Index(href, "#")+1:]
	if loc := location(t, ctx); loc != base+href {
		t.Errorf("the hit led to %s, want %s", loc, base+href)
	}
	if got := eval[string](t, ctx, `(document.querySelector(":target") || {}).id || ""`); got != eid {
		t.Errorf("landed on %q, want the clause %s", got, eid)
	}
	// A Cyrillic spelling from the header leads to the person.
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#site-search`), "Бокаев"),
		chromedp.Submit(chromedp.CSS(`#site-search`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="hits-person"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="hits-person"] [data-testid="hit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="citing-clauses"]`)),
	)
	if loc := location(t, ctx); loc != base+"/people/max-bokayev" {
		t.Errorf("Бокаев led to %s", loc)
	}
}
