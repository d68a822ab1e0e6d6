package store

import (
	"context"
	"time"
)

// LatestPublished returns, for each column of a town that has published articles, the publish
// time of its newest article published at or before asOf.
func (db *DB) LatestPublished(ctx context.Context, townID int64, asOf time.Time) (map[int64]time.Time, error) {
	// The newest article is the one without a newer one; selecting a plain column instead of
	// MAX keeps the value a timestamp on both databases.
	rows, err := db.sql.QueryContext(ctx, `SELECT a.column_id, a.publish_at FROM articles a
		WHERE a.town_id = $1 AND a.status = 'published' AND a.publish_at <= $2
		AND NOT EXISTS (SELECT 1 FROM articles n WHERE n.column_id = a.column_id AND n.status = 'published'
			AND n.publish_at <= $2 AND n.publish_at > a.publish_at)`, townID, asOf.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]time.Time{}
	for rows.Next() {
		var id int64
		var at time.Time
		if err := rows.Scan(&id, &at); err != nil {
			return nil, err
		}
		out[id] = at
	}
	return out, rows.Err()
}
