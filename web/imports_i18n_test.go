package web

import (
	"context"
	"strings"
	"testing"
	"unicode"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/parser"
)

// warnedTexts give every warning the parser writes (the cases of internal/parser's
// TestWarnings, and the ends of a resolution before an amendment table or another section).
var warnedTexts = map[string]string{
	"ClauseSeveralTimesLonger":  "A. whereas one happened here;\nB. whereas two happened here;\nC. " + strings.Repeat("whereas the situation deteriorated further and further; ", 30) + "\nD. whereas four happened here;\n1. Calls;\n",
	"DocumentReference":         "A. whereas the protests\ngo on RC\\1224524EN.docx 2/12 and on;\n1. Calls;\n",
	"PageFooter":                "A. whereas the protests\nEN United in diversity EN go on;\n1. Calls;\n",
	"AmendmentHeading":          "1. Calls for the release of all those detained;\nAmendment 3 Proposal for a regulation Recital 2\n",
	"FootnoteBlock":             "– having regard to its resolution on Kazakhstan1,\n1 OJ C 76, 28.2.2018, p. 6.\nA. whereas x;\n1. Calls;\n",
	"SignatureLine":             "A. whereas x;\n1. Instructs its President to forward this resolution.\non behalf of the Renew Group\n",
	"ParagraphNumberingGap":     "A. whereas x;\n1. Calls;\n2. Urges;\n4. Instructs its President;\n",
	"RecitalLetterGap":          "A. whereas x;\nB. whereas y;\nE. whereas z;\n1. Calls;\n",
	"PointGap":                  "1. Calls on them to:\n(a) release them;\n(c) end it;\n",
	"NumberedRecitalGap":        "1. Whereas x;\n3. whereas z;\n1. Calls;\n",
	"GapInParagraphsNumberedOn": "1. Whereas x;\n2. whereas y;\n3. Calls;\n(a) one;\n(c) three;\n5. Urges;\n",
	"ParagraphNumberKeptAsText": "A. whereas x and\n15. Calls;\n1. Urges;\n",
	"RecitalStartsMidLine":      "A. whereas one; B. whereas two;\n1. Calls;\n",
	"NumberedStartsMidLine":     "1. Whereas one;\n2. whereas two; 3. whereas three;\n1. Calls;\n",
	"NumberedOnStartsMidLine":   "1. Whereas one;\n2. whereas two; 3. Calls on them;\n1. Urges;\n",
	"ParagraphStartsMidLine":    "A. whereas one;\n1. Calls; 2. Urges the release;\n",
	"PointStartsMidLine":        "1. Calls on them to:\n(a) release them; (b) end it;\n",
	"CitationStartsMidLine":     "– having regard to A; – having regard to B,\nA. whereas one;\n",
	"AmendmentTable":            "A. whereas x;\n1. Calls;\nAmendment 1\nProposal for a regulation\nText proposed by the Commission\tAmendment\n",
	"RecitalsDashed":            "The European Parliament,\n– having regard to it,\n– whereas one;\n– whereas two;\n1. Calls;\n",
	"RecitalDashed":             "The European Parliament,\n– having regard to it,\n– whereas one;\n1. Calls;\n",
	"RecitalsNumbered":          "1. Whereas x;\n2. whereas y;\n1. Calls;\n2. Urges;\n",
	"RecitalsNumberedOn":        "1. Whereas x;\n2. whereas y;\n3. Calls;\n4. Urges;\n",
	"RecitalNumberedOn":         "1. Whereas x;\n2. Calls;\n",
}

func langCtx(l i18n.Lang) context.Context { return WithLang(context.Background(), l) }

// latinWords are the words of s in Latin letters but clause labels ("B", "AB", the "b" of
// "(b)") and the neutral names: what would be English in a Russian or Kazakh sentence.
func latinWords(s string) []string {
	var out []string
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		latin := strings.IndexFunc(w, func(r rune) bool { return unicode.In(r, unicode.Latin) }) >= 0
		label := len(w) <= 2 && strings.ToUpper(w) == w || len(w) == 1
		if latin && !label {
			out = append(out, w)
		}
	}
	return out
}

