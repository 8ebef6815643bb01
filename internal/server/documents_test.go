package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/url"
	"path"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/extract/extracttest"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/server"
)

// testPDF is a one-page PDF of lines, with Cyrillic as real ones carry it.
func cyrillicPDF(t testing.TB, lines ...string) []byte { return extracttest.PDF(t, lines) }

// attachment is a file to attach in a test, as the upload stores it: the bytes in the
// PostgreSQL blob table, the row with their SHA-256 and the text extract.Text reads.
type attachment struct {
	owner       string // "person", "case", "status" or "demand_state"
	ownerID     int64
	title, name string
	contentType string
	visibility  string
	data        []byte
	obtained    string // "" when not known, else YYYY-MM-DD
	precision   string
	sourceURL   string
	pending     bool // stored as an upload leaves it, its text still to be read
}

// testConn is a connection to the test database, closed when the test ends.
func testConn(t testing.TB, dbURL string) (context.Context, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dbURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(ctx) })
	return ctx, conn
}

// attach stores a and returns its id.
func attach(t testing.TB, dbURL string, a attachment) int64 {
	t.Helper()
	ctx, conn := testConn(t, dbURL)
	sum := sha256.Sum256(a.data)
	key := hex.EncodeToString(sum[:])
	state, text := "done", ""
	if s, err := extract.Text(a.contentType, a.data); a.pending {
		state = "pending"
	} else if err == nil {
		text = s
	} else {
		state = "none"
	}
	if a.precision == "" {
		a.precision = "day"
	}
	var obtained *string
	if a.obtained != "" {
		obtained = &a.obtained
	}
	col := map[string]string{"person": "person_id", "case": "case_id", "status": "status_entry_id", "demand_state": "demand_state_entry_id"}[a.owner]
	if _, err := conn.Exec(ctx, `INSERT INTO attachment_blobs (key, data) VALUES ($1, $2) ON CONFLICT DO NOTHING`, key, a.data); err != nil {
		t.Fatal(err)
	}
	var id int64
	err := conn.QueryRow(ctx, `INSERT INTO attachments (`+col+`, title, filename, content_type, size, sha256, visibility, source_url,
		obtained_on, obtained_precision, blob_key, text_state, text_content)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9::date, $10, $6, $11, $12) RETURNING id`,
		a.ownerID, a.title, a.name, a.contentType, len(a.data), key, a.visibility, a.sourceURL, obtained, a.precision, state, text).Scan(&id)
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// sqlExec runs statements on the test database.
func sqlExec(t testing.TB, dbURL, sql string, args ...any) {
	t.Helper()
	ctx, conn := testConn(t, dbURL)
	if _, err := conn.Exec(ctx, sql, args...); err != nil {
		t.Fatal(err)
	}
}

// sqlID reads one id from the test database.
func sqlID(t testing.TB, dbURL, sql string, args ...any) int64 {
	t.Helper()
	ctx, conn := testConn(t, dbURL)
	var id int64
	if err := conn.QueryRow(ctx, sql, args...).Scan(&id); err != nil {
		t.Fatal(err)
	}
	return id
}

// documentAnswer is what a search answer says of its document hits.
type documentAnswer struct {
	Groups []struct {
		Type  string
		Items []struct {
			Type, Slug, Name, URL, Snippet string
			Document                       *struct {
				ID       int64
				Filename string
				Internal bool
				Record   struct{ Type, Slug, Name, URL string }
			}
		}
	}
}

func TestDocumentSearch(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	const token = "test-token-documents-0123456789abcdefghij"
	if err := w.db.CreateAPIToken(context.Background(), postgres.Actor{Name: "test"}, "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	caseSlug := "erlan-baltabay-case"
	entry := sqlID(t, w.url, `SELECT se.id FROM status_entries se JOIN cases k ON k.id = se.case_id WHERE k.slug = $1 ORDER BY se.id LIMIT 1`, caseSlug)
	person := sqlID(t, w.url, `SELECT id FROM people WHERE slug = 'max-bokayev'`)
	verdict := attach(t, w.url, attachment{owner: "status", ownerID: entry, title: "Приговор суда", name: "приговор 2019.pdf",
		contentType: "application/pdf", visibility: "public",
		data: cyrillicPDF(t, "Приговор Таразского городского суда", "Осуждён по статье 174: Желтоксанский процесс")})
	letter := attach(t, w.url, attachment{owner: "person", ownerID: person, title: "Letter from prison", name: "letter.txt",
		contentType: "text/plain; charset=utf-8", visibility: "internal", data: []byte("Written in the colony: the guards beat him, says Qupiyasoz.")})

	anonymous := func(q string) documentAnswer {
		t.Helper()
		var a documentAnswer
		getJSON(t, w.a, "/api/v1/search?q="+url.QueryEscape(q), 200, &a)
		return a
	}
	staff := func(q string) documentAnswer {
		t.Helper()
		resp, body := apiRaw(t, "GET", w.a.URL+"/api/v1/search?q="+url.QueryEscape(q), token, "")
		if resp.StatusCode != 200 {
			t.Fatalf("staff search %q: %d %s", q, resp.StatusCode, body)
		}
		var a documentAnswer
		if err := json.Unmarshal([]byte(body), &a); err != nil {
			t.Fatal(err)
		}
		return a
	}
	documents := documentsOf
	verdictURL := "/attachments/" + itoa(verdict) + "/" + url.PathEscape("приговор 2019.pdf")
	letterURL := "/attachments/" + itoa(letter) + "/letter.txt"

	t.Run("EveryoneFindsAWordOfAPublicPDF", func(t *testing.T) {
		a := anonymous("Желтоксанский")
		if got := documents(a); len(got) != 1 || got[0] != verdictURL {
			t.Fatalf("documents %v, want %s", got, verdictURL)
		}
		for _, g := range a.Groups {
			if g.Type != "document" {
				continue
			}
			it := g.Items[0]
			if it.Name != "Приговор суда" || it.Document == nil || it.Document.Filename != "приговор 2019.pdf" || it.Document.Internal ||
				it.Document.Record.Type != "case" || it.Document.Record.URL != "/cases/"+caseSlug || !strings.Contains(it.Snippet, "«Желтоксанский»") {
				t.Errorf("hit %+v %+v", it, it.Document)
			}
		}
		doc := getDoc(t, w.a, "/search?q="+url.QueryEscape("желтоксанский"), 200)
		sec := doc.Find(`[data-testid="hits-document"]`)
		if href, _ := sec.Find(`a[data-testid="hit"]`).Attr("href"); href != verdictURL {
			t.Errorf("the page's document hit leads to %q, want %s", href, verdictURL)
		}
		if href, _ := sec.Find(`[data-testid="hit-owner"]`).Attr("href"); href != "/cases/"+caseSlug {
			t.Errorf("the hit's record is %q", href)
		}
		if sec.Find("h2").Text() != "Documents" || sec.Find("mark").First().Text() != "Желтоксанский" {
			t.Errorf("group %q, marked %q", sec.Find("h2").Text(), sec.Find("mark").Text())
		}
		ru := getDoc(t, w.a, "/search?lang=ru&q="+url.QueryEscape("желтоксанский"), 200)
		if got := ru.Find(`[data-testid="hits-document"] h2`).Text(); got != "Документы" {
			t.Errorf("Russian group title %q", got)
		}
	})

	t.Run("AnInternalFileIsFoundByStaffOnly", func(t *testing.T) {
		if got := documents(anonymous("Qupiyasoz")); len(got) != 0 {
			t.Errorf("the public found the internal letter: %v", got)
		}
		doc := getDoc(t, w.a, "/search?q=Qupiyasoz", 200)
		if doc.Find(`[data-testid="hits-document"]`).Length() != 0 || strings.Contains(doc.Text(), "letter.txt") {
			t.Error("the public search page shows the internal letter")
		}
		a := staff("qupiyasoz")
		if got := documents(a); len(got) != 1 || got[0] != letterURL {
			t.Fatalf("staff found %v, want %s", got, letterURL)
		}
		for _, g := range a.Groups {
			if g.Type == "document" && (!g.Items[0].Document.Internal || g.Items[0].Document.Record.URL != "/people/max-bokayev") {
				t.Errorf("staff hit %+v", g.Items[0].Document)
			}
		}
		c := browser(t)
		signIn(t, c, w.a, "editor@example.org")
		_, body := fetchWith(t, c, w.a.URL+"/search?q=Qupiyasoz")
		page, _ := goquery.NewDocumentFromReader(strings.NewReader(body))
		if href, _ := page.Find(`[data-testid="hits-document"] a[data-testid="hit"]`).Attr("href"); href != letterURL {
			t.Errorf("staff's search page leads to %q", href)
		}
		if !strings.Contains(page.Find(`[data-testid="hits-document"]`).Text(), "in an internal file's text") {
			t.Error("staff's hit does not say the file is internal")
		}
		// After staff's search, the same address is still the public's answer (the cache).
		if documents(anonymous("Qupiyasoz")) != nil || getDoc(t, w.a, "/search?q=Qupiyasoz", 200).Find(`[data-testid="hits-document"]`).Length() != 0 {
			t.Error("staff's answer was served to the public")
		}
	})

	t.Run("NotFoundOnceTheRecordIsRetired", func(t *testing.T) {
		sqlExec(t, w.url, `UPDATE cases SET retired_at = now(), retired_by = 'test' WHERE slug = $1`, caseSlug)
		if got := documents(anonymous("Желтоксанский")); len(got) != 0 {
			t.Errorf("the public found a file of a retired case: %v", got)
		}
		if got := documents(staff("Желтоксанский")); len(got) != 1 {
			t.Errorf("staff lost the file of a retired case: %v", got)
		}
		sqlExec(t, w.url, `UPDATE cases SET retired_at = NULL, retired_by = NULL WHERE slug = $1`, caseSlug)
		if got := documents(anonymous("Желтоксанский")); len(got) != 1 {
			t.Errorf("restored, the file is not found: %v", got)
		}
		sqlExec(t, w.url, `UPDATE attachments SET retired_at = now(), retired_by = 'test'`)
		if got := documents(staff("Желтоксанский")); len(got) != 0 {
			t.Errorf("staff found a removed file: %v", got)
		}
		if got := documents(staff("Qupiyasoz")); len(got) != 0 {
			t.Errorf("staff found a removed file: %v", got)
		}
	})
}

func TestDossierDocumentsRoutes(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	const person = "max-bokayev"
	personID := sqlID(t, w.url, `SELECT id FROM people WHERE slug = $1`, person)
	entry := sqlID(t, w.url, `SELECT se.id FROM status_entries se JOIN case_people j ON j.case_id = se.case_id
		JOIN people p ON p.id = j.person_id WHERE p.slug = $1 ORDER BY se.id LIMIT 1`, person)
	demandState := sqlID(t, w.url, `SELECT COALESCE((SELECT ds.id FROM demand_state_entries ds JOIN demand_targets t ON t.demand_id = ds.demand_id
		JOIN people p ON p.id = t.person_id WHERE p.slug = $1 ORDER BY ds.id LIMIT 1), 0)`, person)
	verdict := cyrillicPDF(t, "Приговор суда", "Сот үкімі")
	attach(t, w.url, attachment{owner: "status", ownerID: entry, title: "Verdict, first instance", name: "verdict.pdf", contentType: "application/pdf",
		visibility: "public", data: verdict, obtained: "2019-05-01", precision: "month", sourceURL: "https://example.org/verdict"})
	photo := []byte("\x89PNG\r\n\x1a\n a photo of the cell")
	attach(t, w.url, attachment{owner: "person", ownerID: personID, title: "Photo of the cell", name: "cell.png", contentType: "image/png",
		visibility: "internal", data: photo})
	removed := []byte("a file staff removed")
	id := attach(t, w.url, attachment{owner: "person", ownerID: personID, title: "Removed file", name: "removed.txt", contentType: "text/plain",
		visibility: "public", data: removed})
	sqlExec(t, w.url, `UPDATE attachments SET retired_at = now(), retired_by = 'test' WHERE id = $1`, id)
	var appeal []byte
	if demandState != 0 {
		appeal = []byte("Appeal to the UN Working Group")
		attach(t, w.url, attachment{owner: "demand_state", ownerID: demandState, title: "Appeal to the WGAD", name: "appeal.txt",
			contentType: "text/plain; charset=utf-8", visibility: "public", data: appeal})
	} else {
		t.Log("the seed has no demand state about " + person + ": a demand state's file is not tried")
	}
	hash := func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }
	public := []string{"Verdict, first instance", hash(verdict), "/attachments/", "https://example.org/verdict"}
	if appeal != nil {
		public = append(public, "Appeal to the WGAD", hash(appeal))
	}
	internal := []string{"Photo of the cell", hash(photo)}
	never := []string{"Removed file", hash(removed)}

	// text reads a dossier's words, a PDF's by this package's own extraction.
	text := func(ext, body string) string {
		if ext != ".pdf" {
			return body
		}
		s, err := extract.Text("application/pdf", []byte(body))
		if err != nil {
			t.Fatalf("the dossier PDF: %v", err)
		}
		return strings.Join(strings.Fields(s), "")
	}
	has := func(body, want string, pdf bool) bool {
		if pdf {
			want = strings.Join(strings.Fields(want), "")
		}
		return strings.Contains(body, want)
	}
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	for _, ext := range []string{"", ".json", ".md", ".pdf"} {
		_, pub := fetchWith(t, browser(t), w.a.URL+"/people/"+person+"/dossier"+ext)
		_, in := fetchWith(t, editor, w.a.URL+"/people/"+person+"/dossier"+ext+"?profile=internal")
		pub, in = text(ext, pub), text(ext, in)
		for _, want := range public {
			if !has(pub, want, ext == ".pdf") || !has(in, want, ext == ".pdf") {
				t.Errorf("dossier%s lacks %q", ext, want)
			}
		}
		for _, want := range internal {
			if has(pub, want, ext == ".pdf") {
				t.Errorf("the public dossier%s has the internal %q", ext, want)
			}
			if !has(in, want, ext == ".pdf") {
				t.Errorf("the internal dossier%s lacks %q", ext, want)
			}
		}
		for _, not := range never {
			if has(pub, not, ext == ".pdf") || has(in, not, ext == ".pdf") {
				t.Errorf("dossier%s lists a removed file: %q", ext, not)
			}
		}
	}

	t.Run("ObtainedInWordsAndNull", func(t *testing.T) {
		var d struct {
			Documents []struct {
				Title, Obtained, URL, SHA256 string
				ObtainedOn                   *string `json:"obtained_on"`
				Size                         int64
				Internal                     bool
			}
		}
		_, body := fetchWith(t, editor, w.a.URL+"/people/"+person+"/dossier.json?profile=internal&lang=ru")
		if err := json.Unmarshal([]byte(body), &d); err != nil {
			t.Fatal(err)
		}
		for _, x := range d.Documents {
			switch x.Title {
			case "Verdict, first instance":
				if x.ObtainedOn == nil || *x.ObtainedOn != "2019-05" || x.Obtained != "май 2019 г." || x.Size != int64(len(verdict)) || x.Internal ||
					!strings.HasSuffix(x.URL, "/verdict.pdf") || x.SHA256 != hash(verdict) {
					t.Errorf("verdict %+v", x)
				}
			case "Photo of the cell":
				if x.ObtainedOn != nil || x.Obtained != "неизвестно" || !x.Internal {
					t.Errorf("photo %+v", x)
				}
			}
		}
	})

	t.Run("TheZipListsPublicFilesOnly", func(t *testing.T) {
		resp, body := fetchWith(t, browser(t), w.a.URL+"/dossiers.zip")
		if resp.StatusCode != 200 {
			t.Fatalf("zip: %d", resp.StatusCode)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		seen := 0
		for _, f := range zr.File {
			if !strings.HasPrefix(f.Name, person+".") {
				continue
			}
			seen++
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			s := text(path.Ext(f.Name), string(b))
			for _, want := range public {
				if !has(s, want, path.Ext(f.Name) == ".pdf") {
					t.Errorf("%s lacks %q", f.Name, want)
				}
			}
			for _, not := range append(internal, never...) {
				if has(s, not, path.Ext(f.Name) == ".pdf") {
					t.Errorf("%s has %q", f.Name, not)
				}
			}
		}
		if seen != 2 {
			t.Errorf("%d files of %s in the zip", seen, person)
		}
	})
}

// Files an upload leaves pending are read by ExtractTexts from the blob store: a PDF's
// words are then found, a photo has no text, a broken PDF fails (and nothing stops).
func TestExtractTexts(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	person := sqlID(t, w.url, `SELECT id FROM people WHERE slug = 'max-bokayev'`)
	good := cyrillicPDF(t, "Апелляционная жалоба отклонена", "Шағым қанағаттандырылмады")
	ids := map[string]int64{}
	for name, a := range map[string]attachment{
		"pdf":    {contentType: "application/pdf", data: good},
		"photo":  {contentType: "image/png", data: []byte("\x89PNG\r\n\x1a\n")},
		"broken": {contentType: "application/pdf", data: good[:len(good)/3]},
	} {
		a.owner, a.ownerID, a.title, a.name, a.visibility, a.pending = "person", person, name, name, "public", true
		ids[name] = attach(t, w.url, a)
	}
	if got := documentURLs(t, w, "қанағаттандырылмады"); len(got) != 0 {
		t.Fatalf("a pending file was found: %v", got)
	}
	quiet := slog.New(slog.NewTextHandler(io.Discard, nil))
	n, err := server.ExtractTexts(context.Background(), w.db, nil, quiet)
	if err != nil || n != 3 {
		t.Fatalf("read %d files, %v", n, err)
	}
	for name, want := range map[string]string{"pdf": "done", "photo": "none", "broken": "failed"} {
		if got := sqlText(t, w.url, `SELECT text_state FROM attachments WHERE id = $1`, ids[name]); got != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	if got := documentURLs(t, w, "қанағаттандырылмады"); len(got) != 1 || !strings.HasPrefix(got[0], "/attachments/"+itoa(ids["pdf"])+"/") {
		t.Errorf("the extracted PDF is not found: %v", got)
	}
	if n, _ := server.ExtractTexts(context.Background(), w.db, nil, quiet); n != 0 {
		t.Errorf("read %d files again", n)
	}
}

// documentURLs are the files an anonymous search for q finds.
func documentURLs(t *testing.T, w *staffWorld, q string) []string {
	t.Helper()
	var a documentAnswer
	getJSON(t, w.a, "/api/v1/search?q="+url.QueryEscape(q), 200, &a)
	return documentsOf(a)
}

// documentsOf are the addresses of the files a search answer found.
func documentsOf(a documentAnswer) []string {
	var out []string
	for _, g := range a.Groups {
		for _, it := range g.Items {
			if g.Type == "document" {
				out = append(out, it.URL)
			}
		}
	}
	return out
}

// sqlText reads one text from the test database.
func sqlText(t testing.TB, dbURL, sql string, args ...any) string {
	t.Helper()
	ctx, conn := testConn(t, dbURL)
	var s string
	if err := conn.QueryRow(ctx, sql, args...).Scan(&s); err != nil {
		t.Fatal(err)
	}
	return s
}
