package web_test

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestSearchEndBeforeStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		c := site.client(t)
		q := url.Values{"q": {"禁毒"}, "from": {"2026-12-01"}, "to": {"2026-01-01"}}
		status, body, _ := get(t, c, site.ts.URL+"/search?"+q.Encode())
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		if !strings.Contains(body, "结束日期不能早于开始日期。") {
			t.Error("page does not say the end date is before the start date")
		}
		if strings.Contains(body, "没有找到") {
			t.Error("page reports an empty result for a rejected search")
		}
		for _, field := range []string{`value="禁毒"`, `value="2026-12-01"`, `value="2026-01-01"`} {
			if !strings.Contains(body, field) {
				t.Errorf("search form lost %s", field)
			}
		}

		q.Set("to", "2026-12-01")
		if status, _, _ := get(t, c, site.ts.URL+"/search?"+q.Encode()); status != http.StatusOK {
			t.Errorf("same start and end date: status %d, want 200", status)
		}
	})
}

// postForm posts form to the address u with client c and returns the status, body and headers.
func postForm(t *testing.T, c *http.Client, u string, form url.Values) (int, string, http.Header) {
	t.Helper()
	res, err := c.PostForm(u, form)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b), res.Header
}

func TestScheduledPublishFlash(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		id, _ := site.contributionAttachment(t)
		editor := site.signIn(t, "editor")
		at := time.Now().In(domain.Shanghai).AddDate(0, 0, 3).Truncate(time.Hour)
		path := fmt.Sprintf("%s/admin/articles/%d", site.ts.URL, id)

		status, _, header := postForm(t, editor, path+"/publish", url.Values{"confirmed": {"1"}, "publish_at": {at.Format("2006-01-02T15:04")}})
		if status != http.StatusSeeOther {
			t.Fatalf("scheduled publish: status %d, want 303", status)
		}
		_, page, _ := get(t, editor, site.ts.URL+header.Get("Location"))
		want := "已设为定时发布，将于 " + at.Format("2006-01-02 15:04") + " 发布。"
		if !strings.Contains(page, want) {
			t.Errorf("page after a scheduled publish lacks %q", want)
		}
		if strings.Contains(page, "已发布。") {
			t.Error("page after a scheduled publish says 已发布。")
		}
		if status, _, _ := get(t, site.client(t), fmt.Sprintf("%s/articles/%d", site.ts.URL, id)); status != http.StatusNotFound {
			t.Errorf("public page of a scheduled article: status %d, want 404", status)
		}
	})
}

