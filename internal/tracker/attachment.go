package tracker

import (
	"path"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
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
	RetiredAt   *time.Time // when staff removed the file; removed files are listed nowhere
	// OwnerRetired says the record the file belongs to (or the case of its status entry)
	// is retired: the file is then staff's only, until the record is restored.
	OwnerRetired bool
	// OwnerPath is the page of the record the file is listed on (a case's for its status
	// entries, a demand's for its state entries).
	OwnerPath string
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

// URL is the address the file is downloaded from: its id, then its file name, so a saved
// copy is named as uploaded.
func (a Attachment) URL() string {
	return AttachmentURL(a.ID, a.Filename)
}

// Limits on what staff give with a file.
const (
	MaxAttachmentTitle    = 300
	MaxAttachmentFilename = 200
)

// AttachmentUpload is what staff send with a file, as typed: the bytes themselves, their
// type and their SHA-256 are the server's to establish.
type AttachmentUpload struct {
	Owner      AttachmentOwner
	Title      string // "" takes the file name
	Filename   string // as the client named it; cleaned by CleanFilename
	Visibility string // "public" or "internal"
	SourceURL  string // where the file was found, or ""
	ObtainedOn string // "2018", "2018-05", "2018-05-14" or "" when not known
}

// Validate checks an upload's fields as every form and the API take them, against today
// (a file cannot have been obtained in the future). It returns the date obtained, nil when
// not given.
func (u AttachmentUpload) Validate(today time.Time) (*When, FieldErrors) {
	errs := FieldErrors{}
	if utf8.RuneCountInString(strings.TrimSpace(u.Title)) > MaxAttachmentTitle {
		errs["title"] = "Keep the title under 300 characters."
	}
	if !Visibility(u.Visibility).Valid() {
		errs["visibility"] = "Choose public or internal."
	}
	if msg := checkURL(u.SourceURL); msg != "" {
		errs["source_url"] = msg
	}
	var on *When
	if strings.TrimSpace(u.ObtainedOn) != "" {
		w, msg := CheckPast(u.ObtainedOn, today)
		if msg != "" {
			errs["obtained_on"] = msg
		} else {
			on = &w
		}
	}
	return on, errs
}

// CleanFilename makes a client's file name safe to keep and to send back: no folders
// (either slash), no control characters, no quotes or leading dots, at most
// MaxAttachmentFilename characters with the extension kept; "file" when nothing is left.
func CleanFilename(name string) string {
	if i := strings.LastIndexAny(name, `/\`); i >= 0 {
		name = name[i+1:]
	}
	name = strings.ToValidUTF8(name, "")
	name = strings.Map(func(r rune) rune {
		switch {
		case unicode.IsControl(r), r == '"', r == '\u2028', r == '\u2029', unicode.Is(unicode.Cf, r):
			return -1
		}
		return r
	}, name)
	name = strings.TrimLeft(strings.TrimSpace(name), ".")
	name = strings.TrimSpace(name)
	if r := []rune(name); len(r) > MaxAttachmentFilename {
		ext := []rune(path.Ext(name))
		if len(ext) > 16 {
			ext = nil
		}
		name = strings.TrimSpace(string(r[:MaxAttachmentFilename-len(ext)])) + string(ext)
	}
	if name == "" {
		return "file"
	}
	return name
}
