package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/search"
)

// publicCond limits articles to those visitors may see at the time in placeholder ph.
func publicCond(ph string) string {
	return `a.status = 'published' AND a.publish_at <= ` + ph
}

// PublicArticles returns one page of a town's public articles at now, in one column when
// columnID is not 0: pinned first, then newest, with the id breaking ties so that pages neither
// repeat nor drop articles that share a publish time. Past-the-end page numbers give the last page.
func (db *DB) PublicArticles(ctx context.Context, townID, columnID int64, page Page, now time.Time) ([]domain.Article, int, Page, error) {
	cond, args := publicScope(townID, columnID, now)
	var total int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM articles a`+cond, args...).Scan(&total); err != nil {
		return nil, 0, page, err
	}
	page = page.Normalize(total)
	list, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+cond+
		` ORDER BY a.pinned DESC, a.publish_at DESC, a.id DESC LIMIT $4 OFFSET $5`, append(args, page.Size, page.Offset())...)
	return list, total, page, err
}

// publicScope returns the condition and its three arguments that select a town's public
// articles at now, in one column unless columnID is 0. The two forms are separate statements
// so that each can use its own index.
func publicScope(townID, columnID int64, now time.Time) (string, []any) {
	if columnID == 0 {
		return ` WHERE a.town_id = $1 AND ` + publicCond("$2") + ` AND $3 = 0`, []any{townID, now.UTC(), 0}
	}
	return ` WHERE a.column_id = $3 AND a.town_id = $1 AND ` + publicCond("$2"), []any{townID, now.UTC(), columnID}
}

// LatestArticles returns the newest n public articles of a column (or of the town when columnID
// is 0), pinned first when pinnedFirst is set.
func (db *DB) LatestArticles(ctx context.Context, townID, columnID int64, n int, pinnedFirst bool, now time.Time) ([]domain.Article, error) {
	order := ` ORDER BY a.publish_at DESC, a.id DESC`
	if pinnedFirst {
		order = ` ORDER BY a.pinned DESC, a.publish_at DESC, a.id DESC`
	}
	cond, args := publicScope(townID, columnID, now)
	return db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+cond+order+` LIMIT $4`, append(args, n)...)
}

// PinnedArticles returns the newest n pinned public articles of a town.
func (db *DB) PinnedArticles(ctx context.Context, townID int64, n int, now time.Time) ([]domain.Article, error) {
	return db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.town_id = $1 AND `+publicCond("$2")+
		` AND a.pinned = TRUE ORDER BY a.publish_at DESC, a.id DESC LIMIT $3`, townID, now.UTC(), n)
}

// PublicArticle loads a public article of a town with its body, topics and attachments. An
// article that is not public at now is not found.
func (db *DB) PublicArticle(ctx context.Context, townID, id int64, now time.Time) (domain.Article, error) {
	a, err := scanArticle(db.sql.QueryRowContext(ctx, `SELECT `+articleWithBody+articleFrom+` WHERE a.id = $1 AND a.town_id = $2 AND `+
		publicCond("$3"), id, townID, now.UTC()), true)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.NotFound("稿件不存在或已撤下。")
	}
	if err != nil {
		return a, err
	}
	return a, db.loadArticleLinks(ctx, db.sql, &a)
}

