// Package parser turns the raw text of a European Parliament resolution, as extracted from
// its PDF or HTML edition, into clauses: citations, recitals, operative paragraphs and
// their sub-points. It removes extraction artifacts (bullet lines, page numbers, running
// headers, footnote markers and footnotes, hyphenation at line ends) but keeps each clause's wording exactly, typos and all,
// because users quote clauses and compare them with the official text.
package parser

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/tracker"
)

// Document is what Parse finds in a resolution's text.
type Document struct {
	Title     string    // the heading before the clauses, procedure reference removed; in full
	Procedure string    // "2019/2610(RSP)", when the heading gives one
	Adopted   time.Time // the sitting day of a text adopted, when its front matter gives it
	Tabled    time.Time // the day a motion was tabled, when its front matter gives it
	// Stage is which text of the procedure this is, as its front matter and heading say:
	// a motion ("Motion for a resolution", B8-…, or a heading without the date adopted
	// texts always carry), a joint motion (RC-B8-…), or a text adopted; "" when they say nothing.
	Stage     tracker.Stage
	Reference string           // the document number the front matter gives: "B8-0180/2019", "RC-B8-0180/2019", "P8_TA(2019)0203"
	Clauses   []tracker.Clause // in reading order, Position set from 1
	// RecitalsNote says, when the source did not letter its recitals A, B, …, how it did:
	// they are lettered here all the same, and the page should say so.
	RecitalsNote string
	// RecitalsWords are what RecitalsNote says, as a key and values, for pages that say it
	// in another language.
	RecitalsWords Words
	Warnings      []Warning // places a reviewer should look at, in line order
}

// MaxTitle is the length past which ShortTitle shortens a title for display.
const MaxTitle = 300

// ShortTitle is the title shortened for display to MaxTitle characters, at a word break.
func (d Document) ShortTitle() string { return ShortenTitle(d.Title) }

// ShortenTitle shortens a title to MaxTitle characters at a word break, ending it with "…".
func ShortenTitle(t string) string {
	r := []rune(t)
	if len(r) <= MaxTitle {
		return t
	}
	cut := string(r[:MaxTitle-1])
	if i := strings.LastIndexByte(cut, ' '); i > MaxTitle/2 {
		cut = cut[:i]
	}
	return strings.TrimRight(cut, " ,;:–-") + "…"
}

// Warning is a place where the parser accepted the text but is unsure of it: the reviewer
// should compare the clause it names with the official text.
type Warning struct {
	Line int    `json:"line"`
	Msg  string `json:"msg"`
	// Words are what Msg says, as a key and values, for pages that say it in another
	// language (web/locales/*/imports.toml, "imports.warning."+Key).
	Words Words `json:"-"`
}

// Words are a message the parser writes in English (a warning, the recitals' note) as the
// key that names it and its values, so that a page can say it in another language: a
// clause as Kind and Label ("recital", "B"), numbers in digits, a range of labels as From
// and To (the same label when it is one), the words quoted from the text as Quote.
type Words struct {
	Key  string
	Args map[string]string
}

func (w Warning) String() string { return fmt.Sprintf("line %d: warning: %s", w.Line, w.Msg) }

// Error is a refusal to parse, naming the 1-based line where the text stopped making sense.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

