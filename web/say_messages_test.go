package web

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/printer"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"unicode"
)

// The messages the server and the domain write for users are found in their Go source, so
// that a new one cannot ship in English only: TestSayKnowsEveryMessage parses the packages
// below and asserts that Say finds a catalog entry for each message it finds.

// messagePackages are the packages whose messages reach pages (the command line's own
// messages, in cmd/, are not shown on pages).
var messagePackages = []string{"../internal/server", "../internal/tracker", "../internal/postgres", "../internal/importer"}

// messageFuncs are the functions whose results are messages for a field or a notice (the
// validators and the builders of messages): every text in them is a message or a part of
// one.
var messageFuncs = map[string]bool{
	"CheckPast": true, "ValidOfficialURL": true, "checkURL": true, "ParseBornOn": true, "ProposedSlugError": true,
	"Problem": true, "factorMessage": true, "resolveRefs": true, "Problems": true, "CheckWarningsSeen": true,
}

// messageVars are package-level variables and constants that hold messages.
var messageVars = map[string]bool{"reviewNotices": true, "EffectiveOnHint": true, "tooManyAttempts": true}

// messageFields are the fields of composite literals that hold a message.
var messageFields = map[string]bool{"created": true, "Message": true, "message": true, "msg": true, "Error": true}

// reErrorsVar is a map of field errors an assignment writes to: errs[…], form.Errors[…].
var reErrorsVar = regexp.MustCompile(`(?i)(^|\.)(errs|errors)$`)

// notMessages are the texts the scan finds that no page shows (API-only answers, messages
// read by the command line, values inside a message that are not words), with why.
var notMessages = map[string]string{
	// the API's answer to invalid fields: pages show the fields' own messages instead
	"Some fields are not valid.":                                        "API only",
	"Give a query: ?q=Bokayev":                                          "API only (the search page asks nothing)",
	"Give a type: ?type=person, organisation, legal_provision or case.": "API only (the pickers' suggestions)",
	"Send the API token as \"Authorization: Bearer TOKEN\".":            "API only",
	"That API token is not valid.":                                      "API only",
	"That API token expired on \x00 (UTC). Make a new one on /staff/tokens or with `whereas user token`.": "API only",
	"The body holds characters that are not text (a NUL character or invalid UTF-8).":                     "API only",
	"The body must be a JSON object with the documented fields: \x00.":                                    "API only",
	"The body must give version: the version of the record you read (staff reads carry it).":              "API only",
	"The body must hold one JSON object.":                                                                 "API only",
	"A new record has no version yet: leave version out.":                                                 "API only",
	"A record's slug does not change.":                                                                    "API only",
	"ms must be a whole number from 0 to 5000.":                                                           "a test endpoint's",
	"The request took too long.":                                                                          "a test endpoint's",
	"DATABASE_URL must be a postgres:// URL":                                                              "command line only (whereas serve)",
	"There is no migration \x01.":                                                                         "command line only (whereas migrate)",
	"There is no migration \x01 in this binary: give 0 (none applied) or a version from 1 to \x01.":       "command line only (whereas migrate)",
	"The database is read-only.":                                                                          "command line only (whereas restore)",
}

// notMessageFiles are the files whose messages only the command line shows.
var notMessageFiles = map[string]string{
	"postgres/backup.go": "whereas backup and whereas restore",
}

// passedOn are the places (file and expression) that pass on a message made elsewhere,
// which the scan finds where it is made.
var passedOn = map[string]bool{
	"affiliations.go msg":                     true, // fail(key, msg): the pickers' messages
	"affiliations.go v":                       true, // the edit's own Validate
	"auth.go msg":                             true, // the notice left for the next page
	"feedback.go notice":                      true, // saved and noticed themselves
	"imports.go problem":                      true, // readTargetPicker's: a picker's Problem
	"records.go conflict":                     true, // a conflict's message, made by Errorf
	"records.go v":                            true, // Validate's
	"records.go m":                            true, // resolveCase's
	"records.go msg":                          true, // checkLength's parameter; resolveRefs'
	"staff.go msg":                            true, // demandFieldErrors moves them; resolveAffiliations'
	"staff.go v":                              true, // Validate's
	"staff.go tracker.ErrorMessage(err)":      true, // a conflict's message, made by Errorf
	"stages.go tracker.ErrorMessage(err)":     true,
	"edit.go msg":                             true, // resolveCase's
	"auth.go message":                         true, // throttled's parameter
	"staff.go form.Errors[p.name]":            true, // a picker shows the field's error
	"staff.go errs[\"record\"]":               true,
	"demands.go v":                            true, // Decisions' own validation
	"importer.go WarningsUnseen(n)":           true, // a plural message of web/locales/*/imports.toml
	"tracker.go fmt.Sprintf(format, args...)": true, // Errorf itself
	"records.go strings.TrimSpace(errs[\"charges\"] + \" \" + msg)": true, // resolveRefs' messages joined
}

