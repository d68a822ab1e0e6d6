package web

import (
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestCaseListScopeShowsOrgName checks that the case list's banner names the unit and village
// of a dashboard link without their IDs, while the hidden fields keep the IDs for paging.
func TestCaseListScopeShowsOrgName(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("dispatcher")
		for _, p := range []struct{ param, label, org string }{{"unit", "主办单位", "生态环境办"}, {"village", "登记的村（社区）", "越丰村"}} {
			id := h.town.Orgs[p.org]
			if id == 0 {
				t.Fatalf("the demo has no organization %s", p.org)
			}
			code, body := h.get(c, "/admin/cases?"+p.param+"="+strconv.FormatInt(id, 10)+"&from=2026-06-01&to=2026-11-25")
			if code != 200 {
				t.Fatalf("%s: status %d", p.param, code)
			}
			banner := regexp.MustCompile(`<p class="hint" data-scope>(.*?)</p>`).FindStringSubmatch(body)
			if banner == nil {
				t.Fatalf("%s: no filter banner:\n%s", p.param, body)
			}
			if !regexp.MustCompile(regexp.QuoteMeta(p.label+" "+p.org) + "[，。]").MatchString(banner[1]) {
				t.Errorf("%s banner = %q, want %s %s", p.param, banner[1], p.label, p.org)
			}
			if strings.Contains(banner[1], "编号") || regexp.MustCompile(" "+strconv.FormatInt(id, 10)+"[，。]").MatchString(banner[1]) {
				t.Errorf("%s banner shows the ID: %q", p.param, banner[1])
			}
			if hidden := `name="` + p.param + `" value="` + strconv.FormatInt(id, 10) + `"`; !strings.Contains(body, hidden) {
				t.Errorf("%s: the search form lacks %s", p.param, hidden)
			}
		}
	})
}
