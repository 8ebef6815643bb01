package server_test

import (
	"archive/zip"
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
)

// Files the tests attach, each what its bytes say it is.
var (
	testPDF  = []byte("%PDF-1.4\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\n%%EOF\n")
	testHTML = []byte("<!DOCTYPE html><html><head><title>x</title></head><body><script>alert(document.cookie)</script></body></html>\n")
)

func testPNG(t *testing.T) []byte {
	var b bytes.Buffer
	if err := png.Encode(&b, image.NewGray(image.Rect(0, 0, 3, 2))); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// testDOCX is the smallest zip an office suite takes for a Word document.
func testDOCX(t *testing.T) []byte {
	var b bytes.Buffer
	z := zip.NewWriter(&b)
	for name, body := range map[string]string{
		"[Content_Types].xml": `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>`,
		"word/document.xml":   `<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>Appeal</w:t></w:r></w:p></w:body></w:document>`,
	} {
		f, err := z.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate})
		if err != nil {
			t.Fatal(err)
		}
		f.Write([]byte(body))
	}
	if err := z.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func sha(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }

// uploadBody is a multipart form with fields (in order) and then, when name is not "", the
// file, sent with a Content-Type that claims text, whatever it holds.
func uploadBody(fields [][2]string, name string, data []byte) (string, *bytes.Buffer) {
	var b bytes.Buffer
	m := multipart.NewWriter(&b)
	for _, f := range fields {
		m.WriteField(f[0], f[1])
	}
	if name != "" {
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="`+name+`"`)
		h.Set("Content-Type", "text/plain")
		p, _ := m.CreatePart(h)
		p.Write(data)
	}
	m.Close()
	return m.FormDataContentType(), &b
}

// upload posts a multipart form with c (a signed-in browser, or any client with a token).
func upload(t *testing.T, c *http.Client, u, token string, fields [][2]string, name string, data []byte) (*http.Response, string) {
	t.Helper()
	ct, body := uploadBody(fields, name, data)
	req, _ := http.NewRequest(http.MethodPost, u, body)
	req.Header.Set("Content-Type", ct)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := c.Do(req)
	return answer(t, resp, err)
}

// getFile fetches u with c, with extra headers as name, value pairs.
func getFile(t *testing.T, c *http.Client, u string, header ...string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	resp, err := c.Do(req)
	return answer(t, resp, err)
}

type apiFile struct {
	ID               int64   `json:"id"`
	URL              string  `json:"url"`
	Title            string  `json:"title"`
	Filename         string  `json:"filename"`
	ContentType      string  `json:"content_type"`
	Size             int64   `json:"size"`
	SHA256           string  `json:"sha256"`
	Visibility       string  `json:"visibility"`
	ObtainedOn       *string `json:"obtained_on"`
	SourceURL        *string `json:"source_url"`
	StatusEntry      *int64  `json:"status_entry"`
	DemandStateEntry *int64  `json:"demand_state_entry"`
}

// TestAttachmentsThroughTheAPI: an editor's token attaches a public PDF (named .txt, sent
// as text) and an internal photo to a status entry. The public downloads the PDF, typed
// from its bytes, byte for byte, with its SHA-256 as ETag, nosniff, a sandbox and ranges;
// the photo answers 404 to the public in the download, the API and the page, and staff get
// it. HTML passed off as a PDF is refused and leaves no row; no token is 401. A retired
// case hides its files from the public until it is restored.
func TestAttachmentsThroughTheAPI(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "attach-token-0123456789abcdefghijklmnopqrstuv"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "files", token); err != nil {
		t.Fatal(err)
	}
	c, err := w.db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	entry := c.Case.Statuses[0].ID
	base := w.a.URL
	entryURL := base + "/api/v1/statuses/" + strconv.FormatInt(entry, 10) + "/attachments"
	anon := http.DefaultClient

	resp, body := upload(t, anon, entryURL, token, [][2]string{{"title", "Verdict"}, {"visibility", "public"},
		{"source_url", "https://example.org/verdict"}, {"obtained_on", "2019-05"}}, "verdict.txt", testPDF)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("upload the PDF: %d %s", resp.StatusCode, body)
	}
	var pdf apiFile
	if err := json.Unmarshal([]byte(body), &pdf); err != nil {
		t.Fatal(err)
	}
	if pdf.ContentType != "application/pdf" || pdf.SHA256 != sha(testPDF) || pdf.Size != int64(len(testPDF)) || pdf.Visibility != "public" ||
		pdf.ObtainedOn == nil || *pdf.ObtainedOn != "2019-05" || pdf.StatusEntry == nil || *pdf.StatusEntry != entry || pdf.Filename != "verdict.txt" {
		t.Errorf("the PDF was kept as %s", body)
	}
	if loc := resp.Header.Get("Location"); loc != pdf.URL || !strings.HasPrefix(pdf.URL, "/attachments/") {
		t.Errorf("Location %q, url %q", loc, pdf.URL)
	}
	photo := testPNG(t)
	resp, body = upload(t, anon, entryURL, token, [][2]string{{"visibility", "internal"}}, "cell.png", photo)
	var internal apiFile
	if resp.StatusCode != http.StatusCreated || json.Unmarshal([]byte(body), &internal) != nil || internal.ContentType != "image/png" || internal.Title != "cell.png" {
		t.Fatalf("upload the photo: %d %s", resp.StatusCode, body)
	}

	t.Run("PublicDownloadsThePDF", func(t *testing.T) {
		resp, got := getFile(t, anon, base+pdf.URL)
		h := resp.Header
		if resp.StatusCode != 200 || got != string(testPDF) || sha([]byte(got)) != pdf.SHA256 {
			t.Fatalf("download: %d, %d bytes", resp.StatusCode, len(got))
		}
		for name, want := range map[string]string{"Content-Type": "application/pdf", "X-Content-Type-Options": "nosniff",
			"ETag": `"` + pdf.SHA256 + `"`, "Content-Disposition": `inline; filename="verdict.txt"; filename*=UTF-8''verdict.txt`} {
			if h.Get(name) != want {
				t.Errorf("%s: %q, want %q", name, h.Get(name), want)
			}
		}
		if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "sandbox") || !strings.Contains(csp, "default-src 'none'") {
			t.Errorf("Content-Security-Policy %q", csp)
		}
		resp, part := getFile(t, anon, base+pdf.URL, "Range", "bytes=0-4")
		if resp.StatusCode != http.StatusPartialContent || part != "%PDF-" {
			t.Errorf("range: %d %q", resp.StatusCode, part)
		}
		if resp, _ := getFile(t, anon, base+pdf.URL, "If-None-Match", `"`+pdf.SHA256+`"`); resp.StatusCode != http.StatusNotModified {
			t.Errorf("If-None-Match: %d, want 304", resp.StatusCode)
		}
	})

	t.Run("InternalIsNotThereForThePublic", func(t *testing.T) {
		if resp, _ := getFile(t, anon, base+internal.URL); resp.StatusCode != http.StatusNotFound {
			t.Errorf("public download of the internal photo: %d, want 404", resp.StatusCode)
		}
		resp, got := getFile(t, anon, base+internal.URL, "Authorization", "Bearer "+token)
		if resp.StatusCode != 200 || got != string(photo) || resp.Header.Get("Cache-Control") != "private, no-store" {
			t.Errorf("staff download of the photo: %d, %d bytes, Cache-Control %q", resp.StatusCode, len(got), resp.Header.Get("Cache-Control"))
		}
		_, raw := apiRaw(t, http.MethodGet, base+"/api/v1/cases/max-bokayev-case", "", "")
		if !strings.Contains(raw, pdf.SHA256) || strings.Contains(raw, internal.SHA256) || strings.Contains(raw, "cell.png") {
			t.Errorf("the public case answer lists the wrong files: %s", raw)
		}
		_, raw = apiRaw(t, http.MethodGet, base+"/api/v1/cases/max-bokayev-case", token, "")
		if !strings.Contains(raw, internal.SHA256) {
			t.Error("the staff case answer lacks the internal photo")
		}
		for _, srv := range []string{w.a.URL, w.b.URL} {
			_, page := getFile(t, anon, srv+"/cases/max-bokayev-case")
			if !strings.Contains(page, pdf.SHA256) || strings.Contains(page, internal.SHA256) || strings.Contains(page, "cell.png") {
				t.Errorf("the public case page lists the wrong files")
			}
		}
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		_, page := fetchWith(t, editor, base+"/cases/max-bokayev-case")
		d := doc(t, page)
		if !strings.Contains(page, internal.SHA256) || d.Find(`#status-`+strconv.FormatInt(entry, 10)+` [data-testid="file-internal"]`).Length() != 1 {
			t.Error("staff do not see the internal photo, marked internal, under its entry")
		}
		if got := d.Find(`#attachment-` + strconv.FormatInt(pdf.ID, 10) + ` [data-testid="obtained"]`).Text(); !strings.Contains(got, "May 2019") {
			t.Errorf("date obtained shown as %q", got)
		}
	})

	t.Run("TypeFromTheBytes", func(t *testing.T) {
		before := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachments`)
		code, out := apiUpload(t, entryURL, token, "verdict.pdf", testHTML)
		if code != http.StatusUnprocessableEntity || !strings.Contains(out, "cannot be attached") {
			t.Errorf("HTML named .pdf: %d %s", code, out)
		}
		if code, out := apiUpload(t, entryURL, token, "drawing.svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`)); code != http.StatusUnprocessableEntity {
			t.Errorf("SVG: %d %s", code, out)
		}
		var zipped bytes.Buffer
		z := zip.NewWriter(&zipped)
		f, _ := z.Create("tool.exe")
		f.Write([]byte("MZ this is not a document"))
		z.Close()
		if code, out := apiUpload(t, entryURL, token, "appeal.docx", zipped.Bytes()); code != http.StatusUnprocessableEntity {
			t.Errorf("a zip named .docx: %d %s", code, out)
		}
		if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachments`); n != before {
			t.Errorf("refused uploads left %d rows", n-before)
		}
		code, out = apiUpload(t, base+"/api/v1/cases/max-bokayev-case/attachments", token, "appeal.docx", testDOCX(t))
		var docx apiFile
		if code != http.StatusCreated || json.Unmarshal([]byte(out), &docx) != nil || docx.ContentType != "application/vnd.openxmlformats-officedocument.wordprocessingml.document" {
			t.Fatalf("a Word document: %d %s", code, out)
		}
		if resp, _ := getFile(t, anon, base+docx.URL); !strings.HasPrefix(resp.Header.Get("Content-Disposition"), "attachment;") {
			t.Errorf("a Word document is served %q, want as a download", resp.Header.Get("Content-Disposition"))
		}
		if code, out := apiUpload(t, base+"/api/v1/people/max-bokayev/attachments", token, "../../etc/notes\u202e.txt", []byte("Plain notes.\n")); code != http.StatusCreated ||
			!strings.Contains(out, `"filename":"notes.txt"`) || !strings.Contains(out, `"content_type":"text/plain; charset=utf-8"`) {
			t.Errorf("plain text with a path in its name: %d %s", code, out)
		}
	})

	t.Run("OnlyStaffUpload", func(t *testing.T) {
		resp, body := upload(t, anon, entryURL, "", [][2]string{{"visibility", "public"}}, "verdict.pdf", testPDF)
		if resp.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "error") {
			t.Errorf("anonymous API upload: %d %s", resp.StatusCode, body)
		}
		if resp, _ := upload(t, anon, base+"/cases/max-bokayev-case/attachments", "", [][2]string{{"visibility", "public"}}, "verdict.pdf", testPDF); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous form upload: %d", resp.StatusCode)
		}
		if resp, _ := apiRaw(t, http.MethodDelete, base+"/api/v1/attachments/"+strconv.FormatInt(pdf.ID, 10), "", ""); resp.StatusCode != http.StatusUnauthorized {
			t.Errorf("anonymous removal: %d", resp.StatusCode)
		}
	})

	t.Run("Audited", func(t *testing.T) {
		entries, err := w.db.Activity(ctx, "case", "max-bokayev-case", 20)
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		for _, e := range entries {
			if e.Action == "attach file" && e.Actor == "editor@example.org" {
				n++
			}
		}
		if n < 2 {
			t.Errorf("%d audit entries of attached files on the case, want 2 or more", n)
		}
	})
}

// apiUpload posts one public file through the API and returns the status and body.
func apiUpload(t *testing.T, u, token, name string, data []byte) (int, string) {
	t.Helper()
	resp, body := upload(t, http.DefaultClient, u, token, [][2]string{{"visibility", "public"}}, name, data)
	return resp.StatusCode, body
}

// TestAttachmentsOfRetiredRecords: a retired case's files answer 410 to the public (and
// leave its answer, which is 410 itself), staff still get them, and they come back with
// the case; a removed file is gone for everyone.
func TestAttachmentsOfRetiredRecords(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	base := w.a.URL
	resp, body := upload(t, editor, base+"/cases/max-bokayev-case/attachments", "", [][2]string{{"title", "Appeal"}, {"visibility", "public"}}, "appeal.pdf", testPDF)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach by form: %d %s", resp.StatusCode, body)
	}
	if n := noticeAfter(t, editor, base, resp); n != "File attached: Appeal." {
		t.Errorf("notice %q", n)
	}
	list, err := w.db.Attachments(context.Background(), postgres.AttachmentsOf{Case: "max-bokayev-case", Staff: true})
	if err != nil || len(list) != 1 {
		t.Fatalf("files %+v %v", list, err)
	}
	file := base + list[0].URL()
	if resp, _ := getFile(t, http.DefaultClient, file); resp.StatusCode != 200 {
		t.Fatalf("public download: %d", resp.StatusCode)
	}
	if resp, _ := post(t, editor, base+"/cases/max-bokayev-case/retire", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("retire: %d", resp.StatusCode)
	}
	if resp, _ := getFile(t, http.DefaultClient, file); resp.StatusCode != http.StatusGone {
		t.Errorf("public download of a retired case's file: %d, want 410", resp.StatusCode)
	}
	if resp, _ := fetchWith(t, editor, file); resp.StatusCode != 200 {
		t.Errorf("staff download of a retired case's file: %d", resp.StatusCode)
	}
	if resp, _ := post(t, admin, base+"/cases/max-bokayev-case/restore", nil); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("restore: %d", resp.StatusCode)
	}
	if resp, got := getFile(t, http.DefaultClient, file); resp.StatusCode != 200 || got != string(testPDF) {
		t.Errorf("public download after the restore: %d", resp.StatusCode)
	}
	resp, _ = post(t, editor, base+"/attachments/"+strconv.FormatInt(list[0].ID, 10)+"/remove", nil)
	if n := noticeAfter(t, editor, base, resp); n != "File removed: Appeal." {
		t.Errorf("removal notice %q", n)
	}
	for _, c := range []*http.Client{http.DefaultClient, editor} {
		if resp, _ := getFile(t, c, file); resp.StatusCode != http.StatusGone {
			t.Errorf("download of a removed file: %d, want 410", resp.StatusCode)
		}
	}
	if _, page := fetchWith(t, editor, base+"/cases/max-bokayev-case"); strings.Contains(page, list[0].SHA256) {
		t.Error("a removed file is still listed")
	}
}

// TestAttachmentFormsKeepInput: every page with files has a form per record and entry; a
// file over the limit is refused with 413 beside the file field and the rest of the input
// kept, as is a file of a refused type (422); a good one lands under its entry.
func TestAttachmentFormsKeepInput(t *testing.T) {
	t.Parallel()
	w := newStaffWorldWith(t, server.Options{MaxUploadBytes: 1000})
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	base := w.a.URL
	c, err := w.db.Case(context.Background(), "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	entry := strconv.FormatInt(c.Case.Statuses[0].ID, 10)
	_, page := fetchWith(t, editor, base+"/cases/max-bokayev-case")
	d := doc(t, page)
	for _, action := range []string{"/cases/max-bokayev-case/attachments", "/cases/max-bokayev-case/statuses/" + entry + "/attachments"} {
		if d.Find(`form[enctype="multipart/form-data"][action="`+action+`"] input[type="file"][name="file"]`).Length() != 1 {
			t.Errorf("the case page has no upload form posting to %s", action)
		}
	}
	fields := [][2]string{{"title", "Letter from the colony"}, {"visibility", "internal"}, {"source_url", "https://example.org/letter"}, {"obtained_on", "2020-03-04"}}
	resp, body := upload(t, editor, base+"/cases/max-bokayev-case/statuses/"+entry+"/attachments", "", fields, "letter.pdf", bytes.Repeat([]byte("%PDF-1.4 "), 200))
	if resp.StatusCode != http.StatusRequestEntityTooLarge {
		t.Fatalf("too large: %d", resp.StatusCode)
	}
	d = doc(t, body)
	form := d.Find(`form[action="/cases/max-bokayev-case/statuses/` + entry + `/attachments"]`)
	if msg := form.Find(`[data-testid="attach-error-file"]`).Text(); !strings.Contains(msg, "larger than the 1000 bytes") {
		t.Errorf("the file field says %q", msg)
	}
	for _, f := range fields[:1] {
		if v, _ := form.Find(`input[name="` + f[0] + `"]`).Attr("value"); v != f[1] {
			t.Errorf("%s kept as %q, want %q", f[0], v, f[1])
		}
	}
	if _, ok := form.Find(`input[name="visibility"][value="internal"]`).Attr("checked"); !ok {
		t.Error("the visibility chosen was not kept")
	}
	if v, _ := form.Find(`input[name="obtained_on"]`).Attr("value"); v != "2020-03-04" {
		t.Errorf("date obtained kept as %q", v)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachments`); n != 0 {
		t.Errorf("%d rows after a refused upload", n)
	}

	resp, body = upload(t, editor, base+"/people/max-bokayev/attachments", "", [][2]string{{"title", "Page"}, {"visibility", "public"}, {"obtained_on", "2031"}}, "page.html", testHTML)
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("HTML on the person page: %d", resp.StatusCode)
	}
	checkErrorSummary(t, "refused upload", body, "attach-person-obtained_on", "attach-person-file")

	resp, _ = upload(t, editor, base+"/cases/max-bokayev-case/statuses/"+entry+"/attachments", "", fields, "letter.pdf", testPDF)
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/cases/max-bokayev-case#status-"+entry {
		t.Fatalf("good upload: %d to %q", resp.StatusCode, resp.Header.Get("Location"))
	}
	_, page = fetchWith(t, editor, base+"/cases/max-bokayev-case")
	li := doc(t, page).Find(`#status-` + entry + ` [data-testid="file"]`)
	if li.Length() != 1 || li.Find(`code[data-testid="sha256"]`).Text() != sha(testPDF) || !strings.Contains(li.Text(), "4 March 2020") {
		t.Errorf("the entry lists %q", li.Text())
	}

	d2, err := w.db.Demand(context.Background(), "2019-2610-rsp-para-1-1")
	if err != nil {
		t.Fatal(err)
	}
	state := strconv.FormatInt(d2.History[0].ID, 10)
	resp, _ = upload(t, editor, base+"/demands/2019-2610-rsp-para-1-1/states/"+state+"/attachments", "", [][2]string{{"visibility", "public"}}, "opinion.pdf", testPDF)
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("attach to a demand state: %d", resp.StatusCode)
	}
	_, page = getFile(t, http.DefaultClient, base+"/demands/2019-2610-rsp-para-1-1")
	if doc(t, page).Find(`#state-`+state+` [data-testid="file"]`).Length() != 1 || !strings.Contains(page, "date obtained not known") {
		t.Error("the demand page does not list the state's file for the public")
	}
}

