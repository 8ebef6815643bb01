package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
)

// text is a page element's text with its white space folded, as a reader sees it.
func text(d *goquery.Document, sel string) string {
	return strings.Join(strings.Fields(d.Find(sel).Text()), " ")
}

// TestSeedPagesSayWhatTheResolutionSays: the seed's pages date each fact as the resolution
// does, and never contradict themselves (Talgat Ayan's page said "since 14 March 2019"
// beside "released on parole in 2018").
func TestSeedPagesSayWhatTheResolutionSays(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	for _, tc := range []struct{ person, says, never string }{
		{"talgat-ayan", "Released on parole since 2018", "since 14 March 2019"},
		{"vadim-kuramshin", "Released on parole since 2018", "since 14 March 2019"},
		{"nurbek-kushakbaev", "Restrictions on activity reported by the resolution of 14 March 2019", "since 14 March 2019"},
		{"max-bokayev", "Imprisoned reported by the resolution of 14 March 2019", "since 14 March 2019"},
		{"iskander-yerimbetov", "Imprisoned since October 2018", "since 14 March 2019"},
	} {
		_, body := fetchWith(t, browser(t), w.a.URL+"/people/"+tc.person)
		pg := doc(t, body)
		if got := text(pg, `[data-testid="current-status"]`); got != tc.says {
			t.Errorf("%s: current status reads %q, want %q", tc.person, got, tc.says)
		}
		// No status says it, nor any demand the resolution reports on.
		facts := text(pg, `[data-testid="current-status"], [data-testid="timeline"], [data-testid="demands"] li`)
		if strings.Contains(facts, tc.never) {
			t.Errorf("%s: the page says %q: %s", tc.person, tc.never, facts)
		}
	}
	_, body := fetchWith(t, browser(t), w.a.URL+"/cases/nurbek-kushakbaev-case")
	timeline := text(doc(t, body), `[data-testid="timeline"]`)
	if !strings.Contains(timeline, "May 2018 Released on parole") || !strings.Contains(timeline, "Reported by the resolution of 14 March 2019 Restrictions on activity") {
		t.Errorf("Kushakbaev's history reads %q", timeline)
	}
	if !strings.Contains(body, `<time datetime="2018-05">May 2018</time>`) {
		t.Error("the history should mark May 2018 up as a month")
	}

	var c struct {
		CurrentStatus struct {
			EffectiveOn string  `json:"effective_on"`
			DatedBy     *string `json:"dated_by"`
		} `json:"current_status"`
	}
	getJSON(t, w.a, "/api/v1/cases/talgat-ayan-case", 200, &c)
	if c.CurrentStatus.EffectiveOn != "2018" || c.CurrentStatus.DatedBy != nil {
		t.Errorf("Ayan's status in the API: %+v, want 2018 and no dated_by", c.CurrentStatus)
	}
	getJSON(t, w.a, "/api/v1/cases/max-bokayev-case", 200, &c)
	if c.CurrentStatus.EffectiveOn != "2019-03-14" || c.CurrentStatus.DatedBy == nil || *c.CurrentStatus.DatedBy != "reported by the resolution of 14 March 2019" {
		t.Errorf("Bokayev's status in the API: %+v", c.CurrentStatus)
	}
}

