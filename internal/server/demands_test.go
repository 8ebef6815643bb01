package server_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
)

type apiDemandList struct {
	Items []struct {
		Slug, Clause, Action, Wording string
		Start, End                    int
		Version                       int
		Targets                       []struct{ Type, Slug string }
		CurrentState                  *struct{ State string } `json:"current_state"`
		History                       []struct{ State string }
	}
	Total  int
	Counts map[string]int
}

func TestDemands(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()

	var list apiDemandList
	getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp/demands", 200, &list)

	t.Run("SeedDemandsCoverParagraphs1To9InTheirOwnWords", func(t *testing.T) {
		var res struct {
			Clauses []struct {
				EID, Text string
				Demands   []struct {
					Slug, Wording string
					Start, End    int
				}
			}
		}
		getJSON(t, w.a, "/api/v1/resolutions/2019-2610-rsp", 200, &res)
		perClause := map[string]int{}
		for _, c := range res.Clauses {
			for _, d := range c.Demands {
				perClause[c.EID]++
				if got := string([]rune(c.Text)[d.Start:d.End]); got != d.Wording {
					t.Errorf("%s: span %d-%d says %q, wording %q", d.Slug, d.Start, d.End, got, d.Wording)
				}
			}
		}
		for i := 1; i <= 9; i++ {
			if perClause[fmt.Sprintf("para_%d", i)] == 0 {
				t.Errorf("paragraph %d has no demand", i)
			}
		}
		if perClause["para_10"] != 0 || perClause["rec_A"] != 0 {
			t.Errorf("demands outside paragraphs 1-9: %v", perClause)
		}
		if list.Total != 29 || len(list.Items) != 29 {
			t.Errorf("%d demands listed, total %d", len(list.Items), list.Total)
		}
	})

	t.Run("ScoreboardCountsMatchTheData", func(t *testing.T) {
		// Count current states straight from the tables, apart from the application's code.
		conn, err := pgx.Connect(ctx, w.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(ctx)
		counts := map[string]int{}
		rows, _ := conn.Query(ctx, `SELECT (SELECT e.state FROM demand_state_entries e WHERE e.demand_id = d.id
			AND NOT EXISTS (SELECT 1 FROM demand_state_entries c WHERE c.supersedes_id = e.id) ORDER BY e.effective_on DESC, e.id DESC LIMIT 1)
			FROM demands d`)
		var st string
		if _, err := pgx.ForEachRow(rows, []any{&st}, func() error { counts[st]++; return nil }); err != nil {
			t.Fatal(err)
		}
		_, page := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/scoreboard")
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		for _, st := range []string{"met", "partly_met", "not_met", "unknown", "superseded"} {
			shown := strings.TrimSpace(doc.Find(`[data-testid="score-counts"] li[data-state="` + st + `"] .count`).Text())
			if shown != fmt.Sprint(counts[st]) || list.Counts[st] != counts[st] {
				t.Errorf("%s: page shows %s, API %d, data %d", st, shown, list.Counts[st], counts[st])
			}
		}
		if counts["not_met"] != 9 || counts["unknown"] != 20 {
			t.Errorf("seed states = %v, want 9 not met (where the resolution says so) and 20 unknown", counts)
		}
		if doc.Find(`[data-testid="score-paragraph"]`).Length() != 10 {
			t.Errorf("%d paragraphs on the scoreboard, want 10", doc.Find(`[data-testid="score-paragraph"]`).Length())
		}
	})

	t.Run("StateChangeShowsOnScoreboardAndTargetsKeepingHistory", func(t *testing.T) {
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		slug := "2019-2610-rsp-para-1-1" // release Max Bokayev
		_, page := fetchWith(t, editor, w.a.URL+"/demands/"+slug)
		doc, _ := goquery.NewDocumentFromReader(strings.NewReader(page))
		v, _ := doc.Find(`#add-state input[name="version"]`).Attr("value")
		// Released at the end of his sentence: the release demand is met, the quash demand is not.
		resp, body := post(t, editor, w.a.URL+"/demands/"+slug+"/states", url.Values{"version": {v}, "state": {"met"},
			"effective_on": {"2021-02-08"}, "note": {"Released after serving his full sentence."}, "source_url": {"https://example.org/bokayev"}})
		if resp.StatusCode != 303 {
			t.Fatalf("record state: %d %s", resp.StatusCode, body)
		}
		_, score := fetchWith(t, browser(t), w.b.URL+"/resolutions/2019-2610-rsp/scoreboard")
		sdoc, _ := goquery.NewDocumentFromReader(strings.NewReader(score))
		if got := strings.TrimSpace(sdoc.Find(`li[data-state="met"] .count`).Text()); got != "1" {
			t.Errorf("met count on the scoreboard = %q, want 1", got)
		}
		// Counted against the assessed demands only (the release demand was one of the nine
		// the resolution says are not met), the unassessed ones said apart.
		if got := strings.Join(strings.Fields(sdoc.Find("h2#score-h").Text()), " "); got != "1 of 9 assessed demands met · 20 not yet assessed" {
			t.Errorf("headline = %q", sdoc.Find("h2#score-h").Text())
		}
		// The latest change is when it happened (the release), not when it was typed in.
		if got := sdoc.Find(`[data-testid="last-change"]`).Text(); got != "Latest change 8 February 2021." {
			t.Errorf("scoreboard says %q, want the release's date", got)
		}
		_, api := fetchWith(t, browser(t), w.b.URL+"/api/v1/resolutions/2019-2610-rsp/demands")
		var ds struct {
			LastChange *string `json:"last_change"`
		}
		if err := json.Unmarshal([]byte(api), &ds); err != nil || ds.LastChange == nil || *ds.LastChange != "2021-02-08" {
			t.Errorf("API last_change = %v (%v), want 2021-02-08", ds.LastChange, err)
		}
		_, person := fetchWith(t, browser(t), w.b.URL+"/people/max-bokayev")
		pdoc, _ := goquery.NewDocumentFromReader(strings.NewReader(person))
		demands := pdoc.Find(`[data-testid="demands"]`).Text()
		if !strings.Contains(demands, "Met") || !strings.Contains(demands, "Not met") || strings.Count(demands, "Max Bokayev")+strings.Count(demands, "his conviction") < 2 {
			t.Errorf("person page demands: %s", demands)
		}
		var d struct {
			History []struct{ State string }
		}
		getJSON(t, w.b, "/api/v1/demands/"+slug, 200, &d)
		if len(d.History) != 2 || d.History[0].State != "not_met" || d.History[1].State != "met" {
			t.Errorf("history = %+v, want not_met then met", d.History)
		}
		entries, _ := w.db.Activity(ctx, "demand", slug, 5)
		if len(entries) != 1 || entries[0].Actor != "editor@example.org" {
			t.Errorf("audit = %+v", entries)
		}
		// The same page, stale: a conflict with the input kept.
		resp, body = post(t, editor, w.a.URL+"/demands/"+slug+"/states", url.Values{"version": {v}, "state": {"partly_met"},
			"effective_on": {"2021-02-08"}, "note": {"my stale note"}, "source_url": {"https://example.org/bokayev"}})
		if resp.StatusCode != 409 || !strings.Contains(body, "my stale note") {
			t.Errorf("stale state: %d", resp.StatusCode)
		}
		if page, _ := goquery.NewDocumentFromReader(strings.NewReader(body)); !strings.Contains(page.Find(`[data-testid="conflict"]`).Text(), "editor@example.org") {
			t.Errorf("the conflict should say who followed the demand up meanwhile")
		}
		// Bad input: refused beside the field.
		resp, body = post(t, editor, w.a.URL+"/demands/"+slug+"/states", url.Values{"version": {v}, "state": {"done"}, "effective_on": {time.Now().AddDate(0, 1, 0).Format(time.DateOnly)}})
		if resp.StatusCode != 422 || !strings.Contains(body, "Choose a state") || !strings.Contains(body, "cannot be in the future") {
			t.Errorf("bad state: %d", resp.StatusCode)
		}
	})

	t.Run("WriteAPI", func(t *testing.T) {
		const token = "demand-token-0123456789abcdefghijklmnopqrstu"
		if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "demands", token); err != nil {
			t.Fatal(err)
		}
		d, _ := w.db.Demand(ctx, "2019-2610-rsp-para-8-1")
		code, body := apiDo(t, "POST", w.a.URL+"/api/v1/demands/2019-2610-rsp-para-8-1/states", token,
			fmt.Sprintf(`{"version": %d, "state": "partly_met", "effective_on": "2019-05-01", "source_clause": "2019-2610-rsp#para_8", "note": "Case reviewed, detention upheld."}`, d.Version))
		if code != 201 {
			t.Fatalf("API state: %d %v", code, body)
		}
		if code, body := apiDo(t, "POST", w.a.URL+"/api/v1/demands/2019-2610-rsp-para-8-1/states", "", `{}`); code != 401 {
			t.Errorf("anonymous API state: %d %v", code, body)
		}
		var dd struct {
			CurrentState struct{ State string } `json:"current_state"`
		}
		getJSON(t, w.a, "/api/v1/demands/2019-2610-rsp-para-8-1", 200, &dd)
		if dd.CurrentState.State != "partly_met" {
			t.Errorf("current state = %q", dd.CurrentState.State)
		}
	})
}

