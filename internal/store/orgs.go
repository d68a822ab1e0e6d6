package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"pingan/internal/domain"
)

const orgColumns = `id, COALESCE(town_id, 0), COALESCE(parent_id, 0), kind, name, code, sort_order, contact, created_at, updated_at`

func scanOrg(row interface{ Scan(...any) error }) (domain.Org, error) {
	var o domain.Org
	var kind string
	err := row.Scan(&o.ID, &o.TownID, &o.ParentID, &kind, &o.Name, &o.Code, &o.SortOrder, &o.Contact, &o.CreatedAt, &o.UpdatedAt)
	o.Kind = domain.OrgKind(kind)
	return o, err
}

// CreateRootOrg inserts a county or town without a parent in scope, for installation and the
// demo. A town becomes its own town; a county has none.
func (db *DB) CreateRootOrg(ctx context.Context, q querier, o domain.Org) (int64, error) {
	if q == nil {
		q = db.sql
	}
	if err := domain.ValidateOrg(&o); err != nil {
		return 0, err
	}
	now := db.now()
	id, err := insertID(ctx, q, `INSERT INTO orgs (town_id, parent_id, kind, name, code, sort_order, contact, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		nullInt(o.TownID), nullInt(o.ParentID), string(o.Kind), o.Name, o.Code, o.SortOrder, o.Contact, now, now)
	if err != nil {
		return 0, orgWriteError(err)
	}
	if o.Kind == domain.OrgTown {
		if _, err := q.ExecContext(ctx, `UPDATE orgs SET town_id = $1 WHERE id = $1`, id); err != nil {
			return 0, err
		}
	}
	return id, nil
}

func orgWriteError(err error) error {
	if isUniqueViolation(err) {
		return &domain.Error{Kind: domain.KindConflict, Message: "同一上级下已有同名组织。",
			Fields: map[string]string{"name": "同一上级下已有同名组织，请换一个名称。"}, Err: err}
	}
	return fmt.Errorf("write org: %w", err)
}

// CreateOrg adds an organization under a parent within the actor's town and records the audit
// entry in the same transaction.
func (db *DB) CreateOrg(ctx context.Context, actor domain.Actor, o domain.Org) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.CreateOrgTx(ctx, tx, actor, o)
		return err
	})
	return id, err
}

// CreateOrgTx is CreateOrg inside a caller's transaction.
func (db *DB) CreateOrgTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, o domain.Org) (int64, error) {
	if err := domain.ValidateOrg(&o); err != nil {
		return 0, err
	}
	parent, err := db.getOrg(ctx, tx, actor, o.ParentID)
	if err != nil {
		return 0, &domain.Error{Kind: domain.KindInvalid, Message: "上级组织不存在。", Fields: map[string]string{"parent_id": "请选择上级组织。"}}
	}
	if !domain.CanParent(parent.Kind, o.Kind) {
		return 0, &domain.Error{Kind: domain.KindInvalid, Message: "组织类型与上级不匹配。",
			Fields: map[string]string{"kind": parent.Kind.Label() + "下不能设" + o.Kind.Label() + "。"}}
	}
	now := db.now()
	id, err := insertID(ctx, tx, `INSERT INTO orgs (town_id, parent_id, kind, name, code, sort_order, contact, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
		parent.TownID, parent.ID, string(o.Kind), o.Name, o.Code, o.SortOrder, o.Contact, now, now)
	if err != nil {
		return 0, orgWriteError(err)
	}
	if err := db.appendAudit(ctx, tx, auditFor(actor, "org.create", "org", id, domain.OutcomeSuccess, o.Name)); err != nil {
		return 0, err
	}
	return id, nil
}

// UpdateOrg changes the name, code, order and contact of an organization in the actor's town.
// Its kind and parent stay as they are.
func (db *DB) UpdateOrg(ctx context.Context, actor domain.Actor, o domain.Org) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getOrg(ctx, tx, actor, o.ID)
		if err != nil {
			return err
		}
		o.Kind = cur.Kind
		if err := domain.ValidateOrg(&o); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE orgs SET name = $1, code = $2, sort_order = $3, contact = $4, updated_at = $5
			WHERE id = $6`, o.Name, o.Code, o.SortOrder, o.Contact, db.now(), o.ID); err != nil {
			return orgWriteError(err)
		}
		detail := cur.Name
		if cur.Name != o.Name {
			detail = cur.Name + " → " + o.Name
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "org.update", "org", o.ID, domain.OutcomeSuccess, detail))
	})
}

// DeleteOrg removes an organization that has no children, accounts or other records.
func (db *DB) DeleteOrg(ctx context.Context, actor domain.Actor, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		o, err := db.getOrg(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if o.Kind == domain.OrgTown || o.ParentID == 0 {
			return domain.Conflict("不能删除镇（街道）本身。")
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT (SELECT COUNT(*) FROM orgs WHERE parent_id = $1) + (SELECT COUNT(*) FROM accounts WHERE org_id = $1)`, id).Scan(&n); err != nil {
			return err
		}
		if n > 0 {
			return domain.Conflict("“" + o.Name + "”下还有下级组织或账号，请先移走或删除它们。")
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM orgs WHERE id = $1`, id); err != nil {
			if isForeignKeyViolation(err) {
				return domain.Conflict("“" + o.Name + "”已有业务记录，不能删除。")
			}
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "org.delete", "org", id, domain.OutcomeSuccess, o.Name))
	})
}

// GetOrg loads an organization of the actor's town; others are not found.
func (db *DB) GetOrg(ctx context.Context, actor domain.Actor, id int64) (domain.Org, error) {
	return db.getOrg(ctx, db.sql, actor, id)
}

func (db *DB) getOrg(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.Org, error) {
	o, err := scanOrg(q.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE id = $1 AND town_id = $2`, id, actor.TownID))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound("组织不存在。")
	}
	return o, err
}

// ListOrgs returns every organization of the actor's town, ordered for the tree.
func (db *DB) ListOrgs(ctx context.Context, actor domain.Actor) ([]domain.Org, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE town_id = $1 ORDER BY sort_order, id`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// TownOrgs returns every organization of a town by id, for background work with no actor.
func (db *DB) TownOrgs(ctx context.Context, townID int64) ([]domain.Org, error) {
	return db.ListOrgs(ctx, domain.Actor{TownID: townID})
}

// Towns returns every town of the deployment.
func (db *DB) Towns(ctx context.Context) ([]domain.Org, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE kind = $1 ORDER BY id`, string(domain.OrgTown))
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// FirstTown returns the first town, which serves the public site of a single-town deployment.
func (db *DB) FirstTown(ctx context.Context) (domain.Org, error) {
	o, err := scanOrg(db.sql.QueryRowContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE kind = $1 ORDER BY id LIMIT 1`, string(domain.OrgTown)))
	if errors.Is(err, sql.ErrNoRows) {
		return o, domain.NotFound("尚未建立镇（街道）。")
	}
	return o, err
}

// CountOrgs returns how many organizations the actor's town has.
func (db *DB) CountOrgs(ctx context.Context, actor domain.Actor) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE town_id = $1`, actor.TownID).Scan(&n)
	return n, err
}

func idString(id int64) string { return strconv.FormatInt(id, 10) }
