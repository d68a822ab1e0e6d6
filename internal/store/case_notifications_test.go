package store_test

import (
	"context"
	"strconv"
	"testing"

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