// hole stands in a found message for a value: a %s of its format, or a part of a
// concatenation that is not a literal; number for a number (%d, strconv.Itoa).
const (
	hole   = "\x00"
	number = "\x01"
)

// sourceMessage is a message found in the source.
type sourceMessage struct {
	pos  string // file:line
	file string // package/file.go
	text string // the English, values as hole
}

// samples are the message with a value in place of each hole, as a user might see it: a
// word, or nothing (a part some messages leave out).
func (m sourceMessage) samples() []string {
	return []string{strings.NewReplacer(hole, "Zhanaozen", number, "3").Replace(m.text),
		strings.NewReplacer(hole, "", number, "3").Replace(m.text)}
}

var reVerb = regexp.MustCompile(`%(?:\[\d+\])?[-+# 0]*\d*(?:\.\d+)?[a-zA-Z%]`)

// fromFormat turns a fmt format into a message: each verb a hole, %% a %.
func fromFormat(f string) string {
	return reVerb.ReplaceAllStringFunc(f, func(v string) string {
		switch {
		case v == "%%":
			return "%"
		case strings.HasSuffix(v, "d"):
			return number
		}
		return hole
	})
}

// messageScan collects the messages of one package's files.
type messageScan struct {
	fset     *token.FileSet
	found    []sourceMessage
	untraced []string // messages given by an expression the scan cannot read: file:line expr
}

// text is the message an expression writes, holes for what is not literal; ok is false
// when no part of it is a literal (a variable, a call).
func (s *messageScan) text(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind == token.STRING {
			v, err := strconv.Unquote(e.Value)
			return v, err == nil
		}
	case *ast.ParenExpr:
		return s.text(e.X)
	case *ast.BinaryExpr:
		if e.Op == token.ADD {
			a, okA := s.text(e.X)
			b, okB := s.text(e.Y)
			if !okA && a != number {
				a = hole
			}
			if !okB && b != number {
				b = hole
			}
			return a + b, okA || okB
		}
	case *ast.CallExpr:
		if isCall(e, "strconv", "Itoa") {
			return number, false
		}
		if isCall(e, "", "Plural") && len(e.Args) == 3 {
			// tracker.Plural(n, "demand", "demands"): "3 demands"
			if many, ok := s.text(e.Args[2]); ok {
				return number + " " + many, true
			}
		}
		if isCall(e, "fmt", "Sprintf") && len(e.Args) > 0 {
			if f, ok := s.text(e.Args[0]); ok {
				return fromFormat(f), true
			}
		}
	}
	return "", false
}

// isCall reports whether c calls pkg.name (pkg "" for a plain name or any receiver).
func isCall(c *ast.CallExpr, pkg, name string) bool {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return pkg == "" && f.Name == name
	case *ast.SelectorExpr:
		if f.Sel.Name != name {
			return false
		}
		if pkg == "" {
			return true
		}
		id, ok := f.X.(*ast.Ident)
		return ok && id.Name == pkg
	}
	return false
}

func (s *messageScan) source(n ast.Node) string {
	var b strings.Builder
	_ = printer.Fprint(&b, s.fset, n)
	return b.String()
}

func (s *messageScan) where(n ast.Node) string {
	p := s.fset.Position(n.Pos())
	return filepath.Base(p.Filename) + ":" + strconv.Itoa(p.Line)
}

// add records the message e writes; a message that is not a literal is traced to the
// assignments of its variable in fn, or else listed as untraced.
func (s *messageScan) add(e ast.Expr, fn *ast.FuncDecl) {
	if t, ok := s.text(e); ok {
		s.record(e, t)
		return
	}
	switch x := e.(type) {
	case *ast.Ident:
		if fn != nil && s.trace(x.Name, fn) {
			return
		}
	case *ast.SelectorExpr:
		if messageFields[x.Sel.Name] {
			return // the literals of that field are found where it is set
		}
	case *ast.IndexExpr:
		if id, ok := x.X.(*ast.Ident); ok && messageVars[id.Name] {
			return
		}
	case *ast.CallExpr:
		if f, ok := x.Fun.(*ast.SelectorExpr); ok && messageFuncs[f.Sel.Name] {
			return
		}
		if f, ok := x.Fun.(*ast.Ident); ok && messageFuncs[f.Name] {
			return
		}
	}
	if where := s.where(e); !passedOn[where[:strings.Index(where, ":")]+" "+s.source(e)] {
		s.untraced = append(s.untraced, where+" "+s.source(e))
	}
}

