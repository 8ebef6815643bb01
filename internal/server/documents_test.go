package server_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/jackc/pgx/v5"
	"github.com/signintech/gopdf"

	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/postgres"
)

// testPDF is a PDF of lines in DejaVu Sans, as a real one carries Cyrillic: each glyph by
// its index, with a map back to Unicode.
func testPDF(t testing.TB, lines ...string) []byte {
	t.Helper()
	font, err := os.ReadFile("../dossier/fonts/DejaVuSans.ttf")
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontData("dejavu", font); err != nil {
		t.Fatal(err)
	}
	pdf.AddPage()
	if err := pdf.SetFont("dejavu", "", 12); err != nil {
		t.Fatal(err)
	}
	for i, l := range lines {
		pdf.SetXY(50, 50+float64(i)*20)
		if err := pdf.Cell(nil, l); err != nil {
			t.Fatal(err)
		}
	}
	var b bytes.Buffer
	if _, err := pdf.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

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
	if s, err := extract.Text(a.contentType, a.data); err == nil {
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
		data: testPDF(t, "Приговор Таразского городского суда", "Осуждён по статье 174: Желтоксанский процесс")})
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
	documents := func(a documentAnswer) []string {
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