// TestSlowUploadOutlivesTheRequestTimeout: an upload that takes longer to arrive than a
// request may take is kept all the same, and twenty uploads of one file at once make
// twenty files and keep the bytes once.
func TestSlowUploadOutlivesTheRequestTimeout(t *testing.T) {
	t.Parallel()
	w := newStaffWorldWith(t, server.Options{RequestTimeout: 2 * time.Second})
	ctx := context.Background()
	const token = "slow-token-0123456789abcdefghijklmnopqrstuvwx"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "slow", token); err != nil {
		t.Fatal(err)
	}
	ct, body := uploadBody([][2]string{{"visibility", "public"}}, "slow.pdf", testPDF)
	pr, pw := io.Pipe()
	go func() {
		b := body.Bytes()
		for i := 0; i < len(b); i += 64 {
			time.Sleep(600 * time.Millisecond) // longer than the request timeout in all
			pw.Write(b[i:min(i+64, len(b))])
		}
		pw.Close()
	}()
	req, _ := http.NewRequest(http.MethodPost, w.a.URL+"/api/v1/cases/max-bokayev-case/attachments", pr)
	req.Header.Set("Content-Type", ct)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	resp, out := answer(t, resp, err)
	if resp.StatusCode != http.StatusCreated {
		t.Fatalf("slow upload: %d %s", resp.StatusCode, out)
	}

	data := bytes.Repeat(testPDF, 500)
	codes := make(chan int, 20)
	for range 20 {
		go func() {
			resp, _ := upload(t, http.DefaultClient, w.b.URL+"/api/v1/people/max-bokayev/attachments", token, [][2]string{{"visibility", "public"}}, "same.pdf", data)
			codes <- resp.StatusCode
		}()
	}
	for range 20 {
		if code := <-codes; code != http.StatusCreated {
			t.Errorf("one of twenty uploads: %d", code)
		}
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachments WHERE sha256 = $1`, sha(data)); n != 20 {
		t.Errorf("%d files, want 20", n)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM attachment_blobs WHERE key = $1`, sha(data)); n != 1 {
		t.Errorf("%d copies of the bytes, want 1", n)
	}
}

