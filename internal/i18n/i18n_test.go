package i18n

import (
	"testing"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

func TestNegotiate(t *testing.T) {
	for _, c := range []struct {
		query, cookie, accept string
		want                  Lang
	}{
		{"", "", "", EN},
		{"ru", "kk", "en", RU},                  // ?lang= first
		{"de", "kk", "ru", KK},                  // an unknown ?lang= falls to the cookie
		{"", "KK", "", KK},                      // codes are case-insensitive
		{"", "", "kk-KZ,ru;q=0.8,en;q=0.5", KK}, // a Kazakh browser
		{"", "", "ru-RU,ru;q=0.9,en-US;q=0.8", RU},
		{"", "", "en-GB,en;q=0.9", EN},
		{"", "", "uk", EN}, // Ukrainian alone: English, not a guess at Russian
		{"", "", "fr, ru;q=0.5", RU},
		{"", "", ";;;garbage", EN},
	} {
		if got := Negotiate(c.query, c.cookie, c.accept); got != c.want {
			t.Errorf("Negotiate(%q, %q, %q) = %s, want %s", c.query, c.cookie, c.accept, got, c.want)
		}
	}
}

func TestPluralForm(t *testing.T) {
	ru := map[int]Form{0: Many, 1: One, 2: Few, 4: Few, 5: Many, 11: Many, 12: Many, 14: Many, 21: One, 22: Few, 25: Many, 101: One, 111: Many}
	for n, want := range ru {
		if got := PluralForm(RU, n); got != want {
			t.Errorf("ru %d: form %v, want %v", n, got, want)
		}
	}
	for n, want := range map[int]Form{0: Other, 1: One, 2: Other, 21: Other} {
		if got := PluralForm(KK, n); got != want {
			t.Errorf("kk %d: form %v, want %v", n, got, want)
		}
		if got := PluralForm(EN, n); got != want {
			t.Errorf("en %d: form %v, want %v", n, got, want)
		}
	}
}

func TestDate(t *testing.T) {
	vote := time.Date(2019, time.March, 14, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		lang Lang
		w    tracker.When
		want string
	}{
		{RU, tracker.Day(vote), "14 марта 2019 г."},
		{RU, tracker.MakeWhen(vote, tracker.ByMonth), "март 2019 г."},
		{RU, tracker.MakeWhen(vote, tracker.ByYear), "2019 г."},
		{KK, tracker.Day(vote), "2019 жылғы 14 наурыз"},
		{KK, tracker.MakeWhen(vote, tracker.ByMonth), "2019 жылғы наурыз"},
		{KK, tracker.MakeWhen(vote, tracker.ByYear), "2019 жыл"},
		{EN, tracker.Day(vote), "14 March 2019"},
		{EN, tracker.MakeWhen(vote, tracker.ByMonth), "March 2019"},
		{RU, tracker.Day(time.Date(2021, time.May, 1, 0, 0, 0, 0, time.UTC)), "1 мая 2021 г."},
		{KK, tracker.Day(time.Date(2021, time.December, 31, 0, 0, 0, 0, time.UTC)), "2021 жылғы 31 желтоқсан"},
		{RU, tracker.When{}, "дата неизвестна"},
		{KK, tracker.When{}, "күні белгісіз"},
		{EN, tracker.When{}, "date unknown"},
	} {
		if got := Date(c.lang, c.w); got != c.want {
			t.Errorf("Date(%s, %v) = %q, want %q", c.lang, c.w, got, c.want)
		}
	}
}
