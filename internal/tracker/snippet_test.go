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
	// Each passage is cut between words, with an ellipsis wherever the text goes on.
	if n := len(strings.Fields(strings.ReplaceAll(got, "…", ""))); n > 2*snippetWindow || !strings.HasPrefix(got, "… ") ||
		!strings.HasSuffix(got, " …") || strings.Count(got, "…") != 3 || len(marked(got)) != 2 {
		t.Errorf("long text snippet (%d words): %q", n, got)
	}
	for _, w := range strings.Fields(got) {
		if w != "…" && strings.Trim(w, "\x01\x02") != "Kharkova" && !strings.Contains("word was convicted more again tail", w) {
			t.Errorf("snippet cut inside a word: %q in %q", w, got)
		}
	}
	if got := Highlight(strings.Repeat("nothing here ", 40), "absent"); len(strings.Fields(got)) != snippetWords+1 || !strings.HasSuffix(got, "nothing …") {
		t.Errorf("no hit: the start of the text, %d words, then an ellipsis: %q", len(strings.Fields(got)), got)
	}
	// A query in Cyrillic marks the Latin words it found, and the other way round.
	if m := marked(Highlight("the events in Zhanaozen in 2011", "Жаңаөзен")); strings.Join(m, ",") != "Zhanaozen" {
		t.Errorf("Cyrillic query marked %q", m)
	}
	if m := marked(Highlight("события в Жанаозене", "Zhanaozen")); strings.Join(m, ",") != "Жанаозене" {
		t.Errorf("Latin query marked %q", m)
	}
}
