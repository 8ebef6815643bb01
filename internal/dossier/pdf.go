package dossier

import (
	_ "embed"
	"fmt"
	"io"
	"strings"

	"github.com/signintech/gopdf"

	"github.com/whereas/whereas/internal/chart"
	"github.com/whereas/whereas/internal/tracker"
)

// DejaVu Sans covers Latin, Cyrillic with the Kazakh letters (Ә Ғ Қ Ң Ө Ұ Ү Һ І) and much
// more; it ships in the binary, and each PDF embeds only the glyphs it uses. A character
// it lacks (a name in a script it does not cover) is drawn as "�", never as a blank or
// another letter; the tests check that no word of the dossier's own, in any language,
// is one.
var (
	//go:embed fonts/DejaVuSans.ttf
	fontRegular []byte
	//go:embed fonts/DejaVuSans-Bold.ttf
	fontBold []byte
)

// A4 in points, and the margins.
const (
	pageW    = 595.28
	pageH    = 841.89
	marginX  = 56.0
	topY     = 74.0
	bottomY  = pageH - 64.0
	contentW = pageW - 2*marginX
	family   = "dejavu"
)

// pdfWriter lays text out on A4 pages: it wraps every paragraph, moves to a new page
// rather than cut a line, and keeps headings with what follows them.
type pdfWriter struct {
	pdf   *gopdf.GoPdf
	d     *Dossier
	words Words
	y     float64
	page  int
	err   error
}

// PDF writes the dossier as a PDF with selectable, searchable text: a title page, then
// every section, each page with a header and "page N of M".
func (d Dossier) PDF(out io.Writer) error {
	_, err := d.writePDF(out)
	return err
}

// missingGlyph is what a character the fonts lack is drawn as.
const missingGlyph = '\uFFFD'

// writePDF writes the PDF and says which characters of it the fonts had no glyph for.
func (d Dossier) writePDF(out io.Writer) ([]rune, error) {
	var missing []rune
	option := func(style int) gopdf.TtfOption {
		return gopdf.TtfOption{Style: style,
			OnGlyphNotFound:           func(r rune) { missing = append(missing, r) },
			OnGlyphNotFoundSubstitute: func(rune) rune { return missingGlyph }}
	}
	w := &pdfWriter{d: &d, words: d.words}
	subject := w.words.T("dossier.pdf.subject_public")
	if d.Profile == Internal {
		subject = w.words.T("dossier.pdf.subject_internal")
	}
	pdf := &gopdf.GoPdf{}
	w.pdf = pdf
	pdf.Start(gopdf.Config{PageSize: *gopdf.PageSizeA4, Unit: gopdf.UnitPT})
	pdf.SetInfo(gopdf.PdfInfo{Title: w.words.T("dossier.pdf.title", "Name", d.Person.Name), Subject: subject,
		Creator: "Whereas", Producer: "Whereas", CreationDate: d.GeneratedAt})
	if err := pdf.AddTTFFontDataWithOption(family, fontRegular, option(gopdf.Regular)); err != nil {
		return nil, fmt.Errorf("load regular font: %w", err)
	}
	if err := pdf.AddTTFFontDataWithOption(family, fontBold, option(gopdf.Bold)); err != nil {
		return nil, fmt.Errorf("load bold font: %w", err)
	}
	w.titlePage()
	w.body()
	if w.err != nil {
		return nil, w.err
	}
	if err := pdf.FillInPlaceHoldText("total", fmt.Sprint(w.page), gopdf.Left); err != nil {
		return nil, fmt.Errorf("number the pages: %w", err)
	}
	_, err := pdf.WriteTo(out)
	return missing, err
}

func (w *pdfWriter) font(bold bool, size float64) {
	style := ""
	if bold {
		style = "B"
	}
	if err := w.pdf.SetFont(family, style, size); err != nil && w.err == nil {
		w.err = err
	}
}

func (w *pdfWriter) color(r, g, b uint8) { w.pdf.SetTextColor(r, g, b) }

