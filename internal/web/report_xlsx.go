package web

import (
	"bytes"
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
)

// Spreadsheets of report forms. Every value a person typed is written as a Go string, which
// excelize stores as a shared or inline string cell and never as a formula. Excel and WPS
// therefore show a leading "=" as typed and keep a long digit string whole. Only integer and
// decimal fields are written as numbers.

// maxSheetName is Excel's limit on the length of a sheet name, in characters.
const maxSheetName = 31

// metaSheet is the hidden sheet of an offline form that names the report it belongs to.
const metaSheet = "pingan"

// sheetName turns s into a name Excel accepts: none of : \ / ? * [ ], no apostrophe at either
// end, at most 31 characters, not the reserved "History", and different from the names in
// used, compared without case. It records the name in used.
func sheetName(s string, used map[string]bool) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`:\/?*[]`, r) || r < 0x20 {
			return '_'
		}
		return r
	}, domain.CleanLine(s))
	s = strings.Trim(s, "' ")
	if s == "" || strings.EqualFold(s, "History") {
		s = "报表"
	}
	r := []rune(s)
	if len(r) > maxSheetName {
		r = r[:maxSheetName]
	}
	name := strings.TrimRight(string(r), "'")
	for i := 2; used[strings.ToLower(name)]; i++ {
		suffix := "(" + strconv.Itoa(i) + ")"
		base := []rune(strings.TrimRight(string(r), "'"))
		if len(base)+len([]rune(suffix)) > maxSheetName {
			base = base[:maxSheetName-len([]rune(suffix))]
		}
		name = string(base) + suffix
	}
	used[strings.ToLower(name)] = true
	return name
}

// cellValue returns the cell of a stored value: a number for integer and decimal fields, text
// for the others.
func cellValue(f domain.ReportField, v string) any {
	if v == "" {
		return nil
	}
	switch f.Kind {
	case domain.FieldInteger:
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return n
		}
	case domain.FieldDecimal:
		if n, err := strconv.ParseFloat(v, 64); err == nil {
			return n
		}
	}
	return v
}

// cellName returns the A1 name of a column and row, both counted from 1.
func cellName(col, row int) string {
	name, _ := excelize.CoordinatesToCellName(col, row)
	return name
}

// offlineFormColumns are the columns of an offline form; the value column is the last.
var offlineFormColumns = []string{"编号（请勿修改）", "分组", "项目", "类型", "必填", "填写说明", "填报值"}

