package dossier_test

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/PuerkitoBio/goquery"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

var adopted = time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)

// en, ru and kk write dossiers in English, Russian and Kazakh.
var (
	en = dossier.English(web.Catalog())
	ru = dossier.Words{Lang: i18n.RU, Catalog: web.Catalog()}
	kk = dossier.Words{Lang: i18n.KK, Catalog: web.Catalog()}
)

var months = 36

// person is a record like the seed's, with a Kazakh Cyrillic alias, internal notes and a
// clause; empty is a person with no case, no demand and no clause.
func person() tracker.PersonDetail {
	clause := tracker.ClauseRef{ResolutionSlug: "2019-2610-rsp", ResolutionProcedure: "2019/2610(RSP)", Kind: tracker.Recital, Label: "F", EID: "rec_F",
		ResolutionTitle: "Human rights situation in Kazakhstan", ResolutionDate: adopted, ResolutionStage: tracker.Motion,
		Text: "Whereas … Shymkent-based activist Ardak Ashim, who faced charges for “inciting discord” for her critical social media posts and subjected to forced psychiatric detention;"}
	return tracker.PersonDetail{
		Person: tracker.Person{Slug: "ardak-ashim", Name: "Ardak Ashim", Aliases: []string{"Ардақ Әшім", "Ғалия Қүңһі"}, Role: "activist", Place: "Shymkent",
			Notes: "Charged with inciting discord.", InternalNotes: "Lawyer's phone: +7 700 123 4567"},
		Cases: []tracker.Case{{Slug: "ardak-ashim-case", Title: "Criminal case against Ardak Ashim", InternalNotes: "Held at clinic no. 3",
			Facts: tracker.Facts{DetainedOn: tracker.MakeWhen(adopted.AddDate(-1, 2, 0), tracker.ByMonth), VerdictOn: tracker.MakeWhen(adopted, tracker.ByYear), Court: "Shymkent City Court", SentenceMonths: &months, Sentence: "three years' restricted freedom",
				Charges:  []tracker.Charge{{Provision: tracker.EntityRef{Type: tracker.LegalProvisionEntity, Slug: "criminal-code-article-174", Name: "Criminal Code Article 174"}, Detail: "part 1"}},
				Facility: "Psychiatric clinic 9"},
			LegalProvisions: []tracker.EntityRef{{Type: tracker.LegalProvisionEntity, Slug: "criminal-code-article-174", Name: "Criminal Code Article 174"}},
			Statuses: []tracker.StatusEntry{{ID: 1, Status: "forced_psychiatric_detention", EffectiveOn: tracker.Day(adopted), DatedBy: "reported by the resolution of 14 March 2019", Note: "Per recital F.", SourceClause: &clause, RecordedBy: "seed data", RecordedAt: adopted},
				{ID: 2, Status: "released", EffectiveOn: tracker.MakeWhen(adopted.AddDate(0, 2, 0), tracker.ByMonth), Note: "Released.", InternalNote: "secret shelter address", SourceURL: "https://example.org/ashim", RecordedBy: "editor@example.org", RecordedAt: adopted.AddDate(0, 2, 1)}}}},
		Demands: []tracker.Demand{{Slug: "d-1", Action: "release", Wording: "end all forms of arbitrary detention", Clause: tracker.ClauseRef{ResolutionProcedure: "2019/2610(RSP)", Kind: tracker.Paragraph, Label: "5", EID: "para_5", ResolutionSlug: "2019-2610-rsp"},
			History: []tracker.DemandEntry{{State: tracker.NotMet, EffectiveOn: tracker.Day(adopted), DatedBy: "reported by the resolution of 14 March 2019", RecordedAt: adopted}}}},
		Clauses: []tracker.CitingClause{{ClauseRef: clause}},
		Documents: []tracker.PersonDocument{
			{Attachment: tracker.Attachment{ID: 7, Title: "Verdict of the Shymkent court", Filename: "verdict.pdf", ContentType: "application/pdf", Size: 245760,
				SHA256: strings.Repeat("ab", 32), Visibility: tracker.Public, SourceURL: "https://example.org/verdict", ObtainedOn: &obtained},
				About: tracker.EntityRef{Type: tracker.CaseEntity, Slug: "ardak-ashim-case", Name: "Criminal case against Ardak Ashim"}},
			{Attachment: tracker.Attachment{ID: 8, Title: "Letter from the clinic", Filename: "letter.txt", ContentType: "text/plain", Size: 900,
				SHA256: strings.Repeat("cd", 32), Visibility: tracker.Internal},
				About: tracker.EntityRef{Type: tracker.PersonEntity, Slug: "ardak-ashim", Name: "Ardak Ashim"}},
		},
	}
}

