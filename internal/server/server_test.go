package server_test

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// newSeededServer runs the real stack, storage included, on a fresh database holding the seed.
func newSeededServer(t *testing.T) (*httptest.Server, *postgres.DB) {
	t.Helper()
	db, _ := postgrestest.OpenSeeded(t)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}))
	t.Cleanup(srv.Close)
	return srv, db
}

func get(t *testing.T, srv *httptest.Server, path string) (*http.Response, string) {
	t.Helper()
	resp, err := http.Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return resp, string(body)
}

func getDoc(t *testing.T, srv *httptest.Server, path string, wantStatus int) *goquery.Document {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s = %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/html") {
		t.Errorf("GET %s Content-Type = %q", path, ct)
	}
	doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func getJSON(t *testing.T, srv *httptest.Server, path string, wantStatus int, v any) {
	t.Helper()
	resp, body := get(t, srv, path)
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET %s = %d, want %d\n%s", path, resp.StatusCode, wantStatus, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("GET %s Content-Type = %q, want application/json", path, ct)
	}
	if err := json.Unmarshal([]byte(body), v); err != nil {
		t.Fatalf("GET %s: %v\n%s", path, err, body)
	}
}

// citedBy is which clauses name each entity, read off the resolution by a person: every
// named individual, organisation and legal provision, and no clause besides.
var citedBy = map[string][]string{
	"people/max-bokayev":         {"rec_A", "para_1"},
	"people/talgat-ayan":         {"rec_A", "para_1"},
	"people/vadim-kuramshin":     {"rec_A"},
	"people/nurbek-kushakbaev":   {"rec_D", "para_3"},
	"people/amin-eleusinov":      {"rec_D", "para_3"},
	"people/larisa-kharkova":     {"rec_D", "para_3"},
	"people/erlan-baltabay":      {"rec_D", "para_3"},
	"people/elena-semenova":      {"rec_F"},
	"people/ardak-ashim":         {"rec_F"},
	"people/aset-mataev":         {"rec_H"},
	"people/iskander-yerimbetov": {"rec_K", "para_8"},

	"organisations/cituk":                                   {"rec_C"},
	"organisations/dvk":                                     {"rec_G", "para_5"},
	"organisations/forbes-kazakhstan":                       {"rec_I"},
	"organisations/ratel-kz":                                {"rec_I"},
	"organisations/ilo":                                     {"rec_C", "para_3"},
	"organisations/un-working-group-on-arbitrary-detention": {"rec_K", "para_8"},
	"organisations/un-special-rapporteur-on-freedom-of-assembly-and-association": {"para_4"},
	"organisations/almaty-prosecutors-office":                                    {"rec_K"},
	"organisations/ministry-of-justice":                                          {"rec_E"},

	"legal-provisions/criminal-code-article-174":                 {"rec_B", "para_2"},
	"legal-provisions/criminal-code-article-274":                 {"rec_B", "para_2"},
	"legal-provisions/trade-union-law-2014":                      {"rec_C", "para_3"},
	"legal-provisions/labour-code-2015":                          {"rec_C", "para_3"},
	"legal-provisions/law-on-public-association":                 {"rec_E", "para_4"},
	"legal-provisions/media-and-information-law-amendments-2018": {"rec_I", "para_6"},
	"legal-provisions/criminal-libel":                            {"para_6"},
}

