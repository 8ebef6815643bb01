package e2e_test

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/e2e"
)

// TestTwoFactorBrowser walks two-factor sign-in in Chromium, without JavaScript of the
// site's own: enrol (QR code and key, first code, recovery codes shown once), sign out,
// sign in with password and code. Each page passes axe.
func TestTwoFactorBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)

	do(t, ctx, chromedp.Navigate(base+"/staff/2fa"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="2fa-qr"]`)))
	checkAxe(t, ctx, "/staff/2fa (enrol)")
	if !eval[bool](t, ctx, `document.querySelector('[data-testid="2fa-qr"]').naturalWidth > 0`) {
		t.Error("the QR code image did not load under the page's Content-Security-Policy")
	}
	secret := strings.ReplaceAll(eval[string](t, ctx, `document.querySelector('[data-testid="2fa-secret"]').innerText`), " ", "")
	code, err := auth.TOTPCode(secret, time.Now())
	if err != nil {
		t.Fatalf("key %q: %v", secret, err)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#code`), code),
		chromedp.Click(chromedp.CSS(`form[action="/staff/2fa"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="recovery-codes"]`)),
	)
	checkAxe(t, ctx, "/staff/2fa (recovery codes)")
	if n := eval[int](t, ctx, `document.querySelectorAll('[data-testid="recovery-codes"] li').length`); n != 10 {
		t.Errorf("%d recovery codes shown", n)
	}
	signOutBrowser(t, ctx)

	// Password, then the code of the next step (the one used to enrol cannot be used again).
	do(t, ctx,
		chromedp.Navigate(base+"/sign-in"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), "admin@example.org"),
		chromedp.SendKeys(chromedp.CSS(`#password`), staffPassword),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/sign-in/code"]`)),
	)
	checkAxe(t, ctx, "/sign-in/code")
	if eval[bool](t, ctx, `!!document.querySelector('[data-testid="signed-in-as"]')`) {
		t.Error("signed in before the code was given")
	}
	next, _ := auth.TOTPCode(secret, time.Now().Add(30*time.Second))
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#code`), next),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in/code"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="signed-in-as"]`)),
	)
	if loc := location(t, ctx); loc != base+"/staff" {
		t.Errorf("after password and code: %s", loc)
	}
	do(t, ctx, chromedp.Navigate(base+"/staff/2fa"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="2fa-state"]`)))
	checkAxe(t, ctx, "/staff/2fa (on)")
	signOutBrowser(t, ctx)
}