// obtained is when the test person's verdict was obtained: a month.
var obtained = tracker.MakeWhen(adopted.AddDate(0, 1, 0), tracker.ByMonth)

func formats(t *testing.T, d dossier.Dossier) map[string]string {
	t.Helper()
	js, err := d.JSON()
	if err != nil {
		t.Fatal(err)
	}
	var pdf bytes.Buffer
	if err := d.PDF(&pdf); err != nil {
		t.Fatalf("PDF: %v", err)
	}
	return map[string]string{"json": string(js), "md": string(d.Markdown()), "pdf": pdfText(t, pdf.Bytes())}
}

// pdfText extracts a PDF's text with poppler's pdftotext, as a reader's tools would.
func pdfText(t *testing.T, pdf []byte) string {
	t.Helper()
	if _, err := exec.LookPath("pdftotext"); err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("pdftotext is not installed; CI installs poppler-utils")
		}
		t.Skip("PDF text checks need pdftotext: apt-get install poppler-utils")
	}
	cmd := exec.Command("pdftotext", "-enc", "UTF-8", "-", "-")
	cmd.Stdin = bytes.NewReader(pdf)
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	// pdftotext breaks lines where the PDF wraps them; join to compare running text
	return strings.Join(strings.Fields(string(out)), " ")
}

func TestEveryFormatHoldsTheContent(t *testing.T) {
	d := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0), en)
	for name, text := range formats(t, d) {
		for _, want := range []string{"Ardak Ashim", "Ардақ Әшім", "Ғалия Қүңһі", "forced psychiatric detention", "Criminal Code Article 174",
			"end all forms of arbitrary detention", "https://whereas.example/resolutions/2019-2610-rsp#rec_F", d.ContentHash[:16],
			// each clause cited as what its text is: a motion, not the adopted resolution
			"Motion for a resolution on the human rights situation in Kazakhstan, 2019/2610(RSP), recital F; the Parliament adopted a resolution on 14 March 2019",
			"Shymkent City Court", "part 1", "three years' restricted freedom", "36"} {
			if !strings.Contains(text, want) && !strings.Contains(text, strings.ToLower(want)) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		for _, secret := range []string{"+7 700 123 4567", "clinic no. 3", "secret shelter", "editor@example.org", "Psychiatric clinic 9"} {
			if strings.Contains(text, secret) || strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(secret, " ", "")) {
				t.Errorf("public %s contains internal text %q", name, secret)
			}
		}
	}
	// The clause text itself, whole.
	if f := formats(t, d); !strings.Contains(f["pdf"], "for her critical social media posts and subjected to forced psychiatric detention;") {
		t.Error("the PDF cuts the clause")
	}
}

// TestFactDatesSayNoMoreThanIsKnown: a detention known to its month and a verdict known to
// its year read "May 2018" and "2019" in every format ("2018-05" and "2019" in JSON), never
// as the first day of that period.
func TestFactDatesSayNoMoreThanIsKnown(t *testing.T) {
	d := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted, en)
	f := formats(t, d)
	for _, name := range []string{"md", "pdf"} {
		if !strings.Contains(f[name], "May 2018") || strings.Contains(f[name], "1 May 2018") || strings.Contains(f[name], "1 January 2019") {
			t.Errorf("%s dates the detention as %q", name, f[name])
		}
	}
	if !strings.Contains(f["json"], `"detained_on": "2018-05"`) || !strings.Contains(f["json"], `"verdict_on": "2019"`) {
		t.Errorf("JSON facts = %s", f["json"])
	}
	validate(t, f["json"])
}

