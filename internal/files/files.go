// Package files stores the bytes of uploaded files behind one interface: on disk in the data
// folder by default, or in the database when several instances share one PostgreSQL.
package files

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
)

// Storage keeps file bytes under generated keys. Implementations are safe for concurrent use.
type Storage interface {
	// Put stores data under key; key comes from NewKey and is never a user's file name.
	Put(ctx context.Context, key string, data []byte) error
	// Open returns the bytes stored under key.
	Open(ctx context.Context, key string) (io.ReadCloser, error)
	Delete(ctx context.Context, key string) error
}

// NewKey returns a fresh storage key with the given extension, such as ".jpg", spread over 256
// folders: "ab/abcdef….jpg".
func NewKey(ext string) string {
	b := make([]byte, 16)
	rand.Read(b)
	h := hex.EncodeToString(b)
	ext = strings.ToLower(ext)
	if len(ext) > 6 || strings.ContainsAny(ext, `/\`) {
		ext = ""
	}
	return h[:2] + "/" + h + ext
}

func validKey(key string) error {
	if key == "" || strings.Contains(key, "..") || strings.HasPrefix(key, "/") || strings.Contains(key, `\`) {
		return fmt.Errorf("invalid storage key %q", key)
	}
	return nil
}

// Disk stores files under a folder.
type Disk struct{ Dir string }

// Put writes data to a temporary file and renames it into place, so a reader never sees half a file.
func (d Disk) Put(_ context.Context, key string, data []byte) error {
	if err := validKey(key); err != nil {
		return err
	}
	path := filepath.Join(d.Dir, filepath.FromSlash(key))
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), ".upload-*")
	if err != nil {
		return err
	}
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		os.Remove(tmp.Name())
		return err
	}
	if err := tmp.Close(); err != nil {
		os.Remove(tmp.Name())
		return err
	}
	return os.Rename(tmp.Name(), path)
}

// Open opens the file stored under key.
func (d Disk) Open(_ context.Context, key string) (io.ReadCloser, error) {
	if err := validKey(key); err != nil {
		return nil, err
	}
	return os.Open(filepath.Join(d.Dir, filepath.FromSlash(key)))
}

// Delete removes the file stored under key; a missing file is not an error.
func (d Disk) Delete(_ context.Context, key string) error {
	if err := validKey(key); err != nil {
		return err
	}
	err := os.Remove(filepath.Join(d.Dir, filepath.FromSlash(key)))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	return err
}

// BlobStore is the part of the store that keeps file bytes in the database.
type BlobStore interface {
	PutBlob(ctx context.Context, key string, data []byte) error
	Blob(ctx context.Context, key string) ([]byte, error)
	DeleteBlob(ctx context.Context, key string) error
}

// Database stores files in the database through a BlobStore.
type Database struct{ Store BlobStore }

// Put stores data under key in the database.
func (d Database) Put(ctx context.Context, key string, data []byte) error {
	if err := validKey(key); err != nil {
		return err
	}
	return d.Store.PutBlob(ctx, key, data)
}

// Open returns the bytes stored under key.
func (d Database) Open(ctx context.Context, key string) (io.ReadCloser, error) {
	data, err := d.Store.Blob(ctx, key)
	if err != nil {
		return nil, err
	}
	return io.NopCloser(bytes.NewReader(data)), nil
}

// Delete removes the bytes stored under key.
func (d Database) Delete(ctx context.Context, key string) error { return d.Store.DeleteBlob(ctx, key) }
