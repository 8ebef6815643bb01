package postgres

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// The public change log (/changes, the Atom feeds) reads four kinds of row, each from its
// own table, and merges them: status entries of cases that are not retired, demand state
// entries that assess something (an "unknown" entry assesses nothing, as on the home page),
// resolutions (each text of a procedure, entered when it was published or seeded), and the
// creations of people, cases, organisations and laws that the audit log records (by staff,
// or by publishing an import) of records not retired. Records the seed loaded have no
// creation entry and are not listed as created.
//
// Each kind's part walks its rows newest first in the chosen order and stops after a page;
// the merged list is ordered by (date, kind, id), all descending. A page starts after the
// last entry of the one before (a cursor of that key), so entries added meanwhile never
// shift a page: no entry is shown twice or skipped.

// logPart is one kind's part of the change log query: its columns (see logColumns), its
// FROM, and the expressions of its date in each order and of its id.
type logPart struct {
	kind      tracker.LogKind
	selectSQL string // the columns after the date
	from      string
	effective string // the date it happened (a date)
	recorded  string // when it was entered (a timestamptz)
	id        string
	where     []string
}

// logColumns are the columns every part gives, after its date: kind, id, effective date and
// precision, dated by, recorded, updated, code (status, state or stage, or a record's type),
// subject type, slug and name, note, supersedes, superseded by, the case and the demand it
// is about (for whom it concerns), and a resolution's procedure, reference, text date and
// date of the vote.
var logParts = map[tracker.LogKind]logPart{
	tracker.LogStatus: {
		kind: tracker.LogStatus,
		selectSQL: `se.id, se.effective_on, se.effective_precision, se.dated_by, se.recorded_at, GREATEST(se.recorded_at, c.recorded_at),
			se.status, 'case', k.slug, k.title, se.note, se.supersedes_id, c.id, k.id, NULL::bigint, '', '', NULL::date, NULL::date`,
		from: `status_entries se JOIN cases k ON k.id = se.case_id AND k.retired_at IS NULL
			LEFT JOIN LATERAL (SELECT c.id, c.recorded_at FROM status_entries c WHERE c.supersedes_id = se.id ORDER BY c.id LIMIT 1) c ON true`,
		effective: "se.effective_on", recorded: "se.recorded_at", id: "se.id",
	},
	tracker.LogDemandState: {
		kind: tracker.LogDemandState,
		selectSQL: `e.id, e.effective_on, e.effective_precision, e.dated_by, e.recorded_at, GREATEST(e.recorded_at, c.recorded_at),
			e.state, 'demand', d.slug, d.wording, e.note, e.supersedes_id, c.id, NULL::bigint, d.id, '', '', NULL::date, NULL::date`,
		from: `demand_state_entries e JOIN demands d ON d.id = e.demand_id
			LEFT JOIN LATERAL (SELECT c.id, c.recorded_at FROM demand_state_entries c WHERE c.supersedes_id = e.id ORDER BY c.id LIMIT 1) c ON true`,
		effective: "e.effective_on", recorded: "e.recorded_at", id: "e.id",
		where: []string{"e.state <> 'unknown'"},
	},
	tracker.LogResolution: {
		kind: tracker.LogResolution,
		selectSQL: `r.id, COALESCE(r.text_date, r.adopted_on), 'day', '', r.created_at, r.created_at,
			r.stage, 'resolution', r.slug, r.title, '', NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, r.procedure, r.reference, r.text_date, r.adopted_on`,
		from:      `resolutions r`,
		effective: "COALESCE(r.text_date, r.adopted_on)", recorded: "r.created_at", id: "r.id",
	},
	tracker.LogRecord: {
		kind: tracker.LogRecord,
		selectSQL: `a.id, (a.at AT TIME ZONE 'UTC')::date, 'day', '', a.at, a.at,
			a.entity_type, a.entity_type, x.slug, x.name, '', NULL::bigint, NULL::bigint, NULL::bigint, NULL::bigint, '', '', NULL::date, NULL::date`,
		from: `audit_log a JOIN LATERAL (
				SELECT p.id, p.slug, p.name FROM people p WHERE a.entity_type = 'person' AND p.slug = a.entity_slug AND p.retired_at IS NULL
				UNION ALL SELECT k.id, k.slug, k.title FROM cases k WHERE a.entity_type = 'case' AND k.slug = a.entity_slug AND k.retired_at IS NULL
				UNION ALL SELECT o.id, o.slug, o.name FROM organisations o WHERE a.entity_type = 'organisation' AND o.slug = a.entity_slug AND o.retired_at IS NULL
				UNION ALL SELECT l.id, l.slug, l.name FROM legal_provisions l WHERE a.entity_type = 'legal_provision' AND l.slug = a.entity_slug AND l.retired_at IS NULL) x ON true`,
		effective: "(a.at AT TIME ZONE 'UTC')::date", recorded: "a.at", id: "a.id",
		where: []string{"(a.action = 'create' OR a.action LIKE 'create from import %')",
			"a.entity_type IN ('person', 'case', 'organisation', 'legal_provision')"},
	},
}

