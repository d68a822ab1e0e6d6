package web

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"net/url"
	"runtime/debug"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

type ctxKey int

const (
	ctxRequestID ctxKey = iota
	ctxSession
)

// sessionInfo is the signed-in account of a request, when there is one.
type sessionInfo struct {
	idHash  string
	account domain.Account
	policy  domain.SecurityPolicy
}

func requestID(ctx context.Context) string {
	id, _ := ctx.Value(ctxRequestID).(string)
	return id
}

func sessionFrom(ctx context.Context) *sessionInfo {
	si, _ := ctx.Value(ctxSession).(*sessionInfo)
	return si
}

func (s *Server) withRecover(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		defer func() {
			if p := recover(); p != nil {
				if p == http.ErrAbortHandler {
					panic(p)
				}
				s.log.Error("panic", "request_id", requestID(r.Context()), "method", r.Method, "path", r.URL.Path,
					"panic", fmt.Sprint(p), "stack", string(debug.Stack()))
				s.renderError(w, r, http.StatusInternalServerError, "系统繁忙，请稍后再试。")
			}
		}()
		next.ServeHTTP(w, r)
	})
}

type statusWriter struct {
	http.ResponseWriter
	status int
	bytes  int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	n, err := w.ResponseWriter.Write(b)
	w.bytes += n
	return n, err
}

// Unwrap lets http.ResponseController reach the underlying writer (flush, deadlines).
func (w *statusWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (s *Server) withRequestLog(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b := make([]byte, 8)
		rand.Read(b)
		id := hex.EncodeToString(b)
		ctx := context.WithValue(r.Context(), ctxRequestID, id)
		sw := &statusWriter{ResponseWriter: w}
		start := time.Now()
		next.ServeHTTP(sw, r.WithContext(ctx))
		s.logRequest(r, id, sw, start)
	})
}

// logRequest writes the access log line of a finished request. It is a function of its own so
// that the middleware's frame stays small under long-lived event streams.
func (s *Server) logRequest(r *http.Request, id string, sw *statusWriter, start time.Time) {
	if r.URL.Path == "/healthz" || r.URL.Path == "/readyz" || strings.HasPrefix(r.URL.Path, "/static/") {
		return
	}
	attrs := []any{"request_id", id, "method", r.Method, "path", r.URL.Path, "status", sw.status,
		"duration_ms", time.Since(start).Milliseconds()}
	if si := sessionFrom(r.Context()); si != nil {
		attrs = append(attrs, "user_id", si.account.ID, "org_id", si.account.OrgID)
	}
	s.log.Info("request", attrs...)
}

func securityHeaders(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("X-Frame-Options", "SAMEORIGIN")
		h.Set("Referrer-Policy", "same-origin")
		h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data: blob:; style-src 'self' 'unsafe-inline'; "+
			"script-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'self'")
		next.ServeHTTP(w, r)
	})
}

const sessionCookie = "pingan_session"

func hashToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// withSession loads the signed-in account from the session cookie, if the session is live.
// It moves the idle clock at most once a minute per session to avoid a write per request.
func (s *Server) withSession(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		si, ok := s.loadSession(w, r)
		if !ok {
			return
		}
		if si != nil {
			r = r.WithContext(context.WithValue(r.Context(), ctxSession, si))
		}
		next.ServeHTTP(w, r)
	})
}

// loadSession returns the live session of the request's cookie, or nil without one. It returns
// false when it has already written an error response. It is a function of its own so
// that its large locals are off the stack while the rest of the request runs, which lets an
// event stream's goroutine keep a small stack for hours.
func (s *Server) loadSession(w http.ResponseWriter, r *http.Request) (*sessionInfo, bool) {
	c, err := r.Cookie(sessionCookie)
	if err != nil || c.Value == "" || strings.HasPrefix(r.URL.Path, "/static/") {
		return nil, true
	}
	idHash := hashToken(c.Value)
	// The idle limit is the longest any town allows; the town's own policy is applied below.
	sess, account, err := s.db.SessionAccount(r.Context(), idHash, 8*time.Hour)
	if err != nil {
		if domain.ErrorKind(err) != domain.KindUnauthorized {
			s.log.Error("load session failed", "request_id", requestID(r.Context()), "error", err)
		}
		s.clearSessionCookie(w, r)
		return nil, true
	}
	policy, err := s.db.SecurityPolicy(r.Context(), account.TownID)
	if err != nil {
		s.serveError(w, r, err)
		return nil, false
	}
	now := s.db.Now()
	if now.Sub(sess.LastSeenAt) > time.Duration(policy.SessionIdleMinutes)*time.Minute ||
		now.Sub(sess.CreatedAt) > time.Duration(policy.SessionMaxHours)*time.Hour {
		s.db.SQL().ExecContext(r.Context(), `DELETE FROM sessions WHERE id_hash = $1`, idHash)
		s.clearSessionCookie(w, r)
		return nil, true
	}
	s.touch(r.Context(), idHash, sess.LastSeenAt)
	return &sessionInfo{idHash: idHash, account: account, policy: policy}, true
}

