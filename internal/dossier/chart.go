package dossier

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/chart"
	"github.com/whereas/whereas/internal/tracker"
)

// chartIn is the person's status timeline as chart lays it out, its words in the dossier's
// language: the title, each bar's status and dates, the dates on the axis, the resolutions'
// markers and the description. chart writes them in English; the shapes are unchanged.
func (w Words) chartIn(t chart.Timeline, name string, cases []tracker.Case, clauses []tracker.CitingClause) chart.Timeline {
	if w.english() || t.Empty() {
		return t
	}
	t.Title = w.T("dossier.chart.title", "Name", name)
	bySlug := map[string]tracker.Case{}
	for _, c := range cases {
		bySlug[c.Slug] = c
	}
	lanes := make([]chart.Lane, len(t.Lanes))
	var sentences []string
	for i, l := range t.Lanes {
		l.Bars = slices.Clone(l.Bars)
		c := bySlug[strings.TrimPrefix(l.URL, "/cases/")]
		// the entries the bars stand for, in the bars' order (chart.PersonTimeline)
		var es []tracker.StatusEntry
		for _, e := range c.Statuses {
			if e.SupersededBy == 0 && !e.EffectiveOn.IsZero() {
				es = append(es, e)
			}
		}
		slices.SortStableFunc(es, func(a, b tracker.StatusEntry) int { return a.EffectiveOn.Start.Compare(b.EffectiveOn.Start) })
		if len(es) != len(l.Bars) {
			lanes[i] = l
			continue
		}
		var parts []string
		for j, e := range es {
			b := &l.Bars[j]
			b.Label = w.status(e.Status)
			b.From, b.To = w.date(e.EffectiveOn), w.T("dossier.chart.now")
			if j+1 < len(es) {
				b.To = w.date(es[j+1].EffectiveOn)
			}
			phrase := w.T("dossier.chart.from", "Status", strings.ToLower(b.Label), "From", b.From, "Since", w.dating(e.EffectiveOn, ""))
			if e.DatedBy != "" {
				b.From = w.datedBy(e.DatedBy)
				phrase = w.T("dossier.chart.reported", "Status", strings.ToLower(b.Label), "DatedBy", b.From)
			}
			parts = append(parts, phrase)
		}
		lanes[i] = l
		sentences = append(sentences, w.T("dossier.chart.lane", "Case", c.Title, "Periods", strings.Join(parts, w.T("dossier.chart.then"))))
	}
	t.Lanes = lanes

	t.Ticks = slices.Clone(t.Ticks)
	for i, tk := range t.Ticks {
		if m, err := time.Parse("Jan 2006", tk.Label); err == nil {
			t.Ticks[i].Label = w.T("dossier.chart.tick", "Month", w.T(fmt.Sprintf("dossier.month_short.%d", m.Month())), "Year", m.Year())
		}
	}

	t.Markers = slices.Clone(t.Markers)
	var marked []string
	for i, m := range t.Markers {
		for _, c := range clauses {
			if m.URL != "/resolutions/"+c.ResolutionSlug {
				continue
			}
			label := w.T("dossier.chart.vote", "Procedure", c.ResolutionProcedure, "On", w.day(c.ResolutionDate))
			if c.ResolutionStage.Valid() && c.ResolutionStage != tracker.Adopted {
				label = w.T("dossier.chart.vote_named_in", "Vote", label, "Stage", w.T("dossier.chart.named_in."+string(c.ResolutionStage)))
			}
			t.Markers[i].Label = label
			break
		}
		marked = append(marked, t.Markers[i].Label)
	}

	desc := []string{strings.Join(sentences, " ")}
	if len(marked) > 0 {
		desc = append(desc, w.T("dossier.chart.markers", "Name", name, "Resolutions", strings.Join(marked, "; ")))
	}
	if t.More > 0 {
		desc = append(desc, w.N("dossier.chart.more", t.More))
	}
	desc = append(desc, w.T("dossier.chart.paler"))
	t.Desc = strings.Join(desc, " ")
	return t
}