// TestDownloadAddressIsTheFilesName: a file's address ends in its name, Cyrillic and spaces
// included; a link with another name is sent there (301), while an internal file's id
// with any name stays 404 to the public, naming nothing.
func TestDownloadAddressIsTheFilesName(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	_, token := recordTokens(t, w)
	var files []apiFile
	for _, v := range []string{"public", "internal"} {
		resp, body := upload(t, http.DefaultClient, w.a.URL+"/api/v1/people/max-bokayev/attachments", token,
			[][2]string{{"visibility", v}}, "приговор №1 "+v+".pdf", testPDF)
		if resp.StatusCode != http.StatusCreated {
			t.Fatalf("attach: %d %s", resp.StatusCode, body)
		}
		var f apiFile
		if err := json.Unmarshal([]byte(body), &f); err != nil {
			t.Fatal(err)
		}
		files = append(files, f)
	}
	pub, internal := files[0], files[1]
	if resp, got := getFile(t, browser(t), w.b.URL+pub.URL); resp.StatusCode != http.StatusOK || got != string(testPDF) {
		t.Fatalf("the file at its own address %s: %d", pub.URL, resp.StatusCode)
	}
	id := strconv.FormatInt(pub.ID, 10)
	for _, other := range []string{"/attachments/" + id + "/x.pdf", "/attachments/" + id + "/%D0%BF"} {
		resp, _ := getFile(t, browser(t), w.b.URL+other)
		if resp.StatusCode != http.StatusMovedPermanently || resp.Header.Get("Location") != pub.URL {
			t.Errorf("%s: %d to %q, want 301 to %s", other, resp.StatusCode, resp.Header.Get("Location"), pub.URL)
		}
	}
	resp, body := getFile(t, browser(t), w.b.URL+"/attachments/"+strconv.FormatInt(internal.ID, 10)+"/x.pdf")
	if resp.StatusCode != http.StatusNotFound || strings.Contains(body, "приговор") || resp.Header.Get("Location") != "" {
		t.Errorf("an internal file's id with another name: %d, Location %q", resp.StatusCode, resp.Header.Get("Location"))
	}
}
