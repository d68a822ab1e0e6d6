package web

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"sort"
	"strings"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/demo/full"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// matrixHarness is the demo town on a real database, with a few extra rows the matrix needs: an
// organization that can be deleted, an account to act on, and a second town whose rows must
// stay invisible.
type matrixHarness struct {
	*harness
	town      *demo.Town
	passwords map[string]string
	ids       map[string]string // fixture ids by name, found in the demo data
}

// matrixUsers maps each role to the demo account that holds it.
var matrixUsers = map[domain.Role]string{
	domain.RoleSystemAdmin: "admin", domain.RoleSecurityAdmin: "security", domain.RoleAuditAdmin: "auditor",
	domain.RoleEditor: "editor", domain.RoleDispatcher: "dispatcher", domain.RoleCoordinator: "coordinator",
	domain.RoleModerator: "moderator", domain.RoleAgent: "agent", domain.RoleUnitHandler: "police",
	domain.RoleReporter: "yuefeng", domain.RoleGridWorker: "grid",
}

func newMatrixHarness(t *testing.T, dialect string) *matrixHarness {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, dialect)
	db.Now = func() time.Time { return demoNow }
	town, err := demo.Load(ctx, db, fastHasher, demo.Options{Until: demoNow, Steps: full.Steps})
	if err != nil {
		t.Fatalf("load demo: %v", err)
	}
	h := &harness{t: t, db: db, orgs: town.Orgs, accounts: map[string]int64{}}
	h.town = domain.Actor{TownID: town.TownID, Name: "matrix", IP: "127.0.0.1"}
	m := &matrixHarness{harness: h, town: town, passwords: map[string]string{}, ids: map[string]string{}}
	for _, a := range town.Accounts {
		m.passwords[a.Username] = a.Password
		h.accounts[a.Username] = a.ID
	}
	leaf, err := db.CreateOrg(ctx, h.town, domain.Org{ParentID: town.Orgs["越丰村"], Kind: domain.OrgGrid, Name: "待删除的网格"})
	if err != nil {
		t.Fatal(err)
	}
	h.orgs["待删除的网格"] = leaf
	hash, _ := fastHasher.Hash(ctx, testPassword)
	h.addAccount("target", "被操作账号", "越丰村", hash, domain.RoleReporter)
	m.passwords["target"] = testPassword

	other, err := db.CreateRootOrg(ctx, nil, domain.Org{Kind: domain.OrgTown, Name: "石门镇"})
	if err != nil {
		t.Fatal(err)
	}
	h.other = domain.Actor{TownID: other, Name: "matrix", IP: "127.0.0.1"}
	h.otherOrg, _ = db.CreateOrg(ctx, h.other, domain.Org{ParentID: other, Kind: domain.OrgVillage, Name: "石门村"})
	h.otherAccount, err = db.CreateAccount(ctx, h.other, store.NewAccount{PasswordHash: hash,
		Account: domain.Account{OrgID: h.otherOrg, Username: "shimen", DisplayName: "石门村信息员", Roles: []domain.Role{domain.RoleReporter}}})
	if err != nil {
		t.Fatal(err)
	}

	for name, query := range matrixFixtures {
		var id int64
		if err := db.SQL().QueryRowContext(ctx, query).Scan(&id); err != nil {
			t.Fatalf("fixture %s: %v", name, err)
		}
		m.ids[name] = fmt.Sprint(id)
	}

	cfg := config.Defaults()
	cfg.DataDir = t.TempDir()
	cfg.TrustProxy = true
	srv, err := New(Deps{DB: db, Files: files.Disk{Dir: cfg.FilesDir()}, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Hasher: fastHasher, Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	h.srv = srv
	h.ts = httptest.NewServer(srv.Handler())
	t.Cleanup(h.ts.Close)
	return m
}

// matrixFixtures find rows of the demo that routes with ids need.
var matrixFixtures = map[string]string{
	"published_post":  `SELECT MIN(id) FROM board_posts WHERE status = 'published'`,
	"pending_post":    `SELECT MIN(id) FROM board_posts WHERE status = 'pending'`,
	"brine_case":      `SELECT MIN(id) FROM cases WHERE title LIKE '%卤水%'`,
	"open_case":       `SELECT MIN(id) FROM cases WHERE state = 'dispatched'`,
	"ended_chat":      `SELECT MIN(id) FROM chats`,
	"notice":          `SELECT MIN(id) FROM notices WHERE feedback_required = TRUE`,
	"template":        `SELECT MIN(id) FROM report_templates`,
	"field":           `SELECT MIN(f.id) FROM report_fields f WHERE f.template_id = (SELECT MIN(id) FROM report_templates)`,
	"assignment":      `SELECT MIN(id) FROM report_assignments`,
	"submission":      `SELECT MIN(s.id) FROM report_submissions s JOIN orgs o ON o.id = s.org_id WHERE o.name = '越丰村' AND s.status = 'accepted'`,
	"my_report":       `SELECT MAX(s.id) FROM report_submissions s JOIN orgs o ON o.id = s.org_id WHERE o.name = '越丰村'`,
	"info_report":     `SELECT MIN(r.id) FROM info_reports r JOIN orgs o ON o.id = r.org_id WHERE o.name = '越丰村'`,
	"inquiry":         `SELECT MIN(q.id) FROM inquiries q JOIN orgs o ON o.id = q.org_id WHERE o.name = '越丰村'`,
	"channel":         `SELECT MIN(id) FROM wg_channels WHERE everyone = TRUE`,
	"notification":    `SELECT MIN(n.id) FROM notifications n JOIN accounts a ON a.id = n.account_id WHERE a.username = 'yuefeng'`,
	"article":         `SELECT MIN(id) FROM articles WHERE status = 'published'`,
	"pending_article": `SELECT MIN(id) FROM pending_articles WHERE claimed_at IS NULL`,
	"draft":           `SELECT MIN(id) FROM articles WHERE status = 'draft'`,
	"contribution":    `SELECT MIN(a.id) FROM articles a JOIN orgs o ON o.id = a.contributor_org_id WHERE o.name = '越丰村' AND a.status = 'submitted'`,
	"column":          `SELECT MIN(id) FROM columns`,
	"topic":           `SELECT MIN(id) FROM topics`,
	"site_error":      `SELECT MIN(id) FROM site_error_reports WHERE status = 'new'`,
}

func (m *matrixHarness) signInAs(username string) *client {
	m.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{h: m.harness, hc: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error {
		return http.ErrUseLastResponse
	}}}
	res := c.post("/signin", url.Values{"username": {username}, "password": {m.passwords[username]}})
	if res.StatusCode != http.StatusSeeOther {
		m.t.Fatalf("sign in as %s: status %d", username, res.StatusCode)
	}
	return c
}