// TestScoreboardForWhomFilterAndCSV: the scoreboard says whom each demand is for, shows the
// demands in one state on asking (?state=), refuses a state that does not exist, and gives
// the same rows as a spreadsheet, whole.
func TestScoreboardForWhomFilterAndCSV(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	board := func(t *testing.T, query string) (*http.Response, *goquery.Document) {
		t.Helper()
		resp, body := fetchWith(t, browser(t), w.a.URL+"/resolutions/2019-2610-rsp/scoreboard"+query)
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		return resp, doc
	}

	t.Run("ForWhom", func(t *testing.T) {
		_, doc := board(t, "")
		if doc.Find(`[data-testid="for-whom"] a[href="/people/max-bokayev"]`).Length() == 0 {
			t.Errorf("no demand on the scoreboard says it is for Max Bokayev")
		}
	})
	t.Run("OnlyNotMet", func(t *testing.T) {
		_, doc := board(t, "?state=not_met")
		badges := doc.Find(`[data-testid="score-paragraph"] .demand-list .status`)
		if badges.Length() != 9 {
			t.Errorf("%d demands shown, want the 9 not met", badges.Length())
		}
		badges.Each(func(_ int, b *goquery.Selection) {
			if st, _ := b.Attr("data-state"); st != "not_met" {
				t.Errorf("a %s demand among the not met", st)
			}
		})
		if got := doc.Find(`[data-testid="state-filter"] [aria-current]`).Text(); got != "Not met (9)" {
			t.Errorf("filter marks %q as current", got)
		}
		// The headline still counts the whole resolution.
		if got := strings.Join(strings.Fields(doc.Find("h2#score-h").Text()), " "); got != "0 of 9 assessed demands met · 20 not yet assessed" {
			t.Errorf("headline %q", got)
		}
	})
	t.Run("NoneMet", func(t *testing.T) {
		_, doc := board(t, "?state=met")
		if doc.Find(`[data-testid="no-demands-in-state"]`).Length() != 1 || doc.Find(`[data-testid="score-paragraph"]`).Length() != 0 {
			t.Errorf("a filter nothing matches should say so and list nothing")
		}
	})
	t.Run("UnknownStateRefused", func(t *testing.T) {
		if resp, _ := board(t, "?state=done"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("?state=done: %d, want 400", resp.StatusCode)
		}
	})
	t.Run("CSV", func(t *testing.T) {
		for _, c := range []struct {
			query string
			rows  int
		}{{"", 29}, {"?state=not_met", 9}} {
			// Asked for as it is (no gzip), so its Content-Length is that of the text read.
			req, _ := http.NewRequest(http.MethodGet, w.a.URL+"/resolutions/2019-2610-rsp/scoreboard.csv"+c.query, nil)
			req.Header.Set("Accept-Encoding", "identity")
			resp, err := browser(t).Do(req)
			resp, body := answer(t, resp, err)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") || resp.Header.Get("Content-Length") != strconv.Itoa(len(body)) {
				t.Fatalf("CSV%s: %d %s, length %q for %d bytes", c.query, resp.StatusCode, resp.Header.Get("Content-Type"), resp.Header.Get("Content-Length"), len(body))
			}
			records, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || len(records) != 1+c.rows {
				t.Fatalf("CSV%s: %d records (%v), want a header and %d rows", c.query, len(records), err, c.rows)
			}
			head := map[string]int{}
			for i, h := range records[0] {
				head[h] = i
			}
			bokayev := false
			for _, rec := range records[1:] {
				if c.query != "" && rec[head["state"]] != "not_met" {
					t.Errorf("CSV%s: a %s row", c.query, rec[head["state"]])
				}
				if rec[head["state"]] == "not_met" && rec[head["since"]] == "" {
					t.Errorf("CSV%s: %s is not met since no date", c.query, rec[head["demand"]])
				}
				bokayev = bokayev || strings.Contains(rec[head["for_whom"]], "Max Bokayev")
			}
			if !bokayev {
				t.Errorf("CSV%s: no row is for Max Bokayev", c.query)
			}
		}
	})
}
