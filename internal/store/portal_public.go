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
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM articles a`+cond, args, &page)
	if err != nil {
		return nil, 0, page, err
	}
	list, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+cond+
		` ORDER BY a.pinned DESC, a.publish_at DESC, a.id DESC`+limit, args...)
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

// FileByKey loads a file record by its storage key. Keys are random, so a caller can only
// know one that a page showed.
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
	Total    int // every match, up to SearchWindow+1, which means more than SearchWindow
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
	w, err := db.searchWindow(ctx, townID, f, now)
	if err != nil {
		return res, fmt.Errorf("search: %w", err)
	}
	ids := w.ids
	res.Total = w.total
	titleHits, err := db.titleHits(ctx, w, f.Terms)
	if err != nil {
		return res, fmt.Errorf("search titles: %w", err)
	}
	sort.SliceStable(ids, func(i, j int) bool { return titleHits[ids[i]] && !titleHits[ids[j]] })
	res.Listed = len(ids)
	res.Page = page.Normalize(len(ids))
	pageIDs := ids[res.Page.Offset():min(res.Page.Offset()+res.Page.Size, len(ids))]
	if len(pageIDs) == 0 {
		return res, nil
	}
	marks, args := inList(pageIDs, 2)
	found, err := db.queryArticlesWithBody(ctx, `SELECT `+articleWithBody+articleFrom+` WHERE `+publicCond("$1")+` AND a.id IN (`+marks+`)`,
		append([]any{now.UTC()}, args...)...)
	if err != nil {
		return res, err
	}
	byID := make(map[int64]domain.Article, len(found))
	for _, a := range found {
		byID[a.ID] = a
	}
	for _, id := range pageIDs {
		if a, ok := byID[id]; ok {
			res.Articles = append(res.Articles, a)
			res.TitleHit = append(res.TitleHit, titleHits[id])
		}
	}
	return res, nil
}

// window is the newest matches of a search: their ids newest first, the count of all matches
// up to SearchWindow+1, and how to ask the index which of them have every term in the title.
type window struct {
	ids   []int64
	total int
	// titleIDs returns the window's title hits; nil means the window must check the titles.
	titleIDs func(ctx context.Context) ([]int64, error)
	query    string // the query of ids, when titleIDs is nil
	args     []any
}

// searchWindow returns the newest SearchWindow matches of a search. When the index tokens decide
// every term, the index alone answers; otherwise the matches are checked against the articles'
// text for the whole term.
func (db *DB) searchWindow(ctx context.Context, townID int64, f SearchFilter, now time.Time) (window, error) {
	sd := db.dialect.search
	// The town token matches every article of a single-town deployment and doubles the work of
	// common words, so it is added only when several towns share the database.
	var towns int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM orgs WHERE kind = 'town'`).Scan(&towns); err != nil {
		return window{}, err
	}
	var scope []string
	if towns > 1 {
		scope = append(scope, search.TownToken(townID))
	}
	if f.ColumnID != 0 {
		scope = append(scope, search.ColumnToken(f.ColumnID))
	}
	cond, query := sd.match(f.Terms, false, scope, "$1")
	var text []string
	var textArgs []any
	for _, t := range f.Terms {
		if !t.Exact() {
			textArgs = append(textArgs, escapeLike(t.Text))
			text = append(text, "("+db.dialect.containsFold("a.title", "?")+" OR "+db.dialect.containsFold("a.subtitle", "?")+
				" OR "+db.dialect.containsFold("a.body_text", "?")+")")
		}
	}
	if len(text) == 0 {
		// A common word has its newest matches within the last year: looking there first spares
		// PostgreSQL from ordering every match of the archive. The window takes one more than it
		// lists, to tell "more than SearchWindow" from exactly that many.
		starts := []time.Time{f.From}
		if f.From.IsZero() {
			starts = []time.Time{now.AddDate(-1, 0, 0), {}}
		}
		var w window
		for _, start := range starts {
			clause, bounds := sd.from(cond, now, start, f.To, 2)
			ids, err := db.queryIDs(ctx, sd.ids(clause)+fmt.Sprintf(` LIMIT %d`, SearchWindow+1), append([]any{query}, bounds...)...)
			if err != nil {
				return w, err
			}
			w.ids = ids
			titleCond, titleQuery := sd.match(f.Terms, true, scope, "$1")
			titleClause, _ := sd.from(titleCond, now, start, f.To, 2)
			w.titleIDs = func(ctx context.Context) ([]int64, error) {
				return db.queryIDs(ctx, sd.ids(titleClause)+fmt.Sprintf(` LIMIT %d`, SearchWindow), append([]any{titleQuery}, bounds...)...)
			}
			if len(ids) > SearchWindow {
				break
			}
		}
		w.total = len(w.ids)
		w.ids = w.ids[:min(len(w.ids), SearchWindow)]
		return w, nil
	}

	// The index is read first and materialized: left to itself, PostgreSQL walks every article
	// by publish time and probes the index for each.
	clause, bounds := sd.from(cond, now, f.From, f.To, 2)
	args := append([]any{query}, bounds...)
	for i := range text {
		args = append(args, textArgs[i])
		text[i] = strings.ReplaceAll(text[i], "?", fmt.Sprintf("$%d", len(args)))
	}
	all := `WITH m AS MATERIALIZED (` + sd.ids(clause) + `)
		SELECT a.id FROM m JOIN articles a ON a.id = m.id WHERE ` + strings.Join(text, " AND ") +
		fmt.Sprintf(` ORDER BY a.publish_at DESC, a.id DESC LIMIT %d`, SearchWindow+1)
	ids, err := db.queryIDs(ctx, all, args...)
	if err != nil {
		return window{}, err
	}
	return window{ids: ids[:min(len(ids), SearchWindow)], total: len(ids), query: all, args: args}, nil
}

