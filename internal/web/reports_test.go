package web

import (
	"bytes"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
)

// monthlyFields are the fields the report tests design, in order: section, label, kind,
// required, choices.
var monthlyFields = [][5]string{
	{"矛盾纠纷", "排查矛盾纠纷（件）", "integer", "1", ""},
	{"矛盾纠纷", "调处成功（件）", "integer", "1", ""},
	{"治安", "刑事、治安案件（起）", "integer", "", ""},
	{"安全生产", "隐患整改率（%）", "decimal", "", ""},
	{"", "工作小结", "text", "", ""},
	{"", "总体形势", "choice", "1", "平稳\n基本平稳\n不稳定"},
}

// designMonthlyTemplate creates the monthly template through the designer and returns its id.
func designMonthlyTemplate(t *testing.T, c *coordClient, name string) string {
	t.Helper()
	res := c.post("/admin/reports/templates", url.Values{"name": {name}, "description": {"每月5日前报送上月情况。"}})
	m := regexp.MustCompile(`/admin/reports/templates/(\d+)`).FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create template: status %d to %q", res.status, res.location)
	}
	for _, f := range monthlyFields {
		form := url.Values{"section": {f[0]}, "label": {f[1]}, "kind": {f[2]}, "required": {f[3]}, "choices": {f[4]}}
		if res := c.post("/admin/reports/templates/"+m[1]+"/fields", form); res.status != http.StatusSeeOther {
			t.Fatalf("add field %s: status %d", f[1], res.status)
		}
	}
	return m[1]
}

// reportIDs returns the report of each village for the newest period, from the unit's list.
func ownReportID(t *testing.T, c *coordClient) string {
	t.Helper()
	m := regexp.MustCompile(`/admin/my-reports/(\d+)"`).FindStringSubmatch(c.get("/admin/my-reports").body)
	if m == nil {
		t.Fatal("the unit's report list is empty")
	}
	return m[1]
}

// fieldInputs maps each field label to its input name on a report form.
func fieldInputs(t *testing.T, body string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, m := range regexp.MustCompile(`<label for="(f\d+)">([^<]+)`).FindAllStringSubmatch(body, -1) {
		out[strings.TrimSuffix(m[2], "（必填）")] = m[1]
	}
	if len(out) != len(monthlyFields) {
		t.Fatalf("report form has %d fields, want %d", len(out), len(monthlyFields))
	}
	return out
}

