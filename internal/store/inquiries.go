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

const inquiryColumns = `q.id, q.town_id, q.org_id, o.name, q.asked_by, q.asker, q.assignee_org_id, ao.name, q.title, q.question,
	q.status, q.answer, q.answerer, COALESCE(wo.name, ''), q.answered_at, q.faq_question, q.faq_answer, q.faq_published_at, q.created_at`

const inquiryFrom = ` FROM inquiries q JOIN orgs o ON o.id = q.org_id JOIN orgs ao ON ao.id = q.assignee_org_id
	LEFT JOIN orgs wo ON wo.id = q.answered_org_id `

func scanInquiry(row interface{ Scan(...any) error }) (domain.Inquiry, error) {
	var q domain.Inquiry
	var status string
	var answered, published sql.NullTime
	err := row.Scan(&q.ID, &q.TownID, &q.OrgID, &q.OrgName, &q.AskedBy, &q.Asker, &q.AssigneeOrgID, &q.AssigneeOrgName, &q.Title,
		&q.Question, &status, &q.Answer, &q.Answerer, &q.AnsweredOrgName, &answered, &q.FAQQuestion, &q.FAQAnswer, &published, &q.CreatedAt)
	q.Status, q.AnsweredAt, q.FAQPublishedAt = domain.InquiryStatus(status), answered.Time, published.Time
	return q, err
}

// actorAtCenter reports whether the actor belongs to the governance center, which oversees
// every inquiry of its town.
func (db *DB) actorAtCenter(ctx context.Context, q querier, actor domain.Actor) (bool, error) {
	o, err := db.getOrg(ctx, q, actor, actor.OrgID)
	if domain.ErrorKind(err) == domain.KindNotFound {
		return false, nil
	}
	return o.Kind == domain.OrgCenter, err
}

// InquiryAnswerers returns the organizations an inquiry may be addressed to: the governance
// center and the member units of the actor's town.
func (db *DB) InquiryAnswerers(ctx context.Context, actor domain.Actor) ([]domain.Org, error) {
	orgs, err := db.ListOrgs(ctx, actor)
	if err != nil {
		return nil, err
	}
	var out []domain.Org
	for _, o := range orgs {
		if o.Kind == domain.OrgCenter {
			out = append([]domain.Org{o}, out...)
		} else if o.Kind == domain.OrgDepartment {
			out = append(out, o)
		}
	}
	return out, nil
}

func (db *DB) checkAnswerer(ctx context.Context, q querier, actor domain.Actor, orgID int64) error {
	o, err := db.getOrg(ctx, q, actor, orgID)
	if err != nil || (o.Kind != domain.OrgCenter && o.Kind != domain.OrgDepartment) {
		return &domain.Error{Kind: domain.KindInvalid, Message: "请选择答复单位：综治工作中心或成员单位。",
			Fields: map[string]string{"assignee": "请从列表中选择答复单位。"}}
	}
	return nil
}

// AskInquiry stores an inquiry of the actor's organization to the center or a member unit,
// notifies that organization's answerers and audits it, in one transaction.
func (db *DB) AskInquiry(ctx context.Context, actor domain.Actor, q domain.Inquiry, assigneeOrgID int64) (int64, []domain.Notification, error) {
	return db.AskInquiryTx(ctx, nil, actor, q, assigneeOrgID)
}

// AskInquiryTx is AskInquiry inside the caller's transaction, or a new one when outer is nil.
func (db *DB) AskInquiryTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, q domain.Inquiry, assigneeOrgID int64) (int64, []domain.Notification, error) {
	if err := domain.ValidateInquiry(&q); err != nil {
		return 0, nil, err
	}
	var id int64
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		if err := db.checkAnswerer(ctx, tx, actor, assigneeOrgID); err != nil {
			return err
		}
		var err error
		id, err = db.insertInquiry(ctx, tx, actor, q, assigneeOrgID, db.now())
		if err != nil {
			return err
		}
		notes, err = db.notifyOrgs(ctx, tx, actor.TownID, []int64{assigneeOrgID}, domain.PermInquiriesAnswer, domain.Notification{
			Kind: domain.NotifyInquiryNew, Title: "待答复询问：" + q.Title, Link: "/admin/inquiries/" + idString(id),
			RefType: "inquiry", RefID: id})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "inquiry.ask", "inquiry", id, domain.OutcomeSuccess, q.Title))
	})
	return id, notes, err
}

