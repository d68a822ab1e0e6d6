package web

import (
	"net/http"
	"strings"
	"testing"
)

// TestListFiltersRejectBadInput checks that the filters the dashboard's links set answer bad
// values with 400 and a Chinese message naming the filter, and that good values show the
// active filters above the list with a total.
func TestListFiltersRejectBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		editor, dispatcher, coordinator := h.signIn("editor"), h.signIn("dispatcher"), h.signIn("coordinator")
		bad := []struct {
			c    *client
			path string
			want string
		}{
			{editor, "/admin/articles?source=rumor", "来源应为"},
			{editor, "/admin/articles?contributor=-3", "供稿单位编号"},
			{editor, "/admin/articles?by=edited", "日期类型"},
			{editor, "/admin/articles?from=2026-02-30", "开始日期 2026-02-30 不存在，请检查月份和日期。"},
			{editor, "/admin/articles?from=2026-06-05&to=2026-06-01", "结束日期不能早于开始日期"},
			{dispatcher, "/admin/cases?counted=rating", "统计口径"},
			{dispatcher, "/admin/cases?reached=closed", "办理环节"},
			{dispatcher, "/admin/cases?solved=yes", "已解决"},
			{dispatcher, "/admin/board?status=all&kind=praise", "留言类别"},
			{dispatcher, "/admin/board?status=all&to=12/04", "请按 2026-10-01 的格式填写结束日期。"},
			{dispatcher, "/admin/board?status=all&overdue=1", "unanswered=1"},
			{dispatcher, "/admin/board?status=all&unanswered=1&overdue=2", "超过答复时限"},
			{coordinator, "/admin/notices/sent?from=yesterday", "请按 2026-10-01 的格式填写开始日期。"},
			{coordinator, "/admin/info-reports?status=lost", "状态应为"},
			{coordinator, "/admin/info-reports?to=2026-1-1", "请按 2026-10-01 的格式填写结束日期。"},
			{coordinator, "/admin/inquiries?from=2026-13-01", "开始日期 2026-13-01 不存在，请检查月份和日期。"},
			{dispatcher, "/admin/cases?from=2026-12-05&to=2026-01-01", "结束日期不能早于开始日期。"},
			{dispatcher, "/admin/cases?channel=bogus", "渠道筛选有误"},
			{dispatcher, "/admin/cases?state=bogus", "状态筛选有误"},
			{dispatcher, "/admin/cases?category=bogus", "类别筛选有误"},
			{dispatcher, "/admin/cases?page=abc", "页码应为"},
			{dispatcher, "/admin/cases?unit=abc", "主办单位编号应为正整数。"},
			{dispatcher, "/admin/coordination?state=bogus", "状态筛选有误"},
			{dispatcher, "/admin/coordination?page=abc", "页码应为"},
			{dispatcher, "/admin/board?status=bogus", "状态应为 all"},
			{dispatcher, "/admin/board?status=all&page=0", "页码应为"},
			{editor, "/admin/articles?status=bogus", "状态筛选有误"},
			{editor, "/admin/articles?page=abc", "页码应为"},
			{coordinator, "/admin/notices/sent?page=-1", "页码应为"},
			{coordinator, "/admin/info-reports?category=bogus", "类别筛选有误"},
			{coordinator, "/admin/info-reports?from=2026-12-05&to=2026-01-01", "结束日期不能早于开始日期。"},
			{coordinator, "/admin/inquiries?status=bogus", "状态应为 open"},
			{coordinator, "/admin/inquiries?page=abc", "页码应为"},
		}
		for _, b := range bad {
			res := b.c.get(b.path)
			if res.StatusCode != http.StatusBadRequest {
				t.Errorf("%s: status %d, want 400", b.path, res.StatusCode)
			}
			if !strings.Contains(res.body, b.want) {
				t.Errorf("%s: the page does not say %q", b.path, b.want)
			}
		}

		good := []struct {
			c     *client
			path  string
			shown string
		}{
			{editor, "/admin/articles?status=published&source=not_original&from=2026-06-05&to=2026-12-04", "来源：转载和村（社区）供稿"},
			{editor, "/admin/articles?contributor=" + itoa(h.orgs["越丰村"]) + "&by=submitted&from=2026-06-05", "供稿单位 越丰村"},
			{dispatcher, "/admin/cases?solved=1&from=2026-06-05&to=2026-12-04", "已解决（按解决结案，或已办结待结案）"},
			{dispatcher, "/admin/cases?counted=reply&to=2026-12-04", "计入按时答复率的工单"},
			{dispatcher, "/admin/board?status=all&kind=help&from=2026-06-05", "类别 求助"},
			{dispatcher, "/admin/board?status=all&unanswered=1&overdue=1&to=2026-12-04", "超过答复时限"},
			{coordinator, "/admin/notices/sent?from=2026-06-05&to=2026-12-04", "下发日期自 2026-06-05"},
			{coordinator, "/admin/info-reports?status=adopted&from=2026-06-05", "上报日期自 2026-06-05"},
			{coordinator, "/admin/inquiries?to=2026-12-04", "询问日期至 2026-12-04"},
		}
		for _, g := range good {
			res := g.c.get(g.path)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s: status %d", g.path, res.StatusCode)
				continue
			}
			if !strings.Contains(res.body, g.shown) {
				t.Errorf("%s: the page does not show the filter %q", g.path, g.shown)
			}
			if !strings.Contains(res.body, `data-total="0"`) {
				t.Errorf("%s: the empty list shows no total", g.path)
			}
		}
	})
}
