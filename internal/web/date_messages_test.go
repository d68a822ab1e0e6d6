package web

import (
	"html"
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestDateMessagesShowExampleDate checks that every page with a date filter names a malformed
// date by the field and an example date, never by Go's layout 2006-01-02, and names a
// well-formed date that does not exist by the field and the value.
func TestDateMessagesShowExampleDate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		for _, c := range []struct{ user, path string }{
			{"", "/search?q=平安&from="},
			{"dispatcher", "/admin/dashboard?from="},
			{"dispatcher", "/admin/service-stats?from="},
			{"dispatcher", "/admin/cases?from="},
			{"editor", "/admin/portal-stats?from="},
			{"auditor", "/admin/audit?from="},
		} {
			for _, v := range []struct{ value, message string }{
				{"2026-1-1", "请按 2026-10-01 的格式填写开始日期。"},
				{"2026-02-30", "开始日期 2026-02-30 不存在，请检查月份和日期。"},
				{"2026-13-01", "开始日期 2026-13-01 不存在，请检查月份和日期。"},
			} {
				code, body := h.get(h.client(c.user), c.path+v.value)
				body = html.UnescapeString(body)
				if code != 400 && code != 422 && code != 200 {
					t.Errorf("%s%s: status %d", c.path, v.value, code)
				}
				if strings.Contains(body, "2006-01-02") {
					t.Errorf("%s%s shows Go's date layout 2006-01-02", c.path, v.value)
				}
				if !strings.Contains(body, v.message) {
					t.Errorf("%s%s lacks %q:\n%s", c.path, v.value, v.message, body)
				}
			}
		}
	})
}