// TestPublishTimeInPastRejected checks that neither the publish step nor the article form
// backdates an article, while a blank publish time still publishes at once.
func TestPublishTimeInPastRejected(t *testing.T) {
	const pastMessage = "发布时间不能早于现在；要立即发布请留空。"
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		id, _ := site.contributionAttachment(t)
		editor := site.signIn(t, "editor")
		actor := domain.Actor{TownID: site.town.TownID, Roles: []domain.Role{domain.RoleEditor}}
		path := fmt.Sprintf("%s/admin/articles/%d", site.ts.URL, id)

		status, page, _ := postForm(t, editor, path+"/publish", url.Values{"confirmed": {"1"}, "publish_at": {"2020-01-01T10:00"}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("publish with a past time: status %d, want 422", status)
		}
		if n := strings.Count(page, pastMessage); n != 1 {
			t.Errorf("review page shows the past publish time message %d times, want once", n)
		}
		a, err := db.GetArticle(context.Background(), actor, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != domain.StatusSubmitted || !a.PublishAt.IsZero() {
			t.Errorf("after a rejected publish: status %s, publish time %v; want submitted with no publish time", a.Status, a.PublishAt)
		}

		// The article form rejects the same time and creates no article.
		form := url.Values{"column_id": {columnValue(t, db, site, "工作动态")}, "title": {"镇里召开防汛工作会议"},
			"source_kind": {string(domain.SourceOriginal)}, "body": {"<p>会议部署了防汛工作。</p>"}, "publish_at": {"2020-01-01T10:00"}}
		status, page = postMultipart(t, editor, site.ts.URL+"/admin/articles", form, nil)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("article form with a past publish time: status %d, want 422", status)
		}
		if !strings.Contains(page, pastMessage) {
			t.Errorf("article form lacks %q", pastMessage)
		}
		var stored int
		if err := db.SQL().QueryRow(`SELECT COUNT(*) FROM articles WHERE title = '镇里召开防汛工作会议'`).Scan(&stored); err != nil {
			t.Fatal(err)
		}
		if stored != 0 {
			t.Errorf("article form with a past publish time stored %d articles, want none", stored)
		}

		// A future time on the form is kept; a blank time on the publish step publishes now.
		future := time.Now().In(domain.Shanghai).AddDate(0, 0, 2).Truncate(time.Hour)
		form.Set("publish_at", future.Format("2006-01-02T15:04"))
		if status, _ = postMultipart(t, editor, site.ts.URL+"/admin/articles", form, nil); status != http.StatusSeeOther {
			t.Errorf("article form with a future publish time: status %d, want 303", status)
		}
		var scheduledID int64
		if err := db.SQL().QueryRow(`SELECT id FROM articles WHERE title = '镇里召开防汛工作会议'`).Scan(&scheduledID); err != nil {
			t.Fatal(err)
		}
		if a, err = db.GetArticle(context.Background(), actor, scheduledID); err != nil {
			t.Fatal(err)
		}
		if !a.PublishAt.Equal(future) {
			t.Errorf("article form stored publish time %v, want %v", a.PublishAt, future)
		}
		status, _, _ = postForm(t, editor, path+"/publish", url.Values{"confirmed": {"1"}, "publish_at": {""}})
		if status != http.StatusSeeOther {
			t.Fatalf("publish with a blank time: status %d, want 303", status)
		}
		if a, err = db.GetArticle(context.Background(), actor, id); err != nil {
			t.Fatal(err)
		}
		if a.Status != domain.StatusPublished || time.Since(a.PublishAt) > time.Hour {
			t.Errorf("after publishing with a blank time: status %s, publish time %v; want published now", a.Status, a.PublishAt)
		}
	})
}

// footerLink returns the address of the link with the given text on page, with HTML entities undone.
func footerLink(t *testing.T, page, text string) string {
	t.Helper()
	m := regexp.MustCompile(`<a href="([^"]*)">` + regexp.QuoteMeta(text) + `</a>`).FindStringSubmatch(page)
	if m == nil {
		t.Fatalf("page has no link %q", text)
	}
	return html.UnescapeString(m[1])
}

func TestFooterLinksCarryPageAddress(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		c := site.client(t)
		published, _ := site.articleIDs(t)
		article := fmt.Sprintf("/articles/%d", published)
		_, page, _ := get(t, c, site.ts.URL+article)

		report := footerLink(t, page, "网站纠错")
		if strings.Contains(report, "%25") {
			t.Errorf("网站纠错 link %q is escaped twice", report)
		}
		status, form, _ := get(t, c, site.ts.URL+report)
		if status != http.StatusOK {
			t.Fatalf("GET %s: status %d", report, status)
		}
		if want := `id="page" name="page" value="` + article + `"`; !strings.Contains(form, want) {
			t.Errorf("report form opened from %s without a Referer lacks %s", article, want)
		}

		elder := footerLink(t, page, "长辈版")
		if strings.Contains(elder, "%25") {
			t.Errorf("长辈版 link %q is escaped twice", elder)
		}
		status, _, header := get(t, c, site.ts.URL+elder)
		if status != http.StatusSeeOther || header.Get("Location") != article {
			t.Errorf("长辈版 link without a Referer: status %d, location %q, want 303 to %s", status, header.Get("Location"), article)
		}
	})
}

