// Package chart lays out the two pictures Whereas draws: a person's status over time, case
// by case, and a resolution's follow-up over time. It computes shapes in a fixed coordinate
// box and the words that describe them, and does no drawing: the web package draws them as
// SVG and the dossier package into its PDF, so both say the same thing.
//
// Dates never say more than is known. A status dated only "2019" or "May 2019" is drawn
// with its uncertain start (the whole year or month) paler than the rest; a demand's change
// of state known only to a month or a year counts from the end of that period, so the
// picture may show good news late but never early.
package chart

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

// The coordinate box: pictures scale to their container, so only proportions matter.
const (
	Width   = 480.0
	left    = 8.0
	right   = 8.0
	plotW   = Width - left - right
	laneH   = 42.0 // a lane: its title, then its bar
	barH    = 14.0
	axisH   = 26.0
	stackH  = 160.0
	topPad  = 6.0
	tickLen = 5.0
	// reportedW is how much of a bar whose start is unknown is drawn pale.
	reportedW = 24.0
)

// Tick is a date on the axis.
type Tick struct {
	X     float64
	Label string
	Minor bool // left out where the picture is narrow
}

// Bar is one status period of a case.
type Bar struct {
	X, W   float64
	Fuzzy  float64 // the width, from X, of the uncertain start: the status's month or year
	Status tracker.Status
	Tone   tracker.Tone
	Label  string // the status in words
	// Reported says the date is when a source reported the status, not when it began
	// ("reported by the resolution of 14 March 2019"): From says so, and the start is drawn
	// as uncertain.
	Reported bool
	From     string // when it began, to the precision known: "May 2018"
	To       string // when the next status began, or "now"
}

// Lane is one case.
type Lane struct {
	Title string
	URL   string
	Y     float64 // top of the lane: the title sits here, the bar below it
	BarY  float64
	Bars  []Bar
}

// Marker is a resolution that cited the person, at its date.
type Marker struct {
	X     float64
	Label string // "2019/2610(RSP), 14 March 2019"
	URL   string
}

// Timeline is a person's status over time, one lane per case.
type Timeline struct {
	Title, Desc string
	Height      float64
	AxisY       float64
	Ticks       []Tick
	Lanes       []Lane
	Markers     []Marker
	More        int // cases with a dated status left out of the picture
}

// MaxLanes is how many cases a timeline draws: the most recent, so that a person with many
// cases still has a picture that fits a page.
const MaxLanes = 8

// Empty reports whether there is nothing to draw.
func (t Timeline) Empty() bool { return len(t.Lanes) == 0 }

// Width is the box's width, for the drawing's viewBox.
func (Timeline) Width() float64 { return Width }

// Citation is a resolution that cites the person, for the timeline's markers.
type Citation struct {
	Label string
	URL   string
	On    time.Time
}

// Citations are the resolutions among clauses citing someone, once each, with their dates,
// labelled in English.
func Citations(clauses []tracker.CitingClause) []Citation { return CitationsIn(English, clauses) }

// CitationsIn is Citations labelled in words' language.
func CitationsIn(words Words, clauses []tracker.CitingClause) []Citation {
	var out []Citation
	seen := map[string]bool{}
	for _, c := range clauses {
		if seen[c.ResolutionSlug] || c.ResolutionDate.IsZero() {
			continue
		}
		seen[c.ResolutionSlug] = true
		// The line stands at the Parliament's vote in the procedure; the text that names the
		// person may be a motion for it, not the text adopted that day.
		label := words.Vote(c.ResolutionProcedure, c.ResolutionDate, c.ResolutionStage)
		out = append(out, Citation{Label: label, URL: "/resolutions/" + c.ResolutionSlug, On: c.ResolutionDate})
	}
	return out
}

// PersonTimeline lays out the status periods of a person's cases: each entry no correction
// replaced runs from its date to the next entry's, the last to today. It speaks English.
func PersonTimeline(name string, cases []tracker.Case, cited []Citation, today time.Time) Timeline {
	return PersonTimelineIn(English, name, cases, cited, today)
}

