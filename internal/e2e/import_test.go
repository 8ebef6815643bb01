package e2e_test

import (
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// An admin imports a new resolution: a text that cannot be parsed is refused beside the
// field with the input kept; the uploaded file is parsed into a draft nobody else can see;
// the admin turns down a link and then creates a person from a candidate (the link stays
// turned down: the page is one form), accepts and rejects proposed demands, adds one,
// checks the answers and publishes; the resolution and the new person are public, linked
// both ways.
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

	// A text whose paragraphs number backwards is refused, naming the line; the text stays.
	bad := "European Parliament resolution of 1 June 2023 on a test (2023/2001(RSP))\nA.\twhereas x;\n1.\tUrges;\n1.\tSkips;"
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#text`), bad),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="text-error"]`)),
	)
	if msg := eval[string](t, ctx, `document.querySelector('[data-testid="text-error"]').innerText`); !strings.Contains(msg, "line 4") || !strings.Contains(msg, "paragraph 1 is out of order") {
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
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)),
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
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)))

	// The reported sequence: untick a wrong link (Max Bokayev in point 2(b)), then create a
	// person; the page is one form, so the untick goes with the creation and stays.
	bokayevBox := `[data-testid="review-para_2__point_b"] input[name="accept"][value*="|max-bokayev|"]`
	do(t, ctx, chromedp.Click(chromedp.CSS(bokayevBox)))
	form := `fieldset[data-testid="entity-form-cand-0"]`
	if name := eval[string](t, ctx, `document.querySelector('`+form+` input[name="cand-0-name"]').value`); name != "Galym Ageleuov" {
		t.Fatalf("first candidate = %q", name)
	}
	// The role his cue gives is filled in.
	if role := eval[string](t, ctx, `document.querySelector('`+form+` input[name="cand-0-role"]').value`); role != "human rights defender" {
		t.Errorf("role filled in = %q", role)
	}
	// What is typed in other parts of the form (another candidate's spellings, the form for
	// someone else) is not lost by creating this one.
	other := eval[string](t, ctx, `document.querySelector('fieldset[data-testid="entity-form-cand-1"] legend').innerText`)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(form+` textarea[name="cand-0-aliases"]`), "Галым Агелеуов"),
		chromedp.SendKeys(chromedp.CSS(`textarea[name="cand-1-aliases"]`), "Другое написание"),
		chromedp.SendKeys(chromedp.CSS(`input[name="new-name"]`), "Oraz Serikbay"),
		chromedp.Click(chromedp.CSS(form+` button[name="at"]`)),
	)
	waitJS(t, ctx, `(document.querySelector('[data-testid="flash"]') || {innerText: ""}).innerText.includes("Added") && document.readyState === "complete"`)
	if kept := eval[string](t, ctx, `[...document.querySelectorAll("fieldset.candidate")].filter(f => f.querySelector("legend").innerText === `+strconv.Quote(other)+`).map(f => f.querySelector("textarea").value).join("|") + "|" + document.querySelector('input[name="new-name"]').value`); kept != "Другое написание|Oraz Serikbay" {
		t.Errorf("typed elsewhere on the page, after creating a person: %q", kept)
	}
	if links := eval[string](t, ctx, `document.querySelector('[data-testid="review-rec_C"]').innerText`); !strings.Contains(links, "Galym Ageleuov (new)") {
		t.Errorf("recital C after creating him:\n%s", links)
	}
	if eval[bool](t, ctx, `document.querySelector('`+bokayevBox+`').checked`) {
		t.Error("creating a person ticked the turned-down link again")
	}

	// The demands in a tab of their own (each tab has a minute).
	ctx = e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)))

	// Accept the proposed demand of point 2(c) and reject paragraph 1's; then a demand quoting words not in the clause is refused beside the field, with every
	// decision kept as it was left.
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`[data-testid="proposal-para_2__point_c@0"] input[value="accept"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="proposal-para_1@39"] input[value="reject"]`)),
	)
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#demand-clause`), "para_2__point_a"),
		chromedp.SetValue(chromedp.CSS(`#demand-action`), "release"),
		chromedp.SendKeys(chromedp.CSS(`#demand-wording`), "free everyone"),
		chromedp.Click(chromedp.CSS(`[data-testid="add-demand"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="wording-error"]`)),
	)
	if kept := eval[string](t, ctx, `document.getElementById("demand-wording").value`); kept != "free everyone" {
		t.Errorf("wording kept = %q", kept)
	}
	if eval[bool](t, ctx, `document.querySelector('`+bokayevBox+`').checked`) ||
		!eval[bool](t, ctx, `document.querySelector('[data-testid="proposal-para_2__point_c@0"] input[value="accept"]').checked`) {
		t.Error("the refused page lost a decision")
	}
	checkAxe(t, ctx, "/admin/imports/{id} with a refusal")
	// A target picked by name, from the suggestions for a few Cyrillic letters.
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#demand-wording`), "release Galym Ageleuov and Dariga Sultanbekova immediately and unconditionally"),
		chromedp.Click(chromedp.CSS(`#target_named`)),
		chromedp.SendKeys(chromedp.CSS(`#target_named`), "бокае"),
	)
	waitJS(t, ctx, `document.querySelector("#target_named-listbox").dataset.query === "бокае" && document.querySelector("#target_named").getAttribute("aria-expanded") === "true"`)
	checkAxe(t, ctx, "/admin/imports/{id}, demand targets suggested")
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#target_named-listbox [role=option]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="add-demand"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="draft-demand"]`)),
	)
	if d := eval[string](t, ctx, `document.querySelector('[data-testid="draft-demand"]').innerText`); !strings.Contains(d, "Max Bokayev") {
		t.Errorf("the added demand: %q", d)
	}
	if eval[bool](t, ctx, `document.querySelector('`+bokayevBox+`').checked`) ||
		!eval[bool](t, ctx, `document.querySelector('[data-testid="proposal-para_2__point_c@0"] input[value="accept"]').checked`) ||
		!eval[bool](t, ctx, `document.querySelector('[data-testid="proposal-para_1@39"] input[value="reject"]').checked`) {
		t.Error("adding a demand lost a decision")
	}

	// The rest in a tab of its own: each tab has a minute, and a loaded machine needs it.
	ctx = e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)))

	// Discarding asks first; "No" goes back with nothing lost.
	do(t, ctx, chromedp.Click(chromedp.CSS(`a[href$="/discard"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="discard"]`)))
	checkAxe(t, ctx, "/admin/imports/{id}/discard")
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)))

	// Check your answers: what will be published, with links back; then publish.
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="check"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="check-list"]`)))
	check := eval[string](t, ctx, `document.querySelector('[data-testid="check-list"]').innerText`)
	for _, want := range []string{"Galym Ageleuov", "human rights defender", "repeal Criminal Code article 174", "release Galym Ageleuov and Dariga Sultanbekova", "Point 2(b): Max Bokayev"} {
		if !strings.Contains(check, want) {
			t.Errorf("check page lacks %q:\n%s", want, check)
		}
	}
	checkAxe(t, ctx, "/admin/imports/{id}/check")
	// Publish: the resolution is public, the new person linked from it.
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="publish"]`)))
	waitJS(t, ctx, `location.pathname === "/resolutions/2022-2502-rsp" && document.readyState === "complete"`)
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS("main")))
	if eval[bool](t, ctx, `!!document.querySelector('[data-testid="publish"]')`) {
		t.Error("a published draft still offers to publish")
	}
	signOutBrowser(t, ctx)

	// What a visitor sees, in a tab of its own.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2022-2502-rsp"), chromedp.WaitVisible(chromedp.CSS(`#rec_C`)))
	if !eval[bool](t, ctx, `!!document.querySelector('#rec_C a[href="/people/galym-ageleuov"]')`) {
		t.Error("recital C does not link the new person")
	}
	if eval[bool](t, ctx, `!!document.querySelector('#para_2__point_b a[href="/people/max-bokayev"]')`) {
		t.Error("the turned-down link was published")
	}
	if !eval[bool](t, ctx, `document.querySelector("main").innerText.includes("Amend or repeal law")`) {
		t.Error("the accepted proposed demand is not on the published resolution")
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

	// A text the parser was unsure of, in a tab of its own: the review and check pages say
	// where to look, line by line, and publishing waits for the box (issue 14 §2).
	ctx = e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	unsure := "European Parliament resolution of 15 June 2023 on the case of Jane Roe in Testland (2023/2777(RSP))\n" +
		"The European Parliament,\n–\thaving regard to its previous resolutions on Testland,\n" +
		"A.\twhereas Jane Roe was sentenced on 2 May 2023 PE689.006v01-00 to ten years in prison;\n" +
		"1.\tCondemns the sentence;\n3.\tInstructs its President to forward this resolution.\n"
	do(t, ctx,
		chromedp.Navigate(base+"/admin/imports"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#text`), unsure),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="parse-warnings"] li`)),
	)
	warnings := eval[string](t, ctx, `[...document.querySelectorAll('[data-testid="parse-warnings"] h2, [data-testid="parse-warnings"] li')].map(e => e.innerText).join("\n")`)
	if !strings.Contains(warnings, "Where to look: 2 warnings") || !strings.Contains(warnings, "Line 4: recital A holds what looks like a document reference") ||
		!strings.Contains(warnings, "Line 6: paragraph 3 follows paragraph 1: the numbering skips 2") {
		t.Errorf("the review page's warnings:\n%s", warnings)
	}
	checkAxe(t, ctx, "/admin/imports/{id} with warnings")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="check"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="warnings-seen"]`)))
	if !eval[bool](t, ctx, `!!document.querySelector('[data-testid="parse-warnings"]') && !document.querySelector('[data-testid="warnings-seen"]').checked`) {
		t.Error("the check page neither lists the warnings nor leaves the box unticked")
	}
	checkAxe(t, ctx, "/admin/imports/{id}/check with warnings")
	// Publishing without the tick comes back with the error beside the box.
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="publish"]`)), chromedp.WaitVisible(chromedp.CSS(`#warnings-seen-error`)))
	if msg := eval[string](t, ctx, `document.getElementById("warnings-seen-error").innerText`); !strings.Contains(msg, "compared the 2 warnings with the source text") ||
		!eval[bool](t, ctx, `document.getElementById("warnings-seen").getAttribute("aria-describedby") === "warnings-seen-error"`) {
		t.Errorf("the error beside the box = %q", msg)
	}
	checkAxe(t, ctx, "/admin/imports/{id}/publish refused for unseen warnings")
	resp, err := http.Get(base + "/resolutions/2023-2777-rsp")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Fatalf("published without the tick: %s", resp.Status)
	}
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="warnings-seen"]`)), chromedp.Click(chromedp.CSS(`[data-testid="publish"]`)))
	waitJS(t, ctx, `location.pathname === "/resolutions/2023-2777-rsp" && document.readyState === "complete"`)
	if !eval[bool](t, ctx, `!!document.getElementById("para_3")`) {
		t.Error("the published resolution lacks paragraph 3 as the source numbered it")
	}
	signOutBrowser(t, ctx)
}
