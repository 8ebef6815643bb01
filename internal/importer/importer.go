// Package importer is the review step between a resolution's text and the published
// record: it reads the text (plain text as the EP publishes it, or Akoma Ntoso XML), proposes
// the links to known people, organisations and laws, spots names that look like people not
// yet known, compares the text with the published one clause by clause, and holds what the
// admin decided. It does no I/O: the storage loads a draft and the known entities, asks for
// a Preview, and writes what Publish-time checks allow.
package importer

import (
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/akn"
	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/internal/translit"
)

// MaxSourceBytes bounds an imported text: the longest EP resolutions are under 100 KB;
// the review of a text this long is measured in docs/benchmarks.md. The server accepts an
// import post this large whatever its general body limit.
const MaxSourceBytes = 1 << 20

// Formats of a source text.
const (
	FormatText = "text" // plain text, as extracted from the EP's PDF or HTML
	FormatAKN  = "akn"  // Akoma Ntoso XML, as Whereas exports it
)

// Draft states.
const (
	StateDraft     = "draft"
	StatePublished = "published"
	StateDiscarded = "discarded"
)

// Parsed is a source text read into clauses.
type Parsed struct {
	Format    string
	Procedure string // from the heading or FRBR identifiers, "" when the text gives none
	Title     string
	AdoptedOn time.Time // the day the Parliament voted in the procedure; zero when the text gives none
	Clauses   []tracker.Clause
	// Stage and Reference say which text of the procedure this is, as its front matter
	// says ("" when it says nothing); TextDate is the day it was tabled or adopted.
	Stage     tracker.Stage
	Reference string
	TextDate  time.Time
	// FullTitle is the title as the text gives it, when Title had to be shortened for display.
	FullTitle string
	// RecitalsNote says how the source labelled its recitals when not A, B, … (plain text).
	RecitalsNote  string
	RecitalsWords parser.Words     // what RecitalsNote says, for pages in another language
	Warnings      []parser.Warning // where the reviewer should look (plain text)
}

// Parse reads a source text: Akoma Ntoso when it looks like XML, else plain text through
// the same parser as the seed. A refusal is a *parser.Error naming the line.
func Parse(text string) (Parsed, error) {
	if len(text) > MaxSourceBytes {
		return Parsed{}, &parser.Error{Line: 1, Msg: fmt.Sprintf("the text is %d KB; the limit is %d KB", len(text)>>10, MaxSourceBytes>>10)}
	}
	if akn.IsAKN([]byte(text)) {
		d, err := akn.Decode(strings.NewReader(text))
		if err != nil {
			return Parsed{}, err
		}
		return shortTitle(Parsed{Format: FormatAKN, Procedure: d.Procedure, Title: d.Title, AdoptedOn: d.AdoptedOn, Clauses: d.Clauses,
			Stage: d.Stage, Reference: d.Reference}), nil
	}
	d, err := parser.Parse(text)
	if err != nil {
		return Parsed{}, err
	}
	p := Parsed{Format: FormatText, Procedure: d.Procedure, Title: d.Title, AdoptedOn: d.Adopted, Clauses: d.Clauses,
		RecitalsNote: d.RecitalsNote, RecitalsWords: d.RecitalsWords, Warnings: d.Warnings, Stage: d.Stage, Reference: d.Reference, TextDate: d.Tabled}
	// "European Parliament resolution of 20 January 2022 on the situation in Kazakhstan"
	// gives the adoption date and the title.
	if m := reHeading.FindStringSubmatch(d.Title); m != nil {
		if on, err := time.Parse("2 January 2006", m[1]); err == nil {
			p.AdoptedOn, p.Stage = on, tracker.Adopted
			r, size := utf8.DecodeRuneInString(m[2])
			p.Title = strings.ToUpper(string(r)) + m[2][size:]
		}
	}
	if p.Stage == tracker.Adopted {
		p.TextDate = p.AdoptedOn
	}
	return shortTitle(p), nil
}

// shortTitle shortens a long title for display: never a reason to refuse the text.
func shortTitle(p Parsed) Parsed {
	if short := parser.ShortenTitle(p.Title); short != p.Title {
		p.FullTitle, p.Title = p.Title, short
	}
	return p
}

var reHeading = regexp.MustCompile(`(?i)^European Parliament resolution of (\d{1,2} [A-Za-z]+ \d{4}) on (?:the )?(.+?)[.\s]*$`)

// Request is an import as an admin or the command line asks for it.
type Request struct {
	Procedure string // "2019/2610(RSP)"; may be left empty when the text gives it
	Title     string // may be left empty when the text gives it
	Date      string // YYYY-MM-DD, the day of the Parliament's vote; may be left empty when the text gives it
	// Stage is which text this is (motion, joint_motion, adopted); may be left empty when
	// the text says. Reference is its document number, "" when unknown.
	Stage     string
	Reference string
	Text      string
}