func (db *DB) insertInquiry(ctx context.Context, tx *sql.Tx, actor domain.Actor, q domain.Inquiry, assignee int64, at any) (int64, error) {
	id, err := insertID(ctx, tx, `INSERT INTO inquiries (town_id, org_id, asked_by, asker, assignee_org_id, title, question, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, actor.TownID, actor.OrgID, actor.AccountID, actorDisplayName(actor),
		assignee, q.Title, q.Question, string(domain.InquiryOpen), at)
	if err != nil {
		return 0, fmt.Errorf("insert inquiry: %w", err)
	}
	return id, nil
}

// InquiryFilter selects the inquiries of a list.
type InquiryFilter struct {
	Status domain.InquiryStatus
	Query  string // part of the title, question or answer
	// Asked lists the inquiries the actor's organization asked; otherwise the list holds those
	// it answers (all of the town for the center).
	Asked bool
	// From and To limit the time the inquiry was asked to [From, To) when set.
	From, To time.Time
}

// ListInquiries returns one page of inquiries, newest first, and the total.
func (db *DB) ListInquiries(ctx context.Context, actor domain.Actor, f InquiryFilter, page Page) ([]domain.Inquiry, int, error) {
	where := []string{"q.town_id = $1"}
	args := []any{actor.TownID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Asked {
		add("q.org_id = ?", actor.OrgID)
	} else {
		center, err := db.actorAtCenter(ctx, db.sql, actor)
		if err != nil {
			return nil, 0, err
		}
		if !center || !actor.Can(domain.PermInquiriesAnswer) {
			add("q.assignee_org_id = ?", actor.OrgID)
		}
	}
	if f.Status != "" {
		add("q.status = ?", string(f.Status))
	}
	if !f.From.IsZero() {
		add("q.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("q.created_at < ?", f.To.UTC())
	}
	if s := strings.TrimSpace(f.Query); s != "" {
		args = append(args, escapeLike(domain.TruncateChars(s, 50)))
		ph := fmt.Sprintf("$%d", len(args))
		where = append(where, "("+db.dialect.containsFold("q.title", ph)+" OR "+db.dialect.containsFold("q.question", ph)+
			" OR "+db.dialect.containsFold("q.answer", ph)+")")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+inquiryFrom+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	list, err := db.queryInquiries(ctx, `SELECT `+inquiryColumns+inquiryFrom+cond+
		` ORDER BY q.created_at DESC, q.id DESC`+limit, args...)
	return list, total, err
}

func (db *DB) queryInquiries(ctx context.Context, query string, args ...any) ([]domain.Inquiry, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Inquiry
	for rows.Next() {
		q, err := scanInquiry(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, q)
	}
	return out, rows.Err()
}

// InquiryAccess is the set of actions the actor may take on an inquiry it can view.
type InquiryAccess struct {
	Asker    bool // the actor's organization asked it
	Answerer bool // the actor may answer it: its organization is the assignee, or the center
	Center   bool // the actor belongs to the center, which may also reassign it
}

// GetInquiry loads an inquiry the actor's organization asked or may answer; any other is not
// found.
func (db *DB) GetInquiry(ctx context.Context, actor domain.Actor, id int64) (domain.Inquiry, InquiryAccess, error) {
	return db.getInquiry(ctx, db.sql, actor, id)
}

func (db *DB) getInquiry(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.Inquiry, InquiryAccess, error) {
	var access InquiryAccess
	inq, err := scanInquiry(q.QueryRowContext(ctx, `SELECT `+inquiryColumns+inquiryFrom+` WHERE q.id = $1 AND q.town_id = $2`, id, actor.TownID))
	if errors.Is(err, sql.ErrNoRows) {
		return inq, access, domain.NotFound("询问事项不存在。")
	}
	if err != nil {
		return inq, access, err
	}
	center, err := db.actorAtCenter(ctx, q, actor)
	if err != nil {
		return inq, access, err
	}
	canAnswer := actor.Can(domain.PermInquiriesAnswer)
	access = InquiryAccess{Asker: inq.OrgID == actor.OrgID, Center: center && canAnswer,
		Answerer: canAnswer && (center || inq.AssigneeOrgID == actor.OrgID)}
	if !access.Asker && !access.Answerer {
		return domain.Inquiry{}, InquiryAccess{}, domain.NotFound("询问事项不存在。")
	}
	return inq, access, nil
}

// AssignInquiry hands an open inquiry to another answering organization; only the center may.
// The new organization's answerers are notified and the change audited.
func (db *DB) AssignInquiry(ctx context.Context, actor domain.Actor, id, orgID int64) ([]domain.Notification, error) {
	var notes []domain.Notification
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		inq, access, err := db.getInquiry(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !access.Center {
			return domain.Forbidden("只有综治工作中心可以转交询问事项。")
		}
		if inq.Status != domain.InquiryOpen {
			return domain.Conflict("该询问已答复，不能再转交。")
		}
		if err := db.checkAnswerer(ctx, tx, actor, orgID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inquiries SET assignee_org_id = $1 WHERE id = $2`, orgID, id); err != nil {
			return err
		}
		notes, err = db.notifyOrgs(ctx, tx, actor.TownID, []int64{orgID}, domain.PermInquiriesAnswer, domain.Notification{
			Kind: domain.NotifyInquiryNew, Title: "转交给您单位答复：" + inq.Title, Link: "/admin/inquiries/" + idString(id),
			RefType: "inquiry", RefID: id})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "inquiry.assign", "inquiry", id, domain.OutcomeSuccess, inq.Title))
	})
	return notes, err
}

