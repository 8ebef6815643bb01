package chart

import (
	"fmt"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/tracker"
)

// Words are what the pictures say in one language: the labels of bars and markers, the
// axis's dates, and the titles and descriptions read out instead of the drawing. English
// is the package's own; the web package gives the page's language from its catalogs, so
// that a Russian page's chart speaks Russian. Each method writes a whole phrase, never a
// fragment another is glued to, since word order differs between languages.
type Words interface {
	Status(s tracker.Status) string           // a status in words: "Imprisoned"
	DemandState(s tracker.DemandState) string // "Not met"
	Date(w tracker.When) string               // "May 2018", to the precision known
	Tick(month time.Time) string              // an axis date where ticks are months: "Jan 2019"
	Now() string                              // where the last status runs to: "now"
	// Vote labels a resolution's marker: its procedure and the Parliament's vote, and the
	// stage of the text that names the person when it is not the adopted text.
	Vote(procedure string, on time.Time, stage tracker.Stage) string
	TimelineTitle(name string) string
	// From and Reported are a status in a lane's sentence: "imprisoned from 2019", or,
	// dated by a source, "imprisoned (reported …; since when is not recorded)". status is
	// in words, as Status writes it.
	From(status string, from tracker.When) string
	Reported(status, datedBy string) string
	Lane(title string, phrases []string) string // "Case of X: detained from May 2018, then …."
	Cited(name string, markers []string) string // the sentence on the dashed lines
	NotDrawn(cases int) string                  // "2 cases more not drawn."
	Paler() string                              // what a paler start means
	FollowUpTitle(title string) string
	// FollowUpDesc is the follow-up's description: how many demands the resolution titled
	// title makes, from when (the first row's day), how many are in each state now (in the
	// states' order, none left out but those at zero), and on how many dates that changed.
	FollowUpDesc(title string, demands int, from time.Time, now []StateCount, changes int) string
}

// StateCount is how many demands are in a state.
type StateCount struct {
	State tracker.DemandState
	Count int
}

// English is the pictures' words in English.
var English Words = english{}

type english struct{}

func (english) Status(s tracker.Status) string           { return s.Label() }
func (english) DemandState(s tracker.DemandState) string { return s.Label() }
func (english) Date(w tracker.When) string               { return w.Text() }
func (english) Tick(t time.Time) string                  { return t.Format("Jan 2006") }
func (english) Now() string                              { return "now" }

func (english) Vote(procedure string, on time.Time, stage tracker.Stage) string {
	label := procedure + ", the Parliament's vote of " + tracker.Day(on).Text()
	if stage != "" && stage != tracker.Adopted {
		label += " (named in the " + stage.Noun() + ")"
	}
	return label
}

func (english) TimelineTitle(name string) string { return "Status of " + name + " over time" }

func (english) From(status string, from tracker.When) string {
	return fmt.Sprintf("%s from %s", strings.ToLower(status), from.Text())
}

func (english) Reported(status, datedBy string) string {
	return fmt.Sprintf("%s (%s; since when is not recorded)", strings.ToLower(status), datedBy)
}

func (english) Lane(title string, phrases []string) string {
	return title + ": " + strings.Join(phrases, ", then ") + "."
}

func (english) Cited(name string, markers []string) string {
	return "Dashed lines mark the resolutions that cite " + name + ": " + strings.Join(markers, "; ") + "."
}

func (english) NotDrawn(cases int) string {
	return tracker.Plural(cases, "case", "cases") + " more not drawn."
}

func (english) Paler() string {
	return "A paler start means the date is known only to the month or year, or only when it was reported."
}

func (english) FollowUpTitle(title string) string {
	return "Follow-up of “" + title + "” over time"
}

func (english) FollowUpDesc(title string, demands int, from time.Time, now []StateCount, changes int) string {
	var ns []string
	for _, n := range now {
		ns = append(ns, fmt.Sprintf("%d %s", n.Count, strings.ToLower(n.State.Label())))
	}
	return fmt.Sprintf("The %s of “%s” by state, from %s to today: now %s; the counts changed on %s. A change known only to the month or year counts from the end of that month or year.",
		tracker.Plural(demands, "demand", "demands"), title, tracker.Day(from).Text(), strings.Join(ns, ", "), tracker.Plural(changes, "date", "dates"))
}
