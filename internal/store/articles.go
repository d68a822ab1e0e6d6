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

const articleColumns = `a.id, a.town_id, a.column_id, c.name, c.slug, a.title, a.subtitle, a.summary, COALESCE(a.cover_file_id, 0),
	COALESCE(f.storage_key, ''), a.source_kind, a.source_name, a.author, a.editor, a.status, a.publish_at, a.pinned, a.views,
	COALESCE(a.contributor_org_id, 0), COALESCE(o.name, ''), a.submitted_at, a.return_reason, COALESCE(a.confirmed_by, 0),
	a.confirmed_by_name, a.confirmed_at, COALESCE(a.created_by, 0), a.created_at, a.updated_at`

const articleFrom = ` FROM articles a JOIN columns c ON c.id = a.column_id
	LEFT JOIN orgs o ON o.id = a.contributor_org_id LEFT JOIN files f ON f.id = a.cover_file_id `

// articleWithBody adds the body columns to articleColumns, for loading one article.
const articleWithBody = articleColumns + `, a.body, a.body_text`

func scanArticle(row interface{ Scan(...any) error }, withBody bool) (domain.Article, error) {
	var a domain.Article
	var source, status, coverKey string
	var publish, submitted, confirmed sql.NullTime
	dest := []any{&a.ID, &a.TownID, &a.ColumnID, &a.ColumnName, &a.ColumnSlug, &a.Title, &a.Subtitle, &a.Summary, &a.CoverFileID,
		&coverKey, &source, &a.SourceName, &a.Author, &a.Editor, &status, &publish, &a.Pinned, &a.Views,
		&a.ContributorOrgID, &a.ContributorOrg, &submitted, &a.ReturnReason, &a.ConfirmedBy,
		&a.ConfirmedByName, &confirmed, &a.CreatedBy, &a.CreatedAt, &a.UpdatedAt}
	if withBody {
		dest = append(dest, &a.Body, &a.BodyText)
	}
	if err := row.Scan(dest...); err != nil {
		return a, err
	}
	a.SourceKind, a.Status = domain.SourceKind(source), domain.ArticleStatus(status)
	a.PublishAt, a.SubmittedAt, a.ConfirmedAt = publish.Time, submitted.Time, confirmed.Time
	if coverKey != "" {
		a.CoverURL = MediaURL(coverKey)
	}
	return a, nil
}

// MediaURL returns the public address of an uploaded file by its storage key. The key is random,
// so the address cannot be guessed from another one.
func MediaURL(storageKey string) string { return "/media/" + storageKey }

// prepareArticle fills the fields derived from what a person typed and validates the article.
// Body and BodyText must already be sanitized.
func prepareArticle(actor domain.Actor, a *domain.Article) error {
	if !actor.Can(domain.PermArticlesEdit) {
		// A contributor's article is always a contribution of the own organization.
		a.SourceKind = domain.SourceContribution
		a.ContributorOrgID = actor.OrgID
		a.Pinned = false
	}
	if err := domain.ValidateArticle(a); err != nil {
		return err
	}
	a.Summary = domain.DeriveSummary(a.Summary, a.BodyText)
	return nil
}