var reProcedure = regexp.MustCompile(`^\d{4}/\d{4}\([A-Z]{3}\)$`)

// Validate parses the request's text and checks its details, filling what the request
// leaves out from the text. Every problem is reported beside its field.
func (r Request) Validate() (Parsed, tracker.FieldErrors) {
	errs := tracker.FieldErrors{}
	var p Parsed
	if strings.TrimSpace(r.Text) == "" {
		errs["text"] = "Paste the resolution's text or choose a .txt or Akoma Ntoso .xml file."
	} else if parsed, err := Parse(r.Text); err != nil {
		errs["text"] = "The text cannot be read: " + err.Error() + ". Nothing was saved."
	} else {
		p = parsed
	}
	procedure := strings.TrimSpace(r.Procedure)
	switch {
	case procedure == "" && p.Procedure == "" && errs["text"] == "":
		errs["procedure"] = "Give the procedure reference, for example 2019/2610(RSP)."
	case procedure == "":
		procedure = p.Procedure // "" while the text is refused: its message says why
	case !reProcedure.MatchString(procedure):
		errs["procedure"] = "Write the reference as the EP does: four digits, a slash, four digits and the type in capitals, for example 2019/2610(RSP)."
	case p.Procedure != "" && p.Procedure != procedure:
		errs["procedure"] = fmt.Sprintf("The text is procedure %s, not %s.", p.Procedure, procedure)
	}
	p.Procedure = procedure
	if t := strings.Join(strings.Fields(r.Title), " "); t != "" {
		p.Title = t
	}
	switch n := utf8.RuneCountInString(p.Title); {
	case n == 0 && errs["text"] == "":
		errs["title"] = "Give the resolution's title; the text does not say it."
	case n > 300:
		errs["title"] = "Keep the title under 300 characters."
	}
	if d := strings.TrimSpace(r.Date); d != "" {
		on, err := time.Parse(time.DateOnly, d)
		if err != nil {
			errs["date"] = "Write the date as YYYY-MM-DD, for example 2019-03-14."
		} else {
			p.AdoptedOn = on
		}
	}
	if p.AdoptedOn.IsZero() && errs["date"] == "" && errs["text"] == "" {
		errs["date"] = "Give the date the Parliament voted in this procedure (adopted its resolution)."
	}
	if st := tracker.Stage(strings.TrimSpace(r.Stage)); st != "" {
		p.Stage = st
	}
	switch {
	case p.Stage == "" && errs["text"] == "":
		errs["stage"] = "Say which text this is: the text does not say whether it is a motion, a joint motion or the text adopted."
	case p.Stage != "" && !p.Stage.Valid():
		errs["stage"] = "Choose a motion, a joint motion or the text adopted."
	}
	if ref := strings.TrimSpace(r.Reference); ref != "" {
		p.Reference = ref
	}
	if !tracker.ValidReference(p.Reference) {
		errs["reference"] = "Write the document number as the Parliament does: B8-0180/2019, RC-B8-0180/2019 or P8_TA(2019)0203; leave it empty when unknown."
	} else if rs := tracker.ReferenceStage(p.Reference); rs != "" && p.Stage.Valid() && rs != p.Stage {
		errs["reference"] = "This is the number of a " + strings.ToLower(rs.Label()) + ", not of a " + strings.ToLower(p.Stage.Label()) + "."
	}
	if p.Stage == tracker.Adopted {
		p.TextDate = p.AdoptedOn
	}
	return p, errs
}

// NewEntity is a person or organisation the admin creates from a candidate; it is stored
// with the resolution when the draft is published, not before.
type NewEntity struct {
	Type    tracker.EntityType `json:"type"`
	Slug    string             `json:"slug"`
	Name    string             `json:"name"`
	Aliases []string           `json:"aliases"`
	Role    string             `json:"role,omitempty"`
	Place   string             `json:"place,omitempty"`
}

