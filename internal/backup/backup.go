// Package backup writes a consistent, encrypted copy of a pingan deployment (the database, the
// uploaded files and the personal-information key) while the server runs, and restores it.
//
// The archive is a gzip-compressed tar stream encrypted with age (filippo.io/age) to a
// passphrase or to an age public key, neither of which is stored beside it. SQLite is copied
// with VACUUM INTO, which reads one consistent snapshot; PostgreSQL tables are dumped row by
// row inside one REPEATABLE READ read-only transaction, which sees one snapshot too.
package backup

import (
	"archive/tar"
	"bufio"
	"compress/gzip"
	"context"
	"database/sql"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"filippo.io/age"
)

// Manifest describes an archive; it is the first entry.
type Manifest struct {
	Format        int       `json:"format"`
	CreatedAt     time.Time `json:"created_at"`
	Dialect       string    `json:"dialect"`
	SchemaVersion int       `json:"schema_version"`
	Tables        []string  `json:"tables,omitempty"` // PostgreSQL: dump order, parents first
	KeyIncluded   bool      `json:"key_included"`
}

const (
	manifestName = "pingan-backup.json"
	sqliteName   = "db/pingan.db"
	tablePrefix  = "db/tables/"
	filesPrefix  = "files/"
	keyName      = "keys/pii.key"
)

// Source is what Create copies.
type Source struct {
	DB            *sql.DB
	Dialect       string // "sqlite" or "postgres"
	SchemaVersion int
	DataDir       string // its files/ folder and keys/pii.key are copied when present
}

// Recipient returns the age recipient for a passphrase or an age public key ("age1…").
func Recipient(passphrase, publicKey string) (age.Recipient, error) {
	switch {
	case publicKey != "":
		return age.ParseX25519Recipient(strings.TrimSpace(publicKey))
	case passphrase != "":
		return age.NewScryptRecipient(passphrase)
	}
	return nil, errors.New("give a passphrase file or an age public key")
}

// Identity returns the age identity for a passphrase or an age identity file's contents.
func Identity(passphrase, identityFile string) ([]age.Identity, error) {
	switch {
	case identityFile != "":
		return age.ParseIdentities(strings.NewReader(identityFile))
	case passphrase != "":
		id, err := age.NewScryptIdentity(passphrase)
		if err != nil {
			return nil, err
		}
		return []age.Identity{id}, nil
	}
	return nil, errors.New("give the passphrase file or the age identity file")
}

// Create writes an encrypted archive of src to w.
func Create(ctx context.Context, src Source, w io.Writer, to age.Recipient) (Manifest, error) {
	m := Manifest{Format: 1, CreatedAt: time.Now().UTC(), Dialect: src.Dialect, SchemaVersion: src.SchemaVersion}
	enc, err := age.Encrypt(w, to)
	if err != nil {
		return m, err
	}
	gz := gzip.NewWriter(enc)
	tw := tar.NewWriter(gz)

	var dbWrite func() error
	switch src.Dialect {
	case "sqlite":
		tmp, err := os.MkdirTemp(src.DataDir, ".backup-")
		if err != nil {
			return m, err
		}
		defer os.RemoveAll(tmp)
		copyPath := filepath.Join(tmp, "pingan.db")
		if _, err := src.DB.ExecContext(ctx, `VACUUM INTO `+sqlQuote(copyPath)); err != nil {
			return m, fmt.Errorf("copy sqlite database: %w", err)
		}
		dbWrite = func() error { return addFile(tw, sqliteName, copyPath) }
	case "postgres":
		tables, err := postgresTables(ctx, src.DB)
		if err != nil {
			return m, err
		}
		m.Tables = tables
		dbWrite = func() error { return dumpPostgres(ctx, src.DB, tables, tw) }
	default:
		return m, fmt.Errorf("unknown dialect %q", src.Dialect)
	}

	keyPath := filepath.Join(src.DataDir, "keys", "pii.key")
	_, keyErr := os.Stat(keyPath)
	m.KeyIncluded = keyErr == nil
	if err := addJSON(tw, manifestName, m); err != nil {
		return m, err
	}
	if err := dbWrite(); err != nil {
		return m, err
	}
	if m.KeyIncluded {
		if err := addFile(tw, keyName, keyPath); err != nil {
			return m, err
		}
	}
	filesDir := filepath.Join(src.DataDir, "files")
	err = filepath.WalkDir(filesDir, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) {
			return nil
		}
		if err != nil || d.IsDir() || strings.HasPrefix(d.Name(), ".upload-") {
			return err
		}
		rel, err := filepath.Rel(filesDir, p)
		if err != nil {
			return err
		}
		return addFile(tw, filesPrefix+filepath.ToSlash(rel), p)
	})
	if err != nil {
		return m, err
	}
	if err := tw.Close(); err != nil {
		return m, err
	}
	if err := gz.Close(); err != nil {
		return m, err
	}
	return m, enc.Close()
}

func sqlQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

func addJSON(tw *tar.Writer, name string, v any) error {
	b, err := json.MarshalIndent(v, "", "  ")
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: int64(len(b)), ModTime: time.Now()}); err != nil {
		return err
	}
	_, err = tw.Write(b)
	return err
}

func addFile(tw *tar.Writer, name, path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return err
	}
	if err := tw.WriteHeader(&tar.Header{Name: name, Mode: 0o600, Size: st.Size(), ModTime: st.ModTime()}); err != nil {
		return err
	}
	_, err = io.Copy(tw, f)
	return err
}

