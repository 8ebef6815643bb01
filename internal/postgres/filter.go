package postgres

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// filterSQL builds the WHERE conditions of a filter for people (x is the person) or cases
// (x is the case), skipping the parameter named skip, for facet counts. Values always go
// in as parameters; only the fixed fragments below become SQL.
func filterSQL(t tracker.EntityType, f tracker.Filter, skip string) (string, []any) {
	return filterWhere(t, f, skip, "x.retired_at IS NULL")
}

// comboFilter says whether a filter of people names nothing but status, role and place:
// then its total and those facets are sums over people_facet_combos (migration 0038),
// whose rows are already the live people of each combination.
func comboFilter(t tracker.EntityType, f tracker.Filter) bool {
	return t == tracker.PersonEntity && f.Law == "" && f.Org == "" && f.Resolution == ""
}

// comboSQL is filterSQL for such a filter, on people_facet_combos x.
func comboSQL(f tracker.Filter, skip string) (string, []any) {
	return filterWhere(tracker.PersonEntity, f, skip, "x.n > 0")
}

// filterWhere is filterSQL with kept, the condition that keeps only what may be counted.
func filterWhere(t tracker.EntityType, f tracker.Filter, skip, kept string) (string, []any) {
	var conds []string
	var args []any
	add := func(param, value, cond string) {
		if value == "" || param == skip {
			return
		}
		args = append(args, value)
		conds = append(conds, strings.ReplaceAll(cond, "$?", fmt.Sprintf("$%d", len(args))))
	}
	// Each condition is "x.id IN (a set found from the other end)": PostgreSQL finds the
	// few cases of a law, or the mentions of a resolution, once, instead of asking every
	// person in turn.
	viaCases, mentionCol := "SELECT cp.person_id FROM case_people cp WHERE cp.case_id IN ", "m.person_id"
	// A law or organisation counts through live cases, and a retired one is no value.
	live := " JOIN cases lk ON lk.id = %s.case_id AND lk.retired_at IS NULL"
	if t == tracker.CaseEntity {
		viaCases, mentionCol = "", "m.case_id"
	}
	if f.Status == tracker.NoStatus && skip != "status" {
		conds = append(conds, "x.current_status = ''")
	} else if f.Status != tracker.NoStatus {
		add("status", f.Status, "x.current_status = $?")
	}
	if t == tracker.PersonEntity {
		add("role", f.Role, "x.role = $?")
		add("place", f.Place, "x.place = $?")
	}
	add("law", f.Law, "x.id IN ("+viaCases+"(SELECT cl.case_id FROM case_legal_provisions cl"+fmt.Sprintf(live, "cl")+
		" JOIN legal_provisions l ON l.id = cl.legal_provision_id AND l.retired_at IS NULL WHERE l.slug = $?))")
	add("org", f.Org, "x.id IN ("+viaCases+"(SELECT co.case_id FROM case_organisations co"+fmt.Sprintf(live, "co")+
		" JOIN organisations o ON o.id = co.organisation_id AND o.retired_at IS NULL WHERE o.slug = $?))")
	if f.Resolution != "" && skip != "resolution" {
		args = append(args, f.Resolution)
		cond := fmt.Sprintf("x.id IN (SELECT %s FROM mentions m JOIN clauses c ON c.id = m.clause_id JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = $%d", mentionCol, len(args))
		if f.Clause != "" && skip != "clause" {
			args = append(args, f.Clause)
			cond += fmt.Sprintf(" AND c.eid = $%d", len(args))
		}
		conds = append(conds, cond+")")
	}
	// Retired records are never listed or counted (migration 0019); with no other
	// condition, the counts the triggers keep leave them out already.
	return " WHERE " + strings.Join(append([]string{kept}, conds...), " AND "), args
}

// unfilteredWhere is what filterSQL gives when no filter applies: then the counts kept by
// triggers (migration 0011) answer instead of counting every record.
const unfilteredWhere = " WHERE x.retired_at IS NULL"

