package server

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/gabriel-vasile/mimetype"
	"github.com/go-chi/chi/v5"

	"github.com/whereas/whereas/internal/extract"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/tracker"
	"github.com/whereas/whereas/web"
)

// Attachments (issue 18 §1): staff upload files to status entries, demand state entries,
// cases and people, by a page form or the API; everyone downloads the public ones from
// /attachments/{id}/{filename}. An upload is streamed to a temporary file while it is
// hashed, its type is checked from its bytes, and only then are the bytes kept (the blob
// store, Options.Blobs) and the row written (postgres.CreateAttachment).

// uploadFieldBytes caps each text field of an upload form.
const uploadFieldBytes = 64 << 10

// uploadSlack is what an upload's body may hold beside the file: its text fields and the
// multipart framing.
const uploadSlack = 1 << 20

// uploadStall is how long an upload may go without the client sending any bytes before it
// is dropped; uploadStoreTime bounds keeping the file once received.
const (
	uploadStall     = 30 * time.Second
	uploadStoreTime = 2 * time.Minute
)

// maxExtractBytes caps how much of a file is read back for text extraction.
const maxExtractBytes = 64 << 20

// isUpload reports whether r sends a file to attach: a POST to an address ending in
// /attachments. Such a body may be as large as the upload limit, is read by the handler
// (after the role check), not parsed up front, and has its own time limits.
func isUpload(r *http.Request) bool {
	return r.Method == http.MethodPost && strings.HasSuffix(r.URL.Path, "/attachments")
}

// uploadTime lifts the request time limit for an upload, as exportTime does for exports:
// a 25 MB file on a slow line takes longer than a page. The body is read while the client
// keeps sending (each read within uploadStall), and the handler bounds its own work after.
func (s *Server) uploadTime(next http.Handler) http.Handler {
	return s.exportTime(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Body = &stallReader{ReadCloser: r.Body, rc: http.NewResponseController(w), end: time.Now().Add(s.opts.ExportTimeout)}
		next.ServeHTTP(w, r)
	}))
}

// stallReader renews the connection's read deadline before each read of the body, so the
// server's whole-request ReadTimeout does not cut a long upload that keeps moving, and its
// write deadline, which runs from the request's start (WriteTimeout), so the answer can
// still be sent once the file is read and kept.
type stallReader struct {
	io.ReadCloser
	rc  *http.ResponseController
	end time.Time
}

func (b *stallReader) Read(p []byte) (int, error) {
	d := stallDeadline(uploadStall, b.end)
	_ = b.rc.SetReadDeadline(d)
	_ = b.rc.SetWriteDeadline(d.Add(uploadStoreTime))
	return b.ReadCloser.Read(p)
}

// upload is a received file and the fields sent with it.
type upload struct {
	fields   tracker.AttachmentUpload
	file     *os.File // the bytes, in a temporary file; nil when no file was sent
	size     int64
	sha256   string
	tooLarge bool
}

func (u *upload) close() {
	if u.file != nil {
		u.file.Close()
		os.Remove(u.file.Name())
	}
}

// receiveUpload reads a multipart upload part by part: the text fields into u.fields, the
// file (field "file") into a temporary file, hashed on the way. A file over the limit is
// not kept (u.tooLarge), and the fields sent before it are, so a form can be shown again
// with them: forms send the file last.
func (s *Server) receiveUpload(r *http.Request, owner tracker.AttachmentOwner) (*upload, error) {
	u := &upload{fields: tracker.AttachmentUpload{Owner: owner}}
	mr, err := r.MultipartReader()
	if err != nil {
		return u, tracker.Errorf(tracker.EINVALID, "Send the file as multipart/form-data, in a field named file.")
	}
	for {
		part, err := mr.NextPart()
		if err == io.EOF {
			break
		}
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				u.tooLarge = true
				break
			}
			return u, tracker.Errorf(tracker.EINVALID, "The upload could not be read: it was cut short or is not multipart/form-data.")
		}
		if part.FormName() == "file" && u.file == nil {
			if err := s.receiveFile(u, part); err != nil {
				return u, err
			}
			if u.tooLarge {
				break
			}
			continue
		}
		value, err := io.ReadAll(io.LimitReader(part, uploadFieldBytes+1))
		if err != nil {
			var maxErr *http.MaxBytesError
			if errors.As(err, &maxErr) {
				u.tooLarge = true
				break
			}
			return u, tracker.Errorf(tracker.EINVALID, "The upload could not be read: it was cut short or is not multipart/form-data.")
		}
		if len(value) > uploadFieldBytes || !cleanText(string(value)) {
			return u, tracker.Errorf(tracker.EINVALID, "A form field holds characters that are not text (a NUL byte or invalid UTF-8).")
		}
		switch v := string(value); part.FormName() {
		case "title":
			u.fields.Title = v
		case "visibility":
			u.fields.Visibility = v
		case "source_url":
			u.fields.SourceURL = v
		case "obtained_on":
			u.fields.ObtainedOn = v
		}
	}
	if u.tooLarge {
		// Read what is left (up to the body's cap), so the browser is still listening when
		// the answer comes; past the cap the connection is closed instead.
		_, _ = io.Copy(io.Discard, r.Body)
	}
	return u, nil
}

