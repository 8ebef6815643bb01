package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/netip"
	"os"
	"strings"
	"time"

	"github.com/whereas/whereas/internal/blob"
	"github.com/whereas/whereas/internal/mail"
	"github.com/whereas/whereas/internal/postgres"
	"github.com/whereas/whereas/internal/server"
)

const serveHelp = `Usage: whereas serve

Serves the web app and the JSON API. On start it applies pending migrations and, when the
database holds no resolution yet, loads the seed resolution (safe across restarts). It
logs one line per request and stops gracefully on SIGINT or SIGTERM: requests in flight
finish, new connections are refused.

Environment (defaults in brackets):
  DATABASE_URL                  PostgreSQL URL (required)
  WHEREAS_ADDR                  listen address [:8080]
  WHEREAS_LOG_FORMAT            text or json [text]
  WHEREAS_DB_MAX_CONNS          connection pool size [10]
  WHEREAS_DB_STATEMENT_TIMEOUT  server-side cap on one SQL statement [5s]
  WHEREAS_DB_WAIT               how long to wait for the database at start [30s]
  WHEREAS_REQUEST_TIMEOUT       cap on one request's work [10s]
  WHEREAS_READ_HEADER_TIMEOUT   time to read request headers [5s]
  WHEREAS_READ_TIMEOUT          time to read a whole request [15s]
  WHEREAS_WRITE_TIMEOUT         time to write a response [30s]
  WHEREAS_IDLE_TIMEOUT          keep-alive idle time [120s]
  WHEREAS_SHUTDOWN_TIMEOUT      grace period for requests in flight at shutdown [20s]
  WHEREAS_MAX_BODY_BYTES        largest request body accepted [1048576]
  WHEREAS_MAX_UPLOAD_BYTES      largest file staff may attach; an upload's body may be
                                this plus 1 MiB for its fields [26214400]
  WHEREAS_PAGE_CACHE_BYTES      memory for rendered public pages, kept while the data is
                                unchanged; 0 turns the cache off [16777216]
  WHEREAS_EXPORT_TIMEOUT        cap on building one export (/dossiers.zip, the CSVs) and on
                                sending it; a build that passes it answers 503 [30m]
  WHEREAS_EXPORT_DIR            where built exports are kept while the data is unchanged
                                (public exports only) [a new folder in the system's
                                temporary folder, removed at exit]
  WHEREAS_PUBLIC_URL            the site's address for absolute links in dossiers and CSV,
                                e.g. https://whereas.example.org [the request's host]
  WHEREAS_SECURE_COOKIES        1 marks the session cookie Secure and sends
                                Strict-Transport-Security; set it when the site is
                                served over TLS (directly or behind a proxy) [0]
  WHEREAS_REQUIRE_2FA           1 sends every staff account without two-factor sign-in
                                to /staff/2fa to set it up before anything else; API
                                tokens are unaffected [0]
  WHEREAS_TRUSTED_PROXIES       reverse proxies (CIDR blocks or addresses, comma-separated)
                                whose X-Forwarded-For names the client, so sign-in is
                                throttled per client, not per proxy; from any other
                                address X-Forwarded-For is ignored [none]
  WHEREAS_METRICS_ADDR          serve /metrics (Prometheus text format) on this address
                                instead of the main one, e.g. 127.0.0.1:9090 to keep it
                                off the public network [on the main address]
  WHEREAS_REPLICA_URL           read replicas of DATABASE_URL (PostgreSQL streaming
                                replicas), comma-separated: anonymous page and API reads
                                go to one that has replayed what they need; writes,
                                sign-in, sessions, tokens and staff pages use the
                                primary [none]
  WHEREAS_REPLICA_MAX_LAG       a replica further behind the primary is skipped, as is
                                one that is down [5s]
  WHEREAS_SMTP_URL              send email (watches, confirmations, the staff's weekly
                                digest) through this SMTP server, e.g.
                                smtp://user:pass@host:587?from=whereas@example.org&tls=starttls
                                (tls=starttls, tls or none); needs WHEREAS_PUBLIC_URL for
                                the links. Unset, nothing is sent: changes wait, unmailed,
                                and are dropped when a day old [none]
  WHEREAS_BLOB_URL              keep attachments' bytes in S3-compatible object storage
                                instead of the database:
                                s3://BUCKET[/PREFIX]?endpoint=HOST:PORT[&region=R]
                                [&insecure=1][&path_style=1], with AWS_ACCESS_KEY_ID and
                                AWS_SECRET_ACCESS_KEY; the bucket must exist [the database]
  WHEREAS_TEST_ENDPOINTS        1 serves /_test/select1 and /_test/sleep for benchmarks
                                and fault tests; never set it in production [0]
`

