package server_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// reviewPage is an import's review page as a browser holds it.
type reviewPage struct {
	t    *testing.T
	c    *http.Client
	base string
	path string // the address the page was read from
	body string
	doc  *goquery.Document
}

func openReview(t *testing.T, c *http.Client, base, path string) *reviewPage {
	t.Helper()
	resp, body := fetchWith(t, c, base+path)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d", path, resp.StatusCode)
	}
	return &reviewPage{t: t, c: c, base: base, path: path, body: body, doc: doc(t, body)}
}

// values is what the review form sends as the page stands: hidden and text fields, ticked
// boxes and chosen radio buttons, text areas, the chosen option of each list.
func (p *reviewPage) values() url.Values {
	form := url.Values{}
	p.doc.Find(`form[data-testid="review-form"]`).Find(`input[name], textarea[name], select[name]`).Each(func(_ int, s *goquery.Selection) {
		name, _ := s.Attr("name")
		_, disabled := s.Attr("disabled")
		switch typ := s.AttrOr("type", "text"); {
		case disabled:
		case goquery.NodeName(s) == "textarea":
			form.Add(name, strings.TrimPrefix(s.Text(), "\n"))
		case goquery.NodeName(s) == "select":
			opt := s.Find("option[selected]")
			if opt.Length() == 0 {
				opt = s.Find("option").First()
			}
			form.Add(name, opt.AttrOr("value", ""))
		case typ == "checkbox" || typ == "radio":
			if _, on := s.Attr("checked"); on {
				form.Add(name, s.AttrOr("value", "on"))
			}
		default:
			form.Add(name, s.AttrOr("value", ""))
		}
	})
	return form
}

// press sends the form with the button that matches selector, after edit has changed what
// the user changed; it follows a redirect to the page it leads to.
func (p *reviewPage) press(selector string, edit func(url.Values)) (int, *reviewPage) {
	p.t.Helper()
	button := p.doc.Find(`form[data-testid="review-form"]`).Find(selector)
	if button.Length() != 1 {
		p.t.Fatalf("%d buttons match %s", button.Length(), selector)
	}
	form := p.values()
	if edit != nil {
		edit(form)
	}
	if name, ok := button.Attr("name"); ok {
		form.Set(name, button.AttrOr("value", ""))
	}
	action := button.AttrOr("formaction", p.doc.Find(`form[data-testid="review-form"]`).AttrOr("action", ""))
	noRedirect := *p.c
	noRedirect.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, body := post(p.t, &noRedirect, p.base+action, form)
	if resp.StatusCode == http.StatusSeeOther {
		loc, _ := url.Parse(resp.Header.Get("Location"))
		return resp.StatusCode, openReview(p.t, p.c, p.base, loc.RequestURI())
	}
	return resp.StatusCode, &reviewPage{t: p.t, c: p.c, base: p.base, path: p.path, body: body, doc: doc(p.t, body)}
}

// ticked reports whether the link box of the clause naming slug is ticked.
func (p *reviewPage) ticked(eid, slug string) bool {
	p.t.Helper()
	box := p.doc.Find(`[data-testid="review-` + eid + `"] input[name="accept"][value*="|` + slug + `|"]`)
	if box.Length() != 1 {
		p.t.Fatalf("%d link boxes for %s in %s", box.Length(), slug, eid)
	}
	_, on := box.Attr("checked")
	return on
}

// proposal is the value of a field of the proposed demand whose key is given ("decision":
// the chosen radio button).
func (p *reviewPage) proposal(key, field string) string {
	p.t.Helper()
	fs := p.doc.Find(`fieldset[data-testid="proposal-` + key + `"]`)
	if fs.Length() != 1 {
		p.t.Fatalf("no proposed demand %s on the page", key)
	}
	switch field {
	case "decision":
		return fs.Find(`input[type="radio"][checked]`).AttrOr("value", "?")
	case "wording":
		return strings.TrimSpace(fs.Find("textarea").Text())
	case "action":
		return fs.Find("select option[selected]").AttrOr("value", "")
	}
	return ""
}

