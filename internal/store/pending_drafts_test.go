package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestAdoptedReportBecomesDraft checks that an information report the center adopted becomes one
// article draft credited to the reporting village, and only once.
func TestAdoptedReportBecomesDraft(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 4)
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC),
			Steps: []demo.Step{demo.Portal, demo.Coordination}})
		if err != nil {
			t.Fatal(err)
		}
		pending, err := db.PendingArticles(ctx, town.TownID)
		if err != nil || len(pending) == 0 {
			t.Fatalf("pending articles: %d, %v", len(pending), err)
		}
		p := pending[0]
		editor := domain.Actor{TownID: town.TownID, OrgID: town.CenterID, Name: "编辑", Roles: []domain.Role{domain.RoleEditor}}
		for _, a := range town.Accounts {
			if a.Username == "editor" {
				editor.AccountID = a.ID
			}
		}
		id, err := db.DraftFromPendingArticle(ctx, editor, p.ID, "news")
		if err != nil {
			t.Fatal(err)
		}
		a, err := db.GetArticle(ctx, editor, id)
		if err != nil {
			t.Fatal(err)
		}
		if a.Status != domain.StatusDraft || a.SourceKind != domain.SourceContribution || a.ContributorOrgID != p.ContributorOrgID ||
			a.Title != p.Title || a.ColumnSlug != "news" || !strings.HasPrefix(a.Body, "<p>") {
			t.Errorf("draft = %+v", a)
		}
		if _, err := db.DraftFromPendingArticle(ctx, editor, p.ID, "news"); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("second draft from one report: err = %v, want conflict", err)
		}
		left, _ := db.PendingArticles(ctx, town.TownID)
		if len(left) != len(pending)-1 {
			t.Errorf("%d pending after one draft, want %d", len(left), len(pending)-1)
		}
	})
}
