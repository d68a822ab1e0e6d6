// Package config parses pingan's settings from flags and PINGAN_* environment variables, once,
// into a validated Config that is passed down. Flags win over the environment, and the
// environment wins over the defaults.
package config

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Config is the whole start-up configuration of one pingan process.
type Config struct {
	DataDir     string // folder of the SQLite file, uploaded files and the key file
	Listen      string // address of the HTTP server
	DatabaseURL string // postgres:// URL; empty means SQLite in DataDir
	PIIKey      string // base64 master key for personal information; empty means DataDir/keys/pii.key
	// FileStore is "disk" (files under DataDir) or "database" (files in the database, for several
	// instances sharing one PostgreSQL). Empty picks disk for SQLite and database for PostgreSQL.
	FileStore          string
	TrustProxy         bool // take the client address from X-Forwarded-For and the scheme from X-Forwarded-Proto
	LogLevel           slog.Level
	LogFormat          string // "text" or "json"
	AuditRetentionDays int
	Demo               bool // serve: load the demo into an empty data folder first
	DemoUntil          time.Time
	ShutdownTimeout    time.Duration
}

// Env is the environment as a lookup function, so tests pass their own.
type Env func(key string) string

// Defaults returns the configuration of a process with nothing set.
func Defaults() Config {
	return Config{
		DataDir:            "./data",
		Listen:             "127.0.0.1:8080",
		LogLevel:           slog.LevelInfo,
		LogFormat:          "text",
		AuditRetentionDays: 190,
		ShutdownTimeout:    10 * time.Second,
	}
}

// Flags registers the common flags on fs, with defaults taken from env, and returns a function
// that finishes the parse: it reads the flag values into a Config and validates it.
func Flags(fs *flag.FlagSet, env Env) func() (Config, error) {
	c := Defaults()
	str := func(key, def string) string {
		if v := env(key); v != "" {
			return v
		}
		return def
	}
	fs.StringVar(&c.DataDir, "data", str("PINGAN_DATA", c.DataDir), "data folder: the SQLite file, uploaded files, the key file (PINGAN_DATA)")
	fs.StringVar(&c.Listen, "listen", str("PINGAN_LISTEN", c.Listen), "HTTP listen address, host:port (PINGAN_LISTEN)")
	fs.StringVar(&c.DatabaseURL, "database-url", str("PINGAN_DATABASE_URL", ""), "postgres:// URL; empty uses SQLite in the data folder (PINGAN_DATABASE_URL)")
	fs.StringVar(&c.FileStore, "file-store", str("PINGAN_FILE_STORE", ""), "where uploaded files live: disk or database; empty picks by database (PINGAN_FILE_STORE)")
	trust := fs.Bool("trust-proxy", str("PINGAN_TRUST_PROXY", "") == "1" || str("PINGAN_TRUST_PROXY", "") == "true",
		"trust X-Forwarded-For and X-Forwarded-Proto from a reverse proxy (PINGAN_TRUST_PROXY)")
	level := fs.String("log-level", str("PINGAN_LOG_LEVEL", "info"), "debug, info, warn or error (PINGAN_LOG_LEVEL)")
	fs.StringVar(&c.LogFormat, "log-format", str("PINGAN_LOG_FORMAT", c.LogFormat), "text or json (PINGAN_LOG_FORMAT)")
	retention := fs.String("audit-retention-days", str("PINGAN_AUDIT_RETENTION_DAYS", strconv.Itoa(c.AuditRetentionDays)),
		"days audit records are kept, at least 190 (PINGAN_AUDIT_RETENTION_DAYS)")
	c.PIIKey = env("PINGAN_PII_KEY")
	return func() (Config, error) {
		c.TrustProxy = *trust
		if err := c.LogLevel.UnmarshalText([]byte(*level)); err != nil {
			return c, fmt.Errorf("invalid log level %q: use debug, info, warn or error", *level)
		}
		n, err := strconv.Atoi(*retention)
		if err != nil {
			return c, fmt.Errorf("invalid audit retention %q: want a number of days", *retention)
		}
		c.AuditRetentionDays = n
		return c, c.Validate()
	}
}

// Validate checks the configuration and fills in what follows from it.
func (c *Config) Validate() error {
	var errs []error
	if strings.TrimSpace(c.DataDir) == "" {
		errs = append(errs, errors.New("data folder must not be empty"))
	} else {
		c.DataDir = filepath.Clean(c.DataDir)
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil || port == "" {
		errs = append(errs, fmt.Errorf("invalid listen address %q: want host:port, for example 127.0.0.1:8080", c.Listen))
	}
	if c.DatabaseURL != "" && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://") {
		errs = append(errs, errors.New("database URL must start with postgres:// (or be empty for SQLite)"))
	}
	switch c.FileStore {
	case "":
		c.FileStore = "disk"
		if c.DatabaseURL != "" {
			c.FileStore = "database"
		}
	case "disk", "database":
	default:
		errs = append(errs, fmt.Errorf("invalid file store %q: use disk or database", c.FileStore))
	}
	if c.LogFormat != "text" && c.LogFormat != "json" {
		errs = append(errs, fmt.Errorf("invalid log format %q: use text or json", c.LogFormat))
	}
	if c.AuditRetentionDays < 190 {
		errs = append(errs, fmt.Errorf("audit retention of %d days is too short: at least 190", c.AuditRetentionDays))
	}
	return errors.Join(errs...)
}

// SQLitePath returns the SQLite file of the data folder.
func (c Config) SQLitePath() string { return filepath.Join(c.DataDir, "pingan.db") }

// KeyPath returns the path of the personal-information key file.
func (c Config) KeyPath() string { return filepath.Join(c.DataDir, "keys", "pii.key") }

// FilesDir returns the folder of uploaded files on disk.
func (c Config) FilesDir() string { return filepath.Join(c.DataDir, "files") }

// Logger builds the process logger described by the configuration.
func (c Config) Logger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.LogLevel}
	if c.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}
