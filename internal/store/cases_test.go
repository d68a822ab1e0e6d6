package store_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

type serviceTown struct {
	center, dispatcher, ecology, police, judicial, village, grid domain.Actor
	ecologyOrg, policeOrg, judicialOrg, villageOrg               int64
}

func seedServiceTown(t *testing.T, db *store.DB) serviceTown {
	t.Helper()
	ctx := context.Background()
	a, center := seedTown(t, db, "高桥镇")
	org := func(parent int64, kind domain.OrgKind, name string) int64 {
		id, err := db.CreateOrg(ctx, a, domain.Org{ParentID: parent, Kind: kind, Name: name})
		if err != nil {
			t.Fatal(err)
		}
		return id
	}
	st := serviceTown{ecologyOrg: org(a.TownID, domain.OrgDepartment, "生态环境办"), policeOrg: org(a.TownID, domain.OrgDepartment, "高桥派出所"),
		judicialOrg: org(a.TownID, domain.OrgDepartment, "司法所"), villageOrg: org(a.TownID, domain.OrgVillage, "越丰村")}
	gridOrg := org(st.villageOrg, domain.OrgGrid, "越丰村第一网格")
	actor := func(id int64, org int64, role domain.Role) domain.Actor {
		return domain.Actor{AccountID: 0, TownID: a.TownID, OrgID: org, Name: string(role), Roles: []domain.Role{role}}
	}
	st.center = a
	st.dispatcher = actor(1, center, domain.RoleDispatcher)
	st.ecology = actor(2, st.ecologyOrg, domain.RoleUnitHandler)
	st.police = actor(3, st.policeOrg, domain.RoleUnitHandler)
	st.judicial = actor(4, st.judicialOrg, domain.RoleUnitHandler)
	st.village = actor(5, st.villageOrg, domain.RoleReporter)
	st.grid = actor(6, gridOrg, domain.RoleGridWorker)
	return st
}

func TestCaseWorkflowFromPost(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		post := board.Post{Kind: board.Complaint, Title: "河水发黑有异味", Body: "酱菜厂把卤水倒进河里，河水发黑。", Name: "张三",
			Phone: "13812345678", Public: true, Consent: true}
		if err := post.Validate(db.Now()); err != nil {
			t.Fatal(err)
		}
		rec, created, err := db.CreatePost(ctx, town, store.NewPost{Post: post, SubmitToken: "tok-1", IPHash: "ip1"})
		if err != nil || !created {
			t.Fatalf("CreatePost: created=%v err=%v", created, err)
		}
		again, created, err := db.CreatePost(ctx, town, store.NewPost{Post: post, SubmitToken: "tok-1", IPHash: "ip1"})
		if err != nil || created || again.QueryCode != rec.QueryCode || again.PostID != rec.PostID {
			t.Fatalf("second submit: created=%v receipt=%+v err=%v, want the first receipt", created, again, err)
		}
		if _, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
			Title: post.Title, Body: post.Body, PostID: rec.PostID}); domain.ErrorKind(err) != domain.KindConflict {
			t.Fatalf("register pending post: %v, want conflict", err)
		}
		if err := db.ModeratePost(ctx, st.dispatcher, rec.PostID, store.DecisionPublish, ""); err != nil {
			t.Fatal(err)
		}
		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
			Title: post.Title, Body: post.Body, PostID: rec.PostID, SubjectOrgID: st.ecologyOrg})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.HasPrefix(reg.Number, "高桥-") {
			t.Errorf("case number %q", reg.Number)
		}
		step := func(a domain.Actor, in store.CaseInput) {
			t.Helper()
			if _, err := db.CaseAction(ctx, a, reg.ID, in); err != nil {
				t.Fatalf("%s by %s: %v", in.Action, a.Name, err)
			}
		}
		// The units do not see the case before it is dispatched to them.
		if _, err := db.GetCase(ctx, st.police, reg.ID, false); domain.ErrorKind(err) != domain.KindNotFound {
			t.Fatalf("police sees an undispatched case: %v", err)
		}
		step(st.dispatcher, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.ecologyOrg, AssistOrgIDs: []int64{st.policeOrg}})
		if _, err := db.CaseAction(ctx, st.police, reg.ID, store.CaseInput{Action: casework.ActSendBack, Note: "不归我们管"}); domain.ErrorKind(err) != domain.KindForbidden {
			t.Errorf("assisting unit sends back: %v, want forbidden", err)
		}
		step(st.police, store.CaseInput{Action: casework.ActAcknowledge})
		c, err := db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != casework.Dispatched {
			t.Errorf("state after assisting unit acknowledged = %s, want dispatched", c.State)
		}
		step(st.ecology, store.CaseInput{Action: casework.ActAcknowledge})
		step(st.ecology, store.CaseInput{Action: casework.ActReply, Note: "已会同市生态环境局现场检查。", PromisedAt: db.Now().AddDate(0, 0, 10)})
		step(st.ecology, store.CaseInput{Action: casework.ActResolve, Note: "企业已停产整改，治理方案已确定。"})

		// The unit the complaint is about does not learn who complained, even masked.
		seen, err := db.GetCase(ctx, st.ecology, reg.ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if !seen.Citizen.Hidden || strings.Contains(seen.Citizen.Name, "张") {
			t.Errorf("subject unit sees the citizen: %+v", seen.Citizen)
		}
		masked, _ := db.GetCase(ctx, st.police, reg.ID, true)
		if masked.Citizen.Phone != "138****5678" {
			t.Errorf("unit without pii.view sees phone %q", masked.Citizen.Phone)
		}

		if err := db.CitizenRatePost(ctx, town, rec.QueryCode, "13800000000", store.CitizenRating{Rating: casework.Satisfied}); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("rate with the wrong mobile: %v, want not found", err)
		}
		if err := db.CitizenRatePost(ctx, town, strings.ToLower(rec.QueryCode), "138 1234 5678", store.CitizenRating{Rating: casework.Satisfied}); err != nil {
			t.Fatal(err)
		}
		c, _ = db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if c.State != casework.FollowedUp || c.Rating != casework.Satisfied {
			t.Errorf("after rating: state %s rating %s", c.State, c.Rating)
		}
		if last := c.Steps[len(c.Steps)-1]; last.To != c.State {
			t.Errorf("last step ends in %s, case is %s", last.To, c.State)
		}
		step(st.dispatcher, store.CaseInput{Action: casework.ActClose, Outcome: casework.Solved})
		p, err := db.PublicPost(ctx, town, rec.PostID)
		if err != nil {
			t.Fatal(err)
		}
		if p.Name != "张**" || p.Phone != "138****5678" || len(p.Messages) != 1 || p.Messages[0].OrgName != "生态环境办" {
			t.Errorf("public post: name %q phone %q replies %+v", p.Name, p.Phone, p.Messages)
		}
	})
}

