package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pingan/internal/domain"
)

const columnColumns = `id, town_id, COALESCE(parent_id, 0), name, slug, kind, link_url, description, sort_order, visible, update_interval_days, created_at, updated_at`

func scanColumn(row interface{ Scan(...any) error }) (domain.Column, error) {
	var c domain.Column
	var kind string
	err := row.Scan(&c.ID, &c.TownID, &c.ParentID, &c.Name, &c.Slug, &kind, &c.LinkURL, &c.Description, &c.SortOrder,
		&c.Visible, &c.UpdateIntervalDays, &c.CreatedAt, &c.UpdatedAt)
	c.Kind = domain.ColumnKind(kind)
	return c, err
}

func columnWriteError(err error) error {
	if isUniqueViolation(err) {
		return &domain.Error{Kind: domain.KindConflict, Message: "栏目名称或访问路径与已有栏目重复。",
			Fields: map[string]string{"name": "名称和访问路径都不能与已有栏目重复。"}, Err: err}
	}
	return fmt.Errorf("write column: %w", err)
}

// checkColumnParent makes sure a parent column exists in the actor's town and is not the column
// itself or one of its descendants.
func (db *DB) checkColumnParent(ctx context.Context, q querier, actor domain.Actor, c domain.Column) error {
	if c.ParentID == 0 {
		return nil
	}
	for id, depth := c.ParentID, 0; id != 0; depth++ {
		if id == c.ID || depth > 10 {
			return &domain.Error{Kind: domain.KindInvalid, Message: "上级栏目不能是本栏目或其下级。",
				Fields: map[string]string{"parent_id": "请另选上级栏目。"}}
		}
		p, err := db.getColumn(ctx, q, actor.TownID, id)
		if err != nil {
			return &domain.Error{Kind: domain.KindInvalid, Message: "上级栏目不存在。", Fields: map[string]string{"parent_id": "请另选上级栏目。"}}
		}
		id = p.ParentID
	}
	return nil
}

// CreateColumn adds a column to the actor's town and audits it.
func (db *DB) CreateColumn(ctx context.Context, actor domain.Actor, c domain.Column) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.CreateColumnTx(ctx, tx, actor, c)
		return err
	})
	return id, err
}

// CreateColumnTx is CreateColumn inside a caller's transaction.
func (db *DB) CreateColumnTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, c domain.Column) (int64, error) {
	if err := domain.ValidateColumn(&c); err != nil {
		return 0, err
	}
	if err := db.checkColumnParent(ctx, tx, actor, c); err != nil {
		return 0, err
	}
	now := db.now()
	id, err := insertID(ctx, tx, `INSERT INTO columns (town_id, parent_id, name, slug, kind, link_url, description, sort_order, visible, update_interval_days, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id`,
		actor.TownID, nullInt(c.ParentID), c.Name, c.Slug, string(c.Kind), c.LinkURL, c.Description, c.SortOrder, c.Visible, c.UpdateIntervalDays, now, now)
	if err != nil {
		return 0, columnWriteError(err)
	}
	return id, db.appendAudit(ctx, tx, auditFor(actor, "column.create", "column", id, domain.OutcomeSuccess, c.Name))
}