func TestAuditTrailNamesAndDetails(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		ctx := context.Background()
		site.signIn(t, "editor")

		reportID, err := db.CreateSiteErrorReport(ctx, site.town.TownID, store.NewSiteErrorReport{
			Report:      domain.SiteErrorReport{PageURL: "/articles/1", Description: "第二段有错字，请核实更正。"},
			SubmitToken: "audit-trail-token", IPHash: "0123456789abcdef0123"})
		if err != nil {
			t.Fatal(err)
		}
		cols, _ := db.ListColumns(ctx, site.town.TownID, false)
		reporter := domain.Actor{TownID: site.town.TownID, OrgID: site.town.Orgs["越丰村"], Name: "张卫东（yuefeng）", Roles: []domain.Role{domain.RoleReporter}}
		articleID, err := db.CreateArticle(ctx, reporter, domain.Article{ColumnID: cols[0].ID, Title: "越丰村平安夜巡", Body: "<p>正文</p>", BodyText: "正文"})
		if err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, reporter, articleID, store.StepInput{Action: domain.ActionSubmit}); err != nil {
			t.Fatal(err)
		}

		entries, _, err := db.ListAudit(ctx, domain.Actor{TownID: site.town.TownID}, domain.AuditFilter{}, store.Page{Number: 1, Size: 200})
		if err != nil {
			t.Fatal(err)
		}
		var editorName, editorID string
		for _, a := range site.town.Accounts {
			if a.Username == "editor" {
				editorName, editorID = a.Name+"（editor）", fmt.Sprint(a.ID)
			}
		}
		seen := map[string]bool{}
		for _, e := range entries {
			switch {
			case e.Action == "auth.sign_in" && e.ObjectID == editorID:
				seen["sign_in"] = true
				if e.ActorName != editorName {
					t.Errorf("sign-in actor %q, want %q", e.ActorName, editorName)
				}
			case e.Action == "site_error.report" && e.ObjectID == fmt.Sprint(reportID):
				seen["site_error"] = true
				if e.IP != "0123456789ab" {
					t.Errorf("site error report source %q, want the hash prefix 0123456789ab", e.IP)
				}
			case e.Action == "article.submit" && e.ObjectID == fmt.Sprint(articleID):
				seen["submit"] = true
				if e.Detail != "越丰村平安夜巡" {
					t.Errorf("submit detail %q, want the title alone", e.Detail)
				}
			}
		}
		for _, k := range []string{"sign_in", "site_error", "submit"} {
			if !seen[k] {
				t.Errorf("no %s entry in the audit trail", k)
			}
		}

		_, page, _ := get(t, site.signIn(t, "auditor"), site.ts.URL+"/admin/audit?action=site_error.report")
		if want := fmt.Sprintf("网站纠错 #%d", reportID); !strings.Contains(page, want) {
			t.Errorf("audit page lacks object %q", want)
		}
		if strings.Contains(page, "site_error #") {
			t.Error("audit page shows the object kind key site_error")
		}

		_, page, _ = get(t, site.signIn(t, "auditor"), site.ts.URL+"/admin/audit?action=auth.sign_in")
		if want := "<td>账号 " + editorName + "</td>"; !strings.Contains(page, want) {
			t.Errorf("audit page lacks the signed-in account as %q", want)
		}
		if strings.Contains(page, "<td>账号 #"+editorID+"</td>") {
			t.Error("audit page names the signed-in account by its id only")
		}
	})
}

