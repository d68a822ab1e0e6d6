package demo_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestCoordinationDemoFigures(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until := time.Date(2025, 6, 30, 0, 0, 0, 0, domain.Shanghai)
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 4)
		start := time.Now()
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: until, Steps: []demo.Step{demo.Coordination}})
		if err != nil {
			t.Fatal(err)
		}
		if took := time.Since(start); took > 15*time.Second {
			t.Errorf("demo load took %s", took)
		}
		figs, err := stats.Compute(ctx, db, town.TownID, stats.Period{From: town.From, To: town.Until}, []stats.Source{stats.Coordination})
		if err != nil {
			t.Fatal(err)
		}
		for key, want := range map[string]any{"notices_issued": 26, "information_reports": 57, "inquiries": 81,
			"reports_submitted": 60, "reports_late": 4} {
			if figs[key] != want {
				t.Errorf("%s = %v, want %v", key, figs[key], want)
			}
		}
		if rate := figs["notice_read_rate"].(float64); rate < 0.9 || rate >= 1 {
			t.Errorf("notice_read_rate = %v, want most but not all read", rate)
		}
		for _, username := range []string{"yuefeng", "police"} {
			var actor domain.Actor
			for _, a := range town.Accounts {
				if a.Username == username {
					actor = domain.Actor{AccountID: a.ID, TownID: town.TownID, OrgID: town.Orgs[a.OrgName], Roles: a.Roles}
				}
			}
			if n, err := db.UnreadNoticeCount(ctx, actor); err != nil || n < 2 {
				t.Errorf("%s has %d unread notices (%v), want at least 2", username, n, err)
			}
			list, _, err := db.ListReceivedNotices(ctx, actor, store.NoticeFilter{UnreadOnly: true}, store.Page{Number: 1, Size: 50})
			if err != nil {
				t.Fatal(err)
			}
			waiting := 0
			for _, n := range list {
				if n.FeedbackRequired && n.OrgFeedbacks == 0 {
					waiting++
				}
			}
			if waiting == 0 {
				t.Errorf("%s has no unread notice waiting for feedback", username)
			}
		}
		if n := figs["information_reports_adopted"].(int); n < 10 || n > 40 {
			t.Errorf("information_reports_adopted = %d, want some", n)
		}
		var returned, messages, faq int
		db.SQL().QueryRow(`SELECT COUNT(*) FROM report_events WHERE action = 'returned'`).Scan(&returned)
		db.SQL().QueryRow(`SELECT COUNT(*) FROM wg_messages`).Scan(&messages)
		db.SQL().QueryRow(`SELECT COUNT(*) FROM inquiries WHERE faq_published_at IS NOT NULL`).Scan(&faq)
		if returned != 1 {
			t.Errorf("returned reports = %d, want 1", returned)
		}
		if messages < 100 {
			t.Errorf("work group messages = %d, want a lively group", messages)
		}
		if faq == 0 {
			t.Error("no inquiry was published as an FAQ entry")
		}
	})
}