// serveConfig is everything serve reads from the environment.
type serveConfig struct {
	databaseURL                                  string
	addr, logFormat, publicURL, exportDir        string
	metricsAddr                                  string
	maxConns, maxBodyBytes, pageCacheBytes       int
	maxUploadBytes                               int
	testEndpoints, secureCookies, require2FA     bool
	statementTimeout, dbWait, requestTimeout     time.Duration
	readHeaderTimeout, readTimeout, writeTimeout time.Duration
	idleTimeout, shutdownTimeout, exportTimeout  time.Duration
	trustedProxies                               []netip.Prefix
	replicaURLs                                  []string
	replicaMaxLag                                time.Duration
	smtp                                         *mail.Config // nil: no email is sent
}

func loadServeConfig(getenv func(string) string) (serveConfig, error) {
	c := serveConfig{addr: getenv("WHEREAS_ADDR"), logFormat: getenv("WHEREAS_LOG_FORMAT"), publicURL: strings.TrimSuffix(getenv("WHEREAS_PUBLIC_URL"), "/"),
		exportDir: getenv("WHEREAS_EXPORT_DIR"), metricsAddr: getenv("WHEREAS_METRICS_ADDR")}
	var err error
	if c.databaseURL, err = databaseURL(getenv); err != nil {
		return c, err
	}
	if c.addr == "" {
		c.addr = ":8080"
	}
	switch c.logFormat {
	case "":
		c.logFormat = "text"
	case "text", "json":
	default:
		return c, usageError{fmt.Sprintf("WHEREAS_LOG_FORMAT=%q: want text or json", c.logFormat)}
	}
	if c.maxConns, err = intEnv(getenv, "WHEREAS_DB_MAX_CONNS", 10); err != nil {
		return c, err
	}
	if c.maxBodyBytes, err = intEnv(getenv, "WHEREAS_MAX_BODY_BYTES", 1<<20); err != nil {
		return c, err
	}
	if c.maxUploadBytes, err = intEnv(getenv, "WHEREAS_MAX_UPLOAD_BYTES", server.DefaultMaxUploadBytes); err != nil {
		return c, err
	}
	if v := getenv("WHEREAS_PAGE_CACHE_BYTES"); v == "0" {
		c.pageCacheBytes = 0
	} else if c.pageCacheBytes, err = intEnv(getenv, "WHEREAS_PAGE_CACHE_BYTES", 16<<20); err != nil {
		return c, err
	}
	if c.testEndpoints, err = boolEnv(getenv, "WHEREAS_TEST_ENDPOINTS"); err != nil {
		return c, err
	}
	if c.secureCookies, err = boolEnv(getenv, "WHEREAS_SECURE_COOKIES"); err != nil {
		return c, err
	}
	if c.require2FA, err = boolEnv(getenv, "WHEREAS_REQUIRE_2FA"); err != nil {
		return c, err
	}
	if c.trustedProxies, err = parseTrustedProxies(getenv("WHEREAS_TRUSTED_PROXIES")); err != nil {
		return c, err
	}
	if v := getenv("WHEREAS_SMTP_URL"); v != "" {
		sc, err := mail.ParseURL(v)
		if err != nil {
			return c, usageError{err.Error()}
		}
		if c.publicURL == "" {
			return c, usageError{"WHEREAS_SMTP_URL needs WHEREAS_PUBLIC_URL: emails link to the site by its public address"}
		}
		c.smtp = &sc
	}
	for _, u := range strings.Split(getenv("WHEREAS_REPLICA_URL"), ",") {
		if u = strings.TrimSpace(u); u != "" {
			c.replicaURLs = append(c.replicaURLs, u)
		}
	}
	for _, d := range []struct {
		dst  *time.Duration
		name string
		def  time.Duration
	}{
		{&c.statementTimeout, "WHEREAS_DB_STATEMENT_TIMEOUT", 5 * time.Second},
		{&c.dbWait, "WHEREAS_DB_WAIT", 30 * time.Second},
		{&c.requestTimeout, "WHEREAS_REQUEST_TIMEOUT", 10 * time.Second},
		{&c.readHeaderTimeout, "WHEREAS_READ_HEADER_TIMEOUT", 5 * time.Second},
		{&c.readTimeout, "WHEREAS_READ_TIMEOUT", 15 * time.Second},
		{&c.writeTimeout, "WHEREAS_WRITE_TIMEOUT", 30 * time.Second},
		{&c.idleTimeout, "WHEREAS_IDLE_TIMEOUT", 120 * time.Second},
		{&c.shutdownTimeout, "WHEREAS_SHUTDOWN_TIMEOUT", 20 * time.Second},
		{&c.exportTimeout, "WHEREAS_EXPORT_TIMEOUT", 30 * time.Minute},
		{&c.replicaMaxLag, "WHEREAS_REPLICA_MAX_LAG", 5 * time.Second},
	} {
		if *d.dst, err = durationEnv(getenv, d.name, d.def); err != nil {
			return c, err
		}
	}
	return c, nil
}

