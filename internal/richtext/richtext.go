// Package richtext cleans the HTML of article bodies. Sanitize keeps the formatting, tables,
// images and links an article needs and removes everything that runs (scripts, event handlers,
// javascript: URLs, forms, frames) and the Office markup that Word and WPS paste along.
package richtext

import (
	"regexp"
	"strings"
	"sync"

	"github.com/microcosm-cc/bluemonday"
	"golang.org/x/net/html"

	"pingan/internal/domain"
)

var (
	policyOnce sync.Once
	policy     *bluemonday.Policy
)

func articlePolicy() *bluemonday.Policy {
	policyOnce.Do(func() {
		p := bluemonday.NewPolicy()
		p.AllowElements("p", "br", "hr", "div", "span", "blockquote", "pre", "code",
			"h1", "h2", "h3", "h4", "h5", "h6", "strong", "b", "em", "i", "u", "s", "del", "sub", "sup",
			"ul", "ol", "li", "table", "thead", "tbody", "tfoot", "tr", "caption", "colgroup", "col", "figure", "figcaption")
		p.AllowAttrs("colspan", "rowspan").Matching(regexp.MustCompile(`^[0-9]{1,3}$`)).OnElements("td", "th")
		p.AllowElements("td", "th")
		p.AllowAttrs("width").Matching(regexp.MustCompile(`^[0-9]{1,4}(%|px)?$`)).OnElements("td", "th", "col", "table", "img")
		p.AllowAttrs("href").OnElements("a")
		p.AllowAttrs("title").OnElements("a", "img", "abbr")
		p.AllowAttrs("src", "alt").OnElements("img")
		p.AllowAttrs("height").Matching(regexp.MustCompile(`^[0-9]{1,4}(px)?$`)).OnElements("img")
		p.AllowURLSchemes("http", "https", "mailto")
		p.AllowRelativeURLs(true)
		p.RequireNoFollowOnFullyQualifiedLinks(true)
		p.AddTargetBlankToFullyQualifiedLinks(true)
		p.AllowStyles("text-align").MatchingEnum("left", "right", "center", "justify").Globally()
		p.AllowStyles("text-indent", "width", "height").Matching(regexp.MustCompile(`^[0-9.]{1,6}(em|px|%|pt)$`)).Globally()
		p.AllowStyles("font-weight").MatchingEnum("bold", "normal", "700", "400").Globally()
		p.AllowStyles("text-decoration").MatchingEnum("underline", "line-through", "none").Globally()
		p.AllowStyles("color", "background-color").Matching(regexp.MustCompile(`^(#[0-9a-fA-F]{3,6}|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\))$`)).Globally()
		p.AllowStyles("border-collapse").MatchingEnum("collapse").OnElements("table")
		policy = p
	})
	return policy
}

// Sanitize returns the safe HTML of body and its plain text. Control characters that Word
// pastes are removed first.
func Sanitize(body string) (safe, text string) {
	body = strings.ToValidUTF8(body, "")
	body = strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\n' && r != '\t' && r != '\r' || r == 0x7f || r == '\ufeff' {
			return -1
		}
		return r
	}, body)
	safe = strings.TrimSpace(articlePolicy().Sanitize(body))
	return safe, Text(safe)
}

// blockElements end a line in the plain text.
var blockElements = map[string]bool{"p": true, "div": true, "br": true, "li": true, "tr": true, "h1": true, "h2": true,
	"h3": true, "h4": true, "h5": true, "h6": true, "blockquote": true, "pre": true, "table": true, "hr": true}

// Text returns the plain text of an HTML fragment: one line per block, cells separated by
// spaces, runs of blank space collapsed, control characters removed.
func Text(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return cleanLines(b.String())
		case html.TextToken:
			b.Write(z.Text())
		case html.StartTagToken, html.EndTagToken, html.SelfClosingTagToken:
			name, _ := z.TagName()
			switch {
			case blockElements[string(name)]:
				b.WriteByte('\n')
			case string(name) == "td" || string(name) == "th":
				b.WriteByte(' ')
			}
		}
	}
}

func cleanLines(s string) string {
	var out []string
	for _, line := range strings.Split(domain.CleanText(s), "\n") {
		line = strings.Join(strings.Fields(strings.ReplaceAll(line, "\u00a0", " ")), " ")
		if line != "" {
			out = append(out, line)
		}
	}
	return strings.Join(out, "\n")
}

// ImageSources returns the src of every img element of an HTML fragment, in order.
func ImageSources(fragment string) []string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var out []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return out
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		name, hasAttr := z.TagName()
		if string(name) != "img" {
			continue
		}
		for hasAttr {
			var k, v []byte
			k, v, hasAttr = z.TagAttr()
			if string(k) == "src" {
				out = append(out, string(v))
			}
		}
	}
}