// PersonTimelineIn is PersonTimeline in words' language.
func PersonTimelineIn(words Words, name string, cases []tracker.Case, cited []Citation, today time.Time) Timeline {
	type lane struct {
		c       tracker.Case
		entries []tracker.StatusEntry
	}
	var lanes []lane
	from, to := time.Time{}, day(today)
	for _, c := range cases {
		var es []tracker.StatusEntry
		for _, e := range c.Statuses {
			if e.SupersededBy == 0 && !e.EffectiveOn.IsZero() {
				es = append(es, e)
			}
		}
		if len(es) == 0 {
			continue
		}
		slices.SortStableFunc(es, func(a, b tracker.StatusEntry) int { return a.EffectiveOn.Start.Compare(b.EffectiveOn.Start) })
		lanes = append(lanes, lane{c, es})
		if from.IsZero() || es[0].EffectiveOn.Start.Before(from) {
			from = es[0].EffectiveOn.Start
		}
	}
	if len(lanes) == 0 {
		return Timeline{}
	}
	more := 0
	if len(lanes) > MaxLanes { // the most recent cases; the rest are listed under the picture
		more = len(lanes) - MaxLanes
		lanes = lanes[len(lanes)-MaxLanes:]
		from = time.Time{}
		for _, l := range lanes {
			if from.IsZero() || l.entries[0].EffectiveOn.Start.Before(from) {
				from = l.entries[0].EffectiveOn.Start
			}
		}
	}
	for _, m := range cited {
		if !m.On.IsZero() && m.On.Before(from) {
			from = day(m.On)
		}
	}
	from = time.Date(from.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	if !to.After(from) {
		to = from.AddDate(1, 0, 0)
	}
	x := scale(from, to)
	t := Timeline{Title: words.TimelineTitle(name)}
	y := topPad
	var sentences []string
	for _, l := range lanes {
		ln := Lane{Title: shorten(l.c.Title, 40), URL: "/cases/" + l.c.Slug, Y: y, BarY: y + laneH - barH - 4}
		var parts []string
		for i, e := range l.entries {
			end, endText := to, words.Now()
			if i+1 < len(l.entries) {
				end, endText = l.entries[i+1].EffectiveOn.Start, words.Date(l.entries[i+1].EffectiveOn)
			}
			b := Bar{X: x(e.EffectiveOn.Start), Status: e.Status, Tone: e.Status.Tone(), Label: words.Status(e.Status),
				From: words.Date(e.EffectiveOn), To: endText}
			b.W = max(x(end)-b.X, 1)
			if e.EffectiveOn.Precision != tracker.ByDay {
				b.Fuzzy = min(x(e.EffectiveOn.End())-b.X, b.W)
			}
			phrase := words.From(b.Label, e.EffectiveOn)
			if e.DatedBy != "" {
				// The date is when a source reported it, not when it began: the start is unknown.
				b.From, b.Reported = e.DatedBy, true
				b.Fuzzy = min(max(b.Fuzzy, reportedW), b.W)
				phrase = words.Reported(b.Label, e.DatedBy)
			}
			ln.Bars = append(ln.Bars, b)
			parts = append(parts, phrase)
		}
		t.Lanes = append(t.Lanes, ln)
		sentences = append(sentences, words.Lane(l.c.Title, parts))
		y += laneH
	}
	t.AxisY = y + 2
	t.Ticks = ticks(words, from, to, x)
	for _, m := range cited {
		if m.On.IsZero() || m.On.Before(from) || m.On.After(to) {
			continue
		}
		t.Markers = append(t.Markers, Marker{X: x(day(m.On)), Label: m.Label, URL: m.URL})
	}
	t.Height = t.AxisY + axisH
	if len(t.Markers) > 0 {
		var ls []string
		for _, m := range t.Markers {
			ls = append(ls, m.Label)
		}
		sentences = append(sentences, words.Cited(name, ls))
	}
	if more > 0 {
		t.More = more
		sentences = append(sentences, words.NotDrawn(more))
	}
	t.Desc = strings.Join(append(sentences, words.Paler()), " ")
	return t
}

// Band is one state's share of the demands during one period.
type Band struct {
	X, W, Y, H float64
	State      tracker.DemandState
	Tone       tracker.Tone
	Count      int
}

// Row is the counts of one period, for the table that says what the picture shows.
type Row struct {
	From   string // "14 March 2019"
	Counts map[tracker.DemandState]int
}

// FollowUp is a resolution's demands by state over time, stacked.
type FollowUp struct {
	Title, Desc string
	Height      float64
	AxisY       float64
	Total       int
	Ticks       []Tick
	Bands       []Band
	Rows        []Row // oldest first
}

// Empty reports whether there is nothing to draw.
func (f FollowUp) Empty() bool { return f.Total == 0 }

// Width is the box's width, for the drawing's viewBox.
func (FollowUp) Width() float64 { return Width }

// ResolutionFollowUp lays out how many of a resolution's demands were in each state, from
// the resolution's date to today. A demand is "not yet assessed" until its first state; a
// state dated to a month or a year counts from the end of that month or year. It speaks
// English.
func ResolutionFollowUp(title string, start time.Time, demands []tracker.Demand, today time.Time) FollowUp {
	return ResolutionFollowUpIn(English, title, start, demands, today)
}

// ResolutionFollowUpIn is ResolutionFollowUp in words' language.
func ResolutionFollowUpIn(words Words, title string, start time.Time, demands []tracker.Demand, today time.Time) FollowUp {
	f := FollowUp{Title: words.FollowUpTitle(title), Total: len(demands)}
	if len(demands) == 0 {
		return f
	}
	start, today = day(start), day(today)
	type change struct {
		at    time.Time
		state tracker.DemandState
		who   int
	}
	var changes []change
	for i, d := range demands {
		for _, e := range d.History {
			if e.SupersededBy != 0 || e.EffectiveOn.IsZero() {
				continue
			}
			at := e.EffectiveOn.End() // the day itself, or the last day of the month or year
			if at.Before(start) {     // assessed before the resolution: counted from its date
				at = start
			}
			changes = append(changes, change{at: at, state: e.State, who: i})
		}
	}
	slices.SortStableFunc(changes, func(a, b change) int { return a.at.Compare(b.at) })
	state := make([]tracker.DemandState, len(demands))
	for i := range state {
		state[i] = tracker.Unknown
	}
	counts := func() map[tracker.DemandState]int {
		m := map[tracker.DemandState]int{}
		for _, s := range state {
			m[s]++
		}
		return m
	}
	type period struct {
		at     time.Time
		counts map[tracker.DemandState]int
	}
	periods := []period{{start, counts()}}
	for i := 0; i < len(changes); {
		at := changes[i].at
		if at.After(today) { // a change known to this year or month only: not yet counted
			break
		}
		for ; i < len(changes) && changes[i].at.Equal(at); i++ {
			state[changes[i].who] = changes[i].state
		}
		if at.Equal(periods[len(periods)-1].at) {
			periods[len(periods)-1].counts = counts()
		} else {
			periods = append(periods, period{at, counts()})
		}
	}
	to := today
	if !to.After(start) {
		to = start.AddDate(0, 1, 0)
	}
	x := scale(start, to)
	unit := stackH / float64(len(demands))
	for i, p := range periods {
		end := to
		if i+1 < len(periods) {
			end = periods[i+1].at
		}
		y := topPad + stackH
		for _, st := range tracker.DemandStates {
			n := p.counts[st.Code]
			if n == 0 {
				continue
			}
			y -= float64(n) * unit
			f.Bands = append(f.Bands, Band{X: x(p.at), W: max(x(end)-x(p.at), 1), Y: y, H: float64(n) * unit, State: st.Code, Tone: st.Tone, Count: n})
		}
		f.Rows = append(f.Rows, Row{From: words.Date(tracker.Day(p.at)), Counts: p.counts})
	}
	f.AxisY = topPad + stackH + 2
	f.Ticks = ticks(words, start, to, x)
	f.Height = f.AxisY + axisH
	last := f.Rows[len(f.Rows)-1]
	var now []StateCount
	for _, st := range tracker.DemandStates {
		if n := last.Counts[st.Code]; n > 0 {
			now = append(now, StateCount{st.Code, n})
		}
	}
	f.Desc = words.FollowUpDesc(title, len(demands), periods[0].at, now, len(f.Rows)-1)
	return f
}

func day(t time.Time) time.Time { return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC) }

