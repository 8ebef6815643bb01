package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// demandSelect reads demands with their clause, targets and full follow-up history.
var demandSelect = `
SELECT d.id, d.slug, d.action, d.wording, d.start_at, d.end_at, d.version,
       r.slug, r.procedure, c.kind, c.label, c.eid, c.text, r.title, r.adopted_on, r.stage, r.reference, r.text_date, r.official_url,
       COALESCE((SELECT json_agg(json_build_object('type', x.type, 'slug', x.slug, 'name', x.name) ORDER BY x.type, x.name)
                 FROM demand_targets t CROSS JOIN LATERAL ` + refOf("t") + ` x WHERE t.demand_id = d.id), '[]'),
       COALESCE((SELECT json_agg(json_build_object('id', e.id, 'state', e.state, 'effective_on', e.effective_on,
                 'precision', e.effective_precision, 'dated_by', e.dated_by, 'verified_on', e.verified_on,
                 'note', e.note, 'source_url', e.source_url, 'recorded_at', e.recorded_at, 'recorded_by', e.recorded_by_name,
                 'supersedes', COALESCE(e.supersedes_id, 0),
                 'superseded_by', COALESCE((SELECT max(e2.id) FROM demand_state_entries e2 WHERE e2.supersedes_id = e.id), 0),
                 'clause', ` + clauseRefOf("e.source_clause_id") + `)
                 ORDER BY e.effective_on, e.id)
                 FROM demand_state_entries e WHERE e.demand_id = d.id), '[]')
FROM demands d JOIN clauses c ON c.id = d.clause_id JOIN resolutions r ON r.id = c.resolution_id`

const demandOrder = ` ORDER BY r.adopted_on, r.id, c.position, d.position`

type demandEntryJSON struct {
	ID    int64               `json:"id"`
	State tracker.DemandState `json:"state"`
	entryDatesJSON
	Note         string         `json:"note"`
	SourceURL    string         `json:"source_url"`
	RecordedAt   time.Time      `json:"recorded_at"`
	RecordedBy   string         `json:"recorded_by"`
	Supersedes   int64          `json:"supersedes"`
	SupersededBy int64          `json:"superseded_by"`
	Clause       *clauseRefJSON `json:"clause"`
}

// clauseRefJSON is a source clause as the read queries build it, with which text of its
// procedure it comes from (textRefJSON), for its full citation.
type clauseRefJSON struct {
	ResolutionSlug string             `json:"resolution_slug"`
	Procedure      string             `json:"procedure"`
	Kind           tracker.ClauseKind `json:"kind"`
	Label          string             `json:"label"`
	EID            string             `json:"eid"`
	Text           string             `json:"text"`
	Title          string             `json:"title"`
	VoteDate       string             `json:"adopted_on"`
	Stage          tracker.Stage      `json:"stage"`
	Reference      string             `json:"reference"`
	TextDate       *string            `json:"text_date"`
	OfficialURL    string             `json:"official_url"`
}

// textRefJSON is the json_build_object arguments naming the text of resolution alias r.
func textRefJSON(r string) string {
	return `'title', ` + r + `.title, 'adopted_on', ` + r + `.adopted_on, 'stage', ` + r + `.stage, 'reference', ` + r + `.reference, 'text_date', ` + r + `.text_date, 'official_url', ` + r + `.official_url`
}

func (c *clauseRefJSON) ref() *tracker.ClauseRef {
	if c == nil {
		return nil
	}
	day := func(s string) time.Time { t, _ := time.Parse(time.DateOnly, s); return t }
	ref := &tracker.ClauseRef{ResolutionSlug: c.ResolutionSlug, ResolutionProcedure: c.Procedure, Kind: c.Kind, Label: c.Label, EID: c.EID, Text: c.Text,
		ResolutionTitle: c.Title, ResolutionDate: day(c.VoteDate), ResolutionStage: c.Stage, ResolutionReference: c.Reference, ResolutionOfficialURL: c.OfficialURL}
	if c.TextDate != nil {
		ref.ResolutionTextDate = day(*c.TextDate)
	}
	return ref
}

