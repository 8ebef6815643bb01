package postgres

import (
	"bufio"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/golang-migrate/migrate/v4/source/iofs"
	"github.com/jackc/pgx/v5"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/migrations"
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
	{"case_charges", "case_id, position"},
	{"affiliations", "person_id, organisation_id"},
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
	{"attachments", "id"},
	// Who watches what, after every record, so restoring the records writes no news of
	// them (the watch triggers find nobody watching yet). The mail queue and the changes
	// not yet mailed are left out: emails hold unsubscribe tokens in plain text, and a
	// restored site has no news to send of the past.
	{"watches", "id"},
	{"watch_tokens", "token_hash"},
	{"staff_digests", "user_id"},
	{"site_settings", "updated_at"}, // one row, whose id is true
	{"api_tokens", "id"},
	{"audit_log", "id"},
	{"data_version", "id"},
}

// seededByMigrations says whether a backed-up table's rows are put in by the migrations
// themselves (the vocabularies and the change counter), so an empty database has them.
func seededByMigrations(table string) bool {
	switch table {
	case "case_statuses", "demand_actions", "demand_states", "data_version", "site_settings":
		return true
	}
	return false
}

// rowTriggers are the per-row triggers a restore switches off for its transaction: they
// derive current statuses and facet counts, which the backup holds already (current
// statuses) or the restore counts once at the end (facets). Run per row they cost more
// than the rows themselves.
var rowTriggers = []struct{ table, trigger string }{
	{"status_entries", "status_entries_current"},
	{"case_people", "case_people_current"},
	{"people", "people_facets_counted"},
	{"cases", "cases_facets_counted"},
}

// backupFormat names the file format in its first line. Format 2 ends with a trailer;
// format 1 had none, so a file cut at a line boundary looked whole, and is refused.
const (
	backupFormat        = "whereas-backup"
	backupFormatVersion = 2
)

// BackupHeader is the first line of a backup.
type BackupHeader struct {
	Format        string    `json:"format"`
	FormatVersion int       `json:"format_version"`
	SchemaVersion uint      `json:"schema_version"`
	CreatedAt     time.Time `json:"created_at"`
}

// BackupTrailer is the last line of a backup: how many rows each table has and the SHA-256
// of every byte before it, so a restore can tell a whole file from a cut or altered one.
type BackupTrailer struct {
	Rows   map[string]int `json:"rows"`
	Total  int            `json:"total"`
	SHA256 string         `json:"sha256"`
}

// backupLine is any line after the header: a row of a table, a piece of an attached
// file's bytes, or the trailer.
type backupLine struct {
	Table   string          `json:"table,omitempty"`
	Row     json.RawMessage `json:"row,omitempty"`
	Blob    *backupBlob     `json:"blob,omitempty"`
	Trailer *BackupTrailer  `json:"trailer,omitempty"`
}

// backupBlob is a piece of an attached file's bytes, read from whichever blob store holds
// them: the file's key (its SHA-256), its whole size, where the piece starts, and the
// piece (base64 in JSON). A file's pieces follow each other in order, after the tables.
type backupBlob struct {
	Key    string `json:"key"`
	Size   int64  `json:"size"`
	Offset int64  `json:"offset"`
	Data   []byte `json:"data"`
}

// blobsTable is the name the trailer counts the pieces of attached files under.
const blobsTable = "attachment_blobs"

