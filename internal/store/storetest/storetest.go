// Package storetest opens real databases for tests: SQLite in a temporary folder and
// PostgreSQL in a fresh schema that is dropped afterwards. A test that runs through Each runs
// once per database.
//
// PostgreSQL is reached at PINGAN_TEST_DATABASE_URL, by default
// postgres://postgres@127.0.0.1:5432/test?sslmode=disable. When it cannot be reached the test
// fails: a skipped database would hide the differences the suite exists to catch.
package storetest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"os"
	"path/filepath"
	"testing"

	"pingan/internal/pii"
	"pingan/internal/store"
)

// DefaultPostgresURL is the database the tests use when PINGAN_TEST_DATABASE_URL is unset.
const DefaultPostgresURL = "postgres://postgres@127.0.0.1:5432/test?sslmode=disable"

// PostgresURL returns the base URL of the test PostgreSQL server.
func PostgresURL() string {
	if u := os.Getenv("PINGAN_TEST_DATABASE_URL"); u != "" {
		return u
	}
	return DefaultPostgresURL
}

// Keys returns a keyring with a fresh random key.
func Keys(t testing.TB) *pii.Keyring {
	key := make([]byte, 32)
	rand.Read(key)
	k, err := pii.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		t.Fatal(err)
	}
	return k
}

// Dialects lists the databases every store test runs on.
var Dialects = []string{"sqlite", "postgres"}

// Each runs fn as a subtest once per database, each with a new, migrated, empty database.
func Each(t *testing.T, fn func(t *testing.T, db *store.DB)) {
	for _, d := range Dialects {
		t.Run(d, func(t *testing.T) {
			fn(t, Open(t, d))
		})
	}
}

// Open returns a new, migrated, empty database of the dialect, closed when the test ends.
func Open(t testing.TB, dialect string) *store.DB {
	t.Helper()
	db, _ := OpenWithOptions(t, dialect, Keys(t))
	return db
}

// OpenWithOptions is Open with a given keyring; it also returns the options used, so that a test
// can open the same database again.
func OpenWithOptions(t testing.TB, dialect string, keys *pii.Keyring) (*store.DB, store.Options) {
	t.Helper()
	opt := store.Options{Keys: keys}
	switch dialect {
	case "sqlite":
		opt.SQLitePath = filepath.Join(t.TempDir(), "pingan.db")
	case "postgres":
		opt.URL = NewPostgresSchema(t)
	default:
		t.Fatalf("unknown dialect %q", dialect)
	}
	db, err := store.Open(context.Background(), opt)
	if err != nil {
		t.Fatalf("open %s: %v", dialect, err)
	}
	t.Cleanup(func() { db.Close() })
	return db, opt
}

// NewPostgresSchema creates an empty schema on the test server, drops it when the test ends, and
// returns a URL whose connections use it.
func NewPostgresSchema(t testing.TB) string {
	t.Helper()
	base := PostgresURL()
	admin, err := sql.Open("pgx", base)
	if err != nil {
		t.Fatalf("postgres: %v", err)
	}
	defer admin.Close()
	if err := admin.PingContext(context.Background()); err != nil {
		t.Fatalf("postgres at %s is not reachable (start it, or set PINGAN_TEST_DATABASE_URL): %v", redact(base), err)
	}
	b := make([]byte, 6)
	rand.Read(b)
	schema := "t_" + hex.EncodeToString(b)
	if _, err := admin.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() {
		c, err := sql.Open("pgx", base)
		if err != nil {
			return
		}
		defer c.Close()
		c.Exec(`DROP SCHEMA ` + schema + ` CASCADE`)
	})
	u, err := url.Parse(base)
	if err != nil {
		t.Fatalf("parse %s: %v", redact(base), err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func redact(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	return u.Redacted()
}
