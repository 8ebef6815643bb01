package web_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/chart"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func in(l i18n.Lang) context.Context { return web.WithLang(context.Background(), l) }

func whenOf(t *testing.T, s string) tracker.When {
	t.Helper()
	w, err := tracker.ParseWhen(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

// chartInput is a person with two cases (one dated by what reported it) and more cases
// than a picture draws, cited by a motion; and a resolution whose demands changed state.
func chartInput(t *testing.T) (cases []tracker.Case, clauses []tracker.CitingClause, demands []tracker.Demand) {
	for i := range chart.MaxLanes { // older ones, not all drawn
		cases = append(cases, tracker.Case{Slug: "c" + string(rune('a'+i)), Title: "Older", Statuses: []tracker.StatusEntry{{ID: int64(10 + i), Status: "charged", EffectiveOn: whenOf(t, "2010-01")}}})
	}
	cases = append(cases, []tracker.Case{
		{Slug: "a", Title: "Case of X", Statuses: []tracker.StatusEntry{
			{ID: 1, Status: "pre_trial_detention", EffectiveOn: whenOf(t, "2018-05")},
			{ID: 2, Status: "imprisoned", EffectiveOn: whenOf(t, "2019")},
			{ID: 3, Status: "released", EffectiveOn: whenOf(t, "2024-03-14")},
		}},
		{Slug: "b", Title: "Other case", Statuses: []tracker.StatusEntry{
			{ID: 4, Status: "travel_ban", EffectiveOn: whenOf(t, "2019-03-14"), DatedBy: "reported by the resolution of 14 March 2019"},
		}},
	}...)
	clauses = []tracker.CitingClause{{ClauseRef: tracker.ClauseRef{ResolutionSlug: "r", ResolutionProcedure: "2019/2610(RSP)", ResolutionDate: time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC), ResolutionStage: tracker.Motion}}}
	demands = []tracker.Demand{
		{History: []tracker.DemandEntry{{State: tracker.Met, EffectiveOn: whenOf(t, "2024")}}},
		{History: []tracker.DemandEntry{{State: tracker.NotMet, EffectiveOn: whenOf(t, "2020-02")}}},
		{},
	}
	return cases, clauses, demands
}

// The charts say in English, from the catalogs, word for word what the chart package's
// own English says (the PDF dossier and the tests of internal/chart read that one).
func TestChartWordsInEnglishAreTheChartPackages(t *testing.T) {
	cases, clauses, demands := chartInput(t)
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	words := web.ChartWords(in(i18n.EN))
	want := chart.PersonTimeline("X", cases, chart.Citations(clauses), today)
	got := chart.PersonTimelineIn(words, "X", cases, chart.CitationsIn(words, clauses), today)
	if got.Title != want.Title || got.Desc != want.Desc {
		t.Errorf("timeline in English from the catalogs:\n%q\n%q\nwant\n%q\n%q", got.Title, got.Desc, want.Title, want.Desc)
	}
	for i, l := range want.Lanes {
		for j, b := range l.Bars {
			if g := got.Lanes[i].Bars[j]; g.Label != b.Label || g.From != b.From || g.To != b.To {
				t.Errorf("bar %d.%d: %q %q %q, want %q %q %q", i, j, g.Label, g.From, g.To, b.Label, b.From, b.To)
			}
		}
	}
	for i, m := range want.Markers {
		if got.Markers[i].Label != m.Label {
			t.Errorf("marker %q, want %q", got.Markers[i].Label, m.Label)
		}
	}
	short := chart.PersonTimeline("X", cases[chart.MaxLanes:chart.MaxLanes+1], nil, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
	shortGot := chart.PersonTimelineIn(words, "X", cases[chart.MaxLanes:chart.MaxLanes+1], nil, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
	for i, tk := range short.Ticks {
		if shortGot.Ticks[i].Label != tk.Label {
			t.Errorf("tick %q, want %q", shortGot.Ticks[i].Label, tk.Label)
		}
	}
	adopted := time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)
	wf := chart.ResolutionFollowUp("the 2019 resolution", adopted, demands, today)
	gf := chart.ResolutionFollowUpIn(words, "the 2019 resolution", adopted, demands, today)
	if gf.Title != wf.Title || gf.Desc != wf.Desc || gf.Rows[0].From != wf.Rows[0].From {
		t.Errorf("follow-up in English from the catalogs:\n%q\n%q\nwant\n%q\n%q", gf.Title, gf.Desc, wf.Title, wf.Desc)
	}
}

// In Russian and Kazakh the charts' words are the language's own, dates and plurals
// included.
func TestChartWordsTranslated(t *testing.T) {
	cases, clauses, demands := chartInput(t)
	today := time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)
	adopted := time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)
	for l, want := range map[i18n.Lang][]string{
		i18n.RU: {"Хронология статуса: X", "содержание под стражей до суда с мая 2018 г., затем лишение свободы с 2019 г., затем на свободе с 14 марта 2024 г.",
			"запрет на выезд (по данным резолюции от 14 марта 2019 г.; с какого времени — не записано)", "Ещё 2 дела не показаны.",
			"голосование Парламента 14 марта 2019 г. (упоминается в проекте резолюции)",
			"3 требования резолюции «R» по состоянию выполнения с 14 марта 2019 г. по сегодняшний день: сейчас выполнено — 1, не выполнено — 1, ещё не оценено — 1; распределение менялось 2 раза."},
		i18n.KK: {"Мәртебе хронологиясы: X", "сотқа дейін қамауда ұстау 2018 жылғы мамырдан бастап, кейін бас бостандығынан айыру 2019 жылдан бастап",
			"Тағы 2 іс көрсетілмеген.", "Парламенттің дауыс беруі: 2019 жылғы 14 наурыз (қарар жобасында аталған)",
			"«R» қарарының 3 талабы орындалу күйі бойынша, 2019 жылғы 14 наурыздан бастап бүгінге дейін"},
	} {
		words := web.ChartWords(in(l))
		tl := chart.PersonTimelineIn(words, "X", cases, chart.CitationsIn(words, clauses), today)
		f := chart.ResolutionFollowUpIn(words, "R", adopted, demands, today)
		all := tl.Title + "\n" + tl.Desc + "\n" + f.Desc
		if strings.Contains(all, "..") {
			t.Errorf("%s: a sentence ends twice: %s", l, all)
		}
		for _, w := range want {
			if !strings.Contains(all, w) {
				t.Errorf("%s: the charts' words lack %q:\n%s", l, w, all)
			}
		}
		if b := tl.Lanes[len(tl.Lanes)-2].Bars[2]; b.To != web.T(in(l), "chart.now") || b.From != web.DateText(in(l), whenOf(t, "2024-03-14")) {
			t.Errorf("%s: last bar from %q to %q", l, b.From, b.To)
		}
	}
	short := chart.PersonTimelineIn(web.ChartWords(in(i18n.RU)), "X", cases[chart.MaxLanes:chart.MaxLanes+1], nil, time.Date(2019, 6, 1, 0, 0, 0, 0, time.UTC))
	if len(short.Ticks) == 0 || short.Ticks[0].Label != "янв. 2018" {
		t.Errorf("Russian month ticks: %+v", short.Ticks)
	}
}

