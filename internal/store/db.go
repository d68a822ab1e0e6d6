// Package store is the only package that speaks SQL. It keeps one copy of each query in the
// subset that both SQLite (modernc.org/sqlite, pure Go) and PostgreSQL (pgx) accept; the few real
// differences live in dialect.go. Every method takes ctx first, every owned row carries its town,
// and methods that list or load owned rows take the acting account and filter by its scope.
package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" driver
	_ "modernc.org/sqlite"             // registers the "sqlite" driver

	"pingan/internal/pii"
)

// DB is the database of one pingan deployment. It is safe for concurrent use.
type DB struct {
	sql     *sql.DB
	dialect dialect
	keys    *pii.Keyring
	// Now returns the current time; tests replace it to move the clock.
	Now func() time.Time
}

// Options configure Open.
type Options struct {
	// URL is a postgres:// URL; when empty, SQLite at SQLitePath is used.
	URL        string
	SQLitePath string
	Keys       *pii.Keyring
}

// Open connects to the database and applies pending migrations.
func Open(ctx context.Context, opt Options) (*DB, error) {
	db := &DB{keys: opt.Keys, Now: func() time.Time { return time.Now().UTC() }}
	var err error
	switch {
	case strings.HasPrefix(opt.URL, "postgres://") || strings.HasPrefix(opt.URL, "postgresql://"):
		db.dialect = postgresDialect
		db.sql, err = sql.Open("pgx", opt.URL)
		if err != nil {
			return nil, fmt.Errorf("open postgres: %w", err)
		}
		db.sql.SetMaxOpenConns(20)
		db.sql.SetMaxIdleConns(10)
		db.sql.SetConnMaxIdleTime(5 * time.Minute)
	case opt.URL == "":
		db.dialect = sqliteDialect
		if err := os.MkdirAll(filepath.Dir(opt.SQLitePath), 0o700); err != nil {
			return nil, fmt.Errorf("create data folder: %w", err)
		}
		db.sql, err = sql.Open("sqlite", sqliteDSN(opt.SQLitePath))
		if err != nil {
			return nil, fmt.Errorf("open sqlite: %w", err)
		}
		// WAL lets readers run beside the one writer; writers queue on the busy timeout.
		db.sql.SetMaxOpenConns(8)
		db.sql.SetMaxIdleConns(8)
	default:
		return nil, errors.New("database URL must start with postgres:// or be empty for SQLite")
	}
	if err := db.sql.PingContext(ctx); err != nil {
		db.sql.Close()
		return nil, fmt.Errorf("connect to %s database: %w", db.dialect.name, err)
	}
	if err := db.migrate(ctx); err != nil {
		db.sql.Close()
		return nil, err
	}
	return db, nil
}

// sqliteDSN sets the pragmas in the DSN so that every pooled connection gets them, and makes
// every transaction BEGIN IMMEDIATE so that a writer takes the lock up front instead of failing
// with SQLITE_BUSY halfway through.
func sqliteDSN(path string) string {
	q := url.Values{}
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "busy_timeout(10000)")
	q.Add("_pragma", "synchronous(FULL)")
	q.Add("_pragma", "mmap_size(1073741824)")
	q.Set("_txlock", "immediate")
	q.Set("_time_format", "sqlite")
	return "file:" + path + "?" + q.Encode()
}

// Close closes the connection pool.
func (db *DB) Close() error { return db.sql.Close() }

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Ping reports whether the database answers.
func (db *DB) Ping(ctx context.Context) error { return db.sql.PingContext(ctx) }

// SQL returns the underlying pool for packages that add their own tables in later migrations.
func (db *DB) SQL() *sql.DB { return db.sql }

// Keys returns the keyring that encrypts personal information.
func (db *DB) Keys() *pii.Keyring { return db.keys }

// now returns the current time in UTC, truncated to microseconds so that a value read back from
// PostgreSQL equals the value written.
func (db *DB) now() time.Time { return db.Now().UTC().Truncate(time.Microsecond) }

type querier interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// Tx runs fn in a transaction, committing when fn returns nil and rolling back otherwise.
func (db *DB) Tx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin transaction: %w", err)
	}
	if err := fn(tx); err != nil {
		tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// insertID runs an INSERT … RETURNING id and returns the id.
func insertID(ctx context.Context, q querier, query string, args ...any) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, query, args...).Scan(&id)
	return id, err
}

func nullTime(t time.Time) sql.NullTime {
	if t.IsZero() {
		return sql.NullTime{}
	}
	return sql.NullTime{Time: t.UTC(), Valid: true}
}

func nullInt(v int64) sql.NullInt64 {
	if v == 0 {
		return sql.NullInt64{}
	}
	return sql.NullInt64{Int64: v, Valid: true}
}

// IsEmpty reports whether the database holds no organization yet: a new installation.
func (db *DB) IsEmpty(ctx context.Context) (bool, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n); err != nil {
		return false, err
	}
	return n == 0, nil
}

// Meta returns the value stored under key in the meta table, or "" when there is none.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.sql.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = $1`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta stores value under key in the meta table.
func (db *DB) SetMeta(ctx context.Context, q querier, key, value string) error {
	if q == nil {
		q = db.sql
	}
	_, err := q.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ($1, $2)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}

// txOr runs fn in outer when it is given, so that a caller's transaction (the demo's, for
// example) can include the operation, and otherwise in a new transaction.
func (db *DB) txOr(ctx context.Context, outer *sql.Tx, fn func(tx *sql.Tx) error) error {
	if outer != nil {
		return fn(outer)
	}
	return db.Tx(ctx, fn)
}
