package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"pingan/internal/domain"
)

// Session is a server-side sign-in session. IDHash is the SHA-256 of the cookie value, so a
// leaked database does not hand out live sessions.
type Session struct {
	IDHash     string
	AccountID  int64
	CreatedAt  time.Time
	LastSeenAt time.Time
	ExpiresAt  time.Time // absolute lifetime
	IP         string
	UserAgent  string
}

func (db *DB) insertSession(ctx context.Context, q querier, s Session) error {
	_, err := q.ExecContext(ctx, `INSERT INTO sessions (id_hash, account_id, created_at, last_seen_at, expires_at, ip, user_agent)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, s.IDHash, s.AccountID, s.CreatedAt.UTC(), s.LastSeenAt.UTC(), s.ExpiresAt.UTC(), s.IP, s.UserAgent)
	return err
}

// SessionAccount loads the session and its account when the session is live at now: not past its
// absolute lifetime, not idle for longer than idle, and its account not disabled. Otherwise it
// deletes the session and returns a KindUnauthorized error.
func (db *DB) SessionAccount(ctx context.Context, idHash string, idle time.Duration) (Session, domain.Account, error) {
	var s Session
	row := db.sql.QueryRowContext(ctx, `SELECT s.id_hash, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.ip, s.user_agent, `+
		accountColumns+` FROM sessions s JOIN accounts a ON a.id = s.account_id JOIN orgs o ON o.id = a.org_id WHERE s.id_hash = $1`, idHash)
	a, err := db.scanAccount(prefixScan{row, []any{&s.IDHash, &s.AccountID, &s.CreatedAt, &s.LastSeenAt, &s.ExpiresAt, &s.IP, &s.UserAgent}})
	if errors.Is(err, sql.ErrNoRows) {
		return s, a, &domain.Error{Kind: domain.KindUnauthorized, Message: "登录已失效，请重新登录。"}
	}
	if err != nil {
		return s, a, err
	}
	now := db.now()
	if a.Disabled || now.After(s.ExpiresAt) || now.Sub(s.LastSeenAt) > idle {
		db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash)
		return s, a, &domain.Error{Kind: domain.KindUnauthorized, Message: "登录已超时，请重新登录。"}
	}
	list := []domain.Account{a}
	if err := db.loadRoles(ctx, db.sql, list); err != nil {
		return s, a, err
	}
	return s, list[0], nil
}

// TouchSession moves the idle clock of a session. Callers throttle it to avoid a write on
// every request.
func (db *DB) TouchSession(ctx context.Context, idHash string) error {
	_, err := db.sql.ExecContext(ctx, `UPDATE sessions SET last_seen_at = $1 WHERE id_hash = $2`, db.now(), idHash)
	return err
}

// DeleteSession ends one session and audits the sign-out.
func (db *DB) DeleteSession(ctx context.Context, actor domain.Actor, idHash string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE id_hash = $1`, idHash); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "auth.sign_out", "account", actor.AccountID, domain.OutcomeSuccess, ""))
	})
}

// DeleteAllSessions ends every session of the actor's account and audits it.
func (db *DB) DeleteAllSessions(ctx context.Context, actor domain.Actor) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, actor.AccountID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "auth.sign_out_all", "account", actor.AccountID, domain.OutcomeSuccess, ""))
	})
}

// DeleteExpiredSessions removes sessions past their lifetime or idle for longer than idle.
func (db *DB) DeleteExpiredSessions(ctx context.Context, idle time.Duration) (int64, error) {
	now := db.now()
	res, err := db.sql.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at < $1 OR last_seen_at < $2`, now, now.Add(-idle))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// CountSessions returns the number of live session rows of an account.
func (db *DB) CountSessions(ctx context.Context, accountID int64) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM sessions WHERE account_id = $1`, accountID).Scan(&n)
	return n, err
}

// prefixScan puts destinations before those the inner scan asks for.
type prefixScan struct {
	row    interface{ Scan(...any) error }
	prefix []any
}

func (p prefixScan) Scan(dest ...any) error { return p.row.Scan(append(p.prefix, dest...)...) }