func (s *Server) touch(ctx context.Context, idHash string, lastSeen time.Time) {
	now := s.db.Now()
	if now.Sub(lastSeen) < time.Minute {
		return
	}
	s.touchMu.Lock()
	prev := s.touched[idHash]
	if now.Sub(prev) < time.Minute {
		s.touchMu.Unlock()
		return
	}
	s.touched[idHash] = now
	if len(s.touched) > 10000 {
		clear(s.touched)
	}
	s.touchMu.Unlock()
	if err := s.db.TouchSession(ctx, idHash); err != nil {
		s.log.Error("touch session failed", "error", err)
	}
}

// secure reports whether the request arrived over TLS, directly or through a trusted proxy.
func (s *Server) secure(r *http.Request) bool {
	if r.TLS != nil {
		return true
	}
	return s.cfg.TrustProxy && strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
}

func (s *Server) setSessionCookie(w http.ResponseWriter, r *http.Request, token string, maxAge time.Duration) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: token, Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: int(maxAge.Seconds())})
}

func (s *Server) clearSessionCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: sessionCookie, Value: "", Path: "/", HttpOnly: true,
		SameSite: http.SameSiteLaxMode, Secure: s.secure(r), MaxAge: -1})
}

// clientIP returns the address of the client: the first X-Forwarded-For entry behind a trusted
// proxy, otherwise the connection's remote address.
func (s *Server) clientIP(r *http.Request) string {
	if s.cfg.TrustProxy {
		if xff := r.Header.Get("X-Forwarded-For"); xff != "" {
			first, _, _ := strings.Cut(xff, ",")
			if ip := net.ParseIP(strings.TrimSpace(first)); ip != nil {
				return ip.String()
			}
		}
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return r.RemoteAddr
	}
	return host
}

// actor returns the acting account of the request, or an anonymous actor of the first town.
func (s *Server) actor(r *http.Request) domain.Actor {
	if si := sessionFrom(r.Context()); si != nil {
		a := si.account
		return domain.Actor{AccountID: a.ID, TownID: a.TownID, OrgID: a.OrgID, Name: a.ActorName(),
			Roles: a.Roles, IP: s.clientIP(r)}
	}
	return domain.Actor{IP: s.clientIP(r)}
}

// route is one line of the route table: the pattern, the permission it needs ("" for a public
// page) and the handler.
type route struct {
	pattern string
	perm    domain.Permission
	handler handlerFunc
}

// public marks a route that anyone may open.
const public domain.Permission = ""

// passwordChangeAllowed lists the routes an account that must change its password may still use.
var passwordChangeAllowed = map[string]bool{
	"GET /account/password": true, "POST /account/password": true, "POST /signout": true,
}

// gate enforces a route's permission. An anonymous visitor to a staff page is sent to sign-in
// (or gets 401 for a non-GET request), and an account that must change its password is sent to
// do so. An account without the permission gets 403 and an audit record.
func (s *Server) gate(rt route) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if rt.perm != public && !s.allow(w, r, rt) {
			return
		}
		s.serveError(w, r, rt.handler(w, r))
	})
}

// allow reports whether the request may use the route, and writes the response when it may not.
func (s *Server) allow(w http.ResponseWriter, r *http.Request, rt route) bool {
	si := sessionFrom(r.Context())
	if si == nil {
		if r.Method == http.MethodGet || r.Method == http.MethodHead {
			http.Redirect(w, r, "/signin?next="+url.QueryEscape(r.URL.RequestURI()), http.StatusSeeOther)
			return false
		}
		s.renderError(w, r, http.StatusUnauthorized, "请先登录。")
		return false
	}
	mustChange := si.account.MustChangePassword || si.policy.PasswordExpired(si.account.PasswordChangedAt, s.db.Now())
	if mustChange && !passwordChangeAllowed[rt.pattern] {
		if r.Method == http.MethodGet {
			http.Redirect(w, r, "/account/password", http.StatusSeeOther)
			return false
		}
		s.renderError(w, r, http.StatusForbidden, "请先修改密码。")
		return false
	}
	if !si.account.Can(rt.perm) {
		actor := s.actor(r)
		if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "access.denied", "route", 0, domain.OutcomeDenied,
			r.Method+" "+r.URL.Path)); err != nil {
			s.log.Error("audit denied access failed", "error", err)
		}
		s.renderError(w, r, http.StatusForbidden, "您没有执行此操作的权限。")
		return false
	}
	return true
}

func (s *Server) notFoundHandler(w http.ResponseWriter, r *http.Request) {
	s.renderError(w, r, http.StatusNotFound, "您访问的页面不存在或已被删除。")
}
