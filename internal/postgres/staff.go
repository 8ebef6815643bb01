package postgres

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/whereas/whereas/internal/tracker"
)

// Actor is who makes a change, as the audit log records it.
type Actor struct {
	UserID int64 // 0 for the command line
	Name   string
}

// id is the actor's user id for a recorded_by or user_id column: NULL for the command line.
func (a Actor) id() *int64 {
	if a.UserID == 0 {
		return nil
	}
	return &a.UserID
}

// audit writes one audit entry inside tx, so the entry and the change commit or fail together.
func audit(ctx context.Context, tx pgx.Tx, a Actor, action, entityType, slug string, before, after any) error {
	return auditVersion(ctx, tx, a, action, entityType, slug, 0, before, after)
}

// auditVersion writes the audit entry of a change that moved a person or case to version:
// the entries of one record, by version, are what an edit made on an older version is
// merged against (see mergeEdit).
func auditVersion(ctx context.Context, tx pgx.Tx, a Actor, action, entityType, slug string, version int, before, after any) error {
	enc := func(v any) ([]byte, error) {
		if v == nil {
			return nil, nil
		}
		return json.Marshal(v)
	}
	b, err := enc(before)
	if err != nil {
		return err
	}
	af, err := enc(after)
	if err != nil {
		return err
	}
	uid := a.id()
	_, err = tx.Exec(ctx, `INSERT INTO audit_log (user_id, actor, action, entity_type, entity_slug, before, after, record_version)
		VALUES ($1, $2, $3, $4, $5, $6, $7, NULLIF($8, 0))`, uid, a.Name, action, entityType, slug, b, af, version)
	if err != nil {
		return fmt.Errorf("write audit entry: %w", err)
	}
	return nil
}

// CreateUser adds a staff account with an already hashed password.
func (db *DB) CreateUser(ctx context.Context, a Actor, email string, role tracker.Role, passwordHash string) (tracker.User, error) {
	var u tracker.User
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		if err := tx.QueryRow(ctx, `INSERT INTO users (email, role, password_hash) VALUES ($1, $2, $3)
			RETURNING id, email, role, created_at`, email, role, passwordHash).Scan(&u.ID, &u.Email, &u.Role, &u.CreatedAt); err != nil {
			return err
		}
		return audit(ctx, tx, a, "create", "user", email, nil, map[string]any{"email": email, "role": role})
	})
	return u, translate(err, "account")
}

// UserForSignIn returns an enabled account and its password hash by email.
func (db *DB) UserForSignIn(ctx context.Context, email string) (tracker.User, string, error) {
	var u tracker.User
	var hash string
	err := db.pool.QueryRow(ctx, `SELECT id, email, role, created_at, session_epoch, totp_secret IS NOT NULL, password_hash FROM users WHERE email = $1 AND disabled_at IS NULL`, email).
		Scan(&u.ID, &u.Email, &u.Role, &u.CreatedAt, &u.SessionEpoch, &u.TwoFactor, &hash)
	return u, hash, translate(err, "account")
}

// User returns an enabled account by id, as a session names it.
func (db *DB) User(ctx context.Context, id int64) (tracker.User, error) {
	var u tracker.User
	err := db.pool.QueryRow(ctx, `SELECT id, email, role, created_at, session_epoch, totp_secret IS NOT NULL FROM users WHERE id = $1 AND disabled_at IS NULL`, id).
		Scan(&u.ID, &u.Email, &u.Role, &u.CreatedAt, &u.SessionEpoch, &u.TwoFactor)
	return u, translate(err, "account")
}

// Users lists every account, enabled or not.
func (db *DB) Users(ctx context.Context) ([]tracker.User, error) {
	rows, _ := db.read(ctx).Query(ctx, `SELECT id, email, role, disabled_at, created_at FROM users ORDER BY email`)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.User, error) {
		var u tracker.User
		return u, r.Scan(&u.ID, &u.Email, &u.Role, &u.DisabledAt, &u.CreatedAt)
	})
	return list, translate(err, "account")
}

