package server_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/web"
)

// manyNames is a resolution of about size bytes whose paragraphs each name three people
// not yet known (two after a role word, one after "Mr") and one of five people named again
// and again: the shape that made the review page's work grow with names × clauses.
func manyNames(size int) (text string, names int) {
	// Consonant-vowel syllables: no two spellings of the names fold together as
	// transliteration variants (no doubled letters, no y, h, x or j).
	syl := []string{"ka", "ro", "mi", "te", "nu", "sa", "bo", "li", "de", "gu", "fa", "pi", "ve", "to", "ri", "mo", "ne", "su", "bi", "lo"}
	word := func(n int) string {
		w := syl[n%20] + syl[(n/20)%20] + syl[(n/400)%20] + syl[(n/8000)%20]
		return strings.ToUpper(w[:1]) + w[1:]
	}
	name := func(n int) string { return word(n) + " " + word(n*7+3) }
	var b strings.Builder
	b.WriteString("European Parliament resolution of 14 March 2024 on the situation in Testland (2024/2999(RSP))\nThe European Parliament,\n")
	b.WriteString("–\thaving regard to its previous resolutions,\nWhereas:\nA.\twhereas many people are detained;\n")
	n := 0
	for b.Len() < size-200 {
		n++
		fmt.Fprintf(&b, "%d.\tCalls for the release of activist %s and journalist %s, as well as of Mr %s and Recurring %s, a journalist;\n",
			n, name(3*n), name(3*n+1), name(3*n+2), word(n%5+9000))
	}
	fmt.Fprintf(&b, "%d.\tInstructs its President to forward this resolution to the Council.\n", n+1)
	return b.String(), 3*n + 5
}

