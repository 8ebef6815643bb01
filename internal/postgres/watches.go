package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// watchedRecord is the column of watches, and the table and name column, of each kind.
var watchedRecord = map[tracker.WatchKind]struct{ column, table, name string }{
	tracker.WatchPerson:     {"person_id", "people", "name"},
	tracker.WatchCase:       {"case_id", "cases", "title"},
	tracker.WatchResolution: {"resolution_id", "resolutions", "title"},
}

// watchColumns reads a watch with its record: w is watches, the record joined as p, c, r.
const watchColumns = `w.id, CASE WHEN w.person_id IS NOT NULL THEN 'person' WHEN w.case_id IS NOT NULL THEN 'case' ELSE 'resolution' END,
	COALESCE(p.slug, c.slug, r.slug), COALESCE(p.name, c.title, r.title), w.lang, COALESCE(w.email, ''), w.confirmed_at IS NOT NULL, w.created_at`

// watchJoins joins a watch (w) to the record it follows.
const watchJoins = ` LEFT JOIN people p ON p.id = w.person_id LEFT JOIN cases c ON c.id = w.case_id LEFT JOIN resolutions r ON r.id = w.resolution_id `

func scanWatch(row pgx.Row) (tracker.Watch, error) {
	var w tracker.Watch
	err := row.Scan(&w.ID, &w.Kind, &w.Slug, &w.Name, &w.Lang, &w.Email, &w.Confirmed, &w.CreatedAt)
	return w, err
}

// recordID finds the id of a watchable record by slug; a retired person or case cannot be
// watched anew.
func recordID(ctx context.Context, q pgx.Tx, kind tracker.WatchKind, slug string) (int64, error) {
	rec, ok := watchedRecord[kind]
	if !ok {
		return 0, tracker.Errorf(tracker.EINVALID, "Only a person, a case or a resolution can be watched.")
	}
	live := ""
	if kind != tracker.WatchResolution {
		live = " AND retired_at IS NULL"
	}
	var id int64
	err := q.QueryRow(ctx, `SELECT id FROM `+rec.table+` WHERE slug = $1`+live, slug).Scan(&id)
	return id, translate(err, kind.Noun())
}

// Watches says whether the staff member userID watches the record.
func (db *DB) Watches(ctx context.Context, userID int64, kind tracker.WatchKind, slug string) (bool, error) {
	rec, ok := watchedRecord[kind]
	if !ok {
		return false, nil
	}
	var on bool
	err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM watches w JOIN `+rec.table+` x ON x.id = w.`+rec.column+`
		WHERE w.user_id = $1 AND x.slug = $2)`, userID, slug).Scan(&on)
	return on, translate(err, "watch")
}

// StartWatch makes the staff member userID watch a record, written to in lang; watching
// twice is watching once.
func (db *DB) StartWatch(ctx context.Context, userID int64, kind tracker.WatchKind, slug, lang string) error {
	return translate(db.writeUntracked(ctx, func(tx pgx.Tx) error {
		id, err := recordID(ctx, tx, kind, slug)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO watches (user_id, `+watchedRecord[kind].column+`, lang, confirmed_at) VALUES ($1, $2, $3, now())
			ON CONFLICT DO NOTHING`, userID, id, lang)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `INSERT INTO staff_digests (user_id, lang) VALUES ($1, $2) ON CONFLICT (user_id) DO UPDATE SET lang = EXCLUDED.lang`, userID, lang)
		return err
	}), "watch")
}

// StopWatch ends the staff member's watch of a record, if there is one.
func (db *DB) StopWatch(ctx context.Context, userID int64, kind tracker.WatchKind, slug string) error {
	rec, ok := watchedRecord[kind]
	if !ok {
		return tracker.Errorf(tracker.EINVALID, "Only a person, a case or a resolution can be watched.")
	}
	_, err := db.pool.Exec(ctx, `DELETE FROM watches w USING `+rec.table+` x WHERE x.id = w.`+rec.column+` AND w.user_id = $1 AND x.slug = $2`, userID, slug)
	return translate(err, "watch")
}

// UserWatches lists what the staff member userID watches, by kind and name.
func (db *DB) UserWatches(ctx context.Context, userID int64) ([]tracker.Watch, error) {
	rows, err := db.pool.Query(ctx, `SELECT `+watchColumns+` FROM watches w`+watchJoins+`WHERE w.user_id = $1 ORDER BY 2, 4, 3`, userID)
	if err != nil {
		return nil, translate(err, "watches")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Watch, error) { return scanWatch(r) })
	return list, translate(err, "watches")
}

// WatchLimits bound how many confirmation emails visitors can have sent in an hour.
type WatchLimits struct {
	PerAddress int // to one address
	PerClient  int // asked for by one client address
}

