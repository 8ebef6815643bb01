// Package akn writes a resolution as Akoma Ntoso XML (OASIS LegalDocML 3.0) and reads such
// a document back. Akoma Ntoso is the open standard parliaments publish legal texts in; the
// eIds it gives clauses are the ones Whereas uses in its addresses (cit_1, rec_A,
// para_1__point_a), so a clause keeps one name everywhere. The names a clause cites are
// marked up as <person>, <organization> and <ref>, each pointing at a TLC entry in the
// document's references, so the links travel with the text.
package akn

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/tracker"
)

// Namespace is Akoma Ntoso 3.0's.
const Namespace = "http://docs.oasis-open.org/legaldocml/ns/akn/3.0"

// Document is what Decode reads: the resolution's identity and its clauses, each with the
// mentions its markup carries (people, organisations and legal provisions, by slug).
type Document struct {
	Procedure string
	Title     string
	AdoptedOn time.Time
	Stage     tracker.Stage // from FRBRversionNumber, "" when the document does not say
	Reference string        // from the expression's FRBRalias "documentNumber"
	Clauses   []tracker.Clause
}

// entityPath is where each kind of entity lives in the app; TLC hrefs use it, so a reader
// of the XML can follow a reference to its page.
var entityPath = map[tracker.EntityType]string{
	tracker.PersonEntity:         "/people/",
	tracker.OrganisationEntity:   "/organisations/",
	tracker.LegalProvisionEntity: "/legal-provisions/",
}

var tlcElement = map[tracker.EntityType]string{
	tracker.PersonEntity:         "TLCPerson",
	tracker.OrganisationEntity:   "TLCOrganization",
	tracker.LegalProvisionEntity: "TLCReference",
}

func tlcID(t tracker.EntityType, slug string) string {
	prefix := map[tracker.EntityType]string{tracker.PersonEntity: "person", tracker.OrganisationEntity: "org", tracker.LegalProvisionEntity: "law"}[t]
	return prefix + "_" + slug
}

// FRBR gives the work, expression and manifestation identifiers of a resolution text.
// The work is the procedure's resolution, dated by the Parliament's vote and named by the
// procedure, so that every stage of one procedure is an expression of the same work. The
// expression is the English text at its stage: the adopted text is the version of the
// vote's date ("eng@2019-03-14"); a motion or joint motion is named by its stage and
// document number ("eng@motion", "eng@joint_motion-rc-b8-0180-2019"), never by the vote's date.
func FRBR(r tracker.Resolution) (work, expression, manifestation string) {
	date := r.AdoptedOn.Format(time.DateOnly)
	work = "/akn/eu/statement/resolution/ep/" + date + "/" + tracker.SlugForProcedure(r.Procedure)
	version := string(r.Stage)
	switch {
	case r.Stage == tracker.Adopted || r.Stage == "":
		version = date
	case r.Reference != "":
		version += "-" + tracker.SlugForProcedure(r.Reference)
	}
	expression = work + "/eng@" + version
	return work, expression, expression + "/!main.xml"
}

// expressionDate is the FRBRdate of the expression: the day the text was tabled or
// adopted, or, when nobody knows when a motion was tabled, the day of the vote it was
// tabled for, named so ("plenaryVote") rather than passed off as its own date.
func expressionDate(r tracker.Resolution) (date, name string) {
	switch {
	case r.Stage == tracker.Adopted || r.Stage == "":
		return r.AdoptedOn.Format(time.DateOnly), "adoption"
	case !r.TextDate.IsZero():
		return r.TextDate.Format(time.DateOnly), "tabled"
	}
	return r.AdoptedOn.Format(time.DateOnly), "plenaryVote"
}

