package dossier_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
	"time"

	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/whereas/whereas/internal/dossier"
	"github.com/whereas/whereas/internal/tracker"
)

var adopted = time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)

// person is a record like the seed's, with a Kazakh Cyrillic alias, internal notes and a
// clause; empty is a person with no case, no demand and no clause.
func person() tracker.PersonDetail {
	clause := tracker.ClauseRef{ResolutionSlug: "2019-2610-rsp", ResolutionProcedure: "2019/2610(RSP)", Kind: tracker.Recital, Label: "F", EID: "rec_F",
		Text: "Whereas … Shymkent-based activist Ardak Ashim, who faced charges for “inciting discord” for her critical social media posts and subjected to forced psychiatric detention;"}
	return tracker.PersonDetail{
		Person: tracker.Person{Slug: "ardak-ashim", Name: "Ardak Ashim", Aliases: []string{"Ардақ Әшім", "Ғалия Қүңһі"}, Role: "activist", Place: "Shymkent",
			Notes: "Charged with inciting discord.", InternalNotes: "Lawyer's phone: +7 700 123 4567"},
		Cases: []tracker.Case{{Slug: "ardak-ashim-case", Title: "Criminal case against Ardak Ashim", InternalNotes: "Held at clinic no. 3",
			LegalProvisions: []tracker.EntityRef{{Type: tracker.LegalProvisionEntity, Slug: "criminal-code-article-174", Name: "Criminal Code Article 174"}},
			Statuses: []tracker.StatusEntry{{ID: 1, Status: "forced_psychiatric_detention", EffectiveOn: adopted, Note: "Per recital F.", SourceClause: &clause, RecordedBy: "seed data", RecordedAt: adopted},
				{ID: 2, Status: "released", EffectiveOn: adopted.AddDate(0, 2, 0), Note: "Released.", InternalNote: "secret shelter address", SourceURL: "https://example.org/ashim", RecordedBy: "editor@example.org", RecordedAt: adopted.AddDate(0, 2, 1)}}}},
		Demands: []tracker.Demand{{Slug: "d-1", Action: "release", Wording: "end all forms of arbitrary detention", Clause: tracker.ClauseRef{ResolutionProcedure: "2019/2610(RSP)", Kind: tracker.Paragraph, Label: "5", EID: "para_5", ResolutionSlug: "2019-2610-rsp"},
			History: []tracker.DemandEntry{{State: tracker.NotMet, EffectiveOn: adopted, RecordedAt: adopted}}}},
		Clauses: []tracker.CitingClause{{ClauseRef: clause}},
	}
}

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
	d := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(7, 0, 0))
	for name, text := range formats(t, d) {
		for _, want := range []string{"Ardak Ashim", "Ардақ Әшім", "Ғалия Қүңһі", "forced psychiatric detention", "Criminal Code Article 174",
			"end all forms of arbitrary detention", "https://whereas.example/resolutions/2019-2610-rsp#rec_F", "Recital F", d.ContentHash[:16]} {
			if !strings.Contains(text, want) && !strings.Contains(text, strings.ToLower(want)) {
				t.Errorf("%s lacks %q", name, want)
			}
		}
		for _, secret := range []string{"+7 700 123 4567", "clinic no. 3", "secret shelter", "editor@example.org"} {
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

func TestInternalProfileHoldsInternalText(t *testing.T) {
	d := dossier.Build(person(), dossier.Internal, "https://whereas.example", adopted, adopted)
	for name, text := range formats(t, d) {
		for _, want := range []string{"+7 700 123 4567", "clinic no. 3", "secret shelter", "editor@example.org"} {
			// a narrow table column may wrap an email address mid-word
			if !strings.Contains(text, want) && !strings.Contains(strings.ReplaceAll(text, " ", ""), strings.ReplaceAll(want, " ", "")) {
				t.Errorf("internal %s lacks %q", name, want)
			}
		}
	}
}

func TestEmptyPersonExportsCleanly(t *testing.T) {
	d := dossier.Build(tracker.PersonDetail{Person: tracker.Person{Slug: "nobody-yet", Name: "Айгерим Нурланова"}}, dossier.Public, "https://whereas.example", adopted, adopted)
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
	a := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(1, 0, 0))
	b := dossier.Build(person(), dossier.Public, "https://whereas.example", adopted, adopted.AddDate(2, 0, 0))
	if a.ContentHash != b.ContentHash {
		t.Error("the same data generated at two times hashes differently")
	}
	p := person()
	p.Person.Notes = "Changed."
	if c := dossier.Build(p, dossier.Public, "https://whereas.example", adopted, adopted); c.ContentHash == a.ContentHash {
		t.Error("different data hashes the same")
	}
}

func TestJSONValidatesAgainstThePublishedSchema(t *testing.T) {
	for _, profile := range []dossier.Profile{dossier.Public, dossier.Internal} {
		js, _ := dossier.Build(person(), profile, "https://whereas.example", adopted, adopted).JSON()
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