func scanDemand(row pgx.CollectableRow) (tracker.Demand, error) {
	var d tracker.Demand
	var targets, history []byte
	var textDate *time.Time
	if err := row.Scan(&d.ID, &d.Slug, &d.Action, &d.Wording, &d.Start, &d.End, &d.Version,
		&d.Clause.ResolutionSlug, &d.Clause.ResolutionProcedure, &d.Clause.Kind, &d.Clause.Label, &d.Clause.EID, &d.Clause.Text,
		&d.Clause.ResolutionTitle, &d.Clause.ResolutionDate, &d.Clause.ResolutionStage, &d.Clause.ResolutionReference, &textDate, &d.Clause.ResolutionOfficialURL,
		&targets, &history); err != nil {
		return d, err
	}
	d.Clause.ResolutionTextDate = deref(textDate)
	var refs []refJSON
	if err := json.Unmarshal(targets, &refs); err != nil {
		return d, fmt.Errorf("decode demand targets: %w", err)
	}
	d.Targets = make([]tracker.EntityRef, len(refs))
	for i, r := range refs {
		d.Targets[i] = tracker.EntityRef(r)
	}
	var es []demandEntryJSON
	if err := json.Unmarshal(history, &es); err != nil {
		return d, fmt.Errorf("decode demand history: %w", err)
	}
	for _, e := range es {
		on, verified, err := e.entryDatesJSON.dates()
		if err != nil {
			return d, fmt.Errorf("decode demand entry %d: %w", e.ID, err)
		}
		d.History = append(d.History, tracker.DemandEntry{ID: e.ID, State: e.State, EffectiveOn: on, DatedBy: e.DatedBy, VerifiedOn: verified, Note: e.Note, SourceURL: e.SourceURL,
			SourceClause: e.Clause.ref(), RecordedAt: e.RecordedAt, RecordedBy: e.RecordedBy, Supersedes: e.Supersedes, SupersededBy: e.SupersededBy})
	}
	return d, nil
}

// demandsAbout is the query for every demand targeting the entity of type t with slug $1.
func demandsAbout(t tracker.EntityType) string {
	e := entityTables[t]
	return demandSelect + `
WHERE d.id IN (SELECT dt.demand_id FROM demand_targets dt JOIN ` + e.table + ` x ON x.id = dt.` + e.mentionColumn + ` WHERE x.slug = $1)` + demandOrder
}

// queueDemands adds a demands query to a batch, collecting into dst.
func queueDemands(b *pgx.Batch, sql string, dst *[]tracker.Demand, args ...any) {
	b.Queue(sql, args...).Query(func(rows pgx.Rows) error {
		var err error
		*dst, err = pgx.CollectRows(rows, scanDemand)
		return err
	})
}

// Demand reads one demand with its history.
func (db *DB) Demand(ctx context.Context, slug string) (tracker.Demand, error) {
	rows, _ := db.read(ctx).Query(ctx, demandSelect+` WHERE d.slug = $1`, slug)
	d, err := pgx.CollectExactlyOneRow(rows, scanDemand)
	return d, notFoundAs(translate(err, "demand"), "demand")
}

// Scoreboard reads a resolution's demands, grouped under its clauses and counted by state.
func (db *DB) Scoreboard(ctx context.Context, slug string) (tracker.Scoreboard, error) {
	var rs []tracker.ResolutionSummary
	var res tracker.Resolution
	var demands []tracker.Demand
	b := &pgx.Batch{}
	b.Queue(resolutionSummarySQL(`SELECT * FROM resolutions WHERE slug = $1`), slug).Query(func(rows pgx.Rows) error {
		var err error
		rs, err = pgx.CollectRows(rows, scanResolutionSummary)
		return err
	})
	b.Queue(`SELECT c.kind, c.label, c.eid, c.position, c.text FROM clauses c JOIN resolutions r ON r.id = c.resolution_id
		WHERE r.slug = $1 AND c.kind IN ('paragraph', 'point') ORDER BY c.position`, slug).Query(func(rows pgx.Rows) error {
		var err error
		res.Clauses, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Clause, error) {
			var c tracker.Clause
			return c, r.Scan(&c.Kind, &c.Label, &c.EID, &c.Position, &c.Text)
		})
		return err
	})
	queueDemands(b, demandSelect+` WHERE r.slug = $1`+demandOrder, &demands, slug)
	if err := translate(db.read(ctx).SendBatch(ctx, b).Close(), "resolution"); err != nil {
		return tracker.Scoreboard{}, err
	}
	if len(rs) == 0 {
		return tracker.Scoreboard{}, tracker.Errorf(tracker.ENOTFOUND, "No resolution was found at this address.")
	}
	return tracker.NewScoreboard(rs[0], res.Clauses, demands), nil
}

