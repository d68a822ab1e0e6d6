package app

import (
	"context"
	"log/slog"
	"time"

	"pingan/internal/domain"
	"pingan/internal/jobs"
	"pingan/internal/web"
)

// Reminder windows of the coordination platform: a notice is reminded once a day before its
// deadline, a report two days before it is due.
const (
	noticeReminderWindow = 24 * time.Hour
	reportReminderWindow = 48 * time.Hour
)

// registerCoordinationJobs adds the coordination platform's scheduled work: opening new report
// periods and the automatic reminders before notice deadlines and report due times. Each job
// publishes the notifications it stores to the bells of open browsers.
func registerCoordinationJobs(r *jobs.Runner, e *env, srv *web.Server, log *slog.Logger) {
	run := func(name string, fn func(ctx context.Context) ([]domain.Notification, error)) func(ctx context.Context) error {
		return func(ctx context.Context) error {
			notes, err := fn(ctx)
			srv.PublishNotifications(ctx, notes)
			if len(notes) > 0 {
				log.Info("coordination job notified", "job", name, "count", len(notes))
			}
			return err
		}
	}
	r.Add(jobs.Job{Name: "reports.open_periods", Every: time.Hour, Run: run("reports.open_periods", e.db.OpenReportPeriods)})
	r.Add(jobs.Job{Name: "reports.remind_due", Every: time.Hour, Run: run("reports.remind_due", func(ctx context.Context) ([]domain.Notification, error) {
		return e.db.RemindReportsDue(ctx, reportReminderWindow)
	})})
	r.Add(jobs.Job{Name: "notices.remind", Every: 15 * time.Minute, Run: run("notices.remind", func(ctx context.Context) ([]domain.Notification, error) {
		return e.db.RemindNoticesBeforeDeadline(ctx, noticeReminderWindow)
	})})
}
