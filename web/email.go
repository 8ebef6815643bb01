package web

import (
	"bytes"
	"context"
	"net/url"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// emailPart is one paragraph of an email: text, then, if any, a link on a line of its own.
// The plain-text and the HTML body are written from the same parts.
type emailPart struct {
	Text  string
	Link  string
	Quote bool // text someone typed (a note), set apart
	Small bool // the footer
}

// emailLang is ctx speaking lang (en where lang is unknown).
func emailLang(ctx context.Context, lang string) context.Context {
	l, ok := i18n.Parse(lang)
	if !ok {
		l = i18n.EN
	}
	return WithLang(ctx, l)
}

// writeMail makes both bodies of an email from its parts.
func writeMail(ctx context.Context, m tracker.Mail, parts []emailPart) (tracker.Mail, error) {
	var text strings.Builder
	for i, p := range parts {
		if i > 0 {
			text.WriteString("\n")
		}
		if p.Small && i > 0 {
			text.WriteString("-- \n")
		}
		if p.Text != "" {
			if p.Quote {
				text.WriteString("> " + strings.ReplaceAll(p.Text, "\n", "\n> ") + "\n")
			} else {
				text.WriteString(p.Text + "\n")
			}
		}
		if p.Link != "" {
			text.WriteString(p.Link + "\n")
		}
	}
	var html bytes.Buffer
	if err := emailHTML(m.Subject, parts).Render(ctx, &html); err != nil {
		return m, err
	}
	m.Text, m.HTML = text.String(), html.String()
	return m, nil
}

// newsLine says what changed, in one line: the change part of the subject.
func newsLine(ctx context.Context, n tracker.News) string {
	switch n.Kind {
	case tracker.NewsStatus:
		return T(ctx, "email.news.status", "Case", n.Case.Name, "Status", StatusLabel(ctx, n.Status))
	case tracker.NewsDemandState:
		return T(ctx, "email.news.demand_state", "Resolution", n.Resolution.Name, "State", DemandStateLabel(ctx, n.State))
	case tracker.NewsCaseEdit:
		return T(ctx, "email.news.case_edit", "Case", n.Case.Name)
	case tracker.NewsPersonEdit:
		return T(ctx, "email.news.person_edit", "Person", n.Person.Name)
	}
	return T(ctx, "email.news.stage", "Resolution", n.Resolution.Name, "Stage", StageLabel(ctx, n.Stage))
}

// newsPath is the page of what changed.
func newsPath(n tracker.News) string {
	switch n.Kind {
	case tracker.NewsStatus, tracker.NewsCaseEdit:
		return "/cases/" + n.Case.Slug
	case tracker.NewsDemandState:
		return "/demands/" + n.Demand.Slug
	case tracker.NewsPersonEdit:
		return "/people/" + n.Person.Slug
	}
	return "/resolutions/" + n.Resolution.Slug
}

// upperFirst is s with its first letter a capital, for a line that starts a sentence.
func upperFirst(s string) string {
	r, size := utf8.DecodeRuneInString(s)
	return string(unicode.ToUpper(r)) + s[size:]
}

// aboutItself says whether the change's line names the watched record itself (a watched
// case's new status), so the subject need not name it twice.
func aboutItself(n tracker.Notice) bool {
	switch n.Watch.Kind {
	case tracker.WatchCase:
		return n.Watch.Slug == n.News.Case.Slug
	case tracker.WatchPerson:
		return n.Watch.Slug == n.News.Person.Slug
	}
	return n.Watch.Slug == n.News.Resolution.Slug && n.News.Kind == tracker.NewsDemandState
}

// UnsubscribePath is the address of the page that ends a watch, for the token.
func UnsubscribePath(token string) string { return "/unsubscribe?token=" + url.QueryEscape(token) }

// NoticeMail is the email that tells a watcher of a change, in the watcher's language,
// with links to the changed record's page and to stop watching (base is the site's
// address, token the email's own unsubscribe token).
func NoticeMail(ctx context.Context, base string, n tracker.Notice, token string) (tracker.Mail, error) {
	ctx = emailLang(ctx, n.Watch.Lang)
	line := newsLine(ctx, n.News)
	unsubscribe := base + UnsubscribePath(token)
	subject := T(ctx, "email.news.subject", "Name", n.Watch.Name, "News", line)
	if aboutItself(n) {
		subject = upperFirst(line) // the line names the watched record already
	}
	m := tracker.Mail{Kind: tracker.MailChange, To: n.Recipient, WatchID: n.Watch.ID, Subject: subject,
		Headers: map[string]string{"List-Unsubscribe": "<" + unsubscribe + ">", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"}}
	parts := []emailPart{{Text: upperFirst(line)}}
	if n.News.Kind == tracker.NewsDemandState {
		parts = append(parts, emailPart{Text: T(ctx, "email.news.demand", "Wording", n.News.Demand.Name)})
	}
	if !n.News.Effective.IsZero() {
		parts = append(parts, emailPart{Text: T(ctx, "email.news.dated", "Date", DateText(ctx, n.News.Effective))})
	}
	if n.News.Note != "" {
		parts = append(parts, emailPart{Text: n.News.Note, Quote: true})
	}
	if n.News.Internal || n.News.Retired() {
		parts = append(parts, emailPart{Text: T(ctx, "email.news.staff_only")})
	}
	parts = append(parts, emailPart{Text: T(ctx, "email.news.see"), Link: base + newsPath(n.News)},
		emailPart{Text: T(ctx, "email.news.why", "Name", n.Watch.Name), Link: unsubscribe, Small: true})
	return writeMail(ctx, m, parts)
}

// ConfirmMail asks a visitor to confirm that they want to watch w; the link holds token.
func ConfirmMail(ctx context.Context, base, to string, w tracker.Watch, token string) (tracker.Mail, error) {
	ctx = emailLang(ctx, w.Lang)
	m := tracker.Mail{Kind: tracker.MailConfirm, To: to, Subject: T(ctx, "email.confirm.subject", "Name", w.Name)}
	return writeMail(ctx, m, []emailPart{
		{Text: T(ctx, "email.confirm.asked", "Name", w.Name), Link: base + w.Kind.Path(w.Slug)},
		{Text: T(ctx, "email.confirm.open"), Link: base + "/watch/confirm?token=" + url.QueryEscape(token)},
		{Text: T(ctx, "email.confirm.ignore"), Small: true},
	})
}

// DigestMail is a staff member's weekly digest: stale cases and coming hearings.
func DigestMail(ctx context.Context, base, to, lang string, d tracker.Digest) (tracker.Mail, error) {
	ctx = emailLang(ctx, lang)
	m := tracker.Mail{Kind: tracker.MailDigest, To: to, Subject: T(ctx, "email.digest.subject")}
	parts := []emailPart{{Text: T(ctx, "email.digest.stale", "Days", d.StaleDays)}}
	for _, c := range d.Stale {
		parts = append(parts, emailPart{Text: "• " + c.Name, Link: base + "/cases/" + c.Slug})
	}
	if len(d.Stale) == 0 {
		parts = append(parts, emailPart{Text: T(ctx, "email.digest.none")})
	}
	parts = append(parts, emailPart{Text: T(ctx, "email.digest.hearings", "Days", d.HearingDays)})
	for _, h := range d.Hearings {
		parts = append(parts, emailPart{Text: "• " + Day(ctx, h.On) + ": " + h.Case.Name, Link: base + "/cases/" + h.Case.Slug})
	}
	if len(d.Hearings) == 0 {
		parts = append(parts, emailPart{Text: T(ctx, "email.digest.none")})
	}
	parts = append(parts, emailPart{Text: T(ctx, "email.digest.off"), Link: base + "/staff/watches", Small: true})
	return writeMail(ctx, m, parts)
}

// emailStyle sets a note apart and makes the footer small.
func emailStyle(p emailPart) string {
	switch {
	case p.Quote:
		return "border-left: 3px solid #ccc; padding-left: 0.75em; white-space: pre-wrap;"
	case p.Small:
		return "font-size: small; color: #555;"
	}
	return ""
}

// emailTranslate keeps what someone typed from being machine-translated.
func emailTranslate(p emailPart) string {
	if p.Quote {
		return "no"
	}
	return "yes"
}
