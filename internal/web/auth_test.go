package web

import (
	"context"
	"html"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

func TestSignInFailureMessageShared(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		c := h.anonymous()
		unknown := c.post("/signin", url.Values{"username": {"nobody"}, "password": {"whatever-123"}})
		wrong := c.post("/signin", url.Values{"username": {"editor"}, "password": {"wrong-password-1"}})
		if unknown.StatusCode != http.StatusUnauthorized || wrong.StatusCode != http.StatusUnauthorized {
			t.Fatalf("statuses %d and %d, want 401 for both", unknown.StatusCode, wrong.StatusCode)
		}
		for _, res := range []response{unknown, wrong} {
			if !strings.Contains(res.body, signInFailed) {
				t.Errorf("page does not show %q", signInFailed)
			}
		}
	})
}

func TestSignInLocksAfterRepeatedFailures(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		c := h.anonymous()
		policy := domain.DefaultSecurityPolicy
		var last response
		for i := 0; i < policy.MaxFailedAttempts; i++ {
			last = c.post("/signin", url.Values{"username": {"editor"}, "password": {"wrong-password-1"}})
		}
		if last.StatusCode != http.StatusTooManyRequests || !strings.Contains(last.body, "锁定") {
			t.Fatalf("attempt %d: status %d, want 429 with a lock message", policy.MaxFailedAttempts, last.StatusCode)
		}
		// The right password no longer helps while the lock lasts.
		res := c.post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}})
		if res.StatusCode != http.StatusTooManyRequests {
			t.Errorf("right password while locked: status %d, want 429", res.StatusCode)
		}
		entries, _, err := h.db.ListAudit(context.Background(), h.town, domain.AuditFilter{ObjectID: idOf(h.accounts["editor"])}, store.Page{Number: 1, Size: 100})
		if err != nil {
			t.Fatal(err)
		}
		counts := map[string]int{}
		for _, e := range entries {
			counts[e.Action]++
		}
		if counts["auth.sign_in_failed"] != policy.MaxFailedAttempts+1 || counts["auth.locked"] != 1 {
			t.Errorf("audit counts %v, want %d failures and 1 lock", counts, policy.MaxFailedAttempts+1)
		}

		// Once the lock has passed, the right password works again.
		h.db.Now = func() time.Time { return time.Now().Add(time.Duration(policy.LockoutMinutes+1) * time.Minute) }
		if res := c.post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}}); res.StatusCode != http.StatusSeeOther {
			t.Errorf("after the lock: status %d, want 303", res.StatusCode)
		}
	})
}

func idOf(id int64) string { return strconv.FormatInt(id, 10) }

func TestSessionCookieAndNewIDAtSignIn(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		c := h.anonymous()
		res := c.post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}})
		var first *http.Cookie
		for _, ck := range res.Cookies() {
			if ck.Name == sessionCookie {
				first = ck
			}
		}
		if first == nil || !first.HttpOnly || first.SameSite != http.SameSiteLaxMode || first.Secure {
			t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, not Secure over plain HTTP", first)
		}
		res = c.post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}})
		// Signed in already: the form redirects, and a second sign-in from a new client gets a new id.
		c2 := h.signIn("editor")
		u, _ := url.Parse(h.ts.URL)
		var second string
		for _, ck := range c2.hc.Jar.Cookies(u) {
			if ck.Name == sessionCookie {
				second = ck.Value
			}
		}
		if second == "" || second == first.Value {
			t.Error("second sign-in reused the session id")
		}
		_ = res
	})
}

func TestSecureCookieBehindTLSProxy(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.srv.cfg.TrustProxy = true
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/signin", strings.NewReader(url.Values{"username": {"editor"}, "password": {testPassword}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("X-Forwarded-Proto", "https")
	res := h.anonymous().do(req)
	for _, ck := range res.Cookies() {
		if ck.Name == sessionCookie && !ck.Secure {
			t.Error("session cookie behind a TLS proxy is not Secure")
		}
	}
}

func TestDisabledAccountSessionEndsAtOnce(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		c := h.signIn("editor")
		if res := c.get("/admin"); res.StatusCode != http.StatusOK {
			t.Fatalf("before: status %d", res.StatusCode)
		}
		admin := h.signIn("sysadmin")
		if res := admin.post("/admin/accounts/"+idOf(h.accounts["editor"])+"/disable", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("disable: status %d", res.StatusCode)
		}
		res := c.get("/admin")
		if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
			t.Errorf("after disabling: status %d to %q, want 303 to /signin", res.StatusCode, res.Header.Get("Location"))
		}
		if res := h.anonymous().post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}}); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("disabled account signs in: status %d, want 401", res.StatusCode)
		}
	})
}

func TestIdleSessionExpires(t *testing.T) {
	h := newHarness(t, "sqlite")
	c := h.signIn("editor")
	h.db.Now = func() time.Time { return time.Now().Add(31 * time.Minute) }
	if res := c.get("/admin"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("after 31 idle minutes: status %d, want 303 to sign-in", res.StatusCode)
	}
}

