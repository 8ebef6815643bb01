package dossier

import (
	"fmt"
	"strings"
)

// Markdown writes the dossier as Markdown, for pasting into briefings and email.
func (d Dossier) Markdown() []byte {
	var b strings.Builder
	w := d.words
	p := d.Person
	fmt.Fprintf(&b, "# %s\n\n", mdText(p.Name))
	if d.Profile == Internal {
		fmt.Fprintf(&b, "**%s**\n\n", w.T("dossier.md.internal"))
	}
	for _, o := range d.Omitted {
		fmt.Fprintf(&b, "> **%s** %s\n\n", w.T("dossier.omitted_label"), o)
	}
	if len(p.Aliases) > 0 {
		aliases := make([]string, len(p.Aliases))
		for i, a := range p.Aliases {
			aliases[i] = mdText(a)
		}
		fmt.Fprintf(&b, "%s %s\n\n", w.T("dossier.also_written"), strings.Join(aliases, " · "))
	}
	for _, f := range [][2]string{{"dossier.field.role", p.Role}, {"dossier.field.place", p.Place}} {
		if f[1] != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", w.T(f[0]), mdText(f[1]))
		}
	}
	fmt.Fprintf(&b, "- **%s:** %s\n\n", w.T("dossier.field.record"), mdLink(p.URL))
	if !w.english() {
		fmt.Fprintf(&b, "*%s*\n\n", w.T("dossier.original_language"))
	}
	if p.Notes != "" {
		fmt.Fprintf(&b, "%s\n\n", mdParagraphs(p.Notes, ""))
	}
	if p.InternalNotes != "" {
		fmt.Fprintf(&b, "> **%s** %s\n\n", w.T("dossier.internal_notes"), mdParagraphs(p.InternalNotes, "> "))
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("dossier.current_status"))
	if len(d.Current) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.no_status"))
	}
	for _, c := range d.Current {
		fmt.Fprintf(&b, "- %s: **%s** %s\n", mdText(c.Case), mdText(c.Label), mdText(c.Dated))
	}
	if len(d.Current) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("dossier.timeline"))
	if len(d.Timeline) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.no_status"))
	} else {
		fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n|---|---|---|---|---|---|\n", w.T("dossier.col.date"), w.T("dossier.col.case"),
			w.T("dossier.col.status"), w.T("dossier.col.note"), w.T("dossier.col.source"), w.T("dossier.col.recorded"))
		for _, e := range d.Timeline {
			label := mdText(e.Label)
			if e.Corrected {
				label = "~~" + label + "~~ " + w.T("dossier.corrected")
			}
			note := e.Note
			if e.InternalNote != "" {
				note += " " + w.T("dossier.internal_note", "Note", e.InternalNote)
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s |\n", mdText(e.DateCell()), mdText(e.CaseTitle), label, mdText(note), mdSource(e), mdText(e.Recorded()))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("dossier.cases"))
	if len(d.Cases) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.no_case"))
	}
	for _, c := range d.Cases {
		fmt.Fprintf(&b, "### [%s](%s)\n\n", mdText(c.Title), mdURL(c.URL))
		if c.CurrentStatus != "" {
			fmt.Fprintf(&b, "- %s: %s\n", w.T("dossier.current_status"), mdText(c.CurrentStatus))
		}
		if len(c.LegalProvisions) > 0 {
			fmt.Fprintf(&b, "- %s: %s\n", w.T("dossier.field.laws_used"), refList(c.LegalProvisions))
		}
		if len(c.Organisations) > 0 {
			fmt.Fprintf(&b, "- %s: %s\n", w.T("dossier.field.organisations"), refList(c.Organisations))
		}
		for _, l := range c.FactLines {
			fmt.Fprintf(&b, "- %s: %s\n", l.Label, mdText(l.Text))
		}
		if c.Summary != "" {
			fmt.Fprintf(&b, "\n%s\n", mdParagraphs(c.Summary, ""))
		}
		if c.InternalNotes != "" {
			fmt.Fprintf(&b, "\n> **%s** %s\n", w.T("dossier.internal_notes"), mdParagraphs(c.InternalNotes, "> "))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("dossier.demands"))
	if len(d.Demands) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.no_demand"))
	}
	for _, dm := range d.Demands {
		fmt.Fprintf(&b, "- **%s** ([%s](%s)): %s — %s", mdText(dm.StateLabel), mdText(dm.Action), mdURL(dm.URL),
			w.T("dossier.quote", "Text", mdText(dm.Wording)), mdText(dm.Clause))
		if dm.Dated != "" {
			fmt.Fprintf(&b, ", %s", mdText(dm.Dated))
		}
		b.WriteString("\n")
	}
	if len(d.Demands) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## %s\n\n", w.N("dossier.cited_in", len(d.Clauses)))
	if len(d.Clauses) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.no_clause"))
	} else if !w.english() {
		fmt.Fprintf(&b, "*%s*\n\n", w.T("dossier.original_language"))
	}
	for _, c := range d.Clauses {
		fmt.Fprintf(&b, "### %s\n\n> %s\n\n%s\n\n", mdText(c.Citation), mdText(c.Text), mdLink(c.URL))
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("documents.heading"))
	if len(d.Documents) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("documents.none"))
	}
	for _, x := range d.Documents {
		fmt.Fprintf(&b, "### %s\n\n", mdText(x.Heading(w)))
		for _, l := range x.Lines(w) {
			switch {
			case l.URL == l.Text:
				fmt.Fprintf(&b, "- %s: %s\n", l.Label, mdLink(l.Text))
			case l.URL != "":
				fmt.Fprintf(&b, "- %s: [%s](%s)\n", l.Label, mdText(l.Text), mdURL(l.URL))
			case l.Hash:
				fmt.Fprintf(&b, "- %s: `%s`\n", l.Label, mdText(l.Text))
			default:
				fmt.Fprintf(&b, "- %s: %s\n", l.Label, mdText(l.Text))
			}
		}
		fmt.Fprintf(&b, "- %s: %s\n\n", w.T("documents.field.download"), mdLink(x.URL))
	}

	fmt.Fprintf(&b, "## %s\n\n", w.T("dossier.organisations"))
	if len(d.Organisations) == 0 {
		fmt.Fprintf(&b, "%s\n\n", w.T("dossier.none_recorded"))
	} else {
		for _, o := range d.Organisations {
			fmt.Fprintf(&b, "- [%s](%s)\n", mdText(o.Name), mdURL(o.URL))
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "---\n\n%s %s `%s`.\n", w.T("dossier.md.generated", "Generated", w.moment(d.GeneratedAt), "Changed", w.moment(d.DataChangedAt)),
		w.T("dossier.hash"), d.ContentHash)
	return []byte(b.String())
}

