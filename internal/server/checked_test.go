package server_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// TestMarkChecked marks a status and a demand state as checked today, on the staff pages
// and through the API: only staff may; the entry's verified_on becomes today and nothing
// else changes; one audit entry; a page read before another change gets 409; and the
// dashboard no longer counts the case as without an update.
func TestMarkChecked(t *testing.T) {
	t.Parallel()
	w, editor, _ := signedInWorld(t)
	editorToken, _ := recordTokens(t, w)
	base, api := w.a.URL, w.a.URL+"/api/v1"
	today := time.Now().UTC().Format(time.DateOnly)
	entry := func(table, parent, slug string) (id int64, verified string, version int) {
		t.Helper()
		parentTable := map[string]string{"status_entries": "cases", "demand_state_entries": "demands"}[table]
		id = int64(postgrestest.Count(t, w.url, `SELECT max(e.id)::int FROM `+table+` e JOIN `+parentTable+` p ON p.id = e.`+parent+` WHERE p.slug = $1`, slug))
		version = postgrestest.Count(t, w.url, `SELECT version FROM `+parentTable+` WHERE slug = $1`, slug)
		if postgrestest.Count(t, w.url, `SELECT count(*)::int FROM `+table+` WHERE id = $1 AND verified_on IS NOT NULL`, id) == 1 {
			verified = today
			if postgrestest.Count(t, w.url, `SELECT count(*)::int FROM `+table+` WHERE id = $1 AND verified_on = $2::date`, id, today) == 0 {
				verified = "another day"
			}
		}
		return id, verified, version
	}
	staleCases := func() []string {
		t.Helper()
		_, body := fetchWith(t, editor, base+"/staff?days=180")
		var out []string
		doc(t, body).Find(`section[aria-labelledby="stale-h"] a[href^="/cases/"]`).Each(func(_ int, s *goquery.Selection) {
			out = append(out, s.AttrOr("href", ""))
		})
		return out
	}

	t.Run("StatusOnThePage", func(t *testing.T) {
		const caseSlug = "max-bokayev-case"
		id, verified, version := entry("status_entries", "case_id", caseSlug)
		if verified != "" {
			t.Fatalf("the seed entry is already checked: %s", verified)
		}
		action := "/cases/" + caseSlug + "/statuses/" + strconv.FormatInt(id, 10) + "/checked"
		// The button is for staff only, on the case page and the person page.
		for _, page := range []string{"/cases/" + caseSlug, "/people/max-bokayev"} {
			_, body := fetchWith(t, editor, base+page)
			if doc(t, body).Find(`form[action="`+action+`"] button[data-testid="mark-checked"]`).Length() != 1 {
				t.Errorf("%s: no \"Mark as checked today\" button for staff", page)
			}
			if _, body := fetchWith(t, browser(t), base+page); strings.Contains(body, "mark-checked") {
				t.Errorf("%s: the public sees the button", page)
			}
		}
		stale := strings.Join(staleCases(), " ")
		if !strings.Contains(stale, "/cases/"+caseSlug) {
			t.Fatalf("before: the dashboard does not list %s as without an update: %s", caseSlug, stale)
		}
		form := url.Values{"version": {strconv.Itoa(version)}}
		if resp, _ := post(t, browser(t), base+action, form); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous: %d, want 401", resp.StatusCode)
		}
		if resp, _ := post(t, editor, base+action, url.Values{"version": {strconv.Itoa(version - 1)}}); resp.StatusCode != http.StatusConflict {
			t.Errorf("stale version: %d, want 409", resp.StatusCode)
		}
		if _, v, _ := entry("status_entries", "case_id", caseSlug); v != "" {
			t.Fatal("a refused mark changed the entry")
		}
		audits := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM audit_log WHERE entity_type = 'case' AND entity_slug = $1`, caseSlug)
		before := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM status_entries WHERE id = $1 AND status = 'imprisoned' AND note <> ''`, id)

		resp, _ := post(t, editor, base+action, form)
		if to := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || to != "/cases/"+caseSlug+"#status-"+strconv.FormatInt(id, 10) {
			t.Fatalf("mark: %d to %q", resp.StatusCode, to)
		}
		_, body := fetchWith(t, editor, base+"/cases/"+caseSlug)
		if n := strings.Count(body, "Marked as checked today"); n != 1 {
			t.Errorf("the notice is shown %d times, want once", n)
		}
		if !strings.Contains(doc(t, body).Find("#status-"+strconv.FormatInt(id, 10)).Text(), "Checked ") {
			t.Error("the entry does not say it was checked")
		}
		_, v, newVersion := entry("status_entries", "case_id", caseSlug)
		if v != today || newVersion != version+1 {
			t.Errorf("verified_on %q, version %d; want today and %d", v, newVersion, version+1)
		}
		if after := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM status_entries WHERE id = $1 AND status = 'imprisoned' AND note <> ''`, id); after != before {
			t.Error("marking changed more than verified_on")
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM audit_log WHERE entity_type = 'case' AND entity_slug = $1`, caseSlug); n != audits+1 {
			t.Errorf("%d audit entries added, want 1", n-audits)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM audit_log WHERE entity_slug = $1 AND action = 'check status'
				AND after->>'verified_on' = $2 AND before->>'verified_on' = '' AND record_version = $3`, caseSlug, today, version+1); n != 1 {
			t.Error("no audit entry saying the status was checked today")
		}
		if stale := strings.Join(staleCases(), " "); strings.Contains(stale, "/cases/"+caseSlug) {
			t.Errorf("after: the dashboard still lists %s as without an update", caseSlug)
		}
		if resp, _ := post(t, editor, base+"/cases/"+caseSlug+"/statuses/999999/checked", url.Values{"version": {strconv.Itoa(version + 1)}}); resp.StatusCode != http.StatusNotFound {
			t.Errorf("an entry of no case: %d, want 404", resp.StatusCode)
		}
	})

	t.Run("DemandStateThroughTheAPI", func(t *testing.T) {
		const demand = "2019-2610-rsp-para-1-1"
		id, _, version := entry("demand_state_entries", "demand_id", demand)
		u := api + "/demands/" + demand + "/states/" + strconv.FormatInt(id, 10) + "/checked"
		_, body := fetchWith(t, editor, base+"/demands/"+demand)
		if doc(t, body).Find(`form[action="/demands/`+demand+`/states/`+strconv.FormatInt(id, 10)+`/checked"] [data-testid="mark-checked"]`).Length() != 1 {
			t.Error("the demand page has no \"Mark as checked today\" button for staff")
		}
		if code, _ := apiDo(t, http.MethodPost, u, "", `{"version": `+strconv.Itoa(version)+`}`); code != http.StatusUnauthorized {
			t.Errorf("anonymous: %d, want 401", code)
		}
		if code, _ := apiDo(t, http.MethodPost, u, editorToken, `{}`); code != http.StatusBadRequest {
			t.Errorf("no version: %d, want 400", code)
		}
		code, out := apiDo(t, http.MethodPost, u, editorToken, `{"version": `+strconv.Itoa(version+5)+`}`)
		if code != http.StatusConflict || out["current_version"] != float64(version) {
			t.Errorf("stale version: %d %v, want 409 with the current version", code, out)
		}
		resp, raw := apiRaw(t, http.MethodPost, u, editorToken, `{"version": `+strconv.Itoa(version)+`}`)
		_ = json.Unmarshal([]byte(raw), &out)
		if resp.StatusCode != http.StatusOK || out["verified_on"] != today || out["version"] != float64(version+1) || out["id"] != float64(id) {
			t.Fatalf("mark: %d %v", resp.StatusCode, out)
		}
		schema, err := jsonschema.NewCompiler().Compile(apiSchemaFile + "#/$defs/answer_entry_checked")
		if err != nil {
			t.Fatal(err)
		}
		if v, err := jsonschema.UnmarshalJSON(strings.NewReader(raw)); err != nil || schema.Validate(v) != nil {
			t.Errorf("the answer does not match answer_entry_checked: %s %v", raw, schema.Validate(v))
		}
		code, out = apiDo(t, http.MethodGet, api+"/demands/"+demand, editorToken, "")
		hist, _ := out["history"].([]any)
		if code != 200 || len(hist) == 0 || hist[len(hist)-1].(map[string]any)["verified_on"] != today {
			t.Errorf("staff read after marking: %d %v", code, hist)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*)::int FROM audit_log WHERE entity_type = 'demand' AND entity_slug = $1 AND action = 'check state'`, demand); n != 1 {
			t.Errorf("%d audit entries, want 1", n)
		}
		// An entry of another demand is not this demand's.
		other, _, _ := entry("demand_state_entries", "demand_id", "2019-2610-rsp-para-1-2")
		code, _ = apiDo(t, http.MethodPost, api+"/demands/"+demand+"/states/"+strconv.FormatInt(other, 10)+"/checked", editorToken, `{"version": `+strconv.Itoa(version+1)+`}`)
		if code != http.StatusNotFound {
			t.Errorf("another demand's entry: %d, want 404", code)
		}
	})
}
