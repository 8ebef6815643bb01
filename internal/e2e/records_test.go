package e2e_test

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// TestRecordsBrowser creates a person with a Cyrillic alias and an affiliation, then a
// case for them named by another spelling, retires the person and restores them, in
// Chromium, with axe on every new page.
func TestRecordsBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	// Each step has a tab of its own (a tab's time is bounded); the tabs share the sign-in.
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)

	for _, path := range []string{"/people/new", "/cases/new", "/organisations/new", "/legal-provisions/new",
		"/organisations/cituk/edit", "/legal-provisions/criminal-libel/edit", "/organisations/cituk/retire"} {
		do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
		checkAxe(t, ctx, path)
	}

	// A refused form keeps the input, the message beside the field.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(base+"/staff"),
		chromedp.Click(chromedp.CSS(`[data-testid="new-record-links"] a[href="/people/new"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#name`)),
		chromedp.SendKeys(chromedp.CSS(`#name`), "Aigul Utepova"),
		chromedp.SendKeys(chromedp.CSS(`#aliases`), "Айгуль Утепова"),
		chromedp.SendKeys(chromedp.CSS(`#born_on`), "1975-02-30"),
		// The organisation, chosen from the suggestions for a few Cyrillic letters.
		chromedp.SendKeys(chromedp.CSS(`#affiliation_0`), "Конфед"),
	)
	waitJS(t, ctx, `document.querySelector("#affiliation_0-listbox").dataset.query === "Конфед" && document.querySelector("#affiliation_0").getAttribute("aria-expanded") === "true"`)
	checkAxe(t, ctx, "/people/new, organisations suggested")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#affiliation_0-listbox [role=option]`)),
		chromedp.SendKeys(chromedp.CSS(`#affiliation_0_role`), "deputy chair"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="born_on-error"]`)),
	)
	checkAxe(t, ctx, "/people/new (refused)")
	if v := eval[string](t, ctx, `document.getElementById("aliases").value + "|" + document.getElementById("affiliation_0_role").value + "|" + !!document.querySelector('#affiliation_0-chosen input[value="cituk"]:checked')`); v != "Айгуль Утепова|deputy chair|true" {
		t.Errorf("aliases|role|organisation kept: %q", v)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#born_on`), "1975-02-28"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	if loc := location(t, ctx); loc != base+"/people/aigul-utepova" {
		t.Fatalf("after create: %s", loc)
	}
	if aff := eval[string](t, ctx, `document.querySelector('[data-testid="affiliations-h"]').innerText`); !strings.Contains(aff, "Confederation of Independent Trade Unions of Kazakhstan, deputy chair") {
		t.Errorf("affiliations: %q", aff)
	}
	checkAxe(t, ctx, "/people/aigul-utepova (staff)")
	do(t, ctx, chromedp.Navigate(base+"/organisations/cituk"), chromedp.WaitVisible(chromedp.CSS("main")))
	if members := eval[string](t, ctx, `document.querySelector('[data-testid="members-h"]').innerText`); !strings.Contains(members, "Aigul Utepova, deputy chair") {
		t.Errorf("CITUK's people: %q", members)
	}

	// A case for her, named in Cyrillic.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(base+"/cases/new"),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), "Case of Aigul Utepova"),
		chromedp.SendKeys(chromedp.CSS(`#people`), "Айгуль Утепова"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="flash"]`)),
	)
	if concerns := eval[string](t, ctx, `document.querySelector(".facts").innerText`); !strings.Contains(concerns, "Aigul Utepova") {
		t.Errorf("case concerns: %q", concerns)
	}

	// Retire her: confirmation page, banner for staff, 410 for the public; then restore.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(base+"/people/aigul-utepova"),
		chromedp.Click(chromedp.CSS(`[data-testid="retire"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="confirm"] button[type="submit"]`)),
	)
	checkAxe(t, ctx, "/people/aigul-utepova/retire")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="confirm"] button[type="submit"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="retired-banner"]`)))
	checkAxe(t, ctx, "/people/aigul-utepova (retired, staff)")
	signOutBrowser(t, ctx)
	do(t, ctx, chromedp.Navigate(base+"/people/aigul-utepova"), chromedp.WaitVisible(chromedp.CSS("main")))
	if h := eval[string](t, ctx, `document.querySelector("h1").textContent`); !strings.Contains(h, "No longer published") {
		t.Errorf("public page of a retired person: %q", h)
	}
	checkAxe(t, ctx, "/people/aigul-utepova (410)")
	ctx = e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx,
		chromedp.Navigate(base+"/people/aigul-utepova"),
		chromedp.Click(chromedp.CSS(`[data-testid="restore"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="retire"]`)),
	)
	signOutBrowser(t, ctx)
}
