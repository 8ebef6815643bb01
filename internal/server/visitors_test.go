package server_test

import (
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// TestSmallThingsVisitorsNotice: issue 15 §7, as a visitor (and someone sharing a link)
// meets them.
func TestSmallThingsVisitorsNotice(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	postgrestest.Exec(t, dbURL, `UPDATE cases SET summary = 'Said "enough" <script>alert(1)</script> & left.' WHERE slug = 'max-bokayev-case'`)
	shared := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PublicURL: "https://whereas.example"}))
	t.Cleanup(shared.Close)
	plain := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}))
	t.Cleanup(plain.Close)

	t.Run("NotFoundOffersToSearchTheAddressWords", func(t *testing.T) {
		doc := getDoc(t, plain, "/people/rakhimov-x", 404)
		link := doc.Find(`[data-testid="search-instead"]`)
		if href, _ := link.Attr("href"); href != "/search?q=rakhimov+x" || link.Text() != "Search for ‘rakhimov x’" {
			t.Errorf("404 offers %q → %q", link.Text(), href)
		}
		if h1 := doc.Find("h1").Text(); h1 != "Page not found" {
			t.Errorf("h1 %q", h1)
		}
		// An address made to say something says only its letters and digits.
		resp, body := get(t, plain, `/people/%22%3E%3Cscript%3Ealert(1)%3C%2Fscript%3E-visit-evil.example`)
		if resp.StatusCode != 404 || strings.Contains(body, "<script>") || !strings.Contains(body, "Search for ‘<span translate=\"no\">script alert 1 script visit evil example</span>’") {
			t.Errorf("%d, hostile address:\n%s", resp.StatusCode, body)
		}
		if resp, body := get(t, plain, "/api/v1/people/rakhimov-x"); resp.StatusCode != 404 || strings.Contains(body, "Search for") {
			t.Errorf("API 404: %d %s", resp.StatusCode, body)
		}
	})

	t.Run("ForbiddenIsTheStyledPage", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, plain.URL+"/sign-in", strings.NewReader("email=a%40b.example&password=x"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "cross-site")
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		doc, err := goquery.NewDocumentFromReader(resp.Body)
		if err != nil {
			t.Fatal(err)
		}
		if resp.StatusCode != 403 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") ||
			doc.Find("h1").Text() != "You cannot do this here" || doc.Find(`[data-testid="request-id"]`).Text() == "" ||
			!strings.Contains(doc.Find("main").Text(), "sent from another site") {
			html, _ := doc.Html()
			t.Errorf("cross-site post: %d %q\n%s", resp.StatusCode, resp.Header.Get("Content-Type"), html)
		}
	})

	meta := func(doc *goquery.Document, attr, key string) string {
		v, _ := doc.Find(`meta[` + attr + `="` + key + `"]`).Attr("content")
		return v
	}
	t.Run("SharedLinksShowTitleAndSummary", func(t *testing.T) {
		for _, c := range []struct{ path, title, typ, inDesc string }{
			{"/people/max-bokayev", "Max Bokayev", "profile", "Current status: Imprisoned"},
			{"/cases/max-bokayev-case", "", "article", `Said "enough" <script>alert(1)</script> & left.`},
			{"/resolutions/2019-2610-rsp", "Human rights situation in Kazakhstan", "article", "28 clauses"},
		} {
			doc := getDoc(t, shared, c.path, 200)
			h1 := strings.TrimSpace(doc.Find("h1").Text())
			if c.title != "" && h1 != c.title {
				t.Errorf("%s: h1 %q", c.path, h1)
			}
			desc := meta(doc, "property", "og:description")
			if meta(doc, "property", "og:title") != h1 || meta(doc, "property", "og:type") != c.typ ||
				meta(doc, "property", "og:url") != "https://whereas.example"+c.path || meta(doc, "name", "twitter:card") != "summary" ||
				meta(doc, "name", "twitter:title") != h1 || meta(doc, "name", "twitter:description") != desc || !strings.Contains(desc, c.inDesc) {
				html, _ := doc.Find("head").Html()
				t.Errorf("%s: share tags:\n%s", c.path, html)
			}
		}
		if _, body := get(t, shared, "/cases/max-bokayev-case"); strings.Contains(body, "<script>alert") {
			t.Error("the case summary's markup reached the page unescaped")
		}
	})

	t.Run("NoSharedAddressFromAForgedHost", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodGet, plain.URL+"/people/max-bokayev", nil)
		req.Host = "evil.example"
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if strings.Contains(string(body), "evil.example") || !strings.Contains(string(body), `property="og:title"`) {
			t.Errorf("without a public address: %s", body)
		}
	})

	t.Run("NamesInCyrillicCarryTheirLanguage", func(t *testing.T) {
		doc := getDoc(t, plain, "/people/ardak-ashim", 200)
		if got := doc.Find(`[data-testid="aliases"] span[lang="ru"]`).Text(); got != "Ардак Ашим" {
			t.Errorf(`lang="ru": %q`, got)
		}
		if got := doc.Find(`[data-testid="aliases"] span[lang="kk"]`).Text(); got != "Ардақ Әшім" {
			t.Errorf(`lang="kk": %q`, got)
		}
		if n := doc.Find(`h1 [lang]`).Length(); n != 0 {
			t.Errorf("a Latin name is marked with a language")
		}
		index := getDoc(t, plain, "/people?status=imprisoned", 200)
		if index.Find(`.aliases span[lang="ru"]`).Length() == 0 {
			t.Error("the people index marks no Cyrillic alias")
		}
	})

	t.Run("AkomaNtosoIsAnOtherFormat", func(t *testing.T) {
		doc := getDoc(t, plain, "/resolutions/2019-2610-rsp", 200)
		if doc.Find(`header a[href$=".akn.xml"]`).Length() != 0 {
			t.Error("the resolution's heading still offers Akoma Ntoso XML")
		}
		if doc.Find(`[data-testid="other-formats"] a[href="/resolutions/2019-2610-rsp.akn.xml"]`).Length() != 1 {
			t.Error("no other-formats line with Akoma Ntoso XML")
		}
		if getDoc(t, plain, "/", 200).Find(`a[href$=".akn.xml"]`).Length() != 0 {
			t.Error("the home page offers Akoma Ntoso XML")
		}
	})
}
