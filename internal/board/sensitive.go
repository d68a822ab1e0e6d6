package board

import (
	"bufio"
	_ "embed"
	"strings"
	"sync"
	"unicode"

	"github.com/coregx/ahocorasick"
	"github.com/longbridgeapp/opencc"
	"golang.org/x/text/unicode/norm"
)

//go:embed sensitive_words.txt
var starterWords string

// StarterWords returns the sensitive words a new town starts with, one a line.
func StarterWords() string { return starterWords }

var (
	t2sOnce sync.Once
	t2s     *opencc.OpenCC
)

// Normalize folds text for matching: full-width forms become half-width (NFKC), letters lower
// case, traditional characters simplified, and every character that is not a letter or a digit
// is dropped, so that "法 * 輪" and "ＡＢＣ" match the words "法轮" and "abc".
func Normalize(s string) string {
	s = norm.NFKC.String(s)
	s = strings.ToLower(s)
	t2sOnce.Do(func() {
		// The conversion tables are embedded in the module; New fails only if they are broken.
		cc, err := opencc.New("t2s")
		if err == nil {
			t2s = cc
		}
	})
	if t2s != nil {
		if conv, err := t2s.Convert(s); err == nil {
			s = conv
		}
	}
	return strings.Map(func(r rune) rune {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			return r
		}
		return -1
	}, s)
}

// Matcher finds sensitive words in text. It is immutable and safe for concurrent use.
type Matcher struct {
	words []string // original spelling, by pattern id
	ac    *ahocorasick.Automaton
}

// ParseWords reads a word list, one word a line; blank lines and lines starting with # are
// skipped, and duplicates after normalization are dropped.
func ParseWords(list string) []string {
	var out []string
	seen := map[string]bool{}
	sc := bufio.NewScanner(strings.NewReader(list))
	for sc.Scan() {
		w := strings.TrimSpace(sc.Text())
		if w == "" || strings.HasPrefix(w, "#") {
			continue
		}
		n := Normalize(w)
		if n == "" || seen[n] {
			continue
		}
		seen[n] = true
		out = append(out, w)
	}
	return out
}

// NewMatcher builds a matcher for the words of list (see ParseWords).
func NewMatcher(list string) *Matcher {
	words := ParseWords(list)
	m := &Matcher{words: words}
	if len(words) == 0 {
		return m
	}
	b := ahocorasick.NewBuilder()
	for _, w := range words {
		b.AddPattern([]byte(Normalize(w)))
	}
	ac, err := b.Build()
	if err == nil {
		m.ac = ac
	}
	return m
}

// Find returns the listed words that occur in the texts after normalization, each once, in
// list order.
func (m *Matcher) Find(texts ...string) []string {
	if m == nil || m.ac == nil {
		return nil
	}
	hit := map[int]bool{}
	for _, t := range texts {
		hay := []byte(Normalize(t))
		// Restart one byte after each match start so that overlapping words are all found.
		for pos := 0; pos < len(hay); {
			mt, ok := m.ac.Find(hay, pos)
			if !ok {
				break
			}
			hit[mt.PatternID] = true
			pos = mt.Start + 1
		}
	}
	var out []string
	for i, w := range m.words {
		if hit[i] {
			out = append(out, w)
		}
	}
	return out
}

// Words returns the listed words.
func (m *Matcher) Words() []string { return m.words }

var (
	cacheMu  sync.Mutex
	cacheKey string
	cacheVal *Matcher
)

// CachedMatcher returns a matcher for list, reusing the last one built when the list has not
// changed, so that a post does not rebuild the automaton.
func CachedMatcher(list string) *Matcher {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if cacheVal != nil && cacheKey == list {
		return cacheVal
	}
	cacheKey, cacheVal = list, NewMatcher(list)
	return cacheVal
}