// Encode writes r, whose clauses carry their mentions, as an Akoma Ntoso document.
// Mentions of cases are left out: a case is named through its subjects, whose markup the
// case's mention shares, and a reader derives it again from them.
func Encode(w io.Writer, r tracker.Resolution) error {
	var b strings.Builder
	esc := func(s string) string {
		var e strings.Builder
		xml.EscapeText(&e, []byte(s))
		return e.String()
	}
	work, expr, manif := FRBR(r)
	date := r.AdoptedOn.Format(time.DateOnly)

	// The TLC entries: every entity any clause names, once, in order of first mention.
	type tlc struct{ elem, id, href, name string }
	var refs []tlc
	seen := map[string]bool{}
	for _, c := range r.Clauses {
		for _, m := range marked(c) {
			id := tlcID(m.Type, m.Slug)
			if !seen[id] {
				seen[id] = true
				refs = append(refs, tlc{tlcElement[m.Type], id, entityPath[m.Type] + m.Slug, m.Name})
			}
		}
	}

	fmt.Fprintf(&b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<akomaNtoso xmlns=\"%s\">\n", Namespace)
	b.WriteString("  <statement name=\"resolution\">\n    <meta>\n      <identification source=\"#whereas\">\n")
	fmt.Fprintf(&b, "        <FRBRWork>\n          <FRBRthis value=\"%s/!main\"/>\n          <FRBRuri value=\"%s\"/>\n", esc(work), esc(work))
	fmt.Fprintf(&b, "          <FRBRdate date=\"%s\" name=\"adoption\"/>\n          <FRBRauthor href=\"#ep\"/>\n          <FRBRcountry value=\"eu\"/>\n", date)
	fmt.Fprintf(&b, "          <FRBRnumber value=\"%s\"/>\n          <FRBRname value=\"%s\"/>\n        </FRBRWork>\n", esc(r.Procedure), esc(r.Title))
	fmt.Fprintf(&b, "        <FRBRExpression>\n          <FRBRthis value=\"%s/!main\"/>\n          <FRBRuri value=\"%s\"/>\n", esc(expr), esc(expr))
	if r.Reference != "" {
		fmt.Fprintf(&b, "          <FRBRalias name=\"documentNumber\" value=\"%s\"/>\n", esc(r.Reference))
	}
	if r.OfficialURL != "" {
		fmt.Fprintf(&b, "          <FRBRalias name=\"officialURL\" value=\"%s\"/>\n", esc(r.OfficialURL))
	}
	exprDate, exprDateName := expressionDate(r)
	fmt.Fprintf(&b, "          <FRBRdate date=\"%s\" name=\"%s\"/>\n          <FRBRauthor href=\"#ep\"/>\n", exprDate, exprDateName)
	fmt.Fprintf(&b, "          <FRBRversionNumber value=\"%s\" showAs=\"%s\"/>\n", stageOrAdopted(r.Stage), esc(r.Stage.Label()))
	b.WriteString("          <FRBRlanguage language=\"eng\"/>\n        </FRBRExpression>\n")
	fmt.Fprintf(&b, "        <FRBRManifestation>\n          <FRBRthis value=\"%s\"/>\n          <FRBRuri value=\"%s\"/>\n", esc(manif), esc(manif))
	fmt.Fprintf(&b, "          <FRBRdate date=\"%s\" name=\"export\"/>\n          <FRBRauthor href=\"#whereas\"/>\n        </FRBRManifestation>\n", time.Now().UTC().Format(time.DateOnly))
	b.WriteString("      </identification>\n      <references source=\"#whereas\">\n")
	b.WriteString("        <TLCOrganization eId=\"ep\" href=\"/ontology/organization/eu/europeanParliament\" showAs=\"European Parliament\"/>\n")
	b.WriteString("        <TLCOrganization eId=\"whereas\" href=\"/ontology/organization/whereas\" showAs=\"Whereas\"/>\n")
	b.WriteString("        <TLCRole eId=\"cited\" href=\"/ontology/role/whereas/cited\" showAs=\"Named in the resolution\"/>\n")
	for _, t := range refs {
		fmt.Fprintf(&b, "        <%s eId=\"%s\" href=\"%s\" showAs=\"%s\"/>\n", t.elem, esc(t.id), esc(t.href), esc(t.name))
	}
	b.WriteString("      </references>\n    </meta>\n")
	// The preface says which text this is; a date is given only as what it is.
	fmt.Fprintf(&b, "    <preface>\n      <p><docStage>%s</docStage> <docNumber>%s</docNumber> <docTitle>%s</docTitle>", esc(r.Stage.Label()), esc(r.Procedure), esc(r.Title))
	if exprDateName == "plenaryVote" {
		fmt.Fprintf(&b, " <docStatus>tabled for the vote of <docDate date=\"%s\">%s</docDate>; date tabled unknown</docStatus>", exprDate, r.AdoptedOn.Format("2 January 2006"))
	} else {
		on, _ := time.Parse(time.DateOnly, exprDate)
		fmt.Fprintf(&b, " <docDate date=\"%s\">%s</docDate>", exprDate, on.Format("2 January 2006"))
	}
	b.WriteString("</p>\n    </preface>\n")

	section := func(kind tracker.ClauseKind) []tracker.Clause {
		var out []tracker.Clause
		for _, c := range r.Clauses {
			if c.Kind == kind || (kind == tracker.Paragraph && c.Kind == tracker.Point) {
				out = append(out, c)
			}
		}
		return out
	}
	body := func(c tracker.Clause) string { return "<p>" + markup(c, esc) + "</p>" }

	b.WriteString("    <preamble>\n")
	if cs := section(tracker.Citation); len(cs) > 0 {
		b.WriteString("      <citations>\n")
		for _, c := range cs {
			fmt.Fprintf(&b, "        <citation eId=\"%s\">%s</citation>\n", c.EID, body(c))
		}
		b.WriteString("      </citations>\n")
	}
	if cs := section(tracker.Recital); len(cs) > 0 {
		b.WriteString("      <recitals>\n")
		for _, c := range cs {
			fmt.Fprintf(&b, "        <recital eId=\"%s\"><num>%s.</num>%s</recital>\n", c.EID, esc(c.Label), body(c))
		}
		b.WriteString("      </recitals>\n")
	}
	b.WriteString("    </preamble>\n    <mainBody>\n")
	cs := section(tracker.Paragraph)
	for i := 0; i < len(cs); i++ {
		c := cs[i]
		if c.Kind == tracker.Point {
			return fmt.Errorf("akn: point %s comes before any paragraph", c.EID)
		}
		var points []tracker.Clause
		for i+1 < len(cs) && cs[i+1].Kind == tracker.Point {
			points = append(points, cs[i+1])
			i++
		}
		if len(points) == 0 {
			fmt.Fprintf(&b, "      <paragraph eId=\"%s\"><num>%s.</num><content>%s</content></paragraph>\n", c.EID, esc(c.Label), body(c))
			continue
		}
		fmt.Fprintf(&b, "      <paragraph eId=\"%s\"><num>%s.</num><intro>%s</intro>\n", c.EID, esc(c.Label), body(c))
		for _, pt := range points {
			letter := pt.EID[strings.LastIndex(pt.EID, "_")+1:]
			fmt.Fprintf(&b, "        <point eId=\"%s\"><num>(%s)</num><content>%s</content></point>\n", pt.EID, letter, body(pt))
		}
		b.WriteString("      </paragraph>\n")
	}
	b.WriteString("    </mainBody>\n  </statement>\n</akomaNtoso>\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// marked is the mentions of c that get markup: not cases, and never two over one span.
func marked(c tracker.Clause) []tracker.Mention {
	var out []tracker.Mention
	end := 0
	for _, m := range c.Mentions {
		if _, ok := tlcElement[m.Type]; !ok || m.Start < end || m.End > utf8.RuneCountInString(c.Text) {
			continue
		}
		out = append(out, m)
		end = m.End
	}
	return out
}

// markup writes a clause's text with its mentions wrapped in inline elements.
func markup(c tracker.Clause, esc func(string) string) string {
	text := []rune(c.Text)
	var b strings.Builder
	at := 0
	for _, m := range marked(c) {
		b.WriteString(esc(string(text[at:m.Start])))
		inner := esc(string(text[m.Start:m.End]))
		id := tlcID(m.Type, m.Slug)
		switch m.Type {
		case tracker.PersonEntity:
			fmt.Fprintf(&b, "<person refersTo=\"#%s\" as=\"#cited\">%s</person>", esc(id), inner)
		case tracker.OrganisationEntity:
			fmt.Fprintf(&b, "<organization refersTo=\"#%s\">%s</organization>", esc(id), inner)
		default:
			fmt.Fprintf(&b, "<ref href=\"%s\">%s</ref>", esc(entityPath[m.Type]+m.Slug), inner)
		}
		at = m.End
	}
	b.WriteString(esc(string(text[at:])))
	return b.String()
}

var (
	reCitationID  = regexp.MustCompile(`^cit_([1-9][0-9]{0,3})$`)
	reRecitalID   = regexp.MustCompile(`^rec_([A-Z]{1,2})$`)
	reParagraphID = regexp.MustCompile(`^para_([1-9][0-9]{0,3})$`)
	rePointID     = regexp.MustCompile(`^para_([1-9][0-9]{0,3})__point_([a-z]{1,2})$`)
)

// IsAKN reports whether data looks like an Akoma Ntoso document rather than plain text.
func IsAKN(data []byte) bool {
	head := strings.TrimSpace(strings.TrimPrefix(string(data[:min(len(data), 512)]), "\uFEFF"))
	return strings.HasPrefix(head, "<?xml") || strings.HasPrefix(head, "<akomaNtoso")
}

// Decode reads an Akoma Ntoso resolution as Encode writes it. It refuses, with a
// *parser.Error naming the line, a document that is not well-formed, has no statement or
// no clauses, repeats or misnames an eId, or points at a TLC entry it does not define.
func Decode(r io.Reader) (Document, error) {
	d := xml.NewDecoder(r)
	d.Strict = true
	var doc Document
	type open struct {
		clause *tracker.Clause
		text   []rune
	}
	var (
		stack     []string // open element names
		clauses   []*open  // open clause elements, innermost last
		inP       int      // depth of open <p> inside the innermost clause
		tlc       = map[string]tracker.Mention{}
		hrefs     = map[string]tracker.Mention{}
		pending   []tracker.Mention // open inline mentions, innermost last
		eids      = map[string]bool{}
		statement bool
		root      bool
		out       []*open
		preface   string
	)
	lineOf := func() int { l, _ := d.InputPos(); return l }
	fail := func(format string, a ...any) (Document, error) {
		return Document{}, &parser.Error{Line: lineOf(), Msg: fmt.Sprintf(format, a...)}
	}
	attr := func(se xml.StartElement, name string) string {
		for _, a := range se.Attr {
			if a.Name.Local == name {
				return a.Value
			}
		}
		return ""
	}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			var syn *xml.SyntaxError
			if errors.As(err, &syn) {
				return Document{}, &parser.Error{Line: syn.Line, Msg: "not well-formed XML: " + syn.Msg}
			}
			return fail("not well-formed XML: %v", err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			name := t.Name.Local
			if len(stack) == 0 && (name != "akomaNtoso" || t.Name.Space != Namespace) {
				switch {
				case name != "akomaNtoso":
					return fail("the root element is <%s>, not Akoma Ntoso's <akomaNtoso>", name)
				case strings.Contains(t.Name.Space, "akomantoso.org/2.0"):
					return fail("this is Akoma Ntoso 2.0 (namespace %s), as the EP published it; Whereas reads Akoma Ntoso 3.0 (namespace %s): paste the text of the resolution instead", t.Name.Space, Namespace)
				case t.Name.Space == "":
					return fail("<akomaNtoso> has no namespace; Whereas reads Akoma Ntoso 3.0 (namespace %s)", Namespace)
				}
				return fail("<akomaNtoso> is in namespace %s; Whereas reads Akoma Ntoso 3.0 (namespace %s)", t.Name.Space, Namespace)
			}
			stack = append(stack, name)
			root = true
			switch name {
			case "statement", "act", "bill", "doc":
				statement = true
			case "FRBRnumber":
				if parent(stack) == "FRBRWork" {
					doc.Procedure = attr(t, "value")
				}
			case "FRBRversionNumber":
				if st := tracker.Stage(attr(t, "value")); parent(stack) == "FRBRExpression" && st.Valid() {
					doc.Stage = st
				}
			case "FRBRalias":
				if parent(stack) == "FRBRExpression" && attr(t, "name") == "documentNumber" && tracker.ValidReference(attr(t, "value")) {
					doc.Reference = attr(t, "value")
				}
			case "FRBRname":
				if parent(stack) == "FRBRWork" {
					doc.Title = attr(t, "value")
				}
			case "FRBRdate":
				if parent(stack) == "FRBRWork" {
					on, err := time.Parse(time.DateOnly, attr(t, "date"))
					if err != nil {
						return fail("FRBRdate %q is not a date (YYYY-MM-DD)", attr(t, "date"))
					}
					doc.AdoptedOn = on
				}
			case "TLCPerson", "TLCOrganization", "TLCReference":
				href := attr(t, "href")
				typ, slug := entityFromHref(href)
				if typ == "" {
					continue // the TLCs for the EP and Whereas, or another publisher's
				}
				m := tracker.Mention{Type: typ, Slug: slug, Name: attr(t, "showAs")}
				tlc[attr(t, "eId")] = m
				hrefs[href] = m
			case "citation", "recital", "paragraph", "point":
				eid := attr(t, "eId")
				c, err := clauseFor(name, eid)
				if err != nil {
					return fail("%v", err)
				}
				if eids[eid] {
					return fail("eId %q appears twice", eid)
				}
				eids[eid] = true
				o := &open{clause: &c}
				clauses = append(clauses, o)
				out = append(out, o)
			case "p":
				if len(clauses) > 0 {
					inP++
				}
			case "person", "organization", "ref":
				if inP == 0 || len(clauses) == 0 {
					continue
				}
				var m tracker.Mention
				var ok bool
				if name == "ref" {
					m, ok = hrefs[attr(t, "href")]
					if !ok {
						if typ, slug := entityFromHref(attr(t, "href")); typ != "" {
							m, ok = tracker.Mention{Type: typ, Slug: slug}, true
						}
					}
				} else {
					m, ok = tlc[strings.TrimPrefix(attr(t, "refersTo"), "#")]
					if !ok {
						return fail("<%s refersTo=%q> names no TLC entry in the references", name, attr(t, "refersTo"))
					}
				}
				m.Start = len(clauses[len(clauses)-1].text)
				if !ok {
					m.Type = "" // a reference to something else: kept as text
				}
				pending = append(pending, m)
			}
		case xml.EndElement:
			name := t.Name.Local
			stack = stack[:len(stack)-1]
			switch name {
			case "citation", "recital", "paragraph", "point":
				o := clauses[len(clauses)-1]
				clauses = clauses[:len(clauses)-1]
				o.clause.Text = string(o.text)
				if strings.TrimSpace(o.clause.Text) == "" {
					return fail("%s has no text", tracker.KindLabel(o.clause.Kind, o.clause.Label))
				}
			case "p":
				if len(clauses) > 0 {
					inP--
				}
			case "person", "organization", "ref":
				if len(pending) == 0 || inP == 0 || len(clauses) == 0 {
					continue
				}
				m := pending[len(pending)-1]
				pending = pending[:len(pending)-1]
				o := clauses[len(clauses)-1]
				m.End = len(o.text)
				m.Matched = string(o.text[m.Start:m.End])
				if m.Type != "" && m.End > m.Start {
					o.clause.Mentions = append(o.clause.Mentions, m)
				}
			}
		case xml.CharData:
			if inP > 0 && len(clauses) > 0 {
				o := clauses[len(clauses)-1]
				o.text = append(o.text, []rune(string(t))...)
			} else if len(stack) > 0 && (stack[len(stack)-1] == "docTitle") && doc.Title == "" {
				preface += string(t)
			}
		}
	}
	if !root {
		return fail("not an Akoma Ntoso document: no root element")
	}
	if !statement {
		return fail("no <statement> (or other document) element")
	}
	if doc.Title == "" {
		doc.Title = strings.TrimSpace(preface)
	}
	if len(out) == 0 {
		return fail("no clauses: expected <citation>, <recital> or <paragraph> elements with eIds")
	}
	for i, o := range out {
		o.clause.Position = i + 1
		collapseSpace(o.clause)
		doc.Clauses = append(doc.Clauses, *o.clause)
	}
	return doc, nil
}

// collapseSpace makes runs of white space one space and trims the ends, as the parser
// does, moving the mentions' spans with the text (an indented document wraps lines).
func collapseSpace(c *tracker.Clause) {
	old := []rune(c.Text)
	at := make([]int, len(old)+1) // old offset → new offset
	var out []rune
	space := false
	for i, r := range old {
		at[i] = len(out)
		if unicode.IsSpace(r) {
			space = true
			continue
		}
		if space && len(out) > 0 {
			out = append(out, ' ')
			at[i] = len(out)
		}
		space = false
		out = append(out, r)
	}
	at[len(old)] = len(out)
	c.Text = string(out)
	for i := range c.Mentions {
		m := &c.Mentions[i]
		m.Start, m.End = at[m.Start], at[m.End]
		m.Matched = string(out[m.Start:m.End])
	}
}

func parent(stack []string) string {
	if len(stack) < 2 {
		return ""
	}
	return stack[len(stack)-2]
}

// entityFromHref reads "/people/max-bokayev" as a person's slug, and so on.
func entityFromHref(href string) (tracker.EntityType, string) {
	for t, p := range entityPath {
		if slug, ok := strings.CutPrefix(href, p); ok && tracker.ValidSlug(slug) {
			return t, slug
		}
	}
	return "", ""
}

// clauseFor checks that an eId fits its element and gives the clause's kind and label.
func clauseFor(elem, eid string) (tracker.Clause, error) {
	c := tracker.Clause{EID: eid}
	var m []string
	switch elem {
	case "citation":
		m, c.Kind = reCitationID.FindStringSubmatch(eid), tracker.Citation
	case "recital":
		m, c.Kind = reRecitalID.FindStringSubmatch(eid), tracker.Recital
	case "paragraph":
		m, c.Kind = reParagraphID.FindStringSubmatch(eid), tracker.Paragraph
	case "point":
		m, c.Kind = rePointID.FindStringSubmatch(eid), tracker.Point
	}
	if m == nil {
		return c, fmt.Errorf("<%s> has eId %q; expected one like %s", elem, eid,
			map[string]string{"citation": "cit_1", "recital": "rec_A", "paragraph": "para_1", "point": "para_1__point_a"}[elem])
	}
	c.Label = m[1]
	if elem == "point" {
		c.Label = m[1] + "(" + m[2] + ")"
	}
	return c, nil
}

// stageOrAdopted is the stage as FRBRversionNumber gives it; a text stored without one is adopted.
func stageOrAdopted(s tracker.Stage) tracker.Stage {
	if s == "" {
		return tracker.Adopted
	}
	return s
}