// TestOneFormForWhatHappened: a status and the demand states it brings are recorded
// together, on the page (proposed, checked, then saved) and in the API, in one transaction
// with one audit entry; dates keep their precision everywhere; refusals write nothing.
func TestOneFormForWhatHappened(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const release, quash = "2019-2610-rsp-para-1-1", "2019-2610-rsp-para-1-2" // Max Bokayev's

	t.Run("PageProposesThenSavesBoth", func(t *testing.T) {
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		before, _ := w.db.Case(ctx, "max-bokayev-case")
		form := url.Values{"version": {caseVersion(t, editor, w.a, "max-bokayev-case")}, "status": {"released"}, "effective_on": {"2024-05"},
			"note": {"Released at the end of his sentence."}, "source_url": {"https://example.org/bokayev-released"}, "supersedes": {"0"}}
		resp, body := post(t, editor, w.a.URL+"/cases/max-bokayev-case/statuses", form)
		if resp.StatusCode != 200 {
			t.Fatalf("first submission: %d", resp.StatusCode)
		}
		pg := doc(t, body)
		if !strings.Contains(text(pg, `[data-testid="proposals"]`), "Nothing is saved yet") {
			t.Error("the form should say the proposals are to be checked and nothing is saved")
		}
		if v, _ := pg.Find(`select[name="demand.` + release + `"] option[selected]`).Attr("value"); v != "met" {
			t.Errorf("the release demand is proposed %q, want met", v)
		}
		if n := pg.Find(`select[name="demand.` + quash + `"] option[selected]`).Length(); n != 0 {
			t.Error("a release proposes nothing for quashing the conviction")
		}
		if v, _ := pg.Find(`input[name="effective_on"]`).Attr("value"); v != "2024-05" {
			t.Errorf("the date typed is kept: %q", v)
		}
		if after, _ := w.db.Case(ctx, "max-bokayev-case"); len(after.Case.Statuses) != len(before.Case.Statuses) {
			t.Fatal("the first submission saved something")
		}
		// Confirm, as the form now stands.
		form.Set("proposed_for", "released")
		form.Set("demand."+release, "met")
		form.Set("demand."+quash, "")
		resp, body = post(t, editor, w.a.URL+"/cases/max-bokayev-case/statuses", form)
		if resp.StatusCode != 303 {
			t.Fatalf("confirmation: %d %s", resp.StatusCode, body)
		}
		_, body = fetchWith(t, browser(t), w.b.URL+"/people/max-bokayev")
		pg = doc(t, body)
		if got := text(pg, `[data-testid="current-status"]`); got != "Released since May 2024" {
			t.Errorf("public current status %q", got)
		}
		demands := text(pg, `[data-testid="demands"]`)
		if !strings.Contains(demands, "Met since May 2024 · Release") || !strings.Contains(demands, "Not met reported by the resolution of 14 March 2019 · Quash conviction") {
			t.Errorf("public demands: %q", demands)
		}
		entries, _ := w.db.Activity(ctx, "case", "max-bokayev-case", 10)
		if len(entries) != 1 || !strings.Contains(entries[0].After, `"effective_on": "2024-05"`) || !strings.Contains(entries[0].After, release) {
			t.Errorf("audit = %+v, want one entry with the status and the demand state", entries)
		}
		if des, _ := w.db.Activity(ctx, "demand", release, 10); len(des) != 0 {
			t.Errorf("the demand state has an audit entry of its own: %+v", des)
		}
		// The scoreboard and its exports say the month, no more.
		_, score := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/scoreboard")
		if got := text(doc(t, score), `[data-testid="last-change"]`); got != "Latest change May 2024." {
			t.Errorf("scoreboard: %q", got)
		}
		var ds struct {
			LastChange string `json:"last_change"`
		}
		getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp/demands", 200, &ds)
		if ds.LastChange != "2024-05" {
			t.Errorf("API last_change %q", ds.LastChange)
		}
		_, raw := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/scoreboard.csv")
		rows, err := csv.NewReader(strings.NewReader(raw)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range rows[1:] {
			switch r[1] {
			case release:
				if r[7] != "2024-05" || r[8] != "" {
					t.Errorf("CSV row %v: since should be 2024-05, dated by nothing", r)
				}
			case quash:
				if r[7] != "2019-03-14" || r[8] != "reported by the resolution of 14 March 2019" {
					t.Errorf("CSV row %v: should say what 14 March 2019 rests on", r)
				}
			}
		}
	})

	const token = "dates-token-0123456789abcdefghijklmnopqrstu"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "dates", token); err != nil {
		t.Fatal(err)
	}
	statusURL := w.a.URL + "/api/v1/cases/talgat-ayan-case/statuses"
	version := func() int { d, _ := w.db.Case(ctx, "talgat-ayan-case"); return d.Case.Version }
	const ayanQuash = "2019-2610-rsp-para-1-3"

	t.Run("APIRefusalsWriteNothing", func(t *testing.T) {
		before, _ := w.db.Case(ctx, "talgat-ayan-case")
		demand, _ := w.db.Demand(ctx, ayanQuash)
		for _, tc := range []struct {
			name, body string
			code       int
			field      string
		}{
			{"MonthThirteen", `"effective_on": "2018-13"`, 422, "effective_on"},
			{"FutureYear", fmt.Sprintf(`"effective_on": "%d"`, time.Now().Year()+1), 422, "effective_on"},
			{"FutureMonth", fmt.Sprintf(`"effective_on": "%s"`, time.Now().AddDate(0, 1, 0).Format("2006-01")), 422, "effective_on"},
			{"CheckedBeforeItHappened", `"effective_on": "2020", "verified_on": "2019-12-31"`, 422, "verified_on"},
			{"DemandAboutSomeoneElse", `"effective_on": "2020", "demand_states": [{"demand": "` + ayanQuash + `", "state": "met"}, {"demand": "2019-2610-rsp-para-2-1", "state": "met"}]`, 422, "demand_states[1].demand"},
			{"UnknownDemandState", `"effective_on": "2020", "demand_states": [{"demand": "` + ayanQuash + `", "state": "done"}]`, 422, "demand_states[0].state"},
			{"StaleDemand", fmt.Sprintf(`"effective_on": "2020", "demand_states": [{"demand": "%s", "state": "met", "version": %d}]`, ayanQuash, demand.Version+1), 409, ""},
		} {
			body := fmt.Sprintf(`{"version": %d, "status": "conviction_quashed", "source_url": "https://example.org/ayan", %s}`, version(), tc.body)
			code, out := apiDo(t, "POST", statusURL, token, body)
			if code != tc.code {
				t.Errorf("%s: %d %v, want %d", tc.name, code, out, tc.code)
				continue
			}
			if fields, _ := out["fields"].(map[string]any); tc.field != "" && fields[tc.field] == nil {
				t.Errorf("%s: fields %v, want one for %s", tc.name, out["fields"], tc.field)
			}
		}
		if code, out := apiDo(t, "POST", statusURL, token, fmt.Sprintf(`{"version": %d, "status": "released", "effective_on": "2020", "source_url": "https://example.org/ayan"}`, version()-1)); code != 409 {
			t.Errorf("stale case: %d %v", code, out)
		}
		after, _ := w.db.Case(ctx, "talgat-ayan-case")
		demandAfter, _ := w.db.Demand(ctx, ayanQuash)
		if len(after.Case.Statuses) != len(before.Case.Statuses) || after.Case.Version != before.Case.Version || len(demandAfter.History) != len(demand.History) {
			t.Error("a refused status wrote something")
		}
		if entries, _ := w.db.Activity(ctx, "case", "talgat-ayan-case", 10); len(entries) != 0 {
			t.Errorf("a refused status was audited: %+v", entries)
		}
	})

	t.Run("APIRecordsBothWithTheirPrecision", func(t *testing.T) {
		code, out := apiDo(t, "POST", statusURL, token, fmt.Sprintf(`{"version": %d, "status": "conviction_quashed", "effective_on": "2021",
			"dated_by": "reported by the Supreme Court's press office in 2021", "verified_on": "%s", "source_url": "https://example.org/ayan",
			"demand_states": [{"demand": "%s", "state": "met", "note": "Quashed on appeal."}]}`, version(), time.Now().Format(time.DateOnly), ayanQuash))
		if code != 201 {
			t.Fatalf("status with demand states: %d %v", code, out)
		}
		raw, _ := json.Marshal(out["case"])
		var c struct {
			CurrentStatus struct {
				EffectiveOn string  `json:"effective_on"`
				DatedBy     *string `json:"dated_by"`
				VerifiedOn  *string `json:"verified_on"`
			} `json:"current_status"`
			Demands []struct {
				Slug         string
				CurrentState struct {
					State, Note string
					EffectiveOn string `json:"effective_on"`
				} `json:"current_state"`
			}
		}
		if err := json.Unmarshal(raw, &c); err != nil {
			t.Fatal(err)
		}
		cur := c.CurrentStatus
		if cur.EffectiveOn != "2021" || cur.DatedBy == nil || !strings.Contains(*cur.DatedBy, "press office") || cur.VerifiedOn == nil {
			t.Errorf("answer's current status %+v", cur)
		}
		if len(c.Demands) != 1 || c.Demands[0].CurrentState.State != "met" || c.Demands[0].CurrentState.EffectiveOn != "2021" || c.Demands[0].CurrentState.Note != "Quashed on appeal." {
			t.Errorf("answer's demands %+v", c.Demands)
		}
		// verified_on is for staff: the public answer does not carry it.
		_, public := fetchWith(t, browser(t), w.b.URL+"/api/v1/cases/talgat-ayan-case")
		if strings.Contains(public, "verified_on") {
			t.Error("the public API shows when staff checked an entry")
		}
		_, body := fetchWith(t, browser(t), w.b.URL+"/people/talgat-ayan")
		if got := text(doc(t, body), `[data-testid="current-status"]`); got != "Conviction quashed reported by the Supreme Court's press office in 2021" {
			t.Errorf("public current status %q", got)
		}
	})

	t.Run("StaffArePromptedWhereStatusAndDemandDisagree", func(t *testing.T) {
		// Kushakbaev's quash demand (paragraph 3) is still unknown: a status alone leaves it.
		code, out := apiDo(t, "POST", w.a.URL+"/api/v1/cases/nurbek-kushakbaev-case/statuses", token, fmt.Sprintf(
			`{"version": %d, "status": "conviction_quashed", "effective_on": "2022-02", "source_url": "https://example.org/kushakbaev"}`, func() int {
				d, _ := w.db.Case(ctx, "nurbek-kushakbaev-case")
				return d.Case.Version
			}()))
		if code != 201 {
			t.Fatalf("status: %d %v", code, out)
		}
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		for _, path := range []string{"/people/nurbek-kushakbaev", "/cases/nurbek-kushakbaev-case"} {
			_, body := fetchWith(t, editor, w.a.URL+path)
			pg := doc(t, body)
			notice := text(pg, `[data-testid="mismatch"]`)
			if !strings.Contains(notice, "The status says “Conviction quashed” but the demand Quash conviction") || !strings.Contains(notice, "is still “Not yet assessed”") {
				t.Errorf("%s: staff notice %q", path, notice)
			}
			if href, _ := pg.Find(`[data-testid="mismatch-review"]`).Attr("href"); href != "/cases/nurbek-kushakbaev-case#add-status" {
				t.Errorf("%s: the notice links to %q", path, href)
			}
			_, public := fetchWith(t, browser(t), w.b.URL+path)
			if strings.Contains(public, `data-testid="mismatch"`) {
				t.Errorf("%s: the public sees the staff notice", path)
			}
		}
	})
}

