package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"pingan/internal/domain"
)

// The kinds of record that own coordination attachments.
const (
	AttachNotice     = "notice"
	AttachFeedback   = "notice_feedback"
	AttachInfoReport = "info_report"
	AttachMessage    = "wg_message"
)

// attachFilesTx records uploaded files and links them to their owner, in the caller's
// transaction. The bytes are already in storage under each record's StorageKey.
func (db *DB) attachFilesTx(ctx context.Context, tx *sql.Tx, townID int64, ownerType string, ownerID int64, list []FileRecord) error {
	for i, f := range list {
		f.TownID = townID
		id, err := db.InsertFile(ctx, tx, f)
		if err != nil {
			return fmt.Errorf("insert file %s: %w", f.OriginalName, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO coord_attachments (owner_type, owner_id, file_id, position) VALUES ($1, $2, $3, $4)`,
			ownerType, ownerID, id, i); err != nil {
			return fmt.Errorf("link file %s: %w", f.OriginalName, err)
		}
	}
	return nil
}

// attachmentsOf returns the attachments of the owners of one type, by owner id, in upload order.
func (db *DB) attachmentsOf(ctx context.Context, ownerType string, ownerIDs []int64) (map[int64][]domain.Attachment, error) {
	out := map[int64][]domain.Attachment{}
	if len(ownerIDs) == 0 {
		return out, nil
	}
	args := []any{ownerType}
	marks := placeholders(&args, int64sToAny(ownerIDs))
	rows, err := db.sql.QueryContext(ctx, `SELECT a.owner_id, f.id, f.original_name, f.content_type, f.size
		FROM coord_attachments a JOIN files f ON f.id = a.file_id
		WHERE a.owner_type = $1 AND a.owner_id IN (`+marks+`) ORDER BY a.owner_id, a.position, f.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var owner int64
		var a domain.Attachment
		if err := rows.Scan(&owner, &a.FileID, &a.Name, &a.ContentType, &a.Size); err != nil {
			return nil, err
		}
		out[owner] = append(out[owner], a)
	}
	return out, rows.Err()
}

// CoordFile returns an attachment of a coordination record when the actor may see that record.
// A notice's files go to its sender and recipients. A feedback's files go to the feedback's
// organization and the notice's sender. An information report's files go to its organization
// and reviewers, and a work group message's files to the channel's members. Anything else, a
// file of another town included, is not found.
func (db *DB) CoordFile(ctx context.Context, actor domain.Actor, fileID int64) (FileRecord, error) {
	notFound := domain.NotFound("附件不存在或您无权查看。")
	rows, err := db.sql.QueryContext(ctx, `SELECT owner_type, owner_id FROM coord_attachments WHERE file_id = $1`, fileID)
	if err != nil {
		return FileRecord{}, err
	}
	type owner struct {
		kind string
		id   int64
	}
	var owners []owner
	for rows.Next() {
		var o owner
		if err := rows.Scan(&o.kind, &o.id); err != nil {
			rows.Close()
			return FileRecord{}, err
		}
		owners = append(owners, o)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return FileRecord{}, err
	}
	for _, o := range owners {
		ok, err := db.mayViewOwner(ctx, actor, o.kind, o.id)
		if err != nil {
			return FileRecord{}, err
		}
		if ok {
			return db.GetFile(ctx, actor.TownID, fileID)
		}
	}
	return FileRecord{}, notFound
}

func (db *DB) mayViewOwner(ctx context.Context, actor domain.Actor, kind string, id int64) (bool, error) {
	var query string
	args := []any{id, actor.TownID, actor.OrgID}
	switch kind {
	case AttachNotice:
		query = `SELECT 1 FROM notices n WHERE n.id = $1 AND n.town_id = $2 AND (n.sender_org_id = $3
			OR EXISTS (SELECT 1 FROM notice_recipients r WHERE r.notice_id = n.id AND r.org_id = $3))`
	case AttachFeedback:
		query = `SELECT 1 FROM notice_feedback f JOIN notices n ON n.id = f.notice_id
			WHERE f.id = $1 AND n.town_id = $2 AND (f.org_id = $3 OR n.sender_org_id = $3)`
	case AttachInfoReport:
		if actor.Can(domain.PermInfoReportsReview) {
			query = `SELECT 1 FROM info_reports WHERE id = $1 AND town_id = $2`
			args = args[:2]
		} else {
			query = `SELECT 1 FROM info_reports WHERE id = $1 AND town_id = $2 AND org_id = $3`
		}
	case AttachMessage:
		var channel int64
		err := db.sql.QueryRowContext(ctx, `SELECT channel_id FROM wg_messages WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&channel)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		if err != nil {
			return false, err
		}
		_, err = db.channelForActor(ctx, db.sql, actor, channel)
		if domain.ErrorKind(err) == domain.KindNotFound {
			return false, nil
		}
		return err == nil, err
	default:
		return false, nil
	}
	var one int
	err := db.sql.QueryRowContext(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}