// importDemands stores a dataset's demands for a newly stored resolution, each with the
// state the resolution reports, dated to its adoption: a state it reports says what it is
// dated by ("reported by the resolution of …"); "unknown" starts the day the demand was made.
func importDemands(ctx context.Context, tx pgx.Tx, resolutionID int64, adopted time.Time, demands []seed.Demand) (int, error) {
	n := 0
	for _, d := range demands {
		var id int64
		err := tx.QueryRow(ctx, `INSERT INTO demands (slug, clause_id, position, action, wording, start_at, end_at)
			SELECT $1, c.id, $3, $4, $5, $6, $7 FROM clauses c WHERE c.resolution_id = $2 AND c.eid = $8
			ON CONFLICT (slug) DO NOTHING RETURNING id`,
			d.Slug, resolutionID, d.Position, d.Action, d.Wording, d.Start, d.End, d.Clause).Scan(&id)
		if errors.Is(err, pgx.ErrNoRows) {
			continue
		} else if err != nil {
			return n, fmt.Errorf("insert demand %s: %w", d.Slug, err)
		}
		n++
		for _, t := range []struct {
			column, table string
			slugs         []string
		}{{"person_id", "people", d.Targets.People}, {"organisation_id", "organisations", d.Targets.Organisations},
			{"legal_provision_id", "legal_provisions", d.Targets.LegalProvisions}, {"case_id", "cases", d.Targets.Cases}} {
			if len(t.slugs) == 0 {
				continue
			}
			if _, err := tx.Exec(ctx, `INSERT INTO demand_targets (demand_id, `+t.column+`) SELECT $1, id FROM `+t.table+` WHERE slug = ANY($2)`, id, t.slugs); err != nil {
				return n, fmt.Errorf("insert targets of demand %s: %w", d.Slug, err)
			}
		}
		if _, err := tx.Exec(ctx, `INSERT INTO demand_state_entries (demand_id, state, effective_on, dated_by, note, source_clause_id)
			VALUES ($1, $2, $3, $4, $5, (SELECT id FROM clauses WHERE resolution_id = $6 AND eid = NULLIF($7, '')))`,
			id, d.State, adopted, d.StateDatedBy, d.StateNote, resolutionID, d.StateSource); err != nil {
			return n, fmt.Errorf("insert state of demand %s: %w", d.Slug, err)
		}
	}
	return n, nil
}

// AppendDemandState adds an entry to a demand's follow-up history, with the same version
// check, corrections and audit as case statuses.
func (db *DB) AppendDemandState(ctx context.Context, a Actor, u tracker.DemandUpdate, d tracker.EntryDates) (int64, error) {
	var id int64
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		demandID, clauseID, supersedes, err := prepareEntry(ctx, tx, demandHistory, u.DemandSlug, u.Version, u.SourceClause, u.Supersedes)
		if err != nil {
			return err
		}
		uid := a.id()
		if err := tx.QueryRow(ctx, `INSERT INTO demand_state_entries (demand_id, state, effective_on, effective_precision, dated_by, verified_on,
				note, source_url, source_clause_id, recorded_by, recorded_by_name, supersedes_id) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
			demandID, u.State, d.Effective.Start, d.Effective.Precision, strings.TrimSpace(u.DatedBy), verifiedOrNull(d.Verified),
			strings.TrimSpace(u.Note), strings.TrimSpace(u.SourceURL), clauseID, uid, a.Name, supersedes).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE demands SET version = version + 1, updated_at = now() WHERE id = $1`, demandID); err != nil {
			return err
		}
		action := "set state"
		if supersedes != nil {
			action = "correct state"
		}
		return audit(ctx, tx, a, action, "demand", u.DemandSlug, nil, map[string]any{"state": u.State, "effective_on": d.Effective.String(),
			"dated_by": strings.TrimSpace(u.DatedBy), "verified_on": verifiedText(d.Verified),
			"note": strings.TrimSpace(u.Note), "source_url": strings.TrimSpace(u.SourceURL), "source_clause": u.SourceClause, "supersedes": u.Supersedes})
	})
	return id, editError(err, "demand")
}

// sourceClauseID resolves "resolution-slug#eid" to a clause id; "" is no clause.
func sourceClauseID(ctx context.Context, tx pgx.Tx, ref string) (*int64, error) {
	if ref == "" {
		return nil, nil
	}
	res, eid, _ := strings.Cut(ref, "#")
	var id int64
	err := tx.QueryRow(ctx, `SELECT c.id FROM clauses c JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = $1 AND c.eid = $2`, res, eid).Scan(&id)
	if errors.Is(err, pgx.ErrNoRows) {
		return nil, &tracker.ValidationError{Fields: tracker.FieldErrors{"source_clause": "Choose a clause from the list."}}
	}
	return &id, err
}
