package server_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
)

// The seed is a single group's motion, not the adopted text: every page, the API and the
// Akoma Ntoso export say so, and never date its words by the vote (issue 15 §0).
func TestTheSeedSaysItIsAMotion(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	srv := w.a
	t.Run("ResolutionPage", func(t *testing.T) {
		_, body := get(t, srv, "/resolutions/2019-2610-rsp")
		if strings.Contains(body, "Adopted in plenary") {
			t.Error("the motion's page still says it was adopted in plenary")
		}
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if got := doc.Find(`[data-testid="stage"]`).Text(); !strings.HasPrefix(got, "Motion for a resolution") {
			t.Errorf("eyebrow = %q", got)
		}
		stage := doc.Find(`[data-testid="text-stage"]`).Text()
		for _, want := range []string{"date tabled unknown", "adopted a resolution in this procedure on 14 March 2019", "not the adopted text"} {
			if !strings.Contains(stage, want) {
				t.Errorf("stage line %q lacks %q", stage, want)
			}
		}
		if got := doc.Find(`[data-testid="cite-as"]`).Text(); !strings.Contains(got, "Motion for a resolution on the human rights situation in Kazakhstan, 2019/2610(RSP); the Parliament adopted a resolution on 14 March 2019") {
			t.Errorf("cite as = %q", got)
		}
		if doc.Find(`[data-testid="official-url-unknown"]`).Length() != 1 {
			t.Error("no word that the official link is unknown")
		}
	})
	t.Run("ContentsPeopleAndPermalinks", func(t *testing.T) {
		_, body := get(t, srv, "/resolutions/2019-2610-rsp")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		cit := doc.Find(`[data-testid="toc-citations"]`)
		if cit.Length() != 1 || cit.Is("[open]") {
			t.Error("citations are not folded in the contents")
		}
		if doc.Find(`[data-testid="toc"] a[href="#rec_K"]`).Length() != 1 || doc.Find(`[data-testid="toc"] a[href="#para_8"]`).Length() != 1 {
			t.Error("contents lack recital K or paragraph 8")
		}
		row := doc.Find(`[data-testid="people-named"] tr`).FilterFunction(func(_ int, s *goquery.Selection) bool {
			return strings.Contains(s.Find("th").Text(), "Max Bokayev")
		})
		if row.Length() != 1 || strings.TrimSpace(row.Find("td").Eq(0).Text()) == "" || row.Find("td").Eq(1).Text() == "" {
			t.Errorf("people named: Max Bokayev row = %q", row.Text())
		}
		// His status is dated by the text that reported it, so no "since" is claimed.
		if since := strings.TrimSpace(row.Find("td").Eq(1).Text()); since != "reported by the resolution of 14 March 2019" {
			t.Errorf("Max Bokayev's status reads since %q, a day the source does not give", since)
		}
		if doc.Find(`#rec_K a.clause-label[href="#rec_K"][data-permalink]`).Length() != 1 {
			t.Error("recital K's label is not its permalink")
		}
		if doc.Find(`script[src="/static/permalink.js"]`).Length() != 1 {
			t.Error("no copy script")
		}
	})
	t.Run("API", func(t *testing.T) {
		var res map[string]any
		getJSON(t, srv, "/api/v1/resolutions/2019-2610-rsp", http.StatusOK, &res)
		if res["stage"] != "motion" || res["text_date"] != nil || res["reference"] != nil || res["adopted_on"] != "2019-03-14" {
			t.Errorf("stage %v, text_date %v, reference %v, adopted_on %v", res["stage"], res["text_date"], res["reference"], res["adopted_on"])
		}
		if c, _ := res["citation"].(string); !strings.HasPrefix(c, "Motion for a resolution on the human rights situation in Kazakhstan") {
			t.Errorf("citation = %q", c)
		}
	})
	t.Run("AkomaNtosoExpressionIsTheMotion", func(t *testing.T) {
		_, body := get(t, srv, "/resolutions/2019-2610-rsp.akn.xml")
		for _, want := range []string{
			`<FRBRthis value="/akn/eu/statement/resolution/ep/2019-03-14/2019-2610-rsp/eng@motion/!main"/>`,
			`<FRBRdate date="2019-03-14" name="plenaryVote"/>`,
			`<FRBRversionNumber value="motion" showAs="Motion for a resolution"/>`,
			`<docStage>Motion for a resolution</docStage>`,
		} {
			if !strings.Contains(body, want) {
				t.Errorf("AKN lacks %s", want)
			}
		}
		if strings.Contains(body, `name="adoption"/>
          <FRBRauthor href="#ep"/>
          <FRBRversionNumber`) {
			t.Error("the motion's expression is dated as an adoption")
		}
	})
	t.Run("Scoreboard", func(t *testing.T) {
		_, body := get(t, srv, "/resolutions/2019-2610-rsp/scoreboard")
		if !strings.Contains(body, "Motion for a resolution, date tabled unknown; resolution adopted 14 March 2019") {
			t.Error("scoreboard does not say which text it follows")
		}
	})
}