// Every warning and recitals note the parser writes says, from its words, in English what
// the parser wrote (so the catalogs keep up with the parser) and in Russian and Kazakh a
// sentence with no English in it but the words it quotes from the text, which the page
// marks as English.
func TestImportWarningsInEveryLanguage(t *testing.T) {
	keys := map[string]bool{}
	for name, text := range warnedTexts {
		p, err := importer.Parse(text)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, w := range p.Warnings {
			keys[w.Words.Key] = true
			if w.Words.Key == "" {
				t.Errorf("%s: warning %q has no key", name, w.Msg)
				continue
			}
			if got := importWarning(langCtx(i18n.EN), w.Words, w.Words.Args["Quote"]); got != w.Msg {
				t.Errorf("%s: en from its words:\n%q\nthe parser wrote\n%q", name, got, w.Msg)
			}
			for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
				before, quote, after := ImportWarningParts(langCtx(l), w)
				if quote != w.Words.Args["Quote"] || before == w.Msg || strings.Contains(before+after, "{{") || strings.Contains(before+after, "imports.") {
					t.Errorf("%s %s: %q [%q] %q", name, l, before, quote, after)
				}
				if en := latinWords(before + after); len(en) > 0 {
					t.Errorf("%s %s: English %q in %q", name, l, en, before+"["+quote+"]"+after)
				}
			}
		}
		if p.RecitalsNote == "" {
			continue
		}
		keys["recitals."+p.RecitalsWords.Key] = true
		if got := importRecitalsNote(langCtx(i18n.EN), p.RecitalsWords); got != p.RecitalsNote {
			t.Errorf("%s: en recitals note from its words:\n%q\nthe parser wrote\n%q", name, got, p.RecitalsNote)
		}
		for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
			got := ImportRecitalsNote(langCtx(l), p)
			if en := latinWords(got); len(en) > 0 || strings.Contains(got, "{{") || got == p.RecitalsNote {
				t.Errorf("%s %s recitals note: %q", name, l, got)
			}
		}
	}
	for _, k := range []string{"suspect", "mid_line", "end_table", "recital_gap", "numbered_recital_gap", "paragraph_gap", "paragraph_like", "point_gap",
		"long_clause", "recitals.dashed", "recitals.numbered", "recitals.numbered_on"} {
		if !keys[k] {
			t.Errorf("no text gave a %s warning", k)
		}
	}
	ru := langCtx(i18n.RU)
	p, _ := importer.Parse(warnedTexts["RecitalLetterGap"])
	if before, _, _ := ImportWarningParts(ru, p.Warnings[0]); before != "пункт преамбулы E идёт сразу после пункта преамбулы B: в нумерации пропущено C–D" {
		t.Errorf("ru recital gap: %q", before)
	}
	p, _ = importer.Parse(warnedTexts["PageFooter"])
	if before, quote, after := ImportWarningParts(langCtx(i18n.KK), p.Warnings[0]); before+"["+quote+"]"+after != "кіріспе бөлімнің A тармағы: колонтитул сияқты мәтін бар («[EN United in diversity]»); ресми мәтінмен салыстырыңыз" {
		t.Errorf("kk page footer: %q [%q] %q", before, quote, after)
	}
	if got := ImportWarning(langCtx(i18n.EN), parser.Warning{Line: 3, Msg: "as written"}); got != "as written" {
		t.Errorf("a warning without words: %q", got)
	}
}

// The messages the server, the storage and the importer write in English for the import
// pages read in Russian and Kazakh, the values of those made of parts translated too.
func TestImportMessagesSaid(t *testing.T) {
	ru, kk := langCtx(i18n.RU), langCtx(i18n.KK)
	for english, want := range map[string]string{
		"Parsed and kept as a draft. Review it below; nothing is public until you publish.":                                                                                                        "Текст разобран и сохранён как черновик. Проверьте его ниже: до публикации ничего не появится на сайте.",
		"This is the number of a motion for a resolution, not of a text adopted.":                                                                                                                  "Это номер проекта резолюции, а не принятого текста.",
		"These words are not in Point 2(b); copy them exactly from its text.":                                                                                                                      "В подпункте 2(b) нет этих слов; скопируйте их точно из его текста.",
		`Paragraph 9 is not in the new text, but demand d-1 ("Calls for") refer to it; publishing would lose them.`:                                                                                "Пункта 9 нет в новом тексте, но на него ссылаются: требование d-1 («Calls for»); при публикации эти ссылки были бы потеряны.",
		"Not published: someone has meanwhile added a person at /people/jane-roe. Remove Jane Roe from this draft's new people and organisations; the text will then link to the one that exists.": "Не опубликовано: тем временем кто-то добавил человека по адресу /people/jane-roe. Уберите Jane Roe из новых людей и организаций этого черновика; тогда текст будет связан с уже существующей записью.",
	} {
		if got := Say(ru, english); got != want {
			t.Errorf("ru %q:\n%q\nwant\n%q", english, got, want)
		}
	}
	for n, want := range map[int]string{1: "Подтвердите, что сверили 1 предупреждение с исходным текстом.", 3: "Подтвердите, что сверили 3 предупреждения с исходным текстом.",
		5: "Подтвердите, что сверили 5 предупреждений с исходным текстом."} {
		if got := warningsUnseen(ru, importer.WarningsUnseen(n), n); got != want {
			t.Errorf("ru warnings unseen %d: %q", n, got)
		}
	}
	if got := warningsUnseen(langCtx(i18n.EN), importer.WarningsUnseen(2), 2); got != "Confirm that you have compared the 2 warnings with the source text." {
		t.Errorf("en warnings unseen: %q", got)
	}
	if got := Say(kk, "Your decisions are saved."); got != "Шешімдеріңіз сақталды." {
		t.Errorf("kk saved: %q", got)
	}
}
