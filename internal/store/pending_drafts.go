package store

import (
	"context"
	"database/sql"
	"errors"
	"html"
	"strings"

	"pingan/internal/domain"
)

// DraftFromPendingArticle turns an adopted information report that waits for the portal into an
// article draft: a contribution credited to the reporting organization, in the column named
// columnSlug (the first list column when there is none). The draft, the claim of the pending
// record and the audit entry commit together, so a report becomes at most one draft.
func (db *DB) DraftFromPendingArticle(ctx context.Context, actor domain.Actor, pendingID int64, columnSlug string) (int64, error) {
	var articleID int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var p domain.PendingArticle
		var claimed sql.NullTime
		// The pending record copies the report's text; an empty copy falls back to the report itself.
		err := tx.QueryRowContext(ctx, `SELECT p.id, p.title, CASE WHEN p.body = '' THEN COALESCE(r.body, '') ELSE p.body END,
			p.contributor_org_id, o.name, p.claimed_at
			FROM pending_articles p JOIN orgs o ON o.id = p.contributor_org_id
			LEFT JOIN info_reports r ON r.id = p.info_report_id
			WHERE p.id = $1 AND p.town_id = $2`, pendingID, actor.TownID).
			Scan(&p.ID, &p.Title, &p.Body, &p.ContributorOrgID, &p.ContributorName, &claimed)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("待编稿件不存在。")
		}
		if err != nil {
			return err
		}
		if claimed.Valid {
			return domain.Conflict("这篇上报信息已经转为稿件。")
		}
		column, err := db.draftColumn(ctx, tx, actor.TownID, columnSlug)
		if err != nil {
			return err
		}
		a := domain.Article{ColumnID: column, Title: p.Title, Body: paragraphsHTML(p.Body), BodyText: domain.CleanText(p.Body),
			SourceKind: domain.SourceContribution, SourceName: p.ContributorName, ContributorOrgID: p.ContributorOrgID}
		if articleID, err = db.CreateArticleTx(ctx, tx, actor, a); err != nil {
			return err
		}
		if err := db.ClaimPendingArticleTx(ctx, tx, actor, p.ID, articleID); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "pending_article.draft", "article", articleID, domain.OutcomeSuccess,
			p.ContributorName+"：“"+p.Title+"”"))
	})
	return articleID, err
}

func (db *DB) draftColumn(ctx context.Context, tx *sql.Tx, townID int64, slug string) (int64, error) {
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM columns WHERE town_id = $1 AND kind = $2
		ORDER BY CASE WHEN slug = $3 THEN 0 ELSE 1 END, sort_order, id LIMIT 1`, townID, string(domain.ColumnList), slug).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.Conflict("还没有文章列表类的栏目，请先新建栏目。")
	}
	return id, err
}

// paragraphsHTML turns plain text into escaped paragraphs for the rich-text body.
func paragraphsHTML(text string) string {
	var b strings.Builder
	for _, line := range strings.Split(strings.ReplaceAll(text, "\r\n", "\n"), "\n") {
		if line = strings.TrimSpace(line); line != "" {
			b.WriteString("<p>" + html.EscapeString(line) + "</p>")
		}
	}
	return b.String()
}