func TestReportRoundTrip(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		center := h.signIn("coordinator")
		tid := designMonthlyTemplate(t, center, "综治工作月报表")
		if res := center.get("/admin/reports/templates/" + tid); res.status != http.StatusOK || !strings.Contains(res.body, "保存字段") {
			t.Fatalf("designer with fields: status %d", res.status)
		}
		res := center.post("/admin/reports/assignments", url.Values{"template_id": {tid}, "title": {"综治工作月报"},
			"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"},
			"org": {idStr(h.orgs["越丰村"]), idStr(h.orgs["高桥村"]), idStr(h.orgs["骑力村"])}})
		m := regexp.MustCompile(`/admin/reports/assignments/(\d+)`).FindStringSubmatch(res.location)
		if res.status != http.StatusSeeOther || m == nil {
			t.Fatalf("assign: status %d: %s", res.status, between(res.body, `error-summary" role="alert">`, "<"))
		}
		aid := m[1]

		values := map[string][6]string{
			"yuefeng": {"12", "11", "2", "95.5", "=SUM(A1:A3) 扶国桥组调解一起土地纠纷", "平稳"},
			"gaoqiao": {"8", "8", "0", "100", "身份证 330483198001011234 已核实", "基本平稳"},
			"qili":    {"5", "4", "1", "87.25", "无", "平稳"},
		}
		ids := map[string]string{}
		for user, v := range values {
			c := h.signIn(user)
			id := ownReportID(t, c)
			ids[user] = id
			inputs := fieldInputs(t, c.get("/admin/my-reports/"+id).body)
			form := url.Values{"action": {"submit"}}
			for i, f := range monthlyFields {
				form.Set(inputs[f[1]], v[i])
			}
			if res := c.post("/admin/my-reports/"+id, form); res.status != http.StatusSeeOther {
				t.Fatalf("%s submits: status %d: %s", user, res.status, between(res.body, `class="field-error" role="alert">`, "<"))
			}
		}
		// Another village's report is not found.
		if res := h.signIn("yuefeng").get("/admin/my-reports/" + ids["gaoqiao"]); res.status != http.StatusNotFound {
			t.Errorf("village opens another village's report: status %d, want 404", res.status)
		}
		if res := h.signIn("yuefeng").get("/admin/reports/submissions/" + ids["gaoqiao"]); res.status != http.StatusForbidden {
			t.Errorf("village opens the review page: status %d, want 403", res.status)
		}

		// The center returns qili's report, and qili corrects and resubmits it.
		if res := center.post("/admin/reports/submissions/"+ids["qili"]+"/return", url.Values{"reason": {""}}); res.status != http.StatusUnprocessableEntity {
			t.Errorf("return without a reason: status %d, want 422", res.status)
		}
		if res := center.post("/admin/reports/submissions/"+ids["qili"]+"/return", url.Values{"reason": {"调处成功数不应少于排查数的八成，请核实。"}}); res.status != http.StatusSeeOther {
			t.Fatalf("return: status %d", res.status)
		}
		qili := h.signIn("qili")
		page := qili.get("/admin/my-reports/" + ids["qili"])
		mustContain(t, "returned report", page.body, "请核实", `data-status="returned"`)
		inputs := fieldInputs(t, page.body)
		form := url.Values{"action": {"submit"}}
		for i, f := range monthlyFields {
			form.Set(inputs[f[1]], values["qili"][i])
		}
		form.Set(inputs["调处成功（件）"], "5")
		if res := qili.post("/admin/my-reports/"+ids["qili"], form); res.status != http.StatusSeeOther {
			t.Fatalf("resubmit: status %d", res.status)
		}
		center.post("/admin/reports/submissions/"+ids["yuefeng"]+"/accept", nil)

		dash := center.get("/admin/reports/assignments/" + aid)
		mustContain(t, "period dashboard", dash.body, `data-received>3<`, `data-returned>0<`)

		agg := center.get("/admin/reports/assignments/" + aid + "/aggregate")
		total := between(agg.body, `data-row="合计">`, "</tr>")
		for _, want := range []string{`data-field="排查矛盾纠纷（件）">25<`, `data-field="调处成功（件）">24<`,
			`data-field="刑事、治安案件（起）">3<`, `data-field="隐患整改率（%）">282.75<`} {
			if !strings.Contains(total, want) {
				t.Errorf("total row lacks %s: %s", want, total)
			}
		}

		res = center.get("/admin/reports/assignments/" + aid + "/export.xlsx")
		if res.status != http.StatusOK {
			t.Fatalf("export: status %d", res.status)
		}
		x, err := excelize.OpenReader(bytes.NewReader([]byte(res.body)))
		if err != nil {
			t.Fatal(err)
		}
		sheets := x.GetSheetList()
		rows, _ := x.GetRows(sheets[0])
		last := rows[len(rows)-1]
		if got := strings.Join(last, "|"); got != "合计||3|25|24|3|282.75" {
			t.Errorf("exported total row = %q", got)
		}
		detail, _ := x.GetRows("明细")
		found := false
		for _, row := range detail {
			if strings.Join(row, "|") != "" && strings.Contains(strings.Join(row, "|"), "=SUM(A1:A3) 扶国桥组调解一起土地纠纷") {
				found = true
			}
		}
		if !found {
			t.Errorf("detail sheet lacks the text typed as a formula: %v", detail)
		}
		cell, _ := x.GetCellFormula("明细", "J2")
		if cell != "" {
			t.Errorf("detail cell J2 has a formula %q", cell)
		}
	})
}

