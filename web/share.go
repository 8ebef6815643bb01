package web

import (
	"context"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
)

// Share is what a link to a page shows where it is shared (Open Graph and Twitter card
// tags): the page's title, a one-line summary, its kind, and its address.
type Share struct {
	Description string // "" for a page with no share tags
	Type        string // og:type: "profile" for a person, "article" otherwise
	Path        string // the page's path; og:url is it on the site's public address
}

// shareLength caps a shared summary: cards show about two lines.
const shareLength = 200

type publicURLKey struct{}

// WithPublicURL records the site's public address (WHEREAS_PUBLIC_URL), for the absolute
// addresses shared links carry. The request's Host header is never used for them: a public
// page is cached for every visitor, so a forged Host would be served to all.
func WithPublicURL(ctx context.Context, url string) context.Context {
	return context.WithValue(ctx, publicURLKey{}, strings.TrimSuffix(url, "/"))
}

// PublicURL is the site's public address, or "" where none is configured.
func PublicURL(ctx context.Context) string { u, _ := ctx.Value(publicURLKey{}).(string); return u }

// currentLine is a case's current status in words, in the page's language, dated as
// precisely as known: "Imprisoned since May 2019", "Imprisoned (reported by the resolution
// of 14 March 2019)", "No status recorded".
func currentLine(ctx context.Context, c tracker.Case) string {
	cur, ok := c.Current()
	if !ok {
		return StatusLabel(ctx, "")
	}
	if cur.DatedBy != "" {
		return T(ctx, "common.share.status_reported", "Status", StatusLabel(ctx, cur.Status), "DatedBy", cur.DatedBy)
	}
	return T(ctx, "common.share.status_since", "Status", StatusLabel(ctx, cur.Status), "Since", DateSince(ctx, cur.EffectiveOn))
}

// sentences joins the parts that are not empty as sentences: with ". ", or a space after
// one that ends with its own full stop ("с мая 2019 г.").
func sentences(parts ...string) string {
	var b strings.Builder
	for _, p := range parts {
		if p == "" {
			continue
		}
		if b.Len() > 0 {
			if !strings.HasSuffix(b.String(), ".") {
				b.WriteString(".")
			}
			b.WriteString(" ")
		}
		b.WriteString(p)
	}
	return b.String()
}

// PersonShare summarises a person for a shared link, in the page's language: role and
// place, current status.
func PersonShare(ctx context.Context, d tracker.PersonDetail) Share {
	var statuses []string
	for _, c := range d.Cases {
		statuses = append(statuses, currentLine(ctx, c))
	}
	if len(statuses) == 0 {
		statuses = []string{StatusLabel(ctx, "")}
	}
	desc := sentences(Capitalised(JoinNonEmpty(", ", d.Person.Role, d.Person.Place)),
		T(ctx, "common.share.current_status", "Statuses", strings.Join(statuses, "; ")),
		N(ctx, "common.share.named_in", len(d.Clauses)))
	if !strings.HasSuffix(desc, ".") {
		desc += "."
	}
	return Share{Description: tracker.Shorten(desc, shareLength), Type: "profile", Path: tracker.PersonEntity.Path(d.Person.Slug)}
}

// CaseShare summarises a case for a shared link, in the page's language: whom it
// concerns, its current status.
func CaseShare(ctx context.Context, d tracker.CaseDetail) Share {
	var whom []string
	for _, r := range append(append([]tracker.EntityRef{}, d.Case.People...), d.Case.Organisations...) {
		whom = append(whom, r.Name)
	}
	concerns := ""
	if len(whom) > 0 {
		concerns = T(ctx, "common.share.concerns", "Names", strings.Join(whom, ", "))
	}
	desc := sentences(concerns, T(ctx, "common.share.current_status", "Statuses", currentLine(ctx, d.Case)), d.Case.Summary)
	return Share{Description: tracker.Shorten(desc, shareLength), Type: "article", Path: tracker.CaseEntity.Path(d.Case.Slug)}
}

// ResolutionShare summarises a resolution's text for a shared link, in the page's
// language.
func ResolutionShare(ctx context.Context, r tracker.Resolution) Share {
	desc := N(ctx, "common.share.resolution", len(r.Clauses), "Procedure", r.Procedure)
	return Share{Description: tracker.Shorten(desc, shareLength), Type: "article", Path: "/resolutions/" + r.Slug}
}
