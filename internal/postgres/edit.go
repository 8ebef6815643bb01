package postgres

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// caseSnapshot is how a case appears in the audit log.
type caseSnapshot struct {
	Title           string   `json:"title"`
	Summary         string   `json:"summary"`
	People          []string `json:"people"`
	Organisations   []string `json:"organisations"`
	LegalProvisions []string `json:"legal_provisions"`
	InternalNotes   string   `json:"internal_notes,omitempty"`
	factsSnapshot
}

// factsSnapshot is how a case's facts appear in its audit snapshot: as typed, a fact not
// recorded left out. Snapshots from before facts existed read back as no facts.
type factsSnapshot struct {
	DetainedOn     string           `json:"detained_on,omitempty"`
	Charges        []chargeSnapshot `json:"charges,omitempty"`
	Court          string           `json:"court,omitempty"`
	CaseNumber     string           `json:"case_number,omitempty"`
	VerdictOn      string           `json:"verdict_on,omitempty"`
	Sentence       string           `json:"sentence,omitempty"`
	SentenceMonths string           `json:"sentence_months,omitempty"`
	ReleaseDueOn   string           `json:"release_due_on,omitempty"`
	NextHearingOn  string           `json:"next_hearing_on,omitempty"`
	Facility       string           `json:"facility,omitempty"`
	FacilityPublic bool             `json:"facility_public,omitempty"`
}

type chargeSnapshot struct {
	LegalProvision string `json:"legal_provision"`
	Detail         string `json:"detail,omitempty"`
}

func snapshotFacts(f tracker.FactsEdit) factsSnapshot {
	s := factsSnapshot{DetainedOn: f.DetainedOn, Court: f.Court, CaseNumber: f.CaseNumber, VerdictOn: f.VerdictOn, Sentence: f.Sentence,
		SentenceMonths: f.SentenceMonths, ReleaseDueOn: f.ReleaseDueOn, NextHearingOn: f.NextHearingOn, Facility: f.Facility, FacilityPublic: f.FacilityPublic}
	for _, c := range f.Charges {
		s.Charges = append(s.Charges, chargeSnapshot{LegalProvision: c.Slug, Detail: c.Detail})
	}
	return s
}

func (s factsSnapshot) edit() tracker.FactsEdit {
	f := tracker.FactsEdit{DetainedOn: s.DetainedOn, Court: s.Court, CaseNumber: s.CaseNumber, VerdictOn: s.VerdictOn, Sentence: s.Sentence,
		SentenceMonths: s.SentenceMonths, ReleaseDueOn: s.ReleaseDueOn, NextHearingOn: s.NextHearingOn, Facility: s.Facility, FacilityPublic: s.FacilityPublic}
	for _, c := range s.Charges {
		f.Charges = append(f.Charges, tracker.ChargeEdit{Slug: c.LegalProvision, Detail: c.Detail})
	}
	return f
}

// edit is the snapshot as an edit of the case that changes nothing.
func (s caseSnapshot) edit() tracker.CaseEdit {
	return tracker.CaseEdit{Title: s.Title, Summary: s.Summary, People: s.People, Organisations: s.Organisations,
		LegalProvisions: s.LegalProvisions, InternalNotes: s.InternalNotes, Facts: s.factsSnapshot.edit()}
}

// readFacts reads a case's facts as its edit form holds them, for the snapshot before an edit.
func readFacts(ctx context.Context, tx pgx.Tx, caseID int64) (tracker.FactsEdit, error) {
	var f tracker.Facts
	var d factDates
	if err := tx.QueryRow(ctx, `SELECT `+factDateColumns+`, court, case_number, sentence, sentence_months, facility, facility_public
			FROM cases k WHERE id = $1`, caseID).
		Scan(append(d.targets(), &f.Court, &f.CaseNumber, &f.Sentence, &f.SentenceMonths, &f.Facility, &f.FacilityPublic)...); err != nil {
		return tracker.FactsEdit{}, err
	}
	d.set(&f)
	rows, _ := tx.Query(ctx, `SELECT l.slug, ch.detail FROM case_charges ch JOIN legal_provisions l ON l.id = ch.legal_provision_id
		WHERE ch.case_id = $1 ORDER BY ch.position`, caseID)
	charges, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Charge, error) {
		var c tracker.Charge
		return c, r.Scan(&c.Provision.Slug, &c.Detail)
	})
	f.Charges = charges
	return tracker.FactsEditOf(f), err
}