// exactWording holds clauses whose extraction was hard (a leading space at a page break,
// a paragraph running on past a line that starts with a space, the last clause), typed
// from the adopted text.
var exactWording = map[string]string{
	"cit_1":   "having regard to the European Union – Republic of Kazakhstan Enhanced Partnership and Cooperation Agreement;",
	"cit_7":   "having regard to Rule 135 of its Rules of Procedure.",
	"rec_C":   "Whereas the government of Kazakhstan cooperated with the high-level tri-partite International Labor Organization (ILO) mission, and committed to implement a road map to address ILO concerns, but has not taken meaningful steps to implement provisions in the roadmap, such as amending the Trade Union law, nor has implemented previous recommendations issued by the ILO Committee on the Application of Standards to review the Trade Union law and the Labour Code and to take all necessary measures to ensure that the Confederation of Independent Trade Unions of Kazakhstan (CITUK) and its affiliates are able to fully exercise their trade union rights;",
	"rec_K":   "Whereas the Almaty Prosecutor’s Office found no evidence on credible allegations of torture against business Iskander Yerimbetov, sentenced to seven years’ imprisonment on charges of large-scale fraud in October 2018, and whereas the UN Working Group on Arbitrary Detention concluded in 2018 that his arrest and detention is arbitrary, called for his release and expressed concern at the allegation of torture during his pretrial detention.",
	"para_1":  "Urges the government of Kazakhstan to release wrongfully imprisoned civil society activist Max Bokayev convicted after protesting land reform proposals, and quash his conviction, as well as quash the conviction of activist Talgat Ayan;",
	"para_8":  "Urges the government of Kazakhstan to review the case of Iskander Yerimbetov in light of the conclusions of the UN Working Group on Arbitrary Detention and ensure that allegations of torture are duly investigated;",
	"para_10": "Instructs its President to forward this resolution to the Council, the Commission, the Vice-President of the Commission / High Representative of the Union for Foreign Affairs and Security Policy, the EU Special Representative for Central Asia, the governments and parliaments of the Member States, and the government and the parliament of Kazakhstan.",
}

type apiClause struct {
	Kind, Label, EID, Text string
	Mentions               []struct{ Type, Slug, Name, Matched string }
}

func TestAPI(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)

	t.Run("ResolutionHasEveryClauseWithExactWording", func(t *testing.T) {
		var res struct {
			Procedure, Title string
			AdoptedOn        string `json:"adopted_on"`
			Clauses          []apiClause
		}
		getJSON(t, srv, "/api/v1/resolutions/2019-2610-rsp", 200, &res)
		var labels = map[string][]string{}
		for _, c := range res.Clauses {
			labels[c.Kind] = append(labels[c.Kind], c.Label)
			if want, ok := exactWording[c.EID]; ok && c.Text != want {
				t.Errorf("%s text =\n%q\nwant\n%q", c.EID, c.Text, want)
			}
		}
		want := map[string][]string{
			"citation":  {"1", "2", "3", "4", "5", "6", "7"},
			"recital":   {"A", "B", "C", "D", "E", "F", "G", "H", "I", "J", "K"},
			"paragraph": {"1", "2", "3", "4", "5", "6", "7", "8", "9", "10"},
		}
		for kind, w := range want {
			if !slices.Equal(labels[kind], w) {
				t.Errorf("%s labels = %v, want %v", kind, labels[kind], w)
			}
		}
		if len(res.Clauses) != 28 {
			t.Errorf("%d clauses, want 28", len(res.Clauses))
		}
		if res.Procedure != "2019/2610(RSP)" || res.AdoptedOn != "2019-03-14" {
			t.Errorf("procedure %q adopted %q", res.Procedure, res.AdoptedOn)
		}
	})

	t.Run("EveryEntityIsLinkedToExactlyTheClausesNamingIt", func(t *testing.T) {
		for path, want := range citedBy {
			var e struct {
				Slug    string
				Clauses []struct{ EID, Resolution, Text string }
			}
			getJSON(t, srv, "/api/v1/"+path, 200, &e)
			var got []string
			for _, c := range e.Clauses {
				got = append(got, c.EID)
				if c.Resolution != "2019-2610-rsp" || c.Text == "" {
					t.Errorf("%s: clause %s has resolution %q, text %q", path, c.EID, c.Resolution, c.Text)
				}
			}
			if !slices.Equal(got, want) {
				t.Errorf("%s cited by %v, want %v", path, got, want)
			}
		}
	})

	t.Run("ListsHaveEveryRecordWithSlugNameAliases", func(t *testing.T) {
		counts := map[string]int{"people": 11, "organisations": 9, "legal-provisions": 7, "cases": 13}
		for path, n := range counts {
			var list struct {
				Items []struct {
					Slug, Name string
					Aliases    []string
				}
				Total int
			}
			getJSON(t, srv, "/api/v1/"+path, 200, &list)
			if list.Total != n || len(list.Items) != n {
				t.Errorf("%s: total %d, %d items, want %d", path, list.Total, len(list.Items), n)
			}
			for _, it := range list.Items {
				if it.Slug == "" || it.Name == "" || it.Aliases == nil {
					t.Errorf("%s: item %+v lacks slug, name or aliases", path, it)
				}
			}
		}
	})

	t.Run("PersonHasCaseWithCurrentStatus", func(t *testing.T) {
		var p struct {
			Aliases []string
			Cases   []struct {
				Slug          string
				CurrentStatus struct {
					Status       string
					EffectiveOn  string               `json:"effective_on"`
					SourceClause struct{ EID string } `json:"source_clause"`
				} `json:"current_status"`
			}
		}
		getJSON(t, srv, "/api/v1/people/elena-semenova", 200, &p)
		if len(p.Cases) != 1 || p.Cases[0].CurrentStatus.Status != "house_arrest" || p.Cases[0].CurrentStatus.SourceClause.EID != "rec_F" {
			t.Errorf("Semenova cases = %+v", p.Cases)
		}
	})

	t.Run("CaseHasSubjectsProvisionsAndClauses", func(t *testing.T) {
		var c struct {
			People          []struct{ Slug string }
			LegalProvisions []struct{ Slug string } `json:"legal_provisions"`
			Clauses         []struct{ EID string }
			Statuses        []struct{ Status string }
		}
		getJSON(t, srv, "/api/v1/cases/max-bokayev-case", 200, &c)
		if len(c.People) != 1 || c.People[0].Slug != "max-bokayev" || len(c.LegalProvisions) != 2 || len(c.Clauses) != 2 || len(c.Statuses) != 1 {
			t.Errorf("Bokayev case = %+v", c)
		}
	})

	t.Run("ErrorsAreJSONWithStatus", func(t *testing.T) {
		for _, tc := range []struct {
			method, path string
			status       int
		}{
			{"GET", "/api/v1/people/no-such-person", 404},
			{"GET", "/api/v1/resolutions/no-such-resolution", 404},
			{"GET", "/api/v1/cases/%27%3B%20DROP%20TABLE%20cases%3B--", 404},
			{"GET", "/api/v1/nothing-here", 404},
			{"POST", "/api/v1/resolutions", 405},
		} {
			req, _ := http.NewRequest(tc.method, srv.URL+tc.path, nil)
			resp, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			var body struct{ Error string }
			err = json.NewDecoder(resp.Body).Decode(&body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || err != nil || body.Error == "" || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("%s %s = %d %q (%v), want %d with a JSON error", tc.method, tc.path, resp.StatusCode, body.Error, err, tc.status)
			}
		}
		// The injection attempt above found nothing, and the table is still there.
		var list struct{ Total int }
		getJSON(t, srv, "/api/v1/cases", 200, &list)
		if list.Total != 13 {
			t.Errorf("cases total = %d after injection attempt", list.Total)
		}
	})
}

