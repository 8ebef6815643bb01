package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/importer"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/internal/translit"
)

// Creating, retiring and restoring records, and editing organisations and legal provisions
// (issue 13 §1). Every change runs in one tracked transaction with its audit entry.

// resolveRefs turns what staff typed to link records (a slug, or a name or alias in any
// spelling the search folds together) into slugs. A slug names any record, retired ones
// included, so an existing link survives a save; a name finds live records only. Items
// nothing matches, or several records match, come back as a message for the field and are
// left as typed.
func resolveRefs(ctx context.Context, tx pgx.Tx, t tracker.EntityType, items []string) ([]string, string, error) {
	table := entityTables[t].table
	out := make([]string, 0, len(items))
	var missing, ambiguous []string
	for _, item := range items {
		var slug string
		err := tx.QueryRow(ctx, `SELECT slug FROM `+table+` WHERE slug = $1`, item).Scan(&slug)
		if err == nil {
			out = append(out, slug)
			continue
		} else if !errors.Is(err, pgx.ErrNoRows) {
			return nil, "", err
		}
		rows, _ := tx.Query(ctx, `SELECT DISTINCT entity_slug FROM search_names WHERE entity_type = $1 AND key = $2 ORDER BY 1 LIMIT 6`,
			string(t), translit.Key(item))
		slugs, err := pgx.CollectRows(rows, pgx.RowTo[string])
		if err != nil {
			return nil, "", err
		}
		switch len(slugs) {
		case 1:
			out = append(out, slugs[0])
		case 0:
			missing = append(missing, item)
			out = append(out, item)
		default:
			ambiguous = append(ambiguous, fmt.Sprintf("%q could be %s", item, strings.Join(slugs, ", ")))
			out = append(out, item)
		}
	}
	var msg []string
	if len(missing) > 0 {
		msg = append(msg, "Not found: "+strings.Join(missing, ", ")+". Give each by its name or its slug (the end of its address).")
	}
	if len(ambiguous) > 0 {
		msg = append(msg, "Several records have this name: "+strings.Join(ambiguous, "; ")+". Give the slug of the one you mean.")
	}
	return out, strings.Join(msg, " "), nil
}

