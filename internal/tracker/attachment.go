package tracker

import (
	"time"
)

// Visibility says who may see an attachment: everyone, or staff only.
type Visibility string

// The two visibilities.
const (
	Public   Visibility = "public"
	Internal Visibility = "internal"
)

// Valid reports whether v is public or internal.
func (v Visibility) Valid() bool { return v == Public || v == Internal }

// AttachmentOwner names the one record an attachment belongs to: a status entry, a
// demand state entry, a case or a person (exactly one of the four is set).
type AttachmentOwner struct {
	StatusEntryID      int64
	DemandStateEntryID int64
	CaseSlug           string
	PersonSlug         string
}

// Attachment is a document behind a claim (a verdict, an appeal, a UN opinion, a letter,
// an archived page), as readers are shown it: the SHA-256 and the date obtained stand
// beside every file, so a reader can check a copy and tell how old it is.
type Attachment struct {
	ID          int64
	Owner       AttachmentOwner
	Title       string
	Filename    string
	ContentType string // checked from the bytes at upload, never the client's word
	Size        int64
	SHA256      string // hex
	Visibility  Visibility
	SourceURL   string
	ObtainedOn  *When // nil when not known
	BlobKey     string
	TextState   string // pending, done, none or failed
	RecordedAt  time.Time
	RecordedBy  string
	RetiredAt   *time.Time
}

// Inline reports whether a browser may show the file itself (images and PDF); anything
// else is served as a download.
func (a Attachment) Inline() bool {
	switch a.ContentType {
	case "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp":
		return true
	}
	return false
}
