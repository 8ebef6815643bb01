// Package atom writes Atom feeds (RFC 4287): the structure, its XML, and entry ids that
// never change.
package atom

import (
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"io"
	"time"
)

// ContentType is what an Atom feed is served as.
const ContentType = "application/atom+xml; charset=utf-8"

// Feed is an Atom feed document (RFC 4287 §4.1.1).
type Feed struct {
	XMLName  xml.Name `xml:"http://www.w3.org/2005/Atom feed"`
	Lang     string   `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID       string   `xml:"id"`
	Title    Text     `xml:"title"`
	Subtitle *Text    `xml:"subtitle,omitempty"`
	Updated  Time     `xml:"updated"`
	Links    []Link   `xml:"link"`
	Author   Person   `xml:"author"`
	Entries  []Entry  `xml:"entry"`
}

// Entry is one entry of a feed (RFC 4287 §4.1.2).
type Entry struct {
	ID         string     `xml:"id"`
	Title      Text       `xml:"title"`
	Updated    Time       `xml:"updated"`
	Published  Time       `xml:"published"`
	Links      []Link     `xml:"link"`
	Categories []Category `xml:"category"`
	Summary    Text       `xml:"summary"`
}

// Text is a text construct of type "text": plain text, escaped as XML, never markup.
type Text struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// Plain is s as a text construct.
func Plain(s string) Text { return Text{Type: "text", Body: s} }

// Link is an atom:link.
type Link struct {
	Rel      string `xml:"rel,attr"`
	Type     string `xml:"type,attr,omitempty"`
	Href     string `xml:"href,attr"`
	HrefLang string `xml:"hreflang,attr,omitempty"`
	Title    string `xml:"title,attr,omitempty"`
}

// Person is an atom:author.
type Person struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

// Category is an atom:category.
type Category struct {
	Term  string `xml:"term,attr"`
	Label string `xml:"label,attr,omitempty"`
}

// Time is a date construct (RFC 3339, UTC).
type Time time.Time

// MarshalText writes the time as RFC 3339 in UTC, to the second.
func (t Time) MarshalText() ([]byte, error) {
	return []byte(time.Time(t).UTC().Format(time.RFC3339)), nil
}

// UnmarshalText reads an RFC 3339 time.
func (t *Time) UnmarshalText(b []byte) error {
	v, err := time.Parse(time.RFC3339, string(b))
	*t = Time(v)
	return err
}

// Encode writes f as an XML document.
func Encode(w io.Writer, f Feed) error {
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return fmt.Errorf("encode atom feed: %w", err)
	}
	return enc.Close()
}

// namespace is the UUID namespace of Whereas's feed and entry ids (itself a version 5 UUID
// of "whereas" in the URL namespace of RFC 9562).
var namespace = uuid5([16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}, "whereas")

// ID is the id of the feed or entry that name stands for ("status/12", "feed/people/x")
// on the site that site names (its lasting id): a urn:uuid of version 5 (RFC 9562), the
// same for the same name on every request, host and page, and another on every other
// site, as RFC 4287 §4.2.6 asks of an id.
func ID(site, name string) string {
	u := uuid5(uuid5(namespace, site), name)
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}

func uuid5(ns [16]byte, name string) [16]byte {
	h := sha1.New()
	h.Write(ns[:])
	h.Write([]byte(name))
	var u [16]byte
	copy(u[:], h.Sum(nil))
	u[6] = u[6]&0x0f | 0x50
	u[8] = u[8]&0x3f | 0x80
	return u
}
