package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/linker"
	"github.com/whereas/whereas/internal/seed"
	"github.com/whereas/whereas/internal/tracker"
)

// CreateDraft checks an import request and stores it as a draft for review. A text that
// cannot be parsed is refused with the line it stopped at, and nothing is written.
func (db *DB) CreateDraft(ctx context.Context, a Actor, req importer.Request) (int64, error) {
	p, errs := req.Validate()
	if errs.Any() {
		return 0, &tracker.ValidationError{Fields: errs}
	}
	var id int64
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO import_drafts (procedure, title, adopted_on, source_text, created_by, created_by_name, stage, reference, text_date)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, p.Procedure, p.Title, p.AdoptedOn, req.Text, a.id(), a.Name,
			p.Stage, p.Reference, nullDate(p.TextDate)).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, a, "import draft", "import", strconv.FormatInt(id, 10), nil,
			map[string]any{"procedure": p.Procedure, "title": p.Title, "adopted_on": p.AdoptedOn.Format(time.DateOnly), "format": p.Format, "clauses": len(p.Clauses),
				"stage": p.Stage, "reference": p.Reference})
	})
	return id, translate(err, "import")
}

const draftSelect = `SELECT id, procedure, title, adopted_on, source_text, rejected, rejected_demands, new_entities, demands, state,
	created_by_name, created_at, updated_at, published_at, version, stage, reference, text_date FROM import_drafts`

func scanDraft(row pgx.Row) (importer.Record, error) {
	var r importer.Record
	var ents, dems []byte
	var textDate *time.Time
	err := row.Scan(&r.ID, &r.Procedure, &r.Title, &r.AdoptedOn, &r.SourceText, &r.Rejected, &r.RejectedDemands, &ents, &dems, &r.State,
		&r.CreatedBy, &r.CreatedAt, &r.UpdatedAt, &r.PublishedAt, &r.Version, &r.Stage, &r.Reference, &textDate)
	if err != nil {
		return r, err
	}
	r.TextDate = deref(textDate)
	if err := json.Unmarshal(ents, &r.NewEntities); err != nil {
		return r, fmt.Errorf("draft %d new entities: %w", r.ID, err)
	}
	if err := json.Unmarshal(dems, &r.Demands); err != nil {
		return r, fmt.Errorf("draft %d demands: %w", r.ID, err)
	}
	return r, nil
}

// Drafts lists the imports, newest first, with their text left out.
func (db *DB) Drafts(ctx context.Context) ([]importer.Record, error) {
	rows, _ := db.read(ctx).Query(ctx, strings.Replace(draftSelect, "source_text", "''", 1)+` ORDER BY state = 'draft' DESC, updated_at DESC LIMIT 200`)
	list, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (importer.Record, error) { return scanDraft(row) })
	return list, translate(err, "import")
}

// DraftView reads a draft and builds its preview against the database as it is now.
func (db *DB) DraftView(ctx context.Context, id int64) (importer.View, error) {
	var v importer.View
	err := pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{AccessMode: pgx.ReadOnly, IsoLevel: pgx.RepeatableRead}, func(tx pgx.Tx) error {
		rec, err := scanDraft(tx.QueryRow(ctx, draftSelect+` WHERE id = $1`, id))
		if err != nil {
			return err
		}
		v, err = draftView(ctx, tx, rec)
		return err
	})
	return v, translate(err, "import")
}

