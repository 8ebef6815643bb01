// Package parser turns the raw text of a European Parliament resolution, as extracted from
// its PDF or HTML edition, into clauses: citations, recitals, operative paragraphs and
// their sub-points. It removes extraction artifacts (bullet lines, page numbers, running
// headers, footnote markers and footnotes, hyphenation at line ends) but keeps each clause's wording exactly, typos and all,
// because users quote clauses and compare them with the official text.
package parser

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/tracker"
)

// Document is what Parse finds in a resolution's text.
type Document struct {
	Title     string           // the heading before the clauses, procedure reference removed
	Procedure string           // "2019/2610(RSP)", when the heading gives one
	Clauses   []tracker.Clause // in reading order, Position set from 1
}

// Error is a refusal to parse, naming the 1-based line where the text stopped making sense.
type Error struct {
	Line int
	Msg  string
}

func (e *Error) Error() string { return fmt.Sprintf("line %d: %s", e.Line, e.Msg) }

var (
	reProcedure    = regexp.MustCompile(`(\d{4}/\d{4}\([A-Z]{3}\))`)
	reRecital      = regexp.MustCompile(`^([A-Z]{1,2})\.\s*(.*)$`)
	reParagraph    = regexp.MustCompile(`^(\d{1,4})\.\s*(.*)$`)
	rePoint        = regexp.MustCompile(`^\(([a-z]{1,2})\)\s*(.*)$`)
	reBullet       = regexp.MustCompile(`^[-–—•·▪](?:\s+(.*))?$`)
	reLeadIn       = regexp.MustCompile(`(?i)^whereas\s*:$`)
	reParliament   = regexp.MustCompile(`(?i)^the european parliament\s*,?$`)
	reHavingRegard = regexp.MustCompile(`(?i)^having regard\b`)
	reWhereas      = regexp.MustCompile(`(?i)^whereas\b`)
	reHyphenated   = regexp.MustCompile(`\pL+-\pL+`)
	// Footnote markers stuck to the word before them: "Kazakhstan(1)", "resolutions,(2)",
	// "2013[2]", "of 14 March 2019(1)". A bracketed number after other digits stays
	// ("Article 174(1)" is a reference to a paragraph of the article, not a footnote).
	reFootnoteMarker = regexp.MustCompile(`([\pL.,;:’'")\]]|\b(?:19|20)\d\d)\((\d{1,2})\)|(\S)\[(\d{1,2})\]`)
	// A footnote's own line, at a page's foot or the text's end: "(1) OJ C 76, …", "[2] …".
	reFootnoteLine = regexp.MustCompile(`^(?:\((\d{1,2})\)|\[(\d{1,2})\])\s`)
	// Running headers and footers of EP documents: page numbers ("3", "3/7", "Page 3 of 7"),
	// document references (PE635.xxx, RC\1177…EN, B8-0191/2019, P8_TA(2019)0203), the
	// language code alone, and the EU motto, alone or together on one line. Only lines made
	// wholly of such tokens are dropped: a sentence that cites a document stays text.
	reArtifactToken = regexp.MustCompile(`^(?:\d{1,3}(?:/\d{1,3})?|Page|of|PE\d{3}\.[0-9a-zA-Z]{3}(?:v\d{2}-\d{2})?|v\d{2}-\d{2}|(?:RC|AM|RE)\\\S*|(?:RC-)?B\d-\d{4}/\d{4}|P\d_TA(?:-PROV)?\(\d{4}\)\d{4}|EN|United|in|diversity)$`)
)

// line is one line of input after clean-up, with its 1-based number in the original text.
type line struct {
	no     int
	text   string
	bullet bool // the line began with a bullet that was removed
}

// Parse splits a resolution's raw text into clauses. It refuses, with an *Error naming the
// line, text that is not valid UTF-8, that has text outside any clause after the heading,
// whose labels run out of order, or in which no clause can be found.
func Parse(text string) (Document, error) {
	lines, err := cleanLines(text)
	if err != nil {
		return Document{}, err
	}
	p := &state{whole: strings.ToLower(text)}
	for _, l := range lines {
		if err := p.feed(l); err != nil {
			return Document{}, err
		}
	}
	return p.finish(strings.Count(text, "\n") + 1)
}

// cleanLines normalises spacing and drops the lines that are extraction artifacts.
func cleanLines(text string) ([]line, error) {
	text = strings.TrimPrefix(text, "\uFEFF")
	// The footnotes the text refers to, so that their own lines can be told from text.
	notes := map[string]bool{}
	for _, m := range reFootnoteMarker.FindAllStringSubmatch(text, -1) {
		notes[m[2]+m[4]] = true
	}
	var out []line
	for i, raw := range strings.Split(text, "\n") {
		no := i + 1
		if !utf8.ValidString(raw) {
			return nil, &Error{no, "the text is not valid UTF-8"}
		}
		if strings.ContainsRune(raw, 0) {
			return nil, &Error{no, "the text contains a NUL byte; is this a binary file?"}
		}
		s := strings.TrimSpace(strings.Map(func(r rune) rune {
			switch r {
			case '\u00A0', '\u202F', '\u2007', '\u2009', '\t', '\r', '\f', '\v':
				return ' '
			case '\u200B', '\uFEFF':
				return -1
			}
			return r
		}, raw))
		if s == "" || isArtifact(s) {
			continue
		}
		if m := reFootnoteLine.FindStringSubmatch(s); m != nil && notes[m[1]+m[2]] {
			continue
		}
		s = reFootnoteMarker.ReplaceAllString(s, "$1$3")
		bullet := false
		if m := reBullet.FindStringSubmatch(s); m != nil {
			s, bullet = strings.TrimSpace(m[1]), true
			if s == "" {
				continue // a lone bullet between citations
			}
		}
		out = append(out, line{no: no, text: s, bullet: bullet})
	}
	return out, nil
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
		if !reArtifactToken.MatchString(tok) {
			return false
		}
	}
	// "in", "of" and "EN" alone are too common to be headers by themselves.
	return !(s == "in" || s == "of" || s == "Page" || s == "United" || s == "diversity")
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
	recitals   int
	paragraphs int
	points     int    // sub-points so far in the current paragraph
	para       string // the current paragraph's label
}

