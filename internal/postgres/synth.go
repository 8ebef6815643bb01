package postgres

import (
	"context"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/synth"
)

// LoadSynthetic bulk-loads generated data with COPY in one transaction: rows go into
// temporary tables keyed by slug, then into the real tables joined to their ids, so the
// identity columns and every constraint still apply.
func (db *DB) LoadSynthetic(ctx context.Context, d synth.Data) error {
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		copyRows := func(table string, cols []string, n int, row func(i int) []any) error {
			_, err := tx.CopyFrom(ctx, pgx.Identifier{table}, cols, pgx.CopyFromSlice(n, func(i int) ([]any, error) { return row(i), nil }))
			if err != nil {
				return fmt.Errorf("copy %s: %w", table, err)
			}
			return nil
		}
		// The facet counts are kept by per-row triggers; a bulk load switches them off for
		// this transaction and counts once at the end.
		if _, err := tx.Exec(ctx, `ALTER TABLE people DISABLE TRIGGER people_facets_counted;
ALTER TABLE cases DISABLE TRIGGER cases_facets_counted`); err != nil {
			return err
		}
		if err := copyRows("people", []string{"slug", "name", "aliases", "role", "place", "notes"}, len(d.People), func(i int) []any {
			p := d.People[i]
			return []any{p.Slug, p.Name, p.Aliases, p.Role, p.Place, p.Notes}
		}); err != nil {
			return err
		}
		if err := copyRows("resolutions", []string{"slug", "procedure", "title", "adopted_on", "source_text"}, len(d.Resolutions), func(i int) []any {
			r := d.Resolutions[i]
			return []any{r.Slug, r.Procedure, r.Title, r.AdoptedOn, "(synthetic)"}
		}); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `
CREATE TEMP TABLE synth_clauses (resolution text, kind text, label text, eid text, position int, text text) ON COMMIT DROP;
CREATE TEMP TABLE synth_mentions (resolution text, eid text, person text, case_slug text, matched text, start_at int, end_at int) ON COMMIT DROP;
CREATE TEMP TABLE synth_cases (slug text, title text, person text) ON COMMIT DROP;
CREATE TEMP TABLE synth_statuses (case_slug text, status text, effective_on date, note text, resolution text, eid text, n int) ON COMMIT DROP;`); err != nil {
			return err
		}
		var clauses, mentions [][]any
		for _, r := range d.Resolutions {
			for _, c := range r.Clauses {
				clauses = append(clauses, []any{r.Slug, string(c.Kind), c.Label, c.EID, c.Position, c.Text})
			}
			for _, m := range r.Mentions {
				mentions = append(mentions, []any{r.Slug, m.EID, m.Person, m.Case, m.Matched, m.Start, m.End})
			}
		}
		var cases, statuses [][]any
		for _, c := range d.Cases {
			cases = append(cases, []any{c.Slug, c.Title, c.Person})
			for i, s := range c.Statuses {
				statuses = append(statuses, []any{c.Slug, string(s.Status), s.EffectiveOn, s.Note, s.Resolution, s.EID, i})
			}
		}
		for _, t := range []struct {
			table string
			cols  []string
			rows  [][]any
		}{
			{"synth_clauses", []string{"resolution", "kind", "label", "eid", "position", "text"}, clauses},
			{"synth_mentions", []string{"resolution", "eid", "person", "case_slug", "matched", "start_at", "end_at"}, mentions},
			{"synth_cases", []string{"slug", "title", "person"}, cases},
			{"synth_statuses", []string{"case_slug", "status", "effective_on", "note", "resolution", "eid", "n"}, statuses},
		} {
			if _, err := tx.CopyFrom(ctx, pgx.Identifier{t.table}, t.cols, pgx.CopyFromRows(t.rows)); err != nil {
				return fmt.Errorf("copy %s: %w", t.table, err)
			}
		}
		// Fresh rows have no statistics yet: without them the joins below plan badly.
		if _, err := tx.Exec(ctx, `ANALYZE synth_clauses; ANALYZE synth_mentions; ANALYZE synth_cases; ANALYZE synth_statuses; ANALYZE people; ANALYZE resolutions`); err != nil {
			return err
		}
		// The current-status triggers run per row; for a bulk load they are switched off
		// for this transaction and the statuses computed once at the end instead.
		if _, err := tx.Exec(ctx, `ALTER TABLE status_entries DISABLE TRIGGER status_entries_current;
ALTER TABLE case_people DISABLE TRIGGER case_people_current`); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
INSERT INTO clauses (resolution_id, kind, label, eid, position, text)
  SELECT r.id, s.kind, s.label, s.eid, s.position, s.text FROM synth_clauses s JOIN resolutions r ON r.slug = s.resolution;
