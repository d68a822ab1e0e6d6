package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/search"
)

// searchEntry is what the search index keeps of a published article.
type searchEntry struct {
	ArticleID int64
	PublishAt time.Time
	Tokens    []string
}

// searchEntryOf returns the index entry of an article: its text's tokens and the tokens of its
// town and column.
func searchEntryOf(a domain.Article) searchEntry {
	tokens := search.Tokens(a.Title + "\n" + a.Subtitle + "\n" + a.BodyText)
	for _, tok := range search.Tokens(a.Title) {
		tokens = append(tokens, search.TitleToken(tok))
	}
	tokens = append(tokens, search.TownToken(a.TownID), search.ColumnToken(a.ColumnID))
	return searchEntry{ArticleID: a.ID, PublishAt: a.PublishAt.UTC(), Tokens: tokens}
}

// searchDialect is how each database stores and queries the article search index. Both get
// the same tokens from package search and answer the same boolean query, so a search returns
// the same articles on both.
type searchDialect struct {
	// index adds or replaces the entry of an article; previous is the publish time it was last
	// indexed with, or zero.
	index func(ctx context.Context, q querier, e searchEntry, previous time.Time) error
	// unindex removes the entry of an article indexed with publish time publishAt.
	unindex func(ctx context.Context, q querier, articleID int64, publishAt time.Time) error
	// match returns the index condition that an article has every term (in its title, when title
	// is set) and every scope token, and the value of its placeholder.
	match func(terms []search.Term, title bool, scope []string, placeholder string) (cond, arg string)
	// from returns the FROM and WHERE clauses of the index entries that meet cond and were
	// published at or before now, and within [start, end) where those are not zero, with
	// placeholders from $next on and their values.
	from func(cond string, now, start, end time.Time, next int) (clause string, args []any)
	// ids selects the article id (as id) of the entries of clause, newest first.
	ids func(clause string) string
}

// sqliteKeyShift makes room for the article id below the publish time in an SQLite rowid.
const sqliteKeyShift = 31

// sqliteKey returns the rowid of an article's index entry: the publish time in Unix seconds
// times 2^31 plus the article id, which orders entries newest first and breaks ties by id.
func sqliteKey(id int64, publishAt time.Time) int64 {
	return max(publishAt.Unix(), 0)<<sqliteKeyShift | id&(1<<sqliteKeyShift-1)
}

var sqliteSearch = searchDialect{
	index: func(ctx context.Context, q querier, e searchEntry, previous time.Time) error {
		if e.ArticleID >= 1<<sqliteKeyShift {
			return fmt.Errorf("index article %d: id too large for the search key", e.ArticleID)
		}
		if !previous.IsZero() {
			if _, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, sqliteKey(e.ArticleID, previous)); err != nil {
				return fmt.Errorf("unindex article: %w", err)
			}
		}
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (rowid, tokens) VALUES ($1, $2)`,
			sqliteKey(e.ArticleID, e.PublishAt), strings.Join(e.Tokens, " "))
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64, publishAt time.Time) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, sqliteKey(id, publishAt))
		return err
	},
	// FTS5 query syntax: "token" matches a token, "token"* a token prefix, AND joins them.
	match: func(terms []search.Term, title bool, scope []string, ph string) (string, string) {
		var parts []string
		for _, t := range terms {
			if t.Prefix() {
				parts = append(parts, ftsQuote(termToken(t.Text, title))+"*")
				continue
			}
			for _, tok := range t.Tokens() {
				parts = append(parts, ftsQuote(termToken(tok, title)))
			}
		}
		for _, tok := range scope {
			parts = append(parts, ftsQuote(tok))
		}
		return `article_search MATCH ` + ph, strings.Join(parts, " AND ")
	},
	// The rowid carries the publish time, so the bounds are rowid ranges that FTS5 applies while
	// it walks the index.
	from: func(cond string, now, start, end time.Time, next int) (string, []any) {
		clause := ` FROM article_search WHERE ` + cond + fmt.Sprintf(` AND rowid < $%d`, next)
		args := []any{(now.Unix() + 1) << sqliteKeyShift}
		if !start.IsZero() {
			args = append(args, max(start.Unix(), 0)<<sqliteKeyShift)
			clause += fmt.Sprintf(` AND rowid >= $%d`, next+len(args)-1)
		}
		if !end.IsZero() {
			args = append(args, max(end.Unix(), 0)<<sqliteKeyShift)
			clause += fmt.Sprintf(` AND rowid < $%d`, next+len(args)-1)
		}
		return clause, args
	},
	ids: func(clause string) string {
		return fmt.Sprintf(`SELECT rowid & %d AS id`, int64(1)<<sqliteKeyShift-1) + clause + ` ORDER BY rowid DESC`
	},
}

// termToken returns the index token of a query token, or its title token when title is set.
func termToken(tok string, title bool) string {
	if title {
		return search.TitleToken(tok)
	}
	return tok
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

var postgresSearch = searchDialect{
	index: func(ctx context.Context, q querier, e searchEntry, _ time.Time) error {
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (article_id, publish_at, tokens)
			VALUES ($1, $2, array_to_tsvector(string_to_array($3, ' ')))
			ON CONFLICT (article_id) DO UPDATE SET publish_at = excluded.publish_at, tokens = excluded.tokens`,
			e.ArticleID, e.PublishAt, strings.Join(e.Tokens, " "))
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64, _ time.Time) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE article_id = $1`, id)
		return err
	},
	// tsquery syntax: 'lexeme' matches a lexeme verbatim, 'lexeme':* a prefix, & joins them.
	match: func(terms []search.Term, title bool, scope []string, ph string) (string, string) {
		var parts []string
		for _, t := range terms {
			if t.Prefix() {
				parts = append(parts, tsQuote(termToken(t.Text, title))+":*")
				continue
			}
			for _, tok := range t.Tokens() {
				parts = append(parts, tsQuote(termToken(tok, title)))
			}
		}
		for _, tok := range scope {
			parts = append(parts, tsQuote(tok))
		}
		return `tokens @@ ` + ph + `::tsquery`, strings.Join(parts, " & ")
	},
	from: func(cond string, now, start, end time.Time, next int) (string, []any) {
		clause := ` FROM article_search WHERE ` + cond + fmt.Sprintf(` AND publish_at <= $%d`, next)
		args := []any{now.UTC()}
		if !start.IsZero() {
			args = append(args, start.UTC())
			clause += fmt.Sprintf(` AND publish_at >= $%d`, next+len(args)-1)
		}
		if !end.IsZero() {
			args = append(args, end.UTC())
			clause += fmt.Sprintf(` AND publish_at < $%d`, next+len(args)-1)
		}
		return clause, args
	},
	ids: func(clause string) string {
		return `SELECT article_id AS id` + clause + ` ORDER BY publish_at DESC, article_id DESC`
	},
}

func tsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
