package tracker_test

import (
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

func TestParseWhenKeepsThePrecisionGiven(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		in                   string
		start                time.Time
		precision            tracker.Precision
		api, text, on, since string
	}{
		{"2018", day(2018, 1, 1), tracker.ByYear, "2018", "2018", "in 2018", "since 2018"},
		{"2018-05", day(2018, 5, 1), tracker.ByMonth, "2018-05", "May 2018", "in May 2018", "since May 2018"},
		{"2018-05-14", day(2018, 5, 14), tracker.ByDay, "2018-05-14", "14 May 2018", "on 14 May 2018", "since 14 May 2018"},
		{" 2019-03-14 ", day(2019, 3, 14), tracker.ByDay, "2019-03-14", "14 March 2019", "on 14 March 2019", "since 14 March 2019"},
	} {
		w, err := tracker.ParseWhen(tc.in)
		if err != nil {
			t.Errorf("ParseWhen(%q): %v", tc.in, err)
			continue
		}
		if !w.Start.Equal(tc.start) || w.Precision != tc.precision {
			t.Errorf("ParseWhen(%q) = %v %s, want %v %s", tc.in, w.Start, w.Precision, tc.start, tc.precision)
		}
		if w.String() != tc.api || w.Text() != tc.text || w.In() != tc.on || w.Since() != tc.since {
			t.Errorf("%q reads %q / %q / %q / %q", tc.in, w.String(), w.Text(), w.In(), w.Since())
		}
	}
	for _, bad := range []string{"", "18", "2018-13", "2018-00", "2018-02-30", "2018-5", "2018-05-1", "May 2018", "14/05/2018", "2018-05-14T00:00", "２０１８"} {
		if w, err := tracker.ParseWhen(bad); err == nil {
			t.Errorf("ParseWhen(%q) = %v, want an error", bad, w)
		}
	}
}

func TestWhenNeverSaysMoreThanIsKnown(t *testing.T) {
	t.Parallel()
	year := tracker.MakeWhen(day(2018, 7, 9), tracker.ByYear)
	month := tracker.MakeWhen(day(2018, 5, 20), tracker.ByMonth)
	may14 := tracker.Day(day(2018, 5, 14))
	if year.Start != day(2018, 1, 1) || month.Start != day(2018, 5, 1) {
		t.Errorf("MakeWhen keeps a day nobody knows: %v, %v", year.Start, month.Start)
	}
	if year.After(may14) || may14.After(year) || month.After(may14) {
		t.Error("an entry of 2018 (or of May 2018) and one of 14 May 2018: neither is known to come after the other")
	}
	if !tracker.Day(day(2019, 1, 1)).After(year) || !year.After(tracker.Day(day(2017, 12, 31))) {
		t.Error("1 January 2019 is after 2018, and 2018 after 31 December 2017")
	}
	// The latest of several changes is given by the period that surely holds it.
	if got := tracker.Latest(year, may14); got != year {
		t.Errorf("Latest(2018, 14 May 2018) = %s, want 2018: the change in 2018 may have come later", got)
	}
	if got := tracker.Latest(month, may14); got != month {
		t.Errorf("Latest(May 2018, 14 May 2018) = %s, want May 2018", got)
	}
	if got := tracker.Latest(tracker.MakeWhen(day(2017, 1, 1), tracker.ByYear), may14); got != may14 {
		t.Errorf("Latest(2017, 14 May 2018) = %s, want 14 May 2018", got)
	}
	if got := tracker.Latest(); !got.IsZero() {
		t.Errorf("Latest() = %s, want nothing", got)
	}
	if got := tracker.Dating(year, ""); got != "since 2018" {
		t.Errorf("Dating = %q", got)
	}
	if got := tracker.Dating(tracker.Day(day(2019, 3, 14)), "reported by the resolution of 14 March 2019"); got != "reported by the resolution of 14 March 2019" {
		t.Errorf("an entry dated by the resolution reads %q, never since", got)
	}
}

func TestStatusUpdateValidatesDatesOfEveryPrecision(t *testing.T) {
	t.Parallel()
	today := day(2026, 11, 30)
	base := tracker.StatusUpdate{Status: "released", SourceURL: "https://example.org/a"}
	for _, tc := range []struct {
		effective, verified string
		field, says         string
	}{
		{"2018", "", "", ""},
		{"2026-11", "2026-11-30", "", ""},
		{"2018-13", "", "effective_on", "a year (2018), a month (2018-05) or a day (2018-05-14)"},
		{"", "", "effective_on", "Give the date"},
		{"2027", "", "effective_on", "future"},
		{"2026-12", "", "effective_on", "future"},
		{"2026-12-01", "", "effective_on", "future"},
		{"1850", "", "effective_on", "too far in the past"},
		{"2018-05", "2018-04-30", "verified_on", "cannot come before"},
		{"2018-05", "2026-12-01", "verified_on", "future"},
		{"2018-05", "2018-06", "verified_on", "YYYY-MM-DD"},
	} {
		u := base
		u.EffectiveOn, u.VerifiedOn = tc.effective, tc.verified
		d, errs := u.Validate(today)
		switch {
		case tc.field == "" && errs.Any():
			t.Errorf("%q/%q refused: %v", tc.effective, tc.verified, errs)
		case tc.field == "" && d.Effective.String() != tc.effective:
			t.Errorf("%q read as %s", tc.effective, d.Effective)
		case tc.field != "":
			if msg := errs[tc.field]; msg == "" || !strings.Contains(msg, tc.says) {
				t.Errorf("%q/%q: %s = %q, want it to say %q", tc.effective, tc.verified, tc.field, msg, tc.says)
			}
		}
	}
	u := base
	u.EffectiveOn = "2018-05"
	u.DemandStates = []tracker.DemandChange{{Demand: "d-1", State: "met"}, {Demand: "d-1", State: "done"}, {State: "met"}}
	_, errs := u.Validate(today)
	if errs["demand_states[1].demand"] == "" || errs["demand_states[1].state"] == "" || errs["demand_states[2].demand"] == "" || errs["demand_states[0].state"] != "" {
		t.Errorf("demand states refused with %v", errs)
	}
}

