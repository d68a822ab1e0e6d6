package web

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/upload/uploadtest"
)

// issueNotice issues a notice from the coordinator to every village through the form and
// returns its id.
func (h *coordHarness) issueNotice(c *coordClient, title string, feedback bool) string {
	h.t.Helper()
	form := url.Values{"kind": {"work_plan"}, "title": {title}, "body": {"请各村按要求开展排查。"},
		"deadline": {time.Now().Add(72 * time.Hour).In(domain.Shanghai).Format("2006-01-02T15:04")}, "kind_all": {"village"}}
	if feedback {
		form.Set("feedback_required", "1")
	}
	res := c.postMultipart("/admin/notices", form, coordUpload{"files", "排查表.docx", uploadtest.DOCX()})
	if res.status != http.StatusSeeOther {
		h.t.Fatalf("issue notice: status %d: %s", res.status, between(res.body, `class="error-summary"`, "</p>"))
	}
	m := regexp.MustCompile(`/admin/notices/(\d+)/receipts`).FindStringSubmatch(res.location)
	if m == nil {
		h.t.Fatalf("issue notice redirected to %q", res.location)
	}
	return m[1]
}

func TestNoticeReceiptsFeedbackAndReminders(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		center := h.signIn("coordinator")
		id := h.issueNotice(center, "关于开展汛期安全隐患排查的工作计划", true)

		yuefeng := h.signIn("yuefeng")
		inbox := yuefeng.get("/admin/notices")
		mustContain(t, "village inbox", inbox.body, "关于开展汛期安全隐患排查的工作计划", "未读", `data-unread-notices>1<`)
		for range 2 {
			if res := yuefeng.get("/admin/notices/" + id); res.status != http.StatusOK {
				t.Fatalf("village opens notice: status %d", res.status)
			}
		}
		gaoqiao := h.signIn("gaoqiao")
		gaoqiao.get("/admin/notices/" + id)
		res := gaoqiao.postMultipart("/admin/notices/"+id+"/feedback", url.Values{"body": {"已排查 12 处，整改 10 处。"}},
			coordUpload{"files", "整改清单.xlsx", uploadtest.XLSX()})
		if res.status != http.StatusSeeOther {
			t.Fatalf("feedback: status %d", res.status)
		}
		// A prefetch is not a read.
		qili := h.signIn("qili")
		req, _ := http.NewRequest(http.MethodGet, qili.base+"/admin/notices/"+id, nil)
		req.Header.Set("Sec-Purpose", "prefetch")
		qili.do(req)

		receipts := center.get("/admin/notices/" + id + "/receipts")
		mustContain(t, "receipts", receipts.body, `data-read>2<`, `data-unread>2<`, `data-answered>1<`, "已排查 12 处")
		if res := yuefeng.get("/admin/notices/" + id + "/receipts"); res.status != http.StatusForbidden {
			t.Errorf("village opens receipts: status %d, want 403", res.status)
		}

		// Feedback attachments belong to the feedback's village and the sender only.
		fileID := between(receipts.body, `/admin/attachments/`, `?download=1">整改清单.xlsx`)
		if fileID == "" {
			t.Fatal("receipts page lists no feedback attachment")
		}
		for user, want := range map[string]int{"coordinator": 200, "gaoqiao": 200, "yuefeng": 404, "judicial": 404} {
			c := map[string]*coordClient{"coordinator": center, "gaoqiao": gaoqiao, "yuefeng": yuefeng}[user]
			if c == nil {
				c = h.signIn(user)
			}
			if res := c.get("/admin/attachments/" + fileID); res.status != want {
				t.Errorf("%s downloads feedback attachment: status %d, want %d", user, res.status, want)
			}
		}

		res = center.post("/admin/notices/"+id+"/remind", nil)
		if res.status != http.StatusSeeOther {
			t.Fatalf("remind: status %d", res.status)
		}
		ctx := context.Background()
		for user, want := range map[string]int{"yuefeng": 1, "gaoqiao": 0, "qili": 2, "nanri": 2} {
			n, _ := h.db.UnreadNotifications(ctx, h.actor(user))
			if n != want {
				t.Errorf("%s has %d unread notifications after the reminder, want %d", user, n, want)
			}
		}
		list, _, _ := h.db.ListNotifications(ctx, h.actor("nanri"), storePage(1))
		if len(list) == 0 || !strings.HasPrefix(list[0].Title, "催办：") {
			t.Errorf("nanri's latest notification = %+v, want a reminder", list)
		}
	})
}

func TestNoticeScopedToRecipients(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	center := h.signIn("coordinator")
	id := h.issueNotice(center, "仅发给村的通知", false)
	for user, want := range map[string]int{"yuefeng": 200, "judicial": 404, "coordinator": 200} {
		if res := h.signIn(user).get("/admin/notices/" + id); res.status != want {
			t.Errorf("%s opens the notice: status %d, want %d", user, res.status, want)
		}
	}
}

func TestNoticeFormRejectsBadInput(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	center := h.signIn("coordinator")
	cases := []struct {
		name  string
		form  url.Values
		files []coordUpload
		want  string
	}{
		{"no recipients", url.Values{"kind": {"notice"}, "title": {"标题"}, "body": {"正文"}}, nil, "请至少选择一个接收单位"},
		{"title too long", url.Values{"kind": {"notice"}, "title": {strings.Repeat("长", 101)}, "body": {"正文"}, "kind_all": {"village"}}, nil, "标题不能超过100个字符"},
		{"past deadline", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "kind_all": {"village"}, "deadline": {"2020-01-01T10:00"}}, nil, "截止时间应晚于现在"},
		{"feedback without deadline", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "kind_all": {"village"}, "feedback_required": {"1"}}, nil, "须设截止时间"},
		{"foreign org", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "org": {"999999"}}, nil, "接收单位中有不存在的组织"},
		{"executable", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "kind_all": {"village"}}, []coordUpload{{"files", "a.exe", []byte("MZ")}}, "文件类型不允许上传"},
		{"disguised file", url.Values{"kind": {"notice"}, "title": {"标"}, "body": {"正文"}, "kind_all": {"village"}}, []coordUpload{{"files", "a.pdf", []byte("<html>")}}, "内容与扩展名不符"},
	}
	for _, c := range cases {
		res := center.postMultipart("/admin/notices", c.form, c.files...)
		if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, c.want) {
			t.Errorf("%s: status %d, want 422 with %q", c.name, res.status, c.want)
		}
	}
	var n int
	h.db.SQL().QueryRow(`SELECT COUNT(*) FROM notices`).Scan(&n)
	if n != 0 {
		t.Errorf("%d notices stored after rejected forms, want 0", n)
	}
	h.db.SQL().QueryRow(`SELECT COUNT(*) FROM files`).Scan(&n)
	if n != 0 {
		t.Errorf("%d files stored after rejected forms, want 0", n)
	}
}