// logFilters are, for each kind, the conditions that keep what concerns a person ($P), a
// case ($C) or a resolution ($R), each an id.
var logFilters = map[tracker.LogKind]struct{ person, kase, resolution string }{
	tracker.LogStatus: {
		person: `se.case_id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id = $P)`,
		kase:   `se.case_id = $C`,
		resolution: `se.case_id IN (SELECT m.case_id FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R AND m.case_id IS NOT NULL
			UNION SELECT cp.case_id FROM case_people cp JOIN mentions m ON m.person_id = cp.person_id JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R)`,
	},
	tracker.LogDemandState: {
		person: `e.demand_id IN (SELECT dt.demand_id FROM demand_targets dt WHERE dt.person_id = $P
			OR dt.case_id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id = $P))`,
		kase: `e.demand_id IN (SELECT dt.demand_id FROM demand_targets dt WHERE dt.case_id = $C
			OR dt.person_id IN (SELECT cp.person_id FROM case_people cp WHERE cp.case_id = $C))`,
		resolution: `d.clause_id IN (SELECT cl.id FROM clauses cl WHERE cl.resolution_id = $R)`,
	},
	tracker.LogResolution: {
		person:     `EXISTS (SELECT 1 FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = r.id AND m.person_id = $P)`,
		kase:       `EXISTS (SELECT 1 FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = r.id AND (m.case_id = $C OR m.person_id IN (SELECT cp.person_id FROM case_people cp WHERE cp.case_id = $C)))`,
		resolution: `r.id = $R`,
	},
	tracker.LogRecord: {
		person: `((a.entity_type = 'person' AND x.id = $P) OR (a.entity_type = 'case' AND x.id IN (SELECT cp.case_id FROM case_people cp WHERE cp.person_id = $P)))`,
		kase:   `a.entity_type = 'case' AND x.id = $C`,
		resolution: `((a.entity_type = 'person' AND x.id IN (SELECT m.person_id FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R))
			OR (a.entity_type = 'organisation' AND x.id IN (SELECT m.organisation_id FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R))
			OR (a.entity_type = 'legal_provision' AND x.id IN (SELECT m.legal_provision_id FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R))
			OR (a.entity_type = 'case' AND x.id IN (SELECT m.case_id FROM mentions m JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R
				UNION SELECT cp.case_id FROM case_people cp JOIN mentions m ON m.person_id = cp.person_id JOIN clauses cl ON cl.id = m.clause_id WHERE cl.resolution_id = $R)))`,
	},
}

// whomSQL is, for each row of a page, whom it concerns: a status entry's case's first
// person (else organisation) that is not retired, or a demand's first target.
const whomSQL = `LEFT JOIN LATERAL (
	SELECT * FROM (
		SELECT 'person' AS type, p.slug, p.name, 0 AS rank FROM case_people cp JOIN people p ON p.id = cp.person_id AND p.retired_at IS NULL WHERE cp.case_id = l.case_id
		UNION ALL
		SELECT 'organisation', o.slug, o.name, 1 FROM case_organisations co JOIN organisations o ON o.id = co.organisation_id AND o.retired_at IS NULL WHERE co.case_id = l.case_id
		UNION ALL
		SELECT r.type, r.slug, r.name, 2 FROM (SELECT r.type, r.slug, r.name FROM demand_target_refs r WHERE r.demand_id = l.demand_id ORDER BY r.id LIMIT 1) r) w
	ORDER BY w.rank, w.name, w.slug LIMIT 1) w ON true`

