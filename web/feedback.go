package web

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/tracker"
)

// Problem is one line of a form's error summary: a field's message, linking to the field.
type Problem struct {
	FieldID string
	Message string
}

// Problems lists a form's field errors for its error summary, in the order the form lays
// its fields out (order names the error keys so; keys it does not name come last, sorted).
// prefix is what the form's field ids add in front of the keys ("demand-" for
// id="demand-wording" whose error is "wording").
func Problems(errs tracker.FieldErrors, prefix string, order ...string) []Problem {
	keys := make([]string, 0, len(errs))
	for k := range errs {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := slices.Index(order, k); i >= 0 {
			return i
		}
		return len(order)
	}
	slices.SortFunc(keys, func(a, b string) int {
		if ra, rb := rank(a), rank(b); ra != rb {
			return ra - rb
		}
		return strings.Compare(a, b)
	})
	out := make([]Problem, len(keys))
	for i, k := range keys {
		out[i] = Problem{FieldID: prefix + k, Message: errs[k]}
	}
	return out
}

// Invalid is the ARIA a field carries when it has an error: aria-invalid, and
// aria-describedby naming its message (the one fieldError writes for key) and then any
// hints. Without an error, only the hints describe it.
func Invalid(errs tracker.FieldErrors, key string, hints ...string) templ.Attributes {
	a := templ.Attributes{}
	described := slices.Clone(hints)
	if _, bad := errs[key]; bad {
		a["aria-invalid"] = "true"
		described = append([]string{ErrID(key)}, described...)
	}
	if len(described) > 0 {
		a["aria-describedby"] = strings.Join(described, " ")
	}
	return a
}

// Confirmation is the page shown before a destructive action is done: it says exactly what
// will happen, and its button posts the same form again with confirm=yes. It works without
// JavaScript; nothing has changed while it is shown.
type Confirmation struct {
	Title   string     // the question, as the page's heading: "Remove this link?"
	Effects []string   // what will happen, one sentence each
	Action  string     // the address the confirmed form posts to (the one that asked)
	Carry   url.Values // the values posted first, posted again with confirm=yes
	Button  string     // the confirming button: "Remove the link"
	Cancel  string     // where "Cancel" leads back to, changing nothing
}

// confirmed is the value of the confirmation form's hidden "confirm" field, which the
// server reads as the go-ahead: a code, not text anyone reads.
const confirmed = "yes"

// Hidden is one hidden input of a confirmation form.
type Hidden struct{ Name, Value string }

// carried lists a confirmation's carried values as hidden inputs, in a stable order.
func carried(v url.Values) []Hidden {
	var out []Hidden
	for _, k := range slices.Sorted(func(yield func(string) bool) {
		for k := range v {
			if !yield(k) {
				return
			}
		}
	}) {
		if k == "confirm" {
			continue
		}
		for _, x := range v[k] {
			out = append(out, Hidden{k, x})
		}
	}
	return out
}

// FieldNames are the names of fields, in their order on the form.
func FieldNames(fs []tracker.Field) []string {
	out := make([]string, len(fs))
	for i, f := range fs {
		out[i] = f.Name
	}
	return out
}

// StatusFields and DemandStateFields are the fields of the status and follow-up forms, in
// their order on the page, for the order of their error summaries.
var (
	StatusFields      = []string{"status", "effective_on", "dated_by", "verified_on", "note", "internal_note", "source_url", "source_clause", "supersedes"}
	DemandStateFields = []string{"state", "effective_on", "dated_by", "verified_on", "note", "source_url", "source_clause", "supersedes"}
)

// signInErrors puts a refused sign-in's message on the email field: it never says which
// of the two was wrong.
func signInErrors(f SignInForm) tracker.FieldErrors {
	if f.Error == "" {
		return nil
	}
	return tracker.FieldErrors{"email": f.Error}
}

// ActivityView is what the activity log page shows: a page of entries as the filter
// chooses them, whether older ones follow, and the filter's errors.
type ActivityView struct {
	Filter  tracker.AuditFilter
	Errors  tracker.FieldErrors
	Entries []tracker.AuditEntry
	More    bool
}

// AuditKinds are the kinds of record the activity log can be filtered by.
var AuditKinds = []tracker.Field{
	{Name: "person", Label: "Person"}, {Name: "case", Label: "Case"}, {Name: "organisation", Label: "Organisation"},
	{Name: "legal_provision", Label: "Law or article"}, {Name: "resolution", Label: "Resolution"}, {Name: "clause", Label: "Clause"},
	{Name: "demand", Label: "Demand"}, {Name: "import", Label: "Import"}, {Name: "user", Label: "Account"},
}

// AuditKindLabel names a kind of record in the activity log, in lower case, in the page's
// language.
func AuditKindLabel(ctx context.Context, kind string) string {
	for _, k := range AuditKinds {
		if k.Name == kind {
			return T(ctx, "feedback.audit_kind."+kind)
		}
	}
	return kind
}

// DateValue is a date for a date field, or "" for none.
func DateValue(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}