// Backup writes every table as JSON lines: a header, one line per row, the bytes of every
// attached file (read from blobs, a megabyte a line), and a trailer with the rows per table
// and the SHA-256 of everything before it. It reads one consistent snapshot, so it can run
// while the server serves and staff write (files are never changed once kept).
func (db *DB) Backup(ctx context.Context, w io.Writer, schemaVersion uint, blobs blob.Store) (rows int, err error) {
	bw := bufio.NewWriter(w)
	sum := sha256.New()
	enc := json.NewEncoder(io.MultiWriter(bw, sum))
	counts := map[string]int{}
	err = pgx.BeginTxFunc(ctx, db.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := enc.Encode(BackupHeader{Format: backupFormat, FormatVersion: backupFormatVersion, SchemaVersion: schemaVersion, CreatedAt: time.Now().UTC()}); err != nil {
			return err
		}
		for _, t := range backupTables {
			// Generated columns (search vectors) are derived data: left out, made again on restore.
			generated, err := generatedColumns(ctx, tx, t.name)
			if err != nil {
				return err
			}
			counts[t.name] = 0
			// Table and column names come from the fixed list above.
			q, _ := tx.Query(ctx, `SELECT (to_jsonb(t) - $1::text[])::text FROM `+t.name+` t ORDER BY `+t.order, generated)
			var row string
			_, err = pgx.ForEachRow(q, []any{&row}, func() error {
				rows++
				counts[t.name]++
				return enc.Encode(backupLine{Table: t.name, Row: json.RawMessage(row)})
			})
			if err != nil {
				return fmt.Errorf("back up %s: %w", t.name, err)
			}
		}
		n, err := backupBlobs(ctx, tx, blobs, func(b *backupBlob) error { return enc.Encode(backupLine{Blob: b}) })
		rows += n
		counts[blobsTable] = n
		return err
	})
	if err != nil {
		return rows, translate(err, "backup")
	}
	trailer := backupLine{Trailer: &BackupTrailer{Rows: counts, Total: rows, SHA256: hex.EncodeToString(sum.Sum(nil))}}
	if err := json.NewEncoder(bw).Encode(trailer); err != nil {
		return rows, err
	}
	return rows, bw.Flush()
}

// backupBlobs writes the bytes of every file the attachments name, each once, in pieces
// of blobChunk, and returns how many pieces it wrote.
func backupBlobs(ctx context.Context, tx pgx.Tx, blobs blob.Store, write func(*backupBlob) error) (int, error) {
	rows, _ := tx.Query(ctx, `SELECT blob_key, max(size) FROM attachments GROUP BY blob_key ORDER BY blob_key`)
	type file struct {
		key  string
		size int64
	}
	files, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (file, error) {
		var f file
		return f, r.Scan(&f.key, &f.size)
	})
	if err != nil {
		return 0, fmt.Errorf("back up attachments' files: %w", err)
	}
	n := 0
	buf := make([]byte, blobChunk)
	for _, f := range files {
		rc, err := blobs.Open(ctx, f.key)
		if err != nil {
			return n, fmt.Errorf("back up file %s: %w", f.key, err)
		}
		var off int64
		for first := true; first || off < f.size; first = false {
			k, err := io.ReadFull(rc, buf[:min(int64(len(buf)), f.size-off)])
			if err != nil {
				rc.Close()
				return n, fmt.Errorf("back up file %s at byte %d: %w", f.key, off, err)
			}
			if err := write(&backupBlob{Key: f.key, Size: f.size, Offset: off, Data: buf[:k]}); err != nil {
				rc.Close()
				return n, err
			}
			n++
			off += int64(k)
		}
		rc.Close()
	}
	return n, nil
}

// BackupReader reads a backup line by line and proves it whole as it goes: each row is
// counted and hashed, and only after the trailer matches both does Next report io.EOF.
// A file cut anywhere, a header alone, or one altered byte ends in an EINVALID error.
type BackupReader struct {
	r       *bufio.Reader
	sum     hash.Hash
	line    int
	counts  map[string]int
	header  BackupHeader
	trailer *BackupTrailer
	// onBlob receives each piece of an attached file as it is read; nil skips them.
	onBlob func(*backupBlob) error
}

// NewBackupReader reads and checks the header of a backup.
func NewBackupReader(r io.Reader) (*BackupReader, error) {
	br := &BackupReader{r: bufio.NewReaderSize(r, 1<<20), sum: sha256.New(), counts: map[string]int{}}
	first, err := br.readLine()
	if err == io.EOF {
		return nil, tracker.Errorf(tracker.EINVALID, "The backup file is empty.")
	} else if err != nil {
		return nil, err
	}
	if err := json.Unmarshal(first, &br.header); err != nil || br.header.Format != backupFormat {
		return nil, tracker.Errorf(tracker.EINVALID, "This is not a Whereas backup file.")
	}
	if br.header.FormatVersion != backupFormatVersion {
		return nil, tracker.Errorf(tracker.EINVALID, "This backup is in format %d, which has no trailer to prove it whole (this version of Whereas reads format %d): make a new backup with this version.", br.header.FormatVersion, backupFormatVersion)
	}
	br.sum.Write(first)
	return br, nil
}

