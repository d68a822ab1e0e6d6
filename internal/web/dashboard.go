package web

import (
	"context"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"
	"golang.org/x/sync/errgroup"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/stats"
)

// dashboardRow is one figure of the dashboard in this period and the previous one.
type dashboardRow struct {
	Figure   stats.Figure
	Current  string
	Previous string
	Change   string // "+3", "−1.5 个百分点", or "" when either side is missing
	Link     string
	Entries  []dashboardEntry // breakdowns
	Missing  bool
	Trend    []trendPoint
}

type trendPoint struct {
	Label string
	Value float64
}

type dashboardGroup struct {
	Name string
	Rows []dashboardRow
}

type dashboardPage struct {
	Page
	From, To         string
	Period, Previous stats.Period
	Groups           []dashboardGroup
	Charts           []trendChart
	Figures          stats.Figures
	PreviousFigures  stats.Figures
	Checks           dashboardChecks
}

// periodFromQuery reads from and to (inclusive days, Beijing time); the default is the six months
// that end today.
func (s *Server) periodFromQuery(r *http.Request) (stats.Period, error) {
	now := s.db.Now().In(domain.Shanghai)
	p := stats.Period{To: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Shanghai)}
	q := r.URL.Query()
	problems := domain.Problems{}
	if v := q.Get("to"); v != "" {
		t, err := domain.ParseDate(v)
		if err != nil {
			problems.Add("to", domain.DateFormatMessage("结束日期", v))
		} else {
			p.To = t
		}
	}
	p.From = p.To.AddDate(0, -6, 1)
	if v := q.Get("from"); v != "" {
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

func (s *Server) dashboardData(r *http.Request) (*dashboardPage, error) {
	p, err := s.periodFromQuery(r)
	data := &dashboardPage{Page: Page{Title: "统计分析"}, Period: p, From: domain.FormatDate(p.From), To: domain.FormatDate(p.To)}
	if err != nil {
		formInvalid(&data.Page, err)
		data.From, data.To = r.URL.Query().Get("from"), r.URL.Query().Get("to")
		return data, err
	}
	town := s.actor(r).TownID
	data.Previous = stats.Previous(p)
	months := stats.Months(p)
	// The period, the previous period and the monthly counts are independent reads, so running
	// them side by side shortens the request when the database has idle cores.
	var cur, prev stats.Figures
	var monthly []stats.Figures
	g, ctx := errgroup.WithContext(r.Context())
	g.Go(func() (err error) { cur, err = stats.Compute(ctx, s.db, town, p, s.sources); return err })
	g.Go(func() (err error) { prev, err = stats.Compute(ctx, s.db, town, data.Previous, s.sources); return err })
	g.Go(func() (err error) { monthly, err = stats.Trend(ctx, s.db, town, months); return err })
	if err := g.Wait(); err != nil {
		return nil, err
	}
	data.Figures, data.PreviousFigures = cur, prev
	data.Checks = newDashboardChecks(cur, data.From, data.To)
	if monthly, err = s.completeTrend(r.Context(), town, cur, months, monthly); err != nil {
		return nil, err
	}

	repl := strings.NewReplacer("{from}", data.From, "{to}", data.To)
	ids, err := s.loadEntryIDs(r.Context(), s.actor(r))
	if err != nil {
		return nil, err
	}
	groupIndex := map[string]int{}
	for _, f := range stats.Catalog {
		row := dashboardRow{Figure: f}
		if f.Link != "" {
			row.Link = repl.Replace(f.Link)
		}
		if f.Shape == stats.Breakdown {
			row.Entries = linkedEntries(f, stats.Entries(cur, f.Key), ids, repl)
			row.Missing = cur[f.Key] == nil
		} else {
			c, okC := stats.Number(cur, f.Key)
			v, okP := stats.Number(prev, f.Key)
			_, computed := cur[f.Key]
			row.Missing = !computed
			row.Current, row.Previous = "—", "—"
			if okC {
				row.Current = stats.Format(f, c)
			}
			if okP {
				row.Previous = stats.Format(f, v)
			}
			if okC && okP {
				row.Change = stats.Change(f, c, v)
			}
			if okC && f.Shape == stats.Count && f.Headline {
				for i, m := range months {
					n, _ := stats.Number(monthly[i], f.Key)
					row.Trend = append(row.Trend, trendPoint{Label: m.From.Format("1月"), Value: n})
				}
				data.Charts = append(data.Charts, newTrendChart(f.Label, row.Trend))
			}
		}
		gi, ok := groupIndex[f.Group]
		if !ok {
			gi = len(data.Groups)
			groupIndex[f.Group] = gi
			data.Groups = append(data.Groups, dashboardGroup{Name: f.Group})
		}
		data.Groups[gi].Rows = append(data.Groups[gi].Rows, row)
	}
	s.dropClosedLinks(s.actor(r), data)
	return data, nil
}

// completeTrend returns the figures of each month for the trend charts. The headline counts
// come from stats.Trend, one grouped query per kind of record. Only when a source adds a
// headline count that Trend does not compute does it run every source once per month.
func (s *Server) completeTrend(ctx context.Context, town int64, cur stats.Figures, months []stats.Period, monthly []stats.Figures) ([]stats.Figures, error) {
	if len(monthly) == 0 {
		return monthly, nil
	}
	for _, f := range stats.Catalog {
		_, computed := stats.Number(cur, f.Key)
		_, trended := monthly[0][f.Key]
		if !f.Headline || f.Shape != stats.Count || !computed || trended {
			continue
		}
		for i, m := range months {
			var err error
			if monthly[i], err = stats.Compute(ctx, s.db, town, m, s.sources); err != nil {
				return nil, err
			}
		}
		break
	}
	return monthly, nil
}

// entryLabels replaces the codes of a breakdown (a post kind, a case channel) with their Chinese
// names; breakdowns by column or organization already carry names.
func entryLabels(key string, entries []stats.Entry) []stats.Entry {
	for i, e := range entries {
		switch key {
		case "posts_by_kind":
			entries[i].Name = board.Kind(e.Name).Label()
		case "cases_by_channel":
			entries[i].Name = casework.Channel(e.Name).Label()
		}
	}
	return entries
}

func (s *Server) dashboard(w http.ResponseWriter, r *http.Request) error {
	data, err := s.dashboardData(r)
	if rejected, err := s.renderInvalidPeriod(w, r, data, err); rejected || err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/dashboard", data)
}

// renderInvalidPeriod renders the dashboard's form with its field messages and status 400 for a
// dashboard, report or export request whose period is invalid, and reports true. It returns any
// other error unchanged.
func (s *Server) renderInvalidPeriod(w http.ResponseWriter, r *http.Request, data *dashboardPage, err error) (bool, error) {
	if err == nil {
		return false, nil
	}
	if data == nil || domain.ErrorKind(err) != domain.KindInvalid {
		return false, err
	}
	return true, s.render(w, r, http.StatusBadRequest, "admin/dashboard", data)
}

func (s *Server) dashboardReport(w http.ResponseWriter, r *http.Request) error {
	data, err := s.dashboardData(r)
	if rejected, err := s.renderInvalidPeriod(w, r, data, err); rejected || err != nil {
		return err
	}
	data.Title = "平安建设工作统计报告"
	return s.render(w, r, http.StatusOK, "admin/dashboard_report", data)
}

// exportValue returns a figure as an .xlsx cell value. Counts and averages are numbers, so that a
// spreadsheet can compute with them, and rates are the percentage text the page shows. A missing
// figure or one without data is "—".
func exportValue(f stats.Figure, figs stats.Figures) any {
	v, ok := stats.Number(figs, f.Key)
	switch {
	case !ok:
		return "—"
	case f.Shape == stats.Rate:
		return stats.Format(f, v)
	case f.Shape == stats.Average:
		return math.Round(v*10) / 10
	}
	return v
}

// dashboardExport writes the dashboard's figures to .xlsx: one sheet of figures with the previous
// period, one of breakdowns, one of the monthly trend and one per check table.
func (s *Server) dashboardExport(w http.ResponseWriter, r *http.Request) error {
	data, err := s.dashboardData(r)
	if rejected, err := s.renderInvalidPeriod(w, r, data, err); rejected || err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	const figures, breakdowns, trend = "统计数字", "分类明细", "月度趋势"
	x.SetSheetName("Sheet1", figures)
	x.NewSheet(breakdowns)
	x.NewSheet(trend)
	x.SetSheetRow(figures, "A1", &[]any{"统计期间：" + data.Period.Label() + "；上期：" + data.Previous.Label()})
	x.SetSheetRow(figures, "A2", &[]any{"类别", "指标", "本期", "上期", "变化"})
	row := 3
	brow := 2
	x.SetSheetRow(breakdowns, "A1", &[]any{"指标", "名称", "数量"})
	for _, g := range data.Groups {
		for _, rw := range g.Rows {
			if rw.Figure.Shape == stats.Breakdown {
				for _, e := range rw.Entries {
					cell, _ := excelize.CoordinatesToCellName(1, brow)
					x.SetSheetRow(breakdowns, cell, &[]any{rw.Figure.Label, e.Name, e.Count})
					brow++
				}
				continue
			}
			cell, _ := excelize.CoordinatesToCellName(1, row)
			x.SetSheetRow(figures, cell, &[]any{g.Name, rw.Figure.Label, exportValue(rw.Figure, data.Figures), exportValue(rw.Figure, data.PreviousFigures), rw.Change})
			row++
		}
	}
	header := []any{"指标"}
	for _, m := range stats.Months(data.Period) {
		header = append(header, m.From.Format("2006年1月"))
	}
	x.SetSheetRow(trend, "A1", &header)
	trow := 2
	for _, g := range data.Groups {
		for _, rw := range g.Rows {
			if len(rw.Trend) == 0 {
				continue
			}
			vals := []any{rw.Figure.Label}
			for _, p := range rw.Trend {
				vals = append(vals, p.Value)
			}
			cell, _ := excelize.CoordinatesToCellName(1, trow)
			x.SetSheetRow(trend, cell, &vals)
			trow++
		}
	}
	x.SetColWidth(figures, "A", "B", 24)
	x.SetColWidth(figures, "C", "E", 14)
	x.SetColWidth(breakdowns, "A", "B", 24)
	writeCheckSheets(x, data.Checks)
	setAttachment(w, "平安建设统计-"+data.From+"至"+data.To+".xlsx")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}
