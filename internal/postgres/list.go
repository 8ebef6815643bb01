package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// notSuperseded keeps the status entries no correction has replaced; "se" is the entry.
const notSuperseded = `NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)`

// summarySQL lists every entity of a type with its latest case status and how many
// clauses cite it, ordered by name.
var summarySQL = map[tracker.EntityType]string{
	tracker.PersonEntity: `
SELECT 'person', x.slug, x.name, x.aliases, x.name_ru, x.name_kk, x.role, x.place, x.current_status,
       (SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.person_id = x.id), 0
FROM people x WHERE x.retired_at IS NULL ORDER BY x.name, x.slug
LIMIT $1 OFFSET $2`,
	tracker.OrganisationEntity: `
SELECT 'organisation', x.slug, x.name, x.aliases, x.name_ru, x.name_kk, x.kind, '',
       COALESCE((SELECT se.status FROM status_entries se JOIN case_organisations j ON j.case_id = se.case_id
                 JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
                 WHERE j.organisation_id = x.id AND ` + notSuperseded + ` ORDER BY se.effective_on DESC, se.id DESC LIMIT 1), ''),
       (SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.organisation_id = x.id), 0
FROM organisations x WHERE x.retired_at IS NULL ORDER BY x.name, x.slug
LIMIT $1 OFFSET $2`,
	tracker.LegalProvisionEntity: `
SELECT 'legal_provision', x.slug, x.name, x.aliases, x.name_ru, x.name_kk, x.notes, '', '',
       (SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.legal_provision_id = x.id),
       (SELECT count(*) FROM case_legal_provisions cl JOIN cases k ON k.id = cl.case_id AND k.retired_at IS NULL
        WHERE cl.legal_provision_id = x.id)
FROM legal_provisions x WHERE x.retired_at IS NULL ORDER BY x.name, x.slug
LIMIT $1 OFFSET $2`,
	tracker.CaseEntity: `
SELECT 'case', x.slug, x.title, '{}'::text[], '', '', x.summary, '', x.current_status,
       (SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.case_id = x.id), 0
FROM cases x WHERE x.retired_at IS NULL ORDER BY x.title, x.slug
LIMIT $1 OFFSET $2`,
}

func scanSummary(row pgx.CollectableRow) (tracker.EntitySummary, error) {
	var s tracker.EntitySummary
	err := row.Scan(&s.Type, &s.Slug, &s.Name, &s.Aliases, &s.Names.RU, &s.Names.KK, &s.Detail, &s.Place, &s.Status, &s.Clauses, &s.Cases)
	return s, err
}

// countSQL counts every entity of a type, for the total beside a page of them.
var countSQL = map[tracker.EntityType]string{
	tracker.PersonEntity:         `SELECT count(*) FROM people WHERE retired_at IS NULL`,
	tracker.OrganisationEntity:   `SELECT count(*) FROM organisations WHERE retired_at IS NULL`,
	tracker.LegalProvisionEntity: `SELECT count(*) FROM legal_provisions WHERE retired_at IS NULL`,
	tracker.CaseEntity:           `SELECT count(*) FROM cases WHERE retired_at IS NULL`,
}

// Summaries lists one page of the entities of type t, in name order, and how many there
// are in all; the two queries travel in one round trip.
func (db *DB) Summaries(ctx context.Context, t tracker.EntityType, page tracker.Page) ([]tracker.EntitySummary, int, error) {
	var list []tracker.EntitySummary
	var total int
	b := &pgx.Batch{}
	b.Queue(summarySQL[t], page.Limit(), page.Offset()).Query(func(rows pgx.Rows) error {
		var err error
		list, err = pgx.CollectRows(rows, scanSummary)
		return err
	})
	b.Queue(countSQL[t]).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	err := db.read(ctx).SendBatch(ctx, b).Close()
	return list, total, translate(err, string(t))
}