ANALYZE clauses;
INSERT INTO cases (slug, title) SELECT slug, title FROM synth_cases;
ANALYZE cases;
INSERT INTO case_people (case_id, person_id)
  SELECT k.id, p.id FROM synth_cases s JOIN cases k ON k.slug = s.slug JOIN people p ON p.slug = s.person;
INSERT INTO mentions (clause_id, person_id, matched, start_at, end_at)
  SELECT c.id, p.id, s.matched, s.start_at, s.end_at FROM synth_mentions s
  JOIN resolutions r ON r.slug = s.resolution JOIN clauses c ON c.resolution_id = r.id AND c.eid = s.eid
  JOIN people p ON p.slug = s.person;
INSERT INTO mentions (clause_id, case_id, matched, start_at, end_at)
  SELECT DISTINCT ON (c.id, k.id) c.id, k.id, s.matched, s.start_at, s.end_at FROM synth_mentions s
  JOIN resolutions r ON r.slug = s.resolution JOIN clauses c ON c.resolution_id = r.id AND c.eid = s.eid
  JOIN cases k ON k.slug = s.case_slug ORDER BY c.id, k.id, s.start_at;
INSERT INTO status_entries (case_id, status, effective_on, dated_by, note, source_clause_id)
  SELECT k.id, s.status, s.effective_on, 'reported by the resolution of ' || to_char(s.effective_on, 'FMDD FMMonth YYYY'), s.note, c.id
  FROM synth_statuses s
  JOIN cases k ON k.slug = s.case_slug
  JOIN resolutions r ON r.slug = s.resolution JOIN clauses c ON c.resolution_id = r.id AND c.eid = s.eid
  ORDER BY s.case_slug, s.n;
ALTER TABLE status_entries ENABLE TRIGGER status_entries_current;
ALTER TABLE case_people ENABLE TRIGGER case_people_current;
UPDATE cases k SET current_status = cur.status FROM (
  SELECT DISTINCT ON (se.case_id) se.case_id, se.status FROM status_entries se
  WHERE NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
  ORDER BY se.case_id, se.effective_on DESC, se.id DESC) cur WHERE cur.case_id = k.id;
UPDATE people p SET current_status = cur.status FROM (
  SELECT DISTINCT ON (cp.person_id) cp.person_id, se.status FROM status_entries se JOIN case_people cp ON cp.case_id = se.case_id
  WHERE NOT EXISTS (SELECT 1 FROM status_entries c WHERE c.supersedes_id = se.id)
  ORDER BY cp.person_id, se.effective_on DESC, se.id DESC) cur WHERE cur.person_id = p.id;
ALTER TABLE people ENABLE TRIGGER people_facets_counted;
ALTER TABLE cases ENABLE TRIGGER cases_facets_counted;
SELECT whereas_facet_recount();`)
		return err
	})
	if err != nil {
		return translate(err, "synthetic data")
	}
	if _, err := db.RebuildSearchNames(ctx); err != nil {
		return err
	}
	// Set the visibility map and statistics now, as autovacuum would soon, so that counts
	// and index-only scans behave on fresh data as they do on a database in use.
	_, err = db.pool.Exec(ctx, "VACUUM ANALYZE")
	return translate(err, "vacuum")
}
