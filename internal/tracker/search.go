package tracker

import (
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"
)

// ClauseEntity is the type of a clause found by search; its slug is "resolution#eid".
const ClauseEntity EntityType = "clause"

// DocumentEntity is the type of an attachment found by the text inside it; its slug is
// the attachment's id.
const DocumentEntity EntityType = "document"

// MaxQueryLength caps a search query, in characters: longer ones are cut, not refused.
const MaxQueryLength = 200

// Match says how a search hit matched.
type Match string

// The kinds of match, best first.
const (
	MatchName  Match = "name"         // the query is the record's name (in any spelling)
	MatchAlias Match = "alias"        // the query is one of its aliases
	MatchPart  Match = "part of name" // the query is whole words of a name: a surname alone
	MatchClose Match = "close name"   // a name close to the query: a typo
	MatchText  Match = "text"         // the query's words are in its text
)

func (m Match) order() int {
	switch m {
	case MatchName, MatchAlias:
		return 0
	case MatchPart, MatchClose:
		return 1
	}
	return 2
}

// SearchHit is one record found by a search.
type SearchHit struct {
	Type     EntityType // person, organisation, legal_provision, case, clause or document
	Slug     string     // for a clause, "resolution-slug#eid"
	Name     string
	Match    Match
	Alias    string  // the name or alias that matched, when not the canonical name
	Snippet  string  // text with \x01 and \x02 around the matched words
	Score    float64 // higher first, within a kind of match
	Internal bool    // matched in internal notes (staff only)

	// What tells people of the same name apart (people only).
	Role, Place string
	Status      Status // current status; "" when none is recorded
	Since       When   // when the entry that set it dates the status; zero when none
	DatedBy     string // what that date rests on, when the source gives no date of the event
	Years       []int  // years of the resolutions citing them, oldest first

	// What Name says of a clause (clause hits only), for pages that name it in their own
	// language: its resolution's title and date, and the clause's kind and label.
	ResolutionTitle string
	ResolutionDate  time.Time
	ClauseKind      ClauseKind
	ClauseLabel     string

	// What a document hit is (document hits only): the file, and the record it belongs to.
	Document *DocumentHit
}

// DocumentHit is an attachment found by the text inside it: its file, and the record it
// belongs to (a person or a case; a status entry's case; a demand state's demand), which
// the hit links to beside the file.
type DocumentHit struct {
	ID        int64
	Filename  string
	OwnerType EntityType // person, case or demand
	OwnerSlug string
	OwnerName string
}

// DemandEntity names a demand as the record a document belongs to.
const DemandEntity EntityType = "demand"

// AttachmentURL is where an attachment's file is downloaded: /attachments/{id}/{filename},
// the filename escaped as one path segment.
func AttachmentURL(id int64, filename string) string {
	return "/attachments/" + strconv.FormatInt(id, 10) + "/" + url.PathEscape(filename)
}

// OwnerURL is the page of the record a document hit belongs to.
func (d DocumentHit) OwnerURL() string {
	if d.OwnerType == DemandEntity {
		return "/demands/" + d.OwnerSlug
	}
	return d.OwnerType.Path(d.OwnerSlug)
}

// ClauseHitName titles a clause found by a search by its resolution's title and date:
// "Human rights situation in Kazakhstan, 14 March 2019 · Recital J". The date is the one
// the resolution is recorded with; the title does not say what became of the text then.
func ClauseHitName(title string, date time.Time, clause string) string {
	return title + ", " + Day(date).Text() + " · " + clause
}

// URL is where the hit leads: a record's page, a clause's anchor, or a document's file.
func (h SearchHit) URL() string {
	if h.Type == ClauseEntity {
		res, eid, _ := strings.Cut(h.Slug, "#")
		return "/resolutions/" + res + "#" + eid
	}
	if h.Document != nil {
		return AttachmentURL(h.Document.ID, h.Document.Filename)
	}
	return h.Type.Path(h.Slug)
}

// typeOrder breaks ties between equally good hits.
var typeOrder = map[EntityType]int{PersonEntity: 0, OrganisationEntity: 1, LegalProvisionEntity: 2, CaseEntity: 3, ClauseEntity: 4, DocumentEntity: 5}

// RankHits keeps each record once, with its best match, and orders them: exact names and
// aliases first, then close names, then text hits, each by score.
func RankHits(hits []SearchHit) []SearchHit {
	best := map[string]int{}
	var out []SearchHit
	for _, h := range hits {
		k := string(h.Type) + "/" + h.Slug
		i, seen := best[k]
		switch {
		case !seen:
			best[k] = len(out)
			out = append(out, h)
		case h.Match.order() < out[i].Match.order() || (h.Match.order() == out[i].Match.order() && h.Score > out[i].Score):
			if h.Snippet == "" {
				h.Snippet = out[i].Snippet
			}
			out[i] = h
		case out[i].Snippet == "" && h.Snippet != "":
			out[i].Snippet = h.Snippet
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		if a, b := out[i].Match.order(), out[j].Match.order(); a != b {
			return a < b
		}
		if out[i].Score != out[j].Score {
			return out[i].Score > out[j].Score
		}
		if a, b := typeOrder[out[i].Type], typeOrder[out[j].Type]; a != b {
			return a < b // a person before the case named after them
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// CleanQuery trims a query and cuts it to MaxQueryLength characters; cut reports whether
// it was cut.
func CleanQuery(q string) (clean string, cut bool) {
	q = strings.Join(strings.Fields(strings.ToValidUTF8(strings.ReplaceAll(q, "\x00", " "), "")), " ")
	q = strings.Map(func(r rune) rune {
		if r == '\x01' || r == '\x02' {
			return ' '
		}
		return r
	}, q)
	if utf8.RuneCountInString(q) > MaxQueryLength {
		return strings.TrimSpace(string([]rune(q)[:MaxQueryLength])), true
	}
	return q, false
}