func (db *DB) queryIDs(ctx context.Context, query string, args ...any) ([]int64, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, rows.Err()
}

// titleHits returns which articles of the window have every term in their title: from the
// index's title tokens when it can, otherwise by joining the window's own query.
func (db *DB) titleHits(ctx context.Context, w window, terms []search.Term) (map[int64]bool, error) {
	out := map[int64]bool{}
	if len(w.ids) == 0 {
		return out, nil
	}
	var ids []int64
	var err error
	if w.titleIDs != nil {
		ids, err = w.titleIDs(ctx)
	} else {
		args := append([]any{}, w.args...)
		var conds []string
		for _, t := range terms {
			args = append(args, escapeLike(t.Text))
			conds = append(conds, db.dialect.containsFold("a.title", fmt.Sprintf("$%d", len(args))))
		}
		ids, err = db.queryIDs(ctx, `SELECT a.id FROM (`+w.query+`) w JOIN articles a ON a.id = w.id WHERE `+strings.Join(conds, " AND "), args...)
	}
	if err != nil {
		return nil, err
	}
	inWindow := make(map[int64]bool, len(w.ids))
	for _, id := range w.ids {
		inWindow[id] = true
	}
	for _, id := range ids {
		if inWindow[id] {
			out[id] = true
		}
	}
	return out, nil
}

// inList returns placeholders $first… for ids and the ids as arguments.
func inList(ids []int64, first int) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = fmt.Sprintf("$%d", first+i), id
	}
	return strings.Join(marks, ", "), args
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

// TopicArticles returns one page of a town's public articles of a topic at now, newest first.
func (db *DB) TopicArticles(ctx context.Context, townID, topicID int64, page Page, now time.Time) ([]domain.Article, int, Page, error) {
	cond := ` WHERE a.town_id = $1 AND ` + publicCond("$2") + ` AND a.id IN (SELECT article_id FROM article_topics WHERE topic_id = $3)`
	args := []any{townID, now.UTC(), topicID}
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM articles a`+cond, args, &page)
	if err != nil {
		return nil, 0, page, err
	}
	list, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+cond+
		` ORDER BY a.publish_at DESC, a.id DESC`+limit, args...)
	return list, total, page, err
}
