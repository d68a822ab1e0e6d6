package store_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/richtext"
	"pingan/internal/search"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// portalTown seeds a town with a column, an editor actor and a village reporter actor.
func portalTown(t *testing.T, db *store.DB) (editor, reporter domain.Actor, column int64) {
	t.Helper()
	ctx := context.Background()
	admin, center := seedTown(t, db, "高桥镇")
	village, err := db.CreateOrg(ctx, admin, domain.Org{ParentID: admin.TownID, Kind: domain.OrgVillage, Name: "越丰村"})
	if err != nil {
		t.Fatal(err)
	}
	editor = domain.Actor{TownID: admin.TownID, OrgID: center, Name: "编辑", Roles: []domain.Role{domain.RoleEditor}}
	reporter = domain.Actor{TownID: admin.TownID, OrgID: village, Name: "信息员", Roles: []domain.Role{domain.RoleReporter}}
	column, err = db.CreateColumn(ctx, editor, domain.Column{Name: "工作动态", Slug: "news", Kind: domain.ColumnList, Visible: true})
	if err != nil {
		t.Fatal(err)
	}
	return editor, reporter, column
}

func newArticle(column int64, title, body string) domain.Article {
	safe, text := richtext.Sanitize(body)
	return domain.Article{ColumnID: column, Title: title, Body: safe, BodyText: text, SourceKind: domain.SourceOriginal}
}

func publish(t *testing.T, db *store.DB, actor domain.Actor, id int64, at time.Time) {
	t.Helper()
	if err := db.ArticleStep(context.Background(), actor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true, PublishAt: at, At: at}); err != nil {
		t.Fatalf("publish %d: %v", id, err)
	}
}

func TestPortalContributionWorkflow(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		editor, reporter, column := portalTown(t, db)
		a := newArticle(column, "越丰村开展反诈宣传", "<p>村里开展了宣传。</p>")
		a.SourceKind = domain.SourceOriginal // a contributor cannot choose: it becomes a contribution
		id, err := db.CreateArticle(ctx, reporter, a)
		if err != nil {
			t.Fatal(err)
		}
		got, err := db.GetArticle(ctx, reporter, id)
		if err != nil {
			t.Fatal(err)
		}
		if got.SourceKind != domain.SourceContribution || got.ContributorOrgID != reporter.OrgID {
			t.Errorf("contribution: source %s org %d, want contribution of %d", got.SourceKind, got.ContributorOrgID, reporter.OrgID)
		}
		if err := db.ArticleStep(ctx, reporter, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true}); domain.ErrorKind(err) != domain.KindForbidden {
			t.Errorf("reporter publishes: err = %v, want forbidden", err)
		}
		if err := db.ArticleStep(ctx, reporter, id, store.StepInput{Action: domain.ActionSubmit}); err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionReturn}); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("return without reason: err = %v, want invalid", err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionReturn, Reason: "请补充活动时间"}); err != nil {
			t.Fatal(err)
		}
		got, _ = db.GetArticle(ctx, reporter, id)
		if got.Status != domain.StatusReturned || got.ReturnReason != "请补充活动时间" {
			t.Errorf("after return: status %s reason %q", got.Status, got.ReturnReason)
		}
		got.Body, got.BodyText = richtext.Sanitize("<p>3月5日，村里开展了宣传。</p>")
		if err := db.UpdateArticle(ctx, reporter, got); err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, reporter, id, store.StepInput{Action: domain.ActionSubmit}); err != nil {
			t.Fatal(err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionPublish}); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("publish without confidentiality review: err = %v, want invalid", err)
		}
		if err := db.ArticleStep(ctx, editor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true}); err != nil {
			t.Fatal(err)
		}
		if err := db.UpdateArticle(ctx, reporter, got); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("reporter edits published article: err = %v, want conflict", err)
		}
		events, err := db.ArticleEvents(ctx, reporter, id)
		if err != nil {
			t.Fatal(err)
		}
		var actions []string
		for _, e := range events {
			actions = append(actions, e.Action)
		}
		if fmt.Sprint(actions) != "[create submit return update submit publish]" {
			t.Errorf("timeline = %v", actions)
		}
		other := domain.Actor{TownID: editor.TownID, OrgID: editor.OrgID + 100, Name: "别村", Roles: []domain.Role{domain.RoleReporter}}
		if _, err := db.GetArticle(ctx, other, id); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("other village reads contribution: err = %v, want not found", err)
		}
		if _, err := db.PublicArticle(ctx, editor.TownID, id, db.Now()); err != nil {
			t.Errorf("public article: %v", err)
		}
		audit, _, err := db.ListAudit(ctx, editor, domain.AuditFilter{ObjectType: "article"}, store.Page{Number: 1, Size: 50})
		if err != nil {
			t.Fatal(err)
		}
		if len(audit) != 6 {
			t.Errorf("audit has %d article entries, want 6", len(audit))
		}
	})
}