// ResolutionSubject names resolutions where a change log's filter or feed is about one.
const ResolutionSubject tracker.EntityType = "resolution"

// LogSubject finds the record a change log is filtered to, or a feed is made of: a person,
// a case or a resolution (ResolutionSubject), and returns its id and name. A retired person
// or case is a *tracker.Error with EGONE, as their pages are; one that does not exist, ENOTFOUND.
func (db *DB) LogSubject(ctx context.Context, t tracker.EntityType, slug string) (int64, string, error) {
	var sql string
	switch t {
	case tracker.PersonEntity:
		sql = `SELECT id, name, retired_at FROM people WHERE slug = $1`
	case tracker.CaseEntity:
		sql = `SELECT id, title, retired_at FROM cases WHERE slug = $1`
	case ResolutionSubject:
		sql = `SELECT id, title, NULL::timestamptz FROM resolutions WHERE slug = $1`
	default:
		return 0, "", fmt.Errorf("no change log of %s", t)
	}
	var id int64
	var name string
	var retired *time.Time
	err := db.read(ctx).QueryRow(ctx, sql, slug).Scan(&id, &name, &retired)
	if errors.Is(err, pgx.ErrNoRows) {
		return 0, "", tracker.Errorf(tracker.ENOTFOUND, "No %s was found at this address.", t.Noun())
	}
	if err != nil {
		return 0, "", translate(err, "change log subject")
	}
	if retired != nil {
		return 0, "", tracker.Errorf(tracker.EGONE, "This %s was retired on %s and is no longer published here.", t.Noun(), retired.UTC().Format("2 January 2006"))
	}
	return id, name, nil
}

