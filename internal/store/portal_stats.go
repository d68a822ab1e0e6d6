package store

import (
	"context"
	"time"
)

// PortalFigures are the news portal's statistics of a period.
type PortalFigures struct {
	Published              int
	Original               int
	ReprintedOrContributed int
	ByColumn               map[string]int // column name → published articles
	ContributionsByOrg     map[string]int // organization name → contributions submitted
	PageViews              int64
}

// PortalStats computes the portal's figures for a town over [start, end): articles whose publish
// time falls in the range and that are still published and not scheduled past now,
// contributions first submitted in the range, and views counted on the days firstDay to
// lastDay (YYYY-MM-DD, Beijing time, inclusive).
func (db *DB) PortalStats(ctx context.Context, townID int64, start, end time.Time, firstDay, lastDay string) (PortalFigures, error) {
	f := PortalFigures{ByColumn: map[string]int{}, ContributionsByOrg: map[string]int{}}
	now := db.now()
	if end.After(now) {
		end = now
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT c.name, a.source_kind, COUNT(*) FROM articles a JOIN columns c ON c.id = a.column_id
		WHERE a.town_id = $1 AND a.status = 'published' AND a.publish_at >= $2 AND a.publish_at < $3
		GROUP BY c.name, a.source_kind`, townID, start.UTC(), end.UTC())
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var column, kind string
		var n int
		if err := rows.Scan(&column, &kind, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.Published += n
		f.ByColumn[column] += n
		if kind == "original" {
			f.Original += n
		} else {
			f.ReprintedOrContributed += n
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}

	rows, err = db.sql.QueryContext(ctx, `SELECT o.name, COUNT(*) FROM articles a JOIN orgs o ON o.id = a.contributor_org_id
		WHERE a.town_id = $1 AND a.submitted_at >= $2 AND a.submitted_at < $3 GROUP BY o.name`, townID, start.UTC(), end.UTC())
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var org string
		var n int
		if err := rows.Scan(&org, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.ContributionsByOrg[org] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}

	err = db.sql.QueryRowContext(ctx, `SELECT COALESCE(SUM(v.views), 0) FROM article_views_daily v JOIN articles a ON a.id = v.article_id
		WHERE a.town_id = $1 AND v.day >= $2 AND v.day <= $3`, townID, firstDay, lastDay).Scan(&f.PageViews)
	return f, err
}
