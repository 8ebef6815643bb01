package e2e_test

import (
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"github.com/whereas/whereas/internal/e2e"
)

// TestPickerBrowser picks a case's people by typing a few Cyrillic letters and choosing
// from the suggestions with the keyboard, as the combobox pattern has it.
func TestPickerBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx, chromedp.Navigate(base+"/cases/elena-semenova-case/edit"), chromedp.WaitVisible(chromedp.CSS(`#people[role="combobox"]`)))

	// Typing "бокае" offers Max Bokayev, with what tells him from namesakes.
	do(t, ctx, chromedp.Click(chromedp.CSS(`#people`)), chromedp.SendKeys(chromedp.CSS(`#people`), "бокае"))
	waitJS(t, ctx, `document.querySelector("#people-listbox").dataset.query === "бокае" && document.querySelector("#people").getAttribute("aria-expanded") === "true"`)
	if got := eval[string](t, ctx, `document.querySelector("#people-listbox [role=option]").textContent`); got != "Max Bokayev · civil society activist · Atyrau" {
		t.Errorf("first suggestion = %q", got)
	}
	checkAxe(t, ctx, "/cases/elena-semenova-case/edit, suggestions open")

	// Down highlights the first suggestion and names it as the active descendant; Enter
	// chooses it: it joins the list, ticked, and the suggestions close.
	do(t, ctx, chromedp.KeyEvent(kb.ArrowDown))
	if got := eval[string](t, ctx, `document.querySelector("#people").getAttribute("aria-activedescendant") + " " + document.querySelector("#people-option-0").getAttribute("aria-selected")`); got != "people-option-0 true" {
		t.Errorf("after ArrowDown: active descendant and selection = %q", got)
	}
	do(t, ctx, chromedp.KeyEvent(kb.Enter))
	waitJS(t, ctx, `!!document.querySelector('#people-chosen input[value="max-bokayev"]:checked')`)
	if got := eval[string](t, ctx, `document.querySelector("#people").getAttribute("aria-expanded") + "|" + document.querySelector("#people").value`); got != "false|" {
		t.Errorf("after choosing: expanded|box = %q", got)
	}
	if loc := location(t, ctx); loc != base+"/cases/elena-semenova-case/edit" {
		t.Errorf("Enter on a suggestion submitted the form: %s", loc)
	}

	// Escape closes the suggestions and leaves what was typed.
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#people`), "Харьк"))
	waitJS(t, ctx, `document.querySelector("#people-listbox").dataset.query === "Харьк" && document.querySelector("#people").getAttribute("aria-expanded") === "true"`)
	do(t, ctx, chromedp.KeyEvent(kb.Escape))
	if got := eval[string](t, ctx, `document.querySelector("#people").getAttribute("aria-expanded") + "|" + document.querySelector("#people").value`); got != "false|Харьк" {
		t.Errorf("after Escape: expanded|box = %q", got)
	}

	// Saved with the half-typed name left in the box, the server asks which record it means.
	do(t, ctx, chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)))
	waitJS(t, ctx, `!!document.querySelector('[data-testid="people-ask-0"]')`)
	checkAxe(t, ctx, "/cases/elena-semenova-case/edit, a name to choose")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="people-ask-0"] input[value="larisa-kharkova"]`)),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)))
	waitJS(t, ctx, `location.pathname === "/cases/elena-semenova-case" && document.readyState !== "loading"`)
	for _, slug := range []string{"max-bokayev", "larisa-kharkova", "elena-semenova"} {
		if !eval[bool](t, ctx, `!!document.querySelector('main a[href="/people/`+slug+`"]')`) {
			t.Errorf("the case page does not link %s after the save", slug)
		}
	}
}
