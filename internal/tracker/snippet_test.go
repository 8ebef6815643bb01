package tracker

import (
	"strings"
	"testing"
)

func marked(s string) []string {
	var out []string
	for {
		i := strings.IndexByte(s, '\x01')
		if i < 0 {
			return out
		}
		j := strings.IndexByte(s[i:], '\x02')
		out = append(out, s[i+1:i+j])
		s = s[i+j:]
	}
}

func TestHighlight(t *testing.T) {
	text := "Urges the government of Kazakhstan to comply to his pledges to zero-tolerance for torture, and ensure that allegations of torture, including those made in the context of the Zhanaozen events, are fully investigated;"
	got := Highlight(text, "tortured Zhanaozen")
	if m := strings.Join(marked(got), ","); m != "torture,torture,Zhanaozen" {
		t.Errorf("marked %q in %q", m, got)
	}
	if strings.ReplaceAll(strings.ReplaceAll(got, "\x01", ""), "\x02", "") != text {
		t.Errorf("a short text is shown whole: %q", got)
	}
	// Stop words, negated words and operators are never marked; diacritics do not matter.
	if m := marked(Highlight("The case of Max Bokáyev and the trial", `the "case" -trial or bokayev`)); strings.Join(m, ",") != "case,Bokáyev" {
		t.Errorf("marked %q", m)
	}
	// A long text is cut to the passages around the first hits.
	long := strings.Repeat("word ", 60) + "Kharkova was convicted " + strings.Repeat("more ", 60) + "Kharkova again " + strings.Repeat("tail ", 40)
	got = Highlight(long, "Kharkova")
	if n := len(strings.Fields(got)); n > 2*snippetWindow+1 || !strings.Contains(got, " … ") || len(marked(got)) != 2 {
		t.Errorf("long text snippet (%d words): %q", n, got)
	}
	if got := Highlight(strings.Repeat("nothing here ", 40), "absent"); len(strings.Fields(got)) != snippetWords {
		t.Errorf("no hit: the start of the text, %d words", len(strings.Fields(got)))
	}
}
