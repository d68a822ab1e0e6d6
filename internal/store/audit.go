package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pingan/internal/domain"
)

func auditFor(actor domain.Actor, action, objectType string, objectID int64, outcome, detail string) domain.AuditEntry {
	oid := ""
	if objectID != 0 {
		oid = idString(objectID)
	}
	return domain.AuditEntry{TownID: actor.TownID, ActorID: actor.AccountID, ActorName: actor.Name, IP: actor.IP,
		Action: action, ObjectType: objectType, ObjectID: oid, Outcome: outcome, Detail: detail}
}

// AuditFor builds an audit entry for an action of actor on an object, for callers outside the
// store that record actions with no other write.
func AuditFor(actor domain.Actor, action, objectType string, objectID int64, outcome, detail string) domain.AuditEntry {
	return auditFor(actor, action, objectType, objectID, outcome, detail)
}

func (db *DB) appendAudit(ctx context.Context, q querier, e domain.AuditEntry) error {
	if e.At.IsZero() {
		e.At = db.now()
	}
	e.Detail = domain.TruncateChars(e.Detail, 500)
	_, err := q.ExecContext(ctx, `INSERT INTO audit_log (town_id, at, actor_id, actor_name, ip, action, object_type, object_id, outcome, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
		nullInt(e.TownID), e.At.UTC(), nullInt(e.ActorID), e.ActorName, e.IP, e.Action, e.ObjectType, e.ObjectID, e.Outcome, e.Detail)
	if err != nil {
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return nil
}

// AppendAudit records one audit entry on its own.
func (db *DB) AppendAudit(ctx context.Context, e domain.AuditEntry) error {
	return db.appendAudit(ctx, db.sql, e)
}

// AppendAuditTx records one audit entry inside a caller's transaction.
func (db *DB) AppendAuditTx(ctx context.Context, q querier, e domain.AuditEntry) error {
	return db.appendAudit(ctx, q, e)
}

func (db *DB) auditWhere(actor domain.Actor, f domain.AuditFilter) (string, []any) {
	where := []string{"town_id = $1"}
	args := []any{actor.TownID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if !f.From.IsZero() {
		add("at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("at < ?", f.To.UTC())
	}
	if s := strings.TrimSpace(f.ActorName); s != "" {
		args = append(args, escapeLike(s))
		where = append(where, db.dialect.containsFold("actor_name", fmt.Sprintf("$%d", len(args))))
	}
	if f.Action != "" {
		add("action = ?", f.Action)
	}
	if f.ObjectType != "" {
		add("object_type = ?", f.ObjectType)
	}
	if f.ObjectID != "" {
		add("object_id = ?", f.ObjectID)
	}
	if f.Outcome != "" {
		add("outcome = ?", f.Outcome)
	}
	if f.IP != "" {
		add("ip = ?", f.IP)
	}
	return " WHERE " + strings.Join(where, " AND "), args
}

// ListAudit returns one page of the actor's town's audit trail, newest first, and the total.
func (db *DB) ListAudit(ctx context.Context, actor domain.Actor, f domain.AuditFilter, page Page) ([]domain.AuditEntry, int, error) {
	cond, args := db.auditWhere(actor, f)
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM audit_log`+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	out, err := db.queryAudit(ctx, `SELECT id, COALESCE(town_id, 0), at, COALESCE(actor_id, 0), actor_name, ip, action, object_type, object_id, outcome, detail
		FROM audit_log`+cond+` ORDER BY at DESC, id DESC`+limit, args...)
	return out, total, err
}

// ExportAudit returns at most limit entries of the actor's town's audit trail, newest first.
func (db *DB) ExportAudit(ctx context.Context, actor domain.Actor, f domain.AuditFilter, limit int) ([]domain.AuditEntry, error) {
	cond, args := db.auditWhere(actor, f)
	args = append(args, limit)
	return db.queryAudit(ctx, `SELECT id, COALESCE(town_id, 0), at, COALESCE(actor_id, 0), actor_name, ip, action, object_type, object_id, outcome, detail
		FROM audit_log`+cond+fmt.Sprintf(` ORDER BY at DESC, id DESC LIMIT $%d`, len(args)), args...)
}

func (db *DB) queryAudit(ctx context.Context, query string, args ...any) ([]domain.AuditEntry, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.AuditEntry
	for rows.Next() {
		var e domain.AuditEntry
		if err := rows.Scan(&e.ID, &e.TownID, &e.At, &e.ActorID, &e.ActorName, &e.IP, &e.Action, &e.ObjectType, &e.ObjectID, &e.Outcome, &e.Detail); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// AuditActions returns the distinct actions recorded in the actor's town, for the filter list.
func (db *DB) AuditActions(ctx context.Context, actor domain.Actor) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT action FROM audit_log WHERE town_id = $1 ORDER BY action`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var a string
		if err := rows.Scan(&a); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// PurgeAudit deletes audit records older than retentionDays, which is at least the minimum the
// database triggers enforce.
func (db *DB) PurgeAudit(ctx context.Context, retentionDays int) (int64, error) {
	if retentionDays < domain.MinAuditRetentionDays {
		retentionDays = domain.MinAuditRetentionDays
	}
	// One extra day keeps the cutoff clear of the trigger's own clock.
	cutoff := db.now().Add(-time.Duration(retentionDays+1) * 24 * time.Hour)
	res, err := db.sql.ExecContext(ctx, `DELETE FROM audit_log WHERE at < $1`, cutoff)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
