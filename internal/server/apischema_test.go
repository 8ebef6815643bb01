package server_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"regexp"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/go-chi/chi/v5"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/whereas/whereas/internal/server"
)

const apiSchemaFile = "../../docs/api.schema.json"

// apiAnswers names, for every GET route of the JSON API, the schema of its answer in
// docs/api.schema.json ($defs/answer_…) and the README's words just before the field list
// that documents it (whitespace collapsed).
var apiAnswers = []struct {
	route, schema, readme string
}{
	{"/api/v1/search", "answer_search", "API answer: "},
	{"/api/v1/suggest", "answer_suggest", "`GET /api/v1/suggest?type=…&q=…` → "},
	{"/api/v1/resolutions", "answer_resolutions", "`GET /api/v1/resolutions` → "},
	{"/api/v1/resolutions/{slug}", "answer_resolution", "`GET /api/v1/resolutions/{slug}` → "},
	{"/api/v1/resolutions/{slug}/demands", "answer_resolution_demands", "`GET /api/v1/resolutions/{slug}/demands` → "},
	{"/api/v1/demands/{slug}", "answer_demand", "`GET /api/v1/demands/{slug}` → a demand: "},
	{"/api/v1/people", "answer_filtered_list", "`GET /api/v1/people`, `/api/v1/cases` → "},
	{"/api/v1/cases", "answer_filtered_list", "`GET /api/v1/people`, `/api/v1/cases` → "},
	{"/api/v1/organisations", "answer_list", "`GET /api/v1/organisations`, `/api/v1/legal-provisions` → "},
	{"/api/v1/legal-provisions", "answer_list", "`GET /api/v1/organisations`, `/api/v1/legal-provisions` → "},
	{"/api/v1/people/{slug}", "answer_entity", "`GET /api/v1/people/{slug}` (and `/organisations/{slug}`, `/legal-provisions/{slug}`) → "},
	{"/api/v1/organisations/{slug}", "answer_entity", "`GET /api/v1/people/{slug}` (and `/organisations/{slug}`, `/legal-provisions/{slug}`) → "},
	{"/api/v1/legal-provisions/{slug}", "answer_entity", "`GET /api/v1/people/{slug}` (and `/organisations/{slug}`, `/legal-provisions/{slug}`) → "},
	{"/api/v1/cases/{slug}", "answer_case", "`GET /api/v1/cases/{slug}` → a case: "},
	{"/api/v1/changes", "answer_changes", "`GET /api/v1/changes` takes the same parameters, and `per_page` (default 50, at most 500) → "},
}

// readmeTypes are the shapes the README names inside field lists ([demand], status|null),
// found after these words, and the schema $defs they stand for.
var readmeTypes = map[string]struct{ readme, schema string }{
	"demand":     {"`GET /api/v1/demands/{slug}` → a demand: ", "demand"},
	"status":     {"where a status is ", "status"},
	"facts":      {"and the facts are ", "facts"},
	"attachment": {"where an attachment is ", "attachment"},
}

