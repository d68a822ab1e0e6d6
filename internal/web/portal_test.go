package web_test

import (
	"context"
	"encoding/xml"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/richtext"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
	"pingan/internal/web"
)

// demoSite is a running server on a real database loaded with the demo town.
type demoSite struct {
	db   *store.DB
	srv  *web.Server
	ts   *httptest.Server
	town *demo.Town
}

func newDemoSite(t *testing.T, db *store.DB) *demoSite {
	t.Helper()
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 4)
	storage := files.Disk{Dir: t.TempDir()}
	until := time.Now().In(domain.Shanghai)
	town, err := demo.Load(context.Background(), db, hasher, demo.Options{Until: until, Steps: []demo.Step{demo.Portal}, Files: storage})
	if err != nil {
		t.Fatal(err)
	}
	srv, err := web.New(web.Deps{DB: db, Files: storage, Log: slog.New(slog.NewTextHandler(io.Discard, nil)), Hasher: hasher, Config: config.Defaults()})
	if err != nil {
		t.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	t.Cleanup(ts.Close)
	return &demoSite{db: db, srv: srv, ts: ts, town: town}
}

// client returns an HTTP client that keeps cookies and does not follow redirects.
func (s *demoSite) client(t *testing.T) *http.Client {
	jar, _ := cookiejar.New(nil)
	return &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

// signIn returns a client signed in as the demo account username.
func (s *demoSite) signIn(t *testing.T, username string) *http.Client {
	t.Helper()
	c := s.client(t)
	var pw string
	for _, a := range s.town.Accounts {
		if a.Username == username {
			pw = a.Password
		}
	}
	res, err := c.PostForm(s.ts.URL+"/signin", url.Values{"username": {username}, "password": {pw}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/admin" {
		t.Fatalf("sign in as %s: status %d, location %q", username, res.StatusCode, res.Header.Get("Location"))
	}
	return c
}

func get(t *testing.T, c *http.Client, u string, header ...string) (int, string, http.Header) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodGet, u, nil)
	for i := 0; i+1 < len(header); i += 2 {
		req.Header.Set(header[i], header[i+1])
	}
	res, err := c.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

// firstPublished returns the id of a published article of the demo, and one that is a draft.
func (s *demoSite) articleIDs(t *testing.T) (published, draft int64) {
	t.Helper()
	editor := domain.Actor{TownID: s.town.TownID, Roles: []domain.Role{domain.RoleEditor}}
	pub, _, err := s.db.ListArticles(context.Background(), editor, store.ArticleFilter{Status: domain.StatusPublished}, store.Page{Number: 1, Size: 200})
	if err != nil {
		t.Fatal(err)
	}
	for _, a := range pub {
		if a.Public(s.db.Now()) {
			published = a.ID
			break
		}
	}
	drafts, _, err := s.db.ListArticles(context.Background(), editor, store.ArticleFilter{Status: domain.StatusDraft}, store.Page{Number: 1, Size: 1})
	if err != nil || len(drafts) == 0 {
		t.Fatalf("no draft in the demo: %v", err)
	}
	return published, drafts[0].ID
}

// contributionAttachment returns a contribution of 越丰村 that waits for review and the file
// attached to it.
func (s *demoSite) contributionAttachment(t *testing.T) (article, file int64) {
	t.Helper()
	err := s.db.SQL().QueryRow(`SELECT a.id, x.file_id FROM articles a JOIN article_attachments x ON x.article_id = a.id
		JOIN orgs o ON o.id = a.contributor_org_id WHERE o.name = '越丰村' AND a.status = 'submitted'`).Scan(&article, &file)
	if err != nil {
		t.Fatalf("no submitted contribution of 越丰村 with an attachment: %v", err)
	}
	return article, file
}

// TestPortalRoutesByRole checks every portal route for every demo role: 200 (or a redirect) with
// the route's permission, 403 without it, and sign-in for anonymous visitors.
func TestPortalRoutesByRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		published, draft := site.articleIDs(t)
		cols, _ := db.ListColumns(context.Background(), site.town.TownID, true)
		reporter := domain.Actor{TownID: site.town.TownID, OrgID: site.town.Orgs["越丰村"], Name: "张卫东", Roles: []domain.Role{domain.RoleReporter}}
		contribution, err := db.CreateArticle(context.Background(), reporter, domain.Article{ColumnID: cols[0].ID, Title: "越丰村的草稿",
			Body: "<p>正文</p>", BodyText: "正文"})
		if err != nil {
			t.Fatal(err)
		}
		topics, _ := db.ListTopics(context.Background(), site.town.TownID)
		attached, file := site.contributionAttachment(t)
		fill := func(pattern string) string {
			p := strings.SplitN(pattern, " ", 2)[1]
			id := draft
			if strings.HasPrefix(p, "/admin/contributions/") {
				id = contribution
			}
			if strings.Contains(p, "/attachments/{file}") && strings.HasPrefix(p, "/admin/") {
				id = attached
				p = strings.ReplaceAll(p, "{file}", fmt.Sprint(file))
			}
			if strings.HasPrefix(p, "/articles/") {
				id = published
			}
			p = strings.ReplaceAll(p, "{id}", fmt.Sprint(id))
			if strings.HasPrefix(p, "/admin/columns/") {
				p = strings.Replace(p, fmt.Sprint(id), fmt.Sprint(cols[0].ID), 1)
			}
			if strings.HasPrefix(p, "/admin/topics/") {
				p = strings.Replace(p, fmt.Sprint(id), fmt.Sprint(topics[0].ID), 1)
			}
			return p
		}
		clients := map[string]*http.Client{}
		roleOf := map[string]domain.Role{}
		for _, a := range site.town.Accounts {
			clients[a.Username] = site.signIn(t, a.Username)
			roleOf[a.Username] = a.Roles[0]
		}
		for _, rt := range site.srv.Routes() {
			if !strings.Contains(rt.Pattern, "/admin/articles") && !strings.Contains(rt.Pattern, "/admin/contributions") &&
				!strings.Contains(rt.Pattern, "/admin/columns") && !strings.Contains(rt.Pattern, "/admin/topics") &&
				!strings.Contains(rt.Pattern, "/admin/portal-stats") {
				continue
			}
			method, path := strings.SplitN(rt.Pattern, " ", 2)[0], fill(rt.Pattern)
			for user, c := range clients {
				allowed := domain.RoleHas(roleOf[user], rt.Permission)
				req, _ := http.NewRequest(method, site.ts.URL+path, nil)
				if method == http.MethodPost {
					req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				}
				res, err := c.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				otherVillage := user == "gaoqiao" && strings.Contains(rt.Pattern, "{id}") && strings.HasPrefix(path, "/admin/contributions/")
				switch {
				case otherVillage && res.StatusCode != http.StatusNotFound:
					t.Errorf("%s %s as %s (another village): status %d, want 404", method, path, user, res.StatusCode)
				case otherVillage:
				case !allowed && res.StatusCode != http.StatusForbidden:
					t.Errorf("%s %s as %s: status %d, want 403", method, path, user, res.StatusCode)
				case allowed && method == http.MethodGet && res.StatusCode != http.StatusOK:
					t.Errorf("%s %s as %s: status %d, want 200", method, path, user, res.StatusCode)
				case allowed && res.StatusCode >= 500:
					t.Errorf("%s %s as %s: status %d", method, path, user, res.StatusCode)
				}
			}
			if method == http.MethodGet {
				res, err := site.client(t).Get(site.ts.URL + path)
				if err != nil {
					t.Fatal(err)
				}
				res.Body.Close()
				if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/signin") {
					t.Errorf("GET %s anonymous: status %d, want a redirect to sign-in", path, res.StatusCode)
				}
			}
		}
	})
}