// at writes text at a position without moving the flow.
func (w *pdfWriter) at(x, y float64, text string) {
	w.pdf.SetXY(x, y)
	if err := w.pdf.Cell(nil, text); err != nil && w.err == nil {
		w.err = err
	}
}

// newPage starts a page with its running header and footer.
func (w *pdfWriter) newPage(withHeader bool) {
	w.pdf.AddPage()
	w.page++
	if withHeader {
		w.font(false, 8.5)
		w.color(90, 98, 110)
		w.at(marginX, 36, w.words.T("dossier.pdf.header", "Name", w.d.Person.Name))
		label := w.words.T("dossier.pdf.public")
		if w.d.Profile == Internal {
			label = w.words.T("dossier.pdf.internal")
		}
		w.pdf.SetXY(pageW-marginX-150, 36)
		_ = w.pdf.CellWithOption(&gopdf.Rect{W: 150, H: 10}, label, gopdf.CellOption{Align: gopdf.Right})
		w.pdf.SetStrokeColor(200, 200, 200)
		w.pdf.SetLineWidth(0.5)
		w.pdf.Line(marginX, 50, pageW-marginX, 50)
	}
	// footer: "page N of M", M filled in when the last page is known
	w.font(false, 8.5)
	w.color(90, 98, 110)
	at := w.d.GeneratedAt.UTC()
	w.at(marginX, pageH-40, w.words.T("dossier.pdf.footer", "Day", w.words.day(at), "Time", at.Format("15:04"), "Hash", w.d.ContentHash[:16]))
	label := w.words.T("dossier.pdf.page", "Page", w.page) + " "
	lw, _ := w.pdf.MeasureTextWidth(label)
	x := pageW - marginX - lw - 18
	w.at(x, pageH-40, label)
	// gopdf draws a placeholder from its baseline where a cell starts from its top: move
	// it down by the font's ascent so the total sits on the line of "page N of".
	w.pdf.SetXY(x+lw, pageH-40+8.5*0.76)
	if err := w.pdf.PlaceHolderText("total", 18); err != nil && w.err == nil {
		w.err = err
	}
	w.color(29, 36, 48)
	w.y = topY
}

// need starts a new page unless h points fit on this one.
func (w *pdfWriter) need(h float64) {
	if w.y+h > bottomY {
		w.newPage(true)
	}
}

// lines wraps text to width in the current font; empty text is no lines.
func (w *pdfWriter) lines(text string, width float64) []string {
	text = strings.TrimSpace(text)
	if text == "" {
		return nil
	}
	var out []string
	for _, para := range strings.Split(text, "\n") {
		if strings.TrimSpace(para) == "" {
			continue
		}
		ls, err := w.pdf.SplitTextWithWordWrap(para, width)
		if err != nil {
			// a word wider than the line: break anywhere rather than lose text
			ls, err = w.pdf.SplitText(para, width)
			if err != nil && w.err == nil {
				w.err = err
			}
		}
		out = append(out, ls...)
	}
	return out
}

// para writes a wrapped paragraph, line by line, starting new pages as needed.
func (w *pdfWriter) para(text string, size float64, bold bool, indent float64) {
	w.font(bold, size)
	lh := size * 1.45
	for _, l := range w.lines(text, contentW-indent) {
		w.need(lh)
		w.at(marginX+indent, w.y, l)
		w.y += lh
	}
}

// link writes a short line of link text that opens url.
func (w *pdfWriter) link(text, url string, indent float64) {
	w.font(false, 8.5)
	w.color(31, 78, 140)
	lh := 8.5 * 1.45
	for _, l := range w.lines(text, contentW-indent) {
		w.need(lh)
		w.at(marginX+indent, w.y, l)
		tw, _ := w.pdf.MeasureTextWidth(l)
		w.pdf.AddExternalLink(url, marginX+indent, w.y, tw, lh)
		w.y += lh
	}
	w.color(29, 36, 48)
}

func (w *pdfWriter) heading(text string) {
	w.need(14*1.45 + 40) // keep a heading with at least two lines of what follows
	w.y += 10
	w.para(text, 14, true, 0)
	w.pdf.SetStrokeColor(210, 206, 199)
	w.pdf.SetLineWidth(0.6)
	w.pdf.Line(marginX, w.y, pageW-marginX, w.y)
	w.y += 8
}

