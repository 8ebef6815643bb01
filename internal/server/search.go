package server

import (
	"context"
	"net/http"

	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// handleSearch finds anyone and anything by what the visitor remembers. An empty query
// shows how to search; a long one is cut; nothing in it ever reaches SQL but as a
// parameter. Internal notes and internal files are searched for signed-in staff only
// (their pages are never cached: see cache.go).
func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) error {
	q, cut := tracker.CleanQuery(r.URL.Query().Get("q"))
	ctx := web.WithQuery(r.Context(), q)
	only, err := web.SearchType(r.URL.Query().Get("type"))
	if err != nil {
		return err
	}
	var hits []tracker.SearchHit
	more := false
	if q != "" {
		if hits, more, err = s.db.Search(ctx, q, currentUser(ctx) != nil); err != nil {
			return err
		}
	}
	return render(ctx, w, http.StatusOK, web.SearchPage(q, cut, hits, more, only))
}

type apiHit struct {
	Type    tracker.EntityType `json:"type"`
	Slug    string             `json:"slug"`
	Name    string             `json:"name"`
	URL     string             `json:"url"`
	Match   tracker.Match      `json:"match"`
	Matched *string            `json:"matched"` // the alias or spelling that matched; null for a text hit
	Snippet *string            `json:"snippet"` // text hits only
	Score   float64            `json:"score"`
	// What tells people of the same name apart: people only (null on other hits, and where
	// not recorded).
	Role          *string           `json:"role"`
	Place         *string           `json:"place"`
	CurrentStatus *apiCurrentStatus `json:"current_status"`
	Resolutions   *[]int            `json:"resolutions"`
	// The file and its record (document hits only; null on every other hit).
	Document *apiDocumentHit `json:"document"`
}

// apiDocumentHit is what a document hit is: an attachment, with its filename, whether it is
// internal (staff only) and the record it belongs to. The hit's url is the file's.
type apiDocumentHit struct {
	ID       int64        `json:"id"`
	Filename string       `json:"filename"`
	Internal bool         `json:"internal"`
	Record   apiRecordRef `json:"record"`
}

// apiRecordRef names a record a document belongs to: a person, a case or a demand.
type apiRecordRef struct {
	Type tracker.EntityType `json:"type"`
	Slug string             `json:"slug"`
	Name string             `json:"name"`
	URL  string             `json:"url"`
}

// apiCurrentStatus is a person hit's current status: its code, its label and the date of
// the entry that set it ("2018", "2018-05" or "2018-05-14"; null when not known).
type apiCurrentStatus struct {
	Code  string  `json:"code"`
	Label string  `json:"label"`
	Since *string `json:"since"`
}

type apiHitGroup struct {
	Type  tracker.EntityType `json:"type"`
	Title string             `json:"title"`
	Items []apiHit           `json:"items"`
}

// apiSearch answers the same search as JSON: groups by type, each hit with its match and
// a snippet in which the matched words stand between « and ».
func (s *Server) apiSearch(w http.ResponseWriter, r *http.Request) error {
	q, cut := tracker.CleanQuery(r.URL.Query().Get("q"))
	if q == "" {
		return tracker.Errorf(tracker.EINVALID, "Give a query: ?q=Bokayev")
	}
	only, err := web.SearchType(r.URL.Query().Get("type"))
	if err != nil {
		return err
	}
	hits, more, err := s.db.Search(r.Context(), q, currentUser(r.Context()) != nil)
	if err != nil {
		return err
	}
	hits = web.OfType(hits, only)
	groups := []apiHitGroup{}
	for _, g := range web.GroupHits(context.Background(), hits) { // the API's titles are English, as its labels are
		items := make([]apiHit, len(g.Hits))
		for i, h := range g.Hits {
			var snippet string
			for _, p := range web.SnippetParts(h.Snippet) {
				if p.Hit {
					snippet += "«" + p.Text + "»"
				} else {
					snippet += p.Text
				}
			}
			items[i] = apiHit{Type: h.Type, Slug: h.Slug, Name: h.Name, URL: h.URL(), Match: h.Match, Matched: orNull(h.Alias), Snippet: orNull(snippet), Score: h.Score}
			if d := h.Document; d != nil {
				items[i].Document = &apiDocumentHit{ID: d.ID, Filename: d.Filename, Internal: h.Internal,
					Record: apiRecordRef{Type: d.OwnerType, Slug: d.OwnerSlug, Name: d.OwnerName, URL: d.OwnerURL()}}
			}
			if h.Type == tracker.PersonEntity {
				years := append([]int{}, h.Years...)
				items[i].Role, items[i].Place, items[i].Resolutions = orNull(h.Role), orNull(h.Place), &years
				if h.Status != "" {
					items[i].CurrentStatus = &apiCurrentStatus{Code: string(h.Status), Label: h.Status.Label()}
					if !h.Since.IsZero() {
						items[i].CurrentStatus.Since = orNull(h.Since.String())
					}
				}
			}
		}
		groups = append(groups, apiHitGroup{Type: g.Type, Title: g.Title, Items: items})
	}
	return writeJSON(w, http.StatusOK, map[string]any{"query": q, "truncated": cut, "total": len(hits), "more": more, "groups": groups})
}
