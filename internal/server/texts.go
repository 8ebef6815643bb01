package server

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"time"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/postgres"
)

// ExtractTexts extracts the text of every attachment still pending (internal/extract),
// so that search finds the words inside it, and says how many it read. Extraction runs
// apart from the upload, so a PDF that takes extract.Deadline to read never holds up a
// request; a file that cannot be read is marked 'failed' (and logged), one without text
// (a photo) 'none'. store is where the bytes are kept (nil: the database's own).
func ExtractTexts(ctx context.Context, db *postgres.DB, store blob.Store, log *slog.Logger) (int, error) {
	if store == nil {
		store = db.Blobs()
	}
	n := 0
	for {
		pending, err := db.PendingTexts(ctx, 20)
		if err != nil || len(pending) == 0 {
			return n, err
		}
		for _, a := range pending {
			state, text := "done", ""
			data, err := readBlob(ctx, store, a.BlobKey)
			if err == nil {
				text, err = extract.Text(a.ContentType, data)
			}
			switch {
			case errors.Is(err, extract.ErrNoText):
				state = "none"
			case err != nil && ctx.Err() != nil:
				return n, ctx.Err()
			case err != nil:
				state = "failed"
				log.Warn("extract an attachment's text", "attachment", a.ID, "err", err)
			}
			if err := db.SetText(ctx, a.ID, state, text); err != nil {
				return n, err
			}
			n++
		}
	}
}

// readBlob reads one blob whole.
func readBlob(ctx context.Context, store blob.Store, key string) ([]byte, error) {
	rc, err := store.Open(ctx, key)
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// ExtractTextsEvery runs ExtractTexts every interval until ctx ends: a file uploaded is
// searchable within the interval, and files restored from a backup, or left pending by a
// restart, are read too.
func ExtractTextsEvery(ctx context.Context, db *postgres.DB, store blob.Store, log *slog.Logger, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		if _, err := ExtractTexts(ctx, db, store, log); err != nil && ctx.Err() == nil {
			log.Warn("extract attachments' text", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}