// AnswerInquiry records the answer to an open inquiry the actor may answer, notifies the person
// who asked and audits it, in one transaction.
func (db *DB) AnswerInquiry(ctx context.Context, actor domain.Actor, id int64, answer string) ([]domain.Notification, error) {
	return db.AnswerInquiryTx(ctx, nil, actor, id, answer)
}

// AnswerInquiryTx is AnswerInquiry inside the caller's transaction, or a new one when outer is nil.
func (db *DB) AnswerInquiryTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, answer string) ([]domain.Notification, error) {
	answer, err := domain.ValidateAnswer(answer)
	if err != nil {
		return nil, err
	}
	var notes []domain.Notification
	err = db.txOr(ctx, outer, func(tx *sql.Tx) error {
		inq, access, err := db.getInquiry(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !access.Answerer {
			return domain.NotFound("询问事项不存在。")
		}
		if inq.Status != domain.InquiryOpen {
			return domain.Conflict("该询问已答复。")
		}
		if err := db.answerInquiryTx(ctx, tx, actor, id, answer, db.now()); err != nil {
			return err
		}
		notes, err = db.AddNotificationsTx(ctx, tx, []domain.Notification{{TownID: inq.TownID, AccountID: inq.AskedBy,
			Kind: domain.NotifyInquiryAnswered, Title: "您的询问已答复：" + inq.Title, Link: "/admin/my-inquiries/" + idString(id),
			RefType: "inquiry", RefID: id}})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "inquiry.answer", "inquiry", id, domain.OutcomeSuccess, inq.Title))
	})
	return notes, err
}

func (db *DB) answerInquiryTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64, answer string, at any) error {
	_, err := tx.ExecContext(ctx, `UPDATE inquiries SET status = $1, answer = $2, answered_by = $3, answerer = $4, answered_org_id = $5,
		answered_at = $6 WHERE id = $7`, string(domain.InquiryAnswered), answer, actor.AccountID, actorDisplayName(actor), actor.OrgID, at, id)
	return err
}

// PublishFAQ publishes an answered inquiry as a public FAQ entry in the wording given, which
// staff edit so that nothing internal reaches the public site, and audits it. It also updates
// an entry already published.
func (db *DB) PublishFAQ(ctx context.Context, actor domain.Actor, id int64, question, answer string) error {
	return db.PublishFAQTx(ctx, nil, actor, id, question, answer)
}

// PublishFAQTx is PublishFAQ inside the caller's transaction, or a new one when outer is nil.
func (db *DB) PublishFAQTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, question, answer string) error {
	question, answer, err := domain.ValidateFAQ(question, answer)
	if err != nil {
		return err
	}
	return db.txOr(ctx, outer, func(tx *sql.Tx) error {
		inq, access, err := db.getInquiry(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !access.Answerer {
			return domain.NotFound("询问事项不存在。")
		}
		if inq.Status != domain.InquiryAnswered {
			return domain.Conflict("请先答复，再发布为常见问题。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inquiries SET faq_question = $1, faq_answer = $2, faq_published_at = COALESCE(faq_published_at, $3)
			WHERE id = $4`, question, answer, db.now(), id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "inquiry.faq_publish", "inquiry", id, domain.OutcomeSuccess, question))
	})
}

// WithdrawFAQ takes an inquiry off the public FAQ and audits it.
func (db *DB) WithdrawFAQ(ctx context.Context, actor domain.Actor, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		inq, access, err := db.getInquiry(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if !access.Answerer {
			return domain.NotFound("询问事项不存在。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE inquiries SET faq_published_at = NULL WHERE id = $1`, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "inquiry.faq_withdraw", "inquiry", id, domain.OutcomeSuccess, inq.FAQQuestion))
	})
}

// ListFAQ returns one page of a town's published FAQ entries, newest first, containing query if
// given, and the total. It serves the public page, so it returns only the public wording.
func (db *DB) ListFAQ(ctx context.Context, townID int64, query string, page Page) ([]domain.Inquiry, int, error) {
	cond := ` WHERE town_id = $1 AND faq_published_at IS NOT NULL`
	args := []any{townID}
	if s := strings.TrimSpace(query); s != "" {
		args = append(args, escapeLike(domain.TruncateChars(s, 50)))
		cond += ` AND (` + db.dialect.containsFold("faq_question", "$2") + ` OR ` + db.dialect.containsFold("faq_answer", "$2") + `)`
	}
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM inquiries`+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT id, faq_question, faq_answer, faq_published_at FROM inquiries`+cond+
		` ORDER BY faq_published_at DESC, id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.Inquiry
	for rows.Next() {
		var q domain.Inquiry
		if err := rows.Scan(&q.ID, &q.FAQQuestion, &q.FAQAnswer, &q.FAQPublishedAt); err != nil {
			return nil, 0, err
		}
		out = append(out, q)
	}
	return out, total, rows.Err()
}
