package web

import (
	"context"

	"github.com/whereas/whereas/internal/tracker"
)

type viewerKey struct{}

// WithViewer records the signed-in staff member for the pages rendered with ctx.
func WithViewer(ctx context.Context, u *tracker.User) context.Context {
	return context.WithValue(ctx, viewerKey{}, u)
}

// Viewer returns the signed-in staff member, or nil for a public visitor. Pages show
// internal notes and editing controls only when it is not nil.
func Viewer(ctx context.Context) *tracker.User {
	u, _ := ctx.Value(viewerKey{}).(*tracker.User)
	return u
}

// IsStaff reports whether the page is being rendered for a signed-in staff member.
func IsStaff(ctx context.Context) bool { return Viewer(ctx) != nil }

// IsAdmin reports whether the page is being rendered for an admin.
func IsAdmin(ctx context.Context) bool {
	u := Viewer(ctx)
	return u != nil && u.Role == tracker.RoleAdmin
}
