package server

import (
	"bytes"
	"context"
	"encoding/csv"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

func (s *Server) handleScoreboard(w http.ResponseWriter, r *http.Request) error {
	sb, state, err := s.scoreboard(r)
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.ScoreboardPage(sb, state))
}

// scoreboard reads the scoreboard the request names, cut to ?state= when one is given.
func (s *Server) scoreboard(r *http.Request) (tracker.Scoreboard, tracker.DemandState, error) {
	state := tracker.DemandState(r.URL.Query().Get("state"))
	if state != "" && !state.Valid() {
		return tracker.Scoreboard{}, "", tracker.Errorf(tracker.EINVALID, "state must be one of met, partly_met, not_met, unknown or superseded.")
	}
	sb, err := s.db.Scoreboard(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return sb, "", err
	}
	if state != "" {
		sb = sb.Only(state)
	}
	return sb, state, nil
}

// handleScoreboardCSV is the scoreboard as a spreadsheet: one row per demand, with its
// paragraph, words, targets, state and the date of that state. It is one resolution's
// demands, so it is made whole in memory and sent with its length, or not at all.
func (s *Server) handleScoreboardCSV(w http.ResponseWriter, r *http.Request) error {
	sb, _, err := s.scoreboard(r)
	if err != nil {
		return err
	}
	base := s.baseURL(r)
	var buf bytes.Buffer
	cw := csv.NewWriter(&buf)
	_ = cw.Write([]string{"paragraph", "demand", "action", "wording", "for_whom", "state", "state_label", "since", "dated_by", "source_url", "url"})
	for _, p := range sb.Paragraphs {
		for _, d := range p.Demands {
			names := make([]string, len(d.Targets))
			for i, t := range d.Targets {
				names[i] = t.Name
			}
			since, datedBy, source := "", "", ""
			if cur, ok := d.Current(); ok {
				since, datedBy, source = cur.EffectiveOn.String(), cur.DatedBy, cur.SourceURL
			}
			_ = cw.Write(csvCells(tracker.KindLabel(p.Clause.Kind, p.Clause.Label), d.Slug, d.Action.Label(), d.Wording,
				strings.Join(names, "; "), string(d.State()), d.State().Label(), since, datedBy, source, base+"/demands/"+d.Slug))
		}
	}
	cw.Flush()
	if err := cw.Error(); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/csv; charset=utf-8")
	h.Set("Content-Disposition", `attachment; filename="`+sb.Resolution.Slug+`-scoreboard.csv"`)
	h.Set("Content-Length", strconv.Itoa(buf.Len()))
	h.Set("Cache-Control", "no-cache")
	_, err = buf.WriteTo(w)
	return err
}

// demandClauseOptions offers the clauses of the demand's resolution as sources: the
// resolution itself is often the source of what it reports.
func (s *Server) demandClauseOptions(r *http.Request, d tracker.Demand) ([]web.ClauseOption, error) {
	res, err := s.db.Resolution(r.Context(), d.Clause.ResolutionSlug)
	if err != nil {
		return nil, err
	}
	out := make([]web.ClauseOption, len(res.Clauses))
	for i, c := range res.Clauses {
		out[i] = web.ClauseOption{Value: res.Slug + "#" + c.EID, Label: res.Procedure + ", " + tracker.KindLabel(c.Kind, c.Label),
			Procedure: res.Procedure, Kind: c.Kind, Clause: c.Label}
	}
	return out, nil
}

func (s *Server) handleDemand(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Demand(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	var form *web.DemandForm
	if currentUser(r.Context()) != nil {
		opts, err := s.demandClauseOptions(r, d)
		if err != nil {
			return err
		}
		form = &web.DemandForm{Update: tracker.DemandUpdate{EffectiveOn: time.Now().Format(time.DateOnly)}, Clauses: opts}
	}
	files, err := s.attachments(r.Context(), postgres.AttachmentsOf{Demand: d.Slug})
	if err != nil {
		return err
	}
	return render(r.Context(), w, http.StatusOK, web.DemandPage(d, form, web.Files{List: files}))
}

func demandUpdateFromForm(r *http.Request, slug string) tracker.DemandUpdate {
	version, _ := strconv.Atoi(r.PostFormValue("version"))
	supersedes, _ := strconv.ParseInt(r.PostFormValue("supersedes"), 10, 64)
	return tracker.DemandUpdate{DemandSlug: slug, Version: version, State: tracker.DemandState(r.PostFormValue("state")),
		EffectiveOn: r.PostFormValue("effective_on"), DatedBy: r.PostFormValue("dated_by"), VerifiedOn: r.PostFormValue("verified_on"),
		Note: r.PostFormValue("note"), SourceURL: r.PostFormValue("source_url"), SourceClause: r.PostFormValue("source_clause"), Supersedes: supersedes}
}

// handleAddDemandState records a demand's follow-up, with the same validation, conflict
// handling and audit as a case status.
func (s *Server) handleAddDemandState(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	u := demandUpdateFromForm(r, slug)
	on, errs := u.Validate(time.Now())
	var conflict string
	if !errs.Any() {
		_, err := s.db.AppendDemandState(ctx, actor(ctx), u, on)
		if err == nil {
			return s.saved(w, r, "/demands/"+slug+"#dhistory-h", "Follow-up recorded: "+u.State.Label()+".")
		}
		if errs, conflict, err = refused(err); err != nil {
			return err
		}
	}
	d, err := s.db.Demand(ctx, slug)
	if err != nil {
		return err
	}
	status := http.StatusUnprocessableEntity
	if conflict == "" {
		d.Version = u.Version // keep the version the user read, so a resubmission is still checked
	} else {
		status = http.StatusConflict
	}
	opts, err := s.demandClauseOptions(r, d)
	if err != nil {
		return err
	}
	files, err := s.attachments(ctx, postgres.AttachmentsOf{Demand: slug})
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.DemandPage(d, &web.DemandForm{Update: u, Errors: errs, Conflict: conflict, Clauses: opts}, web.Files{List: files}))
}

// The demand API shapes.

type apiDemandEntry struct {
	State        tracker.DemandState `json:"state"`
	Label        string              `json:"label"`
	EffectiveOn  string              `json:"effective_on"` // "2018", "2018-05" or "2018-05-14"
	DatedBy      *string             `json:"dated_by"`
	VerifiedOn   *string             `json:"verified_on,omitempty"` // staff reads of one demand only
	Note         string              `json:"note"`
	SourceURL    *string             `json:"source_url"`
	SourceClause *apiClauseRef       `json:"source_clause"`
	RecordedAt   string              `json:"recorded_at"`
	Corrects     *int64              `json:"corrects"`
	CorrectedBy  *int64              `json:"corrected_by"`
	ID           int64               `json:"id"`
}

type apiTarget struct {
	Type tracker.EntityType `json:"type"`
	Slug string             `json:"slug"`
	Name string             `json:"name"`
	URL  string             `json:"url"`
}

type apiDemand struct {
	Slug         string               `json:"slug"`
	URL          string               `json:"url"`
	Resolution   string               `json:"resolution"`
	Clause       string               `json:"clause"` // eid
	ClauseLabel  string               `json:"clause_label"`
	Action       tracker.DemandAction `json:"action"`
	ActionLabel  string               `json:"action_label"`
	Wording      string               `json:"wording"`
	Start        int                  `json:"start"`
	End          int                  `json:"end"`
	Targets      []apiTarget          `json:"targets"`
	CurrentState *apiDemandEntry      `json:"current_state"`
	History      []apiDemandEntry     `json:"history"`
	Version      int                  `json:"version"`
}

func toAPIDemandEntry(e tracker.DemandEntry) apiDemandEntry {
	out := apiDemandEntry{ID: e.ID, State: e.State, Label: e.State.Label(), EffectiveOn: e.EffectiveOn.String(), DatedBy: orNull(e.DatedBy), Note: e.Note,
		SourceURL: orNull(e.SourceURL), RecordedAt: e.RecordedAt.UTC().Format("2006-01-02T15:04:05Z"), Corrects: idOrNull(e.Supersedes), CorrectedBy: idOrNull(e.SupersededBy)}
	if e.SourceClause != nil {
		ref := toAPIClauseRef(*e.SourceClause)
		out.SourceClause = &ref
	}
	return out
}