var (
	reProcedure = regexp.MustCompile(`(\d{4}/\d{4}\([A-Z]{3}\))`)
	// Labels are matched at the start of a line only: the rest is sliced off, not matched,
	// so that a line of a megabyte costs no more than a short one.
	reRecital      = regexp.MustCompile(`^([A-Z]{1,2})\.\s*`)
	reParagraph    = regexp.MustCompile(`^(\d{1,4})\.\s*`)
	rePoint        = regexp.MustCompile(`^\(([a-z]{1,2})\)\s*`)
	reBullet       = regexp.MustCompile(`^[-–—•·▪](?:\s+|$)`)
	reTightBullet  = regexp.MustCompile(`^[-–—•](?i:having regard|whereas)\b`) // "-having regard to …"
	reLeadIn       = regexp.MustCompile(`(?i)^whereas\s*:$`)
	reParliament   = regexp.MustCompile(`(?i)^the european parliament\s*,?$`)
	reHavingRegard = regexp.MustCompile(`(?i)^having regard\b`)
	reWhereas      = regexp.MustCompile(`(?i)^whereas\b`)
	// Footnote markers stuck to the word before them: "Kazakhstan(1)", "resolutions,(2)",
	// "2013[2]", "of 14 March 2019(1)". A bracketed number after other digits stays
	// ("Article 174(1)" is a reference to a paragraph of the article, not a footnote).
	reFootnoteMarker = regexp.MustCompile(`([\pL.,;:’'")\]]|\b(?:19|20)\d\d)\((\d{1,2})\)|(\S)\[(\d{1,2})\]`)
	// A footnote's own line, at a page's foot or the text's end: "(1) OJ C 76, …", "[2] …".
	reFootnoteLine = regexp.MustCompile(`^(?:\((\d{1,2})\)|\[(\d{1,2})\])\s`)
	// Running headers and footers of EP documents: page numbers ("3", "3/7", "Page 3 of 7"),
	// document references (PE635.xxx, RC\1177…EN, B8-0191/2019, P8_TA(2019)0203), the
	// language code alone, and the EU motto, alone or together on one line; a joint motion
	// adds a brace after each of the motions it replaces and "RC1" after the last
	// ("PE689.006v01-00 }", "PE689.008v01-00 } RC1"). Only lines made wholly of such tokens
	// are dropped: a sentence that cites a document stays text.
	reArtifactToken = regexp.MustCompile(`^(?:\d{1,3}(?:/\d{1,3})?|Page|of|PE\d{3}\.[0-9a-zA-Z]{3}(?:v\d{2}-\d{2})?|v\d{2}-\d{2}|(?:RC|AM|RE)\\\S*|(?:RC-)?B\d-\d{4}/\d{4}|P\d_TA(?:-PROV)?\(\d{4}\)\d{4}|EN|United|in|diversity|\}|RC\d?)$`)

	// Where a report or decision copied past its end turns into amendment tables: the
	// clauses end there.
	reTable = regexp.MustCompile(`^(?:(?:Compromise )?Amendment \d{1,4}|Present text(?: *\|? *Amendment)?|Text proposed by the Commission(?: *\|? *Amendment)?|Amendments? by Parliament\b.*)$`)
	// The sections and page furniture that follow a resolution's last paragraph in a report
	// or a web page: the clauses end there too.
	reEndMatter = regexp.MustCompile(`^(?:EXPLANATORY STATEMENT|ANNEX(?:ES)?(?: TO THE (?:MOTION FOR A )?RESOLUTION)?|INFORMATION ON ADOPTION IN COMMITTEE RESPONSIBLE|FINAL VOTE BY ROLL CALL IN COMMITTEE RESPONSIBLE|PROCEDURE – COMMITTEE RESPONSIBLE|MINORITY (?:OPINION|POSITION)|OPINION OF THE [A-Z ,]+|POSITION IN THE FORM OF AMENDMENTS|LETTER (?:OF|FROM) THE [A-Z ,]+)$`)
	// The foot of a europarl.europa.eu page: the resolution has ended, as expected.
	rePageFoot = regexp.MustCompile(`^(?:Last updated: .+|Legal notice\b.*)$`)
	// The line of the front matter that starts the title: "European Parliament resolution
	// of 16 March 2023 on …", "Joint motion for a European Parliament resolution on …",
	// "MOTION FOR A EUROPEAN PARLIAMENT RESOLUTION".
	reTitle     = regexp.MustCompile(`(?i)^(?:joint motion for an? |motion for an? |draft )?european parliament (?:legislative |non-legislative )?(?:resolution|decision|recommendation)\b`)
	reDateLine  = regexp.MustCompile(`^(\d{1,2}\.\d{1,2}\.\d{4})$`)                                                  // a motion's date tabled: "13.3.2023"
	reSitting   = regexp.MustCompile(`^(?:Monday|Tuesday|Wednesday|Thursday|Friday), (\d{1,2} [A-Z][a-z]+ \d{4})\b`) // "Thursday, 16 March 2023 - Strasbourg"
	reDocRef    = regexp.MustCompile(`\b((?:RC-)?B\d{1,2}-\d{4}/\d{4}|P\d{1,2}_TA(?:-PROV)?\(\d{4}\)\d{4})\b`)
	reTitleDate = regexp.MustCompile(`(?i)^european parliament (?:legislative |non-legislative )?(?:resolution|decision|recommendation) of (\d{1,2} [A-Za-z]+ \d{4})\b`)
)

// maxGap is how many labels a numbering may skip and still be read as a numbering, with a
// warning; a longer jump is refused, or read as wrapped text where that is what it can be.
const maxGap = 9

// maxWarnings bounds the warnings of one text: past them, the text needs a closer look anyway.
const maxWarnings = 100

// line is one line of input after clean-up, with its 1-based number in the original text.
type line struct {
	no     int
	text   string
	bullet bool // the line began with a bullet that was removed, or followed a lone one
}

// Parse splits a resolution's raw text into clauses. It refuses, with an *Error naming the
// line, text that is not valid UTF-8, that has text outside any clause after the heading,
// whose labels run backwards, or in which no clause can be found. It accepts, with a
// Warning naming the line, what it reads but is unsure of.
func Parse(text string) (Document, error) {
	lines, err := cleanLines(text)
	if err != nil {
		return Document{}, err
	}
	p := &state{whole: strings.ToLower(text)}
	for _, l := range lines {
		stop, err := p.feed(l)
		if err != nil {
			return Document{}, err
		}
		if stop {
			break
		}
	}
	return p.finish(strings.Count(text, "\n") + 1)
}

