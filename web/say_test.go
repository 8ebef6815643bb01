package web

import (
	"context"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

func sayIn(l i18n.Lang, english string) string {
	return Say(WithLang(context.Background(), l), english)
}

// Say translates a message by its English: exactly, or as a pattern whose values are put
// into the translation, themselves translated where they are words, dates or messages.
func TestSay(t *testing.T) {
	for _, c := range []struct {
		lang          i18n.Lang
		english, want string
	}{
		// exact
		{i18n.RU, "The name is required.", "Укажите имя."},
		{i18n.KK, "The name is required.", "Атын көрсетіңіз."},
		{i18n.RU, "Page not found", "Страница не найдена"},
		// a pattern: the values put in as they are
		{i18n.RU, "Account aigerim@example.kz disabled: its sessions have ended and its API tokens are revoked.",
			"Учётная запись aigerim@example.kz отключена: её сеансы завершены, API-токены отозваны."},
		{i18n.KK, "Link removed: “Max Bokayev” no longer links to Макс Бокаев.",
			"Байланыс жойылды: «Max Bokayev» енді Макс Бокаев жазбасына сілтемейді."},
		// a value that is a date in English: in the page's language, in the form the text asks for
		{i18n.RU, "This person was retired on 14 March 2019 and is no longer published here.",
			"Запись об этом человеке снята с публикации 14 марта 2019 г. и здесь больше не показывается."},
		{i18n.KK, "This person was retired on 14 March 2019 and is no longer published here.",
			"Бұл адам туралы жазба 2019 жылғы 14 наурызда жариялаудан алынды, енді мұнда көрсетілмейді."},
		{i18n.RU, "The verdict cannot come before the detention (March 2019).",
			"Приговор не может быть вынесен раньше задержания (март 2019 г.)."},
		{i18n.KK, "The release cannot be due before the detention (2 January 2006).",
			"Мерзімі бойынша босату күні ұстаудан (2006 жылғы 2 қаңтар) бұрын болмауы керек."},
		// a value that is a word: a type of record, a status, a stage in lower case, a clause
		{i18n.RU, "This organisation is retired already.", "Эта запись (организация) уже снята с публикации."},
		{i18n.KK, "Restored: the case is public again.", "Қайтарылды: жазба (іс) қайтадан жарияланды."},
		{i18n.RU, "Status added to the history: House arrest.", "Статус добавлен в историю: Домашний арест."},
		{i18n.RU, "Follow-up recorded: Partly met.", "Выполнение записано: Выполнено частично."},
		{i18n.RU, "A motion for a resolution has this kind of number, not a text adopted.",
			"Номер такого вида бывает у документа «проект резолюции», а не «принятый текст»."},
		{i18n.KK, "These words are not in Paragraph 3; copy them exactly from its text.",
			"Бұл сөздер 3-тармақта жоқ; оларды оның мәтінінен дәл көшіріңіз."},
		{i18n.RU, "Your account (editor) cannot do this; it needs the admin role.",
			"Ваша учётная запись (редактор) не может этого сделать: нужна роль «администратор»."},
		// counts: the plural form the number needs
		{i18n.RU, "1 demand carried over; each starts as not yet assessed.",
			"Перенесено 1 требование; каждое начинается с состояния «ещё не оценено»."},
		{i18n.RU, "3 demands carried over; each starts as not yet assessed.",
			"Перенесено 3 требования; каждое начинается с состояния «ещё не оценено»."},
		{i18n.RU, "5 demands carried over; each starts as not yet assessed.",
			"Перенесено 5 требований; каждое начинается с состояния «ещё не оценено»."},
		{i18n.KK, "5 demands carried over; each starts as not yet assessed.",
			"5 талап көшірілді; әрқайсысы «әлі бағаланбаған» жай-күйінен басталады."},
		{i18n.RU, "Token “ci” made; it expires in 21 days.", "Токен «ci» создан; срок действия — 21 день."},
		{i18n.RU, "Confirm that you have compared the 2 warnings with the source text.",
			"Подтвердите, что сверили с исходным текстом 2 предупреждения."},
		{i18n.KK, "Confirm that you have compared the 1 warning with the source text.",
			"1 ескерту бастапқы мәтінмен салыстырылғанын растаңыз."},
		// a part some messages leave out
		{i18n.RU, "Someone else changed this case while you were editing it. Their change is shown below; your input is kept, so you can check it and submit again.",
			"Пока вы редактировали эту запись (дело), её изменил другой пользователь. Его изменение показано ниже; введённое вами сохранено в форме, проверьте его и отправьте ещё раз."},
		{i18n.RU, "Someone else changed this case while you were editing it: aigerim@example.kz, on 2 May 2024 at 10:04:05 UTC. Their change is shown below; your input is kept, so you can check it and submit again.",
			"Пока вы редактировали эту запись (дело), её изменил другой пользователь: aigerim@example.kz, 2 мая 2024 г. в 10:04:05 UTC. Его изменение показано ниже; введённое вами сохранено в форме, проверьте его и отправьте ещё раз."},
		// messages joined: each sentence by its own entry
		{i18n.RU, "No person matches “Bokaev”: check the spelling, or create the record first. Choose below which person you mean.",
			"Человек «Bokaev» не найден: проверьте написание или сначала создайте запись. Выберите ниже, какого человека вы имеете в виду."},
		{i18n.KK, "No organisation matches “CITUK”, “KNPK”: check the spelling, or create the records first.",
			"Мына ұйымдар табылмады: «CITUK», «KNPK». Жазылуын тексеріңіз немесе алдымен жазбаларды жасаңыз."},
		// a noun without a message of its own: the general one
		{i18n.RU, "No case matches “Ayan”: check the spelling, or create the record first.",
			"По запросу «Ayan» ничего не найдено (дело). Проверьте написание или сначала создайте запись."},
		// a notice built in web (MergeNotice, SavedBy)
		{i18n.RU, "Saved. Someone else also changed this person while you were editing; their changes to Place, Notes (public) were kept alongside yours.",
			"Сохранено. Пока вы редактировали эту запись (человек), в неё также вносились изменения — другой пользователь. Эти изменения в полях Место, Примечания (публичные) сохранены вместе с вашими."},
		{i18n.KK, "Saved. aigerim@example.kz (2 May 2024, 10:04:05 UTC) also changed this case while you were editing; nothing they changed differs from your version, so it was saved as you wrote it.",
			"Сақталды. Сіз бұл жазбаны (іс) өңдеп жатқанда, оған басқа да өзгерістер енгізілді — aigerim@example.kz (2024 жылғы 2 мамыр, 10:04:05 UTC). Ол өзгерістердің ешқайсысы сіздің нұсқаңыздан өзгеше емес, сондықтан жазба сіз жазғандай сақталды."},
		{i18n.KK, "Person created. Others have the same name: Max Bokayev. If this is one of them, retire this record.",
			"Адам туралы жазба жасалды. Басқа адамдардың да аты осындай: Max Bokayev. Егер бұл солардың бірі болса, бұл жазбаны жариялаудан алыңыз."},
		{i18n.RU, "Not published: Paragraph 3 is not in the new text, but demand kz-3 (\"release\") refer to it; publishing would lose them.",
			"Не опубликовано: Пункт 3 отсутствует в новом тексте, но на это положение ссылаются: требование kz-3 («release»); при публикации они будут потеряны."},
		{i18n.RU, "Preparing this export took longer than the 2m0s allowed, so it was stopped. Please try again later.",
			"Подготовка этого экспорта заняла больше отведённого времени (2 минуты) и была остановлена. Пожалуйста, повторите попытку позже."},
		{i18n.KK, "The database is not answering. Please try again in a moment.", "Дерекқор жауап бермей тұр. Біраздан кейін қайталап көріңіз."},
		{i18n.RU, "type must be people, organisations, laws, cases, clauses or documents, not \"foo\".",
			"Параметр type может быть только people, organisations, laws, cases, clauses или documents, а не \"foo\"."},
		// a list of words
		{i18n.RU, "Fields you send that were also changed meanwhile: Name, Aliases.",
			"Поля, которые вы отправляете и которые тем временем тоже изменились: Имя, Другие написания."},
		// a message the catalogs do not know is shown as written
		{i18n.RU, "Something nobody wrote a translation for.", "Something nobody wrote a translation for."},
		{i18n.KK, "", ""},
		// an English page: as written
		{i18n.EN, "The name is required.", "The name is required."},
		{i18n.EN, "This person was retired on 14 March 2019 and is no longer published here.",
			"This person was retired on 14 March 2019 and is no longer published here."},
	} {
		if got := sayIn(c.lang, c.english); got != c.want {
			t.Errorf("Say(%s, %q)\n got %q\nwant %q", c.lang, c.english, got, c.want)
		}
	}
}

// A date is read as tracker.When.Text writes it; a bare year only where the value is named
// as a date, so that a number in a message is not taken for one.
func TestEnglishDate(t *testing.T) {
	for _, c := range []struct {
		in   string
		year bool
		want tracker.When
		ok   bool
	}{
		{"14 March 2019", false, tracker.MakeWhen(day(2019, 3, 14), tracker.ByDay), true},
		{"2 January 2006", false, tracker.MakeWhen(day(2006, 1, 2), tracker.ByDay), true},
		{"March 2019", false, tracker.MakeWhen(day(2019, 3, 1), tracker.ByMonth), true},
		{"2019", true, tracker.MakeWhen(day(2019, 1, 1), tracker.ByYear), true},
		{"2019", false, tracker.When{}, false},
		{"31 February 2019", false, tracker.When{}, false},
		{"14 Mar 2019", false, tracker.When{}, false},
		{"on 14 March 2019", false, tracker.When{}, false},
	} {
		got, ok := englishDate(c.in, c.year)
		if ok != c.ok || got != c.want {
			t.Errorf("englishDate(%q, %v) = %v, %v; want %v, %v", c.in, c.year, got, ok, c.want, c.ok)
		}
	}
	ctx := WithLang(context.Background(), i18n.RU)
	if got := sayValue(ctx, "RetiredDate", "2019"); got.(sayDate).String() != "2019 г." {
		t.Errorf("a year named as a date = %v", got)
	}
	if got := sayValue(ctx, "Line", "2019"); got != "2019" {
		t.Errorf("a number not named as a date = %v", got)
	}
}

var reValues = regexp.MustCompile(`\{\{\s*\.([A-Za-z]+)`)

// Every translation of a msg. entry puts in the values its English has, no more, no fewer:
// a value left out would lose what the message says (a name, a date).
func TestSayValuesKept(t *testing.T) {
	names := func(s string) []string {
		var out []string
		for _, m := range reValues.FindAllStringSubmatch(s, -1) {
			if !slices.Contains(out, m[1]) {
				out = append(out, m[1])
			}
		}
		slices.Sort(out)
		return out
	}
	texts := func(l i18n.Lang, id string, plurals map[string][]string) []string {
		if s, ok := catalog.Raw(l, id); ok {
			return []string{s}
		}
		return plurals[id]
	}
	enPlurals := pluralTexts(i18n.EN)
	for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
		plurals := pluralTexts(l)
		for _, id := range catalog.Keys(i18n.EN) {
			if !strings.HasPrefix(id, "msg.") {
				continue
			}
			want := names(texts(i18n.EN, id, enPlurals)[0])
			forms := texts(l, id, plurals)
			if len(forms) == 0 {
				t.Errorf("%s %s: no text", l, id)
			}
			for _, tr := range forms {
				if got := names(tr); !slices.Equal(got, want) {
					t.Errorf("%s %s has values %v, en %v: %q", l, id, got, want, tr)
				}
			}
		}
	}
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }
