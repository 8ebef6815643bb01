package server

import (
	"errors"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"unicode/utf8"

	"github.com/whereas/whereas/internal/tracker"
)

// maxFormMemory is how much of a multipart form is held in memory; the rest of an upload
// goes to a temporary file. The body itself is capped by limitBody.
const maxFormMemory = 1 << 20

// validInput refuses, before any handler runs, a request whose path, query or posted form
// holds a NUL byte or bytes that are not UTF-8. PostgreSQL cannot store either in text, so
// such input would otherwise travel to the first query and come back as a 500; here it is
// a 400 through the error boundary (a page, or JSON on the API). Forms are parsed here so
// that every field is checked once, whichever handler reads it; the parsed form stays on
// the request for the handler.
func (s *Server) validInput(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !cleanText(r.URL.Path) {
			s.fail(w, r, tracker.Errorf(tracker.EINVALID, "The address holds characters that are not text (a NUL byte or invalid UTF-8)."))
			return
		}
		if q, _ := url.ParseQuery(r.URL.RawQuery); !cleanValues(q) {
			s.fail(w, r, tracker.Errorf(tracker.EINVALID, "The query holds characters that are not text (a NUL byte or invalid UTF-8)."))
			return
		}
		// API bodies are JSON whatever their Content-Type says (curl -d sends a form type),
		// and decodeJSON checks their text; parsing them as a form here would consume them.
		// Uploads are read part by part by their handler, after the role check, which checks
		// their fields the same way.
		if isForm(r) && !isAPI(r) && !isUpload(r) {
			err := r.ParseMultipartForm(maxFormMemory)
			if r.MultipartForm != nil {
				// The server removes upload files only for the request it made, not for a
				// copy made by WithContext: remove them when the handler is done.
				defer r.MultipartForm.RemoveAll()
			}
			if err != nil && !errors.Is(err, http.ErrNotMultipart) {
				var maxErr *http.MaxBytesError
				if errors.As(err, &maxErr) {
					s.fail(w, r, tracker.Errorf(tracker.ETOOLARGE, "The request body is larger than the %d bytes this server accepts.", s.bodyCap(r)))
					return
				}
				// Left to the handler, which reads the same (empty) form and says what is missing.
			}
			if !cleanValues(r.PostForm) {
				s.fail(w, r, tracker.Errorf(tracker.EINVALID, "A form field holds characters that are not text (a NUL byte or invalid UTF-8)."))
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// isForm reports whether r posts an HTML form (URL-encoded or multipart).
func isForm(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut && r.Method != http.MethodPatch {
		return false
	}
	ct, _, _ := mime.ParseMediaType(r.Header.Get("Content-Type"))
	return ct == "application/x-www-form-urlencoded" || ct == "multipart/form-data"
}

// cleanText reports whether s is UTF-8 without NUL bytes: text PostgreSQL can store.
func cleanText(s string) bool {
	return utf8.ValidString(s) && !strings.ContainsRune(s, 0)
}

func cleanValues(vs url.Values) bool {
	for k, list := range vs {
		if !cleanText(k) {
			return false
		}
		for _, v := range list {
			if !cleanText(v) {
				return false
			}
		}
	}
	return true
}