func TestPages(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)

	t.Run("HomeShowsResolutionCountsAndStatuses", func(t *testing.T) {
		doc := getDoc(t, srv, "/", 200)
		if doc.Find("h1").Length() != 1 {
			t.Errorf("home has %d h1", doc.Find("h1").Length())
		}
		card := doc.Find(".resolution-card").Text()
		for _, want := range []string{"Human rights situation in Kazakhstan", "2019/2610(RSP)", "14 March 2019", "7 citations", "11 recitals", "10 paragraphs"} {
			if !strings.Contains(card, want) {
				t.Errorf("home resolution card lacks %q: %s", want, card)
			}
		}
		if !strings.Contains(doc.Find(`[data-testid="status-counts"]`).Text(), "Imprisoned") {
			t.Error("home lacks the people-by-status list with Imprisoned")
		}
	})

	t.Run("ResolutionShowsEveryClauseAtItsAnchorWithLinkedNames", func(t *testing.T) {
		doc := getDoc(t, srv, "/resolutions/2019-2610-rsp", 200)
		clauses := doc.Find(`[data-testid="clause"]`)
		if clauses.Length() != 28 {
			t.Errorf("%d clauses on the page, want 28", clauses.Length())
		}
		for _, id := range []string{"cit_1", "cit_7", "rec_A", "rec_K", "para_1", "para_10"} {
			if doc.Find("#"+id).Length() != 1 {
				t.Errorf("no element with id %s", id)
			}
		}
		recA := doc.Find("#rec_A")
		if recA.Find(`a.mention[href="/people/max-bokayev"]`).Text() != "Max Bokayev" {
			t.Errorf("recital A does not link Max Bokayev: %s", recA.Text())
		}
		if recA.Find(`.clause-cases a[href="/cases/max-bokayev-case"]`).Length() != 1 {
			t.Error("recital A does not list Max Bokayev's case")
		}
		if doc.Find("#para_3").Find(`a[href="/people/larisa-kharkova"]`).Text() != "Larissa Kharkova" {
			t.Error("paragraph 3 does not link the spelling Larissa Kharkova to Larisa Kharkova")
		}
		if got := doc.Find("#rec_B").Find(`a.mention-legal_provision`).Length(); got != 2 {
			t.Errorf("recital B links %d provisions, want 2", got)
		}
		if !strings.Contains(doc.Find("#para_10").Text(), "parliament of Kazakhstan.") {
			t.Error("paragraph 10 is cut short")
		}
	})

	t.Run("PersonShowsProfileStatusAndCitingClauses", func(t *testing.T) {
		doc := getDoc(t, srv, "/people/max-bokayev", 200)
		if got := strings.TrimSpace(doc.Find("h1").Text()); got != "Max Bokayev" {
			t.Errorf("h1 = %q", got)
		}
		if !strings.Contains(doc.Find(`[data-testid="aliases"]`).Text(), "Макс Бокаев") {
			t.Error("aliases do not show the Cyrillic spelling")
		}
		if !strings.Contains(doc.Find(`[data-testid="current-status"]`).Text(), "Imprisoned") {
			t.Errorf("current status = %q", doc.Find(`[data-testid="current-status"]`).Text())
		}
		var links []string
		doc.Find(`[data-testid="clause-link"]`).Each(func(_ int, s *goquery.Selection) {
			href, _ := s.Attr("href")
			links = append(links, href)
		})
		if !slices.Equal(links, []string{"/resolutions/2019-2610-rsp#rec_A", "/resolutions/2019-2610-rsp#para_1"}) {
			t.Errorf("citing clause links = %v", links)
		}
		if !strings.Contains(doc.Find(`[data-testid="citing-clauses"]`).Text(), "Urges the government of Kazakhstan to release wrongfully imprisoned") {
			t.Error("citing clauses do not show paragraph 1's full text")
		}
		if doc.Find(`[data-testid="timeline"] li`).Length() != 1 {
			t.Error("timeline does not show the one status entry")
		}
	})

	t.Run("OtherEntityPagesAndIndexes", func(t *testing.T) {
		for _, tc := range []struct{ path, h1, contains string }{
			{"/organisations/dvk", "Democratic Choice of Kazakhstan", "Democratic Choice of Kazakhstan — court ban"},
			{"/legal-provisions/criminal-code-article-174", "Criminal Code Article 174", "Ardak Ashim — criminal case"},
			{"/cases/aset-mataev-case", "Aset Mataev — criminal case", "Remains in detention"},
			{"/people", "People", "Iskander Yerimbetov"},
			{"/organisations", "Organisations", "Ratel.kz"},
			{"/legal-provisions", "Laws and articles", "2015 Labour Code"},
			{"/cases", "Cases", "Erlan Baltabay — criminal investigation"},
			{"/resolutions", "Resolutions", "2019/2610(RSP)"},
		} {
			doc := getDoc(t, srv, tc.path, 200)
			if got := strings.TrimSpace(doc.Find("h1").Text()); got != tc.h1 {
				t.Errorf("%s: h1 = %q, want %q", tc.path, got, tc.h1)
			}
			if !strings.Contains(doc.Find("main").Text(), tc.contains) {
				t.Errorf("%s lacks %q", tc.path, tc.contains)
			}
		}
	})

	t.Run("UnknownAddressesAreRealNotFoundPages", func(t *testing.T) {
		for _, path := range []string{"/people/nobody", "/cases/nothing", "/organisations/x", "/legal-provisions/y", "/resolutions/z", "/no/such/page"} {
			doc := getDoc(t, srv, path, 404)
			if !strings.Contains(doc.Find("h1").Text(), "not found") {
				t.Errorf("%s: h1 = %q", path, doc.Find("h1").Text())
			}
			if doc.Find("nav").Length() == 0 {
				t.Errorf("%s: the 404 page has no navigation back", path)
			}
		}
	})

	t.Run("SecurityHeaders", func(t *testing.T) {
		resp, _ := get(t, srv, "/")
		for h, want := range map[string]string{
			"X-Content-Type-Options": "nosniff",
			"Referrer-Policy":        "strict-origin-when-cross-origin",
		} {
			if resp.Header.Get(h) != want {
				t.Errorf("%s = %q", h, resp.Header.Get(h))
			}
		}
		if csp := resp.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || strings.Contains(csp, "unsafe-inline") {
			t.Errorf("CSP = %q", csp)
		}
		if resp.Header.Get("X-Request-Id") == "" {
			t.Error("no X-Request-Id")
		}
	})

	t.Run("StylesheetIsServed", func(t *testing.T) {
		resp, body := get(t, srv, "/static/style.css")
		if resp.StatusCode != 200 || !strings.Contains(body, ".clause") {
			t.Errorf("GET /static/style.css = %d", resp.StatusCode)
		}
	})
}

