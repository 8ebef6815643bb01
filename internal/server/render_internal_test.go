package server

import (
	"context"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/tracker"
)

// TestRenderAfterTheDeadline: a page whose request ran out of time is never sent with 200
// (what its handler read may be short); the error boundary answers 503 instead.
func TestRenderAfterTheDeadline(t *testing.T) {
	t.Parallel()
	page := templ.Raw("<p>a list that may be short</p>")
	ctx, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	rec := httptest.NewRecorder()
	if err := render(ctx, rec, 200, page); tracker.ErrorCode(err) != tracker.EUNAVAILABLE || rec.Body.Len() != 0 || rec.Header().Get("Content-Type") != "" {
		t.Errorf("after the deadline: err %v, wrote %q", err, rec.Body.String())
	}
	// The same page in time is sent, and an error page after the deadline still is.
	rec = httptest.NewRecorder()
	if err := render(context.Background(), rec, 200, page); err != nil || rec.Code != 200 || rec.Body.Len() == 0 {
		t.Errorf("in time: err %v, %d %q", err, rec.Code, rec.Body.String())
	}
	rec = httptest.NewRecorder()
	if err := render(ctx, rec, 503, page); err != nil || rec.Code != 503 {
		t.Errorf("503 after the deadline: err %v, %d", err, rec.Code)
	}
}
