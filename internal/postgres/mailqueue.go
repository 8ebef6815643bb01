package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// newsWatchers is, for each kind of change, which watches (w) hear of the change (e,
// with its status entry se and demand d joined).
var newsWatchers = map[tracker.NewsKind]string{
	tracker.NewsStatus:      `w.case_id = e.case_id OR w.person_id IN (SELECT person_id FROM case_people WHERE case_id = e.case_id)`,
	tracker.NewsDemandState: `w.person_id IN (SELECT person_id FROM demand_targets WHERE demand_id = d.id AND person_id IS NOT NULL) OR w.resolution_id = cl.resolution_id`,
	tracker.NewsCaseEdit:    `w.case_id = e.case_id`,
	tracker.NewsPersonEdit:  `w.person_id = e.person_id`,
	tracker.NewsStage: `w.resolution_id IN (SELECT o.id FROM resolutions o JOIN resolutions n ON n.procedure = o.procedure
		WHERE n.id = e.resolution_id AND o.id <> n.id)`,
}

// newsFrom joins an event (e) to what it is about.
const newsFrom = ` FROM watch_events e
	LEFT JOIN status_entries se ON se.id = e.status_entry_id
	LEFT JOIN demand_state_entries dse ON dse.id = e.demand_state_entry_id
	LEFT JOIN demands d ON d.id = dse.demand_id
	LEFT JOIN clauses cl ON cl.id = d.clause_id
	LEFT JOIN cases ec ON ec.id = e.case_id
	LEFT JOIN people ep ON ep.id = e.person_id
	LEFT JOIN resolutions er ON er.id = COALESCE(e.resolution_id, cl.resolution_id) `

// newsStale is how old a change may be and still be mailed: changes made while no mail
// worker ran (WHEREAS_SMTP_URL unset) are not sent days later when it is set.
const newsStale = 24 * time.Hour

// QueueNews turns up to limit changes not yet mailed into emails, one for each watcher
// (a watcher who watches both a case and its person gets one), each made by write, and
// queues them with the change marked done, all in one transaction: two servers never
// mail one change twice, and a crash leaves it to be mailed again. Visitors hear nothing
// of internal changes or of retired records; staff hear of both. token makes a fresh
// unsubscribe token for each email (its hash is kept). It returns how many emails it queued.
func (db *DB) QueueNews(ctx context.Context, limit int, token func() string, write func(tracker.Notice, string) (tracker.Mail, error)) (int, error) {
	queued := 0
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		queued = 0
		rows, err := tx.Query(ctx, `SELECT e.id, e.kind, e.internal, e.created_at, e.created_at < now() - $2::interval,
			COALESCE(ec.slug, ''), COALESCE(ec.title, ''), ec.retired_at IS NOT NULL,
			COALESCE(ep.slug, ''), COALESCE(ep.name, ''), ep.retired_at IS NOT NULL,
			COALESCE(er.slug, ''), COALESCE(er.title, ''), COALESCE(er.stage, ''),
			COALESCE(d.slug, ''), COALESCE(d.wording, ''),
			COALESCE(se.status, ''), COALESCE(dse.state, ''),
			COALESCE(se.effective_on, dse.effective_on), COALESCE(se.effective_precision, dse.effective_precision, ''),
			COALESCE(se.note, dse.note, '')`+newsFrom+`
			WHERE e.id IN (SELECT id FROM watch_events WHERE done_at IS NULL ORDER BY id LIMIT $1 FOR UPDATE SKIP LOCKED)
			ORDER BY e.id`, limit, newsStale.String())
		if err != nil {
			return err
		}
		type event struct {
			news  tracker.News
			stale bool
		}
		events, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (event, error) {
			var ev event
			n := &ev.news
			var on *time.Time
			var precision string
			err := r.Scan(&n.ID, &n.Kind, &n.Internal, &n.At, &ev.stale, &n.Case.Slug, &n.Case.Name, &n.Case.Retired,
				&n.Person.Slug, &n.Person.Name, &n.Person.Retired, &n.Resolution.Slug, &n.Resolution.Name, &n.Stage,
				&n.Demand.Slug, &n.Demand.Name, &n.Status, &n.State, &on, &precision, &n.Note)
			if on != nil {
				n.Effective = tracker.When{Start: *on, Precision: tracker.Precision(precision)}
			}
			return ev, err
		})
		if err != nil {
			return err
		}
		for _, ev := range events {
			if !ev.stale {
				n, err := queueNotices(ctx, tx, ev.news, token, write)
				if err != nil {
					return err
				}
				queued += n
			}
			if _, err := tx.Exec(ctx, `UPDATE watch_events SET done_at = now() WHERE id = $1`, ev.news.ID); err != nil {
				return err
			}
		}
		return nil
	})
	return queued, translate(err, "news")
}

