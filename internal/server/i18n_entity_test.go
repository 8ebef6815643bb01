package server_test

import (
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
)

// othersInMain are the parts of the record and index pages that other templates write
// (demands: web/demand.templ; the chart: web/chart.templ; "since" and the timeline's dates:
// web/dates.templ; affiliations: web/records.templ), translated with those templates and
// checked by their own tests: left out here so this test says what web/entity.templ leaves
// in English.
var othersInMain = strings.Join([]string{
	`section[aria-labelledby="demands-h"]`,
	`[data-testid="timeline-chart"]`,
	`[data-testid="dating"]`, `.timeline > li > time`,
	`ul[data-testid="affiliations-h"]`, `ul[data-testid="members-h"]`,
}, ", ")

// TestEntityPagesInRussianAndKazakh: the pages of a person, a case, an organisation and a
// law, and the four index pages with their filters, speak Russian and Kazakh: no English
// interface text in main (names, what staff typed and the quoted clauses are content,
// marked as such), and what a reader notices first (the status, the dates, the counts,
// the facets) in their words.
func TestEntityPagesInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	_, page := fetchWith(t, editor, w.a.URL+"/cases/talgat-ayan-case/edit")
	form := formOf(t, page)
	form.Set("detained_on", "2016-05")
	form.Set("verdict_on", "2019-03-14")
	form.Set("sentence_months", "84")
	form.Set("release_due_on", "2021-05-17")
	form.Set("court", "Atyrau City Court")
	if resp, body := post(t, editor, w.a.URL+"/cases/talgat-ayan-case/edit", form); resp.StatusCode != 303 {
		t.Fatalf("save the case's facts: %d %s", resp.StatusCode, body)
	}

	pages := []string{"/people/talgat-ayan", "/people/max-bokayev", "/cases/talgat-ayan-case", "/cases/dvk-ban",
		"/organisations/cituk", "/organisations/dvk", "/legal-provisions/criminal-code-article-174", "/legal-provisions/criminal-libel",
		"/people?status=imprisoned&sort=citations", "/people?law=criminal-code-article-174&role=trade+unionist",
		"/people?resolution=2019-2610-rsp&clause=rec_J", "/people?status=none", "/people?page=9",
		"/cases?status=released_on_parole", "/organisations", "/legal-provisions"}
	type want struct{ sel, text string }
	notice := map[string]map[string][]want{
		"ru": {
			"/cases/talgat-ayan-case": {
				{`[data-testid="current-status"] .status`, "Условно-досрочное освобождение"},
				{`[data-testid="fact-verdict-on"]`, "14 марта 2019 г."},
				{`[data-testid="fact-detained-on"]`, "май 2016 г."},
				{`[data-testid="fact-release-due-on"]`, "17 мая 2021 г."},
				{`[data-testid="fact-sentence"]`, "7 лет"},
				{`#timeline-h`, "История статусов"},
				{`#citing-h`, "Упоминается в 2 положениях"},
				{`[data-testid="clause-link"]`, "2019/2610(RSP), Пункт преамбулы A"},
			},
			"/people/talgat-ayan": {{`.eyebrow`, "Человек"}, {`#cases-h`, "Дела"}, {`[data-testid="fact-sentence"]`, "7 лет"}},
			"/legal-provisions/criminal-code-article-174": {
				{`[data-testid="case-table"] caption`, "3 дела, возбуждённых по этой норме"},
				{`[data-testid="case-table"] thead`, "ЛицоСтатусС какого времениСуд"},
			},
			"/people?status=imprisoned&sort=citations": {
				{`h1`, "Люди"},
				{`[data-testid="count"]`, "Показаны 1–3 из 3"},
				{`[data-testid="chip"]`, "Текущий статус: Лишение свободы ×(убрать этот фильтр)"},
				{`.sort strong`, "по числу упоминаний"},
			},
			"/people?resolution=2019-2610-rsp&clause=rec_J": {{`[data-testid="active-filters"]`, "Фильтры: Резолюция: 2019/2610(RSP) ×(убрать этот фильтр) Положение: Пункт преамбулы J ×(убрать этот фильтр) Сбросить все"}},
			"/people?status=none":                           {{`[data-testid="chip"]`, "Текущий статус: Статус не записан ×(убрать этот фильтр)"}},
			"/legal-provisions":                             {{`h1`, "Законы и статьи"}, {`[data-testid="used-in"]`, "применяется в 0 делах"}},
		},
		"kk": {
			"/cases/talgat-ayan-case": {
				{`[data-testid="current-status"] .status`, "Шартты түрде мерзімінен бұрын босату"},
				{`[data-testid="fact-verdict-on"]`, "2019 жылғы 14 наурыз"},
				{`[data-testid="fact-detained-on"]`, "2016 жылғы мамыр"},
				{`[data-testid="fact-release-due-on"]`, "2021 жылғы 17 мамыр"},
				{`[data-testid="fact-sentence"]`, "7 жыл"},
				{`#timeline-h`, "Мәртебелер тарихы"},
				{`#citing-h`, "2 ережеде аталады"},
			},
			"/people/talgat-ayan":                         {{`.eyebrow`, "Тұлға"}, {`#cases-h`, "Істер"}},
			"/legal-provisions/criminal-code-article-174": {{`[data-testid="case-table"] caption`, "Осы норма бойынша қозғалған 3 іс"}},
			"/people?status=imprisoned&sort=citations": {
				{`h1`, "Адамдар"},
				{`[data-testid="count"]`, "3 ішінен 1–3 көрсетілген"},
				{`[data-testid="chip"]`, "Қазіргі мәртебесі: Бас бостандығынан айыру ×(бұл сүзгіні алып тастау)"},
			},
			"/people?status=none": {{`[data-testid="chip"]`, "Қазіргі мәртебесі: Мәртебе жазылмаған ×(бұл сүзгіні алып тастау)"}},
		},
	}
	for _, l := range []string{"ru", "kk"} {
		for _, p := range pages {
			sep := "?"
			if strings.Contains(p, "?") {
				sep = "&"
			}
			resp, doc := getLang(t, w.a.URL+p+sep+"lang="+l, nil, "")
			if resp.StatusCode != 200 {
				t.Errorf("%s %s: %d", l, p, resp.StatusCode)
				continue
			}
			doc.Find("main").Find(othersInMain).Remove()
			if en := englishIn(doc.Find("main"), l); len(en) > 0 {
				t.Errorf("%s %s: English in main: %q", l, p, en)
			}
			if !strings.HasPrefix(p, "/people/") && !strings.HasPrefix(p, "/cases/") && !strings.HasPrefix(p, "/organisations/") && !strings.HasPrefix(p, "/legal-provisions/") {
				if en := englishIn(doc.Find("head title"), l); len(en) > 0 {
					t.Errorf("%s %s: English in the title: %q", l, p, en)
				}
			}
			for _, n := range notice[l][p] {
				if got := spaced(doc.Find("main " + n.sel).First()); got != n.text {
					t.Errorf("%s %s %s: %q, want %q", l, p, n.sel, got, n.text)
				}
			}
		}
	}
}

