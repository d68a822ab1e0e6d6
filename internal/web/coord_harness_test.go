package web

import (
	"bufio"
	"bytes"
	"context"
	"database/sql"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/live"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// coordTestPassword is the password of every coordHarness account.
const coordTestPassword = "Pingan-Test-2024"

// cheapHasher keeps sign-in fast in tests; production uses password.OWASP.
func cheapHasher() *password.Hasher {
	return password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 8)
}

// coordHarness is a real server on a real database with a small town: the center, two member units
// and four villages, and an account for each.
type coordHarness struct {
	t        *testing.T
	dialect  string
	db       *store.DB
	dbOpt    store.Options
	srv      *Server
	ts       *httptest.Server
	hub      live.Hub
	town     int64
	orgs     map[string]int64
	accounts map[string]int64
	hash     string
	dataDir  string
}

// harnessAccounts are the accounts newCoordHarness creates: username, organization, roles.
var harnessAccounts = []struct {
	username, org string
	roles         []domain.Role
}{
	{"coordinator", "综治工作中心", []domain.Role{domain.RoleCoordinator}},
	{"editor", "综治工作中心", []domain.Role{domain.RoleEditor}},
	{"sysadmin", "综治工作中心", []domain.Role{domain.RoleSystemAdmin}},
	{"auditor", "综治工作中心", []domain.Role{domain.RoleAuditAdmin}},
	{"judicial", "司法所", []domain.Role{domain.RoleUnitHandler}},
	{"police", "派出所", []domain.Role{domain.RoleUnitHandler}},
	{"yuefeng", "越丰村", []domain.Role{domain.RoleReporter}},
	{"gaoqiao", "高桥村", []domain.Role{domain.RoleReporter}},
	{"qili", "骑力村", []domain.Role{domain.RoleReporter}},
	{"nanri", "南日村", []domain.Role{domain.RoleReporter}},
	{"grid", "越丰村第一网格", []domain.Role{domain.RoleGridWorker}},
	{"secadmin", "综治工作中心", []domain.Role{domain.RoleSecurityAdmin}},
	{"dispatcher", "综治工作中心", []domain.Role{domain.RoleDispatcher}},
	{"moderator", "综治工作中心", []domain.Role{domain.RoleModerator}},
	{"agent", "综治工作中心", []domain.Role{domain.RoleAgent}},
}

// eachDB runs fn once on SQLite and once on PostgreSQL, each with a fresh coordHarness.
func eachDB(t *testing.T, fn func(t *testing.T, h *coordHarness)) {
	for _, d := range storetest.Dialects {
		t.Run(d, func(t *testing.T) { fn(t, newCoordHarness(t, d)) })
	}
}

func newCoordHarness(t *testing.T, dialect string) *coordHarness {
	t.Helper()
	db, opt := storetest.OpenWithOptions(t, dialect, storetest.Keys(t))
	h := &coordHarness{t: t, dialect: dialect, db: db, dbOpt: opt, orgs: map[string]int64{}, accounts: map[string]int64{}}
	h.seed()
	h.ts = h.startServer(db)
	return h
}

// startServer starts one more instance on db, with its own hub; on PostgreSQL the instances
// share events through LISTEN/NOTIFY, as in production.
func (h *coordHarness) startServer(db *store.DB) *httptest.Server {
	h.t.Helper()
	srv, hub := h.newServer(db)
	ts := httptest.NewServer(srv.Handler())
	h.t.Cleanup(func() {
		hub.Close()
		ts.Close()
	})
	if h.srv == nil {
		h.srv, h.hub = srv, hub
	}
	return ts
}