func (w *pdfWriter) subheading(text string) {
	w.need(11*1.45 + 28)
	w.y += 4
	w.para(text, 11, true, 0)
}

func (w *pdfWriter) gap(h float64) { w.y += h }

func (w *pdfWriter) titlePage() {
	d := w.d
	w.newPage(false)
	w.y = 150
	w.font(false, 10)
	w.color(90, 98, 110)
	w.at(marginX, w.y, w.words.T("dossier.pdf.eyebrow"))
	w.y += 26
	w.color(29, 36, 48)
	w.para(d.Person.Name, 26, true, 0)
	w.gap(4)
	if len(d.Person.Aliases) > 0 {
		w.para(w.words.T("dossier.also_written")+" "+strings.Join(d.Person.Aliases, " · "), 11, false, 0)
	}
	if line := strings.Trim(d.Person.Role+", "+d.Person.Place, ", "); line != "" {
		w.para(line, 12, false, 0)
	}
	w.gap(18)
	w.para(w.words.T("dossier.current_status"), 12, true, 0)
	if len(d.Current) == 0 {
		w.para(w.words.T("dossier.no_status"), 11, false, 0)
	}
	for _, c := range d.Current {
		w.para(c.Label+" "+c.Dated+" ("+c.Case+")", 11, false, 0)
	}
	w.gap(18)
	w.para(w.words.N("dossier.count.cases", len(d.Cases))+" · "+w.words.N("dossier.count.demands", len(d.Demands))+" · "+w.words.N("dossier.count.cited_in", len(d.Clauses)), 11, false, 0)
	if !w.words.english() {
		w.gap(8)
		w.para(w.words.T("dossier.original_language"), 10, false, 0)
	}
	w.y = bottomY - 120
	if d.Profile == Internal {
		w.color(138, 28, 28)
		w.para(w.words.T("dossier.pdf.internal_warning"), 10, true, 0)
		w.color(29, 36, 48)
	} else {
		w.para(w.words.T("dossier.public_note"), 10, false, 0)
	}
	w.para(d.Generated(), 9, false, 0)
	w.para(w.words.T("dossier.hash")+" "+d.ContentHash, 8, false, 0)
	w.link(d.Person.URL, d.Person.URL, 0)
}