// resolutionSummarySQL counts, for the resolutions the inner query picks, their clauses,
// the people they name and how their demands stand. Retired people are left out by
// comparing with the few retired ids (one hashed list, from a partial index, migration
// 0030) rather than reading each named person's row: at 2,000 resolutions and a million
// mentions, a page of 20 read 10,000 rows and took 29 ms instead of 11. The people are
// counted from an index of (clause, person) alone (migration 0037: "person_id IS NOT
// NULL" lets PostgreSQL use it; count(DISTINCT) ignores no person anyway), which took
// the page's query from 10.9 ms to 3.7. Each demand's current state is read once
// ("OFFSET 0" keeps PostgreSQL from copying the look-up into each of the five counts).
func resolutionSummarySQL(inner string) string {
	return `
SELECT r.slug, r.procedure, r.title, r.adopted_on, cc.citations, cc.recitals, cc.paragraphs, pc.people,
       ds.total, ds.met, ds.partly, ds.not_met, ds.unknown, r.stage, r.reference, r.text_date, r.official_url
FROM (` + inner + `) r
CROSS JOIN LATERAL (
    SELECT count(*) FILTER (WHERE c.kind = 'citation') AS citations, count(*) FILTER (WHERE c.kind = 'recital') AS recitals,
           count(*) FILTER (WHERE c.kind = 'paragraph') AS paragraphs
    FROM clauses c WHERE c.resolution_id = r.id) cc
CROSS JOIN LATERAL (
    SELECT count(DISTINCT m.person_id) AS people FROM mentions m JOIN clauses mc ON mc.id = m.clause_id
    WHERE mc.resolution_id = r.id AND m.person_id IS NOT NULL AND m.person_id NOT IN (SELECT id FROM people WHERE retired_at IS NOT NULL)) pc
CROSS JOIN LATERAL (
    SELECT count(*) AS total, count(*) FILTER (WHERE st.state = 'met') AS met,
           count(*) FILTER (WHERE st.state = 'partly_met') AS partly, count(*) FILTER (WHERE st.state = 'not_met') AS not_met,
           count(*) FILTER (WHERE st.state IS NULL OR st.state = 'unknown') AS unknown
    FROM demands d JOIN clauses dc ON dc.id = d.clause_id
    CROSS JOIN LATERAL (SELECT ` + currentDemandState + ` AS state OFFSET 0) st
    WHERE dc.resolution_id = r.id) ds
ORDER BY r.adopted_on DESC, r.id DESC`
}

// resolutionsSQL is one page of the resolutions, newest first ($1 the limit, $2 the offset).
// The limit and offset are read through subqueries, which hide their values from the
// planner for every page alike: with "LIMIT $1" a plan made for the values always looked
// cheaper than the kept one, so each view was planned anew (2-3 ms at 2,000 resolutions,
// more than half of running it); now the statement's plan is made once and reused.
var resolutionsSQL = resolutionSummarySQL(`SELECT * FROM resolutions ORDER BY adopted_on DESC, id DESC LIMIT (SELECT $1::int) OFFSET (SELECT $2::int)`)

func scanResolutionSummary(row pgx.CollectableRow) (tracker.ResolutionSummary, error) {
	var r tracker.ResolutionSummary
	var textDate *time.Time
	err := row.Scan(&r.Slug, &r.Procedure, &r.Title, &r.AdoptedOn, &r.Citations, &r.Recitals, &r.Paragraphs, &r.People,
		&r.Demands, &r.Met, &r.PartlyMet, &r.NotMet, &r.Unassessed, &r.Stage, &r.Reference, &textDate, &r.OfficialURL)
	r.TextDate = deref(textDate)
	return r, err
}

// Resolutions lists one page of the resolutions, newest first, with their clause counts
// and how their demands stand, and how many resolutions there are. The counts are made
// for the page's resolutions only: with thousands of resolutions and a million mentions,
// counting for all of them took seconds.
func (db *DB) Resolutions(ctx context.Context, page tracker.Page) ([]tracker.ResolutionSummary, int, error) {
	var list []tracker.ResolutionSummary
	var total int
	b := &pgx.Batch{}
	b.Queue(resolutionsSQL, page.Limit(), page.Offset()).Query(func(rows pgx.Rows) error {
		var err error
		list, err = pgx.CollectRows(rows, scanResolutionSummary)
		return err
	})
	b.Queue(`SELECT count(*) FROM resolutions`).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	err := db.read(ctx).SendBatch(ctx, b).Close()
	return list, total, translate(err, "resolution")
}

// homeResolutionsSQL is the home page's newest resolutions, three of them. The home page's
// queries take no parameter, so their prepared plans are made once and reused: planning
// the latest changes took 12-20 ms on every view at 20,000 people, and running it 1.5 ms.
var homeResolutionsSQL = resolutionSummarySQL(`SELECT * FROM resolutions ORDER BY adopted_on DESC, id DESC LIMIT 3`)

// homeChanges is how many of the latest dated changes the home page lists.
const homeChanges = "8"

// changesSQL is the latest dated changes, newest first: the status entries
// of live cases and the assessments of demands (an "unknown" entry assesses nothing) that
// no correction has replaced, each with whom it is about. Each half walks its own index
// on the effective date (migration 0033) and stops after homeChanges rows that pass.
var changesSQL = strings.ReplaceAll(`
SELECT 'status' AS kind, s.effective_on, s.effective_precision, s.dated_by, s.id, s.status, s.slug, s.title,
       COALESCE(w.type, ''), COALESCE(w.slug, ''), COALESCE(w.name, '')
FROM (SELECT se.id, se.effective_on, se.effective_precision, se.dated_by, se.status, k.id AS case_id, k.slug, k.title
      FROM status_entries se JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
      WHERE `+notSuperseded+`
      ORDER BY se.effective_on DESC, se.id DESC LIMIT $n) s
LEFT JOIN LATERAL (
    SELECT * FROM (
        SELECT 'person' AS type, p.slug, p.name, 0 AS rank FROM case_people cp JOIN people p ON p.id = cp.person_id AND p.retired_at IS NULL WHERE cp.case_id = s.case_id
        UNION ALL
        SELECT 'organisation', o.slug, o.name, 1 FROM case_organisations co JOIN organisations o ON o.id = co.organisation_id AND o.retired_at IS NULL WHERE co.case_id = s.case_id) x
    ORDER BY x.rank, x.name, x.slug LIMIT 1) w ON true
UNION ALL
SELECT 'demand', s.effective_on, s.effective_precision, s.dated_by, s.id, s.state, s.slug, s.wording,
       COALESCE(t.type, ''), COALESCE(t.slug, ''), COALESCE(t.name, '')
FROM (SELECT e.id, e.effective_on, e.effective_precision, e.dated_by, e.state, d.id AS demand_id, d.slug, d.wording
      FROM demand_state_entries e JOIN demands d ON d.id = e.demand_id
      WHERE e.state <> 'unknown' AND NOT EXISTS (SELECT 1 FROM demand_state_entries c WHERE c.supersedes_id = e.id)
      ORDER BY e.effective_on DESC, e.id DESC LIMIT $n) s
LEFT JOIN LATERAL (SELECT r.type, r.slug, r.name FROM demand_target_refs r WHERE r.demand_id = s.demand_id ORDER BY r.id LIMIT 1) t ON true
ORDER BY 2 DESC, 1 DESC, 5 DESC LIMIT $n`, "$n", homeChanges)

// Overview reads the home page's figures in one round trip: the newest resolutions with
// their follow-up (the same query as the resolutions index), the counts the triggers keep,
// people per current status, and the latest dated changes. Nothing in it grows with the
// number of people.
func (db *DB) Overview(ctx context.Context) (tracker.Overview, error) {
	var o tracker.Overview
	b := &pgx.Batch{}
	b.Queue(homeResolutionsSQL).Query(func(rows pgx.Rows) error {
		var err error
		o.Resolutions, err = pgx.CollectRows(rows, scanResolutionSummary)
		return err
	})
	b.Queue(`SELECT count(*) FROM resolutions`).QueryRow(func(row pgx.Row) error { return row.Scan(&o.ResolutionCount) })
	// People and cases are counted from the status counts the triggers keep (every record
	// has one, "" for none): counting 100,000 rows on every home page view cost 20 ms.
	b.Queue(`SELECT (SELECT COALESCE(sum(n), 0)::bigint FROM facet_counts WHERE entity = 'person' AND facet = 'status'), (SELECT count(*) FROM organisations WHERE retired_at IS NULL),
	                (SELECT count(*) FROM legal_provisions WHERE retired_at IS NULL), (SELECT COALESCE(sum(n), 0)::bigint FROM facet_counts WHERE entity = 'case' AND facet = 'status')`).
		QueryRow(func(row pgx.Row) error {
			return row.Scan(&o.People, &o.Organisations, &o.LegalProvisions, &o.Cases)
		})
	// People per current status, in vocabulary order and "" (none recorded) last, from the
	// counts the triggers keep: the same counts as the people index's status facet.
	b.Queue(`SELECT fc.value, fc.n FROM facet_counts fc LEFT JOIN case_statuses cs ON cs.code = fc.value
WHERE fc.entity = 'person' AND fc.facet = 'status' AND fc.n > 0 ORDER BY cs.position NULLS LAST`).Query(func(rows pgx.Rows) error {
		var err error
		o.ByStatus, err = pgx.CollectRows(rows, func(row pgx.CollectableRow) (tracker.StatusCount, error) {
			var s tracker.StatusCount
			return s, row.Scan(&s.Status, &s.Count)
		})
		return err
	})
	b.Queue(changesSQL).Query(func(rows pgx.Rows) error {
		var err error
		o.Changes, err = pgx.CollectRows(rows, scanChange)
		return err
	})
	return o, translate(db.read(ctx).SendBatch(ctx, b).Close(), "overview")
}

func scanChange(row pgx.CollectableRow) (tracker.Change, error) {
	var c tracker.Change
	var on time.Time
	var precision, code, whomType string
	var id int64
	err := row.Scan(&c.Kind, &on, &precision, &c.DatedBy, &id, &code, &c.Slug, &c.Title, &whomType, &c.Whom.Slug, &c.Whom.Name)
	c.On = tracker.MakeWhen(on, tracker.Precision(precision))
	c.Whom.Type = tracker.EntityType(whomType)
	if c.Kind == tracker.StatusEntryChange {
		c.Status = tracker.Status(code)
	} else {
		c.State = tracker.DemandState(code)
	}
	return c, err
}
