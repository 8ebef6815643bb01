package web

import (
	"slices"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/chart"
	"github.com/whereas/whereas/internal/tracker"
)

func lower(s string) string { return strings.ToLower(s) }

// legendItem is a colour (a class) and what it means.
type legendItem struct {
	Class string
	Label string
}

// timelineTones are the statuses a timeline shows, once each, in order of appearance.
func timelineTones(t chart.Timeline) []legendItem {
	var out []legendItem
	for _, l := range t.Lanes {
		for _, b := range l.Bars {
			it := legendItem{"fill-" + string(b.Tone), b.Label}
			if !slices.Contains(out, it) {
				out = append(out, it)
			}
		}
	}
	return out
}

// followUpTones are the demand states a follow-up chart shows.
func followUpTones(f chart.FollowUp) []legendItem {
	var out []legendItem
	for _, st := range tracker.DemandStates {
		if slices.ContainsFunc(f.Bands, func(b chart.Band) bool { return b.State == st.Code }) {
			out = append(out, legendItem{"fill-state-" + string(st.Code), st.Label})
		}
	}
	return out
}

// personTimeline is the picture of a person's statuses, with the resolutions citing them,
// up to today.
func personTimeline(d tracker.PersonDetail) chart.Timeline {
	return chart.PersonTimeline(d.Person.Name, d.Cases, chart.Citations(d.Clauses), time.Now())
}

// followUp is the picture of a resolution's demands by state, from its date to today.
func followUp(sb tracker.Scoreboard) chart.FollowUp {
	return chart.ResolutionFollowUp(sb.Resolution.Title, sb.Resolution.AdoptedOn, sb.All, time.Now())
}
