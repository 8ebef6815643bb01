package postgres

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/tracker"
)

// attachmentSelect reads attachments with what the pages need of their owner: its slug,
// whether it (or the case of a status entry) is retired, and the page it is listed on.
const attachmentSelect = `
SELECT a.id, COALESCE(a.status_entry_id, 0), COALESCE(a.demand_state_entry_id, 0), COALESCE(k.slug, ''), COALESCE(p.slug, ''),
       a.title, a.filename, a.content_type, a.size, a.sha256, a.visibility, a.source_url, a.obtained_on, a.obtained_precision,
       a.blob_key, a.text_state, a.recorded_at, a.recorded_by_name, a.retired_at,
       COALESCE(k.retired_at, p.retired_at, sk.retired_at) IS NOT NULL,
       CASE WHEN k.slug IS NOT NULL THEN '/cases/' || k.slug
            WHEN p.slug IS NOT NULL THEN '/people/' || p.slug
            WHEN sk.slug IS NOT NULL THEN '/cases/' || sk.slug || '#status-' || se.id
            ELSE '/demands/' || d.slug || '#state-' || de.id END
FROM attachments a
LEFT JOIN cases k ON k.id = a.case_id
LEFT JOIN people p ON p.id = a.person_id
LEFT JOIN status_entries se ON se.id = a.status_entry_id
LEFT JOIN cases sk ON sk.id = se.case_id
LEFT JOIN demand_state_entries de ON de.id = a.demand_state_entry_id
LEFT JOIN demands d ON d.id = de.demand_id`

func scanAttachment(row pgx.CollectableRow) (tracker.Attachment, error) {
	var a tracker.Attachment
	var on *time.Time
	var precision string
	err := row.Scan(&a.ID, &a.Owner.StatusEntryID, &a.Owner.DemandStateEntryID, &a.Owner.CaseSlug, &a.Owner.PersonSlug,
		&a.Title, &a.Filename, &a.ContentType, &a.Size, &a.SHA256, &a.Visibility, &a.SourceURL, &on, &precision,
		&a.BlobKey, &a.TextState, &a.RecordedAt, &a.RecordedBy, &a.RetiredAt, &a.OwnerRetired, &a.OwnerPath)
	if on != nil {
		w := tracker.MakeWhen(*on, tracker.Precision(precision))
		a.ObtainedOn = &w
	}
	return a, err
}

// attachmentOwner is where a new attachment goes: the column naming its owner, the
// owner's id, and the record whose audit trail the change is written in.
type attachmentOwner struct {
	column     string
	id         int64
	entityType string
	slug       string
}

// resolveAttachmentOwner finds the record an attachment is for, or says it is not there.
func resolveAttachmentOwner(ctx context.Context, tx pgx.Tx, o tracker.AttachmentOwner) (attachmentOwner, error) {
	var q, column, entityType, what string
	var arg any
	switch {
	case o.StatusEntryID != 0:
		q, arg, column, entityType, what = `SELECT e.id, k.slug FROM status_entries e JOIN cases k ON k.id = e.case_id WHERE e.id = $1`,
			o.StatusEntryID, "status_entry_id", "case", "status entry"
	case o.DemandStateEntryID != 0:
		q, arg, column, entityType, what = `SELECT e.id, d.slug FROM demand_state_entries e JOIN demands d ON d.id = e.demand_id WHERE e.id = $1`,
			o.DemandStateEntryID, "demand_state_entry_id", "demand", "demand state entry"
	case o.CaseSlug != "":
		q, arg, column, entityType, what = `SELECT id, slug FROM cases WHERE slug = $1`, o.CaseSlug, "case_id", "case", "case"
	case o.PersonSlug != "":
		q, arg, column, entityType, what = `SELECT id, slug FROM people WHERE slug = $1`, o.PersonSlug, "person_id", "person", "person"
	default:
		return attachmentOwner{}, tracker.Errorf(tracker.EINVALID, "Say what the file belongs to.")
	}
	out := attachmentOwner{column: column, entityType: entityType}
	err := tx.QueryRow(ctx, q, arg).Scan(&out.id, &out.slug)
	if errors.Is(err, pgx.ErrNoRows) {
		return out, tracker.Errorf(tracker.ENOTFOUND, "No %s was found at this address.", what)
	}
	return out, err
}

