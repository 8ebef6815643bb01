package server_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres"
)

// TestCaseFactsAPI writes a case's facts through the API and reads them back as the public
// and as staff: the facility staff keep internal never reaches the public, in the case's
// answer, the person's, the page or the CSV.
func TestCaseFactsAPI(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "test-token-facts-0123456789abcdefghijklmnop"
	if err := w.db.CreateAPIToken(ctx, postgres.Actor{Name: "test"}, "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	caseURL := w.a.URL + "/api/v1/cases/max-bokayev-case"
	version := func() int {
		d, err := w.db.Case(ctx, "max-bokayev-case")
		if err != nil {
			t.Fatal(err)
		}
		return d.Case.Version
	}
	facts := func(body map[string]any) map[string]any {
		f, _ := body["facts"].(map[string]any)
		if f == nil {
			t.Fatalf("no facts in %v", body)
		}
		return f
	}

	t.Run("UnknownFactsAreNull", func(t *testing.T) {
		code, body := apiDo(t, "GET", caseURL, "", "")
		f := facts(body)
		if code != 200 || f["detained_on"] != nil || f["court"] != nil || f["sentence_months"] != nil || f["facility"] != nil {
			t.Errorf("%d %v", code, f)
		}
		if _, ok := f["facility_public"]; ok {
			t.Error("the public answer says whether a facility is public")
		}
	})

	t.Run("WriteAndReadBack", func(t *testing.T) {
		code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": {"detained_on": "2016-05-17", "verdict_on": "2016-11-28",
			"charges": [{"legal_provision": "criminal-code-article-174", "detail": "part 2"}, {"legal_provision": "criminal-code-article-274"}],
			"court": "Atyrau City Court", "sentence": "5 years in prison", "sentence_months": 60, "next_hearing_on": "2030-01-01",
			"facility": "Secret colony 7", "facility_public": false}}`, version()))
		if code != 200 {
			t.Fatalf("write: %d %v", code, body)
		}
		c, _ := body["case"].(map[string]any)
		f := facts(c)
		ch, _ := f["charges"].([]any)
		if f["detained_on"] != "2016-05-17" || f["sentence_months"] != float64(60) || f["facility"] != "Secret colony 7" || f["facility_public"] != false || len(ch) != 2 {
			t.Errorf("staff answer facts = %v", f)
		}
		if first, _ := ch[0].(map[string]any); first["legal_provision"] != "criminal-code-article-174" || first["detail"] != "part 2" || first["url"] != "/legal-provisions/criminal-code-article-174" {
			t.Errorf("charge = %v", first)
		}
		// the title was not sent: it is kept
		if c["name"] != "Max Bokayev — criminal case" {
			t.Errorf("name = %v", c["name"])
		}
	})

	t.Run("InternalFacilityNeverPublic", func(t *testing.T) {
		code, body := apiDo(t, "GET", caseURL, "", "")
		if f := facts(body); code != 200 || f["facility"] != nil || f["court"] != "Atyrau City Court" {
			t.Errorf("public case answer facts = %v", f)
		}
		_, raw := apiRaw(t, "GET", w.a.URL+"/api/v1/people/max-bokayev", "", "")
		_, page := fetchWith(t, browser(t), w.a.URL+"/cases/max-bokayev-case")
		_, person := fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev")
		_, csv := fetchWith(t, browser(t), w.a.URL+"/api/v1/cases.csv")
		public := map[string]string{"person API": raw, "case page": page, "person page": person, "cases.csv": csv}
		for _, ext := range []string{"", ".json", ".md"} {
			_, public["dossier"+ext] = fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev/dossier"+ext)
		}
		for what, text := range public {
			if strings.Contains(text, "Secret colony") {
				t.Errorf("the %s shows the internal facility", what)
			}
			if !strings.Contains(text, "Atyrau City Court") {
				t.Errorf("the %s does not show the court", what)
			}
		}
		if !strings.Contains(csv, "detained_on,charges,court,case_number,verdict_on,sentence,sentence_months,release_due_on,next_hearing_on,facility") ||
			!strings.Contains(csv, "2016-05-17,Criminal Code Article 174, part 2; Criminal Code Article 274,Atyrau City Court,,2016-11-28,5 years in prison,60,,2030-01-01,") &&
				!strings.Contains(csv, `2016-05-17,"Criminal Code Article 174, part 2; Criminal Code Article 274",Atyrau City Court,,2016-11-28,5 years in prison,60,,2030-01-01,`) {
			t.Errorf("cases.csv lacks the facts:\n%s", csv)
		}
		if !strings.Contains(page, "Atyrau City Court") || !strings.Contains(page, "5 years in prison (60 months)") || !strings.Contains(person, "Atyrau City Court") {
			t.Error("the public pages do not show the case's facts")
		}
		_, staffPerson := apiRaw(t, "GET", w.a.URL+"/api/v1/people/max-bokayev", token, "")
		if !strings.Contains(staffPerson, "Secret colony 7") {
			t.Error("staff do not see the facility in the person's cases")
		}
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		if _, internal := fetchWith(t, editor, w.a.URL+"/people/max-bokayev/dossier.md?profile=internal"); !strings.Contains(internal, "Secret colony 7") {
			t.Error("the internal dossier lacks the facility")
		}
		_, staffPage := fetchWith(t, editor, w.a.URL+"/cases/max-bokayev-case")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(staffPage))
		if got := doc.Find(`[data-testid="fact-facility"]`).Text(); !strings.Contains(got, "Secret colony 7") || !strings.Contains(got, "staff only") {
			t.Errorf("staff case page facility = %q", got)
		}
	})

	t.Run("PublicFacilityShown", func(t *testing.T) {
		if code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": {"facility_public": true}}`, version())); code != 200 {
			t.Fatalf("%d %v", code, body)
		}
		_, body := apiDo(t, "GET", caseURL, "", "")
		if f := facts(body); f["facility"] != "Secret colony 7" || f["court"] != "Atyrau City Court" {
			t.Errorf("public facts after making the facility public = %v", f)
		}
	})

	t.Run("NullClearsAFactLeftOutKeepsIt", func(t *testing.T) {
		code, body := apiDo(t, "PUT", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": {"sentence_months": null, "court": ""}}`, version()))
		c, _ := body["case"].(map[string]any)
		if f := facts(c); code != 200 || f["sentence_months"] != nil || f["court"] != nil || f["sentence"] != "5 years in prison" || f["detained_on"] != "2016-05-17" {
			t.Errorf("%d facts = %v", code, f)
		}
	})

	t.Run("RefusedPerField", func(t *testing.T) {
		for name, tc := range map[string]struct{ facts, field string }{
			"BadDate":                {`{"detained_on": "May 2016"}`, "detained_on"},
			"MonthThirteen":          {`{"detained_on": "2019-13"}`, "detained_on"},
			"VerdictMonthBefore":     {`{"detained_on": "2016-05", "verdict_on": "2016-04"}`, "verdict_on"},
			"VerdictBeforeDetention": {`{"verdict_on": "2015-01-01"}`, "verdict_on"},
			"NegativeMonths":         {`{"sentence_months": -1}`, "sentence_months"},
			"UnknownProvision":       {`{"charges": [{"legal_provision": "criminal-code-article-999", "detail": "part 1"}]}`, "charges"},
		} {
			t.Run(name, func(t *testing.T) {
				code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": %s}`, version(), tc.facts))
				fields, _ := body["fields"].(map[string]any)
				if code != 422 || fields[tc.field] == nil {
					t.Errorf("%d %v", code, body)
				}
			})
		}
		for _, bad := range []string{`{"sentence_months": "sixty"}`, `{"colour": "red"}`, `{"charges": [{"legal_provision": "criminal-code-article-174", "part": 2}]}`} {
			if code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": %s}`, version(), bad)); code != 400 {
				t.Errorf("%s: %d %v", bad, code, body)
			}
		}
	})

	t.Run("StaleVersionConflicts", func(t *testing.T) {
		code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": {"court": "Another"}}`, version()-1))
		if code != 409 {
			t.Errorf("%d %v", code, body)
		}
	})

	// A detention known to its month and a verdict known to its year read back as given,
	// on pages and in the CSV as "May 2016" and "2016", never the first day of the period.
	t.Run("DatesToTheirPrecision", func(t *testing.T) {
		for _, tc := range []struct{ detained, verdict, page string }{
			{"2016", "2016", "2016"}, {"2016-05", "2016", "May 2016"}, {"2016-05-17", "2016-11", "17 May 2016"},
		} {
			code, body := apiDo(t, "PATCH", caseURL, token, fmt.Sprintf(`{"version": %d, "facts": {"detained_on": %q, "verdict_on": %q}}`, version(), tc.detained, tc.verdict))
			if code != 200 {
				t.Fatalf("%s: %d %v", tc.detained, code, body)
			}
			_, body = apiDo(t, "GET", caseURL, "", "")
			if f := facts(body); f["detained_on"] != tc.detained || f["verdict_on"] != tc.verdict {
				t.Errorf("public answer: detained_on %v, verdict_on %v; want %q, %q", f["detained_on"], f["verdict_on"], tc.detained, tc.verdict)
			}
			_, page := fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev")
			doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
			if got := doc.Find(`[data-testid="fact-detained-on"]`).Text(); got != tc.page {
				t.Errorf("person page: detained on %q, want %q", got, tc.page)
			}
			_, csv := fetchWith(t, browser(t), w.a.URL+"/api/v1/cases.csv")
			if !strings.Contains(csv, "/cases/max-bokayev-case,") || !strings.Contains(csv, ","+tc.detained+",") {
				t.Errorf("cases.csv lacks the detention %s:\n%s", tc.detained, csv)
			}
		}
		_, md := fetchWith(t, browser(t), w.a.URL+"/people/max-bokayev/dossier.md")
		if !strings.Contains(md, "17 May 2016") || !strings.Contains(md, "November 2016") || strings.Contains(md, "1 November 2016") {
			t.Errorf("the dossier dates the verdict known to its month otherwise:\n%s", md)
		}
	})
}

