package tracker

import (
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// AuditFilter chooses entries of the activity log. Every field is optional.
type AuditFilter struct {
	EntityType string    // with EntitySlug: one record's changes ("person", "case", "clause", …)
	EntitySlug string    //
	Person     string    // a person's slug: changes to the person and to their cases
	From       time.Time // first day included (UTC), or zero
	To         time.Time // last day included (UTC), or zero
	Page       int       // 1-based
}

// AuditPageSize is how many entries one page of the activity log shows.
const AuditPageSize = 50

// ParseAuditFilter reads the activity log's query string: type and slug (a record),
// person, from and to (YYYY-MM-DD, both included), page. Bad values are field errors.
func ParseAuditFilter(get func(string) string) (AuditFilter, FieldErrors) {
	f := AuditFilter{EntityType: strings.TrimSpace(get("type")), EntitySlug: strings.TrimSpace(get("slug")), Person: strings.TrimSpace(get("person")), Page: 1}
	errs := FieldErrors{}
	if (f.EntityType == "") != (f.EntitySlug == "") {
		if f.EntityType == "" {
			errs["type"] = "Choose the kind of record, as well as its slug."
		} else {
			errs["slug"] = "Give the record's slug, as in its address."
		}
	}
	day := func(name string) time.Time {
		v := strings.TrimSpace(get(name))
		if v == "" {
			return time.Time{}
		}
		t, err := time.Parse(time.DateOnly, v)
		if err != nil {
			errs[name] = "Write the date as YYYY-MM-DD, for example 2024-05-31."
		}
		return t
	}
	f.From, f.To = day("from"), day("to")
	if !f.From.IsZero() && !f.To.IsZero() && f.To.Before(f.From) {
		errs["to"] = "The end of the range is before its start."
	}
	if v := get("page"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 1 || n > 100000 {
			errs["page"] = "The page must be a whole number from 1."
		} else {
			f.Page = n
		}
	}
	return f, errs
}

// Query is the filter as a query string, with page replaced by page (0: left out).
func (f AuditFilter) Query(page int) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+url.QueryEscape(v))
		}
	}
	add("type", f.EntityType)
	add("slug", f.EntitySlug)
	add("person", f.Person)
	if !f.From.IsZero() {
		add("from", f.From.Format(time.DateOnly))
	}
	if !f.To.IsZero() {
		add("to", f.To.Format(time.DateOnly))
	}
	if page > 1 {
		add("page", strconv.Itoa(page))
	}
	if len(parts) == 0 {
		return ""
	}
	return "?" + strings.Join(parts, "&")
}

// FieldChange is one field of an audited change, before and after, in words.
type FieldChange struct {
	Field  string // the field's key in the entry
	Label  string
	Before Excerpt
	After  Excerpt
}

// Excerpt is a value as the activity log shows it: a long text cut to the part that
// changed, with a little context either side.
type Excerpt struct {
	Lead    bool   // text was left out before Head
	Head    string // unchanged context before the change
	Changed string // the part that differs from the other side
	Tail    string // unchanged context after it
	Trail   bool   // text was left out after Tail
}

// Empty reports whether the value is absent or empty.
func (e Excerpt) Empty() bool { return e.Head == "" && e.Changed == "" && e.Tail == "" }

// auditLabels names the fields audit entries store, in the order the log lists them.
var auditLabels = []Field{
	{"name", "Name"}, NameRUField, NameKKField, {"title", "Title"}, {"email", "Email"}, {"aliases", "Aliases"}, {"role", "Role"}, {"place", "Place"},
	{"kind", "Kind"}, {"born_on", "Born on"}, {"summary", "Summary (public)"}, {"notes", "Notes (public)"},
	{"people", "People"}, {"organisations", "Organisations"}, {"legal_provisions", "Laws used"}, {"affiliations", "Affiliations"},
	{"status", "Status"}, {"state", "State"}, {"effective_on", "Effective date"}, {"effective_precision", "Precision"},
	{"note", "Note (public)"}, {"source_url", "Source web address"}, {"source_clause", "Source clause"},
	{"supersedes", "Corrects entry"}, {"type", "Kind of record"}, {"slug", "Record"}, {"matched", "Words in the clause"},
	{"token", "API token"}, {"revoked_tokens", "API tokens revoked"}, {"recovery_codes_left", "Recovery codes left"},
	{"internal_notes", "Internal notes"}, {"internal_note", "Internal note"}, {"entry", "History entry"}, {"verified_on", "Last checked"},
}

// auditHidden are stored details the log does not list: positions within a clause.
var auditHidden = map[string]bool{"start": true, "end": true}

// excerptContext is how many characters of unchanged text a long changed value keeps
// either side of the change, and excerptLong how long a value must be to be cut at all.
const (
	excerptContext = 40
	excerptLong    = 120
)