func refList(rs []Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("[%s](%s)", mdText(r.Name), mdURL(r.URL))
	}
	return strings.Join(parts, ", ")
}

// Staff-entered text (names, notes, sources) goes into the Markdown as text, never as
// Markdown or HTML: a name such as "<script>…" or "[x](javascript:…)" must come out as
// those characters, not as a tag, a link or an image, in whatever renderer opens the file.

// mdEscaper backslash-escapes the ASCII punctuation through which text could become
// markup: HTML and autolinks (< > &), links and images ([ ] !), emphasis and code
// (* _ ~ `), table cells (|), headings (#) and the escape itself. CommonMark reads a
// backslash before any ASCII punctuation as that character, so the rendered text is
// unchanged. Line breaks become spaces: the text stays on its line (or table row).
var mdEscaper = strings.NewReplacer(
	"\\", "\\\\", "`", "\\`", "*", "\\*", "_", "\\_", "~", "\\~", "[", "\\[", "]", "\\]", "!", "\\!",
	"<", "\\<", ">", "\\>", "&", "\\&", "|", "\\|", "#", "\\#",
	"\r\n", " ", "\n", " ", "\r", " ",
)

// mdText is s as Markdown text within a line.
func mdText(s string) string { return mdEscaper.Replace(s) }

// mdParagraphs is s as Markdown text that may hold several paragraphs (notes): each line is
// escaped as text and kept from starting a block (a list, quote, heading or rule), and
// lines are joined by blank lines written after prefix ("> " inside a quote).
func mdParagraphs(s, prefix string) string {
	var out []string
	for _, line := range strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			out = append(out, mdLineStart(mdText(line)))
		}
	}
	return strings.Join(out, "\n"+strings.TrimSpace(prefix)+"\n"+prefix)
}

// mdLineStart escapes what would make a line a block marker rather than text: a list
// bullet or number ("- ", "+ ", "1. ", "1) "), a setext underline or a thematic break.
func mdLineStart(s string) string {
	if s == "" {
		return s
	}
	switch s[0] {
	case '-', '+', '=':
		return "\\" + s
	}
	digits := len(s) - len(strings.TrimLeft(s, "0123456789"))
	if digits > 0 && digits < len(s) && (s[digits] == '.' || s[digits] == ')') {
		return s[:digits] + "\\" + s[digits:]
	}
	return s
}

// mdURL makes a URL safe inside a Markdown link destination "(…)" or autolink "<…>": the
// characters that would end either, or start markup, are percent-encoded.
var mdURL = strings.NewReplacer(" ", "%20", "(", "%28", ")", "%29", "<", "%3C", ">", "%3E", "\"", "%22", "\\", "%5C", "`", "%60",
	"\n", "", "\r", "", "\t", "").Replace

// mdLink writes an http(s) URL as an autolink; anything else is written as text.
func mdLink(u string) string {
	if strings.HasPrefix(u, "https://") || strings.HasPrefix(u, "http://") {
		return "<" + mdURL(u) + ">"
	}
	return mdText(u)
}

// mdSource writes a timeline entry's source: its words as text, a source URL as a link.
func mdSource(e Entry) string {
	if e.SourceURL != "" {
		if e.Source == e.SourceURL {
			return mdLink(e.SourceURL)
		}
		if words, ok := strings.CutSuffix(e.Source, "; "+e.SourceURL); ok {
			return mdText(words) + "; " + mdLink(e.SourceURL)
		}
	}
	return mdText(e.Source)
}