func TestPortalPublicPagesEdgeCases(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		c := site.client(t)
		published, draft := site.articleIDs(t)
		for _, path := range []string{"/", "/columns/news", "/columns/news?page=-3", "/columns/news?page=abc", "/columns/news?page=99999",
			"/columns/news?page=1e9", "/search?q=%25", "/search?q=_", "/search?q=%25_%25&page=-1", "/search?q=禁毒&page=999",
			"/search?q=纠纷", "/search?q=禁", "/search?from=bad", "/sitemap", "/sitemap.xml", "/rss.xml", "/columns/news/rss.xml",
			"/accessibility", "/report-error?page=/x", fmt.Sprintf("/articles/%d", published), "/topics/1", "/topics/1?page=-1"} {
			status, body, _ := get(t, c, site.ts.URL+path)
			if status >= 500 || (status != 200 && !strings.Contains(path, "from=bad")) {
				t.Errorf("GET %s: status %d", path, status)
			}
			if !strings.Contains(body, "</html>") && !strings.HasSuffix(path, ".xml") {
				t.Errorf("GET %s: not a whole page", path)
			}
		}
		for _, path := range []string{"/columns/none", fmt.Sprintf("/articles/%d", draft), "/articles/abc", "/articles/-1", "/media/xx/none.png", "/topics/99999",
			fmt.Sprintf("/articles/%d/attachments/999999", published)} {
			if status, body, _ := get(t, c, site.ts.URL+path); status != http.StatusNotFound || !strings.Contains(body, "返回首页") {
				t.Errorf("GET %s: status %d, want the 404 page", path, status)
			}
		}
		if _, body, _ := get(t, c, site.ts.URL+"/search?q=%25"); strings.Contains(body, "<mark>") {
			t.Error("search for % marks something")
		}
		_, body, _ := get(t, c, site.ts.URL+"/search?q=禁毒")
		if !strings.Contains(body, "<mark>禁毒</mark>") {
			t.Error("search 禁毒 has no highlighted hit")
		}
	})
}