func (w *pdfWriter) body() {
	d, t := w.d, w.words.T
	w.newPage(true)

	if len(d.Omitted) > 0 {
		w.heading(t("dossier.omitted_heading"))
		for _, o := range d.Omitted {
			w.para(o, 10.5, false, 0)
		}
	}

	w.heading(t("dossier.profile"))
	for _, f := range [][2]string{{"dossier.field.name", d.Person.Name}, {"dossier.field.aliases", strings.Join(d.Person.Aliases, " · ")},
		{"dossier.field.role", d.Person.Role}, {"dossier.field.place", d.Person.Place}} {
		if f[1] != "" {
			w.para(t(f[0])+": "+f[1], 10.5, false, 0)
		}
	}
	if d.Person.Notes != "" {
		w.gap(4)
		w.para(d.Person.Notes, 10.5, false, 0)
	}
	if d.Person.InternalNotes != "" {
		w.gap(4)
		w.para(t("dossier.internal_notes")+" "+d.Person.InternalNotes, 10.5, true, 0)
	}

	w.heading(t("dossier.timeline"))
	w.chart(d.Chart)
	if len(d.Timeline) == 0 {
		w.para(t("dossier.no_status"), 10.5, false, 0)
	} else {
		rows := make([][]string, len(d.Timeline))
		for i, e := range d.Timeline {
			status := e.Label
			if e.Corrected {
				status += " " + t("dossier.pdf.corrected")
			}
			note := e.Note
			if e.InternalNote != "" {
				note += " " + t("dossier.internal_note", "Note", e.InternalNote)
			}
			rows[i] = []string{e.DateCell(), status, note, e.Source, e.Recorded()}
		}
		w.table([]string{t("dossier.col.date"), t("dossier.col.status"), t("dossier.col.note"), t("dossier.col.source"), t("dossier.col.recorded")},
			[]float64{62, 78, 146, 110, 87}, rows)
	}

	w.heading(t("dossier.cases"))
	if len(d.Cases) == 0 {
		w.para(t("dossier.no_case"), 10.5, false, 0)
	}
	for _, c := range d.Cases {
		w.subheading(c.Title)
		if c.CurrentStatus != "" {
			w.para(t("dossier.current_status")+": "+c.CurrentStatus, 10.5, false, 0)
		}
		if len(c.LegalProvisions) > 0 {
			w.para(t("dossier.field.laws_used")+": "+names(c.LegalProvisions), 10.5, false, 0)
		}
		if len(c.Organisations) > 0 {
			w.para(t("dossier.field.organisations")+": "+names(c.Organisations), 10.5, false, 0)
		}
		for _, l := range c.FactLines {
			w.para(l.Label+": "+l.Text, 10.5, false, 0)
		}
		if c.Summary != "" {
			w.para(c.Summary, 10.5, false, 0)
		}
		if c.InternalNotes != "" {
			w.para(t("dossier.internal_notes")+" "+c.InternalNotes, 10.5, true, 0)
		}
		w.link(c.URL, c.URL, 0)
	}

	w.heading(t("dossier.demands"))
	if len(d.Demands) == 0 {
		w.para(t("dossier.no_demand"), 10.5, false, 0)
	}
	for _, dm := range d.Demands {
		since := ""
		if dm.Dated != "" {
			since = " " + dm.Dated
		}
		w.para(dm.StateLabel+since+" · "+dm.Action+" · "+dm.Clause, 10.5, true, 0)
		w.para(t("dossier.quote", "Text", dm.Wording), 10.5, false, 12)
		w.link(dm.URL, dm.URL, 12)
		w.gap(4)
	}

	w.heading(w.words.N("dossier.cited_in", len(d.Clauses)))
	if len(d.Clauses) == 0 {
		w.para(t("dossier.no_clause"), 10.5, false, 0)
	} else if !w.words.english() {
		w.para(t("dossier.original_language"), 9, false, 0)
		w.gap(2)
	}
	for _, c := range d.Clauses {
		w.subheading(c.Citation)
		w.para(c.Text, 10.5, false, 12)
		w.link(c.URL, c.URL, 12)
		w.gap(4)
	}

	w.heading(t("documents.heading"))
	if len(d.Documents) == 0 {
		w.para(t("documents.none"), 10.5, false, 0)
	}
	for _, x := range d.Documents {
		w.subheading(x.Heading(w.words))
		for _, l := range x.Lines(w.words) {
			w.para(l.Label+": "+l.Text, 10.5, false, 12)
		}
		w.link(x.URL, x.URL, 12)
		w.gap(4)
	}

	w.heading(t("dossier.organisations"))
	if len(d.Organisations) == 0 {
		w.para(t("dossier.none_recorded"), 10.5, false, 0)
	}
	for _, o := range d.Organisations {
		w.para(o.Name, 10.5, false, 0)
		w.link(o.URL, o.URL, 12)
	}

	w.gap(14)
	w.para(d.Generated(), 9, false, 0)
	w.para(t("dossier.hash")+" "+d.ContentHash+". "+t("dossier.pdf.same_hash"), 8, false, 0)
}

