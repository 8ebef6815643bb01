package dossier_test

import (
	"bytes"
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/signintech/gopdf"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// englishHeadings are the words an English dossier in Markdown heads its sections, tables
// and fields with: its "## " headings, the timeline table's header, the bold labels.
func englishHeadings(t *testing.T, md string) []string {
	t.Helper()
	var out []string
	for _, line := range strings.Split(md, "\n") {
		switch {
		case strings.HasPrefix(line, "## "):
			out = append(out, strings.TrimPrefix(line, "## "))
		case strings.HasPrefix(line, "| Date |"):
			for _, cell := range strings.Split(strings.Trim(line, "| "), " | ") {
				out = append(out, "| "+cell+" |")
			}
		}
	}
	for _, m := range regexp.MustCompile(`\*\*([A-Z][a-z ]+:)\*\*`).FindAllStringSubmatch(md, -1) {
		out = append(out, m[1])
	}
	for _, m := range regexp.MustCompile(`(?m)^- ([A-Z][a-z ]+): `).FindAllStringSubmatch(md, -1) {
		out = append(out, "- "+m[1]+":")
	}
	if len(out) < 15 {
		t.Fatalf("the English dossier has only these headings: %q", out)
	}
	return out
}

// The Markdown dossier in Russian and Kazakh: no English heading or label is left, the
// headings, dates, statuses and counts are in the language, and the quoted clauses are
// verbatim with a note saying what language they are in.
func TestMarkdownSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	p := person()
	p.Cases[0].Statuses[1].SupersededBy = 3 // a corrected entry: "(corrected)" too
	enMD := string(dossier.Build(p, dossier.Internal, "https://whereas.example", adopted, adopted, en).Markdown())
	headings := englishHeadings(t, enMD)
	for _, tc := range []struct {
		words dossier.Words
		want  []string
	}{
		{ru, []string{"## Текущий статус", "## Хронология статусов", "## Дела", "## Требования, касающиеся этого человека",
			"## Упоминается в 1 положении", "## Связанные организации", "| Дата | Дело | Статус | Примечание | Источник | Записано |",
			"**Деятельность:** activist", "май 2019 г.", "Принудительное психиатрическое лечение", "(исправлено)", "**Не выполнено**",
			"([Освободить]", "по данным резолюции от 14 марта 2019 г.", "- Дата задержания: май 2018 г.", "- Наказание: three years' restricted freedom (36 месяцев)",
			"Проект резолюции «Human rights situation in Kazakhstan», 2019/2610(RSP), пункт преамбулы F; Европейский парламент принял резолюцию 14 марта 2019 г.",
			"«end all forms of arbitrary detention»", "на языке оригинала (английском)", "Служебное досье: только для сотрудников", "Хеш содержимого (SHA-256)"}},
		{kk, []string{"## Қазіргі мәртебесі", "## Мәртебе хронологиясы", "## Істер", "## Осы адамға қатысты талаптар",
			"## 1 ережеде аталған", "## Қатысы бар ұйымдар", "| Күні | Іс | Мәртебе | Ескертпе | Дереккөз | Жазылды |",
			"**Қызметі:** activist", "2019 жылғы мамыр", "Мәжбүрлі психиатриялық емдеу", "(түзетілген)", "**Орындалмады**",
			"([Босату]", "2019 жылғы 14 наурызда қабылданған қарардың деректері бойынша", "- Ұсталған күні: 2018 жылғы мамыр", "- Жаза: three years' restricted freedom (36 ай)",
			"Қарар жобасы: «Human rights situation in Kazakhstan», 2019/2610(RSP), кіріспе бөлімнің F тармағы; Еуропалық Парламент қарарды 2019 жылғы 14 наурызда қабылдады",
			"«end all forms of arbitrary detention»", "түпнұсқа тілінде (ағылшын тілінде)", "Қызметтік досье: тек қызметкерлерге", "Мазмұн хеші (SHA-256)"}},
	} {
		t.Run(string(tc.words.Lang), func(t *testing.T) {
			md := string(dossier.Build(p, dossier.Internal, "https://whereas.example", adopted, adopted, tc.words).Markdown())
			for _, h := range headings {
				if strings.Contains(md, h) {
					t.Errorf("English %q in the %s dossier", h, tc.words.Lang)
				}
			}
			for _, want := range tc.want {
				if !strings.Contains(md, want) {
					t.Errorf("the %s dossier lacks %q", tc.words.Lang, want)
				}
			}
			// the clause itself, verbatim
			if !strings.Contains(md, "> Whereas … Shymkent-based activist Ardak Ashim, who faced charges for “inciting discord”") {
				t.Errorf("the clause is not quoted verbatim")
			}
			if t.Failed() {
				t.Logf("dossier.md (%s):\n%s", tc.words.Lang, md)
			}
		})
	}
}

