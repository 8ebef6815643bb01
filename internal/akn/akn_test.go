package akn_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/whereas/whereas/data"
	"github.com/whereas/whereas/internal/akn"
	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/parser"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// seedResolution is the seed resolution with the links the linker finds, as stored.
func seedResolution(t testing.TB) tracker.Resolution {
	t.Helper()
	ds, err := seed.Load(data.Seed, data.SeedFile)
	if err != nil {
		t.Fatal(err)
	}
	l := linker.New(ds.LinkerEntities(), nil)
	r := ds.Resolution
	for i := range r.Clauses {
		r.Clauses[i].Mentions = l.Link(r.Clauses[i].Text)
	}
	return r
}

func encode(t testing.TB, r tracker.Resolution) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := akn.Encode(&b, r); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestRoundTripSeed(t *testing.T) {
	r := seedResolution(t)
	out := encode(t, r)
	doc, err := akn.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatalf("Decode of our own export: %v", err)
	}
	if doc.Procedure != r.Procedure || doc.Title != r.Title || !doc.AdoptedOn.Equal(r.AdoptedOn) {
		t.Errorf("identity = %q %q %s, want %q %q %s", doc.Procedure, doc.Title, doc.AdoptedOn, r.Procedure, r.Title, r.AdoptedOn)
	}
	if len(doc.Clauses) != len(r.Clauses) {
		t.Fatalf("%d clauses back, want %d", len(doc.Clauses), len(r.Clauses))
	}
	links := 0
	for i, want := range r.Clauses {
		got := doc.Clauses[i]
		if got.EID != want.EID || got.Kind != want.Kind || got.Label != want.Label || got.Position != want.Position || got.Text != want.Text {
			t.Errorf("clause %d = %+v\nwant %+v", i, got, want)
		}
		if g, w := got.Mentions, want.Mentions; !reflect.DeepEqual(g, w) {
			t.Errorf("%s mentions = %+v\nwant %+v", want.EID, g, w)
		}
		links += len(got.Mentions)
	}
	if links < 20 {
		t.Errorf("only %d links came back; the markup was lost", links)
	}
}

func TestExportIsWellFormedWithUniqueIDs(t *testing.T) {
	out := encode(t, seedResolution(t))
	d := xml.NewDecoder(bytes.NewReader(out))
	ids := map[string]bool{}
	counts := map[string]int{}
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("not well-formed: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			counts[se.Name.Local]++
			for _, a := range se.Attr {
				if a.Name.Local == "eId" {
					if ids[a.Value] {
						t.Errorf("eId %q twice", a.Value)
					}
					ids[a.Value] = true
				}
			}
		}
	}
	for elem, want := range map[string]int{"statement": 1, "preface": 1, "preamble": 1, "citations": 1, "citation": 7, "recitals": 1,
		"recital": 11, "mainBody": 1, "paragraph": 10, "FRBRWork": 1, "FRBRExpression": 1, "FRBRManifestation": 1} {
		if counts[elem] != want {
			t.Errorf("<%s> × %d, want %d", elem, counts[elem], want)
		}
	}
	for _, elem := range []string{"person", "organization", "ref", "TLCPerson", "TLCOrganization", "TLCReference", "TLCRole"} {
		if counts[elem] == 0 {
			t.Errorf("no <%s> in the export", elem)
		}
	}
	for _, want := range []string{`<statement name="resolution">`, `eId="rec_A"`, `eId="cit_1"`, `eId="para_1"`,
		`<FRBRuri value="/akn/eu/statement/resolution/ep/2019-03-14/2019-2610-rsp"/>`, `<person refersTo="#person_max-bokayev" as="#cited">`} {
		if !bytes.Contains(out, []byte(want)) {
			t.Errorf("export lacks %s", want)
		}
	}
}

