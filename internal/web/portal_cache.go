package web

import (
	"bytes"
	"net/http"
	"sync"
	"time"
)

// publicCacheTTL is how long a rendered public page is reused. Editors' changes on this instance
// clear the cache at once; other instances show them after at most this long.
const publicCacheTTL = 5 * time.Second

// maxCachedPages bounds the cache; when full it starts over.
const maxCachedPages = 2000

type cachedPage struct {
	status  int
	header  http.Header
	body    []byte
	expires time.Time
}

// pageCache keeps rendered public pages for anonymous visitors, so that a busy home or article
// page is rendered once per TTL instead of once per request. One request renders a missing or
// expired page while the others wait for it (missing) or get the expired copy (expired), so a
// burst of visitors never renders the same page many times at once. It is safe for concurrent use.
type pageCache struct {
	ttl      time.Duration
	mu       sync.RWMutex
	pages    map[string]*cachedPage
	inFlight map[string]chan struct{} // closed when the page's render ends
}

func newPageCache(ttl time.Duration) *pageCache {
	return &pageCache{ttl: ttl, pages: map[string]*cachedPage{}, inFlight: map[string]chan struct{}{}}
}

// lookup returns the page to serve for key and whether the caller must render it. A caller that
// must render calls done with the result afterwards.
func (c *pageCache) lookup(key string, now time.Time) (page *cachedPage, render bool) {
	c.mu.RLock()
	p := c.pages[key]
	c.mu.RUnlock()
	if p != nil && now.Before(p.expires) {
		return p, false
	}
	for {
		c.mu.Lock()
		p := c.pages[key]
		if p != nil && now.Before(p.expires) {
			c.mu.Unlock()
			return p, false
		}
		wait, busy := c.inFlight[key]
		if !busy {
			c.inFlight[key] = make(chan struct{})
			c.mu.Unlock()
			return p, true
		}
		c.mu.Unlock()
		if p != nil {
			return p, false // another request renders it; the expired copy is a few seconds old
		}
		<-wait
		now = time.Now()
		c.mu.RLock()
		p = c.pages[key]
		c.mu.RUnlock()
		if p != nil {
			return p, false
		}
		// The render failed or was not cacheable: try to render it here.
	}
}

// done stores a rendered page (nil when it must not be cached) and wakes the waiting requests.
func (c *pageCache) done(key string, p *cachedPage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if p != nil {
		if len(c.pages) >= maxCachedPages {
			clear(c.pages)
		}
		c.pages[key] = p
	}
	if ch, ok := c.inFlight[key]; ok {
		close(ch)
		delete(c.inFlight, key)
	}
}

func (c *pageCache) clear() {
	c.mu.Lock()
	clear(c.pages)
	c.mu.Unlock()
}

// bufferWriter records a response so that it can be cached and then sent.
type bufferWriter struct {
	header http.Header
	status int
	body   bytes.Buffer
}

func (b *bufferWriter) Header() http.Header { return b.header }
func (b *bufferWriter) WriteHeader(code int) {
	if b.status == 0 {
		b.status = code
	}
}
func (b *bufferWriter) Write(p []byte) (int, error) {
	if b.status == 0 {
		b.status = http.StatusOK
	}
	return b.body.Write(p)
}

// cacheable reports whether a request may be served from the cache: a GET or HEAD from a
// visitor without a session or a one-time message.
func cacheable(r *http.Request) bool {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		return false
	}
	for _, name := range []string{sessionCookie, flashCookie} {
		if _, err := r.Cookie(name); err == nil {
			return false
		}
	}
	return true
}

// cached serves a public handler through the page cache. Only 200 responses are kept.
func (s *Server) cached(h handlerFunc) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		if !cacheable(r) {
			return h(w, r)
		}
		key := r.URL.RequestURI()
		if elderMode(r) {
			key += "#elder"
		}
		now := time.Now()
		p, render := s.publicCache.lookup(key, now)
		if render {
			var keep *cachedPage
			// Deferred, so that a panic in h still wakes the requests waiting for this render.
			defer func() { s.publicCache.done(key, keep) }()
			rec := &bufferWriter{header: http.Header{}}
			if err := h(rec, r); err != nil {
				return err
			}
			p = &cachedPage{status: rec.status, header: rec.header, body: rec.body.Bytes(), expires: now.Add(s.publicCache.ttl)}
			if p.status == http.StatusOK && p.header.Get("Set-Cookie") == "" {
				keep = p
			}
		}
		for k, v := range p.header {
			w.Header()[k] = v
		}
		w.WriteHeader(p.status)
		if r.Method == http.MethodHead {
			return nil
		}
		_, err := w.Write(p.body)
		return err
	}
}
