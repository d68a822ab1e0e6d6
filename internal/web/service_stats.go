package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store"
)

type chartBar struct {
	Label string
	Value int
	Y     int // top of the bar in the SVG
	H     int // height of the bar
	X     int
}

type serviceStatsPage struct {
	Page
	From, To  string
	Figures   store.ServiceFigures
	Units     []store.UnitFigures
	KindBars  []chartBar
	ChanBars  []chartBar
	LocalRate store.Ratio
}

// statsPeriod reads from and to (YYYY-MM-DD, Beijing time) from the query; the default is the
// six months up to today. Its errors name the form field of each problem.
func (s *Server) statsPeriod(r *http.Request) (stats.Period, error) {
	now := s.db.Now().In(domain.Shanghai)
	p := stats.Period{To: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Shanghai)}
	p.From = p.To.AddDate(0, -6, 1)
	problems := domain.Problems{}
	if v := r.URL.Query().Get("to"); v != "" {
		t, err := domain.ParseDate(v)
		if err != nil {
			problems.Add("to", domain.DateFormatMessage("结束日期", v))
		} else {
			p.To = t
		}
	}
	if v := r.URL.Query().Get("from"); v != "" {
		t, err := domain.ParseDate(v)
		if err != nil {
			problems.Add("from", domain.DateFormatMessage("开始日期", v))
		} else {
			p.From = t
		}
	}
	if len(problems) == 0 {
		if p.To.Before(p.From) {
			problems.Add("to", "结束日期不能早于开始日期。")
		} else if p.TooLong() {
			problems.Add("from", stats.PeriodTooLongMessage)
		}
	}
	return p, problems.Err()
}

// renderInvalidStatsPeriod renders the 服务民生统计 form with its field messages and status 400
// for a page or download request whose period is invalid, and reports true. It returns any
// other error unchanged.
func (s *Server) renderInvalidStatsPeriod(w http.ResponseWriter, r *http.Request, err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	data := &serviceStatsPage{Page: Page{Title: "服务民生统计"}, From: r.URL.Query().Get("from"), To: r.URL.Query().Get("to")}
	if !formInvalid(&data.Page, err) {
		return false, err
	}
	return true, s.render(w, r, http.StatusBadRequest, "admin/service_stats", data)
}

// bars lays out a bar chart 300 pixels high with bars 40 pixels wide.
func bars(labels []string, values []int) []chartBar {
	top := 1
	for _, v := range values {
		top = max(top, v)
	}
	out := make([]chartBar, len(values))
	for i, v := range values {
		h := v * 240 / top
		out[i] = chartBar{Label: labels[i], Value: v, H: h, Y: 260 - h, X: 40 + i*70}
	}
	return out
}

func (s *Server) serviceStats(w http.ResponseWriter, r *http.Request) error {
	p, err := s.statsPeriod(r)
	if rejected, err := s.renderInvalidStatsPeriod(w, r, err); rejected || err != nil {
		return err
	}
	town := s.actor(r).TownID
	f, err := s.db.ServiceStats(r.Context(), town, p.Start(), p.End())
	if err != nil {
		return err
	}
	units, err := s.db.ServiceUnitStats(r.Context(), town, p.Start(), p.End())
	if err != nil {
		return err
	}
	data := &serviceStatsPage{Page: Page{Title: "服务民生统计"}, From: domain.FormatDate(p.From), To: domain.FormatDate(p.To), Figures: f, Units: units,
		LocalRate: store.Ratio{Num: f.DisputesSettledLocal, Den: f.Disputes}}
	var labels []string
	var values []int
	for _, k := range board.Kinds {
		labels, values = append(labels, k.Label()), append(values, f.PostsByKind[k])
	}
	data.KindBars = bars(labels, values)
	labels, values = nil, nil
	for _, c := range casework.Channels {
		labels, values = append(labels, c.Label()), append(values, f.CasesByChannel[c])
	}
	data.ChanBars = bars(labels, values)
	return s.render(w, r, http.StatusOK, "admin/service_stats", data)
}

