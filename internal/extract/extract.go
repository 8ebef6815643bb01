// Package extract takes the text out of an attached file (PDF, plain text) so that it
// can be searched. It does no I/O beyond the bytes it is given.
package extract

import (
	"errors"
	"strings"
	"unicode/utf8"
)

// ErrNoText is returned for a type that holds no text to extract (a photo, say).
var ErrNoText = errors.New("no text in this type of file")

// MaxText caps the text kept from one file: the search index needs words, not volumes.
const MaxText = 1 << 20

// Text returns the text inside data, whose type contentType was checked from its bytes.
func Text(contentType string, data []byte) (string, error) {
	switch {
	case strings.HasPrefix(contentType, "text/plain"):
		return clip(strings.ToValidUTF8(string(data), "\uFFFD")), nil
	}
	return "", ErrNoText
}

// clip cuts s to at most MaxText bytes on a rune boundary.
func clip(s string) string {
	if len(s) <= MaxText {
		return s
	}
	s = s[:MaxText]
	for !utf8.ValidString(s) {
		s = s[:len(s)-1]
	}
	return s
}
