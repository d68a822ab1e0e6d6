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

const infoReportColumns = `r.id, r.town_id, r.org_id, o.name, r.created_by, r.author, r.category, r.title, r.body, r.status,
	r.review_note, COALESCE(rv.display_name, ''), r.reviewed_at, r.created_at`

const infoReportFrom = ` FROM info_reports r JOIN orgs o ON o.id = r.org_id LEFT JOIN accounts rv ON rv.id = r.reviewed_by `

func scanInfoReport(row interface{ Scan(...any) error }) (domain.InfoReport, error) {
	var r domain.InfoReport
	var category, status string
	var reviewed sql.NullTime
	err := row.Scan(&r.ID, &r.TownID, &r.OrgID, &r.OrgName, &r.CreatedBy, &r.Author, &category, &r.Title, &r.Body, &status,
		&r.ReviewNote, &r.Reviewer, &reviewed, &r.CreatedAt)
	r.Category, r.Status, r.ReviewedAt = domain.InfoCategory(category), domain.InfoReportStatus(status), reviewed.Time
	return r, err
}

// SubmitInfoReport stores an information report of the actor's organization with its files,
// notifies the town's reviewers and audits it, in one transaction. It returns the report id and
// the notifications to publish.
func (db *DB) SubmitInfoReport(ctx context.Context, actor domain.Actor, r domain.InfoReport, files []FileRecord) (int64, []domain.Notification, error) {
	return db.SubmitInfoReportTx(ctx, nil, actor, r, files)
}

// SubmitInfoReportTx is SubmitInfoReport inside the caller's transaction, or a new one when outer is nil.
func (db *DB) SubmitInfoReportTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, r domain.InfoReport, files []FileRecord) (int64, []domain.Notification, error) {
	if err := domain.ValidateInfoReport(&r); err != nil {
		return 0, nil, err
	}
	var id int64
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		org, err := db.getOrg(ctx, tx, actor, actor.OrgID)
		if err != nil {
			return err
		}
		id, err = db.insertInfoReport(ctx, tx, actor, r, db.now())
		if err != nil {
			return err
		}
		if err := db.attachFilesTx(ctx, tx, actor.TownID, AttachInfoReport, id, files); err != nil {
			return err
		}
		reviewers, err := db.townOrgIDs(ctx, tx, actor.TownID)
		if err != nil {
			return err
		}
		notes, err = db.notifyOrgs(ctx, tx, actor.TownID, reviewers, domain.PermInfoReportsReview, domain.Notification{
			Kind: domain.NotifyInfoReport, Title: org.Name + "上报信息：" + r.Title, Link: "/admin/info-reports/" + idString(id),
			RefType: "info_report", RefID: id})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "info_report.submit", "info_report", id, domain.OutcomeSuccess, r.Title))
	})
	return id, notes, err
}

func (db *DB) insertInfoReport(ctx context.Context, tx *sql.Tx, actor domain.Actor, r domain.InfoReport, at interface{}) (int64, error) {
	id, err := insertID(ctx, tx, `INSERT INTO info_reports (town_id, org_id, created_by, author, category, title, body, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, actor.TownID, actor.OrgID, actor.AccountID, actorDisplayName(actor),
		string(r.Category), r.Title, r.Body, string(domain.InfoSubmitted), at)
	if err != nil {
		return 0, fmt.Errorf("insert information report: %w", err)
	}
	return id, nil
}

// townOrgIDs returns every organization of a town.
func (db *DB) townOrgIDs(ctx context.Context, q querier, townID int64) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT id FROM orgs WHERE town_id = $1 ORDER BY id`, townID)
}

// InfoReportFilter selects the information reports of a list.
type InfoReportFilter struct {
	Status   domain.InfoReportStatus
	Category domain.InfoCategory
	Query    string // part of the title or body
	// Own limits the list to the actor's organization.
	Own bool
	// From and To limit the time the report was sent up to [From, To) when set.
	From, To time.Time
}