// proposalField names a proposed demand's field in the form, as the page numbers it.
func (p *reviewPage) proposalField(key, field string) string {
	fs := p.doc.Find(`fieldset[data-testid="proposal-` + key + `"]`)
	name := fs.Find(`input[name$="-key"]`).AttrOr("name", "")
	return strings.TrimSuffix(name, "key") + field
}

// newDraft imports the synthetic 2022 text as an admin: the world, the admin's client and
// the draft's review address.
func newDraft(t *testing.T) (*staffWorld, *http.Client, string) {
	t.Helper()
	w := newStaffWorld(t)
	text, err := os.ReadFile("../importer/testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, string(text))
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	return w, admin, resp.Header.Get("Location")
}

func untick(form url.Values, eid, slug string) {
	var keep []string
	for _, k := range form["accept"] {
		if !strings.HasPrefix(k, eid+"|") || !strings.Contains(k, "|"+slug+"|") {
			keep = append(keep, k)
		}
	}
	form["accept"] = keep
}

// The review page is one form: every button sends every decision on it, so no action
// loses one. The reported sequence first (untick a wrong link, then create a person: the
// link stayed unticked), then each action after others.
func TestImportReviewKeepsEveryDecision(t *testing.T) {
	t.Parallel()
	w, admin, draft := newDraft(t)
	page := openReview(t, admin, w.a.URL, draft)

	// The candidates' forms are filled with the role their cue gives.
	if role := page.doc.Find(`[data-testid="entity-form-cand-0"] input[name="cand-0-role"]`).AttrOr("value", ""); role == "" {
		t.Errorf("the first candidate's role is not filled in")
	}
	galym := page.doc.Find(`fieldset.candidate`).FilterFunction(func(_ int, s *goquery.Selection) bool { return s.Find("legend").Text() == "Galym Ageleuov" })
	at := galym.Find(`button[name="at"]`).AttrOr("value", "")
	if role := galym.Find(`input[name="`+at+`-role"]`).AttrOr("value", ""); role != "human rights defender" {
		t.Errorf("Galym Ageleuov's role is prefilled as %q", role)
	}

	t.Run("UntickThenCreatePerson", func(t *testing.T) {
		if !page.ticked("para_2__point_b", "max-bokayev") {
			t.Fatal("the link starts unticked")
		}
		status, next := page.press(`button[name="at"][value="`+at+`"]`, func(f url.Values) {
			untick(f, "para_2__point_b", "max-bokayev")
			f.Set(at+"-aliases", "Галым Агелеуов")
		})
		if status != http.StatusSeeOther {
			t.Fatalf("create person: %d\n%s", status, next.body)
		}
		if next.ticked("para_2__point_b", "max-bokayev") {
			t.Error("creating a person ticked the turned-down link again")
		}
		if !strings.Contains(next.doc.Find(`[data-testid="new-entities"]`).Text(), "Galym Ageleuov") || !next.ticked("rec_C", "galym-ageleuov") {
			t.Error("the person was not created and linked")
		}
		page = next
	})

	t.Run("DecideProposalsThenAddDemand", func(t *testing.T) {
		// The proposal for point 2(a) now names the new person as its target.
		if page.proposal("para_2__point_a@0", "decision") != "" || page.proposal("para_2__point_a@0", "action") != "release" {
			t.Fatalf("point 2(a)'s proposal: %q %q", page.proposal("para_2__point_a@0", "decision"), page.proposal("para_2__point_a@0", "action"))
		}
		status, next := page.press(`[data-testid="add-demand"]`, func(f url.Values) {
			untick(f, "para_2__point_c", "criminal-code-article-174")
			f.Set(page.proposalField("para_2__point_a@0", "decision"), "accept")
			f.Set(page.proposalField("para_2__point_a@0", "wording"), "release Galym Ageleuov and Dariga Sultanbekova immediately")
			f.Set(page.proposalField("para_1@39", "decision"), "reject")
			f.Set("clause", "para_1")
			f.Set("action", "other")
			f.Set("wording", "Condemns the killing of protesters")
		})
		if status != http.StatusSeeOther {
			t.Fatalf("add demand: %d\n%s", status, next.doc.Find(`[role="alert"]`).Text())
		}
		switch {
		case next.ticked("para_2__point_b", "max-bokayev"), next.ticked("para_2__point_c", "criminal-code-article-174"):
			t.Error("a turned-down link is ticked again after adding a demand")
		case next.proposal("para_2__point_a@0", "decision") != "accept" || next.proposal("para_2__point_a@0", "wording") != "release Galym Ageleuov and Dariga Sultanbekova immediately":
			t.Errorf("accepted proposal: %q %q", next.proposal("para_2__point_a@0", "decision"), next.proposal("para_2__point_a@0", "wording"))
		case next.proposal("para_1@39", "decision") != "reject":
			t.Error("the rejected proposal is not rejected")
		case !strings.Contains(next.doc.Find(`[data-testid="draft-demand"]`).Text(), "Condemns the killing of protesters"):
			t.Error("the demand was not added")
		}
		page = next
	})

	t.Run("RefusedActionKeepsWhatWasSent", func(t *testing.T) {
		before := postgrestest.Count(t, w.url, `SELECT version FROM import_drafts WHERE id = `+strings.TrimPrefix(draft, "/admin/imports/"))
		status, next := page.press(`button[name="at"][value="new"]`, func(f url.Values) {
			untick(f, "rec_A", "max-bokayev")
			f.Set(page.proposalField("para_2__point_b@0", "decision"), "accept")
			f.Set(page.proposalField("para_2__point_b@0", "wording"), "free everyone")
			f.Set("new-name", "Oraz Serikbay")
		})
		if status != http.StatusUnprocessableEntity {
			t.Fatalf("accepting words not in the clause: %d", status)
		}
		field := page.proposalField("para_2__point_b@0", "wording")
		if next.doc.Find(`#`+field+`-error`).Length() != 1 || next.doc.Find(`[data-testid="error-summary"] a[href="#`+field+`"]`).Length() != 1 {
			t.Errorf("the refusal is not beside the field and in the summary")
		}
		if next.proposal("para_2__point_b@0", "wording") != "free everyone" || next.ticked("rec_A", "max-bokayev") || next.doc.Find(`input[name="new-name"]`).AttrOr("value", "") != "Oraz Serikbay" {
			t.Errorf("the refused page does not show what was sent")
		}
		if after := postgrestest.Count(t, w.url, `SELECT version FROM import_drafts WHERE id = `+strings.TrimPrefix(draft, "/admin/imports/")); after != before {
			t.Errorf("a refused action wrote: version %d → %d", before, after)
		}
		if strings.Contains(openReview(t, admin, w.a.URL, draft).body, "Oraz Serikbay") {
			t.Error("the person of a refused action was created")
		}
	})

	t.Run("RemoveEntityKeepsDecisions", func(t *testing.T) {
		page = openReview(t, admin, w.a.URL, draft)
		status, next := page.press(`button[name="remove"][value="person/galym-ageleuov"]`, func(f url.Values) {
			f.Set(page.proposalField("para_2__point_c@0", "decision"), "accept")
		})
		if status != http.StatusSeeOther || strings.Contains(next.doc.Find(`[data-testid="new-entities"]`).Text(), "Galym Ageleuov") {
			t.Fatalf("remove: %d", status)
		}
		if next.ticked("para_2__point_b", "max-bokayev") || next.proposal("para_2__point_c@0", "decision") != "accept" || next.proposal("para_1@39", "decision") != "reject" {
			t.Error("removing a person lost a decision")
		}
		page = next
	})

	t.Run("SavingNothingNewWritesNothing", func(t *testing.T) {
		id := strings.TrimPrefix(draft, "/admin/imports/")
		before := postgrestest.Count(t, w.url, `SELECT version FROM import_drafts WHERE id = `+id)
		if status, _ := page.press(`[data-testid="save-decisions"]`, nil); status != http.StatusSeeOther {
			t.Fatalf("save: %d", status)
		}
		if after := postgrestest.Count(t, w.url, `SELECT version FROM import_drafts WHERE id = `+id); after != before {
			t.Errorf("saving unchanged decisions made version %d → %d", before, after)
		}
	})

	t.Run("CheckYourAnswersThenPublish", func(t *testing.T) {
		page = openReview(t, admin, w.a.URL, draft)
		if page.doc.Find(`[data-testid="publish"]`).Length() != 0 {
			t.Error("the review page publishes before the answers are checked")
		}
		// Tick a link again and make its law the target of the accepted proposal; leave
		// paragraph 1's proposal undecided after all.
		key := page.doc.Find(`[data-testid="review-para_2__point_c"] input[name="key"][value*="|criminal-code-article-174|"]`).AttrOr("value", "")
		status, check := page.press(`[data-testid="check"]`, func(f url.Values) {
			f.Set(page.proposalField("para_2__point_b@0", "decision"), "reject")
			f.Set(page.proposalField("para_1@39", "decision"), "")
			f.Add("accept", key)
			f.Add(page.proposalField("para_2__point_c@0", "target"), "legal_provision/criminal-code-article-174")
		})
		if status != http.StatusSeeOther || check.path != draft+"/check" {
			t.Fatalf("continue: %d → %s", status, check.path)
		}
		text := func(id string) string { return check.doc.Find(`[data-testid="` + id + `"]`).Text() }
		if !strings.Contains(text("check-turned-down"), "Point 2(b): Max Bokayev") || strings.Contains(text("check-turned-down"), "Point 2(c)") ||
			!strings.Contains(text("check-links"), "Point 2(c): Criminal Code Article 174") {
			t.Errorf("links on the check page:\nturned down %s\nticked %s", text("check-turned-down"), text("check-links"))
		}
		if !strings.Contains(text("check-demands"), "Condemns the killing of protesters") || !strings.Contains(text("check-demands"), "repeal Criminal Code article 174") ||
			strings.Contains(text("check-demands"), "lift the restrictions") || !strings.Contains(text("check-clauses"), "12 clauses") {
			t.Errorf("demands on the check page: %s", text("check-demands"))
		}
		if !strings.Contains(text("check-undecided"), "1 proposed demand is") || text("check-entities") != "None" && !strings.Contains(text("check-entities"), "None") {
			t.Errorf("undecided %q, entities %q", text("check-undecided"), text("check-entities"))
		}
		for _, anchor := range []string{"#clauses-h", "#people-h", "#demands-h", "#proposals-h"} {
			if check.doc.Find(`a[href="`+draft+anchor+`"]`).Length() == 0 {
				t.Errorf("no change link back to %s", anchor)
			}
		}
		version := check.doc.Find(`form input[name="version"]`).AttrOr("value", "")
		resp, _ := post(t, admin, w.a.URL+draft+"/publish", url.Values{"version": {version}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/resolutions/2022-2502-rsp" {
			t.Fatalf("publish: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM demands d JOIN demand_targets dt ON dt.demand_id = d.id
			JOIN legal_provisions l ON l.id = dt.legal_provision_id WHERE d.wording = 'repeal Criminal Code article 174' AND l.slug = 'criminal-code-article-174'`); n != 1 {
			t.Errorf("the accepted proposal was not published with its target")
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM demands WHERE wording IN ('lift the restrictions imposed on Max Bokayev', 'calls for an independent international investigation')`); n != 0 {
			t.Errorf("a rejected proposal was published")
		}
	})
}

// Discarding asks first, on a page that works without JavaScript.
func TestImportDiscardAsksFirst(t *testing.T) {
	t.Parallel()
	w, admin, draft := newDraft(t)
	page := openReview(t, admin, w.a.URL, draft)
	href := page.doc.Find(`a[href$="/discard"]`).AttrOr("href", "")
	confirm := openReview(t, admin, w.a.URL, href)
	if !strings.Contains(confirm.body, "Discard this draft?") || confirm.doc.Find(`[data-testid="discard"]`).Length() != 1 {
		t.Fatalf("no confirmation page at %q", href)
	}
	version := confirm.doc.Find(`input[name="version"]`).AttrOr("value", "")
	if resp, _ := post(t, admin, w.a.URL+draft+"/discard", url.Values{"version": {"0"}}); resp.StatusCode != http.StatusConflict {
		t.Errorf("a stale discard: %d", resp.StatusCode)
	}
	if resp, _ := post(t, admin, w.a.URL+draft+"/discard", url.Values{"version": {version}}); resp.StatusCode != http.StatusSeeOther {
		t.Errorf("discard: %d", resp.StatusCode)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM import_drafts WHERE state = 'discarded'`); n != 1 {
		t.Errorf("discarded drafts: %d", n)
	}
}

// Decisions are checked on the server: a "proposal" on a recital, a target that is no
// record, a demand on a recital (which published as a 500 before) are refused, nothing
// written.
func TestImportReviewRefusesForgedDecisions(t *testing.T) {
	t.Parallel()
	w, admin, draft := newDraft(t)
	for name, form := range map[string]url.Values{
		"ProposalOnARecital": {"version": {"1"}, "decisions": {"1"}, "proposal": {"0"}, "prop-0-key": {"rec_A@0"}, "prop-0-decision": {"accept"},
			"prop-0-action": {"release"}, "prop-0-wording": {"civil society activist Max Bokayev"}},
		"TargetThatIsNoRecord": {"version": {"1"}, "decisions": {"1"}, "proposal": {"0"}, "prop-0-key": {"para_2__point_b@0"}, "prop-0-decision": {"accept"},
			"prop-0-action": {"lift_restrictions"}, "prop-0-wording": {"lift the restrictions imposed on Max Bokayev"}, "prop-0-target": {"person/nobody-at-all"}},
	} {
		if resp, _ := post(t, admin, w.a.URL+draft+"/links", form); resp.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422", name, resp.StatusCode)
		}
	}
	if resp, body := post(t, admin, w.a.URL+draft+"/demands", url.Values{"version": {"1"}, "clause": {"rec_A"}, "action": {"release"},
		"wording": {"civil society activist Max Bokayev"}}); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="clause-error"`) {
		t.Errorf("a demand on a recital: %d", resp.StatusCode)
	}
	if n := postgrestest.Count(t, w.url, `SELECT version FROM import_drafts`); n != 1 {
		t.Errorf("refused decisions were written: version %d", n)
	}
}

// A text the parser was unsure of shows where to look on the review and check pages, and
// publishing asks staff to say they compared those lines with the source (issue 14 §2):
// without the tick the answer is 422 with the error beside the box, and nothing is public.
func TestImportPublishWithWarningsAsks(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	raw, err := os.ReadFile("../importer/testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Paragraph 3 numbered 4: a gap the parser keeps with a warning at line 20.
	text := strings.Replace(string(raw), "\n3.\tInstructs", "\n4.\tInstructs", 1)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, text)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	draft := resp.Header.Get("Location")
	page := openReview(t, admin, w.a.URL, draft)
	warn := strings.Join(strings.Fields(page.doc.Find(`[data-testid="parse-warnings"]`).Text()), " ")
	if !strings.Contains(warn, "1 warning") || !strings.Contains(warn, "Line 20: paragraph 4 follows paragraph 2") {
		t.Fatalf("the review page's warnings: %q", warn)
	}
	check := openReview(t, admin, w.a.URL, draft+"/check")
	if check.doc.Find(`[data-testid="parse-warnings"]`).Length() != 1 || check.doc.Find(`input[name="warnings_seen"]`).Length() != 1 {
		t.Fatalf("the check page neither shows the warning nor asks about it")
	}
	version := check.doc.Find(`form input[name="version"]`).AttrOr("value", "")
	resp, body := post(t, admin, w.a.URL+draft+"/publish", url.Values{"version": {version}})
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publish without the tick: %d", resp.StatusCode)
	}
	refused := doc(t, body)
	if !strings.Contains(refused.Find(`#warnings-seen-error`).Text(), "compared the 1 warning with the source") ||
		refused.Find(`input#warnings-seen[aria-invalid="true"]`).Length() != 1 || refused.Find(`a[href="#warnings-seen"]`).Length() != 1 {
		t.Errorf("the refusal does not say what to do beside the box and in the summary")
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM resolutions WHERE procedure = '2022/2502(RSP)'`); n != 0 {
		t.Fatalf("published without the tick")
	}
	resp, _ = post(t, admin, w.a.URL+draft+"/publish", url.Values{"version": {version}, "warnings_seen": {"yes"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("publish with the tick: %d", resp.StatusCode)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM clauses c JOIN resolutions r ON r.id = c.resolution_id WHERE r.procedure = '2022/2502(RSP)' AND c.label = '4'`); n != 1 {
		t.Errorf("the published resolution lacks paragraph 4 as the source numbered it")
	}
}