func TestServerErrorsLeakNothing(t *testing.T) {
	t.Parallel()
	srv, db := newSeededServer(t)
	db.Close() // every query now fails with pgx's own "closed pool" error

	doc := getDoc(t, srv, "/people/max-bokayev", 500)
	page := doc.Text()
	if !strings.Contains(page, "Something went wrong") || strings.Contains(page, "closed pool") || strings.Contains(page, "pgx") {
		t.Errorf("500 page says: %s", page)
	}
	if id := doc.Find(`[data-testid="request-id"]`).Text(); len(id) != 16 {
		t.Errorf("500 page request id = %q", id)
	}

	var body struct {
		Error     string `json:"error"`
		RequestID string `json:"request_id"`
	}
	getJSON(t, srv, "/api/v1/people/max-bokayev", 500, &body)
	if body.Error == "" || strings.Contains(body.Error, "closed") || body.RequestID == "" {
		t.Errorf("API 500 = %+v", body)
	}

	resp, _ := get(t, srv, "/healthz")
	if resp.StatusCode != 200 {
		t.Errorf("/healthz = %d while the database is gone, want 200: the process is up", resp.StatusCode)
	}
	resp, _ = get(t, srv, "/readyz")
	if resp.StatusCode != 503 {
		t.Errorf("/readyz = %d while the database is gone, want 503", resp.StatusCode)
	}
}

