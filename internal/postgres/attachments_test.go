package postgres_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"strconv"
	"sync"
	"testing"

	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/postgres/postgrestest"
	"github.com/whereas/whereas/internal/tracker"
)

// newAttachment is an attachment of data, ready to be created, for owner.
func newAttachment(owner tracker.AttachmentOwner, title string, v tracker.Visibility, data []byte) tracker.Attachment {
	sum := sha256.Sum256(data)
	key := hex.EncodeToString(sum[:])
	return tracker.Attachment{Owner: owner, Title: title, Filename: title + ".txt", ContentType: "text/plain; charset=utf-8",
		Size: int64(len(data)), SHA256: key, Visibility: v, BlobKey: key, TextState: "done"}
}

// TestAttachments: a file attached to a status entry is listed on its case for everyone,
// an internal one on a person for staff only; both are audited on their record; a removed
// file leaves the lists; a retired person's files say so; the bytes come back as put.
func TestAttachments(t *testing.T) {
	t.Parallel()
	db, url := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	a := postgres.Actor{Name: "editor@example.org"}
	c, err := db.Case(ctx, "max-bokayev-case")
	if err != nil {
		t.Fatal(err)
	}
	entry := c.Case.Statuses[0].ID
	verdict := []byte("The verdict, in full.")
	pub, err := db.CreateAttachment(ctx, a, db.Blobs(), newAttachment(tracker.AttachmentOwner{StatusEntryID: entry}, "Verdict", tracker.Public, verdict),
		"The verdict, in full.", bytes.NewReader(verdict))
	if err != nil {
		t.Fatal(err)
	}
	letter := []byte("A letter from prison.")
	internal, err := db.CreateAttachment(ctx, a, db.Blobs(), newAttachment(tracker.AttachmentOwner{PersonSlug: "max-bokayev"}, "Letter", tracker.Internal, letter),
		"", bytes.NewReader(letter))
	if err != nil {
		t.Fatal(err)
	}

	list := func(of postgres.AttachmentsOf) []tracker.Attachment {
		t.Helper()
		l, err := db.Attachments(ctx, of)
		if err != nil {
			t.Fatal(err)
		}
		return l
	}
	if l := list(postgres.AttachmentsOf{Case: "max-bokayev-case"}); len(l) != 1 || l[0].ID != pub.ID || l[0].Owner.StatusEntryID != entry {
		t.Errorf("the case lists %+v, want the verdict under entry %d", l, entry)
	}
	if l := list(postgres.AttachmentsOf{Person: "max-bokayev"}); len(l) != 0 {
		t.Errorf("the public sees the person's internal file: %+v", l)
	}
	if l := list(postgres.AttachmentsOf{Person: "max-bokayev", Staff: true}); len(l) != 1 || l[0].ID != internal.ID {
		t.Errorf("staff see %+v, want the letter", l)
	}
	for _, w := range []struct{ typ, slug string }{{"case", "max-bokayev-case"}, {"person", "max-bokayev"}} {
		entries, err := db.Activity(ctx, w.typ, w.slug, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(entries) == 0 || entries[0].Action != "attach file" {
			t.Errorf("the %s's audit trail starts with %+v, want the attached file", w.typ, entries)
		}
	}
	got, err := db.Attachment(ctx, pub.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.SHA256 != pub.SHA256 || got.OwnerPath != "/cases/max-bokayev-case#status-"+itoa(entry) {
		t.Errorf("read back %+v", got)
	}
	rc, err := db.Blobs().Open(ctx, got.BlobKey)
	if err != nil {
		t.Fatal(err)
	}
	back, _ := io.ReadAll(rc)
	rc.Close()
	if !bytes.Equal(back, verdict) {
		t.Errorf("the blob reads %q", back)
	}

	t.Run("RetiredOwner", func(t *testing.T) {
		if err := db.SetRetired(ctx, a, tracker.PersonEntity, "max-bokayev", true); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Attachment(ctx, internal.ID); !got.OwnerRetired {
			t.Error("a retired person's file does not say its owner is retired")
		}
		if err := db.SetRetired(ctx, a, tracker.PersonEntity, "max-bokayev", false); err != nil {
			t.Fatal(err)
		}
		if got, _ := db.Attachment(ctx, internal.ID); got.OwnerRetired {
			t.Error("a restored person's file still says its owner is retired")
		}
	})
	t.Run("Removed", func(t *testing.T) {
		if _, err := db.RemoveAttachment(ctx, a, pub.ID); err != nil {
			t.Fatal(err)
		}
		if l := list(postgres.AttachmentsOf{Case: "max-bokayev-case", Staff: true}); len(l) != 0 {
			t.Errorf("a removed file is still listed: %+v", l)
		}
		if _, err := db.RemoveAttachment(ctx, a, pub.ID); tracker.ErrorCode(err) != tracker.ECONFLICT {
			t.Errorf("removing twice: %v, want a conflict", err)
		}
		if entries, _ := db.Activity(ctx, "case", "max-bokayev-case", 1); len(entries) == 0 || entries[0].Action != "remove file" {
			t.Errorf("the removal is not audited: %+v", entries)
		}
	})
	t.Run("FailedInsertLeavesNoRow", func(t *testing.T) {
		before := postgrestest.Count(t, url, `SELECT count(*) FROM attachments`)
		bad := newAttachment(tracker.AttachmentOwner{CaseSlug: "max-bokayev-case"}, "Bad", tracker.Public, []byte("x"))
		bad.SourceURL = "ftp://example.org/x" // the table's check refuses it
		if _, err := db.CreateAttachment(ctx, a, db.Blobs(), bad, "", bytes.NewReader([]byte("x"))); err == nil {
			t.Fatal("an attachment with an ftp source was kept")
		}
		if n := postgrestest.Count(t, url, `SELECT count(*) FROM attachments`); n != before {
			t.Errorf("%d rows after a failed insert, want %d", n, before)
		}
		missing := newAttachment(tracker.AttachmentOwner{StatusEntryID: 999999}, "Nowhere", tracker.Public, []byte("y"))
		if _, err := db.CreateAttachment(ctx, a, db.Blobs(), missing, "", bytes.NewReader([]byte("y"))); tracker.ErrorCode(err) != tracker.ENOTFOUND {
			t.Errorf("attaching to a missing entry: %v, want not found", err)
		}
	})
}

// TestAttachmentsSameFileAtOnce: twenty uploads of one file at the same moment make twenty
// attachments and keep the bytes once.
func TestAttachmentsSameFileAtOnce(t *testing.T) {
	t.Parallel()
	db, url := postgrestest.OpenSeeded(t)
	ctx := context.Background()
	data := bytes.Repeat([]byte("the same appeal "), 4096)
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			att := newAttachment(tracker.AttachmentOwner{CaseSlug: "max-bokayev-case"}, "Appeal "+itoa(int64(i)), tracker.Public, data)
			_, err := db.CreateAttachment(ctx, postgres.Actor{Name: "editor@example.org"}, db.Blobs(), att, "", bytes.NewReader(data))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM attachments`); n != 20 {
		t.Errorf("%d attachments, want 20", n)
	}
	if n := postgrestest.Count(t, url, `SELECT count(*) FROM attachment_blobs`); n != 1 {
		t.Errorf("%d blobs, want the one file kept once", n)
	}
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
