package server_test

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"
)

// squeezed is a selection's text with its runs of white space made one space.
func squeezed(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }

// eachText is the squeezed text of each element of s, joined with spaces.
func eachText(s *goquery.Selection) string {
	var out []string
	s.Each(func(_ int, e *goquery.Selection) { out = append(out, squeezed(e)) })
	return strings.Join(out, " ")
}

// withoutLabels leaves out of englishIn's findings those whose only Latin words are
// clause labels: a recital is "A", "B", … in every language ("Пункт преамбулы A").
func withoutLabels(found []string) []string {
	var out []string
	for _, f := range found {
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) }) {
			if strings.ContainsFunc(w, func(r rune) bool { return unicode.In(r, unicode.Latin) }) && !(len(w) == 1 && unicode.IsUpper(rune(w[0]))) {
				out = append(out, f)
				break
			}
		}
	}
	return out
}

// withoutFields is s without the values of its form's fields: what staff typed.
func withoutFields(s *goquery.Selection) *goquery.Selection {
	c := s.Clone()
	c.Find("textarea").Remove()
	return c
}

// ruCount writes a count as Russian does: one, few or many form of its noun.
func ruCount(n int, one, few, many string) string {
	switch {
	case n%10 == 1 && n%100 != 11:
		return one
	case n%10 >= 2 && n%10 <= 4 && (n%100 < 12 || n%100 > 14):
		return few
	}
	return many
}

