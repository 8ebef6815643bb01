package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// TestFormsBrowser walks what issue 13 §9 promises in a real browser: a refused form's
// error summary takes the focus and links to the field, a destructive action is asked
// first on a page without script, the notice after a save, and the activity log's
// field-by-field changes; axe checks each page.
func TestFormsBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)

	// A status with no status chosen and no source: refused, the summary focused.
	do(t, ctx,
		chromedp.Navigate(base+"/cases/aset-mataev-case"),
		chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
		chromedp.SendKeys(chromedp.CSS(`#note`), "kept after the error"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
	)
	waitJS(t, ctx, `!!document.querySelector('[data-testid="error-summary"]') && document.readyState === "complete"`)
	// Chromium gives autofocus at its next rendering step, which may come after the load
	// event on a busy machine: wait for it (15 s at most) rather than look at once.
	waitJS(t, ctx, `document.activeElement?.getAttribute("data-testid") === "error-summary"`)
	if links := eval[string](t, ctx, `[...document.querySelectorAll('[data-testid="error-summary"] a')].map(a => a.getAttribute("href")).join(" ")`); links != "#status #source_url" {
		t.Errorf("summary links: %q", links)
	}
	checkAxe(t, ctx, "/cases/aset-mataev-case (refused status)")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="error-summary"] a[href="#source_url"]`)))
	waitJS(t, ctx, `location.hash === "#source_url"`)

	// Disable an account: asked first, on its own page; then the notice and the new state.
	do(t, ctx,
		chromedp.Navigate(base+"/admin/users"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "leaving@example.org"),
		chromedp.Click(chromedp.CSS(`form[action="/admin/users"] button[type="submit"]`)),
	)
	waitJS(t, ctx, `document.querySelector('[data-testid="flash"]')?.innerText === "Account leaving@example.org added, as editor."`)
	if eval[bool](t, ctx, `[...document.querySelectorAll('button')].some(b => b.innerText.includes("Disable admin@example.org"))`) {
		t.Error("the admin is offered to disable their own account")
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`form[action="/admin/users/disable"]:has(input[value="leaving@example.org"]) button`)))
	waitJS(t, ctx, `!!document.querySelector('[data-testid="confirm"]') && document.readyState === "complete"`)
	if h := eval[string](t, ctx, `document.querySelector('h1').innerText`); h != "Disable leaving@example.org?" {
		t.Errorf("confirmation heading %q", h)
	}
	checkAxe(t, ctx, "/admin/users/disable (confirmation)")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="confirm"] button[type="submit"]`)))
	waitJS(t, ctx, `(document.querySelector('[data-testid="flash"]')?.innerText || "").startsWith("Account leaving@example.org disabled")`)
	state := eval[string](t, ctx, `[...document.querySelectorAll('[data-testid="account"]')].find(r => r.innerText.includes("leaving@example.org")).querySelector('[data-testid="account-state"]').innerText`)
	if !strings.HasPrefix(state, "Disabled since") {
		t.Errorf("the disabled account's state reads %q", state)
	}

	// The activity log: the account's changes, and a person's field-by-field edit.
	do(t, ctx,
		chromedp.Navigate(base+"/people/aset-mataev/edit"),
		chromedp.WaitVisible(chromedp.CSS(`#place`)),
		chromedp.SetValue(chromedp.CSS(`#place`), "Shymkent"),
		chromedp.Click(chromedp.CSS(`main form button[type="submit"]`)),
	)
	waitJS(t, ctx, `(document.querySelector('[data-testid="flash"]')?.innerText || "").startsWith("Saved your changes to")`)
	do(t, ctx, chromedp.Navigate(base+"/admin/activity?person=aset-mataev"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="activity"]`)))
	if after := eval[string](t, ctx, `document.querySelector('[data-testid="diff"] tr[data-field="place"] [data-testid="after"]').innerText`); after != "Shymkent" {
		t.Errorf("the activity log's new place reads %q", after)
	}
	checkAxe(t, ctx, "/admin/activity?person=aset-mataev")
	do(t, ctx, chromedp.Navigate(base+"/admin/activity?from=nonsense"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="error-summary"]`)))
	checkAxe(t, ctx, "/admin/activity?from=nonsense")
	signOutBrowser(t, ctx)
}