// checkArticleRefs makes sure the column, topics, cover and attachments belong to the actor's town.
func (db *DB) checkArticleRefs(ctx context.Context, q querier, actor domain.Actor, a domain.Article) error {
	p := domain.Problems{}
	if col, err := db.getColumn(ctx, q, actor.TownID, a.ColumnID); err != nil || col.Kind == domain.ColumnLink {
		p.Add("column_id", "请选择一个文章列表或单页栏目。")
	}
	for _, id := range a.TopicIDs {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM topics WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p.Add("topics", "所选专题不存在。")
		}
	}
	files := append([]int64{}, a.AttachmentIDs...)
	if a.CoverFileID != 0 {
		files = append(files, a.CoverFileID)
	}
	for _, id := range files {
		var n int
		if err := q.QueryRowContext(ctx, `SELECT COUNT(*) FROM files WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			p.Add("attachments", "附件或封面图片不存在，请重新上传。")
		}
	}
	return p.Err()
}

// CreateArticle validates and stores a new draft in the actor's town, with its first timeline
// entry and audit record in the same transaction. A contributor's article becomes a
// contribution of the own organization.
func (db *DB) CreateArticle(ctx context.Context, actor domain.Actor, a domain.Article) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.CreateArticleTx(ctx, tx, actor, a)
		return err
	})
	return id, err
}

// CreateArticleTx is CreateArticle inside a caller's transaction. It keeps a.CreatedAt when set,
// for the demo.
func (db *DB) CreateArticleTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, a domain.Article) (int64, error) {
	if !actor.Can(domain.PermArticlesEdit) && !actor.Can(domain.PermArticlesContribute) {
		return 0, domain.Forbidden("您没有撰写稿件的权限。")
	}
	if err := prepareArticle(actor, &a); err != nil {
		return 0, err
	}
	if err := db.checkArticleRefs(ctx, tx, actor, a); err != nil {
		return 0, err
	}
	now := db.now()
	if a.CreatedAt.IsZero() {
		a.CreatedAt = now
	}
	id, err := insertID(ctx, tx, `INSERT INTO articles (town_id, column_id, title, subtitle, body, body_text, summary, cover_file_id,
		source_kind, source_name, author, editor, status, publish_at, pinned, contributor_org_id, created_by, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19) RETURNING id`,
		actor.TownID, a.ColumnID, a.Title, a.Subtitle, a.Body, a.BodyText, a.Summary, nullInt(a.CoverFileID),
		string(a.SourceKind), a.SourceName, a.Author, a.Editor, string(domain.StatusDraft), nullTime(a.PublishAt), a.Pinned,
		nullInt(a.ContributorOrgID), nullInt(actor.AccountID), a.CreatedAt.UTC(), a.CreatedAt.UTC())
	if err != nil {
		return 0, fmt.Errorf("insert article: %w", err)
	}
	if err := db.setArticleLinks(ctx, tx, id, a); err != nil {
		return 0, err
	}
	if err := db.addArticleEvent(ctx, tx, actor, id, a.CreatedAt, "create", ""); err != nil {
		return 0, err
	}
	e := auditFor(actor, "article.create", "article", id, domain.OutcomeSuccess, a.Title)
	e.At = a.CreatedAt
	return id, db.appendAudit(ctx, tx, e)
}

// UpdateArticle changes the content of an article the actor may edit (domain.CanEditArticle).
// A published article is re-indexed for search. The timeline and the audit trail record it.
func (db *DB) UpdateArticle(ctx context.Context, actor domain.Actor, a domain.Article) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getArticle(ctx, tx, actor, a.ID)
		if err != nil {
			return err
		}
		if !domain.CanEditArticle(actor, cur) {
			return domain.Conflict("稿件当前为“" + cur.Status.Label() + "”，不能修改。")
		}
		if !actor.Can(domain.PermArticlesEdit) {
			a.ContributorOrgID = cur.ContributorOrgID
		} else if cur.ContributorOrgID != 0 && a.ContributorOrgID == 0 {
			a.ContributorOrgID = cur.ContributorOrgID
		}
		if err := prepareArticle(actor, &a); err != nil {
			return err
		}
		if err := db.checkArticleRefs(ctx, tx, actor, a); err != nil {
			return err
		}
		now := db.now()
		publishAt := a.PublishAt
		if publishAt.IsZero() {
			publishAt = cur.PublishAt
		}
		if _, err := tx.ExecContext(ctx, `UPDATE articles SET column_id = $1, title = $2, subtitle = $3, body = $4, body_text = $5,
			summary = $6, cover_file_id = $7, source_kind = $8, source_name = $9, author = $10, editor = $11, publish_at = $12,
			pinned = $13, contributor_org_id = $14, updated_at = $15 WHERE id = $16 AND town_id = $17`,
			a.ColumnID, a.Title, a.Subtitle, a.Body, a.BodyText, a.Summary, nullInt(a.CoverFileID), string(a.SourceKind),
			a.SourceName, a.Author, a.Editor, nullTime(publishAt), a.Pinned, nullInt(a.ContributorOrgID), now, a.ID, actor.TownID); err != nil {
			return fmt.Errorf("update article: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_topics WHERE article_id = $1`, a.ID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM article_attachments WHERE article_id = $1`, a.ID); err != nil {
			return err
		}
		if err := db.setArticleLinks(ctx, tx, a.ID, a); err != nil {
			return err
		}
		if cur.Status == domain.StatusPublished {
			a.TownID, a.PublishAt = actor.TownID, publishAt
			if err := db.dialect.search.index(ctx, tx, searchEntryOf(a), cur.PublishAt); err != nil {
				return err
			}
		}
		if err := db.addArticleEvent(ctx, tx, actor, a.ID, now, "update", ""); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "article.update", "article", a.ID, domain.OutcomeSuccess, a.Title))
	})
}

func (db *DB) setArticleLinks(ctx context.Context, tx *sql.Tx, id int64, a domain.Article) error {
	seen := map[int64]bool{}
	for _, t := range a.TopicIDs {
		if seen[t] {
			continue
		}
		seen[t] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_topics (article_id, topic_id) VALUES ($1, $2)`, id, t); err != nil {
			return fmt.Errorf("link topic: %w", err)
		}
	}
	clear(seen)
	for i, f := range a.AttachmentIDs {
		if seen[f] {
			continue
		}
		seen[f] = true
		if _, err := tx.ExecContext(ctx, `INSERT INTO article_attachments (article_id, file_id, sort_order) VALUES ($1, $2, $3)`, id, f, i); err != nil {
			return fmt.Errorf("link attachment: %w", err)
		}
	}
	return nil
}

