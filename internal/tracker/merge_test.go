package tracker

import (
	"fmt"
	"testing"
)

func TestMergeFields(t *testing.T) {
	fields := []Field{{"a", "A"}}
	base := Values{"a": "old"}
	for _, c := range []struct {
		name        string
		r           Revision
		base        Values
		mine, their string
		want        Outcome
		result      string
	}{
		{"NobodyChanged", Revision{}, base, "old", "old", Unchanged, "old"},
		{"OnlyMine", Revision{}, base, "mine", "old", TookMine, "mine"},
		{"OnlyTheirs", Revision{}, base, "old", "theirs", TookTheirs, "theirs"},
		{"BothSame", Revision{}, base, "new", "new", Agreed, "new"},
		{"BothDifferent", Revision{}, base, "mine", "theirs", Conflicted, "mine"},
		{"LineEndingsAndSpaceDoNotCount", Revision{}, Values{"a": "x\ny"}, " x\r\ny ", "x\ny", Unchanged, "x\ny"},
		{"NotSentTakesTheirs", Revision{Only: []string{}}, base, "", "theirs", TookTheirs, "theirs"},
		{"NotSentUnchanged", Revision{Only: []string{}}, base, "", "old", Unchanged, "old"},
		{"UnsettledStaysConflict", Revision{Unsettled: []string{"a"}}, Values{"a": "theirs"}, "mine", "theirs", Conflicted, "mine"},
		{"UnsettledButEqualIsSettled", Revision{Unsettled: []string{"a"}}, Values{"a": "theirs"}, "theirs", "theirs", Unchanged, "theirs"},
		{"UnknownBaseDifferenceConflicts", Revision{}, nil, "mine", "theirs", Conflicted, "mine"},
		{"UnknownBaseSameAgrees", Revision{}, nil, "same", "same", Agreed, "same"},
	} {
		t.Run(c.name, func(t *testing.T) {
			m := Merge{Fields: MergeFields(fields, c.r, c.base, Values{"a": c.mine}, Values{"a": c.their})}
			if got := m.Fields[0].Outcome; got != c.want {
				t.Errorf("outcome = %s, want %s", got, c.want)
			}
			if got := m.Result()["a"]; normalValue(got) != c.result {
				t.Errorf("result = %q, want %q", got, c.result)
			}
		})
	}
}

func TestEditValuesRoundTrip(t *testing.T) {
	p := PersonEdit{Name: "N", Aliases: []string{"a", "b"}, Role: "r", Place: "p", Notes: "n", InternalNotes: "i"}
	if got := (PersonEdit{}).WithValues(p.Values()); fmt.Sprint(got) != fmt.Sprint(p) {
		t.Errorf("person: %+v, want %+v", got, p)
	}
	c := CaseEdit{Title: "T", Summary: "S", People: []string{"x", "y"}, Organisations: []string{"o"}, LegalProvisions: []string{}, InternalNotes: "i"}
	if got := (CaseEdit{}).WithValues(c.Values()); fmt.Sprint(got) != fmt.Sprint(c) {
		t.Errorf("case: %+v, want %+v", got, c)
	}
	if (CaseEdit{People: []string{"b", "a"}}).Values()["people"] != (CaseEdit{People: []string{"a", "b"}}).Values()["people"] {
		t.Error("the same people in another order differ")
	}
	if len(PersonFields) != len(p.Values()) || len(CaseFields) != len(c.Values()) {
		t.Error("a form field is missing from the merge")
	}
}
