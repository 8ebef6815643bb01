package server_test

import (
	"net/http"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// The review page proposes every person and organisation a text names, cue word or not,
// each form filled in with its kind (issue 14 §3).
func TestImportReviewProposesPeopleAndOrganisations(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	text := "European Parliament resolution of 1 June 2023 on a test (2023/2001(RSP))\nThe European Parliament,\n" +
		"–\thaving regard to Rule 144 of its Rules of Procedure,\n" +
		"A.\twhereas on 3 March 2023 President Vladimir Putin signed the law in Moscow, and the Anti-War Committee of Russia protested in Astana;\n" +
		"1.\tInstructs its President to forward this resolution to the Council and the Commission.\n"
	resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, text)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	page := openReview(t, admin, w.a.URL, resp.Header.Get("Location"))
	kinds := map[string]string{}
	page.doc.Find(`fieldset.candidate[data-testid^="entity-form-cand-"]`).Each(func(_ int, f *goquery.Selection) {
		kinds[f.Find("legend").Text()] = f.Find(`select option[selected]`).AttrOr("value", "")
	})
	if len(kinds) != 2 || kinds["Vladimir Putin"] != "person" || kinds["Anti-War Committee of Russia"] != "organisation" {
		t.Errorf("candidates and the kind their form starts with = %v", kinds)
	}
	if s := page.doc.Find(`[data-testid="diff-summary"]`).Text(); !strings.Contains(s, "2 possible new people and organisations") {
		t.Errorf("summary %q", s)
	}
}
