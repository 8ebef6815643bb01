package web_test

import (
	"bytes"
	"context"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// A sentence's term reads as each language says it: English in months as before, Russian
// and Kazakh in years where whole, else years and months, with the plural forms a count needs.
func TestSentenceTerm(t *testing.T) {
	for _, c := range []struct {
		months     int
		en, ru, kk string
	}{
		{1, "1 month", "1 месяц", "1 ай"},
		{3, "3 months", "3 месяца", "3 ай"},
		{11, "11 months", "11 месяцев", "11 ай"},
		{12, "12 months", "1 год", "1 жыл"},
		{18, "18 months", "1 год 6 месяцев", "1 жыл 6 ай"},
		{24, "24 months", "2 года", "2 жыл"},
		{65, "65 months", "5 лет 5 месяцев", "5 жыл 5 ай"},
		{84, "84 months", "7 лет", "7 жыл"},
		{252, "252 months", "21 год", "21 жыл"},
	} {
		for l, want := range map[i18n.Lang]string{i18n.EN: c.en, i18n.RU: c.ru, i18n.KK: c.kk} {
			if got := web.SentenceTerm(web.WithLang(context.Background(), l), c.months); got != want {
				t.Errorf("%s, %d months: %q, want %q", l, c.months, got, want)
			}
		}
	}
}

// The clauses citing a record are counted and introduced in the page's language, with the
// record's name kept as it is written and the quoted words marked as the resolution's English.
func TestCitingClausesSpeakTheLanguage(t *testing.T) {
	self := tracker.EntityRef{Type: tracker.PersonEntity, Slug: "max-bokayev", Name: "Max Bokayev"}
	clause := func(res, eid, label string) tracker.CitingClause {
		return tracker.CitingClause{ClauseRef: tracker.ClauseRef{ResolutionSlug: res, ResolutionProcedure: "2019/2610(RSP)",
			ResolutionTitle: "Human rights situation in Kazakhstan", Kind: tracker.Recital, Label: label, EID: eid, Text: "Whereas Max Bokayev remains in prison;"}}
	}
	two := []tracker.CitingClause{clause("a", "rec_A", "A"), clause("a", "rec_B", "B"), clause("b", "rec_C", "C")}
	render := func(l i18n.Lang, cs []tracker.CitingClause, self tracker.EntityRef) *goquery.Document {
		t.Helper()
		var buf bytes.Buffer
		if err := web.CitingClauseList(cs, self).Render(web.WithLang(context.Background(), l), &buf); err != nil {
			t.Fatal(err)
		}
		doc, err := goquery.NewDocumentFromReader(&buf)
		if err != nil {
			t.Fatal(err)
		}
		return doc
	}
	for l, want := range map[i18n.Lang]string{
		i18n.EN: "Cited in 3 clauses of 2 resolutions, oldest first",
		i18n.RU: "Упоминается в 3 положениях 2 резолюций, сначала более ранние",
		i18n.KK: "2 қарардың 3 ережесінде аталады, ең ертесінен бастап",
	} {
		doc := render(l, two, self)
		if got := strings.TrimSpace(doc.Find("#citing-h").Text()); got != want {
			t.Errorf("%s heading: %q, want %q", l, got, want)
		}
		link := doc.Find(`[data-testid="clause-link"]`).First()
		if got, want := link.Text(), map[i18n.Lang]string{i18n.EN: "2019/2610(RSP), Recital A", i18n.RU: "2019/2610(RSP), Пункт преамбулы A",
			i18n.KK: "2019/2610(RSP), Кіріспе бөлімнің A тармағы"}[l]; got != want {
			t.Errorf("%s clause link: %q, want %q", l, got, want)
		}
		if got := link.Find(`[translate="no"]`).Map(func(_ int, s *goquery.Selection) string { return s.Text() }); !slices.Equal(got, []string{"2019/2610(RSP)", "A"}) {
			t.Errorf("%s clause link: content marked %q, want the procedure and the label", l, got)
		}
		if doc.Find(`blockquote[lang="en"]`).Length() != 3 || doc.Find(`h3.citing-resolution a[lang="en"]`).Length() != 2 {
			t.Errorf("%s: the resolution's own words are not marked as English", l)
		}
		if note := doc.Find(`[data-testid="quoted-in-english"]`).Length(); note != map[bool]int{true: 0, false: 1}[l == i18n.EN] {
			t.Errorf("%s: %d notes that the clauses are quoted in English", l, note)
		}
	}
	for l, want := range map[i18n.Lang]string{
		i18n.EN: "No clause of any resolution names Бокаев.",
		i18n.RU: "Бокаев не упоминается ни в одном положении резолюций.",
		i18n.KK: "Бокаев қарарлардың бірде-бір ережесінде аталмайды.",
	} {
		doc := render(l, nil, tracker.EntityRef{Type: tracker.PersonEntity, Slug: "max-bokayev", Name: "Бокаев"})
		p := doc.Find("section > p").First()
		if got := strings.Join(strings.Fields(p.Text()), " "); got != want {
			t.Errorf("%s, no clause: %q, want %q", l, got, want)
		}
		if name := p.Find(`span[translate="no"][lang="ru"]`).Text(); name != "Бокаев" {
			t.Errorf("%s, no clause: the name is not marked as content: %q", l, name)
		}
	}
}