// receiveFile streams the file part into a temporary file while hashing it.
func (s *Server) receiveFile(u *upload, part *multipart.Part) error {
	u.fields.Filename = part.FileName()
	f, err := os.CreateTemp("", "whereas-upload-*")
	if err != nil {
		return fmt.Errorf("upload file: %w", err)
	}
	u.file = f
	sum := sha256.New()
	n, err := io.Copy(io.MultiWriter(f, sum), io.LimitReader(part, s.opts.MaxUploadBytes+1))
	var maxErr *http.MaxBytesError
	switch {
	case errors.As(err, &maxErr) || n > s.opts.MaxUploadBytes:
		u.tooLarge = true
		return nil
	case err != nil:
		return tracker.Errorf(tracker.EINVALID, "The upload could not be read: it was cut short or is not multipart/form-data.")
	}
	u.size, u.sha256 = n, hex.EncodeToString(sum.Sum(nil))
	return nil
}

// attachableTypes are the types of file staff may attach, as checked from the bytes:
// documents and images a browser or an office suite opens, and nothing a browser would
// run (HTML, SVG, scripts) or that could hide anything (archives, executables).
var attachableTypes = []string{
	"application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp",
	"text/plain", "text/csv", "text/rtf",
	"application/msword", "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
	"application/vnd.ms-excel", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
	"application/vnd.ms-powerpoint", "application/vnd.openxmlformats-officedocument.presentationml.presentation",
	"application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
	"application/vnd.oasis.opendocument.presentation",
}

// sniff checks the type of the file from its first bytes. A text file keeps its
// character set ("text/plain; charset=utf-8"); any other type is written without
// parameters. ok is false for a type that may not be attached.
func sniff(f *os.File) (contentType, detected string, ok bool, err error) {
	head := make([]byte, 3072)
	n, err := f.ReadAt(head, 0)
	if err != nil && err != io.EOF {
		return "", "", false, fmt.Errorf("read upload: %w", err)
	}
	m := mimetype.Detect(head[:n])
	for _, t := range attachableTypes {
		if m.Is(t) {
			if strings.HasPrefix(t, "text/") && t != "text/rtf" {
				return m.String(), m.String(), true, nil
			}
			return t, m.String(), true, nil
		}
	}
	return "", m.String(), false, nil
}

// extractText reads the stored file back (up to maxExtractBytes) and takes its text out
// for search: done with the text, none for a type without text, failed otherwise.
func extractText(f *os.File, size int64, contentType string) (state, text string) {
	if size > maxExtractBytes {
		return "failed", ""
	}
	data := make([]byte, size)
	if _, err := f.ReadAt(data, 0); err != nil && err != io.EOF {
		return "failed", ""
	}
	text, err := extract.Text(contentType, data)
	switch {
	case errors.Is(err, extract.ErrNoText):
		return "none", ""
	case err != nil:
		return "failed", ""
	}
	return "done", text
}

