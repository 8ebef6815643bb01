package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/csv"
	"io"
	"strings"
	"testing"
)

func TestDossierRoutes(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)

	t.Run("EveryFormatWithEveryCitingClause", func(t *testing.T) {
		for _, tc := range []struct{ path, ctype string }{
			{"/people/larisa-kharkova/dossier", "text/html"},
			{"/people/larisa-kharkova/dossier.json", "application/json"},
			{"/people/larisa-kharkova/dossier.md", "text/markdown"},
			{"/people/larisa-kharkova/dossier.pdf", "application/pdf"},
		} {
			resp, body := fetchWith(t, browser(t), w.a.URL+tc.path)
			if resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), tc.ctype) {
				t.Errorf("%s: %d %s", tc.path, resp.StatusCode, resp.Header.Get("Content-Type"))
				continue
			}
			if tc.ctype == "application/pdf" {
				if !strings.HasPrefix(body, "%PDF-") || !strings.Contains(resp.Header.Get("Content-Disposition"), "attachment") {
					t.Errorf("the PDF is not a PDF download")
				}
				continue
			}
			for _, want := range []string{"Лариса Харькова", "#rec_D", "#para_3", "quash the convictions of Larissa Kharkova"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %q", tc.path, want)
				}
			}
		}
	})

	t.Run("UnknownSlugIs404InEveryFormat", func(t *testing.T) {
		for _, ext := range []string{"", ".json", ".md", ".pdf"} {
			if resp, _ := fetchWith(t, browser(t), w.a.URL+"/people/nobody/dossier"+ext); resp.StatusCode != 404 {
				t.Errorf("dossier%s of nobody = %d", ext, resp.StatusCode)
			}
		}
	})

	t.Run("InternalProfileIsForStaffOnly", func(t *testing.T) {
		editor := browser(t)
		signIn(t, editor, w.a, "editor@example.org")
		form := editPersonForm(t, editor, w.a, "talgat-ayan")
		form.Set("internal_notes", "Family contact: do not publish")
		if resp, _ := post(t, editor, w.a.URL+"/people/talgat-ayan/edit", form); resp.StatusCode != 303 {
			t.Fatalf("edit: %d", resp.StatusCode)
		}
		if resp, _ := fetchWith(t, browser(t), w.a.URL+"/people/talgat-ayan/dossier.json?profile=internal"); resp.StatusCode != 401 {
			t.Errorf("anonymous internal dossier = %d", resp.StatusCode)
		}
		_, pub := fetchWith(t, browser(t), w.a.URL+"/people/talgat-ayan/dossier.md")
		_, internal := fetchWith(t, editor, w.a.URL+"/people/talgat-ayan/dossier.md?profile=internal")
		if strings.Contains(pub, "do not publish") || !strings.Contains(internal, "do not publish") {
			t.Error("internal notes: public has them, or internal lacks them")
		}
	})

	t.Run("ZipHoldsEveryPersonsPDFAndJSON", func(t *testing.T) {
		resp, body := fetchWith(t, browser(t), w.a.URL+"/dossiers.zip")
		if resp.StatusCode != 200 || resp.Header.Get("Content-Type") != "application/zip" {
			t.Fatalf("zip: %d", resp.StatusCode)
		}
		zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
		if err != nil {
			t.Fatal(err)
		}
		pdfs, jsons := 0, 0
		for _, f := range zr.File {
			rc, _ := f.Open()
			b, _ := io.ReadAll(rc)
			rc.Close()
			switch {
			case strings.HasSuffix(f.Name, ".pdf") && bytes.HasPrefix(b, []byte("%PDF-")):
				pdfs++
			case strings.HasSuffix(f.Name, ".json") && bytes.Contains(b, []byte(`"content_hash"`)):
				jsons++
			}
		}
		if pdfs != 11 || jsons != 11 {
			t.Errorf("zip has %d PDFs and %d JSON files, want 11 each", pdfs, jsons)
		}
	})

	t.Run("CSVHasOneRowEachWithURLStatusAndClauses", func(t *testing.T) {
		for path, n := range map[string]int{"/api/v1/people.csv": 11, "/api/v1/cases.csv": 13} {
			resp, body := fetchWith(t, browser(t), w.a.URL+path)
			rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
			if err != nil || resp.StatusCode != 200 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/csv") {
				t.Fatalf("%s: %d %v", path, resp.StatusCode, err)
			}
			header := "slug,name,url,current_status,current_status_label,current_status_since,current_status_dated_by,clauses"
			if path == "/api/v1/people.csv" {
				header += ",role,place"
			}
			if path == "/api/v1/cases.csv" {
				header += ",detained_on,charges,court,case_number,verdict_on,sentence,sentence_months,release_due_on,next_hearing_on,facility"
			}
			if len(rows) != n+1 || strings.Join(rows[0], ",") != header {
				t.Errorf("%s: %d rows, header %v", path, len(rows), rows[0])
			}
			for _, r := range rows[1:] {
				if r[0] == "larisa-kharkova" && (r[3] != "restrictions_on_activity" || r[5] != "2019-03-14" || r[6] != "reported by the resolution of 14 March 2019" ||
					r[7] != "2019-2610-rsp#para_3 2019-2610-rsp#rec_D" || r[8] != "trade unionist" || r[9] != "Shymkent" || !strings.HasSuffix(r[2], "/people/larisa-kharkova")) {
					t.Errorf("Kharkova row = %v", r)
				}
			}
		}
	})
}