func TestSignOutAllEndsEverySession(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		a, b := h.signIn("editor"), h.signIn("editor")
		if res := a.post("/signout-all", url.Values{}); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("sign out all: status %d", res.StatusCode)
		}
		if res := b.get("/admin"); res.StatusCode != http.StatusSeeOther {
			t.Errorf("other session after sign-out-all: status %d, want 303", res.StatusCode)
		}
	})
}

func TestCrossOriginPostRefusedInChinese(t *testing.T) {
	h := newHarness(t, "sqlite")
	c := h.signIn("sysadmin")
	req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/admin/settings", strings.NewReader("site_name=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "http://evil.example")
	res := c.do(req)
	if res.StatusCode != http.StatusForbidden || !strings.Contains(res.body, "请求来源不符合安全要求") {
		t.Errorf("cross-origin post: status %d, want 403 with the Chinese page", res.StatusCode)
	}
	site, _ := h.db.SiteSettings(context.Background(), h.town.TownID)
	if site.SiteName == "x" {
		t.Error("cross-origin post changed the settings")
	}
}

func TestMustChangePasswordFlow(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		admin := h.signIn("sysadmin")
		res := admin.post("/admin/accounts/"+idOf(h.accounts["target"])+"/reset-password", url.Values{})
		if res.StatusCode != http.StatusOK {
			t.Fatalf("reset: status %d", res.StatusCode)
		}
		start := strings.Index(res.body, "<code>")
		end := strings.Index(res.body, "</code>")
		if start < 0 || end < start {
			t.Fatal("one-time password not shown")
		}
		oneTime := html.UnescapeString(res.body[start+len("<code>") : end])
		c := h.anonymous()
		res = c.post("/signin", url.Values{"username": {"target"}, "password": {oneTime}})
		if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/account/password" {
			t.Fatalf("sign in with one-time password: %d to %q, want 303 to /account/password", res.StatusCode, res.Header.Get("Location"))
		}
		if res := c.get("/admin"); res.Header.Get("Location") != "/account/password" {
			t.Errorf("back office before changing: redirected to %q, want /account/password", res.Header.Get("Location"))
		}
		bad := []url.Values{
			{"current": {oneTime}, "new": {"short"}, "confirm": {"short"}},
			{"current": {oneTime}, "new": {"alllowercaseletters"}, "confirm": {"alllowercaseletters"}},
			{"current": {oneTime}, "new": {"Target-Account-1"}, "confirm": {"Target-Account-1"}},
			{"current": {oneTime}, "new": {"New-Password-99"}, "confirm": {"New-Password-98"}},
			{"current": {"wrong"}, "new": {"New-Password-99"}, "confirm": {"New-Password-99"}},
		}
		for _, form := range bad {
			if res := c.post("/account/password", form); res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "field-error") {
				t.Errorf("change with %v: status %d, want 422 with a field message", form, res.StatusCode)
			}
		}
		res = c.post("/account/password", url.Values{"current": {oneTime}, "new": {"New-Password-99"}, "confirm": {"New-Password-99"}})
		if res.StatusCode != http.StatusSeeOther {
			t.Fatalf("change: status %d: %s", res.StatusCode, res.body)
		}
		if res := c.get("/admin"); res.StatusCode != http.StatusOK {
			t.Errorf("back office after changing: status %d", res.StatusCode)
		}
	})
}

func TestPasswordExpiryForcesChange(t *testing.T) {
	h := newHarness(t, "sqlite")
	h.db.Now = func() time.Time { return time.Now().Add(91 * 24 * time.Hour) }
	c := h.anonymous()
	res := c.post("/signin", url.Values{"username": {"editor"}, "password": {testPassword}})
	if res.Header.Get("Location") != "/account/password" {
		t.Errorf("expired password: redirected to %q, want /account/password", res.Header.Get("Location"))
	}
}

func TestSignInNextStaysOnSite(t *testing.T) {
	h := newHarness(t, "sqlite")
	cases := map[string]string{
		"/admin/orgs":          "/admin/orgs",
		"//evil.example/x":     "/admin",
		"https://evil.example": "/admin",
		`/\evil.example`:       "/admin",
	}
	for next, want := range cases {
		res := h.anonymous().post("/signin", url.Values{"username": {"sysadmin"}, "password": {testPassword}, "next": {next}})
		if got := res.Header.Get("Location"); got != want {
			t.Errorf("next=%q: redirected to %q, want %q", next, got, want)
		}
	}
}

func TestReadyzFailsWithoutDatabase(t *testing.T) {
	h := newHarness(t, "sqlite")
	c := h.anonymous()
	if res := c.get("/readyz"); res.StatusCode != http.StatusOK {
		t.Fatalf("readyz with the database: %d", res.StatusCode)
	}
	h.db.Close()
	if res := c.get("/readyz"); res.StatusCode != http.StatusServiceUnavailable {
		t.Errorf("readyz without the database: %d, want 503", res.StatusCode)
	}
	if res := c.get("/healthz"); res.StatusCode != http.StatusOK {
		t.Errorf("healthz without the database: %d, want 200", res.StatusCode)
	}
}