// storeUpload checks a received upload and keeps it: field errors (including a file that
// is missing or of a refused type) come back as a *tracker.ValidationError, a file over
// the limit as ETOOLARGE.
func (s *Server) storeUpload(ctx context.Context, u *upload) (tracker.Attachment, error) {
	ctx, cancel := context.WithTimeout(ctx, uploadStoreTime)
	defer cancel()
	if u.tooLarge {
		return tracker.Attachment{}, tracker.Errorf(tracker.ETOOLARGE, "The file is larger than the %d bytes this site accepts.", s.opts.MaxUploadBytes)
	}
	on, errs := u.fields.Validate(time.Now())
	var contentType string
	switch {
	case u.file == nil || (u.size == 0 && u.fields.Filename == ""):
		errs["file"] = "Choose a file to attach."
	case u.size == 0:
		errs["file"] = "The file is empty."
	default:
		t, detected, ok, err := sniff(u.file)
		if err != nil {
			return tracker.Attachment{}, err
		}
		if !ok {
			errs["file"] = "Files of this kind (" + detected + ") cannot be attached: attach a PDF, an image (PNG, JPEG, GIF, WebP), a text file or an office document."
		}
		contentType = t
	}
	if errs.Any() {
		return tracker.Attachment{}, &tracker.ValidationError{Fields: errs}
	}
	filename := tracker.CleanFilename(u.fields.Filename)
	title := strings.TrimSpace(u.fields.Title)
	if title == "" {
		title = filename
	}
	att := tracker.Attachment{Owner: u.fields.Owner, Title: title, Filename: filename, ContentType: contentType, Size: u.size,
		SHA256: u.sha256, Visibility: tracker.Visibility(u.fields.Visibility), SourceURL: strings.TrimSpace(u.fields.SourceURL),
		ObtainedOn: on, BlobKey: u.sha256}
	var text string
	att.TextState, text = extractText(u.file, u.size, contentType)
	if _, err := u.file.Seek(0, io.SeekStart); err != nil {
		return att, err
	}
	return s.db.CreateAttachment(ctx, actor(ctx), s.opts.Blobs, att, text, u.file)
}

// ownerFromRoute reads whose attachment a route is about: /cases/{slug},
// /cases/{slug}/statuses/{id}, /people/{slug}, /demands/{slug}/states/{id}, and the API's
// /statuses/{id} and /demand-states/{id}.
func ownerFromRoute(r *http.Request) (tracker.AttachmentOwner, error) {
	path := strings.TrimPrefix(r.URL.Path, "/api/v1")
	id := chi.URLParam(r, "id")
	var n int64
	if id != "" {
		var err error
		if n, err = strconv.ParseInt(id, 10, 64); err != nil || n <= 0 {
			return tracker.AttachmentOwner{}, tracker.Errorf(tracker.ENOTFOUND, "There is no page at this address.")
		}
	}
	switch {
	case strings.Contains(path, "/statuses/"):
		return tracker.AttachmentOwner{StatusEntryID: n}, nil
	case strings.HasPrefix(path, "/demand"):
		return tracker.AttachmentOwner{DemandStateEntryID: n}, nil
	case strings.HasPrefix(path, "/people/"):
		return tracker.AttachmentOwner{PersonSlug: chi.URLParam(r, "slug")}, nil
	}
	return tracker.AttachmentOwner{CaseSlug: chi.URLParam(r, "slug")}, nil
}

// apiAttachment is a file as the API shows it: after an upload, and in the attachments of
// a person or case.
type apiAttachment struct {
	ID               int64              `json:"id"`
	URL              string             `json:"url"`
	Title            string             `json:"title"`
	Filename         string             `json:"filename"`
	ContentType      string             `json:"content_type"`
	Size             int64              `json:"size"`
	SHA256           string             `json:"sha256"`
	Visibility       tracker.Visibility `json:"visibility"`
	ObtainedOn       *string            `json:"obtained_on"`
	SourceURL        *string            `json:"source_url"`
	StatusEntry      *int64             `json:"status_entry"`
	DemandStateEntry *int64             `json:"demand_state_entry"`
	RecordedAt       string             `json:"recorded_at"`
}

func toAPIAttachment(a tracker.Attachment) apiAttachment {
	out := apiAttachment{ID: a.ID, URL: a.URL(), Title: a.Title, Filename: a.Filename, ContentType: a.ContentType, Size: a.Size,
		SHA256: a.SHA256, Visibility: a.Visibility, SourceURL: orNull(a.SourceURL), StatusEntry: idOrNull(a.Owner.StatusEntryID),
		DemandStateEntry: idOrNull(a.Owner.DemandStateEntryID), RecordedAt: a.RecordedAt.UTC().Format("2006-01-02T15:04:05Z")}
	if a.ObtainedOn != nil {
		out.ObtainedOn = orNull(a.ObtainedOn.String())
	}
	return out
}

func toAPIAttachments(as []tracker.Attachment) []apiAttachment {
	out := make([]apiAttachment, len(as))
	for i, a := range as {
		out[i] = toAPIAttachment(a)
	}
	return out
}

