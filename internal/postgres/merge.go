package postgres

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// editedRecord is a kind of record the edit forms change: its name in the audit log, the
// fields a merge compares, the noun messages use, and how its audit snapshot reads back.
type editedRecord struct {
	entityType string
	fields     []tracker.Field
	noun       string
	snapshot   func(before []byte) (tracker.Values, error)
}

var (
	editedPerson = editedRecord{"person", tracker.PersonFields, "person", func(b []byte) (tracker.Values, error) {
		var s personSnapshot
		err := json.Unmarshal(b, &s)
		return s.edit().Values(), err
	}}
	editedCase = editedRecord{"case", tracker.CaseFields, "case", func(b []byte) (tracker.Values, error) {
		var s caseSnapshot
		err := json.Unmarshal(b, &s)
		return s.edit().Values(), err
	}}
)

// mergeEdit merges an edit (mine) with the record as it now stands (theirs, at version
// current, locked by the caller) against the record as it stood at the edit's version,
// read back from the audit log: the "before" of the first edit after that version, or the
// record itself when only history entries were added since. The base comes from the
// database, never from the client, so a tampered form cannot pass off another editor's
// change as its own. A merge with conflicts, or any stale version when r.Strict, is
// refused with a *tracker.ConflictError that carries it.
func mergeEdit(ctx context.Context, tx pgx.Tx, rec editedRecord, slug string, r tracker.Revision, mine, theirs tracker.Values, current int) (tracker.Merge, error) {
	m := tracker.Merge{Version: current, BaseKnown: true}
	base := theirs
	if r.Version != current {
		var err error
		if base, err = valuesAt(ctx, tx, rec, slug, r.Version, current, theirs, &m); err != nil {
			return m, err
		}
		m.BaseKnown = base != nil
	}
	m.Fields = tracker.MergeFields(rec.fields, r, base, mine, theirs)
	conflicts := m.Conflicts()
	labels := make([]string, len(conflicts))
	for i, f := range conflicts {
		labels[i] = f.Label
	}
	switch {
	case r.Strict && r.Version != current:
		msg := fmt.Sprintf("This %s changed since version %d; it is now at version %d. Read it again and send your change with that version.", rec.noun, r.Version, current)
		if len(conflicts) > 0 {
			msg += " Fields you send that were also changed meanwhile: " + strings.Join(labels, ", ") + "."
		}
		return m, &tracker.ConflictError{Merge: m, Message: msg}
	case len(conflicts) > 0:
		return m, &tracker.ConflictError{Merge: m, Message: fmt.Sprintf("Someone else saved this %s while you were editing, and you both changed: %s. Choose which value to keep for each; everything else is merged.",
			rec.noun, strings.Join(labels, ", "))}
	}
	return m, nil
}

// valuesAt reads back a record's fields as they stood at version, and notes in m who saved
// the versions since and when. When only history entries were added since, the fields are
// as they stand now (theirs). It returns nil when that version cannot be read back (a gap:
// entries from before versions were recorded, or a version that never existed).
func valuesAt(ctx context.Context, tx pgx.Tx, rec editedRecord, slug string, version, current int, theirs tracker.Values, m *tracker.Merge) (tracker.Values, error) {
	type entry struct {
		version int
		action  string
		before  []byte
		actor   string
		at      time.Time
	}
	rows, _ := tx.Query(ctx, `SELECT record_version, action, before, actor, at FROM audit_log
		WHERE entity_type = $1 AND entity_slug = $2 AND record_version > $3 AND record_version <= $4 ORDER BY record_version`,
		rec.entityType, slug, version, current)
	entries, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (entry, error) {
		var e entry
		return e, row.Scan(&e.version, &e.action, &e.before, &e.actor, &e.at)
	})
	if err != nil {
		return nil, fmt.Errorf("read the %s's versions: %w", rec.noun, err)
	}
	for i := len(entries) - 1; i >= 0; i-- {
		if e := entries[i]; !slices.Contains(m.By, e.actor) {
			m.By = append(m.By, e.actor)
		}
	}
	if len(entries) > 0 {
		m.At = entries[len(entries)-1].at
	} else {
		// No versioned entries: name the latest change the log has, if any.
		var actor string
		err := tx.QueryRow(ctx, `SELECT actor, at FROM audit_log WHERE entity_type = $1 AND entity_slug = $2 ORDER BY at DESC, id DESC LIMIT 1`,
			rec.entityType, slug).Scan(&actor, &m.At)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return nil, fmt.Errorf("read who changed the %s: %w", rec.noun, err)
		}
		if actor != "" {
			m.By = []string{actor}
		}
	}
	complete := version >= 1 && version < current && len(entries) == current-version
	for i, e := range entries {
		complete = complete && e.version == version+1+i
	}
	if !complete {
		return nil, nil
	}
	for _, e := range entries {
		if e.action == "edit" && e.before != nil {
			v, err := rec.snapshot(e.before)
			if err != nil {
				return nil, fmt.Errorf("read the %s at version %d: %w", rec.noun, version, err)
			}
			return v, nil
		}
	}
	return theirs, nil
}