func TestInternalProfileHoldsInternalText(t *testing.T) {
	d := dossier.Build(person(), dossier.Internal, "https://whereas.example", adopted, adopted, en)
	for name, text := range formats(t, d) {
		for _, want := range []string{"+7 700 123 4567", "clinic no. 3", "secret shelter", "editor@example.org", "Psychiatric clinic 9"} {
			// a narrow table column may wrap an email address mid-word
			if !strings.Contains(text, want) && !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("internal %s lacks %q", name, want)
			}
		}
	}
}

func TestEmptyPersonExportsCleanly(t *testing.T) {
	d := dossier.Build(tracker.PersonDetail{Person: tracker.Person{Slug: "nobody-yet", Name: "Айгерим Нурланова"}}, dossier.Public, "https://whereas.example", adopted, adopted, en)
	f := formats(t, d)
	for name, text := range f {
		if !strings.Contains(text, "Айгерим Нурланова") {
			t.Errorf("%s lacks the name", name)
		}
	}
	if !strings.Contains(f["pdf"], "No status has been recorded") || !strings.Contains(f["md"], "No clause of any resolution names this person") {
		t.Error("the empty sections do not say so")
	}
	validate(t, f["json"])
}

func TestContentHashComparesCopies(t *testing.T) {
	a := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(1, 0, 0), en)
	b := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(2, 0, 0), en)
	if a.ContentHash != b.ContentHash {
		t.Error("the same data generated at two times hashes differently")
	}
	p := person()
	p.Person.Notes = "Changed."
	if c := dossier.Build(p, dossier.Public, "https://whereas.example", adopted, adopted, en); c.ContentHash == a.ContentHash {
		t.Error("different data hashes the same")
	}
}

func TestJSONValidatesAgainstThePublishedSchema(t *testing.T) {
	for _, profile := range []dossier.Profile{dossier.Public, dossier.Internal} {
		js, _ := dossier.Build(person(), profile, "https://whereas.example", adopted, adopted, en).JSON()
		validate(t, string(js))
	}
	// and the schema catches a broken dossier
	if err := schemaValidate(t, `{"profile": "secret"}`); err == nil {
		t.Error("the schema accepted a document without its fields")
	}
}

func schemaValidate(t *testing.T, doc string) error {
	t.Helper()
	c := jsonschema.NewCompiler()
	sch, err := c.Compile("../../docs/dossier.schema.json")
	if err != nil {
		t.Fatalf("compile schema: %v", err)
	}
	v, err := jsonschema.UnmarshalJSON(strings.NewReader(doc))
	if err != nil {
		t.Fatal(err)
	}
	return sch.Validate(v)
}

