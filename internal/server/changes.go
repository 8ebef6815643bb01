package server

import (
	"bytes"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/atom"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// changesPageSize is how many entries a page of the change log lists, on the page and in
// the API; feedSize how many the newest of a feed holds.
const (
	changesPageSize = 50
	feedSize        = 50
)

// changesQuery reads the change log's parameters: order (effective, the default, or
// recorded), kind, person, resolution (slugs) and before (where the page starts). Empty
// values are no filter, as a form sends them.
func changesQuery(r *http.Request) (tracker.LogQuery, error) {
	v := r.URL.Query()
	q := tracker.LogQuery{Order: tracker.ByEffective, Limit: changesPageSize,
		Person: strings.TrimSpace(v.Get("person")), Resolution: strings.TrimSpace(v.Get("resolution"))}
	if o := v.Get("order"); o != "" {
		q.Order = tracker.LogOrder(o)
		if !q.Order.Valid() {
			return q, tracker.Errorf(tracker.EINVALID, "order must be effective or recorded.")
		}
	}
	if k := v.Get("kind"); k != "" {
		q.Kind = tracker.LogKind(k)
		if !q.Kind.Valid() {
			return q, tracker.Errorf(tracker.EINVALID, "kind must be status, demand_state, resolution or record.")
		}
	}
	if b := v.Get("before"); b != "" {
		c, err := tracker.ParseLogCursor(b)
		if err != nil {
			return q, err
		}
		q.Before = &c
	}
	return q, nil
}

// changesView reads a page of the change log and the names of what it is filtered to. A
// person typed by name on the form (no person has it as a slug) is looked up as the name
// pickers do; found is then the address with the person's slug instead, to redirect to.
func (s *Server) changesView(r *http.Request, q tracker.LogQuery) (v web.ChangesView, found string, err error) {
	ctx := r.Context()
	v.Query = q
	if q.Person != "" {
		_, v.PersonName, err = s.db.LogSubject(ctx, tracker.PersonEntity, q.Person)
		if tracker.ErrorCode(err) == tracker.ENOTFOUND {
			sugg, serr := s.db.Suggest(ctx, tracker.PersonEntity, q.Person)
			if serr != nil {
				return v, "", serr
			}
			if p := tracker.PickFrom(q.Person, sugg); p.Chosen != nil {
				q.Person = p.Chosen.Slug
				return v, web.ChangesURL(r.URL.Path, q, q.Before), nil
			}
			return v, "", tracker.Errorf(tracker.ENOTFOUND, "No person is named %q, or several are: open the person's page and follow its “What changed” link.", tracker.Shorten(q.Person, 60))
		}
		if err != nil {
			return v, "", err
		}
	}
	if q.Resolution != "" {
		if _, v.ResolutionTitle, err = s.db.LogSubject(ctx, postgres.ResolutionSubject, q.Resolution); err != nil {
			return v, "", err
		}
	}
	v.Page, err = s.db.ChangeLog(ctx, q)
	return v, "", err
}

// handleChanges is the public change log page (/changes).
func (s *Server) handleChanges(w http.ResponseWriter, r *http.Request) error {
	q, err := changesQuery(r)
	if err != nil {
		return err
	}
	v, found, err := s.changesView(r, q)
	if err != nil {
		return err
	}
	if found != "" {
		http.Redirect(w, r, found, http.StatusSeeOther)
		return nil
	}
	return render(r.Context(), w, http.StatusOK, web.ChangesPage(v))
}

// apiLogEntry is one entry of the change log in the API (README: "What changed").
type apiLogEntry struct {
	Kind        tracker.LogKind      `json:"kind"`
	ID          int64                `json:"id"`
	URL         string               `json:"url"`
	EffectiveOn string               `json:"effective_on"`
	DatedBy     *string              `json:"dated_by"`
	RecordedAt  string               `json:"recorded_at"`
	UpdatedAt   string               `json:"updated_at"`
	Status      *tracker.Status      `json:"status"`
	State       *tracker.DemandState `json:"state"`
	Label       *string              `json:"label"`
	Subject     apiLogRef            `json:"subject"`
	Whom        *apiLogRef           `json:"whom"`
	Note        *string              `json:"note"`
	Corrects    *int64               `json:"corrects"`
	CorrectedBy *int64               `json:"corrected_by"`
	Resolution  *apiLogText          `json:"resolution"`
}

// apiLogText says which text a resolution entry published.
type apiLogText struct {
	Procedure string        `json:"procedure"`
	Stage     tracker.Stage `json:"stage"`
	Reference *string       `json:"reference"`
	TextDate  *string       `json:"text_date"`
	AdoptedOn string        `json:"adopted_on"`
	Citation  string        `json:"citation"`
}

// apiLogRef is a record an entry is about.
type apiLogRef struct {
	Type string `json:"type"`
	Slug string `json:"slug"`
	Name string `json:"name"`
	URL  string `json:"url"`
}

// apiChangeLog is the API's page of the change log.
type apiChangeLog struct {
	Items      []apiLogEntry    `json:"items"`
	Order      tracker.LogOrder `json:"order"`
	Kind       *string          `json:"kind"`
	Person     *string          `json:"person"`
	Resolution *string          `json:"resolution"`
	Next       *string          `json:"next"`
}

const apiTime = "2006-01-02T15:04:05Z"

func toAPILogEntry(e tracker.LogEntry) apiLogEntry {
	out := apiLogEntry{Kind: e.Kind, ID: e.ID, URL: e.Path(), EffectiveOn: e.On.String(), DatedBy: orNull(e.DatedBy),
		RecordedAt: e.RecordedAt.UTC().Format(apiTime), UpdatedAt: e.UpdatedAt.UTC().Format(apiTime),
		Subject: apiLogRef{Type: string(e.Subject.Type), Slug: e.Subject.Slug, Name: e.Subject.Name},
		Note:    orNull(e.Note), Corrects: idOrNull(e.Supersedes), CorrectedBy: idOrNull(e.SupersededBy)}
	switch e.Kind {
	case tracker.LogStatus:
		out.Status, out.Label = &e.Status, orNull(e.Status.Label())
		out.Subject.URL = tracker.CaseEntity.Path(e.Subject.Slug)
	case tracker.LogDemandState:
		out.State, out.Label = &e.State, orNull(e.State.Label())
		out.Subject.URL = "/demands/" + e.Subject.Slug
	case tracker.LogResolution:
		out.Resolution = &apiLogText{Procedure: e.Text.Procedure, Stage: e.Text.Stage, Reference: orNull(e.Text.Reference),
			TextDate: dayOrNull(e.Text.TextDate), AdoptedOn: e.Text.VoteDate.Format(time.DateOnly), Citation: tracker.Cite(e.Text, "", "")}
		out.Subject.URL = "/resolutions/" + e.Subject.Slug
	default:
		out.Subject.URL = e.Subject.Type.Path(e.Subject.Slug)
	}
	if e.Whom.Slug != "" {
		out.Whom = &apiLogRef{Type: string(e.Whom.Type), Slug: e.Whom.Slug, Name: e.Whom.Name, URL: e.Whom.Type.Path(e.Whom.Slug)}
	}
	return out
}

// apiChanges is the change log in JSON (/api/v1/changes), with the page's parameters.
func (s *Server) apiChanges(w http.ResponseWriter, r *http.Request) error {
	q, err := changesQuery(r)
	if err != nil {
		return err
	}
	size, err := pageParam(r, "per_page", changesPageSize, apiMaxPageSize)
	if err != nil {
		return err
	}
	q.Limit = size.Size
	page, err := s.db.ChangeLog(r.Context(), q)
	if err != nil {
		return err
	}
	out := apiChangeLog{Items: make([]apiLogEntry, len(page.Entries)), Order: q.Order,
		Kind: orNull(string(q.Kind)), Person: orNull(q.Person), Resolution: orNull(q.Resolution)}
	for i, e := range page.Entries {
		out.Items[i] = toAPILogEntry(e)
	}
	if page.Next != nil {
		next := web.ChangesURL("/api/v1/changes", q, page.Next)
		if size.Size != changesPageSize {
			next += "&per_page=" + strconv.Itoa(size.Size)
		}
		out.Next = &next
	}
	return writeJSON(w, http.StatusOK, out)
}

// writeFeed sends the Atom feed of the newest entered entries of q: key names it (its
// address without the language), title and alternate (the page it follows) say what it is.
func (s *Server) writeFeed(w http.ResponseWriter, r *http.Request, q tracker.LogQuery, key, title, alternate string) error {
	q.Order, q.Before, q.Limit = tracker.ByRecorded, nil, feedSize
	page, err := s.db.ChangeLog(r.Context(), q)
	if err != nil {
		return err
	}
	site, err := s.db.SiteID(r.Context())
	if err != nil {
		return err
	}
	ctx := r.Context()
	lang := "lang=" + string(web.Lang(ctx))
	withLang := func(p string) string {
		if strings.Contains(p, "?") {
			return p + "&" + lang
		}
		return p + "?" + lang
	}
	f := web.ChangeFeed(ctx, site, key, title, withLang(key), withLang(alternate), s.opts.PublicURL, page.Entries)
	var b bytes.Buffer
	if err := atom.Encode(&b, f); err != nil {
		return err
	}
	w.Header().Set("Content-Type", atom.ContentType)
	_, err = w.Write(b.Bytes())
	return err
}

// handleChangesFeed is the Atom feed of the whole change log (/changes.atom), which takes
// the page's kind, person and resolution too.
func (s *Server) handleChangesFeed(w http.ResponseWriter, r *http.Request) error {
	q, err := changesQuery(r)
	if err != nil {
		return err
	}
	name := ""
	if q.Person != "" {
		if _, name, err = s.db.LogSubject(r.Context(), tracker.PersonEntity, q.Person); err != nil {
			return err
		}
	}
	if q.Resolution != "" {
		if _, name, err = s.db.LogSubject(r.Context(), postgres.ResolutionSubject, q.Resolution); err != nil {
			return err
		}
	}
	filters := tracker.LogQuery{Kind: q.Kind, Person: q.Person, Resolution: q.Resolution}
	return s.writeFeed(w, r, q, web.ChangesURL("/changes.atom", filters, nil), web.FeedTitle(r.Context(), name), web.ChangesURL("/changes", filters, nil))
}

// handleRecordFeed is the Atom feed of one person, case or resolution
// (/people/{slug}.atom, …): what the change log holds about it. A retired person or case
// answers 410, as its page does; an unknown one 404.
func (s *Server) handleRecordFeed(t tracker.EntityType) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		slug := chi.URLParam(r, "slug")
		_, name, err := s.db.LogSubject(r.Context(), t, slug)
		if err != nil {
			return err
		}
		q := tracker.LogQuery{}
		page := "/resolutions/" + slug
		switch t {
		case tracker.PersonEntity:
			q.Person, page = slug, t.Path(slug)
		case tracker.CaseEntity:
			q.Case, page = slug, t.Path(slug)
		default:
			q.Resolution = slug
		}
		return s.writeFeed(w, r, q, page+".atom", web.FeedTitle(r.Context(), name), page)
	}
}
