package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"pingan/internal/domain"
)

type nullTimeScanner = sql.NullTime

// FileRecord describes one uploaded file. The bytes live in a files.Storage under StorageKey.
type FileRecord struct {
	ID           int64
	TownID       int64
	StorageKey   string
	OriginalName string
	ContentType  string
	Size         int64
	SHA256       string
	CreatedBy    int64
	CreatedAt    time.Time
}

// InsertFile records an uploaded file's metadata.
func (db *DB) InsertFile(ctx context.Context, q querier, f FileRecord) (int64, error) {
	if q == nil {
		q = db.sql
	}
	return insertID(ctx, q, `INSERT INTO files (town_id, storage_key, original_name, content_type, size, sha256, created_by, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		f.TownID, f.StorageKey, f.OriginalName, f.ContentType, f.Size, f.SHA256, nullInt(f.CreatedBy), db.now())
}

// GetFile loads a file record of a town; callers check that the actor may see the record that
// owns the file.
func (db *DB) GetFile(ctx context.Context, townID, id int64) (FileRecord, error) {
	var f FileRecord
	var by sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT id, town_id, storage_key, original_name, content_type, size, sha256, created_by, created_at
		FROM files WHERE id = $1 AND town_id = $2`, id, townID).Scan(&f.ID, &f.TownID, &f.StorageKey, &f.OriginalName, &f.ContentType,
		&f.Size, &f.SHA256, &by, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.NotFound("文件不存在。")
	}
	f.CreatedBy = by.Int64
	return f, err
}

// PutBlob stores the bytes of a file in the database, for deployments whose instances share
// one PostgreSQL and no disk.
func (db *DB) PutBlob(ctx context.Context, key string, data []byte) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO file_blobs (storage_key, data) VALUES ($1, $2)`, key, data)
	return err
}

// Blob returns the bytes stored under key.
func (db *DB) Blob(ctx context.Context, key string) ([]byte, error) {
	var data []byte
	err := db.sql.QueryRowContext(ctx, `SELECT data FROM file_blobs WHERE storage_key = $1`, key).Scan(&data)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, domain.NotFound("文件不存在。")
	}
	return data, err
}

// DeleteBlob removes the bytes stored under key.
func (db *DB) DeleteBlob(ctx context.Context, key string) error {
	_, err := db.sql.ExecContext(ctx, `DELETE FROM file_blobs WHERE storage_key = $1`, key)
	return err
}