func TestPointsNestInTheirParagraph(t *testing.T) {
	doc, err := parser.Parse("A. whereas Ms Doe & <others> were held;\n1. Calls on the authorities to:\n(a) release them;\n(b) repeal the law;\n2. Instructs its President;\n")
	if err != nil {
		t.Fatal(err)
	}
	r := tracker.Resolution{Slug: "2022-0001-rsp", Procedure: "2022/0001(RSP)", Title: "T", Clauses: doc.Clauses}
	out := encode(t, r)
	if !bytes.Contains(out, []byte(`<paragraph eId="para_1"><num>1.</num><intro><p>Calls on the authorities to:</p></intro>`)) ||
		!bytes.Contains(out, []byte(`<point eId="para_1__point_b"><num>(b)</num><content><p>repeal the law;</p></content></point>`)) {
		t.Errorf("points are not inside their paragraph:\n%s", out)
	}
	back, err := akn.Decode(bytes.NewReader(out))
	if err != nil {
		t.Fatal(err)
	}
	if back.Clauses[0].Text != "whereas Ms Doe & <others> were held;" || back.Clauses[3].Label != "1(b)" || back.Clauses[3].Kind != tracker.Point {
		t.Errorf("decoded = %+v", back.Clauses)
	}
}

func TestDecodeRefusesMalformed(t *testing.T) {
	good := string(encode(t, seedResolution(t)))
	for name, tc := range map[string]struct{ doc, want string }{
		"NotXML":      {"having regard to nothing", "root element"},
		"Truncated":   {good[:len(good)/2], "not well-formed"},
		"OtherRoot":   {`<?xml version="1.0"?><html xmlns="` + akn.Namespace + `"/>`, "root element"},
		"NoNamespace": {`<akomaNtoso><statement/></akomaNtoso>`, "<akomaNtoso> has no namespace; Whereas reads Akoma Ntoso 3.0 (namespace " + akn.Namespace + ")"},
		"AkomaNtoso20": {"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<akomaNtoso xmlns=\"http://www.akomantoso.org/2.0\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">\n<doc name=\"TA\"/></akomaNtoso>",
			"this is Akoma Ntoso 2.0 (namespace http://www.akomantoso.org/2.0), as the EP published it; Whereas reads Akoma Ntoso 3.0 (namespace " + akn.Namespace + ")"},
		"OtherVersion":    {`<akomaNtoso xmlns="http://docs.oasis-open.org/legaldocml/ns/akn/2.9"/>`, "is in namespace http://docs.oasis-open.org/legaldocml/ns/akn/2.9; Whereas reads Akoma Ntoso 3.0"},
		"NoClauses":       {`<akomaNtoso xmlns="` + akn.Namespace + `"><statement name="resolution"/></akomaNtoso>`, "no clauses"},
		"BadEID":          {strings.Replace(good, `eId="rec_B"`, `eId="rec_b"`, 1), `"rec_b"`},
		"DuplicateEID":    {strings.Replace(good, `eId="rec_B"`, `eId="rec_A"`, 1), "appears twice"},
		"UnknownRefersTo": {strings.Replace(good, `refersTo="#person_max-bokayev"`, `refersTo="#nobody"`, 1), "no TLC entry"},
		"EmptyClause":     {strings.Replace(good, `<citation eId="cit_1"><p>`, `<citation eId="cit_1"><p></p><x>`, 1), "not well-formed"},
	} {
		t.Run(name, func(t *testing.T) {
			_, err := akn.Decode(strings.NewReader(tc.doc))
			var pe *parser.Error
			if !errors.As(err, &pe) || pe.Line < 1 || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Decode = %v, want a refusal naming a line and saying %q", err, tc.want)
			}
		})
	}
}

func FuzzDecode(f *testing.F) {
	f.Add(string(encode(f, seedResolution(f))))
	f.Add(`<akomaNtoso xmlns="` + akn.Namespace + `"><statement><mainBody><paragraph eId="para_1"><content><p>x <person refersTo="#a">y</person></p></content></paragraph></mainBody></statement></akomaNtoso>`)
	f.Fuzz(func(t *testing.T, doc string) {
		d, err := akn.Decode(strings.NewReader(doc))
		if err != nil {
			var pe *parser.Error
			if !errors.As(err, &pe) {
				t.Fatalf("refusal %v is not a *parser.Error", err)
			}
			return
		}
		seen := map[string]bool{}
		for i, c := range d.Clauses {
			if c.Position != i+1 || seen[c.EID] || strings.TrimSpace(c.Text) == "" {
				t.Fatalf("bad clause %d: %+v", i, c)
			}
			seen[c.EID] = true
			n := len([]rune(c.Text))
			for _, m := range c.Mentions {
				if m.Start < 0 || m.End > n || m.Start >= m.End || string([]rune(c.Text)[m.Start:m.End]) != m.Matched {
					t.Fatalf("bad mention %+v in %q", m, c.Text)
				}
			}
		}
	})
}
