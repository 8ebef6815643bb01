package server_test

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"errors"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/postgres/postgrestest"
)

// postImport sends the new-import form as a browser does, with the text as an upload.
func postImport(t testing.TB, c *http.Client, u string, fields map[string]string, file string) (*http.Response, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for k, v := range fields {
		mw.WriteField(k, v)
	}
	if file != "" {
		fw, _ := mw.CreateFormFile("file", "resolution.txt")
		io.WriteString(fw, file)
	}
	mw.Close()
	resp, err := c.Post(u, mw.FormDataContentType(), &body)
	return answer(t, resp, err)
}

func TestImportRoutes(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	text, err := os.ReadFile("../importer/testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}

	t.Run("OnlyAdmins", func(t *testing.T) {
		anon := browser(t)
		if resp, _ := fetchWith(t, anon, w.a.URL+"/admin/imports"); resp.StatusCode != http.StatusSeeOther {
			t.Errorf("anonymous GET /admin/imports = %d, want a redirect to sign in", resp.StatusCode)
		}
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		if resp, _ := postImport(t, editor, w.a.URL+"/admin/imports", nil, string(text)); resp.StatusCode != http.StatusForbidden {
			t.Errorf("editor POST /admin/imports = %d, want 403", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM import_drafts`); n != 0 {
			t.Errorf("an editor's import was stored")
		}
	})

	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")

	t.Run("UnparseableTextKeptWithTheLine", func(t *testing.T) {
		bad := "Title (2023/2001(RSP))\nA. whereas x;\n1. Urges;\n1. Skips;\n"
		resp, body := postImport(t, admin, w.a.URL+"/admin/imports", map[string]string{"text": bad, "date": "2023-06-01", "title": "Test"}, "")
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "line 4") || !strings.Contains(body, "1. Skips;\n</textarea>") || strings.Contains(body, "procedure-error") {
			t.Errorf("bad text: %d\n%s", resp.StatusCode, body)
		}
		resp, body = postImport(t, admin, w.a.URL+"/admin/imports", map[string]string{"date": "14.3.2019"}, string(text))
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "YYYY-MM-DD") || !strings.Contains(body, "Galym Ageleuov") {
			t.Errorf("bad date: %d; the uploaded text should come back in the text area", resp.StatusCode)
		}
	})

	var review string
	t.Run("UploadOpensTheReview", func(t *testing.T) {
		resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, string(text))
		review = resp.Header.Get("Location")
		if resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(review, "/admin/imports/") {
			t.Fatalf("upload: %d → %q", resp.StatusCode, review)
		}
		resp, body := fetchWith(t, admin, w.a.URL+review)
		if resp.StatusCode != http.StatusOK || !strings.Contains(body, "Galym Ageleuov") || !strings.Contains(body, "12 clauses") {
			t.Errorf("review page: %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, browser(t), w.b.URL+"/resolutions/2022-2502-rsp"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the draft is public: %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, admin, w.a.URL+"/admin/imports/999999"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a missing draft: %d", resp.StatusCode)
		}
	})

	t.Run("StaleFormIsAConflictKeepingNothingLost", func(t *testing.T) {
		resp, body := post(t, admin, w.a.URL+review+"/demands", url.Values{"version": {"0"}, "clause": {"para_1"}, "action": {"investigate"},
			"wording": {"calls for an independent international investigation"}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "Someone else changed this import") ||
			!strings.Contains(body, "calls for an independent international investigation</textarea>") {
			t.Errorf("stale demand: %d", resp.StatusCode)
		}
	})

	t.Run("OrganisationRemoveAndDiscard", func(t *testing.T) {
		resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, string(text))
		draft := resp.Header.Get("Location")
		version := func() string {
			_, body := fetchWith(t, admin, w.a.URL+draft)
			i := strings.Index(body, `name="version" value="`)
			return strings.SplitN(body[i+len(`name="version" value="`):], `"`, 2)[0]
		}
		resp, _ = post(t, admin, w.a.URL+draft+"/entities", url.Values{"version": {version()}, "at": {"new"}, "new-type": {"organisation"},
			"new-name": {"Kazakhstan International Bureau"}, "new-aliases": {"KIBHR\nКазахстанское международное бюро"}})
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("new organisation: %d", resp.StatusCode)
		}
		if _, body := fetchWith(t, admin, w.a.URL+draft); !strings.Contains(body, `Kazakhstan International Bureau</strong> (organisation, will be at <span translate="no">/organisations/kazakhstan-international-bureau</span>)`) {
			t.Errorf("the review page does not list the new organisation")
		}
		// A second one with the same name is refused beside the "Someone else" form's name.
		resp, body := post(t, admin, w.a.URL+draft+"/entities", url.Values{"version": {version()}, "at": {"new"}, "new-type": {"organisation"}, "new-name": {"Kazakhstan International Bureau"}})
		if resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `id="new-name-error"`) {
			t.Errorf("duplicate organisation: %d", resp.StatusCode)
		}
		resp, _ = post(t, admin, w.a.URL+draft+"/entities/remove", url.Values{"version": {version()}, "remove": {"organisation/kazakhstan-international-bureau"}})
		if _, body := fetchWith(t, admin, w.a.URL+draft); resp.StatusCode != http.StatusSeeOther || strings.Contains(body, `will be at <span translate="no">/organisations/kazakhstan-international-bureau`) {
			t.Errorf("remove: %d, still listed", resp.StatusCode)
		}
		v := version()
		if resp, _ := post(t, admin, w.a.URL+draft+"/discard", url.Values{"version": {v}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("discard: %d", resp.StatusCode)
		}
		_, body = fetchWith(t, admin, w.a.URL+draft)
		if !strings.Contains(body, "This import was discarded") || strings.Contains(body, `data-testid="publish"`) {
			t.Errorf("a discarded draft still offers to publish")
		}
		resp, body = post(t, admin, w.a.URL+draft+"/publish", url.Values{"version": {version()}})
		if resp.StatusCode != http.StatusConflict || !strings.Contains(body, "discarded already") {
			t.Errorf("publishing a discarded draft: %d", resp.StatusCode)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM organisations WHERE slug = 'kazakhstan-international-bureau'`); n != 0 {
			t.Errorf("a discarded draft's organisation was created")
		}
	})

	t.Run("PublishThenVisible", func(t *testing.T) {
		_, body := fetchWith(t, admin, w.a.URL+review)
		i := strings.Index(body, `name="version" value="`)
		version := body[i+len(`name="version" value="`):][:1]
		resp, _ := post(t, admin, w.a.URL+review+"/publish", url.Values{"version": {version}})
		if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/resolutions/2022-2502-rsp" {
			t.Fatalf("publish: %d → %s", resp.StatusCode, resp.Header.Get("Location"))
		}
		// The other server's page cache knows at once.
		if resp, body := fetchWith(t, browser(t), w.b.URL+"/resolutions"); resp.StatusCode != 200 || !strings.Contains(body, "2022/2502(RSP)") {
			t.Errorf("resolutions index after publishing lacks it")
		}
	})

	t.Run("AkomaNtosoExport", func(t *testing.T) {
		resp, body := fetchWith(t, browser(t), w.b.URL+"/resolutions/2022-2502-rsp.akn.xml")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/akn+xml; charset=utf-8" {
			t.Fatalf("export: %d %s", resp.StatusCode, resp.Header.Get("Content-Type"))
		}
		d := xml.NewDecoder(strings.NewReader(body))
		for {
			if _, err := d.Token(); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				t.Fatalf("not well-formed: %v", err)
			}
		}
		for _, want := range []string{`eId="para_2__point_a"`, `eId="rec_D"`, `<TLCReference eId="law_criminal-code-article-174"`} {
			if !strings.Contains(body, want) {
				t.Errorf("export lacks %s", want)
			}
		}
		if resp, _ := fetchWith(t, browser(t), w.b.URL+"/resolutions/nope.akn.xml"); resp.StatusCode != http.StatusNotFound {
			t.Errorf("a missing resolution's export: %d", resp.StatusCode)
		}
	})

	t.Run("ReimportShowsTheDiff", func(t *testing.T) {
		// The exported Akoma Ntoso, uploaded back: read as XML, nothing changed.
		_, xmlText := fetchWith(t, browser(t), w.b.URL+"/resolutions/2022-2502-rsp.akn.xml")
		resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, xmlText)
		if resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("upload of the export: %d", resp.StatusCode)
		}
		_, body := fetchWith(t, admin, w.a.URL+resp.Header.Get("Location"))
		if !strings.Contains(body, "read as Akoma Ntoso XML") || !strings.Contains(body, "0 clauses changed, 0 added, 0 removed, 12 unchanged") {
			t.Errorf("review of the re-imported export lacks its format or diff")
		}
		// A changed paragraph shows before and after.
		changed := strings.Replace(string(text), "Condemns the killing of protesters", "Strongly condemns the killing of protesters", 1)
		resp, _ = postImport(t, admin, w.a.URL+"/admin/imports", nil, changed)
		_, body = fetchWith(t, admin, w.a.URL+resp.Header.Get("Location"))
		if !strings.Contains(body, "1 clause changed") || !strings.Contains(body, `<del lang="en">Condemns the killing`) || !strings.Contains(body, `<ins lang="en">Strongly condemns`) {
			t.Errorf("review of a changed text lacks the diff")
		}
	})

	t.Run("APIListsFollowUpScores", func(t *testing.T) {
		_, body := fetchWith(t, browser(t), w.b.URL+"/api/v1/resolutions")
		var list struct {
			Items []struct {
				Slug       string `json:"slug"`
				Demands    int    `json:"demands"`
				NotMet     int    `json:"demands_not_met"`
				Unassessed int    `json:"demands_unassessed"`
				Score      *int   `json:"follow_up_score"`
			} `json:"items"`
		}
		if err := json.Unmarshal([]byte(body), &list); err != nil || len(list.Items) != 2 {
			t.Fatalf("API: %v %s", err, body)
		}
		for _, r := range list.Items {
			switch r.Slug {
			case "2019-2610-rsp":
				// 9 demands the resolution says are not met, 20 nobody has assessed yet.
				if r.Demands != 29 || r.NotMet != 9 || r.Unassessed != 20 || r.Score == nil || *r.Score != 0 {
					t.Errorf("seed resolution: %+v", r)
				}
			case "2022-2502-rsp":
				if r.Demands != 0 || r.Score != nil {
					t.Errorf("new resolution without demands: %+v", r)
				}
			}
		}
		// Paged like the other lists, newest first.
		_, body = fetchWith(t, browser(t), w.b.URL+"/api/v1/resolutions?per_page=1&page=2")
		var page struct {
			Items []struct {
				Slug string `json:"slug"`
			} `json:"items"`
			Total int `json:"total"`
		}
		if err := json.Unmarshal([]byte(body), &page); err != nil || page.Total != 2 || len(page.Items) != 1 || page.Items[0].Slug != "2019-2610-rsp" {
			t.Errorf("page 2 of 1 per page: %v %s", err, body)
		}
		if resp, _ := fetchWith(t, browser(t), w.b.URL+"/resolutions?page=0"); resp.StatusCode != http.StatusBadRequest {
			t.Errorf("/resolutions?page=0 = %d, want 400", resp.StatusCode)
		}
	})
}
