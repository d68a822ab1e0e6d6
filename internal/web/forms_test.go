package web

import (
	"bytes"
	"context"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// TestBackOfficeFormsRejectBadInput posts wrong input to every back-office form and checks for a
// 4xx with a Chinese message and that nothing changed.
func TestBackOfficeFormsRejectBadInput(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		village := idOf(h.orgs["越丰村"])
		long61 := strings.Repeat("镇", 61)
		cases := []struct {
			name, user, path string
			form             url.Values
			want             string // part of the message
		}{
			{"org without name", "sysadmin", "/admin/orgs", url.Values{"parent_id": {village}, "kind": {"grid"}, "name": {"  "}}, "请填写名称"},
			{"org name of 61 characters", "sysadmin", "/admin/orgs", url.Values{"parent_id": {village}, "kind": {"grid"}, "name": {long61}}, "不能超过60个字符"},
			{"org of unknown kind", "sysadmin", "/admin/orgs", url.Values{"parent_id": {village}, "kind": {"castle"}, "name": {"城堡"}}, "请选择组织类型"},
			{"town under a village", "sysadmin", "/admin/orgs", url.Values{"parent_id": {village}, "kind": {"town"}, "name": {"错层"}}, "不能设"},
			{"org with text as order", "sysadmin", "/admin/orgs", url.Values{"parent_id": {village}, "kind": {"grid"}, "name": {"网格"}, "sort_order": {"abc"}}, "排序号"},
			{"org with a sibling's name", "sysadmin", "/admin/orgs", url.Values{"parent_id": {idOf(h.orgs["高桥镇"])}, "kind": {"village"}, "name": {"越丰村"}}, "同名"},
			{"account with bad username", "sysadmin", "/admin/accounts", url.Values{"username": {"张三"}, "display_name": {"张三"}, "org_id": {village}}, "用户名"},
			{"account with bad phone", "sysadmin", "/admin/accounts", url.Values{"username": {"zhangsan"}, "display_name": {"张三"}, "org_id": {village}, "phone": {"12345"}}, "手机号码"},
			{"account without organization", "sysadmin", "/admin/accounts", url.Values{"username": {"zhangsan"}, "display_name": {"张三"}}, "所属组织"},
			{"account taken username", "sysadmin", "/admin/accounts", url.Values{"username": {"editor"}, "display_name": {"重名"}, "org_id": {village}}, "已被占用"},
			{"account of another town's org", "sysadmin", "/admin/accounts", url.Values{"username": {"zhangsan"}, "display_name": {"张三"}, "org_id": {idOf(h.otherOrg)}}, "所属组织"},
			{"settings without site name", "sysadmin", "/admin/settings", url.Values{"site_name": {""}}, "站点名称"},
			{"settings with 41-character name", "sysadmin", "/admin/settings", url.Values{"site_name": {strings.Repeat("平", 41)}}, "不能超过40个字符"},
			{"policy out of range", "secadmin", "/admin/security", url.Values{"min_password_length": {"4"}, "password_max_age_days": {"90"}, "max_failed_attempts": {"5"}, "lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}}, "密码最短长度"},
			{"policy not a number", "secadmin", "/admin/security", url.Values{"min_password_length": {"十"}}, "应在"},
			{"two admin roles", "secadmin", "/admin/roles/" + idOf(h.accounts["target"]), url.Values{"role": {"system_admin", "audit_admin"}}, "三者必须分设"},
			{"admin with working role", "secadmin", "/admin/roles/" + idOf(h.accounts["target"]), url.Values{"role": {"audit_admin", "editor"}}, "业务角色"},
			{"unknown role", "secadmin", "/admin/roles/" + idOf(h.accounts["target"]), url.Values{"role": {"king"}}, "未知的角色"},
			{"own roles", "secadmin", "/admin/roles/" + idOf(h.accounts["secadmin"]), url.Values{"role": {"editor"}}, "不能修改自己的角色"},
		}
		orgsBefore, _ := h.db.CountOrgs(ctx, h.town)
		_, accountsBefore, _ := h.db.ListAccounts(ctx, h.town, store.AccountFilter{})
		for _, c := range cases {
			res := h.signIn(c.user).post(c.path, c.form)
			if res.StatusCode < 400 || res.StatusCode >= 500 {
				t.Errorf("%s: status %d, want 4xx", c.name, res.StatusCode)
			}
			if !strings.Contains(res.body, c.want) {
				t.Errorf("%s: page does not contain %q", c.name, c.want)
			}
		}
		orgsAfter, _ := h.db.CountOrgs(ctx, h.town)
		_, accountsAfter, _ := h.db.ListAccounts(ctx, h.town, store.AccountFilter{})
		if orgsAfter != orgsBefore || accountsAfter != accountsBefore {
			t.Errorf("rejected forms stored rows: orgs %d→%d, accounts %d→%d", orgsBefore, orgsAfter, accountsBefore, accountsAfter)
		}
		site, _ := h.db.SiteSettings(ctx, h.town.TownID)
		if site.SiteName != "平安网" {
			t.Errorf("site name = %q after rejected posts", site.SiteName)
		}
		target, _ := h.db.GetAccount(ctx, h.town, h.accounts["target"])
		if len(target.Roles) != 1 || target.Roles[0] != domain.RoleReporter {
			t.Errorf("target roles = %v after rejected posts", target.Roles)
		}
	})
}

func TestListPagesSurviveOddPageNumbers(t *testing.T) {
	h := newHarness(t, "sqlite")
	admin, audit := h.signIn("sysadmin"), h.signIn("auditadmin")
	for _, p := range []string{"-1", "0", "abc", "999999", "99999999999999999999"} {
		if res := admin.get("/admin/accounts?page=" + url.QueryEscape(p)); res.StatusCode != http.StatusOK {
			t.Errorf("accounts page=%s: status %d", p, res.StatusCode)
		}
		if res := audit.get("/admin/audit?page=" + url.QueryEscape(p)); res.StatusCode != http.StatusOK {
			t.Errorf("audit page=%s: status %d", p, res.StatusCode)
		}
	}
	if res := audit.get("/admin/audit?from=2026-13-45"); res.StatusCode != http.StatusBadRequest || !strings.Contains(res.body, "开始日期") {
		t.Errorf("bad audit date: status %d", res.StatusCode)
	}
	if res := admin.get("/admin/orgs/abc/edit"); res.StatusCode != http.StatusNotFound {
		t.Errorf("non-numeric id: status %d, want 404", res.StatusCode)
	}
}

func importWorkbook(t *testing.T, orgs, accounts [][]any) *bytes.Buffer {
	t.Helper()
	x := excelize.NewFile()
	x.SetSheetName("Sheet1", importSheetOrgs)
	x.NewSheet(importSheetAccounts)
	header := func(sheet string, h []string) {
		row := make([]any, len(h))
		for i, v := range h {
			row[i] = v
		}
		x.SetSheetRow(sheet, "A1", &row)
	}
	header(importSheetOrgs, importOrgHeader)
	header(importSheetAccounts, importAccountHeader)
	for i, r := range orgs {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(importSheetOrgs, cell, &r)
	}
	for i, r := range accounts {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		x.SetSheetRow(importSheetAccounts, cell, &r)
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return &buf
}

func uploadImport(t *testing.T, c *client, name string, data []byte) response {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	fw, _ := mw.CreateFormFile("file", name)
	fw.Write(data)
	mw.Close()
	return c.postMultipart("/admin/import", mw.FormDataContentType(), &body)
}

func TestImportOrgsAndAccounts(t *testing.T) {
	forEachDB(t, func(t *testing.T, h *harness) {
		ctx := context.Background()
		c := h.signIn("sysadmin")
		orgsBefore, _ := h.db.CountOrgs(ctx, h.town)

		// One bad row anywhere means nothing is stored.
		bad := importWorkbook(t,
			[][]any{{"南日村", "村（社区）", "高桥镇", "", 10, ""}, {"南日村第一网格", "网格", "南日村", "", 1, ""}},
			[][]any{{"nanri", "南日村信息员", "南日村", "13800002222"}, {"BAD NAME", "坏用户名", "南日村", ""}, {"lost", "迷路", "不存在的村", ""}})
		res := uploadImport(t, c, "导入.xlsx", bad.Bytes())
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(res.body, "账号表第 3 行") || !strings.Contains(res.body, "不存在的村") {
			t.Fatalf("bad import: status %d; want 422 naming the rows", res.StatusCode)
		}
		if n, _ := h.db.CountOrgs(ctx, h.town); n != orgsBefore {
			t.Errorf("bad import stored organizations: %d → %d", orgsBefore, n)
		}

		good := importWorkbook(t,
			[][]any{{"南日村", "village", "高桥镇", "NR", 10, ""}, {"南日村第一网格", "网格", "南日村", "", 1, ""}},
			[][]any{{"nanri", "南日村信息员", "南日村", "13800002222"}, {"nanrigrid", "南日网格员", "南日村第一网格", ""}})
		res = uploadImport(t, c, "导入.xlsx", good.Bytes())
		if res.StatusCode != http.StatusOK || !strings.Contains(res.body, "导入成功") {
			t.Fatalf("good import: status %d: %s", res.StatusCode, res.body)
		}
		if n, _ := h.db.CountOrgs(ctx, h.town); n != orgsBefore+2 {
			t.Errorf("organizations %d, want %d", n, orgsBefore+2)
		}
		cred, err := h.db.CredentialsByUsername(ctx, "nanri")
		if err != nil || !cred.Account.MustChangePassword || cred.Account.Phone != "13800002222" {
			t.Errorf("imported account = %+v, err %v", cred.Account, err)
		}

		if res := uploadImport(t, c, "伪装.xlsx", []byte("this is not a workbook")); res.StatusCode != http.StatusUnprocessableEntity {
			t.Errorf("non-xlsx file: status %d, want 422", res.StatusCode)
		}
	})
}

func TestAuditExportOpensAsWorkbook(t *testing.T) {
	h := newHarness(t, "sqlite")
	// A detail that looks like a formula must stay text.
	h.db.AppendAudit(context.Background(), store.AuditFor(h.town, "org.update", "org", 1, domain.OutcomeSuccess, "=1+1"))
	res := h.signIn("auditadmin").get("/admin/audit/export.xlsx")
	if res.StatusCode != http.StatusOK || !strings.Contains(res.Header.Get("Content-Disposition"), "filename*=UTF-8''%E5%AE%A1%E8%AE%A1") {
		t.Fatalf("export: status %d, disposition %q", res.StatusCode, res.Header.Get("Content-Disposition"))
	}
	x, err := excelize.OpenReader(strings.NewReader(res.body))
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := x.GetRows("审计日志")
	found := false
	for _, r := range rows {
		for i, v := range r {
			if v == "=1+1" {
				found = true
				if f, _ := x.GetCellFormula("审计日志", zeroBasedCell(i, rowIndex(rows, r))); f != "" {
					t.Errorf("detail became a formula %q", f)
				}
			}
		}
	}
	if !found {
		t.Error("exported workbook lacks the detail text")
	}
}

func rowIndex(rows [][]string, r []string) int {
	for i := range rows {
		if &rows[i][0] == &r[0] {
			return i
		}
	}
	return 0
}

func zeroBasedCell(col, row int) string {
	n, _ := excelize.CoordinatesToCellName(col+1, row+1)
	return n
}
