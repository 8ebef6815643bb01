package extract

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/ledongthuc/pdf"
)

// What reading one PDF may cost, whatever the file holds: a PDF is a program of sorts,
// and an uploaded one may be made to be expensive (a page tree that loops, a content
// stream that inflates to gigabytes, a million pages). A page over a limit is skipped;
// the text of the others is kept.
const (
	MaxPages      = 2000             // pages read, from the first
	maxNodes      = 4 * MaxPages     // nodes of the page tree visited
	maxDepth      = 32               // depth of the page tree
	maxContent    = 4 << 20          // inflated bytes of one page's content
	maxAllContent = 64 << 20         // inflated bytes of all pages' content
	maxCMap       = 1 << 20          // inflated bytes of one font's character map
	Deadline      = 15 * time.Second // time to read one PDF
)

// ErrDeadline is returned for a PDF that took longer than Deadline to read.
var ErrDeadline = errors.New("reading the PDF took too long")

// errFull stops reading once MaxText bytes of text are in.
var errFull = errors.New("text full")

// pdfText reads the text of a PDF, bounded by the limits above. The reading runs in a
// goroutine of its own, so that a file that sends the parser into a loop the limits do
// not see costs the caller Deadline, not forever (that goroutine is then left to end on
// its own: Go cannot stop it).
func pdfText(data []byte) (string, error) {
	type result struct {
		text string
		err  error
	}
	done := make(chan result, 1)
	deadline := time.Now().Add(Deadline)
	go func() {
		var r result
		defer func() {
			if x := recover(); x != nil {
				r = result{err: fmt.Errorf("read PDF: %v", x)}
			}
			done <- r
		}()
		r.text, r.err = readPDF(data, deadline)
	}()
	t := time.NewTimer(Deadline + time.Second)
	defer t.Stop()
	select {
	case r := <-done:
		return r.text, r.err
	case <-t.C:
		return "", ErrDeadline
	}
}

// page is one page of a PDF with the resources it inherits.
type page struct{ v, resources pdf.Value }

// pages walks the page tree from v, depth first, collecting at most MaxPages pages and
// visiting at most maxNodes nodes, so that a tree whose kids point back up ends.
func pages(v, resources pdf.Value, depth int, out *[]page, nodes *int) {
	if depth > maxDepth || len(*out) >= MaxPages || *nodes >= maxNodes || v.Kind() != pdf.Dict {
		return
	}
	*nodes++
	if r := v.Key("Resources"); r.Kind() == pdf.Dict {
		resources = r
	}
	kids := v.Key("Kids")
	if kids.Kind() != pdf.Array {
		*out = append(*out, page{v, resources})
		return
	}
	for i := 0; i < kids.Len() && len(*out) < MaxPages && *nodes < maxNodes; i++ {
		pages(kids.Index(i), resources, depth+1, out, nodes)
	}
}

// inflated is how many bytes a stream, or an array of streams, gives once decoded, up
// to limit+1.
func inflated(v pdf.Value, limit int64) int64 {
	switch v.Kind() {
	case pdf.Stream:
		rc := v.Reader()
		defer rc.Close()
		n, _ := io.Copy(io.Discard, io.LimitReader(rc, limit+1))
		return n
	case pdf.Array:
		var n int64
		for i := 0; i < v.Len() && n <= limit; i++ {
			n += inflated(v.Index(i), limit-n)
		}
		return n
	}
	return 0
}

// reader is the state of one PDF's reading.
type reader struct {
	deadline time.Time
	budget   int64 // inflated content bytes left to read
	text     strings.Builder
	ops      int
}