// TestAPIAnswersMatchTheirSchemas fetches every GET route of the JSON API from a seeded
// database, with data that leaves optional values unset in some records and sets them in
// others (a sourced and a corrected status entry, a corrected demand state), and validates
// each answer against its schema: every documented key present, null when unset, nothing
// undocumented.
func TestAPIAnswersMatchTheirSchemas(t *testing.T) {
	t.Parallel()
	w := newStaffWorld(t)
	ctx := context.Background()
	const token = "schema-token-0123456789abcdefghijklmnopqrst"
	if err := w.db.CreateAPIToken(ctx, actorFor("test"), "editor@example.org", "script", token); err != nil {
		t.Fatal(err)
	}
	c, err := w.db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	code, body := apiDo(t, "POST", w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", token, fmt.Sprintf(
		`{"version": %d, "status": "released", "effective_on": "2020-01-01", "note": "Released.", "source_url": "https://example.org/a"}`, c.Case.Version))
	if code != http.StatusCreated {
		t.Fatalf("add status: %d %v", code, body)
	}
	first := int64(body["id"].(float64))
	code, body = apiDo(t, "POST", w.a.URL+"/api/v1/cases/max-bokayev-case/statuses", token, fmt.Sprintf(
		`{"version": %v, "status": "released", "effective_on": "2020-01-02", "note": "Date corrected.", "source_url": "https://example.org/b", "supersedes": %d}`, body["version"], first))
	if code != http.StatusCreated {
		t.Fatalf("correct status: %d %v", code, body)
	}
	code, body = apiDo(t, "PATCH", w.a.URL+"/api/v1/cases/max-bokayev-case", token, fmt.Sprintf(`{"version": %v, "facts": {"detained_on": "2016-05-17",
		"charges": [{"legal_provision": "criminal-code-article-174", "detail": "part 2"}, {"legal_provision": "criminal-code-article-274"}],
		"court": "Atyrau City Court", "case_number": "1", "verdict_on": "2016-11-28", "sentence": "5 years", "sentence_months": 60,
		"release_due_on": "2021-05-17", "next_hearing_on": "2030-01-01", "facility": "Colony", "facility_public": false}}`, body["version"]))
	if code != http.StatusOK {
		t.Fatalf("set facts: %d %v", code, body)
	}
	d, err := w.db.Demand(ctx, "2019-2610-rsp-para-1-1")
	if err != nil {
		t.Fatal(err)
	}
	code, body = apiDo(t, "POST", w.a.URL+"/api/v1/demands/2019-2610-rsp-para-1-1/states", token, fmt.Sprintf(
		`{"version": %d, "state": "met", "effective_on": "2020-01-01", "note": "Met.", "source_url": "https://example.org/c", "supersedes": %d}`, d.Version, d.History[0].ID))
	if code != http.StatusCreated {
		t.Fatalf("correct demand state: %d %v", code, body)
	}

	// Files, with and without their optional values: on a status entry, on a person (internal).
	if resp, body := upload(t, http.DefaultClient, fmt.Sprintf("%s/api/v1/statuses/%d/attachments", w.a.URL, first), token,
		[][2]string{{"visibility", "public"}, {"obtained_on", "2019-05"}, {"source_url", "https://example.org/v"}}, "verdict.pdf", testPDF); resp.StatusCode != http.StatusCreated {
		t.Fatalf("attach a file: %d %s", resp.StatusCode, body)
	}
	if resp, body := upload(t, http.DefaultClient, w.a.URL+"/api/v1/people/max-bokayev/attachments", token,
		[][2]string{{"visibility", "internal"}}, "letter.txt", []byte("A letter.")); resp.StatusCode != http.StatusCreated {
		t.Fatalf("attach a file: %d %s", resp.StatusCode, body)
	}

	schemas := map[string]*jsonschema.Schema{}
	compiler := jsonschema.NewCompiler()
	for _, a := range apiAnswers {
		if schemas[a.schema] == nil {
			if schemas[a.schema], err = compiler.Compile(apiSchemaFile + "#/$defs/" + a.schema); err != nil {
				t.Fatalf("compile %s: %v", a.schema, err)
			}
		}
	}
	slugs := map[string][]string{
		"/api/v1/resolutions/{slug}":         {"2019-2610-rsp"},
		"/api/v1/resolutions/{slug}/demands": {"2019-2610-rsp"},
		"/api/v1/demands/{slug}":             {"2019-2610-rsp-para-1-1", "2019-2610-rsp-para-3-1"},
		"/api/v1/people/{slug}":              {"max-bokayev", "ardak-ashim"},
		"/api/v1/organisations/{slug}":       {"cituk", "ilo"},
		"/api/v1/legal-provisions/{slug}":    {"criminal-code-article-174", "criminal-libel"},
		"/api/v1/cases/{slug}":               {"max-bokayev-case", "talgat-ayan-case"},
	}
	queries := map[string][]string{
		"/api/v1/search":      {"?q=Bokayev", "?q=torture", "?q=Бокаев", "?q=zzzzzz"},
		"/api/v1/suggest":     {"?type=person&q=Бок", "?type=organisation&q=ci", "?type=legal_provision&q=article", "?type=case&q=bokaev", "?type=case&q=Forbes", "?type=person&q="},
		"/api/v1/people":      {"", "?status=released", "?page=2&per_page=3"},
		"/api/v1/cases":       {"", "?role=activist"},
		"/api/v1/resolutions": {"", "?per_page=1"},
		"/api/v1/changes":     {"", "?order=recorded", "?kind=resolution", "?person=max-bokayev&kind=status", "?resolution=2019-2610-rsp"},
	}
	for _, a := range apiAnswers {
		paths := []string{a.route}
		if s, ok := slugs[a.route]; ok {
			paths = nil
			for _, slug := range s {
				paths = append(paths, strings.Replace(a.route, "{slug}", slug, 1))
			}
		}
		for _, p := range paths {
			qs := queries[a.route]
			if qs == nil {
				qs = []string{""}
			}
			for _, q := range qs {
				for _, who := range []string{"", token} {
					resp, raw := apiRaw(t, http.MethodGet, w.a.URL+p+q, who, "")
					if resp.StatusCode != http.StatusOK {
						t.Errorf("GET %s%s = %d", p, q, resp.StatusCode)
						continue
					}
					v, err := jsonschema.UnmarshalJSON(strings.NewReader(raw))
					if err != nil {
						t.Fatal(err)
					}
					if err := schemas[a.schema].Validate(v); err != nil {
						t.Errorf("GET %s%s (staff: %v) does not match %s:\n%v", p, q, who != "", a.schema, err)
					}
					var top map[string]any
					_ = json.Unmarshal([]byte(raw), &top)
					_, version := top["version"]
					if who == "" && (strings.Contains(raw, `"internal_note`) || version && a.schema != "answer_demand") {
						t.Errorf("anonymous GET %s%s carries a staff-only key", p, q)
					}
				}
			}
		}
	}
	// The corrected entries carry what names them: the status history's ids and links.
	var cs struct {
		Statuses []struct {
			ID          int64  `json:"id"`
			Corrects    *int64 `json:"corrects"`
			CorrectedBy *int64 `json:"corrected_by"`
		}
	}
	_, raw := apiRaw(t, http.MethodGet, w.a.URL+"/api/v1/cases/max-bokayev-case", "", "")
	if err := json.Unmarshal([]byte(raw), &cs); err != nil {
		t.Fatal(err)
	}
	var firstEntry, correction bool
	for _, s := range cs.Statuses {
		firstEntry = firstEntry || s.ID == first && s.CorrectedBy != nil && *s.CorrectedBy > first
		correction = correction || s.Corrects != nil && *s.Corrects == first
	}
	if !firstEntry || !correction {
		t.Errorf("status history lacks the ids that link entry %d and its correction: %s", first, raw)
	}

	t.Run("EveryGETRouteHasASchema", func(t *testing.T) {
		err := chi.Walk(server.New(w.db, slog.New(slog.NewTextHandler(io.Discard, nil)), server.Options{}).(chi.Routes),
			func(method, route string, _ http.Handler, _ ...func(http.Handler) http.Handler) error {
				if method == http.MethodGet && strings.HasPrefix(route, "/api/") && !strings.HasSuffix(route, ".csv") &&
					!slices.ContainsFunc(apiAnswers, func(a struct{ route, schema, readme string }) bool { return a.route == route }) {
					t.Errorf("GET %s has no schema in %s", route, apiSchemaFile)
				}
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
	})
}

// TestREADMEFieldListsMatchTheAPISchemas reads the README's field list of every answer and
// checks it against the answer's schema, level by level: the keys the README lists are the
// schema's properties, all of them required, and exactly the keys the README marks "|null"
// may be null. README, schemas and (through the test above) answers therefore cannot drift apart.
func TestREADMEFieldListsMatchTheAPISchemas(t *testing.T) {
	readme, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Join(strings.Fields(string(readme)), " ")
	var schema struct {
		Defs map[string]*schemaNode `json:"$defs"`
	}
	raw, err := os.ReadFile(apiSchemaFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(raw, &schema); err != nil {
		t.Fatal(err)
	}
	spanAfter := func(marker string) string {
		i := strings.Index(text, marker)
		if i < 0 || !strings.HasPrefix(text[i+len(marker):], "`") {
			t.Fatalf("the README has no field list after %q", marker)
		}
		rest := text[i+len(marker)+1:]
		return rest[:strings.Index(rest, "`")]
	}
	i := strings.Index(text, "- Staff (signed in")
	if i < 0 {
		t.Fatal("the README has no paragraph on what staff reads add")
	}
	staffParagraph = text[i : i+strings.Index(text[i+1:], " - ")+1]
	types := map[string]*shape{}
	for name, rt := range readmeTypes {
		types[name] = parseShape(t, spanAfter(rt.readme))
	}
	for _, a := range apiAnswers {
		doc := parseShape(t, spanAfter(a.readme))
		compareShape(t, a.schema, doc, schema.Defs[a.schema], schema.Defs, types)
	}
}

// staffOnly starts the description of a key only staff reads carry.
const staffOnly = "Staff reads only"

// staffParagraph is the README's paragraph on what staff reads add.
var staffParagraph string

// schemaNode is the part of a JSON Schema the comparison reads.
type schemaNode struct {
	Description string                 `json:"description"`
	Ref         string                 `json:"$ref"`
	Type        any                    `json:"type"`
	AnyOf       []*schemaNode          `json:"anyOf"`
	Required    []string               `json:"required"`
	Properties  map[string]*schemaNode `json:"properties"`
	Items       *schemaNode            `json:"items"`
}

// resolve follows $ref and unwraps "anyOf [X, null]", reporting whether null is allowed.
func (n *schemaNode) resolve(defs map[string]*schemaNode) (*schemaNode, bool) {
	nullable := false
	for n != nil {
		switch {
		case n.Ref != "":
			n = defs[strings.TrimPrefix(n.Ref, "#/$defs/")]
		case len(n.AnyOf) > 0:
			var other *schemaNode
			for _, alt := range n.AnyOf {
				if alt.Type == "null" {
					nullable = true
				} else {
					other = alt
				}
			}
			n = other
		default:
			if ts, ok := n.Type.([]any); ok && slices.Contains(ts, any("null")) {
				nullable = true
			}
			return n, nullable
		}
	}
	return nil, nullable
}

// shape is a README field list: `{slug, name, cases: [case], current_status: status|null}`.
type shape struct {
	keys     []string
	fields   map[string]*shape // nested lists, for keys that give one
	array    bool              // [ … ]
	named    string            // a shape named elsewhere: demand, status
	leaf     bool              // a value without a field list: a string, a number, N, time
	nullable bool              // …|null
}

var shapeToken = regexp.MustCompile(`"?[A-Za-z_$][A-Za-z0-9_$]*"?|[{}\[\]:,|]`)

// parseShape reads the README's notation for a JSON answer.
func parseShape(t *testing.T, s string) *shape {
	t.Helper()
	toks := shapeToken.FindAllString(s, -1)
	pos := 0
	next := func() string {
		if pos >= len(toks) {
			t.Fatalf("field list ends early: %s", s)
		}
		pos++
		return strings.Trim(toks[pos-1], `"`)
	}
	peek := func() string {
		if pos < len(toks) {
			return toks[pos]
		}
		return ""
	}
	var value func() *shape
	value = func() *shape {
		var sh *shape
		switch tok := next(); tok {
		case "{":
			sh = &shape{fields: map[string]*shape{}}
			for peek() != "}" {
				key := next()
				sh.keys = append(sh.keys, key)
				switch peek() {
				case ":":
					next()
					sh.fields[key] = value()
				case "|": // key|null
					next()
					sh.fields[key] = &shape{leaf: true, nullable: next() == "null"}
				}
				if peek() == "," {
					next()
				}
			}
			next()
		case "[":
			sh = value()
			sh.array = true
			next() // ]
		default:
			sh = &shape{named: tok}
			if _, ok := readmeTypes[tok]; !ok {
				sh = &shape{leaf: true}
			}
		}
		if peek() == "|" {
			next()
			if next() == "null" {
				sh.nullable = true
			}
		}
		return sh
	}
	return value()
}

// compareShape checks one level of a README field list against a schema node and goes down
// into every nested list the README gives.
func compareShape(t *testing.T, at string, doc *shape, n *schemaNode, defs map[string]*schemaNode, types map[string]*shape) {
	t.Helper()
	n, nullable := n.resolve(defs)
	if n == nil {
		t.Errorf("%s: no schema", at)
		return
	}
	if doc.nullable != nullable {
		t.Errorf("%s: the README says null %v, the schema %v: a key that may be null is marked |null", at, doc.nullable, nullable)
	}
	if doc.leaf {
		return
	}
	if doc.array {
		if n.Items == nil {
			t.Errorf("%s: the README lists an array; the schema has none", at)
			return
		}
		inner := *doc
		inner.array, inner.nullable = false, false
		compareShape(t, at+"[]", &inner, n.Items, defs, types)
		return
	}
	if doc.named != "" {
		compareShape(t, at+"("+doc.named+")", types[doc.named], n, defs, types)
		return
	}
	// Keys only staff reads carry are documented in the README's staff paragraph, not in
	// the field lists: the schema allows them and does not require them.
	var props []string
	for k, p := range n.Properties {
		if strings.HasPrefix(p.Description, staffOnly) {
			if slices.Contains(n.Required, k) || !strings.Contains(staffParagraph, "`"+k+"`") {
				t.Errorf("%s.%s: a staff-only key must be optional and named in the README's staff paragraph", at, k)
			}
			continue
		}
		props = append(props, k)
	}
	keys, req := slices.Clone(doc.keys), slices.Clone(n.Required)
	sort.Strings(keys)
	sort.Strings(props)
	sort.Strings(req)
	if !slices.Equal(keys, props) {
		t.Errorf("%s: the README lists %v; the schema has %v", at, keys, props)
	}
	if !slices.Equal(props, req) {
		t.Errorf("%s: the schema requires %v of %v: every documented key must always be present", at, req, props)
	}
	for _, k := range doc.keys {
		if f := doc.fields[k]; f != nil && n.Properties[k] != nil {
			compareShape(t, at+"."+k, f, n.Properties[k], defs, types)
		}
	}
}