func (db *DB) addArticleEvent(ctx context.Context, q querier, actor domain.Actor, id int64, at time.Time, action, note string) error {
	_, err := q.ExecContext(ctx, `INSERT INTO article_events (article_id, at, actor_id, actor_name, action, note) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, at.UTC(), nullInt(actor.AccountID), actor.Name, action, domain.TruncateChars(note, domain.MaxReason))
	return err
}

// StepInput is one workflow step on an article.
type StepInput struct {
	Action domain.ArticleAction
	// Reason is required to return or withdraw an article.
	Reason string
	// Confirmed records that the editor did the confidentiality review (保密审查); publishing
	// requires it.
	Confirmed bool
	// PublishAt sets the publish time when publishing; zero keeps the article's own or uses now.
	PublishAt time.Time
	// At is when the step happened; zero means now. The demo sets it.
	At time.Time
}

// ArticleStep performs a workflow step on an article of the actor's scope: the status change, its
// timeline entry, the search index and the audit record commit together. Errors: KindNotFound
// outside the scope, KindForbidden without the permission, KindConflict when the step does not
// apply, KindInvalid when a reason or the confidentiality confirmation is missing.
func (db *DB) ArticleStep(ctx context.Context, actor domain.Actor, id int64, in StepInput) error {
	return db.Tx(ctx, func(tx *sql.Tx) error { return db.ArticleStepTx(ctx, tx, actor, id, in) })
}

// ArticleStepTx is ArticleStep inside a caller's transaction.
func (db *DB) ArticleStepTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64, in StepInput) error {
	cur, err := db.getArticle(ctx, tx, actor, id)
	if err != nil {
		return err
	}
	to, err := domain.Transition(actor, cur.Status, in.Action)
	if err != nil {
		return err
	}
	if in.Action == domain.ActionSubmit && !actor.Can(domain.PermArticlesEdit) && cur.ContributorOrgID != actor.OrgID {
		return domain.NotFound("稿件不存在。")
	}
	in.Reason = domain.CleanText(in.Reason)
	p := domain.Problems{}
	if in.Action == domain.ActionReturn || in.Action == domain.ActionWithdraw {
		p.CheckLength("reason", "理由", in.Reason, true, domain.MaxReason)
	}
	if in.Action == domain.ActionPublish && !in.Confirmed {
		p.Add("confirmed", "发布前请确认已完成保密审查：稿件不涉及国家秘密、工作秘密，内容真实准确。")
	}
	if err := p.Err(); err != nil {
		return err
	}
	at := in.At
	if at.IsZero() {
		at = db.now()
	}
	at = at.UTC()
	note := in.Reason
	switch in.Action {
	case domain.ActionSubmit:
		_, err = tx.ExecContext(ctx, `UPDATE articles SET status = $1, submitted_at = COALESCE(submitted_at, $2), return_reason = '', updated_at = $2
			WHERE id = $3`, string(to), at, id)
	case domain.ActionReturn:
		_, err = tx.ExecContext(ctx, `UPDATE articles SET status = $1, return_reason = $2, updated_at = $3 WHERE id = $4`, string(to), in.Reason, at, id)
	case domain.ActionWithdraw:
		_, err = tx.ExecContext(ctx, `UPDATE articles SET status = $1, return_reason = $2, pinned = FALSE, updated_at = $3 WHERE id = $4`,
			string(to), in.Reason, at, id)
		if err == nil {
			err = db.dialect.search.unindex(ctx, tx, id, cur.PublishAt)
		}
	case domain.ActionPublish:
		publishAt := in.PublishAt
		if publishAt.IsZero() {
			publishAt = cur.PublishAt
		}
		if publishAt.IsZero() || cur.Status == domain.StatusWithdrawn && !publishAt.After(at) {
			publishAt = at
		}
		note = "已确认保密审查"
		if publishAt.After(at) {
			note += "，定时发布：" + domain.FormatTime(publishAt)
		}
		_, err = tx.ExecContext(ctx, `UPDATE articles SET status = $1, publish_at = $2, return_reason = '', confirmed_by = $3,
			confirmed_by_name = $4, confirmed_at = $5, updated_at = $5 WHERE id = $6`,
			string(to), publishAt.UTC(), nullInt(actor.AccountID), actor.Name, at, id)
		if err == nil {
			full, ferr := db.getArticle(ctx, tx, actor, id)
			if ferr != nil {
				return ferr
			}
			err = db.dialect.search.index(ctx, tx, searchEntryOf(full), cur.PublishAt)
		}
	}
	if err != nil {
		return fmt.Errorf("article %s: %w", in.Action, err)
	}
	if err := db.addArticleEvent(ctx, tx, actor, id, at, string(in.Action), note); err != nil {
		return err
	}
	detail := cur.Title
	if note != "" {
		detail += "：" + note
	}
	e := auditFor(actor, "article."+string(in.Action), "article", id, domain.OutcomeSuccess, detail)
	e.At = at
	return db.appendAudit(ctx, tx, e)
}

// articleScope returns the condition that limits articles to what the actor may see in the back
// office: the whole town for editors, the own organization's contributions for contributors.
func articleScope(actor domain.Actor, next int) (string, []any) {
	if actor.Can(domain.PermArticlesEdit) || actor.Can(domain.PermArticlesReview) {
		return fmt.Sprintf("a.town_id = $%d", next), []any{actor.TownID}
	}
	return fmt.Sprintf("a.town_id = $%d AND a.contributor_org_id = $%d", next, next+1), []any{actor.TownID, actor.OrgID}
}

func (db *DB) getArticle(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.Article, error) {
	scope, args := articleScope(actor, 2)
	a, err := scanArticle(q.QueryRowContext(ctx, `SELECT `+articleWithBody+articleFrom+` WHERE a.id = $1 AND `+scope,
		append([]any{id}, args...)...), true)
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.NotFound("稿件不存在。")
	}
	if err != nil {
		return a, err
	}
	return a, db.loadArticleLinks(ctx, q, &a)
}

// ArticleAttachment loads a file attached to an article of the actor's scope, published or not,
// so that the contributing organization and the reviewing editor can open it before
// publication. A file that is not attached to such an article is KindNotFound.
func (db *DB) ArticleAttachment(ctx context.Context, actor domain.Actor, articleID, fileID int64) (FileRecord, error) {
	scope, args := articleScope(actor, 3)
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM article_attachments x JOIN articles a ON a.id = x.article_id
		WHERE x.article_id = $1 AND x.file_id = $2 AND `+scope, append([]any{articleID, fileID}, args...)...).Scan(&n)
	if err != nil {
		return FileRecord{}, err
	}
	if n == 0 {
		return FileRecord{}, domain.NotFound("附件不存在。")
	}
	return db.GetFile(ctx, actor.TownID, fileID)
}

