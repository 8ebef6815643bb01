package server_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
)

// logItem is an entry of /api/v1/changes, as a client reads it.
type logItem struct {
	Kind        string `json:"kind"`
	ID          int64  `json:"id"`
	URL         string `json:"url"`
	EffectiveOn string `json:"effective_on"`
	Note        *string
	CorrectedBy *int64 `json:"corrected_by"`
	Subject     struct{ Type, Slug string }
	Whom        *struct{ Type, Slug string }
}

type logAnswer struct {
	Items []logItem `json:"items"`
	Next  *string   `json:"next"`
}

func (i logItem) key() string { return i.Kind + " " + strconv.FormatInt(i.ID, 10) }

// atomFeed and atomEntry hold what RFC 4287 §4.1.1 and §4.1.2 require of a feed and an
// entry, read with encoding/xml in the Atom namespace.
type atomFeed struct {
	XMLName xml.Name    `xml:"http://www.w3.org/2005/Atom feed"`
	Lang    string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr"`
	ID      string      `xml:"http://www.w3.org/2005/Atom id"`
	Title   []atomText  `xml:"http://www.w3.org/2005/Atom title"`
	Updated []string    `xml:"http://www.w3.org/2005/Atom updated"`
	Links   []atomLink  `xml:"http://www.w3.org/2005/Atom link"`
	Authors []struct{}  `xml:"http://www.w3.org/2005/Atom author"`
	Entries []atomEntry `xml:"http://www.w3.org/2005/Atom entry"`
}

type atomEntry struct {
	ID         string     `xml:"http://www.w3.org/2005/Atom id"`
	Title      []atomText `xml:"http://www.w3.org/2005/Atom title"`
	Updated    []string   `xml:"http://www.w3.org/2005/Atom updated"`
	Published  []string   `xml:"http://www.w3.org/2005/Atom published"`
	Links      []atomLink `xml:"http://www.w3.org/2005/Atom link"`
	Categories []struct {
		Term string `xml:"term,attr"`
	} `xml:"http://www.w3.org/2005/Atom category"`
	Summary []atomText `xml:"http://www.w3.org/2005/Atom summary"`
	Content []atomText `xml:"http://www.w3.org/2005/Atom content"`
}

type atomText struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

type atomLink struct {
	Rel  string `xml:"rel,attr"`
	Href string `xml:"href,attr"`
}

// fetchFeed gets an Atom feed with the Host header host ("" for the server's own) and checks
// its structure: the elements RFC 4287 requires, each once, dates in RFC 3339, ids that are
// absolute IRIs, exactly one alternate link per entry, text constructs of type text.
func fetchFeed(t *testing.T, base, path, host string) atomFeed {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, base+path, nil)
	if host != "" {
		req.Host = host
	}
	r, err := http.DefaultClient.Do(req)
	resp, body := answer(t, r, err)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s = %d\n%s", path, resp.StatusCode, body)
	}
	if ct := resp.Header.Get("Content-Type"); ct != "application/atom+xml; charset=utf-8" {
		t.Errorf("GET %s: Content-Type %q", path, ct)
	}
	var f atomFeed
	if err := xml.Unmarshal([]byte(body), &f); err != nil {
		t.Fatalf("GET %s is not an Atom feed: %v\n%s", path, err, body)
	}
	isTime := func(what string, vs []string) {
		if len(vs) != 1 {
			t.Errorf("%s: %s %d times, want once", path, what, len(vs))
			return
		}
		if _, err := time.Parse(time.RFC3339, vs[0]); err != nil {
			t.Errorf("%s: %s %q is not RFC 3339", path, what, vs[0])
		}
	}
	isText := func(what string, ts []atomText, want int) {
		if len(ts) != want {
			t.Errorf("%s: %s %d times, want %d", path, what, len(ts), want)
		}
		for _, x := range ts {
			if x.Type != "text" || x.Body == "" {
				t.Errorf("%s: %s %+v, want non-empty text", path, what, x)
			}
		}
	}
	isID := func(what, id string) {
		if !strings.HasPrefix(id, "urn:uuid:") || len(id) != len("urn:uuid:")+36 {
			t.Errorf("%s: %s %q is not a urn:uuid", path, what, id)
		}
	}
	isID("feed id", f.ID)
	isText("feed title", f.Title, 1)
	isTime("feed updated", f.Updated)
	if len(f.Authors) == 0 {
		t.Errorf("%s: no author", path)
	}
	rels := map[string]int{}
	for _, l := range f.Links {
		rels[l.Rel]++
	}
	if rels["self"] != 1 || rels["alternate"] != 1 {
		t.Errorf("%s: feed links %v, want one self and one alternate", path, f.Links)
	}
	for _, e := range f.Entries {
		isID("entry id", e.ID)
		isText("entry title", e.Title, 1)
		isTime("entry updated", e.Updated)
		isTime("entry published", e.Published)
		isText("entry summary", e.Summary, 1)
		alternates := 0
		for _, l := range e.Links {
			if l.Rel == "alternate" {
				alternates++
			}
		}
		if alternates != 1 || len(e.Content) != 0 || len(e.Categories) != 1 {
			t.Errorf("%s: entry %s has %d alternate links, %d contents, %d categories", path, e.ID, alternates, len(e.Content), len(e.Categories))
		}
	}
	return f
}