// Validate checks a new entity; known reports whether a slug is taken already.
func (e *NewEntity) Validate(known func(tracker.EntityType, string) bool) tracker.FieldErrors {
	errs := tracker.FieldErrors{}
	e.Name = strings.Join(strings.Fields(e.Name), " ")
	var aliases []string
	for _, a := range e.Aliases {
		if a = strings.Join(strings.Fields(a), " "); a != "" && a != e.Name && !slices.Contains(aliases, a) {
			aliases = append(aliases, a)
		}
	}
	e.Aliases = aliases
	switch n := utf8.RuneCountInString(e.Name); {
	case n == 0:
		errs["name"] = "The name is required."
	case n > tracker.MaxNameLength:
		errs["name"] = "Keep the name under 200 characters."
	}
	if e.Type != tracker.PersonEntity && e.Type != tracker.OrganisationEntity {
		errs["type"] = "Choose a person or an organisation."
	}
	if e.Slug == "" {
		e.Slug = SlugFor(e.Name)
	}
	if !errs.Any() && (!tracker.ValidSlug(e.Slug) || known(e.Type, e.Slug)) {
		errs["name"] = fmt.Sprintf("There is already a %s at /%s; link to them instead, or tell them apart in the name.",
			e.Type.Noun(), strings.TrimPrefix(e.Type.Path(e.Slug), "/"))
	}
	if len(e.Aliases) > 20 {
		errs["aliases"] = "Give at most 20 other spellings."
	}
	for _, a := range e.Aliases {
		if utf8.RuneCountInString(a) > tracker.MaxNameLength {
			errs["aliases"] = "Keep each spelling under 200 characters."
		}
	}
	if e.Role = strings.TrimSpace(e.Role); utf8.RuneCountInString(e.Role) > tracker.MaxNameLength {
		errs["role"] = "Keep the role under 200 characters."
	}
	return errs
}

// SlugFor makes a slug from a name, transliterating Cyrillic, so that every name gets a
// Latin address: "Max Bokayev" → "max-bokayev", "Бокаев Макс" → "bokaev-maks".
func SlugFor(name string) string {
	return tracker.SlugForProcedure(translit.Latin(name))
}

// NewDemand is a demand the admin adds to a clause of the draft.
type NewDemand struct {
	Clause  string               `json:"clause"` // eId
	Action  tracker.DemandAction `json:"action"`
	Wording string               `json:"wording"`
	Targets []tracker.EntityRef  `json:"targets"`
	// Proposal is the key of the proposed demand this one accepts; "" for one staff added.
	Proposal string `json:"proposal,omitempty"`
}

// Key names a demand staff added, for taking it back: its clause, action and words.
func (d NewDemand) Key() string { return d.Clause + "|" + string(d.Action) + "|" + d.Wording }

// Validate checks a new demand against the clauses of the draft.
func (d *NewDemand) Validate(clauses []tracker.Clause) tracker.FieldErrors {
	errs := tracker.FieldErrors{}
	d.Wording = strings.Join(strings.Fields(d.Wording), " ")
	i := slices.IndexFunc(clauses, func(c tracker.Clause) bool { return c.EID == d.Clause })
	switch {
	case i < 0:
		errs["clause"] = "Choose one of the draft's clauses."
	case clauses[i].Kind != tracker.Paragraph && clauses[i].Kind != tracker.Point:
		errs["clause"] = "Choose a paragraph or a point: citations and recitals report, they do not demand."
	case d.Wording == "":
		errs["wording"] = "Quote the words of the clause that make the demand."
	case !strings.Contains(clauses[i].Text, d.Wording):
		errs["wording"] = "These words are not in " + tracker.KindLabel(clauses[i].Kind, clauses[i].Label) + "; copy them exactly from its text."
	}
	if !d.Action.Valid() {
		errs["action"] = "Choose what the resolution asks for."
	}
	return errs
}

// Link is a link the linker (or the document's markup) proposes between a clause and an
// entity, with what the admin decided.
type Link struct {
	tracker.Mention
	Key       string // stable across previews: clause eId, entity, span start
	Accepted  bool
	NewEntity bool // names an entity created in this draft
	Existing  bool // already stored with the published clause; kept whatever is decided here
}

// LinkKey names a proposed link.
func LinkKey(eid string, m tracker.Mention) string {
	return fmt.Sprintf("%s|%s|%s|%d", eid, m.Type, m.Slug, m.Start)
}

// Changes of a clause against the published text.
const (
	Added     = "added"
	Changed   = "changed"
	Unchanged = "unchanged"
	Removed   = "removed"
)

// ClauseReview is one clause of the draft as the admin reviews it.
type ClauseReview struct {
	Clause    tracker.Clause
	Change    string // Added on a first import
	OldText   string // the published text, when Changed
	Links     []Link
	Demands   []NewDemand
	Proposals []Proposal // the demands its words seem to make, with what staff decided
}

// Candidate is a name that looks like a person or an organisation the database does not
// know yet.
type Candidate struct {
	Type tracker.EntityType // person or organisation
	Name string
	Slug string // as SlugFor makes it
	Cue  string // what made it look like a name: the text's own words ("journalist", "Mr", "the case of", "President"), or CueName, CueOrganisation, MarkedUpCue
	// CueOwn says that Cue is the importer's own words (CueName, CueOrganisation,
	// MarkedUpCue), not words of the text.
	CueOwn  bool
	Role    string // the role the cue gives: "human rights defender", "trade union activist"; "" for "Mr" and the like
	Place   string // where the words around the name say they are from: "Almaty"
	Clauses []string
	Snippet string
}

