// Package mail sends Whereas's emails through an SMTP server (WHEREAS_SMTP_URL), with
// github.com/wneessen/go-mail.
package mail

import (
	"context"
	"fmt"
	"net"
	"net/url"
	"strconv"
	"time"

	gomail "github.com/wneessen/go-mail"

	"github.com/whereas/whereas/internal/tracker"
)

// Config is an SMTP server and the address emails come from, as WHEREAS_SMTP_URL says:
// smtp://user:pass@host:587?from=whereas@example.org&tls=starttls|tls|none.
type Config struct {
	Host     string
	Port     int
	Username string
	Password string
	From     string
	TLS      string // "starttls" (the default), "tls" (implicit TLS, as on port 465) or "none"
	Timeout  time.Duration
}

// ParseURL reads WHEREAS_SMTP_URL.
func ParseURL(raw string) (Config, error) {
	u, err := url.Parse(raw)
	if err != nil {
		return Config{}, fmt.Errorf("WHEREAS_SMTP_URL: %w", err)
	}
	if u.Scheme != "smtp" {
		return Config{}, fmt.Errorf("WHEREAS_SMTP_URL: want smtp://user:pass@host:port?from=address, not %q", u.Scheme+"://")
	}
	c := Config{Host: u.Hostname(), From: u.Query().Get("from"), TLS: u.Query().Get("tls"), Timeout: 30 * time.Second}
	if c.Host == "" {
		return c, fmt.Errorf("WHEREAS_SMTP_URL: no host")
	}
	if c.TLS == "" {
		c.TLS = "starttls"
	}
	switch c.TLS {
	case "starttls", "none":
		c.Port = 587
	case "tls":
		c.Port = 465
	default:
		return c, fmt.Errorf("WHEREAS_SMTP_URL: tls=%q: want starttls, tls or none", c.TLS)
	}
	if p := u.Port(); p != "" {
		if c.Port, err = strconv.Atoi(p); err != nil || c.Port < 1 || c.Port > 65535 {
			return c, fmt.Errorf("WHEREAS_SMTP_URL: port %q", p)
		}
	}
	if u.User != nil {
		c.Username = u.User.Username()
		c.Password, _ = u.User.Password()
	}
	if _, ok := tracker.NormalEmail(c.From); !ok {
		return c, fmt.Errorf("WHEREAS_SMTP_URL: from=%q: want the address emails come from, e.g. ?from=whereas@example.org", c.From)
	}
	return c, nil
}

// Sender sends one email at a time through the SMTP server.
type Sender struct {
	cfg Config
}

// NewSender returns a sender for the server cfg describes.
func NewSender(cfg Config) *Sender {
	if cfg.Timeout <= 0 {
		cfg.Timeout = 30 * time.Second
	}
	return &Sender{cfg: cfg}
}

// Addr is the SMTP server's address, for logs.
func (s *Sender) Addr() string { return net.JoinHostPort(s.cfg.Host, strconv.Itoa(s.cfg.Port)) }

// Send sends m: plain text with an HTML alternative, and its headers.
func (s *Sender) Send(ctx context.Context, m tracker.QueuedMail) error {
	msg := gomail.NewMsg()
	if err := msg.From(s.cfg.From); err != nil {
		return fmt.Errorf("from: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return fmt.Errorf("to: %w", err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageID()
	// Which kind of email this is, for mail filters (and tests).
	msg.SetGenHeader(gomail.Header(KindHeader), string(m.Kind))
	for k, v := range m.Headers {
		msg.SetGenHeader(gomail.Header(k), v)
	}
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.cfg.Timeout)}
	switch s.cfg.TLS {
	case "tls":
		opts = append(opts, gomail.WithSSL())
	case "none":
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		opts = append(opts, gomail.WithSMTPAuth(gomail.SMTPAuthAutoDiscover), gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	c, err := gomail.NewClient(s.cfg.Host, opts...)
	if err != nil {
		return err
	}
	return c.DialAndSendWithContext(ctx, msg)
}

// KindHeader names the header that says which kind of email a message is: change,
// confirm or digest.
const KindHeader = "X-Whereas-Mail"
