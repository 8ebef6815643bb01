package postgres

import (
	"context"
	"fmt"
	"strings"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// ImportResult counts what an import added; all zero means the data was already there.
type ImportResult struct {
	Resolutions, Clauses, People, Organisations, LegalProvisions, Cases, StatusEntries, Mentions, Demands int
	// Redated counts the entries an earlier seed dated to the adoption with nothing to say
	// so, which now say what that date rests on (see redateSeedEntries).
	Redated int
}

// Changed reports whether the import wrote anything.
func (r ImportResult) Changed() bool { return r != ImportResult{} }

// HasResolution reports whether any resolution is stored, which is how `serve` decides
// whether to load the seed.
func (db *DB) HasResolution(ctx context.Context) (bool, error) {
	var ok bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM resolutions)`).Scan(&ok)
	return ok, translate(err, "resolution")
}

// ImportDataset stores a dataset in one transaction. What already exists (same slug, same
// procedure reference) is left as it is, so running it twice changes nothing and never
// overwrites what staff have since edited. A newly stored resolution's clauses are linked
// against every entity in the database, not just the dataset's.
func (db *DB) ImportDataset(ctx context.Context, ds *seed.Dataset) (ImportResult, error) {
	var res ImportResult
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		res = ImportResult{} // from scratch if retried
		// Two servers starting at once on an empty database must not both seed it.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('whereas.import'))`); err != nil {
			return err
		}
		ids := map[string]int64{}
		insert := func(kind, sql string, args ...any) error {
			var id int64
			err := tx.QueryRow(ctx, sql, args...).Scan(&id)
			if err == pgx.ErrNoRows {
				return nil // already there
			} else if err != nil {
				return fmt.Errorf("insert %s %v: %w", kind, args[0], err)
			}
			ids[kind+"/"+args[0].(string)] = id
			return nil
		}
		for _, p := range ds.People {
			if err := insert("person", `INSERT INTO people (slug, name, aliases, role, place, notes, name_ru, name_kk) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (slug) DO NOTHING RETURNING id`,
				p.Slug, p.Name, p.Aliases, p.Role, p.Place, p.Notes, p.Names.RU, p.Names.KK); err != nil {
				return err
			}
		}
		for _, o := range ds.Organisations {
			if err := insert("organisation", `INSERT INTO organisations (slug, name, aliases, kind, notes, name_ru, name_kk) VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (slug) DO NOTHING RETURNING id`,
				o.Slug, o.Name, o.Aliases, o.Kind, o.Notes, o.Names.RU, o.Names.KK); err != nil {
				return err
			}
		}
		for _, l := range ds.LegalProvisions {
			if err := insert("legal_provision", `INSERT INTO legal_provisions (slug, name, aliases, notes, name_ru, name_kk) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (slug) DO NOTHING RETURNING id`,
				l.Slug, l.Name, l.Aliases, l.Notes, l.Names.RU, l.Names.KK); err != nil {
				return err
			}
		}
		res.People, res.Organisations, res.LegalProvisions = count(ids, "person"), count(ids, "organisation"), count(ids, "legal_provision")
		// Affiliations reach a database loaded before they were in the dataset, but never a
		// person staff have edited: what they changed stays.
		for _, p := range ds.People {
			for _, a := range p.Affiliations {
				if _, err := tx.Exec(ctx, `INSERT INTO affiliations (person_id, organisation_id, role)
					SELECT p.id, o.id, $3 FROM people p, organisations o WHERE p.slug = $1 AND o.slug = $2
					  AND NOT EXISTS (SELECT 1 FROM audit_log WHERE entity_type = 'person' AND entity_slug = $1)
					ON CONFLICT DO NOTHING`, p.Slug, a.Slug, a.Role); err != nil {
					return fmt.Errorf("affiliate %s with %s: %w", p.Slug, a.Slug, err)
				}
			}
		}
		for k := range ids {
			typ, slug, _ := strings.Cut(k, "/")
			if err := refreshNames(ctx, tx, tracker.EntityType(typ), slug); err != nil {
				return fmt.Errorf("index the names of %s: %w", k, err)
			}
		}

		r := ds.Resolution
		var resolutionID int64
		err := tx.QueryRow(ctx, `INSERT INTO resolutions (slug, procedure, title, adopted_on, source_text, stage, reference, text_date, official_url)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
			ON CONFLICT DO NOTHING RETURNING id`, r.Slug, r.Procedure, r.Title, r.AdoptedOn, r.SourceText, r.Stage, r.Reference, nullDate(r.TextDate), r.OfficialURL).Scan(&resolutionID)
		newResolution := err == nil
		if err != nil && err != pgx.ErrNoRows {
			return fmt.Errorf("insert resolution %s: %w", r.Procedure, err)
		}
		if !newResolution {
			if err := tx.QueryRow(ctx, `SELECT id FROM resolutions WHERE (procedure, stage, reference) = ($1, $3, $4) OR slug = $2 ORDER BY slug = $2 DESC LIMIT 1`, r.Procedure, r.Slug, r.Stage, r.Reference).Scan(&resolutionID); err != nil {
				return fmt.Errorf("find resolution %s: %w", r.Procedure, err)
			}
		}
		clauseIDs := map[string]int64{}
		if newResolution {
			res.Resolutions = 1
			for _, c := range r.Clauses {
				var id int64
				if err := tx.QueryRow(ctx, `INSERT INTO clauses (resolution_id, kind, label, eid, position, text) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
					resolutionID, c.Kind, c.Label, c.EID, c.Position, c.Text).Scan(&id); err != nil {
					return fmt.Errorf("insert clause %s: %w", c.EID, err)
				}
				clauseIDs[c.EID] = id
				res.Clauses++
			}
		} else {
			rows, _ := tx.Query(ctx, `SELECT eid, id FROM clauses WHERE resolution_id = $1`, resolutionID)
			var eid string
			var id int64
			if _, err := pgx.ForEachRow(rows, []any{&eid, &id}, func() error { clauseIDs[eid] = id; return nil }); err != nil {
				return fmt.Errorf("read clauses: %w", err)
			}
		}

		for _, c := range ds.Cases {
			var caseID int64
			err := tx.QueryRow(ctx, `INSERT INTO cases (slug, title, summary) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING RETURNING id`,
				c.Slug, c.Title, c.Summary).Scan(&caseID)
			if err == pgx.ErrNoRows {
				continue // an existing case keeps its own links and history
			} else if err != nil {
				return fmt.Errorf("insert case %s: %w", c.Slug, err)
			}
			res.Cases++
			if err := refreshNames(ctx, tx, tracker.CaseEntity, c.Slug); err != nil {
				return fmt.Errorf("index the title of case %s: %w", c.Slug, err)
			}
			for _, link := range []struct {
				sql   string
				slugs []string
			}{
				{`INSERT INTO case_people (case_id, person_id) SELECT $1, id FROM people WHERE slug = $2`, c.People},
				{`INSERT INTO case_organisations (case_id, organisation_id) SELECT $1, id FROM organisations WHERE slug = $2`, c.Organisations},
				{`INSERT INTO case_legal_provisions (case_id, legal_provision_id) SELECT $1, id FROM legal_provisions WHERE slug = $2`, c.LegalProvisions},
			} {
				for _, slug := range link.slugs {
					if _, err := tx.Exec(ctx, link.sql, caseID, slug); err != nil {
						return fmt.Errorf("link case %s to %s: %w", c.Slug, slug, err)
					}
				}
			}
			if err := writeFacts(ctx, tx, caseID, tracker.FactsEdit{}, c.Checked); err != nil {
				return fmt.Errorf("facts of case %s: %w", c.Slug, err)
			}
			for _, st := range c.Statuses {
				var clauseID *int64
				if id, ok := clauseIDs[st.SourceClause]; ok {
					clauseID = &id
				}
				if _, err := tx.Exec(ctx, `INSERT INTO status_entries (case_id, status, effective_on, effective_precision, dated_by, note, source_url, source_clause_id)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
					caseID, st.Status, st.When.Start, st.When.Precision, st.DatedBy, st.Note, st.SourceURL, clauseID); err != nil {
					return fmt.Errorf("insert status of case %s: %w", c.Slug, err)
				}
				res.StatusEntries++
			}
		}

		if newResolution {
			n, err := linkResolution(ctx, tx, resolutionID)
			if err != nil {
				return err
			}
			res.Mentions = n
		}
		// Demands are added by slug whatever the resolution's age, so a dataset that gains
		// demands brings them into a database loaded before; existing ones are left alone.
		n, err := importDemands(ctx, tx, resolutionID, r.AdoptedOn, ds.Demands)
		res.Demands = n
		if err != nil {
			return err
		}
		res.Redated, err = redateSeedEntries(ctx, tx, ds)
		return err
	})
	if err != nil {
		return ImportResult{}, translate(err, "dataset")
	}
	return res, nil
}