// GetArticle loads an article of the actor's scope with its body, topics and attachments.
func (db *DB) GetArticle(ctx context.Context, actor domain.Actor, id int64) (domain.Article, error) {
	return db.getArticle(ctx, db.sql, actor, id)
}

func (db *DB) loadArticleLinks(ctx context.Context, q querier, a *domain.Article) error {
	a.TopicIDs, a.AttachmentIDs = nil, nil
	rows, err := q.QueryContext(ctx, `SELECT topic_id FROM article_topics WHERE article_id = $1 ORDER BY topic_id`, a.ID)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		a.TopicIDs = append(a.TopicIDs, id)
	}
	rows.Close()
	rows, err = q.QueryContext(ctx, `SELECT file_id FROM article_attachments WHERE article_id = $1 ORDER BY sort_order, file_id`, a.ID)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return err
		}
		a.AttachmentIDs = append(a.AttachmentIDs, id)
	}
	return rows.Err()
}

// ArticleFilter selects articles in the back office; zero fields do not filter.
type ArticleFilter struct {
	Status   domain.ArticleStatus
	ColumnID int64
	Query    string // part of the title
	// Source keeps one source kind; SourceNotOriginal keeps reprints and contributions together,
	// as articles_reprinted_or_contributed counts them.
	Source domain.SourceKind
	// ContributorOrgID keeps the contributions of one organization.
	ContributorOrgID int64
	// From and To limit the publication time to [From, To), cut at the moment of the query, as
	// articles_published counts. With BySubmission they limit the first submission for review
	// instead, as contributions_by_org counts.
	From, To     time.Time
	BySubmission bool
}

