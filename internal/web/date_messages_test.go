package web

import (
	"html"
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestDateMessagesShowExampleDate checks that every page with a date filter names a wrong
// date by the field and an example date, never by Go's layout 2006-01-02.
func TestDateMessagesShowExampleDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		for _, c := range []struct{ user, path string }{
			{"", "/search?q=平安&from=2026-13-01"},
			{"dispatcher", "/admin/dashboard?from=2026-13-01"},
			{"dispatcher", "/admin/service-stats?from=2026-13-01"},
			{"dispatcher", "/admin/cases?from=2026-13-01"},
			{"editor", "/admin/portal-stats?from=2026-13-01"},
			{"auditor", "/admin/audit?from=2026-13-01"},
		} {
			code, body := h.get(h.client(c.user), c.path)
			body = html.UnescapeString(body)
			if code != 400 && code != 422 && code != 200 {
				t.Errorf("%s: status %d", c.path, code)
			}
			if strings.Contains(body, "2006-01-02") {
				t.Errorf("%s shows Go's date layout 2006-01-02", c.path)
			}
			if !strings.Contains(body, "请按 2026-10-01 的格式填写开始日期。") {
				t.Errorf("%s lacks the example-date message:\n%s", c.path, body)
			}
		}
	})
}
