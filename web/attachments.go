package web

import (
	"context"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"github.com/whereas/whereas/internal/i18n"
	"github.com/whereas/whereas/internal/tracker"
)

// AttachForm is an upload form shown again after it was refused: what was typed, and the
// message for each field (the file's beside the file field).
type AttachForm struct {
	Upload tracker.AttachmentUpload
	Errors tracker.FieldErrors
}

// Files are the attachments a page lists and, after a refused upload, that upload's form.
type Files struct {
	List   []tracker.Attachment
	Failed *AttachForm
}

// OfStatus are the files of one status entry.
func (f Files) OfStatus(id int64) []tracker.Attachment {
	return f.filter(func(a tracker.Attachment) bool { return a.Owner.StatusEntryID == id })
}

// OfState are the files of one demand state entry.
func (f Files) OfState(id int64) []tracker.Attachment {
	return f.filter(func(a tracker.Attachment) bool { return a.Owner.DemandStateEntryID == id })
}

// Own are the files of the case or person itself.
func (f Files) Own() []tracker.Attachment {
	return f.filter(func(a tracker.Attachment) bool { return a.Owner.CaseSlug != "" || a.Owner.PersonSlug != "" })
}

func (f Files) filter(keep func(tracker.Attachment) bool) []tracker.Attachment {
	var out []tracker.Attachment
	for _, a := range f.List {
		if keep(a) {
			out = append(out, a)
		}
	}
	return out
}

// FormFor is the upload form for owner: the refused one, with its input and errors, when
// it was for owner; a fresh one (public by default) otherwise.
func (f Files) FormFor(owner tracker.AttachmentOwner) AttachForm {
	if f.Failed != nil && f.Failed.Upload.Owner == owner {
		return *f.Failed
	}
	return AttachForm{Upload: tracker.AttachmentUpload{Owner: owner, Visibility: string(tracker.Public)}}
}

// attachTarget is where an upload form posts, and the prefix of its field ids (several
// forms share a page).
type attachTarget struct {
	Action string
	Prefix string
	Owner  tracker.AttachmentOwner
}

func caseTarget(slug string) attachTarget {
	return attachTarget{"/cases/" + slug + "/attachments", "attach-case-", tracker.AttachmentOwner{CaseSlug: slug}}
}

func personTarget(slug string) attachTarget {
	return attachTarget{"/people/" + slug + "/attachments", "attach-person-", tracker.AttachmentOwner{PersonSlug: slug}}
}

func statusTarget(caseSlug string, id int64) attachTarget {
	n := strconv.FormatInt(id, 10)
	return attachTarget{"/cases/" + caseSlug + "/statuses/" + n + "/attachments", "attach-status-" + n + "-", tracker.AttachmentOwner{StatusEntryID: id}}
}

func stateTarget(demandSlug string, id int64) attachTarget {
	n := strconv.FormatInt(id, 10)
	return attachTarget{"/demands/" + demandSlug + "/states/" + n + "/attachments", "attach-state-" + n + "-", tracker.AttachmentOwner{DemandStateEntryID: id}}
}

// attachFields are an upload form's fields in the order it lays them out.
var attachFields = []string{"title", "visibility", "source_url", "obtained_on", "file"}

// FileKind is the short name of a file's format as people know it ("PDF", "DOCX"): a
// format's name, the same in every language.
func FileKind(contentType string) string {
	t, _, _ := strings.Cut(contentType, ";")
	switch t {
	case "application/pdf":
		return "PDF"
	case "image/png":
		return "PNG"
	case "image/jpeg":
		return "JPEG"
	case "image/gif":
		return "GIF"
	case "image/webp":
		return "WebP"
	case "text/plain":
		return "TXT"
	case "text/csv":
		return "CSV"
	case "text/rtf":
		return "RTF"
	case "application/msword":
		return "DOC"
	case "application/vnd.openxmlformats-officedocument.wordprocessingml.document":
		return "DOCX"
	case "application/vnd.ms-excel":
		return "XLS"
	case "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet":
		return "XLSX"
	case "application/vnd.ms-powerpoint":
		return "PPT"
	case "application/vnd.openxmlformats-officedocument.presentationml.presentation":
		return "PPTX"
	case "application/vnd.oasis.opendocument.text":
		return "ODT"
	case "application/vnd.oasis.opendocument.spreadsheet":
		return "ODS"
	case "application/vnd.oasis.opendocument.presentation":
		return "ODP"
	}
	return t
}

// ByteSize is a file's size in the page's language: "830 bytes", "12.5 KB", "3.2 MB".
func ByteSize(ctx context.Context, n int64) string {
	switch {
	case n < 1024:
		return N(ctx, "attach.size_bytes", int(n))
	case n < 1<<20:
		return T(ctx, "attach.size_kb", "Size", decimal(ctx, float64(n)/1024))
	}
	return T(ctx, "attach.size_mb", "Size", decimal(ctx, float64(n)/(1<<20)))
}

// decimal writes x with one decimal, with the page's decimal separator.
func decimal(ctx context.Context, x float64) string {
	s := strconv.FormatFloat(x, 'f', 1, 64)
	if Lang(ctx) != i18n.EN {
		s = strings.Replace(s, ".", ",", 1)
	}
	return s
}

func attachHintID(prefix, name, hint string) string {
	if hint == "" {
		return ""
	}
	return prefix + name + "-hint"
}

// attachInvalid is the ARIA of an upload form's field: aria-invalid when it has an error,
// and aria-describedby naming its message (first) and its hint.
func attachInvalid(prefix, name string, errs tracker.FieldErrors, hint string) templ.Attributes {
	a := templ.Attributes{}
	var ids []string
	if _, bad := errs[name]; bad {
		a["aria-invalid"] = "true"
		ids = append(ids, prefix+name+"-error")
	}
	if hint != "" {
		ids = append(ids, hint)
	}
	if len(ids) > 0 {
		a["aria-describedby"] = strings.Join(ids, " ")
	}
	return a
}