// writeFacts saves a case's checked facts; its charges are rewritten only when they change,
// so an edit that leaves them moves no public data.
func writeFacts(ctx context.Context, tx pgx.Tx, caseID int64, before tracker.FactsEdit, f tracker.Facts) error {
	date := func(t time.Time) *time.Time {
		if t.IsZero() {
			return nil
		}
		return &t
	}
	precision := func(w tracker.When) tracker.Precision {
		if w.IsZero() {
			return tracker.ByDay // the column's default: no date, nothing to be precise about
		}
		return w.Precision
	}
	if _, err := tx.Exec(ctx, `UPDATE cases SET detained_on = $2, court = $3, case_number = $4, verdict_on = $5, sentence = $6, sentence_months = $7,
			release_due_on = $8, next_hearing_on = $9, facility = $10, facility_public = $11, detained_on_precision = $12, verdict_on_precision = $13
			WHERE id = $1`,
		caseID, date(f.DetainedOn.Start), f.Court, f.CaseNumber, date(f.VerdictOn.Start), f.Sentence, f.SentenceMonths, date(f.ReleaseDueOn), date(f.NextHearingOn),
		f.Facility, f.FacilityPublic, string(precision(f.DetainedOn)), string(precision(f.VerdictOn))); err != nil {
		return fmt.Errorf("save facts: %w", err)
	}
	after := tracker.FactsEditOf(f)
	if slices.Equal(before.Charges, after.Charges) {
		return nil
	}
	if _, err := tx.Exec(ctx, `DELETE FROM case_charges WHERE case_id = $1`, caseID); err != nil {
		return fmt.Errorf("clear charges: %w", err)
	}
	slugs, details := make([]string, len(after.Charges)), make([]string, len(after.Charges))
	for i, c := range after.Charges {
		slugs[i], details[i] = c.Slug, c.Detail
	}
	_, err := tx.Exec(ctx, `INSERT INTO case_charges (case_id, position, legal_provision_id, detail)
		SELECT $1, c.n, l.id, c.detail FROM unnest($2::text[], $3::text[]) WITH ORDINALITY AS c(slug, detail, n) JOIN legal_provisions l ON l.slug = c.slug`,
		caseID, slugs, details)
	if err != nil {
		return fmt.Errorf("save charges: %w", err)
	}
	return nil
}

// caseSnapshotOf is the audit snapshot of a case as an edit saves it, with its checked facts.
func caseSnapshotOf(e tracker.CaseEdit, facts tracker.Facts) caseSnapshot {
	return caseSnapshot{Title: strings.TrimSpace(e.Title), Summary: strings.TrimSpace(e.Summary), People: nonNilStrings(e.People),
		Organisations: nonNilStrings(e.Organisations), LegalProvisions: nonNilStrings(e.LegalProvisions), InternalNotes: strings.TrimSpace(e.InternalNotes),
		factsSnapshot: snapshotFacts(tracker.FactsEditOf(facts))}
}

// writeCaseLinks rewrites a case's people, organisations and legal provisions where they
// differ from before, and its mentions when its subjects changed. Rewriting them unchanged
// would move the public data version when only internal notes were edited.
func writeCaseLinks(ctx context.Context, tx pgx.Tx, id int64, before, after caseSnapshot) error {
	subjectsChanged := false
	for _, q := range []struct {
		table, column, linked string
		before, after         []string
		subjects              bool
	}{
		{"case_people", "person_id", "people", before.People, after.People, true},
		{"case_organisations", "organisation_id", "organisations", before.Organisations, after.Organisations, true},
		{"case_legal_provisions", "legal_provision_id", "legal_provisions", before.LegalProvisions, after.LegalProvisions, false},
	} {
		if sameSlugs(q.before, q.after) {
			continue
		}
		subjectsChanged = subjectsChanged || q.subjects
		// Links to retired records are not in the form (caseSelect) and stay as they are, so
		// a restored record is linked to the case again.
		if _, err := tx.Exec(ctx, `DELETE FROM `+q.table+` WHERE case_id = $1
			AND `+q.column+` NOT IN (SELECT id FROM `+q.linked+` WHERE retired_at IS NOT NULL)`, id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+q.table+` (case_id, `+q.column+`) SELECT $1, id FROM `+q.linked+` WHERE slug = ANY($2) ON CONFLICT DO NOTHING`, id, q.after); err != nil {
			return err
		}
	}
	if subjectsChanged {
		return refreshCaseMentions(ctx, tx, id)
	}
	return nil
}