// The cues of a candidate in the importer's own words (the others are the text's words).
const (
	CueName         = "capitalised name" // a personal name with no word around it saying so
	CueOrganisation = "organisation"     // the words around it say it is an organisation
)

// MarkedUpCue is the cue of a name the Akoma Ntoso markup links to a person or an
// organisation the database lacks: "marked up as a person".
func MarkedUpCue(t tracker.EntityType) string { return "marked up as a " + t.Noun() }

// Preview is everything the review page shows.
type Preview struct {
	Parsed                                     Parsed
	Existing                                   bool // the procedure is published already: this is a re-import
	Clauses                                    []ClauseReview
	Removed                                    []tracker.Clause // published clauses the new text lacks
	Candidates                                 []Candidate
	Added, Changed, Unchanged, Links, Accepted int
}

// Known is what the storage knows at preview time.
type Known struct {
	Linker    *linker.Linker   // every stored entity and case, plus the draft's new entities
	Published []tracker.Clause // the published clauses of the same procedure, with their mentions; nil on a first import
	Existing  bool
}

// BuildPreview proposes the links and candidates for a parsed draft and compares it with
// the published text. rejected holds the keys of the links the admin turned down.
func BuildPreview(p Parsed, k Known, rejected []string, newEntities []NewEntity, demands []NewDemand) Preview {
	return buildPreview(p, k, Record{Rejected: rejected, NewEntities: newEntities, Demands: demands})
}

// Preview builds the draft's preview with every decision it holds: the links turned down,
// the new entities, the demands and the proposed demands accepted or rejected.
func (r Record) Preview(p Parsed, k Known) Preview { return buildPreview(p, k, r) }

func buildPreview(p Parsed, k Known, rec Record) Preview {
	rejected, newEntities, demands := rec.Rejected, rec.NewEntities, rec.Demands
	accepted := map[string]NewDemand{}
	for _, d := range demands {
		if d.Proposal != "" {
			accepted[d.Proposal] = d
		}
	}
	turnedDown := map[string]bool{}
	for _, k := range rec.RejectedDemands {
		turnedDown[k] = true
	}
	leadIn := map[string]bool{} // paragraphs whose points continue "Calls on … to:"
	pv := Preview{Parsed: p, Existing: k.Existing}
	no := map[string]bool{}
	for _, key := range rejected {
		no[key] = true
	}
	fresh := map[string]bool{}
	for _, e := range newEntities {
		fresh[string(e.Type)+"/"+e.Slug] = true
	}
	old := map[string]tracker.Clause{}
	for _, c := range k.Published {
		old[c.EID] = c
	}
	var unknown []Candidate // names the markup links to entities this database lacks
	for _, c := range p.Clauses {
		cr := ClauseReview{Clause: c, Change: Added}
		var found []tracker.Mention
		if p.Format == FormatAKN {
			runes := &runeOffsets{text: c.Text}
			var marked []tracker.Mention
			for _, m := range c.Mentions {
				if k.Linker.Has(m.Type, m.Slug) {
					marked = append(marked, m)
				} else if m.Type == tracker.PersonEntity || m.Type == tracker.OrganisationEntity {
					name := m.Name
					if name == "" {
						name = m.Matched
					}
					unknown = append(unknown, Candidate{Type: m.Type, Name: name, Slug: m.Slug, Cue: MarkedUpCue(m.Type), CueOwn: true, Clauses: []string{c.EID},
						Snippet: snippet(c.Text, runes.byteAt(m.Start), runes.byteAt(m.End))})
				}
			}
			found = k.Linker.WithCases(marked)
		} else {
			found = k.Linker.Link(c.Text)
		}
		stored := map[string]bool{}
		if o, ok := old[c.EID]; ok {
			cr.Change = Unchanged
			if o.Text != c.Text {
				cr.Change, cr.OldText = Changed, o.Text
			} else {
				for _, m := range o.Mentions {
					stored[LinkKey(c.EID, m)] = true
				}
			}
		}
		for _, m := range found {
			key := LinkKey(c.EID, m)
			l := Link{Mention: m, Key: key, Accepted: !no[key], NewEntity: fresh[string(m.Type)+"/"+m.Slug], Existing: stored[key]}
			if l.Existing {
				l.Accepted = true
			}
			cr.Links = append(cr.Links, l)
			pv.Links++
			if l.Accepted {
				pv.Accepted++
			}
		}
		for _, d := range demands {
			if d.Clause == c.EID {
				cr.Demands = append(cr.Demands, d)
			}
		}
		parent, _, _ := strings.Cut(c.EID, "__")
		if c.Kind == tracker.Paragraph {
			leadIn[c.EID] = LeadIn(c.Text)
		}
		cr.Proposals = proposeDemands(cr, c.Kind == tracker.Point && leadIn[parent], accepted, turnedDown)
		switch cr.Change {
		case Added:
			pv.Added++
		case Changed:
			pv.Changed++
		default:
			pv.Unchanged++
		}
		pv.Clauses = append(pv.Clauses, cr)
	}
	now := map[string]bool{}
	for _, c := range p.Clauses {
		now[c.EID] = true
	}
	for _, c := range k.Published {
		if !now[c.EID] {
			pv.Removed = append(pv.Removed, c)
		}
	}
	pv.Candidates = mergeCandidates(append(unknown, Candidates(pv.Clauses, fresh)...))
	addNamingClauses(pv.Candidates, p.Clauses)
	return pv
}