func TestReportValidationKeepsTypedValues(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	center := h.signIn("coordinator")
	tid := designMonthlyTemplate(t, center, "月报")
	res := center.post("/admin/reports/assignments", url.Values{"template_id": {tid}, "title": {"月报"},
		"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"}, "kind_all": {"village"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("assign: status %d", res.status)
	}
	c := h.signIn("nanri")
	id := ownReportID(t, c)
	inputs := fieldInputs(t, c.get("/admin/my-reports/"+id).body)
	form := url.Values{"action": {"submit"}, inputs["排查矛盾纠纷（件）"]: {"十二"}, inputs["隐患整改率（%）"]: {"1.23456"}}
	res = c.post("/admin/my-reports/"+id, form)
	if res.status != http.StatusUnprocessableEntity {
		t.Fatalf("invalid submit: status %d", res.status)
	}
	mustContain(t, "invalid form", res.body, "应填写整数", "最多保留 4 位小数", "请填写“调处成功（件）”", `value="十二"`)
	var n int
	h.db.SQL().QueryRow(`SELECT COUNT(*) FROM report_values`).Scan(&n)
	if n != 0 {
		t.Errorf("%d values stored after a rejected submit", n)
	}
	// Full-width digits from a Chinese input method are accepted as a draft.
	form = url.Values{"action": {"save"}, inputs["排查矛盾纠纷（件）"]: {"１２"}}
	if res := c.post("/admin/my-reports/"+id, form); res.status != http.StatusSeeOther {
		t.Errorf("save draft: status %d", res.status)
	}
	if body := c.get("/admin/my-reports/" + id).body; !strings.Contains(body, `value="12"`) {
		t.Error("draft does not show the normalized value 12")
	}
	if res := center.post("/admin/reports/templates/"+tid+"/fields", url.Values{"label": {"新字段"}, "kind": {"integer"}}); res.status != http.StatusSeeOther {
		t.Errorf("add field to a used template: status %d, want a redirect with a message", res.status)
	}
	fields := 0
	h.db.SQL().QueryRow(`SELECT COUNT(*) FROM report_fields WHERE template_id = ` + tid).Scan(&fields)
	if fields != len(monthlyFields) {
		t.Errorf("used template has %d fields, want %d", fields, len(monthlyFields))
	}
}

func TestOfflineFormRoundTrip(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	center := h.signIn("coordinator")
	tid := designMonthlyTemplate(t, center, "综治工作月报表：高桥镇各村（社区）[试行]版本二")
	center.post("/admin/reports/assignments", url.Values{"template_id": {tid}, "title": {"月报"},
		"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"}, "kind_all": {"village"}})
	c := h.signIn("yuefeng")
	id := ownReportID(t, c)
	res := c.get("/admin/my-reports/" + id + "/form.xlsx")
	if res.status != http.StatusOK {
		t.Fatalf("download form: status %d", res.status)
	}
	x, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	sheet := x.GetSheetList()[0]
	if n := len([]rune(sheet)); n > 31 || strings.ContainsAny(sheet, `:\/?*[]`) {
		t.Errorf("sheet name %q is not valid in Excel", sheet)
	}
	fill := []any{12, 11, 2, 95.5, "已完成", "平稳"}
	for i := range monthlyFields {
		x.SetCellValue(sheet, fmt.Sprintf("G%d", i+4), fill[i])
	}
	var buf bytes.Buffer
	x.Write(&buf)
	res = c.postMultipart("/admin/my-reports/"+id+"/upload", nil, coordUpload{"file", "月报.xlsx", buf.Bytes()})
	if res.status != http.StatusSeeOther {
		t.Fatalf("upload: status %d: %s", res.status, between(res.body, `role="alert">`, "<"))
	}
	page := c.get("/admin/my-reports/" + id)
	for _, want := range []string{`value="12"`, `value="95.5"`, `>已完成</textarea>`, `<option selected>平稳</option>`} {
		if !strings.Contains(page.body, want) {
			t.Errorf("form after upload lacks %s", want)
		}
	}
	// The form downloaded again carries the stored values as they were typed.
	again, err := excelize.OpenReader(strings.NewReader(c.get("/admin/my-reports/" + id + "/form.xlsx").body))
	if err != nil {
		t.Fatal(err)
	}
	for cell, want := range map[string]string{"G4": "12", "G7": "95.5", "G8": "已完成", "G9": "平稳", "C4": "排查矛盾纠纷（件）"} {
		if got, _ := again.GetCellValue(sheet, cell); got != want {
			t.Errorf("downloaded form %s = %q, want %q", cell, got, want)
		}
	}
	// Another report's form is refused.
	other := h.signIn("gaoqiao")
	otherID := ownReportID(t, other)
	res = other.postMultipart("/admin/my-reports/"+otherID+"/upload", nil, coordUpload{"file", "月报.xlsx", buf.Bytes()})
	if res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "不是本期报表的离线表格") {
		t.Errorf("upload another report's form: status %d", res.status)
	}
	_ = strconv.Itoa
}

func TestReportTextLimitAgrees(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		center := h.signIn("coordinator")
		tid := designMonthlyTemplate(t, center, "月报")
		res := center.post("/admin/reports/assignments", url.Values{"template_id": {tid}, "title": {"月报"},
			"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"}, "kind_all": {"village"}})
		if res.status != http.StatusSeeOther {
			t.Fatalf("assign: status %d", res.status)
		}
		c := h.signIn("nanri")
		id := ownReportID(t, c)
		page := c.get("/admin/my-reports/" + id).body
		inputs := fieldInputs(t, page)
		limit := strconv.Itoa(domain.MaxTextValue)
		mustContain(t, "text field", page, `maxlength="`+limit+`"`, limit+" 字以内")

		form := url.Values{"action": {"save"}, inputs["工作小结"]: {strings.Repeat("稳", domain.MaxTextValue+1)}}
		res = c.post("/admin/my-reports/"+id, form)
		if res.status != http.StatusUnprocessableEntity {
			t.Fatalf("over-long summary: status %d, want 422", res.status)
		}
		mustContain(t, "over-long summary", res.body, "不能超过 "+limit+" 个字符")

		form.Set(inputs["工作小结"], strings.Repeat("稳", domain.MaxTextValue))
		if res := c.post("/admin/my-reports/"+id, form); res.status != http.StatusSeeOther {
			t.Errorf("summary at the limit: status %d, want 303", res.status)
		}
	})
}
