package full_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/demo"
	"pingan/internal/demo/full"
	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestDemoBellMatchesUnreadNotices(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until := time.Date(2025, 6, 30, 0, 0, 0, 0, domain.Shanghai)
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 4)
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: until, Steps: full.Steps})
		if err != nil {
			t.Fatal(err)
		}
		for _, username := range []string{"yuefeng", "police"} {
			var actor domain.Actor
			for _, a := range town.Accounts {
				if a.Username == username {
					actor = domain.Actor{AccountID: a.ID, TownID: town.TownID, OrgID: town.Orgs[a.OrgName], Roles: a.Roles}
				}
			}
			unread, _, err := db.ListReceivedNotices(ctx, actor, store.NoticeFilter{UnreadOnly: true}, store.Page{Number: 1, Size: 100})
			if err != nil {
				t.Fatal(err)
			}
			if len(unread) < 2 {
				t.Fatalf("%s has %d unread notices, want at least 2", username, len(unread))
			}
			bell, _, err := db.ListNotifications(ctx, actor, store.Page{Number: 1, Size: 1000})
			if err != nil {
				t.Fatal(err)
			}
			waiting := map[int64]bool{}
			for _, n := range bell {
				if n.Kind == domain.NotifyNotice && n.Unread() {
					waiting[n.RefID] = true
				}
			}
			for _, n := range unread {
				if !waiting[n.ID] {
					t.Errorf("%s: unread notice %q has no unread 待阅通知 on the bell", username, n.Title)
				}
			}
			if len(waiting) != len(unread) {
				t.Errorf("%s: %d unread 待阅通知 for %d unread notices", username, len(waiting), len(unread))
			}
			for i := 1; i < len(bell); i++ {
				if bell[i].CreatedAt.After(bell[i-1].CreatedAt) {
					t.Errorf("%s: bell entry %q (%s) listed after older %q (%s)", username, bell[i].Title,
						domain.FormatTime(bell[i].CreatedAt), bell[i-1].Title, domain.FormatTime(bell[i-1].CreatedAt))
					break
				}
			}
		}
	})
}
