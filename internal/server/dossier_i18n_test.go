package server_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"unicode"
)

// TestDossierInTheReadersLanguage: ?lang=ru and ?lang=kk (or the cookie, or
// Accept-Language) write the dossier in Russian or Kazakh in every format: no English
// interface text is left on the HTML page (the record's names and notes, and the
// resolutions' words marked lang="en", aside), the Markdown has no English heading, the PDF
// is in the language, the JSON keeps its keys and adds labels, and the zip of every
// dossier is built and kept per language.
func TestDossierInTheReadersLanguage(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)
	const person = "/people/ardak-ashim/dossier"

	t.Run("HTML", func(t *testing.T) {
		for _, tc := range []struct {
			lang string
			want []string
		}{
			{"ru", []string{"Текущий статус", "Хронология статусов", "Дела", "Требования, касающиеся этого человека", "Связанные организации",
				"Дата", "Источник", "Упоминается в", "по тексту резолюции", "Публичное досье", "Хеш содержимого (SHA-256):"}},
			{"kk", []string{"Қазіргі мәртебесі", "Мәртебе хронологиясы", "Істер", "Осы адамға қатысты талаптар", "Қатысы бар ұйымдар",
				"Күні", "Дереккөз", "ережеде аталған", "қарар мәтіні бойынша", "Жария досье", "Мазмұн хеші (SHA-256):"}},
		} {
			resp, doc := getLang(t, srv.URL+person+"?lang="+tc.lang, nil, "")
			if resp.StatusCode != 200 || doc.Find("html").AttrOr("lang", "") != tc.lang || resp.Header.Get("Content-Language") != tc.lang {
				t.Fatalf("%s: %d, <html lang=%q>, Content-Language %q", tc.lang, resp.StatusCode, doc.Find("html").AttrOr("lang", ""), resp.Header.Get("Content-Language"))
			}
			// The picture of the status timeline is web/chart.templ's (converted with the
			// person page); its words from the dossier's model are in the language.
			chart := doc.Find(`[data-testid="timeline-chart"]`)
			if desc := chart.Find("desc").Text(); desc == "" || strings.Contains(desc, "since") || strings.Contains(desc, "Dashed lines") {
				t.Errorf("%s: the chart's description is %q", tc.lang, desc)
			}
			chart.Remove()
			// Left aside: the person's name in the page's title, and the labels and abbreviations
			// that are the same in every language (recital "F", a procedure's "RSP", "UTC", "SHA-256").
			if en := allowing(englishIn(doc.Find("html"), tc.lang), "Ardak", "Ashim", "RSP", "UTC", "SHA"); len(en) > 0 {
				t.Errorf("%s: English in the dossier: %q", tc.lang, en)
			}
			text := strings.Join(strings.Fields(doc.Find("body").Text()), " ")
			for _, want := range tc.want {
				if !strings.Contains(text, want) {
					t.Errorf("%s: the dossier lacks %q", tc.lang, want)
				}
			}
			// the resolutions' own words, verbatim and marked as English
			if q := doc.Find(`[data-testid="dossier-clause"] blockquote`); q.Length() == 0 || q.AttrOr("lang", "") != "en" || !strings.Contains(q.Text(), "Ardak Ashim") {
				t.Errorf("%s: the quoted clauses are not marked as English: %d", tc.lang, q.Length())
			}
			if title := doc.Find(`[data-testid="dossier-clause"] h3 span[lang="en"]`).First().Text(); title != "Human rights situation in Kazakhstan" {
				t.Errorf("%s: the resolution's title in a citation is %q", tc.lang, title)
			}
			if doc.Find(`[data-testid="original-language"]`).Length() != 1 {
				t.Errorf("%s: no note that the quotations are in English", tc.lang)
			}
			// the other formats, from here, in the same language
			if href := doc.Find(`nav.formats a[href$="/dossier.pdf?lang=` + tc.lang + `"]`); href.Length() != 1 {
				t.Errorf("%s: the PDF link does not keep the language", tc.lang)
			}
		}
		// every person's dossier: demands, organisations, aliases, notes
		for _, slug := range []string{"amin-eleusinov", "ardak-ashim", "aset-mataev", "elena-semenova", "erlan-baltabay", "iskander-yerimbetov",
			"larisa-kharkova", "max-bokayev", "nurbek-kushakbaev", "talgat-ayan", "vadim-kuramshin"} {
			for _, lang := range []string{"ru", "kk"} {
				resp, doc := getLang(t, srv.URL+"/people/"+slug+"/dossier?lang="+lang, nil, "")
				if resp.StatusCode != 200 {
					t.Fatalf("%s: %d", slug, resp.StatusCode)
				}
				doc.Find(`[data-testid="timeline-chart"]`).Remove()
				if en := allowing(englishIn(doc.Find("body"), lang), "RSP", "UTC", "SHA"); len(en) > 0 {
					t.Errorf("%s, %s: English in the dossier: %q", slug, lang, en)
				}
			}
		}
		_, doc := getLang(t, srv.URL+"/people/max-bokayev/dossier?lang=ru", nil, "")
		for _, want := range []string{"Не выполнено · Освободить: «release wrongfully imprisoned civil society activist Max Bokayev» (Проект резолюции «Human rights situation in Kazakhstan», 2019/2610(RSP), пункт 1; Европейский парламент принял резолюцию 14 марта 2019 г.)",
			"Лишение свободы по данным резолюции от 14 марта 2019 г. (Max Bokayev — criminal case)", "Применённые нормы: Criminal Code Article 174"} {
			if text := strings.Join(strings.Fields(doc.Find("main").Text()), " "); !strings.Contains(text, want) {
				t.Errorf("ru: Max Bokayev's dossier lacks %q", want)
			}
		}
		if q := doc.Find(`[data-testid="dossier-demand"] [lang="en"]`); q.Length() != 4 { // each demand's words and the title it cites
			t.Errorf("ru: %d demand quotations marked as English, want 4", q.Length())
		}
		_, doc = getLang(t, srv.URL+person+"?lang=ru", nil, "")
		if got := doc.Find("h2").First().Text(); got != "Текущий статус" {
			t.Errorf("ru: first heading %q", got)
		}
		if got := doc.Find("head title").Text(); got != "Досье: Ardak Ashim · Whereas" {
			t.Errorf("ru: title %q", got)
		}
		// English stays as it was
		_, doc = getLang(t, srv.URL+person, nil, "")
		if doc.Find("html").AttrOr("lang", "") != "en" || doc.Find("h2").First().Text() != "Current status" ||
			doc.Find(`nav.formats a[href$="/dossier.pdf"]`).Length() != 1 {
			t.Errorf("the English dossier changed: %q", doc.Find("h2").First().Text())
		}
	})

	t.Run("MarkdownHasNoEnglishHeading", func(t *testing.T) {
		_, enMD := get(t, srv, person+".md")
		var headings []string
		for _, line := range strings.Split(enMD, "\n") {
			if strings.HasPrefix(line, "## ") || strings.HasPrefix(line, "| Date |") {
				headings = append(headings, line)
			}
		}
		if len(headings) < 7 {
			t.Fatalf("English headings: %q", headings)
		}
		for lang, want := range map[string][]string{
			"ru": {"## Хронология статусов", "| Дата | Дело | Статус | Примечание | Источник | Записано |", "Ни в одном требовании этот человек не назван.", "на языке оригинала (английском)"},
			"kk": {"## Мәртебе хронологиясы", "| Күні | Іс | Мәртебе | Ескертпе | Дереккөз | Жазылды |", "Бұл адам ешбір талапта аталмаған.", "түпнұсқа тілінде (ағылшын тілінде)"},
		} {
			// the language the browser asks for is enough
			resp, md := fetchLang(t, srv.URL+person+".md", lang)
			if resp.Header.Get("Content-Language") != lang {
				t.Errorf("%s: Content-Language %q", lang, resp.Header.Get("Content-Language"))
			}
			for _, h := range headings {
				if strings.Contains(md, h) {
					t.Errorf("%s: English heading %q in the Markdown", lang, h)
				}
			}
			for _, w := range append(want, "Ardak Ashim") {
				if !strings.Contains(md, w) {
					t.Errorf("%s: the Markdown lacks %q", lang, w)
				}
			}
		}
	})

	t.Run("PDF", func(t *testing.T) {
		for lang, want := range map[string][]string{
			"ru": {"Хронология статусов", "Общие сведения", "Текущий статус", "ДОСЬЕ", "стр. 1 из"},
			"kk": {"Мәртебе хронологиясы", "Жалпы мәліметтер", "Қазіргі мәртебесі", "ДОСЬЕ", "1-бет, барлығы"},
		} {
			resp, body := fetchWith(t, browser(t), srv.URL+person+".pdf?lang="+lang)
			if resp.StatusCode != 200 || !strings.HasPrefix(body, "%PDF-") {
				t.Fatalf("%s PDF: %d", lang, resp.StatusCode)
			}
			text := pdfToText(t, []byte(body))
			if text == "" {
				continue
			}
			for _, w := range want {
				if !strings.Contains(text, w) {
					t.Errorf("%s: the PDF lacks %q", lang, w)
				}
			}
			for _, english := range []string{"Status timeline", "Current status", "Profile", "Generated", "page 1 of"} {
				if strings.Contains(text, english) {
					t.Errorf("%s: English %q in the PDF", lang, english)
				}
			}
		}
	})

	t.Run("JSONKeepsItsKeysAndAddsLabels", func(t *testing.T) {
		docs := map[string]map[string]any{}
		for _, lang := range []string{"en", "ru", "kk"} {
			_, body := fetchWith(t, browser(t), srv.URL+person+".json?lang="+lang)
			var m map[string]any
			if err := json.Unmarshal([]byte(body), &m); err != nil {
				t.Fatalf("%s: %v", lang, err)
			}
			docs[lang] = m
		}
		for lang, label := range map[string]string{"en": "Status timeline", "ru": "Хронология статусов", "kk": "Мәртебе хронологиясы"} {
			d := docs[lang]
			if d["lang"] != lang || d["labels"].(map[string]any)["timeline"] != label || d["content_hash"] != docs["en"]["content_hash"] {
				t.Errorf("%s: lang %v, labels.timeline %v, hash %v", lang, d["lang"], d["labels"].(map[string]any)["timeline"], d["content_hash"])
			}
			for key := range docs["en"] {
				if _, ok := d[key]; !ok {
					t.Errorf("%s: no %q", lang, key)
				}
			}
			cur := d["current_status"].([]any)[0].(map[string]any)
			if cur["status"] != docs["en"]["current_status"].([]any)[0].(map[string]any)["status"] {
				t.Errorf("%s: the status code changed: %v", lang, cur["status"])
			}
		}
		if l := docs["ru"]["current_status"].([]any)[0].(map[string]any)["label"]; l == docs["en"]["current_status"].([]any)[0].(map[string]any)["label"] {
			t.Errorf("ru: the status label stayed English: %v", l)
		}
	})

	t.Run("ZipIsBuiltAndKeptPerLanguage", func(t *testing.T) {
		langOf := func(body []byte) string {
			t.Helper()
			zr, err := zip.NewReader(bytes.NewReader(body), int64(len(body)))
			if err != nil {
				t.Fatal(err)
			}
			for _, f := range zr.File {
				if strings.HasSuffix(f.Name, ".json") {
					rc, _ := f.Open()
					b, _ := io.ReadAll(rc)
					rc.Close()
					var m map[string]any
					json.Unmarshal(b, &m)
					return m["lang"].(string)
				}
			}
			return ""
		}
		etags := map[string]string{}
		for range 2 {
			for _, lang := range []string{"kk", "en", "ru"} {
				resp, body := download(t, nil, srv.URL+"/dossiers.zip?lang="+lang)
				if resp.StatusCode != 200 || langOf(body) != lang {
					t.Fatalf("%s zip: %d, dossiers in %q", lang, resp.StatusCode, langOf(body))
				}
				if e, seen := etags[lang]; seen && e != resp.Header.Get("ETag") {
					t.Errorf("%s zip built again: %s then %s", lang, e, resp.Header.Get("ETag"))
				}
				etags[lang] = resp.Header.Get("ETag")
			}
		}
		if etags["en"] == etags["ru"] || etags["ru"] == etags["kk"] {
			t.Errorf("one zip for two languages: %v", etags)
		}
	})
}

// allowing is what englishIn found, less the texts whose every Latin word is one of words
// or a single letter (a clause's label: "пункт преамбулы F").
func allowing(found []string, words ...string) []string {
	var out []string
	for _, s := range found {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if !slices.Contains(words, w) && len([]rune(w)) > 1 && strings.IndexFunc(w, func(r rune) bool { return unicode.In(r, unicode.Latin) }) >= 0 && !neutralWords[w] {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// fetchLang is a GET from a browser set to lang.
func fetchLang(t *testing.T, u, lang string) (*http.Response, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	req.Header.Set("Accept-Language", lang)
	resp, err := http.DefaultClient.Do(req)
	return answer(t, resp, err)
}

// pdfToText is a PDF's text by poppler's pdftotext, words joined by single spaces; "" (and
// the test says so) where pdftotext is not installed.
func pdfToText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		t.Log("pdftotext is not installed: the PDF's text is not checked")
		return ""
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}