// ListInfoReports returns one page of information reports, newest first, and the total: the
// actor's organization's own with Own set, otherwise every report of the town for a reviewer.
func (db *DB) ListInfoReports(ctx context.Context, actor domain.Actor, f InfoReportFilter, page Page) ([]domain.InfoReport, int, error) {
	where := []string{"r.town_id = $1"}
	args := []any{actor.TownID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if f.Own || !actor.Can(domain.PermInfoReportsReview) {
		add("r.org_id = ?", actor.OrgID)
	}
	if f.Status != "" {
		add("r.status = ?", string(f.Status))
	}
	if f.Category != "" {
		add("r.category = ?", string(f.Category))
	}
	if !f.From.IsZero() {
		add("r.created_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("r.created_at < ?", f.To.UTC())
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, escapeLike(domain.TruncateChars(q, 50)))
		ph := fmt.Sprintf("$%d", len(args))
		where = append(where, "("+db.dialect.containsFold("r.title", ph)+" OR "+db.dialect.containsFold("r.body", ph)+")")
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+infoReportFrom+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+infoReportColumns+infoReportFrom+cond+
		` ORDER BY r.created_at DESC, r.id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.InfoReport
	for rows.Next() {
		r, err := scanInfoReport(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// GetInfoReport loads an information report with its files: one of the actor's organization,
// or any of the town for a reviewer. Any other is not found.
func (db *DB) GetInfoReport(ctx context.Context, actor domain.Actor, id int64) (domain.InfoReport, error) {
	return db.getInfoReport(ctx, db.sql, actor, id)
}

func (db *DB) getInfoReport(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.InfoReport, error) {
	query := `SELECT ` + infoReportColumns + infoReportFrom + ` WHERE r.id = $1 AND r.town_id = $2`
	args := []any{id, actor.TownID}
	if !actor.Can(domain.PermInfoReportsReview) {
		query += ` AND r.org_id = $3`
		args = append(args, actor.OrgID)
	}
	r, err := scanInfoReport(q.QueryRowContext(ctx, query, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.NotFound("上报信息不存在。")
	}
	if err != nil {
		return r, err
	}
	files, err := db.attachmentsOf(ctx, AttachInfoReport, []int64{id})
	r.Files = files[id]
	return r, err
}

// ReviewInfoReport adopts or declines an information report of the actor's town. Adopting it
// stores a pending article with the report's title and text, crediting its organization, for
// the portal to turn into an article draft. The author is notified and the review audited, in
// one transaction. Only a report not yet reviewed can be reviewed.
func (db *DB) ReviewInfoReport(ctx context.Context, actor domain.Actor, id int64, adopt bool, note string) ([]domain.Notification, error) {
	return db.ReviewInfoReportTx(ctx, nil, actor, id, adopt, note)
}

// ReviewInfoReportTx is ReviewInfoReport inside the caller's transaction, or a new one when outer is nil.
func (db *DB) ReviewInfoReportTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, adopt bool, note string) ([]domain.Notification, error) {
	note, err := domain.ValidateReviewNote(note, adopt)
	if err != nil {
		return nil, err
	}
	var notes []domain.Notification
	err = db.txOr(ctx, outer, func(tx *sql.Tx) error {
		r, err := db.getInfoReport(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if r.Status != domain.InfoSubmitted {
			return domain.Conflict("该信息已审核（" + r.Status.Label() + "）。")
		}
		status, action, title := domain.InfoAdopted, "info_report.adopt", "您上报的信息已被采用："+r.Title
		if !adopt {
			status, action, title = domain.InfoDeclined, "info_report.decline", "您上报的信息未被采用："+r.Title
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE info_reports SET status = $1, review_note = $2, reviewed_by = $3, reviewed_at = $4 WHERE id = $5`,
			string(status), note, actor.AccountID, now, id); err != nil {
			return err
		}
		if adopt {
			if _, err := tx.ExecContext(ctx, `INSERT INTO pending_articles (town_id, info_report_id, title, body, contributor_org_id, created_by, created_at)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`, r.TownID, id, r.Title, r.Body, r.OrgID, nullInt(actor.AccountID), now); err != nil {
				return fmt.Errorf("insert pending article: %w", err)
			}
		}
		notes, err = db.AddNotificationsTx(ctx, tx, []domain.Notification{{TownID: r.TownID, AccountID: r.CreatedBy,
			Kind: domain.NotifyInfoReport, Title: title, Link: "/admin/my-info-reports/" + idString(id), RefType: "info_report", RefID: id}})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, action, "info_report", id, domain.OutcomeSuccess, r.OrgName+"："+r.Title))
	})
	return notes, err
}

// PendingArticles returns the adopted information reports of a town that the portal has not
// yet turned into article drafts, oldest first. The portal calls it to offer them to editors.
func (db *DB) PendingArticles(ctx context.Context, townID int64) ([]domain.PendingArticle, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, p.town_id, p.info_report_id, p.title, p.body, p.contributor_org_id, o.name, p.created_at
		FROM pending_articles p JOIN orgs o ON o.id = p.contributor_org_id
		WHERE p.town_id = $1 AND p.claimed_at IS NULL ORDER BY p.created_at, p.id`, townID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.PendingArticle
	for rows.Next() {
		var p domain.PendingArticle
		if err := rows.Scan(&p.ID, &p.TownID, &p.InfoReportID, &p.Title, &p.Body, &p.ContributorOrgID, &p.ContributorName, &p.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, p)
	}
	return out, rows.Err()
}

// ClaimPendingArticleTx marks a pending article of the actor's town as turned into the
// portal's article articleID, inside the portal's transaction that creates the draft, and
// audits it. A pending article claimed before is a conflict, so two editors cannot make two
// drafts of one report.
func (db *DB) ClaimPendingArticleTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id, articleID int64) error {
	res, err := tx.ExecContext(ctx, `UPDATE pending_articles SET claimed_at = $1, article_id = $2
		WHERE id = $3 AND town_id = $4 AND claimed_at IS NULL`, db.now(), articleID, id, actor.TownID)
	if err != nil {
		return err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return domain.Conflict("该上报信息已转为稿件，或不存在。")
	}
	return db.appendAudit(ctx, tx, auditFor(actor, "pending_article.claimed", "pending_article", id, domain.OutcomeSuccess,
		"稿件 "+idString(articleID)))
}