// attachments lists a record's files for the page or answer being made: internal ones
// only for staff.
func (s *Server) attachments(ctx context.Context, of postgres.AttachmentsOf) ([]tracker.Attachment, error) {
	of.Staff = currentUser(ctx) != nil
	return s.db.Attachments(ctx, of)
}

// receiveOwnersUpload reads the upload sent to the record its route names; the caller
// closes it, whatever the error.
func (s *Server) receiveOwnersUpload(r *http.Request) (*upload, error) {
	owner, err := ownerFromRoute(r)
	if err != nil {
		return &upload{}, err
	}
	return s.receiveUpload(r, owner)
}

// apiUpload answers POST /api/v1/{cases|people}/{slug}/attachments,
// /api/v1/statuses/{id}/attachments and /api/v1/demand-states/{id}/attachments: 201 with
// the file as kept.
func (s *Server) apiUpload(w http.ResponseWriter, r *http.Request) error {
	u, err := s.receiveOwnersUpload(r)
	defer u.close()
	if err != nil {
		return err
	}
	att, err := s.storeUpload(r.Context(), u)
	if err != nil {
		return err
	}
	w.Header().Set("Location", att.URL())
	return writeJSON(w, http.StatusCreated, toAPIAttachment(att))
}

// handleUpload takes the upload form of a case, status entry, person or demand state
// entry: back to the record's page on success; the page again, with the message beside
// the file field and the other input kept, when it is refused.
func (s *Server) handleUpload(w http.ResponseWriter, r *http.Request) error {
	u, err := s.receiveOwnersUpload(r)
	defer u.close()
	if err != nil {
		return err
	}
	ctx := r.Context()
	att, err := s.storeUpload(ctx, u)
	status := http.StatusUnprocessableEntity
	var errs tracker.FieldErrors
	var verr *tracker.ValidationError
	switch {
	case err == nil:
		kept, err := s.db.Attachment(ctx, att.ID)
		if err != nil {
			return err
		}
		path, anchor, _ := strings.Cut(kept.OwnerPath, "#")
		if anchor == "" {
			anchor = "files"
		}
		return s.saved(w, r, path+"#"+anchor, "File attached: "+att.Title+".")
	case tracker.ErrorCode(err) == tracker.ETOOLARGE:
		status, errs = http.StatusRequestEntityTooLarge, tracker.FieldErrors{"file": fmt.Sprintf("The file is larger than the %d bytes this site accepts.", s.opts.MaxUploadBytes)}
	case errors.As(err, &verr):
		errs = verr.Fields
	default:
		return err
	}
	form := &web.AttachForm{Upload: u.fields, Errors: errs}
	return s.renderOwnerPage(w, r, status, form)
}

// renderOwnerPage shows again the page an upload form was sent from, with the form.
func (s *Server) renderOwnerPage(w http.ResponseWriter, r *http.Request, status int, form *web.AttachForm) error {
	ctx := r.Context()
	slug := chi.URLParam(r, "slug")
	switch {
	case strings.HasPrefix(r.URL.Path, "/people/"):
		d, err := s.personDetail(r, slug)
		if err != nil {
			return err
		}
		return render(ctx, w, status, web.PersonPage(d, web.Files{List: d.Attachments, Failed: form}))
	case strings.HasPrefix(r.URL.Path, "/demands/"):
		d, err := s.db.Demand(ctx, slug)
		if err != nil {
			return err
		}
		files, err := s.attachments(ctx, postgres.AttachmentsOf{Demand: slug})
		if err != nil {
			return err
		}
		return render(ctx, w, status, web.DemandPage(d, nil, web.Files{List: files, Failed: form}))
	}
	d, err := s.caseDetail(r, slug)
	if err != nil {
		return err
	}
	return render(ctx, w, status, web.CasePage(d, newStatusForm(d), web.Files{List: d.Attachments, Failed: form}))
}

