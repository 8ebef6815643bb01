// Package blobtest holds what every blob.Store must do, as one test each store runs
// (the database's in internal/postgres, S3's in internal/blob), and opens the S3 store
// that `make test-s3` starts.
package blobtest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"testing"

	"github.com/whereas/whereas/internal/blob"
)

// S3URLVar names the environment variable that points the S3 tests at a bucket;
// `make test-s3` sets it (with AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY).
const S3URLVar = "WHEREAS_TEST_S3_URL"

// S3 opens the store at $WHEREAS_TEST_S3_URL. Without it the test is skipped, except
// under CI=true, where that is a failure: CI must run these through `make test-s3`.
func S3(t testing.TB) blob.Store {
	t.Helper()
	raw := os.Getenv(S3URLVar)
	if raw == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal(S3URLVar + " is not set; CI must run the S3 tests against a real S3 server (use make test-s3)")
		}
		t.Skip(S3URLVar + " is not set (make test-s3 sets it)")
	}
	s, err := blob.OpenURL(context.Background(), raw, os.Getenv)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// RandomBytes returns n random bytes.
func RandomBytes(t testing.TB, n int) []byte {
	t.Helper()
	data := make([]byte, n)
	if _, err := rand.Read(data); err != nil {
		t.Fatal(err)
	}
	return data
}

// Conformance checks s against what blob.Store promises: bytes back as put, a key put
// twice kept as first put, absent keys said plainly, deletes that need no key, readers
// that lie about their size refused, and work stopped when its context is cancelled. Its
// keys are new each run, so it may run against a bucket that other runs used.
func Conformance(t *testing.T, s blob.Store) {
	run := hex.EncodeToString(RandomBytes(t, 8))
	key := func(name string) string { return "blobtest-" + run + "-" + name }
	big := RandomBytes(t, 5<<20+12345)

	t.Run("RoundTripsByteForByte", func(t *testing.T) {
		k := key("roundtrip")
		put(t, s, k, big)
		if got := read(t, s, k); !bytes.Equal(got, big) {
			t.Fatalf("read back %d bytes, not the %d put", len(got), len(big))
		}
		put(t, s, key("empty"), nil)
		if got := read(t, s, key("empty")); len(got) != 0 {
			t.Fatalf("an empty blob read back as %d bytes", len(got))
		}
	})

	t.Run("SameKeyTwiceKeepsTheFirst", func(t *testing.T) {
		k := key("twice")
		first, second := RandomBytes(t, 1000), RandomBytes(t, 1000)
		put(t, s, k, first)
		put(t, s, k, first)
		put(t, s, k, second)
		if got := read(t, s, k); !bytes.Equal(got, first) {
			t.Fatal("a second Put of a key held changed its bytes")
		}
	})

	t.Run("AbsentKeyIsNotFound", func(t *testing.T) {
		if r, err := s.Open(context.Background(), key("never-put")); !errors.Is(err, blob.ErrNotFound) {
			if err == nil {
				r.Close()
			}
			t.Fatalf("open of a key never put: %v, want blob.ErrNotFound", err)
		}
	})

	t.Run("DeleteRemoves", func(t *testing.T) {
		ctx := context.Background()
		k := key("delete")
		put(t, s, k, []byte("to be deleted"))
		for range 2 { // the second time the key is absent: no error either
			if err := s.Delete(ctx, k); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Open(ctx, k); !errors.Is(err, blob.ErrNotFound) {
			t.Fatalf("open after delete: %v, want blob.ErrNotFound", err)
		}
		if err := s.Delete(ctx, key("never-put")); err != nil {
			t.Fatalf("delete of a key never put: %v", err)
		}
	})

	t.Run("WrongSizeIsRefused", func(t *testing.T) {
		ctx := context.Background()
		data := []byte("ten bytes!")
		for _, c := range []struct {
			name string
			size int64
		}{{"short", 11}, {"long", 9}} {
			k := key(c.name)
			if err := s.Put(ctx, k, bytes.NewReader(data), c.size); err == nil {
				t.Errorf("%d bytes stored as a blob of %d", len(data), c.size)
			}
			if r, err := s.Open(ctx, k); !errors.Is(err, blob.ErrNotFound) {
				if err == nil {
					r.Close()
				}
				t.Errorf("after a refused Put of %d bytes as %d: open gives %v, want blob.ErrNotFound", len(data), c.size, err)
			}
		}
	})

	t.Run("CancelledPutStoresNothing", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		k := key("cancelled-put")
		r := &cancellingReader{r: bytes.NewReader(big), after: 1 << 20, cancel: cancel}
		if err := s.Put(ctx, k, r, int64(len(big))); err == nil {
			t.Fatal("Put whose context was cancelled midway succeeded")
		}
		if rc, err := s.Open(context.Background(), k); !errors.Is(err, blob.ErrNotFound) {
			if err == nil {
				rc.Close()
			}
			t.Fatalf("after a cancelled Put: open gives %v, want blob.ErrNotFound", err)
		}
	})

	t.Run("CancelledReadStops", func(t *testing.T) {
		k := key("cancelled-read")
		put(t, s, k, big)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		rc, err := s.Open(ctx, k)
		if err != nil {
			t.Fatal(err)
		}
		defer rc.Close()
		head := make([]byte, 64<<10)
		if _, err := io.ReadFull(rc, head); err != nil {
			t.Fatal(err)
		}
		cancel()
		rest, err := io.ReadAll(rc)
		if err == nil {
			t.Fatalf("read on after its context was cancelled: %d more bytes, no error", len(rest))
		}
		if !bytes.Equal(head, big[:len(head)]) {
			t.Error("the bytes read before the cancel are not the blob's")
		}
	})
}

func put(t *testing.T, s blob.Store, key string, data []byte) {
	t.Helper()
	if err := s.Put(context.Background(), key, bytes.NewReader(data), int64(len(data))); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Delete(context.Background(), key) })
}

func read(t *testing.T, s blob.Store, key string) []byte {
	t.Helper()
	r, err := s.Open(context.Background(), key)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// cancellingReader cancels its context once after bytes have been read, and goes on
// reading, as a client that hangs up midway leaves the server's reader.
type cancellingReader struct {
	r      io.Reader
	after  int
	n      int
	cancel context.CancelFunc
}

func (c *cancellingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += n
	if c.n >= c.after {
		c.cancel()
	}
	return n, err
}
