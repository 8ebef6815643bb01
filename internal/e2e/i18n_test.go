package e2e_test

import (
	"context"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/e2e"
)

// englishJS lists the interface text of the page that is written in Latin letters, as a
// reader of a Russian or Kazakh page would meet it: every text a screen reader would read
// (text, placeholders, titles, labels, button values), leaving out content the page marks
// as such: an element with translate="no" (names, slugs, what staff typed) or with a lang
// other than the page's (the resolution's own English words), and code.
const englishJS = `(() => {
  const page = document.documentElement.lang;
  const neutral = new Set(["Whereas", "CSV", "JSON", "PDF", "HTML", "Markdown", "API", "SHA", "UTC", "Atom",
    "PNG", "JPEG", "GIF", "WebP", "TXT", "RTF", "DOC", "DOCX", "XLS", "XLSX", "PPT", "PPTX", "ODT", "ODS", "ODP"]);
  const content = el => { for (; el && el.nodeType === 1; el = el.parentElement) {
      if (el.getAttribute("translate") === "no") return true;
      const l = el.getAttribute("lang"); if (l && l !== page) return true;
      if (["SCRIPT", "STYLE", "CODE", "TEMPLATE", "NOSCRIPT"].includes(el.tagName)) return true;
    } return false; };
  const out = [];
  // Content the page marks somewhere is content wherever it stands: a name in a chart's
  // title or the page's <title> cannot be marked, but the heading says it is a name.
  const marked = new Set();
  for (const el of document.querySelectorAll('[translate="no"], [lang]:not(html)')) {
    if (el.getAttribute("translate") === "no" || el.getAttribute("lang") !== page) {
      const t = el.textContent.trim().replace(/\s+/g, " ");
      if (t.length >= 3) marked.add(t);
    }
  }
  const known = [...marked].sort((a, b) => b.length - a.length);
  const check = (s, where) => {
    let rest = s.replace(/\s+/g, " ");
    for (const k of known) rest = rest.split(k).join(" ");
    rest = rest.replace(/\b\d{4}\/\d{4}\([A-Z]{3}\)/g, " "); // procedure references: 2019/2610(RSP)
    for (const w of rest.split(/[^\p{L}]+/u)) {
      if (w.length > 1 && /\p{Script=Latin}/u.test(w) && !neutral.has(w)) { out.push(where + ": " + s.trim().replace(/\s+/g, " ").slice(0, 120)); return; }
    }
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  for (let n = walker.nextNode(); n; n = walker.nextNode()) {
    if (!content(n.parentElement)) check(n.data, n.parentElement.tagName.toLowerCase());
  }
  check(document.title, "title");
  for (const el of document.querySelectorAll("[placeholder], [title], [aria-label], [alt], input[type=submit], input[type=button]")) {
    if (content(el)) continue;
    for (const a of ["placeholder", "title", "aria-label", "alt"]) if (el.hasAttribute(a)) check(el.getAttribute(a), a);
    if (el.tagName === "INPUT" && (el.type === "submit" || el.type === "button")) check(el.value, "button");
  }
  return out;
})()`

// noEnglish fails the test for every piece of English interface text on the page.
func noEnglish(t *testing.T, ctx context.Context, lang, path string) {
	t.Helper()
	if got := eval[string](t, ctx, `document.documentElement.lang`); got != lang {
		t.Errorf("%s: <html lang=%q>, want %q", path, got, lang)
	}
	for _, s := range eval[[]string](t, ctx, englishJS) {
		t.Errorf("%s (%s): English interface text: %s", path, lang, s)
	}
}

// publicPages are the main pages a visitor walks.
var publicPages = []string{"/", "/resolutions", "/resolutions/2019-2610-rsp", "/resolutions/2019-2610-rsp/scoreboard",
	"/demands/2019-2610-rsp-para-1-1", "/people", "/people?status=imprisoned", "/people/max-bokayev", "/people/nurbek-kushakbaev",
	"/cases", "/cases/max-bokayev-case", "/organisations", "/organisations/cituk", "/legal-provisions",
	"/legal-provisions/criminal-code-article-174", "/search?q=Бокаев", "/people/no-such-person"}

