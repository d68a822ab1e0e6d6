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
