package e2e_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/whereas/whereas/internal/auth"
	"github.com/whereas/whereas/internal/e2e"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
)

// walkResolution is a short resolution naming the new person and calling for her release,
// as an admin pastes it into the import page.
const walkResolution = "European Parliament resolution of 15 June 2023 on the case of Serik Bokaev in Kazakhstan (2023/2731(RSP))\n" +
	"The European Parliament,\n" +
	"–\thaving regard to its previous resolutions on Kazakhstan,\n" +
	"Whereas:\n" +
	"A.\twhereas trade unionist Serik Bokaev was detained in May 2019;\n" +
	"1.\tCalls for the immediate and unconditional release of Serik Bokaev;\n" +
	"2.\tInstructs its President to forward this resolution to the Council and the Commission.\n"

// TestIssue13Walk is issue 13's "Done when" walk, chained as staff would do it, on a fresh
// seeded database. An editor creates a person with a Cyrillic alias and an affiliation,
// then a case for him, picked by typing another spelling of his name, with the facts (a
// charge picked by name, a facility kept internal) and a detention known to its month. A
// new resolution names him and calls for his release: an admin imports it (demands come
// only from resolutions; no form makes one up), accepting the demand the importer proposes.
// The editor records the release in the one status form, which proposes "met" for that
// demand. Signed out, the pages, the API, cases.csv and the PDF dossier show the facts to
// their precision and no facility; the scoreboard and the resolutions API count the met
// demand. Each step has a tab of its own (a tab's time is bounded); axe runs on every page
// of the walk that issue 13 made.
func TestIssue13Walk(t *testing.T) {
	browser := e2e.NewBrowser(t)
	base, db := startStaffAppWithDB(t)
	hash, err := auth.Hash(staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateUser(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", tracker.RoleEditor, hash); err != nil {
		t.Fatal(err)
	}
	const facility = "Atyrau remand centre no. 7"

	// 1. The person, with a Cyrillic alias and an affiliation.
	ctx := e2e.NewTab(t, browser)
	signInAs(t, ctx, base, "editor@example.org") // the tabs share the sign-in
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/people/new"), chromedp.WaitVisible(chromedp.CSS(`#name`)))
	checkAxe(t, ctx, "/people/new")
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#name`), "Serik Bokaev"),
		chromedp.SendKeys(chromedp.CSS(`#aliases`), "Серік Бокаев"),
		chromedp.SendKeys(chromedp.CSS(`#role`), "trade unionist"),
		chromedp.SendKeys(chromedp.CSS(`#place`), "Atyrau"),
		chromedp.Click(chromedp.CSS(`#affiliation_0`)),
		chromedp.SendKeys(chromedp.CSS(`#affiliation_0`), "CITUK"),
	)
	waitJS(t, ctx, `document.querySelector("#affiliation_0-listbox").dataset.query === "CITUK" && !!document.querySelector('#affiliation_0-listbox [data-slug="cituk"]')`)
	do(t, ctx,
		chromedp.Click(chromedp.CSS(`#affiliation_0-listbox [data-slug="cituk"]`)),
		chromedp.SendKeys(chromedp.CSS(`#affiliation_0_role`), "member"),
		chromedp.Click(chromedp.CSS(`form.form button[type="submit"]`)),
	)
	waitJS(t, ctx, `location.pathname === "/people/serik-bokaev" && !!document.querySelector('[data-testid="flash"]')`)
	if aff := eval[string](t, ctx, `document.querySelector('[data-testid="affiliations-h"]').innerText`); !strings.Contains(aff, "Confederation of Independent Trade Unions of Kazakhstan, member") {
		t.Errorf("affiliations: %q", aff)
	}
	checkAxe(t, ctx, "/people/serik-bokaev (staff)")

	// 2. His case: the person picked by typing the Russian spelling of his name (his alias
	// is Kazakh), which also suggests Max Bokayev; the charge's law picked by a few words;
	// the facility typed and left internal; the detention known to its month.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/cases/new"), chromedp.WaitVisible(chromedp.CSS(`#people[role="combobox"]`)))
	do(t, ctx, chromedp.SendKeys(chromedp.CSS(`#title`), "Criminal case against Serik Bokaev"), chromedp.Click(chromedp.CSS(`#people`)),
		chromedp.SendKeys(chromedp.CSS(`#people`), "Серик Бокаев"))
	// The suggestions for the whole name, not for a part typed before (a later answer redraws the list).
	waitJS(t, ctx, `document.querySelector("#people-listbox").dataset.query === "Серик Бокаев" && !!document.querySelector('#people-listbox [data-slug="serik-bokaev"]') && document.querySelector("#people").getAttribute("aria-expanded") === "true"`)
	checkAxe(t, ctx, "/cases/new, suggestions open")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#people-listbox [data-slug="serik-bokaev"]`)))
	waitJS(t, ctx, `!!document.querySelector('#people-chosen input[value="serik-bokaev"]:checked')`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#charge_0`)), chromedp.SendKeys(chromedp.CSS(`#charge_0`), "article 174"))
	waitJS(t, ctx, `document.querySelector("#charge_0-listbox").dataset.query === "article 174" && !!document.querySelector('#charge_0-listbox [data-slug="criminal-code-article-174"]')`)
	do(t, ctx, chromedp.Click(chromedp.CSS(`#charge_0-listbox [data-slug="criminal-code-article-174"]`)))
	waitJS(t, ctx, `!!document.querySelector('#charge_0-chosen input[value="criminal-code-article-174"]:checked')`)
	do(t, ctx,
		chromedp.SendKeys(chromedp.CSS(`#charge_0_detail`), "part 2"),
		chromedp.SendKeys(chromedp.CSS(`#detained_on`), "2019-05"),
		chromedp.SendKeys(chromedp.CSS(`#facility`), facility),
		chromedp.Click(chromedp.CSS(`form.form > button[type="submit"]`)),
	)
	waitJS(t, ctx, `location.pathname === "/cases/criminal-case-against-serik-bokaev" && !!document.querySelector('#add-status')`)
	caseURL := location(t, ctx)
	if got := eval[string](t, ctx, `document.querySelector('[data-testid="fact-detained-on"]').innerText`); got != "May 2019" {
		t.Errorf("staff case page: detained on %q", got)
	}
	if got := eval[string](t, ctx, `document.querySelector('[data-testid="fact-facility"]').innerText`); !strings.Contains(got, facility) || !strings.Contains(got, "staff only") {
		t.Errorf("staff see the facility as %q", got)
	}

	// 3. The detention, dated to the month the source gives.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
		chromedp.SetValue(chromedp.CSS(`#status`), "pre_trial_detention"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "2019-05"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Detained in Atyrau."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/bokaev-detained"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
	)
	waitJS(t, ctx, `document.querySelectorAll('[data-testid="timeline"] li').length === 1`)
	checkAxe(t, ctx, caseURL+" (staff, facts and status)")
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="signed-in-as"]`)))
	signOutBrowser(t, ctx)

	// 4. The resolution that calls for his release, imported by an admin.
	ctx = e2e.NewTab(t, browser)
	signInBrowser(t, ctx, base)
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(base+"/admin/imports"),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="import-form"]`)),
		chromedp.SetValue(chromedp.CSS(`#text`), walkResolution),
		chromedp.Click(chromedp.CSS(`[data-testid="import-form"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)),
	)
	checkAxe(t, ctx, "/admin/imports/{id}")
	review := location(t, ctx)
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(review), chromedp.WaitVisible(chromedp.CSS(`[data-testid="review-form"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="proposal-para_1@0"] input[value="accept"]`)),
		chromedp.Click(chromedp.CSS(`[data-testid="check"]`)), chromedp.WaitVisible(chromedp.CSS(`[data-testid="check-list"]`)))
	if check := eval[string](t, ctx, `document.querySelector('[data-testid="check-list"]').innerText`); !strings.Contains(check, "release of Serik Bokaev") {
		t.Errorf("check your answers lacks the release demand:\n%s", check)
	}
	checkAxe(t, ctx, "/admin/imports/{id}/check")
	do(t, ctx, chromedp.Click(chromedp.CSS(`[data-testid="publish"]`)))
	waitJS(t, ctx, `location.pathname === "/resolutions/2023-2731-rsp" && document.readyState === "complete"`)
	signOutBrowser(t, ctx)
	before := resolutionCounts(t, base, "2023-2731-rsp")
	if before.Demands != 1 || before.Met != 0 || before.Unassessed != 1 || before.Score != nil {
		t.Fatalf("before the release the resolutions API says %s", before)
	}
	seedBefore := resolutionCounts(t, base, "2019-2610-rsp")

	// 5. The release, in the one status form: it proposes "met" for the release demand.
	ctx = e2e.NewTab(t, browser)
	signInAs(t, ctx, base, "editor@example.org")
	ctx = e2e.NewTab(t, browser)
	do(t, ctx,
		chromedp.Navigate(caseURL),
		chromedp.WaitVisible(chromedp.CSS(`#add-status`)),
		chromedp.SetValue(chromedp.CSS(`#status`), "released"),
		chromedp.SetValue(chromedp.CSS(`#effective_on`), "2024-03"),
		chromedp.SendKeys(chromedp.CSS(`#note`), "Released after ten months."),
		chromedp.SendKeys(chromedp.CSS(`#source_url`), "https://example.org/bokaev-released"),
		chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="proposals"]`)),
	)
	release := eval[string](t, ctx, `document.querySelector('[data-testid="demand-choices"] select').name`)
	if v := eval[string](t, ctx, `document.querySelector('[data-testid="demand-choices"] select').value`); v != "met" || !strings.HasPrefix(release, "demand.2023-2731-rsp-para-1") {
		t.Fatalf("the form proposes %q for %s, want met for the resolution's release demand", v, release)
	}
	checkAxe(t, ctx, caseURL+" (proposals)")
	do(t, ctx, chromedp.Click(chromedp.CSS(`#add-status button[type="submit"]`)))
	waitJS(t, ctx, `document.querySelectorAll('[data-testid="timeline"] li').length === 2`)
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/staff"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="signed-in-as"]`)))
	signOutBrowser(t, ctx)

	// 6. What the public sees: the facts to their precision, the release, the demand met,
	// and the facility nowhere.
	public := map[string]string{}
	for _, path := range []string{"/people/serik-bokaev", "/cases/criminal-case-against-serik-bokaev"} {
		ctx = e2e.NewTab(t, browser)
		do(t, ctx, chromedp.Navigate(base+path), chromedp.WaitVisible(chromedp.CSS(`[data-testid="fact-charges"]`)))
		if h := eval[bool](t, ctx, `!!document.querySelector('.staff-bar')`); h {
			t.Fatalf("%s is seen signed in", path)
		}
		page := eval[string](t, ctx, `document.querySelector('main').innerText`)
		public[path] = page
		if got := eval[string](t, ctx, `document.querySelector('[data-testid="fact-detained-on"]').innerText`); got != "May 2019" {
			t.Errorf("%s: detained on %q, want May 2019", path, got)
		}
		if got := eval[string](t, ctx, `document.querySelector('[data-testid="fact-charges"]').innerText`); got != "Criminal Code Article 174, part 2" {
			t.Errorf("%s: charges %q", path, got)
		}
		if got := fold(eval[string](t, ctx, `document.querySelector('[data-testid="current-status"]').innerText`)); got != "Released since March 2024" {
			t.Errorf("%s: current status %q", path, got)
		}
		checkAxe(t, ctx, path+" (public)")
	}
	if demands := fold(eval[string](t, ctx, `document.querySelector('[data-testid="demands"]').innerText`)); !strings.Contains(demands, "Met since March 2024") {
		t.Errorf("the case's demands read %q", demands)
	}
	personAPI := getText(t, base+"/api/v1/people/serik-bokaev")
	caseAPI := getText(t, base+"/api/v1/cases/criminal-case-against-serik-bokaev")
	public["person API"], public["case API"] = personAPI, caseAPI
	var c struct {
		Facts struct {
			DetainedOn *string `json:"detained_on"`
			Facility   *string `json:"facility"`
			Charges    []struct {
				LegalProvision string  `json:"legal_provision"`
				Detail         *string `json:"detail"`
			} `json:"charges"`
		} `json:"facts"`
	}
	if err := json.Unmarshal([]byte(caseAPI), &c); err != nil {
		t.Fatal(err)
	}
	if f := c.Facts; f.DetainedOn == nil || *f.DetainedOn != "2019-05" || f.Facility != nil || len(f.Charges) != 1 ||
		f.Charges[0].LegalProvision != "criminal-code-article-174" || f.Charges[0].Detail == nil || *f.Charges[0].Detail != "part 2" {
		t.Errorf("the case API's facts: %s", caseAPI)
	}
	if !strings.Contains(personAPI, `"detained_on":"2019-05"`) && !strings.Contains(personAPI, `"detained_on": "2019-05"`) {
		t.Errorf("the person API does not give the detention as 2019-05: %s", personAPI)
	}
	csv := getText(t, base+"/api/v1/cases.csv")
	public["cases.csv"] = csv
	if !strings.Contains(csv, `,2019-05,"Criminal Code Article 174, part 2",`) {
		t.Errorf("cases.csv does not give the detention as 2019-05 with its charge:\n%s", csv)
	}
	pdf := pdfText(t, base+"/people/serik-bokaev/dossier.pdf")
	public["PDF dossier"] = pdf
	if !strings.Contains(pdf, "May 2019") || strings.Contains(pdf, "1 May 2019") || !strings.Contains(pdf, "Criminal Code Article 174, part 2") {
		t.Errorf("the PDF dossier reads:\n%s", pdf)
	}
	for what, text := range public {
		if strings.Contains(text, "remand centre") {
			t.Errorf("the public %s shows the internal facility", what)
		}
	}

	// 7. The scoreboard and the resolutions API count the met demand, and only it.
	ctx = e2e.NewTab(t, browser)
	do(t, ctx, chromedp.Navigate(base+"/resolutions/2023-2731-rsp/scoreboard"), chromedp.WaitVisible(chromedp.CSS(`[data-testid="score-counts"]`)))
	count := func(state string) string {
		return strings.TrimSpace(eval[string](t, ctx, `document.querySelector('[data-testid="score-counts"] li[data-state="`+state+`"] .count').textContent`))
	}
	if count("met") != "1" || count("unknown") != "0" {
		t.Errorf("scoreboard: met %s, not yet assessed %s; want 1 and 0", count("met"), count("unknown"))
	}
	if h := fold(eval[string](t, ctx, `document.querySelector('#score-h').innerText`)); !strings.HasPrefix(h, "1 of 1 assessed") || !strings.Contains(h, "0 not yet assessed") {
		t.Errorf("scoreboard heading %q", h)
	}
	checkAxe(t, ctx, "/resolutions/2023-2731-rsp/scoreboard")
	after := resolutionCounts(t, base, "2023-2731-rsp")
	if after.Met != before.Met+1 || after.Unassessed != before.Unassessed-1 || after.Score == nil || *after.Score != 100 {
		t.Errorf("the resolutions API after the release: %s (before: %s)", after, before)
	}
	if seedAfter := resolutionCounts(t, base, "2019-2610-rsp"); seedAfter.String() != seedBefore.String() {
		t.Errorf("the release changed the 2019 resolution's counts: %s → %s", seedBefore, seedAfter)
	}
}

