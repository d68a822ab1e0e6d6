package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"strings"

	"filippo.io/age"
)

// Target is the destination of Restore.
type Target struct {
	DataDir string // receives pingan.db (SQLite), files/ and keys/pii.key
	// OpenPostgres, for a PostgreSQL archive, returns a migrated, empty database to fill.
	OpenPostgres func(ctx context.Context) (*sql.DB, error)
}

// Restore decrypts an archive and writes it into an empty target. It refuses a data folder
// that already holds a database, and a PostgreSQL database that already holds organizations.
func Restore(ctx context.Context, r io.Reader, ids []age.Identity, t Target) (Manifest, error) {
	var m Manifest
	if _, err := os.Stat(filepath.Join(t.DataDir, "pingan.db")); err == nil {
		return m, fmt.Errorf("data folder %s already contains a database: restore into an empty folder", t.DataDir)
	}
	dec, err := age.Decrypt(r, ids...)
	if err != nil {
		return m, fmt.Errorf("decrypt backup (wrong passphrase or key?): %w", err)
	}
	gz, err := gzip.NewReader(dec)
	if err != nil {
		return m, fmt.Errorf("read backup: %w", err)
	}
	tr := tar.NewReader(gz)
	var pg *sql.DB
	first := true
	for {
		h, err := tr.Next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return m, fmt.Errorf("read backup: %w", err)
		}
		name := path.Clean(h.Name)
		if strings.HasPrefix(name, "/") || strings.HasPrefix(name, "..") {
			return m, fmt.Errorf("backup entry %q escapes the data folder", h.Name)
		}
		if first {
			if name != manifestName {
				return m, errors.New("not a pingan backup: the manifest is missing")
			}
			if err := json.NewDecoder(tr).Decode(&m); err != nil {
				return m, fmt.Errorf("read manifest: %w", err)
			}
			if m.Format != 1 {
				return m, fmt.Errorf("backup format %d is not supported by this version", m.Format)
			}
			first = false
			if m.Dialect == "postgres" {
				if t.OpenPostgres == nil {
					return m, errors.New("this backup is of a PostgreSQL database: give --database-url of an empty database")
				}
				if pg, err = t.OpenPostgres(ctx); err != nil {
					return m, err
				}
				var n int
				if err := pg.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs`).Scan(&n); err != nil {
					return m, err
				}
				if n > 0 {
					return m, errors.New("the target PostgreSQL database already contains data: restore into an empty one")
				}
				// Migrations seed some tables (the holiday calendar); the dump holds those rows too.
				if err := emptyTables(ctx, pg, m.Tables); err != nil {
					return m, err
				}
			}
			continue
		}
		switch {
		case name == sqliteName:
			err = writeFile(filepath.Join(t.DataDir, "pingan.db"), tr)
		case name == keyName:
			err = writeFile(filepath.Join(t.DataDir, "keys", "pii.key"), tr)
		case strings.HasPrefix(name, filesPrefix):
			err = writeFile(filepath.Join(t.DataDir, "files", filepath.FromSlash(strings.TrimPrefix(name, filesPrefix))), tr)
		case strings.HasPrefix(name, tablePrefix):
			if pg == nil {
				return m, errors.New("table dump in a backup that is not of PostgreSQL")
			}
			err = loadTable(ctx, pg, strings.TrimSuffix(strings.TrimPrefix(name, tablePrefix), ".jsonl"), tr)
		}
		if err != nil {
			return m, fmt.Errorf("restore %s: %w", name, err)
		}
	}
	if first {
		return m, errors.New("not a pingan backup: it is empty")
	}
	if pg != nil {
		if err := resetSequences(ctx, pg, m.Tables); err != nil {
			return m, err
		}
	}
	return m, nil
}

func writeFile(p string, r io.Reader) error {
	if err := os.MkdirAll(filepath.Dir(p), 0o700); err != nil {
		return err
	}
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(f, r); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// skipTables are filled by migrations on the target, not by the dump.
var skipTables = map[string]bool{"schema_migrations": true}

func loadTable(ctx context.Context, db *sql.DB, table string, r io.Reader) error {
	if skipTables[table] {
		return nil
	}
	dec := json.NewDecoder(bufio.NewReader(r))
	dec.UseNumber()
	var h tableHeader
	if err := dec.Decode(&h); err != nil {
		return err
	}
	cols := make([]string, len(h.Columns))
	marks := make([]string, len(h.Columns))
	for i, c := range h.Columns {
		cols[i] = quoteIdent(c)
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	query := `INSERT INTO ` + quoteIdent(table) + ` (` + strings.Join(cols, ", ") + `) OVERRIDING SYSTEM VALUE VALUES (` + strings.Join(marks, ", ") + `)`
	tx, err := db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	// The dump is ordered by the first column (the id), so a row that references an earlier row
	// of its own table, such as an organization's parent, arrives after it.
	for {
		var row []value
		err := dec.Decode(&row)
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return err
		}
		args := make([]any, len(row))
		for i, v := range row {
			if args[i], err = decodeValue(v); err != nil {
				return err
			}
		}
		if _, err := tx.ExecContext(ctx, query, args...); err != nil {
			return err
		}
	}
	return tx.Commit()
}

func resetSequences(ctx context.Context, db *sql.DB, tables []string) error {
	for _, t := range tables {
		var seq sql.NullString
		if err := db.QueryRowContext(ctx, `SELECT pg_get_serial_sequence($1, 'id')`, t).Scan(&seq); err != nil {
			continue // the table has no id column
		}
		if !seq.Valid {
			continue
		}
		if _, err := db.ExecContext(ctx, `SELECT setval($1, COALESCE((SELECT MAX(id) FROM `+quoteIdent(t)+`), 0) + 1, false)`, seq.String); err != nil {
			return fmt.Errorf("reset sequence of %s: %w", t, err)
		}
	}
	return nil
}

// emptyTables removes the rows that migrations seeded in a new database, so that the dump's
// copy of them can be inserted. The caller has checked that the database holds no user data.
func emptyTables(ctx context.Context, db *sql.DB, tables []string) error {
	var names []string
	for _, t := range tables {
		if !skipTables[t] {
			names = append(names, quoteIdent(t))
		}
	}
	if len(names) == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, `TRUNCATE `+strings.Join(names, ", ")); err != nil {
		return fmt.Errorf("empty the target tables: %w", err)
	}
	return nil
}
