package tracker

import (
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"

	"github.com/whereas/whereas/internal/translit"
)

// Snippet limits, as the search results show them: a text of up to snippetWords words is
// shown whole; a longer one as at most two passages of about snippetWindow words around
// the matched words, joined by " … ".
const (
	snippetWords  = 35
	snippetWindow = 17
)

// stopWords are the English words full-text search ignores; they are never highlighted.
var stopWords = map[string]bool{"a": true, "an": true, "and": true, "are": true, "as": true, "at": true, "be": true, "by": true,
	"for": true, "from": true, "has": true, "in": true, "is": true, "it": true, "its": true, "of": true, "on": true, "or": true,
	"that": true, "the": true, "this": true, "to": true, "was": true, "were": true, "with": true, "not": true}

// queryTerms are the words of a web-search style query worth highlighting: not negated
// ("-word"), not operators, not stop words; folded for comparison.
func queryTerms(query string) []string {
	var terms []string
	for _, f := range strings.Fields(query) {
		if strings.HasPrefix(f, "-") {
			continue
		}
		for _, w := range strings.FieldsFunc(f, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) }) {
			if w = foldWord(w); w != "" && !stopWords[w] {
				terms = append(terms, w)
			}
		}
	}
	return terms
}

// foldWord lower-cases a word, drops its diacritics, as unaccent does, and writes it in
// Latin letters, as the clause search does (translit.Latin), so that a query in Cyrillic
// marks the words it found in a Latin text and the other way round.
func foldWord(w string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(w)) {
		if !unicode.Is(unicode.Mn, r) {
			b.WriteRune(r)
		}
	}
	if lat := strings.ReplaceAll(translit.Latin(b.String()), " ", ""); lat != "" {
		return lat
	}
	return b.String()
}

// termMatches reports whether a word of the text matches a query term the way English
// stemming would: the same word, or both sharing the stem that endings (-s, -ed, -ing,
// -ion…) leave, approximated by a common prefix.
func termMatches(word, term string) bool {
	if word == term {
		return true
	}
	n := max(4, len(term)-2)
	return len(term) >= 4 && len(word) >= n && len(term) >= n && word[:n] == term[:n]
}

// Highlight makes the search snippet of a text: the words matching the query between \x01
// and \x02, the text cut to the passages around them when it is long. It does in Go what
// ts_headline did in SQL, where it was the costliest part of a text search.
func Highlight(text, query string) string {
	terms := queryTerms(query)
	words := strings.Fields(text)
	hit := make([]bool, len(words))
	var first []int // positions of the first two hits far enough apart to show apart
	for i, w := range words {
		core := strings.TrimFunc(w, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
		fw := foldWord(core)
		for _, t := range terms {
			if fw != "" && termMatches(fw, t) {
				hit[i] = true
				if len(first) == 0 || (len(first) == 1 && i-first[0] >= 2*snippetWindow) {
					first = append(first, i)
				}
				break
			}
		}
	}
	mark := func(i int) string {
		if !hit[i] {
			return words[i]
		}
		w := words[i]
		start := strings.IndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		end := strings.LastIndexFunc(w, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) })
		if start < 0 {
			return w
		}
		_, size := utf8.DecodeRuneInString(w[end:])
		return w[:start] + "\x01" + w[start:end+size] + "\x02" + w[end+size:]
	}
	passage := func(from, to int) string {
		parts := make([]string, 0, to-from)
		for i := from; i < to; i++ {
			parts = append(parts, mark(i))
		}
		return strings.Join(parts, " ")
	}
	if len(words) <= snippetWords {
		return passage(0, len(words))
	}
	if len(first) == 0 {
		return passage(0, snippetWords) + " …"
	}
	// Passages are cut between words; an ellipsis says where the text goes on.
	var out strings.Builder
	for i, at := range first {
		from := max(0, at-snippetWindow/3)
		to := min(len(words), from+snippetWindow)
		if i > 0 || from > 0 {
			out.WriteString("… ")
		}
		out.WriteString(passage(from, to))
		if i == len(first)-1 && to < len(words) {
			out.WriteString(" …")
		} else if i < len(first)-1 {
			out.WriteString(" ")
		}
	}
	return out.String()
}
