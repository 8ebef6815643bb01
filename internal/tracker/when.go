package tracker

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Precision is how much of a date is known: its year, its month, or its day.
type Precision string

// The precisions a date can have.
const (
	ByYear  Precision = "year"
	ByMonth Precision = "month"
	ByDay   Precision = "day"
)

// Valid reports whether p is one of the three precisions.
func (p Precision) Valid() bool { return p == ByYear || p == ByMonth || p == ByDay }

// When is the date something happened, known to a year, a month or a day ("in 2018",
// "in May 2018", "on 14 May 2018"). Start is the first day of that period, which is what
// the database stores and orders histories by: a "2018" entry therefore sorts before one
// of 14 May 2018, since nothing says it came after it, and entries whose periods start on
// the same day keep the order in which they were recorded.
type When struct {
	Start     time.Time // the first day of the period, midnight UTC
	Precision Precision
}

// Day is a date known to the day.
func Day(t time.Time) When {
	return When{Start: time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC), Precision: ByDay}
}

// MakeWhen is the period of precision p that holds t: a year or month keeps only its
// first day, so a stored date never says more than is known.
func MakeWhen(t time.Time, p Precision) When {
	switch p {
	case ByYear:
		return When{Start: time.Date(t.Year(), 1, 1, 0, 0, 0, 0, time.UTC), Precision: ByYear}
	case ByMonth:
		return When{Start: time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, time.UTC), Precision: ByMonth}
	}
	return Day(t)
}

// ParseWhen reads a date as the API and forms write it: "2018", "2018-05" or
// "2018-05-14". Anything else (a month 13, 31 April, "May 2018", spaces inside) is an error.
func ParseWhen(s string) (When, error) {
	s = strings.TrimSpace(s)
	var layout string
	var p Precision
	switch len(s) {
	case 4:
		layout, p = "2006", ByYear
	case 7:
		layout, p = "2006-01", ByMonth
	case 10:
		layout, p = time.DateOnly, ByDay
	default:
		return When{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	t, err := time.Parse(layout, s)
	if err != nil {
		return When{}, fmt.Errorf("date %q: want YYYY, YYYY-MM or YYYY-MM-DD", s)
	}
	return When{Start: t, Precision: p}, nil
}

// CheckPast reads a typed date of something that has happened, to a year, a month or a
// day, as every form and the API take it: the date, or a message for the person who typed
// it when it is malformed, in the future (its period starts after today) or before 1900.
func CheckPast(typed string, today time.Time) (When, string) {
	today = time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, time.UTC)
	w, err := ParseWhen(typed)
	switch {
	case err != nil:
		return When{}, "Write the date as a year (2018), a month (2018-05) or a day (2018-05-14)."
	case w.Start.After(today):
		return When{}, "The date cannot be in the future."
	case w.Start.Year() < 1900:
		return When{}, "The date is too far in the past."
	}
	return w, ""
}

// IsZero reports whether no date is set.
func (w When) IsZero() bool { return w.Start.IsZero() }

// String is the date as the API writes it: "2018", "2018-05" or "2018-05-14"; it is also
// a valid HTML datetime value.
func (w When) String() string {
	switch w.Precision {
	case ByYear:
		return strconv.Itoa(w.Start.Year())
	case ByMonth:
		return w.Start.Format("2006-01")
	}
	return w.Start.Format(time.DateOnly)
}

// Text is the date in words, saying no more than is known: "2018", "May 2018",
// "14 May 2018".
func (w When) Text() string {
	switch w.Precision {
	case ByYear:
		return strconv.Itoa(w.Start.Year())
	case ByMonth:
		return w.Start.Format("January 2006")
	}
	return w.Start.Format("2 January 2006")
}

// In is the date after a verb of something that happened: "in 2018", "in May 2018",
// "on 14 May 2018".
func (w When) In() string {
	if w.Precision == ByDay || w.Precision == "" {
		return "on " + w.Text()
	}
	return "in " + w.Text()
}

// Since is the date of a state that still holds: "since 2018", "since May 2018",
// "since 14 May 2018".
func (w When) Since() string { return "since " + w.Text() }

// End is the last day of the period.
func (w When) End() time.Time {
	switch w.Precision {
	case ByYear:
		return w.Start.AddDate(1, 0, -1)
	case ByMonth:
		return w.Start.AddDate(0, 1, -1)
	}
	return w.Start
}

// After reports whether w is known to have happened after o: its whole period comes
// after o's. A "2018" entry is not after 14 May 2018, nor is 14 May 2018 after "2018".
func (w When) After(o When) bool { return w.Start.After(o.End()) }

// Latest is the period that surely holds the latest of several dates: the one that ends
// last (of two ending the same day, the longer). "Latest change 2018" for a change in 2018
// and one on 10 March 2018 is true whichever came last; "10 March 2018" might not be.
func Latest(ws ...When) When {
	var out When
	for _, w := range ws {
		if w.IsZero() {
			continue
		}
		if out.IsZero() || w.End().After(out.End()) || (w.End().Equal(out.End()) && w.Start.Before(out.Start)) {
			out = w
		}
	}
	return out
}

// Dating is how an entry's date reads after its status: "since May 2018", or where the
// source gives no date of the event, what the date rests on ("reported by the resolution
// of 14 March 2019"), never a "since" the source does not say.
func Dating(w When, datedBy string) string {
	if datedBy != "" {
		return datedBy
	}
	return w.Since()
}

// DemandDating is how a demand's current state is dated after its label. A demand nobody
// has assessed holds no state since any day: it reads "Not yet assessed", with what its
// entry rests on in brackets where there is something ("(reported by the resolution of 14
// March 2019)"), never "Unknown since 14 March 2019". Other states read as Dating.
func DemandDating(s DemandState, w When, datedBy string) string {
	if s != Unknown {
		return Dating(w, datedBy)
	}
	if datedBy == "" {
		return ""
	}
	return "(" + datedBy + ")"
}
