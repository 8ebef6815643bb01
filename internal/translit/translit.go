// Package translit turns a name, in Cyrillic (Russian or Kazakh) or in any common Latin
// transliteration, into one search key, so that Bokayev, Bokaev, BOKÁYEV and Бокаев, or
// Kharkova and Харькова, or Yerimbetov and Erimbetov, all meet. The key is for matching
// only; names are always shown as written.
package translit

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// cyrillic maps Russian and Kazakh Cyrillic letters to Latin. Soft and hard signs vanish;
// the Kazakh letters Ә Ғ Қ Ң Ө Ұ Ү Һ І go to their nearest Latin letter.
var cyrillic = map[rune]string{
	'а': "a", 'б': "b", 'в': "v", 'г': "g", 'д': "d", 'е': "e", 'ё': "e", 'ж': "zh", 'з': "z", 'и': "i", 'й': "y",
	'к': "k", 'л': "l", 'м': "m", 'н': "n", 'о': "o", 'п': "p", 'р': "r", 'с': "s", 'т': "t", 'у': "u", 'ф': "f",
	'х': "kh", 'ц': "ts", 'ч': "ch", 'ш': "sh", 'щ': "shch", 'ъ': "", 'ы': "y", 'ь': "", 'э': "e", 'ю': "yu", 'я': "ya",
	'ә': "a", 'ғ': "g", 'қ': "k", 'ң': "n", 'ө': "o", 'ұ': "u", 'ү': "u", 'һ': "h", 'і': "i",
	'є': "e", 'ї': "i", 'ў': "u",
}

// Key returns the search key of s: lower case, Latin, without diacritics, with the
// spelling variants of transliteration folded together. Words are kept apart by single
// spaces; anything that is not a letter or digit separates words.
func Key(s string) string {
	words := strings.Fields(Latin(s))
	for i, w := range words {
		words[i] = fold(w)
	}
	return strings.Join(words, " ")
}

// Latin writes s in lower-case Latin letters and digits, Cyrillic transliterated and
// diacritics dropped, without folding spelling variants: "Бокаев" → "bokaev", "Max
// Bokáyev" → "max bokayev". It suits making addresses from names.
func Latin(s string) string {
	var lat strings.Builder
	for _, r := range strings.ToLower(s) {
		if v, ok := cyrillic[r]; ok {
			lat.WriteString(v)
			continue
		}
		if r > unicode.MaxASCII {
			if d := []rune(norm.NFD.String(string(r))); len(d) > 0 && d[0] <= unicode.MaxASCII {
				r = d[0]
			}
		}
		switch {
		case r == 'ı':
			lat.WriteByte('i')
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			lat.WriteRune(r)
		case r == '\'' || r == '’' || r == 'ʼ' || r == '`':
			// apostrophes inside names (O'Connor, Kazakh Latin a') carry nothing
		default:
			lat.WriteByte(' ')
		}
	}
	return strings.Join(strings.Fields(lat.String()), " ")
}

// digraphs fold the spellings transliteration systems disagree on.
var digraphs = strings.NewReplacer(
	"shch", "sh", "sch", "sh", "dzh", "j", "zh", "j", "kh", "h", "ph", "f", "ts", "c", "tz", "c",
	"x", "ks", "q", "k", "w", "v", "ou", "u", "ck", "k",
)

func isVowel(b byte) bool { return strings.IndexByte("aeiouy", b) >= 0 }

// fold reduces one Latin word to its skeleton, repeating until nothing changes, so that a
// key is its own key.
func fold(w string) string {
	for range 8 {
		next := foldOnce(digraphs.Replace(w))
		if next == w {
			break
		}
		w = next
	}
	return w
}

// foldOnce treats y as the glide or vowel it is in transliterations (dropped between
// vowels and at the start before a vowel, i elsewhere) and collapses doubled letters.
func foldOnce(w string) string {
	b := []byte(w)
	out := make([]byte, 0, len(b))
	for i := 0; i < len(b); i++ {
		c := b[i]
		if c == 'y' {
			var next byte
			if i+1 < len(b) {
				next = b[i+1]
			}
			atStartOrAfterVowel := len(out) == 0 || isVowel(out[len(out)-1])
			if next != 0 && next != 'y' && isVowel(next) && atStartOrAfterVowel {
				continue // Yerlan/Erlan, Bokayev/Bokaev, Aliya/Alia
			}
			c = 'i' // Kayrat/Kairat, Dmitriy/Dmitri
		}
		// doubled letters: Larissa/Larisa, Kassymov/Kasymov; digits stay as they are
		if len(out) > 0 && out[len(out)-1] == c && (c < '0' || c > '9') {
			continue
		}
		out = append(out, c)
	}
	return string(out)
}
