package blob_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"io"
	"net"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/blob/blobtest"
)

// TestOpenURLRejects: a WHEREAS_BLOB_URL that cannot work is refused at start with what
// is wrong, before anything is dialled, and never echoes the secret it holds.
func TestOpenURLRejects(t *testing.T) {
	t.Parallel()
	withKeys := func(name string) string {
		return map[string]string{"AWS_ACCESS_KEY_ID": "id", "AWS_SECRET_ACCESS_KEY": "secret"}[name]
	}
	noKeys := func(string) string { return "" }
	for _, c := range []struct {
		name, url string
		getenv    func(string) string
		want      string
	}{
		{"UnknownScheme", "https://bucket.example.org/x", withKeys, `unknown scheme "https"`},
		{"NoScheme", "bucket/prefix", withKeys, `unknown scheme ""`},
		{"NoBucket", "s3:///prefix?endpoint=127.0.0.1:9000", withKeys, "names no bucket"},
		{"NoEndpoint", "s3://bucket/prefix", withKeys, "names no endpoint"},
		{"EndpointWithScheme", "s3://bucket?endpoint=http://127.0.0.1:9000", withKeys, "without a scheme"},
		{"UnknownParameter", "s3://bucket?endpoint=127.0.0.1:9000&regoin=eu", withKeys, `unknown parameter "regoin"`},
		{"BadInsecure", "s3://bucket?endpoint=127.0.0.1:9000&insecure=yes", withKeys, `insecure="yes": want 0 or 1`},
		{"NoCredentials", "s3://bucket?endpoint=127.0.0.1:9000", noKeys, "no S3 credentials"},
		{"HalfCredentials", "s3://KEYONLY@bucket?endpoint=127.0.0.1:9000", withKeys, "no S3 credentials"},
		{"NotAURL", "s3://KEY:TOPSECRET%zz@bucket?endpoint=127.0.0.1:9000", withKeys, "is not a URL"},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := blob.OpenURL(context.Background(), c.url, c.getenv)
			if err == nil || !strings.Contains(err.Error(), c.want) {
				t.Fatalf("OpenURL(%q) = %v, want an error saying %q", c.url, err, c.want)
			}
			if strings.Contains(err.Error(), "TOPSECRET") {
				t.Errorf("the error shows the secret: %v", err)
			}
		})
	}
}

// TestOpenURLUnreachable: an endpoint where nothing listens is a plain error at start,
// within the check's time limit, not a hang or a crash.
func TestOpenURLUnreachable(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	start := time.Now()
	_, err = blob.OpenURL(ctx, "s3://bucket?insecure=1&endpoint="+addr, func(name string) string { return "x" })
	if err == nil || !strings.Contains(err.Error(), `bucket "bucket"`) {
		t.Fatalf("OpenURL with nothing at %s = %v, want an error naming the bucket", addr, err)
	}
	t.Log(err)
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("took %s to give up", d)
	}
}

// TestS3Conformance: the S3 store does all a blob store must, against the real S3
// server of `make test-s3`.
func TestS3Conformance(t *testing.T) {
	t.Parallel()
	blobtest.Conformance(t, blobtest.S3(t))
}

// TestS3Prefix: the URL's path is a prefix before every key, so one bucket can hold
// several sites' files (or other things) without collisions.
func TestS3Prefix(t *testing.T) {
	t.Parallel()
	blobtest.S3(t)
	open := func(path string) blob.Store {
		u := s3URL(t)
		u.Path = path
		s, err := blob.OpenURL(context.Background(), u.String(), os.Getenv)
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	prefix := "site-" + hex.EncodeToString(blobtest.RandomBytes(t, 4)) + "/files"
	root, prefixed := open(""), open("/"+prefix+"/")
	ctx := context.Background()
	data := []byte("kept under a prefix")
	if err := prefixed.Put(ctx, "k", bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = prefixed.Delete(ctx, "k") })
	r, err := root.Open(ctx, prefix+"/k")
	if err != nil {
		t.Fatalf("the object is not at %s/k: %v", prefix, err)
	}
	got, _ := io.ReadAll(r)
	r.Close()
	if !bytes.Equal(got, data) {
		t.Fatalf("read %q under the prefix, want %q", got, data)
	}
	if r, err := root.Open(ctx, "k"); err == nil {
		r.Close()
		t.Error("a key put under a prefix is also at the bucket's root")
	}
}

// TestS3BucketChecked: a bucket that does not exist, or credentials the server refuses,
// stop the start with an error that names the bucket.
func TestS3BucketChecked(t *testing.T) {
	t.Parallel()
	blobtest.S3(t)
	missing := s3URL(t)
	missing.Host = "no-such-bucket-" + hex.EncodeToString(blobtest.RandomBytes(t, 4))
	if _, err := blob.OpenURL(context.Background(), missing.String(), os.Getenv); err == nil || !strings.Contains(err.Error(), "does not exist") {
		t.Errorf("OpenURL of a missing bucket = %v, want it said not to exist", err)
	}
	wrong := s3URL(t)
	wrong.User = url.UserPassword("nobody", "wrong-secret")
	if _, err := blob.OpenURL(context.Background(), wrong.String(), os.Getenv); err == nil || !strings.Contains(err.Error(), `bucket "`+wrong.Host+`"`) {
		t.Errorf("OpenURL with wrong credentials = %v, want an error naming the bucket", err)
	}
}

func s3URL(t *testing.T) *url.URL {
	t.Helper()
	u, err := url.Parse(os.Getenv(blobtest.S3URLVar))
	if err != nil {
		t.Fatal(err)
	}
	return u
}
