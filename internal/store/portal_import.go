package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"pingan/internal/domain"
)

// ImportPublished stores articles that were published elsewhere, such as the archive of the
// town's old site or generated benchmark data, as published articles of the actor's town with
// their own publish times, indexed for search. It validates each article, writes in batches of
// 500 per transaction and records one audit entry per batch, not a timeline per article.
func (db *DB) ImportPublished(ctx context.Context, actor domain.Actor, articles []domain.Article) error {
	const batch = 500
	for start := 0; start < len(articles); start += batch {
		end := min(start+batch, len(articles))
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			for i := start; i < end; i++ {
				a := articles[i]
				if err := prepareArticle(actor, &a); err != nil {
					return fmt.Errorf("article %d (%s): %w", i, a.Title, err)
				}
				if a.PublishAt.IsZero() {
					return fmt.Errorf("article %d (%s): no publish time", i, a.Title)
				}
				at := a.PublishAt.UTC()
				id, err := insertID(ctx, tx, `INSERT INTO articles (town_id, column_id, title, subtitle, body, body_text, summary,
					source_kind, source_name, author, editor, status, publish_at, pinned, views, contributor_org_id,
					confirmed_by_name, confirmed_at, created_at, updated_at)
					VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'published', $12, FALSE, $13, $14, $15, $12, $12, $12) RETURNING id`,
					actor.TownID, a.ColumnID, a.Title, a.Subtitle, a.Body, a.BodyText, a.Summary, string(a.SourceKind), a.SourceName,
					a.Author, a.Editor, at, a.Views, nullInt(a.ContributorOrgID), actor.Name)
				if err != nil {
					return fmt.Errorf("import article: %w", err)
				}
				a.ID, a.TownID = id, actor.TownID
				if err := db.dialect.search.index(ctx, tx, searchEntryOf(a), time.Time{}); err != nil {
					return err
				}
			}
			return db.appendAudit(ctx, tx, auditFor(actor, "article.import", "article", 0, domain.OutcomeSuccess,
				fmt.Sprintf("导入已发布稿件 %d 篇", end-start)))
		})
		if err != nil {
			return err
		}
	}
	// Fresh statistics let the query planner see the imported rows; without them PostgreSQL
	// takes the tables for a few rows until autovacuum catches up.
	if _, err := db.sql.ExecContext(ctx, `ANALYZE`); err != nil {
		return fmt.Errorf("analyze: %w", err)
	}
	return nil
}