// draftView builds a draft's preview inside tx: the linker knows every stored entity and
// the draft's new ones; a re-import compares with the published clauses.
func draftView(ctx context.Context, tx pgx.Tx, rec importer.Record) (importer.View, error) {
	v := importer.View{Record: rec}
	p, err := rec.Parse()
	if err != nil {
		return v, fmt.Errorf("draft %d no longer parses: %w", rec.ID, err)
	}
	l, err := loadLinkerWith(ctx, tx, rec.NewEntities)
	if err != nil {
		return v, err
	}
	known := importer.Known{Linker: l}
	// A re-import is of the same text: the same procedure, stage and document number (or
	// a text whose number is not known). Another stage of the procedure is a text of its
	// own, published beside the others, never over them.
	var resID int64
	switch err := tx.QueryRow(ctx, `SELECT id, slug FROM resolutions WHERE procedure = $1 AND stage = $2 AND (reference = $3 OR reference = '' OR $3 = '')
		ORDER BY reference = $3 DESC, id LIMIT 1`, rec.Procedure, rec.Stage, rec.Reference).Scan(&resID, &v.Address); {
	case err == nil:
		known.Existing = true
		if known.Published, err = publishedClauses(ctx, tx, resID); err != nil {
			return v, err
		}
	case !errors.Is(err, pgx.ErrNoRows):
		return v, err
	default:
		if v.Address, err = stageSlug(ctx, tx, rec); err != nil {
			return v, err
		}
	}
	rows, _ := tx.Query(ctx, `SELECT slug, procedure, title, stage, reference, text_date, adopted_on, official_url FROM resolutions
		WHERE procedure = $1 AND id <> $2 ORDER BY array_position(ARRAY['motion', 'joint_motion', 'adopted'], stage), reference, id`, rec.Procedure, resID)
	if v.Stages, err = pgx.CollectRows(rows, scanTextRef); err != nil {
		return v, err
	}
	v.Preview = rec.Preview(p, known)
	if known.Existing {
		refs, err := clauseRefs(ctx, tx, resID)
		if err != nil {
			return v, err
		}
		v.Problems = importer.Problems(v.Preview, refs)
	}
	return v, nil
}

// loadLinkerWith is loadLinker plus the entities a draft will create.
func loadLinkerWith(ctx context.Context, tx pgx.Tx, extra []importer.NewEntity) (*linker.Linker, error) {
	l, err := loadLinker(ctx, tx)
	if err != nil || len(extra) == 0 {
		return l, err
	}
	ents, cases := l.Parts()
	for _, e := range extra {
		ents = append(ents, linker.Entity{Type: e.Type, Slug: e.Slug, Name: e.Name, Names: e.Aliases})
	}
	return linker.New(ents, cases), nil
}

// publishedClauses reads a resolution's clauses with their stored mentions.
func publishedClauses(ctx context.Context, tx pgx.Tx, resID int64) ([]tracker.Clause, error) {
	rows, _ := tx.Query(ctx, `SELECT c.id, c.kind, c.label, c.eid, c.position, c.text FROM clauses c WHERE c.resolution_id = $1 ORDER BY c.position`, resID)
	clauses, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (tracker.Clause, error) {
		var c tracker.Clause
		return c, row.Scan(&c.ID, &c.Kind, &c.Label, &c.EID, &c.Position, &c.Text)
	})
	if err != nil {
		return nil, err
	}
	at := map[int64]int{}
	for i, c := range clauses {
		at[c.ID] = i
	}
	rows, _ = tx.Query(ctx, `SELECT mr.clause_id, mr.type, mr.slug, mr.name, mr.matched, mr.start_at, mr.end_at FROM mention_refs mr
		JOIN clauses c ON c.id = mr.clause_id WHERE c.resolution_id = $1 ORDER BY mr.clause_id, mr.start_at`, resID)
	var cid int64
	var m tracker.Mention
	_, err = pgx.ForEachRow(rows, []any{&cid, &m.Type, &m.Slug, &m.Name, &m.Matched, &m.Start, &m.End}, func() error {
		clauses[at[cid]].Mentions = append(clauses[at[cid]].Mentions, m)
		return nil
	})
	return clauses, err
}

// clauseRefs says, per clause eId of a resolution, what refers to it: its demands, and the
// status and demand-state entries citing it as their source.
func clauseRefs(ctx context.Context, tx pgx.Tx, resID int64) (map[string][]importer.ClauseRef, error) {
	rows, _ := tx.Query(ctx, `
		SELECT c.eid, 'demand ' || d.slug || ' ("' || d.wording || '")', d.wording FROM demands d JOIN clauses c ON c.id = d.clause_id WHERE c.resolution_id = $1
		UNION SELECT c.eid, 'a status entry of case ' || k.slug, '' FROM status_entries se JOIN clauses c ON c.id = se.source_clause_id
		  JOIN cases k ON k.id = se.case_id WHERE c.resolution_id = $1
		UNION SELECT c.eid, 'a state entry of demand ' || d.slug, '' FROM demand_state_entries e JOIN clauses c ON c.id = e.source_clause_id
		  JOIN demands d ON d.id = e.demand_id WHERE c.resolution_id = $1`, resID)
	refs := map[string][]importer.ClauseRef{}
	var eid string
	var r importer.ClauseRef
	_, err := pgx.ForEachRow(rows, []any{&eid, &r.What, &r.Wording}, func() error {
		refs[eid] = append(refs[eid], r)
		return nil
	})
	return refs, err
}

