package translit_test

import (
	"testing"

	"github.com/whereas/whereas/internal/translit"
)

func TestSpellingsMeet(t *testing.T) {
	groups := [][]string{
		{"Max Bokayev", "Maks Bokayev", "Max Bokaev", "Maks Bokaev", "Макс Бокаев", "MAX BOKÁYEV"},
		{"Kushakbaev", "Kushakbayev", "Кушакбаев", "Құшақбаев"},
		{"Mataev", "Matayev", "Матаев"},
		{"Yerimbetov", "Erimbetov", "Еримбетов"},
		{"Eleusinov", "Yeleusinov", "Елеусинов"},
		{"Kharkova", "Харькова", "Harkova"},
		{"Larisa Kharkova", "Larissa Kharkova", "Лариса Харькова"},
		{"Ardak Ashim", "Ардақ Әшім", "Ардак Ашим"},
		{"Nurbek", "Нұрбек", "Нурбек"},
		{"Zhanaozen", "Janaozen", "Жанаозен"},
		{"Kairat", "Kayrat", "Qairat", "Қайрат"},
		{"Aliya", "Alia", "Алия"},
		{"Dmitriy", "Dmitri", "Dmitrii", "Дмитрий"},
		{"Semenova", "Семёнова", "Семенова"},
		{"Ғалым Һ", "galim h"},
	}
	for _, g := range groups {
		want := translit.Key(g[0])
		for _, s := range g[1:] {
			if got := translit.Key(s); got != want {
				t.Errorf("Key(%q) = %q, Key(%q) = %q: want them equal", g[0], want, s, got)
			}
		}
	}
}

func TestDifferentNamesStayApart(t *testing.T) {
	pairs := [][2]string{{"Bokayev", "Baltabay"}, {"Ayan", "Ashim"}, {"Mataev", "Matveev"}, {"Elena Semenova", "Ardak Ashim"}}
	for _, p := range pairs {
		if translit.Key(p[0]) == translit.Key(p[1]) {
			t.Errorf("%q and %q share the key %q", p[0], p[1], translit.Key(p[0]))
		}
	}
}

func TestOddInputIsSafe(t *testing.T) {
	for _, s := range []string{"", "   ", "%_\\'\"", "😀 Bokayev", "a&b|c!d:*", "\x00", "ыыы", "Ǆ"} {
		_ = translit.Key(s) // must not panic
	}
	if got := translit.Key("😀 Bokayev!"); got != translit.Key("Bokayev") {
		t.Errorf("emoji and punctuation change the key: %q", got)
	}
}

func FuzzKey(f *testing.F) {
	f.Add("Макс Бокаев")
	f.Add("Yerimbetov")
	f.Fuzz(func(t *testing.T, s string) {
		k := translit.Key(s)
		if translit.Key(k) != k {
			t.Fatalf("Key is not idempotent on %q: %q then %q", s, k, translit.Key(k))
		}
	})
}