func runServe(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	fs := newFlags("serve", serveHelp, stdout)
	if done, err := parseFlags(fs, args); done {
		return err
	}
	cfg, err := loadServeConfig(getenv)
	if err != nil {
		return err
	}
	var log *slog.Logger
	if cfg.logFormat == "json" {
		log = slog.New(slog.NewJSONHandler(stdout, nil))
	} else {
		log = slog.New(slog.NewTextHandler(stdout, nil))
	}

	if err := waitAndMigrate(ctx, cfg.databaseURL, cfg.dbWait, log); err != nil {
		return err
	}
	db, err := postgres.Open(ctx, cfg.databaseURL, postgres.Config{MaxConns: int32(cfg.maxConns), StatementTimeout: cfg.statementTimeout,
		ReplicaURLs: cfg.replicaURLs, ReplicaMaxLag: cfg.replicaMaxLag})
	if err != nil {
		return err
	}
	defer db.Close()
	// Checked before the seed, so a wrong WHEREAS_BLOB_URL stops the start at once.
	blobs, err := openBlobs(ctx, getenv, db)
	if err != nil {
		return err
	}
	if s3, ok := blobs.(*blob.S3); ok {
		log.Info("attachments kept in S3", "store", s3.String())
	}
	if has, err := db.HasResolution(ctx); err != nil {
		return fmt.Errorf("check for data: %w", err)
	} else if !has {
		res, err := loadSeed(ctx, db)
		if err != nil {
			return err
		}
		log.Info("loaded the seed resolution", "clauses", res.Clauses, "people", res.People, "mentions", res.Mentions)
	}

	if err := db.EnsureSearchNames(ctx); err != nil {
		return fmt.Errorf("build the search index: %w", err)
	}
	// Cached pages learn of changes from this watcher's LISTEN connection instead of asking
	// the database on every request; db.Close stops it.
	db.WatchVersion(func(msg string, err error) { log.Warn(msg, "err", err) })
	// The text inside attached PDFs and text files is read apart from the uploads, for search.
	// It stops before the database closes.
	textCtx, stopTexts := context.WithCancel(ctx)
	textsDone := make(chan struct{})
	go func() {
		defer close(textsDone)
		server.ExtractTextsEvery(textCtx, db, blobs, log, 5*time.Second)
	}()
	defer func() { stopTexts(); <-textsDone }()

	exportDir := cfg.exportDir
	if exportDir == "" {
		if exportDir, err = os.MkdirTemp("", "whereas-exports-"); err != nil {
			return fmt.Errorf("export folder: %w", err)
		}
		defer os.RemoveAll(exportDir)
	}
	app, metrics := server.Handlers(db, log, server.Options{
		RequestTimeout: cfg.requestTimeout, MaxBodyBytes: int64(cfg.maxBodyBytes), TestEndpoints: cfg.testEndpoints,
		PageCacheBytes: int64(cfg.pageCacheBytes), SecureCookies: cfg.secureCookies, PublicURL: cfg.publicURL,
		ExportTimeout: cfg.exportTimeout, ExportDir: exportDir, TrustedProxies: cfg.trustedProxies, Require2FA: cfg.require2FA,
		MetricsApart: cfg.metricsAddr != "", MaxUploadBytes: int64(cfg.maxUploadBytes), Blobs: blobs, Mail: cfg.smtp != nil})
	if cfg.smtp != nil {
		// The mail worker stops with the server; what it has not sent stays queued in the
		// database for the next start (or another server).
		mctx, stopMail := context.WithCancel(context.Background())
		mailDone := make(chan struct{})
		sender := mail.NewSender(*cfg.smtp)
		log.Info("sending email", "smtp", sender.Addr())
		go func() {
			defer close(mailDone)
			server.NewMailer(db, log, sender, server.MailerOptions{PublicURL: cfg.publicURL}).Run(mctx)
		}()
		defer func() { stopMail(); <-mailDone }()
	}
	if cfg.metricsAddr != "" {
		mln, err := net.Listen("tcp", cfg.metricsAddr)
		if err != nil {
			return fmt.Errorf("listen on %s (WHEREAS_METRICS_ADDR): %w", cfg.metricsAddr, err)
		}
		msrv := &http.Server{Handler: metrics, ReadHeaderTimeout: cfg.readHeaderTimeout, WriteTimeout: cfg.writeTimeout}
		log.Info("serving metrics", "addr", mln.Addr().String())
		go func() { _ = msrv.Serve(mln) }()
		// Metrics go on answering while requests in flight finish, and stop with the server.
		defer msrv.Close()
	}
	srv := &http.Server{
		Addr:              cfg.addr,
		Handler:           app,
		ReadHeaderTimeout: cfg.readHeaderTimeout,
		ReadTimeout:       cfg.readTimeout,
		WriteTimeout:      cfg.writeTimeout,
		IdleTimeout:       cfg.idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.addr, err)
	}
	log.Info("serving", "addr", ln.Addr().String(), "url", "http://"+displayAddr(ln.Addr()))
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down", "grace", cfg.shutdownTimeout.String())
	sctx, cancel := context.WithTimeout(context.Background(), cfg.shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	if err := <-errc; err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	log.Info("stopped")
	return nil
}