func TestPageCache(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	// Two servers on one database, as behind a load balancer, each with its own cache.
	a := httptest.NewServer(server.New(db, quiet, server.Options{PageCacheBytes: 1 << 20, TestEndpoints: true}))
	b := httptest.NewServer(server.New(db, quiet, server.Options{PageCacheBytes: 1 << 20, TestEndpoints: true}))
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)

	first, body1 := get(t, a, "/people/max-bokayev")
	second, body2 := get(t, a, "/people/max-bokayev")
	if first.Header.Get("X-Cache") != "miss" || second.Header.Get("X-Cache") != "hit" || body1 != body2 {
		t.Errorf("X-Cache %q then %q; same body %v", first.Header.Get("X-Cache"), second.Header.Get("X-Cache"), body1 == body2)
	}
	get(t, b, "/people/max-bokayev")

	t.Run("ConditionalGetAnswers304", func(t *testing.T) {
		req, _ := http.NewRequest("GET", a.URL+"/people/max-bokayev", nil)
		req.Header.Set("If-None-Match", second.Header.Get("ETag"))
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match with the current ETag = %d, want 304", resp.StatusCode)
		}
	})

	t.Run("AChangeIsSeenAtOnceByEveryServer", func(t *testing.T) {
		conn, err := pgx.Connect(context.Background(), dbURL)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if _, err := conn.Exec(context.Background(), `UPDATE people SET notes = 'Released in 2021 after serving his sentence.' WHERE slug = 'max-bokayev'`); err != nil {
			t.Fatal(err)
		}
		for name, srv := range map[string]*httptest.Server{"a": a, "b": b} {
			resp, body := get(t, srv, "/people/max-bokayev")
			if !strings.Contains(body, "Released in 2021") || resp.Header.Get("X-Cache") != "miss" {
				t.Errorf("server %s after the change: X-Cache %q, shows new notes %v", name, resp.Header.Get("X-Cache"), strings.Contains(body, "Released in 2021"))
			}
			if resp.Header.Get("ETag") == second.Header.Get("ETag") {
				t.Errorf("server %s kept the old ETag", name)
			}
		}
	})

	t.Run("NoXCacheOutsideTestMode", func(t *testing.T) {
		prod := httptest.NewServer(server.New(db, quiet, server.Options{PageCacheBytes: 1 << 20}))
		defer prod.Close()
		for i := 0; i < 2; i++ { // a miss, then a hit
			if resp, _ := get(t, prod, "/people/max-bokayev"); resp.StatusCode != 200 || resp.Header.Get("X-Cache") != "" {
				t.Errorf("production server: %d, X-Cache %q", resp.StatusCode, resp.Header.Get("X-Cache"))
			}
		}
	})

	t.Run("ErrorsAreNotCached", func(t *testing.T) {
		get(t, a, "/people/nobody")
		resp, _ := get(t, a, "/people/nobody")
		if resp.StatusCode != 404 || resp.Header.Get("X-Cache") != "" {
			t.Errorf("404 twice: %d, X-Cache %q", resp.StatusCode, resp.Header.Get("X-Cache"))
		}
	})
}