// Texts the catalogs took over from Go constants say in English what those say.
func TestCatalogEnglishAsBefore(t *testing.T) {
	en := in(i18n.EN)
	if got := web.T(en, "dates.effective_on_hint"); got != tracker.EffectiveOnHint {
		t.Errorf("dates.effective_on_hint = %q, want tracker.EffectiveOnHint %q", got, tracker.EffectiveOnHint)
	}
	for _, k := range web.AuditKinds {
		if got, want := web.AuditKindLabel(en, k.Name), strings.ToLower(k.Label); got != want {
			t.Errorf("AuditKindLabel(%s) = %q, want %q", k.Name, got, want)
		}
	}
	if got := web.Years(en, []int{2017, 2019, 2022}); got != "2017, 2019 and 2022" {
		t.Errorf("Years = %q", got)
	}
	if got := web.Years(in(i18n.KK), []int{2019, 2022}); got != "2019 және 2022" {
		t.Errorf("Years in Kazakh = %q", got)
	}
}

// A link preview says in the page's language what the page says: statuses with their dates
// and counts with their plural forms.
func TestShareInTheLanguage(t *testing.T) {
	d := tracker.PersonDetail{Person: tracker.Person{Slug: "x", Name: "X", Role: "journalist"},
		Cases:   []tracker.Case{{Statuses: []tracker.StatusEntry{{ID: 1, Status: "imprisoned", EffectiveOn: whenOf(t, "2019-05")}}}},
		Clauses: make([]tracker.CitingClause, 5)}
	for l, want := range map[i18n.Lang]string{
		i18n.EN: "Journalist. Current status: Imprisoned since May 2019. Named in 5 clauses of European Parliament resolutions.",
		i18n.RU: "Journalist. Текущий статус: Лишение свободы с мая 2019 г. Упоминается в 5 положениях резолюций Европейского парламента.",
		i18n.KK: "Journalist. Қазіргі мәртебе: Бас бостандығынан айыру 2019 жылғы мамырдан бастап. Еуропалық Парламент қарарларының 5 ережесінде аталады.",
	} {
		if got := web.PersonShare(in(l), d).Description; got != want {
			t.Errorf("%s: %q\nwant %q", l, got, want)
		}
	}
}

// Counts take each language's plural forms: Russian one, few and many ("21 результат"),
// Kazakh's noun stays singular.
func TestCountsInTheLanguage(t *testing.T) {
	for _, c := range []struct {
		l    i18n.Lang
		id   string
		n    int
		want string
	}{
		{i18n.RU, "search.results_before", 1, "1 результат по запросу «"},
		{i18n.RU, "search.results_before", 3, "3 результата по запросу «"},
		{i18n.RU, "search.results_before", 11, "11 результатов по запросу «"},
		{i18n.RU, "search.results_before", 21, "21 результат по запросу «"},
		{i18n.KK, "search.results_after", 5, "» бойынша 5 нәтиже."},
		{i18n.EN, "search.results_before", 1, "1 result for “"},
		{i18n.RU, "chart.band", 2, "2 требования: {{.State}}"},
		{i18n.RU, "common.share.named_in", 1, "Упоминается в 1 положении резолюций Европейского парламента"},
	} {
		got := web.N(in(c.l), c.id, c.n, "State", "{{.State}}")
		if got != c.want {
			t.Errorf("%s %s %d: %q, want %q", c.l, c.id, c.n, got, c.want)
		}
	}
}
