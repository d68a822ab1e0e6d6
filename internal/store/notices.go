package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"pingan/internal/domain"
)

const noticeColumns = `n.id, n.town_id, n.sender_org_id, so.name, n.created_by, ca.display_name, n.kind, n.title, n.body,
	n.deadline, n.feedback_required, n.issued_at`

const noticeFrom = ` FROM notices n JOIN orgs so ON so.id = n.sender_org_id JOIN accounts ca ON ca.id = n.created_by `

func scanNotice(row interface{ Scan(...any) error }, extra ...any) (domain.Notice, error) {
	var n domain.Notice
	var kind string
	var deadline sql.NullTime
	dest := append([]any{&n.ID, &n.TownID, &n.SenderOrgID, &n.SenderOrgName, &n.CreatedBy, &n.CreatedByName, &kind,
		&n.Title, &n.Body, &deadline, &n.FeedbackRequired, &n.IssuedAt}, extra...)
	err := row.Scan(dest...)
	n.Kind = domain.NoticeKind(kind)
	n.Deadline = deadline.Time
	return n, err
}

// recipientOrgs checks that every id is an organization of the town that may receive notices
// (anything but the town or county itself) and returns them without duplicates, in order.
func recipientOrgs(ctx context.Context, q querier, townID int64, ids []int64) ([]int64, error) {
	ids = slices.Clone(ids)
	slices.Sort(ids)
	ids = slices.Compact(ids)
	if len(ids) == 0 {
		return nil, nil
	}
	args := []any{townID, string(domain.OrgTown), string(domain.OrgCounty)}
	marks := placeholders(&args, int64sToAny(ids))
	var n int
	if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE town_id = $1 AND kind NOT IN ($2, $3) AND id IN (`+marks+`)`,
		args...).Scan(&n); err != nil {
		return nil, err
	}
	if n != len(ids) {
		return nil, &domain.Error{Kind: domain.KindInvalid, Message: "接收单位中有不存在的组织，请重新选择。",
			Fields: map[string]string{"recipients": "请从列表中选择接收单位。"}}
	}
	return ids, nil
}

// IssueNotice validates and stores a notice from the actor's organization to the given
// organizations, links its files, notifies every recipient account that may receive notices,
// and audits it, in one transaction. It returns the notice id and the notifications to publish.
// The sender's own organization is never a recipient.
func (db *DB) IssueNotice(ctx context.Context, actor domain.Actor, n domain.Notice, orgIDs []int64, files []FileRecord) (int64, []domain.Notification, error) {
	return db.IssueNoticeTx(ctx, nil, actor, n, orgIDs, files)
}

// IssueNoticeTx is IssueNotice inside the caller's transaction, or a new one when outer is nil.
func (db *DB) IssueNoticeTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, n domain.Notice, orgIDs []int64, files []FileRecord) (int64, []domain.Notification, error) {
	orgIDs = slices.DeleteFunc(slices.Clone(orgIDs), func(id int64) bool { return id == actor.OrgID })
	now := db.now()
	if err := domain.ValidateNotice(&n, len(orgIDs), now); err != nil {
		return 0, nil, err
	}
	var id int64
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		orgs, err := recipientOrgs(ctx, tx, actor.TownID, orgIDs)
		if err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO notices (town_id, sender_org_id, created_by, kind, title, body, deadline, feedback_required, issued_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`,
			actor.TownID, actor.OrgID, actor.AccountID, string(n.Kind), n.Title, n.Body, nullTime(n.Deadline), n.FeedbackRequired, now)
		if err != nil {
			return fmt.Errorf("insert notice: %w", err)
		}
		for _, o := range orgs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO notice_recipients (notice_id, org_id) VALUES ($1, $2)`, id, o); err != nil {
				return err
			}
		}
		if err := db.attachFilesTx(ctx, tx, actor.TownID, AttachNotice, id, files); err != nil {
			return err
		}
		notes, err = db.notifyOrgs(ctx, tx, actor.TownID, orgs, domain.PermNoticesReceive, domain.Notification{
			Kind: domain.NotifyNotice, Title: n.Kind.Label() + "：" + n.Title, Link: "/admin/notices/" + idString(id),
			RefType: AttachNotice, RefID: id})
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s《%s》，下发 %d 个单位", n.Kind.Label(), n.Title, len(orgs))
		return db.appendAudit(ctx, tx, auditFor(actor, "notice.issue", "notice", id, domain.OutcomeSuccess, detail))
	})
	if err != nil {
		return 0, nil, err
	}
	return id, notes, nil
}

// NoticeFilter selects the notices of a list.
type NoticeFilter struct {
	Query      string // part of the title
	UnreadOnly bool   // received notices the person has not opened
	// From and To limit the issue time to [From, To) when set (sent notices only).
	From, To time.Time
}

// ListReceivedNotices returns one page of the notices sent to the actor's organization, newest
// first, with the person's own read time and the organization's feedback count, and the total.
func (db *DB) ListReceivedNotices(ctx context.Context, actor domain.Actor, f NoticeFilter, page Page) ([]domain.Notice, int, error) {
	args := []any{actor.OrgID, actor.AccountID, actor.TownID}
	where := ` WHERE n.town_id = $3`
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, escapeLike(q))
		where += ` AND ` + db.dialect.containsFold("n.title", fmt.Sprintf("$%d", len(args)))
	}
	if f.UnreadOnly {
		where += ` AND nr.read_at IS NULL`
	}
	from := noticeFrom + ` JOIN notice_recipients r ON r.notice_id = n.id AND r.org_id = $1
		LEFT JOIN notice_reads nr ON nr.notice_id = n.id AND nr.account_id = $2 AND nr.org_id = $1`

	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+from+where, args, &page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+noticeColumns+`, nr.read_at,
		(SELECT COUNT(*) FROM notice_feedback fb WHERE fb.notice_id = n.id AND fb.org_id = $1)`+from+where+
		` ORDER BY n.issued_at DESC, n.id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.Notice
	for rows.Next() {
		var read sql.NullTime
		var fb int
		n, err := scanNotice(rows, &read, &fb)
		if err != nil {
			return nil, 0, err
		}
		n.ReadAt = read.Time
		n.OrgFeedbacks = fb
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// UnreadNoticeCount returns how many notices to the actor's organization the person has not
// opened.
func (db *DB) UnreadNoticeCount(ctx context.Context, actor domain.Actor) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
		WHERE r.org_id = $1 AND n.town_id = $3 AND NOT EXISTS (SELECT 1 FROM notice_reads nr
			WHERE nr.notice_id = r.notice_id AND nr.account_id = $2 AND nr.org_id = $1)`,
		actor.OrgID, actor.AccountID, actor.TownID).Scan(&n)
	return n, err
}

// ListSentNotices returns one page of the notices the actor's organization issued, newest first,
// with recipient, read and feedback counts, and the total.
func (db *DB) ListSentNotices(ctx context.Context, actor domain.Actor, f NoticeFilter, page Page) ([]domain.Notice, int, error) {
	args := []any{actor.OrgID, actor.TownID}
	where := ` WHERE n.sender_org_id = $1 AND n.town_id = $2`
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, escapeLike(q))
		where += ` AND ` + db.dialect.containsFold("n.title", fmt.Sprintf("$%d", len(args)))
	}
	if !f.From.IsZero() {
		args = append(args, f.From.UTC())
		where += fmt.Sprintf(` AND n.issued_at >= $%d`, len(args))
	}
	if !f.To.IsZero() {
		args = append(args, f.To.UTC())
		where += fmt.Sprintf(` AND n.issued_at < $%d`, len(args))
	}

	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+noticeFrom+where, args, &page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+noticeColumns+`,
		(SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = n.id),
		(SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = n.id AND r.first_read_at IS NOT NULL),
		(SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = n.id AND r.feedback_at IS NOT NULL)`+noticeFrom+where+
		` ORDER BY n.issued_at DESC, n.id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.Notice
	for rows.Next() {
		var recipients, read, feedbacks int
		n, err := scanNotice(rows, &recipients, &read, &feedbacks)
		if err != nil {
			return nil, 0, err
		}
		n.Recipients, n.ReadOrgs, n.Feedbacks = recipients, read, feedbacks
		out = append(out, n)
	}
	return out, total, rows.Err()
}

