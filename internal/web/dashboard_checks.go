package web

import (
	"fmt"
	"net/url"
	"strconv"

	"github.com/xuri/excelize/v2"

	"pingan/internal/board"
	"pingan/internal/stats"
)

// dashboardChecks are the tables shown under the dashboard's figures: cases per unit and per
// village, stale columns and unanswered posts, with the period's values only.
type dashboardChecks struct {
	CheckedOn      string
	PostReplyLimit int
	Units          caseGroupTable
	Villages       caseGroupTable
	StaleColumns   []staleColumnRow
	WaitingPosts   []waitingPostRow
	Unanswered     int
	Overdue        int
}

// caseGroupTable is the per-unit or per-village table. Key names it for tests and scripts.
type caseGroupTable struct {
	Key, Header string
	Rows        []caseGroupRow
}

type caseGroupRow struct {
	stats.CaseGroup
	Link                                     string
	ReplyRate, ResolveRate, SatisfactionRate string
}

type staleColumnRow struct {
	stats.StaleColumn
	Link      string
	LastShown string // the date of the newest article, or 从未发布
	DaysShown string
}

type waitingPostRow struct {
	stats.WaitingPost
	KindLabel string
	Link      string
}

// newDashboardChecks turns the check keys of figs into table rows. The period's dates from and
// to go into the links to the case list.
func newDashboardChecks(figs stats.Figures, from, to string) dashboardChecks {
	c := dashboardChecks{PostReplyLimit: stats.PostReplyLimit()}
	c.CheckedOn, _ = figs["checked_on"].(string)
	groups := func(key, param, header string) caseGroupTable {
		list, _ := figs[key].([]stats.CaseGroup)
		out := make([]caseGroupRow, 0, len(list))
		for _, g := range list {
			q := url.Values{"from": {from}, "to": {to}, param: {strconv.FormatInt(g.OrgID, 10)}}
			out = append(out, caseGroupRow{CaseGroup: g, Link: "/admin/cases?" + q.Encode(),
				ReplyRate: formatOptionalRate(g.ReplyOnTimeRate), ResolveRate: formatOptionalRate(g.ResolveOnTimeRate),
				SatisfactionRate: formatOptionalRate(g.SatisfactionRate)})
		}
		return caseGroupTable{Key: key, Header: header, Rows: out}
	}
	c.Units = groups("units", "unit", "主办单位")
	c.Villages = groups("villages", "village", "村（社区）")

	cols, _ := figs["stale_columns"].([]stats.StaleColumn)
	for _, col := range cols {
		row := staleColumnRow{StaleColumn: col, LastShown: "从未发布", DaysShown: "—",
			Link: fmt.Sprintf("/admin/articles?status=published&column=%d", col.ColumnID)}
		if col.DaysSince != nil {
			row.LastShown, row.DaysShown = col.LastPublished, strconv.Itoa(*col.DaysSince)
		}
		c.StaleColumns = append(c.StaleColumns, row)
	}

	posts, _ := figs["unanswered_posts_oldest"].([]stats.WaitingPost)
	for _, p := range posts {
		c.WaitingPosts = append(c.WaitingPosts, waitingPostRow{WaitingPost: p, KindLabel: board.Kind(p.Kind).Label(),
			Link: fmt.Sprintf("/admin/board/%d", p.PostID)})
	}
	c.Unanswered, _ = figs["unanswered_posts"].(int)
	c.Overdue, _ = figs["unanswered_posts_overdue"].(int)
	return c
}

// formatOptionalRate shows a rate as the figures do, and "—" when nothing counts towards it.
func formatOptionalRate(r *float64) string {
	if r == nil {
		return "—"
	}
	return stats.Format(stats.Figure{Shape: stats.Rate}, *r)
}

// writeCheckSheets adds one .xlsx sheet per check table. Counts are numbers so that a
// spreadsheet can sum them, and rates are the shown text ("—" when nothing counts towards them).
func writeCheckSheets(x *excelize.File, c dashboardChecks) {
	setRow := func(sheet string, row int, values []any) {
		cell, _ := excelize.CoordinatesToCellName(1, row)
		x.SetSheetRow(sheet, cell, &values)
	}
	groupSheet := func(sheet string, t caseGroupTable) {
		x.NewSheet(sheet)
		setRow(sheet, 1, []any{t.Header, "工单", "按时答复率", "按时答复", "应答复", "按时办结率", "按时办结", "应办结", "满意率", "满意和基本满意", "已评价"})
		for i, g := range t.Rows {
			setRow(sheet, i+2, []any{g.Name, g.Cases, g.ReplyRate, g.RepliedOnTime, g.ReplyCounted, g.ResolveRate, g.ResolvedOnTime,
				g.ResolveCounted, g.SatisfactionRate, g.Satisfied, g.Rated})
		}
		x.SetColWidth(sheet, "A", "A", 24)
	}
	groupSheet("各承办单位", c.Units)
	groupSheet("各村（社区）", c.Villages)

	const columns = "栏目更新检查"
	x.NewSheet(columns)
	setRow(columns, 1, []any{"栏目", "更新周期（天）", "最近发布", "距今天数", "检查日期：" + c.CheckedOn})
	for i, col := range c.StaleColumns {
		var days any = "—"
		if col.DaysSince != nil {
			days = *col.DaysSince
		}
		setRow(columns, i+2, []any{col.Name, col.UpdateIntervalDays, col.LastShown, days})
	}
	x.SetColWidth(columns, "A", "A", 20)

	const posts = "留言未答复"
	x.NewSheet(posts)
	setRow(posts, 1, []any{"标题", "类型", "留言日期", "已等待（天）", "答复时限", "超过时限",
		fmt.Sprintf("检查日期：%s；未答复 %d 条，其中超过答复时限 %d 条", c.CheckedOn, c.Unanswered, c.Overdue)})
	for i, p := range c.WaitingPosts {
		late := "否"
		if p.Overdue {
			late = "是"
		}
		setRow(posts, i+2, []any{p.Title, p.KindLabel, p.Submitted, p.DaysWaiting, p.ReplyDue, late})
	}
	x.SetColWidth(posts, "A", "A", 36)
}
