package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// TestChangesBrowser walks /changes as a visitor, in English and in Russian: from the home
// page's link, filters it with the form (no script needed) to one person's status changes,
// typing the person's name as they would, and checks what is listed, the filter's chip,
// the feed links, no sideways scrolling at 375 px, and axe at no serious or critical issue.
func TestChangesBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startApp(t)
	for lang, typed := range map[string]string{"en": "max-bokayev", "ru": "Бокаев"} {
		t.Run(lang, func(t *testing.T) {
			ctx := e2e.NewTab(t, browser)
			do(t, ctx, chromedp.EmulateViewport(375, 800), chromedp.Navigate(base+"/?lang="+lang),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="all-changes"]`)), chromedp.Click(chromedp.CSS(`[data-testid="all-changes"]`)),
				chromedp.WaitVisible(chromedp.CSS(`[data-testid="change-log"]`)))
			all := eval[int](t, ctx, `document.querySelectorAll('[data-testid="log-entry"]').length`)
			do(t, ctx, chromedp.SetValue(chromedp.CSS(`#changes-kind`), "status"),
				chromedp.SendKeys(chromedp.CSS(`#changes-person`), typed),
				chromedp.Click(chromedp.CSS(`[data-testid="changes-show"]`)))
			waitJS(t, ctx, `location.search.includes("person=max-bokayev") && document.querySelector('[data-testid="chip"]') !== null`)
			kinds := eval[[]string](t, ctx, `[...document.querySelectorAll('[data-testid="log-entry"]')].map(e => e.dataset.kind)`)
			if len(kinds) == 0 || len(kinds) >= all {
				t.Errorf("filtered to %d entries of %d", len(kinds), all)
			}
			for _, k := range kinds {
				if k != "status" {
					t.Errorf("a %s entry under kind=status", k)
				}
			}
			if text := eval[string](t, ctx, `document.querySelector('[data-testid="change-log"]').innerText`); !strings.Contains(text, "Max Bokayev") {
				t.Errorf("the filtered list does not name Max Bokayev: %s", text)
			}
			if href := eval[string](t, ctx, `document.querySelector('head link[type="application/atom+xml"]').getAttribute("href")`); !strings.Contains(href, "/changes.atom?") || !strings.Contains(href, "person=max-bokayev") || !strings.Contains(href, "lang="+lang) {
				t.Errorf("the head's feed link is %q", href)
			}
			if sizes := eval[[]int](t, ctx, `[document.documentElement.scrollWidth, document.documentElement.clientWidth]`); sizes[0] > sizes[1] {
				t.Errorf("content %d px wide in a %d px viewport", sizes[0], sizes[1])
			}
			if lang != "en" {
				noEnglish(t, ctx, lang, "/changes?person=max-bokayev&kind=status")
			}
			for _, v := range runAxe(t, ctx).Violations {
				if v.Impact == "serious" || v.Impact == "critical" {
					t.Errorf("%s: %s (%s): %s, at %v", lang, v.ID, v.Impact, v.Help, v.Nodes)
				}
			}
			// Taking the filter off by its chip lists every kind again.
			do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="chip"]`)))
			waitJS(t, ctx, `!location.search.includes("person=")`)
		})
	}
}