func validate(t *testing.T, doc string) {
	t.Helper()
	if err := schemaValidate(t, doc); err != nil {
		t.Errorf("dossier JSON does not validate: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(doc), &m); err != nil || m["content_hash"] == "" {
		t.Errorf("dossier JSON: %v", err)
	}
}

// TestMarkdownWritesTextAsText puts markup into every text staff enter (names, aliases,
// role, place, notes, case titles and summaries, status notes, organisation names) and
// renders dossier.md as a permissive renderer would (GitHub-flavoured, raw HTML allowed):
// nothing comes out as a tag, a link, an image or a block, and the text reads as entered.
func TestMarkdownWritesTextAsText(t *testing.T) {
	const inline = `<script>alert(1)</script> [x](javascript:alert(2)) ![i](http://evil.example/i.png) <img src=x onerror=alert(3)> **bold** _em_ ` + "`code`" + ` a|b &lt;`
	const block = inline + "\n# Heading\n- item\n1. first\n> quote\n<div>raw</div>\n    indented\n---"
	p := person()
	p.Person.Name, p.Person.Aliases, p.Person.Role, p.Person.Place = "Ardak "+inline, []string{inline}, inline, inline
	p.Person.Notes, p.Person.InternalNotes = block, block
	p.Cases[0].Title, p.Cases[0].Summary, p.Cases[0].InternalNotes = inline, block, block
	p.Cases[0].Organisations = []tracker.EntityRef{{Type: tracker.OrganisationEntity, Slug: "org", Name: inline}}
	p.Cases[0].Statuses[1].Note, p.Cases[0].Statuses[1].InternalNote = block, block
	p.Demands[0].Wording = inline
	md := dossier.Build(p, dossier.Internal, "https://whereas.example", adopted, adopted, en).Markdown()

	var html bytes.Buffer
	if err := goldmark.New(goldmark.WithExtensions(extension.GFM), goldmark.WithRendererOptions(gmhtml.WithUnsafe())).Convert(md, &html); err != nil {
		t.Fatal(err)
	}
	doc, err := goquery.NewDocumentFromReader(&html)
	if err != nil {
		t.Fatal(err)
	}
	doc.Find("script, img, iframe, div, code, pre, em, h4, h5, h6").Each(func(_ int, s *goquery.Selection) {
		if goquery.NodeName(s) != "code" || len(s.Text()) != 64 { // the content hash is the one code span
			t.Errorf("<%s>%s made from the entered text", goquery.NodeName(s), s.Text())
		}
	})
	// Links are the dossier's own, or a web or email address written out in the text, which
	// GitHub-flavoured renderers link as it reads (http, https and mailto only).
	doc.Find("a").Each(func(_ int, a *goquery.Selection) {
		href, _ := a.Attr("href")
		own := strings.HasPrefix(href, "https://whereas.example/") || strings.HasPrefix(href, "https://example.org/")
		written := (strings.HasPrefix(href, "http://") || strings.HasPrefix(href, "https://")) && a.Text() == href ||
			href == "mailto:"+a.Text()
		if !own && !written {
			t.Errorf("link to %q (%q) made from the entered text", href, a.Text())
		}
	})
	doc.Find("strong").Each(func(_ int, s *goquery.Selection) {
		if strings.Contains(s.Text(), "bold") {
			t.Error("**bold** in a name became bold")
		}
	})
	doc.Find("h1, h2, h3, li").Each(func(_ int, s *goquery.Selection) {
		if txt := strings.TrimSpace(s.Text()); txt == "Heading" || txt == "item" || txt == "first" {
			t.Errorf("a line of a note became a %s: %q", goquery.NodeName(s), txt)
		}
	})
	if n := doc.Find("h1").Length(); n != 1 {
		t.Errorf("%d top-level headings, want the name's alone", n)
	}
	text := strings.Join(strings.Fields(doc.Text()), " ")
	for _, want := range []string{strings.Join(strings.Fields(inline), " "), "# Heading", "- item", "1. first", "<div>raw</div>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the rendered dossier does not read %q as entered", want)
		}
	}
	if t.Failed() {
		t.Logf("dossier.md:\n%s", md)
	}
}

