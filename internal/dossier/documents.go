package dossier

import (
	"strconv"
	"strings"

	"github.com/whereas/whereas/internal/tracker"
)

// Document is a file about the person: what it is, how to check a copy (its size and
// SHA-256), when it was obtained and where from, where to download it, and the record it
// is attached to.
type Document struct {
	Title       string  `json:"title"`
	Filename    string  `json:"filename"`
	ContentType string  `json:"content_type"`
	Size        int64   `json:"size"` // bytes
	SHA256      string  `json:"sha256"`
	ObtainedOn  *string `json:"obtained_on"` // "2019", "2019-05" or "2019-05-14"; null when not known
	Obtained    string  `json:"obtained"`    // in words: "May 2019", or "not known"
	SourceURL   string  `json:"source_url"`  // where it was obtained, or ""
	URL         string  `json:"url"`         // where to download it
	About       string  `json:"about"`       // the record it is attached to: the person, a case or a demand
	AboutURL    string  `json:"about_url"`
	Internal    bool    `json:"internal"` // staff only: in the internal profile alone
	// SizeWords is the size as people read it ("1.2 MB").
	SizeWords string `json:"-"`
}

// documents are the person's files as the dossier lists them: internal ones only in the
// internal profile.
func documents(ds []tracker.PersonDocument, internal bool, baseURL string, w Words) []Document {
	out := []Document{}
	for _, d := range ds {
		if d.Visibility != tracker.Public && !internal {
			continue
		}
		x := Document{Title: d.Title, Filename: d.Filename, ContentType: d.ContentType, Size: d.Size, SHA256: d.SHA256,
			Obtained: w.T("documents.obtained_unknown"), SourceURL: d.SourceURL, URL: baseURL + tracker.AttachmentURL(d.ID, d.Filename),
			About: d.About.Name, AboutURL: baseURL + d.AboutURL(), Internal: d.Visibility != tracker.Public, SizeWords: w.size(d.Size)}
		if d.About.Type == tracker.DemandEntity {
			x.About = w.T("documents.about_demand", "Wording", tracker.Shorten(d.About.Name, 120))
		}
		if d.ObtainedOn != nil {
			x.ObtainedOn, x.Obtained = whenOrNull(*d.ObtainedOn), w.date(*d.ObtainedOn)
		}
		out = append(out, x)
	}
	return out
}

// size is a number of bytes as people read it: "512 bytes", "12.5 KB", "3.1 MB", with the
// decimal separator of the dossier's language.
func (w Words) size(n int64) string {
	if n < 1024 {
		return w.N("documents.bytes", int(n))
	}
	unit, v := "documents.kb", float64(n)/1024
	if v >= 1024 {
		unit, v = "documents.mb", v/1024
	}
	num := strconv.FormatFloat(v, 'f', 1, 64)
	if !w.english() {
		num = strings.Replace(num, ".", ",", 1)
	}
	return w.T(unit, "Size", num)
}

// Heading is the document's title as a list heads it, marked when the file is internal.
func (x Document) Heading(w Words) string {
	if x.Internal {
		return x.Title + " " + w.T("documents.internal")
	}
	return x.Title
}

// DocumentLine is one thing the formats print of a document: its label, its text (the
// record's own words but for a date), and the address the text links to, if any.
type DocumentLine struct {
	Label, Text, URL string
	Hash             bool // the text is a SHA-256, printed as code
}

// Lines are what the formats print of a document under its title: the file (name, type,
// size), when it was obtained, where from, what it is attached to and its SHA-256. Where
// to download it is the formats' own link.
func (x Document) Lines(w Words) []DocumentLine {
	out := []DocumentLine{
		{Label: w.T("documents.field.filename"), Text: x.Filename + " · " + x.ContentType + " · " + x.SizeWords},
		{Label: w.T("documents.field.obtained"), Text: x.Obtained},
	}
	if x.SourceURL != "" {
		out = append(out, DocumentLine{Label: w.T("documents.field.source"), Text: x.SourceURL, URL: x.SourceURL})
	}
	return append(out, DocumentLine{Label: w.T("documents.field.about"), Text: x.About, URL: x.AboutURL},
		DocumentLine{Label: w.T("documents.field.sha256"), Text: x.SHA256, Hash: true})
}
