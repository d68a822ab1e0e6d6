// Package search turns Chinese text into index tokens and a visitor's query into terms, the
// same way for SQLite FTS5 and PostgreSQL, and highlights matches. It holds no index itself:
// the tokens live in the database so that several instances share them.
//
// A run of Han characters becomes its overlapping two-character tokens (bigrams) plus its last
// character alone, so that every character starts some token: a two-character word is found by
// one exact token wherever it stands, and a one-character query is a prefix match. A run of
// letters and digits becomes one lower-cased token.
package search

import (
	"html/template"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Tokens returns the distinct index tokens of text, in order of first appearance.
func Tokens(text string) []string {
	seen := map[string]bool{}
	var out []string
	add := func(tok string) {
		if tok != "" && !seen[tok] {
			seen[tok] = true
			out = append(out, tok)
		}
	}
	for _, run := range runs(text) {
		if !run.han {
			add(run.text)
			continue
		}
		rs := []rune(run.text)
		for i := 0; i+1 < len(rs); i++ {
			add(string(rs[i : i+2]))
		}
		add(string(rs[len(rs)-1]))
	}
	return out
}

type run struct {
	text string
	han  bool
}

// maxWordLen bounds a letters-and-digits token, so a pasted URL or hash does not bloat the index.
const maxWordLen = 40

// runs splits text into runs of Han characters and runs of letters and digits; everything else
// separates runs. Letters are lower-cased.
func runs(text string) []run {
	var out []run
	var cur []rune
	curHan := false
	flush := func() {
		if len(cur) > 0 {
			if !curHan && len(cur) > maxWordLen {
				cur = cur[:maxWordLen]
			}
			out = append(out, run{string(cur), curHan})
			cur = cur[:0]
		}
	}
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			if !curHan {
				flush()
			}
			curHan = true
			cur = append(cur, r)
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			if curHan {
				flush()
			}
			curHan = false
			cur = append(cur, unicode.ToLower(r))
		default:
			flush()
		}
	}
	flush()
	return out
}

// TownToken and ColumnToken return the index tokens that tie an article to its town and column,
// so that a search filters by them inside the index. They start with "_", which ParseQuery
// treats as a separator, so no visitor's query produces them.
func TownToken(id int64) string { return "_t" + strconv.FormatInt(id, 10) }

// ColumnToken returns the index token of a column; see TownToken.
func ColumnToken(id int64) string { return "_c" + strconv.FormatInt(id, 10) }

// TitleToken returns the index token that marks tok as occurring in the title, so that the index
// also tells which matches have a term in their title.
func TitleToken(tok string) string { return "_h" + tok }

// Term is one part of a query that must occur in a matching article.
type Term struct {
	Text string // the characters to find, lower-cased
	Han  bool
}

// Tokens returns the index tokens that an article containing the term must have. A one-character
// Han term has none: it is matched as a prefix (see Prefix).
func (t Term) Tokens() []string {
	if !t.Han {
		return []string{t.Text}
	}
	rs := []rune(t.Text)
	var out []string
	for i := 0; i+1 < len(rs); i++ {
		out = append(out, string(rs[i:i+2]))
	}
	return out
}

// Prefix reports whether the term is one Han character, matched as the first character of a token.
func (t Term) Prefix() bool { return t.Han && utf8.RuneCountInString(t.Text) == 1 }

// Exact reports whether the index tokens alone decide a match. A Han term of three or more
// characters also needs a substring check, because its bigrams may occur apart.
func (t Term) Exact() bool { return !t.Han || utf8.RuneCountInString(t.Text) <= 2 }

// MaxTerms bounds the terms of one query.
const MaxTerms = 8

// ParseQuery splits a visitor's query into terms; every term must match. Punctuation, % and _
// separate terms and are never wildcards. It returns at most MaxTerms distinct terms.
func ParseQuery(q string) []Term {
	seen := map[string]bool{}
	var out []Term
	for _, r := range runs(q) {
		if seen[r.text] {
			continue
		}
		seen[r.text] = true
		out = append(out, Term{Text: r.text, Han: r.han})
		if len(out) == MaxTerms {
			break
		}
	}
	return out
}

// Highlight returns an excerpt of text of about width characters around the first match, HTML
// escaped, with every occurrence of a term wrapped in <mark>. With width 0 it returns all of text.
func Highlight(text string, terms []Term, width int) template.HTML {
	rs := []rune(text)
	lower := []rune(strings.ToLower(text))
	if len(lower) != len(rs) {
		// Lower-casing changed the length (rare letters); match on the text as it is.
		lower = rs
	}
	marked := make([]bool, len(rs))
	first := -1
	for _, t := range terms {
		tr := []rune(t.Text)
		for i := 0; i+len(tr) <= len(lower); i++ {
			if string(lower[i:i+len(tr)]) == t.Text {
				for j := i; j < i+len(tr); j++ {
					marked[j] = true
				}
				if first == -1 || i < first {
					first = i
				}
			}
		}
	}
	start, end := 0, len(rs)
	if width > 0 && len(rs) > width {
		if first > width/3 {
			start = first - width/3
		}
		end = min(start+width, len(rs))
	}
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	open := false
	for i := start; i < end; i++ {
		if marked[i] && !open {
			b.WriteString("<mark>")
			open = true
		} else if !marked[i] && open {
			b.WriteString("</mark>")
			open = false
		}
		b.WriteString(template.HTMLEscapeString(string(rs[i])))
	}
	if open {
		b.WriteString("</mark>")
	}
	if end < len(rs) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}