// trace records the messages assigned to the variable name in fn; false if none is.
func (s *messageScan) trace(name string, fn *ast.FuncDecl) bool {
	found, fromCall := false, false
	ast.Inspect(fn.Body, func(n ast.Node) bool {
		a, ok := n.(*ast.AssignStmt)
		if !ok {
			return true
		}
		for i, l := range a.Lhs {
			if id, ok := l.(*ast.Ident); !ok || id.Name != name {
				continue
			}
			var r ast.Expr
			if len(a.Rhs) == len(a.Lhs) {
				r = a.Rhs[i]
			} else if len(a.Rhs) == 1 {
				r = a.Rhs[0]
			}
			if t, ok := s.text(r); ok && len(a.Rhs) == len(a.Lhs) {
				s.record(r, t)
				found = true
			} else if c, ok := r.(*ast.CallExpr); ok {
				// a message made by a builder: the builder's texts are found in it
				fromCall = fromCall || isMessageFunc(c)
			}
		}
		return true
	})
	return found || fromCall
}

func isMessageFunc(c *ast.CallExpr) bool {
	switch f := c.Fun.(type) {
	case *ast.Ident:
		return messageFuncs[f.Name]
	case *ast.SelectorExpr:
		return messageFuncs[f.Sel.Name] || f.Sel.Name == "MergeNotice"
	}
	return false
}

// record keeps a message, trimmed; texts without a letter (separators) are parts of
// messages, not messages.
func (s *messageScan) record(n ast.Node, t string) {
	t = strings.TrimSpace(t)
	if !strings.ContainsFunc(strings.NewReplacer(hole, "", number, "").Replace(t), unicode.IsLetter) {
		return
	}
	file := s.fset.Position(n.Pos()).Filename
	s.found = append(s.found, sourceMessage{pos: s.where(n), file: filepath.Base(filepath.Dir(file)) + "/" + filepath.Base(file), text: t})
}

// file scans one file.
func (s *messageScan) file(f *ast.File) {
	var fn *ast.FuncDecl
	var visit func(n ast.Node) bool
	visit = func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.FuncDecl:
			fn = n
			if messageFuncs[n.Name.Name] && n.Body != nil {
				s.builder(n.Body)
			}
		case *ast.GenDecl:
			for _, spec := range n.Specs {
				if v, ok := spec.(*ast.ValueSpec); ok {
					for i, name := range v.Names {
						if messageVars[name.Name] && i < len(v.Values) {
							s.builder(v.Values[i])
						}
					}
				}
			}
		case *ast.CallExpr:
			s.call(n, fn)
		case *ast.AssignStmt:
			for i, l := range n.Lhs {
				if len(n.Rhs) != len(n.Lhs) {
					break
				}
				switch l := l.(type) {
				case *ast.IndexExpr: // errs["name"] = …
					if reErrorsVar.MatchString(s.source(l.X)) {
						s.add(n.Rhs[i], fn)
					}
				case *ast.SelectorExpr: // a picker's row.Law.Error = …
					if l.Sel.Name == "Error" {
						s.add(n.Rhs[i], fn)
					}
				}
			}
		case *ast.CompositeLit:
			s.composite(n, fn)
		}
		return true
	}
	ast.Inspect(f, visit)
}

// builder records the texts a message builder's body (or a message variable's value)
// makes: what it returns, appends or assigns, and the values of a literal map.
func (s *messageScan) builder(n ast.Node) {
	take := func(e ast.Expr) {
		if t, ok := s.text(e); ok {
			s.record(e, t)
		}
	}
	if e, ok := n.(ast.Expr); ok {
		take(e) // a constant's value
	}
	ast.Inspect(n, func(n ast.Node) bool {
		switch n := n.(type) {
		case *ast.ReturnStmt:
			for _, r := range n.Results {
				take(r)
			}
		case *ast.AssignStmt:
			if len(n.Lhs) == len(n.Rhs) {
				for _, r := range n.Rhs {
					take(r)
				}
			}
		case *ast.CallExpr:
			if isCall(n, "", "append") && len(n.Args) > 1 {
				for _, a := range n.Args[1:] {
					take(a)
				}
			}
		case *ast.KeyValueExpr:
			take(n.Value)
		}
		return true
	})
}

// call records the message a call writes: Errorf's format, a notice, a checked length.
func (s *messageScan) call(c *ast.CallExpr, fn *ast.FuncDecl) {
	arg := func(i int) {
		if i < len(c.Args) {
			s.add(c.Args[i], fn)
		}
	}
	switch {
	case isCall(c, "tracker", "Errorf") || isIdentCall(c, "Errorf") && fileIsTracker(s, c):
		if len(c.Args) > 1 {
			if f, ok := s.text(c.Args[1]); ok {
				if f == "%s" {
					return // a message made elsewhere (unavailableError's), found there
				}
				s.record(c.Args[1], fromFormat(f))
			} else {
				s.untraced = append(s.untraced, s.where(c)+" "+s.source(c))
			}
		}
	case isCall(c, "", "saved") && len(c.Args) == 4:
		arg(3)
	case isCall(c, "", "noticed"), isCall(c, "web", "WithFlash"):
		arg(1)
	case isCall(c, "", "Put") && len(c.Args) == 3 && s.source(c.Args[1]) == "flashKey":
		arg(2)
	case isCall(c, "", "checkLength"):
		arg(2)
	}
}