// queueNotices queues the emails of one change, inside tx. Nobody is told of a status or
// demand state they recorded themselves (an edit does not say who made it, so its watchers
// are all told).
func queueNotices(ctx context.Context, tx pgx.Tx, news tracker.News, token func() string, write func(tracker.Notice, string) (tracker.Mail, error)) (int, error) {
	cond, ok := newsWatchers[news.Kind]
	if !ok {
		return 0, nil
	}
	rows, err := tx.Query(ctx, `SELECT DISTINCT ON (addr) `+watchColumns+`, COALESCE(u.email, w.email) AS addr, w.user_id IS NOT NULL,
		COALESCE(p.retired_at, c.retired_at) IS NOT NULL`+newsFrom+`
		JOIN watches w ON (`+cond+`)`+watchJoins+`
		LEFT JOIN users u ON u.id = w.user_id
		WHERE e.id = $1 AND w.confirmed_at IS NOT NULL AND (w.user_id IS NULL OR u.disabled_at IS NULL)
		  AND (w.user_id IS NULL OR w.user_id IS DISTINCT FROM COALESCE(se.recorded_by, dse.recorded_by))
		ORDER BY addr, w.case_id IS NULL, w.person_id IS NULL, w.id`, news.ID)
	if err != nil {
		return 0, err
	}
	notices, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Notice, error) {
		n := tracker.Notice{News: news}
		var watchedRetired bool
		w := &n.Watch
		err := r.Scan(&w.ID, &w.Kind, &w.Slug, &w.Name, &w.Lang, &w.Email, &w.Confirmed, &w.CreatedAt, &n.Recipient, &n.Staff, &watchedRetired)
		if watchedRetired {
			// told through the change's own flags, so visitors skip it below
			n.News.Case.Retired = true
		}
		return n, err
	})
	if err != nil {
		return 0, err
	}
	queued := 0
	for _, n := range notices {
		if !n.Staff && (n.News.Internal || n.News.Retired()) {
			continue
		}
		tok := token()
		m, err := write(n, tok)
		if err != nil {
			return queued, err
		}
		m.WatchID = n.Watch.ID
		if _, err := tx.Exec(ctx, `INSERT INTO watch_tokens (token_hash, watch_id) VALUES ($1, $2)`, HashToken(tok), n.Watch.ID); err != nil {
			return queued, err
		}
		if err := enqueue(ctx, tx, m); err != nil {
			return queued, err
		}
		queued++
	}
	return queued, nil
}

// QueueMail puts one email in the mail queue.
func (db *DB) QueueMail(ctx context.Context, m tracker.Mail) error {
	return translate(db.writeUntracked(ctx, func(tx pgx.Tx) error { return enqueue(ctx, tx, m) }), "email")
}

// ClaimMail takes up to limit emails that are due (and were due by dueBy: a round of the
// worker never retries what failed during it), for this server alone: each one's next
// attempt is moved lease ahead and its attempts counted before it is sent (FOR UPDATE SKIP
// LOCKED, so two servers never take the same email). An email whose sender dies mid-way
// is tried again when the lease runs out.
func (db *DB) ClaimMail(ctx context.Context, limit int, lease time.Duration, dueBy time.Time) ([]tracker.QueuedMail, error) {
	rows, err := db.pool.Query(ctx, `UPDATE mail_outbox m SET attempts = attempts + 1, next_attempt_at = now() + $2::interval
		FROM (SELECT id FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL AND next_attempt_at <= least(now(), $3)
		      ORDER BY next_attempt_at, id LIMIT $1 FOR UPDATE SKIP LOCKED) due
		WHERE m.id = due.id
		RETURNING m.id, m.kind, m.recipient, m.subject, m.text_body, m.html_body, m.headers, COALESCE(m.watch_id, 0), m.attempts, m.created_at`,
		limit, lease.String(), dueBy)
	if err != nil {
		return nil, translate(err, "mail queue")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.QueuedMail, error) {
		var m tracker.QueuedMail
		err := r.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Text, &m.HTML, &m.Headers, &m.WatchID, &m.Attempts, &m.CreatedAt)
		return m, err
	})
	return list, translate(err, "mail queue")
}

// MailSent marks an email sent. Its bodies are dropped: they hold an unsubscribe token,
// which the database keeps only as a hash once the email is on its way.
func (db *DB) MailSent(ctx context.Context, id int64) error {
	_, err := db.pool.Exec(ctx, `UPDATE mail_outbox SET sent_at = now(), last_error = '', text_body = '', html_body = '' WHERE id = $1`, id)
	return translate(err, "email")
}