func TestStatusProposesDemandStates(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		status  tracker.Status
		action  tracker.DemandAction
		current tracker.DemandState
		want    tracker.DemandState // "" for no proposal
	}{
		{"released", "release", tracker.NotMet, tracker.Met},
		{"acquitted", "release", tracker.Unknown, tracker.Met},
		{"charges_dropped", "release", tracker.NotMet, tracker.Met},
		{"conviction_quashed", "release", tracker.PartlyMet, tracker.Met},
		{"released_on_parole", "release", tracker.NotMet, tracker.PartlyMet},
		{"imprisoned", "release", tracker.PartlyMet, tracker.NotMet},
		{"deceased", "release", tracker.NotMet, tracker.Superseded},
		{"released", "release", tracker.Met, ""}, // already there
		{"released", "quash_conviction", tracker.NotMet, ""},
		{"released_on_parole", "quash_conviction", tracker.NotMet, ""},
		{"conviction_quashed", "quash_conviction", tracker.NotMet, tracker.Met},
		{"acquitted", "review_case", tracker.Unknown, tracker.Met},
		{"travel_ban", "lift_restrictions", tracker.Unknown, tracker.NotMet},
		{"released", "amend_or_repeal_law", tracker.NotMet, ""},
		{"released", "investigate", tracker.NotMet, ""},
		{"in_exile", "release", tracker.NotMet, ""},
	} {
		got, ok := tracker.ProposeDemandState(tc.status, tc.action, tc.current)
		if got != tc.want || ok != (tc.want != "") {
			t.Errorf("%s on a %s demand at %s proposes %q (%v), want %q", tc.status, tc.action, tc.current, got, ok, tc.want)
		}
	}
	if !tracker.Contradicts("released", "release", tracker.NotMet) || tracker.Contradicts("released_on_parole", "release", tracker.NotMet) ||
		tracker.Contradicts("released", "release", tracker.Met) || tracker.Contradicts("imprisoned", "release", tracker.NotMet) {
		t.Error("only a status that would make a demand met contradicts it while it is not")
	}
}

func TestMismatchesHoldDemandsAgainstTheirCase(t *testing.T) {
	t.Parallel()
	entry := func(s tracker.Status, w tracker.When) tracker.StatusEntry {
		return tracker.StatusEntry{Status: s, EffectiveOn: w}
	}
	released := tracker.Case{Slug: "a", Statuses: []tracker.StatusEntry{entry("imprisoned", tracker.MakeWhen(day(2016, 1, 1), tracker.ByYear)), entry("released", tracker.MakeWhen(day(2020, 5, 1), tracker.ByMonth))}}
	held := tracker.Case{Slug: "b", Statuses: []tracker.StatusEntry{entry("imprisoned", tracker.Day(day(2019, 3, 14)))}}
	notMet := []tracker.DemandEntry{{State: tracker.NotMet, EffectiveOn: tracker.Day(day(2019, 3, 14))}}
	aboutPerson := tracker.Demand{Slug: "p", Action: "release", History: notMet}
	aboutB := tracker.Demand{Slug: "q", Action: "release", History: notMet, Targets: []tracker.EntityRef{{Type: tracker.CaseEntity, Slug: "b"}}}
	ms := tracker.Mismatches([]tracker.Case{released, held}, []tracker.Demand{aboutPerson, aboutB})
	if len(ms) != 1 || ms[0].Demand.Slug != "p" || ms[0].CaseSlug != "a" || ms[0].Status != "released" {
		t.Errorf("mismatches = %+v, want the person's release demand against case a (released, the latest)", ms)
	}
}

func TestDemandDatingNeverDatesAnUnassessedDemand(t *testing.T) {
	adopted := tracker.Day(time.Date(2019, 3, 14, 0, 0, 0, 0, time.UTC))
	for _, tc := range []struct {
		state   tracker.DemandState
		datedBy string
		want    string
	}{
		{tracker.Unknown, "", ""},
		{tracker.Unknown, "reported by the resolution of 14 March 2019", "(reported by the resolution of 14 March 2019)"},
		{tracker.NotMet, "reported by the resolution of 14 March 2019", "reported by the resolution of 14 March 2019"},
		{tracker.Met, "", "since 14 March 2019"},
	} {
		if got := tracker.DemandDating(tc.state, adopted, tc.datedBy); got != tc.want {
			t.Errorf("%s dated by %q reads %q, want %q", tc.state, tc.datedBy, got, tc.want)
		}
	}
	if tracker.Unknown.Label() != "Not yet assessed" {
		t.Errorf("an unassessed demand's label is %q", tracker.Unknown.Label())
	}
}
