package stats

import (
	"context"

	"pingan/internal/store"
)

// Coordination adds the coordination platform's figures of the period; docs/STATS.md defines
// each key.
func Coordination(ctx context.Context, db *store.DB, townID int64, p Period, out Figures) error {
	f, err := db.CoordinationStats(ctx, townID, p.Start(), p.End())
	if err != nil {
		return err
	}
	out["notices_issued"] = f.NoticesIssued
	out["notice_read_rate"] = rate(store.Ratio{Num: f.NoticeRecipientsRead, Den: f.NoticeRecipients})
	out["reports_submitted"] = f.ReportsSubmitted
	out["reports_late"] = f.ReportsLate
	out["information_reports"] = f.InfoReports
	out["information_reports_adopted"] = f.InfoReportsAdopted
	out["inquiries"] = f.Inquiries
	return nil
}