// routeCase is how the matrix test calls one route: the path with real ids, the form of a POST,
// and the status an account with the permission gets (okFor overrides it per username, for rows
// that lie outside that account's organization). otherTown is the same path with the id of a row
// in another town, which must return 404 even to an account with the permission.
type routeCase struct {
	path      string
	form      url.Values
	ok        int
	okFor     map[string]int
	otherTown string
}

// expectedStatus is the status a caller with the given roles (nil for an anonymous visitor)
// gets from a route.
func expectedStatus(pattern string, perm domain.Permission, rc routeCase, username string, roles []domain.Role) int {
	method, _, _ := strings.Cut(pattern, " ")
	signedIn := roles != nil
	switch {
	case perm == public && pattern == "GET /signin" && signedIn:
		return http.StatusSeeOther // a signed-in account is sent on to the back office
	case perm == public:
		if s, ok := rc.okFor[username]; ok {
			return s
		}
		return rc.ok
	case !signedIn && method == http.MethodGet:
		return http.StatusSeeOther
	case !signedIn:
		return http.StatusUnauthorized
	case !domain.HasPermission(roles, perm):
		return http.StatusForbidden
	}
	if s, ok := rc.okFor[username]; ok {
		return s
	}
	return rc.ok
}

// TestRoleRouteMatrix calls every route as every role and as an anonymous visitor and checks the
// status; rows of another town return 404 to accounts that hold the permission. A route without
// a case fails the test, so every new route gets one.
func TestRoleRouteMatrix(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			m := newMatrixHarness(t, dialect)
			cases := routeCases(m)
			routes := m.srv.Routes()
			for _, r := range routes {
				if _, ok := cases[r.Pattern]; !ok {
					t.Errorf("route %q has no case in the matrix test", r.Pattern)
				}
			}
			// Sign-out routes end the session, so they run last.
			sort.SliceStable(routes, func(i, j int) bool {
				return !strings.Contains(routes[i].Pattern, "signout") && strings.Contains(routes[j].Pattern, "signout")
			})
			callers := append([]domain.Role{""}, domain.AllRoles...)
			for i, role := range callers {
				name, username := "anonymous", ""
				var roles []domain.Role
				c := m.anonymous()
				if role != "" {
					name, username, roles = string(role), matrixUsers[role], []domain.Role{role}
					c = m.signInAs(username)
				}
				// Each caller comes from its own address, so that the public forms' captcha
				// limit per address counts one caller's calls only.
				forwardFrom(c, fmt.Sprintf("192.0.2.%d", i+1))
				for _, r := range routes {
					rc := cases[r.Pattern]
					if role != "" && strings.Contains(r.Pattern, "signout") {
						c = m.signInAs(username) // the previous sign-out ended the session
						forwardFrom(c, fmt.Sprintf("192.0.2.%d", i+1))
					}
					want := expectedStatus(r.Pattern, r.Permission, rc, username, roles)
					if res := c.call(r.Pattern, rc.path, rc.form); res.StatusCode != want {
						t.Errorf("%s: %s %s: status %d, want %d", name, r.Pattern, rc.path, res.StatusCode, want)
					}
					if role != "" && rc.otherTown != "" && domain.HasPermission(roles, r.Permission) {
						if res := c.call(r.Pattern, rc.otherTown, rc.form); res.StatusCode != http.StatusNotFound {
							t.Errorf("%s: %s %s (other town): status %d, want 404", name, r.Pattern, rc.otherTown, res.StatusCode)
						}
					}
				}
			}
		})
	}
}

