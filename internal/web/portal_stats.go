package web

import (
	"context"
	"fmt"
	"net/http"
	"sort"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store"
)

// namedCount is one row of a breakdown table.
type namedCount struct {
	Name  string
	Count int
}

type portalStatsPage struct {
	Page
	From, To      string
	Figures       store.PortalFigures
	ByColumn      []namedCount
	Contributions []namedCount
	MaxColumn     int
}

// portalStatsPeriod reads an inclusive date range in Beijing time; the default is the six months
// ending today.
func (s *Server) portalStatsPeriod(r *http.Request) (stats.Period, string, string, error) {
	now := s.db.Now().In(domain.Shanghai)
	p := stats.Period{To: time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Shanghai)}
	p.From = p.To.AddDate(0, -6, 1)
	from, to := r.URL.Query().Get("from"), r.URL.Query().Get("to")
	problems := domain.Problems{}
	if to != "" {
		t, err := domain.ParseDate(to)
		if err != nil {
			problems.Add("to", domain.DateFormatMessage("结束日期", to))
		} else {
			p.To = t
		}
	}
	if from != "" {
		t, err := domain.ParseDate(from)
		if err != nil {
			problems.Add("from", domain.DateFormatMessage("开始日期", from))
		} else {
			p.From = t
		}
	} else {
		p.From = p.To.AddDate(0, -6, 1)
	}
	if p.To.Before(p.From) {
		problems.Add("to", "结束日期不能早于开始日期。")
	} else if p.TooLong() {
		problems.Add("from", stats.PeriodTooLongMessage)
	}
	return p, domain.FormatDate(p.From), domain.FormatDate(p.To), problems.Err()
}

func (s *Server) portalFigures(ctx context.Context, townID int64, p stats.Period) (store.PortalFigures, error) {
	return s.db.PortalStats(ctx, townID, p.Start(), p.End(), domain.FormatDate(p.From), domain.FormatDate(p.To))
}

func sortedCounts(m map[string]int) []namedCount {
	out := make([]namedCount, 0, len(m))
	for k, v := range m {
		out = append(out, namedCount{k, v})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

func (s *Server) portalStats(w http.ResponseWriter, r *http.Request) error {
	p, from, to, perr := s.portalStatsPeriod(r)
	data := &portalStatsPage{Page: Page{Title: "宣传统计"}, From: from, To: to}
	if perr != nil {
		formInvalid(&data.Page, perr)
		return s.render(w, r, http.StatusBadRequest, "admin/portal_stats", data)
	}
	f, err := s.portalFigures(r.Context(), s.actor(r).TownID, p)
	if err != nil {
		return err
	}
	data.Figures, data.ByColumn, data.Contributions = f, sortedCounts(f.ByColumn), sortedCounts(f.ContributionsByOrg)
	for _, c := range data.ByColumn {
		data.MaxColumn = max(data.MaxColumn, c.Count)
	}
	return s.render(w, r, http.StatusOK, "admin/portal_stats", data)
}

func (s *Server) portalStatsExport(w http.ResponseWriter, r *http.Request) error {
	p, from, to, err := s.portalStatsPeriod(r)
	if err != nil {
		// An invalid period gets the page's form with the field messages, as on the page.
		data := &portalStatsPage{Page: Page{Title: "宣传统计"}, From: from, To: to}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusBadRequest, "admin/portal_stats", data)
	}
	actor := s.actor(r)
	f, err := s.portalFigures(r.Context(), actor.TownID, p)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "宣传统计"
	x.SetSheetName("Sheet1", sheet)
	rows := [][]any{
		{"统计期间", from + " 至 " + to},
		{stats.PortalLabels["articles_published"], f.Published},
		{stats.PortalLabels["articles_original"], f.Original},
		{stats.PortalLabels["articles_reprinted_or_contributed"], f.ReprintedOrContributed},
		{stats.PortalLabels["page_views"], f.PageViews},
		{},
		{"栏目", "发布稿件"},
	}
	for _, c := range sortedCounts(f.ByColumn) {
		rows = append(rows, []any{textCell(c.Name), c.Count})
	}
	rows = append(rows, []any{}, []any{"投稿单位", "投稿数"})
	for _, c := range sortedCounts(f.ContributionsByOrg) {
		rows = append(rows, []any{textCell(c.Name), c.Count})
	}
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow(sheet, cell, &row); err != nil {
			return err
		}
	}
	x.SetColWidth(sheet, "A", "A", 28)
	x.SetColWidth(sheet, "B", "B", 26)
	if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "portal.stats_export", "stats", 0, domain.OutcomeSuccess,
		fmt.Sprintf("%s 至 %s", from, to))); err != nil {
		return err
	}
	setAttachment(w, "宣传统计-"+from+"至"+to+".xlsx")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}
