package postgres

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// CSVRow is one row of the people or cases CSV: a record's slug, name, current status with
// the date of the entry that set it, the clauses that cite it ("resolution#eid",
// space-separated), a person's role and place, and, for a case, its facts as the public may
// see them (the facility only where staff made it public).
type CSVRow struct {
	Slug, Name, Status, Clauses string
	Role, Place                 string
	Since                       tracker.When // zero when there is no status
	DatedBy                     string       // what the date rests on, when the source gives no date of the event
	Facts                       tracker.Facts
}

// personSinceSQL is the latest current status entry of person x among their live cases:
// the entry whose status is x.current_status (migration 0029 picks it the same way). A
// record with no status has no such entry: the first condition, a one-time filter, skips
// the look-up for it (half the CSV's time for the 11,000 of 20,000 generated people
// without a status).
const personSinceSQL = `LEFT JOIN LATERAL (SELECT se.effective_on, se.effective_precision, se.dated_by FROM status_entries se
  JOIN case_people j ON j.case_id = se.case_id JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
  WHERE x.current_status <> '' AND j.person_id = x.id AND ` + notSuperseded + ` ORDER BY se.effective_on DESC, se.id DESC LIMIT 1) cur ON true`

// caseSinceSQL is the latest current status entry of case x.
const caseSinceSQL = `LEFT JOIN LATERAL (SELECT se.effective_on, se.effective_precision, se.dated_by FROM status_entries se
  WHERE x.current_status <> '' AND se.case_id = x.id AND ` + notSuperseded + ` ORDER BY se.effective_on DESC, se.id DESC LIMIT 1) cur ON true`

// CSVRows streams one row per person or case that passes the filter f, in name order: the
// same filter, read from the same query parameters, as the index page it is linked from.
func (db *DB) CSVRows(ctx context.Context, t tracker.EntityType, f tracker.Filter, fn func(CSVRow) error) error {
	if err := f.Validate(); err != nil {
		return err
	}
	where, args := filterSQL(t, f, "")
	var q string
	switch t {
	case tracker.PersonEntity:
		q = `SELECT x.slug, x.name, x.current_status, cur.effective_on, COALESCE(cur.effective_precision, 'day'), COALESCE(cur.dated_by, ''),
		       COALESCE((SELECT string_agg(DISTINCT r.slug || '#' || c.eid, ' ') FROM mentions m JOIN clauses c ON c.id = m.clause_id
		                 JOIN resolutions r ON r.id = c.resolution_id WHERE m.person_id = x.id), ''),
		       x.role, x.place,
		       NULL::date, 'day', NULL::date, 'day', NULL::date, NULL::date, '', '', '', NULL::integer, '', '[]'::json
		     FROM people x ` + personSinceSQL + where + ` ORDER BY x.name, x.slug`
	case tracker.CaseEntity:
		k := strings.NewReplacer("k.", "x.")
		q = `SELECT x.slug, x.title, x.current_status, cur.effective_on, COALESCE(cur.effective_precision, 'day'), COALESCE(cur.dated_by, ''),
		       COALESCE((SELECT string_agg(DISTINCT r.slug || '#' || c.eid, ' ') FROM mentions m JOIN clauses c ON c.id = m.clause_id
		                 JOIN resolutions r ON r.id = c.resolution_id WHERE m.case_id = x.id), ''),
		       '', '',
		       ` + k.Replace(factDateColumns) + `, x.court, x.case_number, x.sentence, x.sentence_months,
		       x.public_facility, ` + strings.ReplaceAll(chargesJSON, "ch.case_id = k.id", "ch.case_id = x.id") + `
		     FROM cases x ` + caseSinceSQL + where + ` ORDER BY x.title, x.slug`
	default:
		return fmt.Errorf("no CSV for %s", t)
	}
	rows, _ := db.read(ctx).Query(ctx, q, args...)
	var r CSVRow
	var d factDates
	var since *time.Time
	var precision tracker.Precision
	var charges []byte
	f2 := &r.Facts
	targets := append(append([]any{&r.Slug, &r.Name, &r.Status, &since, &precision, &r.DatedBy, &r.Clauses, &r.Role, &r.Place}, d.targets()...),
		&f2.Court, &f2.CaseNumber, &f2.Sentence, &f2.SentenceMonths, &f2.Facility, &charges)
	_, err := pgx.ForEachRow(rows, targets, func() error {
		d.set(f2)
		f2.FacilityPublic = f2.Facility != ""
		r.Since = tracker.When{}
		if since != nil && r.Status != "" {
			r.Since = tracker.MakeWhen(*since, precision)
		}
		var err error
		if f2.Charges, err = decodeCharges(charges); err != nil {
			return err
		}
		return fn(r)
	})
	return translate(err, string(t))
}