func TestPortalSearchChinese(t *testing.T) {
	results := map[string]map[string][]int64{}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		editor, _, column := portalTown(t, db)
		base := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
		docs := []struct{ title, body string }{
			{"禁毒宣传进校园", "高桥中学开展禁毒知识讲座。"},
			{"村里调解一起邻里纠纷", "调解员耐心工作，双方握手言和。"},
			{"消防安全检查", "对出租房开展消防检查，发现隐患三处。"},
			{"工作动态", "全镇深入开展全民禁毒宣传月活动，100% 覆盖。"},
			{"交通安全提示", "雨天路滑，注意交通安全。"},
			{"交通 与 安全", "这里交通和安全分开出现。"},
		}
		for i, d := range docs {
			id, err := db.CreateArticle(ctx, editor, newArticle(column, d.title, "<p>"+d.body+"</p>"))
			if err != nil {
				t.Fatal(err)
			}
			publish(t, db, editor, id, base.Add(time.Duration(i)*time.Hour))
		}
		got := map[string][]int64{}
		for _, q := range []string{"禁毒", "纠纷", "调解", "消防", "禁", "禁毒 宣传", "交通安全", "%", "_", "100%", "不存在"} {
			res, err := db.SearchArticles(ctx, editor.TownID, store.SearchFilter{Terms: search.ParseQuery(q)}, store.Page{Number: 1, Size: 20}, db.Now())
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			for _, a := range res.Articles {
				got[q] = append(got[q], a.ID)
			}
		}
		want := map[string][]int64{"禁毒": {1, 4}, "纠纷": {2}, "调解": {2}, "消防": {3}, "禁": {1, 4}, "禁毒 宣传": {1, 4},
			"交通安全": {5}, "100%": {4}}
		for q, ids := range want {
			if fmt.Sprint(got[q]) != fmt.Sprint(ids) {
				t.Errorf("search %q = %v, want %v (title hits first, then newest)", q, got[q], ids)
			}
		}
		for _, q := range []string{"%", "_", "不存在"} {
			if len(got[q]) != 0 {
				t.Errorf("search %q = %v, want nothing", q, got[q])
			}
		}
		other, err := db.CreateColumn(ctx, editor, domain.Column{Name: "平安提示", Slug: "tips", Kind: domain.ColumnList, Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		future, err := db.CreateArticle(ctx, editor, newArticle(other, "定时发布的禁毒提示", "<p>禁毒</p>"))
		if err != nil {
			t.Fatal(err)
		}
		publish(t, db, editor, future, db.Now().Add(48*time.Hour))
		filtered := func(f store.SearchFilter) []int64 {
			f.Terms = search.ParseQuery("禁毒")
			res, err := db.SearchArticles(ctx, editor.TownID, f, store.Page{Number: 1, Size: 20}, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			var ids []int64
			for _, a := range res.Articles {
				ids = append(ids, a.ID)
			}
			return ids
		}
		if ids := filtered(store.SearchFilter{ColumnID: other}); len(ids) != 0 {
			t.Errorf("禁毒 in the other column = %v, want nothing (the only hit there is scheduled)", ids)
		}
		if ids := filtered(store.SearchFilter{ColumnID: column}); fmt.Sprint(ids) != "[1 4]" {
			t.Errorf("禁毒 in its column = %v, want [1 4]", ids)
		}
		if ids := filtered(store.SearchFilter{From: base.Add(2 * time.Hour), To: base.Add(4 * time.Hour)}); fmt.Sprint(ids) != "[4]" {
			t.Errorf("禁毒 between hours 2 and 4 = %v, want [4]", ids)
		}
		results[db.Dialect()] = got
	})
	if fmt.Sprint(results["sqlite"]) != fmt.Sprint(results["postgres"]) {
		t.Errorf("sqlite and postgres differ:\n%v\n%v", results["sqlite"], results["postgres"])
	}
}

func TestPortalPagesWithSharedPublishTime(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		editor, _, column := portalTown(t, db)
		at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
		for i := range 25 {
			id, err := db.CreateArticle(ctx, editor, newArticle(column, fmt.Sprintf("同一时间发布的第%d篇", i), "<p>正文</p>"))
			if err != nil {
				t.Fatal(err)
			}
			publish(t, db, editor, id, at)
		}
		seen := map[int64]int{}
		for n := 1; n <= 3; n++ {
			list, total, _, err := db.PublicArticles(ctx, editor.TownID, column, store.Page{Number: n, Size: 10}, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			if total != 25 {
				t.Fatalf("total = %d", total)
			}
			for _, a := range list {
				seen[a.ID]++
			}
		}
		if len(seen) != 25 {
			t.Errorf("three pages show %d distinct articles, want 25", len(seen))
		}
		for id, n := range seen {
			if n != 1 {
				t.Errorf("article %d shown %d times", id, n)
			}
		}
		_, _, page, err := db.PublicArticles(ctx, editor.TownID, column, store.Page{Number: 99, Size: 10}, db.Now())
		if err != nil || page.Number != 3 {
			t.Errorf("page 99: page %d, err %v; want the last page, 3", page.Number, err)
		}
	})
}

