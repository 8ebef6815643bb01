// Package i18n holds what Whereas needs to speak English, Russian and Kazakh without I/O:
// which language a request wants, how each language writes a date known to a year, a month
// or a day, which CLDR plural form a count takes, and the message catalogs (web/locales)
// every page, form and dossier reads its texts from (issue 17).
package i18n

import (
	"fmt"
	"strings"
	"time"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/language"

	"github.com/whereas/whereas/internal/tracker"
)

// Lang is an interface language: "en", "ru" or "kk".
type Lang string

// The interface languages, English first: it is the fallback.
const (
	EN Lang = "en"
	RU Lang = "ru"
	KK Lang = "kk"
)

// Langs are the interface languages in the switcher's order.
var Langs = []Lang{EN, RU, KK}

// Parse reads a language code as ?lang= and the cookie give it; ok is false for anything
// else, which is then ignored rather than answered with an error: a stale cookie or a
// hand-typed ?lang=de must not break a page.
func Parse(s string) (Lang, bool) {
	switch l := Lang(strings.ToLower(strings.TrimSpace(s))); l {
	case EN, RU, KK:
		return l, true
	}
	return EN, false
}

var matcher = language.NewMatcher([]language.Tag{language.English, language.Russian, language.Kazakh})

// Negotiate picks a request's language: ?lang= if it names one of ours, else the cookie,
// else the best of ours for Accept-Language, else English. A browser set to Kazakh with
// Russian second gets Kazakh; one set to Ukrainian alone gets English, not Russian: a
// language the reader did not ask for is not a better guess than the site's default.
func Negotiate(query, cookie, acceptLanguage string) Lang {
	if l, ok := Parse(query); ok {
		return l
	}
	if l, ok := Parse(cookie); ok {
		return l
	}
	tags, _, err := language.ParseAcceptLanguage(acceptLanguage)
	if err != nil || len(tags) == 0 {
		return EN
	}
	_, i, conf := matcher.Match(tags...)
	if conf < language.High {
		return EN
	}
	return Langs[i]
}

// Tag is the language's BCP 47 tag, for <html lang> and plural rules.
func (l Lang) Tag() language.Tag {
	switch l {
	case RU:
		return language.Russian
	case KK:
		return language.Kazakh
	}
	return language.English
}

// Form is a CLDR plural category.
type Form = plural.Form

// The plural categories the three languages use.
const (
	One   = plural.One
	Few   = plural.Few
	Many  = plural.Many
	Other = plural.Other
)

// PluralForm is the plural category of the whole number n in l, by CLDR's rules: Russian
// "1 пункт", "2 пункта", "5 пунктов", "21 пункт"; Kazakh and English one and other.
func PluralForm(l Lang, n int) Form {
	if n < 0 {
		n = -n
	}
	return plural.Cardinal.MatchPlural(l.Tag(), n, 0, 0, 0, 0)
}

var (
	ruMonthsGenitive = [...]string{"января", "февраля", "марта", "апреля", "мая", "июня", "июля", "августа", "сентября", "октября", "ноября", "декабря"}
	ruMonths         = [...]string{"январь", "февраль", "март", "апрель", "май", "июнь", "июль", "август", "сентябрь", "октябрь", "ноябрь", "декабрь"}
	kkMonths         = [...]string{"қаңтар", "ақпан", "наурыз", "сәуір", "мамыр", "маусым", "шілде", "тамыз", "қыркүйек", "қазан", "қараша", "желтоқсан"}
)

