package postgres

import (
	"context"
	"strconv"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// currentDemandState is the state in force of demand d: its latest entry no correction
// replaces (NULL while it has none), as the scoreboard counts it.
const currentDemandState = `(SELECT e.state FROM demand_state_entries e WHERE e.demand_id = d.id
        AND NOT EXISTS (SELECT 1 FROM demand_state_entries s WHERE s.supersedes_id = e.id)
        ORDER BY e.effective_on DESC, e.id DESC LIMIT 1)`

// queueSQL is each work queue as one query of (title, url, detail, on, and the keys it is
// ordered by): the dashboard's count and the queue's page read the same query, so a list
// always holds exactly what its count says. A retired record is no work to do: it is in none.
var queueSQL = map[tracker.Queue]struct{ rows, order string }{
	tracker.QueueUnassessedDemands: {`SELECT left(d.wording, 200) AS title, '/demands/' || d.slug AS url,
			r.procedure || ', paragraph ' || c.label AS detail, NULL::date AS on_date, r.adopted_on AS k1, c.position AS k2, d.position AS k3
		FROM demands d JOIN clauses c ON c.id = d.clause_id JOIN resolutions r ON r.id = c.resolution_id
		WHERE COALESCE(` + currentDemandState + `, 'unknown') = 'unknown'`, `k1 DESC, k2, k3`},
	tracker.QueuePeopleWithoutCase: {`SELECT p.name AS title, '/people/' || p.slug AS url, p.role AS detail, NULL::date AS on_date, p.id AS k1
		FROM people p WHERE p.retired_at IS NULL
		  AND NOT EXISTS (SELECT 1 FROM case_people cp JOIN cases k ON k.id = cp.case_id AND k.retired_at IS NULL WHERE cp.person_id = p.id)`, `title, k1`},
	tracker.QueueCasesWithoutStatus: {`SELECT k.title AS title, '/cases/' || k.slug AS url, k.summary AS detail, NULL::date AS on_date, k.id AS k1
		FROM cases k WHERE k.retired_at IS NULL AND NOT EXISTS (SELECT 1 FROM status_entries se WHERE se.case_id = k.id)`, `title, k1`},
	tracker.QueueUnsourcedEntries: {`SELECT k.title AS title, '/cases/' || k.slug || '#timeline-h' AS url, st.label AS detail, se.effective_on AS on_date, se.id AS k1
		FROM status_entries se JOIN cases k ON k.id = se.case_id JOIN case_statuses st ON st.code = se.status
		WHERE k.retired_at IS NULL AND se.source_url = '' AND se.source_clause_id IS NULL`, `on_date DESC, k1 DESC`},
	tracker.QueueOpenImports: {`SELECT d.procedure || ' ' || d.title AS title, '/admin/imports/' || d.id AS url, 'started by ' || d.created_by_name AS detail,
			d.updated_at::date AS on_date, d.id AS k1
		FROM import_drafts d WHERE d.state = 'draft'`, `on_date DESC, k1 DESC`},
	// A case with both a hearing and a release date in the window is listed for each.
	tracker.QueueComingUp: {`SELECT k.title AS title, '/cases/' || k.slug AS url, v.what AS detail, v.on_date AS on_date, k.id AS k1
		FROM cases k CROSS JOIN LATERAL (VALUES ('Next hearing', k.next_hearing_on), ('Release due', k.release_due_on)) AS v (what, on_date)
		WHERE k.retired_at IS NULL AND v.on_date BETWEEN current_date AND current_date + ` + strconv.Itoa(tracker.ComingUpDays), `on_date, title, k1`},
}

// QueueCounts counts every work queue, in the dashboard's order, in one round trip.
func (db *DB) QueueCounts(ctx context.Context) ([]tracker.QueueCount, error) {
	out := make([]tracker.QueueCount, len(tracker.Queues))
	b := &pgx.Batch{}
	for i, q := range tracker.Queues {
		out[i].QueueInfo = q
		b.Queue(`SELECT count(*) FROM (` + queueSQL[q.Name].rows + `) q`).QueryRow(func(row pgx.Row) error {
			return row.Scan(&out[i].Count)
		})
	}
	return out, translate(db.read(ctx).SendBatch(ctx, b).Close(), "work queues")
}

// QueueItems returns one page of a work queue and how many records it holds in all.
func (db *DB) QueueItems(ctx context.Context, q tracker.Queue, page tracker.Page) ([]tracker.QueueItem, int, error) {
	sql, ok := queueSQL[q]
	if !ok {
		return nil, 0, tracker.Errorf(tracker.ENOTFOUND, "There is no such work queue.")
	}
	var items []tracker.QueueItem
	var total int
	b := &pgx.Batch{}
	b.Queue(`SELECT count(*) FROM (` + sql.rows + `) q`).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	b.Queue(`SELECT title, url, COALESCE(detail, ''), on_date FROM (`+sql.rows+`) q ORDER BY `+sql.order+` LIMIT $1 OFFSET $2`,
		page.Limit(), page.Offset()).Query(func(rows pgx.Rows) error {
		var err error
		items, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.QueueItem, error) {
			var it tracker.QueueItem
			var on *time.Time
			err := r.Scan(&it.Title, &it.URL, &it.Detail, &on)
			it.On = deref(on)
			return it, err
		})
		return err
	})
	err := translate(db.read(ctx).SendBatch(ctx, b).Close(), "work queue")
	return items, total, err
}