// CreateAttachment keeps a file: its bytes go into store under att.BlobKey first, then
// its row and audit entry are written in one transaction. The key names the content (its
// SHA-256), so a row that fails to be written leaves at most a blob no row names, which a
// later upload of the same file takes up. size bytes are read from body; text is what
// extraction found in it (att.TextState says how that went).
func (db *DB) CreateAttachment(ctx context.Context, a Actor, store blob.Store, att tracker.Attachment, text string, body io.Reader) (tracker.Attachment, error) {
	if err := store.Put(ctx, att.BlobKey, body, att.Size); err != nil {
		return att, fmt.Errorf("store attachment: %w", err)
	}
	var on *time.Time
	precision := string(tracker.ByDay)
	if att.ObtainedOn != nil {
		on, precision = &att.ObtainedOn.Start, string(att.ObtainedOn.Precision)
	}
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		owner, err := resolveAttachmentOwner(ctx, tx, att.Owner)
		if err != nil {
			return err
		}
		// The owner's column comes from resolveAttachmentOwner's fixed list.
		if err := tx.QueryRow(ctx, `INSERT INTO attachments (`+owner.column+`, title, filename, content_type, size, sha256, visibility,
				source_url, obtained_on, obtained_precision, blob_key, text_state, text_content, recorded_by, recorded_by_name)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id, recorded_at`,
			owner.id, att.Title, att.Filename, att.ContentType, att.Size, att.SHA256, att.Visibility, att.SourceURL, on, precision,
			att.BlobKey, att.TextState, text, a.id(), a.Name).Scan(&att.ID, &att.RecordedAt); err != nil {
			return err
		}
		att.RecordedBy = a.Name
		return audit(ctx, tx, a, "attach file", owner.entityType, owner.slug, nil, attachmentSnapshot(att))
	})
	return att, translate(err, "attachment")
}

// attachmentSnapshot is an attachment as its audit entry records it.
func attachmentSnapshot(att tracker.Attachment) map[string]any {
	on := ""
	if att.ObtainedOn != nil {
		on = att.ObtainedOn.String()
	}
	m := map[string]any{"attachment": att.ID, "title": att.Title, "filename": att.Filename, "content_type": att.ContentType,
		"size": att.Size, "sha256": att.SHA256, "visibility": string(att.Visibility), "source_url": att.SourceURL, "obtained_on": on}
	if att.Owner.StatusEntryID != 0 {
		m["entry"] = att.Owner.StatusEntryID
	}
	if att.Owner.DemandStateEntryID != 0 {
		m["entry"] = att.Owner.DemandStateEntryID
	}
	return m
}

// Attachment reads one attachment, removed or not; the caller decides who may see it.
func (db *DB) Attachment(ctx context.Context, id int64) (tracker.Attachment, error) {
	rows, _ := db.read(ctx).Query(ctx, attachmentSelect+` WHERE a.id = $1`, id)
	att, err := pgx.CollectExactlyOneRow(rows, scanAttachment)
	return att, notFoundAs(translate(err, "file"), "file")
}

// AttachmentsOf chooses whose attachments a page lists.
type AttachmentsOf struct {
	Case   string // a case: its own files and its status entries'
	Person string // a person's own files
	Demand string // a demand's state entries' files
	Staff  bool   // internal files too; the public sees public ones only
}

// Attachments lists the files of a record, oldest first; removed ones are left out.
func (db *DB) Attachments(ctx context.Context, of AttachmentsOf) ([]tracker.Attachment, error) {
	var where string
	var arg string
	switch {
	case of.Case != "":
		where, arg = `(k.slug = $1 OR sk.slug = $1)`, of.Case
	case of.Person != "":
		where, arg = `p.slug = $1`, of.Person
	case of.Demand != "":
		where, arg = `d.slug = $1`, of.Demand
	default:
		return nil, nil
	}
	q := attachmentSelect + ` WHERE ` + where + ` AND a.retired_at IS NULL`
	if !of.Staff {
		q += ` AND a.visibility = 'public'`
	}
	rows, _ := db.read(ctx).Query(ctx, q+` ORDER BY a.recorded_at, a.id`, arg)
	list, err := pgx.CollectRows(rows, scanAttachment)
	return list, translate(err, "files")
}

// RemoveAttachment retires a file: it leaves every page and answers no more, its row and
// bytes are kept (a backup holds them), and the audit trail of its record says who
// removed it. Removing it twice is a conflict.
func (db *DB) RemoveAttachment(ctx context.Context, a Actor, id int64) (tracker.Attachment, error) {
	var att tracker.Attachment
	err := db.writeTracked(ctx, func(tx pgx.Tx) error {
		rows, _ := tx.Query(ctx, attachmentSelect+` WHERE a.id = $1 FOR UPDATE OF a`, id)
		var err error
		if att, err = pgx.CollectExactlyOneRow(rows, scanAttachment); err != nil {
			return err
		}
		if att.RetiredAt != nil {
			return tracker.Errorf(tracker.ECONFLICT, "This file was removed already.")
		}
		if _, err := tx.Exec(ctx, `UPDATE attachments SET retired_at = now(), retired_by = $2 WHERE id = $1`, id, a.Name); err != nil {
			return err
		}
		entityType, slug := attachmentRecord(att)
		return audit(ctx, tx, a, "remove file", entityType, slug, attachmentSnapshot(att), nil)
	})
	return att, notFoundAs(translate(err, "file"), "file")
}

// attachmentRecord names the record whose audit trail an attachment's changes go in.
func attachmentRecord(att tracker.Attachment) (entityType, slug string) {
	switch {
	case att.Owner.CaseSlug != "":
		return "case", att.Owner.CaseSlug
	case att.Owner.PersonSlug != "":
		return "person", att.Owner.PersonSlug
	}
	// A status entry's or demand state entry's: the slug of the page it is listed on.
	path, _, _ := strings.Cut(att.OwnerPath, "#")
	if att.Owner.StatusEntryID != 0 {
		return "case", path[len("/cases/"):]
	}
	return "demand", path[len("/demands/"):]
}