// UpdateCase saves an edit of a case: its fields, its subjects and provisions, and the
// case's mentions, which follow its subjects. Linked records may be given by name or slug
// (resolveRefs). An edit made on an older version is merged field by field with what was
// saved since (see mergeEdit), and the merged case is validated; names that match no
// record, or several, are refused per field; the audit entry commits with the change.
// It returns the merge, for the form to say what it took from others.
func (db *DB) UpdateCase(ctx context.Context, a Actor, e tracker.CaseEdit) (tracker.Merge, error) {
	var m tracker.Merge
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		e := e // each attempt merges the edit as it was sent
		var id int64
		var version int
		var before caseSnapshot
		if err := tx.QueryRow(ctx, `SELECT id, version, title, summary, internal_notes,
				ARRAY(SELECT p.slug FROM case_people j JOIN people p ON p.id = j.person_id WHERE j.case_id = k.id AND p.retired_at IS NULL ORDER BY p.slug),
				ARRAY(SELECT o.slug FROM case_organisations j JOIN organisations o ON o.id = j.organisation_id WHERE j.case_id = k.id AND o.retired_at IS NULL ORDER BY o.slug),
				ARRAY(SELECT l.slug FROM case_legal_provisions j JOIN legal_provisions l ON l.id = j.legal_provision_id WHERE j.case_id = k.id AND l.retired_at IS NULL ORDER BY l.slug)
			FROM cases k WHERE slug = $1 FOR UPDATE`, e.Slug).
			Scan(&id, &version, &before.Title, &before.Summary, &before.InternalNotes, &before.People, &before.Organisations, &before.LegalProvisions); err != nil {
			return err
		}
		beforeFacts, err := readFacts(ctx, tx, id)
		if err != nil {
			return err
		}
		before.factsSnapshot = snapshotFacts(beforeFacts)
		// Names become slugs before the merge compares the edit with the saved record.
		if _, err := resolveCase(ctx, tx, &e); err != nil {
			return err
		}
		if m, err = mergeEdit(ctx, tx, editedCase, e.Slug, e.Revision, e.Values(), before.edit().Values(), version); err != nil {
			return err
		}
		e = e.WithValues(m.Result())
		refErrs, err := resolveCase(ctx, tx, &e)
		if err != nil {
			return err
		}
		errs, facts := e.ValidateOn(time.Now())
		for f, msg := range refErrs {
			if errs[f] == "" {
				errs[f] = msg
			}
		}
		if errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		saved := e.Facts.Checked(facts)
		after := caseSnapshotOf(e, saved)
		if _, err := tx.Exec(ctx, `UPDATE cases SET title = $2, summary = $3, internal_notes = $4, version = version + 1, updated_at = now() WHERE id = $1`,
			id, after.Title, after.Summary, after.InternalNotes); err != nil {
			return err
		}
		if err := writeFacts(ctx, tx, id, beforeFacts, saved); err != nil {
			return err
		}
		if err := writeCaseLinks(ctx, tx, id, before, after); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, tracker.CaseEntity, e.Slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "edit", "case", e.Slug, version+1, before, after)
	})
	return m, editError(err, "case")
}

// sameSlugs says whether two lists of slugs name the same records, in any order.
func sameSlugs(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(slices.Compact(a), slices.Compact(b))
}

// editError passes validation errors and conflicts through and translates the rest.
func editError(err error, what string) error {
	var verr *tracker.ValidationError
	if errors.As(err, &verr) || tracker.ErrorCode(err) == tracker.ECONFLICT {
		return err
	}
	return translate(err, what)
}

// refreshCaseMentions makes a case's mentions follow its subjects: a clause mentions the
// case where it names one of the people or organisations the case concerns.
func refreshCaseMentions(ctx context.Context, tx pgx.Tx, caseID int64) error {
	if _, err := tx.Exec(ctx, `DELETE FROM mentions WHERE case_id = $1`, caseID); err != nil {
		return fmt.Errorf("clear case mentions: %w", err)
	}
	_, err := tx.Exec(ctx, `INSERT INTO mentions (clause_id, case_id, matched, start_at, end_at)
		SELECT DISTINCT ON (m.clause_id) m.clause_id, $1, m.matched, m.start_at, m.end_at FROM mentions m
		WHERE m.person_id IN (SELECT person_id FROM case_people WHERE case_id = $1)
		   OR m.organisation_id IN (SELECT organisation_id FROM case_organisations WHERE case_id = $1)
		ORDER BY m.clause_id, m.start_at`, caseID)
	if err != nil {
		return fmt.Errorf("derive case mentions: %w", err)
	}
	return nil
}

// refreshMentionsOfSubject re-derives the mentions of every case concerning an entity.
func refreshMentionsOfSubject(ctx context.Context, tx pgx.Tx, t tracker.EntityType, entityID int64) error {
	var q string
	switch t {
	case tracker.PersonEntity:
		q = `SELECT case_id FROM case_people WHERE person_id = $1`
	case tracker.OrganisationEntity:
		q = `SELECT case_id FROM case_organisations WHERE organisation_id = $1`
	default:
		return nil
	}
	rows, _ := tx.Query(ctx, q, entityID)
	ids, err := pgx.CollectRows(rows, pgx.RowTo[int64])
	if err != nil {
		return err
	}
	for _, id := range ids {
		if err := refreshCaseMentions(ctx, tx, id); err != nil {
			return err
		}
	}
	return nil
}