// TestUnassessedDemandsSaySo: a demand nobody has assessed reads "Not yet assessed" on the
// person's page, the scoreboard, its own page and in the dossier, never "Unknown since 14
// March 2019" as if something had been found that day; where its entry rests on a
// resolution's report, that is said in brackets.
func TestUnassessedDemandsSaySo(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, person := fetchWith(t, browser(t), w.a.URL+"/people/erlan-baltabay")
	unassessed := text(doc(t, person), `[data-testid="demands"] li:has([data-state="unknown"])`)
	if unassessed == "" || !strings.Contains(unassessed, "Not yet assessed") {
		t.Errorf("Baltabay's unassessed demand reads %q", unassessed)
	}
	demand := doc(t, person).Find(`[data-testid="demands"] li:has([data-state="unknown"]) a[href^="/demands/"]`).AttrOr("href", "")
	_, page := fetchWith(t, browser(t), w.a.URL+demand)
	state := text(doc(t, page), `[data-testid="demand-state"]`)
	if state != "Not yet assessed" {
		t.Errorf("the page of %s reads %q", demand, state)
	}
	_, scoreboard := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/scoreboard")
	board := text(doc(t, scoreboard), `[data-testid="score-paragraph"] li:has([data-state="unknown"])`)
	if !strings.Contains(board, "Not yet assessed") {
		t.Errorf("the scoreboard's unassessed demands read %q", board)
	}
	_, md := fetchWith(t, browser(t), w.a.URL+"/people/erlan-baltabay/dossier.md")
	for what, s := range map[string]string{"person page": unassessed, "scoreboard": board, "demand page": state, "dossier": md} {
		if strings.Contains(s, "Unknown since") || strings.Contains(s, "Not yet assessed since") || strings.Contains(s, "Not yet assessed, since") {
			t.Errorf("the %s dates an unassessed demand as a finding: %q", what, s)
		}
	}
}