// Header is the backup's first line.
func (br *BackupReader) Header() BackupHeader { return br.header }

// Rows is how many rows of each table have been read so far; after io.EOF, all of them.
func (br *BackupReader) Rows() map[string]int { return br.counts }

// readLine returns the next whole line, its newline included; a last line without one
// means the file was cut in the middle of it.
func (br *BackupReader) readLine() ([]byte, error) {
	b, err := br.r.ReadBytes('\n')
	if err == io.EOF && len(b) > 0 {
		return nil, tracker.Errorf(tracker.EINVALID, "The backup ends in the middle of line %d: it was cut short.", br.line+1)
	}
	if err != nil {
		return nil, err
	}
	br.line++
	return b, nil
}

// Next returns the next row's table and JSON. After the last row it checks the trailer
// and returns io.EOF only when the file is whole; any other error means it is not.
func (br *BackupReader) Next() (table string, row []byte, err error) {
	b, err := br.readLine()
	if err == io.EOF {
		if br.trailer == nil {
			return "", nil, tracker.Errorf(tracker.EINVALID, "The backup ends after line %d without its trailer: it was cut short.", br.line)
		}
		return "", nil, br.checkTrailer()
	} else if err != nil {
		return "", nil, err
	}
	if br.trailer != nil {
		return "", nil, tracker.Errorf(tracker.EINVALID, "Line %d of the backup comes after its trailer.", br.line)
	}
	var l backupLine
	if err := json.Unmarshal(b, &l); err != nil {
		return "", nil, tracker.Errorf(tracker.EINVALID, "Line %d of the backup is not a row of a known table.", br.line)
	}
	if l.Trailer != nil {
		br.trailer = l.Trailer
		return br.Next()
	}
	if l.Blob != nil {
		br.sum.Write(b)
		br.counts[blobsTable]++
		if br.onBlob != nil {
			if err := br.onBlob(l.Blob); err != nil {
				return "", nil, err
			}
		}
		return br.Next()
	}
	if !knownTable(l.Table) || len(l.Row) == 0 || l.Row[0] != '{' {
		return "", nil, tracker.Errorf(tracker.EINVALID, "Line %d of the backup is not a row of a known table.", br.line)
	}
	br.sum.Write(b)
	br.counts[l.Table]++
	return l.Table, l.Row, nil
}

// checkTrailer compares the trailer with what was read: the checksum first (an altered
// byte anywhere), then the rows of each table.
func (br *BackupReader) checkTrailer() error {
	t := br.trailer
	if got := hex.EncodeToString(br.sum.Sum(nil)); !strings.EqualFold(got, t.SHA256) {
		return tracker.Errorf(tracker.EINVALID, "The backup's SHA-256 does not match its trailer: the file was altered or damaged.")
	}
	total := 0
	for _, name := range slices.Sorted(maps.Keys(mergeKeys(t.Rows, br.counts))) {
		if t.Rows[name] != br.counts[name] {
			return tracker.Errorf(tracker.EINVALID, "The backup's trailer gives table %s %d rows, but the file holds %d.", name, t.Rows[name], br.counts[name])
		}
		total += br.counts[name]
	}
	if total != t.Total {
		return tracker.Errorf(tracker.EINVALID, "The backup's trailer gives %d rows in all, but the file holds %d.", t.Total, total)
	}
	return io.EOF
}

func mergeKeys(a, b map[string]int) map[string]int {
	m := maps.Clone(a)
	for k, v := range b {
		m[k] += v
	}
	return m
}

func knownTable(name string) bool {
	for _, t := range backupTables {
		if t.name == name {
			return true
		}
	}
	return false
}

// CheckBackup reads a whole backup and returns its header and rows per table when it is
// whole, or the EINVALID error that says why it is not. It touches no database.
func CheckBackup(r io.Reader) (BackupHeader, map[string]int, error) {
	br, err := NewBackupReader(r)
	if err != nil {
		return BackupHeader{}, nil, err
	}
	for {
		if _, _, err := br.Next(); err == io.EOF {
			return br.Header(), br.Rows(), nil
		} else if err != nil {
			return br.Header(), nil, err
		}
	}
}