// RequestVisitorWatch records a visitor's wish to watch a record from the address to, not
// yet confirmed, and queues the confirmation email (whose link holds the token whose hash
// is confirmHash), in one transaction. It refuses with ETOOMANY when the address or the
// client has had their share of confirmation emails in the past hour. Asking again for a
// watch already waiting replaces its token; for a watch already confirmed it sends
// nothing and says nothing different, so the form tells nobody who watches what.
func (db *DB) RequestVisitorWatch(ctx context.Context, kind tracker.WatchKind, slug, lang, client string, confirmHash []byte,
	limits WatchLimits, m tracker.Mail) error {
	return translate(db.writeUntracked(ctx, func(tx pgx.Tx) error {
		id, err := recordID(ctx, tx, kind, slug)
		if err != nil {
			return err
		}
		// One request at a time per address and per client, so the counts below hold.
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('watch:' || $1)), pg_advisory_xact_lock(hashtext('watch-client:' || $2))`,
			m.To, client); err != nil {
			return err
		}
		var byAddress, byClient int
		if err := tx.QueryRow(ctx, `SELECT (SELECT count(*) FROM watch_requests WHERE email = $1 AND at > now() - interval '1 hour'),
			(SELECT count(*) FROM watch_requests WHERE client = $2 AND at > now() - interval '1 hour')`, m.To, client).Scan(&byAddress, &byClient); err != nil {
			return err
		}
		if byAddress >= limits.PerAddress || byClient >= limits.PerClient {
			return tracker.Errorf(tracker.ETOOMANY, "A confirmation email was sent a short while ago. Please wait an hour before asking for another.")
		}
		if _, err := tx.Exec(ctx, `DELETE FROM watch_requests WHERE at < now() - interval '1 day'`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO watch_requests (email, client) VALUES ($1, $2)`, m.To, client); err != nil {
			return err
		}
		col := watchedRecord[kind].column
		var watchID int64
		var confirmed bool
		err = tx.QueryRow(ctx, `INSERT INTO watches (email, `+col+`, lang, confirm_hash) VALUES ($1, $2, $3, $4)
			ON CONFLICT (COALESCE(user_id, 0), COALESCE(email, ''), COALESCE(person_id, 0), COALESCE(case_id, 0), COALESCE(resolution_id, 0))
			DO UPDATE SET confirm_hash = CASE WHEN watches.confirmed_at IS NULL THEN EXCLUDED.confirm_hash END, lang = EXCLUDED.lang
			RETURNING id, confirmed_at IS NOT NULL`, m.To, id, lang, confirmHash).Scan(&watchID, &confirmed)
		if err != nil || confirmed {
			return err
		}
		m.WatchID = watchID
		return enqueue(ctx, tx, m)
	}), "watch")
}

// PendingWatch is the watch a confirmation token would start, for the page that asks to
// confirm it.
func (db *DB) PendingWatch(ctx context.Context, confirmHash []byte) (tracker.Watch, error) {
	w, err := scanWatch(db.pool.QueryRow(ctx, `SELECT `+watchColumns+` FROM watches w`+watchJoins+`WHERE w.confirm_hash = $1`, confirmHash))
	return w, watchTokenError(err)
}

// ConfirmWatch starts the visitor's watch whose confirmation token hashes to confirmHash.
func (db *DB) ConfirmWatch(ctx context.Context, confirmHash []byte) (tracker.Watch, error) {
	w, err := scanWatch(db.pool.QueryRow(ctx, `WITH u AS (UPDATE watches SET confirmed_at = now(), confirm_hash = NULL
		WHERE confirm_hash = $1 RETURNING *) SELECT `+watchColumns+` FROM u w`+watchJoins, confirmHash))
	return w, watchTokenError(err)
}

// watchTokenError says that a confirmation or unsubscribe link has no watch (any more).
func watchTokenError(err error) error {
	if errors.Is(err, pgx.ErrNoRows) {
		return tracker.Errorf(tracker.ENOTFOUND, "This link is not valid any more: the watch has ended, or the link was already used.")
	}
	return translate(err, "watch")
}

// TokenWatch is the watch an unsubscribe token ends, for the page that asks to confirm.
func (db *DB) TokenWatch(ctx context.Context, tokenHash []byte) (tracker.Watch, error) {
	w, err := scanWatch(db.pool.QueryRow(ctx, `SELECT `+watchColumns+` FROM watch_tokens t JOIN watches w ON w.id = t.watch_id`+watchJoins+
		`WHERE t.token_hash = $1`, tokenHash))
	return w, watchTokenError(err)
}

