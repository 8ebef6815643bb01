package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// TestEvidenceFeedsAndWatching is issue 18 end to end, as its users meet it. Staff add a
// status entry with a public PDF and an internal photo. The public downloads the PDF, the
// same SHA-256 as the page shows, and meets the photo nowhere: not on the pages, the API,
// the dossiers in every format, the zip of all dossiers, the feeds, the change log or
// search. The text inside the PDF is found by search. The entry heads /changes and the
// person's Atom feed. A watcher of the person gets one email, and none after
// unsubscribing. A backup restored elsewhere serves the PDF byte for byte.
func TestEvidenceFeedsAndWatching(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	ctx := context.Background()
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	const person, caseSlug = "max-bokayev", "max-bokayev-case"
	_, token := recordTokens(t, w.staffWorld) // the admin records; the editor watches

	// The editor watches the person; the week's digest goes out first, counted apart.
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	if resp, body := post(t, editor, w.a.URL+"/watch", url.Values{"kind": {"person"}, "slug": {person}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("watch: %d %s", resp.StatusCode, body)
	}
	w.round(t)

	c, err := w.db.Case(ctx, caseSlug)
	if err != nil {
		t.Fatal(err)
	}
	code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/"+caseSlug+"/statuses", token, fmt.Sprintf(
		`{"version": %d, "status": "released", "effective_on": "2021-02-08", "note": "Released after the appeal.", "source_url": "https://example.org/appeal"}`, c.Case.Version))
	if code != http.StatusCreated {
		t.Fatalf("add status: %d %v", code, body)
	}
	entry := int64(body["id"].(float64))
	entryURL := "/cases/" + caseSlug + "#status-" + strconv.FormatInt(entry, 10)

	pdf := cyrillicPDF(t, "Постановление апелляционной коллегии", "ультрафиолетовый приговор отменён")
	photo := testPNG(t)
	attach := func(name, title, visibility string, data []byte) apiFile {
		t.Helper()
		resp, body := upload(t, http.DefaultClient, w.a.URL+"/api/v1/statuses/"+strconv.FormatInt(entry, 10)+"/attachments", token,
			[][2]string{{"title", title}, {"visibility", visibility}, {"obtained_on", "2021-02"}, {"source_url", "https://example.org/court"}}, name, data)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("attach %s: %d %s", name, resp.StatusCode, body)
		}
		var f apiFile
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			t.Fatal(err)
		}
		if f.SHA256 != sha(data) || f.Size != int64(len(data)) || f.Visibility != visibility {
			t.Fatalf("attach %s answered %+v", name, f)
		}
		return f
	}
	pub := attach("appeal-ruling.pdf", "Appeal ruling", "public", pdf)
	secret := attach("cell-photo.png", "Cell photograph Qzxv", "internal", photo)
	if _, err := server.ExtractTexts(ctx, w.db, nil, quiet); err != nil {
		t.Fatal(err)
	}
	// What would betray the photo to the public, wherever it showed.
	leaks := []string{secret.SHA256, secret.URL, "cell-photo", "Qzxv"}
	leaked := func(t *testing.T, where, text string) {
		t.Helper()
		for _, l := range leaks {
			if strings.Contains(text, l) {
				t.Errorf("%s shows the internal photo to the public (%q)", where, l)
			}
		}
	}
	public := func(t *testing.T, path string) string {
		t.Helper()
		resp, body := fetchWith(t, browser(t), w.b.URL+path)
		if resp.StatusCode != http.StatusOK {
			t.Fatalf("GET %s = %d", path, resp.StatusCode)
		}
		return body
	}

	t.Run("ThePublicDownloadsThePDFAndNeverThePhoto", func(t *testing.T) {
		page := public(t, "/cases/"+caseSlug)
		if !strings.Contains(page, pub.URL) || !strings.Contains(page, pub.SHA256) {
			t.Error("the case page should list the PDF with its SHA-256")
		}
		leaked(t, "the case page", page)
		resp, got := getFile(t, http.DefaultClient, w.b.URL+pub.URL)
		if resp.StatusCode != http.StatusOK || sha([]byte(got)) != pub.SHA256 {
			t.Errorf("the PDF downloaded: %d, SHA-256 %s, want %s", resp.StatusCode, sha([]byte(got)), pub.SHA256)
		}
		if resp, _ := getFile(t, http.DefaultClient, w.b.URL+secret.URL); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the photo downloaded by the public: %d, want 404", resp.StatusCode)
		}
		staff := browser(t)
		signIn(t, staff, w.b, "admin@example.org")
		if resp, got := getFile(t, staff, w.b.URL+secret.URL); resp.StatusCode != http.StatusOK || sha([]byte(got)) != secret.SHA256 {
			t.Errorf("staff download the photo: %d", resp.StatusCode)
		}
		for _, path := range []string{"/people/" + person, "/api/v1/cases/" + caseSlug, "/api/v1/people/" + person,
			"/changes", "/changes?order=recorded", "/api/v1/changes?order=recorded", "/changes.atom", "/people/" + person + ".atom",
			"/cases/" + caseSlug + ".atom", "/resolutions/2019-2610-rsp.atom",
			"/people/" + person + "/dossier", "/people/" + person + "/dossier.md", "/people/" + person + "/dossier.json",
			"/search?q=photograph", "/api/v1/search?q=photograph", "/search?q=cell", "/api/v1/search?q=cell"} {
			leaked(t, path, public(t, path))
		}
		dossier := public(t, "/people/"+person+"/dossier.json")
		if !strings.Contains(dossier, pub.SHA256) {
			t.Error("the public JSON dossier should list the PDF's SHA-256")
		}
		text, err := extract.Text("application/pdf", []byte(public(t, "/people/"+person+"/dossier.pdf")))
		if err != nil {
			t.Fatal(err)
		}
		leaked(t, "the PDF dossier", strings.ReplaceAll(text, "\n", ""))
		if !strings.Contains(text, "Appeal ruling") {
			t.Error("the PDF dossier should list the PDF")
		}
		zipped := public(t, "/dossiers.zip")
		zr, err := zip.NewReader(strings.NewReader(zipped), int64(len(zipped)))
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			b, _ := io.ReadAll(rc)
			rc.Close()
			if strings.HasSuffix(f.Name, ".pdf") {
				if s, err := extract.Text("application/pdf", b); err == nil {
					b = []byte(strings.ReplaceAll(s, "\n", ""))
				}
			}
			leaked(t, "dossiers.zip "+f.Name, string(b))
		}
	})

	t.Run("SearchFindsTheTextInsideThePDF", func(t *testing.T) {
		var ans struct {
			Groups []struct {
				Items []struct {
					Document *struct {
						ID int64 `json:"id"`
					} `json:"document"`
				} `json:"items"`
			} `json:"groups"`
		}
		getJSON(t, w.b, "/api/v1/search?q="+url.QueryEscape("ультрафиолетовый"), http.StatusOK, &ans)
		found := false
		for _, g := range ans.Groups {
			for _, r := range g.Items {
				found = found || (r.Document != nil && r.Document.ID == pub.ID)
			}
		}
		if !found {
			t.Errorf("searching a word inside the PDF: %+v, want the PDF", ans.Groups)
		}
		if page := public(t, "/search?q="+url.QueryEscape("ультрафиолетовый")); !strings.Contains(page, pub.URL) {
			t.Error("the search page should link the PDF found by its text")
		}
	})

	t.Run("TheEntryHeadsTheChangesAndThePersonsFeed", func(t *testing.T) {
		if page := public(t, "/changes?order=recorded&person="+person); !strings.Contains(page, `href="`+entryURL+`"`) {
			t.Error("/changes should list the new status entry")
		}
		rec := changes(t, w.b, "?order=recorded")
		if len(rec.Items) == 0 || rec.Items[0].key() != "status "+strconv.FormatInt(entry, 10) {
			t.Errorf("newest recorded change: %+v, want the new status entry", rec.Items[:1])
		}
		feed := fetchFeed(t, w.b.URL, "/people/"+person+".atom", "")
		if e := feed.entryLinking(publicURL + entryURL); e == nil {
			t.Errorf("the person's feed has no entry linking %s", entryURL)
		}
	})

	t.Run("TheWatcherHearsOnceAndNotAfterUnsubscribing", func(t *testing.T) {
		w.round(t)
		w.round(t)
		got := w.sink.mails("editor@example.org", tracker.MailChange)
		if len(got) != 1 {
			t.Fatalf("the watcher got %d emails for one new status, want 1", len(got))
		}
		link, _ := url.Parse(siteLink(t, got[0].Text, "/unsubscribe", w.b))
		if resp, body := post(t, browser(t), w.b.URL+"/unsubscribe", url.Values{"token": {link.Query().Get("token")}}); resp.StatusCode != http.StatusOK {
			t.Fatalf("unsubscribe: %d %s", resp.StatusCode, body)
		}
		c, err := w.db.Case(ctx, caseSlug)
		if err != nil {
			t.Fatal(err)
		}
		if code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/"+caseSlug+"/statuses", token, fmt.Sprintf(
			`{"version": %d, "status": "travel_ban", "effective_on": "2021-03", "source_url": "https://example.org/ban"}`, c.Case.Version)); code != http.StatusCreated {
			t.Fatalf("add status: %d %v", code, body)
		}
		w.round(t)
		w.round(t)
		if n := len(w.sink.mails("editor@example.org", tracker.MailChange)); n != 1 {
			t.Errorf("after unsubscribing, %d emails, want still 1", n)
		}
	})

	t.Run("BackupAndRestoreKeepTheFilesByteForByte", func(t *testing.T) {
		restored := restoredCopy(t, w.staffWorld, func(db *postgres.DB) blob.Store { return db.Blobs() })
		srv := httptest.NewServer(server.New(restored, quiet, server.Options{}))
		t.Cleanup(srv.Close)
		if resp, got := getFile(t, http.DefaultClient, srv.URL+pub.URL); resp.StatusCode != http.StatusOK || got != string(pdf) {
			t.Errorf("the restored site serves the PDF: %d, %d bytes, equal %v", resp.StatusCode, len(got), got == string(pdf))
		}
		if resp, _ := getFile(t, http.DefaultClient, srv.URL+secret.URL); resp.StatusCode != http.StatusNotFound {
			t.Errorf("the restored site serves the internal photo to the public: %d", resp.StatusCode)
		}
		staff := browser(t)
		signIn(t, staff, srv, "editor@example.org")
		if resp, got := getFile(t, staff, srv.URL+secret.URL); resp.StatusCode != http.StatusOK || got != string(photo) {
			t.Errorf("the restored site serves staff the photo: %d, equal %v", resp.StatusCode, got == string(photo))
		}
	})
}

// restoredCopy backs up w's database and restores it into a fresh one, each with the blob
// store storeOf gives for it (the database's own, or one S3 store for both).
func restoredCopy(t *testing.T, w *staffWorld, storeOf func(*postgres.DB) blob.Store) *postgres.DB {
	t.Helper()
	ctx := context.Background()
	version, _, err := postgres.MigrateVersion(w.url)
	if err != nil {
		t.Fatal(err)
	}
	var backup bytes.Buffer
	if _, err := w.db.Backup(ctx, &backup, version, storeOf(w.db)); err != nil {
		t.Fatal(err)
	}
	dst := postgrestest.NewDatabase(t)
	if err := postgres.MigrateUp(dst); err != nil {
		t.Fatal(err)
	}
	restored, err := postgres.Open(ctx, dst, postgres.Config{MaxConns: 4})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(restored.Close)
	if _, err := restored.Restore(ctx, &backup, version, storeOf(restored)); err != nil {
		t.Fatal(err)
	}
	return restored
}