// HoldsData names a table that has rows a restore would collide with, or returns "" when
// the database is empty. It works on a database with no schema or an older one, so a
// restore can refuse before it migrates anything.
func (db *DB) HoldsData(ctx context.Context) (string, error) {
	for _, t := range backupTables {
		if seededByMigrations(t.name) {
			continue
		}
		var exists, any bool
		if err := db.pool.QueryRow(ctx, `SELECT to_regclass($1) IS NOT NULL`, t.name).Scan(&exists); err != nil {
			return "", translate(err, "check for data")
		}
		if !exists {
			continue
		}
		if err := db.pool.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&any); err != nil {
			return "", translate(err, "check for data")
		}
		if any {
			return t.name, nil
		}
	}
	return "", nil
}

// LatestMigration is the version the embedded migrations bring a database to.
func LatestMigration() (uint, error) {
	src, err := iofs.New(migrations.FS, ".")
	if err != nil {
		return 0, fmt.Errorf("read embedded migrations: %w", err)
	}
	defer src.Close()
	v, err := src.First()
	if err != nil {
		return 0, fmt.Errorf("read embedded migrations: %w", err)
	}
	for {
		next, err := src.Next(v)
		if errors.Is(err, fs.ErrNotExist) {
			return v, nil
		} else if err != nil {
			return 0, fmt.Errorf("read embedded migrations: %w", err)
		}
		v = next
	}
}

// Restore loads a backup into a database that has the schema but no data, in one
// transaction: all of it or, on any error, none of it. The attached files' bytes go into
// blobs as they are read, each checked against its SHA-256; a restore that fails after
// some leaves them unreferenced (keys name the content, so a later restore reuses them). Each table's rows go in by COPY,
// checked against the trailer on the way, with the secondary indexes and foreign keys made
// again once at the end; a file that is cut, altered or lacks its trailer rolls everything
// back. Ids are kept as they were, and the identity sequences continue after them.
func (db *DB) Restore(ctx context.Context, r io.Reader, schemaVersion uint, blobs blob.Store) (rows int, err error) {
	br, err := NewBackupReader(r)
	if err != nil {
		return 0, err
	}
	loader := &blobLoader{ctx: ctx, store: blobs}
	defer loader.abort()
	br.onBlob = loader.add
	if h := br.Header(); h.SchemaVersion != schemaVersion {
		return 0, tracker.Errorf(tracker.EINVALID, "The backup has schema version %d and this database %d: restore it with the version of Whereas that made it.", h.SchemaVersion, schemaVersion)
	}
	// Not retried: the file is read as the rows go in. It takes the data_version lock first
	// all the same, as every writer of the tracked data does (see tx.go).
	err = pgx.BeginFunc(ctx, db.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, lockDataVersion); err != nil {
			return err
		}
		for _, t := range backupTables {
			if seededByMigrations(t.name) {
				continue
			}
			var any bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM `+t.name+`)`).Scan(&any); err != nil {
				return err
			}
			if any {
				return tracker.Errorf(tracker.ECONFLICT, "The database is not empty (table %s has rows): restore only into an empty database.", t.name)
			}
		}
		for _, t := range rowTriggers {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+t.table+` DISABLE TRIGGER `+t.trigger); err != nil {
				return err
			}
		}
		// Room to build each index again in memory, for this transaction only.
		if _, err := tx.Exec(ctx, `SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
			return err
		}
		rebuild, err := dropForBulkLoad(ctx, tx)
		if err != nil {
			return err
		}
		// The rows of the tables the migrations seeded are few: they are merged at the end.
		var seeded [][2]string
		table, row, readErr := br.Next()
		for readErr == nil {
			if seededByMigrations(table) {
				seeded = append(seeded, [2]string{table, string(row)})
				rows++
				table, row, readErr = br.Next()
				continue
			}
			var n int
			if n, table, row, readErr, err = copyTable(ctx, tx, br, table, row); err != nil {
				return err
			}
			rows += n
		}
		if readErr != io.EOF {
			return readErr
		}
		if err := loader.finish(); err != nil {
			return err
		}
		rows += br.counts[blobsTable]
		for _, sr := range seeded {
			q := `INSERT INTO ` + sr[0] + ` SELECT j.* FROM jsonb_populate_record(NULL::` + sr[0] + `, $1::jsonb) j
				ON CONFLICT (code) DO UPDATE SET label = EXCLUDED.label`
			if sr[0] == "site_settings" {
				q = `UPDATE site_settings s SET site_id = j.site_id, visitor_watches = j.visitor_watches, updated_at = j.updated_at, updated_by = j.updated_by
					FROM jsonb_populate_record(NULL::site_settings, $1::jsonb) j`
			}
			if sr[0] == "data_version" {
				// Past both the backup's version and every bump the restore made, so no page a
				// server cached before the restore can pass for current.
				q = `UPDATE data_version d SET version = GREATEST(d.version, j.version) + 1, changed_at = j.changed_at,
					staff_changed_at = COALESCE(j.staff_changed_at, j.changed_at) FROM jsonb_populate_record(NULL::data_version, $1::jsonb) j`
			}
			if _, err := tx.Exec(ctx, q, sr[1]); err != nil {
				return fmt.Errorf("restore %s: %w", sr[0], err)
			}
		}
		for _, ddl := range rebuild {
			if _, err := tx.Exec(ctx, ddl); err != nil {
				return fmt.Errorf("after the load, %s: %w", ddl, err)
			}
		}
		for _, t := range rowTriggers {
			if _, err := tx.Exec(ctx, `ALTER TABLE `+t.table+` ENABLE TRIGGER `+t.trigger); err != nil {
				return err
			}
		}
		if _, err := tx.Exec(ctx, `SELECT whereas_facet_recount()`); err != nil {
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
	if err != nil {
		return 0, translate(err, "restore")
	}
	return rows, nil
}

