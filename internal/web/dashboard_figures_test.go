package web

import (
	"bytes"
	"html"
	"net/http"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// changePattern is every change text the dashboard may show: nothing when a side is missing,
// 持平, a whole count, an average with one decimal, or a rate in percentage points.
var changePattern = regexp.MustCompile(`^(|持平|[+−]\d+(\.\d)?|[+−]\d+\.\d 个百分点)$`)

var dashboardRowPattern = regexp.MustCompile(`<td data-key="([a-z_]+)">(?:<a [^>]*>)?([^<]*)(?:</a>)?</td>\s*<td data-previous-key="[a-z_]+">([^<]*)</td>\s*<td>([^<]*)</td>`)

type shownFigure struct{ current, previous, change string }

func dashboardRows(t *testing.T, body string) map[string]shownFigure {
	t.Helper()
	rows := map[string]shownFigure{}
	for _, m := range dashboardRowPattern.FindAllStringSubmatch(body, -1) {
		rows[m[1]] = shownFigure{html.UnescapeString(m[2]), html.UnescapeString(m[3]), html.UnescapeString(m[4])}
	}
	if len(rows) == 0 {
		t.Fatalf("no figure rows on the page:\n%s", body)
	}
	return rows
}

// TestDashboardChangesWithoutNoise checks that every month of the demo shows its changes at
// the precision of the figures, on the page, in the report and in the export.
func TestDashboardChangesWithoutNoise(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		h.s.sources = []stats.Source{stats.Portal, stats.Coordination, stats.Service}
		c := h.client("dispatcher")
		for _, month := range []string{"from=2026-07-01&to=2026-07-31", "from=2026-08-01&to=2026-08-31", "from=2026-09-01&to=2026-09-30",
			"from=2026-10-01&to=2026-10-31", "from=2026-11-01&to=2026-11-25"} {
			code, body := h.get(c, "/admin/dashboard?"+month)
			if code != 200 {
				t.Fatalf("%s: status %d", month, code)
			}
			for key, row := range dashboardRows(t, body) {
				if !changePattern.MatchString(row.change) {
					t.Errorf("%s: %s change = %q", month, key, row.change)
				}
			}
			code, body = h.get(c, "/admin/dashboard/report?"+month)
			if code != 200 {
				t.Fatalf("%s report: status %d", month, code)
			}
			for _, m := range regexp.MustCompile(`[+−]\d+\.\d{2,}`).FindAllString(body, -1) {
				t.Errorf("%s report shows %q", month, m)
			}
			code, body = h.get(c, "/admin/dashboard/export.xlsx?"+month)
			if code != 200 {
				t.Fatalf("%s export: status %d", month, code)
			}
			x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
			if err != nil {
				t.Fatal(err)
			}
			rows, err := x.GetRows("统计数字")
			x.Close()
			if err != nil {
				t.Fatal(err)
			}
			for _, r := range rows[2:] {
				if len(r) > 4 && !changePattern.MatchString(r[4]) {
					t.Errorf("%s export: %s change = %q", month, r[1], r[4])
				}
			}
		}
	})
}

// TestDashboardAveragesWithoutData checks that an average over no cases shows "—" and no
// change, and the export writes "—", while a period with cases shows hours.
func TestDashboardAveragesWithoutData(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		h.s.sources = []stats.Source{stats.Portal, stats.Coordination, stats.Service}
		c := h.client("dispatcher")
		// The previous period, 2025-04 to 2026-02, lies before the demo's first case.
		const period = "from=2026-03-01&to=2026-11-25"
		code, body := h.get(c, "/admin/dashboard?"+period)
		if code != 200 {
			t.Fatalf("status %d", code)
		}
		rows := dashboardRows(t, body)
		for _, key := range []string{"avg_hours_to_acknowledge", "avg_hours_to_reply", "avg_hours_to_resolve"} {
			row := rows[key]
			if !regexp.MustCompile(`^\d+(\.\d)?$`).MatchString(row.current) {
				t.Errorf("%s current = %q, want hours", key, row.current)
			}
			if row.previous != "—" {
				t.Errorf("%s previous = %q, want —", key, row.previous)
			}
			if row.change != "" {
				t.Errorf("%s change = %q, want none", key, row.change)
			}
		}
		code, body = h.get(c, "/admin/dashboard/export.xlsx?"+period)
		if code != 200 {
			t.Fatalf("export: status %d", code)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(body)))
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		sheet, _ := x.GetRows("统计数字")
		averages := 0
		for _, r := range sheet {
			if len(r) > 3 && regexp.MustCompile(`^平均.+用时`).MatchString(r[1]) {
				averages++
				if r[3] != "—" {
					t.Errorf("export %s previous = %q, want —", r[1], r[3])
				}
			}
		}
		if averages != 3 {
			t.Errorf("export has %d average rows, want 3", averages)
		}

		code, body = h.get(c, "/admin/service-stats?from=2001-01-01&to=2001-01-31")
		if code != 200 {
			t.Fatalf("service stats: status %d", code)
		}
		if want := "签收 —，答复 —，办结 —"; !regexp.MustCompile(regexp.QuoteMeta(want)).MatchString(body) {
			t.Errorf("empty service stats lack %q:\n%s", want, body)
		}
	})
}

