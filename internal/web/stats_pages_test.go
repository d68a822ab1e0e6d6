package web

import (
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestStatsPagesShareFilterWording checks that the statistics pages label their period and
// download as the dashboard does, and explain their figures on the page rather than pointing
// to a file of the source repository.
func TestStatsPagesShareFilterWording(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		for _, c := range []struct{ user, path string }{
			{"dispatcher", "/admin/dashboard"},
			{"dispatcher", "/admin/service-stats"},
			{"editor", "/admin/portal-stats"},
		} {
			code, body := h.get(h.client(c.user), c.path)
			if code != 200 {
				t.Fatalf("%s: status %d", c.path, code)
			}
			for _, want := range []string{`<label for="from">开始日期</label>`, `<label for="to">结束日期</label>`, "导出 Excel"} {
				if !strings.Contains(body, want) {
					t.Errorf("%s lacks %s", c.path, want)
				}
			}
			for _, unwanted := range []string{"下载 Excel", ">从</label>", ">到</label>", "docs/", ".md"} {
				if strings.Contains(body, unwanted) {
					t.Errorf("%s shows %s", c.path, unwanted)
				}
			}
		}
		_, body := h.get(h.client("editor"), "/admin/portal-stats")
		if !strings.Contains(body, "<summary>统计口径</summary>") || !strings.Contains(body, "稿件浏览量：") {
			t.Errorf("portal statistics lack the explanation of their figures:\n%s", body)
		}
	})
}