// SetPassword replaces an account's password hash. A password set for someone is treated
// as a suspected compromise: the account's sessions end (they carry the old session epoch)
// and its API tokens are revoked, in the same transaction, and the audit entry names them.
func (db *DB) SetPassword(ctx context.Context, a Actor, email, passwordHash string) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `UPDATE users SET password_hash = $2, session_epoch = session_epoch + 1 WHERE email = $1 RETURNING id`,
			email, passwordHash).Scan(&id); err != nil {
			return err
		}
		revoked, err := revokeTokens(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "change password", "user", email, nil, map[string]any{"revoked_tokens": revoked})
	})
	return translate(err, "account")
}

// revokeTokens revokes every token of an account that still works and returns their names.
func revokeTokens(ctx context.Context, tx pgx.Tx, userID int64) ([]string, error) {
	rows, _ := tx.Query(ctx, `UPDATE api_tokens SET revoked_at = now()
		WHERE user_id = $1 AND revoked_at IS NULL AND expires_at > now() RETURNING name`, userID)
	names, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if names == nil {
		names = []string{}
	}
	return names, err
}

// DisableUser disables an account, which ends its sessions, and revokes its API tokens.
func (db *DB) DisableUser(ctx context.Context, a Actor, email string) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `UPDATE users SET disabled_at = now(), session_epoch = session_epoch + 1
			WHERE email = $1 AND disabled_at IS NULL RETURNING id`, email).Scan(&id); err != nil {
			return err
		}
		if _, err := revokeTokens(ctx, tx, id); err != nil {
			return err
		}
		return audit(ctx, tx, a, "disable", "user", email, nil, nil)
	})
	return translate(err, "enabled account")
}

// EnableUser enables a disabled account again: it can sign in with its password as it was.
// Its sessions and API tokens stay ended; it signs in afresh and makes new tokens.
func (db *DB) EnableUser(ctx context.Context, a Actor, email string) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `UPDATE users SET disabled_at = NULL WHERE email = $1 AND disabled_at IS NOT NULL RETURNING id`, email).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, a, "enable", "user", email, nil, nil)
	})
	return translate(err, "disabled account")
}

// HashToken is how API tokens are stored: a SHA-256 of the token, which is itself 32
// random bytes, so a stolen table gives nothing usable.
func HashToken(token string) []byte {
	h := sha256.Sum256([]byte(token))
	return h[:]
}

// CreateAPIToken stores a new token for a user under a name, lasting the default
// tracker.DefaultTokenDays.
func (db *DB) CreateAPIToken(ctx context.Context, a Actor, userEmail, name, token string) error {
	return db.CreateExpiringAPIToken(ctx, a, userEmail, name, token, tracker.DefaultTokenDays)
}