func (s *Server) serviceStatsExport(w http.ResponseWriter, r *http.Request) error {
	p, err := s.statsPeriod(r)
	if rejected, err := s.renderInvalidStatsPeriod(w, r, err); rejected || err != nil {
		return err
	}
	actor := s.actor(r)
	f, err := s.db.ServiceStats(r.Context(), actor.TownID, p.Start(), p.End())
	if err != nil {
		return err
	}
	units, err := s.db.ServiceUnitStats(r.Context(), actor.TownID, p.Start(), p.End())
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "服务民生统计"
	x.SetSheetName("Sheet1", sheet)
	rows := [][]any{
		{"统计期间", domain.FormatDate(p.From) + " 至 " + domain.FormatDate(p.To)},
		{"建言献策（条）", f.Suggestions},
		{"求助和咨询（含在线咨询）", f.HelpRequests},
		{"其中已解决", f.HelpRequestsResolved},
		{"工单总数", f.Cases},
		{"已解决工单", f.CasesResolved},
		{"按时答复率", ratioCell(f.ReplyOnTime)},
		{"按时办结率", ratioCell(f.ResolveOnTime)},
		{"群众满意率", ratioCell(f.Satisfaction)},
		{"矛盾纠纷（件）", f.Disputes},
		{"就地化解率", ratioCell(store.Ratio{Num: f.DisputesSettledLocal, Den: f.Disputes})},
		{"协调事项（件）", f.CoordinationMatters},
		{"平均签收用时（小时）", meanCell(f.AvgHoursToAck)},
		{"平均答复用时（小时）", meanCell(f.AvgHoursToReply)},
		{"平均办结用时（小时）", meanCell(f.AvgHoursToResolve)},
	}
	for _, k := range board.Kinds {
		rows = append(rows, []any{"留言：" + k.Label(), f.PostsByKind[k]})
	}
	for _, c := range casework.Channels {
		rows = append(rows, []any{"工单渠道：" + c.Label(), f.CasesByChannel[c]})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &[]any{textCell(row[0].(string)), row[1]}); err != nil {
			return err
		}
	}
	if _, err := x.NewSheet("各单位办理情况"); err != nil {
		return err
	}
	if err := x.SetSheetRow("各单位办理情况", "A1", &[]any{"单位", "主办件数", "已签收", "按时答复", "已办结", "当前超期"}); err != nil {
		return err
	}
	for i, u := range units {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := x.SetSheetRow("各单位办理情况", cell, &[]any{textCell(u.OrgName), u.Dispatched, u.Acknowledged, u.RepliedOnTime, u.Resolved, u.Overdue}); err != nil {
			return err
		}
	}
	x.SetColWidth(sheet, "A", "A", 28)
	x.SetColWidth("各单位办理情况", "A", "A", 24)
	if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "stats.export", "stats", 0, domain.OutcomeSuccess,
		"服务民生统计 "+domain.FormatDate(p.From)+" 至 "+domain.FormatDate(p.To))); err != nil {
		return err
	}
	setAttachment(w, fmt.Sprintf("服务民生统计_%s_%s.xlsx", domain.FormatDate(p.From), domain.FormatDate(p.To)))
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}

// ratioText shows a ratio as a percentage with one decimal, or "—" when nothing counts towards
// it, so an empty period never reads as 0.0%.
func ratioText(r store.Ratio) string {
	if r.Den == 0 {
		return "—"
	}
	return fmt.Sprintf("%.1f%%", r.Rate()*100)
}

// ratioCell is a ratio as an .xlsx cell: the rate as a number, or "—" when nothing counts
// towards it.
func ratioCell(r store.Ratio) any {
	if r.Den == 0 {
		return "—"
	}
	return r.Rate()
}

// meanText shows an average in hours with its unit, or "—" when no case reached the step, so an
// empty period never reads as 0 hours.
func meanText(m store.Mean) string {
	if m.N == 0 {
		return "—"
	}
	return strconv.FormatFloat(m.Value(), 'f', -1, 64) + " 小时"
}

// meanCell is an average as an .xlsx cell: the hours as a number, or "—" when no case reached
// the step.
func meanCell(m store.Mean) any {
	if m.N == 0 {
		return "—"
	}
	return m.Value()
}