// NoticeView is a notice as one person may see it: as its sender's organization, as a
// recipient organization, or both.
type NoticeView struct {
	Notice      domain.Notice
	IsSender    bool
	IsRecipient bool
	Files       []domain.Attachment
}

// GetNotice loads a notice that the actor's organization sent or received, with its files.
// Any other notice is not found.
func (db *DB) GetNotice(ctx context.Context, actor domain.Actor, id int64) (NoticeView, error) {
	return db.getNotice(ctx, db.sql, actor, id)
}

func (db *DB) getNotice(ctx context.Context, q querier, actor domain.Actor, id int64) (NoticeView, error) {
	var v NoticeView
	var recipient int
	n, err := scanNotice(q.QueryRowContext(ctx, `SELECT `+noticeColumns+`,
		(SELECT COUNT(*) FROM notice_recipients r WHERE r.notice_id = n.id AND r.org_id = $3)`+noticeFrom+`
		WHERE n.id = $1 AND n.town_id = $2`, id, actor.TownID, actor.OrgID), &recipient)
	if errors.Is(err, sql.ErrNoRows) {
		return v, domain.NotFound("通知不存在。")
	}
	if err != nil {
		return v, err
	}
	v = NoticeView{Notice: n, IsSender: n.SenderOrgID == actor.OrgID, IsRecipient: recipient > 0}
	if !v.IsSender && !v.IsRecipient {
		return NoticeView{}, domain.NotFound("通知不存在。")
	}
	files, err := db.attachmentsOf(ctx, AttachNotice, []int64{id})
	if err != nil {
		return v, err
	}
	v.Files = files[id]
	return v, nil
}

