package e2e_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/synth"
)

// The resolution page with a way in (issue 15 §0, §3), on the seed plus 2,000 generated
// people, at a phone's and a desktop's width: it says it shows a motion, folds the
// citations in its contents, lists the people named with their status, and each clause
// label is a permalink with a copy button; the comparison with the adopted text and the
// staff form saying which text it is pass axe too.
func TestResolutionPageWayIn(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base, db := startStaffAppWithDB(t)
	ctx := context.Background()
	if err := db.LoadSynthetic(ctx, synth.Generate(synth.Options{People: 2000, Seed: 15})); err != nil {
		t.Fatal(err)
	}
	publishAdoptedText(t, db)

	for _, width := range []int64{375, 1280} {
		t.Run(fmt.Sprintf("%dpx", width), func(t *testing.T) {
			tab := e2e.NewTab(t, browser)
			do(t, tab, chromedp.EmulateViewport(width, 900), chromedp.Navigate(base+"/resolutions/2019-2610-rsp"), chromedp.WaitVisible(chromedp.CSS("main")))
			if got := eval[string](t, tab, `document.querySelector('[data-testid="stage"]').textContent`); !strings.HasPrefix(got, "Motion for a resolution") {
				t.Errorf("eyebrow %q", got)
			}
			if eval[bool](t, tab, `document.body.textContent.includes("Adopted in plenary")`) {
				t.Error("the motion's page says it was adopted in plenary")
			}
			sizes := eval[[]int](t, tab, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`)
			if sizes[0] > sizes[1] {
				t.Errorf("content %dpx wide in a %dpx viewport", sizes[0], sizes[1])
			}
			// The citations are folded; a reader opens them from the contents and jumps to one.
			if eval[bool](t, tab, `document.querySelector('[data-testid="toc-citations"]').open || document.querySelector('[data-testid="toc-citations"] a[href="#cit_3"]').checkVisibility()`) {
				t.Error("citations are not folded in the contents")
			}
			do(t, tab, chromedp.Click(chromedp.CSS(`[data-testid="toc-citations"] summary`)), chromedp.Click(chromedp.CSS(`[data-testid="toc-citations"] a[href="#cit_3"]`)))
			waitJS(t, tab, `location.hash === "#cit_3"`)
			if n := eval[int](t, tab, `document.querySelectorAll('[data-testid="people-named"] tbody tr').length`); n < 5 {
				t.Errorf("people named: %d rows", n)
			}
			// The copy button the script adds beside each label, named for its clause.
			if got := eval[string](t, tab, `(document.querySelector('#rec_K .copy-link') || {}).ariaLabel || ""`); got != "Copy link to Recital K" {
				t.Errorf("copy button %q", got)
			}
			checkAxe(t, tab, fmt.Sprintf("/resolutions/2019-2610-rsp at %dpx", width))
			do(t, tab, chromedp.Navigate(base+"/resolutions/2019-2610-rsp/compare/2019-2610-rsp-adopted"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="compare"]`)))
			if got := eval[string](t, tab, `document.querySelector('[data-testid="compare-summary"]').textContent`); !strings.Contains(got, "1 changed") {
				t.Errorf("comparison summary %q", got)
			}
			checkAxe(t, tab, fmt.Sprintf("compare at %dpx", width))
		})
	}
	t.Run("StaffForm", func(t *testing.T) {
		tab := e2e.NewTab(t, browser)
		signInBrowser(t, tab, base)
		defer signOutBrowser(t, tab)
		do(t, tab, chromedp.Navigate(base+"/resolutions/2019-2610-rsp/edit"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="text-form"]`)),
			chromedp.SendKeys(chromedp.CSS(`#official_url`), "http://www.europarl.europa.eu/x"),
			chromedp.Click(chromedp.CSS(`[data-testid="text-form"] button[type="submit"]`)))
		waitJS(t, tab, `!!document.querySelector('[data-testid="official_url-error"]')`)
		checkAxe(t, tab, "/resolutions/2019-2610-rsp/edit with an error")
		do(t, tab, chromedp.Navigate(base+"/resolutions/2019-2610-rsp-adopted/carry-over"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="carry-form"]`)))
		checkAxe(t, tab, "/resolutions/2019-2610-rsp-adopted/carry-over")
	})
}

// publishAdoptedText imports the seed's words as the text adopted, one paragraph changed,
// beside the seed's motion.
func publishAdoptedText(t *testing.T, db *postgres.DB) {
	t.Helper()
	ctx := context.Background()
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	_, rest, _ := strings.Cut(ds.Resolution.SourceText, "\n")
	text := "European Parliament resolution of 14 March 2019 on the human rights situation in Kazakhstan\n" +
		strings.Replace(rest, "Instructs its President", "Instructs its President swiftly", 1)
	actor := postgres.Actor{Name: "test"}
	id, err := db.CreateDraft(ctx, actor, importer.Request{Text: text})
	if err != nil {
		t.Fatal(err)
	}
	v, err := db.DraftView(ctx, id)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.PublishDraft(ctx, actor, id, v.Record.Version, false); err != nil {
		t.Fatal(err)
	}
}