// Date writes a date as l writes it, saying no more than its precision: Russian
// "14 марта 2019 г.", "март 2019 г.", "2019 г."; Kazakh "2019 жылғы 14 наурыз",
// "2019 жылғы наурыз", "2019 жыл"; English as tracker.When.Text writes it. A zero date is
// written as unknown (docs/glossary.md).
func Date(l Lang, w tracker.When) string {
	if w.IsZero() {
		switch l {
		case RU:
			return "дата неизвестна"
		case KK:
			return "күні белгісіз"
		}
		return "date unknown"
	}
	y, m, d := w.Start.Date()
	switch l {
	case RU:
		switch w.Precision {
		case tracker.ByYear:
			return fmt.Sprintf("%d г.", y)
		case tracker.ByMonth:
			return fmt.Sprintf("%s %d г.", ruMonths[m-1], y)
		}
		return fmt.Sprintf("%d %s %d г.", d, ruMonthsGenitive[m-1], y)
	case KK:
		switch w.Precision {
		case tracker.ByYear:
			return fmt.Sprintf("%d жыл", y)
		case tracker.ByMonth:
			return fmt.Sprintf("%d жылғы %s", y, kkMonths[m-1])
		}
		return fmt.Sprintf("%d жылғы %d %s", y, d, kkMonths[m-1])
	}
	return w.Text()
}

var (
	ruMonthsIn  = [...]string{"январе", "феврале", "марте", "апреле", "мае", "июне", "июле", "августе", "сентябре", "октябре", "ноябре", "декабре"}
	kkMonthsIn  = [...]string{"қаңтарда", "ақпанда", "наурызда", "сәуірде", "мамырда", "маусымда", "шілдеде", "тамызда", "қыркүйекте", "қазанда", "қарашада", "желтоқсанда"}
	kkMonthsAbl = [...]string{"қаңтардан", "ақпаннан", "наурыздан", "сәуірден", "мамырдан", "маусымнан", "шілдеден", "тамыздан", "қыркүйектен", "қазаннан", "қарашадан", "желтоқсаннан"}
)

// DateIn is the date after a verb of something that happened: English "on 14 May 2018",
// "in May 2018", "in 2018"; Russian "14 мая 2018 г.", "в мае 2018 г.", "в 2018 г."; Kazakh
// "2018 жылғы 14 мамырда", "2018 жылғы мамырда", "2018 жылы".
func DateIn(l Lang, w tracker.When) string {
	if w.IsZero() {
		return Date(l, w)
	}
	y, m, d := w.Start.Date()
	switch l {
	case RU:
		switch w.Precision {
		case tracker.ByYear:
			return fmt.Sprintf("в %d г.", y)
		case tracker.ByMonth:
			return fmt.Sprintf("в %s %d г.", ruMonthsIn[m-1], y)
		}
		return Date(l, w)
	case KK:
		switch w.Precision {
		case tracker.ByYear:
			return fmt.Sprintf("%d жылы", y)
		case tracker.ByMonth:
			return fmt.Sprintf("%d жылғы %s", y, kkMonthsIn[m-1])
		}
		return fmt.Sprintf("%d жылғы %d %s", y, d, kkMonthsIn[m-1])
	}
	return w.In()
}

// DateSince is the date of a state that still holds: English "since 14 May 2018"; Russian
// "с 14 мая 2018 г.", "с мая 2018 г.", "с 2018 г."; Kazakh "2018 жылғы 14 мамырдан бастап",
// "2018 жылғы мамырдан бастап", "2018 жылдан бастап".
func DateSince(l Lang, w tracker.When) string {
	if w.IsZero() {
		return Date(l, w)
	}
	y, m, d := w.Start.Date()
	switch l {
	case RU:
		if w.Precision == tracker.ByMonth {
			return fmt.Sprintf("с %s %d г.", ruMonthsGenitive[m-1], y)
		}
		return "с " + Date(l, w)
	case KK:
		switch w.Precision {
		case tracker.ByYear:
			return fmt.Sprintf("%d жылдан бастап", y)
		case tracker.ByMonth:
			return fmt.Sprintf("%d жылғы %s бастап", y, kkMonthsAbl[m-1])
		}
		return fmt.Sprintf("%d жылғы %d %s бастап", y, d, kkMonthsAbl[m-1])
	}
	return w.Since()
}

// Day writes a calendar day (a time.Time known to the day) as l writes it.
func Day(l Lang, t time.Time) string {
	if t.IsZero() {
		return Date(l, tracker.When{})
	}
	return Date(l, tracker.Day(t))
}
