package web

import (
	"bytes"
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
)

const (
	importSheetOrgs     = "组织"
	importSheetAccounts = "账号"
	maxImportBytes      = 5 << 20
	maxImportRows       = 5000
)

var importOrgHeader = []string{"名称", "类型", "上级组织", "编码", "排序号", "联系方式"}
var importAccountHeader = []string{"用户名", "姓名", "所属组织", "手机号码"}

type importPage struct {
	Page
	Problems []string
	Issued   []issuedPassword
	OrgCount int
}

type issuedPassword struct {
	Username, DisplayName, OrgName, Password string
}

func (s *Server) importForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/import", &importPage{Page: Page{Title: "批量导入组织和账号"}})
}

// importTemplate sends the blank workbook with the two sheets and an example row each.
func (s *Server) importTemplate(w http.ResponseWriter, r *http.Request) error {
	x := excelize.NewFile()
	defer x.Close()
	x.SetSheetName("Sheet1", importSheetOrgs)
	x.NewSheet(importSheetAccounts)
	x.SetSheetRow(importSheetOrgs, "A1", &importOrgHeader)
	x.SetSheetRow(importSheetOrgs, "A2", &[]any{"示例村", "村（社区）", "（填写上级组织名称，如本镇名称）", "", 100, ""})
	x.SetSheetRow(importSheetAccounts, "A1", &importAccountHeader)
	x.SetSheetRow(importSheetAccounts, "A2", &[]any{"zhangsan", "张三", "示例村", "13800000000"})
	x.SetColWidth(importSheetOrgs, "A", "F", 20)
	x.SetColWidth(importSheetAccounts, "A", "D", 20)
	setAttachment(w, "组织和账号导入模板.xlsx")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}

func (s *Server) importUpload(w http.ResponseWriter, r *http.Request) error {
	data := &importPage{Page: Page{Title: "批量导入组织和账号"}}
	reject := func(status int, msg string) error {
		data.Message = msg
		return s.render(w, r, status, "admin/import", data)
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxImportBytes+64<<10)
	f, _, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			return reject(http.StatusRequestEntityTooLarge, "文件不能超过 5 MB。")
		}
		return reject(http.StatusUnprocessableEntity, "请选择要导入的 .xlsx 文件。")
	}
	defer f.Close()
	raw, err := io.ReadAll(io.LimitReader(f, maxImportBytes+1))
	if err != nil || len(raw) > maxImportBytes {
		return reject(http.StatusRequestEntityTooLarge, "文件不能超过 5 MB。")
	}
	x, err := excelize.OpenReader(bytes.NewReader(raw))
	if err != nil {
		return reject(http.StatusUnprocessableEntity, "无法读取该文件，请使用导入模板另存为 .xlsx 格式后再上传。")
	}
	defer x.Close()

	orgRows, _ := x.GetRows(importSheetOrgs)
	accountRows, _ := x.GetRows(importSheetAccounts)
	if len(orgRows) == 0 && len(accountRows) == 0 {
		return reject(http.StatusUnprocessableEntity, "文件中没有“组织”或“账号”工作表，请使用导入模板。")
	}
	if len(orgRows)+len(accountRows) > maxImportRows {
		return reject(http.StatusUnprocessableEntity, "一次最多导入 "+strconv.Itoa(maxImportRows)+" 行，请分批导入。")
	}
	var problems []string
	var orgs []store.ImportOrg
	for i, row := range orgRows {
		if i == 0 || blankRow(row) {
			continue
		}
		kind, ok := domain.ParseOrgKind(cell(row, 1))
		if !ok {
			problems = append(problems, "组织表第 "+strconv.Itoa(i+1)+" 行：类型“"+cell(row, 1)+"”不正确。")
			continue
		}
		sort := 0
		if v := cell(row, 4); v != "" {
			n, err := strconv.Atoi(v)
			if err != nil {
				problems = append(problems, "组织表第 "+strconv.Itoa(i+1)+" 行：排序号应为整数。")
				continue
			}
			sort = n
		}
		orgs = append(orgs, store.ImportOrg{Row: i + 1, ParentName: cell(row, 2),
			Org: domain.Org{Kind: kind, Name: cell(row, 0), Code: cell(row, 3), SortOrder: sort, Contact: cell(row, 5)}})
	}
	var accounts []store.ImportAccount
	for i, row := range accountRows {
		if i == 0 || blankRow(row) {
			continue
		}
		pw := password.Generate(14)
		hash, err := s.hasher.Hash(r.Context(), pw)
		if err != nil {
			return err
		}
		a := domain.Account{Username: strings.ToLower(cell(row, 0)), DisplayName: cell(row, 1), Phone: cell(row, 3), MustChangePassword: true}
		accounts = append(accounts, store.ImportAccount{Row: i + 1, Account: a, OrgName: cell(row, 2), PasswordHash: hash})
		data.Issued = append(data.Issued, issuedPassword{Username: a.Username, DisplayName: a.DisplayName, OrgName: cell(row, 2), Password: pw})
	}
	if len(problems) > 0 {
		data.Problems, data.Issued = problems, nil
		return reject(http.StatusUnprocessableEntity, "导入文件有误，没有导入任何内容。请按下列提示修改后重新上传。")
	}
	if len(orgs) == 0 && len(accounts) == 0 {
		return reject(http.StatusUnprocessableEntity, "文件中没有可导入的数据行。")
	}
	nOrgs, _, err := s.db.Import(r.Context(), s.actor(r), orgs, accounts)
	var ie *store.ImportError
	if errors.As(err, &ie) {
		data.Problems, data.Issued = ie.Rows, nil
		return reject(http.StatusUnprocessableEntity, "导入文件有误，没有导入任何内容。请按下列提示修改后重新上传。")
	}
	if err != nil {
		return err
	}
	data.OrgCount = nOrgs
	data.Flash = "导入成功：组织 " + strconv.Itoa(nOrgs) + " 个，账号 " + strconv.Itoa(len(accounts)) + " 个。"
	return s.render(w, r, http.StatusOK, "admin/import", data)
}

func cell(row []string, i int) string {
	if i < len(row) {
		return domain.CleanLine(row[i])
	}
	return ""
}

func blankRow(row []string) bool {
	for _, c := range row {
		if strings.TrimSpace(c) != "" {
			return false
		}
	}
	return true
}