// addNamingClauses lists with each candidate every clause that names it (as whole words,
// folded like the linker folds), not only those where a cue found it. Each clause is
// folded and cut into words once and its runs of up to as many words as the longest name
// are looked up in a map of the names, so the cost grows with the length of the text, not
// with the number of names times the number of clauses (which made a 512 KB text take
// 78 s).
func addNamingClauses(cands []Candidate, clauses []tracker.Clause) {
	byName := map[string][]int{}
	longest := 0
	for i, c := range cands {
		words := strings.Fields(linker.Fold(c.Name))
		longest = max(longest, len(words))
		byName[strings.Join(words, " ")] = append(byName[strings.Join(words, " ")], i)
	}
	listed := make([]map[string]bool, len(cands))
	for i, c := range cands {
		listed[i] = map[string]bool{}
		for _, eid := range c.Clauses {
			listed[i][eid] = true
		}
	}
	for _, cl := range clauses {
		words, joined := foldedWords(cl.Text)
		for start := range words {
			run := words[start]
			for n := 1; n <= longest && start+n <= len(words); n++ {
				if n > 1 {
					if !joined[start+n-1] {
						break
					}
					run += " " + words[start+n-1]
				}
				for _, i := range byName[run] {
					if !listed[i][cl.EID] {
						listed[i][cl.EID] = true
						cands[i].Clauses = append(cands[i].Clauses, cl.EID)
					}
				}
			}
		}
	}
}

// foldedWords cuts folded text into words (letters, digits, apostrophes and hyphens);
// joined[i] reports whether only spaces stand between word i-1 and word i, so that a name
// is matched across spaces but not across punctuation.
func foldedWords(text string) (words []string, joined []bool) {
	folded := linker.Fold(text)
	inWord, spacesOnly, start := false, false, 0
	for i, r := range folded {
		isWord := unicode.IsLetter(r) || unicode.IsDigit(r) || r == '\'' || r == '-' || unicode.Is(unicode.Mn, r)
		switch {
		case isWord && !inWord:
			start, inWord = i, true
		case !isWord && inWord:
			words, joined = append(words, folded[start:i]), append(joined, spacesOnly && len(words) > 0)
			inWord, spacesOnly = false, true
		}
		if !isWord && r != ' ' {
			spacesOnly = false
		}
	}
	if inWord {
		words, joined = append(words, folded[start:]), append(joined, spacesOnly && len(words) > 0)
	}
	return words, joined
}

// AcceptedLinks lists, clause by clause, the links to store when the draft is published.
func (pv Preview) AcceptedLinks() map[string][]tracker.Mention {
	out := map[string][]tracker.Mention{}
	for _, c := range pv.Clauses {
		for _, l := range c.Links {
			if l.Accepted {
				out[c.Clause.EID] = append(out[c.Clause.EID], l.Mention)
			}
		}
	}
	return out
}

var (
	nameWord = `\p{Lu}[\p{Ll}’']+(?:-\p{Lu}?[\p{Ll}’']+)*`
	name     = nameWord + `(?:\s+` + nameWord + `){1,3}`
	// A role word right before a name: "activist Max Bokayev", "journalists Aset Mataev".
	reBefore = regexp.MustCompile(`(?i:\b(Mr|Ms|Mrs|Dr|activists?|journalists?|lawyers?|bloggers?|human rights defenders?|trade unionists?|union leaders?|poets?|businessman|businesswoman|businessmen|writers?|politicians?|the case of|the cases of|the death of|the detention of|the arrest of)\.?,?)\s+(` + name + `)`)
	// A name then a role: "Erlan Baltabay, a trade union leader", "Aset Mataev, the journalist".
	reAfter = regexp.MustCompile(`(` + name + `),\s+(?:an?|the|another|who is an?)\s+((?:[\p{Ll}\-]+\s+){0,3}?(activist|journalist|lawyer|blogger|defender|unionist|leader|poet|businessman|businesswoman|writer|politician|dissident))\b`)
	// More names in the same list: ", Vadim Kuramshin" or " and Talgat Ayan".
	reMore = regexp.MustCompile(`^(?:,\s*|\s+and\s+)(` + name + `)`)
)

