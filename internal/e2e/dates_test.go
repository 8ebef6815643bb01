package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// TestReleaseInOneForm: staff record Max Bokayev's release, known to the month, in the one
// status form; it proposes "met" for the release demand, staff confirm, and the public
// pages then say "since May 2024" for both, with axe content on the form at each step.
func TestReleaseInOneForm(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx,
		chromedp.Navigate(base+"/cases/max-bokayev-case"),
		chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
	)
	checkAxe(t, ctx, "/cases/max-bokayev-case (status form)")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#status`), "released"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "2024-05"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Released at the end of his sentence."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/bokayev-released"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="proposals"]`)),
	)
	release := `select[name="demand.2019-2610-rsp-para-1-1"]`
	if v := eval[string](t, ctx, `document.querySelector('`+release+`').value`); v != "met" {
		t.Fatalf("the release demand is proposed %q, want met", v)
	}
	if v := eval[string](t, ctx, `document.querySelector('select[name="demand.2019-2610-rsp-para-1-2"]').value`); v != "" {
		t.Errorf("quashing the conviction is proposed %q; a release leaves it", v)
	}
	checkAxe(t, ctx, "/cases/max-bokayev-case (proposals)")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)))
	waitJS(t, ctx, `document.querySelectorAll('[data-testid="timeline"] li').length === 2`)
	signOutBrowser(t, ctx)

	do(t, ctx, chromedp.Navigate(base+"/people/max-bokayev"), chromedp.WaitVisible(chromedp.CSS("main")))
	current := eval[string](t, ctx, `document.querySelector('[data-testid="current-status"]').innerText`)
	demands := eval[string](t, ctx, `document.querySelector('[data-testid="demands"]').innerText`)
	if fold(current) != "Released since May 2024" {
		t.Errorf("public current status %q", current)
	}
	if !strings.Contains(fold(demands), "Met since May 2024") || strings.Contains(demands, "1 May 2024") {
		t.Errorf("public demands:\n%s", demands)
	}
	if eval[bool](t, ctx, `!!document.querySelector('[data-testid="mismatch"]')`) {
		t.Error("the public sees a staff notice")
	}
}

func fold(s string) string { return strings.Join(strings.Fields(s), " ") }
