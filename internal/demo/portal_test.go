package demo_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestDemoPortalFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until, _ := domain.ParseDate("2026-06-30")
		start := time.Now()
		town, err := demo.Load(ctx, db, password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 2), demo.Options{Until: until, Steps: []demo.Step{demo.Portal},
			Files: files.Disk{Dir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("demo loaded in %s", time.Since(start))
		figs, err := stats.Compute(ctx, db, town.TownID, stats.Period{From: town.From, To: town.Until}, []stats.Source{stats.Portal})
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]int{"articles_published": 120, "articles_original": 44, "articles_reprinted_or_contributed": 76} {
			if got := figs[key]; got != want {
				t.Errorf("%s = %v, want %d", key, got, want)
			}
		}
		byColumn := figs["articles_by_column"].(map[string]int)
		for column, want := range map[string]int{"会议精神": 18, "工作动态": 23, "平安提示": 18, "经验交流": 9} {
			if byColumn[column] != want {
				t.Errorf("articles_by_column[%s] = %d, want %d", column, byColumn[column], want)
			}
		}
		views := figs["page_views"].(int64)
		if views < 1000 || views > 1100 {
			t.Errorf("page_views = %d, want a little over 1000", views)
		}
		contributions := figs["contributions_by_org"].(map[string]int)
		if contributions["越丰村"] == 0 {
			t.Errorf("contributions_by_org = %v, want some from 越丰村", contributions)
		}
		editor := domain.Actor{TownID: town.TownID, Roles: []domain.Role{domain.RoleEditor}}
		counts, err := db.CountArticlesByStatus(ctx, editor)
		if err != nil {
			t.Fatal(err)
		}
		if counts[domain.StatusDraft] == 0 || counts[domain.StatusSubmitted] == 0 || counts[domain.StatusReturned] == 0 {
			t.Errorf("unpublished articles by status = %v, want drafts, submitted and returned ones", counts)
		}
		if counts[domain.StatusPublished] != 122 {
			t.Errorf("published incl. scheduled = %d, want 122", counts[domain.StatusPublished])
		}
	})
}
