package server_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"mime"
	"mime/multipart"
	"net"
	"net/http"
	"net/http/httptest"
	netmail "net/mail"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/mail"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/server"
	"github.com/whereas/whereas/internal/tracker"
)

// delivered is one email the test SMTP server took, parsed as a mail program would.
type delivered struct {
	To, Subject, Kind string
	Header            netmail.Header
	Text, HTML        string
}

// smtpSink is a real SMTP server (emersion/go-smtp), in-process, that keeps what it is sent.
type smtpSink struct {
	t    *testing.T
	addr string
	mu   sync.Mutex
	srv  *smtp.Server
	got  []delivered
}

func newSMTPSink(t *testing.T) *smtpSink {
	s := &smtpSink{t: t}
	s.start("127.0.0.1:0")
	t.Cleanup(s.stop)
	return s
}

// start listens on addr (the same address again after stop, as a restarted server would).
func (s *smtpSink) start(addr string) {
	s.t.Helper()
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		s.t.Fatal(err)
	}
	srv := smtp.NewServer(s)
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	s.mu.Lock()
	s.srv, s.addr = srv, ln.Addr().String()
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
}

func (s *smtpSink) stop() {
	s.mu.Lock()
	srv := s.srv
	s.srv = nil
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

// config is how Whereas reaches the sink.
func (s *smtpSink) config() mail.Config {
	host, port, _ := net.SplitHostPort(s.addr)
	cfg, err := mail.ParseURL("smtp://" + host + ":" + port + "?from=whereas@example.org&tls=none")
	if err != nil {
		s.t.Fatal(err)
	}
	cfg.Timeout = 3 * time.Second
	return cfg
}

// NewSession makes the sink a go-smtp Backend.
func (s *smtpSink) NewSession(*smtp.Conn) (smtp.Session, error) { return &sinkSession{sink: s}, nil }

type sinkSession struct {
	sink *smtpSink
	to   []string
}

func (x *sinkSession) Reset()        { x.to = nil }
func (x *sinkSession) Logout() error { return nil }
func (x *sinkSession) Mail(string, *smtp.MailOptions) error {
	return nil
}
func (x *sinkSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	x.to = append(x.to, to)
	return nil
}
func (x *sinkSession) Data(r io.Reader) error {
	msg, err := netmail.ReadMessage(r)
	if err != nil {
		return err
	}
	d := delivered{To: strings.Join(x.to, ","), Header: msg.Header, Kind: msg.Header.Get(mail.KindHeader)}
	dec := new(mime.WordDecoder)
	if d.Subject, err = dec.DecodeHeader(msg.Header.Get("Subject")); err != nil {
		return err
	}
	media, params, err := mime.ParseMediaType(msg.Header.Get("Content-Type"))
	if err != nil {
		return err
	}
	if !strings.HasPrefix(media, "multipart/") {
		b, _ := io.ReadAll(msg.Body)
		d.Text = string(b)
		x.sink.keep(d)
		return nil
	}
	mr := multipart.NewReader(msg.Body, params["boundary"])
	for {
		p, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		} else if err != nil {
			return err
		}
		b, _ := io.ReadAll(p)
		if strings.HasPrefix(p.Header.Get("Content-Type"), "text/html") {
			d.HTML = string(b)
		} else {
			d.Text = string(b)
		}
	}
	x.sink.keep(d)
	return nil
}

func (s *smtpSink) keep(d delivered) {
	s.mu.Lock()
	s.got = append(s.got, d)
	s.mu.Unlock()
}

// mails is what the sink has been sent to one address, of one kind ("" for every kind).
func (s *smtpSink) mails(to string, kind tracker.MailKind) []delivered {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []delivered
	for _, d := range s.got {
		if d.To == to && (kind == "" || d.Kind == string(kind)) {
			out = append(out, d)
		}
	}
	return out
}

const publicURL = "https://whereas.example"

// mailWorld is two servers on one seeded database (staffWorld), with emails on and a
// test SMTP server, and a mail worker sending to it with short waits.
type mailWorld struct {
	*staffWorld
	sink   *smtpSink
	mailer *server.Mailer
}