// attachmentID reads the {id} of /attachments/{id}/…; anything else is no page.
func attachmentID(r *http.Request) (int64, error) {
	id, err := strconv.ParseInt(chi.URLParam(r, "id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, tracker.Errorf(tracker.ENOTFOUND, "No file was found at this address.")
	}
	return id, nil
}

// visibleAttachment reads a file as the asker may see it: an internal file is not there
// for the public (404, as if it did not exist); a removed file is gone for everyone (410);
// a file of a retired record is gone for the public (410) until the record is restored.
func (s *Server) visibleAttachment(r *http.Request) (tracker.Attachment, error) {
	id, err := attachmentID(r)
	if err != nil {
		return tracker.Attachment{}, err
	}
	att, err := s.db.Attachment(r.Context(), id)
	if err != nil {
		return att, err
	}
	staff := currentUser(r.Context()) != nil
	switch {
	case att.Visibility != tracker.Public && !staff:
		return att, tracker.Errorf(tracker.ENOTFOUND, "No file was found at this address.")
	case att.RetiredAt != nil:
		return att, tracker.Errorf(tracker.EGONE, "This file was removed and is no longer published here.")
	case att.OwnerRetired && !staff:
		return att, tracker.Errorf(tracker.EGONE, "The record this file belongs to was retired, so the file is no longer published here.")
	}
	return att, nil
}

// handleDownload serves a file: with the type checked at upload, shown in the browser only
// when it is an image or a PDF (downloaded otherwise), never sniffed, and sandboxed, so a
// file can run nothing on this site. Range requests are answered, and the SHA-256 is the
// ETag. The request time limit is lifted (exportTime); each write must go through within
// exportStall.
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) error {
	att, err := s.visibleAttachment(r)
	if err != nil {
		return err
	}
	// The id decides; a link with another name (shortened, or the file's name before a
	// correction) is sent to the one address, so a copy saved from it has the right name.
	if name, err := url.PathUnescape(chi.URLParam(r, "filename")); err != nil || name != att.Filename {
		http.Redirect(w, r, att.URL(), http.StatusMovedPermanently)
		return nil
	}
	rc, err := s.opts.Blobs.Open(r.Context(), att.BlobKey)
	if err != nil {
		return fmt.Errorf("open attachment %d: %w", att.ID, err)
	}
	defer rc.Close()
	h := w.Header()
	h.Set("Content-Type", att.ContentType)
	disposition := "attachment"
	if att.Inline() {
		disposition = "inline"
	}
	h.Set("Content-Disposition", contentDisposition(disposition, att.Filename))
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Content-Security-Policy", "sandbox; default-src 'none'")
	h.Set("ETag", `"`+att.SHA256+`"`)
	if att.Visibility == tracker.Public {
		h.Set("Cache-Control", "public, no-cache")
	} else {
		h.Set("Cache-Control", "private, no-store")
	}
	if currentUser(r.Context()) != nil {
		h.Set("Cache-Control", "private, no-store")
	}
	out := &stallWriter{ResponseWriter: w, rc: http.NewResponseController(w), end: time.Now().Add(s.opts.ExportTimeout)}
	if rs, ok := rc.(io.ReadSeeker); ok {
		http.ServeContent(out, r, "", att.RecordedAt, rs)
		return nil
	}
	// A store that cannot seek: the whole file, no ranges.
	if inm := r.Header.Get("If-None-Match"); inm != "" && strings.Contains(inm, `"`+att.SHA256+`"`) {
		w.WriteHeader(http.StatusNotModified)
		return nil
	}
	h.Set("Content-Length", strconv.FormatInt(att.Size, 10))
	w.WriteHeader(http.StatusOK)
	if r.Method == http.MethodHead {
		return nil
	}
	_, err = io.Copy(out, rc)
	return err
}

// contentDisposition is a Content-Disposition with the file name twice: plain ASCII for
// old clients, and exact in UTF-8 (RFC 5987's filename*) for the rest.
func contentDisposition(kind, name string) string {
	ascii := strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e || r == '"' || r == '\\' {
			return '_'
		}
		return r
	}, name)
	return kind + `; filename="` + ascii + `"; filename*=UTF-8''` + strings.ReplaceAll(url.PathEscape(name), "+", "%2B")
}

// handleRemoveAttachment retires a file from its page's "Remove" button, and goes back to
// the page.
func (s *Server) handleRemoveAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := attachmentID(r)
	if err != nil {
		return err
	}
	att, err := s.db.RemoveAttachment(r.Context(), actor(r.Context()), id)
	if err != nil {
		return err
	}
	path, anchor, _ := strings.Cut(att.OwnerPath, "#")
	if anchor == "" {
		anchor = "files"
	}
	return s.saved(w, r, path+"#"+anchor, "File removed: "+att.Title+".")
}

// apiRemoveAttachment answers DELETE /api/v1/attachments/{id}: the file is retired, 204.
func (s *Server) apiRemoveAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := attachmentID(r)
	if err != nil {
		return err
	}
	if _, err := s.db.RemoveAttachment(r.Context(), actor(r.Context()), id); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}