// TestSearchPageInRussianAndKazakh: the search page with its hits speaks the reader's
// language, counts included (Russian "6 результатов", "2 результата"; Kazakh keeps the
// noun singular), its tabs and group titles too; names, roles, what staff wrote and the
// resolution's own words are left as they are, marked as content.
func TestSearchPageInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)
	groups := map[string]map[string]string{
		"ru": {"person": "Люди", "organisation": "Организации", "legal_provision": "Законы и статьи", "case": "Дела", "clause": "Положения"},
		"kk": {"person": "Адамдар", "organisation": "Ұйымдар", "legal_provision": "Заңдар мен баптар", "case": "Істер", "clause": "Ережелер"},
	}
	all := map[string]string{"ru": "Все", "kk": "Барлығы"}
	for _, l := range []string{"ru", "kk"} {
		for _, q := range []string{"Bokayev", "Kazakhstan", "Kharkva", "Максат Бокаев", "Article 174"} {
			_, doc := getLang(t, srv.URL+"/search?q="+url.QueryEscape(q)+"&lang="+l, nil, "")
			main := doc.Find("main")
			if en := withoutLabels(englishIn(main, l)); len(en) > 0 {
				t.Errorf("%s %q: English in the search page: %q", l, q, en)
			}
			n := doc.Find(`[data-testid="hit"]`).Length()
			if n == 0 {
				t.Fatalf("%s %q: no hits", l, q)
			}
			summary := squeezed(doc.Find(`[data-testid="search-summary"]`))
			want := fmt.Sprintf("«%s» бойынша %d нәтиже.", q, n)
			if l == "ru" {
				want = fmt.Sprintf(ruCount(n, "%d результат по запросу «%s».", "%d результата по запросу «%s».", "%d результатов по запросу «%s»."), n, q)
			}
			if summary != want {
				t.Errorf("%s %q: summary %q, want %q", l, q, summary, want)
			}
			if got := squeezed(doc.Find(`[data-testid="search-types"] li`).First()); got != all[l]+" "+strconv.Itoa(n) {
				t.Errorf("%s %q: first tab %q", l, q, got)
			}
			doc.Find(`section[data-testid^="hits-"]`).Each(func(_ int, s *goquery.Selection) {
				typ := strings.TrimPrefix(s.AttrOr("data-testid", ""), "hits-")
				if got := s.Find("h2").Text(); got != groups[l][typ] {
					t.Errorf("%s %q: group %s titled %q, want %q", l, q, typ, got, groups[l][typ])
				}
			})
		}
	}

	t.Run("WhatEachHitSays", func(t *testing.T) {
		_, doc := getLang(t, srv.URL+"/search?q=Bokayev&lang=ru", nil, "")
		if got := squeezed(doc.Find(`[data-testid="search-summary"]`)); got != "6 результатов по запросу «Bokayev»." {
			t.Errorf("summary %q", got)
		}
		first := doc.Find(`[data-testid="hits-person"] li.hit`).First()
		if got := squeezed(first.Find(`[data-testid="hit-years"]`)); got != "упоминается в резолюциях 2019 года" {
			t.Errorf("years %q", got)
		}
		if got := squeezed(first.Find(".hit-match")); got != "в имени «Max Bokayev»" {
			t.Errorf("how it matched: %q", got)
		}
		if got := squeezed(first.Find(`[data-testid="hit-status"] .status`)); got != "Лишение свободы" {
			t.Errorf("status %q", got)
		}
		clause := doc.Find(`[data-testid="hits-clause"] [data-testid="hit"]`).First()
		if got := squeezed(clause); got != "Human rights situation in Kazakhstan, 14 марта 2019 г. · Пункт 1" {
			t.Errorf("a clause hit is named %q", got)
		}
		if l, _ := clause.Find("span").Attr("lang"); l != "en" {
			t.Errorf("the resolution's title is not marked English: %q", l)
		}
		if l, _ := doc.Find(`[data-testid="hits-clause"] .snippet`).First().Attr("lang"); l != "en" {
			t.Errorf("a clause's words are not marked English: %q", l)
		}
		_, doc = getLang(t, srv.URL+"/search?q="+url.QueryEscape("Максат Бокаев")+"&lang=kk", nil, "")
		if got := squeezed(doc.Find(`[data-testid="hits-person"] .hit-match`)); got != "«Максат Бокаев» деп те жазылады" {
			t.Errorf("kk alias match: %q", got)
		}
		_, doc = getLang(t, srv.URL+"/search?q=Talgat+Ayan&lang=kk", nil, "")
		if got := squeezed(doc.Find(`[data-testid="hits-person"] [data-testid="dating"]`).First()); got != "2018 жылдан бастап" {
			t.Errorf("kk dating: %q", got)
		}
	})

	t.Run("OneKindNothingFoundAndTooLong", func(t *testing.T) {
		_, doc := getLang(t, srv.URL+"/search?q=Kazakhstan&type=clauses&lang=ru", nil, "")
		if got := squeezed(doc.Find(`[data-testid="search-types"] [aria-current="page"]`)); !strings.HasPrefix(got, "Положения ") {
			t.Errorf("current tab %q", got)
		}
		if en := withoutLabels(englishIn(doc.Find("main"), "ru")); len(en) > 0 {
			t.Errorf("English on the clauses tab: %q", en)
		}
		_, doc = getLang(t, srv.URL+"/search?q=zzqqxx&lang=ru", nil, "")
		if got := squeezed(doc.Find(`[data-testid="search-summary"]`)); !strings.HasPrefix(got, "По запросу «zzqqxx» ничего не найдено.") {
			t.Errorf("nothing found: %q", got)
		}
		_, doc = getLang(t, srv.URL+"/search?q="+url.QueryEscape(strings.Repeat("Бокаев ", 40))+"&lang=ru", nil, "")
		if got := squeezed(doc.Find(`p.notice`)); got != "Запрос слишком длинный, поэтому учтены только его первые 200 символов." {
			t.Errorf("long query: %q", got)
		}
		for _, l := range []string{"ru", "kk"} {
			_, doc = getLang(t, srv.URL+"/search?lang="+l, nil, "")
			if en := englishIn(doc.Find("main"), l); len(en) > 0 || doc.Find("h1").Text() == "Search" {
				t.Errorf("%s: the empty search page: %q", l, en)
			}
		}
	})
}

