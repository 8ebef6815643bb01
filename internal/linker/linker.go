// Package linker finds the people, organisations and legal provisions that a clause names,
// by searching its text for every entity's name and aliases. Matching is on whole words and
// ignores case and diacritics (Bokayev, BOKAYEV and Bokáyev are one name), so a new
// resolution gets its links the same way the seed did, with no hand-made list.
package linker

import (
	"slices"
	"sort"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"github.com/whereas/whereas/internal/tracker"
)

// Entity is something a clause can name: its names are the canonical name and every alias.
type Entity struct {
	Type  tracker.EntityType
	Slug  string
	Name  string
	Names []string
}

// Linker matches clause text against a fixed set of entities. It is safe for concurrent use.
type Linker struct {
	patterns []pattern
	cases    map[string][]Entity // key(type, slug) of a case's subject → its cases
	known    map[string]bool     // key(type, slug) of every entity
	entities []Entity
	caseList []Case
}

// Parts returns what the linker was built from, so a caller can build one that knows more.
func (l *Linker) Parts() ([]Entity, []Case) {
	return slices.Clone(l.entities), slices.Clone(l.caseList)
}

// Has reports whether the linker knows the entity.
func (l *Linker) Has(t tracker.EntityType, slug string) bool { return l.known[key(t, slug)] }

type pattern struct {
	folded []rune
	entity int
	ents   []Entity
}

// New builds a linker over entities; cases lists each case with the people and
// organisations it concerns, so that a clause naming them is linked to their case too.
func New(entities []Entity, cases []Case) *Linker {
	l := &Linker{cases: map[string][]Entity{}, known: map[string]bool{}, entities: entities, caseList: cases}
	seen := map[string]bool{}
	for i, e := range entities {
		l.known[key(e.Type, e.Slug)] = true
		for _, name := range append([]string{e.Name}, e.Names...) {
			f := []rune(collapse(Fold(name)))
			k := string(f) + "\x00" + string(e.Type) + e.Slug
			if len(f) == 0 || seen[k] {
				continue
			}
			seen[k] = true
			l.patterns = append(l.patterns, pattern{folded: f, entity: i, ents: entities})
		}
	}
	// Longest names first, so that "Criminal Code Article 274" wins over "Article 274".
	sort.SliceStable(l.patterns, func(i, j int) bool { return len(l.patterns[i].folded) > len(l.patterns[j].folded) })
	for _, c := range cases {
		for _, s := range c.Subjects {
			k := key(s.Type, s.Slug)
			l.cases[k] = append(l.cases[k], c.Entity)
		}
	}
	return l
}

// Case is a case with the entities it concerns.
type Case struct {
	Entity   Entity
	Subjects []tracker.EntityRef
}

func key(t tracker.EntityType, slug string) string { return string(t) + "/" + slug }

// Link returns the mentions in text, in order of position. Overlapping matches are settled
// for the longest; a clause naming a case's subject also mentions that case, once, at the
// subject's first span.
func (l *Linker) Link(text string) []tracker.Mention {
	orig := []rune(text)
	folded := []rune(Fold(text))
	taken := make([]bool, len(folded))
	var out []tracker.Mention
	for _, p := range l.patterns {
		n := len(p.folded)
		for i := 0; i+n <= len(folded); i++ {
			if folded[i] != p.folded[0] || !equal(folded[i:i+n], p.folded) || !boundary(folded, i, i+n) || anyTaken(taken[i:i+n]) {
				continue
			}
			for j := i; j < i+n; j++ {
				taken[j] = true
			}
			e := p.ents[p.entity]
			out = append(out, tracker.Mention{Type: e.Type, Slug: e.Slug, Name: e.Name, Matched: string(orig[i : i+n]), Start: i, End: i + n})
			i += n - 1
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Start < out[j].Start })
	return l.WithCases(out)
}

// WithCases adds to mentions of people and organisations, in order of position, the cases
// those subjects have: once per case, at the first span naming one of its subjects. Link
// does this itself; a reader of marked-up text, whose markup names only the subjects,
// calls it to find the same case mentions.
func (l *Linker) WithCases(mentions []tracker.Mention) []tracker.Mention {
	seen := map[string]bool{}
	var withCases []tracker.Mention
	for _, m := range mentions {
		if m.Type == tracker.CaseEntity {
			continue
		}
		withCases = append(withCases, m)
		for _, c := range l.cases[key(m.Type, m.Slug)] {
			if seen[c.Slug] {
				continue
			}
			seen[c.Slug] = true
			withCases = append(withCases, tracker.Mention{Type: tracker.CaseEntity, Slug: c.Slug, Name: c.Name, Matched: m.Matched, Start: m.Start, End: m.End})
		}
	}
	return withCases
}

func equal(a, b []rune) bool {
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func anyTaken(t []bool) bool {
	for _, v := range t {
		if v {
			return true
		}
	}
	return false
}

// boundary reports whether folded[i:j] stands as whole words: no letter or digit touches it.
func boundary(folded []rune, i, j int) bool {
	word := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
	return (i == 0 || !word(folded[i-1])) && (j == len(folded) || !word(folded[j]))
}

// Fold maps text to a form in which case, diacritics and typographic variants of
// punctuation no longer matter. It maps rune for rune, so offsets into the folded text
// are offsets into the original.
func Fold(s string) string {
	return strings.Map(foldRune, s)
}

func foldRune(r rune) rune {
	switch r {
	case '’', '‘', 'ʼ', '`', '´', '′':
		return '\''
	case '“', '”', '„', '«', '»':
		return '"'
	case '–', '—', '‐', '‑', '−':
		return '-'
	case 'ı':
		return 'i'
	}
	if unicode.IsSpace(r) {
		return ' '
	}
	if r > unicode.MaxASCII {
		if d := norm.NFD.String(string(r)); d != "" {
			base := []rune(d)[0]
			if !unicode.Is(unicode.Mn, base) {
				r = base
			}
		}
	}
	return unicode.ToLower(r)
}

func collapse(s string) string { return strings.Join(strings.Fields(s), " ") }