// signInAs signs in through the sign-in page with the staff password.
func signInAs(t *testing.T, ctx context.Context, base, email string) {
	t.Helper()
	do(t, ctx,
		chromedp.Navigate(base+"/sign-in"),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), staffPassword),
		chromedp.Click(chromedp.CSS(`form[action="/sign-in"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-testid="signed-in-as"]`)),
	)
}

// counts are a resolution's demand counts as GET /api/v1/resolutions gives them.
type counts struct {
	Demands    int      `json:"demands"`
	Met        int      `json:"demands_met"`
	Unassessed int      `json:"demands_unassessed"`
	Score      *float64 `json:"follow_up_score"`
}

// String writes the counts, the score as a number or null.
func (c counts) String() string {
	score := "null"
	if c.Score != nil {
		score = strconv.FormatFloat(*c.Score, 'f', -1, 64)
	}
	return fmt.Sprintf("%d demands, %d met, %d not yet assessed, score %s", c.Demands, c.Met, c.Unassessed, score)
}

// resolutionCounts reads the counts of the resolution slug from the public resolutions API.
func resolutionCounts(t *testing.T, base, slug string) counts {
	t.Helper()
	var list struct {
		Items []struct {
			Slug string `json:"slug"`
			counts
		} `json:"items"`
	}
	if err := json.Unmarshal([]byte(getText(t, base+"/api/v1/resolutions")), &list); err != nil {
		t.Fatal(err)
	}
	for _, it := range list.Items {
		if it.Slug == slug {
			return it.counts
		}
	}
	t.Fatalf("no resolution %s in the API", slug)
	return counts{}
}

// getText fetches a public address as an anonymous client (a script, a spreadsheet) would.
func getText(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil || resp.StatusCode != 200 {
		t.Fatalf("GET %s: %d %v", url, resp.StatusCode, err)
	}
	return string(b)
}

// pdfText is the text of the PDF at url, extracted with poppler's pdftotext as a reader's
// tools would, its lines joined.
func pdfText(t *testing.T, url string) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Skip("the PDF check needs pdftotext: apt-get install poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader([]byte(getText(t, url)))
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