// SourceNotOriginal is the filter value for reprinted and contributed articles together.
const SourceNotOriginal domain.SourceKind = "not_original"

// articleScopeConds returns the conditions of the dashboard's filters of f, appending their
// arguments to args.
func (db *DB) articleScopeConds(f ArticleFilter, args *[]any) []string {
	var where []string
	add := func(cond string, v any) {
		*args = append(*args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(*args))))
	}
	switch {
	case f.Source == SourceNotOriginal:
		add("a.source_kind <> ?", string(domain.SourceOriginal))
	case f.Source != "":
		add("a.source_kind = ?", string(f.Source))
	}
	if f.ContributorOrgID != 0 {
		add("a.contributor_org_id = ?", f.ContributorOrgID)
	}
	column := "a.publish_at"
	if f.BySubmission {
		column = "a.submitted_at"
	}
	if !f.From.IsZero() {
		add(column+" >= ?", f.From.UTC())
	}
	if !f.From.IsZero() || !f.To.IsZero() {
		end := db.now()
		if !f.To.IsZero() && f.To.Before(end) {
			end = f.To
		}
		add(column+" < ?", end.UTC())
	}
	return where
}

// ListArticles returns one page of the articles of the actor's scope, newest change first, and
// the total.
func (db *DB) ListArticles(ctx context.Context, actor domain.Actor, f ArticleFilter, page Page) ([]domain.Article, int, error) {
	scope, args := articleScope(actor, 1)
	where := []string{scope}
	if f.Status != "" {
		args = append(args, string(f.Status))
		where = append(where, fmt.Sprintf("a.status = $%d", len(args)))
	}
	if f.ColumnID != 0 {
		args = append(args, f.ColumnID)
		where = append(where, fmt.Sprintf("a.column_id = $%d", len(args)))
	}
	if q := domain.CleanLine(f.Query); q != "" {
		args = append(args, escapeLike(q))
		where = append(where, db.dialect.containsFold("a.title", fmt.Sprintf("$%d", len(args))))
	}
	where = append(where, db.articleScopeConds(f, &args)...)
	cond := " WHERE " + strings.Join(where, " AND ")
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM articles a`+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	list, err := db.queryArticles(ctx, `SELECT `+articleColumns+articleFrom+cond+
		` ORDER BY a.updated_at DESC, a.id DESC`+limit, args...)
	return list, total, err
}

func (db *DB) queryArticles(ctx context.Context, query string, args ...any) ([]domain.Article, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Article
	for rows.Next() {
		a, err := scanArticle(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// ArticleEvents returns the timeline of an article of the actor's scope, oldest first.
func (db *DB) ArticleEvents(ctx context.Context, actor domain.Actor, id int64) ([]domain.ArticleEvent, error) {
	if _, err := db.getArticle(ctx, db.sql, actor, id); err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT at, actor_name, action, note FROM article_events WHERE article_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ArticleEvent
	for rows.Next() {
		var e domain.ArticleEvent
		if err := rows.Scan(&e.At, &e.ActorName, &e.Action, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CountArticlesByStatus returns how many articles of the actor's scope are in each status.
func (db *DB) CountArticlesByStatus(ctx context.Context, actor domain.Actor) (map[domain.ArticleStatus]int, error) {
	scope, args := articleScope(actor, 1)
	rows, err := db.sql.QueryContext(ctx, `SELECT a.status, COUNT(*) FROM articles a WHERE `+scope+` GROUP BY a.status`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[domain.ArticleStatus]int{}
	for rows.Next() {
		var s string
		var n int
		if err := rows.Scan(&s, &n); err != nil {
			return nil, err
		}
		out[domain.ArticleStatus(s)] = n
	}
	return out, rows.Err()
}
