package web

import (
	"bytes"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pingan/internal/store/storetest"
)

// assignCountReport designs a template with a total and a part field, assigns it monthly to the
// villages and returns nanri's report id with the input names of both fields.
func assignCountReport(t *testing.T, h *coordHarness) (c *coordClient, id, total, part string) {
	t.Helper()
	center := h.signIn("coordinator")
	res := center.post("/admin/reports/templates", url.Values{"name": {"纠纷月报"}, "description": {"每月5日前报送。"}})
	m := regexp.MustCompile(`/admin/reports/templates/(\d+)`).FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create template: status %d", res.status)
	}
	for _, label := range []string{"调处成功（件）", "其中在村（社区）化解（件）"} {
		form := url.Values{"section": {"矛盾纠纷"}, "label": {label}, "kind": {"integer"}, "required": {"1"}}
		if res := center.post("/admin/reports/templates/"+m[1]+"/fields", form); res.status != http.StatusSeeOther {
			t.Fatalf("add field %s: status %d", label, res.status)
		}
	}
	res = center.post("/admin/reports/assignments", url.Values{"template_id": {m[1]}, "title": {"纠纷月报"},
		"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"}, "kind_all": {"village"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("assign: status %d", res.status)
	}
	c = h.signIn("nanri")
	id = ownReportID(t, c)
	inputs := map[string]string{}
	for _, m := range regexp.MustCompile(`<label for="(f\d+)">([^<]+)`).FindAllStringSubmatch(c.get("/admin/my-reports/"+id).body, -1) {
		inputs[strings.TrimSuffix(m[2], "（必填）")] = m[1]
	}
	total, part = inputs["调处成功（件）"], inputs["其中在村（社区）化解（件）"]
	if total == "" || part == "" {
		t.Fatalf("report form inputs: %v", inputs)
	}
	return c, id, total, part
}

func TestReportCountsNotNegative(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			h := newCoordHarness(t, dialect)
			c, id, total, part := assignCountReport(t, h)
			stored := func() int {
				var n int
				if err := h.db.SQL().QueryRow(`SELECT COUNT(*) FROM report_values WHERE submission_id = ` + id).Scan(&n); err != nil {
					t.Fatal(err)
				}
				return n
			}
			status := func() string {
				var s string
				if err := h.db.SQL().QueryRow(`SELECT status FROM report_submissions WHERE id = ` + id).Scan(&s); err != nil {
					t.Fatal(err)
				}
				return s
			}

			res := c.post("/admin/my-reports/"+id, url.Values{"action": {"submit"}, total: {"-5"}, part: {"0"}})
			if res.status != http.StatusUnprocessableEntity {
				t.Errorf("submit -5: status %d, want 422", res.status)
			}
			mustContain(t, "submit -5", res.body, "“调处成功（件）”不能为负数")
			res = c.post("/admin/my-reports/"+id, url.Values{"action": {"save"}, total: {"3"}, part: {"-3"}})
			if res.status != http.StatusUnprocessableEntity {
				t.Errorf("draft -3: status %d, want 422", res.status)
			}
			mustContain(t, "draft -3", res.body, "“其中在村（社区）化解（件）”不能为负数")
			if n := stored(); n != 0 {
				t.Errorf("%d values stored after negative counts", n)
			}

			res = c.post("/admin/my-reports/"+id, url.Values{"action": {"submit"}, total: {"3"}, part: {"9"}})
			if res.status != http.StatusUnprocessableEntity {
				t.Errorf("submit part 9 of 3: status %d, want 422", res.status)
			}
			mustContain(t, "submit part 9 of 3", res.body, "“其中在村（社区）化解（件）”（9）不能大于“调处成功（件）”（3）。")
			if n, s := stored(), status(); n != 0 || s != "pending" {
				t.Errorf("after a rejected submit: %d values stored, status %s", n, s)
			}

			// A draft keeps the part above its total and the form shows why it cannot be submitted.
			if res := c.post("/admin/my-reports/"+id, url.Values{"action": {"save"}, total: {"3"}, part: {"9"}}); res.status != http.StatusSeeOther {
				t.Fatalf("draft part 9 of 3: status %d, want 303", res.status)
			}
			mustContain(t, "draft page", c.get("/admin/my-reports/"+id).body, "（9）不能大于“调处成功（件）”（3）", `value="9"`)

			if res := c.post("/admin/my-reports/"+id, url.Values{"action": {"submit"}, total: {"3"}, part: {"3"}}); res.status != http.StatusSeeOther {
				t.Fatalf("submit part 3 of 3: status %d, want 303", res.status)
			}
			if s := status(); s != "submitted" {
				t.Errorf("status after a valid submit = %s", s)
			}
		})
	}
}

func TestOfflineFormRejectsNegativeCount(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			h := newCoordHarness(t, dialect)
			c, id, _, _ := assignCountReport(t, h)
			res := c.get("/admin/my-reports/" + id + "/form.xlsx")
			if res.status != http.StatusOK {
				t.Fatalf("download form: status %d", res.status)
			}
			x, err := excelize.OpenReader(strings.NewReader(res.body))
			if err != nil {
				t.Fatal(err)
			}
			sheet := x.GetSheetList()[0]
			if label, _ := x.GetCellValue(sheet, "C4"); label != "调处成功（件）" {
				t.Fatalf("form row 4 is %q", label)
			}
			x.SetCellValue(sheet, "G4", -5)
			x.SetCellValue(sheet, "G5", 0)
			var buf bytes.Buffer
			if err := x.Write(&buf); err != nil {
				t.Fatal(err)
			}
			res = c.postMultipart("/admin/my-reports/"+id+"/upload", nil, coordUpload{"file", "月报.xlsx", buf.Bytes()})
			if res.status != http.StatusUnprocessableEntity {
				t.Errorf("upload -5: status %d, want 422", res.status)
			}
			mustContain(t, "upload -5", res.body, "“调处成功（件）”不能为负数")
			var n int
			if err := h.db.SQL().QueryRow(`SELECT COUNT(*) FROM report_values WHERE submission_id = ` + id).Scan(&n); err != nil {
				t.Fatal(err)
			}
			if n != 0 {
				t.Errorf("%d values stored from a rejected upload", n)
			}
		})
	}
}