func (f atomFeed) entryLinking(href string) *atomEntry {
	for i, e := range f.Entries {
		for _, l := range e.Links {
			if l.Href == href {
				return &f.Entries[i]
			}
		}
	}
	return nil
}

func changes(t *testing.T, srv *httptest.Server, query string) logAnswer {
	t.Helper()
	var a logAnswer
	getJSON(t, srv, "/api/v1/changes"+query, http.StatusOK, &a)
	return a
}

func keys(items []logItem) []string {
	var out []string
	for _, i := range items {
		out = append(out, i.key())
	}
	return out
}

// TestChangeLog records what staff would (a status entry dated years back with an internal
// note, a correction of it, a new person) and reads the public change log and its feeds as
// a visitor would.
func TestChangeLog(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "changes-token-0123456789abcdefghijklmnopq"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "feeds", token); err != nil {
		t.Fatal(err)
	}
	c, err := w.db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", token, fmt.Sprintf(
		`{"version": %d, "status": "imprisoned", "effective_on": "2016-11", "note": "Moved to a colony <b>far</b> & away.", "internal_note": "SECRET-LAWYER-PHONE", "source_url": "https://example.org/a"}`, c.Case.Version))
	if code != http.StatusCreated {
		t.Fatalf("add status: %d %v", code, body)
	}
	added := int64(body["id"].(float64))
	addedKey := "status " + strconv.FormatInt(added, 10)
	addedURL := "/cases/max-bokayev-case#status-" + strconv.FormatInt(added, 10)

	t.Run("NewEntryTopsTheRecordedOrderAndTakesItsPlaceByDate", func(t *testing.T) {
		rec := changes(t, w.a, "?order=recorded")
		if len(rec.Items) == 0 || rec.Items[0].key() != addedKey || rec.Items[0].URL != addedURL {
			t.Fatalf("recorded order starts %v, want %s", keys(rec.Items[:min(3, len(rec.Items))]), addedKey)
		}
		doc := getDoc(t, w.a, "/changes?order=recorded", http.StatusOK)
		if first := doc.Find(`[data-testid="log-entry"]`).First(); first.AttrOr("data-id", "") != strconv.FormatInt(added, 10) || first.AttrOr("data-kind", "") != "status" {
			t.Errorf("the page's first entry is %s %s", first.AttrOr("data-kind", ""), first.AttrOr("data-id", ""))
		}
		eff := changes(t, w.a, "?per_page=500")
		i := slices.Index(keys(eff.Items), addedKey)
		if i <= 0 {
			t.Fatalf("effective order has the entry at %d: %v", i, keys(eff.Items))
		}
		for j, it := range eff.Items {
			if j < i && it.EffectiveOn < "2016-11" || j > i && it.EffectiveOn > "2016-11" {
				t.Errorf("entry %d (%s, %s) is on the wrong side of the new entry dated 2016-11 at %d", j, it.key(), it.EffectiveOn, i)
			}
		}
		if !slices.IsSortedFunc(eff.Items, func(a, b logItem) int { return strings.Compare(b.EffectiveOn, a.EffectiveOn) }) {
			t.Errorf("effective order is not newest first: %v", eff.Items)
		}
		if doc := getDoc(t, w.a, "/changes", http.StatusOK); !strings.Contains(doc.Find(`[data-id="`+strconv.FormatInt(added, 10)+`"]`).Text(), "November 2016") {
			t.Errorf("the page dates the entry otherwise than November 2016")
		}
	})

	t.Run("Filters", func(t *testing.T) {
		for _, tc := range []struct {
			query string
			has   bool
			check func(logItem) bool
		}{
			{"?person=max-bokayev", true, func(i logItem) bool { return i.Kind != "status" || i.Whom != nil && i.Whom.Slug == "max-bokayev" }},
			{"?person=talgat-ayan", false, func(i logItem) bool { return i.Kind != "status" || i.Whom != nil && i.Whom.Slug == "talgat-ayan" }},
			{"?resolution=2019-2610-rsp", true, func(logItem) bool { return true }},
			{"?kind=demand_state", false, func(i logItem) bool { return i.Kind == "demand_state" }},
			{"?kind=status&person=max-bokayev", true, func(i logItem) bool { return i.Kind == "status" }},
			{"?kind=resolution", false, func(i logItem) bool { return i.Kind == "resolution" && i.Subject.Slug == "2019-2610-rsp" }},
		} {
			got := changes(t, w.a, tc.query)
			if len(got.Items) == 0 || slices.Contains(keys(got.Items), addedKey) != tc.has {
				t.Errorf("%s: %v, want the new entry: %v", tc.query, keys(got.Items), tc.has)
			}
			for _, i := range got.Items {
				if !tc.check(i) {
					t.Errorf("%s lists %+v", tc.query, i)
				}
			}
			doc := getDoc(t, w.a, "/changes"+tc.query, http.StatusOK)
			if n := doc.Find(`[data-testid="log-entry"]`).Length(); n != len(got.Items) {
				t.Errorf("/changes%s lists %d entries, the API %d", tc.query, n, len(got.Items))
			}
			if older := doc.Find(`[data-testid="older"]`); older.Length() > 0 {
				t.Errorf("/changes%s has an older page though all fit", tc.query)
			}
		}
		// The form's values come back filled in, and a typed name finds its person.
		doc := getDoc(t, w.a, "/changes?person=max-bokayev&kind=status&order=recorded", http.StatusOK)
		if v, _ := doc.Find(`#changes-person`).Attr("value"); v != "max-bokayev" {
			t.Errorf("person field holds %q", v)
		}
		if doc.Find(`#changes-kind option[selected]`).AttrOr("value", "") != "status" || doc.Find(`#changes-order option[selected]`).AttrOr("value", "") != "recorded" {
			t.Error("the form does not show the kind and order chosen")
		}
		if chips := doc.Find(`[data-testid="chip"]`).Text(); !strings.Contains(chips, "Max Bokayev") {
			t.Errorf("chips %q do not name the person", chips)
		}
		resp, _ := get(t, w.a, "/changes?person=Bokaev&kind=status")
		if resp.Request.URL.Query().Get("person") != "max-bokayev" {
			t.Errorf("a typed name led to %s", resp.Request.URL)
		}
		for q, want := range map[string]int{"?order=sideways": 400, "?kind=everything": 400, "?before=yesterday": 400, "?person=nobody-at-all": 404, "?resolution=1999-0001-rsp": 404} {
			if resp, _ := get(t, w.a, "/changes"+q); resp.StatusCode != want {
				t.Errorf("/changes%s = %d, want %d", q, resp.StatusCode, want)
			}
			if resp, _ := get(t, w.a, "/api/v1/changes"+q); resp.StatusCode != want || resp.Header.Get("Content-Type") != "application/json" {
				t.Errorf("/api/v1/changes%s = %d %s, want %d JSON", q, resp.StatusCode, resp.Header.Get("Content-Type"), want)
			}
		}
	})

	t.Run("PagesHaveNoDuplicatesOrGapsWhileEntriesAreAdded", func(t *testing.T) {
		for _, order := range []string{"effective", "recorded"} {
			whole := changes(t, w.a, "?per_page=500&order="+order)
			var paged []logItem
			next := "/api/v1/changes?per_page=4&order=" + order
			for pages := 0; next != ""; pages++ {
				var a logAnswer
				getJSON(t, w.a, next, http.StatusOK, &a)
				paged = append(paged, a.Items...)
				next = ""
				if a.Next != nil {
					next = *a.Next
				}
				if pages == 1 {
					// An entry added meanwhile, newest by both orders, lands before the page
					// read: the pages after it are unchanged.
					c, _ := w.db.Case(ctx, "talgat-ayan-case")
					if code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/talgat-ayan-case/statuses", token, fmt.Sprintf(
						`{"version": %d, "status": "released", "effective_on": "2020-02-02", "note": "Meanwhile.", "source_url": "https://example.org/m"}`, c.Case.Version)); code != http.StatusCreated {
						t.Fatalf("add status: %d %v", code, body)
					}
				}
				if pages > 100 {
					t.Fatal("the pages never end")
				}
			}
			if !slices.Equal(keys(paged), keys(whole.Items)) {
				t.Errorf("%s: pages of 4 gave\n%v\nthe whole list\n%v", order, keys(paged), keys(whole.Items))
			}
		}
		// The page's "Older changes" link walks the same way.
		doc := getDoc(t, w.a, "/changes", http.StatusOK)
		if doc.Find(`[data-testid="older"]`).Length() != 0 {
			t.Error("one page holds the seed's changes, yet there is an older page")
		}
	})

	t.Run("RetiredRecordsAndInternalNotesNeverAppear", func(t *testing.T) {
		if code, body := apiDo(t, "DELETE", w.a.URL+"/api/v1/cases/aset-mataev-case", token, ""); code != http.StatusOK {
			t.Fatalf("retire: %d %v", code, body)
		}
		if code, body := apiDo(t, "DELETE", w.a.URL+"/api/v1/people/erlan-baltabay", token, ""); code != http.StatusOK {
			t.Fatalf("retire: %d %v", code, body)
		}
		var pages []string
		for _, p := range []string{"/changes", "/changes?order=recorded", "/api/v1/changes", "/api/v1/changes?order=recorded", "/changes.atom",
			"/people/max-bokayev.atom", "/cases/max-bokayev-case.atom", "/resolutions/2019-2610-rsp.atom", "/changes?person=max-bokayev"} {
			resp, body := get(t, w.a, p)
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET %s = %d", p, resp.StatusCode)
			}
			pages = append(pages, body)
			for _, secret := range []string{"SECRET-LAWYER-PHONE", "editor@example.org", "/cases/aset-mataev-case", "/people/erlan-baltabay", "<b>far</b>"} {
				if strings.Contains(body, secret) {
					t.Errorf("GET %s shows %q", p, secret)
				}
			}
		}
		if !strings.Contains(pages[0], "Moved to a colony &lt;b&gt;far&lt;/b&gt; &amp; away.") {
			t.Error("/changes does not show the public note, escaped")
		}
		for p, want := range map[string]int{"/cases/aset-mataev-case.atom": 410, "/people/erlan-baltabay.atom": 410, "/changes?person=erlan-baltabay": 410,
			"/people/nobody-at-all.atom": 404, "/cases/nobody-at-all.atom": 404, "/resolutions/1999-0001-rsp.atom": 404} {
			if resp, _ := get(t, w.a, p); resp.StatusCode != want {
				t.Errorf("GET %s = %d, want %d", p, resp.StatusCode, want)
			}
		}
	})

	t.Run("Feeds", func(t *testing.T) {
		personFeed := fetchFeed(t, w.a.URL, "/people/max-bokayev.atom", "")
		caseFeed := fetchFeed(t, w.a.URL, "/cases/max-bokayev-case.atom", "")
		for name, f := range map[string]atomFeed{"person": personFeed, "case": caseFeed} {
			e := f.entryLinking(addedURL)
			if e == nil {
				t.Fatalf("the %s's feed has no entry for the new status", name)
			}
			if !strings.Contains(e.Summary[0].Body, "Moved to a colony <b>far</b> & away.") || e.Categories[0].Term != "status" {
				t.Errorf("the %s's feed entry reads %+v", name, e)
			}
			if f.Entries[0].ID != e.ID {
				t.Errorf("the %s's feed does not start with the newest entry", name)
			}
			if f.Updated[0] != e.Updated[0] {
				t.Errorf("the %s's feed is updated %s, its newest entry %s", name, f.Updated[0], e.Updated[0])
			}
		}
		all := fetchFeed(t, w.a.URL, "/changes.atom", "")
		res := fetchFeed(t, w.a.URL, "/resolutions/2019-2610-rsp.atom", "")
		if all.entryLinking(addedURL) == nil || res.entryLinking(addedURL) == nil || len(all.Entries) > 50 {
			t.Errorf("/changes.atom or the resolution's feed lacks the new status (or holds over 50 entries)")
		}
		if fetchFeed(t, w.a.URL, "/people/talgat-ayan.atom", "").entryLinking(addedURL) != nil {
			t.Error("another person's feed has the new status")
		}
		// Ids depend on neither the host, the server nor the language.
		ids := func(f atomFeed) []string {
			out := []string{f.ID}
			for _, e := range f.Entries {
				out = append(out, e.ID)
			}
			return out
		}
		again := fetchFeed(t, w.b.URL, "/people/max-bokayev.atom", "whereas.example.org")
		ru := fetchFeed(t, w.a.URL, "/people/max-bokayev.atom?lang=ru", "")
		if !slices.Equal(ids(personFeed), ids(again)) || !slices.Equal(ids(personFeed), ids(ru)) || !slices.Equal(ids(personFeed), ids(fetchFeed(t, w.a.URL, "/people/max-bokayev.atom", ""))) {
			t.Errorf("ids change between fetches, hosts or languages:\n%v\n%v\n%v", ids(personFeed), ids(again), ids(ru))
		}
		if personFeed.Lang != "en" || ru.Lang != "ru" || !strings.Contains(ru.Title[0].Body, "Что изменилось") {
			t.Errorf("feed languages %q and %q (%q)", personFeed.Lang, ru.Lang, ru.Title[0].Body)
		}
		if personFeed.ID == caseFeed.ID || personFeed.ID == all.ID {
			t.Error("two feeds share an id")
		}
		for _, l := range again.Links {
			if strings.Contains(l.Href, "whereas.example.org") || strings.Contains(l.Href, "127.0.0.1") {
				t.Errorf("a feed link names the request's host: %s", l.Href)
			}
		}
	})

	t.Run("CorrectionsAndNewRecords", func(t *testing.T) {
		c, _ := w.db.Case(ctx, "max-bokayev-case")
		code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", token, fmt.Sprintf(
			`{"version": %d, "status": "imprisoned", "effective_on": "2016-12", "note": "Month corrected.", "source_url": "https://example.org/c", "supersedes": %d}`, c.Case.Version, added))
		if code != http.StatusCreated {
			t.Fatalf("correct: %d %v", code, body)
		}
		fixed := int64(body["id"].(float64))
		got := changes(t, w.a, "?person=max-bokayev&kind=status&per_page=500")
		var old *logItem
		for i := range got.Items {
			if got.Items[i].ID == added {
				old = &got.Items[i]
			}
		}
		if old == nil || old.CorrectedBy == nil || *old.CorrectedBy != fixed || !slices.Contains(keys(got.Items), "status "+strconv.FormatInt(fixed, 10)) {
			t.Fatalf("the corrected entry and its correction: %+v", got.Items)
		}
		doc := getDoc(t, w.a, "/changes?person=max-bokayev", http.StatusOK)
		if e := doc.Find(`[data-id="` + strconv.FormatInt(added, 10) + `"]`); !e.HasClass("superseded") || e.Find(`[data-testid="corrected"]`).Length() != 1 {
			t.Error("the page does not mark the corrected entry")
		}
		if code, body := apiDo(t, "POST", w.a.URL+"/api/v1/people", token, `{"name": "Feeds Testperson", "internal_notes": "SECRET-SOURCE"}`); code != http.StatusCreated {
			t.Fatalf("create person: %d %v", code, body)
		}
		recs := changes(t, w.a, "?kind=record")
		if len(recs.Items) != 1 || recs.Items[0].Subject.Slug != "feeds-testperson" || recs.Items[0].URL != "/people/feeds-testperson" {
			t.Errorf("records created: %+v", recs.Items)
		}
		if _, body := get(t, w.a, "/changes.atom"); !strings.Contains(body, "New person: Feeds Testperson") || strings.Contains(body, "SECRET-SOURCE") {
			t.Error("the feed does not announce the new person, or shows their internal notes")
		}
		if f := fetchFeed(t, w.a.URL, "/people/feeds-testperson.atom", ""); len(f.Entries) != 1 {
			t.Errorf("the new person's feed has %d entries", len(f.Entries))
		}
	})

	t.Run("PagesNameTheirFeeds", func(t *testing.T) {
		for page, feed := range map[string]string{"/people/max-bokayev": "/people/max-bokayev.atom?lang=en", "/cases/max-bokayev-case": "/cases/max-bokayev-case.atom?lang=en",
			"/resolutions/2019-2610-rsp": "/resolutions/2019-2610-rsp.atom?lang=en", "/changes?person=max-bokayev": "/changes.atom?person=max-bokayev&lang=en"} {
			doc := getDoc(t, w.a, page, http.StatusOK)
			head := doc.Find(`head link[rel="alternate"][type="application/atom+xml"]`)
			if head.Length() != 1 || head.AttrOr("href", "") != feed || head.AttrOr("title", "") == "" {
				t.Errorf("%s: head feed links %d, href %q", page, head.Length(), head.AttrOr("href", ""))
			}
			if doc.Find(`main a[data-testid="feed-link"][href="`+feed+`"]`).Length() != 1 {
				t.Errorf("%s: no visible link to its feed", page)
			}
		}
		if href := getDoc(t, w.a, "/people/max-bokayev", http.StatusOK).Find(`[data-testid="what-changed"]`).AttrOr("href", ""); href != "/changes?person=max-bokayev" {
			t.Errorf("the person's page links to %q for what changed", href)
		}
		if doc := getDoc(t, w.a, "/", http.StatusOK); doc.Find(`a[data-testid="all-changes"][href="/changes"]`).Length() != 1 {
			t.Error("the home page does not link to /changes")
		}
	})
}

// TestFeedIDsDifferBetweenSites: two sites loaded from the same seed hold the same rows
// under the same ids, yet their feeds' ids differ (each site's lasting id is in them), so
// a reader following both never takes one site's entry for the other's.
func TestFeedIDsDifferBetweenSites(t *testing.T) {
	t.Parallel()
	one, _ := newSeededServer(t)
	other, _ := newSeededServer(t)
	a := fetchFeed(t, one.URL, "/people/max-bokayev.atom", "")
	b := fetchFeed(t, other.URL, "/people/max-bokayev.atom", "")
	if len(a.Entries) == 0 || len(a.Entries) != len(b.Entries) {
		t.Fatalf("the two sites' feeds have %d and %d entries", len(a.Entries), len(b.Entries))
	}
	if a.ID == b.ID || a.Entries[0].ID == b.Entries[0].ID {
		t.Errorf("two sites share ids: feed %s, entry %s", a.ID, a.Entries[0].ID)
	}
	if again := fetchFeed(t, one.URL, "/people/max-bokayev.atom?lang=ru", ""); again.ID != a.ID || again.Entries[0].ID != a.Entries[0].ID {
		t.Errorf("one site's ids changed between two reads")
	}
}