// UpdateColumn changes a column of the actor's town and audits it. Its id, and so the address
// of its articles, stays the same.
func (db *DB) UpdateColumn(ctx context.Context, actor domain.Actor, c domain.Column) error {
	if err := domain.ValidateColumn(&c); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getColumn(ctx, tx, actor.TownID, c.ID)
		if err != nil {
			return err
		}
		if err := db.checkColumnParent(ctx, tx, actor, c); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE columns SET parent_id = $1, name = $2, slug = $3, kind = $4, link_url = $5,
			description = $6, sort_order = $7, visible = $8, update_interval_days = $9, updated_at = $10 WHERE id = $11 AND town_id = $12`,
			nullInt(c.ParentID), c.Name, c.Slug, string(c.Kind), c.LinkURL, c.Description, c.SortOrder, c.Visible, c.UpdateIntervalDays, db.now(),
			c.ID, actor.TownID); err != nil {
			return columnWriteError(err)
		}
		detail := c.Name
		if cur.Name != c.Name {
			detail = cur.Name + " → " + c.Name
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "column.update", "column", c.ID, domain.OutcomeSuccess, detail))
	})
}

func (db *DB) getColumn(ctx context.Context, q querier, townID, id int64) (domain.Column, error) {
	c, err := scanColumn(q.QueryRowContext(ctx, `SELECT `+columnColumns+` FROM columns WHERE id = $1 AND town_id = $2`, id, townID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("栏目不存在。")
	}
	return c, err
}

// GetColumn loads a column of a town.
func (db *DB) GetColumn(ctx context.Context, townID, id int64) (domain.Column, error) {
	return db.getColumn(ctx, db.sql, townID, id)
}

// ColumnBySlug loads a visible column of a town by its path segment.
func (db *DB) ColumnBySlug(ctx context.Context, townID int64, slug string) (domain.Column, error) {
	c, err := scanColumn(db.sql.QueryRowContext(ctx, `SELECT `+columnColumns+` FROM columns WHERE town_id = $1 AND slug = $2 AND visible = TRUE`,
		townID, slug))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("栏目不存在。")
	}
	return c, err
}

// ListColumns returns the columns of a town in display order; hidden ones only when asked.
func (db *DB) ListColumns(ctx context.Context, townID int64, includeHidden bool) ([]domain.Column, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+columnColumns+` FROM columns WHERE town_id = $1 AND (visible = TRUE OR $2)
		ORDER BY sort_order, id`, townID, includeHidden)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Column
	for rows.Next() {
		c, err := scanColumn(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// CreateTopic adds a topic to the actor's town and audits it.
func (db *DB) CreateTopic(ctx context.Context, actor domain.Actor, t domain.Topic) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.CreateTopicTx(ctx, tx, actor, t)
		return err
	})
	return id, err
}

// CreateTopicTx is CreateTopic inside a caller's transaction.
func (db *DB) CreateTopicTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, t domain.Topic) (int64, error) {
	if err := domain.ValidateTopic(&t); err != nil {
		return 0, err
	}
	now := db.now()
	id, err := insertID(ctx, tx, `INSERT INTO topics (town_id, name, description, sort_order, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, actor.TownID, t.Name, t.Description, t.SortOrder, now, now)
	if err != nil {
		return 0, topicWriteError(err)
	}
	return id, db.appendAudit(ctx, tx, auditFor(actor, "topic.create", "topic", id, domain.OutcomeSuccess, t.Name))
}

func topicWriteError(err error) error {
	if isUniqueViolation(err) {
		return &domain.Error{Kind: domain.KindConflict, Message: "已有同名专题。", Fields: map[string]string{"name": "已有同名专题，请换一个名称。"}, Err: err}
	}
	return fmt.Errorf("write topic: %w", err)
}

// UpdateTopic changes a topic of the actor's town and audits it.
func (db *DB) UpdateTopic(ctx context.Context, actor domain.Actor, t domain.Topic) error {
	if err := domain.ValidateTopic(&t); err != nil {
		return err
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE topics SET name = $1, description = $2, sort_order = $3, updated_at = $4
			WHERE id = $5 AND town_id = $6`, t.Name, t.Description, t.SortOrder, db.now(), t.ID, actor.TownID)
		if err != nil {
			return topicWriteError(err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.NotFound("专题不存在。")
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "topic.update", "topic", t.ID, domain.OutcomeSuccess, t.Name))
	})
}

// GetTopic loads a topic of a town.
func (db *DB) GetTopic(ctx context.Context, townID, id int64) (domain.Topic, error) {
	var t domain.Topic
	err := db.sql.QueryRowContext(ctx, `SELECT id, town_id, name, description, sort_order FROM topics WHERE id = $1 AND town_id = $2`,
		id, townID).Scan(&t.ID, &t.TownID, &t.Name, &t.Description, &t.SortOrder)
	if errors.Is(err, sql.ErrNoRows) {
		return t, domain.NotFound("专题不存在。")
	}
	return t, err
}

// ListTopics returns the topics of a town in display order with their counts of public articles
// at now.
func (db *DB) ListTopics(ctx context.Context, townID int64) ([]domain.Topic, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT t.id, t.town_id, t.name, t.description, t.sort_order,
		(SELECT COUNT(*) FROM article_topics x JOIN articles a ON a.id = x.article_id
		 WHERE x.topic_id = t.id AND a.status = 'published' AND a.publish_at <= $2)
		FROM topics t WHERE t.town_id = $1 ORDER BY t.sort_order, t.id`, townID, db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Topic
	for rows.Next() {
		var t domain.Topic
		if err := rows.Scan(&t.ID, &t.TownID, &t.Name, &t.Description, &t.SortOrder, &t.Articles); err != nil {
			return nil, err
		}
		out = append(out, t)
	}
	return out, rows.Err()
}

// TopicsByID returns the topics of the town among ids, in the topics' order, without their
// article counts. An article page needs only the names; counting the articles of every topic
// reads every topic link of the town.
func (db *DB) TopicsByID(ctx context.Context, townID int64, ids []int64) ([]domain.Topic, error) {
	if len(ids) == 0 {
		return nil, nil
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT id, town_id, name, description, sort_order FROM topics
		WHERE town_id = $1 ORDER BY sort_order, id`, townID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Topic
	for rows.Next() {
		var t domain.Topic
		if err := rows.Scan(&t.ID, &t.TownID, &t.Name, &t.Description, &t.SortOrder); err != nil {
			return nil, err
		}
		if want[t.ID] {
			out = append(out, t)
		}
	}
	return out, rows.Err()
}