// dedupe keeps the first of each item.
func dedupe(items []string) []string {
	seen := map[string]bool{}
	out := items[:0]
	for _, s := range items {
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}

// resolveCase turns the names a case edit links into slugs, in place, and says per field
// which ones it could not.
func resolveCase(ctx context.Context, tx pgx.Tx, e *tracker.CaseEdit) (tracker.FieldErrors, error) {
	errs := tracker.FieldErrors{}
	for _, ref := range []struct {
		field string
		t     tracker.EntityType
		items *[]string
	}{{"people", tracker.PersonEntity, &e.People}, {"organisations", tracker.OrganisationEntity, &e.Organisations},
		{"legal_provisions", tracker.LegalProvisionEntity, &e.LegalProvisions}} {
		slugs, msg, err := resolveRefs(ctx, tx, ref.t, *ref.items)
		if err != nil {
			return nil, err
		}
		*ref.items = dedupe(slugs)
		if msg != "" {
			errs[ref.field] = msg
		}
	}
	// Charges name their provisions like the laws used; each keeps its own detail.
	charges := make([]tracker.ChargeEdit, len(e.Facts.Charges))
	for i, c := range e.Facts.Charges {
		slugs, msg, err := resolveRefs(ctx, tx, tracker.LegalProvisionEntity, []string{c.Slug})
		if err != nil {
			return nil, err
		}
		charges[i] = tracker.ChargeEdit{Slug: slugs[0], Detail: c.Detail}
		if msg != "" {
			errs["charges"] = strings.TrimSpace(errs["charges"] + " " + msg)
		}
	}
	e.Facts.Charges = charges
	return errs, nil
}

// resolveAffiliations turns the organisations of a person's affiliations into slugs, in place.
func resolveAffiliations(ctx context.Context, tx pgx.Tx, as []tracker.AffiliationEdit) (string, error) {
	names := make([]string, len(as))
	for i, a := range as {
		names[i] = a.Organisation
	}
	var msgs []string
	for i, a := range as {
		slugs, msg, err := resolveRefs(ctx, tx, tracker.OrganisationEntity, []string{a.Organisation})
		if err != nil {
			return "", err
		}
		as[i].Organisation = slugs[0]
		if msg != "" {
			msgs = append(msgs, msg)
		}
	}
	return strings.Join(msgs, " "), nil
}

// writeAffiliations replaces a person's affiliations, when they changed.
func writeAffiliations(ctx context.Context, tx pgx.Tx, personID int64, before, after []tracker.AffiliationEdit) error {
	if tracker.AffiliationLines(before) == tracker.AffiliationLines(after) {
		return nil
	}
	// Affiliations with retired organisations are not in the form and stay as they are.
	if _, err := tx.Exec(ctx, `DELETE FROM affiliations WHERE person_id = $1
		AND organisation_id NOT IN (SELECT id FROM organisations WHERE retired_at IS NOT NULL)`, personID); err != nil {
		return err
	}
	for _, a := range after {
		if _, err := tx.Exec(ctx, `INSERT INTO affiliations (person_id, organisation_id, role)
			SELECT $1, id, $3 FROM organisations WHERE slug = $2 ON CONFLICT (person_id, organisation_id) DO UPDATE SET role = EXCLUDED.role`,
			personID, a.Organisation, strings.TrimSpace(a.Role)); err != nil {
			return err
		}
	}
	return nil
}

// maxSlugBase leaves room for a "-N" suffix under the 200 characters a slug may have.
const maxSlugBase = 180

// chooseSlug picks the slug of a new record: the one proposed, when it is well formed
// (422 otherwise) and free (409 otherwise); or one made from the name, transliterated,
// with -2, -3… when it is taken. Writers of tracked tables run one at a time (tx.go), so
// the slug stays free until the insert.
func chooseSlug(ctx context.Context, tx pgx.Tx, t tracker.EntityType, proposed, name string) (string, error) {
	table := entityTables[t].table
	if proposed = strings.TrimSpace(proposed); proposed != "" {
		if msg := tracker.ProposedSlugError(proposed); msg != "" {
			return "", &tracker.ValidationError{Fields: tracker.FieldErrors{"slug": msg}}
		}
		var taken bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+table+` WHERE slug = $1)`, proposed).Scan(&taken); err != nil {
			return "", err
		}
		if taken {
			return "", tracker.Errorf(tracker.ECONFLICT, "The slug %q is taken by another %s (%s): choose another, or leave it empty to have one made from the name.",
				proposed, t.Noun(), t.Path(proposed))
		}
		return proposed, nil
	}
	base := importer.SlugFor(name)
	if len(base) > maxSlugBase {
		base = strings.TrimRight(base[:maxSlugBase], "-")
	}
	if base == "" || base == "new" {
		base = strings.ReplaceAll(string(t), "_", "-") // "new" is the address of the form
	}
	rows, _ := tx.Query(ctx, `SELECT slug FROM `+table+` WHERE slug = $1 OR slug LIKE $1 || '-%'`, base)
	taken, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		return "", err
	}
	used := map[string]bool{}
	for _, s := range taken {
		used[s] = true
	}
	slug := base
	for n := 2; used[slug]; n++ {
		slug = fmt.Sprintf("%s-%d", base, n)
	}
	return slug, nil
}

// createError passes validation errors and conflicts through and translates the rest.
func createError(err error, what string) error { return editError(err, what) }