// TestImportReviewGrowsWithTheText uploads texts of a quarter of the importer's limit and of
// the whole limit, full of names the database does not know, and opens their review: both
// are previewed, every name is offered once with every clause naming it (a hundred forms a
// page, the last page holding the last name), and the page grows
// in proportion to the text (four times the text, about four times the page), where the
// work used to grow with the names times the clauses (a 512 KB text took 78 s and 2 GB).
func TestImportReviewGrowsWithTheText(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	// A generous request timeout: this test is about what the page holds, not how fast a
	// loaded machine makes it (docs/benchmarks.md has the timings).
	srv := httptest.NewServer(server.New(w.db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{RequestTimeout: 5 * time.Minute}))
	t.Cleanup(srv.Close)
	admin := browser(t)
	signIn(t, admin, srv, "admin@example.org")
	var pages [2]int
	for i, size := range []int{importer.MaxSourceBytes / 4, importer.MaxSourceBytes - 1024} {
		text, names := manyNames(size)
		resp, body := postImport(t, admin, srv.URL+"/admin/imports", map[string]string{"date": "2024-03-14"}, text)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("%d-byte text: %d\n%.500s", len(text), resp.StatusCode, body)
		}
		resp, page := fetchWith(t, admin, srv.URL+resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("%d-byte text: review %d", len(text), resp.StatusCode)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(page))
		if err != nil {
			t.Fatal(err)
		}
		// Every name is offered, a page of forms at a time: the first page holds the first
		// hundred and says how many there are; the last page holds the rest.
		forms := doc.Find(`fieldset.candidate[data-testid^="entity-form-cand-"]`)
		if forms.Length() != web.CandidatesPerPage {
			t.Errorf("%d-byte text: %d candidate forms on the first page, want %d", len(text), forms.Length(), web.CandidatesPerPage)
		}
		if got, want := doc.Find(`[data-testid="candidate-window"]`).First().Text(), fmt.Sprintf("Candidates 1–%d of %d", web.CandidatesPerPage, names); got != want {
			t.Errorf("%d-byte text: %q, want %q", len(text), got, want)
		}
		// Each paragraph's "Calls for the release of …" is a proposed demand: they too come a
		// page at a time.
		if got, want := doc.Find(`[data-testid="proposal-window"]`).First().Text(), fmt.Sprintf("Proposed demands 1–%d of %d", web.ProposalsPerPage, (names-5)/3); got != want {
			t.Errorf("%d-byte text: %q, want %q", len(text), got, want)
		}
		if n := doc.Find(`fieldset.proposal`).Length(); n != web.ProposalsPerPage {
			t.Errorf("%d-byte text: %d proposed demands on the first page", len(text), n)
		}
		_, last := fetchWith(t, admin, srv.URL+resp.Request.URL.Path+fmt.Sprintf("?candidates=%d", names-1))
		lastDoc, err := goquery.NewDocumentFromReader(strings.NewReader(last))
		if err != nil {
			t.Fatal(err)
		}
		lastForms := lastDoc.Find(`fieldset.candidate[data-testid^="entity-form-cand-"]`)
		if want := names - (names-1)/web.CandidatesPerPage*web.CandidatesPerPage; lastForms.Length() != want {
			t.Errorf("%d-byte text: %d candidate forms on the last page, want %d", len(text), lastForms.Length(), want)
		}
		if id, _ := lastForms.Last().Attr("data-testid"); id != fmt.Sprintf("entity-form-cand-%d", names-1) {
			t.Errorf("%d-byte text: the last page ends with %s, want the last candidate", len(text), id)
		}
		// A form refused on a later page comes back on that page, with its error beside it.
		version, _ := lastDoc.Find(`form[data-testid="review-form"] input[name="version"]`).Attr("value")
		at := fmt.Sprintf("cand-%d", names-1)
		action, _ := lastForms.Last().Find(`button[name="at"]`).Attr("formaction")
		r, refusedPage := post(t, admin, srv.URL+action, url.Values{"version": {version}, "at": {at}, at + "-type": {"person"}, at + "-name": {""}})
		if r.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(refusedPage, `id="`+at+`-name-error"`) {
			t.Errorf("%d-byte text: a refused form on the last page: %d, its error shown: %v", len(text), r.StatusCode, strings.Contains(refusedPage, at+"-name-error"))
		}
		clauses := strings.Count(text, "\n") - 5
		forms.Each(func(_ int, f *goquery.Selection) {
			if strings.HasPrefix(f.Find("legend").First().Text(), "Recurring ") {
				// named in every fifth paragraph: listed with each of them, once
				if got := strings.Count(f.Find("p").First().Text(), "para_"); got < clauses/5-1 || got > clauses/5+1 {
					t.Errorf("a name in %d clauses is listed with %d", clauses/5, got)
				}
			}
		})
		pages[i] = len(page)
		t.Logf("%d-byte text: %d names, review page %d bytes", len(text), names, len(page))
	}
	if ratio := float64(pages[1]) / float64(pages[0]); ratio < 3 || ratio > 5.5 {
		t.Errorf("four times the text gave %.1f times the page (%d → %d bytes)", ratio, pages[0], pages[1])
	}
}

// BenchmarkImportReview uploads a text of the importer's whole limit, full of names the
// database does not know, and opens its review, through the whole stack. Run by hand:
// go test -run '^$' -bench ImportReview -benchmem ./internal/server/ (docs/benchmarks.md).
func BenchmarkImportReview(b *testing.B) {
	w := newStaffWorld(b)
	srv := httptest.NewServer(server.New(w.db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{RequestTimeout: time.Minute}))
	b.Cleanup(srv.Close)
	admin := browser(b)
	signIn(b, admin, srv, "admin@example.org")
	text, _ := manyNames(importer.MaxSourceBytes - 1024)
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		resp, body := postImport(b, admin, srv.URL+"/admin/imports", map[string]string{"date": "2024-03-14"}, text)
		if resp.StatusCode != http.StatusSeeOther {
			b.Fatalf("upload: %d %.300s", resp.StatusCode, body)
		}
		if resp, _ := fetchWith(b, admin, srv.URL+resp.Header.Get("Location")); resp.StatusCode != http.StatusOK {
			b.Fatalf("review: %d", resp.StatusCode)
		}
	}
}
