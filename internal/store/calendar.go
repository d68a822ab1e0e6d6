package store

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"

	"pingan/internal/domain"
	"pingan/internal/workday"
)

// Calendar returns the working-day calendar with every listed day. The calendar is national,
// so it is shared by every town of a deployment.
func (db *DB) Calendar(ctx context.Context) (*workday.Calendar, error) {
	return db.calendar(ctx, db.sql)
}

func (db *DB) calendar(ctx context.Context, q querier) (*workday.Calendar, error) {
	days, err := db.calendarDays(ctx, q, "", "")
	if err != nil {
		return nil, err
	}
	return workday.New(days), nil
}

func (db *DB) calendarDays(ctx context.Context, q querier, from, to string) ([]workday.Day, error) {
	query := `SELECT day, kind, name FROM workday_calendar`
	var args []any
	if from != "" {
		query += ` WHERE day >= $1 AND day <= $2`
		args = append(args, from, to)
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY day`, args...)
	if err != nil {
		return nil, fmt.Errorf("load calendar: %w", err)
	}
	defer rows.Close()
	var out []workday.Day
	for rows.Next() {
		var d workday.Day
		var kind string
		if err := rows.Scan(&d.Date, &kind, &d.Name); err != nil {
			return nil, err
		}
		d.Kind = workday.Kind(kind)
		out = append(out, d)
	}
	return out, rows.Err()
}

// CalendarYear returns the listed days of one year in date order.
func (db *DB) CalendarYear(ctx context.Context, year int) ([]workday.Day, error) {
	y := strconv.Itoa(year)
	return db.calendarDays(ctx, db.sql, y+"-01-01", y+"-12-31")
}

// ReplaceCalendarYear replaces every listed day of year with days, which must all fall in that
// year, and audits the change. Only staff who manage settings call it.
func (db *DB) ReplaceCalendarYear(ctx context.Context, actor domain.Actor, year int, days []workday.Day) error {
	if year < 2000 || year > 2100 {
		return domain.Invalid("年份应在 2000 到 2100 之间。")
	}
	seen := map[string]bool{}
	for i := range days {
		if err := days[i].Validate(); err != nil {
			return domain.Invalid(days[i].Date + "：" + firstField(err))
		}
		if days[i].Year() != year {
			return domain.Invalid(fmt.Sprintf("%s 不在 %d 年内。", days[i].Date, year))
		}
		if seen[days[i].Date] {
			return domain.Invalid(days[i].Date + " 重复出现。")
		}
		seen[days[i].Date] = true
	}
	y := strconv.Itoa(year)
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM workday_calendar WHERE day >= $1 AND day <= $2`, y+"-01-01", y+"-12-31"); err != nil {
			return err
		}
		now := db.now()
		for _, d := range days {
			if _, err := tx.ExecContext(ctx, `INSERT INTO workday_calendar (day, kind, name, updated_at) VALUES ($1, $2, $3, $4)`,
				d.Date, string(d.Kind), d.Name, now); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "calendar.update", "calendar", int64(year), domain.OutcomeSuccess,
			fmt.Sprintf("%d 年节假日与调休共 %d 天", year, len(days))))
	})
}

// firstField returns one field message of a validation error, or its message.
func firstField(err error) string {
	for _, m := range domain.FieldErrors(err) {
		return m
	}
	return domain.UserMessage(err)
}
