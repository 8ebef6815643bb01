package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// TestCaseFactsBrowser records a case's facts on its edit form, with a hearing in the
// next 30 days and an internal facility, then finds the hearing on the staff dashboard and
// sees the public page show the facts but not the facility. Every page passes axe. Each
// step has a tab of its own, so each has the whole of a tab's time on a loaded machine.
func TestCaseFactsBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	hearing := time.Now().AddDate(0, 0, 10)

	do(t, ctx, chromedp.Navigate(base+"/cases/max-bokayev-case/edit"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="facts-fields"]`)))
	checkAxe(t, ctx, "/cases/max-bokayev-case/edit")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#detained_on`), "2016-05-17"),
		chromedp.SendKeys(chromedp.CSS(`#charge_0`), "Criminal Code Article 174"),
		chromedp.SendKeys(chromedp.CSS(`#charge_0_detail`), "part 2"),
		chromedp.SendKeys(chromedp.CSS(`#charge_1`), "Criminal Code Article 274"),
		chromedp.SendKeys(chromedp.CSS(`#sentence`), "5 years in prison"),
		chromedp.SendKeys(chromedp.CSS(`#sentence_months`), "-60"),
		chromedp.SendKeys(chromedp.CSS(`#next_hearing_on`), hearing.Format(time.DateOnly)),
		chromedp.SendKeys(chromedp.CSS(`#facility`), "Colony of the test"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="sentence_months-error"]`)),
	)
	checkAxe(t, ctx, "/cases/max-bokayev-case/edit (refused)")
	if kept := eval[string](t, ctx, `document.getElementById("facility").value`); kept != "Colony of the test" {
		t.Errorf("facility kept as %q", kept)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#sentence_months`), "60"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="fact-sentence"]`)),
	)
	if got := eval[string](t, ctx, `document.querySelector('[data-testid="fact-facility"]').innerText`); !strings.Contains(got, "Colony of the test") || !strings.Contains(got, "staff only") {
		t.Errorf("staff see the facility as %q", got)
	}

	ctx = e2e.NewTab(t, browser) // the tabs share the sign-in
	do(t, ctx, chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="queues"]`)))
	checkAxe(t, ctx, "/staff")
	if n := eval[string](t, ctx, `document.querySelector('[data-testid="queue-coming-up"] [data-testid="queue-count"]').innerText`); n != "1" {
		t.Errorf("hearings coming up: %q, want 1", n)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="queue-coming-up"] a`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="queue-items"]`)))
	checkAxe(t, ctx, "/staff/queues/coming-up")
	if item := eval[string](t, ctx, `document.querySelector('[data-testid="queue-item"]').innerText`); !strings.Contains(item, "Max Bokayev") ||
		!strings.Contains(item, hearing.Format("2 January 2006")) {
		t.Errorf("coming up: %q", item)
	}

	signOutBrowser(t, ctx)
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/cases/max-bokayev-case"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="fact-charges"]`)))
	page := eval[string](t, ctx, `document.querySelector('main').innerText`)
	if !strings.Contains(page, "17 May 2016") || !strings.Contains(page, "Criminal Code Article 174, part 2") || !strings.Contains(page, "5 years in prison (60 months)") {
		t.Errorf("public case page:\n%s", page)
	}
	if strings.Contains(page, "Colony of the test") {
		t.Error("the public case page shows the internal facility")
	}
	checkAxe(t, ctx, "/cases/max-bokayev-case")
}