func newMailWorld(t *testing.T) *mailWorld {
	t.Helper()
	w := &mailWorld{staffWorld: newStaffWorldWith(t, server.Options{PageCacheBytes: 1 << 20, Mail: true, PublicURL: publicURL}), sink: newSMTPSink(t)}
	w.mailer = w.newMailer()
	return w
}

func (w *mailWorld) newMailer() *server.Mailer {
	return server.NewMailer(w.db, slog.New(slog.NewTextHandler(io.Discard, nil)), mail.NewSender(w.sink.config()),
		server.MailerOptions{PublicURL: publicURL, Backoff: 20 * time.Millisecond, MaxBackoff: 50 * time.Millisecond, Lease: 10 * time.Second})
}

// round runs one round of the mail worker.
func (w *mailWorld) round(t *testing.T) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	w.mailer.Round(ctx)
}

// addStatus records a new status of a case as the admin, through the page form.
func (w *mailWorld) addStatus(t *testing.T, admin *http.Client, slug, status, on string) {
	t.Helper()
	resp, body := post(t, admin, w.a.URL+"/cases/"+slug+"/statuses", url.Values{"version": {caseVersion(t, admin, w.a, slug)},
		"status": {status}, "proposed_for": {status}, "effective_on": {on}, "source_url": {"https://example.org/news"}})
	if resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("add status: %d %s", resp.StatusCode, body)
	}
}

var linkRE = regexp.MustCompile(`https://whereas\.example/\S+`)

// siteLink is the link in an email that starts with prefix, pointed at server srv.
func siteLink(t *testing.T, text, prefix string, srv *httptest.Server) string {
	t.Helper()
	for _, l := range linkRE.FindAllString(text, -1) {
		if strings.HasPrefix(l, publicURL+prefix) {
			return srv.URL + strings.TrimPrefix(l, publicURL)
		}
	}
	t.Fatalf("no %s link in the email:\n%s", prefix, text)
	return ""
}