// RecordNoticeRead records that the actor opened a notice sent to its organization: one read
// receipt per person and organization, and the organization's first read, each set once and
// never changed. It clears the person's bell entries about the notice and audits a first read.
// It reports whether this was the person's first read. A notice the organization did not
// receive is not found.
func (db *DB) RecordNoticeRead(ctx context.Context, actor domain.Actor, id int64) (bool, error) {
	return db.RecordNoticeReadTx(ctx, nil, actor, id)
}

// RecordNoticeReadTx is RecordNoticeRead inside the caller's transaction, or a new one when outer is nil.
func (db *DB) RecordNoticeReadTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64) (bool, error) {
	if outer == nil {
		// A repeat view needs no write transaction; the insert below ignores a race anyway.
		var one int
		err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM notice_reads WHERE notice_id = $1 AND account_id = $2 AND org_id = $3`,
			id, actor.AccountID, actor.OrgID).Scan(&one)
		if err == nil {
			return false, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return false, err
		}
	}
	first := false
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		v, err := db.getNotice(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !v.IsRecipient {
			return domain.NotFound("通知不存在。")
		}
		now := db.now()
		res, err := tx.ExecContext(ctx, `INSERT INTO notice_reads (notice_id, account_id, org_id, read_at) VALUES ($1, $2, $3, $4)
			ON CONFLICT (notice_id, account_id, org_id) DO NOTHING`, id, actor.AccountID, actor.OrgID, now)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil || n == 0 {
			return err
		}
		first = true
		if _, err := tx.ExecContext(ctx, `UPDATE notice_recipients SET first_read_at = $1, first_read_by = $2
			WHERE notice_id = $3 AND org_id = $4 AND first_read_at IS NULL`, now, actor.AccountID, id, actor.OrgID); err != nil {
			return err
		}
		if err := db.markRefRead(ctx, tx, actor.AccountID, AttachNotice, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "notice.read", "notice", id, domain.OutcomeSuccess, v.Notice.Title))
	})
	return first, err
}

// NoticeRecipients returns the receipt matrix of a notice the actor's organization sent: every
// recipient organization with its first read, readers, first feedback and reminders, in the
// order of the organization tree. Another organization's notice is not found.
func (db *DB) NoticeRecipients(ctx context.Context, actor domain.Actor, id int64) (domain.Notice, []domain.NoticeRecipient, error) {
	v, err := db.GetNotice(ctx, actor, id)
	if err != nil {
		return domain.Notice{}, nil, err
	}
	if !v.IsSender {
		return domain.Notice{}, nil, domain.NotFound("通知不存在。")
	}
	list, err := db.noticeRecipients(ctx, db.sql, id)
	return v.Notice, list, err
}

func (db *DB) noticeRecipients(ctx context.Context, q querier, id int64) ([]domain.NoticeRecipient, error) {
	rows, err := q.QueryContext(ctx, `SELECT r.org_id, o.name, o.kind, r.first_read_at, COALESCE(a.display_name, ''),
		(SELECT COUNT(*) FROM notice_reads nr WHERE nr.notice_id = r.notice_id AND nr.org_id = r.org_id),
		r.feedback_at, r.reminded_at, r.reminders
		FROM notice_recipients r JOIN orgs o ON o.id = r.org_id LEFT JOIN accounts a ON a.id = r.first_read_by
		WHERE r.notice_id = $1 ORDER BY o.sort_order, o.id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.NoticeRecipient
	for rows.Next() {
		var r domain.NoticeRecipient
		var kind string
		var read, fb, reminded sql.NullTime
		if err := rows.Scan(&r.OrgID, &r.OrgName, &kind, &read, &r.FirstReader, &r.Readers, &fb, &reminded, &r.Reminders); err != nil {
			return nil, err
		}
		r.OrgKind = domain.OrgKind(kind)
		r.FirstReadAt, r.FeedbackAt, r.RemindedAt = read.Time, fb.Time, reminded.Time
		out = append(out, r)
	}
	return out, rows.Err()
}

// NoticeFeedbackList returns the feedback on a notice with its files, oldest first: all of it
// for the sender's organization, the organization's own for a recipient.
func (db *DB) NoticeFeedbackList(ctx context.Context, actor domain.Actor, id int64) ([]domain.NoticeFeedback, error) {
	v, err := db.GetNotice(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	query := `SELECT f.id, f.notice_id, f.org_id, o.name, f.account_id, f.author, f.body, f.created_at
		FROM notice_feedback f JOIN orgs o ON o.id = f.org_id WHERE f.notice_id = $1`
	args := []any{id}
	if !v.IsSender {
		query += ` AND f.org_id = $2`
		args = append(args, actor.OrgID)
	}
	rows, err := db.sql.QueryContext(ctx, query+` ORDER BY f.created_at, f.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.NoticeFeedback
	var ids []int64
	for rows.Next() {
		var f domain.NoticeFeedback
		if err := rows.Scan(&f.ID, &f.NoticeID, &f.OrgID, &f.OrgName, &f.AccountID, &f.Author, &f.Body, &f.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, f)
		ids = append(ids, f.ID)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	files, err := db.attachmentsOf(ctx, AttachFeedback, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Files = files[out[i].ID]
	}
	return out, nil
}

// AddNoticeFeedback stores the actor's organization's feedback on a notice it received, with
// files; the organization's first feedback time is set once. It notifies the account that
// issued the notice and audits the feedback, in one transaction, and returns the notification
// to publish.
func (db *DB) AddNoticeFeedback(ctx context.Context, actor domain.Actor, id int64, body string, files []FileRecord) ([]domain.Notification, error) {
	return db.AddNoticeFeedbackTx(ctx, nil, actor, id, body, files)
}

// AddNoticeFeedbackTx is AddNoticeFeedback inside the caller's transaction, or a new one when outer is nil.
func (db *DB) AddNoticeFeedbackTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, body string, files []FileRecord) ([]domain.Notification, error) {
	body, err := domain.ValidateFeedback(body, len(files))
	if err != nil {
		return nil, err
	}
	var notes []domain.Notification
	err = db.txOr(ctx, outer, func(tx *sql.Tx) error {
		v, err := db.getNotice(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !v.IsRecipient {
			return domain.NotFound("通知不存在。")
		}
		now := db.now()
		fid, err := insertID(ctx, tx, `INSERT INTO notice_feedback (notice_id, org_id, account_id, author, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6) RETURNING id`, id, actor.OrgID, actor.AccountID, actorDisplayName(actor), body, now)
		if err != nil {
			return fmt.Errorf("insert feedback: %w", err)
		}
		if err := db.attachFilesTx(ctx, tx, actor.TownID, AttachFeedback, fid, files); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE notice_recipients SET feedback_at = $1
			WHERE notice_id = $2 AND org_id = $3 AND feedback_at IS NULL`, now, id, actor.OrgID); err != nil {
			return err
		}
		// Giving feedback implies having read the notice.
		if _, err := tx.ExecContext(ctx, `UPDATE notice_recipients SET first_read_at = $1, first_read_by = $2
			WHERE notice_id = $3 AND org_id = $4 AND first_read_at IS NULL`, now, actor.AccountID, id, actor.OrgID); err != nil {
			return err
		}
		org, err := db.getOrg(ctx, tx, actor, actor.OrgID)
		if err != nil {
			return err
		}
		notes, err = db.AddNotificationsTx(ctx, tx, []domain.Notification{{TownID: actor.TownID, AccountID: v.Notice.CreatedBy,
			Kind: domain.NotifyNoticeFeedback, Title: org.Name + "回执了《" + v.Notice.Title + "》",
			Link: "/admin/notices/" + idString(id) + "/receipts", RefType: "notice_receipts", RefID: id}})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "notice.feedback", "notice", id, domain.OutcomeSuccess, v.Notice.Title))
	})
	return notes, err
}