func TestContributionSourceAndAuthor(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		ctx := context.Background()
		cols, _ := db.ListColumns(ctx, site.town.TownID, false)
		reporter := domain.Actor{TownID: site.town.TownID, OrgID: site.town.Orgs["越丰村"], Name: "张卫东（yuefeng）", Roles: []domain.Role{domain.RoleReporter}}
		id, err := db.CreateArticle(ctx, reporter, domain.Article{ColumnID: cols[0].ID, Title: "越丰村开展平安夜巡",
			Body: "<p>正文</p>", BodyText: "正文", SourceKind: domain.SourceContribution})
		if err != nil {
			t.Fatal(err)
		}

		_, page, _ := get(t, site.signIn(t, "yuefeng"), fmt.Sprintf("%s/admin/contributions/%d", site.ts.URL, id))
		if !strings.Contains(page, "<dt>作者</dt><dd>越丰村</dd>") {
			t.Error("contribution page does not name 越丰村 as the author")
		}
		if strings.Contains(page, "<dt>编辑</dt>") || strings.Contains(page, "作者 / 编辑") {
			t.Error("contribution page shows an editor row before an editor handles it")
		}

		editor := domain.Actor{TownID: site.town.TownID, Name: "钱晓燕（editor）", Roles: []domain.Role{domain.RoleEditor}}
		if err := db.ArticleStep(ctx, reporter, id, store.StepInput{Action: domain.ActionSubmit}); err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true}); err != nil {
			t.Fatal(err)
		}
		_, public, _ := get(t, site.client(t), fmt.Sprintf("%s/articles/%d", site.ts.URL, id))
		if !strings.Contains(public, "来源：越丰村供稿") {
			t.Error("public page does not read 来源：越丰村供稿")
		}
		if strings.Contains(public, "（村（社区）供稿）") {
			t.Error("public page nests brackets in the source")
		}
	})
}

// postMultipart posts fields and one file per entry of files (field name to file name and bytes).
func postMultipart(t *testing.T, c *http.Client, u string, fields url.Values, files map[string][2]string) (int, string) {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vs := range fields {
		for _, v := range vs {
			mw.WriteField(k, v)
		}
	}
	for field, f := range files {
		fw, err := mw.CreateFormFile(field, f[0])
		if err != nil {
			t.Fatal(err)
		}
		fw.Write([]byte(f[1]))
	}
	mw.Close()
	res, err := c.Post(u, mw.FormDataContentType(), &buf)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func TestEditorErrorsShownOnceAndTogether(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		editor := site.signIn(t, "editor")

		// An article with no title, no column and a program as attachment reports all three.
		status, page := postMultipart(t, editor, site.ts.URL+"/admin/articles",
			url.Values{"title": {""}, "column_id": {"0"}, "source_kind": {"original"}, "body": {"<p>正文</p>"}},
			map[string][2]string{"attachments": {"setup.exe", "MZ\x90\x00program"}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("invalid article with a program attached: status %d, want 422", status)
		}
		for _, want := range []string{"请填写标题。", "请选择栏目。"} {
			if n := strings.Count(page, want); n != 1 {
				t.Errorf("article form shows %q %d times, want once", want, n)
			}
		}
		attachment := regexp.MustCompile(`(?s)name="attachments".*?<span class="field-error"`)
		if !attachment.MatchString(page) {
			t.Error("article form reports no problem with the attachment")
		}

		// A malformed publish time on the review page is reported once.
		id, _ := site.contributionAttachment(t)
		status, page, _ = postForm(t, editor, fmt.Sprintf("%s/admin/articles/%d/publish", site.ts.URL, id),
			url.Values{"confirmed": {"1"}, "publish_at": {"明天上午"}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("malformed publish time: status %d, want 422", status)
		}
		if n := strings.Count(page, domain.DateTimeFormatMessage("发布时间", "明天上午")); n != 1 {
			t.Errorf("review page shows the publish time message %d times, want once", n)
		}

		// A too long handling note of a site error report is reported once.
		reportID, err := db.CreateSiteErrorReport(context.Background(), site.town.TownID, store.NewSiteErrorReport{
			Report:      domain.SiteErrorReport{PageURL: "/articles/1", Description: "第二段有错字，请核实更正。"},
			SubmitToken: "long-note-token", IPHash: "fedcba9876543210"})
		if err != nil {
			t.Fatal(err)
		}
		status, page, _ = postForm(t, editor, fmt.Sprintf("%s/admin/site-errors/%d/handle", site.ts.URL, reportID),
			url.Values{"note": {strings.Repeat("改", 301)}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("too long note: status %d, want 422", status)
		}
		if n := strings.Count(page, "处理说明不能超过"); n != 1 {
			t.Errorf("site error page shows the note message %d times, want once", n)
		}
		if !strings.Contains(page, "现有 301 个") {
			t.Error("site error page does not say how long the note is")
		}
	})
}