// notNames are capitalised words that start sentences or name places and bodies, never a
// person's first name.
var notNames = map[string]bool{"The": true, "This": true, "These": true, "European": true, "Kazakh": true, "Kazakhstan": true,
	"President": true, "Parliament": true, "Union": true, "Council": true, "Commission": true, "Court": true, "Supreme": true,
	"Government": true, "State": true, "Republic": true, "United": true, "Nations": true, "Human": true, "Rights": true}

// titles may stand before a name that an expression caught with it.
var titles = map[string]bool{"Mr": true, "Ms": true, "Mrs": true, "Dr": true}

// Candidates finds the names in the clauses' text outside any proposed link and not already
// a new entity of the draft: first the people a cue word points at ("activist Max
// Bokayev", "Erlan Baltabay, another trade union activist"), with the role and place the
// cue gives, then every other personal name (findNames), then the organisations.
func Candidates(clauses []ClauseReview, fresh map[string]bool) []Candidate {
	var cued, named, orgs []Candidate
	for _, c := range clauses {
		text := c.Clause.Text
		// linked marks the characters a proposed link covers (links count characters, the
		// regular expressions bytes): one pass over the clause, whatever its length.
		var linked []bool
		if len(c.Links) > 0 {
			linked = make([]bool, utf8.RuneCountInString(text))
			for _, l := range c.Links {
				for i := max(l.Start, 0); i < min(l.End, len(linked)); i++ {
					linked[i] = true
				}
			}
		}
		runes := &runeOffsets{text: text}
		free := func(start, end int) bool {
			return linked == nil || !slices.Contains(linked[runes.runeAt(start):runes.runeAt(end)], true)
		}
		add := func(start, end int, cue, role, place string) { // byte offsets
			n := text[start:end]
			// "Mr Oraz Serikbay, a lawyer": the title is not part of the name.
			if t, rest, ok := strings.Cut(n, " "); ok && titles[t] && strings.Contains(rest, " ") {
				start = end - len(rest)
				n = rest
			}
			first := strings.Fields(n)[0]
			// "Emir-Usein Kuku": a name starts where a word does.
			if r, _ := utf8.DecodeLastRuneInString(text[:start]); start > 0 && (unicode.IsLetter(r) || r == '-' || r == '’' || r == '\'') {
				return
			}
			if notNames[first] || fresh["person/"+SlugFor(n)] || !free(start, end) {
				return
			}
			cued = append(cued, Candidate{Type: tracker.PersonEntity, Name: n, Slug: SlugFor(n), Cue: cue, Role: role, Place: place, Clauses: []string{c.Clause.EID}, Snippet: snippet(text, start, end)})
		}
		more := func(end int, cue, role, before string) {
			for {
				m := reMore.FindStringSubmatchIndex(text[end:])
				if m == nil {
					return
				}
				add(end+m[2], end+m[3], cue, role, placeNear(before, text[end+m[3]:]))
				end += m[1]
			}
		}
		for _, m := range reBefore.FindAllStringSubmatchIndex(text, -1) {
			cue := strings.ToLower(strings.TrimRight(text[m[2]:m[3]], ".,"))
			role := roleFromCue(cue, text[:m[2]])
			add(m[4], m[5], cue, role, placeNear(text[:m[2]], text[m[5]:]))
			more(m[5], cue, role, text[:m[2]])
		}
		for _, m := range reAfter.FindAllStringSubmatchIndex(text, -1) {
			add(m[2], m[3], text[m[6]:m[7]], roleAfterName(text[m[4]:m[5]]), placeNear(text[:m[2]], text[m[5]:]))
		}
		runes = &runeOffsets{text: text} // findNames reads the clause from its start again
		for _, f := range findNames(text) {
			n := text[f.start:f.end]
			if fresh[string(f.kind)+"/"+SlugFor(n)] || !free(f.start, f.end) {
				continue
			}
			if f.kind == tracker.PersonEntity {
				n = titleCaseCapitals(n) // "Ales BIALIATSKI" is Ales Bialiatski
			}
			cand := Candidate{Type: f.kind, Name: n, Slug: SlugFor(n), Cue: f.cue, Clauses: []string{c.Clause.EID}, Snippet: snippet(text, f.start, f.end)}
			if f.kind == tracker.OrganisationEntity {
				cand.CueOwn = cand.Cue == CueOrganisation
				orgs = append(orgs, cand)
				continue
			}
			if cand.Cue == "" {
				cand.Cue, cand.CueOwn = CueName, true
			}
			named = append(named, cand)
		}
	}
	// A name the text calls an organisation once is one everywhere: "the director of Temirov
	// Live" reads like a person's name until "the investigative outlets Temirov Live".
	orgs = mergeCandidates(orgs)
	isOrg := map[string]bool{}
	for _, o := range orgs {
		isOrg[translit.Key(o.Name)] = true
	}
	people := slices.DeleteFunc(mergeCandidates(append(cued, named...)), func(c Candidate) bool { return isOrg[translit.Key(c.Name)] })
	return append(foldShortForms(people), orgs...)
}