// actorDisplayName returns the display name part of an actor's name, "张三" of "张三（zhangsan）".
func actorDisplayName(actor domain.Actor) string {
	name, _, _ := strings.Cut(actor.Name, "（")
	return name
}

// RemindNotice sends a reminder (催办) about a notice the actor's organization issued: to one
// recipient organization, or with orgID 0 to every organization that still owes a read or the
// required feedback. Each reminded organization's accounts get a bell notification; the
// reminder is counted and audited in one transaction. It returns the names of the reminded
// organizations and the notifications to publish, or a conflict when no organization owes anything.
func (db *DB) RemindNotice(ctx context.Context, actor domain.Actor, id, orgID int64) ([]string, []domain.Notification, error) {
	return db.RemindNoticeTx(ctx, nil, actor, id, orgID)
}

// RemindNoticeTx is RemindNotice inside the caller's transaction, or a new one when outer is nil.
func (db *DB) RemindNoticeTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id, orgID int64) ([]string, []domain.Notification, error) {
	var names []string
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		v, err := db.getNotice(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !v.IsSender {
			return domain.NotFound("通知不存在。")
		}
		names, notes, err = db.remindPending(ctx, tx, actor, v.Notice, orgID)
		return err
	})
	return names, notes, err
}

func (db *DB) remindPending(ctx context.Context, tx *sql.Tx, actor domain.Actor, n domain.Notice, orgID int64) ([]string, []domain.Notification, error) {
	recipients, err := db.noticeRecipients(ctx, tx, n.ID)
	if err != nil {
		return nil, nil, err
	}
	var targets []int64
	var names []string
	found := false
	for _, r := range recipients {
		if orgID != 0 && r.OrgID != orgID {
			continue
		}
		found = true
		if r.Pending(n) {
			targets = append(targets, r.OrgID)
			names = append(names, r.OrgName)
		}
	}

	switch {
	case orgID != 0 && !found:
		return nil, nil, domain.NotFound("该单位不是此通知的接收单位。")
	case len(targets) == 0 && n.FeedbackRequired:
		return nil, nil, domain.Conflict("所选单位均已回执，无需催办。")
	case len(targets) == 0:
		return nil, nil, domain.Conflict("所选单位均已阅读，无需催办。")
	}

	now := db.now()
	for _, o := range targets {
		if _, err := tx.ExecContext(ctx, `UPDATE notice_recipients SET reminded_at = $1, reminders = reminders + 1
			WHERE notice_id = $2 AND org_id = $3`, now, n.ID, o); err != nil {
			return nil, nil, err
		}
	}
	what := "请及时阅读"
	if n.FeedbackRequired {
		what = "请及时阅读并回执"
	}
	if !n.Deadline.IsZero() {
		what += "（截止 " + domain.FormatTime(n.Deadline) + "）"
	}
	notes, err := db.notifyOrgs(ctx, tx, n.TownID, targets, domain.PermNoticesReceive, domain.Notification{
		Kind: domain.NotifyNoticeReminder, Title: "催办：《" + n.Title + "》" + what,
		Link: "/admin/notices/" + idString(n.ID), RefType: AttachNotice, RefID: n.ID})
	if err != nil {
		return nil, nil, err
	}
	detail := "《" + n.Title + "》催办：" + strings.Join(names, "、")
	if err := db.appendAudit(ctx, tx, auditFor(actor, "notice.remind", "notice", n.ID, domain.OutcomeSuccess, detail)); err != nil {
		return nil, nil, err
	}
	return names, notes, nil
}