// keyPaths are the paths of every key of a JSON document ("timeline.label"), lists' items
// under the list's name.
func keyPaths(v any, prefix string, out map[string]bool) {
	switch x := v.(type) {
	case map[string]any:
		for k, child := range x {
			if prefix == "" && k == "labels" {
				out["labels"] = true // its keys are the fields it labels
				continue
			}
			p := k
			if prefix != "" {
				p = prefix + "." + k
			}
			out[p] = true
			keyPaths(child, p, out)
		}
	case []any:
		for _, child := range x {
			keyPaths(child, prefix, out)
		}
	}
}

// The JSON dossier keeps its keys, codes and record in every language; what is meant for
// people is in the language, its fields are labelled in it, and its content hash is the
// English one.
func TestJSONKeepsItsKeysAndAddsLabels(t *testing.T) {
	t.Parallel()
	decode := func(d dossier.Dossier) (map[string]any, string) {
		t.Helper()
		b, err := d.JSON()
		if err != nil {
			t.Fatal(err)
		}
		var m map[string]any
		if err := json.Unmarshal(b, &m); err != nil {
			t.Fatal(err)
		}
		return m, string(b)
	}
	enDoc, enJSON := decode(dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted, en))
	enKeys := map[string]bool{}
	keyPaths(enDoc, "", enKeys)
	// every field a dossier may have: internal notes, organisations
	full := person()
	full.Cases[0].Organisations = []tracker.EntityRef{{Type: tracker.OrganisationEntity, Slug: "org", Name: "Org"}}
	fullDoc, _ := decode(dossier.Build(full, dossier.Internal, "https://whereas.example", adopted, adopted, en))
	fields := map[string]bool{}
	keyPaths(fullDoc, "", fields)
	if enDoc["lang"] != "en" || enDoc["labels"].(map[string]any)["timeline.label"] != "Status" {
		t.Errorf("English JSON: lang %v, labels %v", enDoc["lang"], enDoc["labels"])
	}
	for _, tc := range []struct {
		words                           dossier.Words
		status, state, clause, cited_in string
		labels                          map[string]string
	}{
		{ru, "На свободе", "Не выполнено", "Пункт преамбулы F", "Проект резолюции «Human rights situation in Kazakhstan»",
			map[string]string{"timeline": "Хронология статусов", "timeline.label": "Статус", "cases.facts.court": "Суд", "person.aliases": "Другие написания"}},
		{kk, "Бостандықта", "Орындалмады", "Кіріспе бөлімнің F тармағы", "Қарар жобасы: «Human rights situation in Kazakhstan»",
			map[string]string{"timeline": "Мәртебе хронологиясы", "timeline.label": "Мәртебе", "cases.facts.court": "Сот", "person.aliases": "Басқаша жазылуы"}},
	} {
		t.Run(string(tc.words.Lang), func(t *testing.T) {
			doc, js := decode(dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted, tc.words))
			validate(t, js)
			keys := map[string]bool{}
			keyPaths(doc, "", keys)
			for k := range enKeys {
				if !keys[k] {
					t.Errorf("the %s JSON lacks key %s", tc.words.Lang, k)
				}
			}
			for k := range keys {
				if !enKeys[k] {
					t.Errorf("the %s JSON has a key of its own: %s", tc.words.Lang, k)
				}
			}
			if doc["lang"] != string(tc.words.Lang) || doc["content_hash"] != enDoc["content_hash"] {
				t.Errorf("lang %v, content hash %v (English %v)", doc["lang"], doc["content_hash"], enDoc["content_hash"])
			}
			labels := doc["labels"].(map[string]any)
			if len(labels) != len(enDoc["labels"].(map[string]any)) {
				t.Errorf("%d labels, English has %d", len(labels), len(enDoc["labels"].(map[string]any)))
			}
			for field, want := range tc.labels {
				if labels[field] != want {
					t.Errorf("labels[%q] = %v, want %q", field, labels[field], want)
				}
			}
			for field, label := range labels {
				if !fields[field] {
					t.Errorf("label for %q, a field the dossier does not have", field)
				}
				if latin(strings.ReplaceAll(label.(string), "SHA-256", "")) {
					t.Errorf("label %q = %q is not in %s", field, label, tc.words.Lang)
				}
			}
			cur := doc["current_status"].([]any)[0].(map[string]any)
			entry := doc["timeline"].([]any)[1].(map[string]any)
			demand := doc["demands"].([]any)[0].(map[string]any)
			clause := doc["clauses"].([]any)[0].(map[string]any)
			for _, c := range []struct{ got, want any }{
				{cur["status"], "released"}, {cur["label"], tc.status}, {cur["effective_on"], "2019-05"},
				{entry["status"], "released"}, {entry["label"], tc.status}, {entry["date"], i18n.Date(tc.words.Lang, tracker.MakeWhen(adopted.AddDate(0, 2, 0), tracker.ByMonth))},
				{entry["recorded_by"], tc.words.T("dossier.recorded_by_staff")},
				{demand["state"], "not_met"}, {demand["state_label"], tc.state}, {demand["wording"], "end all forms of arbitrary detention"},
				{clause["kind"], "recital"}, {clause["label"], tc.clause}, {clause["text"], person().Clauses[0].Text},
			} {
				if c.got != c.want {
					t.Errorf("%v, want %v", c.got, c.want)
				}
			}
			if !strings.HasPrefix(clause["citation"].(string), tc.cited_in) {
				t.Errorf("citation %q", clause["citation"])
			}
			if strings.Contains(js, "since May 2019") || strings.Contains(js, `"Released"`) || strings.Contains(js, "Recital") || strings.Contains(js, "Motion for") {
				t.Errorf("English words in the %s JSON: %s", tc.words.Lang, js)
			}
		})
	}
	if !strings.Contains(enJSON, `"label": "Released"`) {
		t.Error("the English JSON's labels changed")
	}
}