// redateSeedEntries mends what seeds before migration 0021 wrote: every status and reported
// demand state dated to the resolution's adoption, as if each fact had begun that day
// ("Released on parole since 14 March 2019" beside "released on parole in 2018"). Entries
// still exactly as the seed wrote them (by no one, on the adoption day, to the day, dated
// by nothing) of the dataset's cases and reported demands now say what the date rests on
// ("reported by the resolution of 14 March 2019"); nothing else about them changes, and
// entries staff wrote are never touched. Newly loaded entries already say it, so running
// the seed again changes nothing.
func redateSeedEntries(ctx context.Context, tx pgx.Tx, ds *seed.Dataset) (int, error) {
	var cases, demands []string
	for _, c := range ds.Cases {
		cases = append(cases, c.Slug)
	}
	for _, d := range ds.Demands {
		if d.StateDatedBy != "" {
			demands = append(demands, d.Slug)
		}
	}
	adopted, by := ds.Resolution.AdoptedOn, seed.ReportedBy(ds.Resolution.AdoptedOn)
	t1, err := tx.Exec(ctx, `UPDATE status_entries se SET dated_by = $3 FROM cases k
		WHERE k.id = se.case_id AND k.slug = ANY($1) AND se.recorded_by IS NULL AND se.recorded_by_name = 'seed data'
		  AND se.effective_on = $2 AND se.effective_precision = 'day' AND se.dated_by = ''`, cases, adopted, by)
	if err != nil {
		return 0, fmt.Errorf("redate seed statuses: %w", err)
	}
	t2, err := tx.Exec(ctx, `UPDATE demand_state_entries e SET dated_by = $3 FROM demands d
		WHERE d.id = e.demand_id AND d.slug = ANY($1) AND e.recorded_by IS NULL AND e.recorded_by_name = 'seed data'
		  AND e.effective_on = $2 AND e.effective_precision = 'day' AND e.dated_by = '' AND e.state <> 'unknown'`, demands, adopted, by)
	if err != nil {
		return 0, fmt.Errorf("redate seed demand states: %w", err)
	}
	return int(t1.RowsAffected() + t2.RowsAffected()), nil
}