// CreateExpiringAPIToken stores a new token for a user under a name, valid for days. The
// name must not be taken by another of the account's live tokens (a unique index says so,
// whatever the concurrency); an expired token under that name is retired first, marked
// revoked at the moment it expired.
func (db *DB) CreateExpiringAPIToken(ctx context.Context, a Actor, userEmail, name, token string, days int) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		var id int64
		if err := tx.QueryRow(ctx, `SELECT id FROM users WHERE email = $1 AND disabled_at IS NULL`, userEmail).Scan(&id); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = expires_at
			WHERE user_id = $1 AND name = $2 AND revoked_at IS NULL AND expires_at <= now()`, id, name); err != nil {
			return err
		}
		var expires time.Time
		err := tx.QueryRow(ctx, `INSERT INTO api_tokens (user_id, name, token_hash, expires_at)
			VALUES ($1, $2, $3, now() + make_interval(days => $4)) RETURNING expires_at`, id, name, HashToken(token), days).Scan(&expires)
		var pgErr *pgconn.PgError
		if errors.As(err, &pgErr) && pgErr.ConstraintName == "api_tokens_live_name_idx" {
			return tracker.Errorf(tracker.ECONFLICT, "This account already has a live API token named %q: revoke that one first, or choose another name.", name)
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, a, "create API token", "user", userEmail, nil,
			map[string]string{"token": name, "expires_at": expires.UTC().Format(time.RFC3339)})
	})
	if tracker.ErrorCode(err) == tracker.ECONFLICT {
		return err
	}
	return translate(err, "enabled account")
}

// UserForToken returns the enabled account an unrevoked, unexpired API token belongs to.
// An expired token is refused with its expiry date, so a script's owner learns why. It
// reads the primary, so a token revoked a moment ago is refused everywhere, and writes
// nothing: the use is noted in memory and written with others (see tokenUses).
func (db *DB) UserForToken(ctx context.Context, token string) (tracker.User, error) {
	var u tracker.User
	var id int64
	var expires time.Time
	var live bool
	err := db.pool.QueryRow(ctx, `SELECT t.id, u.id, u.email, u.role, u.created_at, t.expires_at, t.expires_at > now()
		FROM api_tokens t JOIN users u ON u.id = t.user_id
		WHERE t.token_hash = $1 AND t.revoked_at IS NULL AND u.disabled_at IS NULL`, HashToken(token)).
		Scan(&id, &u.ID, &u.Email, &u.Role, &u.CreatedAt, &expires, &live)
	switch {
	case errors.Is(err, pgx.ErrNoRows):
		return u, tracker.Errorf(tracker.EUNAUTHORIZED, "That API token is not valid.")
	case err == nil && !live:
		return tracker.User{}, tracker.Errorf(tracker.EUNAUTHORIZED, "That API token expired on %s (UTC). Make a new one on /staff/tokens or with `whereas user token`.",
			expires.UTC().Format("2006-01-02 15:04"))
	case err == nil:
		db.tokens.note(id, time.Now())
	}
	return u, translate(err, "API token")
}

// RevokeAPIToken revokes a user's token by name; live names are unique per account, so
// it revokes at most one.
func (db *DB) RevokeAPIToken(ctx context.Context, a Actor, userEmail, name string) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE api_tokens SET revoked_at = now() WHERE name = $2 AND revoked_at IS NULL
			AND user_id = (SELECT id FROM users WHERE email = $1)`, userEmail, name)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return pgx.ErrNoRows
		}
		return audit(ctx, tx, a, "revoke API token", "user", userEmail, map[string]string{"token": name}, nil)
	})
	return translate(err, "API token")
}

// historyTarget names a record whose history only grows: its table, its entries' table and
// column, and the noun messages use.
type historyTarget struct{ table, entries, parentColumn, noun string }

var (
	caseHistory   = historyTarget{"cases", "status_entries", "case_id", "case"}
	demandHistory = historyTarget{"demands", "demand_state_entries", "demand_id", "demand"}
)

// prepareEntry does what every new history entry needs first: it locks the record, checks
// it is still at the version the form was read at (a conflict otherwise), and resolves the
// entry's source clause and the earlier entry it corrects, refusing per field what does
// not exist. Table names come from the fixed targets above.
func prepareEntry(ctx context.Context, tx pgx.Tx, h historyTarget, slug string, version int, sourceClause string, corrects int64) (parentID int64, clauseID, supersedes *int64, err error) {
	var current int
	if err := tx.QueryRow(ctx, `SELECT id, version FROM `+h.table+` WHERE slug = $1 FOR UPDATE`, slug).Scan(&parentID, &current); err != nil {
		return 0, nil, nil, err
	}
	if current != version {
		who, err := lastChange(ctx, tx, h.noun, slug)
		if err != nil {
			return 0, nil, nil, err
		}
		return 0, nil, nil, tracker.Errorf(tracker.ECONFLICT, "Someone else changed this %s while you were editing it%s. Their change is shown below; your input is kept, so you can check it and submit again.", h.noun, who)
	}
	if clauseID, err = sourceClauseID(ctx, tx, sourceClause); err != nil {
		return 0, nil, nil, err
	}
	if corrects != 0 {
		var ok bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+h.entries+` WHERE id = $1 AND `+h.parentColumn+` = $2)`, corrects, parentID).Scan(&ok); err != nil {
			return 0, nil, nil, err
		}
		if !ok {
			return 0, nil, nil, &tracker.ValidationError{Fields: tracker.FieldErrors{"supersedes": "Choose an entry of this " + h.noun + "'s history to correct."}}
		}
		supersedes = &corrects
	}
	return parentID, clauseID, supersedes, nil
}

