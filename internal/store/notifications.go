package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"pingan/internal/domain"
)

// BellTopic returns the live topic of an account's notifications.
func BellTopic(accountID int64) string { return "bell:" + idString(accountID) }

// AddNotificationsTx stores notifications inside the caller's transaction, each with the next
// sequence number of its account's topic, and returns them with their ids and numbers. Publish
// them after the commit. Titles longer than 200 characters are cut.
func (db *DB) AddNotificationsTx(ctx context.Context, tx *sql.Tx, list []domain.Notification) ([]domain.Notification, error) {
	now := db.now()
	out := make([]domain.Notification, 0, len(list))
	for _, n := range list {
		seq, err := db.NextSeq(ctx, tx, BellTopic(n.AccountID))
		if err != nil {
			return nil, err
		}
		n.Seq = seq
		n.CreatedAt = now
		n.Title = domain.TruncateChars(domain.CleanLine(n.Title), 200)
		n.ID, err = insertID(ctx, tx, `INSERT INTO notifications (town_id, account_id, seq, kind, title, link, ref_type, ref_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			n.TownID, n.AccountID, n.Seq, string(n.Kind), n.Title, n.Link, n.RefType, n.RefID, now)
		if err != nil {
			return nil, fmt.Errorf("insert notification: %w", err)
		}
		out = append(out, n)
	}
	return out, nil
}

// accountsWithPermission returns the enabled accounts of the organizations whose roles grant p,
// in id order.
func accountsWithPermission(ctx context.Context, q querier, orgIDs []int64, p domain.Permission) ([]int64, error) {
	var roles []string
	for r, perms := range domain.RolePermissions {
		for _, x := range perms {
			if x == p {
				roles = append(roles, string(r))
			}
		}
	}
	if len(orgIDs) == 0 || len(roles) == 0 {
		return nil, nil
	}
	args := []any{}
	orgMarks := placeholders(&args, int64sToAny(orgIDs))
	roleMarks := placeholders(&args, stringsToAny(roles))
	return queryIDs(ctx, q, `SELECT DISTINCT a.id FROM accounts a JOIN account_roles r ON r.account_id = a.id
		WHERE a.org_id IN (`+orgMarks+`) AND r.role IN (`+roleMarks+`) AND NOT a.disabled ORDER BY a.id`, args...)
}

// accountsWithRole returns the enabled accounts of the organizations orgIDs that hold role, in
// id order.
func accountsWithRole(ctx context.Context, q querier, orgIDs []int64, role domain.Role) ([]int64, error) {
	if len(orgIDs) == 0 {
		return nil, nil
	}
	args := []any{string(role)}
	orgMarks := placeholders(&args, int64sToAny(orgIDs))
	return queryIDs(ctx, q, `SELECT DISTINCT a.id FROM accounts a JOIN account_roles r ON r.account_id = a.id
		WHERE r.role = $1 AND a.org_id IN (`+orgMarks+`) AND NOT a.disabled ORDER BY a.id`, args...)
}

// centerAccountsWithRole returns the enabled accounts of the town's center that hold role, in
// id order.
func centerAccountsWithRole(ctx context.Context, q querier, townID int64, role domain.Role) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT DISTINCT a.id FROM accounts a JOIN account_roles r ON r.account_id = a.id
		JOIN orgs o ON o.id = a.org_id
		WHERE r.role = $1 AND o.town_id = $2 AND o.kind = $3 AND NOT a.disabled ORDER BY a.id`, string(role), townID, string(domain.OrgCenter))
}

// queryIDs runs a query that selects one id column and returns the ids.
func queryIDs(ctx context.Context, q querier, query string, args ...any) ([]int64, error) {
	rows, err := q.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, id)
	}
	return out, rows.Err()
}

// placeholders appends values to args and returns their placeholders, "$3,$4,$5".
func placeholders(args *[]any, values []any) string {
	marks := make([]string, len(values))
	for i, v := range values {
		*args = append(*args, v)
		marks[i] = fmt.Sprintf("$%d", len(*args))
	}
	return strings.Join(marks, ",")
}

func int64sToAny(v []int64) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

func stringsToAny(v []string) []any {
	out := make([]any, len(v))
	for i, x := range v {
		out[i] = x
	}
	return out
}

// notifyOrgs stores one notification for every enabled account of orgIDs that holds p.
func (db *DB) notifyOrgs(ctx context.Context, tx *sql.Tx, townID int64, orgIDs []int64, p domain.Permission, n domain.Notification) ([]domain.Notification, error) {
	accounts, err := accountsWithPermission(ctx, tx, orgIDs, p)
	if err != nil {
		return nil, err
	}
	list := make([]domain.Notification, len(accounts))
	for i, a := range accounts {
		n.TownID = townID
		n.AccountID = a
		list[i] = n
	}
	return db.AddNotificationsTx(ctx, tx, list)
}

const notificationColumns = `id, town_id, account_id, seq, kind, title, link, ref_type, ref_id, created_at, read_at`