// copyColumn is a column a restore writes, with how its JSON value becomes COPY text.
type copyColumn struct {
	name, quoted string
	array, json  bool
}

// copyTable copies first, and every row after it of the same table, into that table with
// one COPY, turning each JSON row into COPY's text format as it streams. It returns how
// many rows it copied and the next row of the file (or the reader's error: io.EOF once the
// file is proven whole).
func copyTable(ctx context.Context, tx pgx.Tx, br *BackupReader, first string, row []byte) (n int, nextTable string, nextRow []byte, readErr, err error) {
	cols, err := copyColumns(ctx, tx, first)
	if err != nil {
		return 0, "", nil, nil, err
	}
	pr, pw := io.Pipe()
	done := make(chan struct{})
	go func() {
		defer close(done)
		w := bufio.NewWriterSize(pw, 64<<10)
		var buf []byte
		table, r, e := first, row, error(nil)
		for e == nil && table == first {
			if buf, e = appendCopyRow(buf[:0], cols, r); e != nil {
				e = tracker.Errorf(tracker.EINVALID, "Row %d of table %s in the backup does not fit the table: %v.", n+1, first, e)
				break
			}
			if _, e = w.Write(buf); e != nil {
				break
			}
			n++
			table, r, e = br.Next()
		}
		nextTable, nextRow, readErr = table, r, e
		if e == nil || e == io.EOF {
			if e := w.Flush(); e != nil {
				pw.CloseWithError(e)
				return
			}
			pw.Close()
			return
		}
		pw.CloseWithError(e)
	}()
	names := make([]string, len(cols))
	for i, c := range cols {
		names[i] = c.quoted
	}
	_, copyErr := tx.Conn().PgConn().CopyFrom(ctx, pr, `COPY `+first+` (`+strings.Join(names, ", ")+`) FROM STDIN`)
	pr.CloseWithError(io.ErrClosedPipe) // a COPY that stopped early must not leave the reader blocked
	<-done
	switch {
	case tracker.ErrorCode(readErr) == tracker.EINVALID:
		return n, "", nil, nil, readErr // the file, not the database, is at fault
	case copyErr != nil:
		return n, "", nil, nil, fmt.Errorf("restore %s: %w", first, copyErr)
	case readErr != nil && readErr != io.EOF:
		return n, "", nil, nil, readErr
	}
	return n, nextTable, nextRow, readErr, nil
}