func TestPortalScriptNeverRuns(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		ctx := context.Background()
		editor := domain.Actor{TownID: site.town.TownID, Name: "编辑", Roles: []domain.Role{domain.RoleEditor}}
		cols, _ := db.ListColumns(ctx, site.town.TownID, false)
		evil := `<script>alert(1)</script>`
		body, text := richtext.Sanitize(`<p>禁毒` + evil + `<img src=x onerror=alert(2)>` + "\x0b\x1f" + `</p>`)
		id, err := db.CreateArticle(ctx, editor, domain.Article{ColumnID: cols[0].ID, Title: "标题" + evil + "\x0b", Subtitle: evil,
			Body: body, BodyText: text, Summary: "摘要" + evil + "\x0c", SourceKind: domain.SourceReprint, SourceName: evil, Author: evil, Editor: evil})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true}); err != nil {
			t.Fatal(err)
		}
		c := site.client(t)
		for _, path := range []string{fmt.Sprintf("/articles/%d", id), "/", "/search?q=" + url.QueryEscape("禁毒"),
			"/columns/" + cols[0].Slug, "/search?q=" + url.QueryEscape(evil)} {
			_, page, _ := get(t, c, site.ts.URL+path)
			if strings.Contains(page, "<script>alert") || strings.Contains(page, "onerror=") {
				t.Errorf("GET %s carries a runnable script", path)
			}
		}
		for _, path := range []string{"/rss.xml", "/columns/" + cols[0].Slug + "/rss.xml"} {
			_, feed, header := get(t, c, site.ts.URL+path)
			if !strings.HasPrefix(header.Get("Content-Type"), "application/rss+xml") {
				t.Errorf("%s content type %q", path, header.Get("Content-Type"))
			}
			var parsed struct {
				Items []struct {
					Title string `xml:"title"`
				} `xml:"channel>item"`
			}
			if err := xml.Unmarshal([]byte(feed), &parsed); err != nil {
				t.Errorf("%s is not well-formed XML: %v", path, err)
			}
			if len(parsed.Items) == 0 || !strings.Contains(parsed.Items[0].Title, "标题") {
				t.Errorf("%s first item = %+v", path, parsed.Items)
			}
		}
	})
}

func TestPortalViewsSkipBotsAndPrefetch(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		published, _ := site.articleIDs(t)
		ctx := context.Background()
		editor := domain.Actor{TownID: site.town.TownID, Roles: []domain.Role{domain.RoleEditor}}
		before, _ := db.GetArticle(ctx, editor, published)
		u := fmt.Sprintf("%s/articles/%d", site.ts.URL, published)
		browser := "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
		c := site.client(t)
		get(t, c, u, "User-Agent", browser)
		get(t, c, u, "User-Agent", browser)
		get(t, c, u, "User-Agent", browser, "Sec-Purpose", "prefetch")
		get(t, c, u, "User-Agent", browser, "Purpose", "prefetch")
		get(t, c, u, "User-Agent", "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)")
		get(t, c, u, "User-Agent", "Googlebot/2.1")
		get(t, c, u)
		req, _ := http.NewRequest(http.MethodHead, u, nil)
		req.Header.Set("User-Agent", browser)
		if res, err := c.Do(req); err == nil {
			res.Body.Close()
		}
		if err := site.srv.FlushViews(ctx); err != nil {
			t.Fatal(err)
		}
		after, _ := db.GetArticle(ctx, editor, published)
		if got := after.Views - before.Views; got != 2 {
			t.Errorf("views grew by %d, want 2 (two browser GETs; HEAD, prefetch and bots not counted)", got)
		}
	})
}

