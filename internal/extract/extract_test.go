package extract_test

import (
	"bytes"
	"compress/zlib"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"

	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/extract/extracttest"
)

// makePDF is a PDF of pages of lines, with Cyrillic as real ones carry it.
func makePDF(t testing.TB, pages ...[]string) []byte { return extracttest.PDF(t, pages...) }

func TestPDFText(t *testing.T) {
	t.Parallel()
	data := makePDF(t,
		[]string{"Verdict of the Almaty court", "Приговор суда по делу Бокаева"},
		[]string{"Сот үкімі: Қазақстан, өтініш, ұлттық, бұғау, һәм"},
		[]string{"Third page: appeal dismissed"})
	text, err := extract.Text("application/pdf", data)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Verdict of the Almaty court", "Приговор суда по делу Бокаева", "Сот үкімі: Қазақстан, өтініш, ұлттық, бұғау, һәм", "appeal dismissed"} {
		if !strings.Contains(text, want) {
			t.Errorf("the text lacks %q:\n%s", want, text)
		}
	}
	if strings.Index(text, "Verdict") > strings.Index(text, "appeal") {
		t.Errorf("pages out of order:\n%s", text)
	}
}

// A PDF 2.0 file is read as the 1.7 one it is made like.
func TestPDF20(t *testing.T) {
	t.Parallel()
	data := makePDF(t, []string{"Сот үкімі"})
	if !bytes.HasPrefix(data, []byte("%PDF-1.")) {
		t.Fatalf("gopdf wrote %q", data[:8])
	}
	data = append([]byte("%PDF-2.0"), data[8:]...)
	if text, err := extract.Text("application/pdf", data); err != nil || !strings.Contains(text, "Сот үкімі") {
		t.Errorf("got %q, %v", text, err)
	}
}

func TestPDFBroken(t *testing.T) {
	t.Parallel()
	good := makePDF(t, []string{"Приговор"})
	for name, data := range map[string][]byte{
		"Empty":      {},
		"NotAPDF":    []byte("hello, world"),
		"HeaderOnly": []byte("%PDF-1.4\n"),
		"Truncated":  good[:len(good)/2],
		"NoXref":     append([]byte("%PDF-1.4\n1 0 obj << >> endobj\n"), []byte("startxref\n99999\n%%EOF\n")...),
		"Garbage":    append(append([]byte("%PDF-1.7\n"), bytes.Repeat([]byte{0xff, 0x00, '<', '('}, 4096)...), []byte("\nstartxref\n9\n%%EOF")...),
	} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			text, err := extract.Text("application/pdf", data)
			if err == nil {
				t.Fatalf("no error for a broken PDF; text %q", text)
			}
			if errors.Is(err, extract.ErrNoText) {
				t.Fatalf("a broken PDF is no type without text: %v", err)
			}
		})
	}
}

// A PDF whose one page inflates to far more than a page holds: read within the limits,
// quickly, and without the page.
func TestPDFBomb(t *testing.T) {
	t.Parallel()
	var stream bytes.Buffer
	stream.WriteString("BT /F1 12 Tf ")
	for stream.Len() < 16<<20 {
		stream.WriteString("1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 1 ")
	}
	stream.WriteString("(boom) Tj ET")
	data := rawPDF(t, stream.Bytes(), 3)
	if len(data) > 1<<20 {
		t.Fatalf("the bomb is %d bytes: not much of a bomb", len(data))
	}
	start := time.Now()
	text, err := extract.Text("application/pdf", data)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %v", d)
	}
	if err == nil && strings.Contains(text, "boom") {
		t.Errorf("the oversized page was read: %d bytes of text", len(text))
	}
}