// copyColumns are a table's columns a restore writes: all but the generated ones.
func copyColumns(ctx context.Context, tx pgx.Tx, table string) ([]copyColumn, error) {
	rows, _ := tx.Query(ctx, `SELECT column_name, quote_ident(column_name), data_type = 'ARRAY', data_type IN ('json', 'jsonb')
		FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'NEVER' ORDER BY ordinal_position`, table)
	return pgx.CollectRows(rows, func(r pgx.CollectableRow) (copyColumn, error) {
		var c copyColumn
		err := r.Scan(&c.name, &c.quoted, &c.array, &c.json)
		return c, err
	})
}

// appendCopyRow appends one row in COPY's text format: tab-separated values, \N for NULL.
// Values are PostgreSQL's own JSON renderings (to_jsonb), which its input functions read
// back: strings as they are, numbers and booleans as written, JSON as JSON text, and
// arrays as array literals.
func appendCopyRow(buf []byte, cols []copyColumn, row []byte) ([]byte, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(row, &fields); err != nil {
		return buf, err
	}
	for i, c := range cols {
		if i > 0 {
			buf = append(buf, '\t')
		}
		v, ok := fields[c.name]
		if !ok || string(v) == "null" {
			buf = append(buf, `\N`...)
			continue
		}
		text, err := copyValue(v, c)
		if err != nil {
			return buf, fmt.Errorf("column %s: %w", c.name, err)
		}
		buf = appendCopyEscaped(buf, text)
	}
	return append(buf, '\n'), nil
}

// copyValue is the PostgreSQL input text of one JSON value for column c.
func copyValue(v json.RawMessage, c copyColumn) (string, error) {
	switch {
	case c.json:
		return string(v), nil
	case c.array:
		var elems []json.RawMessage
		if err := json.Unmarshal(v, &elems); err != nil {
			return "", err
		}
		var b strings.Builder
		b.WriteByte('{')
		for i, e := range elems {
			if i > 0 {
				b.WriteByte(',')
			}
			if string(e) == "null" {
				b.WriteString("NULL")
				continue
			}
			s, err := copyValue(e, copyColumn{})
			if err != nil {
				return "", err
			}
			b.WriteByte('"')
			for _, r := range s {
				if r == '"' || r == '\\' {
					b.WriteByte('\\')
				}
				b.WriteRune(r)
			}
			b.WriteByte('"')
		}
		b.WriteByte('}')
		return b.String(), nil
	case len(v) > 0 && v[0] == '"':
		var s string
		err := json.Unmarshal(v, &s)
		return s, err
	}
	return string(v), nil // a number or a boolean
}

// appendCopyEscaped escapes the characters COPY's text format gives a meaning to.
func appendCopyEscaped(buf []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\':
			buf = append(buf, '\\', '\\')
		case '\n':
			buf = append(buf, '\\', 'n')
		case '\r':
			buf = append(buf, '\\', 'r')
		case '\t':
			buf = append(buf, '\\', 't')
		default:
			buf = append(buf, c)
		}
	}
	return buf
}

