package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// testPassword is the password of every harness account; it satisfies the default policy.
const testPassword = "Pingan-Test-2026"

// fastHasher keeps argon2id but with a tiny cost, so tests sign in quickly.
var fastHasher = password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 8)

// harness is a running server on a real database with a town, its organizations, one account
// per role and a second town whose rows must stay invisible.
type harness struct {
	t        *testing.T
	db       *store.DB
	srv      *Server
	ts       *httptest.Server
	town     domain.Actor
	other    domain.Actor
	orgs     map[string]int64
	accounts map[string]int64 // by username
	// otherOrg and otherAccount belong to the second town.
	otherOrg     int64
	otherAccount int64
}

// roleUsers maps each role to the username of its harness account.
var roleUsers = map[domain.Role]string{
	domain.RoleSystemAdmin: "sysadmin", domain.RoleSecurityAdmin: "secadmin", domain.RoleAuditAdmin: "auditadmin",
	domain.RoleEditor: "editor", domain.RoleDispatcher: "dispatcher", domain.RoleCoordinator: "coordinator",
	domain.RoleModerator: "moderator", domain.RoleAgent: "agent", domain.RoleUnitHandler: "handler",
	domain.RoleReporter: "reporter", domain.RoleGridWorker: "gridworker",
}

func newHarness(t *testing.T, dialect string) *harness {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, dialect)
	h := &harness{t: t, db: db, orgs: map[string]int64{}, accounts: map[string]int64{}}

	town, err := db.CreateRootOrg(ctx, nil, domain.Org{Kind: domain.OrgTown, Name: "高桥镇"})
	if err != nil {
		t.Fatal(err)
	}
	h.town = domain.Actor{TownID: town, Name: "harness", IP: "127.0.0.1"}
	h.orgs["高桥镇"] = town
	for _, o := range []struct {
		name, parent string
		kind         domain.OrgKind
	}{
		{"综治工作中心", "高桥镇", domain.OrgCenter},
		{"高桥派出所", "高桥镇", domain.OrgDepartment},
		{"越丰村", "高桥镇", domain.OrgVillage},
		{"扶国桥组", "越丰村", domain.OrgVillageGroup},
		{"越丰村第一网格", "扶国桥组", domain.OrgGrid},
		{"待删除的网格", "越丰村", domain.OrgGrid},
	} {
		id, err := db.CreateOrg(ctx, h.town, domain.Org{ParentID: h.orgs[o.parent], Kind: o.kind, Name: o.name})
		if err != nil {
			t.Fatal(err)
		}
		h.orgs[o.name] = id
	}
	hash, err := fastHasher.Hash(ctx, testPassword)
	if err != nil {
		t.Fatal(err)
	}
	orgOf := map[domain.Role]string{domain.RoleUnitHandler: "高桥派出所", domain.RoleReporter: "越丰村", domain.RoleGridWorker: "越丰村第一网格"}
	for _, role := range domain.AllRoles {
		org := orgOf[role]
		if org == "" {
			org = "综治工作中心"
		}
		h.addAccount(roleUsers[role], role.Label(), org, hash, role)
	}
	h.addAccount("target", "被操作账号", "越丰村", hash, domain.RoleReporter)

	other, err := db.CreateRootOrg(ctx, nil, domain.Org{Kind: domain.OrgTown, Name: "石门镇"})
	if err != nil {
		t.Fatal(err)
	}
	h.other = domain.Actor{TownID: other, Name: "harness", IP: "127.0.0.1"}
	h.otherOrg, err = db.CreateOrg(ctx, h.other, domain.Org{ParentID: other, Kind: domain.OrgVillage, Name: "石门村"})
	if err != nil {
		t.Fatal(err)
	}
	h.otherAccount, err = db.CreateAccount(ctx, h.other, store.NewAccount{PasswordHash: hash,
		Account: domain.Account{OrgID: h.otherOrg, Username: "shimen", DisplayName: "石门村信息员", Roles: []domain.Role{domain.RoleReporter}}})
	if err != nil {
		t.Fatal(err)
	}

	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	srv, err := New(Deps{DB: db, Files: files.Disk{Dir: cfg.FilesDir()}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Hasher: fastHasher, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(h.ts.Close)
	return h
}

func (h *harness) addAccount(username, name, org, hash string, roles ...domain.Role) {
	h.t.Helper()
	id, err := h.db.CreateAccount(context.Background(), h.town, store.NewAccount{PasswordHash: hash,
		Account: domain.Account{OrgID: h.orgs[org], Username: username, DisplayName: name, Roles: roles}})
	if err != nil {
		h.t.Fatal(err)
	}
	h.accounts[username] = id
}

// client is a browser-like HTTP client with its own cookie jar that does not follow redirects.
type client struct {
	h  *harness
	hc *http.Client
}

func (h *harness) anonymous() *client {
	jar, _ := cookiejar.New(nil)
	return &client{h: h, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
}

// signIn returns a client signed in as username through the real sign-in form.
func (h *harness) signIn(username string) *client {
	h.t.Helper()
	c := h.anonymous()
	res := c.post("/signin", url.Values{"username": {username}, "password": {testPassword}})
	if res.StatusCode != http.StatusSeeOther {
		h.t.Fatalf("sign in as %s: status %d: %s", username, res.StatusCode, res.body)
	}
	return c
}

type response struct {
	*http.Response
	body string
}

func (c *client) do(req *http.Request) response {
	c.h.t.Helper()
	res, err := c.hc.Do(req)
	if err != nil {
		c.h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return response{Response: res, body: string(b)}
}

func (c *client) get(path string) response {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.h.ts.URL+path, nil)
	return c.do(req)
}

func (c *client) post(path string, form url.Values) response {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	// A browser sends these on a same-origin form post.
	req.Header.Set("Origin", c.h.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

func (c *client) postMultipart(path, contentType string, body io.Reader) response {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.h.ts.URL+path, body)
	req.Header.Set("Content-Type", contentType)
	req.Header.Set("Origin", c.h.ts.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	return c.do(req)
}

// forEachDB runs fn against a fresh harness on SQLite and on PostgreSQL.
func forEachDB(t *testing.T, fn func(t *testing.T, h *harness)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, newHarness(t, d)) })
	}
}