// TestTranslatedPagesBrowser is issue 17's "Done when": in Russian and in Kazakh, chosen
// with the header's switcher, the main pages, the staff status form with a validation
// error and the dossier hold no English interface text (names and quoted clauses aside),
// and axe finds nothing serious on them.
func TestTranslatedPagesBrowser(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base := startStaffApp(t)
	for _, lang := range []string{"ru", "kk"} {
		t.Run(lang, func(t *testing.T) {
			ctx := e2e.NewTab(t, browser)
			// The switcher chooses the language, and the cookie keeps it on the next pages.
			do(t, ctx, chromedp.Navigate(base+"/"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="lang-`+lang+`"]`)),
				chromedp.Click(chromedp.CSS(`[data-testid="lang-`+lang+`"]`)))
			waitJS(t, ctx, `document.documentElement.lang === "`+lang+`" && document.readyState === "complete"`)
			for _, path := range publicPages {
				do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS("main")))
				noEnglish(t, ctx, lang, path)
				checkAxe(t, ctx, path+" ("+lang+")")
			}

			// A name in Cyrillic first on the person's page, the Latin one beside it.
			do(t, ctx, chromedp.Navigate(base+"/people/nurbek-kushakbaev"), chromedp.WaitVisible(chromedp.CSS("h1")))
			want := map[string]string{"ru": "Нурбек Кушакбаев", "kk": "Нұрбек Құшақбаев"}[lang]
			h1 := eval[string](t, ctx, `document.querySelector("h1").innerText`)
			beside := eval[string](t, ctx, `(document.querySelector('[data-testid="names-beside"]') || {}).innerText || ""`)
			if strings.TrimSpace(h1) != want || !strings.Contains(beside, "Nurbek Kushakbaev") {
				t.Errorf("person heading %q, beside it %q: want %q first and the Latin name beside it", h1, beside, want)
			}

			// The dossier, as a page and as a PDF.
			do(t, ctx, chromedp.Navigate(base+"/people/max-bokayev/dossier"), chromedp.WaitVisible(chromedp.CSS("h1")))
			noEnglish(t, ctx, lang, "/people/max-bokayev/dossier")
			checkAxe(t, ctx, "/people/max-bokayev/dossier ("+lang+")")
			pdf := pdfText(t, base+"/people/max-bokayev/dossier.pdf?lang="+lang)
			for _, english := range []string{"Current status", "Cases", "Cited in", "Demands"} {
				if strings.Contains(pdf, english) {
					t.Errorf("the %s PDF dossier says %q", lang, english)
				}
			}

			// Staff: sign in, and send the status form with a date it cannot read.
			signInBrowser(t, ctx, base)
			noEnglishStaff(t, ctx, lang, base)
			signOutBrowser(t, ctx)
		})
	}
}

// noEnglishStaff walks the staff status form in lang: its page, and its answer to a date
// it cannot read, the error beside the field and the input kept.
func noEnglishStaff(t *testing.T, ctx context.Context, lang, base string) {
	t.Helper()
	do(t, ctx, chromedp.Navigate(base+"/cases/max-bokayev-case"), chromedp.WaitVisible(chromedp.CSS(`#add-status`)))
	noEnglish(t, ctx, lang, "/cases/max-bokayev-case (staff)")
	do(t, ctx,
		chromedp.SetValue(chromedp.CSS(`#status`), "released"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "31.02.2024"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Освобождён по отбытии срока."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/bokayev"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
	)
	waitJS(t, ctx, `document.readyState === "complete" && !!document.querySelector('#effective_on-error, [data-testid="error-summary"]')`)
	noEnglish(t, ctx, lang, "/cases/max-bokayev-case (status form, date refused)")
	checkAxe(t, ctx, "/cases/max-bokayev-case (status form, date refused, "+lang+")")
	if v := eval[string](t, ctx, `document.querySelector("#effective_on").value`); v != "31.02.2024" {
		t.Errorf("the date typed is not kept: %q", v)
	}
	if v := eval[string](t, ctx, `document.querySelector("#note").value`); v != "Освобождён по отбытии срока." {
		t.Errorf("the note typed is not kept: %q", v)
	}
	msg := eval[string](t, ctx, `(document.querySelector("#effective_on-error") || {}).innerText || ""`)
	if strings.TrimSpace(msg) == "" {
		t.Error("no error beside the date field")
	}
}
