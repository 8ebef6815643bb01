package e2e_test

import (
	"bytes"
	"context"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/extract/extracttest"
)

// TestEvidenceBrowser is issue 18 as staff and a visitor meet it in Chromium. Staff add a
// status entry and attach to it a public PDF and an internal photo through the page's
// forms. A visitor then sees the PDF beside its SHA-256, downloads it in the page and gets
// the same SHA-256, never meets the photo, finds the PDF by a word inside it, finds the
// entry at the top of /changes, and reads it in the person's Atom feed, linked from the
// person's page.
func TestEvidenceBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base, db := startStaffAppWithDB(t)
	dir := t.TempDir()
	pdfPath, photoPath := filepath.Join(dir, "appeal-ruling.pdf"), filepath.Join(dir, "cell-photo.png")
	var photo bytes.Buffer
	if err := png.Encode(&photo, image.NewGray(image.Rect(0, 0, 4, 4))); err != nil {
		t.Fatal(err)
	}
	for path, data := range map[string][]byte{
		pdfPath:   extracttest.PDF(t, []string{"Постановление апелляционной коллегии", "ультрафиолетовый приговор отменён"}),
		photoPath: photo.Bytes(),
	} {
		if err := os.WriteFile(path, data, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	const caseSlug, person = "max-bokayev-case", "max-bokayev"
	ctx := e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	do(t, ctx,
		chromedp.Navigate(base+"/cases/"+caseSlug),
		chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
	)
	before := eval[int](t, ctx, `document.querySelectorAll('[data-testid="timeline"] > li').length`)
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#status`), "released"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "2021-02-08"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Released after the appeal."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/appeal"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
	)
	// The case's people are named in demands: the form asks what the release means for
	// them first (leaving each as proposed), then saves both.
	waitJS(t, ctx, `location.pathname.endsWith("/statuses") && document.readyState === "complete"`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)))
	waitJS(t, ctx, `!location.pathname.endsWith("/statuses") && document.querySelectorAll('[data-testid="timeline"] > li').length === `+strconv.Itoa(before+1))
	c, err := db.Case(context.Background(), caseSlug)
	if err != nil {
		t.Fatal(err)
	}
	var newest int64 // the entry just added: the highest id, wherever its date puts it
	for _, e := range c.Case.Statuses {
		newest = max(newest, e.ID)
	}
	entry := strconv.FormatInt(newest, 10)
	prefix := "attach-status-" + entry + "-"
	form := `form[action="/cases/` + caseSlug + `/statuses/` + entry + `/attachments"]`

	attach := func(path, title, visibility string, files int) {
		t.Helper()
		do(t, ctx,
			chromedp.Navigate(base+"/cases/"+caseSlug+"#status-"+entry),
			chromedp.WaitVisible(chromedp.CSS(`#status-`+entry)),
			chromedp.Click(chromedp.CSS(`#status-`+entry+` [data-testid="attach-form"] > summary`)),
			chromedp.WaitVisible(chromedp.CSS(`#`+prefix+`title`)),
			chromedp.SendKeys(chromedp.CSS(`#`+prefix+`title`), title),
			chromedp.Click(chromedp.CSS(form+` input[name="visibility"][value="`+visibility+`"]`)),
			chromedp.SendKeys(chromedp.CSS(`#`+prefix+`obtained_on`), "2021-02"),
			chromedp.SetUploadFiles(chromedp.CSS(`#`+prefix+`file`), []string{path}),
			chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
		)
		waitJS(t, ctx, `document.querySelectorAll('#status-`+entry+` [data-testid="file"]').length === `+strconv.Itoa(files))
	}
	attach(pdfPath, "Appeal ruling", "public", 1)
	attach(photoPath, "Cell photograph Qzxv", "internal", 2)
	if n := eval[int](t, ctx, `document.querySelectorAll('#status-`+entry+` [data-testid="file-internal"]').length`); n != 1 {
		t.Errorf("staff see %d files marked internal under the entry, want the photo", n)
	}
	checkAxe(t, ctx, "/cases/"+caseSlug+" (staff, with files)")
	signOutBrowser(t, ctx)

	t.Run("AVisitorDownloadsThePDFAndNeverSeesThePhoto", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/cases/"+caseSlug), chromedp.WaitVisible(chromedp.CSS(`#status-`+entry)))
		files := eval[int](t, ctx, `document.querySelectorAll('#status-`+entry+` [data-testid="file"]').length`)
		if page := eval[string](t, ctx, `document.documentElement.outerHTML`); files != 1 || strings.Contains(page, "Qzxv") || strings.Contains(page, "cell-photo") {
			t.Fatalf("the visitor sees %d files under the entry, or the photo", files)
		}
		shown := eval[string](t, ctx, `document.querySelector('#status-`+entry+` [data-testid="file"] [data-testid="sha256"]').textContent.trim()`)
		got, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(async () => {
			const a = document.querySelector('#status-`+entry+` [data-testid="file"] a[href*="appeal-ruling.pdf"]');
			const body = await (await fetch(a.href)).arrayBuffer();
			const sum = await crypto.subtle.digest("SHA-256", body);
			return Array.from(new Uint8Array(sum), b => b.toString(16).padStart(2, "0")).join("");
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		if len(shown) != 64 || got != shown {
			t.Errorf("the PDF downloaded has SHA-256 %s; the page shows %q", got, shown)
		}
		checkAxe(t, ctx, "/cases/"+caseSlug+" (public, with files)")
	})

	t.Run("SearchFindsTheWordsInsideThePDF", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/search?q=ультрафиолетовый"), chromedp.WaitVisible(chromedp.CSS("main")))
		if !eval[bool](t, ctx, `!!document.querySelector('main a[href*="appeal-ruling.pdf"]')`) {
			t.Errorf("the search page does not lead to the PDF:\n%s", eval[string](t, ctx, `document.querySelector("main").innerText`))
		}
	})

	t.Run("TheEntryIsOnChangesAndInThePersonsFeed", func(t *testing.T) {
		do(t, ctx, chromedp.Navigate(base+"/changes?order=recorded"), chromedp.WaitVisible(chromedp.CSS("main")))
		if !eval[bool](t, ctx, `!!document.querySelector('main a[href$="#status-`+entry+`"]')`) {
			t.Error("/changes does not list the new entry")
		}
		checkAxe(t, ctx, "/changes")
		do(t, ctx, chromedp.Navigate(base+"/people/"+person), chromedp.WaitVisible(chromedp.CSS("main")))
		links, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(async () => {
			const l = document.querySelector('head link[rel="alternate"][type="application/atom+xml"]');
			const xml = new DOMParser().parseFromString(await (await fetch(l.href)).text(), "application/xml");
			if (xml.documentElement.namespaceURI !== "http://www.w3.org/2005/Atom") return ["not Atom"];
			return Array.from(xml.querySelectorAll("entry > link[rel=alternate]"), e => e.getAttribute("href"));
		})()`, chromedp.EvalAwaitPromise))
		if err != nil {
			t.Fatal(err)
		}
		found := false
		for _, l := range links {
			found = found || strings.HasSuffix(l, "#status-"+entry)
		}
		if !found {
			t.Errorf("the person's feed links %v, not the new entry", links)
		}
	})
}
