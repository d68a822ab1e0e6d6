package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"

	"pingan/internal/domain"
)

// errTemplateLocked is returned when a used template's fields would change.
var errTemplateLocked = domain.Conflict("该模板已下发使用，字段不能再修改。如需调整，请复制为新模板后修改。")

func templateWriteError(err error) error {
	if isUniqueViolation(err) {
		return &domain.Error{Kind: domain.KindConflict, Message: "已有同名模板。", Fields: map[string]string{"name": "已有同名模板，请换一个名称。"}, Err: err}
	}
	return err
}

// CreateTemplate stores a report template with its fields, if any, and audits it.
func (db *DB) CreateTemplate(ctx context.Context, actor domain.Actor, t domain.ReportTemplate) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.CreateTemplateTx(ctx, tx, actor, t)
		return err
	})
	return id, err
}

// CreateTemplateTx is CreateTemplate inside a caller's transaction.
func (db *DB) CreateTemplateTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, t domain.ReportTemplate) (int64, error) {
	if err := domain.ValidateTemplate(&t); err != nil {
		return 0, err
	}
	if len(t.Fields) > domain.MaxTemplateFields {
		return 0, domain.Invalid("一个模板最多 200 个字段。")
	}
	now := db.now()
	id, err := insertID(ctx, tx, `INSERT INTO report_templates (town_id, name, description, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, actor.TownID, t.Name, t.Description, nullInt(actor.AccountID), now, now)
	if err != nil {
		return 0, templateWriteError(err)
	}
	for i, f := range t.Fields {
		if err := domain.ValidateField(&f); err != nil {
			return 0, fmt.Errorf("field %d (%s): %w", i+1, f.Label, err)
		}
		if _, err := insertField(ctx, tx, id, i+1, f); err != nil {
			return 0, err
		}
	}
	return id, db.appendAudit(ctx, tx, auditFor(actor, "report.template_create", "report_template", id, domain.OutcomeSuccess, t.Name))
}

func insertField(ctx context.Context, q querier, templateID int64, position int, f domain.ReportField) (int64, error) {
	return insertID(ctx, q, `INSERT INTO report_fields (template_id, position, section, label, kind, required, help, choices)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
		templateID, position, f.Section, f.Label, string(f.Kind), f.Required, f.Help, strings.Join(f.Choices, "\n"))
}

