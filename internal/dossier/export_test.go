package dossier

import (
	"io"

	"github.com/whereas/whereas/internal/tracker"
)

// PDFWithMissing writes d's PDF as PDF does and says which characters its fonts had no
// glyph for (drawn as "�").
func (d Dossier) PDFWithMissing(out io.Writer) ([]rune, error) { return d.writePDF(out) }

// Cite is how w cites a clause of a text.
func (w Words) Cite(t tracker.TextRef, kind tracker.ClauseKind, label string) string {
	return w.cite(t, kind, label)
}

// Fonts are the fonts the PDF embeds: regular and bold.
var Fonts = [][]byte{fontRegular, fontBold}
