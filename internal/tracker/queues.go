package tracker

import "time"

// Queue names one of the staff dashboard's work queues: a list of records that need
// something done, counted on the dashboard and listed on its own page.
type Queue string

// The work queues, by the name their page's address uses (/staff/queues/{name}).
const (
	QueueUnassessedDemands  Queue = "unassessed-demands"
	QueuePeopleWithoutCase  Queue = "people-without-case"
	QueueCasesWithoutStatus Queue = "cases-without-status"
	QueueUnsourcedEntries   Queue = "unsourced-entries"
	QueueOpenImports        Queue = "open-imports"
	QueueComingUp           Queue = "coming-up"
)

// ComingUpDays is how far ahead the dashboard looks for hearings and release dates.
const ComingUpDays = 30

// QueueInfo says what a queue holds, in words for its link and its page.
type QueueInfo struct {
	Name  Queue
	Title string // "Demands not yet assessed"
	Empty string // what its page says when nothing is in it
}

// Queues are the work queues, in the order the dashboard shows them.
var Queues = []QueueInfo{
	{QueueUnassessedDemands, "Demands not yet assessed", "Every demand has been assessed."},
	{QueuePeopleWithoutCase, "People with no case", "Everyone has a case."},
	{QueueCasesWithoutStatus, "Cases with no status", "Every case has a status."},
	{QueueUnsourcedEntries, "Status entries without a source", "Every status entry names a source."},
	{QueueOpenImports, "Open import drafts", "No import draft is waiting."},
	{QueueComingUp, "Hearings and release dates in the next 30 days", "No hearing or release date is due in the next 30 days."},
}

// QueueByName finds a queue, reporting false for a name that is none.
func QueueByName(name string) (QueueInfo, bool) {
	for _, q := range Queues {
		if string(q.Name) == name {
			return q, true
		}
	}
	return QueueInfo{}, false
}

// QueueItem is one record in a work queue, with a link to where the work is done.
type QueueItem struct {
	Title  string
	URL    string
	Detail string    // what the queue says about it: "Release: 14 May 2026", "Paragraph 1"
	On     time.Time // the date that put it in the queue, where there is one
}

// QueueCount is how many records a queue holds.
type QueueCount struct {
	QueueInfo
	Count int
}
