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

// currentLine is a case's current status in words, dated as precisely as known:
// "Imprisoned since May 2019", "Imprisoned (reported by the resolution of 14 March 2019)",
// "No status recorded".
func currentLine(c tracker.Case) string {
	cur, ok := c.Current()
	if !ok {
		return "No status recorded"
	}
	if cur.DatedBy != "" {
		return cur.Status.Label() + " (" + cur.DatedBy + ")"
	}
	return cur.Status.Label() + " " + cur.EffectiveOn.Since()
}

// PersonShare summarises a person for a shared link: role and place, current status.
func PersonShare(d tracker.PersonDetail) Share {
	var statuses []string
	for _, c := range d.Cases {
		statuses = append(statuses, currentLine(c))
	}
	if len(statuses) == 0 {
		statuses = []string{"No status recorded"}
	}
	desc := JoinNonEmpty(". ", Capitalised(JoinNonEmpty(", ", d.Person.Role, d.Person.Place)), "Current status: "+strings.Join(statuses, "; "),
		"Named in "+Plural(len(d.Clauses), "clause", "clauses")+" of European Parliament resolutions")
	return Share{Description: tracker.Shorten(desc+".", shareLength), Type: "profile", Path: tracker.PersonEntity.Path(d.Person.Slug)}
}

// CaseShare summarises a case for a shared link: whom it concerns, its current status.
func CaseShare(d tracker.CaseDetail) Share {
	var whom []string
	for _, r := range append(append([]tracker.EntityRef{}, d.Case.People...), d.Case.Organisations...) {
		whom = append(whom, r.Name)
	}
	concerns := ""
	if len(whom) > 0 {
		concerns = "Concerns " + strings.Join(whom, ", ")
	}
	desc := JoinNonEmpty(". ", concerns, "Current status: "+currentLine(d.Case), d.Case.Summary)
	return Share{Description: tracker.Shorten(desc, shareLength), Type: "article", Path: tracker.CaseEntity.Path(d.Case.Slug)}
}

// ResolutionShare summarises a resolution's text for a shared link.
func ResolutionShare(r tracker.Resolution) Share {
	desc := r.Procedure + ": " + Plural(len(r.Clauses), "clause", "clauses") +
		", each with its own address, with the people they name and what has happened to them since."
	return Share{Description: tracker.Shorten(desc, shareLength), Type: "article", Path: "/resolutions/" + r.Slug}
}