// RelatedArticles returns up to n public articles related to a: those sharing a topic first,
// then those of the same column, newest first within each group.
func (db *DB) RelatedArticles(ctx context.Context, a domain.Article, n int, now time.Time) ([]domain.Article, error) {
	list, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.town_id = $1 AND `+publicCond("$2")+`
		AND a.id <> $3 AND a.id IN (SELECT x.article_id FROM article_topics x JOIN article_topics y ON y.topic_id = x.topic_id
		WHERE y.article_id = $3) ORDER BY a.publish_at DESC, a.id DESC LIMIT $4`, a.TownID, now.UTC(), a.ID, n)
	if err != nil || len(list) >= n {
		return list, err
	}
	more, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+` WHERE a.town_id = $1 AND `+publicCond("$2")+`
		AND a.id <> $3 AND a.column_id = $4 ORDER BY a.publish_at DESC, a.id DESC LIMIT $5`, a.TownID, now.UTC(), a.ID, a.ColumnID, n)
	if err != nil {
		return nil, err
	}
	seen := map[int64]bool{}
	for _, x := range list {
		seen[x.ID] = true
	}
	for _, x := range more {
		if len(list) == n {
			break
		}
		if !seen[x.ID] {
			list = append(list, x)
		}
	}
	return list, nil
}

// ArticleFiles returns the file records of ids in the town, in the order of ids.
func (db *DB) ArticleFiles(ctx context.Context, townID int64, ids []int64) ([]FileRecord, error) {
	var out []FileRecord
	for _, id := range ids {
		f, err := db.GetFile(ctx, townID, id)
		if domain.ErrorKind(err) == domain.KindNotFound {
			continue
		}
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// PublicAttachment returns an attachment of a public article, or not found.
func (db *DB) PublicAttachment(ctx context.Context, townID, articleID, fileID int64, now time.Time) (FileRecord, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM article_attachments x JOIN articles a ON a.id = x.article_id
		WHERE x.article_id = $1 AND x.file_id = $2 AND a.town_id = $3 AND `+publicCond("$4"), articleID, fileID, townID, now.UTC()).Scan(&n)
	if err != nil {
		return FileRecord{}, err
	}
	if n == 0 {
		return FileRecord{}, domain.NotFound("附件不存在。")
	}
	return db.GetFile(ctx, townID, fileID)
}

// FileByKey loads a file record by its storage key. Keys are random, so whoever holds one was
// given it by a page.
func (db *DB) FileByKey(ctx context.Context, key string) (FileRecord, error) {
	var f FileRecord
	var by sql.NullInt64
	err := db.sql.QueryRowContext(ctx, `SELECT id, town_id, storage_key, original_name, content_type, size, sha256, created_by, created_at
		FROM files WHERE storage_key = $1`, key).Scan(&f.ID, &f.TownID, &f.StorageKey, &f.OriginalName, &f.ContentType,
		&f.Size, &f.SHA256, &by, &f.CreatedAt)
	if errors.Is(err, sql.ErrNoRows) {
		return f, domain.NotFound("文件不存在。")
	}
	f.CreatedBy = by.Int64
	return f, err
}

// SitemapEntry is one public article for the site map.
type SitemapEntry struct {
	ID        int64
	UpdatedAt time.Time
}

