package web

import (
	"context"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/BurntSushi/toml"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// Messages the domain and the server write for users (validation messages, error pages:
// tracker.Errorf, tracker.FieldErrors, notices) are written in English, which the API
// answers with as its contract. Pages translate them with Say, by their English text,
// through the catalogs' "msg." keys: a translator sees an ordinary key with its English
// text, and the domain stays free of languages.
//
// An English text with values in it is written with them as {{.Name}}: "Keep the title
// under {{.Max}} characters." matches the message with any value there. Each value is put
// into the translation translated itself where it can be:
//   - a value that is itself a message, or a word of the vocabularies (a status, a demand's
//     state or action, a stage, a type of record, "Recital A"), in the page's language;
//   - a date as English writes it ("14 March 2019", "March 2019"; a bare year "2019" only in
//     a value whose name ends in Date) in the page's language: {{.Date}} is the date alone
//     ("14 марта 2019 г."), {{.Date.In}} the date after a verb ("2019 жылғы 14 наурызда"),
//     {{.Date.Since}} the date a state holds from;
//   - a value named as content (Name, Email, Slug, Words, …: verbatim below) is put in as
//     it is written;
//   - a value named Timeout is a time.Duration as Go writes it ("2m0s"), in words;
//   - a value named Count (or ending in Count) is a number: a plural message (a table of
//     one/few/many/other forms) takes the form its count needs, as N does.
//
// A message made of several sentences, each a message of its own (a validator's findings
// joined), is translated sentence by sentence when no entry matches it whole.

// sayPattern is a msg. entry whose English holds values.
type sayPattern struct {
	id      string
	re      *regexp.Regexp
	names   []string
	literal int  // the characters of its English outside the values: the more, the more specific
	plural  bool // a plural message: its count is the value named Count
}

// sayTables are the msg. entries by their English, and the vocabulary words by theirs.
type sayTables struct {
	exact    map[string]string // English → msg. id
	patterns []sayPattern      // most specific first
	words    map[string]string // a vocabulary word's English → its id
	wordsLow map[string]string // the same in lower case, as a sentence writes it
	phrases  []sayPattern      // vocabulary words with values: "Recital {{.Label}}"
}

// wordPrefixes are the vocabularies whose words a value may be.
var wordPrefixes = []string{"msg.", "status.", "demand_state.", "demand_action.", "stage.", "type.", "clause_kind.", "clause_name."}

var (
	reValueName = regexp.MustCompile(`\\\{\\\{\\\.([A-Za-z]+)\\\}\\\}`) // {{.Name}} in a quoted text
	reValue     = regexp.MustCompile(`\{\{\.[A-Za-z]+\}\}`)
)

// pattern compiles an English text with {{.Name}} values into a matcher.
func pattern(id, english string, plural bool) sayPattern {
	var names []string
	expr := reValueName.ReplaceAllStringFunc(regexp.QuoteMeta(english), func(m string) string {
		name := reValueName.FindStringSubmatch(m)[1]
		names = append(names, name)
		if isCountName(name) {
			return `(\d[\d,]*)`
		}
		return `(.*?)`
	})
	literal := utf8.RuneCountInString(reValue.ReplaceAllString(english, ""))
	return sayPattern{id: id, re: regexp.MustCompile("^" + expr + "$"), names: names, literal: literal, plural: plural}
}

func isCountName(name string) bool { return strings.HasSuffix(name, "Count") }

// pluralTexts reads the forms of a language's plural msg. entries as its files write them
// (the catalog gives them only filled in): id → the text of each form.
func pluralTexts(l i18n.Lang) map[string][]string {
	out := map[string][]string{}
	files, _ := fs.Glob(Locales, "locales/"+string(l)+"/*.toml")
	for _, name := range files {
		data, err := fs.ReadFile(Locales, name)
		if err != nil {
			continue
		}
		var m map[string]any
		if _, err := toml.Decode(string(data), &m); err != nil {
			continue // the catalog's own loading reports it
		}
		for id, v := range m {
			t, ok := v.(map[string]any)
			if !ok || !strings.HasPrefix(id, "msg.") {
				continue
			}
			for _, form := range []string{"zero", "one", "two", "few", "many", "other"} {
				if s, ok := t[form].(string); ok {
					out[id] = append(out[id], s)
				}
			}
		}
	}
	return out
}

var sayIndex = sync.OnceValue(func() *sayTables {
	t := &sayTables{exact: map[string]string{}, words: map[string]string{}, wordsLow: map[string]string{}}
	for _, id := range catalog.Keys(i18n.EN) {
		english, ok := catalog.Raw(i18n.EN, id)
		if !ok {
			continue // a plural message: below
		}
		isMsg := strings.HasPrefix(id, "msg.")
		if !isMsg && !slices.ContainsFunc(wordPrefixes, func(p string) bool { return strings.HasPrefix(id, p) }) {
			continue
		}
		switch {
		case strings.Contains(english, "{{") && pattern(id, english, false).literal == 0:
			// a text that is only values would match anything, itself included
		case strings.Contains(english, "{{") && isMsg:
			t.patterns = append(t.patterns, pattern(id, english, false))
		case strings.Contains(english, "{{"):
			t.phrases = append(t.phrases, pattern(id, english, false))
		case isMsg:
			t.exact[english] = id
		default:
			if _, dup := t.words[english]; !dup {
				t.words[english] = id
			}
			if _, dup := t.wordsLow[strings.ToLower(english)]; !dup {
				t.wordsLow[strings.ToLower(english)] = id
			}
		}
	}
	for id, forms := range pluralTexts(i18n.EN) {
		for _, english := range forms {
			t.patterns = append(t.patterns, pattern(id, english, true))
		}
	}
	specific := func(a, b sayPattern) int {
		if a.literal != b.literal {
			return b.literal - a.literal
		}
		return strings.Compare(a.id, b.id)
	}
	slices.SortStableFunc(t.patterns, specific)
	slices.SortStableFunc(t.phrases, specific)
	return t
})

// sayEntry is the msg. entry Say translates english by, whole.
func sayEntry(english string) (string, bool) {
	t := sayIndex()
	if id, ok := t.exact[english]; ok {
		return id, true
	}
	for _, p := range t.patterns {
		if p.re.MatchString(english) {
			return p.id, true
		}
	}
	return "", false
}

// Say is a message written in English by the domain or the server, in the page's
// language; a message the catalogs do not know is shown as it was written.
func Say(ctx context.Context, english string) string {
	if Lang(ctx) == i18n.EN || english == "" {
		return english
	}
	if s, ok := sayWhole(ctx, english); ok {
		return s
	}
	if s, ok := saySentences(ctx, english); ok {
		return s
	}
	return english
}

// sayWhole translates english by the entry that matches it whole.
func sayWhole(ctx context.Context, english string) (string, bool) {
	t := sayIndex()
	if id, ok := t.exact[english]; ok {
		return T(ctx, id), true
	}
	for _, p := range t.patterns {
		m := p.re.FindStringSubmatch(english)
		if m == nil {
			continue
		}
		kv, count := p.values(ctx, m)
		if p.plural {
			return N(ctx, p.id, count, kv...), true
		}
		return T(ctx, p.id, kv...), true
	}
	return "", false
}

// values are the name, value pairs of a match, each value translated, and its count.
func (p sayPattern) values(ctx context.Context, m []string) ([]any, int) {
	kv := make([]any, 0, 2*len(p.names))
	count := 0
	for i, name := range p.names {
		v := m[i+1]
		if isCountName(name) {
			n, _ := strconv.Atoi(strings.ReplaceAll(v, ",", ""))
			if name == "Count" {
				count = n
			}
			kv = append(kv, name, n)
			continue
		}
		kv = append(kv, name, sayValue(ctx, name, v))
	}
	return kv, count
}

// reSentenceEnd is where a sentence of a message ends and the next begins.
var reSentenceEnd = regexp.MustCompile(`[.!?:;][”"»)]?\s+`)

// saySentences translates a message made of sentences (or of clauses after a colon) that
// are messages of their own, joined: the longest run of sentences an entry matches, then
// the next. false when no part of it is known.
func saySentences(ctx context.Context, english string) (string, bool) {
	var cuts []int // where each sentence starts
	cuts = append(cuts, 0)
	for _, loc := range reSentenceEnd.FindAllStringIndex(english, -1) {
		if loc[1] < len(english) {
			cuts = append(cuts, loc[1])
		}
	}
	if len(cuts) < 2 {
		return "", false
	}
	cuts = append(cuts, len(english))
	var parts []string
	known := false
	for i := 0; i < len(cuts)-1; {
		next, text := i+1, strings.TrimSpace(english[cuts[i]:cuts[i+1]])
		for j := len(cuts) - 1; j > i; j-- {
			if j-i == len(cuts)-1 {
				continue // the whole message, tried already
			}
			if s, ok := sayWhole(ctx, strings.TrimSpace(english[cuts[i]:cuts[j]])); ok {
				next, text, known = j, s, true
				break
			}
		}
		parts = append(parts, text)
		i = next
	}
	return strings.Join(parts, " "), known
}

// verbatim are the names of values that are content, put in as they are written whatever
// they say: names, addresses, slugs, the words a clause quotes.
var verbatim = map[string]bool{"Name": true, "Names": true, "Email": true, "Slug": true, "Slugs": true, "Path": true,
	"Words": true, "Wording": true, "Value": true, "Procedure": true, "Given": true, "Method": true, "Demand": true, "Time": true}

// sayValue is a value of a message in the page's language: a date, a message, a word of
// the vocabularies, or the value as it is (a name, a number, an address).
func sayValue(ctx context.Context, name, v string) any {
	if verbatim[name] {
		// a list of names the English quotes one by one: “A”, “B”
		return strings.ReplaceAll(v, "”, “", "», «")
	}
	if d, err := time.ParseDuration(v); err == nil && name == "Timeout" {
		// a time.Duration as Go writes it: "2m0s"
		if d%time.Minute == 0 {
			return N(ctx, "msg.duration.minutes", int(d/time.Minute))
		}
		return N(ctx, "msg.duration.seconds", int(d.Round(time.Second)/time.Second))
	}
	if w, ok := englishDate(v, strings.HasSuffix(name, "Date")); ok {
		return sayDate{lang: Lang(ctx), w: w}
	}
	if s, ok := sayWhole(ctx, v); ok {
		return s
	}
	t := sayIndex()
	if id, ok := t.words[v]; ok {
		return T(ctx, id)
	}
	if id, ok := t.wordsLow[v]; ok {
		return lowerFirst(T(ctx, id))
	}
	for _, p := range t.phrases {
		if m := p.re.FindStringSubmatch(v); m != nil {
			kv, _ := p.values(ctx, m)
			return T(ctx, p.id, kv...)
		}
	}
	if s, ok := saySentences(ctx, v); ok {
		return s
	}
	if items := strings.Split(v, ", "); len(items) > 1 {
		// a list of words: "Name, Aliases"
		out := make([]string, len(items))
		for i, item := range items {
			s, ok := sayValue(ctx, name, item).(string)
			if !ok || s == item {
				return v
			}
			out[i] = s
		}
		return strings.Join(out, ", ")
	}
	return v
}

func lowerFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToLower(r)) + s[size:]
}