// AddLink records that a clause names an entity, at the first place its text says
// l.Matched; the cases of that entity follow. Refused, per field, when the clause does not
// contain the words or the entity does not exist.
func (db *DB) AddLink(ctx context.Context, a Actor, l tracker.LinkEdit) error {
	e, ok := entityTables[l.Type]
	if !ok || l.Type == tracker.CaseEntity {
		return &tracker.ValidationError{Fields: tracker.FieldErrors{"type": "Choose a person, organisation or legal provision."}}
	}
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		var clauseID int64
		var text string
		if err := tx.QueryRow(ctx, `SELECT c.id, c.text FROM clauses c JOIN resolutions r ON r.id = c.resolution_id WHERE r.slug = $1 AND c.eid = $2 FOR UPDATE OF c`,
			l.Resolution, l.EID).Scan(&clauseID, &text); err != nil {
			return err
		}
		var entityID int64
		if err := tx.QueryRow(ctx, `SELECT id FROM `+e.table+` WHERE slug = $1`, l.Slug).Scan(&entityID); errors.Is(err, pgx.ErrNoRows) {
			return &tracker.ValidationError{Fields: tracker.FieldErrors{"slug": "No record with this slug."}}
		} else if err != nil {
			return err
		}
		matched := strings.TrimSpace(l.Matched)
		at := strings.Index(text, matched)
		if matched == "" || at < 0 {
			return &tracker.ValidationError{Fields: tracker.FieldErrors{"matched": "Copy the words exactly as the clause has them."}}
		}
		start := len([]rune(text[:at]))
		end := start + len([]rune(matched))
		tag, err := tx.Exec(ctx, `INSERT INTO mentions (clause_id, `+e.mentionColumn+`, matched, start_at, end_at) VALUES ($1, $2, $3, $4, $5) ON CONFLICT DO NOTHING`,
			clauseID, entityID, matched, start, end)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return &tracker.ValidationError{Fields: tracker.FieldErrors{"matched": "This link exists already."}}
		}
		if err := refreshMentionsOfSubject(ctx, tx, l.Type, entityID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "add link", "clause", l.Resolution+"#"+l.EID, nil, map[string]any{"type": l.Type, "slug": l.Slug, "matched": matched, "start": start, "end": end})
	})
	return editError(err, "clause")
}

// RemoveLink deletes a wrongly detected link from a clause; the cases follow.
func (db *DB) RemoveLink(ctx context.Context, a Actor, resolution, eid string, mentionID int64) error {
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		var typ, slug, matched string
		var entityID int64
		err := tx.QueryRow(ctx, `DELETE FROM mentions m USING clauses c, resolutions r
			WHERE m.id = $3 AND c.id = m.clause_id AND r.id = c.resolution_id AND r.slug = $1 AND c.eid = $2 AND m.case_id IS NULL
			RETURNING (SELECT type FROM mention_refs WHERE id = $3), (SELECT slug FROM mention_refs WHERE id = $3), m.matched,
			          COALESCE(m.person_id, m.organisation_id, m.legal_provision_id)`, resolution, eid, mentionID).Scan(&typ, &slug, &matched, &entityID)
		if err != nil {
			return err
		}
		if err := refreshMentionsOfSubject(ctx, tx, tracker.EntityType(typ), entityID); err != nil {
			return err
		}
		return audit(ctx, tx, a, "remove link", "clause", resolution+"#"+eid, map[string]any{"type": typ, "slug": slug, "matched": matched}, nil)
	})
	return editError(err, "link")
}

// ClauseMentions returns one clause with its mentions and their ids, for the link editor.
func (db *DB) ClauseMentions(ctx context.Context, resolution, eid string) (tracker.CitingClause, []int64, error) {
	var c tracker.CitingClause
	var ids []int64
	b := &pgx.Batch{}
	b.Queue(clauseSelect+` WHERE r.slug = $1 AND c.eid = $2`, resolution, eid).Query(func(rows pgx.Rows) error {
		var err error
		c, err = pgx.CollectExactlyOneRow(rows, scanClause)
		return err
	})
	b.Queue(`SELECT mr.id FROM mention_refs mr JOIN clauses c ON c.id = mr.clause_id JOIN resolutions r ON r.id = c.resolution_id
		WHERE r.slug = $1 AND c.eid = $2 ORDER BY mr.start_at, mr.type = 'case', mr.type, mr.slug`, resolution, eid).Query(func(rows pgx.Rows) error {
		var err error
		ids, err = pgx.CollectRows(rows, pgx.RowTo[int64])
		return err
	})
	err := translate(db.read(ctx).SendBatch(ctx, b).Close(), "clause")
	return c, ids, notFoundAs(err, "clause")
}