// latin reports whether s holds a Latin letter.
func latin(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.In(r, unicode.Latin) }) >= 0
}

// glyphs is a lookup of the characters the PDF's fonts draw, by the PDF library's own
// lookup (gopdf's cmap reading): a character it finds no glyph for, gopdf would draw as
// something else.
func glyphs(t *testing.T) func(rune) bool {
	t.Helper()
	var fonts []*gopdf.SubsetFontObj
	for _, data := range dossier.Fonts {
		f := &gopdf.SubsetFontObj{}
		f.SetTtfFontOption(gopdf.TtfOption{})
		if err := f.SetTTFData(data); err != nil {
			t.Fatal(err)
		}
		fonts = append(fonts, f)
	}
	return func(r rune) bool {
		for _, f := range fonts {
			if g, err := f.CharCodeToGlyphIndex(r); err != nil || g == 0 {
				return false
			}
		}
		return true
	}
}

// The PDF's fonts draw every letter of Kazakh and Russian: a Kazakh dossier's PDF has no
// character the fonts lack (gopdf would silently draw a blank or "�" in its place), every
// character of its text is in the embedded fonts' cmap, and its Kazakh words come out of
// the PDF whole; as does every word of the Russian and Kazakh catalogs a dossier uses.
func TestPDFFontsCoverKazakh(t *testing.T) {
	t.Parallel()
	has := glyphs(t)
	kazakh := "ӘҒҚҢӨҰҮҺІәғқңөұүһі"
	for _, r := range kazakh + "АБВГДЕЁЖЗИЙКЛМНОПРСТУФХЦЧШЩЪЫЬЭЮЯабвгдеёжзийклмнопрстуфхцчшщъыьэюя«»—–…“”’·№" {
		if !has(r) {
			t.Errorf("the PDF's fonts have no glyph for %q (U+%04X)", r, r)
		}
	}
	if !has('\uFFFD') {
		t.Error("the PDF's fonts cannot draw a missing character as �")
	}

	// Every character of the words a dossier writes in ru and kk.
	for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
		for _, key := range en.Catalog.Keys(l) {
			if !strings.HasPrefix(key, "dossier.") && !slices.ContainsFunc([]string{"status.", "demand_state.", "demand_action.", "stage.", "clause_kind.", "clause_name."},
				func(p string) bool { return strings.HasPrefix(key, p) }) {
				continue
			}
			text, ok := en.Catalog.Text(l, key, map[string]any{"Count": 5})
			if !ok {
				text, _ = en.Catalog.Count(l, key, 5, nil)
			}
			for _, r := range text {
				if !has(r) {
					t.Errorf("%s %s: no glyph for %q in %q", l, key, r, text)
				}
			}
		}
	}

	// A Kazakh dossier, with Kazakh names, as a PDF.
	p := person()
	p.Person.Name, p.Person.Role, p.Person.Place = "Ардақ Әшім", "белсенді, құқық қорғаушы", "Шымкент, Түркістан облысы"
	p.Person.Notes = "Өзінің әлеуметтік желідегі сыни жазбалары үшін ұсталған; Һ һ Ұ ұ Ү ү Ө ө Ң ң І і."
	p.Cases[0].Title = "Ардақ Әшімге қатысты қылмыстық іс"
	d := dossier.Build(p, dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0), kk)
	var pdf bytes.Buffer
	missing, err := d.PDFWithMissing(&pdf)
	if err != nil {
		t.Fatal(err)
	}
	if len(missing) > 0 {
		t.Errorf("the Kazakh PDF has characters its fonts lack: %q", string(missing))
	}
	text := pdfText(t, pdf.Bytes())
	for _, r := range text {
		if !unicode.IsSpace(r) && !has(r) {
			t.Errorf("the PDF's text has %q, which its fonts do not draw", r)
		}
		if r == '\uFFFD' {
			t.Errorf("the PDF draws a character as �")
		}
	}
	for _, want := range []string{"Ардақ Әшім", "белсенді, құқық қорғаушы", "Һ һ Ұ ұ Ү ү Ө ө Ң ң І і", "Ардақ Әшімге қатысты қылмыстық іс",
		"Мәртебе хронологиясы", "Жалпы мәліметтер", "Осы адамға қатысты талаптар", "1 ережеде аталған", "Қатысы бар ұйымдар",
		"мәжбүрлі психиатриялық емдеу (2019 жылғы 14 наурызда", "Бостандықта", "2019 жылғы мамыр", "Орындалмады", "1 іс · 1 талап · 1 ережеде аталған", "WHEREAS · ДОСЬЕ",
		"Жалпы мәліметтер", "түпнұсқа тілінде (ағылшын тілінде)", "бостандықта (2019 жылғы мамырдан бастап)"} {
		if !strings.Contains(text, want) {
			t.Errorf("the Kazakh PDF lacks %q", want)
		}
	}
	for _, r := range kazakh {
		if !strings.ContainsRune(text, r) {
			t.Errorf("no %q came out of the Kazakh PDF whole", r)
		}
	}
	for _, english := range []string{"Status timeline", "Current status", "Demands about this person", "Cited in", "Organisations involved",
		"Generated", "page 1 of", "Public dossier", "Dossier:", "since", "then", "Dashed lines", "A paler start"} {
		if strings.Contains(text, english) {
			t.Errorf("English %q in the Kazakh PDF", english)
		}
	}
	if t.Failed() {
		t.Logf("the Kazakh PDF reads:\n%s", text)
	}
}

