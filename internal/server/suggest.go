package server

import (
	"net/http"

	"github.com/whereas/whereas/internal/tracker"
)

type apiSuggestion struct {
	Type   tracker.EntityType `json:"type"`
	Slug   string             `json:"slug"`
	Name   string             `json:"name"`
	Detail *string            `json:"detail"`
	URL    string             `json:"url"`
}

// apiSuggest offers records of one type by a name being typed, for pickers: at most 10,
// best first. An unknown or missing type is a 400; an empty query offers nothing, so a
// picker may ask on every keystroke without special cases.
func (s *Server) apiSuggest(w http.ResponseWriter, r *http.Request) error {
	t, ok := tracker.ParseSuggestType(r.URL.Query().Get("type"))
	if !ok {
		return tracker.Errorf(tracker.EINVALID, "Give a type: ?type=person, organisation, legal_provision or case.")
	}
	q, _ := tracker.CleanQuery(r.URL.Query().Get("q"))
	found, err := s.db.Suggest(r.Context(), t, q)
	if err != nil {
		return err
	}
	items := make([]apiSuggestion, len(found))
	for i, f := range found {
		items[i] = apiSuggestion{Type: f.Type, Slug: f.Slug, Name: f.Name, Detail: orNull(f.Detail), URL: f.Type.Path(f.Slug)}
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": items})
}