// writeOfflineForm writes the .xlsx form of one report, with the values stored so far, that a
// unit fills in without the network and uploads later.
func writeOfflineForm(w io.Writer, s domain.ReportSubmission, t domain.ReportTemplate) error {
	x := excelize.NewFile()
	defer x.Close()
	used := map[string]bool{strings.ToLower(metaSheet): true}
	sheet := sheetName(t.Name, used)
	if err := x.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	textStyle, err := x.NewStyle(&excelize.Style{NumFmt: 49})
	if err != nil {
		return err
	}
	headStyle, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDE6F0"}}})
	if err != nil {
		return err
	}
	x.SetCellValue(sheet, "A1", s.AssignmentTitle+"（"+s.PeriodLabel()+"）")
	x.SetCellValue(sheet, "A2", "填报单位："+s.OrgName+"　截止时间："+domain.FormatTime(s.DueAt.Add(-1))+"　请只在“填报值”一列填写，填好后在系统中上传本文件。")
	header := make([]any, len(offlineFormColumns))
	for i, h := range offlineFormColumns {
		header[i] = h
	}
	x.SetSheetRow(sheet, "A3", &header)
	x.SetCellStyle(sheet, "A3", cellName(len(offlineFormColumns), 3), headStyle)
	valueCol := len(offlineFormColumns)
	for i, f := range t.Fields {
		row := i + 4
		help := f.Help
		if hint := f.LengthHint(); hint != "" {
			help = strings.TrimSpace(help + " " + hint)
		}
		if f.Kind == domain.FieldChoice {
			help = strings.TrimSpace(help + " 可选：" + strings.Join(f.Choices, " / "))
		}
		required := "否"
		if f.Required {
			required = "是"
		}
		values := []any{f.ID, f.Section, f.Label, f.Kind.Label(), required, help, cellValue(f, s.Values[f.ID])}
		if err := x.SetSheetRow(sheet, cellName(1, row), &values); err != nil {
			return err
		}
		if !f.Kind.Numeric() {
			// Text format keeps a typed date or long number exactly as typed.
			x.SetCellStyle(sheet, cellName(valueCol, row), cellName(valueCol, row), textStyle)
		}
		if f.Kind == domain.FieldChoice && len(strings.Join(f.Choices, ",")) < 250 {
			dv := excelize.NewDataValidation(true)
			dv.Sqref = cellName(valueCol, row)
			if err := dv.SetDropList(f.Choices); err == nil {
				x.AddDataValidation(sheet, dv)
			}
		}
	}
	x.SetColWidth(sheet, "A", "A", 10)
	x.SetColWidth(sheet, "B", "C", 22)
	x.SetColWidth(sheet, "D", "E", 8)
	x.SetColWidth(sheet, "F", "F", 36)
	x.SetColWidth(sheet, "G", "G", 24)

	if _, err := x.NewSheet(metaSheet); err != nil {
		return err
	}
	x.SetSheetRow(metaSheet, "A1", &[]any{"report", s.ID})
	x.SetSheetRow(metaSheet, "A2", &[]any{"template", t.ID})
	if err := x.SetSheetVisible(metaSheet, false, true); err != nil {
		return err
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

// readOfflineForm reads the values of an uploaded offline form, keyed by field id. It returns
// a KindInvalid error with a Chinese message when the file is not the form of report s.
func readOfflineForm(data []byte, s domain.ReportSubmission, t domain.ReportTemplate) (map[int64]string, error) {
	bad := func(msg string) error {
		return &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: map[string]string{"files": msg}}
	}
	x, err := excelize.OpenReader(bytes.NewReader(data))
	if err != nil {
		return nil, bad("无法读取该文件，请上传从本页下载的 .xlsx 离线表格。")
	}
	defer x.Close()
	meta, err := x.GetRows(metaSheet, excelize.Options{RawCellValue: true})
	if err != nil || len(meta) == 0 || len(meta[0]) < 2 || meta[0][1] != strconv.FormatInt(s.ID, 10) {
		return nil, bad("该文件不是本期报表的离线表格，请重新下载本期表格填写。")
	}
	sheets := x.GetSheetList()
	if len(sheets) == 0 {
		return nil, bad("文件中没有工作表。")
	}
	rows, err := x.GetRows(sheets[0], excelize.Options{RawCellValue: true})
	if err != nil {
		return nil, bad("无法读取表格内容。")
	}
	fields := map[int64]domain.ReportField{}
	for _, f := range t.Fields {
		fields[f.ID] = f
	}
	valueCol := len(offlineFormColumns) - 1
	out := map[int64]string{}
	for i, row := range rows {
		if i < 3 || len(row) == 0 {
			continue
		}
		id, err := strconv.ParseInt(strings.TrimSpace(row[0]), 10, 64)
		f, ok := fields[id]
		if err != nil || !ok {
			continue
		}
		v := ""
		if len(row) > valueCol {
			v = strings.TrimSpace(row[valueCol])
		}
		if f.Kind == domain.FieldDate {
			// A date typed into a cell that lost its text format arrives as a serial number.
			if serial, err := strconv.ParseFloat(v, 64); err == nil && serial > 1 && serial < 300000 {
				if tm, err := excelize.ExcelDateToTime(serial, false); err == nil {
					v = tm.Format("2006-01-02")
				}
			}
		}
		out[id] = v
	}
	return out, nil
}

// writeAggregateWorkbook writes the aggregate of an assignment over a range of periods: the
// sums per organization with subtotals by kind and the total, every report in detail, and the
// counts of single-choice answers.
func writeAggregateWorkbook(w io.Writer, a domain.ReportAssignment, t domain.ReportTemplate, agg domain.Aggregate,
	subs []domain.ReportSubmission, rangeLabel string, now func() string) error {
	x := excelize.NewFile()
	defer x.Close()
	used := map[string]bool{}
	summary := sheetName(a.Title+"汇总", used)
	if err := x.SetSheetName("Sheet1", summary); err != nil {
		return err
	}
	if err := writeSummarySheet(x, summary, a, agg, rangeLabel, now()); err != nil {
		return err
	}
	detail := sheetName("明细", used)
	if _, err := x.NewSheet(detail); err != nil {
		return err
	}
	if err := writeDetailSheet(x, detail, t, subs); err != nil {
		return err
	}
	if len(agg.Choices) > 0 {
		choices := sheetName("单选统计", used)
		if _, err := x.NewSheet(choices); err != nil {
			return err
		}
		sw, err := x.NewStreamWriter(choices)
		if err != nil {
			return err
		}
		sw.SetRow("A1", []any{"项目", "选项", "份数"})
		row := 2
		for _, f := range t.Fields {
			for _, c := range agg.Choices[f.ID] {
				sw.SetRow(cellName(1, row), []any{f.Label, c.Option, c.Count})
				row++
			}
		}
		if err := sw.Flush(); err != nil {
			return err
		}
	}
	x.SetActiveSheet(0)
	return x.Write(w)
}

func writeSummarySheet(x *excelize.File, sheet string, a domain.ReportAssignment, agg domain.Aggregate, rangeLabel, generated string) error {
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	bold, err := x.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	sw.SetColWidth(1, 1, 24)
	sw.SetColWidth(2, 3, 12)
	sw.SetColWidth(4, 3+len(agg.Fields), 14)
	if err := sw.SetRow("A1", []any{a.Title + " 汇总（" + rangeLabel + "）"}, excelize.RowOpts{StyleID: bold}); err != nil {
		return err
	}
	sw.SetRow("A2", []any{"导出时间：" + generated + "　只统计已提交和已通过的报表。"})
	header := []any{"单位", "单位类型", "报表份数"}
	for _, f := range agg.Fields {
		label := f.Label
		if f.Section != "" {
			label = f.Section + "：" + f.Label
		}
		header = append(header, label)
	}
	if err := sw.SetRow("A3", header, excelize.RowOpts{StyleID: bold}); err != nil {
		return err
	}
	row := 4
	put := func(r domain.AggregateRow, kind string, opts ...excelize.RowOpts) error {
		values := []any{r.OrgName, kind, r.Reports}
		for _, f := range agg.Fields {
			values = append(values, r.SumNumber(f))
		}
		err := sw.SetRow(cellName(1, row), values, opts...)
		row++
		return err
	}
	for _, g := range agg.Groups {
		for _, r := range g.Rows {
			if err := put(r, g.Kind.Label()); err != nil {
				return err
			}
		}
		if err := put(g.Subtotal, "", excelize.RowOpts{StyleID: bold}); err != nil {
			return err
		}
	}
	if err := put(agg.Total, "", excelize.RowOpts{StyleID: bold}); err != nil {
		return err
	}
	return sw.Flush()
}

func writeDetailSheet(x *excelize.File, sheet string, t domain.ReportTemplate, subs []domain.ReportSubmission) error {
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{"单位", "期间", "状态", "首次提交时间", "是否逾期"}
	for _, f := range t.Fields {
		header = append(header, f.Label)
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, s := range subs {
		late := "否"
		if !s.FirstSubmittedAt.IsZero() && !s.FirstSubmittedAt.Before(s.DueAt) {
			late = "是"
		}
		values := []any{s.OrgName, s.PeriodLabel(), s.Status.Label(),
			domain.FormatTime(s.FirstSubmittedAt), late}
		for _, f := range t.Fields {
			values = append(values, cellValue(f, s.Values[f.ID]))
		}
		if err := sw.SetRow(cellName(1, i+2), values); err != nil {
			return fmt.Errorf("detail row %d: %w", i+2, err)
		}
	}
	return sw.Flush()
}