// ChangeLog reads one page of the public change log (see logParts): at most q.Limit
// entries after q.Before, newest first in q.Order, of q.Kind (every kind when ""), about
// q.Person, q.Case or q.Resolution where given (each a slug: ENOTFOUND, or EGONE for a
// retired person or case, when there is none).
func (db *DB) ChangeLog(ctx context.Context, q tracker.LogQuery) (tracker.LogPage, error) {
	args := []any{}
	param := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	var filters []func(tracker.LogKind) string
	for _, f := range []struct {
		t    tracker.EntityType
		slug string
		pick func(tracker.LogKind) string
		name string
	}{
		{tracker.PersonEntity, q.Person, func(k tracker.LogKind) string { return logFilters[k].person }, "$P"},
		{tracker.CaseEntity, q.Case, func(k tracker.LogKind) string { return logFilters[k].kase }, "$C"},
		{ResolutionSubject, q.Resolution, func(k tracker.LogKind) string { return logFilters[k].resolution }, "$R"},
	} {
		if f.slug == "" {
			continue
		}
		id, _, err := db.LogSubject(ctx, f.t, f.slug)
		if err != nil {
			return tracker.LogPage{}, err
		}
		p := param(id)
		pick, name := f.pick, f.name
		filters = append(filters, func(k tracker.LogKind) string { return strings.ReplaceAll(pick(k), name, p) })
	}
	limit := q.Limit
	if limit < 1 {
		limit = 50
	}
	lim := param(limit + 1)
	var at string
	if q.Before != nil {
		if q.Order == tracker.ByRecorded {
			at = param(q.Before.At) + "::timestamptz"
		} else {
			at = param(time.Date(q.Before.At.Year(), q.Before.At.Month(), q.Before.At.Day(), 0, 0, 0, 0, time.UTC)) + "::date"
		}
	}
	var parts []string
	for _, k := range tracker.LogKinds {
		if q.Kind != "" && q.Kind != k {
			continue
		}
		p := logParts[k]
		key := p.effective
		if q.Order == tracker.ByRecorded {
			key = p.recorded
		}
		where := append([]string{}, p.where...)
		for _, f := range filters {
			where = append(where, f(k))
		}
		if q.Before != nil {
			// (date, kind, id) < (at, its kind, its id), with this part's kind fixed: the
			// same date with a kind listed after the cursor's goes whole, one listed before
			// it not at all (ids are positive), the cursor's own kind by id.
			var after int64
			switch r, cr := k.Rank(), q.Before.Kind.Rank(); {
			case r < cr:
				after = math.MaxInt64
			case r == cr:
				after = q.Before.ID
			}
			where = append(where, fmt.Sprintf("(%s, %s) < (%s, %s)", key, p.id, at, param(after)))
		}
		sql := "SELECT " + key + " AS key, " + strconv.Itoa(k.Rank()) + " AS rank, '" + string(k) + "' AS kind, " + p.selectSQL + " FROM " + p.from
		if len(where) > 0 {
			sql += " WHERE " + strings.Join(where, " AND ")
		}
		sql += " ORDER BY 1 DESC, " + p.id + " DESC LIMIT " + lim
		parts = append(parts, "("+sql+")")
	}
	if len(parts) == 0 {
		return tracker.LogPage{}, nil
	}
	sql := `SELECT l.kind, l.id, l.effective_on, l.precision, l.dated_by, l.recorded_at, l.updated_at, l.code, l.subject_type, l.subject_slug, l.subject_name,
	l.note, COALESCE(l.supersedes, 0), COALESCE(l.superseded_by, 0), COALESCE(w.type, ''), COALESCE(w.slug, ''), COALESCE(w.name, ''),
	l.procedure, l.reference, l.text_date, l.adopted_on
FROM (` + strings.Join(parts, "\nUNION ALL\n") + `) AS l (key, rank, kind, id, effective_on, precision, dated_by, recorded_at, updated_at, code, subject_type, subject_slug, subject_name,
	note, supersedes, superseded_by, case_id, demand_id, procedure, reference, text_date, adopted_on)
` + whomSQL + `
ORDER BY l.key DESC, l.rank DESC, l.id DESC LIMIT ` + lim
	rows, err := db.read(ctx).Query(ctx, sql, args...)
	if err != nil {
		return tracker.LogPage{}, translate(err, "change log")
	}
	entries, err := pgx.CollectRows(rows, scanLogEntry)
	if err != nil {
		return tracker.LogPage{}, translate(err, "change log")
	}
	var page tracker.LogPage
	if len(entries) > limit {
		entries = entries[:limit]
		c := entries[limit-1].Cursor(q.Order)
		page.Next = &c
	}
	page.Entries = entries
	return page, nil
}

func scanLogEntry(row pgx.CollectableRow) (tracker.LogEntry, error) {
	var e tracker.LogEntry
	var on time.Time
	var precision, code, subjectType, whomType string
	var textDate, adoptedOn *time.Time
	err := row.Scan(&e.Kind, &e.ID, &on, &precision, &e.DatedBy, &e.RecordedAt, &e.UpdatedAt, &code, &subjectType, &e.Subject.Slug, &e.Subject.Name,
		&e.Note, &e.Supersedes, &e.SupersededBy, &whomType, &e.Whom.Slug, &e.Whom.Name,
		&e.Text.Procedure, &e.Text.Reference, &textDate, &adoptedOn)
	e.On = tracker.MakeWhen(on, tracker.Precision(precision))
	e.Subject.Type = tracker.EntityType(subjectType)
	e.Whom.Type = tracker.EntityType(whomType)
	switch e.Kind {
	case tracker.LogStatus:
		e.Status = tracker.Status(code)
	case tracker.LogDemandState:
		e.State = tracker.DemandState(code)
	case tracker.LogResolution:
		e.Text.Slug, e.Text.Title, e.Text.Stage = e.Subject.Slug, e.Subject.Name, tracker.Stage(code)
		if textDate != nil {
			e.Text.TextDate = *textDate
		}
		if adoptedOn != nil {
			e.Text.VoteDate = *adoptedOn
		}
	}
	return e, err
}