// cleanLines normalises spacing and drops the lines that are extraction artifacts.
func cleanLines(text string) ([]line, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	// The footnotes the text refers to, so that their own lines can be told from text.
	notes := map[string]bool{}
	lines := strings.Split(text, "\n")
	for _, l := range lines {
		if bracketedNumber(l) {
			for _, m := range reFootnoteMarker.FindAllStringSubmatch(l, -1) {
				notes[m[2]+m[4]] = true
			}
		}
	}
	var out []line
	loneBullet := false
	for i, raw := range lines {
		no := i + 1
		if !utf8.ValidString(raw) {
			return nil, &Error{no, "the text is not valid UTF-8"}
		}
		if strings.ContainsRune(raw, 0) {
			return nil, &Error{no, "the text contains a NUL byte; is this a binary file?"}
		}
		s := strings.TrimSpace(strings.Map(func(r rune) rune {
			switch {
			case r == '\u200B' || r == '\uFEFF' || r == '\u2060':
				return -1
			case unicode.IsSpace(r) || r == '\u2028' || r == '\u2029':
				return ' ' // tabs, non-breaking and thin spaces
			}
			return r
		}, raw))
		if s == "" || isArtifact(s) {
			continue
		}
		if m := reFootnoteLine.FindStringSubmatch(s); m != nil && notes[m[1]+m[2]] {
			continue
		}
		if bracketedNumber(s) {
			s = reFootnoteMarker.ReplaceAllString(s, "$1$3")
		}
		bullet := loneBullet
		loneBullet = false
		if m := reBullet.FindStringIndex(s); m != nil {
			s, bullet = s[m[1]:], true
			if s == "" {
				loneBullet = true // a lone bullet, its clause on the next line
				continue
			}
		} else if reTightBullet.MatchString(s) {
			_, size := utf8.DecodeRuneInString(s)
			s, bullet = s[size:], true
		}
		out = append(out, line{no: no, text: s, bullet: bullet})
	}
	return out, nil
}

// bracketedNumber reports whether s holds "(" or "[" before a digit: the quick test before
// the expressions for footnotes, which are linear but slow.
func bracketedNumber(s string) bool {
	for i := 0; i+1 < len(s); i++ {
		if (s[i] == '(' || s[i] == '[') && s[i+1] >= '0' && s[i+1] <= '9' {
			return true
		}
	}
	return false
}

// reRunningHeader matches the running headers of texts adopted as printed in the Official
// Journal: "C 23/118 EN Official Journal of the European Union 21.1.2021" (or the other way
// round on even pages), and the sitting day over each page, "Thursday 14 March 2019".
var reRunningHeader = regexp.MustCompile(`^(?:(?:C|L) \d{1,3}/\d{1,4} +EN +Official Journal of the European Union +\d{1,2}\.\d{1,2}\.\d{4}|\d{1,2}\.\d{1,2}\.\d{4} +EN +Official Journal of the European Union +(?:C|L) \d{1,3}/\d{1,4}|(?:Monday|Tuesday|Wednesday|Thursday|Friday) \d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December) \d{4})$`)

func isArtifact(s string) bool {
	if reRunningHeader.MatchString(s) {
		return true
	}
	for _, tok := range strings.Fields(s) {
		// web pages write document numbers with a non-breaking hyphen: "B9‑0176/2023"
		if !reArtifactToken.MatchString(strings.ReplaceAll(tok, "\u2011", "-")) {
			return false
		}
	}
	// "in", "of", "EN", "RC" and "}" alone are too common to be headers by themselves.
	switch s {
	case "in", "of", "Page", "United", "diversity", "RC", "}":
		return false
	}
	return true
}

type phase int

const (
	inHeading phase = iota
	inCitations
	inRecitals
	inParagraphs
)

// clause is a clause being built: its label and the lines that make its text.
type clause struct {
	kind  tracker.ClauseKind
	label string
	eid   string
	first int
	lines []line
}

type state struct {
	whole      string          // the whole text, lower-cased, to decide hyphenation
	hyphens    map[string]bool // hyphenated words in whole, built on first need
	phase      phase
	heading    []line
	clauses    []*clause
	cur        *clause
	citations  int
	recitals   int // recitals so far; the last one's label is recitalLabel(recitals)
	numbered   int // recitals the source numbered "1. Whereas …"
	lastNumber int // the source's number of the last numbered recital
	// paraOffset is what the source's paragraph numbers are above the ones given here: the
	// number of its last recital, when it numbers its paragraphs on from there.
	paraOffset int
	dashed     int    // recitals the source marked with a dash, "– whereas …"
	leadIn     bool   // a bare "Whereas:" came before the recitals
	paragraphs int    // the last paragraph's number in the source
	points     int    // sub-points so far in the current paragraph
	para       string // the current paragraph's label (its number here)
	warnings   []Warning
}

// warn records a warning at line no: its key and values (w), and in English format with a.
func (p *state) warn(no int, w Words, format string, a ...any) {
	if len(p.warnings) < maxWarnings {
		p.warnings = append(p.warnings, Warning{no, fmt.Sprintf(format, a...), w})
	}
}

// words is a message's Words from its key and its values as name, value pairs.
func words(key string, kv ...string) Words {
	w := Words{Key: key, Args: map[string]string{}}
	for i := 0; i+1 < len(kv); i += 2 {
		w.Args[kv[i]] = kv[i+1]
	}
	return w
}

func (p *state) start(kind tracker.ClauseKind, label, eid string, l line, rest string) {
	c := &clause{kind: kind, label: label, eid: eid, first: l.no}
	p.clauses = append(p.clauses, c)
	p.cur = c
	if rest != "" {
		p.add(line{no: l.no, text: rest})
	}
}