func TestPortalViewsConcurrent(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		editor, _, column := portalTown(t, db)
		id, err := db.CreateArticle(ctx, editor, newArticle(column, "浏览量", "<p>正文</p>"))
		if err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for range 8 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				if err := db.AddArticleViews(ctx, "2026-03-01", map[int64]int64{id: 5}); err != nil {
					t.Error(err)
				}
			}()
		}
		wg.Wait()
		a, err := db.GetArticle(ctx, editor, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Views != 40 {
			t.Errorf("views = %d, want 40", a.Views)
		}
	})
}

func TestPortalSearchScopedToTown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		editorA, _, columnA := portalTown(t, db)
		adminB, centerB := seedTown(t, db, "石门镇")
		editorB := domain.Actor{TownID: adminB.TownID, OrgID: centerB, Name: "编辑乙", Roles: []domain.Role{domain.RoleEditor}}
		columnB, err := db.CreateColumn(ctx, editorB, domain.Column{Name: "工作动态", Slug: "news", Kind: domain.ColumnList, Visible: true})
		if err != nil {
			t.Fatal(err)
		}
		at := time.Date(2026, 3, 1, 2, 0, 0, 0, time.UTC)
		for _, x := range []struct {
			actor  domain.Actor
			column int64
		}{{editorA, columnA}, {editorB, columnB}} {
			id, err := db.CreateArticle(ctx, x.actor, newArticle(x.column, "禁毒宣传", "<p>禁毒</p>"))
			if err != nil {
				t.Fatal(err)
			}
			publish(t, db, x.actor, id, at)
		}
		for _, actor := range []domain.Actor{editorA, editorB} {
			res, err := db.SearchArticles(ctx, actor.TownID, store.SearchFilter{Terms: search.ParseQuery("禁毒")}, store.Page{Number: 1, Size: 20}, db.Now())
			if err != nil {
				t.Fatal(err)
			}
			if res.Total != 1 || len(res.Articles) != 1 || res.Articles[0].TownID != actor.TownID {
				t.Errorf("town %d search: total %d, articles %v; want its own one", actor.TownID, res.Total, res.Articles)
			}
		}
	})
}

func TestPortalSearchWindowIsNewest(t *testing.T) {
	// Every 6 hours puts the newest window within the last year; every 3 days spreads it over
	// several years, so the search must fall back to ordering every match.
	for _, spacing := range []time.Duration{6 * time.Hour, 72 * time.Hour} {
		t.Run(spacing.String(), func(t *testing.T) {
			storetest.Each(t, func(t *testing.T, db *store.DB) {
				ctx := context.Background()
				editor, _, column := portalTown(t, db)
				now := db.Now()
				var batch []domain.Article
				for i := range store.SearchWindow + 100 {
					a := newArticle(column, fmt.Sprintf("第%d篇", i), "<p>开展禁毒宣传。</p>")
					a.PublishAt = now.Add(-time.Duration(i)*spacing - time.Hour)
					batch = append(batch, a)
				}
				if err := db.ImportPublished(ctx, editor, batch); err != nil {
					t.Fatal(err)
				}
				res, err := db.SearchArticles(ctx, editor.TownID, store.SearchFilter{Terms: search.ParseQuery("禁毒")}, store.Page{Number: 50, Size: 20}, now)
				if err != nil {
					t.Fatal(err)
				}
				if res.Total != store.SearchWindow+1 || res.Listed != store.SearchWindow {
					t.Fatalf("total %d, listed %d; want %d (more than the window) and %d", res.Total, res.Listed, store.SearchWindow+1, store.SearchWindow)
				}
				last := res.Articles[len(res.Articles)-1]
				if want := fmt.Sprintf("第%d篇", store.SearchWindow-1); last.Title != want {
					t.Errorf("last listed hit = %s, want %s (the window must be the newest matches)", last.Title, want)
				}
			})
		})
	}
}