// postgresTables lists the tables of the current schema with parents before children, so that
// inserting in this order satisfies every foreign key.
func postgresTables(ctx context.Context, db *sql.DB) ([]string, error) {
	rows, err := db.QueryContext(ctx, `SELECT table_name FROM information_schema.tables
		WHERE table_schema = current_schema() AND table_type = 'BASE TABLE' ORDER BY table_name`)
	if err != nil {
		return nil, err
	}
	var tables []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			rows.Close()
			return nil, err
		}
		tables = append(tables, t)
	}
	rows.Close()
	deps := map[string][]string{}
	rows, err = db.QueryContext(ctx, `SELECT c.conrelid::regclass::text, c.confrelid::regclass::text FROM pg_constraint c
		JOIN pg_namespace n ON n.oid = c.connamespace WHERE c.contype = 'f' AND n.nspname = current_schema()`)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var child, parent string
		if err := rows.Scan(&child, &parent); err != nil {
			rows.Close()
			return nil, err
		}
		child, parent = unqualify(child), unqualify(parent)
		if child != parent {
			deps[child] = append(deps[child], parent)
		}
	}
	rows.Close()
	var order []string
	state := map[string]int{} // 1 visiting, 2 done
	var visit func(t string) error
	visit = func(t string) error {
		switch state[t] {
		case 1:
			return fmt.Errorf("foreign keys form a cycle through %s", t)
		case 2:
			return nil
		}
		state[t] = 1
		for _, p := range deps[t] {
			if err := visit(p); err != nil {
				return err
			}
		}
		state[t] = 2
		order = append(order, t)
		return nil
	}
	for _, t := range tables {
		if err := visit(t); err != nil {
			return nil, err
		}
	}
	return order, nil
}

func unqualify(name string) string {
	if i := strings.LastIndex(name, "."); i >= 0 {
		name = name[i+1:]
	}
	return strings.Trim(name, `"`)
}

// value is one column value in a table dump, with its Go type kept so it restores exactly.
type value struct {
	T string `json:"t"` // "null", "int", "float", "bool", "text", "bytes", "time"
	V any    `json:"v,omitempty"`
}

func encodeValue(v any) value {
	switch x := v.(type) {
	case nil:
		return value{T: "null"}
	case int64:
		return value{T: "int", V: x}
	case int32:
		return value{T: "int", V: int64(x)}
	case float64:
		return value{T: "float", V: x}
	case bool:
		return value{T: "bool", V: x}
	case string:
		return value{T: "text", V: x}
	case []byte:
		return value{T: "bytes", V: base64.StdEncoding.EncodeToString(x)}
	case time.Time:
		return value{T: "time", V: x.UTC().Format(time.RFC3339Nano)}
	default:
		return value{T: "text", V: fmt.Sprint(x)}
	}
}

func decodeValue(v value) (any, error) {
	switch v.T {
	case "null":
		return nil, nil
	case "int":
		f, ok := v.V.(float64)
		if n, isNum := v.V.(json.Number); isNum {
			return n.Int64()
		}
		if !ok {
			return nil, fmt.Errorf("bad int %v", v.V)
		}
		return int64(f), nil
	case "float":
		if n, isNum := v.V.(json.Number); isNum {
			return n.Float64()
		}
		return v.V, nil
	case "bool", "text":
		return v.V, nil
	case "bytes":
		s, _ := v.V.(string)
		return base64.StdEncoding.DecodeString(s)
	case "time":
		s, _ := v.V.(string)
		return time.Parse(time.RFC3339Nano, s)
	}
	return nil, fmt.Errorf("unknown value type %q", v.T)
}

type tableHeader struct {
	Columns []string `json:"columns"`
}

func dumpPostgres(ctx context.Context, db *sql.DB, tables []string, tw *tar.Writer) error {
	tx, err := db.BeginTx(ctx, &sql.TxOptions{Isolation: sql.LevelRepeatableRead, ReadOnly: true})
	if err != nil {
		return err
	}
	defer tx.Rollback()
	for _, t := range tables {
		tmp, err := os.CreateTemp("", "pingan-dump-*")
		if err != nil {
			return err
		}
		err = dumpTable(ctx, tx, t, tmp)
		if err == nil {
			err = addFile(tw, tablePrefix+t+".jsonl", tmp.Name())
		}
		tmp.Close()
		os.Remove(tmp.Name())
		if err != nil {
			return fmt.Errorf("dump %s: %w", t, err)
		}
	}
	return tx.Commit()
}

func dumpTable(ctx context.Context, tx *sql.Tx, table string, w io.Writer) error {
	rows, err := tx.QueryContext(ctx, `SELECT * FROM `+quoteIdent(table)+` ORDER BY 1`)
	if err != nil {
		return err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return err
	}
	bw := bufio.NewWriter(w)
	enc := json.NewEncoder(bw)
	if err := enc.Encode(tableHeader{Columns: cols}); err != nil {
		return err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return err
		}
		row := make([]value, len(cols))
		for i, v := range vals {
			row[i] = encodeValue(v)
		}
		if err := enc.Encode(row); err != nil {
			return err
		}
	}
	if err := rows.Err(); err != nil {
		return err
	}
	return bw.Flush()
}

func quoteIdent(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }
