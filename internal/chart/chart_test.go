package chart

import (
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

func when(t *testing.T, s string) tracker.When {
	t.Helper()
	w, err := tracker.ParseWhen(s)
	if err != nil {
		t.Fatal(err)
	}
	return w
}

var today = time.Date(2026, 11, 30, 15, 0, 0, 0, time.UTC)

func TestPersonTimelineSaysWhatIsKnown(t *testing.T) {
	c := tracker.Case{Slug: "case-of-x", Title: "Case of X", Statuses: []tracker.StatusEntry{
		{ID: 1, Status: "detained", EffectiveOn: when(t, "2018-05")},
		{ID: 2, Status: "imprisoned", EffectiveOn: when(t, "2018"), SupersededBy: 3}, // corrected: not drawn
		{ID: 3, Status: "imprisoned", EffectiveOn: when(t, "2019")},
		{ID: 4, Status: "released", EffectiveOn: when(t, "2024-03-14")},
	}}
	undated := tracker.Case{Slug: "other", Title: "Other", Statuses: []tracker.StatusEntry{{Status: "unknown"}}}
	tl := PersonTimeline("X", []tracker.Case{c, undated}, []Citation{{Label: "2019/2610(RSP), 14 March 2019", On: time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)}}, today)
	if len(tl.Lanes) != 1 {
		t.Fatalf("%d lanes, want the one case with a dated status", len(tl.Lanes))
	}
	bars := tl.Lanes[0].Bars
	if len(bars) != 3 {
		t.Fatalf("%d bars, want 3 (the corrected entry left out): %+v", len(bars), bars)
	}
	for i, b := range bars {
		if i > 0 && b.X+0.01 < bars[i-1].X+bars[i-1].W {
			t.Errorf("bar %d starts at %.1f, inside the one before (ends %.1f)", i, b.X, bars[i-1].X+bars[i-1].W)
		}
	}
	if end := bars[2].X + bars[2].W; end < Width-right-0.5 {
		t.Errorf("the last status ends at %.1f, not today (%.1f)", end, Width-right)
	}
	if bars[0].Fuzzy <= 0 || bars[1].Fuzzy <= bars[0].Fuzzy || bars[2].Fuzzy != 0 {
		t.Errorf("uncertain starts %.1f (a month), %.1f (a year), %.1f (a day): want 0 < month < year and none for a day",
			bars[0].Fuzzy, bars[1].Fuzzy, bars[2].Fuzzy)
	}
	if bars[0].From != "May 2018" || bars[1].To != "14 March 2024" || bars[2].To != "now" {
		t.Errorf("bars say from %q, to %q, to %q", bars[0].From, bars[1].To, bars[2].To)
	}
	for _, want := range []string{"Case of X: detained from May 2018, then imprisoned from 2019, then released from 14 March 2024.", "2019/2610(RSP), 14 March 2019", "paler start"} {
		if !strings.Contains(tl.Desc, want) {
			t.Errorf("description %q lacks %q", tl.Desc, want)
		}
	}
	if len(tl.Markers) != 1 || tl.Markers[0].X <= bars[0].X || tl.Markers[0].X >= bars[2].X {
		t.Errorf("markers %+v: want the 2019 resolution between the detention and the release", tl.Markers)
	}
	if len(tl.Ticks) < 5 || tl.Ticks[0].Label != "2018" {
		t.Errorf("ticks %+v", tl.Ticks)
	}
	if PersonTimeline("Y", []tracker.Case{undated}, nil, today).Empty() != true {
		t.Error("a person with no dated status has a timeline")
	}
}

func TestFollowUpNeverCountsGoodNewsEarly(t *testing.T) {
	adopted := time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC)
	demands := []tracker.Demand{
		{History: []tracker.DemandEntry{{State: tracker.Met, EffectiveOn: when(t, "2024")}}},
		{History: []tracker.DemandEntry{
			{State: tracker.Met, EffectiveOn: when(t, "2020-02-01"), SupersededBy: 9}, // a mistake, corrected
			{State: tracker.NotMet, EffectiveOn: when(t, "2020-02")},
		}},
		{},
	}
	mid := ResolutionFollowUp("the 2019 resolution", adopted, demands, time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC))
	last := mid.Rows[len(mid.Rows)-1].Counts
	if last[tracker.Met] != 0 || last[tracker.NotMet] != 1 || last[tracker.Unknown] != 2 {
		t.Errorf("in June 2024, a demand met 'in 2024' is counted met already: %v", last)
	}
	f := ResolutionFollowUp("the 2019 resolution", adopted, demands, today)
	if len(f.Rows) != 3 {
		t.Fatalf("rows %+v, want: from the resolution, from the end of February 2020, from the end of 2024", f.Rows)
	}
	if f.Rows[0].From != "14 March 2019" || f.Rows[1].From != "29 February 2020" || f.Rows[2].From != "31 December 2024" {
		t.Errorf("periods start %q, %q, %q", f.Rows[0].From, f.Rows[1].From, f.Rows[2].From)
	}
	if c := f.Rows[2].Counts; c[tracker.Met] != 1 || c[tracker.NotMet] != 1 || c[tracker.Unknown] != 1 {
		t.Errorf("now: %v", c)
	}
	// Each period's bands stack to the whole height: every demand is counted once.
	heights := map[float64]float64{}
	for _, b := range f.Bands {
		heights[b.X] += b.H
	}
	for x, h := range heights {
		if h < stackH-0.01 || h > stackH+0.01 {
			t.Errorf("period at %.1f stacks to %.1f, want %.1f", x, h, stackH)
		}
	}
	if !strings.Contains(f.Desc, "The 3 demands of “the 2019 resolution” by state, from 14 March 2019 to today: now 1 met, 1 not met, 1 not yet assessed; the counts changed on 2 dates.") {
		t.Errorf("description %q", f.Desc)
	}
	if !ResolutionFollowUp("x", adopted, nil, today).Empty() {
		t.Error("no demands, yet a picture")
	}
}