// Staff say which text a resolution is and link its official text; bad input comes back
// beside its field, a stale form is a 409, visitors cannot post (issue 15 §0, §3).
func TestEditWhichTextAndOfficialLink(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	form := func(version, ref, link string) url.Values {
		return url.Values{"version": {version}, "stage": {"motion"}, "reference": {ref}, "text_date": {""}, "official_url": {link}}
	}
	t.Run("VisitorsCannotPost", func(t *testing.T) {
		resp, _ := post(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/edit", form("1", "", "https://www.europarl.europa.eu/x"))
		if resp.StatusCode == http.StatusSeeOther && strings.Contains(resp.Header.Get("Location"), "/resolutions/2019-2610-rsp") {
			t.Fatalf("a visitor's post was saved")
		}
	})
	c := browser(t)
	signIn(t, c, w.a, "editor@example.org")
	for _, bad := range []struct{ name, ref, link, field string }{
		{"HTTPLink", "", "http://www.europarl.europa.eu/doceo/document/B-8-2019-0180_EN.html", "official_url"},
		{"OtherSite", "", "https://europarl.europa.eu.example.com/x", "official_url"},
		{"ReferenceOfAnotherStage", "P8_TA(2019)0203", "", "reference"},
	} {
		t.Run(bad.name, func(t *testing.T) {
			resp, body := post(t, c, w.a.URL+"/resolutions/2019-2610-rsp/edit", form("1", bad.ref, bad.link))
			if resp.StatusCode != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", resp.StatusCode)
			}
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
			if doc.Find(`[data-testid="`+bad.field+`-error"]`).Length() != 1 {
				t.Errorf("no error beside %s", bad.field)
			}
			if v, _ := doc.Find("#official_url").Attr("value"); v != bad.link {
				t.Errorf("input not kept: %q", v)
			}
		})
	}
	link := "https://www.europarl.europa.eu/doceo/document/B-8-2019-0180_EN.html"
	resp, _ := post(t, c, w.a.URL+"/resolutions/2019-2610-rsp/edit", form("1", "B8-0180/2019", link))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("save: status %d", resp.StatusCode)
	}
	_, body := get(t, w.a, "/resolutions/2019-2610-rsp")
	page, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if !strings.Contains(body, `href="`+link+`"`) || !strings.Contains(page.Find(`[data-testid="text-stage"]`).Text(), "Motion for a resolution B8-0180/2019, date tabled unknown") {
		t.Error("the page does not show the official link and reference saved")
	}
	var res map[string]any
	getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp", http.StatusOK, &res)
	if res["official_url"] != link || res["reference"] != "B8-0180/2019" {
		t.Errorf("API official_url %v reference %v", res["official_url"], res["reference"])
	}
	_, xml := get(t, w.a, "/resolutions/2019-2610-rsp.akn.xml")
	if !strings.Contains(xml, `<FRBRalias name="officialURL" value="`+link+`"/>`) || !strings.Contains(xml, "eng@motion-b8-0180-2019") {
		t.Error("the AKN export lacks the official link or the reference in its expression")
	}
	t.Run("StaleFormConflicts", func(t *testing.T) {
		resp, _ := post(t, c, w.a.URL+"/resolutions/2019-2610-rsp/edit", form("1", "", ""))
		if resp.StatusCode != http.StatusConflict {
			t.Errorf("status %d, want 409", resp.StatusCode)
		}
	})
	t.Run("Audited", func(t *testing.T) {
		conn, err := pgx.Connect(context.Background(), w.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		var n int
		if err := conn.QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity_type = 'resolution' AND action = 'edit text details'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries = %d, %v", n, err)
		}
	})
}

