package store

import (
	"context"
	"database/sql"
)

type txKey struct{}

// WithTx returns a context that makes the public-service store methods run inside tx instead
// of a transaction of their own. The demo uses it to load its records in the one transaction
// that builds the demo town; requests never do.
func WithTx(ctx context.Context, tx *sql.Tx) context.Context {
	return context.WithValue(ctx, txKey{}, tx)
}

// inTx runs fn in the transaction carried by ctx, or else in a new one.
func (db *DB) inTx(ctx context.Context, fn func(tx *sql.Tx) error) error {
	if tx, ok := ctx.Value(txKey{}).(*sql.Tx); ok && tx != nil {
		return fn(tx)
	}
	return db.Tx(ctx, fn)
}
