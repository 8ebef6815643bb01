package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// PendingTexts are up to limit attachments whose text is still to be extracted
// (text_state 'pending'), oldest first, with what extraction needs: id, type and blob key.
func (db *DB) PendingTexts(ctx context.Context, limit int) ([]tracker.Attachment, error) {
	rows, _ := db.pool.Query(ctx, `SELECT id, content_type, blob_key, size FROM attachments
		WHERE text_state = 'pending' AND retired_at IS NULL ORDER BY id LIMIT $1`, limit)
	as, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (tracker.Attachment, error) {
		var a tracker.Attachment
		return a, r.Scan(&a.ID, &a.ContentType, &a.BlobKey, &a.Size)
	})
	return as, translate(err, "attachments")
}

// SetText records what extraction made of an attachment still pending: its text and the
// state ('done', 'none' for a type without text, 'failed'). The search index (text_tsv)
// follows; the public data version moves if the file is public, as its text is then
// searched by everyone.
func (db *DB) SetText(ctx context.Context, id int64, state, text string) error {
	err := db.writeUntracked(ctx, func(tx pgx.Tx) error {
		_, err := tx.Exec(ctx, `UPDATE attachments SET text_state = $2, text_content = $3 WHERE id = $1 AND text_state = 'pending'`, id, state, text)
		return err
	})
	return translate(err, "attachment text")
}
