package web

import (
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestServiceStatsEmptyPeriodShowsNoRate checks that a period without cases shows its rates as
// unknown rather than 0.0%, while the demo's half year shows real percentages.
func TestServiceStatsEmptyPeriodShowsNoRate(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("dispatcher")
		code, body := h.get(c, "/admin/service-stats?from=2001-01-01&to=2001-01-31")
		if code != 200 {
			t.Fatalf("empty period: status %d", code)
		}
		if strings.Contains(body, "0.0%") {
			t.Errorf("empty period shows 0.0%%:\n%s", body)
		}
		if n := strings.Count(body, "—"); n < 4 {
			t.Errorf("empty period shows %d unknown rates, want at least 4", n)
		}
		code, body = h.get(c, "/admin/service-stats")
		if code != 200 {
			t.Fatalf("default period: status %d", code)
		}
		if !strings.Contains(body, "按时答复率</dt><dd>") || strings.Contains(body, "按时答复率</dt><dd>—") {
			t.Errorf("the demo's half year lacks an on-time reply rate:\n%s", body)
		}
	})
}
