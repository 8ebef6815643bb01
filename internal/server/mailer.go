package server

import (
	"context"
	"log/slog"
	"time"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// MailSender sends one email (internal/mail's Sender through SMTP).
type MailSender interface {
	Send(ctx context.Context, m tracker.QueuedMail) error
}

// MailerOptions are the mail worker's tunables; zero values take the defaults.
type MailerOptions struct {
	PublicURL   string        // the site's address, for the links in emails (required)
	Poll        time.Duration // how often the worker looks for news and due emails [2s]
	Backoff     time.Duration // the wait after a first failure, doubled after each one [1m]
	MaxBackoff  time.Duration // the longest wait between attempts [1h]
	MaxAttempts int           // attempts before an email is given up on [12]
	GiveUpAfter time.Duration // an email not sent this long after it was queued is given up on [24h]
	Lease       time.Duration // how long a claimed email is this worker's alone while it sends [5m]
	Batch       int           // emails claimed at once [20]
}

// Mailer is the mail worker: it turns changes into emails to their watchers, queues the
// staff's weekly digests, and sends the queue through SMTP, retrying with backoff.
// Every step is a transaction in PostgreSQL, so several servers can run one each.
type Mailer struct {
	db     *postgres.DB
	log    *slog.Logger
	sender MailSender
	opts   MailerOptions
}

// NewMailer returns a mail worker sending through sender.
func NewMailer(db *postgres.DB, log *slog.Logger, sender MailSender, opts MailerOptions) *Mailer {
	if opts.Poll <= 0 {
		opts.Poll = 2 * time.Second
	}
	if opts.Backoff <= 0 {
		opts.Backoff = time.Minute
	}
	if opts.MaxBackoff <= 0 {
		opts.MaxBackoff = time.Hour
	}
	if opts.MaxAttempts <= 0 {
		opts.MaxAttempts = 12
	}
	if opts.GiveUpAfter <= 0 {
		opts.GiveUpAfter = 24 * time.Hour
	}
	if opts.Lease <= 0 {
		opts.Lease = 5 * time.Minute
	}
	if opts.Batch <= 0 {
		opts.Batch = 20
	}
	return &Mailer{db: db, log: log, sender: sender, opts: opts}
}

// Run works until ctx is done: each round queues news and digests, then sends what is due.
func (m *Mailer) Run(ctx context.Context) {
	t := time.NewTicker(m.opts.Poll)
	defer t.Stop()
	for {
		m.Round(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

// Round does one round of the worker's work; errors are logged and the next round tries
// again.
func (m *Mailer) Round(ctx context.Context) {
	for {
		n, err := m.db.QueueNews(ctx, 50, newWatchToken, func(n tracker.Notice, token string) (tracker.Mail, error) {
			return web.NoticeMail(ctx, m.opts.PublicURL, n, token)
		})
		if err != nil {
			m.warn(ctx, "queue news", err)
			break
		}
		if n == 0 {
			break
		}
	}
	if _, err := m.db.SendDigests(ctx, m.digest(ctx)); err != nil {
		m.warn(ctx, "queue digests", err)
	}
	start := time.Now()
	for ctx.Err() == nil {
		due, err := m.db.ClaimMail(ctx, m.opts.Batch, m.opts.Lease, start)
		if err != nil {
			m.warn(ctx, "claim mail", err)
			return
		}
		if len(due) == 0 {
			return
		}
		for _, msg := range due {
			m.send(ctx, msg)
		}
	}
}

// send sends one claimed email and records what happened.
func (m *Mailer) send(ctx context.Context, msg tracker.QueuedMail) {
	sctx, cancel := context.WithTimeout(ctx, m.opts.Lease/2)
	err := m.sender.Send(sctx, msg)
	cancel()
	if err == nil {
		if err := m.db.MailSent(ctx, msg.ID); err != nil {
			m.warn(ctx, "mark mail sent", err)
		}
		return
	}
	wait := m.opts.Backoff << min(msg.Attempts-1, 20)
	if wait > m.opts.MaxBackoff || wait <= 0 {
		wait = m.opts.MaxBackoff
	}
	giveUp := msg.Attempts >= m.opts.MaxAttempts || time.Since(msg.CreatedAt) > m.opts.GiveUpAfter
	m.log.Warn("email not sent", "id", msg.ID, "kind", msg.Kind, "attempt", msg.Attempts, "retry_in", wait.String(), "given_up", giveUp, "err", err)
	if err := m.db.MailNotSent(ctx, msg.ID, err.Error(), time.Now().Add(wait), giveUp); err != nil {
		m.warn(ctx, "mark mail not sent", err)
	}
}

// digest writes a staff member's weekly digest.
func (m *Mailer) digest(ctx context.Context) func(email, lang string) (tracker.Mail, error) {
	return func(email, lang string) (tracker.Mail, error) {
		stale, _, err := m.db.StaleCases(ctx, tracker.DigestStaleDays, 50)
		if err != nil {
			return tracker.Mail{}, err
		}
		hearings, err := m.db.Hearings(ctx, tracker.DigestHearingDays, 50)
		if err != nil {
			return tracker.Mail{}, err
		}
		return web.DigestMail(ctx, m.opts.PublicURL, email, lang, tracker.Digest{Stale: stale, Hearings: hearings,
			StaleDays: tracker.DigestStaleDays, HearingDays: tracker.DigestHearingDays})
	}
}

// warn logs a failed step, unless the worker is stopping.
func (m *Mailer) warn(ctx context.Context, what string, err error) {
	if ctx.Err() == nil {
		m.log.Warn("mail worker: "+what, "err", err)
	}
}