// waitAndMigrate applies migrations, retrying while the database is still starting (as
// under docker compose), for at most wait. A database marked dirty is refused at once, with
// what to check and which command to run: waiting would not change it.
func waitAndMigrate(ctx context.Context, url string, wait time.Duration, log *slog.Logger) error {
	deadline := time.Now().Add(wait)
	for {
		err := postgres.MigrateUp(url)
		if err == nil {
			return nil
		}
		var dirty *postgres.DirtyError
		if errors.As(err, &dirty) {
			return fmt.Errorf("refusing to serve: %w", dirty)
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("database not ready after %s: %w", wait, err)
		}
		log.Warn("database not ready; retrying", "err", err)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(time.Second):
		}
	}
}

func displayAddr(a net.Addr) string {
	tcp, ok := a.(*net.TCPAddr)
	if ok && (tcp.IP.IsUnspecified() || tcp.IP == nil) {
		return fmt.Sprintf("localhost:%d", tcp.Port)
	}
	return a.String()
}

// parseTrustedProxies reads WHEREAS_TRUSTED_PROXIES: CIDR blocks (a bare address counts
// as a block of one) separated by commas or spaces.
func parseTrustedProxies(v string) ([]netip.Prefix, error) {
	var list []netip.Prefix
	for _, f := range strings.FieldsFunc(v, func(r rune) bool { return r == ',' || r == ' ' || r == '\t' || r == '\n' }) {
		if p, err := netip.ParsePrefix(f); err == nil {
			list = append(list, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(f)
		if err != nil {
			return nil, usageError{fmt.Sprintf("WHEREAS_TRUSTED_PROXIES: %q is neither a CIDR block (10.0.0.0/8) nor an address", f)}
		}
		list = append(list, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return list, nil
}

// boolEnv reads 0/1 (or false/true) from the environment; unset is false.
func boolEnv(getenv func(string) string, name string) (bool, error) {
	switch v := getenv(name); v {
	case "", "0", "false":
		return false, nil
	case "1", "true":
		return true, nil
	default:
		return false, usageError{fmt.Sprintf("%s=%q: want 0 or 1", name, v)}
	}
}