func TestWatchingACase(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	editor, admin := browser(t), browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	signIn(t, admin, w.a, "admin@example.org")
	const slug, person = "max-bokayev-case", "max-bokayev"

	// The editor reads the site in Russian and watches the case and its person.
	for _, f := range []url.Values{{"kind": {"case"}, "slug": {slug}}, {"kind": {"person"}, "slug": {person}}} {
		if resp, body := post(t, editor, w.a.URL+"/watch?lang=ru", f); resp.StatusCode != http.StatusSeeOther {
			t.Fatalf("watch: %d %s", resp.StatusCode, body)
		}
	}
	// The admin, who records the changes below, watches the case too: nobody is told of
	// their own change.
	if resp, body := post(t, admin, w.a.URL+"/watch", url.Values{"kind": {"case"}, "slug": {slug}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("watch: %d %s", resp.StatusCode, body)
	}
	_, page := fetchWith(t, editor, w.a.URL+"/cases/"+slug)
	if !strings.Contains(page, "Перестать следить") {
		t.Error("the case page should offer the watcher to stop watching")
	}
	_, page = fetchWith(t, editor, w.a.URL+"/staff/watches")
	if !strings.Contains(page, "/cases/"+slug) || !strings.Contains(page, "/people/"+person) {
		t.Error("the watches page should list the case and the person")
	}
	w.round(t) // the weekly digests go out first; news is counted on its own below

	w.addStatus(t, admin, slug, "released", "2021-02-08")
	w.round(t)
	w.round(t)
	got := w.sink.mails("editor@example.org", tracker.MailChange)
	if len(got) != 1 {
		t.Fatalf("the watcher of a case and its person got %d emails for one new status, want 1", len(got))
	}
	m := got[0]
	if !strings.HasPrefix(m.Subject, "Новый статус дела «Max Bokayev — criminal case»") || !strings.Contains(m.Subject, "На свободе") {
		t.Errorf("subject %q: want the change, in Russian", m.Subject)
	}
	if !strings.Contains(m.Text, publicURL+"/cases/"+slug) || !strings.Contains(m.HTML, `href="`+publicURL+"/cases/"+slug) {
		t.Errorf("the email should link to the case, in both bodies:\n%s", m.Text)
	}
	if m.Header.Get("List-Unsubscribe-Post") != "List-Unsubscribe=One-Click" || !strings.HasPrefix(m.Header.Get("List-Unsubscribe"), "<"+publicURL+"/unsubscribe?token=") {
		t.Errorf("List-Unsubscribe headers: %q, %q", m.Header.Get("List-Unsubscribe"), m.Header.Get("List-Unsubscribe-Post"))
	}
	if len(w.sink.mails("admin@example.org", tracker.MailChange)) != 0 {
		t.Error("the admin made the change and should not be told of it")
	}

	// Unsubscribing through the link, without a session: a page with a button first.
	stranger := browser(t)
	link := siteLink(t, m.Text, "/unsubscribe", w.b)
	resp, body := fetchWith(t, stranger, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `action="/unsubscribe"`) {
		t.Fatalf("unsubscribe page: %d", resp.StatusCode)
	}
	if n := postgrestest.Count(t, w.url, `SELECT count(*) FROM watches`); n != 3 {
		t.Fatalf("opening the link should end nothing: %d watches", n)
	}
	token, _ := url.Parse(link)
	resp, body = post(t, stranger, w.b.URL+"/unsubscribe", url.Values{"token": {token.Query().Get("token")}})
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, `data-testid="unsubscribed"`) {
		t.Fatalf("unsubscribe: %d %s", resp.StatusCode, body)
	}
	// The case watch is gone (it told of the status); the person's goes by one-click (RFC 8058).
	w.addStatus(t, admin, slug, "imprisoned", "2021-03-01")
	w.round(t)
	got = w.sink.mails("editor@example.org", tracker.MailChange)
	if len(got) != 2 || !strings.Contains(got[1].Subject, "Max Bokayev") {
		t.Fatalf("after stopping the case, the person's watch should still tell: %d emails", len(got))
	}
	oneClick := strings.Trim(got[1].Header.Get("List-Unsubscribe"), "<>")
	req, _ := http.NewRequest(http.MethodPost, w.a.URL+strings.TrimPrefix(oneClick, publicURL), strings.NewReader("List-Unsubscribe=One-Click"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	oneResp, oneErr := http.DefaultClient.Do(req)
	if resp, body := answer(t, oneResp, oneErr); resp.StatusCode != http.StatusOK {
		t.Fatalf("one-click unsubscribe: %d %s", resp.StatusCode, body)
	}
	w.addStatus(t, admin, slug, "released", "2021-04-01")
	w.round(t)
	if n := len(w.sink.mails("editor@example.org", tracker.MailChange)); n != 2 {
		t.Errorf("after unsubscribing from both, %d emails, want still 2", n)
	}
	if resp, _ := fetchWith(t, stranger, link); resp.StatusCode != http.StatusNotFound {
		t.Errorf("a used unsubscribe link: %d, want 404", resp.StatusCode)
	}
}

func TestMailWaitsOutAnSMTPOutage(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	w.round(t) // digests
	addr := w.sink.addr
	w.sink.stop()
	if err := w.db.QueueMail(context.Background(), tracker.Mail{Kind: tracker.MailChange, To: "someone@example.org", Subject: "News", Text: "text", HTML: "<p>text</p>"}); err != nil {
		t.Fatal(err)
	}
	w.round(t)
	var attempts int
	var lastError string
	var sent bool
	row := func() {
		t.Helper()
		conn, err := pgx.Connect(context.Background(), w.url)
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close(context.Background())
		if err := conn.QueryRow(context.Background(), `SELECT attempts, last_error, sent_at IS NOT NULL FROM mail_outbox WHERE recipient = 'someone@example.org'`).
			Scan(&attempts, &lastError, &sent); err != nil {
			t.Fatal(err)
		}
	}
	row()
	if attempts != 1 || lastError == "" || sent {
		t.Fatalf("with the SMTP server down: attempts %d, last error %q, sent %v; want 1, an error, not sent", attempts, lastError, sent)
	}
	fams, _ := scrape(t, w.a.URL+"/metrics")
	if got := sample(fams, "whereas_mail_queue_emails", map[string]string{"state": "waiting"}); got != 1 {
		t.Errorf("whereas_mail_queue_emails{state=waiting} = %v during the outage, want 1", got)
	}
	w.sink.start(addr)
	time.Sleep(60 * time.Millisecond) // the backoff
	w.round(t)
	row()
	if !sent || lastError != "" {
		t.Fatalf("with the server back: sent %v, last error %q", sent, lastError)
	}
	if n := len(w.sink.mails("someone@example.org", "")); n != 1 {
		t.Errorf("delivered %d times, want once", n)
	}
}

func TestTwoMailWorkersSendEachEmailOnce(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	w.round(t) // digests
	const n = 40
	for i := range n {
		if err := w.db.QueueMail(context.Background(), tracker.Mail{Kind: tracker.MailChange, To: "racer@example.org", Subject: fmt.Sprintf("Email %d", i), Text: "text"}); err != nil {
			t.Fatal(err)
		}
	}
	other := w.newMailer()
	var wg sync.WaitGroup
	for _, m := range []*server.Mailer{w.mailer, other} {
		wg.Go(func() { m.Round(context.Background()) })
	}
	wg.Wait()
	got := w.sink.mails("racer@example.org", "")
	seen := map[string]bool{}
	for _, d := range got {
		if seen[d.Subject] {
			t.Errorf("%s delivered twice", d.Subject)
		}
		seen[d.Subject] = true
	}
	if len(seen) != n {
		t.Errorf("delivered %d distinct emails, want %d", len(seen), n)
	}
}

func TestVisitorsWatchOnlyWhereAllowedAndConfirmed(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	admin, visitor := browser(t), browser(t)
	signIn(t, admin, w.a, "admin@example.org")
	const slug, email = "max-bokayev-case", "reader@example.net"
	ask := func(c *http.Client, srv *httptest.Server, to string) (*http.Response, string) {
		return post(t, c, srv.URL+"/watch/email?lang=kk", url.Values{"kind": {"case"}, "slug": {slug}, "email": {to}})
	}

	if _, page := fetchWith(t, visitor, w.a.URL+"/cases/"+slug); strings.Contains(page, "visitor-watch-form") {
		t.Error("visitors are offered the email form before an admin allows it")
	}
	if resp, _ := ask(visitor, w.a, email); resp.StatusCode != http.StatusForbidden {
		t.Errorf("asking before an admin allows it: %d, want 403", resp.StatusCode)
	}
	if resp, body := post(t, admin, w.a.URL+"/admin/mail/visitors", url.Values{"visitor_watches": {"true"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("admin switch: %d %s", resp.StatusCode, body)
	}
	// Both servers' cached pages now offer the form.
	for _, srv := range []*httptest.Server{w.a, w.b} {
		if _, page := fetchWith(t, visitor, srv.URL+"/cases/"+slug); !strings.Contains(page, "visitor-watch-form") {
			t.Error("the case page does not offer visitors the email form once allowed")
		}
	}
	if resp, body := ask(visitor, w.a, email); resp.StatusCode != http.StatusOK || strings.Contains(body, email) {
		t.Fatalf("asking: %d (the answer should not repeat the address)", resp.StatusCode)
	}
	if resp, body := ask(visitor, w.b, email); resp.StatusCode != http.StatusTooManyRequests || !strings.Contains(body, `value="`+email+`"`) {
		t.Errorf("a second confirmation to one address within the hour: %d, want 429 with the form kept", resp.StatusCode)
	}
	if resp, body := ask(visitor, w.b, "not an address"); resp.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, `data-testid="email-error"`) {
		t.Errorf("a mistyped address: %d, want 422 with the error beside the field", resp.StatusCode)
	}
	for i := range 5 {
		resp, _ := ask(visitor, w.a, fmt.Sprintf("other%d@example.net", i))
		if want := map[bool]int{true: http.StatusTooManyRequests, false: http.StatusOK}[i >= 4]; resp.StatusCode != want {
			t.Errorf("request %d from one client to another address: %d, want %d", i+2, resp.StatusCode, want)
		}
	}
	w.addStatus(t, admin, slug, "released", "2021-02-08")
	w.round(t)
	confirm := w.sink.mails(email, tracker.MailConfirm)
	if len(confirm) != 1 || !strings.Contains(confirm[0].Subject, "Растаңыз") {
		t.Fatalf("confirmation emails: %d (want one, in Kazakh)", len(confirm))
	}
	if n := len(w.sink.mails(email, tracker.MailChange)); n != 0 {
		t.Errorf("news before confirming: %d emails", n)
	}
	if confirm[0].Header.Get("List-Unsubscribe") != "" {
		t.Error("a confirmation email is not a list")
	}
	link := siteLink(t, confirm[0].Text, "/watch/confirm", w.b)
	resp, body := fetchWith(t, visitor, link)
	if resp.StatusCode != http.StatusOK || !strings.Contains(body, "confirm-form") {
		t.Fatalf("confirm page: %d", resp.StatusCode)
	}
	u, _ := url.Parse(link)
	if resp, body := post(t, visitor, w.b.URL+"/watch/confirm", url.Values{"token": {u.Query().Get("token")}}); resp.StatusCode != http.StatusOK || !strings.Contains(body, "watch-confirmed") {
		t.Fatalf("confirm: %d %s", resp.StatusCode, body)
	}
	// An internal-only edit tells the visitor nothing; a new status does.
	postgrestest.Exec(t, w.url, `UPDATE cases SET internal_notes = 'a lawyer called' WHERE slug = $1`, slug)
	w.addStatus(t, admin, slug, "imprisoned", "2021-03-01")
	w.round(t)
	news := w.sink.mails(email, tracker.MailChange)
	if len(news) != 1 || !strings.Contains(news[0].Subject, "мәртебесі") {
		t.Fatalf("news after confirming: %d emails, want 1 in Kazakh", len(news))
	}
	for _, srv := range []*httptest.Server{w.a, w.b} {
		if _, page := fetchWith(t, admin, srv.URL+"/admin/mail"); strings.Contains(page, email) {
			t.Error("the admins' email page shows a visitor's address")
		}
	}
}

func TestStaffDigestWeekly(t *testing.T) {
	t.Parallel()
	w := newMailWorld(t)
	postgrestest.Exec(t, w.url, `UPDATE cases SET next_hearing_on = current_date + 3 WHERE slug = 'max-bokayev-case'`)
	w.round(t)
	w.round(t)
	got := w.sink.mails("editor@example.org", tracker.MailDigest)
	if len(got) != 1 {
		t.Fatalf("digests after two rounds: %d, want 1", len(got))
	}
	if !strings.Contains(got[0].Text, publicURL+"/cases/max-bokayev-case") {
		t.Errorf("the digest should list the coming hearing:\n%s", got[0].Text)
	}
	// A restarted server (a new worker) does not send it again.
	w.mailer = w.newMailer()
	w.round(t)
	if n := len(w.sink.mails("editor@example.org", tracker.MailDigest)); n != 1 {
		t.Fatalf("after a restart: %d digests, want 1", n)
	}
	weekLater := func() {
		postgrestest.Exec(t, w.url, `UPDATE staff_digests SET last_sent_at = last_sent_at - interval '7 days'`)
	}
	weekLater()
	w.round(t)
	if n := len(w.sink.mails("editor@example.org", tracker.MailDigest)); n != 2 {
		t.Fatalf("a week later: %d digests, want 2", n)
	}
	editor := browser(t)
	signIn(t, editor, w.a, "editor@example.org")
	if resp, _ := post(t, editor, w.a.URL+"/staff/watches/digest", url.Values{"digest": {"off"}}); resp.StatusCode != http.StatusSeeOther {
		t.Fatalf("turning the digest off: %d", resp.StatusCode)
	}
	weekLater()
	w.round(t)
	if n := len(w.sink.mails("editor@example.org", tracker.MailDigest)); n != 2 {
		t.Errorf("with the digest off: %d digests, want still 2", n)
	}
	if n := len(w.sink.mails("admin@example.org", tracker.MailDigest)); n != 3 {
		t.Errorf("the admin, who left it on: %d digests, want 3", n)
	}
}
