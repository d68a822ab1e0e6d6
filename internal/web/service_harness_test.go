package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/demo/servicedemo"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// demoNow is the moment the service tests run at: Wednesday 2026-11-25 10:00 Beijing time, a
// working day within the chat's duty hours.
var demoNow = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// demoHarness is the real server on a real database with the demo town loaded.
type demoHarness struct {
	t    testing.TB
	db   *store.DB
	srv  *httptest.Server
	town *demo.Town
	s    *Server
}

func newDemoHarness(t testing.TB, dialect string) *demoHarness {
	t.Helper()
	db := storetest.Open(t, dialect)
	db.Now = func() time.Time { return demoNow }
	hasher := password.NewHasher(password.Params{MemoryKiB: 1024, Iterations: 1, Threads: 1}, 4)
	town, err := demo.Load(context.Background(), db, hasher, demo.Options{Until: demoNow, Steps: []demo.Step{servicedemo.Step}})
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	s, err := New(Deps{DB: db, Files: files.Disk{Dir: t.TempDir()}, Log: slog.New(slog.DiscardHandler), Hasher: hasher,
		Config: config.Config{TrustProxy: true}})
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	return &demoHarness{t: t, db: db, srv: srv, town: town, s: s}
}

// client returns an HTTP client that keeps cookies and does not follow redirects; username ""
// is an anonymous visitor, any other is signed in as that demo account.
func (h *demoHarness) client(username string) *http.Client {
	h.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	if username == "" {
		return c
	}
	pw := ""
	for _, a := range h.town.Accounts {
		if a.Username == username {
			pw = a.Password
		}
	}
	res, err := c.PostForm(h.srv.URL+"/signin", url.Values{"username": {username}, "password": {pw}})
	if err != nil {
		h.t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || strings.Contains(res.Header.Get("Location"), "signin") {
		h.t.Fatalf("sign in as %s: status %d, location %q", username, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

func (h *demoHarness) get(c *http.Client, path string) (int, string) {
	h.t.Helper()
	res, err := c.Get(h.srv.URL + path)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (h *demoHarness) post(c *http.Client, path string, form url.Values, header ...string) (int, string) {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

var hiddenField = regexp.MustCompile(`name="([a-z_]+)" value="([^"]*)"`)

// formFields returns the hidden fields of a page, and the captcha's answer read from the
// captcha store in-process, as a load test may.
func (h *demoHarness) formFields(page string) url.Values {
	h.t.Helper()
	v := url.Values{}
	for _, m := range hiddenField.FindAllStringSubmatch(page, -1) {
		v.Set(m[1], m[2])
	}
	if id := v.Get("captcha_id"); id != "" {
		a, err := h.db.CaptchaAnswer(context.Background(), hashToken(id))
		if err != nil {
			h.t.Fatalf("captcha answer: %v", err)
		}
		v.Set("captcha_answer", a)
	}
	return v
}

func (h *demoHarness) actorOf(username string) domain.Actor {
	for _, a := range h.town.Accounts {
		if a.Username == username {
			return domain.Actor{AccountID: a.ID, TownID: h.town.TownID, OrgID: h.town.Orgs[a.OrgName], Name: a.Name, Roles: a.Roles}
		}
	}
	h.t.Fatalf("no demo account %s", username)
	return domain.Actor{}
}
