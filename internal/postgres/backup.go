package postgres

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/tracker"
)

// backupTables are the tables a backup holds, parents before children, each with the
// order its rows are written in. Sessions and sign-in failures are passing state and are
// left out; accounts keep their password hashes, never a plain-text secret.
var backupTables = []struct{ name, order string }{
	{"resolutions", "id"},
	{"clauses", "id"},
	{"people", "id"},
	{"organisations", "id"},
	{"legal_provisions", "id"},
	{"cases", "id"},
	{"case_people", "case_id, person_id"},
	{"case_organisations", "case_id, organisation_id"},
	{"case_legal_provisions", "case_id, legal_provision_id"},
	{"case_statuses", "code"},
	{"demand_actions", "code"},
	{"demand_states", "code"},
	{"users", "id"},
	{"import_drafts", "id"},
	{"status_entries", "id"},
	{"mentions", "id"},
	{"demands", "id"},
	{"demand_targets", "id"},
	{"demand_state_entries", "id"},
	{"api_tokens", "id"},
	{"audit_log", "id"},
	{"data_version", "id"},
}

// backupFormat names the file format in its first line.
const backupFormat = "whereas-backup"

type backupHeader struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	SchemaVersion uint      `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
}

type backupLine struct {
	Table string          `json:"table"`
	Row   json.RawMessage `json:"row"`
}

// Backup writes every table as JSON lines: a header, then one line per row. It reads
// one consistent snapshot, so it can run while the server serves and staff write.
func (db *DB) Backup(ctx context.Context, w io.Writer, schemaVersion uint) (rows int, err error) {
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := enc.Encode(backupHeader{Format: backupFormat, FormatVersion: 1, SchemaVersion: schemaVersion, CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		for _, t := range backupTables {
			// Generated columns (search vectors) are derived data: left out, made again on restore.
			generated, err := generatedColumns(ctx, tx, t.name)
			if err != nil {
				return err
			}
			// Table and column names come from the fixed list above.
			q, _ := tx.Query(ctx, `SELECT (to_jsonb(t) - $1::text[])::text FROM `+t.name+` t ORDER BY `+t.order, generated)
			var row string
			_, err = pgx.ForEachRow(q, []any{&row}, func() error {
				rows++
				return enc.Encode(backupLine{Table: t.name, Row: json.RawMessage(row)})
			})
			if err != nil {
				return fmt.Errorf("back up %s: %w", t.name, err)
			}
		}
		return nil
	})
	if err != nil {
		return rows, translate(err, "backup")
	}
	return rows, bw.Flush()
}

// Restore loads a backup into a database that has the schema but no data, in one
// transaction: all of it or, on any error, none of it. Ids are kept as they were, and the
// identity sequences continue after them.
func (db *DB) Restore(ctx context.Context, r io.Reader, schemaVersion uint) (rows int, err error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	if !sc.Scan() {
		return 0, tracker.Errorf(tracker.EINVALID, "The backup file is empty.")
	}
	var h backupHeader
	if err := json.Unmarshal(sc.Bytes(), &h); err != nil || h.Format != backupFormat {
		return 0, tracker.Errorf(tracker.EINVALID, "This is not a Whereas backup file.")
	}
	if h.SchemaVersion != schemaVersion {
		return 0, tracker.Errorf(tracker.EINVALID, "The backup has schema version %d and this database %d: migrate the database to %d first.", h.SchemaVersion, schemaVersion, h.SchemaVersion)
	}
	known := map[string]bool{}
	for _, t := range backupTables {
		known[t.name] = true
	}
	// Not retried: the file is read as the rows go in. It takes the data_version lock first
	// all the same, as every writer of the tracked data does (see tx.go).
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockDataVersion); err != nil {
			return err
		}
		for _, t := range backupTables {
			if t.order == "code" || t.name == "data_version" {
				continue // the migrations put these in
			}
			var any bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&any); err != nil {
				return err
			}
			if any {
				return tracker.Errorf(tracker.ECONFLICT, "The database is not empty (table %s has rows): restore only into a freshly migrated database.", t.name)
			}
		}
		line := 1
		for sc.Scan() {
			line++
			var l backupLine
			if err := json.Unmarshal(sc.Bytes(), &l); err != nil || !known[l.Table] {
				return tracker.Errorf(tracker.EINVALID, "Line %d of the backup is not a row of a known table.", line)
			}
			var q string
			switch l.Table {
			case "case_statuses", "demand_actions", "demand_states": // vocabularies the migrations seed
				q = `INSERT INTO ` + l.Table + ` SELECT * FROM json_populate_record(NULL::` + l.Table + `, $1) ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label`
			case "data_version":
				// Past both the backup's version and every bump the restore made, so no page a
				// server cached before the restore can pass for current.
				q = `UPDATE data_version d SET version = GREATEST(d.version, j.version) + 1, changed_at = j.changed_at,
					staff_changed_at = COALESCE(j.staff_changed_at, j.changed_at) FROM json_populate_record(NULL::data_version, $1) j`
			default:
				cols, err := insertableColumns(ctx, tx, l.Table)
				if err != nil {
					return err
				}
				q = `INSERT INTO ` + l.Table + ` (` + cols + `) OVERRIDING SYSTEM VALUE SELECT ` + cols + ` FROM json_populate_record(NULL::` + l.Table + `, $1)`
			}
			if _, err := tx.Exec(ctx, q, string(l.Row)); err != nil {
				return fmt.Errorf("restore line %d (%s): %w", line, l.Table, err)
			}
			rows++
		}
		if err := sc.Err(); err != nil {
			return err
		}
		for _, t := range backupTables {
			if t.order != "id" || t.name == "data_version" {
				continue
			}
			if _, err := tx.Exec(ctx, `SELECT setval(pg_get_serial_sequence($1, 'id'), COALESCE((SELECT max(id) FROM `+t.name+`), 0) + 1, false)`, t.name); err != nil {
				return fmt.Errorf("reset %s ids: %w", t.name, err)
			}
		}
		return nil
	})
	if code := tracker.ErrorCode(err); code == tracker.EINVALID || code == tracker.ECONFLICT {
		return 0, err
	}
	return rows, translate(err, "restore")
}

// generatedColumns lists a table's generated columns.
func generatedColumns(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, _ := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'ALWAYS' ORDER BY ordinal_position`, table)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// insertableColumns is a table's column list without its generated columns, quoted.
func insertableColumns(ctx context.Context, tx pgx.Tx, table string) (string, error) {
	rows, _ := tx.Query(ctx, `SELECT quote_ident(column_name) FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, table)
	cols, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return strings.Join(cols, ", "), err
}
