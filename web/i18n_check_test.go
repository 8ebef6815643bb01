package web_test

import (
	"fmt"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/a-h/templ/parser/v2"
	"github.com/a-h/templ/parser/v2/visitor"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/web"
)

// untranslated are the templates still written in English only (issue 17, under way): the
// check below reports the text it finds in them but does not fail on it. The list may only
// shrink.
var untranslated = []string{}

// neutral are the words a template may hold outside the catalogs: names that are the same
// in every language.
var neutral = map[string]bool{"Whereas": true, "CSV": true, "JSON": true, "PDF": true, "HTML": true, "Markdown": true, "API": true}

// visible are the attributes whose values people read or hear.
var visible = map[string]bool{"placeholder": true, "title": true, "aria-label": true, "alt": true, "label": true, "value": true, "aria-description": true}

// wordy reports whether s holds a word a reader would need translated: a letter outside the
// neutral names.
func wordy(s string) bool {
	for _, w := range strings.FieldsFunc(html.UnescapeString(s), func(r rune) bool { return !unicode.IsLetter(r) }) {
		if !neutral[w] {
			return true
		}
	}
	return false
}

var (
	// keys and kv names: "layout.skip", "status-badge", and the "Query", in T(ctx, id, "Query", q).
	reKeyLiteral  = regexp.MustCompile(`"[a-z0-9_.\-/#?=&:]*"|, "[A-Z][A-Za-z]*",`)
	reTextLiteral = regexp.MustCompile("\"(?:[^\"\\\\]|\\\\.)*\"|`[^`]*`")
)

// literalText is the user-facing text in a Go expression of a template: its string literals
// after keys, names of values, class names and addresses are taken out.
func literalText(expr string) []string {
	var out []string
	for _, lit := range reTextLiteral.FindAllString(reKeyLiteral.ReplaceAllString(expr, `, ""`), -1) {
		if wordy(strings.Trim(lit, "\"`")) {
			out = append(out, lit)
		}
	}
	return out
}

// findEnglish lists, as "file:line: text", the user-facing text a template holds outside
// the catalogs: text between tags, visible attributes, and string literals in expressions.
func findEnglish(t *testing.T, path string) []string {
	t.Helper()
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	tf, err := parser.ParseString(string(src))
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	var out []string
	report := func(r parser.Range, s string) {
		out = append(out, fmt.Sprintf("%s:%d: %s", filepath.Base(path), r.From.Line+1, strings.Join(strings.Fields(s), " ")))
	}
	v := visitor.New()
	v.Text = func(n *parser.Text) error {
		if wordy(n.Value) {
			report(n.Range, n.Value)
		}
		return nil
	}
	v.ConstantAttribute = func(n *parser.ConstantAttribute) error {
		if visible[n.Key.String()] && wordy(n.Value) {
			report(n.Range, n.String())
		}
		return nil
	}
	v.ExpressionAttribute = func(n *parser.ExpressionAttribute) error {
		if visible[n.Key.String()] {
			for _, lit := range literalText(n.Expression.Value) {
				report(n.Range, n.Key.String()+"="+lit)
			}
		}
		return nil
	}
	v.StringExpression = func(n *parser.StringExpression) error {
		for _, lit := range literalText(n.Expression.Value) {
			report(n.Range, lit)
		}
		return nil
	}
	// @component("Label", …): the texts a template hands another to show.
	elem := v.TemplElementExpression
	v.TemplElementExpression = func(n *parser.TemplElementExpression) error {
		for _, lit := range literalText(n.Expression.Value) {
			report(n.Range, "@"+lit)
		}
		return elem(n)
	}
	if err := tf.Visit(v); err != nil {
		t.Fatal(err)
	}
	return out
}

// No template holds interface text outside the catalogs, so a new page cannot ship in
// English only; and every key a template names is in the English catalog.
func TestTemplatesUseCatalogs(t *testing.T) {
	files, err := filepath.Glob("*.templ")
	if err != nil || len(files) == 0 {
		t.Fatalf("no templates found: %v", err)
	}
	reKey := regexp.MustCompile(`\b[TN]\(ctx, "([^"]+)"`)
	for _, f := range files {
		found := findEnglish(t, f)
		if slices.Contains(untranslated, f) {
			t.Logf("%s: %d texts not yet in the catalogs", f, len(found))
			continue
		}
		for _, s := range found {
			t.Errorf("interface text outside the catalogs: %s", s)
		}
		src, _ := os.ReadFile(f)
		for _, m := range reKey.FindAllStringSubmatch(string(src), -1) {
			if !strings.HasSuffix(m[1], ".") && !web.Catalog().Has(i18n.EN, m[1]) { // a prefix ("nav."+key) is checked by the pages' tests
				t.Errorf("%s names key %q, which the English catalog lacks", f, m[1])
			}
		}
	}
	for _, f := range untranslated {
		if !slices.Contains(files, f) {
			t.Errorf("%s is listed as untranslated but is not a template any more: take it off the list", f)
		}
	}
}

// The check finds what it is for: text between tags, a visible attribute, a literal in an
// expression; and lets through keys, class names, neutral names and values.
func TestFindEnglish(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "x.templ")
	src := `package web

templ x(n int, q string) {
	<p class="status tone-other">Hello { q }</p>
	<input placeholder="Type a name" type="search" value={ q }/>
	<a title={ "Open " + q } href={ templ.URL("/people?" + q) }>{ T(ctx, "layout.skip") }</a>
	<span>{ T(ctx, "error.search_for", "Query", q) } · PDF</span>
	<span>{ q + " results" }</span>
	@textField("Full name", "name", q)
	@Layout(Page{Title: "People", Section: "people"}) {
		<b>Bold</b>
	}
}
`
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	got := findEnglish(t, path)
	want := []string{`x.templ:4: Hello`, `x.templ:5: placeholder="Type a name"`, `x.templ:6: title="Open "`, `x.templ:8: " results"`, `x.templ:9: @"Full name"`, `x.templ:10: @"People"`, `x.templ:11: Bold`}
	if !slices.Equal(got, want) {
		t.Errorf("found\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