// forwardedFor is a transport that sends every request with an X-Forwarded-For address, which
// the server trusts in the matrix test (TrustProxy).
type forwardedFor struct{ addr string }

func (f forwardedFor) RoundTrip(req *http.Request) (*http.Response, error) {
	req = req.Clone(req.Context())
	req.Header.Set("X-Forwarded-For", f.addr)
	return http.DefaultTransport.RoundTrip(req)
}

// forwardFrom makes c's requests arrive as if from addr.
func forwardFrom(c *client, addr string) { c.hc.Transport = forwardedFor{addr} }

func (c *client) call(pattern, path string, form url.Values) response {
	if strings.HasSuffix(strings.SplitN(pattern, " ", 2)[1], "/events") {
		return c.stream(path)
	}
	if strings.HasPrefix(pattern, "POST ") {
		if form == nil {
			form = url.Values{}
		}
		return c.post(path, form)
	}
	return c.get(path)
}

// stream opens an event stream, reads its status and closes it, since the stream itself never ends.
func (c *client) stream(path string) response {
	c.h.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, c.h.ts.URL+path, nil)
	res, err := c.hc.Do(req)
	if err != nil {
		c.h.t.Fatalf("open stream %s: %v", path, err)
	}
	res.Body.Close()
	return response{Response: res}
}
