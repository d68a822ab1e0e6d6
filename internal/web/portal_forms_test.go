package web_test

import (
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestSearchEndBeforeStart(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		c := site.client(t)
		q := url.Values{"q": {"禁毒"}, "from": {"2026-12-01"}, "to": {"2026-01-01"}}
		status, body, _ := get(t, c, site.ts.URL+"/search?"+q.Encode())
		if status != http.StatusBadRequest {
			t.Errorf("status %d, want 400", status)
		}
		if !strings.Contains(body, "结束日期不能早于开始日期。") {
			t.Error("page does not say the end date is before the start date")
		}
		if strings.Contains(body, "没有找到") {
			t.Error("page reports an empty result for a rejected search")
		}
		for _, field := range []string{`value="禁毒"`, `value="2026-12-01"`, `value="2026-01-01"`} {
			if !strings.Contains(body, field) {
				t.Errorf("search form lost %s", field)
			}
		}

		q.Set("to", "2026-12-01")
		if status, _, _ := get(t, c, site.ts.URL+"/search?"+q.Encode()); status != http.StatusOK {
			t.Errorf("same start and end date: status %d, want 200", status)
		}
	})
}