// Another stage of the procedure is kept beside the motion, and the two compare clause by clause.
func TestStagesSideBySide(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, w.url)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, `
WITH r AS (INSERT INTO resolutions (slug, procedure, title, adopted_on, source_text, stage, reference, text_date)
    SELECT '2019-2610-rsp-adopted', procedure, title, adopted_on, '', 'adopted', 'P8_TA(2019)0203', adopted_on FROM resolutions WHERE slug = '2019-2610-rsp' RETURNING id)
INSERT INTO clauses (resolution_id, kind, label, eid, position, text)
SELECT r.id, c.kind, c.label, c.eid, c.position, CASE WHEN c.eid = 'rec_K' THEN c.text || ' (amended)' ELSE c.text END
FROM r, clauses c JOIN resolutions m ON m.id = c.resolution_id WHERE m.slug = '2019-2610-rsp' AND c.eid <> 'para_10'`); err != nil {
		t.Fatal(err)
	}
	doc := getDoc(t, w.a, "/resolutions/2019-2610-rsp", http.StatusOK)
	if got := doc.Find(`[data-testid="other-stage"]`).Text(); got != "Text adopted P8_TA(2019)0203" {
		t.Errorf("other stage link = %q", got)
	}
	doc = getDoc(t, w.a, "/resolutions/2019-2610-rsp/compare/2019-2610-rsp-adopted", http.StatusOK)
	if got := doc.Find(`[data-testid="compare-summary"]`).Text(); !strings.Contains(got, "1 changed, 1 in one text only") {
		t.Errorf("summary = %q", got)
	}
	if doc.Find("tr.changed").Length() != 2 {
		t.Errorf("%d rows marked changed, want 2", doc.Find("tr.changed").Length())
	}
	var res map[string]any
	getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp-adopted", http.StatusOK, &res)
	if res["citation"] != "European Parliament resolution of 14 March 2019 on the human rights situation in Kazakhstan (2019/2610(RSP), P8_TA(2019)0203)" {
		t.Errorf("adopted citation = %v", res["citation"])
	}
	getDoc(t, w.a, "/resolutions/2019-2610-rsp/compare/2019-2610-rsp", http.StatusNotFound)

	// Demands made on the motion are carried over to the adopted text by review.
	t.Run("CarryOver", func(t *testing.T) {
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over"); resp.StatusCode == http.StatusOK {
			t.Error("a visitor sees the carry-over form")
		}
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		_, body := fetchWith(t, c, w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		boxes := doc.Find(`[data-testid="carry-form"] input[name="demand"]`)
		if boxes.Length() == 0 || doc.Find(`input[value="2019-2610-rsp-para-3-4"]`).Length() != 1 {
			t.Fatalf("%d demands offered, para-3-4 among them: %v", boxes.Length(), doc.Find(`input[value="2019-2610-rsp-para-3-4"]`).Length() == 1)
		}
		resp, body := post(t, c, w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over", url.Values{})
		if doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body)); resp.StatusCode != http.StatusUnprocessableEntity || doc.Find(`[data-testid="demand-error"]`).Length() != 1 {
			t.Errorf("nothing ticked: status %d, error beside the list %v", resp.StatusCode, doc.Find(`[data-testid="demand-error"]`).Length() == 1)
		}
		resp, body = post(t, c, w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over", url.Values{"demand": {"2019-2610-rsp-para-3-4", "no-such-demand"}})
		if doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body)); resp.StatusCode != http.StatusUnprocessableEntity || !doc.Find(`input[value="2019-2610-rsp-para-3-4"]`).Is("[checked]") {
			t.Errorf("a bad slug: status %d, tick kept %v", resp.StatusCode, doc.Find(`input[value="2019-2610-rsp-para-3-4"]`).Is("[checked]"))
		}
		if resp, _ := post(t, c, w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over", url.Values{"demand": {"2019-2610-rsp-para-3-4"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("carry over: status %d", resp.StatusCode)
		}
		var res map[string]any
		getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp-adopted", http.StatusOK, &res)
		found := false
		for _, cl := range res["clauses"].([]any) {
			for _, d := range cl.(map[string]any)["demands"].([]any) {
				found = found || strings.HasPrefix(d.(map[string]any)["slug"].(string), "2019-2610-rsp-adopted-para-3-")
			}
		}
		if !found {
			t.Error("the adopted text has no demand on paragraph 3 after carrying it over")
		}
		if getDoc(t, w.a, "/demands/2019-2610-rsp-para-3-4", http.StatusOK).Find("h1").Length() != 1 {
			t.Error("the motion's demand is gone")
		}
		_, body = fetchWith(t, c, w.a.URL+"/resolutions/2019-2610-rsp-adopted/carry-over")
		if strings.Contains(body, `value="2019-2610-rsp-para-3-4"`) {
			t.Error("a demand carried over is offered again")
		}
		var n int
		if err := conn.QueryRow(ctx, `SELECT count(*) FROM audit_log WHERE action = 'carry over demand'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("audit entries %d, %v", n, err)
		}
	})
}