// TestCaseFactsForm edits the facts on the case form: an error comes back beside its field
// with the input kept, and a save shows on the case page.
func TestCaseFactsForm(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	_, page := fetchWith(t, editor, w.a.URL+"/cases/talgat-ayan-case/edit")
	form := formOf(t, page)
	form.Set("detained_on", "2016-05")
	form.Set("verdict_on", "2016-04")
	form.Set("charge_0_names", "Criminal Code Article 174")
	form.Set("charge_0_detail", "part 2")
	form.Set("charge_1_names", "Criminal Code Article 274")
	form.Set("facility", "Colony 3")
	resp, body := post(t, editor, w.a.URL+"/cases/talgat-ayan-case/edit", form)
	doc, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
	if resp.StatusCode != 422 || doc.Find(`[data-testid="verdict_on-error"]`).Length() != 1 || doc.Find("#facility").AttrOr("value", "") != "Colony 3" ||
		doc.Find("#charge_0_detail").AttrOr("value", "") != "part 2" || doc.Find("#charge_0-chosen-0").AttrOr("value", "") != "criminal-code-article-174" {
		t.Fatalf("bad verdict date: %d", resp.StatusCode)
	}
	if doc.Find("#detained_on").AttrOr("value", "") != "2016-05" {
		t.Errorf("the refused form lost the month typed: %q", doc.Find("#detained_on").AttrOr("value", ""))
	}
	form.Set("verdict_on", "2016-11-28")
	if resp, body := post(t, editor, w.a.URL+"/cases/talgat-ayan-case/edit", form); resp.StatusCode != 303 {
		t.Fatalf("save: %d %s", resp.StatusCode, body)
	}
	_, body = fetchWith(t, browser(t), w.a.URL+"/cases/talgat-ayan-case")
	doc, _ = goquery.NewDocumentFromReader(strings.NewReader(body))
	if got := doc.Find(`[data-testid="fact-charges"]`).Text(); !strings.Contains(got, "Criminal Code Article 174") || !strings.Contains(got, "part 2") {
		t.Errorf("public charges = %q", got)
	}
	if doc.Find(`[data-testid="fact-detained-on"]`).Text() != "May 2016" || doc.Find(`[data-testid="fact-facility"]`).Length() != 0 {
		t.Errorf("public page: detained %q, facility shown %d", doc.Find(`[data-testid="fact-detained-on"]`).Text(), doc.Find(`[data-testid="fact-facility"]`).Length())
	}
}

