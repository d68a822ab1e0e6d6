package web

import (
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
)

// TestBrowserNoticeJourney: the center sends a notice with required feedback to all villages;
// one village opens it twice, another opens it and sends feedback; the center sees 2 read and
// 1 feedback with the rest unread, reminds them, and the reminder reaches the unread villages'
// open bells live.
func TestBrowserNoticeJourney(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		b := newCoordBrowser(t)
		center := b.open(h.ts.URL, "coordinator")
		center.signIn("coordinator")
		yuefeng := b.open(h.ts.URL, "yuefeng")
		yuefeng.signIn("yuefeng")
		gaoqiao := b.open(h.ts.URL, "gaoqiao")
		gaoqiao.signIn("gaoqiao")
		qili := b.open(h.ts.URL, "qili")
		qili.signIn("qili")

		center.visit("/admin/notices/new", http.StatusOK)
		center.setField("#kind", "requirement")
		center.setField("#title", "关于开展出租房屋消防安全专项检查的工作要求")
		center.setField("#body", "请各村会同保安队对辖区出租房屋逐户检查，回执请附检查台账。")
		center.setField("#deadline", time.Now().Add(72*time.Hour).In(domain.Shanghai).Format("2006-01-02T15:04"))
		center.check("input[name=feedback_required]")
		center.check("input[name=kind_all][value=village]")
		if status := center.submit("form[action='/admin/notices'] button[type=submit]"); status != http.StatusOK {
			t.Fatalf("issue notice: status %d", status)
		}
		receipts := js[string](center, "location.pathname")
		m := regexp.MustCompile(`^/admin/notices/(\d+)/receipts$`).FindStringSubmatch(receipts)
		if m == nil {
			t.Fatalf("after issuing, the center is at %s", receipts)
		}
		id := m[1]

		// qili keeps the inbox open: its bell shows the notice without a reload.
		qili.visit("/admin/notices", http.StatusOK)
		qili.waitFor(`document.querySelector("[data-bell-count]").textContent === "1"`, 5*time.Second)

		yuefeng.visit("/admin/notices/"+id, http.StatusOK)
		yuefeng.visit("/admin/notices/"+id, http.StatusOK)
		gaoqiao.visit("/admin/notices/"+id, http.StatusOK)
		gaoqiao.setField("#body", "已检查出租房屋 46 户，发现问题 9 处，已整改 7 处。")
		if status := gaoqiao.submit("form[action$='/feedback'] button[type=submit]"); status != http.StatusOK {
			t.Fatalf("feedback: status %d", status)
		}
		if flash := js[string](gaoqiao, `document.querySelector(".flash") ? document.querySelector(".flash").textContent : ""`); flash != "回执已提交。" {
			t.Errorf("after feedback the page says %q", flash)
		}

		center.visit("/admin/notices/"+id+"/receipts", http.StatusOK)
		counts := js[[]string](center, `["data-read","data-unread","data-answered"].map(a => document.querySelector("["+a+"]").textContent)`)
		if strings.Join(counts, ",") != "2,2,1" {
			t.Errorf("read, unread, feedback = %v, want 2, 2, 1", counts)
		}
		states := js[map[string]string](center, `Object.fromEntries([...document.querySelectorAll("tr[data-org]")].map(r =>
			[r.dataset.org, r.querySelector("[data-state]").dataset.state + "/" + r.querySelector("[data-feedback]").dataset.feedback]))`)
		want := map[string]string{"越丰村": "read/no", "高桥村": "read/yes", "骑力村": "unread/no", "南日村": "unread/no"}
		for org, w := range want {
			if states[org] != w {
				t.Errorf("%s = %s, want %s", org, states[org], w)
			}
		}

		if status := center.submit("[data-remind-all]"); status != http.StatusOK {
			t.Fatalf("remind: status %d", status)
		}
		// The reminder reaches qili's open bell live, with a toast.
		qili.waitFor(`document.querySelector("[data-bell-count]").textContent === "2"`, 5*time.Second)
		qili.waitFor(`[...document.querySelectorAll(".toast")].some(t => t.textContent.includes("催办"))`, 5*time.Second)
		// 南日村 and 越丰村 (read, but owes feedback) get the reminder; 高桥村 does not.
		nanri := b.open(h.ts.URL, "nanri")
		nanri.signIn("nanri")
		nanri.visit("/admin/bell", http.StatusOK)
		if n := js[string](nanri, `document.querySelector("[data-bell-count]").textContent`); n != "2" {
			t.Errorf("南日村's bell shows %s, want 2", n)
		}
		gaoqiao.visit("/admin/bell", http.StatusOK)
		if n := js[bool](gaoqiao, `document.querySelector("[data-bell-count]").hidden`); !n {
			t.Error("高桥村's bell shows unread notifications after it gave feedback")
		}
	})
}