// UpdateTemplate changes the name and description of a template of the actor's town.
func (db *DB) UpdateTemplate(ctx context.Context, actor domain.Actor, t domain.ReportTemplate) error {
	if err := domain.ValidateTemplate(&t); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		if _, err := db.getTemplate(ctx, tx, actor.TownID, t.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_templates SET name = $1, description = $2, updated_at = $3 WHERE id = $4`,
			t.Name, t.Description, db.now(), t.ID); err != nil {
			return templateWriteError(err)
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.template_update", "report_template", t.ID, domain.OutcomeSuccess, t.Name))
	})
}

// GetTemplate loads a template of the actor's town with its fields.
func (db *DB) GetTemplate(ctx context.Context, actor domain.Actor, id int64) (domain.ReportTemplate, error) {
	return db.getTemplate(ctx, db.sql, actor.TownID, id)
}

// GetTemplateTx is GetTemplate inside the caller's transaction.
func (db *DB) GetTemplateTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64) (domain.ReportTemplate, error) {
	return db.getTemplate(ctx, tx, actor.TownID, id)
}

func (db *DB) getTemplate(ctx context.Context, q querier, townID, id int64) (domain.ReportTemplate, error) {
	var t domain.ReportTemplate
	err := q.QueryRowContext(ctx, `SELECT t.id, t.town_id, t.name, t.description, t.created_at, t.updated_at,
		(SELECT COUNT(*) FROM report_assignments a WHERE a.template_id = t.id)
		FROM report_templates t WHERE t.id = $1 AND t.town_id = $2`, id, townID).
		Scan(&t.ID, &t.TownID, &t.Name, &t.Description, &t.CreatedAt, &t.UpdatedAt, &t.Assignments)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.NotFound("报表模板不存在。")
	}
	if err != nil {
		return t, err
	}
	t.Fields, err = templateFields(ctx, q, id)
	return t, err
}

func templateFields(ctx context.Context, q querier, templateID int64) ([]domain.ReportField, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, template_id, position, section, label, kind, required, help, choices
		FROM report_fields WHERE template_id = $1 ORDER BY position, id`, templateID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ReportField
	for rows.Next() {
		var f domain.ReportField
		var kind, choices string
		if err := rows.Scan(&f.ID, &f.TemplateID, &f.Position, &f.Section, &f.Label, &kind, &f.Required, &f.Help, &choices); err != nil {
			return nil, err
		}
		f.Kind = domain.FieldKind(kind)
		if choices != "" {
			f.Choices = strings.Split(choices, "\n")
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// ListTemplates returns the templates of the actor's town by name, without fields.
func (db *DB) ListTemplates(ctx context.Context, actor domain.Actor) ([]domain.ReportTemplate, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT t.id, t.town_id, t.name, t.description, t.created_at, t.updated_at,
		(SELECT COUNT(*) FROM report_assignments a WHERE a.template_id = t.id),
		(SELECT COUNT(*) FROM report_fields f WHERE f.template_id = t.id)
		FROM report_templates t WHERE t.town_id = $1 ORDER BY t.name, t.id`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ReportTemplate
	for rows.Next() {
		var t domain.ReportTemplate
		var fields int
		if err := rows.Scan(&t.ID, &t.TownID, &t.Name, &t.Description, &t.CreatedAt, &t.UpdatedAt, &t.Assignments, &fields); err != nil {
			return nil, err
		}
		t.Fields = make([]domain.ReportField, fields)
		out = append(out, t)
	}
	return out, rows.Err()
}

// editFields runs fn on an unused template of the actor's town and touches its update time.
func (db *DB) editFields(ctx context.Context, actor domain.Actor, templateID int64, fn func(tx *sql.Tx, t domain.ReportTemplate) error) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := db.getTemplate(ctx, tx, actor.TownID, templateID)
		if err != nil {
			return err
		}
		if t.Locked() {
			return errTemplateLocked
		}
		if err := fn(tx, t); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `UPDATE report_templates SET updated_at = $1 WHERE id = $2`, db.now(), templateID)
		return err
	})
}

// AddField appends a field to an unused template and audits it.
func (db *DB) AddField(ctx context.Context, actor domain.Actor, templateID int64, f domain.ReportField) (int64, error) {
	if err := domain.ValidateField(&f); err != nil {
		return 0, err
	}
	var id int64
	err := db.editFields(ctx, actor, templateID, func(tx *sql.Tx, t domain.ReportTemplate) error {
		if len(t.Fields) >= domain.MaxTemplateFields {
			return domain.Invalid("一个模板最多 200 个字段。")
		}
		next := 1
		if len(t.Fields) > 0 {
			next = t.Fields[len(t.Fields)-1].Position + 1
		}
		var err error
		if id, err = insertField(ctx, tx, templateID, next, f); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.field_add", "report_template", templateID, domain.OutcomeSuccess, t.Name+"："+f.Label))
	})
	return id, err
}

func findField(t domain.ReportTemplate, fieldID int64) (int, error) {
	for i, f := range t.Fields {
		if f.ID == fieldID {
			return i, nil
		}
	}
	return 0, domain.NotFound("字段不存在。")
}

// UpdateField changes a field of an unused template and audits it.
func (db *DB) UpdateField(ctx context.Context, actor domain.Actor, templateID int64, f domain.ReportField) error {
	if err := domain.ValidateField(&f); err != nil {
		return err
	}
	return db.editFields(ctx, actor, templateID, func(tx *sql.Tx, t domain.ReportTemplate) error {
		if _, err := findField(t, f.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE report_fields SET section = $1, label = $2, kind = $3, required = $4, help = $5, choices = $6
			WHERE id = $7`, f.Section, f.Label, string(f.Kind), f.Required, f.Help, strings.Join(f.Choices, "\n"), f.ID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.field_update", "report_template", templateID, domain.OutcomeSuccess, t.Name+"："+f.Label))
	})
}

// DeleteField removes a field of an unused template and audits it.
func (db *DB) DeleteField(ctx context.Context, actor domain.Actor, templateID, fieldID int64) error {
	return db.editFields(ctx, actor, templateID, func(tx *sql.Tx, t domain.ReportTemplate) error {
		i, err := findField(t, fieldID)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_fields WHERE id = $1`, fieldID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.field_delete", "report_template", templateID, domain.OutcomeSuccess, t.Name+"："+t.Fields[i].Label))
	})
}

// MoveField moves a field of an unused template one place up (delta -1) or down (delta 1).
func (db *DB) MoveField(ctx context.Context, actor domain.Actor, templateID, fieldID int64, delta int) error {
	return db.editFields(ctx, actor, templateID, func(tx *sql.Tx, t domain.ReportTemplate) error {
		i, err := findField(t, fieldID)
		if err != nil {
			return err
		}
		j := i + delta
		if j < 0 || j >= len(t.Fields) {
			return nil
		}
		t.Fields[i], t.Fields[j] = t.Fields[j], t.Fields[i]
		for k, f := range t.Fields {
			if _, err := tx.ExecContext(ctx, `UPDATE report_fields SET position = $1 WHERE id = $2`, k+1, f.ID); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.field_move", "report_template", templateID, domain.OutcomeSuccess, t.Name+"："+t.Fields[j].Label))
	})
}

// CopyTemplate stores a copy of a template with its fields under a new name, so that a used
// template can be changed as a new one.
func (db *DB) CopyTemplate(ctx context.Context, actor domain.Actor, id int64, name string) (int64, error) {
	var newID int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		t, err := db.getTemplate(ctx, tx, actor.TownID, id)
		if err != nil {
			return err
		}
		t.Name = name
		newID, err = db.CreateTemplateTx(ctx, tx, actor, t)
		return err
	})
	return newID, err
}