// scale maps a date between from and to onto the plot's width.
func scale(from, to time.Time) func(time.Time) float64 {
	span := to.Sub(from).Hours()
	return func(t time.Time) float64 {
		f := t.Sub(from).Hours() / span
		return left + plotW*min(max(f, 0), 1)
	}
}

// ticks are the years between from and to, or every few years when there are many, or the
// months when the span is shorter than two years.
func ticks(words Words, from, to time.Time, x func(time.Time) float64) []Tick {
	var out []Tick
	years := to.Year() - from.Year()
	if years < 2 {
		step := 1
		if to.Sub(from) > 300*24*time.Hour {
			step = 3
		}
		for t := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, time.UTC); !t.After(to); t = t.AddDate(0, step, 0) {
			if !t.Before(from) {
				out = append(out, Tick{X: x(t), Label: words.Tick(t)})
			}
		}
		return out
	}
	step := 1
	for years/step > 8 {
		step++
	}
	for y := from.Year(); y <= to.Year(); y += step {
		t := time.Date(y, 1, 1, 0, 0, 0, 0, time.UTC)
		if !t.Before(from) && !t.After(to) {
			out = append(out, Tick{X: x(t), Label: fmt.Sprint(y)})
		}
	}
	if len(out) > 4 {
		for i := range out {
			out[i].Minor = i%2 == 1
		}
	}
	return out
}

// shorten cuts a title to n characters at a word, with an ellipsis: the table below the
// picture gives it whole.
func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	cut := string(r[:n])
	if i := strings.LastIndexByte(cut, ' '); i > n/2 {
		cut = cut[:i]
	}
	return cut + "…"
}