func (p *state) start(kind tracker.ClauseKind, label, eid string, l line, rest string) {
	c := &clause{kind: kind, label: label, eid: eid, first: l.no}
	if rest != "" {
		c.lines = append(c.lines, line{no: l.no, text: rest})
	}
	p.clauses = append(p.clauses, c)
	p.cur = c
}

func (p *state) feed(l line) error {
	s := l.text
	switch {
	case reParliament.MatchString(s):
		if p.phase > inHeading {
			return &Error{l.no, fmt.Sprintf("%q appears after the clauses have begun", s)}
		}
		p.phase = inCitations
		p.cur = nil
		return nil

	case reHavingRegard.MatchString(s) && (p.phase <= inCitations || l.bullet):
		if p.phase > inCitations {
			return &Error{l.no, "a citation (\"having regard to …\") after the recitals or paragraphs have begun"}
		}
		p.phase = inCitations
		p.citations++
		n := strconv.Itoa(p.citations)
		p.start(tracker.Citation, n, "cit_"+n, l, s)
		return nil

	case reLeadIn.MatchString(s) && p.phase <= inRecitals:
		return nil // the bare "Whereas:" that some editions put before recital A
	}

	if m := reRecital.FindStringSubmatch(s); m != nil {
		want := recitalLabel(p.recitals + 1)
		switch {
		case p.phase <= inRecitals && m[1] == want:
			p.phase = inRecitals
			p.recitals++
			p.start(tracker.Recital, want, "rec_"+want, l, m[2])
			return nil
		case p.phase == inParagraphs && reWhereas.MatchString(m[2]):
			return &Error{l.no, fmt.Sprintf("recital %s comes after the operative paragraphs have begun", m[1])}
		case reWhereas.MatchString(m[2]):
			return &Error{l.no, fmt.Sprintf("recital %s is out of order: expected recital %s", m[1], want)}
		}
	}

	if m := reParagraph.FindStringSubmatch(s); m != nil {
		n, _ := strconv.Atoi(m[1])
		want := p.paragraphs + 1
		switch {
		case n == want && (m[2] == "" || startsUpper(m[2])):
			p.phase = inParagraphs
			p.paragraphs++
			p.points = 0
			p.para = m[1]
			p.start(tracker.Paragraph, m[1], "para_"+m[1], l, m[2])
			return nil
		case n < 1000 && startsUpper(m[2]) && (p.phase == inParagraphs || p.cur == nil):
			// Years (2018. …) are ≥ 1000, so a small number that begins a sentence and is not
			// the next paragraph is a numbering mistake, not wrapped text.
			return &Error{l.no, fmt.Sprintf("paragraph %d is out of order: expected paragraph %d", n, want)}
		}
	}

	if m := rePoint.FindStringSubmatch(s); m != nil && p.phase == inParagraphs {
		if want := string(rune('a' + p.points)); m[1] == want {
			p.points++
			p.start(tracker.Point, p.para+"("+want+")", "para_"+p.para+"__point_"+want, l, m[2])
			return nil
		}
	}

	if p.cur == nil {
		if p.phase == inHeading {
			p.heading = append(p.heading, l)
			return nil
		}
		return &Error{l.no, fmt.Sprintf("text outside any clause: %q", short(s))}
	}
	p.cur.lines = append(p.cur.lines, l)
	return nil
}

func (p *state) finish(lastLine int) (Document, error) {
	if len(p.clauses) == 0 {
		return Document{}, &Error{lastLine, "no clauses found: expected citations (\"having regard to …\"), recitals (\"A. whereas …\") or numbered paragraphs (\"1. …\")"}
	}
	var doc Document
	heading := p.join(p.heading)
	if m := reProcedure.FindStringSubmatch(heading); m != nil {
		doc.Procedure = m[1]
		heading = strings.ReplaceAll(heading, "("+m[1]+")", "")
		heading = strings.ReplaceAll(heading, m[1], "")
		heading = strings.Join(strings.Fields(heading), " ")
	}
	doc.Title = heading
	for i, c := range p.clauses {
		text := p.join(c.lines)
		if text == "" {
			return Document{}, &Error{c.first, fmt.Sprintf("%s has no text", tracker.KindLabel(c.kind, c.label))}
		}
		doc.Clauses = append(doc.Clauses, tracker.Clause{
			Kind: c.kind, Label: c.label, EID: c.eid, Position: i + 1, Text: text,
		})
	}
	return doc, nil
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
		for _, w := range reHyphenated.FindAllString(p.whole, -1) {
			p.hyphens[w] = true
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

// short quotes a line in a refusal: its first 60 characters.
func short(s string) string { return tracker.Shorten(s, 61) }