// lastChange names, for a conflict message, who made the latest audited change of a record
// and when (": who, on D at T UTC"), or "" when the log has none.
func lastChange(ctx context.Context, tx pgx.Tx, entityType, slug string) (string, error) {
	var actor string
	var at time.Time
	err := tx.QueryRow(ctx, `SELECT actor, at FROM audit_log WHERE entity_type = $1 AND entity_slug = $2 ORDER BY at DESC, id DESC LIMIT 1`,
		entityType, slug).Scan(&actor, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return "", nil
	} else if err != nil {
		return "", fmt.Errorf("read who changed the %s: %w", entityType, err)
	}
	return ": " + actor + ", on " + at.UTC().Format("2 January 2006 at 15:04:05 UTC"), nil
}

// statusSnapshot is how a status entry appears in the audit log, with the demand states
// recorded in the same form: one change, one entry.
type statusSnapshot struct {
	Status       tracker.Status         `json:"status"`
	EffectiveOn  string                 `json:"effective_on"`
	DatedBy      string                 `json:"dated_by,omitempty"`
	VerifiedOn   string                 `json:"verified_on,omitempty"`
	Note         string                 `json:"note"`
	InternalNote string                 `json:"internal_note,omitempty"`
	SourceURL    string                 `json:"source_url,omitempty"`
	SourceClause string                 `json:"source_clause,omitempty"`
	Supersedes   int64                  `json:"supersedes,omitempty"`
	DemandStates []demandChangeSnapshot `json:"demand_states,omitempty"`
}

// demandChangeSnapshot is a demand's new state as the audit entry of its status records it.
type demandChangeSnapshot struct {
	Demand string              `json:"demand"`
	State  tracker.DemandState `json:"state"`
	Note   string              `json:"note"`
	ID     int64               `json:"id"`
}

// verifiedOrNull is the day an entry was checked, for a nullable date column.
func verifiedOrNull(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// verifiedText is the day an entry was checked, for the audit log ("" when not given).
func verifiedText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// AppendStatus adds an entry to a case's history, in one transaction with its audit entry,
// provided the case is still at the version the form was read at. A stale version is a
// conflict: nothing is written, and the caller shows the newer history. The demand states
// that come with it (u.DemandStates) are written in the same transaction, dated and sourced
// as the status, and named in the same audit entry: each must be about the case or one of
// its people and, when the form gave its version, still at it; otherwise nothing at all
// is written.
func (db *DB) AppendStatus(ctx context.Context, a Actor, u tracker.StatusUpdate, d tracker.EntryDates) (int64, error) {
	var id int64
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		caseID, clauseID, supersedes, err := prepareEntry(ctx, tx, caseHistory, u.CaseSlug, u.Version, u.SourceClause, u.Supersedes)
		if err != nil {
			return err
		}
		uid := a.id()
		if err := tx.QueryRow(ctx, `INSERT INTO status_entries (case_id, status, effective_on, effective_precision, dated_by, verified_on,
				note, internal_note, source_url, source_clause_id, recorded_by, recorded_by_name, supersedes_id)
				VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id`,
			caseID, u.Status, d.Effective.Start, d.Effective.Precision, strings.TrimSpace(u.DatedBy), verifiedOrNull(d.Verified),
			strings.TrimSpace(u.Note), strings.TrimSpace(u.InternalNote), strings.TrimSpace(u.SourceURL),
			clauseID, uid, a.Name, supersedes).Scan(&id); err != nil {
			return err
		}
		var version int
		if err := tx.QueryRow(ctx, `UPDATE cases SET version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`, caseID).Scan(&version); err != nil {
			return err
		}
		changes, err := appendDemandChanges(ctx, tx, a, caseID, u, d, clauseID)
		if err != nil {
			return err
		}
		action := "add status"
		if supersedes != nil {
			action = "correct status"
		}
		return auditVersion(ctx, tx, a, action, "case", u.CaseSlug, version, nil, statusSnapshot{Status: u.Status, EffectiveOn: d.Effective.String(),
			DatedBy: strings.TrimSpace(u.DatedBy), VerifiedOn: verifiedText(d.Verified),
			Note: strings.TrimSpace(u.Note), InternalNote: strings.TrimSpace(u.InternalNote), SourceURL: strings.TrimSpace(u.SourceURL),
			SourceClause: u.SourceClause, Supersedes: u.Supersedes, DemandStates: changes})
	})
	return id, editError(err, "case")
}