func count(ids map[string]int64, kind string) int {
	n := 0
	for k := range ids {
		if len(k) > len(kind) && k[:len(kind)+1] == kind+"/" {
			n++
		}
	}
	return n
}

// linkResolution runs the linker over every clause of a resolution and stores the mentions.
func linkResolution(ctx context.Context, tx pgx.Tx, resolutionID int64) (int, error) {
	l, err := loadLinker(ctx, tx)
	if err != nil {
		return 0, err
	}
	rows, _ := tx.Query(ctx, `SELECT id, text FROM clauses WHERE resolution_id = $1 ORDER BY position`, resolutionID)
	type clause struct {
		id   int64
		text string
	}
	clauses, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (clause, error) {
		var c clause
		return c, row.Scan(&c.id, &c.text)
	})
	if err != nil {
		return 0, fmt.Errorf("read clauses to link: %w", err)
	}
	column := map[tracker.EntityType]string{
		tracker.PersonEntity:         "person_id",
		tracker.OrganisationEntity:   "organisation_id",
		tracker.LegalProvisionEntity: "legal_provision_id",
		tracker.CaseEntity:           "case_id",
	}
	table := map[tracker.EntityType]string{
		tracker.PersonEntity:         "people",
		tracker.OrganisationEntity:   "organisations",
		tracker.LegalProvisionEntity: "legal_provisions",
		tracker.CaseEntity:           "cases",
	}
	n := 0
	for _, c := range clauses {
		for _, m := range l.Link(c.text) {
			// Column and table names come from the fixed maps above, never from input.
			sql := `INSERT INTO mentions (clause_id, ` + column[m.Type] + `, matched, start_at, end_at)
				SELECT $1, id, $3, $4, $5 FROM ` + table[m.Type] + ` WHERE slug = $2`
			if _, err := tx.Exec(ctx, sql, c.id, m.Slug, m.Matched, m.Start, m.End); err != nil {
				return 0, fmt.Errorf("insert mention of %s in clause %d: %w", m.Slug, c.id, err)
			}
			n++
		}
	}
	return n, nil
}

// loadLinker builds a linker over every entity and case in the database.
func loadLinker(ctx context.Context, tx pgx.Tx) (*linker.Linker, error) {
	rows, _ := tx.Query(ctx, `
		SELECT 'person', slug, name, aliases FROM people
		UNION ALL SELECT 'organisation', slug, name, aliases FROM organisations
		UNION ALL SELECT 'legal_provision', slug, name, aliases FROM legal_provisions
		ORDER BY 1, 2`)
	entities, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (linker.Entity, error) {
		var e linker.Entity
		return e, row.Scan(&e.Type, &e.Slug, &e.Name, &e.Names)
	})
	if err != nil {
		return nil, fmt.Errorf("read entities to link: %w", err)
	}
	rows, _ = tx.Query(ctx, `
		SELECT k.slug, k.title, s.type, s.slug FROM cases k
		JOIN (SELECT case_id, 'person' AS type, p.slug FROM case_people JOIN people p ON p.id = person_id
		      UNION ALL SELECT case_id, 'organisation', o.slug FROM case_organisations JOIN organisations o ON o.id = organisation_id) s
		  ON s.case_id = k.id
		ORDER BY k.slug, s.type, s.slug`)
	byCase := map[string]*linker.Case{}
	var order []string
	var slug, title, typ, subject string
	if _, err := pgx.ForEachRow(rows, []any{&slug, &title, &typ, &subject}, func() error {
		c, ok := byCase[slug]
		if !ok {
			c = &linker.Case{Entity: linker.Entity{Type: tracker.CaseEntity, Slug: slug, Name: title}}
			byCase[slug] = c
			order = append(order, slug)
		}
		c.Subjects = append(c.Subjects, tracker.EntityRef{Type: tracker.EntityType(typ), Slug: subject})
		return nil
	}); err != nil {
		return nil, fmt.Errorf("read cases to link: %w", err)
	}
	cases := make([]linker.Case, 0, len(order))
	for _, s := range order {
		cases = append(cases, *byCase[s])
	}
	return linker.New(entities, cases), nil
}
