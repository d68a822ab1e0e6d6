// Package web is pingan's HTTP layer: the router, the middleware chain, the handlers of every
// area and the server-rendered templates. Handlers read input, call one store or domain
// operation, and render a page or redirect with 303.
package web

import (
	"context"
	"errors"
	"html/template"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/live"
	"pingan/internal/notify"
	"pingan/internal/password"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/upload"
)

// Server holds what every handler needs. It is safe for concurrent use.
type Server struct {
	db      *store.DB
	files   files.Storage
	uploads *upload.Service
	log     *slog.Logger
	hasher  *password.Hasher
	cfg     config.Config
	sources []stats.Source
	pages   map[string]*template.Template
	routes  []route
	// gates finds the route of a link and gatePerms its permission, so that a page shows only
	// the links its viewer may open.
	gates     *http.ServeMux
	gatePerms map[string]domain.Permission
	svc       *service
	broker    *live.Broker
	// dummyHash is verified for unknown usernames so that sign-in takes as long as for real ones.
	// It is made at the first such sign-in, not at start-up, to keep start-up quick and small.
	dummyOnce sync.Once
	dummyHash string

	touchMu sync.Mutex
	touched map[string]time.Time // session id hash → last TouchSession, to throttle writes

	// views counts article views until the views.flush job stores them.
	views *viewCounter
	// publicCache keeps rendered public pages for anonymous visitors for a few seconds.
	publicCache *pageCache
	// townID caches the id of the town whose portal is public (publicTownID).
	townID atomic.Int64
}

// Deps are the parts a Server is built from.
type Deps struct {
	DB     *store.DB
	Files  files.Storage
	Log    *slog.Logger
	Hasher *password.Hasher
	Config config.Config
	// StatsSources compute the figures of the dashboard; the same list serves `pingan stats`.
	StatsSources []stats.Source
	// Gateway sends messages to citizens; nil means the logging gateway.
	Gateway notify.Gateway
	// Hub carries live events between instances; nil means an in-process hub.
	Hub live.Hub
}

// New builds a Server and parses every template, so that a broken template fails at start-up.
func New(d Deps) (*Server, error) {
	s := &Server{db: d.DB, files: d.Files, uploads: &upload.Service{DB: d.DB, Files: d.Files}, log: d.Log, hasher: d.Hasher,
		cfg: d.Config, sources: d.StatsSources, touched: map[string]time.Time{},
		views: newViewCounter(), publicCache: newPageCache(publicCacheTTL)}
	pages, err := parseTemplates()
	if err != nil {
		return nil, err
	}
	s.pages = pages
	s.svc = newService(d)
	s.routes = s.routeTable()
	s.gates, s.gatePerms = http.NewServeMux(), map[string]domain.Permission{}
	for _, rt := range s.routes {
		s.gates.Handle(rt.pattern, http.NotFoundHandler())
		s.gatePerms[rt.pattern] = rt.perm
	}
	hub := d.Hub
	if hub == nil {
		hub = live.NewLocal()
	}
	// Each feature that streams live events registers its source here, one line each.
	s.broker = live.NewBroker(hub,
		bellSource{db: d.DB},
		workGroupSource{db: d.DB},
	)
	return s, nil
}

// Handler returns the whole HTTP handler: the middleware chain around the router.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	for _, rt := range s.routes {
		mux.Handle(rt.pattern, s.gate(rt))
	}
	mux.HandleFunc("/", s.notFoundHandler)

	cop := http.NewCrossOriginProtection()
	cop.SetDenyHandler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.renderError(w, r, http.StatusForbidden, "请求来源不符合安全要求，已被拒绝。请回到本站页面重新操作。")
	}))

	var h http.Handler = mux
	h = cop.Handler(h)
	h = s.withSession(h)
	h = securityHeaders(h)
	h = s.withRequestLog(h)
	h = s.withRecover(h)
	return h
}

// HTTPServer returns an http.Server with explicit timeouts for the configured address.
func (s *Server) HTTPServer() *http.Server {
	return &http.Server{
		Addr:              s.cfg.Listen,
		Handler:           s.Handler(),
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       60 * time.Second,
		WriteTimeout:      60 * time.Second,
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
}

// handlerFunc is a handler that returns an error; serveError maps it to a status and page.
type handlerFunc func(w http.ResponseWriter, r *http.Request) error

func (s *Server) serveError(w http.ResponseWriter, r *http.Request, err error) {
	if err == nil {
		return
	}
	switch domain.ErrorKind(err) {
	case domain.KindInvalid:
		s.renderError(w, r, http.StatusBadRequest, domain.UserMessage(err))
	case domain.KindNotFound:
		s.renderError(w, r, http.StatusNotFound, domain.UserMessage(err))
	case domain.KindForbidden:
		s.renderError(w, r, http.StatusForbidden, domain.UserMessage(err))
	case domain.KindConflict:
		s.renderError(w, r, http.StatusConflict, domain.UserMessage(err))
	case domain.KindUnauthorized:
		s.renderError(w, r, http.StatusUnauthorized, domain.UserMessage(err))
	case domain.KindTooMany:
		s.renderError(w, r, http.StatusTooManyRequests, domain.UserMessage(err))
	default:
		if errors.Is(err, context.Canceled) {
			return
		}
		s.log.Error("request failed", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path, "error", err)
		s.renderError(w, r, http.StatusInternalServerError, "系统繁忙，请稍后再试。")
	}
}

func (s *Server) dummy(ctx context.Context) string {
	s.dummyOnce.Do(func() {
		h, err := s.hasher.Hash(ctx, "pingan-dummy-password")
		if err != nil {
			s.log.Error("make dummy password hash", "error", err)
			return
		}
		s.dummyHash = h
	})
	return s.dummyHash
}