// appendDemandChanges writes the demand states recorded with a case status. A demand that
// does not exist, is about neither the case nor its people, or changed since the form
// was read refuses the whole save (the caller's transaction is rolled back).
func appendDemandChanges(ctx context.Context, tx pgx.Tx, a Actor, caseID int64, u tracker.StatusUpdate, d tracker.EntryDates, clauseID *int64) ([]demandChangeSnapshot, error) {
	var out []demandChangeSnapshot
	for i, c := range u.DemandStates {
		key := fmt.Sprintf("demand_states[%d].", i)
		var demandID int64
		var version int
		var about bool
		err := tx.QueryRow(ctx, `SELECT d.id, d.version, EXISTS (SELECT 1 FROM demand_targets t WHERE t.demand_id = d.id
				AND (t.case_id = $2 OR t.person_id IN (SELECT person_id FROM case_people WHERE case_id = $2)))
			FROM demands d WHERE d.slug = $1 FOR UPDATE`, c.Demand, caseID).Scan(&demandID, &version, &about)
		if errors.Is(err, pgx.ErrNoRows) || (err == nil && !about) {
			return nil, &tracker.ValidationError{Fields: tracker.FieldErrors{key + "demand": "Choose a demand about this case or its people."}}
		} else if err != nil {
			return nil, err
		}
		if c.Version != 0 && c.Version != version {
			who, err := lastChange(ctx, tx, "demand", c.Demand)
			if err != nil {
				return nil, err
			}
			return nil, tracker.Errorf(tracker.ECONFLICT, "Someone else changed the demand %s while you were editing%s. Nothing was saved; the form shows it as it stands now, with your input kept.", c.Demand, who)
		}
		note := strings.TrimSpace(c.Note)
		if note == "" {
			note = strings.TrimSpace(u.Note)
		}
		var entryID int64
		if err := tx.QueryRow(ctx, `INSERT INTO demand_state_entries (demand_id, state, effective_on, effective_precision, dated_by, verified_on,
				note, source_url, source_clause_id, recorded_by, recorded_by_name) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
			demandID, c.State, d.Effective.Start, d.Effective.Precision, strings.TrimSpace(u.DatedBy), verifiedOrNull(d.Verified),
			note, strings.TrimSpace(u.SourceURL), clauseID, a.id(), a.Name).Scan(&entryID); err != nil {
			return nil, err
		}
		if _, err := tx.Exec(ctx, `UPDATE demands SET version = version + 1, updated_at = now() WHERE id = $1`, demandID); err != nil {
			return nil, err
		}
		out = append(out, demandChangeSnapshot{Demand: c.Demand, State: c.State, Note: note, ID: entryID})
	}
	return out, nil
}

// personSnapshot is how a person appears in the audit log.
type personSnapshot struct {
	Name          string                    `json:"name"`
	NameRU        string                    `json:"name_ru,omitempty"`
	NameKK        string                    `json:"name_kk,omitempty"`
	Aliases       []string                  `json:"aliases"`
	Role          string                    `json:"role"`
	Place         string                    `json:"place"`
	Notes         string                    `json:"notes"`
	InternalNotes string                    `json:"internal_notes,omitempty"`
	BornOn        string                    `json:"born_on,omitempty"`
	Affiliations  []tracker.AffiliationEdit `json:"affiliations,omitempty"`
}

// edit is the snapshot as an edit of the person that changes nothing.
func (s personSnapshot) edit() tracker.PersonEdit {
	return tracker.PersonEdit{Name: s.Name, Names: tracker.ScriptNames{RU: s.NameRU, KK: s.NameKK}, Aliases: s.Aliases, Role: s.Role, Place: s.Place, Notes: s.Notes, InternalNotes: s.InternalNotes,
		BornOn: s.BornOn, Affiliations: s.Affiliations}
}

// personSnapshotOf is the audit snapshot of a person as an edit saves it.
func personSnapshotOf(e tracker.PersonEdit) personSnapshot {
	return personSnapshot{Name: strings.TrimSpace(e.Name), NameRU: strings.TrimSpace(e.Names.RU), NameKK: strings.TrimSpace(e.Names.KK), Aliases: nonNilStrings(e.Aliases), Role: strings.TrimSpace(e.Role), Place: strings.TrimSpace(e.Place),
		Notes: strings.TrimSpace(e.Notes), InternalNotes: strings.TrimSpace(e.InternalNotes), BornOn: strings.TrimSpace(e.BornOn), Affiliations: e.Affiliations}
}

// UpdatePerson saves an edit of a person, with its audit entry (before and after) in the
// same transaction. An edit made on an older version is merged field by field with what
// was saved since (see mergeEdit); the merged record is then validated, so a partial edit
// is checked whole. Affiliations name organisations by name or slug. It returns the merge,
// for the form to say what it took from others.
func (db *DB) UpdatePerson(ctx context.Context, a Actor, e tracker.PersonEdit) (tracker.Merge, error) {
	var m tracker.Merge
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		e := e // each attempt merges the edit as it was sent
		e.Affiliations = append([]tracker.AffiliationEdit(nil), e.Affiliations...)
		var before personSnapshot
		var id int64
		var version int
		var bornOn *time.Time
		var affiliations []byte
		if err := tx.QueryRow(ctx, `SELECT id, name, name_ru, name_kk, aliases, role, place, notes, internal_notes, version, born_on,
				COALESCE((SELECT json_agg(json_build_object('organisation', o.slug, 'role', f.role) ORDER BY o.slug)
				          FROM affiliations f JOIN organisations o ON o.id = f.organisation_id WHERE f.person_id = people.id AND o.retired_at IS NULL), '[]')
			FROM people WHERE slug = $1 FOR UPDATE`, e.Slug).
			Scan(&id, &before.Name, &before.NameRU, &before.NameKK, &before.Aliases, &before.Role, &before.Place, &before.Notes, &before.InternalNotes, &version, &bornOn, &affiliations); err != nil {
			return err
		}
		if bornOn != nil {
			before.BornOn = bornOn.Format(time.DateOnly)
		}
		if err := json.Unmarshal(affiliations, &before.Affiliations); err != nil {
			return fmt.Errorf("decode affiliations: %w", err)
		}
		// Organisation names become slugs before the merge compares the edit with the record.
		if _, err := resolveAffiliations(ctx, tx, e.Affiliations); err != nil {
			return err
		}
		var err error
		if m, err = mergeEdit(ctx, tx, editedPerson, e.Slug, e.Revision, e.Values(), before.edit().Values(), version); err != nil {
			return err
		}
		e = e.WithValues(m.Result())
		errs := e.Validate()
		msg, err := resolveAffiliations(ctx, tx, e.Affiliations)
		if err != nil {
			return err
		}
		if msg != "" {
			errs["affiliations"] = msg
		}
		if errs.Any() {
			return &tracker.ValidationError{Fields: errs}
		}
		after := personSnapshotOf(e)
		newBornOn, _ := tracker.ParseBornOn(after.BornOn, time.Now())
		if _, err := tx.Exec(ctx, `UPDATE people SET name = $2, aliases = $3, role = $4, place = $5, notes = $6, internal_notes = $7, born_on = $8,
			name_ru = $9, name_kk = $10, version = version + 1
			WHERE id = $1`, id, after.Name, after.Aliases, after.Role, after.Place, after.Notes, after.InternalNotes, newBornOn, after.NameRU, after.NameKK); err != nil {
			return err
		}
		if err := writeAffiliations(ctx, tx, id, before.Affiliations, e.Affiliations); err != nil {
			return err
		}
		if err := refreshNames(ctx, tx, tracker.PersonEntity, e.Slug); err != nil {
			return err
		}
		return auditVersion(ctx, tx, a, "edit", "person", e.Slug, version+1, before, after)
	})
	return m, editError(err, "person")
}

// StaleCases lists the cases with no update in days, oldest first, and the most recently
// changed cases: the staff dashboard. A case's last update is the latest date on which an
// entry of its history (corrected ones left out) happened or was last checked by staff
// (effective_on, verified_on), not when it was typed in; a case with no history has none
// and comes first.
func (db *DB) StaleCases(ctx context.Context, days, limit int) (stale, recent []tracker.EntitySummary, err error) {
	const sel = `SELECT 'case', x.slug, x.title, '{}'::text[], '', '', x.summary, '',
	       COALESCE((SELECT se.status FROM status_entries se WHERE se.case_id = x.id AND ` + notSuperseded + `
	                 ORDER BY se.effective_on DESC, se.id DESC LIMIT 1), ''),
	       (SELECT count(DISTINCT m.clause_id) FROM mentions m WHERE m.case_id = x.id), 0
	FROM cases x `
	b := &pgx.Batch{}
	b.Queue(sel+`CROSS JOIN LATERAL (SELECT max(GREATEST(se.effective_on, se.verified_on)) AS last FROM status_entries se
			WHERE se.case_id = x.id AND `+notSuperseded+`) u
		WHERE x.retired_at IS NULL AND COALESCE(u.last, '-infinity') < current_date - $1::integer
		ORDER BY u.last NULLS FIRST, x.title LIMIT $2`, days, limit).
		Query(func(rows pgx.Rows) error {
			stale, err = pgx.CollectRows(rows, scanSummary)
			return err
		})
	b.Queue(sel+`ORDER BY x.updated_at DESC, x.title LIMIT $1`, limit).Query(func(rows pgx.Rows) error {
		recent, err = pgx.CollectRows(rows, scanSummary)
		return err
	})
	err = translate(db.read(ctx).SendBatch(ctx, b).Close(), "dashboard")
	return stale, recent, err
}

// Activity lists audit entries, newest first; with entityType and slug, for one record.
func (db *DB) Activity(ctx context.Context, entityType, slug string, limit int) ([]tracker.AuditEntry, error) {
	list, _, err := db.auditEntries(ctx, tracker.AuditFilter{EntityType: entityType, EntitySlug: slug}, 0, limit)
	return list, err
}

// AuditLog is one page of the activity log as f chooses it, newest first, and whether
// older entries follow. A person's changes are those to the person and to the cases they
// are part of now.
func (db *DB) AuditLog(ctx context.Context, f tracker.AuditFilter) ([]tracker.AuditEntry, bool, error) {
	return db.auditEntries(ctx, f, (max(f.Page, 1)-1)*tracker.AuditPageSize, tracker.AuditPageSize)
}

func (db *DB) auditEntries(ctx context.Context, f tracker.AuditFilter, offset, limit int) ([]tracker.AuditEntry, bool, error) {
	day := func(t time.Time, days int) *time.Time {
		if t.IsZero() {
			return nil
		}
		t = t.AddDate(0, 0, days)
		return &t
	}
	rows, _ := db.read(ctx).Query(ctx, `SELECT id, at, actor, action, entity_type, entity_slug, COALESCE(before::text, ''), COALESCE(after::text, '')
		FROM audit_log
		WHERE ($1 = '' OR (entity_type = $1 AND entity_slug = $2))
		  AND ($3 = '' OR (entity_type = 'person' AND entity_slug = $3)
		       OR (entity_type = 'case' AND entity_slug IN (SELECT c.slug FROM cases c JOIN case_people cp ON cp.case_id = c.id
		                                                    JOIN people p ON p.id = cp.person_id WHERE p.slug = $3)))
		  AND ($4::timestamptz IS NULL OR at >= $4) AND ($5::timestamptz IS NULL OR at < $5)
		ORDER BY at DESC, id DESC OFFSET $6 LIMIT $7`,
		f.EntityType, f.EntitySlug, f.Person, day(f.From, 0), day(f.To, 1), offset, limit+1)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.AuditEntry, error) {
		var e tracker.AuditEntry
		return e, r.Scan(&e.ID, &e.At, &e.Actor, &e.Action, &e.EntityType, &e.EntitySlug, &e.Before, &e.After)
	})
	more := len(list) > limit
	if more {
		list = list[:limit]
	}
	return list, more, translate(err, "activity")
}

// APITokens lists a user's tokens, newest first; with userID 0, every account's tokens,
// by account, for admins.
func (db *DB) APITokens(ctx context.Context, userID int64) ([]tracker.APIToken, error) {
	rows, _ := db.pool.Query(ctx, `SELECT t.id, u.email, t.name, t.created_at, t.last_used_at, t.expires_at, t.revoked_at
		FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE $1 = 0 OR t.user_id = $1
		ORDER BY u.email, t.created_at DESC, t.id DESC`, userID)
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.APIToken, error) {
		var t tracker.APIToken
		var id int64
		err := r.Scan(&id, &t.Email, &t.Name, &t.CreatedAt, &t.LastUsedAt, &t.ExpiresAt, &t.RevokedAt)
		// This server's uses not yet written are newer than what the database holds.
		if at, ok := db.tokens.pending(id); ok && (t.LastUsedAt == nil || at.After(*t.LastUsedAt)) {
			t.LastUsedAt = &at
		}
		return t, err
	})
	return list, translate(err, "API tokens")
}

// MarkStatusChecked records that staff checked today (the server's date, UTC) that the
// status entry id of case caseSlug still holds: its verified_on becomes today and nothing
// else changes. Like a new entry, it needs the case still at version (a conflict
// otherwise), moves the case's version and is audited as one change. It returns the
// case's new version.
func (db *DB) MarkStatusChecked(ctx context.Context, a Actor, caseSlug string, id int64, version int, today time.Time) (int, error) {
	return db.markChecked(ctx, a, caseHistory, caseSlug, id, version, today)
}

// MarkDemandStateChecked is MarkStatusChecked for an entry of a demand's follow-up history.
func (db *DB) MarkDemandStateChecked(ctx context.Context, a Actor, demandSlug string, id int64, version int, today time.Time) (int, error) {
	return db.markChecked(ctx, a, demandHistory, demandSlug, id, version, today)
}

func (db *DB) markChecked(ctx context.Context, a Actor, h historyTarget, slug string, id int64, version int, today time.Time) (int, error) {
	var newVersion int
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		parentID, _, _, err := prepareEntry(ctx, tx, h, slug, version, "", 0)
		if err != nil {
			return err
		}
		var before *time.Time
		err = tx.QueryRow(ctx, `SELECT verified_on FROM `+h.entries+` WHERE id = $1 AND `+h.parentColumn+` = $2 FOR UPDATE`, id, parentID).Scan(&before)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracker.Errorf(tracker.ENOTFOUND, "This %s's history has no such entry.", h.noun)
		} else if err != nil {
			return err
		}
		day := today.UTC().Format(time.DateOnly)
		if _, err := tx.Exec(ctx, `UPDATE `+h.entries+` SET verified_on = $2::date WHERE id = $1`, id, day); err != nil {
			return err
		}
		// Only the version moves: when the record last changed stays what it was.
		if err := tx.QueryRow(ctx, `UPDATE `+h.table+` SET version = version + 1 WHERE id = $1 RETURNING version`, parentID).Scan(&newVersion); err != nil {
			return err
		}
		was := ""
		if before != nil {
			was = before.Format(time.DateOnly)
		}
		action := "check " + map[string]string{"case": "status", "demand": "state"}[h.noun]
		auditAt := 0
		if h.noun == "case" {
			auditAt = newVersion // a case's versions are read back from its audit entries (mergeEdit)
		}
		return auditVersion(ctx, tx, a, action, h.noun, slug, auditAt, map[string]any{"entry": id, "verified_on": was}, map[string]any{"entry": id, "verified_on": day})
	})
	return newVersion, editError(err, h.noun)
}
