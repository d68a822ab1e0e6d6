package stats

import (
	"context"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// TrendKeys are the headline counts that Trend computes.
var TrendKeys = []string{
	"articles_published", "articles_original", "articles_reprinted_or_contributed", "page_views",
	"notices_issued", "information_reports", "inquiries", "coordination_matters",
	"suggestions", "help_requests", "help_requests_resolved",
}

// Trend returns, for each of the consecutive periods (the months of Months), the counts of
// TrendKeys with the values that Compute gives for that period alone. It runs one grouped
// query per kind of record for all periods instead of every source once per period.
func Trend(ctx context.Context, db *store.DB, townID int64, periods []Period) ([]Figures, error) {
	if len(periods) == 0 {
		return nil, nil
	}
	bounds := make([]time.Time, 0, len(periods)+1)
	for _, p := range periods {
		bounds = append(bounds, p.Start())
	}
	bounds = append(bounds, periods[len(periods)-1].End())
	counts, err := db.TrendStats(ctx, townID, bounds)
	if err != nil {
		return nil, err
	}
	out := make([]Figures, len(periods))
	for i, c := range counts {
		out[i] = Figures{
			"from": domain.FormatDate(periods[i].From), "to": domain.FormatDate(periods[i].To),
			"articles_published": c.Published, "articles_original": c.Original,
			"articles_reprinted_or_contributed": c.ReprintedOrContributed, "page_views": c.PageViews,
			"notices_issued": c.NoticesIssued, "information_reports": c.InfoReports, "inquiries": c.Inquiries,
			"coordination_matters": c.CoordinationMatters, "suggestions": c.Suggestions,
			"help_requests": c.HelpRequests, "help_requests_resolved": c.HelpRequestsResolved,
		}
	}
	return out, nil
}
