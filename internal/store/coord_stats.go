package store

import (
	"context"
	"time"

	"pingan/internal/domain"
)

// CoordinationFigures are the coordination platform's counts for a period [From, To).
type CoordinationFigures struct {
	NoticesIssued        int
	NoticeRecipients     int // recipient organizations of those notices
	NoticeRecipientsRead int
	ReportsSubmitted     int
	ReportsLate          int
	InfoReports          int
	InfoReportsAdopted   int
	Inquiries            int
}

// CoordinationStats counts, for a town and the instants [from, to): the notices issued and how
// many of their recipient organizations have read them; the reports first submitted; the
// reports due in the period that were submitted late or are still missing after their due time;
// the information reports sent up and how many of them were adopted; and the inquiries asked.
func (db *DB) CoordinationStats(ctx context.Context, townID int64, from, to time.Time) (CoordinationFigures, error) {
	var f CoordinationFigures
	from, to = from.UTC(), to.UTC()
	now := db.now()
	err := db.sql.QueryRowContext(ctx, `SELECT
		(SELECT COUNT(*) FROM notices WHERE town_id = $1 AND issued_at >= $2 AND issued_at < $3),
		(SELECT COUNT(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
			WHERE n.town_id = $1 AND n.issued_at >= $2 AND n.issued_at < $3),
		(SELECT COUNT(*) FROM notice_recipients r JOIN notices n ON n.id = r.notice_id
			WHERE n.town_id = $1 AND n.issued_at >= $2 AND n.issued_at < $3 AND r.first_read_at IS NOT NULL),
		(SELECT COUNT(*) FROM report_submissions WHERE town_id = $1 AND first_submitted_at >= $2 AND first_submitted_at < $3),
		(SELECT COUNT(*) FROM report_submissions WHERE town_id = $1 AND due_at > $2 AND due_at <= $3
			AND ((first_submitted_at IS NULL AND due_at <= $4) OR first_submitted_at >= due_at)),
		(SELECT COUNT(*) FROM info_reports WHERE town_id = $1 AND created_at >= $2 AND created_at < $3),
		(SELECT COUNT(*) FROM info_reports WHERE town_id = $1 AND created_at >= $2 AND created_at < $3 AND status = $5),
		(SELECT COUNT(*) FROM inquiries WHERE town_id = $1 AND created_at >= $2 AND created_at < $3)`,
		townID, from, to, now, string(domain.InfoAdopted)).Scan(&f.NoticesIssued, &f.NoticeRecipients, &f.NoticeRecipientsRead,
		&f.ReportsSubmitted, &f.ReportsLate, &f.InfoReports, &f.InfoReportsAdopted, &f.Inquiries)
	return f, err
}