// foldShortForms folds into a person's candidate the other forms the text gives of the
// same name: "Zelenskyy" ("President Zelenskyy") into "Volodymyr Zelenskyy", "Maria
// Alekseyevna Lvova-Belova" into "Maria Lvova-Belova" when that came first, with their
// clauses.
func foldShortForms(cs []Candidate) []Candidate {
	byName := map[string]int{}    // first name and surname → the first candidate with them
	bySurname := map[string]int{} // surname → the first candidate of two words or more with it
	into := make([]int, len(cs))
	for i, c := range cs {
		into[i] = i
		f := strings.Fields(c.Name)
		if c.Type != tracker.PersonEntity || len(f) < 2 {
			continue
		}
		k := translit.Key(f[0] + " " + f[len(f)-1])
		if j, ok := byName[k]; ok {
			into[i] = j
		} else {
			byName[k] = i
		}
		if _, ok := bySurname[translit.Key(f[len(f)-1])]; !ok {
			bySurname[translit.Key(f[len(f)-1])] = i
		}
	}
	for i, c := range cs {
		if j, ok := bySurname[translit.Key(c.Name)]; ok && c.Type == tracker.PersonEntity && !strings.Contains(c.Name, " ") {
			into[i] = j
		}
	}
	var out []Candidate
	at := map[int]int{}
	for i, c := range cs {
		if into[i] == i {
			at[i] = len(out)
			out = append(out, c)
		}
	}
	for i, c := range cs {
		if j := into[i]; j != i {
			o := &out[at[j]]
			for _, e := range c.Clauses {
				if !slices.Contains(o.Clauses, e) {
					o.Clauses = append(o.Clauses, e)
				}
			}
			if o.Role == "" {
				o.Role = c.Role
			}
			if o.Place == "" {
				o.Place = c.Place
			}
		}
	}
	return out
}

// mergeCandidates keeps one candidate per name (by transliteration key), with every clause
// it appears in, in order of first appearance.
func mergeCandidates(cs []Candidate) []Candidate {
	var out []Candidate
	at := map[string]int{}
	listed := map[[2]string]bool{} // name key, clause eId
	for _, c := range cs {
		k := translit.Key(c.Name)
		i, ok := at[k]
		if !ok {
			at[k], i = len(out), len(out)
			out = append(out, c)
			out[i].Clauses = nil
		}
		// A later cue may say what the first did not: "Mr X" first, "X, a lawyer from Aktau" later.
		if out[i].Role == "" {
			out[i].Role = c.Role
		}
		if out[i].Place == "" {
			out[i].Place = c.Place
		}
		for _, e := range c.Clauses {
			if !listed[[2]string{k, e}] {
				listed[[2]string{k, e}] = true
				out[i].Clauses = append(out[i].Clauses, e)
			}
		}
	}
	return out
}

// snippet is the text around a span given in byte offsets, 80 characters either side.
// It walks only those characters, so a long clause costs no more than a short one.
func snippet(text string, start, end int) string {
	a := start
	for n := 0; n < 80 && a > 0; n++ {
		_, size := utf8.DecodeLastRuneInString(text[:a])
		a -= size
	}
	b := end
	for n := 0; n < 80 && b < len(text); n++ {
		_, size := utf8.DecodeRuneInString(text[b:])
		b += size
	}
	s := text[a:b]
	if a > 0 {
		s = "…" + s
	}
	if b < len(text) {
		s += "…"
	}
	return s
}

// runeOffsets converts between byte and character offsets into one text. Offsets asked
// for in increasing order cost only the characters between them, so the matches of one
// clause, read in order, cost one pass over it rather than one pass each.
type runeOffsets struct {
	text       string
	byte, rune int // the last conversion
}