// TestEntityPagesForStaffInRussianAndKazakh: what only staff and admins see on a case page
// (internal notes, who recorded an entry, the record's history) is in their language too.
func TestEntityPagesForStaffInRussianAndKazakh(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	admin := browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	for l, want := range map[string]struct{ notes, history, recorded string }{
		"ru": {"Служебные заметки · только для сотрудников", "История изменений · только для администраторов", ", автор записи: seed data"},
		"kk": {"Қызметтік жазбалар · тек қызметкерлерге", "Өзгерістер тарихы · тек әкімшілерге", " енгізілді, енгізген: seed data"},
	} {
		resp, body := fetchWith(t, admin, w.a.URL+"/cases/talgat-ayan-case?lang="+l)
		if resp.StatusCode != 200 {
			t.Fatalf("%s: %d", l, resp.StatusCode)
		}
		doc, err := goquery.NewDocumentFromReader(strings.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		doc.Find("main").Find(othersInMain + `, .staff-links`).Remove() // .staff-links: web/records.templ
		mine := doc.Find(`main .page-head, main [data-testid="timeline"] .source, main [data-testid="timeline"] .recorded, main #history-h, main #citing-h`)
		if en := englishIn(mine, l); len(en) > 0 {
			t.Errorf("%s: English for staff: %q", l, en)
		}
		if got := spaced(doc.Find(`[data-testid="internal-notes"] .eyebrow`)); got != want.notes {
			t.Errorf("%s internal notes: %q, want %q", l, got, want.notes)
		}
		if got := spaced(doc.Find(`#history-h`)); got != want.history {
			t.Errorf("%s history: %q, want %q", l, got, want.history)
		}
		if got := spaced(doc.Find(`[data-testid="timeline"] .recorded`).First()); !strings.HasSuffix(got, want.recorded) {
			t.Errorf("%s recorded: %q, want it to end %q", l, got, want.recorded)
		}
	}
}

// spaced is a selection's text with its white space as a reader sees it.
func spaced(s *goquery.Selection) string { return strings.Join(strings.Fields(s.Text()), " ") }