// facetSQL counts the values of one facet over the filtered records.
func facetSQL(t tracker.EntityType, param string) string {
	table, casesJoin, caseCol, mentionCol := "people", "case_people cp ON cp.person_id = x.id", "cp.case_id", "m.person_id"
	if t == tracker.CaseEntity {
		table, casesJoin, caseCol, mentionCol = "cases", "(SELECT 1) one ON true", "x.id", "m.case_id"
	}
	switch param {
	case "status":
		return `SELECT x.current_status, x.current_status, count(*) FROM ` + table + ` x %s GROUP BY 1 ORDER BY 3 DESC, 1`
	case "role":
		return `SELECT x.role, x.role, count(*) FROM people x %s GROUP BY 1 ORDER BY 3 DESC, 1`
	case "place":
		return `SELECT x.place, x.place, count(*) FROM people x %s GROUP BY 1 ORDER BY 3 DESC, 1`
	case "law":
		return `SELECT l.slug, l.name, count(DISTINCT x.id) FROM ` + table + ` x JOIN ` + casesJoin + ` JOIN case_legal_provisions cl ON cl.case_id = ` + caseCol + `
			JOIN cases lk ON lk.id = cl.case_id AND lk.retired_at IS NULL
			JOIN legal_provisions l ON l.id = cl.legal_provision_id AND l.retired_at IS NULL %s GROUP BY 1, 2 ORDER BY 3 DESC, 2`
	case "org":
		return `SELECT o.slug, o.name, count(DISTINCT x.id) FROM ` + table + ` x JOIN ` + casesJoin + ` JOIN case_organisations co ON co.case_id = ` + caseCol + `
			JOIN cases lk ON lk.id = co.case_id AND lk.retired_at IS NULL
			JOIN organisations o ON o.id = co.organisation_id AND o.retired_at IS NULL %s GROUP BY 1, 2 ORDER BY 3 DESC, 2`
	case "resolution":
		return `SELECT r.slug, r.procedure, count(DISTINCT x.id) FROM ` + table + ` x JOIN mentions m ON ` + mentionCol + ` = x.id
			JOIN clauses c ON c.id = m.clause_id JOIN resolutions r ON r.id = c.resolution_id %s GROUP BY 1, 2 ORDER BY 3 DESC, 2 LIMIT 50`
	}
	return ""
}

var facetTitles = map[string]string{"status": "Current status", "role": "Role", "place": "Place", "law": "Law used", "org": "Organisation", "resolution": "Resolution"}