func TestPortalAttachmentKeepsChineseName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		c := site.client(t)
		_, page, _ := get(t, c, site.ts.URL+"/columns/notices")
		start := strings.Index(page, `href="/articles/`)
		if start < 0 {
			t.Fatal("no article in 通知公告")
		}
		var found bool
		for _, part := range strings.Split(page, `href="/articles/`)[1:] {
			id := part[:strings.Index(part, `"`)]
			_, article, _ := get(t, c, site.ts.URL+"/articles/"+id)
			i := strings.Index(article, `/attachments/`)
			if i < 0 {
				continue
			}
			link := article[strings.LastIndex(article[:i], `"`)+1 : i+strings.Index(article[i:], `"`)]
			status, _, header := get(t, c, site.ts.URL+link)
			cd := header.Get("Content-Disposition")
			if status != 200 || !strings.Contains(cd, "filename*=UTF-8''"+url.PathEscape("平安")) {
				t.Errorf("GET %s: status %d, Content-Disposition %q", link, status, cd)
			}
			found = true
			break
		}
		if !found {
			t.Error("no notice with an attachment")
		}
	})
}

// TestContributionAttachmentBeforePublishing checks that the contributing village and the
// reviewing editor open the attachment of a contribution that waits for review, while another
// village and the public do not, and that the public may once it is published.
func TestContributionAttachmentBeforePublishing(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		id, file := site.contributionAttachment(t)
		own := fmt.Sprintf("%s/admin/contributions/%d/attachments/%d", site.ts.URL, id, file)
		review := fmt.Sprintf("%s/admin/articles/%d/attachments/%d", site.ts.URL, id, file)
		public := fmt.Sprintf("%s/articles/%d/attachments/%d", site.ts.URL, id, file)

		yuefeng := site.signIn(t, "yuefeng")
		_, page, _ := get(t, yuefeng, fmt.Sprintf("%s/admin/contributions/%d", site.ts.URL, id))
		if !strings.Contains(page, strings.TrimPrefix(own, site.ts.URL)) {
			t.Error("the contribution page does not link its attachment")
		}
		status, body, header := get(t, yuefeng, own)
		if status != http.StatusOK || !strings.HasPrefix(body, "PK") {
			t.Errorf("contributor opens the attachment: status %d, %d bytes", status, len(body))
		}
		if cc := header.Get("Cache-Control"); !strings.Contains(cc, "no-store") {
			t.Errorf("unpublished attachment Cache-Control %q, want no-store", cc)
		}

		editor := site.signIn(t, "editor")
		_, page, _ = get(t, editor, fmt.Sprintf("%s/admin/articles/%d", site.ts.URL, id))
		if !strings.Contains(page, strings.TrimPrefix(review, site.ts.URL)) {
			t.Error("the review page does not link the attachment")
		}
		if status, _, _ := get(t, editor, review); status != http.StatusOK {
			t.Errorf("editor opens the attachment: status %d, want 200", status)
		}

		if status, _, _ := get(t, site.signIn(t, "gaoqiao"), own); status != http.StatusNotFound {
			t.Errorf("another village opens the attachment: status %d, want 404", status)
		}
		if status, _, _ := get(t, site.signIn(t, "police"), review); status != http.StatusForbidden {
			t.Errorf("a unit handler opens the review link: status %d, want 403", status)
		}
		if status, _, _ := get(t, site.client(t), public); status != http.StatusNotFound {
			t.Errorf("public opens an unpublished attachment: status %d, want 404", status)
		}

		actor := domain.Actor{TownID: site.town.TownID, Roles: []domain.Role{domain.RoleEditor}, Name: "钱晓燕", IP: "127.0.0.1"}
		for _, a := range site.town.Accounts {
			if a.Username == "editor" {
				actor.AccountID, actor.OrgID = a.ID, site.town.Orgs[a.OrgName]
			}
		}
		now := db.Now()
		if err := db.ArticleStep(context.Background(), actor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true, At: now, PublishAt: now.Add(-time.Minute)}); err != nil {
			t.Fatal(err)
		}
		if status, _, _ := get(t, site.client(t), public); status != http.StatusOK {
			t.Errorf("public opens a published attachment: status %d, want 200", status)
		}
	})
}
