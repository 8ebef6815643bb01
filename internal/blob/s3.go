package blob

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/url"
	"path"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// checkTimeout bounds the check at start that the bucket is there, so a site pointed at
// an unreachable server says so instead of hanging through the client's retries.
const checkTimeout = 20 * time.Second

// urlHelp says what OpenURL accepts, for its error messages.
const urlHelp = "s3://BUCKET[/PREFIX]?endpoint=HOST[:PORT][&region=REGION][&insecure=1][&path_style=1]"

// OpenURL opens the store a WHEREAS_BLOB_URL names:
//
//	s3://bucket/prefix?endpoint=host:port&region=eu-west-1&insecure=1&path_style=1
//
// endpoint (required) is the S3 server's host and port; region defaults to the server's
// own; insecure=1 speaks plain HTTP instead of HTTPS (a server on the same trusted
// network only); path_style=1 addresses the bucket in the path instead of the host name.
// The prefix, if any, is put before every key. Credentials come from the URL's user
// information (s3://KEY:SECRET@bucket/…) when present, otherwise from AWS_ACCESS_KEY_ID
// and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN, if set). The bucket must already
// exist: OpenURL checks it is there and reachable before it returns.
func OpenURL(ctx context.Context, rawURL string, getenv func(string) string) (Store, error) {
	cfg, err := parseS3URL(rawURL, getenv)
	if err != nil {
		return nil, err
	}
	opts := &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.accessKey, cfg.secretKey, cfg.sessionToken),
		Secure: !cfg.insecure,
		Region: cfg.region,
	}
	if cfg.pathStyle {
		opts.BucketLookup = minio.BucketLookupPath
	}
	client, err := minio.New(cfg.endpoint, opts)
	if err != nil {
		return nil, fmt.Errorf("WHEREAS_BLOB_URL: %w", err)
	}
	s := &S3{client: client, bucket: cfg.bucket, prefix: cfg.prefix}
	cctx, cancel := context.WithTimeout(ctx, checkTimeout)
	defer cancel()
	ok, err := client.BucketExists(cctx, cfg.bucket)
	if err != nil {
		return nil, fmt.Errorf("WHEREAS_BLOB_URL: cannot use bucket %q at %s: %w", cfg.bucket, client.EndpointURL(), err)
	}
	if !ok {
		return nil, fmt.Errorf("WHEREAS_BLOB_URL: bucket %q does not exist at %s; create it first", cfg.bucket, client.EndpointURL())
	}
	return s, nil
}

// s3Config is what a WHEREAS_BLOB_URL says.
type s3Config struct {
	bucket, prefix, endpoint, region   string
	accessKey, secretKey, sessionToken string
	insecure, pathStyle                bool
}

func parseS3URL(rawURL string, getenv func(string) string) (s3Config, error) {
	var c s3Config
	u, err := url.Parse(rawURL)
	if err != nil {
		// url.Parse quotes the whole URL, secret included: say only what is wrong.
		var uerr *url.Error
		if errors.As(err, &uerr) {
			err = uerr.Err
		}
		return c, fmt.Errorf("WHEREAS_BLOB_URL is not a URL (%v); want %s", err, urlHelp)
	}
	if u.Scheme != "s3" {
		return c, fmt.Errorf("WHEREAS_BLOB_URL: unknown scheme %q; want %s", u.Scheme, urlHelp)
	}
	if c.bucket = u.Host; c.bucket == "" {
		return c, fmt.Errorf("WHEREAS_BLOB_URL names no bucket; want %s", urlHelp)
	}
	c.prefix = strings.Trim(u.Path, "/")
	q := u.Query()
	for name := range q {
		switch name {
		case "endpoint", "region", "insecure", "path_style":
		default:
			return c, fmt.Errorf("WHEREAS_BLOB_URL: unknown parameter %q; want %s", name, urlHelp)
		}
	}
	if c.endpoint = q.Get("endpoint"); c.endpoint == "" {
		return c, fmt.Errorf("WHEREAS_BLOB_URL names no endpoint (the S3 server's host:port); want %s", urlHelp)
	}
	if strings.Contains(c.endpoint, "/") {
		return c, fmt.Errorf("WHEREAS_BLOB_URL: endpoint=%q: want a host and port only, without a scheme or path (insecure=1 for plain HTTP)", c.endpoint)
	}
	c.region = q.Get("region")
	for _, f := range []struct {
		name string
		dst  *bool
	}{{"insecure", &c.insecure}, {"path_style", &c.pathStyle}} {
		switch v := q.Get(f.name); v {
		case "", "0", "false":
		case "1", "true":
			*f.dst = true
		default:
			return c, fmt.Errorf("WHEREAS_BLOB_URL: %s=%q: want 0 or 1", f.name, v)
		}
	}
	if u.User != nil {
		c.accessKey = u.User.Username()
		c.secretKey, _ = u.User.Password()
	} else {
		c.accessKey, c.secretKey = getenv("AWS_ACCESS_KEY_ID"), getenv("AWS_SECRET_ACCESS_KEY")
		c.sessionToken = getenv("AWS_SESSION_TOKEN")
	}
	if c.accessKey == "" || c.secretKey == "" {
		return c, errors.New("WHEREAS_BLOB_URL: no S3 credentials: set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (or put KEY:SECRET@ before the bucket)")
	}
	return c, nil
}

