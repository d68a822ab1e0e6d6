package store

import (
	"context"
	"fmt"
	"strings"

	"pingan/internal/search"
)

// searchDialect is how each database stores and queries the article search index. Both get
// the same tokens from package search and answer the same boolean query, so a search returns
// the same articles on both.
type searchDialect struct {
	// index replaces the tokens of an article.
	index func(ctx context.Context, q querier, articleID int64, tokens []string) error
	// unindex removes an article from the index.
	unindex func(ctx context.Context, q querier, articleID int64) error
	// match returns a condition on a.id that holds when the article has every term, and the value
	// of its placeholder.
	match func(terms []search.Term, placeholder string) (cond string, arg string)
}

var sqliteSearch = searchDialect{
	index: func(ctx context.Context, q querier, id int64, tokens []string) error {
		if _, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, id); err != nil {
			return fmt.Errorf("unindex article: %w", err)
		}
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (rowid, tokens) VALUES ($1, $2)`, id, strings.Join(tokens, " "))
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE rowid = $1`, id)
		return err
	},
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
		return `a.id IN (SELECT rowid FROM article_search WHERE article_search MATCH ` + ph + `)`, strings.Join(parts, " AND ")
	},
}

func ftsQuote(s string) string { return `"` + strings.ReplaceAll(s, `"`, `""`) + `"` }

var postgresSearch = searchDialect{
	index: func(ctx context.Context, q querier, id int64, tokens []string) error {
		_, err := q.ExecContext(ctx, `INSERT INTO article_search (article_id, tokens)
			VALUES ($1, array_to_tsvector(string_to_array($2, ' ')))
			ON CONFLICT (article_id) DO UPDATE SET tokens = excluded.tokens`, id, strings.Join(tokens, " "))
		if err != nil {
			return fmt.Errorf("index article: %w", err)
		}
		return nil
	},
	unindex: func(ctx context.Context, q querier, id int64) error {
		_, err := q.ExecContext(ctx, `DELETE FROM article_search WHERE article_id = $1`, id)
		return err
	},
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
		return `a.id IN (SELECT article_id FROM article_search WHERE tokens @@ ` + ph + `::tsquery)`, strings.Join(parts, " & ")
	},
}

func tsQuote(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `''`).Replace(s) + "'"
}
