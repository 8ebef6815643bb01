package dossier

import (
	"fmt"
	"strings"
)

// Markdown writes the dossier as Markdown, for pasting into briefings and email.
func (d Dossier) Markdown() []byte {
	var b strings.Builder
	p := d.Person
	esc := func(s string) string { return strings.NewReplacer("|", "\\|", "\n", " ").Replace(s) }
	fmt.Fprintf(&b, "# %s\n\n", p.Name)
	if d.Profile == Internal {
		b.WriteString("**Internal dossier: staff only. Contains internal notes; do not share outside the organisation.**\n\n")
	}
	if len(p.Aliases) > 0 {
		fmt.Fprintf(&b, "Also written: %s\n\n", strings.Join(p.Aliases, " · "))
	}
	for _, f := range [][2]string{{"Role", p.Role}, {"Place", p.Place}} {
		if f[1] != "" {
			fmt.Fprintf(&b, "- **%s:** %s\n", f[0], f[1])
		}
	}
	fmt.Fprintf(&b, "- **Record:** <%s>\n\n", p.URL)
	if p.Notes != "" {
		fmt.Fprintf(&b, "%s\n\n", p.Notes)
	}
	if p.InternalNotes != "" {
		fmt.Fprintf(&b, "> **Internal notes:** %s\n\n", p.InternalNotes)
	}

	b.WriteString("## Current status\n\n")
	if len(d.Current) == 0 {
		b.WriteString("No status has been recorded.\n\n")
	}
	for _, c := range d.Current {
		fmt.Fprintf(&b, "- %s: **%s** since %s\n", c.Case, c.Label, c.EffectiveOn)
	}
	if len(d.Current) > 0 {
		b.WriteString("\n")
	}

	b.WriteString("## Status timeline\n\n")
	if len(d.Timeline) == 0 {
		b.WriteString("No status has been recorded.\n\n")
	} else {
		b.WriteString("| Date | Case | Status | Note | Source | Recorded |\n|---|---|---|---|---|---|\n")
		for _, e := range d.Timeline {
			label := e.Label
			if e.Corrected {
				label = "~~" + label + "~~ (corrected)"
			}
			note := e.Note
			if e.InternalNote != "" {
				note += " [internal: " + e.InternalNote + "]"
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s | %s | %s, %s |\n", e.EffectiveOn, esc(e.CaseTitle), label, esc(note), esc(e.Source), e.RecordedAt, esc(e.RecordedBy))
		}
		b.WriteString("\n")
	}

	b.WriteString("## Cases\n\n")
	if len(d.Cases) == 0 {
		b.WriteString("No case is recorded.\n\n")
	}
	for _, c := range d.Cases {
		fmt.Fprintf(&b, "### [%s](%s)\n\n", c.Title, c.URL)
		if c.CurrentStatus != "" {
			fmt.Fprintf(&b, "- Current status: %s\n", c.CurrentStatus)
		}
		if len(c.LegalProvisions) > 0 {
			fmt.Fprintf(&b, "- Laws used: %s\n", refList(c.LegalProvisions))
		}
		if len(c.Organisations) > 0 {
			fmt.Fprintf(&b, "- Organisations: %s\n", refList(c.Organisations))
		}
		if c.Summary != "" {
			fmt.Fprintf(&b, "\n%s\n", c.Summary)
		}
		if c.InternalNotes != "" {
			fmt.Fprintf(&b, "\n> **Internal notes:** %s\n", c.InternalNotes)
		}
		b.WriteString("\n")
	}

	b.WriteString("## Demands about this person\n\n")
	if len(d.Demands) == 0 {
		b.WriteString("No demand names this person.\n\n")
	}
	for _, dm := range d.Demands {
		fmt.Fprintf(&b, "- **%s** ([%s](%s)): “%s” — %s", dm.StateLabel, dm.Action, dm.URL, dm.Wording, dm.Clause)
		if dm.Since != "" {
			fmt.Fprintf(&b, ", since %s", dm.Since)
		}
		b.WriteString("\n")
	}
	if len(d.Demands) > 0 {
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "## Cited in %d clause%s\n\n", len(d.Clauses), plural(len(d.Clauses)))
	if len(d.Clauses) == 0 {
		b.WriteString("No clause of any resolution names this person.\n\n")
	}
	for _, c := range d.Clauses {
		fmt.Fprintf(&b, "### %s, %s\n\n> %s\n\n<%s>\n\n", c.Procedure, c.Label, c.Text, c.URL)
	}

	b.WriteString("## Organisations involved\n\n")
	if len(d.Organisations) == 0 {
		b.WriteString("None recorded.\n\n")
	} else {
		for _, o := range d.Organisations {
			fmt.Fprintf(&b, "- [%s](%s)\n", o.Name, o.URL)
		}
		b.WriteString("\n")
	}

	fmt.Fprintf(&b, "---\n\nGenerated %s by Whereas. Data last changed %s. Content hash (SHA-256): `%s`.\n",
		d.GeneratedAt.Format("2006-01-02 15:04 UTC"), d.DataChangedAt.Format("2006-01-02 15:04 UTC"), d.ContentHash)
	return []byte(b.String())
}

func refList(rs []Ref) string {
	parts := make([]string, len(rs))
	for i, r := range rs {
		parts[i] = fmt.Sprintf("[%s](%s)", r.Name, r.URL)
	}
	return strings.Join(parts, ", ")
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