// CreatePerson adds a person, their affiliations and search names, audited, and returns
// the slug given. People may share a name: a new person named like another is created
// (the form warns beforehand; see SameName).
func (db *DB) CreatePerson(ctx context.Context, a Actor, e tracker.PersonEdit) (string, error) {
	var slug string
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		e := e
		e.Affiliations = append([]tracker.AffiliationEdit(nil), e.Affiliations...)
		errs := e.Validate()
		msg, err := resolveAffiliations(ctx, tx, e.Affiliations)
		if err != nil {
			return err
		}
		if msg != "" {
			errs["affiliations"] = msg
		}
		if msg := tracker.ProposedSlugError(e.Slug); msg != "" {
			errs["slug"] = msg
		}
		if errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		if slug, err = chooseSlug(ctx, tx, tracker.PersonEntity, e.Slug, e.Name); err != nil {
			return err
		}
		after := personSnapshotOf(e)
		bornOn, _ := tracker.ParseBornOn(e.BornOn, time.Now())
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO people (slug, name, aliases, role, place, notes, internal_notes, born_on, name_ru, name_kk)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id`, slug, after.Name, after.Aliases, after.Role, after.Place,
			after.Notes, after.InternalNotes, bornOn, after.NameRU, after.NameKK).Scan(&id); err != nil {
			return err
		}
		if err := writeAffiliations(ctx, tx, id, nil, e.Affiliations); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, tracker.PersonEntity, slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "create", "person", slug, 1, nil, after)
	})
	return slug, createError(err, "person")
}

// CreateCase adds a case concerning people and organisations (by name or slug) under
// legal provisions, with its facts, derives its clause mentions from them, and audits it.
func (db *DB) CreateCase(ctx context.Context, a Actor, e tracker.CaseEdit) (string, error) {
	var slug string
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		e := e
		refErrs, err := resolveCase(ctx, tx, &e)
		if err != nil {
			return err
		}
		errs, facts := e.ValidateOn(time.Now())
		for f, m := range refErrs {
			if errs[f] == "" {
				errs[f] = m
			}
		}
		if msg := tracker.ProposedSlugError(e.Slug); msg != "" {
			errs["slug"] = msg
		}
		if errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		if slug, err = chooseSlug(ctx, tx, tracker.CaseEntity, e.Slug, e.Title); err != nil {
			return err
		}
		saved := e.Facts.Checked(facts)
		after := caseSnapshotOf(e, saved)
		var id int64
		if err := tx.QueryRow(ctx, `INSERT INTO cases (slug, title, summary, internal_notes) VALUES ($1, $2, $3, $4) RETURNING id`,
			slug, after.Title, after.Summary, after.InternalNotes).Scan(&id); err != nil {
			return err
		}
		if err := writeFacts(ctx, tx, id, tracker.FactsEdit{}, saved); err != nil {
			return err
		}
		if err := writeCaseLinks(ctx, tx, id, caseSnapshot{}, after); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, tracker.CaseEntity, slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "create", "case", slug, 1, nil, after)
	})
	return slug, createError(err, "case")
}

// namedKind describes organisations and legal provisions, whose fields are a name,
// aliases and texts: the text columns (named as their fields) and how the domain checks
// them. Table and column names come from these fixed values, never from a request.
type namedKind struct {
	typ      tracker.EntityType
	table    string
	texts    []string
	validate func(tracker.Values) tracker.FieldErrors
	edited   editedRecord
}

var (
	organisationKind = namedKind{tracker.OrganisationEntity, "organisations", []string{"name_ru", "name_kk", "kind", "notes"},
		func(v tracker.Values) tracker.FieldErrors { return tracker.OrganisationEdit{}.WithValues(v).Validate() },
		editedRecord{"organisation", tracker.OrganisationFields, "organisation", namedSnapshotValues}}
	legalProvisionKind = namedKind{tracker.LegalProvisionEntity, "legal_provisions", []string{"name_ru", "name_kk", "jurisdiction", "citation", "official_url", "notes"},
		func(v tracker.Values) tracker.FieldErrors {
			return tracker.LegalProvisionEdit{}.WithValues(v).Validate()
		},
		editedRecord{"legal_provision", tracker.LegalProvisionFields, "legal provision", namedSnapshotValues}}
)

// namedSnapshot is how an organisation or a legal provision appears in the audit log.
type namedSnapshot map[string]any

// snapshotOf is the audit snapshot of values as they are saved: texts trimmed, aliases a list.
func (k namedKind) snapshotOf(v tracker.Values) namedSnapshot {
	s := namedSnapshot{"name": strings.TrimSpace(v["name"]), "aliases": tracker.SplitLines(v["aliases"])}
	for _, c := range k.texts {
		s[c] = strings.TrimSpace(v[c])
	}
	return s
}

func (k namedKind) args(s namedSnapshot) []any {
	out := []any{s["name"], s["aliases"]}
	for _, c := range k.texts {
		out = append(out, s[c])
	}
	return out
}

// namedSnapshotValues reads an audit snapshot of an organisation or provision back as values.
func namedSnapshotValues(b []byte) (tracker.Values, error) {
	var s map[string]any
	if err := json.Unmarshal(b, &s); err != nil {
		return nil, err
	}
	v := tracker.Values{}
	for k, x := range s {
		switch x := x.(type) {
		case string:
			v[k] = x
		case []any:
			var ls []string
			for _, i := range x {
				ls = append(ls, fmt.Sprint(i))
			}
			v[k] = strings.Join(ls, "\n")
		}
	}
	return v, nil
}

// createNamed adds an organisation or a legal provision.
func (db *DB) createNamed(ctx context.Context, a Actor, k namedKind, proposed string, v tracker.Values) (string, error) {
	var slug string
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		errs := k.validate(v)
		if msg := tracker.ProposedSlugError(proposed); msg != "" {
			errs["slug"] = msg
		}
		if errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		var err error
		if slug, err = chooseSlug(ctx, tx, k.typ, proposed, v["name"]); err != nil {
			return err
		}
		after := k.snapshotOf(v)
		cols, params := "slug, name, aliases", "$1, $2, $3"
		for i, c := range k.texts {
			cols += ", " + c
			params += fmt.Sprintf(", $%d", i+4)
		}
		if _, err := tx.Exec(ctx, `INSERT INTO `+k.table+` (`+cols+`) VALUES (`+params+`)`, append([]any{slug}, k.args(after)...)...); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, k.typ, slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "create", string(k.typ), slug, 1, nil, after)
	})
	return slug, createError(err, k.typ.Noun())
}

// updateNamed saves an edit of an organisation or a legal provision, merged field by field
// with what was saved since its version, like UpdatePerson.
func (db *DB) updateNamed(ctx context.Context, a Actor, k namedKind, slug string, r tracker.Revision, mine tracker.Values) (tracker.Merge, error) {
	var m tracker.Merge
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		var name string
		var aliases []string
		var version int
		texts := make([]string, len(k.texts))
		dest := []any{&name, &aliases, &version}
		for i := range texts {
			dest = append(dest, &texts[i])
		}
		if err := tx.QueryRow(ctx, `SELECT name, aliases, version, `+strings.Join(k.texts, ", ")+` FROM `+k.table+` WHERE slug = $1 FOR UPDATE`, slug).
			Scan(dest...); err != nil {
			return err
		}
		theirs := tracker.Values{"name": name, "aliases": strings.Join(aliases, "\n")}
		for i, c := range k.texts {
			theirs[c] = texts[i]
		}
		var err error
		if m, err = mergeEdit(ctx, tx, k.edited, slug, r, mine, theirs, version); err != nil {
			return err
		}
		merged := m.Result()
		if errs := k.validate(merged); errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		before, after := k.snapshotOf(theirs), k.snapshotOf(merged)
		set := "name = $2, aliases = $3"
		for i, c := range k.texts {
			set += fmt.Sprintf(", %s = $%d", c, i+4)
		}
		if _, err := tx.Exec(ctx, `UPDATE `+k.table+` SET `+set+`, version = version + 1 WHERE slug = $1`, append([]any{slug}, k.args(after)...)...); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, k.typ, slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "edit", string(k.typ), slug, version+1, before, after)
	})
	return m, editError(err, k.typ.Noun())
}

// CreateOrganisation adds an organisation and returns its slug.
func (db *DB) CreateOrganisation(ctx context.Context, a Actor, e tracker.OrganisationEdit) (string, error) {
	return db.createNamed(ctx, a, organisationKind, e.Slug, e.Values())
}

// UpdateOrganisation saves an edit of an organisation.
func (db *DB) UpdateOrganisation(ctx context.Context, a Actor, e tracker.OrganisationEdit) (tracker.Merge, error) {
	return db.updateNamed(ctx, a, organisationKind, e.Slug, e.Revision, e.Values())
}

// CreateLegalProvision adds a legal provision and returns its slug.
func (db *DB) CreateLegalProvision(ctx context.Context, a Actor, e tracker.LegalProvisionEdit) (string, error) {
	return db.createNamed(ctx, a, legalProvisionKind, e.Slug, e.Values())
}

// UpdateLegalProvision saves an edit of a legal provision.
func (db *DB) UpdateLegalProvision(ctx context.Context, a Actor, e tracker.LegalProvisionEdit) (tracker.Merge, error) {
	return db.updateNamed(ctx, a, legalProvisionKind, e.Slug, e.Revision, e.Values())
}

// SetRetired retires a record (retire true) or restores it: it leaves, or comes back to,
// the public lists, counts, search and exports. The record's version moves where it has
// one, so a form opened before is merged against the change. Retiring a retired record,
// or restoring a live one, is a conflict.
func (db *DB) SetRetired(ctx context.Context, a Actor, t tracker.EntityType, slug string, retire bool) error {
	table := entityTables[t].table
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		var id int64
		var retired bool
		var version int
		if err := tx.QueryRow(ctx, `SELECT id, retired_at IS NOT NULL, COALESCE(version, 0) FROM `+table+` WHERE slug = $1 FOR UPDATE`, slug).
			Scan(&id, &retired, &version); err != nil {
			return err
		}
		if retired == retire {
			if retire {
				return tracker.Errorf(tracker.ECONFLICT, "This %s is retired already.", t.Noun())
			}
			return tracker.Errorf(tracker.ECONFLICT, "This %s is not retired.", t.Noun())
		}
		q := `UPDATE ` + table + ` SET retired_at = now(), retired_by = $2, version = version + 1 WHERE id = $1`
		action := "retire"
		if !retire {
			q = `UPDATE ` + table + ` SET retired_at = NULL, retired_by = NULL, version = version + 1 WHERE id = $1`
			action = "restore"
		}
		if t == tracker.CaseEntity {
			q = strings.Replace(q, "version = version + 1", "version = version + 1, updated_at = now()", 1)
		}
		args := []any{id}
		if retire {
			args = append(args, a.Name)
		}
		if _, err := tx.Exec(ctx, q, args...); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, t, slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, action, string(t), slug, version+1, map[string]bool{"retired": retired}, map[string]bool{"retired": retire})
	})
	return editError(err, t.Noun())
}

// RecordName reads a record's name (a case's title) and whether it is retired, for the
// pages that confirm retiring it.
func (db *DB) RecordName(ctx context.Context, t tracker.EntityType, slug string) (string, bool, error) {
	col := "name"
	if t == tracker.CaseEntity {
		col = "title"
	}
	var name string
	var retired bool
	err := db.read(ctx).QueryRow(ctx, `SELECT `+col+`, retired_at IS NOT NULL FROM `+entityTables[t].table+` WHERE slug = $1`, slug).Scan(&name, &retired)
	return name, retired, notFoundAs(translate(err, t.Noun()), t.Noun())
}

// SameName lists live people other than slug whose name or an alias has the same search
// key as name: people may share a name, so a new one is created, and the form says so.
func (db *DB) SameName(ctx context.Context, name, slug string) ([]tracker.EntityRef, error) {
	rows, _ := db.read(ctx).Query(ctx, `SELECT DISTINCT entity_slug, entity_name FROM search_names
		WHERE entity_type = 'person' AND key = $1 AND entity_slug <> $2 ORDER BY 2, 1 LIMIT 5`, translit.Key(name), slug)
	refs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.EntityRef, error) {
		ref := tracker.EntityRef{Type: tracker.PersonEntity}
		return ref, r.Scan(&ref.Slug, &ref.Name)
	})
	return refs, translate(err, "people")
}
