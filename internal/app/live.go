package app

import (
	"context"
	"fmt"
	"log/slog"

	"pingan/internal/live"
)

// openHub picks the live hub for the database: PostgreSQL LISTEN/NOTIFY when several instances
// may share it, the in-process hub for SQLite, which serves one instance.
func openHub(ctx context.Context, e *env, log *slog.Logger) (live.Hub, error) {
	if e.db.Dialect() != "postgres" {
		return live.NewLocal(), nil
	}
	hub, err := live.NewPostgres(ctx, e.cfg.DatabaseURL, e.db.SQL(), log)
	if err != nil {
		return nil, fmt.Errorf("start live hub: %w", err)
	}
	return hub, nil
}