// FilteredSummaries lists one page of people or cases that pass a filter, how many pass,
// and the facets with their counts, all in one round trip.
func (db *DB) FilteredSummaries(ctx context.Context, t tracker.EntityType, f tracker.Filter, page tracker.Page) ([]tracker.EntitySummary, int, []tracker.Facet, error) {
	if err := f.Validate(); err != nil {
		return nil, 0, nil, err
	}
	base := summarySQL[t]
	cut := strings.LastIndex(base, "FROM ")
	sel, from := base[:cut], base[cut:]
	table := strings.Fields(from)[1]
	where, args := filterSQL(t, f, "")
	order := map[string]string{"": "x.name, x.slug", "name": "x.name, x.slug", "status": "x.current_status, x.name, x.slug",
		"citations": "(SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.person_id = x.id) DESC, x.name, x.slug"}[f.Sort]
	if t == tracker.CaseEntity {
		order = strings.NewReplacer("x.name", "x.title", "m.person_id", "m.case_id").Replace(order)
	}
	var list []tracker.EntitySummary
	var total int
	b := &pgx.Batch{}
	n := len(args)
	b.Queue(sel+"FROM "+table+" x"+where+" ORDER BY "+order+fmt.Sprintf(" LIMIT $%d OFFSET $%d", n+1, n+2), append(args, page.Limit(), page.Offset())...).
		Query(func(rows pgx.Rows) error {
			var err error
			list, err = pgx.CollectRows(rows, scanSummary)
			return err
		})
	countSQL := "SELECT count(*) FROM " + table + " x" + where
	combos := comboFilter(t, f)
	switch {
	case where == unfilteredWhere:
		countSQL, args = `SELECT COALESCE(sum(n), 0)::bigint FROM facet_counts WHERE entity = $1 AND facet = 'status'`, []any{string(t)}
	case combos:
		where, args = comboSQL(f, "")
		countSQL = `SELECT COALESCE(sum(x.n), 0)::bigint FROM people_facet_combos x` + where
	}
	b.Queue(countSQL, args...).QueryRow(func(row pgx.Row) error { return row.Scan(&total) })
	params := []string{"status", "law", "org", "resolution"}
	if t == tracker.PersonEntity {
		params = []string{"status", "role", "place", "law", "org", "resolution"}
	}
	// Counting records per resolution reads every mention of the records counted: with a
	// million mentions that is too slow for a page, so the facet shows only the chosen
	// resolution (reached from a resolution or clause), counted with all filters.
	if f.Resolution == "" {
		params = params[:len(params)-1]
	}
	facets := make([]tracker.Facet, len(params))
	for i, p := range params {
		facets[i] = tracker.Facet{Param: p, Title: facetTitles[p]}
		fw, fargs := filterSQL(t, f, p)
		if p == "resolution" {
			fw, fargs = filterSQL(t, f, "") // only the chosen resolution's count
		}
		q := fmt.Sprintf(facetSQL(t, p), fw)
		byCombo := p == "status" || p == "role" || p == "place"
		switch {
		case fw != unfilteredWhere && combos && byCombo:
			// Counts under a filter of status, role and place are summed from the
			// counts per combination (migration 0038).
			col := map[string]string{"status": "x.current_status", "role": "x.role", "place": "x.place"}[p]
			fw, fargs = comboSQL(f, p)
			q = `SELECT ` + col + `, ` + col + `, sum(x.n)::bigint FROM people_facet_combos x` + fw + ` GROUP BY 1 ORDER BY 3 DESC, 1`
		case fw != unfilteredWhere:
		case byCombo:
			// Unfiltered counts are kept by triggers (migration 0011).
			q, fargs = `SELECT value, value, n FROM facet_counts WHERE entity = $1 AND facet = $2 AND n > 0 ORDER BY 3 DESC, 1`, []any{string(t), p}
		}
		fc := &facets[i]
		b.Queue(q, fargs...).Query(func(rows pgx.Rows) error {
			var v tracker.FacetValue
			_, err := pgx.ForEachRow(rows, []any{&v.Value, &v.Label, &v.Count}, func() error {
				if v.Value == "" && p == "status" {
					v.Value = tracker.NoStatus // people and cases with no status recorded can be listed too
				}
				if v.Value == "" {
					return nil // "no role", "no place": nothing a filter can select
				}
				if p == "status" {
					v.Label = tracker.StatusFilterLabel(v.Value)
				}
				fc.Values = append(fc.Values, v)
				return nil
			})
			return err
		})
	}
	// A chosen law, organisation or resolution that no record passing the other filters
	// has is still listed, with 0, so its chip and facet can name it in words.
	chosen := map[string]string{}
	b.Queue(`SELECT 'law', name FROM legal_provisions WHERE slug = $1
		UNION ALL SELECT 'org', name FROM organisations WHERE slug = $2
		UNION ALL SELECT 'resolution', procedure FROM resolutions WHERE slug = $3`, f.Law, f.Org, f.Resolution).
		Query(func(rows pgx.Rows) error {
			var param, label string
			_, err := pgx.ForEachRow(rows, []any{&param, &label}, func() error { chosen[param] = label; return nil })
			return err
		})
	err := translate(db.read(ctx).SendBatch(ctx, b).Close(), string(t))
	for i, fc := range facets {
		label, ok := chosen[fc.Param]
		v := f.Get(fc.Param)
		if ok && !slices.ContainsFunc(fc.Values, func(x tracker.FacetValue) bool { return x.Value == v }) {
			facets[i].Values = append(facets[i].Values, tracker.FacetValue{Value: v, Label: label})
		}
	}
	return list, total, facets, err
}
