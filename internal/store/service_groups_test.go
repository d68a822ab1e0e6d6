package store_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestCaseGroupsSplitTown checks that a re-dispatched case counts for its newest lead unit
// only and a village's own case for the village. The unit rows must add up to the town's
// ratios, and the case list's unit and village filters must return the same cases.
func TestCaseGroupsSplitTown(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		start := time.Date(2026, 9, 1, 1, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return start }
		phone, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelPhone, Category: casework.CategoryEnvironment,
			Title: "河道漂浮垃圾", Body: "村口河道有大量漂浮垃圾。", Citizen: store.Citizen{Name: "沈某", Phone: "13900002222"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			who string
			in  store.CaseInput
		}{
			{"dispatcher", store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.policeOrg}},
			{"police", store.CaseInput{Action: casework.ActSendBack, Note: "不属于派出所职责，请改派生态环境办。"}},
			{"dispatcher", store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.ecologyOrg}},
			{"ecology", store.CaseInput{Action: casework.ActAcknowledge}},
			{"ecology", store.CaseInput{Action: casework.ActResolve, Note: "已组织保洁员清理。"}},
		} {
			actor := map[string]domain.Actor{"dispatcher": st.dispatcher, "police": st.police, "ecology": st.ecology}[s.who]
			if _, err := db.CaseAction(ctx, actor, phone.ID, s.in); err != nil {
				t.Fatalf("%s %s: %v", s.who, s.in.Action, err)
			}
		}

		local, err := db.RegisterCase(ctx, st.village, store.NewCase{Channel: casework.ChannelVisit, Category: casework.CategoryDispute,
			Title: "宅基地边界纠纷", Body: "两户村民对宅基地边界有争议。", Local: true, Citizen: store.Citizen{Name: "钱某", Phone: "13900003333"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CaseAction(ctx, st.village, local.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.villageOrg}); err != nil {
			t.Fatal(err)
		}
		// Ten days later the village's dispute has passed its reply limit unanswered.
		db.Now = func() time.Time { return start.AddDate(0, 0, 10) }
		from, to := start.AddDate(0, 0, -1), start.AddDate(0, 0, 1)

		units, err := db.CaseStatsByUnit(ctx, town, from, to)
		if err != nil {
			t.Fatal(err)
		}
		byOrg := map[int64]store.CaseGroupFigures{}
		var reply, resolve store.Ratio
		for _, u := range units {
			byOrg[u.OrgID] = u
			reply.Num, reply.Den = reply.Num+u.ReplyOnTime.Num, reply.Den+u.ReplyOnTime.Den
			resolve.Num, resolve.Den = resolve.Num+u.ResolveOnTime.Num, resolve.Den+u.ResolveOnTime.Den
		}
		if len(units) != 2 || byOrg[st.ecologyOrg].Cases != 1 || byOrg[st.villageOrg].Cases != 1 {
			t.Errorf("unit rows = %+v, want one case for 生态环境办 and one for 越丰村", units)
		}
		if _, ok := byOrg[st.policeOrg]; ok {
			t.Error("the unit that sent the case back still has a row")
		}
		if got := byOrg[st.ecologyOrg].ReplyOnTime; got != (store.Ratio{Num: 1, Den: 1}) {
			t.Errorf("生态环境办 replies on time = %+v, want 1/1", got)
		}
		if got := byOrg[st.villageOrg].ReplyOnTime; got != (store.Ratio{Num: 0, Den: 1}) {
			t.Errorf("越丰村 replies on time = %+v, want 0/1", got)
		}
		f, err := db.ServiceStats(ctx, town, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if reply != f.ReplyOnTime || resolve != f.ResolveOnTime {
			t.Errorf("unit rows add up to %+v and %+v, town has %+v and %+v", reply, resolve, f.ReplyOnTime, f.ResolveOnTime)
		}

		villages, err := db.CaseStatsByVillage(ctx, town, from, to)
		if err != nil {
			t.Fatal(err)
		}
		if len(villages) != 1 || villages[0].OrgID != st.villageOrg || villages[0].Cases != 1 {
			t.Errorf("village rows = %+v, want one case for 越丰村", villages)
		}

		for _, c := range []struct {
			name   string
			filter store.CaseFilter
			want   int64
		}{
			{"ecology", store.CaseFilter{UnitID: st.ecologyOrg, From: from, To: to}, phone.ID},
			{"village", store.CaseFilter{VillageID: st.villageOrg, From: from, To: to}, local.ID},
			{"police", store.CaseFilter{UnitID: st.policeOrg}, 0},
			{"later period", store.CaseFilter{VillageID: st.villageOrg, From: to, To: to.AddDate(0, 0, 1)}, 0},
		} {
			list, total, err := db.ListCases(ctx, st.dispatcher, c.filter)
			if err != nil {
				t.Fatal(err)
			}
			switch {
			case c.want == 0 && total != 0:
				t.Errorf("%s filter: %d cases, want none", c.name, total)
			case c.want != 0 && (total != 1 || list[0].ID != c.want):
				t.Errorf("%s filter: %d cases, want case %d only", c.name, total, c.want)
			}
		}
	})
}

// TestUnansweredPostsAsOf checks that a post counts as unanswered until a unit replies, and
// that pending posts never count.
func TestUnansweredPostsAsOf(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		start := time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC)
		db.Now = func() time.Time { return start }
		create := func(title, token string) int64 {
			p := board.Post{Kind: board.Complaint, Title: title, Body: "路灯坏了好几天，晚上很黑。", Name: "王某", Phone: "13812340000",
				Public: true, Consent: true}
			if err := p.Validate(db.Now()); err != nil {
				t.Fatal(err)
			}
			rec, _, err := db.CreatePost(ctx, town, store.NewPost{Post: p, SubmitToken: token, IPHash: token})
			if err != nil {
				t.Fatal(err)
			}
			return rec.PostID
		}
		answered := create("村道路灯不亮", "t1")
		pending := create("桥头路灯不亮", "t2")
		if err := db.ModeratePost(ctx, st.dispatcher, answered, store.DecisionPublish, ""); err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return start.AddDate(0, 0, 3) }
		if _, err := db.ReplyToPost(ctx, st.ecology, answered, "已安排电工维修。"); err != nil {
			t.Fatal(err)
		}

		for _, c := range []struct {
			asOf time.Time
			want int
		}{{start.Add(-time.Hour), 0}, {start.AddDate(0, 0, 1), 1}, {start.AddDate(0, 0, 4), 0}} {
			got, err := db.UnansweredPosts(ctx, town, c.asOf)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != c.want {
				t.Errorf("unanswered at %s: %d posts, want %d", c.asOf, len(got), c.want)
			}
			for _, p := range got {
				if p.ID == pending {
					t.Error("a pending post counts as unanswered")
				}
			}
		}
		_, total, err := db.ListPostsForStaff(ctx, st.dispatcher, store.PostFilter{Unanswered: true})
		if err != nil || total != 0 {
			t.Errorf("staff list of unanswered posts after the reply: %d posts, err %v", total, err)
		}
	})
}