// TestChartsInRussian: a person's timeline and a resolution's follow-up chart say in
// Russian what they draw: headings, legends, tables, the bars' and bands' titles and the
// descriptions read out instead of the drawing, dates and counts as Russian writes them.
func TestChartsInRussian(t *testing.T) {
	t.Parallel()
	srv, _ := newSeededServer(t)

	_, doc := getLang(t, srv.URL+"/people/max-bokayev?lang=ru", nil, "")
	fig := doc.Find(`[data-testid="timeline-chart"]`)
	if fig.Length() != 1 {
		t.Fatal("no timeline on the person's page")
	}
	// The words around the picture; the picture's title and description name the person,
	// the case and the resolution (content), so they are checked for their Russian below.
	if en := englishIn(fig.Find("h2, figcaption, summary, thead, details > p"), "ru"); len(en) > 0 {
		t.Errorf("English around the timeline: %q", en)
	}
	for sel, want := range map[string]string{
		"h2":                        "Хронология",
		"svg > title":               "Хронология статуса: Max Bokayev",
		"figcaption":                "Лишение свободы резолюция, в которой упоминается этот человек начало известно лишь с точностью до месяца или года либо только по дате сообщения",
		"summary":                   "То же в виде таблицы",
		"thead th":                  "Дело",
		"tbody td:nth-child(4)":     "настоящее время",
		"details > p":               "Резолюции, в которых упоминается этот человек:",
		"details li":                "2019/2610(RSP), голосование Парламента 14 марта 2019 г. (упоминается в проекте резолюции)",
		"rect.chart-bar > title":    "Лишение свободы: reported by the resolution of 14 March 2019 — настоящее время",
		"line.chart-marker > title": "2019/2610(RSP), голосование Парламента 14 марта 2019 г. (упоминается в проекте резолюции)",
	} {
		if got := squeezed(fig.Find(sel).First()); got != want {
			t.Errorf("timeline %s: %q, want %q", sel, got, want)
		}
	}
	desc := squeezed(fig.Find("desc"))
	for _, want := range []string{"лишение свободы (по данным резолюции от 14 марта 2019 г.; с какого времени — не записано).", "Пунктирные линии отмечают резолюции, в которых упоминается Max Bokayev:", "Более светлое начало полосы"} {
		if !strings.Contains(desc, want) {
			t.Errorf("timeline description %q lacks %q", desc, want)
		}
	}
	if v, ok := fig.Find("td").Eq(2).Attr("translate"); !ok || v != "no" {
		t.Error("what a date rests on, as staff wrote it, is not marked as content")
	}
	// Ticks known to the month read as Russian abbreviates them.
	_, doc = getLang(t, srv.URL+"/people/talgat-ayan?lang=ru", nil, "")
	if en := englishIn(doc.Find(`[data-testid="timeline-chart"] .chart-tick`), "ru"); len(en) > 0 {
		t.Errorf("English on the axis: %q", en)
	}

	_, doc = getLang(t, srv.URL+"/resolutions/2019-2610-rsp/scoreboard?lang=ru", nil, "")
	fig = doc.Find(`[data-testid="follow-up-chart"]`)
	if fig.Length() != 1 {
		t.Fatal("no follow-up chart on the scoreboard")
	}
	if en := englishIn(fig.Find("h2, figcaption, summary, table, rect > title"), "ru"); len(en) > 0 {
		t.Errorf("English in the follow-up chart: %q", en)
	}
	if got := squeezed(fig.Find("thead th").First()); got != "Начало" {
		t.Errorf("follow-up table: %q", got)
	}
	fig.Find("rect.chart-band > title").Each(func(_ int, b *goquery.Selection) {
		n, state, ok := strings.Cut(squeezed(b), " ")
		if count, err := strconv.Atoi(n); !ok || err != nil || !strings.HasPrefix(state, ruCount(count, "требование: ", "требования: ", "требований: ")) {
			t.Errorf("a band says %q", squeezed(b))
		}
	})
	if got := eachText(fig.Find("thead th")); got != "Начало Выполнено Выполнено частично Не выполнено Ещё не оценено Заменено" {
		t.Errorf("follow-up table's columns: %q", got)
	}
	if desc := squeezed(fig.Find("desc")); !strings.Contains(desc, " требований резолюции «Human rights situation in Kazakhstan» по состоянию выполнения с 14 марта 2019 г. по сегодняшний день: сейчас ") {
		t.Errorf("follow-up description %q", desc)
	}
}

