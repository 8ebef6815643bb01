// Package extract takes the text out of an attached file (PDF, plain text) so that it
// can be searched. It does no I/O beyond the bytes it is given.
package extract

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"golang.org/x/text/encoding/charmap"
)

// ErrNoText is returned for a type that holds no text to extract (a photo, say).
var ErrNoText = errors.New("no text in this type of file")

// MaxText caps the text kept from one file: the search index needs words, not volumes.
const MaxText = 1 << 20

// Text returns the text inside data, whose type contentType was checked from its bytes:
// a PDF's words (pdfText, bounded in pages, bytes and time whatever the file holds), or a
// plain text file decoded to UTF-8 (plainText). A broken PDF is an error, never a panic.
func Text(contentType string, data []byte) (string, error) {
	var text string
	switch {
	case strings.HasPrefix(contentType, "text/plain"):
		text = plainText(data)
	case strings.HasPrefix(contentType, "application/pdf"):
		var err error
		if text, err = pdfText(data); err != nil {
			return "", err
		}
	default:
		return "", ErrNoText
	}
	return clip(strings.TrimSpace(strings.Map(control, text))), nil
}

// control turns control characters other than tabs and line breaks into spaces: a NUL
// is no text PostgreSQL keeps, and the others are noise to the search.
func control(r rune) rune {
	if (r < 0x20 && r != '\t' && r != '\n' && r != '\r') || r == 0x7f {
		return ' '
	}
	return r
}

// plainText decodes a text file to UTF-8. UTF-8 (with or without its byte order mark)
// is kept; UTF-16 is decoded where a byte order mark says it is (no guess is made
// without one). Anything else that is not valid UTF-8 is read as Windows-1251, the
// Cyrillic code page that Russian and Kazakh documents saved by older Windows programs
// are in: a file from those offices that is not Unicode is most likely that, and a
// Latin-1 file read so loses only its accented letters to the search, never its words.
// (Windows-1251 has no letters of Kazakh's own, ә ғ қ ң ө ұ ү һ: a file holding them is
// Unicode or the rare KZ-1048, which is read as Windows-1251 too.)
func plainText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xEF, 0xBB, 0xBF}):
		return strings.ToValidUTF8(string(data[3:]), "\uFFFD")
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}):
		return utf16Text(data[2:], false)
	case bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		return utf16Text(data[2:], true)
	case utf8.Valid(data):
		return string(data)
	}
	if len(data) > 4*MaxText { // a longer file's tail would be clipped anyway
		data = data[:4*MaxText]
	}
	s, err := charmap.Windows1251.NewDecoder().Bytes(data)
	if err != nil {
		return strings.ToValidUTF8(string(data), "\uFFFD")
	}
	return string(s)
}

// utf16Text decodes UTF-16 (big-endian when big), a lone surrogate or odd last byte
// becoming U+FFFD.
func utf16Text(data []byte, big bool) string {
	if len(data) > 8*MaxText {
		data = data[:8*MaxText]
	}
	units := make([]uint16, 0, len(data)/2+1)
	for i := 0; i+1 < len(data); i += 2 {
		if big {
			units = append(units, uint16(data[i])<<8|uint16(data[i+1]))
		} else {
			units = append(units, uint16(data[i+1])<<8|uint16(data[i]))
		}
	}
	s := string(utf16.Decode(units))
	if len(data)%2 == 1 {
		s += "\uFFFD"
	}
	return s
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