// Unsubscribe ends the watch an unsubscribe token belongs to, with every email of it not
// yet sent. A token whose watch has already ended is ENOTFOUND.
func (db *DB) Unsubscribe(ctx context.Context, tokenHash []byte) (tracker.Watch, error) {
	var w tracker.Watch
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		var err error
		w, err = scanWatch(tx.QueryRow(ctx, `SELECT `+watchColumns+` FROM watch_tokens t JOIN watches w ON w.id = t.watch_id`+watchJoins+
			`WHERE t.token_hash = $1 FOR UPDATE OF w`, tokenHash))
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE mail_outbox SET failed_at = now(), last_error = 'unsubscribed'
			WHERE watch_id = $1 AND sent_at IS NULL AND failed_at IS NULL`, w.ID); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `DELETE FROM watches WHERE id = $1`, w.ID)
		return err
	})
	return w, watchTokenError(err)
}

// VisitorWatches says whether an admin lets visitors watch records by email.
func (db *DB) VisitorWatches(ctx context.Context) (bool, error) {
	var on bool
	err := db.pool.QueryRow(ctx, `SELECT visitor_watches FROM site_settings`).Scan(&on)
	return on, translate(err, "site settings")
}

// SiteID names this site, the same since it was made (backups keep it), for ids that must
// differ from every other site's.
func (db *DB) SiteID(ctx context.Context) (string, error) {
	var id string
	err := db.read(ctx).QueryRow(ctx, `SELECT site_id::text FROM site_settings`).Scan(&id)
	return id, translate(err, "site settings")
}

// SetVisitorWatches lets visitors watch records by email, or stops them from starting new
// watches (those already confirmed go on), with an audit entry.
//
// Public pages offer the form or not, so the setting moves the public data version: cached
// pages are made again.
func (db *DB) SetVisitorWatches(ctx context.Context, a Actor, on bool) error {
	return translate(db.writeTracked(ctx, func(tx pgx.Tx) error {
		var before bool
		if err := tx.QueryRow(ctx, `SELECT visitor_watches FROM site_settings FOR UPDATE`).Scan(&before); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE site_settings SET visitor_watches = $1, updated_at = now(), updated_by = $2`, on, a.Name); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `UPDATE data_version SET version = version + 1, changed_at = now(), staff_changed_at = now()`); err != nil {
			return err
		}
		return audit(ctx, tx, a, "update", "settings", "visitor-watches", map[string]bool{"visitor_watches": before}, map[string]bool{"visitor_watches": on})
	}), "site settings")
}

// DigestOn says whether the staff member userID gets the weekly digest.
func (db *DB) DigestOn(ctx context.Context, userID int64) (bool, error) {
	on := true
	err := db.pool.QueryRow(ctx, `SELECT enabled FROM staff_digests WHERE user_id = $1`, userID).Scan(&on)
	if errors.Is(err, pgx.ErrNoRows) {
		return true, nil
	}
	return on, translate(err, "digest setting")
}

// SetDigest turns the staff member's weekly digest on or off, written in lang.
func (db *DB) SetDigest(ctx context.Context, userID int64, on bool, lang string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO staff_digests (user_id, enabled, lang) VALUES ($1, $2, $3)
		ON CONFLICT (user_id) DO UPDATE SET enabled = EXCLUDED.enabled, lang = EXCLUDED.lang`, userID, on, lang)
	return translate(err, "digest setting")
}

// enqueue puts an email in the mail queue, inside tx.
func enqueue(ctx context.Context, tx pgx.Tx, m tracker.Mail) error {
	var watch *int64
	if m.WatchID != 0 {
		watch = &m.WatchID
	}
	headers := m.Headers
	if headers == nil {
		headers = map[string]string{}
	}
	_, err := tx.Exec(ctx, `INSERT INTO mail_outbox (kind, recipient, subject, text_body, html_body, headers, watch_id) VALUES ($1, $2, $3, $4, $5, $6, $7)`,
		m.Kind, m.To, m.Subject, m.Text, m.HTML, headers, watch)
	return err
}

// WatchName is the name of a watchable record (a person's name, a case's or resolution's
// title); a retired person or case is ENOTFOUND.
func (db *DB) WatchName(ctx context.Context, kind tracker.WatchKind, slug string) (string, error) {
	rec, ok := watchedRecord[kind]
	if !ok {
		return "", tracker.Errorf(tracker.EINVALID, "Only a person, a case or a resolution can be watched.")
	}
	live := ""
	if kind != tracker.WatchResolution {
		live = " AND retired_at IS NULL"
	}
	var name string
	err := db.pool.QueryRow(ctx, `SELECT `+rec.name+` FROM `+rec.table+` WHERE slug = $1`+live, slug).Scan(&name)
	return name, translate(err, kind.Noun())
}