// A page tree whose kids point back at the tree ends, at the page limit at most.
func TestPDFLoop(t *testing.T) {
	t.Parallel()
	body := "%PDF-1.4\n"
	var offsets []int
	obj := func(s string) {
		offsets = append(offsets, len(body))
		body += s
	}
	obj("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
	obj("2 0 obj << /Type /Pages /Kids [2 0 R 3 0 R 2 0 R] /Count 1000000 >> endobj\n")
	obj("3 0 obj << /Type /Page /Parent 2 0 R >> endobj\n")
	data := []byte(withXref(body, offsets))
	done := make(chan struct{})
	go func() {
		defer close(done)
		extract.Text("application/pdf", data)
	}()
	select {
	case <-done:
	case <-time.After(20 * time.Second):
		t.Fatal("a looping page tree never ended")
	}
}

// rawPDF is a PDF of pages pages sharing one flate content stream.
func rawPDF(t testing.TB, content []byte, pages int) []byte {
	t.Helper()
	var z bytes.Buffer
	zw := zlib.NewWriter(&z)
	zw.Write(content)
	zw.Close()
	body := "%PDF-1.4\n"
	var offsets []int
	obj := func(s string) {
		offsets = append(offsets, len(body))
		body += s
	}
	kids := ""
	for i := 0; i < pages; i++ {
		kids += " 4 0 R"
	}
	obj("1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n")
	obj("2 0 obj << /Type /Pages /Kids [" + kids + "] /Count " + strconv.Itoa(pages) + " >> endobj\n")
	obj("3 0 obj << /Length " + strconv.Itoa(z.Len()) + " /Filter /FlateDecode >>\nstream\n" + z.String() + "\nendstream endobj\n")
	obj("4 0 obj << /Type /Page /Parent 2 0 R /Contents 3 0 R >> endobj\n")
	return []byte(withXref(body, offsets))
}

func withXref(body string, offsets []int) string {
	xref := len(body)
	body += "xref\n0 " + strconv.Itoa(len(offsets)+1) + "\n0000000000 65535 f \n"
	for _, o := range offsets {
		s := strconv.Itoa(o)
		body += strings.Repeat("0", 10-len(s)) + s + " 00000 n \n"
	}
	return body + "trailer << /Size " + strconv.Itoa(len(offsets)+1) + " /Root 1 0 R >>\nstartxref\n" + strconv.Itoa(xref) + "\n%%EOF\n"
}

func TestPlainText(t *testing.T) {
	t.Parallel()
	const ru = "Приговор суда: «Бокаев» осуждён"
	const kk = "Сот үкімі: Қазақстан"
	cp1251, err := charmap.Windows1251.NewEncoder().String(ru)
	if err != nil {
		t.Fatal(err)
	}
	utf16 := func(s string, big bool) []byte {
		var b []byte
		if big {
			b = []byte{0xFE, 0xFF}
		} else {
			b = []byte{0xFF, 0xFE}
		}
		for _, r := range s { // the letters here are all in the basic plane
			if big {
				b = append(b, byte(r>>8), byte(r))
			} else {
				b = append(b, byte(r), byte(r>>8))
			}
		}
		return b
	}
	for _, c := range []struct {
		name string
		data []byte
		want string
	}{
		{"UTF8", []byte(kk), kk},
		{"UTF8WithBOM", append([]byte{0xEF, 0xBB, 0xBF}, kk...), kk},
		{"UTF16LE", utf16(kk, false), kk},
		{"UTF16BE", utf16(ru, true), ru},
		{"Windows1251", []byte(cp1251), ru},
		{"NULsBecomeSpaces", []byte("a\x00b"), "a b"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got, err := extract.Text("text/plain; charset=utf-8", c.data)
			if err != nil || got != c.want {
				t.Errorf("got %q, %v; want %q", got, err, c.want)
			}
		})
	}
	t.Run("ClippedOnARune", func(t *testing.T) {
		t.Parallel()
		got, _ := extract.Text("text/plain", []byte(strings.Repeat("ж", extract.MaxText)))
		if len(got) > extract.MaxText || !utf8.ValidString(got) {
			t.Errorf("%d bytes, valid %v", len(got), utf8.ValidString(got))
		}
	})
	t.Run("PhotoHasNoText", func(t *testing.T) {
		t.Parallel()
		if _, err := extract.Text("image/png", []byte("\x89PNG")); !errors.Is(err, extract.ErrNoText) {
			t.Errorf("got %v", err)
		}
	})
}

// FuzzText feeds anything to the extractor as a PDF and as text: it answers text or an
// error, never a panic, within its deadline, and its text is valid UTF-8 within MaxText.
func FuzzText(f *testing.F) {
	f.Add(makePDF(f, []string{"Приговор", "Сот үкімі"}))
	f.Add(rawPDF(f, []byte("BT /F1 12 Tf (hello) Tj ET"), 2))
	f.Add([]byte("%PDF-1.4\n%%EOF"))
	f.Add([]byte{0xFF, 0xFE, 'a', 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		for _, typ := range []string{"application/pdf", "text/plain"} {
			text, err := extract.Text(typ, data)
			if err != nil {
				continue
			}
			if !utf8.ValidString(text) || len(text) > extract.MaxText || strings.ContainsRune(text, 0) {
				t.Fatalf("%s: bad text of %d bytes", typ, len(text))
			}
		}
	})
}