func isIdentCall(c *ast.CallExpr, name string) bool {
	id, ok := c.Fun.(*ast.Ident)
	return ok && id.Name == name
}

// fileIsTracker reports whether the call is in package tracker, whose Errorf is unqualified.
func fileIsTracker(s *messageScan, c *ast.CallExpr) bool {
	return strings.Contains(s.fset.Position(c.Pos()).Filename, filepath.Join("internal", "tracker"))
}

// composite records the messages of a FieldErrors literal and of a message field.
func (s *messageScan) composite(c *ast.CompositeLit, fn *ast.FuncDecl) {
	isFieldErrors := false
	switch t := c.Type.(type) {
	case *ast.Ident:
		isFieldErrors = t.Name == "FieldErrors"
	case *ast.SelectorExpr:
		isFieldErrors = t.Sel.Name == "FieldErrors"
	}
	if at := messageFieldAt(c); at >= 0 {
		// a table of anonymous structs, one with a message field: each row's message
		for _, el := range c.Elts {
			if row, ok := el.(*ast.CompositeLit); ok && at < len(row.Elts) {
				if _, keyed := row.Elts[at].(*ast.KeyValueExpr); !keyed {
					s.add(row.Elts[at], fn)
				}
			}
		}
	}
	for _, el := range c.Elts {
		kv, ok := el.(*ast.KeyValueExpr)
		if !ok {
			continue
		}
		key, _ := kv.Key.(*ast.Ident)
		if isFieldErrors || (key != nil && messageFields[key.Name]) {
			s.add(kv.Value, fn)
		}
	}
}

// messageFieldAt is the position of the message field in the rows of a literal table of
// anonymous structs ([]struct{…; msg string}{…}), or -1.
func messageFieldAt(c *ast.CompositeLit) int {
	a, ok := c.Type.(*ast.ArrayType)
	if !ok {
		return -1
	}
	st, ok := a.Elt.(*ast.StructType)
	if !ok {
		return -1
	}
	i := 0
	for _, f := range st.Fields.List {
		for _, n := range f.Names {
			if messageFields[n.Name] {
				return i
			}
			i++
		}
	}
	return -1
}

// sourceMessages parses the packages' non-test files and returns their messages, and
// the message expressions the scan could not read.
func sourceMessages(t *testing.T) ([]sourceMessage, []string) {
	t.Helper()
	s := &messageScan{fset: token.NewFileSet()}
	for _, dir := range messagePackages {
		names, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil || len(names) == 0 {
			t.Fatalf("no Go files in %s: %v", dir, err)
		}
		for _, name := range names {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			src, err := os.ReadFile(name)
			if err != nil {
				t.Fatal(err)
			}
			f, err := parser.ParseFile(s.fset, name, src, parser.SkipObjectResolution)
			if err != nil {
				t.Fatal(err)
			}
			s.file(f)
		}
	}
	slices.SortFunc(s.found, func(a, b sourceMessage) int { return strings.Compare(a.text, b.text) })
	s.found = slices.CompactFunc(s.found, func(a, b sourceMessage) bool { return a.text == b.text })
	return s.found, s.untraced
}

// Every message the server and the domain write for users has a catalog entry Say finds
// it by, exact or with its values, so a new message cannot ship in English only.
func TestSayKnowsEveryMessage(t *testing.T) {
	found, untraced := sourceMessages(t)
	if len(found) < 150 {
		t.Fatalf("found only %d messages: the scan is broken", len(found))
	}
	for _, u := range untraced {
		t.Errorf("a message the scan cannot read (give it as a literal, or list its source): %s", u)
	}
	var missing []string
	for _, m := range found {
		if _, skip := notMessages[m.text]; skip {
			continue
		}
		if _, skip := notMessageFiles[m.file]; skip {
			continue
		}
		if !slices.ContainsFunc(m.samples(), func(s string) bool { _, ok := sayEntry(s); return ok }) {
			missing = append(missing, fmt.Sprintf("%s\t%q", m.pos, strings.NewReplacer(hole, "{{.X}}", number, "{{.N}}").Replace(m.text)))
		}
	}
	if len(missing) > 0 {
		t.Errorf("%d messages have no msg. entry in web/locales/en/messages.toml:\n%s", len(missing), strings.Join(missing, "\n"))
	}
}
