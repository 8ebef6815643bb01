package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// EditResolutionText changes which text a resolution is (stage, document reference, its own
// date) and its official link, in one transaction with its audit entry; a form read at an
// older version is refused (ECONFLICT), and a stage and reference another text of the same
// procedure already has is refused beside the field.
func (db *DB) EditResolutionText(ctx context.Context, a Actor, e tracker.TextEdit) error {
	on, errs := e.Validate()
	if errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	return db.writeTracked(ctx, func(tx pgx.Tx) error {
		var before struct {
			Stage       tracker.Stage `json:"stage"`
			Reference   string        `json:"reference"`
			TextDate    *time.Time    `json:"text_date"`
			OfficialURL string        `json:"official_url"`
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT stage, reference, text_date, official_url, version FROM resolutions WHERE slug = $1 FOR UPDATE`, e.Slug).
			Scan(&before.Stage, &before.Reference, &before.TextDate, &before.OfficialURL, &version)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracker.Errorf(tracker.ENOTFOUND, "No such resolution.")
		} else if err != nil {
			return fmt.Errorf("read resolution %s: %w", e.Slug, err)
		}
		if version != e.Version {
			return tracker.Errorf(tracker.ECONFLICT, "Someone changed this resolution's details since you opened the form: they are shown below; make your change again.")
		}
		_, err = tx.Exec(ctx, `UPDATE resolutions SET stage = $2, reference = $3, text_date = $4, official_url = $5, version = version + 1 WHERE slug = $1`,
			e.Slug, e.Stage, e.Reference, nullDate(on), e.OfficialURL)
		if err != nil {
			if code := tracker.ErrorCode(translate(err, "resolution")); code == tracker.ECONFLICT {
				return &tracker.ValidationError{Fields: tracker.FieldErrors{"reference": "Another text of this procedure is stored as this stage with this number."}}
			}
			return fmt.Errorf("update resolution %s: %w", e.Slug, err)
		}
		after := map[string]any{"stage": e.Stage, "reference": e.Reference, "text_date": nullDate(on), "official_url": e.OfficialURL}
		return audit(ctx, tx, a, "edit text details", "resolution", e.Slug, before, after)
	})
}

// CarryOver reads a text with the demands of the other texts of its procedure that it
// could take over (tracker.CarryCandidates).
func (db *DB) CarryOver(ctx context.Context, slug string) (tracker.Resolution, []tracker.CarryCandidate, error) {
	res, err := db.Resolution(ctx, slug)
	if err != nil {
		return res, nil, err
	}
	var others []tracker.Demand
	carried := map[string]bool{}
	b := &pgx.Batch{}
	queueDemands(b, demandSelect+` WHERE r.procedure = $1 AND r.id <> $2`+demandOrder, &others, res.Procedure, res.ID)
	b.Queue(`SELECT f.slug FROM demands d JOIN demands f ON f.id = d.carried_from JOIN clauses c ON c.id = d.clause_id WHERE c.resolution_id = $1`, res.ID).
		Query(func(rows pgx.Rows) error {
			slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
			for _, s := range slugs {
				carried[s] = true
			}
			return err
		})
	if err := translate(db.read(ctx).SendBatch(ctx, b).Close(), "resolution"); err != nil {
		return res, nil, err
	}
	return res, tracker.CarryCandidates(res.Clauses, others, carried), nil
}

// CarryOverDemands carries the demands named by slug over to the text slug, in one
// transaction with an audit entry each: each becomes a demand of the text's clause of the
// same eId, with its words, action and targets, recording the demand it continues, its
// state "unknown" from the day of the vote until someone assesses it. A demand that is not
// (or no longer) a candidate refuses the whole change beside the field.
func (db *DB) CarryOverDemands(ctx context.Context, a Actor, slug string, demands []string) (int, error) {
	if len(demands) == 0 {
		return 0, &tracker.ValidationError{Fields: tracker.FieldErrors{"demand": "Tick the demands to carry over."}}
	}
	res, candidates, err := db.CarryOver(ctx, slug)
	if err != nil {
		return 0, err
	}
	bySlug := map[string]tracker.CarryCandidate{}
	for _, c := range candidates {
		bySlug[c.Demand.Slug] = c
	}
	n := 0
	err = db.writeTracked(ctx, func(tx pgx.Tx) error {
		n = 0
		for _, s := range demands {
			c, ok := bySlug[s]
			if !ok {
				return &tracker.ValidationError{Fields: tracker.FieldErrors{"demand": "Demand " + s + " cannot be carried over to this text: its clause here lacks its words, or it is carried over already."}}
			}
			var id int64
			var newSlug string
			err := tx.QueryRow(ctx, `INSERT INTO demands (slug, clause_id, position, action, wording, start_at, end_at, carried_from)
				SELECT $1 || '-' || replace(replace(c.eid, '__', '-'), '_', '-') || '-' || (COALESCE(max(d.position), 0) + 1), c.id, COALESCE(max(d.position), 0) + 1, $4, $5, $6, $7, $8
				FROM clauses c LEFT JOIN demands d ON d.clause_id = c.id WHERE c.resolution_id = $2 AND c.eid = $3 GROUP BY c.id
				RETURNING id, slug`, res.Slug, res.ID, c.Clause.EID, c.Demand.Action, c.Demand.Wording, c.Start, c.End, c.Demand.ID).Scan(&id, &newSlug)
			if err != nil {
				return fmt.Errorf("carry demand %s over: %w", s, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO demand_targets (demand_id, person_id, organisation_id, legal_provision_id, case_id)
				SELECT $1, person_id, organisation_id, legal_provision_id, case_id FROM demand_targets WHERE demand_id = $2`, id, c.Demand.ID); err != nil {
				return fmt.Errorf("copy the targets of demand %s: %w", s, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO demand_state_entries (demand_id, state, effective_on, note, recorded_by, recorded_by_name)
				VALUES ($1, 'unknown', $2, $3, $4, $5)`, id, res.AdoptedOn, "Carried over by review from demand "+s+".", a.id(), a.Name); err != nil {
				return fmt.Errorf("start the state of demand %s: %w", newSlug, err)
			}
			if err := audit(ctx, tx, a, "carry over demand", "demand", newSlug, nil, map[string]any{"from": s, "resolution": res.Slug, "clause": c.Clause.EID}); err != nil {
				return err
			}
			n++
		}
		return nil
	})
	return n, editError(err, "demand")
}
