// Package extracttest makes PDFs for tests of text extraction, as real ones carry
// Cyrillic: in DejaVu Sans (the font the dossier PDF embeds), each glyph by its index,
// with a ToUnicode map to read it back.
package extracttest

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/signintech/gopdf"
)

// PDF is a PDF of pages, each of lines, written by github.com/signintech/gopdf.
func PDF(t testing.TB, pages ...[]string) []byte {
	t.Helper()
	_, here, _, _ := runtime.Caller(0)
	font, err := os.ReadFile(filepath.Join(filepath.Dir(here), "..", "..", "dossier", "fonts", "DejaVuSans.ttf"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := &gopdf.GoPdf{}
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	if err := pdf.AddTTFFontData("dejavu", font); err != nil {
		t.Fatal(err)
	}
	for _, lines := range pages {
		pdf.AddPage()
		if err := pdf.SetFont("dejavu", "", 12); err != nil {
			t.Fatal(err)
		}
		for i, l := range lines {
			pdf.SetXY(50, 50+float64(i)*20)
			if err := pdf.Cell(nil, l); err != nil {
				t.Fatal(err)
			}
		}
	}
	var b bytes.Buffer
	if _, err := pdf.WriteTo(&b); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}