// The check above would see a missing glyph: a character the fonts lack is reported, and
// drawn as "�", not as a blank.
func TestPDFReportsACharacterItsFontsLack(t *testing.T) {
	t.Parallel()
	p := person()
	p.Person.Name = "Ardak 阿 Ashim"
	var pdf bytes.Buffer
	missing, err := dossier.Build(p, dossier.Public, "https://whereas.example", adopted, adopted, kk).PDFWithMissing(&pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(missing, '阿') {
		t.Errorf("missing = %q", string(missing))
	}
	if text := pdfText(t, pdf.Bytes()); !strings.Contains(text, "Ardak � Ashim") {
		t.Errorf("the character the fonts lack is not drawn as �: %q", text)
	}
}

// The PDF in Russian: headings, dates and statuses in Russian, the clause quoted whole.
func TestPDFInRussian(t *testing.T) {
	t.Parallel()
	f := formats(t, dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0), ru))
	for _, want := range []string{"Хронология статусов", "Общие сведения", "Текущий статус", "Упоминается в 1 положении", "1 дело · 1 требование · упоминается в 1 положении",
		"На свободе", "май 2019 г.", "по данным резолюции от 14 марта 2019 г.", "Создано 14 марта 2026 г.", "стр. 1 из",
		"принудительное психиатрическое лечение (по данным резолюции от 14 марта 2019 г.; с какого времени — не записано), затем на свободе с мая 2019 г.",
		"for her critical social media posts and subjected to forced psychiatric detention;"} {
		if !strings.Contains(f["pdf"], want) {
			t.Errorf("the Russian PDF lacks %q", want)
		}
	}
	for _, english := range []string{"Status timeline", "Profile", "Generated", "page 1 of", "Forced psychiatric", "May 2019", "Motion for"} {
		if strings.Contains(f["pdf"], english) {
			t.Errorf("English %q in the Russian PDF", english)
		}
	}
}

