package importer

import (
	"testing"
	"unicode/utf8"
)

// FuzzNames: whatever the clause, every name found is a span of whole words inside it.
func FuzzNames(f *testing.F) {
	for _, s := range []string{
		"whereas President Volodymyr Zelenskyy and Maria Lvova-Belova’s children, Putin’s war",
		"the Confederation of Independent Trade Unions of Kazakhstan (CITUK) and Emir-Usein Kuku",
		"Abdel Fattah al-Sisi, Lawyers’ Association of Pamir and Makhabat Tazhibek kyzy -- ’s ' - al- El-",
		"Hong Kong Hoang Thi Minh Hong and the Media Policy Institute and Adilet Legal Clinic (A) ()",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		for _, n := range findNames(text) {
			if n.start < 0 || n.end > len(text) || n.start >= n.end || !utf8.ValidString(text[n.start:n.end]) && utf8.ValidString(text) {
				t.Fatalf("name %+v outside %q", n, text)
			}
			if r, _ := utf8.DecodeLastRuneInString(text[:n.start]); n.start > 0 && isWordRune(r) {
				t.Fatalf("name %q starts inside a word of %q", text[n.start:n.end], text)
			}
		}
	})
}