// SitemapArticles returns the newest limit public articles of a town.
func (db *DB) SitemapArticles(ctx context.Context, townID int64, limit int, now time.Time) ([]SitemapEntry, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT a.id, a.updated_at FROM articles a WHERE a.town_id = $1 AND `+publicCond("$2")+`
		ORDER BY a.publish_at DESC, a.id DESC LIMIT $3`, townID, now.UTC(), limit)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []SitemapEntry
	for rows.Next() {
		var e SitemapEntry
		if err := rows.Scan(&e.ID, &e.UpdatedAt); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SearchFilter is a visitor's search.
type SearchFilter struct {
	Terms    []search.Term
	ColumnID int64
	From, To time.Time // [From, To) on the publish time; zero does not filter
}

// SearchWindow is how many of the newest matches a search ranks. Ranking every match of a
// common word costs time that grows with the archive; older matches past the window are counted
// in the total but not listed.
const SearchWindow = 1000

// SearchResult is one page of search hits.
type SearchResult struct {
	Articles []domain.Article // with BodyText, for the excerpt
	TitleHit []bool
	Total    int // every match
	Listed   int // matches that can be paged through: at most SearchWindow
	Page     Page
}

// SearchArticles finds the town's public articles at now that contain every term, in the title,
// subtitle or body. Hits whose title contains every term come first, then the newest. The same
// data gives the same hits on SQLite and PostgreSQL.
func (db *DB) SearchArticles(ctx context.Context, townID int64, f SearchFilter, page Page, now time.Time) (SearchResult, error) {
	var res SearchResult
	if len(f.Terms) == 0 {
		res.Page = page.Normalize(0)
		return res, nil
	}
	match, query := db.dialect.search.match(f.Terms, "$3")
	args := []any{townID, now.UTC(), query}
	where := []string{"a.town_id = $1", publicCond("$2"), match}
	for _, t := range f.Terms {
		if !t.Exact() {
			args = append(args, escapeLike(t.Text))
			ph := fmt.Sprintf("$%d", len(args))
			where = append(where, "("+db.dialect.containsFold("a.title", ph)+" OR "+db.dialect.containsFold("a.subtitle", ph)+
				" OR "+db.dialect.containsFold("a.body_text", ph)+")")
		}
	}
	if f.ColumnID != 0 {
		args = append(args, f.ColumnID)
		where = append(where, fmt.Sprintf("a.column_id = $%d", len(args)))
	}
	if !f.From.IsZero() {
		args = append(args, f.From.UTC())
		where = append(where, fmt.Sprintf("a.publish_at >= $%d", len(args)))
	}
	if !f.To.IsZero() {
		args = append(args, f.To.UTC())
		where = append(where, fmt.Sprintf("a.publish_at < $%d", len(args)))
	}
	cond := " WHERE " + strings.Join(where, " AND ")

	// One pass finds every match, counts them all (the window count runs before LIMIT) and
	// ranks the newest SearchWindow of them: title hits first, then newest, id breaking ties.
	type hit struct {
		id      int64
		publish time.Time
		title   bool
	}
	rankArgs := args
	var titleHit []string
	for _, t := range f.Terms {
		rankArgs = append(rankArgs, escapeLike(t.Text))
		titleHit = append(titleHit, db.dialect.containsFold("a.title", fmt.Sprintf("$%d", len(rankArgs))))
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT a.id, a.publish_at, CASE WHEN `+strings.Join(titleHit, " AND ")+` THEN 1 ELSE 0 END,
		COUNT(*) OVER () FROM articles a`+cond+fmt.Sprintf(` ORDER BY a.publish_at DESC, a.id DESC LIMIT %d`, SearchWindow), rankArgs...)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	var hits []hit
	for rows.Next() {
		var h hit
		var flag int
		if err := rows.Scan(&h.id, &h.publish, &flag, &res.Total); err != nil {
			rows.Close()
			return res, err
		}
		h.title = flag == 1
		hits = append(hits, h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return res, err
	}
	sort.SliceStable(hits, func(i, j int) bool { return hits[i].title && !hits[j].title })
	res.Listed = len(hits)
	res.Page = page.Normalize(len(hits))
	end := min(res.Page.Offset()+res.Page.Size, len(hits))
	pageHits := hits[res.Page.Offset():end]
	if len(pageHits) == 0 {
		return res, nil
	}
	marks := make([]string, len(pageHits))
	ids := make([]any, len(pageHits))
	for i, h := range pageHits {
		marks[i], ids[i] = fmt.Sprintf("$%d", i+1), h.id
	}
	found, err := db.queryArticlesWithBody(ctx, `SELECT `+articleWithBody+articleFrom+` WHERE a.id IN (`+strings.Join(marks, ", ")+`)`, ids...)
	if err != nil {
		return res, err
	}
	byID := make(map[int64]domain.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	for _, h := range pageHits {
		if a, ok := byID[h.id]; ok {
			res.Articles = append(res.Articles, a)
			res.TitleHit = append(res.TitleHit, h.title)
		}
	}
	return res, nil
}

func (db *DB) queryArticlesWithBody(ctx context.Context, query string, args ...any) ([]domain.Article, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Article
	for rows.Next() {
		a, err := scanArticle(rows, true)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// AddArticleViews adds counted views to the articles' totals and to the day's counts, in one
// transaction. day is YYYY-MM-DD in Beijing time. Views of articles that no longer exist are
// dropped.
func (db *DB) AddArticleViews(ctx context.Context, day string, views map[int64]int64) error {
	if len(views) == 0 {
		return nil
	}
	return db.Tx(ctx, func(tx *sql.Tx) error { return db.AddArticleViewsTx(ctx, tx, day, views) })
}

// AddArticleViewsTx is AddArticleViews inside a caller's transaction.
func (db *DB) AddArticleViewsTx(ctx context.Context, tx *sql.Tx, day string, views map[int64]int64) error {
	for id, n := range views {
		res, err := tx.ExecContext(ctx, `UPDATE articles SET views = views + $1 WHERE id = $2`, n, id)
		if err != nil {
			return fmt.Errorf("add views: %w", err)
		}
		if k, _ := res.RowsAffected(); k == 0 {
			continue
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_views_daily (article_id, day, views) VALUES ($1, $2, $3)
			ON CONFLICT (article_id, day) DO UPDATE SET views = article_views_daily.views + excluded.views`, id, day, n); err != nil {
			return fmt.Errorf("add daily views: %w", err)
		}
	}
	return nil
}