// add appends a line to the current clause, warning about what should not be there.
func (p *state) add(l line) {
	c := p.cur
	c.lines = append(c.lines, l)
	name := lowerFirst(tracker.KindLabel(c.kind, c.label))
	for _, s := range suspects {
		if !s.maybe(l.text) {
			continue
		}
		if m := s.re.FindString(l.text); m != "" {
			p.warn(l.no, words("suspect", "Kind", string(c.kind), "Label", c.label, "What", s.code, "Quote", short(m)),
				"%s holds what looks like %s (\"%s\"): compare it with the official text", name, s.what, short(m))
			break
		}
	}
	if at, what, next := p.midLine(l.text); at >= 0 {
		p.warn(l.no, words("mid_line", "Next", next.kind, "NextLabel", next.label, "Kind", string(c.kind), "Label", c.label, "Quote", short(l.text[at:])),
			"%s seems to start in the middle of a line of %s (\"%s\"): it is kept as part of %s", what, name, short(l.text[at:]), name)
	}
}

// midLine finds, in a line of the current clause, the start of the clause that should come
// next: "…; B. whereas", "…; 2. Calls", "…; (b) ", "…; – having regard". It looks for the
// next label as a plain string, then at what stands around it, so that it stays linear and
// fast on a line of any length.
//
// begins says what begins there as a kind ("recital", "recital_numbered", "paragraph",
// "point", or "clause" for a new clause of no known label) and its label, for Words.
func (p *state) midLine(s string) (at int, what string, begins nextClause) {
	// after reports whether s[:i] ends with punctuation and a space
	after := func(i int, punct string) bool {
		j := strings.LastIndexFunc(s[:i], func(r rune) bool { return !unicode.IsSpace(r) })
		return j >= 0 && j < i-1 && strings.ContainsRune(punct, rune(s[j]))
	}
	find := func(needle string, ok func(i int) bool) int {
		for from := 1; from < len(s); {
			i := strings.Index(s[from:], needle)
			if i < 0 {
				return -1
			}
			if i += from; ok(i) {
				return i
			}
			from = i + 1
		}
		return -1
	}
	if p.phase <= inRecitals {
		next := recitalLabel(p.recitals + 1)
		if i := find(next+". ", func(i int) bool {
			return after(i, ";:.,") && reWhereas.MatchString(strings.TrimLeft(s[i+len(next)+1:], " "))
		}); i >= 0 {
			return i, "recital " + next, nextClause{"recital", next}
		}
		// "…; 12. whereas" or "…; 12. Calls" after recitals numbered up to 11
		if p.numbered > 0 && p.numbered == p.recitals {
			next := strconv.Itoa(p.lastNumber + 1)
			what, kind := "", ""
			if i := find(next+". ", func(i int) bool {
				rest := strings.TrimLeft(s[i+len(next)+1:], " ")
				if !after(i, ";:.") || i > 0 && unicode.IsDigit(rune(s[i-1])) {
					return false
				}
				switch {
				case reWhereas.MatchString(rest):
					what, kind = "recital numbered "+next, "recital_numbered"
				case startsUpper(rest):
					what, kind = "paragraph "+next, "paragraph"
				}
				return what != ""
			}); i >= 0 {
				return i, what, nextClause{kind, next}
			}
		}
		// "– whereas", "- Having regard": the word's first letter in either case, a dash before
		for _, word := range []string{"whereas", "having regard"} {
			if i := find(word[1:], func(i int) bool {
				if i < 2 || s[i-1]|0x20 != word[0] {
					return false
				}
				dash := strings.TrimRight(s[:i-1], " ")
				r, size := utf8.DecodeLastRuneInString(dash)
				return (r == '-' || r == '–' || r == '—') && after(len(dash)-size, ";:,.")
			}); i >= 0 {
				return strings.LastIndexAny(s[:i], "-–—"), "a new clause", nextClause{"clause", ""}
			}
		}
	}
	next := strconv.Itoa(p.paragraphs + 1)
	if i := find(next+". ", func(i int) bool {
		return after(i, ";:.") && (i == 0 || !unicode.IsDigit(rune(s[i-1]))) && startsUpper(strings.TrimLeft(s[i+len(next)+1:], " "))
	}); i >= 0 {
		return i, "paragraph " + next, nextClause{"paragraph", next}
	}
	if p.phase == inParagraphs {
		next := "(" + string(rune('a'+p.points)) + ") "
		if i := find(next, func(i int) bool { return after(i, ";:") }); i >= 0 {
			return i, "point " + strings.TrimSpace(next), nextClause{"point", strings.TrimSpace(next)}
		}
	}
	return -1, "", nextClause{}
}

// nextClause is the clause midLine finds beginning in a line: its kind and label.
type nextClause struct{ kind, label string }