// TestOneDossierIsBounded: 60 long status entries (and long internal notes) once made a PDF
// of 218 pages. A dossier holds at most MaxTimeline entries, each note cut at MaxNoteChars,
// and says so in every format.
func TestOneDossierIsBounded(t *testing.T) {
	t.Parallel()
	p := person()
	long := strings.Repeat("Detained again; lawyer denied access. ", 4000/38+1)[:4000]
	var entries []tracker.StatusEntry
	for i := range 60 {
		entries = append(entries, tracker.StatusEntry{ID: int64(10 + i), Status: "imprisoned", EffectiveOn: tracker.Day(adopted.AddDate(0, 0, i)),
			Note: fmt.Sprintf("Entry %d. %s", i, long), InternalNote: long, SourceURL: "https://example.org/x", RecordedBy: "editor@example.org", RecordedAt: adopted})
	}
	p.Cases[0].Statuses = entries
	d := dossier.Build(p, dossier.Internal, "https://whereas.example", adopted, adopted, en)

	if len(d.Timeline) != dossier.MaxTimeline || !strings.HasPrefix(d.Timeline[0].Note, "Entry 20.") || !strings.HasPrefix(d.Timeline[len(d.Timeline)-1].Note, "Entry 59.") {
		t.Errorf("the timeline has %d entries, from %.10q to %.10q; want the %d most recent", len(d.Timeline), d.Timeline[0].Note, d.Timeline[len(d.Timeline)-1].Note, dossier.MaxTimeline)
	}
	for _, e := range d.Timeline {
		if n := utf8.RuneCountInString(e.Note); n > dossier.MaxNoteChars || !strings.HasSuffix(e.Note, "…") || utf8.RuneCountInString(e.InternalNote) > dossier.MaxNoteChars {
			t.Fatalf("a note of %d characters, internal %d", n, utf8.RuneCountInString(e.InternalNote))
		}
	}
	if len(d.Omitted) != 2 || !strings.Contains(d.Omitted[0], "40 most recent of 60") || !strings.Contains(d.Omitted[1], "cut") {
		t.Errorf("omitted = %q", d.Omitted)
	}
	for format, text := range formats(t, d) {
		if !strings.Contains(text, "40 most recent of 60 status entries") {
			t.Errorf("the %s dossier does not say that entries were left out", format)
		}
	}
	var pdf bytes.Buffer
	if err := d.PDF(&pdf); err != nil {
		t.Fatal(err)
	}
	if pages := len(regexp.MustCompile(`/Type\s*/Page[^s]`).FindAll(pdf.Bytes(), -1)); pages > 50 { // the worst case, long internal notes included: 42
		t.Errorf("the PDF has %d pages", pages)
	}
	validate(t, formats(t, d)["json"])
}

// TestDatesKeepTheirPrecision: a month stays a month ("May 2019", never 1 May 2019) and an
// entry the resolution reports without a date of its own says so, never "since 14 March
// 2019", in every format.
func TestDatesKeepTheirPrecision(t *testing.T) {
	d := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0), en)
	if len(d.Current) != 1 || d.Current[0].EffectiveOn != "2019-05" || d.Current[0].Dated != "since May 2019" {
		t.Errorf("current status = %+v, want 2019-05, since May 2019", d.Current)
	}
	if len(d.Timeline) != 2 || d.Timeline[0].DatedBy != "reported by the resolution of 14 March 2019" || d.Timeline[1].Date != "May 2019" {
		t.Errorf("timeline = %+v", d.Timeline)
	}
	for name, text := range formats(t, d) {
		for _, want := range []string{"May 2019", "reported by the resolution of 14 March 2019"} {
			if !strings.Contains(text, want) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		for _, wrong := range []string{"2019-05-01", "1 May 2019", "since 14 March 2019", "since 2019-03-14"} {
			if strings.Contains(text, wrong) {
				t.Errorf("%s says %q: more than is known", name, wrong)
			}
		}
	}
}

// The PDF draws the status timeline and says it in words; it ends, as the other formats
// do, with when it was made and its hash; every date reads the same way; counts agree
// with their nouns.
func TestPDFHasTheTimelineAndEndsWithItsHash(t *testing.T) {
	d := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0), en)
	f := formats(t, d)
	pdf := strings.Join(strings.Fields(f["pdf"]), " ")
	for _, want := range []string{
		"Criminal case against Ardak Ashim: forced psychiatric detention (reported by the resolution of 14 March 2019; since when is not recorded), then released from May 2019.",
		"1 case · 1 demand · cited in 1 clause",
	} {
		if !strings.Contains(pdf, want) {
			t.Errorf("the PDF lacks %q", want)
		}
	}
	end := pdf[strings.LastIndex(pdf, "Organisations involved"):]
	if !strings.Contains(end, "Content hash (SHA-256): "+d.ContentHash) || !strings.Contains(end, "Generated 14 March 2026") {
		t.Errorf("the PDF does not end with its generation time and hash: %q", end)
	}
	for name, text := range f {
		if name == "json" {
			continue
		}
		if strings.Contains(text, "2019-05-15") || strings.Contains(text, "2019-03-14") {
			t.Errorf("%s writes a date the machine's way: %q", name, text)
		}
	}
	if d.Chart.Empty() || len(d.Chart.Lanes[0].Bars) != 2 {
		t.Errorf("chart %+v", d.Chart)
	}
}