// Changes is the entry as the activity log shows it: each field whose value differs
// between before and after, with its label, in a fixed order. A creation lists every field
// it set; a removal every field it had. Values are words, not JSON: lists joined, statuses
// and states by their labels.
func (e AuditEntry) Changes() []FieldChange {
	before, after := decodeAudit(e.Before), decodeAudit(e.After)
	keys := map[string]bool{}
	for k := range before {
		keys[k] = true
	}
	for k := range after {
		keys[k] = true
	}
	rank := func(k string) int {
		if i := slices.IndexFunc(auditLabels, func(f Field) bool { return f.Name == k }); i >= 0 {
			return i
		}
		return len(auditLabels)
	}
	ordered := make([]string, 0, len(keys))
	for k := range keys {
		if !auditHidden[k] {
			ordered = append(ordered, k)
		}
	}
	slices.SortFunc(ordered, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	var out []FieldChange
	for _, k := range ordered {
		b, a := auditText(k, before[k]), auditText(k, after[k])
		if b == a {
			continue
		}
		label := strings.ReplaceAll(k, "_", " ")
		if i := rank(k); i < len(auditLabels) {
			label = auditLabels[i].Label
		}
		eb, ea := excerpts(b, a)
		out = append(out, FieldChange{Field: k, Label: label, Before: eb, After: ea})
	}
	return out
}

// decodeAudit reads a stored before or after; a value that is not an object is kept under
// the key "value".
func decodeAudit(s string) map[string]any {
	if s == "" || s == "null" {
		return nil
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err == nil {
		return m
	}
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return map[string]any{"value": s}
	}
	return map[string]any{"value": v}
}

// auditText writes a stored value in words.
func auditText(key string, v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		switch key {
		case "status":
			return Status(x).Label()
		case "state":
			return DemandState(x).Label()
		}
		return x
	case float64:
		if key == "supersedes" && x == 0 {
			return ""
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	case bool:
		if x {
			return "yes"
		}
		return "no"
	case []any:
		parts := make([]string, 0, len(x))
		for _, item := range x {
			if s := auditText("", item); s != "" {
				parts = append(parts, s)
			}
		}
		return strings.Join(parts, ", ")
	case map[string]any:
		ks := make([]string, 0, len(x))
		for k := range x {
			ks = append(ks, k)
		}
		slices.Sort(ks)
		parts := make([]string, 0, len(ks))
		for _, k := range ks {
			if s := auditText(k, x[k]); s != "" {
				parts = append(parts, strings.ReplaceAll(k, "_", " ")+": "+s)
			}
		}
		return "(" + strings.Join(parts, "; ") + ")"
	}
	return fmt.Sprint(v)
}

// excerpts cuts two versions of a value to what changed: the common beginning and end are
// kept as context, shortened to excerptContext characters when the text is long.
func excerpts(before, after string) (Excerpt, Excerpt) {
	if before == "" || after == "" || (utf8.RuneCountInString(before) <= excerptLong && utf8.RuneCountInString(after) <= excerptLong) {
		return Excerpt{Changed: before}, Excerpt{Changed: after}
	}
	b, a := []rune(before), []rune(after)
	pre := 0
	for pre < len(b) && pre < len(a) && b[pre] == a[pre] {
		pre++
	}
	suf := 0
	for suf < len(b)-pre && suf < len(a)-pre && b[len(b)-1-suf] == a[len(a)-1-suf] {
		suf++
	}
	// Whole words change: "Atyrau → Almaty", not "A[tyrau] → A[lmaty]".
	for pre > 0 && isWordRune(b[pre-1]) {
		pre--
	}
	for suf > 0 && isWordRune(b[len(b)-suf]) {
		suf--
	}
	cut := func(r []rune) Excerpt {
		e := Excerpt{Head: string(r[:pre]), Changed: string(r[pre : len(r)-suf]), Tail: string(r[len(r)-suf:])}
		// Context is cut at a space, so it starts and ends with whole words.
		if h := []rune(e.Head); len(h) > excerptContext {
			head := string(h[len(h)-excerptContext:])
			if i := strings.IndexByte(head, ' '); i >= 0 {
				head = head[i:]
			}
			e.Head, e.Lead = head, true
		}
		if t := []rune(e.Tail); len(t) > excerptContext {
			tail := string(t[:excerptContext])
			if i := strings.LastIndexByte(tail, ' '); i >= 0 {
				tail = tail[:i]
			}
			e.Tail, e.Trail = tail, true
		}
		return e
	}
	return cut(b), cut(a)
}

// RecordPath is the address of the record an audit entry is about, or "" when it has
// none (a deleted or unknown kind).
func (e AuditEntry) RecordPath() string {
	switch e.EntityType {
	case "person", "organisation", "legal_provision", "case":
		return EntityType(e.EntityType).Path(e.EntitySlug)
	case "clause":
		res, eid, ok := strings.Cut(e.EntitySlug, "#")
		if !ok {
			return ""
		}
		return "/resolutions/" + res + "/clauses/" + eid + "/links"
	case "demand":
		return "/demands/" + e.EntitySlug
	case "resolution":
		return "/resolutions/" + e.EntitySlug
	case "import":
		return "/admin/imports/" + e.EntitySlug
	case "user":
		return "/admin/users"
	}
	return ""
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }
