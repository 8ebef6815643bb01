package server_test

import (
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// importCodes are the Latin-script words the import pages show in every language because
// they are names of formats and files, not English: ".txt", "Akoma Ntoso XML".
var importCodes = map[string]bool{"txt": true, "xml": true, "Akoma": true, "Ntoso": true}

// importEnglish is englishIn over an import page, less what reads the same in every
// language: clause labels ("Recital B" is "Пункт преамбулы B"; "(b)"), procedure and
// document numbers in capitals ("2019/2610(RSP)", "RC-B8-0180/2019"), and importCodes.
func importEnglish(sel *goquery.Selection, lang string) []string {
	var out []string
	for _, s := range englishIn(sel, lang) {
		for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
			latin := strings.IndexFunc(w, func(r rune) bool { return unicode.In(r, unicode.Latin) }) >= 0
			if latin && !neutralWords[w] && !importCodes[w] && len([]rune(w)) > 1 && strings.ToUpper(w) != w {
				out = append(out, s)
				break
			}
		}
	}
	return out
}

// getImportPage reads an import page as the signed-in client c, in language lang.
func getImportPage(t *testing.T, c *http.Client, base, path, lang string) *goquery.Document {
	t.Helper()
	sep := "?"
	if strings.Contains(path, "?") {
		sep = "&"
	}
	resp, body := fetchWith(t, c, base+path+sep+"lang="+lang)
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("GET %s in %s = %d", path, lang, resp.StatusCode)
	}
	d := doc(t, body)
	if got, _ := d.Find("html").Attr("lang"); got != lang {
		t.Fatalf("GET %s?lang=%s: <html lang=%q>", path, lang, got)
	}
	return d
}

// The import pages (the list and form, the review of a draft, the check before publishing,
// the discard page, and a draft discarded) speak Russian and Kazakh: no English interface
// text in main, the resolution's words marked as English and names as not to translate;
// counts in the plural forms of each language, dates as each writes them, the parser's
// warnings and the refusal to publish without comparing them in the reader's language.
func TestImportPagesInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	raw, err := os.ReadFile("../importer/testdata/synthetic-2022-kazakhstan.txt")
	if err != nil {
		t.Fatal(err)
	}
	// Three warnings: a document number and a page footer inside recitals, and a gap in
	// the paragraphs' numbering.
	text := strings.NewReplacer("\n3.\tInstructs", "\n4.\tInstructs",
		"detained again in January 2022;", "detained again PE700.124v01-00 in January 2022;",
		"were arrested\nduring", "were arrested\nEN United in diversity EN during").Replace(string(raw))
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	resp, _ := postImport(t, admin, w.a.URL+"/admin/imports", nil, text)
	draft := resp.Header.Get("Location")
	if resp.StatusCode != http.StatusSeeOther || draft == "" {
		t.Fatalf("import: %d", resp.StatusCode)
	}
	version := func() string {
		t.Helper()
		v, _ := getImportPage(t, admin, w.a.URL, draft, "en").Find(`form[data-testid="review-form"] input[name="version"]`).Attr("value")
		return v
	}
	// A new organisation and a demand, so that the review and check pages list them.
	if resp, _ := post(t, admin, w.a.URL+draft+"/entities", url.Values{"version": {version()}, "at": {"new"}, "new-type": {"organisation"},
		"new-name": {"Kazakhstan International Bureau"}, "new-aliases": {"KIBHR"}, "new-role": {"monitor"}, "new-place": {"Almaty"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new organisation: %d", resp.StatusCode)
	}
	if resp, _ := post(t, admin, w.a.URL+draft+"/demands", url.Values{"version": {version()}, "clause": {"para_1"}, "action": {"investigate"},
		"wording": {"calls for an independent international investigation"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("new demand: %d", resp.StatusCode)
	}
	// A second draft, discarded.
	resp, _ = postImport(t, admin, w.a.URL+"/admin/imports", nil, string(raw))
	discarded := resp.Header.Get("Location")
	v, _ := getImportPage(t, admin, w.a.URL, discarded, "en").Find(`form[data-testid="review-form"] input[name="version"]`).Attr("value")
	if resp, _ := post(t, admin, w.a.URL+discarded+"/discard", url.Values{"version": {v}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("discard: %d", resp.StatusCode)
	}

	// What other parts of the site put on these pages, translated with them: the picker of
	// records by name (web/picker.templ), and a clause's own words in the options of the
	// demand form's list of clauses, which cannot mark their language.
	elsewhere := `[data-testid="picker-target_named"] > fieldset > :not(legend), #demand-clause option`
	pages := []string{"/admin/imports", draft, draft + "/check", draft + "/discard", discarded, discarded + "/check", discarded + "/discard"}
	for _, lang := range []string{"ru", "kk"} {
		for _, path := range pages {
			d := getImportPage(t, admin, w.a.URL, path, lang)
			main := d.Find("main")
			main.Find(elsewhere).Remove()
			if en := importEnglish(main, lang); len(en) > 0 {
				t.Errorf("%s %s: English in main:\n%s", lang, path, strings.Join(en, "\n"))
			}
			if en := importEnglish(d.Find("head title"), lang); len(en) > 0 {
				t.Errorf("%s %s: English in the title: %q", lang, path, en)
			}
		}
	}

	text1 := func(d *goquery.Document, sel string) string {
		return strings.Join(strings.Fields(d.Find(sel).First().Text()), " ")
	}
	want := func(lang, what, got, want string) {
		t.Helper()
		if got != want {
			t.Errorf("%s %s = %q, want %q", lang, what, got, want)
		}
	}
	ru := getImportPage(t, admin, w.a.URL, "/admin/imports", "ru")
	want("ru", "list heading", text1(ru, "main h1"), "Импорт резолюции")
	want("ru", "list caption", text1(ru, `[data-testid="imports"] caption`), "Сначала черновики, затем опубликованные и отклонённые")
	kk := getImportPage(t, admin, w.a.URL, "/admin/imports", "kk")
	want("kk", "list heading", text1(kk, "main h1"), "Қарарды импорттау")

	ru = getImportPage(t, admin, w.a.URL, draft, "ru")
	want("ru", "warnings heading", text1(ru, "#warnings-h"), "Что проверить: 3 предупреждения")
	want("ru", "a warning", text1(ru, `[data-testid="parse-warnings"] li:last-child`), "Строка 20: пункт 4 идёт сразу после пункта 2: в нумерации пропущено 3")
	want("ru", "summary", text1(ru, `[data-testid="diff-summary"]`), "Новая резолюция: 12 положений, 8 предложенных связей, 2 имени, которых нет в базе.")
	if meta := text1(ru, ".page-head p.meta"); !strings.Contains(meta, "Принятый текст · принят 20 января 2022 г. · формат: простой текст") {
		t.Errorf("ru head: %q", meta)
	}
	want("ru", "a clause's words", ru.Find(`[data-testid="review-rec_B"] p[lang="en"]`).Text(), "whereas journalist Aset Mataev was detained again PE700.124v01-00 in January 2022;")
	want("ru", "a demand staff added", text1(ru, `[data-testid="draft-demand"]`),
		"Пункт 1 · Провести расследование: «calls for an independent international investigation» · адресат не указан · Убрать это требование")
	kk = getImportPage(t, admin, w.a.URL, draft, "kk")
	want("kk", "warnings heading", text1(kk, "#warnings-h"), "Нені тексеру керек: 3 ескерту")
	if meta := text1(kk, ".page-head p.meta"); !strings.Contains(meta, "қабылданған күні: 2022 жылғы 20 қаңтар") {
		t.Errorf("kk head: %q", meta)
	}

	ru = getImportPage(t, admin, w.a.URL, draft+"/check", "ru")
	want("ru", "check heading", text1(ru, "main h2:not(#warnings-h)"), "Проверьте ответы перед публикацией")
	want("ru", "clauses to publish", text1(ru, `[data-testid="check-clauses"]`), "12 положений, все новые")
	want("ru", "warnings box", text1(ru, `label[for="warnings-seen"]`), "3 предупреждения выше сверены с исходным текстом")
	want("ru", "new organisation", text1(ru, `[data-testid="check-entities"] li`),
		"Kazakhstan International Bureau (организация, адрес: /organisations/kazakhstan-international-bureau) · monitor · Almaty · другие написания: KIBHR")
	v, _ = ru.Find(`form input[name="version"]`).Attr("value")
	resp, body := post(t, admin, w.a.URL+draft+"/publish", url.Values{"version": {v}}) // the language kept in the cookie: ru
	if resp.StatusCode != http.StatusUnprocessableEntity {
		t.Fatalf("publish without the box ticked: %d", resp.StatusCode)
	}
	refused := doc(t, body)
	want("ru", "refusal beside the box", text1(refused, "#warnings-seen-error"), "Подтвердите, что сверили 3 предупреждения с исходным текстом.")
	want("ru", "refusal in the summary", text1(refused, `[data-testid="error-summary"] li`), "Подтвердите, что сверили 3 предупреждения с исходным текстом.")

	kk = getImportPage(t, admin, w.a.URL, discarded, "kk")
	want("kk", "a discarded draft", text1(kk, "main p.notice"), "Бұл импорттан бас тартылды. Қарарды көру.")
	ru = getImportPage(t, admin, w.a.URL, discarded+"/discard", "ru")
	want("ru", "discard heading", text1(ru, "main h2"), "Отклонить этот черновик?")
}
