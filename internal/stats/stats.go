// Package stats computes the figures the governance center reports for a period. The
// dashboard, the .xlsx export and `pingan stats --json` all call Compute, so they agree.
package stats

import (
	"context"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// Period is an inclusive range of days in Beijing time.
type Period struct {
	From time.Time // 00:00 of the first day, Beijing time
	To   time.Time // 00:00 of the last day, Beijing time
}

// Start returns the first instant of the period.
func (p Period) Start() time.Time { return p.From }

// End returns the first instant after the period.
func (p Period) End() time.Time { return p.To.AddDate(0, 0, 1) }

// MaxPeriodYears is the longest period, in calendar years, that a statistics page or export
// covers: 统计分析, 服务民生统计 and 宣传统计 share it.
const MaxPeriodYears = 5

// PeriodTooLongMessage is the message for a period longer than MaxPeriodYears.
const PeriodTooLongMessage = "统计期间最长五年。"

// TooLong reports whether the period ends later than MaxPeriodYears calendar years after its
// first day, so 2021-11-26 to 2026-11-25 is allowed and 2021-11-25 to 2026-11-25 is not.
func (p Period) TooLong() bool { return p.End().After(p.From.AddDate(MaxPeriodYears, 0, 0)) }

// Figures is one period's statistics as an ordered set of named values; feature areas add keys.
type Figures map[string]any

// Source computes some of the figures of a period for a town.
type Source func(ctx context.Context, db *store.DB, townID int64, p Period, out Figures) error

// Compute runs every source for the period and returns the figures with the period's dates.
func Compute(ctx context.Context, db *store.DB, townID int64, p Period, sources []Source) (Figures, error) {
	out := Figures{"from": domain.FormatDate(p.From), "to": domain.FormatDate(p.To)}
	for _, src := range sources {
		if err := src(ctx, db, townID, p, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}
