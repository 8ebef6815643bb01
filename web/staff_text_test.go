package web

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// latin reports whether s holds a Latin-script word other than the names every language
// shares.
func latin(s string) bool {
	for _, w := range strings.FieldsFunc(s, func(r rune) bool { return !unicode.IsLetter(r) }) {
		if w == "API" {
			continue
		}
		for _, r := range w {
			if unicode.In(r, unicode.Latin) {
				return true
			}
		}
	}
	return false
}

// The words of the staff pages the domain keeps in English are the same in English as the
// domain writes them, and translated in Russian and Kazakh: a label changed in the domain
// without its catalog entry would show in English, and fails here.
func TestStaffWordsInEveryLanguage(t *testing.T) {
	en := WithLang(context.Background(), i18n.EN)
	check := func(what, english string, say func(context.Context) string) {
		t.Helper()
		if got := say(en); got != english {
			t.Errorf("%s in English: %q, want %q", what, got, english)
		}
		for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
			if got := say(WithLang(context.Background(), l)); got == "" || got == english || latin(got) {
				t.Errorf("%s in %s: %q", what, l, got)
			}
		}
	}
	for _, q := range tracker.Queues {
		check("queue "+string(q.Name), q.Title, func(ctx context.Context) string { return queueTitle(ctx, q) })
		check("empty queue "+string(q.Name), q.Empty, func(ctx context.Context) string { return queueEmpty(ctx, q) })
	}
	for _, k := range AuditKinds {
		check("kind "+k.Name, k.Label, func(ctx context.Context) string { return auditKindName(ctx, k) })
	}
	for _, fs := range [][]tracker.Field{tracker.PersonFields, tracker.CaseFields, tracker.OrganisationFields, tracker.LegalProvisionFields} {
		for _, f := range fs {
			check("field "+f.Name, f.Label, func(ctx context.Context) string { return fieldLabel(ctx, f.Name, f.Label) })
		}
	}
	actions := []string{"create", "edit", "retire", "restore", "add status", "correct status", "check status", "set state",
		"correct state", "check state", "add link", "remove link", "edit text details", "carry over demand", "import draft",
		"review decisions", "add demand", "remove demand", "discard", "publish", "add new person", "remove new legal_provision",
		"create from import 12", "publish from import 12", "change password", "disable", "enable", "create API token",
		"revoke API token", "enable 2FA", "disable 2FA", "reset 2FA", "new 2FA recovery codes", "use 2FA recovery code"}
	for _, a := range actions {
		check("action "+a, a, func(ctx context.Context) string { return auditAction(ctx, a) })
	}
	for _, r := range AffiliationRoles {
		for _, l := range []i18n.Lang{i18n.RU, i18n.KK} {
			if got := affiliationRoleLabel(WithLang(context.Background(), l), r); got == "" || latin(got) {
				t.Errorf("role %q in %s: %q", r, l, got)
			}
		}
	}
	outcomes := map[tracker.Outcome]string{tracker.Unchanged: "Unchanged", tracker.TookMine: "Yours: only you changed it",
		tracker.TookTheirs: "Theirs: only they changed it", tracker.Agreed: "Same on both sides", tracker.Conflicted: "Both changed it: choose below"}
	for o, english := range outcomes {
		check("outcome "+string(o), english, func(ctx context.Context) string { return OutcomeLabel(ctx, o) })
	}
}

// A sentence's parts go where the language puts them, and text around them is kept whole.
func TestSentencePieces(t *testing.T) {
	kk := WithLang(context.Background(), i18n.KK)
	got := sentencePieces(T(kk, "staff.tokens.revoke_of", "Name", slot(0), "Email", slot(1)))
	want := []sentencePiece{{Part: 0}, {Text: " токенін кері қайтару (", Part: -1}, {Part: 1}, {Text: ")", Part: -1}}
	if !slices.Equal(got, want) {
		t.Errorf("kk revoke_of pieces = %+v, want %+v", got, want)
	}
	en := WithLang(context.Background(), i18n.EN)
	got = sentencePieces(T(en, "staff.tokens.revoke_of", "Name", slot(0), "Email", slot(1)))
	want = []sentencePiece{{Text: "Revoke ", Part: -1}, {Part: 0}, {Text: " of ", Part: -1}, {Part: 1}}
	if !slices.Equal(got, want) {
		t.Errorf("en revoke_of pieces = %+v, want %+v", got, want)
	}
	if got := sentencePieces("no slot"); !slices.Equal(got, []sentencePiece{{Text: "no slot", Part: -1}}) {
		t.Errorf("a message without slots: %+v", got)
	}
}
