package web

import (
	"context"
	"slices"
	"strconv"
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

// followUpTones are the demand states a follow-up chart shows, in the page's language.
func followUpTones(ctx context.Context, f chart.FollowUp) []legendItem {
	var out []legendItem
	for _, st := range tracker.DemandStates {
		if slices.ContainsFunc(f.Bands, func(b chart.Band) bool { return b.State == st.Code }) {
			out = append(out, legendItem{"fill-state-" + string(st.Code), DemandStateLabel(ctx, st.Code)})
		}
	}
	return out
}

// personTimeline is the picture of a person's statuses, with the resolutions citing them,
// up to today, in the page's language.
func personTimeline(ctx context.Context, d tracker.PersonDetail) chart.Timeline {
	w := chartWords{ctx}
	return chart.PersonTimelineIn(w, d.Person.Name, d.Cases, chart.CitationsIn(w, d.Clauses), time.Now())
}

// followUp is the picture of a resolution's demands by state, from its date to today, in
// the page's language.
func followUp(ctx context.Context, sb tracker.Scoreboard) chart.FollowUp {
	return chart.ResolutionFollowUpIn(chartWords{ctx}, sb.Resolution.Title, sb.Resolution.AdoptedOn, sb.All, time.Now())
}

// ChartWords are the pictures' words in the language of the page rendered with ctx, from
// the catalogs (chart.*), for whatever draws a chart.
func ChartWords(ctx context.Context) chart.Words { return chartWords{ctx} }

// chartWords are the pictures' words (chart.Words) from the catalogs, in the language of
// the page rendered with ctx.
type chartWords struct{ ctx context.Context }

func (w chartWords) Status(s tracker.Status) string           { return StatusLabel(w.ctx, s) }
func (w chartWords) DemandState(s tracker.DemandState) string { return DemandStateLabel(w.ctx, s) }
func (w chartWords) Date(d tracker.When) string               { return DateText(w.ctx, d) }
func (w chartWords) Now() string                              { return T(w.ctx, "chart.now") }

func (w chartWords) Tick(t time.Time) string {
	return T(w.ctx, "chart.tick", "Month", T(w.ctx, "chart.month."+strconv.Itoa(int(t.Month()))), "Year", strconv.Itoa(t.Year()))
}

func (w chartWords) Vote(procedure string, on time.Time, stage tracker.Stage) string {
	id := "chart.vote"
	if stage != "" && stage != tracker.Adopted {
		id = "chart.vote_named." + string(stage)
	}
	return T(w.ctx, id, "Procedure", procedure, "Day", Day(w.ctx, on))
}

func (w chartWords) TimelineTitle(name string) string {
	return T(w.ctx, "chart.timeline_title", "Name", name)
}

// From gives the date both as it stands alone (From: "May 2018") and as a "since" says it
// (Since: "с мая 2018 г."): each language's text takes the one its grammar needs.
func (w chartWords) From(status string, from tracker.When) string {
	return T(w.ctx, "chart.status_from", "Status", lower(status), "From", DateText(w.ctx, from), "Since", DateSince(w.ctx, from))
}

func (w chartWords) Reported(status, datedBy string) string {
	return T(w.ctx, "chart.status_reported", "Status", lower(status), "DatedBy", Say(w.ctx, datedBy))
}

func (w chartWords) Lane(title string, phrases []string) string {
	return fullStop(T(w.ctx, "chart.lane", "Title", title, "Statuses", strings.Join(phrases, T(w.ctx, "chart.then"))))
}

func (w chartWords) Cited(name string, markers []string) string {
	return fullStop(T(w.ctx, "chart.cited", "Name", name, "Resolutions", strings.Join(markers, "; ")))
}

// fullStop ends a sentence whose last word has a full stop of its own ("… 2019 г.") with
// that one alone.
func fullStop(s string) string {
	if strings.HasSuffix(s, "..") && !strings.HasSuffix(s, "...") {
		return s[:len(s)-1]
	}
	return s
}

func (w chartWords) NotDrawn(cases int) string { return N(w.ctx, "chart.not_drawn", cases) }
func (w chartWords) Paler() string             { return T(w.ctx, "chart.paler") }

func (w chartWords) FollowUpTitle(title string) string {
	return T(w.ctx, "chart.follow_up_title", "Title", title)
}

func (w chartWords) FollowUpDesc(title string, demands int, from time.Time, now []chart.StateCount, changes int) string {
	var ns []string
	for _, n := range now {
		ns = append(ns, N(w.ctx, "chart.now_in_state", n.Count, "State", lower(DemandStateLabel(w.ctx, n.State))))
	}
	return T(w.ctx, "chart.follow_up_desc", "Demands", N(w.ctx, "chart.demands_of", demands, "Title", title),
		"From", Day(w.ctx, from), "Since", DateSince(w.ctx, tracker.Day(from)), "Now", strings.Join(ns, ", "),
		"Changes", N(w.ctx, "chart.changes", changes))
}
