package e2e_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// An admin imports a new resolution: a text that cannot be parsed is refused beside the
// field with the input kept; the uploaded file is parsed into a draft nobody else can see;
// the admin creates a person from a candidate, turns down a link, adds a demand and
// publishes; the resolution and the new person are public, linked both ways.
func TestImportReviewBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)

	do(t, ctx,
		chromedp.Navigate(base+"/staff"),
		chromedp.Click(chromedp.CSS(`.staff-bar a[href="/admin/imports"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
	)
	checkAxe(t, ctx, "/admin/imports")

	// A text whose paragraphs skip a number is refused, naming the line; the text stays.
	bad := "European Parliament resolution of 1 June 2023 on a test (2023/2001(RSP))\nA.\twhereas x;\n1.\tUrges;\n3.\tSkips;"
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#text`), bad),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="text-error"]`)),
	)
	if msg := eval[string](t, ctx, `document.querySelector('[data-testid="text-error"]').innerText`); !strings.Contains(msg, "line 4") || !strings.Contains(msg, "paragraph 3") {
		t.Errorf("error beside the text = %q", msg)
	}
	if kept := eval[string](t, ctx, `document.getElementById("text").value`); kept != bad {
		t.Errorf("text kept = %q", kept)
	}

	// Upload the real thing.
	file, _ := filepath.Abs("../importer/testdata/synthetic-2022-kazakhstan.txt")
	eval[string](t, ctx, `document.getElementById("text").value = ""`)
	do(t, ctx,
		chromedp.SetUploadFiles(chromedp.CSS(`#file`), []string{file}),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="links-form"]`)),
	)
	review := location(t, ctx)
	if h := eval[string](t, ctx, `document.querySelector("h1").innerText`); h != "Situation in Kazakhstan" {
		t.Errorf("review h1 = %q", h)
	}
	if s := eval[string](t, ctx, `document.querySelector('[data-testid="diff-summary"]').innerText`); !strings.Contains(s, "12 clauses") {
		t.Errorf("summary = %q", s)
	}
	checkAxe(t, ctx, "/admin/imports/{id}")

	// Not public yet: not listed, and not at its future address.
	do(t, ctx, chromedp.Navigate(base+"/resolutions"), chromedp.WaitVisible(chromedp.CSS("main")))
	if eval[bool](t, ctx, `document.body.innerText.includes("2022/2502(RSP)")`) {
		t.Error("the draft is listed publicly before publishing")
	}
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2022-2502-rsp"), chromedp.WaitVisible(chromedp.CSS("main")))
	if h := eval[string](t, ctx, `document.querySelector("h1").innerText`); !strings.Contains(h, "not found") && !strings.Contains(h, "Not found") {
		t.Errorf("the draft's future address shows %q", h)
	}
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="links-form"]`)))

	// Create Galym Ageleuov from the candidate, with his Cyrillic spelling.
	form := `form[data-testid="entity-form-cand-0"]`
	if name := eval[string](t, ctx, `document.querySelector('`+form+` input[name="name"]').value`); name != "Galym Ageleuov" {
		t.Fatalf("first candidate = %q", name)
	}
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(form+` textarea[name="aliases"]`), "Галым Агелеуов"),
		chromedp.SendKeys(chromedp.CSS(form+` input[name="role"]`), "human rights defender"),
		chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="new-entities"]`)),
	)
	if links := eval[string](t, ctx, `document.querySelector('[data-testid="review-rec_C"]').innerText`); !strings.Contains(links, "Galym Ageleuov (new)") {
		t.Errorf("recital C after creating him:\n%s", links)
	}

	// Turn down the link of Max Bokayev in point 2(b).
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="review-para_2__point_b"] input[name="accept"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="save-links"]`)),
	)
	// The page before had a notice too: wait for the new page, not any notice.
	waitJS(t, ctx, `location.search === "?done=links" && document.readyState === "complete"`)
	if eval[bool](t, ctx, `document.querySelector('[data-testid="review-para_2__point_b"] input[name="accept"]').checked`) {
		t.Error("the turned-down link is ticked again")
	}

	// A demand quoting words not in the clause is refused beside the field; then a right one.
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#demand-clause`), "para_2__point_a"),
		chromedp.SetValue(chromedp.CSS(`#demand-action`), "release"),
		chromedp.SendKeys(chromedp.CSS(`#demand-wording`), "free everyone"),
		chromedp.Click(chromedp.CSS(`[data-testid="demand-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="wording-error"]`)),
	)
	if kept := eval[string](t, ctx, `document.getElementById("demand-wording").value`); kept != "free everyone" {
		t.Errorf("wording kept = %q", kept)
	}
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#demand-wording`), "release Galym Ageleuov and Dariga Sultanbekova immediately and unconditionally"),
		chromedp.Click(chromedp.CSS(`[data-testid="demand-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="draft-demand"]`)),
	)

	// Publish: the resolution is public, the new person linked from it.
	// The review page has clause anchors too: wait for the resolution's address.
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="publish"]`)))
	waitJS(t, ctx, `location.pathname === "/resolutions/2022-2502-rsp" && document.readyState === "complete"`)
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS("main")))
	if eval[bool](t, ctx, `!!document.querySelector('[data-testid="publish"]')`) {
		t.Error("a published draft still offers to publish")
	}
	signOutBrowser(t, ctx)

	// What a visitor sees.
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2022-2502-rsp"), chromedp.WaitVisible(chromedp.CSS(`#rec_C`)))
	if !eval[bool](t, ctx, `!!document.querySelector('#rec_C a[href="/people/galym-ageleuov"]')`) {
		t.Error("recital C does not link the new person")
	}
	if eval[bool](t, ctx, `!!document.querySelector('#para_2__point_b a[href="/people/max-bokayev"]')`) {
		t.Error("the turned-down link was published")
	}
	do(t, ctx, chromedp.Navigate(base+"/people/max-bokayev"), chromedp.WaitVisible(chromedp.CSS("main")))
	text := eval[string](t, ctx, `document.querySelector("main").innerText`)
	if i, j := strings.Index(text, "2019/2610(RSP)"), strings.Index(text, "2022/2502(RSP)"); i < 0 || j < 0 || i > j {
		t.Errorf("Max Bokayev's page should cite both resolutions, oldest first (at %d and %d)", i, j)
	}
	do(t, ctx, chromedp.Navigate(base+"/resolutions"), chromedp.WaitVisible(chromedp.CSS("main")))
	if list := eval[string](t, ctx, `document.querySelector("main").innerText`); !strings.Contains(list, "2022/2502(RSP)") || !strings.Contains(list, "Follow-up score") {
		t.Errorf("resolutions index:\n%s", list)
	}
}