// MailNotSent records why an email could not be sent: it is tried again at next, or, when
// giveUp, marked failed for good (admins see it on /admin/mail).
func (db *DB) MailNotSent(ctx context.Context, id int64, reason string, next time.Time, giveUp bool) error {
	if len(reason) > 1000 {
		reason = reason[:1000]
	}
	_, err := db.pool.Exec(ctx, `UPDATE mail_outbox SET last_error = $2, next_attempt_at = $3,
		failed_at = CASE WHEN $4 THEN now() END WHERE id = $1`, id, reason, next, giveUp)
	return translate(err, "email")
}

// MailQueue counts the mail queue and lists the emails given up on or still waiting, the
// newest first, for admins.
func (db *DB) MailQueue(ctx context.Context, limit int) (tracker.MailQueueCounts, []tracker.QueuedMail, error) {
	var c tracker.MailQueueCounts
	err := db.pool.QueryRow(ctx, `SELECT count(*) FILTER (WHERE sent_at IS NULL AND failed_at IS NULL), count(*) FILTER (WHERE sent_at IS NOT NULL),
		count(*) FILTER (WHERE failed_at IS NOT NULL) FROM mail_outbox`).Scan(&c.Waiting, &c.Sent, &c.Failed)
	if err != nil {
		return c, nil, translate(err, "mail queue")
	}
	rows, err := db.pool.Query(ctx, `SELECT id, kind, recipient, subject, attempts, created_at, next_attempt_at, failed_at, last_error
		FROM mail_outbox WHERE sent_at IS NULL ORDER BY id DESC LIMIT $1`, limit)
	if err != nil {
		return c, nil, translate(err, "mail queue")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.QueuedMail, error) {
		var m tracker.QueuedMail
		err := r.Scan(&m.ID, &m.Kind, &m.To, &m.Subject, &m.Attempts, &m.CreatedAt, &m.NextTry, &m.FailedAt, &m.LastError)
		return m, err
	})
	return c, list, translate(err, "mail queue")
}

// MailBacklog counts the emails waiting to be sent or retried, and those given up on.
func (db *DB) MailBacklog(ctx context.Context) (waiting, failed int, err error) {
	err = db.pool.QueryRow(ctx, `SELECT (SELECT count(*) FROM mail_outbox WHERE sent_at IS NULL AND failed_at IS NULL),
		(SELECT count(*) FROM mail_outbox WHERE failed_at IS NOT NULL)`).Scan(&waiting, &failed)
	return waiting, failed, translate(err, "mail queue")
}

// digestEvery is how often a staff member gets the digest.
const digestEvery = 7 * 24 * time.Hour

// SendDigests queues the weekly digest of each staff member due one (enabled, and none
// sent in the past week), written by write in their language: the digest is queued and
// its time kept in one transaction, so a restart never sends it twice, and two servers
// never both send it. It returns how many it queued.
func (db *DB) SendDigests(ctx context.Context, write func(userEmail, lang string) (tracker.Mail, error)) (int, error) {
	if _, err := db.pool.Exec(ctx, `INSERT INTO staff_digests (user_id) SELECT id FROM users WHERE disabled_at IS NULL ON CONFLICT DO NOTHING`); err != nil {
		return 0, translate(err, "digests")
	}
	sent := 0
	for {
		done := false
		err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
			var id int64
			var email, lang string
			err := tx.QueryRow(ctx, `SELECT d.user_id, u.email, d.lang FROM staff_digests d JOIN users u ON u.id = d.user_id
				WHERE d.enabled AND u.disabled_at IS NULL AND (d.last_sent_at IS NULL OR d.last_sent_at <= now() - $1::interval)
				ORDER BY d.user_id LIMIT 1 FOR UPDATE OF d SKIP LOCKED`, digestEvery.String()).Scan(&id, &email, &lang)
			if errors.Is(err, pgx.ErrNoRows) {
				done = true
				return nil
			} else if err != nil {
				return err
			}
			m, err := write(email, lang)
			if err != nil {
				return err
			}
			if err := enqueue(ctx, tx, m); err != nil {
				return err
			}
			_, err = tx.Exec(ctx, `UPDATE staff_digests SET last_sent_at = now() WHERE user_id = $1`, id)
			return err
		})
		if err != nil || done {
			return sent, translate(err, "digests")
		}
		sent++
	}
}

// Hearings lists the hearings of cases not retired in the next days days, soonest first.
func (db *DB) Hearings(ctx context.Context, days, limit int) ([]tracker.Hearing, error) {
	rows, err := db.pool.Query(ctx, `SELECT slug, title, next_hearing_on FROM cases
		WHERE retired_at IS NULL AND next_hearing_on BETWEEN current_date AND current_date + $1::integer
		ORDER BY next_hearing_on, title LIMIT $2`, days, limit)
	if err != nil {
		return nil, translate(err, "hearings")
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Hearing, error) {
		var h tracker.Hearing
		err := r.Scan(&h.Case.Slug, &h.Case.Name, &h.On)
		return h, err
	})
	return list, translate(err, "hearings")
}
