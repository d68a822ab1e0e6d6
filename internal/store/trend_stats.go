package store

import (
	"context"
	"fmt"
	"time"

	"pingan/internal/domain"
)

// TrendCounts are the headline counts of one range of a trend. Each count uses the same
// conditions as the figure of the same name in PortalStats, CoordinationStats or ServiceStats.
type TrendCounts struct {
	Published              int
	Original               int
	ReprintedOrContributed int
	PageViews              int64
	NoticesIssued          int
	InfoReports            int
	Inquiries              int
	Suggestions            int
	HelpRequests           int
	HelpRequestsResolved   int
	CoordinationMatters    int
}

// bucketed is one grouped count query of TrendCounts: a SELECT whose first column is the range
// number, from a CASE over the ranges' bounds.
type bucketed struct {
	query string
	args  []any
	scan  func(c *TrendCounts, vals []int64)
	width int // columns after the range number
}

// bucketExpr returns a CASE expression that numbers the range col falls in, with the bounds
// as parameters $next, $next+1, …: 0 for [bounds[0], bounds[1]), 1 for the next range, and so
// on. It is only meaningful for rows within [bounds[0], bounds[last]), which the queries' WHERE
// clauses select. The CASEs nest as a binary search, so a row takes about log2(ranges)
// comparisons instead of one per range.
func bucketExpr(col string, next, bounds int) string {
	var build func(lo, hi int) string // ranges lo … hi−1
	build = func(lo, hi int) string {
		if hi-lo == 1 {
			return fmt.Sprint(lo)
		}
		mid := (lo + hi) / 2
		return fmt.Sprintf("CASE WHEN %s < $%d THEN %s ELSE %s END", col, next+mid, build(lo, mid), build(mid, hi))
	}
	return build(0, bounds-1)
}