// TestRecordFormsInRussianAndKazakh: the staff's record forms (organisations and laws), the
// panels on a record's page, the error summary, the confirmation page and the name pickers
// speak the reader's language; record names and what staff typed are content.
func TestRecordFormsInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w, editor, admin := signedInWorld(t)
	page := func(c *http.Client, path string, status int) *goquery.Document {
		t.Helper()
		resp, body := fetchWith(t, c, w.a.URL+path)
		if resp.StatusCode != status {
			t.Fatalf("GET %s: %d, want %d", path, resp.StatusCode, status)
		}
		return doc(t, body)
	}
	for _, c := range []struct {
		lang, path, h1 string
		labels         []string
	}{
		{"ru", "/organisations/ilo/edit", "Редактирование: International Labour Organization", []string{"Название", "Другие названия", "Вид организации", "Примечания (публичные)"}},
		{"kk", "/organisations/ilo/edit", "Өңдеу: International Labour Organization", []string{"Атауы", "Басқа атаулары", "Ұйым түрі", "Ескертпелер (жария)"}},
		{"ru", "/organisations/new", "Новая организация", []string{"Название", "Адрес (необязательно)", "Другие названия"}},
		{"kk", "/legal-provisions/new", "Жаңа құқық нормасы", []string{"Атауы", "Мекенжай (міндетті емес)", "Юрисдикция", "Нормаға сілтеме", "Ресми мәтін (веб-мекенжай)"}},
		{"ru", "/legal-provisions/criminal-libel/edit", "", []string{"Название", "Юрисдикция", "Ссылка на норму", "Официальный текст (веб-адрес)"}},
	} {
		d := page(editor, c.path+"?lang="+c.lang, 200)
		main := d.Find("main")
		// "https://" is what the address must start with, quoted in the hint.
		for _, en := range englishIn(withoutFields(main), c.lang) {
			if !strings.Contains(en, "https://") {
				t.Errorf("%s %s: English on the form: %q", c.lang, c.path, en)
			}
		}
		if c.h1 != "" && squeezed(d.Find("h1")) != c.h1 {
			t.Errorf("%s %s: heading %q, want %q", c.lang, c.path, squeezed(d.Find("h1")), c.h1)
		}
		var labels []string
		main.Find("form label").Each(func(_ int, s *goquery.Selection) { labels = append(labels, squeezed(s)) })
		for _, want := range c.labels {
			if !strings.Contains(strings.Join(labels, "|"), want) {
				t.Errorf("%s %s: labels %q lack %q", c.lang, c.path, labels, want)
			}
		}
	}
	if got := squeezed(page(editor, "/organisations/ilo/edit?lang=ru", 200).Find(`main form button[type="submit"]`)); got != "Сохранить" {
		t.Errorf("save button %q", got)
	}

	t.Run("ErrorSummary", func(t *testing.T) {
		resp, body := post(t, editor, w.a.URL+"/organisations/new?lang=ru", url.Values{"name": {""}})
		d := doc(t, body)
		if resp.StatusCode != http.StatusUnprocessableEntity {
			t.Fatalf("empty name: %d", resp.StatusCode)
		}
		sum := d.Find(`[data-testid="error-summary"]`)
		if got := squeezed(sum.Find("h2")); got != "Обнаружены ошибки" {
			t.Errorf("summary heading %q", got)
		}
		if got := squeezed(sum.Find("p")); got != "Ничего не сохранено. Исправьте следующее и отправьте форму ещё раз:" {
			t.Errorf("summary lead %q", got)
		}
		if sum.Find("li a").Length() == 0 {
			t.Error("the summary lists no problem")
		}
	})

	t.Run("StaffPanelsAndLinks", func(t *testing.T) {
		d := page(editor, "/organisations/ilo?lang=ru", 200)
		if got := squeezed(d.Find(".staff-links")); got != "Редактировать запись · Снять с публикации" {
			t.Errorf("staff links %q", got)
		}
		d = page(editor, "/staff?lang=kk", 200)
		if got := eachText(d.Find(`[data-testid="new-record-links"] li`)); got != "Адам қосу Іс қосу Ұйым қосу Заң немесе бап қосу" {
			t.Errorf("new-record links %q", got)
		}
		d = page(editor, "/people?lang=ru", 200)
		if got := squeezed(d.Find(`[data-testid="new-record"]`)); got != "Добавить человека" {
			t.Errorf("new-record link %q", got)
		}
	})

	t.Run("ConfirmRetireRestore", func(t *testing.T) {
		d := page(editor, "/organisations/ilo/retire?lang=ru", 200)
		if got := squeezed(d.Find(`[data-testid="confirm-cancel"]`)); got != "Отмена, ничего не менять" {
			t.Errorf("confirmation's way back: %q", got)
		}
		if resp, _ := post(t, editor, w.a.URL+"/organisations/ilo/retire", url.Values{"confirm": {"yes"}}); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("retire: %d", resp.StatusCode)
		}
		for _, c := range []struct {
			client *http.Client
			want   string
		}{{editor, "Восстановить запись может администратор."}, {admin, "Восстановить: International Labour Organization"}} {
			resp, body := fetchWith(t, c.client, w.a.URL+"/organisations/ilo?lang=ru")
			banner := doc(t, body).Find(`[data-testid="retired-banner"]`)
			if resp.StatusCode != 200 || banner.Length() != 1 {
				t.Fatalf("retired record for staff: %d", resp.StatusCode)
			}
			if en := englishIn(banner, "ru"); len(en) > 0 {
				t.Errorf("English in the retired banner: %q", en)
			}
			text := squeezed(banner)
			if !strings.HasPrefix(text, "Снято с публикации: ") || !strings.Contains(text, " г., сотрудник: editor@example.org. По этому адресу посетители видят «удалено» (410)") || !strings.Contains(text, c.want) {
				t.Errorf("retired banner %q", text)
			}
		}
	})

	t.Run("Pickers", func(t *testing.T) {
		d := page(editor, "/cases/max-bokayev-case/edit?lang=ru", 200)
		p := d.Find(`[data-testid="picker-people"]`)
		if p.Length() != 1 {
			t.Fatal("no people picker on the case form")
		}
		// The legend is the label the server gives the picker (internal/server/staff.go).
		if en := englishIn(p.Find("fieldset > p, fieldset > label, ul"), "ru"); len(en) > 0 {
			t.Errorf("English in the picker: %q", en)
		}
		if got := squeezed(p.Find(`label[for="people"]`)); got != "Добавить по имени" {
			t.Errorf("typing box's label %q", got)
		}
		for attr, want := range map[string]string{
			"data-picker-text-list":       "Подсказки",
			"data-picker-text-none":       "Совпадений с «{query}» нет.",
			"data-picker-text-count-one":  "{count} подсказка: выберите её клавишами со стрелками.",
			"data-picker-text-count-few":  "{count} подсказки: выберите нужную клавишами со стрелками.",
			"data-picker-text-count-many": "{count} подсказок: выберите нужную клавишами со стрелками.",
			"data-picker-text-added":      "Добавлено: {name}.",
			"data-picker-text-already":    "{name} уже есть в списке.",
		} {
			if got := p.AttrOr(attr, ""); got != want {
				t.Errorf("%s = %q, want %q", attr, got, want)
			}
		}
		// A name that may mean several records is asked about, in the page's language.
		form := d.Find(`form[action="/cases/max-bokayev-case/edit"]`)
		sent := url.Values{}
		form.Find(`input[name]`).Each(func(_ int, f *goquery.Selection) {
			if f.AttrOr("type", "") != "checkbox" || f.Is("[checked]") {
				sent.Add(f.AttrOr("name", ""), f.AttrOr("value", ""))
			}
		})
		sent.Set("people_names", "Kharkva")
		resp, body := post(t, editor, w.a.URL+"/cases/max-bokayev-case/edit?lang=kk", sent)
		ask := doc(t, body).Find(`[data-testid="people-ask-0"]`)
		if resp.StatusCode != http.StatusUnprocessableEntity || ask.Length() != 1 {
			t.Fatalf("a typo: %d, no question", resp.StatusCode)
		}
		if en := englishIn(ask, "kk"); len(en) > 0 {
			t.Errorf("English in the question: %q", en)
		}
		if got := squeezed(ask.Find("legend")); got != "«Kharkva» деген жазба жоқ. Мүмкін, мынаны іздеген шығарсыз:" {
			t.Errorf("the question: %q", got)
		}
		if got := squeezed(ask.Find(`label[for$="-none"]`)); got != "Бұлардың ешқайсысы емес: «Kharkva» қосылмасын" {
			t.Errorf("the way out: %q", got)
		}
	})
}