// table draws rows under a header row, wrapping each cell; a row that does not fit goes to
// the next page under a repeated header, and a row taller than a page continues there.
func (w *pdfWriter) table(head []string, widths []float64, rows [][]string) {
	const size, pad = 8.5, 3.0
	lh := size * 1.4
	drawHead := func() {
		w.font(true, size)
		w.pdf.SetFillColor(236, 238, 241)
		w.pdf.RectFromUpperLeftWithStyle(marginX, w.y, contentW, lh+2*pad, "F")
		x := marginX
		for i, h := range head {
			w.at(x+pad, w.y+pad, h)
			x += widths[i]
		}
		w.y += lh + 2*pad
	}
	w.need(2*(lh+2*pad) + lh)
	drawHead()
	for _, row := range rows {
		w.font(false, size)
		cells := make([][]string, len(row))
		n := 1
		for i, c := range row {
			cells[i] = w.lines(c, widths[i]-2*pad)
			n = max(n, len(cells[i]))
		}
		if w.y+float64(n)*lh+2*pad > bottomY && float64(n)*lh+2*pad <= bottomY-topY-(lh+2*pad) {
			w.newPage(true)
			drawHead()
			w.font(false, size)
		}
		w.y += pad
		for line := 0; line < n; line++ {
			if w.y+lh > bottomY {
				w.newPage(true)
				drawHead()
				w.font(false, size)
			}
			x := marginX
			for i := range row {
				if line < len(cells[i]) {
					w.at(x+pad, w.y, cells[i][line])
				}
				x += widths[i]
			}
			w.y += lh
		}
		w.y += pad
		w.pdf.SetStrokeColor(220, 220, 220)
		w.pdf.SetLineWidth(0.4)
		w.pdf.Line(marginX, w.y, pageW-marginX, w.y)
	}
}

func names(rs []Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = r.Name
	}
	return strings.Join(parts, ", ")
}

// toneRGB are the charts' colours, as on the web pages (web/static/style.css).
var toneRGB = map[tracker.Tone][3]uint8{
	tracker.ToneDetained:   {180, 35, 24},
	tracker.ToneRestricted: {181, 71, 8},
	tracker.ToneFree:       {46, 125, 50},
	tracker.ToneOther:      {102, 112, 133},
}

// chart draws the status timeline the web page draws as SVG, scaled to the text's width,
// with its description below it in words.
func (w *pdfWriter) chart(t chart.Timeline) {
	if t.Empty() {
		return
	}
	k := contentW / t.Width()
	w.need(t.Height*k + 40)
	top := w.y
	for _, l := range t.Lanes {
		w.font(false, 8)
		w.color(29, 36, 48)
		w.at(marginX+8*k, top+l.Y*k+2, l.Title)
		for _, b := range l.Bars {
			c := toneRGB[b.Tone]
			w.pdf.SetFillColor(c[0], c[1], c[2])
			w.pdf.RectFromUpperLeftWithStyle(marginX+b.X*k, top+l.BarY*k, b.W*k, 14*k, "F")
			if b.Fuzzy > 0 { // the uncertain start, paler: the colour mixed with white
				w.pdf.SetFillColor(pale(c[0]), pale(c[1]), pale(c[2]))
				w.pdf.RectFromUpperLeftWithStyle(marginX+b.X*k, top+l.BarY*k, b.Fuzzy*k, 14*k, "F")
			}
		}
		w.pdf.SetStrokeColor(31, 78, 140)
		w.pdf.SetLineWidth(1)
		w.pdf.SetLineType("dashed")
		for _, m := range t.Markers {
			w.pdf.Line(marginX+m.X*k, top+(l.BarY-4)*k, marginX+m.X*k, top+(l.BarY+18)*k)
		}
		w.pdf.SetLineType("")
	}
	w.pdf.SetStrokeColor(90, 98, 110)
	w.pdf.SetLineWidth(0.6)
	w.pdf.Line(marginX, top+t.AxisY*k, marginX+contentW, top+t.AxisY*k)
	w.font(false, 7.5)
	w.color(90, 98, 110)
	for _, tk := range t.Ticks {
		w.pdf.Line(marginX+tk.X*k, top+t.AxisY*k, marginX+tk.X*k, top+(t.AxisY+5)*k)
		tw, _ := w.pdf.MeasureTextWidth(tk.Label)
		w.at(marginX+tk.X*k-tw/2, top+(t.AxisY+8)*k, tk.Label)
	}
	w.color(29, 36, 48)
	w.y = top + t.Height*k + 4
	w.para(t.Desc, 8.5, false, 0)
	w.gap(6)
}

func pale(c uint8) uint8 { return uint8(255 - (255-int(c))*45/100) }
