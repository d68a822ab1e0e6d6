package store_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// caseNotifications returns the bell notifications of account id.
func caseNotifications(t *testing.T, db *store.DB, st serviceTown, id int64) []domain.Notification {
	t.Helper()
	list, _, err := db.ListNotifications(context.Background(), domain.Actor{AccountID: id, TownID: st.center.TownID}, store.Page{Number: 1, Size: 50})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

func TestCaseEventsNotifyStaff(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		account := func(username string, org int64, role domain.Role) int64 {
			t.Helper()
			id, err := db.CreateAccount(ctx, st.center, store.NewAccount{PasswordHash: "x",
				Account: domain.Account{OrgID: org, Username: username, DisplayName: username, Roles: []domain.Role{role}}})
			if err != nil {
				t.Fatal(err)
			}
			return id
		}
		leadHandler := account("police1", st.policeOrg, domain.RoleUnitHandler)
		assistHandler := account("judicial1", st.judicialOrg, domain.RoleUnitHandler)
		otherHandler := account("ecology1", st.ecologyOrg, domain.RoleUnitHandler)
		dispatcher := account("dispatcher1", st.dispatcher.OrgID, domain.RoleDispatcher)

		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelPhone, Category: casework.CategoryDispute,
			Title: "邻里噪音纠纷", Body: "楼上夜间施工影响休息。", Citizen: store.Citizen{Name: "沈某", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		res, err := db.CaseAction(ctx, st.dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.policeOrg,
			AssistOrgIDs: []int64{st.judicialOrg}})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Notifications) != 2 {
			t.Errorf("dispatch returned %d notifications, want 2 (lead and assisting handler)", len(res.Notifications))
		}

		lead := caseNotifications(t, db, st, leadHandler)
		if len(lead) != 1 {
			t.Fatalf("lead handler has %d notifications after dispatch, want 1", len(lead))
		}
		if want := "/admin/cases/" + strconv.FormatInt(reg.ID, 10); lead[0].Link != want {
			t.Errorf("notification link = %q, want %q", lead[0].Link, want)
		}
		if lead[0].Kind != domain.NotifyCaseDispatched {
			t.Errorf("notification kind = %q, want %q", lead[0].Kind, domain.NotifyCaseDispatched)
		}
		if lead[0].Title != "工单交办："+reg.Number+" 邻里噪音纠纷" {
			t.Errorf("notification title = %q", lead[0].Title)
		}
		if got := len(caseNotifications(t, db, st, assistHandler)); got != 1 {
			t.Errorf("assisting handler has %d notifications after dispatch, want 1", got)
		}
		if got := len(caseNotifications(t, db, st, otherHandler)); got != 0 {
			t.Errorf("handler of an unrelated unit has %d notifications, want 0", got)
		}
		if got := len(caseNotifications(t, db, st, dispatcher)); got != 0 {
			t.Errorf("dispatcher has %d notifications after dispatch, want 0", got)
		}

		// Supervision presses the lead unit only.
		if _, err := db.CaseAction(ctx, st.dispatcher, reg.ID, store.CaseInput{Action: casework.ActSupervise, Note: "请尽快签收。"}); err != nil {
			t.Fatal(err)
		}
		lead = caseNotifications(t, db, st, leadHandler)
		if len(lead) != 2 {
			t.Fatalf("lead handler has %d notifications after supervision, want 2", len(lead))
		}
		if lead[0].Kind != domain.NotifyCaseSupervised {
			t.Errorf("newest notification kind = %q, want %q", lead[0].Kind, domain.NotifyCaseSupervised)
		}
		if got := len(caseNotifications(t, db, st, assistHandler)); got != 1 {
			t.Errorf("assisting handler has %d notifications after supervision, want 1", got)
		}

		// A send-back reaches the center's dispatchers.
		if _, err := db.CaseAction(ctx, st.police, reg.ID, store.CaseInput{Action: casework.ActSendBack, Note: "不属于本单位职责。"}); err != nil {
			t.Fatal(err)
		}
		back := caseNotifications(t, db, st, dispatcher)
		if len(back) != 1 {
			t.Fatalf("dispatcher has %d notifications after send-back, want 1", len(back))
		}
		if back[0].Kind != domain.NotifyCaseSentBack {
			t.Errorf("send-back notification kind = %q, want %q", back[0].Kind, domain.NotifyCaseSentBack)
		}
	})
}

func TestOverdueReminderIsNotSupervision(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		handler, err := db.CreateAccount(ctx, st.center, store.NewAccount{PasswordHash: "x",
			Account: domain.Account{OrgID: st.policeOrg, Username: "police1", DisplayName: "police1", Roles: []domain.Role{domain.RoleUnitHandler}}})
		if err != nil {
			t.Fatal(err)
		}
		db.Now = func() time.Time { return time.Date(2026, 9, 30, 8, 0, 0, 0, time.UTC) }
		reg, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelPhone, Category: casework.CategoryDispute,
			Title: "交通事故赔偿纠纷", Body: "双方对赔偿金额有争议。", Citizen: store.Citizen{Name: "沈某", Phone: "13900001111"}})
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.CaseAction(ctx, st.dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.policeOrg}); err != nil {
			t.Fatal(err)
		}

		// Past every deadline, the scheduled reminder presses the unit.
		db.Now = func() time.Time { return time.Date(2026, 10, 12, 2, 0, 0, 0, time.UTC) }
		rem, err := db.RemindOverdue(ctx)
		if err != nil || len(rem) != 1 {
			t.Fatalf("RemindOverdue: %d reminders, err %v; want 1", len(rem), err)
		}
		if len(rem[0].Notifications) != 1 || rem[0].Notifications[0].Kind != domain.NotifyCaseOverdue {
			t.Fatalf("reminder notifications = %+v, want one %q", rem[0].Notifications, domain.NotifyCaseOverdue)
		}
		list := caseNotifications(t, db, st, handler)
		if len(list) != 2 {
			t.Fatalf("handler has %d notifications after the reminder, want 2", len(list))
		}
		if list[0].Kind != domain.NotifyCaseOverdue || list[0].Kind.Label() != "工单超期提醒" {
			t.Errorf("reminder kind = %q (%s), want %q (工单超期提醒)", list[0].Kind, list[0].Kind.Label(), domain.NotifyCaseOverdue)
		}
		if want := "工单超期提醒：" + reg.Number + " 交通事故赔偿纠纷"; list[0].Title != want {
			t.Errorf("reminder title = %q, want %q", list[0].Title, want)
		}

		// The dispatcher's supervision keeps its own kind and label.
		if _, err := db.CaseAction(ctx, st.dispatcher, reg.ID, store.CaseInput{Action: casework.ActSupervise, Note: "请尽快办理。"}); err != nil {
			t.Fatal(err)
		}
		list = caseNotifications(t, db, st, handler)
		if len(list) != 3 || list[0].Kind != domain.NotifyCaseSupervised || list[0].Kind.Label() != "工单督办" {
			t.Errorf("after supervision: %d notifications, newest kind %q; want 3 and %q (工单督办)", len(list), list[0].Kind, domain.NotifyCaseSupervised)
		}
	})
}
