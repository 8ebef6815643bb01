package web

import (
	"context"

	"github.com/whereas/whereas/internal/tracker"
)

// WatchState is what a watchable record's page offers: staff a button to watch it or stop,
// visitors an email form where an admin allows it.
type WatchState struct {
	Kind     tracker.WatchKind
	Slug     string
	Staff    bool // a staff member is looking
	Watching bool // and watches the record
	Visitors bool // a visitor is looking, and visitors may watch by email
}

// The values the watch forms post (form fields, not words for readers).
const (
	formStart   = "start"
	formStop    = "stop"
	formWatches = "watches"
	formOn      = "on"
	formOff     = "off"
	formTrue    = "true"
	formFalse   = "false"
)

type watchKey struct{}

// WithWatch records what the page of a watchable record offers.
func WithWatch(ctx context.Context, st WatchState) context.Context {
	return context.WithValue(ctx, watchKey{}, st)
}

// watchState is what WithWatch recorded, or nil on pages that offer nothing.
func watchState(ctx context.Context) *WatchState {
	if st, ok := ctx.Value(watchKey{}).(WatchState); ok {
		return &st
	}
	return nil
}

// watchKindLabel is a kind of watched record in words.
func watchKindLabel(ctx context.Context, k tracker.WatchKind) string {
	return T(ctx, "watch.kind."+string(k))
}
