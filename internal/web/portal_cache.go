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
// page is rendered once per TTL instead of once per request. It is safe for concurrent use.
type pageCache struct {
	ttl   time.Duration
	mu    sync.RWMutex
	pages map[string]*cachedPage
}

func newPageCache(ttl time.Duration) *pageCache {
	return &pageCache{ttl: ttl, pages: map[string]*cachedPage{}}
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

// cacheable reports whether a request may be answered from the cache: a GET or HEAD from a
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
		s.publicCache.mu.RLock()
		p := s.publicCache.pages[key]
		s.publicCache.mu.RUnlock()
		if p == nil || now.After(p.expires) {
			rec := &bufferWriter{header: http.Header{}}
			if err := h(rec, r); err != nil {
				return err
			}
			p = &cachedPage{status: rec.status, header: rec.header, body: rec.body.Bytes(), expires: now.Add(s.publicCache.ttl)}
			if p.status == http.StatusOK && p.header.Get("Set-Cookie") == "" {
				s.publicCache.mu.Lock()
				if len(s.publicCache.pages) >= maxCachedPages {
					clear(s.publicCache.pages)
				}
				s.publicCache.pages[key] = p
				s.publicCache.mu.Unlock()
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