// S3 keeps blobs as objects in one bucket of S3-compatible object storage, each under
// the store's prefix followed by its key.
type S3 struct {
	client         *minio.Client
	bucket, prefix string
}

// String names the bucket, prefix and server, for the log; never the credentials.
func (s *S3) String() string {
	return fmt.Sprintf("s3://%s/%s at %s", s.bucket, s.prefix, s.client.EndpointURL())
}

func (s *S3) object(key string) string {
	if s.prefix == "" {
		return key
	}
	return path.Join(s.prefix, key)
}

// Put uploads the blob, streaming it (in parts for a large one). A key already held is
// left as it was, as the interface asks, without reading r.
func (s *S3) Put(ctx context.Context, key string, r io.Reader, size int64) error {
	name := s.object(key)
	if _, err := s.client.StatObject(ctx, s.bucket, name, minio.StatObjectOptions{}); err == nil {
		return nil
	} else if !isNotFound(err) {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	// minio reads exactly size bytes; count what it read so a reader shorter than
	// size is refused even where the client would pad or stop quietly.
	cr := &countingReader{r: r}
	_, err := s.client.PutObject(ctx, s.bucket, name, cr, size, minio.PutObjectOptions{ContentType: "application/octet-stream"})
	if err != nil {
		return fmt.Errorf("put blob %s: %w", key, err)
	}
	var extra [1]byte
	if cr.n != size {
		err = fmt.Errorf("put blob %s: got %d bytes, want %d", key, cr.n, size)
	} else if n, _ := io.ReadFull(r, extra[:]); n > 0 {
		err = fmt.Errorf("put blob %s: more than the %d bytes stated", key, size)
	}
	if err != nil {
		// Remove the object stored from a reader that was not what its caller said.
		if derr := s.client.RemoveObject(context.WithoutCancel(ctx), s.bucket, name, minio.RemoveObjectOptions{}); derr != nil {
			err = fmt.Errorf("%w (and removing it: %v)", err, derr)
		}
		return err
	}
	return nil
}

// Open returns the object's bytes. minio's GetObject sends nothing until asked, so Stat
// makes the first request and reveals an absent key before the caller writes anything.
func (s *S3) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, s.object(key), minio.GetObjectOptions{})
	if err != nil {
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	if _, err := obj.Stat(); err != nil {
		obj.Close()
		if isNotFound(err) {
			return nil, ErrNotFound
		}
		return nil, fmt.Errorf("open blob %s: %w", key, err)
	}
	return obj, nil
}

// Delete removes the object; S3 answers an absent key with success, and a server that
// says NoSuchKey instead is taken at its word too.
func (s *S3) Delete(ctx context.Context, key string) error {
	err := s.client.RemoveObject(ctx, s.bucket, s.object(key), minio.RemoveObjectOptions{})
	if err != nil && !isNotFound(err) {
		return fmt.Errorf("delete blob %s: %w", key, err)
	}
	return nil
}

func isNotFound(err error) bool {
	return minio.ToErrorResponse(err).Code == minio.NoSuchKey
}

type countingReader struct {
	r io.Reader
	n int64
}

func (c *countingReader) Read(p []byte) (int, error) {
	n, err := c.r.Read(p)
	c.n += int64(n)
	return n, err
}
