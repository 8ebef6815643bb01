package server

import "testing"

func TestNoneMatch(t *testing.T) {
	const etag = `"7-abc"`
	for _, c := range []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{`"7-abc"`}, true},
		{[]string{`W/"7-abc"`}, true},
		{[]string{`*`}, true},
		{[]string{`"6-abc", "7-abc"`}, true},
		{[]string{`"6-abc",W/"7-abc"`}, true},
		{[]string{`"6-abc"`, `"7-abc"`}, true}, // two header lines
		{[]string{`"6-abc"`}, false},
		{[]string{`"7-ab"`}, false},
		{[]string{`"7-abc`}, false},
		{[]string{`7-abc`}, false},
		{[]string{`"a,b", "7-abc"`}, true}, // a comma inside a tag is part of it
		{[]string{`"7-abc" junk`}, true},
		{[]string{``}, false},
	} {
		if got := noneMatch(c.header, etag); got != c.want {
			t.Errorf("If-None-Match %q: %v, want %v", c.header, got, c.want)
		}
	}
}

func TestAcceptsGzip(t *testing.T) {
	for _, c := range []struct {
		header []string
		want   bool
	}{
		{nil, false},
		{[]string{"gzip, deflate, br, zstd"}, true}, // what browsers send
		{[]string{"br"}, false},
		{[]string{"identity"}, false},
		{[]string{"GZIP"}, true},
		{[]string{"x-gzip"}, true},
		{[]string{"*"}, true},
		{[]string{"gzip;q=0"}, false},
		{[]string{"gzip; q=0.000, br"}, false},
		{[]string{"gzip;q=0.5"}, true},
		{[]string{"br", "gzip"}, true}, // two header lines
		{[]string{"gzipped"}, false},
	} {
		if got := acceptsGzip(c.header); got != c.want {
			t.Errorf("Accept-Encoding %q: %v, want %v", c.header, got, c.want)
		}
	}
}