// RemindNoticesBeforeDeadline sends one automatic reminder for each notice whose deadline falls
// within the coming window and that has none yet, to the organizations that still owe a read or
// feedback. It runs as a scheduled job with no person acting, and returns the notifications to
// publish.
func (db *DB) RemindNoticesBeforeDeadline(ctx context.Context, window time.Duration) ([]domain.Notification, error) {
	now := db.now()
	rows, err := db.sql.QueryContext(ctx, `SELECT n.id, n.town_id FROM notices n WHERE n.deadline > $1 AND n.deadline <= $2
		AND n.auto_reminded_at IS NULL ORDER BY n.deadline, n.id`, now, now.Add(window))
	if err != nil {
		return nil, err
	}
	type due struct{ id, town int64 }
	var list []due
	for rows.Next() {
		var d due
		if err := rows.Scan(&d.id, &d.town); err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, d)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var all []domain.Notification
	for _, d := range list {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE notices SET auto_reminded_at = $1 WHERE id = $2 AND auto_reminded_at IS NULL`, now, d.id)
			if err != nil {
				return err
			}
			if n, err := res.RowsAffected(); err != nil || n == 0 {
				return err
			}
			n, err := scanNotice(tx.QueryRowContext(ctx, `SELECT `+noticeColumns+noticeFrom+` WHERE n.id = $1`, d.id))
			if err != nil {
				return err
			}
			actor := domain.Actor{TownID: d.town, Name: "系统（截止前自动催办）", IP: "local"}
			_, notes, err := db.remindPending(ctx, tx, actor, n, 0)
			if k := domain.ErrorKind(err); k == domain.KindConflict {
				return nil
			}
			if err != nil {
				return err
			}
			all = append(all, notes...)
			return nil
		})
		if err != nil {
			return all, fmt.Errorf("remind notice %d: %w", d.id, err)
		}
	}
	return all, nil
}