// TestInternalEditsStayInternal: staff editing only internal notes changes nothing the
// public can observe (the page's ETag, the public dossier's data_changed_at and content
// hash), while a public edit changes all three.
func TestInternalEditsStayInternal(t *testing.T) {
	t.Parallel()
	db, dbURL := postgrestest.OpenSeeded(t)
	srv := httptest.NewServer(server.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{PageCacheBytes: 1 << 20}))
	t.Cleanup(srv.Close)
	// data_changed_at shows whole seconds: date the last change an hour back, so a change
	// made now shows whatever second the test runs in.
	conn, err := pgx.Connect(context.Background(), dbURL)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	if _, err := conn.Exec(context.Background(), `UPDATE data_version SET changed_at = changed_at - interval '1 hour'`); err != nil {
		t.Fatal(err)
	}
	type observed struct{ etag, caseETag, changedAt, hash string }
	observe := func() observed {
		t.Helper()
		resp, _ := get(t, srv, "/people/max-bokayev")
		caseResp, _ := get(t, srv, "/cases/max-bokayev-case")
		var d struct {
			DataChangedAt string `json:"data_changed_at"`
			ContentHash   string `json:"content_hash"`
		}
		getJSON(t, srv, "/people/max-bokayev/dossier.json", 200, &d)
		if resp.StatusCode != 200 || resp.Header.Get("ETag") == "" || d.ContentHash == "" {
			t.Fatalf("person page %d, ETag %q, dossier hash %q", resp.StatusCode, resp.Header.Get("ETag"), d.ContentHash)
		}
		return observed{resp.Header.Get("ETag"), caseResp.Header.Get("ETag"), d.DataChangedAt, d.ContentHash}
	}
	edit := func(change func(e *tracker.PersonEdit)) {
		t.Helper()
		p, err := db.Person(context.Background(), "max-bokayev")
		if err != nil {
			t.Fatal(err)
		}
		e := tracker.PersonEditOf(p.Person)
		change(&e)
		if _, err := db.UpdatePerson(context.Background(), postgres.Actor{Name: "test"}, e); err != nil {
			t.Fatal(err)
		}
	}
	before := observe()
	edit(func(e *tracker.PersonEdit) { e.InternalNotes = "Source asked not to be named." })
	// A case's form sends every field back, its people and laws unchanged.
	c, err := db.Case(context.Background(), "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	ce := tracker.CaseEditOf(c.Case)
	ce.InternalNotes = "Appeal strategy: not for publication."
	if _, err := db.UpdateCase(context.Background(), postgres.Actor{Name: "test"}, ce); err != nil {
		t.Fatal(err)
	}
	if after := observe(); after != before {
		t.Errorf("an internal note changed what the public sees:\nbefore %+v\nafter  %+v", before, after)
	}
	edit(func(e *tracker.PersonEdit) { e.Notes += " Released in 2021." })
	after := observe()
	if after.etag == before.etag || after.changedAt == before.changedAt || after.hash == before.hash {
		t.Errorf("a public edit left something the public sees as it was:\nbefore %+v\nafter  %+v", before, after)
	}
}
