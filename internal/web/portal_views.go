package web

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"pingan/internal/domain"
)

// viewCounter counts article views in memory, so that reading an article is not a database write.
// The views.flush job moves the counts to the database. It is safe for concurrent use.
type viewCounter struct {
	mu     sync.Mutex
	counts map[int64]int64
}

func newViewCounter() *viewCounter { return &viewCounter{counts: map[int64]int64{}} }

func (c *viewCounter) add(id int64) {
	c.mu.Lock()
	c.counts[id]++
	c.mu.Unlock()
}

// take returns the counts so far and starts new ones.
func (c *viewCounter) take() map[int64]int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := c.counts
	c.counts = map[int64]int64{}
	return out
}

// giveBack adds counts that could not be stored to the current ones, so a failed flush loses
// nothing.
func (c *viewCounter) giveBack(counts map[int64]int64) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for id, n := range counts {
		c.counts[id] += n
	}
}

// pending returns the count not yet flushed for an article, so a page shows its own view at once.
func (c *viewCounter) pending(id int64) int64 {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.counts[id]
}

// FlushViews stores the views counted since the last flush under today's date (Beijing time).
// On failure the counts are kept for the next flush. The server calls it from a scheduled job
// and when it stops.
func (s *Server) FlushViews(ctx context.Context) error {
	counts := s.views.take()
	if len(counts) == 0 {
		return nil
	}
	day := domain.FormatDate(s.db.Now())
	if err := s.db.AddArticleViews(ctx, day, counts); err != nil {
		s.views.giveBack(counts)
		return err
	}
	return nil
}

// botMarkers are lower-case parts of the User-Agent of crawlers and scripts, whose requests are
// not counted as views.
var botMarkers = []string{"bot", "spider", "crawl", "slurp", "curl", "wget", "python", "go-http-client", "java/",
	"httpclient", "okhttp", "scrapy", "feed", "rss", "monitor", "preview", "headlesschrome"}

// countsAsView reports whether a request is a person reading the page: a GET that is not a
// prefetch, from a client that does not name itself as a crawler, a script or a feed reader.
func countsAsView(r *http.Request) bool {
	if r.Method != http.MethodGet {
		return false
	}
	purpose := strings.ToLower(r.Header.Get("Sec-Purpose") + " " + r.Header.Get("Purpose") + " " + r.Header.Get("X-Moz") + " " + r.Header.Get("X-Purpose"))
	if strings.Contains(purpose, "prefetch") || strings.Contains(purpose, "prerender") || strings.Contains(purpose, "preview") {
		return false
	}
	ua := strings.ToLower(r.UserAgent())
	if ua == "" {
		return false
	}
	for _, m := range botMarkers {
		if strings.Contains(ua, m) {
			return false
		}
	}
	return true
}

// viewsFlushInterval is how often counted views reach the database.
const viewsFlushInterval = time.Minute