func readPDF(data []byte, deadline time.Time) (string, error) {
	if bytes.HasPrefix(data, []byte("%PDF-2.")) {
		// The reader knows PDF 1.x headers only; what 2.0 changed (no new text operators)
		// it reads as well, so a 2.0 file is read as a 1.7 one.
		data = append([]byte("%PDF-1.7"), data[len("%PDF-2.0"):]...)
	}
	doc, err := pdf.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return "", fmt.Errorf("read PDF: %w", err)
	}
	var ps []page
	nodes := 0
	pages(doc.Trailer().Key("Root").Key("Pages"), pdf.Value{}, 0, &ps, &nodes)
	if len(ps) == 0 {
		return "", errors.New("read PDF: no pages")
	}
	r := &reader{deadline: deadline, budget: maxAllContent}
	var firstErr error
	read := 0
	for _, p := range ps {
		err := r.page(p)
		switch {
		case errors.Is(err, errFull):
			return clip(r.text.String()), nil
		case errors.Is(err, ErrDeadline):
			return "", err
		case err != nil && firstErr == nil:
			firstErr = err
		case err == nil:
			read++
		}
	}
	if read == 0 && firstErr != nil {
		return "", fmt.Errorf("read PDF: %w", firstErr)
	}
	return clip(r.text.String()), nil
}

// page adds one page's text; a page too large to read is skipped.
func (r *reader) page(p page) (err error) {
	defer func() {
		if x := recover(); x != nil {
			if e, ok := x.(error); ok && (errors.Is(e, errFull) || errors.Is(e, ErrDeadline)) {
				err = e
				return
			}
			err = fmt.Errorf("page: %v", x)
		}
	}()
	if time.Now().After(r.deadline) {
		return ErrDeadline
	}
	contents := p.v.Key("Contents")
	size := inflated(contents, min(maxContent, r.budget))
	if size > maxContent || size > r.budget {
		r.budget = 0
		return nil
	}
	r.budget -= size
	fonts := map[string]pdf.TextEncoding{}
	var enc pdf.TextEncoding
	r.text.WriteString("\n")
	pdf.Interpret(contents, func(stk *pdf.Stack, op string) {
		if r.ops++; r.ops%1024 == 0 && time.Now().After(r.deadline) {
			panic(ErrDeadline)
		}
		args := make([]pdf.Value, stk.Len())
		for i := len(args) - 1; i >= 0; i-- {
			args[i] = stk.Pop()
		}
		switch op {
		case "BT", "'", "\"", "T*":
			r.space("\n")
		case "Td", "TD", "Tm":
			r.space(" ")
		case "Tf":
			if len(args) == 2 {
				enc = r.font(fonts, p.resources, args[0].Name())
			}
		}
		switch op {
		case "Tj", "'", "\"":
			if len(args) > 0 {
				r.show(enc, args[len(args)-1])
			}
		case "TJ":
			if len(args) == 1 {
				for i, a := 0, args[0]; i < a.Len() && i < 1<<16; i++ {
					x := a.Index(i)
					switch x.Kind() {
					case pdf.String:
						r.show(enc, x)
					case pdf.Integer, pdf.Real:
						if x.Float64() < -200 { // a gap as wide as a space: words apart
							r.space(" ")
						}
					}
				}
			}
		}
		if r.text.Len() >= MaxText {
			panic(errFull)
		}
	})
	return nil
}

// font is the encoding of the page's font name, read once per page; a font whose
// character map is too large to read is taken as having none.
func (r *reader) font(fonts map[string]pdf.TextEncoding, resources pdf.Value, name string) pdf.TextEncoding {
	if enc, ok := fonts[name]; ok {
		return enc
	}
	v := resources.Key("Font").Key(name)
	var enc pdf.TextEncoding
	if v.Kind() == pdf.Dict && inflated(v.Key("ToUnicode"), maxCMap) <= maxCMap {
		f := &pdf.Font{V: v}
		enc = f.Encoder()
	}
	fonts[name] = enc
	return enc
}

// show adds a string's text, decoded by the current font.
func (r *reader) show(enc pdf.TextEncoding, s pdf.Value) {
	raw := s.RawString()
	if enc == nil {
		r.text.WriteString(strings.ToValidUTF8(raw, ""))
		return
	}
	r.text.WriteString(strings.ToValidUTF8(enc.Decode(raw), ""))
}

// space adds sep unless the text already ends in a space or line break.
func (r *reader) space(sep string) {
	s := r.text.String()
	if s == "" || strings.HasSuffix(s, " ") || strings.HasSuffix(s, "\n") {
		return
	}
	r.text.WriteString(sep)
}
