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
	ArticleID, TownID, ColumnID int64
	PublishAt                   time.Time
	Tokens                      []string
}

func searchEntryOf(a domain.Article) searchEntry {
	return searchEntry{ArticleID: a.ID, TownID: a.TownID, ColumnID: a.ColumnID, PublishAt: a.PublishAt.UTC(), Tokens: articleTokens(a)}
}

func articleTokens(a domain.Article) []string {
	return search.Tokens(a.Title + "\n" + a.Subtitle + "\n" + a.BodyText)
}

// searchDialect is how each database stores and queries the article search index. Both get
// the same tokens from package search and answer the same boolean query, so a search returns
// the same articles on both.
type searchDialect struct {
	// index replaces the index entry of an article.
	index func(ctx context.Context, q querier, e searchEntry) error
	// unindex removes an article from the index.
	unindex func(ctx context.Context, q querier, articleID int64) error
	// idColumn is the article id in the article_search table.
	idColumn string
	// match returns a condition on the article_search table that holds when the article has every
	// term, and the value of its placeholder.
	match func(terms []search.Term, placeholder string) (cond string, arg string)
}

var sqliteSearch = searchDialect{
	index: func(ctx context.Context, q querier, e searchEntry) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, e.ArticleID); err != nil {
			return fmt.Errorf("unindex article: %w", err)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (rowid, tokens, town_id, column_id, publish_at) VALUES ($1, $2, $3, $4, $5)`,
			e.ArticleID, strings.Join(e.Tokens, " "), e.TownID, e.ColumnID, e.PublishAt)
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, id)
		return err
	},
	idColumn: "rowid",
	// FTS5 query syntax: "token" matches a token, "token"* a token prefix, AND joins them.
	match: func(terms []search.Term, ph string) (string, string) {
		var parts []string
		for _, t := range terms {
			if t.Prefix() {
				parts = append(parts, ftsQuote(t.Text)+"*")
				continue
			}
			for _, tok := range t.Tokens() {
				parts = append(parts, ftsQuote(tok))
			}
		}
		return `article_search MATCH ` + ph, strings.Join(parts, " AND ")
	},
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

var postgresSearch = searchDialect{
	index: func(ctx context.Context, q querier, e searchEntry) error {
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (article_id, town_id, column_id, publish_at, tokens)
			VALUES ($1, $2, $3, $4, array_to_tsvector(string_to_array($5, ' ')))
			ON CONFLICT (article_id) DO UPDATE SET town_id = excluded.town_id, column_id = excluded.column_id,
			publish_at = excluded.publish_at, tokens = excluded.tokens`,
			e.ArticleID, e.TownID, e.ColumnID, e.PublishAt, strings.Join(e.Tokens, " "))
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE article_id = $1`, id)
		return err
	},
	idColumn: "article_id",
	// tsquery syntax: 'lexeme' matches a lexeme verbatim, 'lexeme':* a prefix, & joins them.
	match: func(terms []search.Term, ph string) (string, string) {
		var parts []string
		for _, t := range terms {
			if t.Prefix() {
				parts = append(parts, tsQuote(t.Text)+":*")
				continue
			}
			for _, tok := range t.Tokens() {
				parts = append(parts, tsQuote(tok))
			}
		}
		return `tokens @@ ` + ph + `::tsquery`, strings.Join(parts, " & ")
	},
}

func tsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