func toAPIDemand(d tracker.Demand) apiDemand {
	out := apiDemand{Slug: d.Slug, URL: "/demands/" + d.Slug, Resolution: d.Clause.ResolutionSlug, Clause: d.Clause.EID,
		ClauseLabel: tracker.KindLabel(d.Clause.Kind, d.Clause.Label), Action: d.Action, ActionLabel: d.Action.Label(),
		Wording: d.Wording, Start: d.Start, End: d.End, Targets: make([]apiTarget, len(d.Targets)), History: make([]apiDemandEntry, len(d.History)),
		Version: d.Version}
	for i, t := range d.Targets {
		out.Targets[i] = apiTarget{Type: t.Type, Slug: t.Slug, Name: t.Name, URL: t.Type.Path(t.Slug)}
	}
	for i, e := range d.History {
		out.History[i] = toAPIDemandEntry(e)
	}
	if cur, ok := d.Current(); ok {
		e := toAPIDemandEntry(cur)
		out.CurrentState = &e
	}
	return out
}

func toAPIDemands(ds []tracker.Demand) []apiDemand {
	out := make([]apiDemand, len(ds))
	for i, d := range ds {
		out[i] = toAPIDemand(d)
	}
	return out
}

func (s *Server) apiDemands(w http.ResponseWriter, r *http.Request) error {
	sb, err := s.db.Scoreboard(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	var all []tracker.Demand
	for _, p := range sb.Paragraphs {
		all = append(all, p.Demands...)
	}
	counts := map[tracker.DemandState]int{}
	for _, st := range tracker.DemandStates {
		counts[st.Code] = sb.Counts[st.Code]
	}
	var last *string
	if !sb.LastChange.IsZero() {
		v := sb.LastChange.String()
		last = &v
	}
	return writeJSON(w, http.StatusOK, map[string]any{"items": toAPIDemands(all), "total": sb.Total, "counts": counts, "last_change": last})
}

func (s *Server) apiDemand(w http.ResponseWriter, r *http.Request) error {
	d, err := s.db.Demand(r.Context(), chi.URLParam(r, "slug"))
	if err != nil {
		return err
	}
	return writeJSON(w, http.StatusOK, withDemandStaffFields(r.Context(), toAPIDemand(d), d))
}

// withDemandStaffFields adds, for staff, the day each entry was last checked.
func withDemandStaffFields(ctx context.Context, out apiDemand, d tracker.Demand) apiDemand {
	if currentUser(ctx) == nil {
		return out
	}
	for i := range out.History {
		out.History[i].VerifiedOn = dayOrNull(d.History[i].VerifiedOn)
	}
	if cur, ok := d.Current(); ok && out.CurrentState != nil {
		out.CurrentState.VerifiedOn = dayOrNull(cur.VerifiedOn)
	}
	return out
}

type apiDemandWrite struct {
	Version      int                 `json:"version"`
	State        tracker.DemandState `json:"state"`
	EffectiveOn  string              `json:"effective_on"` // "2018", "2018-05" or "2018-05-14"
	DatedBy      string              `json:"dated_by"`
	VerifiedOn   string              `json:"verified_on"`
	Note         string              `json:"note"`
	SourceURL    string              `json:"source_url"`
	SourceClause string              `json:"source_clause"`
	Supersedes   int64               `json:"supersedes"`
}

func (s *Server) apiAddDemandState(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	var in apiDemandWrite
	if err := decodeJSON(r, &in); err != nil {
		return err
	}
	u := tracker.DemandUpdate{DemandSlug: slug, Version: in.Version, State: in.State, EffectiveOn: in.EffectiveOn, DatedBy: in.DatedBy,
		VerifiedOn: in.VerifiedOn, Note: in.Note, SourceURL: in.SourceURL, SourceClause: in.SourceClause, Supersedes: in.Supersedes}
	on, errs := u.Validate(time.Now())
	if errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	id, err := s.db.AppendDemandState(ctx, actor(ctx), u, on)
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		if d, rerr := s.db.Demand(ctx, slug); rerr == nil {
			return writeConflict(w, err, d.Version)
		}
	}
	if err != nil {
		return err
	}
	answer := map[string]any{"id": id, "version": nil, "demand": nil}
	s.readBack(r, func(ctx context.Context) error {
		d, err := s.db.Demand(ctx, slug)
		if err == nil {
			answer["version"], answer["demand"] = d.Version, withDemandStaffFields(ctx, toAPIDemand(d), d)
		}
		return err
	})
	return writeJSON(w, http.StatusCreated, answer)
}