// suspects are what a clause should not hold: what is left of page furniture or of the
// sections around a resolution when the parser could not tell them from text.
// Each has a quick test first (maybe) so that the regular expression, linear but slow, only
// runs on lines that may match.
var suspects = []struct {
	maybe func(string) bool
	re    *regexp.Regexp
	what  string
	code  string // what it is, for Words
}{
	{func(s string) bool {
		return strings.Contains(s, "PE") || strings.Contains(s, `\`) || strings.Contains(s, ".docx")
	},
		regexp.MustCompile(`PE\d{3}\.\d{3}|\b(?:RC|RE|AM)\\\S*|\S*\.docx\b`), "a document reference from a page header or footer", "document_reference"},
	{func(s string) bool {
		return strings.Contains(s, "United in diversity") || strings.Contains(s, "Page ") || strings.Contains(s, "Official Journal")
	}, regexp.MustCompile(`EN United in diversity|United in diversity EN|\bPage \d{1,3} of \d{1,3}\b|Official Journal of the European Union +[CL] \d`), "a page header or footer", "page_header"},
	{anyLine, regexp.MustCompile(`^(?:(?:Compromise )?Amendment \d{1,4}\b|Text proposed by the Commission|Present text\b)`), "an amendment heading", "amendment_heading"},
	{anyLine, regexp.MustCompile(`^(?:\(\d{1,2}\)|\[\d{1,2}\]|\d{1,2})\s+(?:OJ [CL]\b|Texts adopted\b|Ibid\b)`), "a footnote", "footnote"},
	{anyLine, regexp.MustCompile(`(?i)^(?:on behalf of the .*\bgroup\b|for the european parliament\b|the (?:president|secretary-general)$|done at [a-z]+,)`), "a signature line", "signature"},
}

// anyLine is the quick test of a suspect whose expression is anchored at the line's start,
// and so fails fast.
func anyLine(string) bool { return true }

// feed reads one line. It says stop when the resolution has ended: what follows is an
// amendment table or another section of a report, not clauses.
func (p *state) feed(l line) (stop bool, err error) {
	s := l.text
	if len(p.clauses) > 0 && rePageFoot.MatchString(s) {
		return true, nil
	}
	if table := reTable.MatchString(s); table || reEndMatter.MatchString(s) {
		switch {
		case len(p.clauses) > 0:
			what := "another section of the document"
			if table {
				what = "an amendment table"
			}
			key := "end_section"
			if table {
				key = "end_table"
			}
			p.warn(l.no, words(key, "Quote", short(s)), "the resolution ends here: what follows (\"%s\") is %s and is left out", short(s), what)
			return true, nil
		case table:
			return true, &Error{l.no, fmt.Sprintf("an amendment table begins here (%q) before any clause: paste the resolution itself (\"The European Parliament, …\"), not its amendments", short(s))}
		case p.phase > inHeading:
			return true, &Error{l.no, fmt.Sprintf("the text ends here (%q) before any clause", short(s))}
		}
		// a table of contents in a report's front matter names its sections: heading
	}
	switch {
	case reParliament.MatchString(s):
		if p.phase > inHeading {
			return false, &Error{l.no, fmt.Sprintf("%q appears after the clauses have begun", s)}
		}
		p.phase = inCitations
		p.cur = nil
		return false, nil

	case reHavingRegard.MatchString(s) && (p.phase <= inCitations || l.bullet):
		if p.phase > inCitations {
			return false, &Error{l.no, "a citation (\"having regard to …\") after the recitals or paragraphs have begun"}
		}
		p.phase = inCitations
		p.citations++
		n := strconv.Itoa(p.citations)
		p.start(tracker.Citation, n, "cit_"+n, l, s)
		return false, nil

	case reLeadIn.MatchString(s) && p.phase <= inRecitals:
		p.leadIn = true
		return false, nil // the bare "Whereas:" that some editions put before recital A

	case reWhereas.MatchString(s) && l.bullet:
		// "– whereas …": recitals without letters, as group motions write them
		if p.phase == inParagraphs {
			return false, &Error{l.no, "a recital (\"– whereas …\") after the operative paragraphs have begun"}
		}
		p.dashed++
		return false, p.recital(l, s)
	}

	if m := label(reRecital, s); m != nil {
		whereas := reWhereas.MatchString(m[2])
		want := recitalLabel(p.recitals + 1)
		got := labelIndex(m[1])
		switch {
		case p.phase == inParagraphs && whereas:
			return false, &Error{l.no, fmt.Sprintf("recital %s comes after the operative paragraphs have begun", m[1])}
		case p.phase == inParagraphs:
		case m[1] == want && (whereas || m[2] == "" || p.leadIn && p.phase != inHeading):
			return false, p.recital(l, m[2])
		case whereas && got > p.recitals && got <= p.recitals+1+maxGap:
			p.warn(l.no, words("recital_gap", "Got", m[1], "After", recitalLabel(p.recitals), "From", recitalLabel(p.recitals+1), "To", recitalLabel(max(got-1, p.recitals+1))),
				"recital %s follows recital %s: the numbering skips %s", m[1], recitalLabel(p.recitals), gapLabels(p.recitals+1, got-1, recitalLabel))
			p.recitals = got - 1
			return false, p.recital(l, m[2])
		case whereas:
			return false, &Error{l.no, fmt.Sprintf("recital %s is out of order: expected recital %s", m[1], want)}
		}
	}

	if m := label(reParagraph, s); m != nil {
		n, _ := strconv.Atoi(m[1])
		if reWhereas.MatchString(m[2]) && p.phase <= inRecitals && p.recitals == p.numbered {
			// "1. Whereas …": numbered recitals, whose numbers start again at paragraph 1
			want := p.lastNumber + 1
			switch {
			case n == want:
			case n > want && n <= want+maxGap:
				p.warn(l.no, words("numbered_recital_gap", "Got", strconv.Itoa(n), "After", strconv.Itoa(p.lastNumber), "From", strconv.Itoa(want), "To", strconv.Itoa(max(n-1, want))),
					"recital numbered %d follows recital numbered %d: the numbering skips %s", n, p.lastNumber, gapLabels(want, n-1, strconv.Itoa))
			default:
				return false, &Error{l.no, fmt.Sprintf("recital numbered %d is out of order: expected recital %d", n, want)}
			}
			p.numbered++
			p.lastNumber = n
			return false, p.recital(l, m[2])
		}
		if reWhereas.MatchString(m[2]) && p.phase == inParagraphs {
			return false, &Error{l.no, fmt.Sprintf("a recital (\"%d. whereas …\") comes after the operative paragraphs have begun", n)}
		}
		want := p.paragraphs + 1
		upper := startsUpper(m[2])
		// After recitals numbered 1 to N, the paragraphs start again at 1 or go on at N+1.
		goesOn := p.numbered > 0 && p.numbered == p.recitals && p.paragraphs == 0 && p.phase == inRecitals
		switch {
		case n == want && (m[2] == "" || upper):
			p.paragraph(l, n, m[2])
			return false, nil
		case goesOn && n == p.lastNumber+1 && (m[2] == "" || upper):
			// "12. Calls on …" after "11. whereas …": numbered here from 1, as the EP
			// numbers them once it letters the recitals, so that the eIds (para_1 …) are
			// those of the adopted text and of the same text laid out the usual way.
			p.paraOffset = p.lastNumber
			p.paragraph(l, n, m[2])
			return false, nil
		case n > want && n <= want+maxGap && upper && p.phase != inHeading && (p.numbered == 0 || p.paragraphs > 0):
			p.warn(l.no, words("paragraph_gap", "Got", strconv.Itoa(n), "After", strconv.Itoa(p.paragraphs), "From", strconv.Itoa(want), "To", strconv.Itoa(max(n-1, want))),
				"paragraph %d follows paragraph %d: the numbering skips %s", n, p.paragraphs, gapLabels(want, n-1, strconv.Itoa))
			p.paragraph(l, n, m[2])
			return false, nil
		case n < 1000 && upper && goesOn:
			return false, &Error{l.no, fmt.Sprintf("paragraph %d is out of order: expected paragraph 1, or %d numbering on from the recitals", n, p.lastNumber+1)}
		case n < 1000 && upper && (p.phase == inParagraphs || p.cur == nil || p.numbered > 0):
			// Years (2018. …) are ≥ 1000, so a small number that begins a sentence and is not
			// the next paragraph is a numbering mistake, not wrapped text.
			return false, &Error{l.no, fmt.Sprintf("paragraph %d is out of order: expected paragraph %d", n, want)}
		case n < 1000 && upper:
			p.warn(l.no, words("paragraph_like", "Got", strconv.Itoa(n), "Want", strconv.Itoa(want)),
				"this line begins like paragraph %d, but paragraph %d is expected: it is kept as part of the clause before", n, want)
		}
	}

	if m := label(rePoint, s); m != nil && p.phase == inParagraphs {
		got := labelIndex(strings.ToUpper(m[1]))
		switch {
		case got == p.points+1:
			p.point(l, m[1], m[2])
			return false, nil
		case got > p.points+1 && got <= p.points+3 && len(m[1]) == 1:
			pointLabel := func(i int) string { return "(" + string(rune('a'+i-1)) + ")" }
			p.warn(l.no, words("point_gap", "Got", "("+m[1]+")", "After", pointLabel(p.points), "Paragraph", strconv.Itoa(p.paragraphs),
				"From", pointLabel(p.points+1), "To", pointLabel(max(got-1, p.points+1))),
				"point (%s) follows point (%s) in paragraph %d: the numbering skips %s", m[1], string(rune('a'+p.points-1)), p.paragraphs,
				gapLabels(p.points+1, got-1, pointLabel))
			p.points = got - 1
			p.point(l, m[1], m[2])
			return false, nil
		}
	}

	if p.cur == nil {
		if p.phase == inHeading {
			p.heading = append(p.heading, l)
			return false, nil
		}
		return false, &Error{l.no, fmt.Sprintf("text outside any clause: %q", short(s))}
	}
	p.add(l)
	return false, nil
}

// label matches a label at the start of a line: the line, its label and the rest.
func label(re *regexp.Regexp, s string) []string {
	loc := re.FindStringSubmatchIndex(s)
	if loc == nil {
		return nil
	}
	return []string{s, s[loc[2]:loc[3]], s[loc[1]:]}
}

// recital starts the next recital, lettered A, B, … whatever the source's own labels.
func (p *state) recital(l line, rest string) error {
	if p.recitals >= maxRecitals {
		return &Error{l.no, fmt.Sprintf("more than %d recitals: the letters run out at ZZ", maxRecitals)}
	}
	p.phase = inRecitals
	p.recitals++
	label := recitalLabel(p.recitals)
	p.start(tracker.Recital, label, "rec_"+label, l, rest)
	return nil
}

// maxRecitals is how many recitals the letters A to ZZ can label.
const maxRecitals = 26 + 26*26

// paragraph starts the paragraph the source numbers n: numbered n here too, unless the
// source numbers its paragraphs on from its recitals (paraOffset).
func (p *state) paragraph(l line, n int, rest string) {
	p.phase = inParagraphs
	p.paragraphs = n
	p.points = 0
	p.para = strconv.Itoa(n - p.paraOffset)
	p.start(tracker.Paragraph, p.para, "para_"+p.para, l, rest)
}

func (p *state) point(l line, letter, rest string) {
	p.points++
	p.start(tracker.Point, p.para+"("+letter+")", "para_"+p.para+"__point_"+letter, l, rest)
}

// gapLabels names the labels from to to: "B", "B to D".
func gapLabels(from, to int, label func(int) string) string {
	if from >= to {
		return label(from)
	}
	return label(from) + " to " + label(to)
}

// labelIndex is recitalLabel's inverse: A → 1, Z → 26, AA → 27.
func labelIndex(s string) int {
	if len(s) == 1 {
		return int(s[0]-'A') + 1
	}
	return 27 + int(s[0]-'A')*26 + int(s[1]-'A')
}

func (p *state) finish(lastLine int) (Document, error) {
	if len(p.clauses) == 0 {
		return Document{}, &Error{lastLine, "no clauses found: expected citations (\"having regard to …\"), recitals (\"A. whereas …\") or numbered paragraphs (\"1. …\")"}
	}
	var doc Document
	p.frontMatter(&doc)
	for i, c := range p.clauses {
		text := p.join(c.lines)
		if text == "" {
			return Document{}, &Error{c.first, fmt.Sprintf("%s has no text", tracker.KindLabel(c.kind, c.label))}
		}
		doc.Clauses = append(doc.Clauses, tracker.Clause{
			Kind: c.kind, Label: c.label, EID: c.eid, Position: i + 1, Text: text,
		})
	}
	p.longClauses(doc.Clauses)
	if p.recitals > 0 && (p.numbered > 0 || p.dashed > 0) {
		how := "marks its recitals with dashes, not letters"
		if p.numbered > 0 {
			how = fmt.Sprintf("numbers its recitals 1 to %d, and its paragraphs from 1 again", p.lastNumber)
		}
		letters := "they are lettered A to " + recitalLabel(p.recitals)
		if p.recitals == 1 {
			letters = "it is lettered A"
		}
		if p.paraOffset > 0 {
			how = fmt.Sprintf("numbers its recitals 1 to %d and goes on numbering its paragraphs %s", p.lastNumber, gapLabels(p.paraOffset+1, p.paragraphs, strconv.Itoa))
			letters = fmt.Sprintf("the recitals are lettered %s and the paragraphs numbered %s", gapLabels(1, p.recitals, recitalLabel), gapLabels(1, p.paragraphs-p.paraOffset, strconv.Itoa))
		}
		doc.RecitalsNote = fmt.Sprintf("The source %s; %s here, as the European Parliament usually does.", how, letters)
		if p.paraOffset > 0 {
			doc.RecitalsNote += fmt.Sprintf(" Paragraph %d of the source is paragraph 1 here.", p.paraOffset+1)
		}
		// Its words: how the source numbers its recitals, how many there are (lettered A to
		// Last), and, where the paragraphs go on from them, the numbers of both.
		key := "dashed"
		switch {
		case p.paraOffset > 0:
			key = "numbered_on"
		case p.numbered > 0:
			key = "numbered"
		}
		doc.RecitalsWords = words(key, "Recitals", strconv.Itoa(p.recitals), "Last", recitalLabel(p.recitals), "Numbered", strconv.Itoa(p.lastNumber),
			"From", strconv.Itoa(p.paraOffset+1), "To", strconv.Itoa(max(p.paragraphs, p.paraOffset+1)), "Paragraphs", strconv.Itoa(max(p.paragraphs-p.paraOffset, 1)))
	}
	sort.SliceStable(p.warnings, func(i, j int) bool { return p.warnings[i].Line < p.warnings[j].Line })
	doc.Warnings = p.warnings
	return doc, nil
}

// frontMatter reads the title, procedure and dates from what comes before the clauses.
// A whole web page or report copied from the top holds much more than the title: the
// document number, the date tabled, the debate it winds up, its authors, the procedure box.
// The title is then the last line that starts like one ("European Parliament resolution …")
// and what follows it; without such a line, the whole heading.
func (p *state) frontMatter(doc *Document) {
	title := p.heading
	texts := false
	for i, l := range p.heading {
		switch {
		case reTitle.MatchString(l.text):
			title = p.heading[i:]
		case strings.EqualFold(l.text, "Texts adopted"):
			texts = true
		case reDateLine.MatchString(l.text) && doc.Tabled.IsZero():
			doc.Tabled, _ = time.Parse("2.1.2006", l.text)
		}
		if m := reSitting.FindStringSubmatch(l.text); m != nil && texts && doc.Adopted.IsZero() {
			doc.Adopted, _ = time.Parse("2 January 2006", m[1])
		}
	}
	heading := p.join(title)
	if m := reTitleDate.FindStringSubmatch(heading); m != nil {
		if on, err := time.Parse("2 January 2006", m[1]); err == nil {
			doc.Adopted = on
		}
	}
	if !doc.Adopted.IsZero() {
		doc.Tabled = time.Time{} // a date line in a text adopted is not a tabling date
	}
	m := reProcedure.FindStringSubmatch(heading)
	if m == nil {
		m = reProcedure.FindStringSubmatch(p.join(p.heading)) // "Procedure : 2023/2591(RSP)"
	} else {
		heading = strings.ReplaceAll(heading, "("+m[1]+")", "")
		heading = strings.ReplaceAll(heading, m[1], "")
		heading = strings.Join(strings.Fields(heading), " ")
	}
	if m != nil {
		doc.Procedure = m[1]
	}
	doc.Title = heading
	p.stage(doc, title, texts)
}

// stage reads which text this is from its front matter and heading (title, the lines from
// the title on): the document number, "Texts adopted" or a dated heading, "Joint motion for a
// resolution", "Motion for a resolution", or a heading "European Parliament resolution on …"
// without the date that adopted texts always carry.
func (p *state) stage(doc *Document, title []line, texts bool) {
	front := p.join(p.heading)
	if m := reDocRef.FindStringSubmatch(front); m != nil {
		doc.Reference = m[1]
	}
	low := strings.ToLower(front)
	switch {
	case texts || !doc.Adopted.IsZero() || strings.HasPrefix(doc.Reference, "P"):
		doc.Stage = tracker.Adopted
	case strings.Contains(low, "joint motion for a resolution") || strings.HasPrefix(doc.Reference, "RC-"):
		doc.Stage = tracker.JointMotion
	case strings.Contains(low, "motion for a resolution") || strings.HasPrefix(doc.Reference, "B"),
		len(title) > 0 && strings.HasPrefix(strings.ToLower(p.join(title)), "european parliament resolution on "):
		doc.Stage = tracker.Motion
	}
}

// longClauses warns of a clause several times longer than the others of its kind: the
// likeliest sign that it swallowed clauses the parser did not see begin.
func (p *state) longClauses(cs []tracker.Clause) {
	byKind := map[tracker.ClauseKind][]int{}
	for _, c := range cs {
		byKind[c.Kind] = append(byKind[c.Kind], utf8.RuneCountInString(c.Text))
	}
	median := map[tracker.ClauseKind]int{}
	for kind, sizes := range byKind {
		if len(sizes) >= 3 {
			slices.Sort(sizes)
			median[kind] = sizes[len(sizes)/2]
		}
	}
	for i, c := range cs {
		m, ok := median[c.Kind]
		if n := utf8.RuneCountInString(c.Text); ok && n >= 800 && n > 4*m {
			p.warn(p.clauses[i].first, words("long_clause", "Kind", string(c.Kind), "Label", c.Label, "Length", strconv.Itoa(n), "Times", strconv.Itoa(n/max(m, 1))),
				"%s is %d characters long, %d times the usual %s: check that it does not hold the text of other clauses",
				lowerFirst(tracker.KindLabel(c.Kind, c.Label)), n, n/max(m, 1), c.Kind)
		}
	}
}

// join rejoins wrapped lines with single spaces, and mends words hyphenated across a line
// break: the hyphen is dropped unless the same hyphenated word stands whole elsewhere in
// the text ("politically-motivated" keeps its hyphen; "imprison-/ment" loses it). It is
// linear in the length of the text, so a hostile input cannot make it crawl.
func (p *state) join(lines []line) string {
	parts := make([]string, 0, 2*len(lines))
	for i, l := range lines {
		if i > 0 {
			last := parts[len(parts)-1]
			switch {
			case strings.HasSuffix(last, "\u00AD"):
				// a soft hyphen is a break opportunity, never part of the word
			case endsHyphenatedWord(last) && startsLower(l.text):
				head := lastWord(strings.TrimSuffix(last, "-"))
				if !p.hyphenated()[strings.ToLower(head+"-"+firstWord(l.text))] {
					parts[len(parts)-1] = strings.TrimSuffix(last, "-")
				}
			default:
				parts = append(parts, " ")
			}
		}
		parts = append(parts, l.text)
	}
	return strings.Join(strings.Fields(strings.ReplaceAll(strings.Join(parts, ""), "\u00AD", "")), " ")
}

// hyphenated returns, once per text, the set of hyphenated words written whole on one line.
func (p *state) hyphenated() map[string]bool {
	if p.hyphens == nil {
		p.hyphens = map[string]bool{}
		w := p.whole
		for i := strings.IndexByte(w, '-'); i >= 0; {
			// the letters on each side of each hyphen: a word written whole with it
			start := strings.LastIndexFunc(w[:i], func(r rune) bool { return !unicode.IsLetter(r) }) + 1
			end := strings.IndexFunc(w[i+1:], func(r rune) bool { return !unicode.IsLetter(r) })
			if end < 0 {
				end = len(w) - i - 1
			}
			if start < i && end > 0 {
				p.hyphens[w[start:i+1+end]] = true
			}
			next := strings.IndexByte(w[i+1:], '-')
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return p.hyphens
}

// recitalLabel gives the n-th recital's label: A…Z, then AA, AB, … as the EP numbers them.
func recitalLabel(n int) string {
	if n <= 26 {
		return string(rune('A' + n - 1))
	}
	n -= 27
	return string(rune('A'+n/26)) + string(rune('A'+n%26))
}

func endsHyphenatedWord(s string) bool {
	if !strings.HasSuffix(s, "-") {
		return false
	}
	r, _ := utf8.DecodeLastRuneInString(s[:len(s)-1])
	return unicode.IsLetter(r)
}

func startsUpper(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsUpper(r) || r == '‘' || r == '“' || r == '"'
}

func startsLower(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return unicode.IsLower(r)
}

func lastWord(s string) string {
	i := strings.LastIndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) })
	return s[i+1:]
}

func firstWord(s string) string {
	if i := strings.IndexFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }); i >= 0 {
		return s[:i]
	}
	return s
}

// lowerFirst puts a clause's name in the middle of a sentence: "recital A".
func lowerFirst(s string) string { return strings.ToLower(s[:1]) + s[1:] }

// short quotes a line in a refusal: its first 60 characters.
func short(s string) string { return tracker.Shorten(s, 61) }
