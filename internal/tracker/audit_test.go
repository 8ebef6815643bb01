package tracker

import (
	"strings"
	"testing"
	"time"
)

// line writes a change as the log reads it: "Label: before → after", cut values with "…"
// and the changed part in [brackets].
func line(c FieldChange) string {
	side := func(e Excerpt) string {
		if e.Empty() {
			return "(none)"
		}
		s := e.Head + "[" + e.Changed + "]" + e.Tail
		if e.Changed == "" || (e.Head == "" && e.Tail == "") {
			s = e.Head + e.Changed + e.Tail
		}
		if e.Lead {
			s = "…" + s
		}
		if e.Trail {
			s += "…"
		}
		return s
	}
	return c.Label + ": " + side(c.Before) + " → " + side(c.After)
}

func TestAuditChanges(t *testing.T) {
	long := strings.Repeat("Detained in Atyrau after the protests of 2016. ", 5)
	for _, tc := range []struct {
		name          string
		before, after string
		want          []string
	}{
		{"EditListsOnlyChangedFieldsInFormOrder",
			`{"name":"Max Bokayev","aliases":["Бокаев"],"role":"activist","place":"Atyrau","notes":"","internal_notes":"x"}`,
			`{"name":"Max Bokayev","aliases":["Бокаев","Maks Bokaev"],"role":"civil society activist","place":"Atyrau","notes":"","internal_notes":""}`,
			[]string{"Aliases: Бокаев → Бокаев, Maks Bokaev", "Role: activist → civil society activist", "Internal notes: x → (none)"}},
		{"NewStatusShowsWhatWasSetInWords",
			"", `{"status":"released","effective_on":"2018-05-01","note":"On parole.","supersedes":0}`,
			[]string{"Status: (none) → Released", "Effective date: (none) → 2018-05-01", "Note (public): (none) → On parole."}},
		{"RemovedLinkShowsWhatItWas",
			`{"type":"legal_provision","slug":"criminal-libel","matched":"criminal prosecutions","start":3,"end":24}`, "",
			[]string{"Kind of record: legal_provision → (none)", "Record: criminal-libel → (none)", "Words in the clause: criminal prosecutions → (none)"}},
		{"LongTextShowsTheChangedPartInContext",
			`{"notes":"` + long + `"}`, `{"notes":"` + strings.Replace(long, "Atyrau", "Almaty", 1) + `"}`,
			[]string{"Notes (public): Detained in [Atyrau] after the protests of 2016. Detained… → Detained in [Almaty] after the protests of 2016. Detained…"}},
		{"ChangeAtTheEndKeepsWholeWordsBefore",
			`{"summary":"` + long + `Released."}`, `{"summary":"` + long + `Still held."}`,
			[]string{"Summary (public): … in Atyrau after the protests of 2016. [Released]. → … in Atyrau after the protests of 2016. [Still held]."}},
		{"NothingStoredNothingListed", "", "", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var got []string
			for _, c := range (AuditEntry{Before: tc.before, After: tc.after}).Changes() {
				got = append(got, line(c))
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("changes:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

func TestParseAuditFilter(t *testing.T) {
	q := func(kv ...string) func(string) string {
		return func(k string) string {
			for i := 0; i < len(kv); i += 2 {
				if kv[i] == k {
					return kv[i+1]
				}
			}
			return ""
		}
	}
	f, errs := ParseAuditFilter(q("type", "case", "slug", "max-bokayev-case", "from", "2026-01-02", "to", "2026-01-31", "page", "3"))
	if errs.Any() || f.Page != 3 || !f.From.Equal(time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("a good filter: %+v %v", f, errs)
	}
	if got := f.Query(4); got != "?type=case&slug=max-bokayev-case&from=2026-01-02&to=2026-01-31&page=4" {
		t.Errorf("next page query = %q", got)
	}
	for _, bad := range []struct {
		q     func(string) string
		field string
	}{
		{q("type", "case"), "slug"},
		{q("slug", "x"), "type"},
		{q("from", "2 January"), "from"},
		{q("from", "2026-02-01", "to", "2026-01-01"), "to"},
		{q("page", "0"), "page"},
	} {
		if _, errs := ParseAuditFilter(bad.q); errs[bad.field] == "" {
			t.Errorf("no error on %s: %v", bad.field, errs)
		}
	}
}