func scanNotification(row interface{ Scan(...any) error }) (domain.Notification, error) {
	var n domain.Notification
	var kind string
	var read sql.NullTime
	err := row.Scan(&n.ID, &n.TownID, &n.AccountID, &n.Seq, &kind, &n.Title, &n.Link, &n.RefType, &n.RefID, &n.CreatedAt, &read)
	n.Kind = domain.NotificationKind(kind)
	n.ReadAt = read.Time
	return n, err
}

func (db *DB) queryNotifications(ctx context.Context, query string, args ...any) ([]domain.Notification, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Notification
	for rows.Next() {
		n, err := scanNotification(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, n)
	}
	return out, rows.Err()
}

// ListNotifications returns one page of the actor's own notifications, newest first by creation
// time, and the total. Seq breaks ties only: imported or back-dated rows need not arrive in order.
func (db *DB) ListNotifications(ctx context.Context, actor domain.Actor, page Page) ([]domain.Notification, int, error) {
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM notifications WHERE account_id = $1`, []any{actor.AccountID}, &page)
	if err != nil {
		return nil, 0, err
	}
	list, err := db.queryNotifications(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE account_id = $1
		ORDER BY created_at DESC, seq DESC`+limit, args...)
	return list, total, err
}

// NotificationsAfter returns an account's notifications with seq above after, oldest first, at
// most limit: the replay of its bell topic.
func (db *DB) NotificationsAfter(ctx context.Context, accountID, after int64, limit int) ([]domain.Notification, error) {
	return db.queryNotifications(ctx, `SELECT `+notificationColumns+` FROM notifications WHERE account_id = $1 AND seq > $2
		ORDER BY seq LIMIT $3`, accountID, after, limit)
}

// UnreadNotifications returns how many of the actor's notifications are unread.
func (db *DB) UnreadNotifications(ctx context.Context, actor domain.Actor) (int, error) {
	counts, err := db.UnreadCounts(ctx, []int64{actor.AccountID})
	return counts[actor.AccountID], err
}

// UnreadCounts returns the number of unread notifications of each account.
func (db *DB) UnreadCounts(ctx context.Context, accountIDs []int64) (map[int64]int, error) {
	out := make(map[int64]int, len(accountIDs))
	if len(accountIDs) == 0 {
		return out, nil
	}
	args := []any{}
	marks := placeholders(&args, int64sToAny(accountIDs))
	rows, err := db.sql.QueryContext(ctx, `SELECT account_id, COUNT(*) FROM notifications
		WHERE account_id IN (`+marks+`) AND read_at IS NULL GROUP BY account_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var n int
		if err := rows.Scan(&id, &n); err != nil {
			return nil, err
		}
		out[id] = n
	}
	return out, rows.Err()
}

// OpenNotification marks one of the actor's notifications read, audits the change, and returns
// the notification. Another account's notification is not found.
func (db *DB) OpenNotification(ctx context.Context, actor domain.Actor, id int64) (domain.Notification, error) {
	var n domain.Notification
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		n, err = scanNotification(tx.QueryRowContext(ctx, `SELECT `+notificationColumns+` FROM notifications
			WHERE id = $1 AND account_id = $2`, id, actor.AccountID))
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("该提醒不存在。")
		}
		if err != nil || !n.Unread() {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE id = $2`, db.now(), id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "bell.read", "notification", id, domain.OutcomeSuccess, n.Title))
	})
	return n, err
}

// MarkAllNotificationsRead marks every notification of the actor read and returns how many
// changed.
func (db *DB) MarkAllNotificationsRead(ctx context.Context, actor domain.Actor) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND read_at IS NULL`, db.now(), actor.AccountID)
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}

// markRefRead marks the account's notifications about one record read, as when the person
// opens the notice they point to.
func (db *DB) markRefRead(ctx context.Context, q querier, accountID int64, refType string, refID int64) error {
	_, err := q.ExecContext(ctx, `UPDATE notifications SET read_at = $1
		WHERE account_id = $2 AND ref_type = $3 AND ref_id = $4 AND read_at IS NULL`, db.now(), accountID, refType, refID)
	return err
}

// MarkNotificationsReadBefore marks a town's notifications created before t read, as if their
// accounts had opened them. The demo uses it so that only recent ones wait on the bell. A
// notice's 待阅通知 and 催办 stay unread while the account has not read the notice, because
// only reading the notice marks them read.
func (db *DB) MarkNotificationsReadBefore(ctx context.Context, q querier, townID int64, t time.Time) error {
	_, err := q.ExecContext(ctx, `UPDATE notifications SET read_at = created_at
		WHERE town_id = $1 AND created_at < $2 AND read_at IS NULL
		AND NOT (ref_type = $3 AND kind IN ($4, $5) AND NOT EXISTS (SELECT 1 FROM notice_reads nr
			WHERE nr.notice_id = notifications.ref_id AND nr.account_id = notifications.account_id))`,
		townID, t.UTC(), AttachNotice, string(domain.NotifyNotice), string(domain.NotifyNoticeReminder))
	return err
}