// TestChargesPickedByName saves the case form's charges as a browser without JavaScript
// sends them: each charge's law typed by name (one match taken, several asked with the
// name kept, none an error beside the row), with its detail.
func TestChargesPickedByName(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	const edit = "/cases/talgat-ayan-case/edit"
	_, page := fetchWith(t, editor, w.a.URL+edit)
	form := formOf(t, page)
	if form.Get("charge_rows") != "2" {
		t.Fatalf("a case with no charge offers %q rows, want 2", form.Get("charge_rows"))
	}
	charges := func() string {
		d, err := w.db.Case(context.Background(), "talgat-ayan-case")
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, c := range d.Case.Facts.Charges {
			out = append(out, c.Text())
		}
		return strings.Join(out, "; ")
	}

	form.Set("charge_0_names", "criminal code article 174")
	form.Set("charge_0_detail", "part 2")
	form.Set("charge_1_names", "Criminal Code")
	resp, body := post(t, editor, w.a.URL+edit, form)
	d := doc(t, body)
	if resp.StatusCode != 422 || d.Find(`[data-testid="charge_1-ask-0"] input[type=radio]`).Length() < 2 ||
		d.Find(`input[name="charge_1_ask"]`).AttrOr("value", "") != "Criminal Code" {
		t.Fatalf("a name matching several laws: %d, asks %q", resp.StatusCode, d.Find(`[data-testid="charge_1-ask-0"]`).Text())
	}
	if d.Find(`#charge_0-chosen-0`).AttrOr("value", "") != "criminal-code-article-174" || d.Find(`#charge_0_detail`).AttrOr("value", "") != "part 2" {
		t.Errorf("the first charge was not kept: %q", d.Find(`[data-testid="charge-row-0"]`).Text())
	}
	if d.Find(`[data-testid="error-summary"] a[href="#charge_1"]`).Length() != 1 || charges() != "" {
		t.Errorf("summary links to the row: %d; charges saved meanwhile: %q", d.Find(`[data-testid="error-summary"] a[href="#charge_1"]`).Length(), charges())
	}

	form = formOf(t, body)
	form.Set("charge_1_pick_0", "criminal-code-article-274")
	if resp, body := post(t, editor, w.a.URL+edit, form); resp.StatusCode != 303 {
		t.Fatalf("choosing the law: %d %s", resp.StatusCode, body)
	}
	if got := charges(); got != "Criminal Code Article 174, part 2; Criminal Code Article 274" {
		t.Errorf("charges saved: %q", got)
	}

	_, page = fetchWith(t, editor, w.a.URL+edit)
	form = formOf(t, page)
	if form.Get("charge_rows") != "3" || form.Get("charge_1") != "criminal-code-article-274" {
		t.Errorf("the form reopens with %s rows, the second holding %q", form.Get("charge_rows"), form.Get("charge_1"))
	}
	form.Set("charge_2_names", "Penal Code of Atlantis")
	resp, body = post(t, editor, w.a.URL+edit, form)
	d = doc(t, body)
	if resp.StatusCode != 422 || !strings.Contains(d.Find(`[data-testid="charge_2-error"]`).Text(), "Penal Code of Atlantis") ||
		d.Find(`#charge_2`).AttrOr("value", "") != "Penal Code of Atlantis" {
		t.Errorf("a name matching no law: %d, error %q, typed kept as %q", resp.StatusCode, d.Find(`[data-testid="charge_2-error"]`).Text(), d.Find(`#charge_2`).AttrOr("value", ""))
	}

	form.Set("charge_2_names", "")
	form.Set("charge_2_detail", "part 3")
	resp, body = post(t, editor, w.a.URL+edit, form)
	if d = doc(t, body); resp.StatusCode != 422 || d.Find(`[data-testid="charge_2-error"]`).Length() != 1 {
		t.Errorf("a detail with no law: %d", resp.StatusCode)
	}

	form.Set("charge_2_detail", "")
	form.Del("charge_0") // unticking a charge's law and clearing its detail removes the charge
	form.Set("charge_0_detail", "")
	if resp, body := post(t, editor, w.a.URL+edit, form); resp.StatusCode != 303 {
		t.Fatalf("removing a charge: %d %s", resp.StatusCode, body)
	}
	if got := charges(); got != "Criminal Code Article 274" {
		t.Errorf("charges after unticking the first: %q", got)
	}
}