// TestStatsDownloadsRejectBadPeriod checks that the statistics pages and their report and
// downloads answer a wrong period alike: status 400, the back-office layout, the field's
// message and no figures.
func TestStatsDownloadsRejectBadPeriod(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		clients := map[string]*http.Client{"dispatcher": h.client("dispatcher"), "editor": h.client("editor")}
		pages := []struct{ user, path string }{
			{"dispatcher", "/admin/dashboard"},
			{"dispatcher", "/admin/dashboard/report"},
			{"dispatcher", "/admin/dashboard/export.xlsx"},
			{"dispatcher", "/admin/service-stats"},
			{"dispatcher", "/admin/service-stats.xlsx"},
			{"editor", "/admin/portal-stats"},
			{"editor", "/admin/portal-stats/export.xlsx"},
		}
		for _, period := range []struct{ query, message string }{
			{"from=2026-1-1&to=2026-11-30", "请按 2026-10-01 的格式填写开始日期。"},
			{"from=2026-02-30&to=2026-11-30", "开始日期 2026-02-30 不存在，请检查月份和日期。"},
			{"from=2026-11-01&to=2026-11-31", "结束日期 2026-11-31 不存在，请检查月份和日期。"},
			{"from=2026-11-30&to=2026-11-01", "结束日期不能早于开始日期。"},
			{"from=2021-11-25&to=2026-11-25", stats.PeriodTooLongMessage},
		} {
			for _, p := range pages {
				code, body := h.get(clients[p.user], p.path+"?"+period.query)
				if code != 400 {
					t.Errorf("%s?%s: status %d, want 400", p.path, period.query, code)
				}
				if !strings.Contains(body, `<body class="admin"`) {
					t.Errorf("%s?%s: not in the back-office layout:\n%s", p.path, period.query, body)
				}
				if !strings.Contains(body, period.message) {
					t.Errorf("%s?%s lacks %q:\n%s", p.path, period.query, period.message, body)
				}
				if strings.Contains(body, "导出 Excel") || strings.Contains(body, "<table") {
					t.Errorf("%s?%s shows figures or a download for an invalid period", p.path, period.query)
				}
			}
		}
	})
}

// TestStatsPagesAllowFiveYears checks that 统计分析, 服务民生统计 and 宣传统计 all accept a period of
// exactly stats.MaxPeriodYears years.
func TestStatsPagesAllowFiveYears(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		clients := map[string]*http.Client{"dispatcher": h.client("dispatcher"), "editor": h.client("editor")}
		for _, p := range []struct{ user, path string }{
			{"dispatcher", "/admin/dashboard"},
			{"dispatcher", "/admin/service-stats"},
			{"editor", "/admin/portal-stats"},
		} {
			code, body := h.get(clients[p.user], p.path+"?from=2021-11-26&to=2026-11-25")
			if code != http.StatusOK {
				t.Errorf("%s over five years: status %d, want 200", p.path, code)
			}
			if strings.Contains(body, stats.PeriodTooLongMessage) {
				t.Errorf("%s rejects a period of exactly five years", p.path)
			}
		}
	})
}
