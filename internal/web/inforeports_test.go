package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
)

func TestInfoReportAdoptedBecomesPendingArticle(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		village := h.signIn("yuefeng")
		res := village.postMultipart("/admin/my-info-reports", url.Values{"category": {"work_news"}, "title": {"越丰村开展防汛应急演练"},
			"body": {"6月12日上午，越丰村组织村民小组长和网格员开展防汛应急演练。"}}, coordUpload{"files", "演练.png", pngBytes})
		m := regexp.MustCompile(`/admin/my-info-reports/(\d+)`).FindStringSubmatch(res.location)
		if res.status != http.StatusSeeOther || m == nil {
			t.Fatalf("submit: status %d", res.status)
		}
		id := m[1]
		center := h.signIn("coordinator")
		mustContain(t, "review list", center.get("/admin/info-reports?status=submitted").body, "越丰村开展防汛应急演练")
		page := center.get("/admin/info-reports/" + id)
		fileID := between(page.body, `<a href="/admin/attachments/`, `"`)
		for user, want := range map[string]int{"yuefeng": 200, "coordinator": 200, "gaoqiao": 404} {
			c := map[string]*coordClient{"yuefeng": village, "coordinator": center}[user]
			if c == nil {
				c = h.signIn(user)
			}
			if res := c.get("/admin/attachments/" + fileID); res.status != want {
				t.Errorf("%s downloads the report's photo: status %d, want %d", user, res.status, want)
			}
		}
		if res := h.signIn("gaoqiao").get("/admin/my-info-reports/" + id); res.status != http.StatusNotFound {
			t.Errorf("another village opens the report: status %d, want 404", res.status)
		}
		if res := center.post("/admin/info-reports/"+id+"/decline", url.Values{"note": {""}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("decline without a note: status %d, want 422", res.status)
		}
		if res := center.post("/admin/info-reports/"+id+"/adopt", nil); res.status != http.StatusSeeOther {
			t.Fatalf("adopt: status %d", res.status)
		}
		if res := center.post("/admin/info-reports/"+id+"/adopt", nil); res.status != http.StatusSeeOther || !strings.Contains(res.header.Get("Set-Cookie"), "") {
			t.Errorf("adopt twice: status %d", res.status)
		}
		pending, err := h.db.PendingArticles(context.Background(), h.town)
		if err != nil {
			t.Fatal(err)
		}
		if len(pending) != 1 || pending[0].Title != "越丰村开展防汛应急演练" || pending[0].ContributorName != "越丰村" {
			t.Errorf("pending articles = %+v", pending)
		}
		mustContain(t, "village's list", village.get("/admin/my-info-reports").body, "已采用")
	})
}

func TestInquiryAnsweredAndPublishedAsFAQ(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		village := h.signIn("yuefeng")
		res := village.post("/admin/my-inquiries", url.Values{"assignee": {idStr(h.orgs["司法所"])}, "title": {"土地流转合同纠纷由谁调解"},
			"question": {"村里两户因土地流转合同到期后的补偿发生争执，村调委会能否直接调解？"}})
		m := regexp.MustCompile(`/admin/my-inquiries/(\d+)`).FindStringSubmatch(res.location)
		if res.status != http.StatusSeeOther || m == nil {
			t.Fatalf("ask: status %d", res.status)
		}
		id := m[1]
		judicial := h.signIn("judicial")
		if n, _ := h.db.UnreadNotifications(context.Background(), h.actor("judicial")); n != 1 {
			t.Errorf("judicial office has %d unread notifications, want 1", n)
		}
		if res := h.signIn("police").get("/admin/inquiries/" + id); res.status != http.StatusNotFound {
			t.Errorf("another unit opens the inquiry: status %d, want 404", res.status)
		}
		if res := h.signIn("gaoqiao").get("/admin/my-inquiries/" + id); res.status != http.StatusNotFound {
			t.Errorf("another village opens the inquiry: status %d, want 404", res.status)
		}
		if res := judicial.post("/admin/inquiries/"+id+"/answer", url.Values{"answer": {"可以。村调委会可先行调解，达成协议的制作调解协议书。"}}); res.status != http.StatusSeeOther {
			t.Fatalf("answer: status %d", res.status)
		}
		mustContain(t, "asker's page", village.get("/admin/my-inquiries/"+id).body, "村调委会可先行调解")
		if res := village.get("/admin/my-inquiries?q=" + url.QueryEscape("调解协议书")); !strings.Contains(res.body, "土地流转合同纠纷由谁调解") {
			t.Error("search of the answer text does not find the inquiry")
		}
		center := h.signIn("coordinator")
		if res := center.post("/admin/inquiries/"+id+"/faq", url.Values{"faq_question": {"土地流转纠纷村里能调解吗？"},
			"faq_answer": {"可以，由村人民调解委员会先行调解。"}}); res.status != http.StatusSeeOther {
			t.Fatalf("publish FAQ: status %d", res.status)
		}
		public, err := http.Get(h.ts.URL + "/faq")
		if err != nil {
			t.Fatal(err)
		}
		defer public.Body.Close()
		body := readAll(public)
		mustContain(t, "public FAQ", body, "土地流转纠纷村里能调解吗？", "由村人民调解委员会先行调解")
		if strings.Contains(body, "两户") {
			t.Error("the public FAQ shows the internal question")
		}
	})
}
