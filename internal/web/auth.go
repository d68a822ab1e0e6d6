package web

import (
	"crypto/rand"
	"encoding/base64"
	"net/http"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// signInFailed is the one message for an unknown username, a wrong password and a disabled
// account, so that the sign-in form does not tell which usernames exist.
const signInFailed = "用户名或密码错误。"

type signInPage struct {
	Page
	Username string
	Next     string
}

func (s *Server) signInForm(w http.ResponseWriter, r *http.Request) error {
	if sessionFrom(r.Context()) != nil {
		http.Redirect(w, r, "/admin", http.StatusSeeOther)
		return nil
	}
	return s.render(w, r, http.StatusOK, "signin", &signInPage{Page: Page{Title: "工作人员登录"}, Next: safeNext(r.URL.Query().Get("next"))})
}

// safeNext keeps only a local path, so the sign-in form cannot redirect to another site.
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, `/\`) || strings.ContainsAny(next, "\r\n") {
		return ""
	}
	return next
}

func (s *Server) signIn(w http.ResponseWriter, r *http.Request) error {
	username := strings.ToLower(domain.CleanLine(r.PostFormValue("username")))
	pw := r.PostFormValue("password")
	data := &signInPage{Page: Page{Title: "工作人员登录"}, Username: username, Next: safeNext(r.PostFormValue("next"))}
	fail := func(status int, msg string) error {
		data.Message = msg
		return s.render(w, r, status, "signin", data)
	}
	if username == "" || pw == "" {
		data.Errors = map[string]string{}
		if username == "" {
			data.Errors["username"] = "请输入用户名。"
		}
		if pw == "" {
			data.Errors["password"] = "请输入密码。"
		}
		return fail(http.StatusUnprocessableEntity, "请输入用户名和密码。")
	}
	ip := s.clientIP(r)
	if domain.CharCount(username) > 64 || domain.CharCount(pw) > 128 {
		return fail(http.StatusUnauthorized, signInFailed)
	}
	cred, err := s.db.CredentialsByUsername(r.Context(), username)
	if domain.ErrorKind(err) == domain.KindNotFound {
		// Spend the same time as a real check so timing does not reveal unknown usernames.
		s.hasher.Verify(r.Context(), pw, s.dummy(r.Context()))
		s.auditUnknownUser(r, username, ip)
		return fail(http.StatusUnauthorized, signInFailed)
	}
	if err != nil {
		return err
	}
	a := cred.Account
	policy, err := s.db.SecurityPolicy(r.Context(), a.TownID)
	if err != nil {
		return err
	}
	now := s.db.Now()
	if a.LockedAt(now) {
		s.db.AppendAudit(r.Context(), store.AuditFor(domain.Actor{AccountID: a.ID, TownID: a.TownID, Name: a.ActorName(), IP: ip},
			"auth.sign_in_failed", "account", a.ID, domain.OutcomeFailure, "账号已锁定"))
		minutes := int(a.LockedUntil.Sub(now).Minutes()) + 1
		return fail(http.StatusTooManyRequests, "连续登录失败次数过多，账号已临时锁定，请 "+strconv.Itoa(minutes)+" 分钟后再试，或联系系统管理员解锁。")
	}
	ok, err := s.hasher.Verify(r.Context(), pw, cred.PasswordHash)
	if err != nil {
		return err
	}
	if !ok || a.Disabled {
		locked, err := s.db.RecordSignInFailure(r.Context(), a, ip, policy.MaxFailedAttempts, time.Duration(policy.LockoutMinutes)*time.Minute)
		if err != nil {
			return err
		}
		if locked {
			return fail(http.StatusTooManyRequests, "连续登录失败次数过多，账号已临时锁定，请 "+strconv.Itoa(policy.LockoutMinutes)+" 分钟后再试，或联系系统管理员解锁。")
		}
		return fail(http.StatusUnauthorized, signInFailed)
	}

	rehash := ""
	if s.hasher.NeedsRehash(cred.PasswordHash) {
		if h, err := s.hasher.Hash(r.Context(), pw); err == nil {
			rehash = h
		}
	}
	token := newToken()
	sess := store.Session{IDHash: hashToken(token), AccountID: a.ID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(time.Duration(policy.SessionMaxHours) * time.Hour), IP: ip,
		UserAgent: domain.TruncateChars(r.UserAgent(), 200)}
	// A new session id at every sign-in: an id planted before sign-in is never promoted.
	if err := s.db.RecordSignInSuccess(r.Context(), a, sess, rehash); err != nil {
		return err
	}
	s.setSessionCookie(w, r, token, time.Duration(policy.SessionMaxHours)*time.Hour)
	to := data.Next
	if a.MustChangePassword || policy.PasswordExpired(a.PasswordChangedAt, now) {
		to = "/account/password"
	} else if to == "" {
		to = "/admin"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) auditUnknownUser(r *http.Request, username, ip string) {
	town, err := s.db.FirstTown(r.Context())
	if err != nil {
		return
	}
	e := store.AuditFor(domain.Actor{TownID: town.ID, Name: domain.TruncateChars(username, 40), IP: ip},
		"auth.sign_in_failed", "account", 0, domain.OutcomeFailure, "用户名不存在")
	if err := s.db.AppendAudit(r.Context(), e); err != nil {
		s.log.Error("audit failed sign-in", "error", err)
	}
}

func newToken() string {
	b := make([]byte, 32)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

func (s *Server) signOut(w http.ResponseWriter, r *http.Request) error {
	si := sessionFrom(r.Context())
	if err := s.db.DeleteSession(r.Context(), s.actor(r), si.idHash); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	return redirectFlash(w, r, "/signin", "您已安全退出。")
}

func (s *Server) signOutAll(w http.ResponseWriter, r *http.Request) error {
	if err := s.db.DeleteAllSessions(r.Context(), s.actor(r)); err != nil {
		return err
	}
	s.clearSessionCookie(w, r)
	return redirectFlash(w, r, "/signin", "已退出该账号在所有设备上的登录。")
}

type accountPage struct {
	Page
	Sessions int
	Policy   domain.SecurityPolicy
	Expires  time.Time
}

func (s *Server) accountHome(w http.ResponseWriter, r *http.Request) error {
	si := sessionFrom(r.Context())
	n, err := s.db.CountSessions(r.Context(), si.account.ID)
	if err != nil {
		return err
	}
	data := &accountPage{Page: Page{Title: "我的账号"}, Sessions: n, Policy: si.policy}
	if si.policy.PasswordMaxAgeDays > 0 {
		data.Expires = si.account.PasswordChangedAt.Add(time.Duration(si.policy.PasswordMaxAgeDays) * 24 * time.Hour)
	}
	return s.render(w, r, http.StatusOK, "account/home", data)
}

type passwordPage struct {
	Page
	Forced bool
	Policy domain.SecurityPolicy
}

func (s *Server) passwordForm(w http.ResponseWriter, r *http.Request) error {
	si := sessionFrom(r.Context())
	forced := si.account.MustChangePassword || si.policy.PasswordExpired(si.account.PasswordChangedAt, s.db.Now())
	return s.render(w, r, http.StatusOK, "account/password", &passwordPage{Page: Page{Title: "修改密码"}, Forced: forced, Policy: si.policy})
}

func (s *Server) changePassword(w http.ResponseWriter, r *http.Request) error {
	si := sessionFrom(r.Context())
	data := &passwordPage{Page: Page{Title: "修改密码"}, Policy: si.policy,
		Forced: si.account.MustChangePassword || si.policy.PasswordExpired(si.account.PasswordChangedAt, s.db.Now())}
	current, next, confirm := r.PostFormValue("current"), r.PostFormValue("new"), r.PostFormValue("confirm")
	p := domain.Problems{}
	cred, err := s.db.CredentialsByUsername(r.Context(), si.account.Username)
	if err != nil {
		return err
	}
	if current == "" {
		p.Add("current", "请输入当前密码。")
	} else if ok, err := s.hasher.Verify(r.Context(), current, cred.PasswordHash); err != nil {
		return err
	} else if !ok {
		p.Add("current", "当前密码不正确。")
	}
	if msg := si.policy.CheckPassword(next, si.account.Username); msg != "" {
		p.Add("new", msg)
	} else if next == current {
		p.Add("new", "新密码不能与当前密码相同。")
	}
	if confirm != next {
		p.Add("confirm", "两次输入的新密码不一致。")
	}
	if err := p.Err(); err != nil {
		formInvalid(&data.Page, err)
		return s.render(w, r, http.StatusUnprocessableEntity, "account/password", data)
	}
	hash, err := s.hasher.Hash(r.Context(), next)
	if err != nil {
		return err
	}
	if err := s.db.ChangeOwnPassword(r.Context(), s.actor(r), hash, si.idHash); err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin", "密码已修改，该账号在其他设备上的登录已退出。")
}
