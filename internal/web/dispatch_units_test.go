package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"pingan/internal/casework"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

var leadSelect = regexp.MustCompile(`(?s)<select id="lead_org_id".*?</select>`)

func TestDispatchOffersNoTownAsLead(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("dispatcher")
		town := itoa(h.town.TownID)
		status, page := h.get(c, "/admin/coordination/new")
		if status != http.StatusOK {
			t.Fatalf("coordination form: status %d", status)
		}
		sel := leadSelect.FindString(page)
		if sel == "" {
			t.Fatal("coordination form has no lead unit choice")
		}
		if strings.Contains(sel, `value="`+town+`"`) || strings.Contains(sel, "高桥镇<") {
			t.Errorf("lead unit choices offer the town itself")
		}
		if !strings.Contains(sel, "生态环境办") || !strings.Contains(sel, "越丰村") {
			t.Errorf("lead unit choices lack the member units and villages")
		}

		form := h.formFields(page)
		form.Set("title", "汛期河道清障协调")
		form.Set("body", "需要多个单位共同清理河道障碍物。")
		form.Set("lead_org_id", town)
		status, body := h.post(c, "/admin/coordination", form)
		if status != http.StatusUnprocessableEntity {
			t.Errorf("town as lead: status %d, want 422", status)
		}
		if !strings.Contains(body, "主办单位须是成员单位或村（社区），不能是镇本身。") {
			t.Errorf("town as lead: page lacks the message")
		}
		form.Set("lead_org_id", itoa(h.town.Orgs["生态环境办"]))
		form["assist_org_ids"] = []string{town}
		if status, _ := h.post(c, "/admin/coordination", form); status != http.StatusUnprocessableEntity {
			t.Errorf("town as assisting unit: status %d, want 422", status)
		}
		if n, _, err := h.db.ListCases(t.Context(), h.actorOf("dispatcher"), store.CaseFilter{Search: "汛期河道清障"}); err != nil || len(n) != 0 {
			t.Errorf("rejected coordination matters stored: %d, %v", len(n), err)
		}

		// A hand-made dispatch of a registered case to the town gets the same message.
		reg, err := h.db.RegisterCase(t.Context(), h.actorOf("dispatcher"), store.NewCase{Channel: casework.ChannelPhone,
			Category: casework.CategoryEnvironment, Title: "村口垃圾堆放多日无人清运", Body: "村口垃圾堆放多日，气味很大，请尽快清运。",
			Citizen: store.Citizen{Name: "王建国", Phone: "13905712345"}})
		if err != nil {
			t.Fatal(err)
		}
		caseID := reg.ID
		status, body = h.post(c, "/admin/cases/"+itoa(caseID)+"/action", url.Values{"action": {"dispatch"}, "lead_org_id": {town}})
		if status != http.StatusUnprocessableEntity {
			t.Errorf("case dispatched to the town: status %d, want 422", status)
		}
		if !strings.Contains(body, "主办单位须是成员单位或村（社区），不能是镇本身。") {
			t.Errorf("case dispatched to the town: page lacks the message")
		}
		if after, err := h.db.GetCase(t.Context(), h.actorOf("dispatcher"), caseID, false); err != nil || after.State != casework.Registered {
			t.Errorf("case after a rejected dispatch: state %s, %v; want registered", after.State, err)
		}
	})
}

func TestBoardLinksCasesOnlyForCaseViewers(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		list, _, err := h.db.ListCases(t.Context(), h.actorOf("dispatcher"), store.CaseFilter{Search: "卤水"})
		if err != nil || len(list) != 1 {
			t.Fatalf("brine case: %d found, %v", len(list), err)
		}
		brine, err := h.db.GetCase(t.Context(), h.actorOf("dispatcher"), list[0].ID, false)
		if err != nil || brine.PostID == 0 {
			t.Fatalf("brine case post: %d, %v", brine.PostID, err)
		}
		link := `href="/admin/cases/` + itoa(brine.ID) + `"`
		for _, user := range []string{"moderator", "dispatcher"} {
			c := h.client(user)
			wantLinks := user == "dispatcher"
			var body string
			for page := 1; page <= 30 && !strings.Contains(body, brine.Number); page++ {
				var status int
				status, body = h.get(c, "/admin/board?status=all&page="+itoa(int64(page)))
				if status != http.StatusOK {
					t.Fatalf("%s board list page %d: status %d", user, page, status)
				}
			}
			if !strings.Contains(body, brine.Number) {
				t.Fatalf("%s board list: case number %s on none of the pages", user, brine.Number)
			}
			if got := strings.Contains(body, link); got != wantLinks {
				t.Errorf("%s board list: links the case = %v, want %v", user, got, wantLinks)
			}
			status, body := h.get(c, "/admin/board/"+itoa(brine.PostID))
			if status != http.StatusOK {
				t.Fatalf("%s board post: status %d", user, status)
			}
			if !strings.Contains(body, brine.Number) {
				t.Errorf("%s board post: case number %s missing", user, brine.Number)
			}
			if got := strings.Contains(body, link); got != wantLinks {
				t.Errorf("%s board post: links the case = %v, want %v", user, got, wantLinks)
			}
			if status, _ := h.get(c, "/admin/cases/"+itoa(brine.ID)); (status == http.StatusOK) != (user == "dispatcher") {
				t.Errorf("%s opens the case: status %d", user, status)
			}
		}
	})
}