var (
	reEnglishDay   = regexp.MustCompile(`^\d{1,2} (January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$`)
	reEnglishMonth = regexp.MustCompile(`^(January|February|March|April|May|June|July|August|September|October|November|December) \d{4}$`)
	reEnglishYear  = regexp.MustCompile(`^\d{4}$`)
)

// englishDate reads a date as tracker.When.Text writes it: "14 March 2019", "March 2019",
// and, when year is true, "2019".
func englishDate(s string, year bool) (tracker.When, bool) {
	for _, f := range []struct {
		re     *regexp.Regexp
		layout string
		p      tracker.Precision
		ok     bool
	}{{reEnglishDay, "2 January 2006", tracker.ByDay, true}, {reEnglishMonth, "January 2006", tracker.ByMonth, true},
		{reEnglishYear, "2006", tracker.ByYear, year}} {
		if !f.ok || !f.re.MatchString(s) {
			continue
		}
		if t, err := time.Parse(f.layout, s); err == nil {
			return tracker.MakeWhen(t, f.p), true
		}
	}
	return tracker.When{}, false
}

// sayDate is a date put into a message: {{.Date}} writes it alone, {{.Date.In}} after a
// verb of something that happened, {{.Date.Since}} as the start of a state.
type sayDate struct {
	lang i18n.Lang
	w    tracker.When
}

func (d sayDate) String() string { return i18n.Date(d.lang, d.w) }

// In is the date after a verb: "в марте 2019 г.", "2019 жылғы 14 наурызда".
func (d sayDate) In() string { return i18n.DateIn(d.lang, d.w) }

// Since is the date a state holds from: "с 14 марта 2019 г.", "2019 жылғы 14 наурыздан бастап".
func (d sayDate) Since() string { return i18n.DateSince(d.lang, d.w) }