// dropForBulkLoad drops, inside the restore's transaction, the secondary indexes and the
// foreign keys of the backed-up tables, and returns the statements that make them again.
// Building an index once over loaded rows, and checking a foreign key with one join, is
// many times faster than keeping them row by row; the keys are still checked, all at once,
// and a failure rolls the whole restore back. Primary keys and unique constraints stay.
func dropForBulkLoad(ctx context.Context, tx pgx.Tx) (rebuild []string, err error) {
	names := make([]string, len(backupTables))
	for i, t := range backupTables {
		names[i] = t.name
	}
	rows, _ := tx.Query(ctx, `
		SELECT format('ALTER TABLE %s DROP CONSTRAINT %I', conrelid::regclass, conname),
		       format('ALTER TABLE %s ADD CONSTRAINT %I %s', conrelid::regclass, conname, pg_get_constraintdef(oid))
		FROM pg_constraint
		WHERE contype = 'f' AND conrelid IN (SELECT oid FROM pg_class WHERE relname = ANY($1) AND relnamespace = current_schema()::regnamespace)
		UNION ALL
		SELECT format('DROP INDEX %s', i.indexrelid::regclass), pg_get_indexdef(i.indexrelid)
		FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
		WHERE c.relname = ANY($1) AND c.relnamespace = current_schema()::regnamespace
		  AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = i.indexrelid)`, names)
	var drop, make string
	var drops []string
	_, err = pgx.ForEachRow(rows, []any{&drop, &make}, func() error {
		drops, rebuild = append(drops, drop), append(rebuild, make)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Foreign keys first: their rows come first, and they are made again last.
	for _, d := range drops {
		if _, err := tx.Exec(ctx, d); err != nil {
			return nil, fmt.Errorf("before the load, %s: %w", d, err)
		}
	}
	slices.Reverse(rebuild)
	return rebuild, nil
}

// generatedColumns lists a table's generated columns.
func generatedColumns(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, _ := tx.Query(ctx, `SELECT column_name FROM information_schema.columns
		WHERE table_schema = current_schema() AND table_name = $1 AND is_generated = 'ALWAYS' ORDER BY ordinal_position`, table)
	return pgx.CollectRows(rows, pgx.RowTo[string])
}

// blobLoader puts the attached files of a backup into a blob store as their pieces are
// read: each file streams through a pipe into Put, and is checked against its key (the
// SHA-256 of its bytes) once whole.
type blobLoader struct {
	ctx   context.Context
	store blob.Store
	cur   *backupBlob // the file being loaded (its first piece), or nil
	next  int64
	pw    *io.PipeWriter
	done  chan error
	sum   hash.Hash
}

func (l *blobLoader) add(b *backupBlob) error {
	if l.cur == nil {
		if b.Offset != 0 || b.Size < 0 {
			return tracker.Errorf(tracker.EINVALID, "The backup's bytes of file %s do not start at its beginning.", b.Key)
		}
		pr, pw := io.Pipe()
		l.cur, l.next, l.pw, l.done, l.sum = b, 0, pw, make(chan error, 1), sha256.New()
		go func(key string, size int64) {
			err := l.store.Put(l.ctx, key, pr, size)
			if err == nil {
				// A store that holds the key already may read none of it (S3 does not): what
				// is left is drained, so the backup's later pieces still reach the checksum.
				_, err = io.Copy(io.Discard, pr)
			}
			pr.CloseWithError(err) // a failed Put stops the writer
			l.done <- err
		}(b.Key, b.Size)
	} else if b.Key != l.cur.Key || b.Offset != l.next || b.Size != l.cur.Size {
		return tracker.Errorf(tracker.EINVALID, "The backup's bytes of file %s are out of order or cut short.", l.cur.Key)
	}
	if l.next+int64(len(b.Data)) > l.cur.Size {
		return tracker.Errorf(tracker.EINVALID, "The backup holds more bytes of file %s than its size.", b.Key)
	}
	l.sum.Write(b.Data)
	if _, err := l.pw.Write(b.Data); err != nil {
		return fmt.Errorf("restore file %s: %w", b.Key, err)
	}
	l.next += int64(len(b.Data))
	if l.next < l.cur.Size {
		return nil
	}
	key := l.cur.Key
	l.pw.Close()
	err := <-l.done
	l.cur, l.pw = nil, nil
	if err != nil {
		return fmt.Errorf("restore file %s: %w", key, err)
	}
	if got := hex.EncodeToString(l.sum.Sum(nil)); len(key) == 64 && got != key {
		return tracker.Errorf(tracker.EINVALID, "The backup's bytes of file %s do not have its SHA-256: they were altered.", key)
	}
	return nil
}

// finish reports a file whose last pieces are missing.
func (l *blobLoader) finish() error {
	if l.cur != nil {
		return tracker.Errorf(tracker.EINVALID, "The backup's bytes of file %s are cut short.", l.cur.Key)
	}
	return nil
}

// abort stops a file left half loaded, so its Put ends.
func (l *blobLoader) abort() {
	if l.pw != nil {
		l.pw.CloseWithError(errors.New("restore stopped"))
		<-l.done
		l.pw = nil
	}
}
