package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"

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
		if !strings.Contains(body, "请选择主办单位。") {
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
	})
}
