package server_test

import (
	"net/http"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
	"golang.org/x/net/html"
)

// neutralWords are Latin-script words a Russian or Kazakh page may show as interface text:
// names that are the same in every language.
var neutralWords = map[string]bool{"Whereas": true, "CSV": true, "JSON": true, "PDF": true, "HTML": true, "Markdown": true, "API": true,
	// file formats, and the name of the checksum beside every attached file
	"PNG": true, "JPEG": true, "GIF": true, "WebP": true, "TXT": true, "RTF": true, "DOC": true, "DOCX": true, "XLS": true, "XLSX": true,
	"PPT": true, "PPTX": true, "ODT": true, "ODS": true, "ODP": true, "SHA": true,
	// the feeds' format
	"Atom": true}

// visibleAttrs are the attributes whose values people read or hear.
var visibleAttrs = []string{"placeholder", "title", "aria-label", "alt", "aria-description"}

// englishIn lists the Latin-script words of sel that a reader of a Russian or Kazakh page
// would read as interface text, with the text around them. Content is left out where the
// page marks it as such: an element with translate="no" (names, slugs, what staff typed)
// or with a lang other than the page's (the resolution's own English words), and code.
func englishIn(sel *goquery.Selection, pageLang string) []string {
	var out []string
	check := func(s string) {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			latin := false
			for _, r := range w {
				if unicode.In(r, unicode.Latin) {
					latin = true
				}
			}
			if latin && !neutralWords[w] {
				out = append(out, strings.Join(strings.Fields(s), " "))
				return
			}
		}
	}
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type == html.TextNode {
			check(n.Data)
			return
		}
		if n.Type == html.ElementNode {
			switch n.Data {
			case "script", "style", "code", "template":
				return
			}
			for _, a := range n.Attr {
				if (a.Key == "translate" && a.Val == "no") || (a.Key == "lang" && a.Val != pageLang) {
					return
				}
			}
			for _, a := range n.Attr {
				if slices.Contains(visibleAttrs, a.Key) || (a.Key == "value" && isButton(n)) {
					check(a.Val)
				}
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	for _, n := range sel.Nodes {
		walk(n)
	}
	return out
}

// isButton reports whether n is an input whose value is its label.
func isButton(n *html.Node) bool {
	if n.Data != "input" {
		return false
	}
	for _, a := range n.Attr {
		if a.Key == "type" && (a.Val == "submit" || a.Val == "button" || a.Val == "reset") {
			return true
		}
	}
	return false
}

// getLang is a GET with the headers a browser sends for its language.
func getLang(t *testing.T, url string, cookie *http.Cookie, acceptLanguage string) (*http.Response, *goquery.Document) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	if cookie != nil {
		req.AddCookie(cookie)
	}
	if acceptLanguage != "" {
		req.Header.Set("Accept-Language", acceptLanguage)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	doc, err := goquery.NewDocumentFromReader(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp, doc
}

// TestLanguageChoice: ?lang= chooses the language and a cookie keeps it, Accept-Language
// chooses where neither does, anything else is English; the page says its language, the
// switcher offers the others, the frame of the page is in that language, and the cache
// keeps each language apart.
func TestLanguageChoice(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)
	lang := func(doc *goquery.Document) string { l, _ := doc.Find("html").Attr("lang"); return l }

	t.Run("QueryChoosesAndTheCookieKeeps", func(t *testing.T) {
		resp, doc := getLang(t, srv.URL+"/people?lang=ru", nil, "en")
		if lang(doc) != "ru" || resp.Header.Get("Content-Language") != "ru" {
			t.Fatalf("?lang=ru: <html lang=%q>, Content-Language %q", lang(doc), resp.Header.Get("Content-Language"))
		}
		var kept *http.Cookie
		for _, c := range resp.Cookies() {
			if c.Name == "whereas_lang" {
				kept = c
			}
		}
		if kept == nil || kept.Value != "ru" || kept.MaxAge < 300*24*3600 || !kept.HttpOnly || kept.SameSite != http.SameSiteLaxMode {
			t.Fatalf("?lang=ru cookie: %+v", kept)
		}
		if _, doc := getLang(t, srv.URL+"/cases", kept, "en"); lang(doc) != "ru" {
			t.Errorf("with the cookie, another page is %q", lang(doc))
		}
		if _, doc := getLang(t, srv.URL+"/cases?lang=kk", kept, ""); lang(doc) != "kk" {
			t.Errorf("?lang=kk over a ru cookie: %q", lang(doc))
		}
	})

	t.Run("AcceptLanguageElseEnglish", func(t *testing.T) {
		for accept, want := range map[string]string{"kk-KZ,ru;q=0.8": "kk", "ru-RU,ru;q=0.9,en;q=0.5": "ru", "de-DE": "en", "uk": "en", "": "en", "en-GB": "en"} {
			resp, doc := getLang(t, srv.URL+"/", nil, accept)
			if lang(doc) != want {
				t.Errorf("Accept-Language %q: %q, want %q", accept, lang(doc), want)
			}
			if !strings.Contains(resp.Header.Get("Vary"), "Accept-Language") {
				t.Errorf("Vary = %q", resp.Header.Values("Vary"))
			}
		}
		resp, doc := getLang(t, srv.URL+"/?lang=de", nil, "")
		if lang(doc) != "en" || len(resp.Cookies()) != 0 {
			t.Errorf("?lang=de: %q, cookies %v", lang(doc), resp.Cookies())
		}
	})

	t.Run("SwitcherKeepsThePage", func(t *testing.T) {
		_, doc := getLang(t, srv.URL+"/people?status=imprisoned&lang=kk", nil, "")
		for _, l := range []string{"en", "ru", "kk"} {
			a := doc.Find(`.lang-switch a[data-testid="lang-` + l + `"]`)
			href, _ := a.Attr("href")
			if !strings.HasPrefix(href, "/people?") || !strings.Contains(href, "status=imprisoned") || !strings.Contains(href, "lang="+l) {
				t.Errorf("switcher %s: %q", l, href)
			}
			if hl, _ := a.Attr("lang"); hl != l {
				t.Errorf("switcher %s says its name in %q", l, hl)
			}
			if _, cur := a.Attr("aria-current"); cur != (l == "kk") {
				t.Errorf("switcher %s aria-current = %v", l, cur)
			}
		}
	})

	t.Run("FrameSpeaksTheLanguage", func(t *testing.T) {
		for _, l := range []string{"ru", "kk"} {
			_, doc := getLang(t, srv.URL+"/?lang="+l, nil, "")
			frame := doc.Find("head title, a.skip-link, header, footer")
			if en := englishIn(frame, l); len(en) > 0 {
				t.Errorf("%s: English in the frame of the page: %q", l, en)
			}
			if got := doc.Find(`nav[aria-label] a[href="/people"]`).Text(); got == "People" || got == "" {
				t.Errorf("%s: navigation says %q", l, got)
			}
		}
		_, doc := getLang(t, srv.URL+"/?lang=ru", nil, "")
		if got := doc.Find(`nav a[href="/people"]`).Text(); got != "Люди" {
			t.Errorf("ru navigation: %q", got)
		}
	})

	t.Run("CacheKeepsLanguagesApart", func(t *testing.T) {
		for range 2 {
			for _, l := range []string{"en", "ru", "kk"} {
				_, doc := getLang(t, srv.URL+"/people/max-bokayev", nil, l)
				if lang(doc) != l {
					t.Fatalf("Accept-Language %s, cached page: %q", l, lang(doc))
				}
			}
		}
	})

	t.Run("ErrorPagesToo", func(t *testing.T) {
		resp, doc := getLang(t, srv.URL+"/people/nobody-at-all?lang=ru", nil, "")
		if resp.StatusCode != 404 || lang(doc) != "ru" {
			t.Fatalf("404 in ru: %d %q", resp.StatusCode, lang(doc))
		}
		if en := englishIn(doc.Find(`[data-testid="error"]`), "ru"); len(en) > 0 {
			t.Errorf("English on the 404 page: %q", en)
		}
	})
}
