package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// EditResolutionText changes which text a resolution is (stage, document reference, its own
// date) and its official link, in one transaction with its audit entry; a form read at an
// older version is refused (ECONFLICT), and a stage and reference another text of the same
// procedure already has is refused beside the field.
func (db *DB) EditResolutionText(ctx context.Context, a Actor, e tracker.TextEdit) error {
	on, errs := e.Validate()
	if errs.Any() {
		return &tracker.ValidationError{Fields: errs}
	}
	return db.writeTracked(ctx, func(tx pgx.Tx) error {
		var before struct {
			Stage       tracker.Stage `json:"stage"`
			Reference   string        `json:"reference"`
			TextDate    *time.Time    `json:"text_date"`
			OfficialURL string        `json:"official_url"`
		}
		var version int
		err := tx.QueryRow(ctx, `SELECT stage, reference, text_date, official_url, version FROM resolutions WHERE slug = $1 FOR UPDATE`, e.Slug).
			Scan(&before.Stage, &before.Reference, &before.TextDate, &before.OfficialURL, &version)
		if errors.Is(err, pgx.ErrNoRows) {
			return tracker.Errorf(tracker.ENOTFOUND, "No such resolution.")
		} else if err != nil {
			return fmt.Errorf("read resolution %s: %w", e.Slug, err)
		}
		if version != e.Version {
			return tracker.Errorf(tracker.ECONFLICT, "Someone changed this resolution's details since you opened the form: they are shown below; make your change again.")
		}
		_, err = tx.Exec(ctx, `UPDATE resolutions SET stage = $2, reference = $3, text_date = $4, official_url = $5, version = version + 1 WHERE slug = $1`,
			e.Slug, e.Stage, e.Reference, nullDate(on), e.OfficialURL)
		if err != nil {
			if code := tracker.ErrorCode(translate(err, "resolution")); code == tracker.ECONFLICT {
				return &tracker.ValidationError{Fields: tracker.FieldErrors{"reference": "Another text of this procedure is stored as this stage with this number."}}
			}
			return fmt.Errorf("update resolution %s: %w", e.Slug, err)
		}
		after := map[string]any{"stage": e.Stage, "reference": e.Reference, "text_date": nullDate(on), "official_url": e.OfficialURL}
		return audit(ctx, tx, a, "edit text details", "resolution", e.Slug, before, after)
	})
}