func (o *runeOffsets) runeAt(byteOffset int) int {
	if byteOffset < o.byte {
		o.byte, o.rune = 0, 0
	}
	o.rune += utf8.RuneCountInString(o.text[o.byte:byteOffset])
	o.byte = byteOffset
	return o.rune
}

func (o *runeOffsets) byteAt(runeOffset int) int {
	if runeOffset < o.rune {
		o.byte, o.rune = 0, 0
	}
	for o.rune < runeOffset && o.byte < len(o.text) {
		_, size := utf8.DecodeRuneInString(o.text[o.byte:])
		o.byte += size
		o.rune++
	}
	return o.byte
}

// ClauseRef is something stored that refers to a published clause: a demand quoting its
// words, or a history entry citing it as its source.
type ClauseRef struct {
	What    string // in words: `demand 2019-2610-rsp-para-3-4 ("quash …")`, "a status entry of case x"
	Wording string // a demand's quoted words; "" for a history entry
}

// Problems lists what would stop a re-import from publishing without losing anything: a
// published clause the new text drops while demands or history entries refer to it, or a
// changed clause that no longer has the words a demand quotes. refs maps a published
// clause's eId to what refers to it.
func Problems(pv Preview, refs map[string][]ClauseRef) []string {
	var out []string
	for _, c := range pv.Removed {
		var what []string
		for _, r := range refs[c.EID] {
			what = append(what, r.What)
		}
		if len(what) > 0 {
			sort.Strings(what)
			out = append(out, fmt.Sprintf("%s is not in the new text, but %s refer to it; publishing would lose them.",
				tracker.KindLabel(c.Kind, c.Label), strings.Join(what, ", ")))
		}
	}
	for _, c := range pv.Clauses {
		if c.Change != Changed {
			continue
		}
		for _, r := range refs[c.Clause.EID] {
			if r.Wording != "" && !strings.Contains(c.Clause.Text, r.Wording) {
				out = append(out, fmt.Sprintf("%s changes, and %s quotes words the new text no longer has; publishing would detach them.",
					tracker.KindLabel(c.Clause.Kind, c.Clause.Label), r.What))
			}
		}
	}
	return out
}

// WarningsField is the field of a publish request by which staff say they compared the
// lines the parser warned about with the source text (the check page's box).
const WarningsField = "warnings_seen"

// CheckWarningsSeen refuses to publish a text the parser warned about until someone says
// they compared those lines with the source (issue 14 §2): an unread warning is how text
// ends up public in the wrong clause with nobody having looked. The refusal is a
// *tracker.ValidationError on WarningsField; every way of publishing asks it.
func CheckWarningsSeen(p Parsed, seen bool) error {
	n := len(p.Warnings)
	if n == 0 || seen {
		return nil
	}
	return &tracker.ValidationError{Fields: tracker.FieldErrors{WarningsField: WarningsUnseen(n)}}
}

// WarningsUnseen is CheckWarningsSeen's refusal of a text with n warnings.
func WarningsUnseen(n int) string {
	what := fmt.Sprintf("%d warnings", n)
	if n == 1 {
		what = "1 warning"
	}
	return "Confirm that you have compared the " + what + " with the source text."
}

// Record is a draft as stored: the text as given, its details, and the admin's decisions.
type Record struct {
	ID         int64
	Procedure  string
	Title      string
	AdoptedOn  time.Time
	Stage      tracker.Stage
	Reference  string
	TextDate   time.Time // zero when unknown
	SourceText string
	Rejected   []string // keys of the links turned down
	// RejectedDemands are the keys of the proposed demands turned down.
	RejectedDemands []string
	NewEntities     []NewEntity
	Demands         []NewDemand
	State           string
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
	PublishedAt     *time.Time
	Version         int
}

// Slug is the address the resolution has, or will have, once published.
func (r Record) Slug() string { return tracker.SlugForProcedure(r.Procedure) }

// Parse reads the record's text again, with the details the admin confirmed.
func (r Record) Parse() (Parsed, error) {
	p, err := Parse(r.SourceText)
	p.Procedure, p.Title, p.AdoptedOn = r.Procedure, r.Title, r.AdoptedOn
	p.Stage, p.Reference, p.TextDate = r.Stage, r.Reference, r.TextDate
	return p, err
}

// View is a draft with its preview, as the review page and the command line show it.
type View struct {
	Record   Record
	Preview  Preview
	Problems []string // what stops publishing, in words
	// Address is the slug the text has or will have; Stages are the other texts of the
	// same procedure already published, which the draft is kept beside, not written over.
	Address string
	Stages  []tracker.TextRef
}