// English citations are tracker.Cite's, word for word, for every kind of text.
func TestEnglishCitationsAreTrackers(t *testing.T) {
	t.Parallel()
	tabled := time.Date(2019, 3, 12, 0, 0, 0, 0, time.UTC)
	for _, ref := range []tracker.TextRef{
		{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", Stage: tracker.Motion, VoteDate: adopted},
		{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", Stage: tracker.Motion, Reference: "B8-0180/2019", TextDate: tabled, VoteDate: adopted},
		{Procedure: "2019/2610(RSP)", Title: "Kazakhstan, notably the case of X", Stage: tracker.JointMotion, Reference: "RC-B8-0180/2019"},
		{Procedure: "2019/2610(RSP)", Title: "The situation in Kazakhstan", Stage: tracker.Adopted, Reference: "P8_TA(2019)0203", VoteDate: adopted},
		{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", Stage: tracker.Adopted},
		{Procedure: "2019/2610(RSP)", Title: "Human rights situation in Kazakhstan", TextDate: tabled},
	} {
		for _, c := range []struct {
			kind  tracker.ClauseKind
			label string
		}{{tracker.Recital, "K"}, {tracker.Point, "3(a)"}, {"", ""}} {
			if got, want := en.Cite(ref, c.kind, c.label), tracker.Cite(ref, c.kind, c.label); got != want {
				t.Errorf("cite %+v:\n got %q\nwant %q", ref, got, want)
			}
			if got := ru.Cite(ref, c.kind, c.label); !strings.Contains(got, "«"+ref.Title+"»") || latin(strings.ReplaceAll(strings.NewReplacer(ref.Title, "", ref.Procedure, "", ref.Reference, "").Replace(got), c.label, "")) {
				t.Errorf("ru cite %+v: %q", ref, got)
			}
		}
	}
}