func TestCaseDeadlinesUseCalendar(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		// 2026-09-30 16:00 Beijing, the last working day before National Day.
		db.Now = func() time.Time { return time.Date(2026, 9, 30, 8, 0, 0, 0, time.UTC) }
		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelPhone, Category: casework.CategoryDispute,
			Title: "交通事故赔偿纠纷", Body: "双方对赔偿金额有争议。", Citizen: store.Citizen{Name: "沈某", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		if reg.QueryCode == "" {
			t.Error("a phone case with a mobile number gets no query code")
		}
		if _, err := db.CaseAction(ctx, st.dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.policeOrg, AssistOrgIDs: []int64{st.judicialOrg}}); err != nil {
			t.Fatal(err)
		}
		c, err := db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if err != nil {
			t.Fatal(err)
		}
		// Disputes: reply within 3 working days: 10-08, 10-09 and the make-up Saturday 10-10.
		if got := domain.FormatTime(c.ReplyDueAt); got != "2026-10-10 23:59" {
			t.Errorf("reply due %s, want 2026-10-10 23:59", got)
		}
		if got := domain.FormatDate(c.AckDueAt); got != "2026-10-08" {
			t.Errorf("acknowledge due %s, want 2026-10-08", got)
		}
		db.Now = func() time.Time { return time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC) }
		c, _ = db.GetCase(ctx, st.dispatcher, reg.ID, false)
		if !c.Overdue(db.Now()) {
			t.Error("case is not overdue after its deadlines")
		}
		list, _, err := db.ListCases(ctx, st.dispatcher, store.CaseFilter{Overdue: true})
		if err != nil || len(list) != 1 {
			t.Errorf("overdue list: %d cases, err %v", len(list), err)
		}
		rem, err := db.RemindOverdue(ctx)
		if err != nil || len(rem) != 2 {
			t.Errorf("RemindOverdue: %d reminders, err %v; want 2 units", len(rem), err)
		}
		if rem, _ := db.RemindOverdue(ctx); len(rem) != 0 {
			t.Errorf("second RemindOverdue the same day: %d reminders", len(rem))
		}
	})
}

func TestLocalDisputeStaysInVillage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		reg, err := db.RegisterCase(ctx, st.grid, store.NewCase{Channel: casework.ChannelPatrol, Category: casework.CategoryDispute,
			Title: "邻里宅基地纠纷", Body: "两户因围墙位置发生争执。", Local: true})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CaseAction(ctx, st.grid, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.policeOrg}); domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("village dispatches a local case to the police: %v, want invalid", err)
		}
		for _, in := range []store.CaseInput{
			{Action: casework.ActDispatch, LeadOrgID: st.grid.OrgID},
			{Action: casework.ActAcknowledge},
			{Action: casework.ActResolve, Note: "经调解双方达成一致。"},
			{Action: casework.ActClose, Outcome: casework.Solved},
		} {
			if _, err := db.CaseAction(ctx, st.grid, reg.ID, in); err != nil {
				t.Fatalf("%s: %v", in.Action, err)
			}
		}
		if _, err := db.GetCase(ctx, st.village, reg.ID, false); err != nil {
			t.Errorf("the village does not see its grid's local case: %v", err)
		}
		if _, err := db.GetCase(ctx, st.police, reg.ID, false); domain.ErrorKind(err) != domain.KindNotFound {
			t.Errorf("the police sees a local case: %v", err)
		}
	})
}