func (h *coordHarness) newServer(db *store.DB) (*Server, live.Hub) {
	h.t.Helper()
	var hub live.Hub = live.NewLocal()
	if h.dialect == "postgres" {
		pg, err := live.NewPostgres(context.Background(), h.dbOpt.URL, db.SQL(), slog.New(slog.DiscardHandler))
		if err != nil {
			h.t.Fatal(err)
		}
		hub = pg
	}
	if h.dataDir == "" {
		h.dataDir = h.t.TempDir()
	}
	log := slog.New(slog.NewTextHandler(testLogWriter{h.t}, &slog.HandlerOptions{Level: slog.LevelWarn}))
	srv, err := New(Deps{DB: db, Files: files.Disk{Dir: filepath.Join(h.dataDir, "files")}, Log: log,
		Hasher: cheapHasher(), Config: config.Defaults(), Hub: hub})
	if err != nil {
		h.t.Fatal(err)
	}
	return srv, hub
}

// testLogWriter sends server logs to the test log, so a failing test shows them.
type testLogWriter struct{ t *testing.T }

func (w testLogWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func (h *coordHarness) seed() {
	t := h.t
	ctx := context.Background()
	hash, err := cheapHasher().Hash(ctx, coordTestPassword)
	if err != nil {
		t.Fatal(err)
	}
	h.hash = hash
	err = h.db.Tx(ctx, func(tx *sql.Tx) error {
		town, err := h.db.CreateRootOrg(ctx, tx, domain.Org{Kind: domain.OrgTown, Name: "高桥镇"})
		if err != nil {
			return err
		}
		h.town = town
		h.orgs["高桥镇"] = town
		actor := domain.Actor{TownID: town, Name: "测试", IP: "127.0.0.1"}
		for _, o := range []struct {
			name   string
			kind   domain.OrgKind
			parent string
		}{
			{"综治工作中心", domain.OrgCenter, "高桥镇"}, {"司法所", domain.OrgDepartment, "高桥镇"},
			{"派出所", domain.OrgDepartment, "高桥镇"}, {"越丰村", domain.OrgVillage, "高桥镇"},
			{"高桥村", domain.OrgVillage, "高桥镇"}, {"骑力村", domain.OrgVillage, "高桥镇"},
			{"南日村", domain.OrgVillage, "高桥镇"}, {"越丰村第一网格", domain.OrgGrid, "越丰村"},
		} {
			id, err := h.db.CreateOrgTx(ctx, tx, actor, domain.Org{ParentID: h.orgs[o.parent], Kind: o.kind, Name: o.name})
			if err != nil {
				return err
			}
			h.orgs[o.name] = id
		}
		for _, a := range harnessAccounts {
			id, err := h.db.CreateAccountTx(ctx, tx, actor, store.NewAccount{PasswordHash: hash, Account: domain.Account{
				OrgID: h.orgs[a.org], Username: a.username, DisplayName: displayName(a.username), Roles: a.roles}})
			if err != nil {
				return err
			}
			h.accounts[a.username] = id
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// displayName gives each coordHarness account a Chinese name that tests can look for.
func displayName(username string) string {
	names := map[string]string{"coordinator": "朱海英", "editor": "钱晓燕", "sysadmin": "陈建国", "auditor": "吴志强",
		"judicial": "王秀英", "police": "李振华", "yuefeng": "张卫东", "gaoqiao": "沈建明", "qili": "陆小平",
		"nanri": "顾春华", "grid": "姚春芳", "secadmin": "沈丽华", "dispatcher": "周文斌", "moderator": "徐佳琪", "agent": "孙梦婷"}
	if n, ok := names[username]; ok {
		return n
	}
	return username
}

// actor returns the domain actor of a coordHarness account, for calling the store directly.
func (h *coordHarness) actor(username string) domain.Actor {
	h.t.Helper()
	id := h.accounts[username]
	a, err := h.db.GetAccount(context.Background(), domain.Actor{TownID: h.town}, id)
	if err != nil {
		h.t.Fatal(err)
	}
	return domain.Actor{AccountID: a.ID, TownID: a.TownID, OrgID: a.OrgID, Name: a.DisplayName + "（" + a.Username + "）", Roles: a.Roles, IP: "127.0.0.1"}
}

// coordClient is one signed-in coordBrowser without JavaScript: it keeps cookies and does not follow
// redirects, so tests see each status.
type coordClient struct {
	h    *coordHarness
	http *http.Client
	base string
}

func (h *coordHarness) signIn(username string) *coordClient {
	return h.signInAt(h.ts, username)
}

func (h *coordHarness) signInAt(ts *httptest.Server, username string) *coordClient {
	h.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &coordClient{h: h, base: ts.URL, http: &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	res := c.post("/signin", url.Values{"username": {username}, "password": {coordTestPassword}})
	if res.status != http.StatusSeeOther {
		h.t.Fatalf("sign in %s: status %d: %s", username, res.status, res.body)
	}
	return c
}

type coordResponse struct {
	status   int
	body     string
	location string
	header   http.Header
}

func (c *coordClient) do(req *http.Request) coordResponse {
	c.h.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.h.t.Fatalf("%s %s: %v", req.Method, req.URL.Path, err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return coordResponse{status: res.StatusCode, body: string(b), location: res.Header.Get("Location"), header: res.Header}
}

func (c *coordClient) get(path string) coordResponse {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

func (c *coordClient) post(path string, form url.Values) coordResponse {
	c.h.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	return c.do(req)
}

// coordUpload is one file of a multipart form.
type coordUpload struct {
	field, name string
	data        []byte
}

func (c *coordClient) postMultipart(path string, form url.Values, files ...coordUpload) coordResponse {
	c.h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range form {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for _, f := range files {
		w, _ := mw.CreateFormFile(f.field, f.name)
		w.Write(f.data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return c.do(req)
}

// sseStream reads a text/event-stream coordResponse.
type sseStream struct {
	res *http.Response
	br  *bufio.Reader
}

type sseEvent struct {
	id, name, data string
}

// openStream opens GET /events with an optional Last-Event-ID and checks the status.
func (c *coordClient) openStream(t *testing.T, query, lastEventID string) *sseStream {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+"/events"+query, nil)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	hc := &http.Client{Jar: c.http.Jar}
	res, err := hc.Do(req.WithContext(ctx))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /events: status %d", res.StatusCode)
	}
	return &sseStream{res: res, br: bufio.NewReader(res.Body)}
}

// next returns the next event, skipping comments and the retry line; it fails the test when no
// event comes within wait.
func (s *sseStream) next(t *testing.T, wait time.Duration) sseEvent {
	t.Helper()
	type result struct {
		e   sseEvent
		err error
	}
	ch := make(chan result, 1)
	go func() {
		var e sseEvent
		for {
			line, err := s.br.ReadString('\n')
			if err != nil {
				ch <- result{err: err}
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case line == "":
				if e.name != "" || e.data != "" {
					ch <- result{e: e}
					return
				}
			case strings.HasPrefix(line, "id: "):
				e.id = line[4:]
			case strings.HasPrefix(line, "event: "):
				e.name = line[7:]
			case strings.HasPrefix(line, "data: "):
				e.data = line[6:]
			}
		}
	}()
	select {
	case r := <-ch:
		if r.err != nil {
			t.Fatalf("read event: %v", r.err)
		}
		return r.e
	case <-time.After(wait):
		t.Fatalf("no event within %s", wait)
	}
	return sseEvent{}
}

// mustContain fails the test unless body contains each of want.
func mustContain(t *testing.T, what, body string, want ...string) {
	t.Helper()
	for _, w := range want {
		if !strings.Contains(body, w) {
			t.Errorf("%s does not contain %q", what, w)
		}
	}
}

func storePage(n int) store.Page { return store.Page{Number: n, Size: 50} }

func shanghai() *time.Location { return domain.Shanghai }

func readAll(res *http.Response) string {
	b, _ := io.ReadAll(res.Body)
	return string(b)
}