// TrendStats computes the headline counts of a town for each range [bounds[i], bounds[i+1]),
// with one grouped query per kind of record instead of one query per range. The bounds are
// midnights in Beijing time in increasing order, as the months of a stats period are.
func (db *DB) TrendStats(ctx context.Context, townID int64, bounds []time.Time) ([]TrendCounts, error) {
	if len(bounds) < 2 {
		return nil, nil
	}
	out := make([]TrendCounts, len(bounds)-1)
	times := make([]any, len(bounds))
	days := make([]any, len(bounds))
	for i, b := range bounds {
		times[i] = b.UTC()
		days[i] = domain.FormatDate(b)
	}
	n := len(bounds)
	last := fmt.Sprintf("$%d", n+1)
	// Every query takes $1 = town, $2 … $(n+1) = the bounds, then its own parameters.
	withTimes := func(extra ...any) []any { return append(append([]any{townID}, times...), extra...) }
	withDays := func(extra ...any) []any { return append(append([]any{townID}, days...), extra...) }
	now := db.now().UTC()
	queries := []bucketed{
		{
			// Articles scheduled past now do not count yet, as in PortalStats.
			query: `SELECT ` + bucketExpr("publish_at", 2, n) + ` AS b, COUNT(*),
				COALESCE(SUM(CASE WHEN source_kind = 'original' THEN 1 ELSE 0 END), 0)
				FROM articles WHERE town_id = $1 AND status = 'published' AND publish_at >= $2 AND publish_at < ` + last +
				fmt.Sprintf(` AND publish_at < $%d GROUP BY b`, n+2),
			args:  withTimes(now),
			width: 2,
			scan: func(c *TrendCounts, v []int64) {
				c.Published, c.Original, c.ReprintedOrContributed = int(v[0]), int(v[1]), int(v[0]-v[1])
			},
		},
		{
			// The bounds as days: a range [d0, d1) holds the views of d0 up to the day before d1.
			query: `SELECT ` + bucketExpr("v.day", 2, n) + ` AS b, COALESCE(SUM(v.views), 0)
				FROM article_views_daily v JOIN articles a ON a.id = v.article_id
				WHERE a.town_id = $1 AND v.day >= $2 AND v.day < ` + last + ` GROUP BY b`,
			args:  withDays(),
			width: 1,
			scan:  func(c *TrendCounts, v []int64) { c.PageViews = v[0] },
		},
		{
			query: `SELECT ` + bucketExpr("issued_at", 2, n) + ` AS b, COUNT(*) FROM notices
				WHERE town_id = $1 AND issued_at >= $2 AND issued_at < ` + last + ` GROUP BY b`,
			args: withTimes(), width: 1,
			scan: func(c *TrendCounts, v []int64) { c.NoticesIssued = int(v[0]) },
		},
		{
			query: `SELECT ` + bucketExpr("created_at", 2, n) + ` AS b, COUNT(*) FROM info_reports
				WHERE town_id = $1 AND created_at >= $2 AND created_at < ` + last + ` GROUP BY b`,
			args: withTimes(), width: 1,
			scan: func(c *TrendCounts, v []int64) { c.InfoReports = int(v[0]) },
		},
		{
			query: `SELECT ` + bucketExpr("created_at", 2, n) + ` AS b, COUNT(*) FROM inquiries
				WHERE town_id = $1 AND created_at >= $2 AND created_at < ` + last + ` GROUP BY b`,
			args: withTimes(), width: 1,
			scan: func(c *TrendCounts, v []int64) { c.Inquiries = int(v[0]) },
		},
		{
			// Consultations and help requests count as help requests, as in ServiceStats.
			query: `SELECT ` + bucketExpr("created_at", 2, n) + ` AS b,
				COALESCE(SUM(CASE WHEN kind = 'suggestion' THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN kind IN ('consultation', 'help') THEN 1 ELSE 0 END), 0),
				COALESCE(SUM(CASE WHEN kind IN ('consultation', 'help') AND resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0)
				FROM board_posts WHERE town_id = $1 AND created_at >= $2 AND created_at < ` + last + ` GROUP BY b`,
			args: withTimes(), width: 3,
			scan: func(c *TrendCounts, v []int64) {
				c.Suggestions, c.HelpRequests, c.HelpRequestsResolved = int(v[0]), c.HelpRequests+int(v[1]), c.HelpRequestsResolved+int(v[2])
			},
		},
		{
			// Live chats count as help requests too.
			query: `SELECT ` + bucketExpr("created_at", 2, n) + ` AS b, COUNT(*), COALESCE(SUM(CASE WHEN resolved THEN 1 ELSE 0 END), 0)
				FROM chats WHERE town_id = $1 AND created_at >= $2 AND created_at < ` + last + ` GROUP BY b`,
			args: withTimes(), width: 2,
			scan: func(c *TrendCounts, v []int64) {
				c.HelpRequests, c.HelpRequestsResolved = c.HelpRequests+int(v[0]), c.HelpRequestsResolved+int(v[1])
			},
		},
		{
			query: `SELECT ` + bucketExpr("registered_at", 2, n) + ` AS b, COUNT(*) FROM cases
				WHERE town_id = $1 AND registered_at >= $2 AND registered_at < ` + last + `
				AND merged_into IS NULL AND channel = 'coordination' GROUP BY b`,
			args: withTimes(), width: 1,
			scan: func(c *TrendCounts, v []int64) { c.CoordinationMatters = int(v[0]) },
		},
	}
	for _, q := range queries {
		if err := db.scanBuckets(ctx, q, out); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) scanBuckets(ctx context.Context, q bucketed, out []TrendCounts) error {
	rows, err := db.sql.QueryContext(ctx, q.query, q.args...)
	if err != nil {
		return fmt.Errorf("trend stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var b int
		vals := make([]int64, q.width)
		ptrs := []any{&b}
		for i := range vals {
			ptrs = append(ptrs, &vals[i])
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("trend stats: %w", err)
		}
		if b >= 0 && b < len(out) {
			q.scan(&out[b], vals)
		}
	}
	return rows.Err()
}
