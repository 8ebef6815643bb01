package parser_test

import (
	"fmt"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/parser"
)

// worst builds about size bytes of the layouts that cost the parser most: joint-motion
// footers in the middle of sentences, dashed and numbered recitals (their numbers going on
// into the paragraphs too), words hyphenated across lines, lines that warn (labels in the
// middle of lines, document references), and a single line as long as the rest.
func worst(size int) map[string]string {
	var dashed, numbered, warned strings.Builder
	dashed.WriteString(webMotion[:strings.Index(webMotion, "The European Parliament,")] + "The European Parliament,\n-having regard to it,\n")
	numbered.WriteString("The European Parliament,\n")
	warned.WriteString("The European Parliament,\n")
	// recitals of about 1,500 bytes, so that a megabyte holds fewer than ZZ of them
	for i := 1; dashed.Len() < size; i++ {
		fmt.Fprintf(&dashed, "- whereas recital %d was interrupted", i)
		for range 14 {
			fmt.Fprintf(&dashed, " by a page break and its imprison-\n%sment lasted,", jointFooter)
		}
		dashed.WriteString(";\n")
	}
	recitals := 0
	for i := 1; numbered.Len() < size; i++ {
		recitals = i
		fmt.Fprintf(&numbered, "%d.\twhereas recital %d is here", i, i)
		for range 40 {
			numbered.WriteString(",\u00a0with a politically-\nmotivated trial")
		}
		numbered.WriteString(";\n")
	}
	for i := 1; warned.Len() < size; i++ {
		fmt.Fprintf(&warned, "%d.\tCalls; %d. Urges; B. whereas RC\\1224524EN.docx PE689.006v01-00 in the middle;\n", i, i+1)
	}
	return map[string]string{
		"dashed":   dashed.String() + "1. Calls;\n",
		"numbered": numbered.String() + "1. Calls;\n",
		// numbers going on into the paragraphs, and a line full of the next number
		"numbered on":       numbered.String() + fmt.Sprintf("%d. Calls;\n", recitals+1),
		"numbered one line": "1.\twhereas " + strings.Repeat("they; 2. and ", size/13) + "\n2. Calls;\n",
		"warned":            warned.String(),
		"one line":          "A. whereas " + strings.Repeat("imprison- ment and a politically-motivated trial; ", size/50) + "\n1. Calls;\n",
	}
}

// TestParseIsLinear parses a megabyte of each worst layout in under a second of processor
// time: the time this process spent computing, which a machine busy with other work does
// not inflate as it does the time on the clock. A parser gone quadratic would take minutes.
func TestParseIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("parses 4 MB")
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
			t.Fatal(err)
		}
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	for name, text := range worst(1 << 20) {
		runtime.GC()
		start, wall := cpu(), time.Now()
		d, err := parser.Parse(text)
		took := cpu() - start
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if name != "warned" && len(d.Warnings) > 0 {
			t.Errorf("%s: warnings %v", name, d.Warnings)
		}
		t.Logf("%s: %d KB, %d clauses, %d warnings in %v of processor time (%v on the clock)", name, len(text)>>10, len(d.Clauses), len(d.Warnings), took, time.Since(wall))
		if took > time.Second {
			t.Errorf("%s: 1 MB took %v of processor time", name, took)
		}
	}
}

func BenchmarkParse1MB(b *testing.B) {
	for name, text := range worst(1 << 20) {
		b.Run(strings.ReplaceAll(name, " ", "-"), func(b *testing.B) {
			b.SetBytes(int64(len(text)))
			for b.Loop() {
				if _, err := parser.Parse(text); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