// changeDraft runs change on a draft still under review at the version the form was read
// at, then saves the draft's decisions and bumps its version, with an audit entry. The
// decisions the review page sends with every action (nil when the request carries none)
// are applied first, in the same transaction, so that no action loses one; a save that
// alters nothing writes nothing.
func (db *DB) changeDraft(ctx context.Context, a Actor, id int64, version int, action string, d *importer.Decisions, change func(tx pgx.Tx, rec *importer.Record) (any, error)) error {
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		rec, err := scanDraft(tx.QueryRow(ctx, draftSelect+` WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return err
		}
		if rec.State != importer.StateDraft {
			return tracker.Errorf(tracker.ECONFLICT, "This import was %s already; start a new import to change it.", rec.State)
		}
		if rec.Version != version {
			return tracker.Errorf(tracker.ECONFLICT, "Someone else changed this import while you were reviewing it. The page now shows their changes, with your decisions on top; check them and submit again.")
		}
		before := draftDecisions(rec)
		if d != nil {
			p, err := rec.Parse()
			if err != nil {
				return err
			}
			if errs := rec.Apply(*d, p.Clauses); errs.Any() {
				return &tracker.ValidationError{Fields: errs}
			}
		}
		var detail any
		if change != nil {
			if detail, err = change(tx, &rec); err != nil {
				return err
			}
		}
		after := draftDecisions(rec)
		if string(before) != string(after) {
			if err := checkDemandTargets(ctx, tx, rec); err != nil {
				return err
			}
		}
		if change == nil && string(before) == string(after) {
			return nil // nothing decided since the last save
		}
		if d != nil && string(before) != string(after) {
			detail = map[string]any{"change": detail, "rejected_links": rec.Rejected, "rejected_demands": rec.RejectedDemands, "demands": rec.Demands}
		}
		ents, _ := json.Marshal(rec.NewEntities)
		dems, _ := json.Marshal(rec.Demands)
		if _, err := tx.Exec(ctx, `UPDATE import_drafts SET rejected = $2, new_entities = $3, demands = $4, state = $5, rejected_demands = $6, version = version + 1,
			updated_at = now(), published_at = CASE WHEN $5 = 'published' THEN now() END WHERE id = $1`,
			id, rec.Rejected, ents, dems, rec.State, rec.RejectedDemands); err != nil {
			return err
		}
		return audit(ctx, tx, a, action, "import", strconv.FormatInt(id, 10), nil, detail)
	})
	return editError(err, "import")
}

// checkDemandTargets refuses a draft whose demands name a target that neither exists nor is
// one of the draft's new entities (a hand-made post; the page offers only linked ones),
// beside the demand's targets: "KEY/target" for a proposal, "target" for one added by hand.
func checkDemandTargets(ctx context.Context, tx pgx.Tx, rec importer.Record) error {
	errs := tracker.FieldErrors{}
	for _, d := range rec.Demands {
		for _, t := range d.Targets {
			known := slices.ContainsFunc(rec.NewEntities, func(e importer.NewEntity) bool { return e.Type == t.Type && e.Slug == t.Slug })
			if et, ok := entityTables[t.Type]; ok && !known {
				if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+et.table+` WHERE slug = $1)`, t.Slug).Scan(&known); err != nil {
					return err
				}
			}
			if !known {
				key := "target"
				if d.Proposal != "" {
					key = d.Proposal + "/target"
				}
				errs[key] = "Choose whom or what the demand concerns from the records the text links."
			}
		}
	}
	if errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	return nil
}

// draftDecisions is everything staff decided about a draft, to tell whether a save changed it.
func draftDecisions(rec importer.Record) []byte {
	b, _ := json.Marshal([]any{rec.Rejected, rec.RejectedDemands, rec.NewEntities, rec.Demands, rec.State})
	return b
}

// SaveDraftDecisions records the decisions the review page sent: the links turned down and
// the proposed demands accepted (as changed) or rejected.
func (db *DB) SaveDraftDecisions(ctx context.Context, a Actor, id int64, version int, d importer.Decisions) error {
	return db.changeDraft(ctx, a, id, version, "review decisions", &d, nil)
}

// AddDraftEntity adds a person or organisation the draft will create when published.
func (db *DB) AddDraftEntity(ctx context.Context, a Actor, id int64, version int, d *importer.Decisions, e importer.NewEntity) error {
	return db.changeDraft(ctx, a, id, version, "add new "+string(e.Type), d, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		var err error
		errs := e.Validate(func(t tracker.EntityType, slug string) bool {
			if slices.ContainsFunc(rec.NewEntities, func(n importer.NewEntity) bool { return n.Type == t && n.Slug == slug }) {
				return true
			}
			var taken bool
			err = tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+entityTables[t].table+` WHERE slug = $1)`, slug).Scan(&taken)
			return taken
		})
		if err != nil {
			return nil, err
		}
		if errs.Any() {
			return nil, &tracker.ValidationError{Fields: errs}
		}
		rec.NewEntities = append(rec.NewEntities, e)
		return e, nil
	})
}

// RemoveDraftEntity takes back a new entity before publishing.
func (db *DB) RemoveDraftEntity(ctx context.Context, a Actor, id int64, version int, d *importer.Decisions, t tracker.EntityType, slug string) error {
	return db.changeDraft(ctx, a, id, version, "remove new "+string(t), d, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		rec.NewEntities = slices.DeleteFunc(rec.NewEntities, func(n importer.NewEntity) bool { return n.Type == t && n.Slug == slug })
		// Nor is it any demand's target any more.
		for i := range rec.Demands {
			rec.Demands[i].Targets = slices.DeleteFunc(slices.Clone(rec.Demands[i].Targets), func(r tracker.EntityRef) bool { return r.Type == t && r.Slug == slug })
			if len(rec.Demands[i].Targets) == 0 {
				rec.Demands[i].Targets = nil
			}
		}
		return map[string]string{"type": string(t), "slug": slug}, nil
	})
}

// AddDraftDemand adds a demand the draft will create when published.
func (db *DB) AddDraftDemand(ctx context.Context, a Actor, id int64, version int, decisions *importer.Decisions, d importer.NewDemand) error {
	return db.changeDraft(ctx, a, id, version, "add demand", decisions, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		p, err := rec.Parse()
		if err != nil {
			return nil, err
		}
		d.Proposal = ""
		if errs := d.Validate(p.Clauses); errs.Any() {
			return nil, &tracker.ValidationError{Fields: errs}
		}
		rec.Demands = append(rec.Demands, d)
		return d, nil
	})
}

// RemoveDraftDemand takes back a demand staff added, named by its key (importer.NewDemand.Key).
func (db *DB) RemoveDraftDemand(ctx context.Context, a Actor, id int64, version int, decisions *importer.Decisions, key string) error {
	return db.changeDraft(ctx, a, id, version, "remove demand", decisions, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		i := slices.IndexFunc(rec.Demands, func(d importer.NewDemand) bool { return d.Proposal == "" && d.Key() == key })
		if i < 0 {
			return nil, tracker.Errorf(tracker.ECONFLICT, "That demand is no longer in this draft; the page now shows the demands it has.")
		}
		d := rec.Demands[i]
		rec.Demands = slices.Delete(rec.Demands, i, i+1)
		return d, nil
	})
}

// DiscardDraft ends a draft without publishing it.
func (db *DB) DiscardDraft(ctx context.Context, a Actor, id int64, version int) error {
	return db.changeDraft(ctx, a, id, version, "discard", nil, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		rec.State = importer.StateDiscarded
		return nil, nil
	})
}

// PublishResult says what publishing wrote.
type PublishResult struct {
	Slug                                           string
	Added, Changed, Removed, Unchanged             int
	Links, People, Organisations, Demands, Updated int
}

// PublishDraft writes a reviewed draft to the public record in one transaction: the new
// people and organisations, the resolution and its clauses (on a re-import, changed in
// place: unchanged clauses keep their links, demands and the history citing them), the
// accepted links and the demands. It refuses, writing nothing, when that would lose a
// demand or the source of an entry, and when the parser warned about the text and
// warningsSeen does not say that someone compared those lines with the source
// (importer.CheckWarningsSeen: a *tracker.ValidationError on importer.WarningsField).
func (db *DB) PublishDraft(ctx context.Context, a Actor, id int64, version int, warningsSeen bool) (PublishResult, error) {
	var res PublishResult
	err := db.changeDraft(ctx, a, id, version, "publish", nil, func(tx pgx.Tx, rec *importer.Record) (any, error) {
		res = PublishResult{} // from scratch if retried
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('whereas.import'))`); err != nil {
			return nil, err
		}
		// The new entities first, so that the preview made inside this transaction links them.
		for _, e := range rec.NewEntities {
			var tag pgconn.CommandTag
			var err error
			if e.Type == tracker.PersonEntity {
				tag, err = tx.Exec(ctx, `INSERT INTO people (slug, name, aliases, role, place) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (slug) DO NOTHING`,
					e.Slug, e.Name, nonNilStrings(e.Aliases), e.Role, e.Place)
				res.People++
			} else {
				tag, err = tx.Exec(ctx, `INSERT INTO organisations (slug, name, aliases) VALUES ($1, $2, $3) ON CONFLICT (slug) DO NOTHING`,
					e.Slug, e.Name, nonNilStrings(e.Aliases))
				res.Organisations++
			}
			if err != nil {
				return nil, fmt.Errorf("create %s %s: %w", e.Type, e.Slug, err)
			}
			if tag.RowsAffected() == 0 {
				return nil, tracker.Errorf(tracker.ECONFLICT, "Not published: someone has meanwhile added a %s at %s. Remove %s from this draft's new people and organisations; the text will then link to the one that exists.",
					e.Type.Noun(), e.Type.Path(e.Slug), e.Name)
			}
			if err := refreshNames(ctx, tx, e.Type, e.Slug); err != nil {
				return nil, err
			}
			if err := audit(ctx, tx, a, "create from import "+strconv.FormatInt(rec.ID, 10), string(e.Type), e.Slug, nil, e); err != nil {
				return nil, err
			}
		}
		v, err := draftView(ctx, tx, *rec)
		if err != nil {
			return nil, err
		}
		if len(v.Problems) > 0 {
			return nil, tracker.Errorf(tracker.ECONFLICT, "Not published: %s", strings.Join(v.Problems, " "))
		}
		if err := importer.CheckWarningsSeen(v.Preview.Parsed, warningsSeen); err != nil {
			return nil, err
		}
		pv := v.Preview
		res.Slug = v.Address
		var resID int64
		if pv.Existing {
			// The same text again: its reference and date filled in where now known.
			if err := tx.QueryRow(ctx, `UPDATE resolutions SET title = $2, adopted_on = $3, source_text = $4,
				reference = COALESCE(NULLIF($5, ''), reference), text_date = COALESCE($6, text_date), version = version + 1 WHERE slug = $1 RETURNING id`,
				res.Slug, rec.Title, rec.AdoptedOn, rec.SourceText, rec.Reference, nullDate(rec.TextDate)).Scan(&resID); err != nil {
				return nil, err
			}
		} else if err := tx.QueryRow(ctx, `INSERT INTO resolutions (slug, procedure, title, adopted_on, source_text, stage, reference, text_date)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			res.Slug, rec.Procedure, rec.Title, rec.AdoptedOn, rec.SourceText, rec.Stage, rec.Reference, nullDate(rec.TextDate)).Scan(&resID); err != nil {
			return nil, err
		}
		ids, err := writeClauses(ctx, tx, resID, pv, &res)
		if err != nil {
			return nil, err
		}
		links := pv.AcceptedLinks()
		for eid, ms := range links {
			for _, m := range ms {
				sql := `INSERT INTO mentions (clause_id, ` + entityTables[m.Type].mentionColumn + `, matched, start_at, end_at)
					SELECT $1, id, $3, $4, $5 FROM ` + entityTables[m.Type].table + ` WHERE slug = $2 ON CONFLICT DO NOTHING`
				tag, err := tx.Exec(ctx, sql, ids[eid], m.Slug, m.Matched, m.Start, m.End)
				if err != nil {
					return nil, fmt.Errorf("link %s to %s: %w", eid, m.Slug, err)
				}
				res.Links += int(tag.RowsAffected())
			}
		}
		if res.Demands, err = publishDemands(ctx, tx, resID, res.Slug, rec, pv.Parsed.Clauses); err != nil {
			return nil, err
		}
		rec.State = importer.StatePublished
		if err := audit(ctx, tx, a, "publish from import "+strconv.FormatInt(rec.ID, 10), "resolution", res.Slug, nil, res); err != nil {
			return nil, err
		}
		return res, nil
	})
	return res, err
}

// writeClauses stores the draft's clauses: new ones inserted, changed ones updated in
// place (their links re-anchored where the linked words remain, their demands' spans
// found again), removed ones deleted. It returns every clause's id by eId.
func writeClauses(ctx context.Context, tx pgx.Tx, resID int64, pv importer.Preview, res *PublishResult) (map[string]int64, error) {
	ids := map[string]int64{}
	// Positions are unique per resolution: move the old ones out of the way first.
	if _, err := tx.Exec(ctx, `UPDATE clauses SET position = position + 1000000 WHERE resolution_id = $1`, resID); err != nil {
		return nil, err
	}
	for _, c := range pv.Removed {
		if _, err := tx.Exec(ctx, `DELETE FROM clauses WHERE resolution_id = $1 AND eid = $2`, resID, c.EID); err != nil {
			return nil, fmt.Errorf("remove clause %s: %w", c.EID, err)
		}
		res.Removed++
	}
	for _, cr := range pv.Clauses {
		c := cr.Clause
		var id int64
		switch cr.Change {
		case importer.Added:
			if err := tx.QueryRow(ctx, `INSERT INTO clauses (resolution_id, kind, label, eid, position, text) VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`,
				resID, c.Kind, c.Label, c.EID, c.Position, c.Text).Scan(&id); err != nil {
				return nil, fmt.Errorf("insert clause %s: %w", c.EID, err)
			}
			res.Added++
		default:
			if err := tx.QueryRow(ctx, `UPDATE clauses SET kind = $3, label = $4, position = $5, text = $6 WHERE resolution_id = $1 AND eid = $2 RETURNING id`,
				resID, c.EID, c.Kind, c.Label, c.Position, c.Text).Scan(&id); err != nil {
				return nil, fmt.Errorf("update clause %s: %w", c.EID, err)
			}
			if cr.Change == importer.Changed {
				res.Changed++
				if err := reanchor(ctx, tx, id, c.Text); err != nil {
					return nil, err
				}
			} else {
				res.Unchanged++
			}
		}
		ids[c.EID] = id
	}
	return ids, nil
}

// reanchor moves a changed clause's links and demands to where their words now stand, and
// drops links whose words are gone (the linker proposes the right ones again).
func reanchor(ctx context.Context, tx pgx.Tx, clauseID int64, text string) error {
	rows, _ := tx.Query(ctx, `SELECT id, matched, concat_ws('/', person_id, organisation_id, legal_provision_id, case_id) FROM mentions
		WHERE clause_id = $1 ORDER BY start_at, id`, clauseID)
	type span struct {
		id           int64
		matched, ent string
	}
	spans, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (span, error) {
		var s span
		return s, row.Scan(&s.id, &s.matched, &s.ent)
	})
	if err != nil {
		return err
	}
	// Move them all aside first: the new spans may cross the old ones in the unique index.
	if _, err := tx.Exec(ctx, `UPDATE mentions SET start_at = start_at + 1000000, end_at = end_at + 1000000 WHERE clause_id = $1`, clauseID); err != nil {
		return err
	}
	from := map[string]int{} // where to look next for the same words, so repeats keep their order
	placed := map[string]bool{}
	for _, s := range spans {
		i := strings.Index(text[from[s.matched]:], s.matched)
		key := ""
		if i >= 0 {
			i += from[s.matched]
			from[s.matched] = i + len(s.matched)
			key = fmt.Sprintf("%s@%d", s.ent, i)
		}
		if i < 0 || placed[key] {
			if _, err := tx.Exec(ctx, `DELETE FROM mentions WHERE id = $1`, s.id); err != nil {
				return err
			}
			continue
		}
		placed[key] = true
		start := utf8.RuneCountInString(text[:i])
		if _, err := tx.Exec(ctx, `UPDATE mentions SET start_at = $2, end_at = $3 WHERE id = $1`, s.id, start, start+utf8.RuneCountInString(s.matched)); err != nil {
			return err
		}
	}
	rows, _ = tx.Query(ctx, `SELECT id, wording FROM demands WHERE clause_id = $1`, clauseID)
	var id int64
	var wording string
	type move struct {
		id         int64
		start, end int
	}
	var moves []move
	if _, err := pgx.ForEachRow(rows, []any{&id, &wording}, func() error {
		if i := strings.Index(text, wording); i >= 0 {
			s := utf8.RuneCountInString(text[:i])
			moves = append(moves, move{id, s, s + utf8.RuneCountInString(wording)})
		}
		return nil
	}); err != nil {
		return err
	}
	for _, m := range moves {
		if _, err := tx.Exec(ctx, `UPDATE demands SET start_at = $2, end_at = $3 WHERE id = $1`, m.id, m.start, m.end); err != nil {
			return err
		}
	}
	return nil
}

// publishDemands stores the draft's new demands, each starting as "unknown", quoting the
// clauses the preview parsed.
func publishDemands(ctx context.Context, tx pgx.Tx, resID int64, resSlug string, rec *importer.Record, clauses []tracker.Clause) (int, error) {
	var ds []seed.Demand
	next := map[string]int{}
	for _, d := range rec.Demands {
		i := slices.IndexFunc(clauses, func(c tracker.Clause) bool { return c.EID == d.Clause })
		if i < 0 {
			continue
		}
		text := clauses[i].Text
		at := strings.Index(text, d.Wording)
		if at < 0 {
			continue
		}
		if _, ok := next[d.Clause]; !ok {
			var n0 int
			if err := tx.QueryRow(ctx, `SELECT COALESCE(max(d.position), 0) FROM demands d JOIN clauses c ON c.id = d.clause_id
				WHERE c.resolution_id = $1 AND c.eid = $2`, resID, d.Clause).Scan(&n0); err != nil {
				return 0, err
			}
			next[d.Clause] = n0
		}
		next[d.Clause]++
		start := utf8.RuneCountInString(text[:at])
		sd := seed.Demand{Slug: fmt.Sprintf("%s-%s-%d", resSlug, strings.ReplaceAll(strings.ReplaceAll(d.Clause, "__", "-"), "_", "-"), next[d.Clause]),
			Position: next[d.Clause], Clause: d.Clause, Action: d.Action, Wording: d.Wording, Start: start, End: start + utf8.RuneCountInString(d.Wording),
			State: tracker.DemandState("unknown")}
		for _, t := range d.Targets {
			switch t.Type {
			case tracker.PersonEntity:
				sd.Targets.People = append(sd.Targets.People, t.Slug)
			case tracker.OrganisationEntity:
				sd.Targets.Organisations = append(sd.Targets.Organisations, t.Slug)
			case tracker.LegalProvisionEntity:
				sd.Targets.LegalProvisions = append(sd.Targets.LegalProvisions, t.Slug)
			case tracker.CaseEntity:
				sd.Targets.Cases = append(sd.Targets.Cases, t.Slug)
			}
		}
		ds = append(ds, sd)
	}
	return importDemands(ctx, tx, resID, rec.AdoptedOn, ds)
}

func nonNilStrings(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// stageSlug is the address a new text of a procedure gets: the procedure's own
// ("2019-2610-rsp") for its first text, then the procedure's with the stage
// ("2019-2610-rsp-adopted", "2019-2610-rsp-joint-motion"), then with the document number
// ("2019-2610-rsp-motion-b8-0181-2019") for a second group's motion.
func stageSlug(ctx context.Context, tx pgx.Tx, rec importer.Record) (string, error) {
	base := tracker.SlugForProcedure(rec.Procedure)
	candidates := []string{base, base + "-" + tracker.SlugForProcedure(string(rec.Stage))}
	if rec.Reference != "" {
		candidates = append(candidates, candidates[1]+"-"+tracker.SlugForProcedure(rec.Reference))
	}
	candidates = append(candidates, candidates[1]+"-"+strconv.FormatInt(rec.ID, 10))
	for _, c := range candidates {
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM resolutions WHERE slug = $1)`, c).Scan(&taken); err != nil {
			return "", err
		}
		if !taken {
			return c, nil
		}
	}
	return "", tracker.Errorf(tracker.ECONFLICT, "Every address this text could have is taken.")
}
