package store

import (
	"context"
	"fmt"
	"strings"
	"time"

	"pingan/internal/board"
)

// unansweredCond is true for a post p that was accepted (published or accepted without
// publishing), was sent before the moment ? and had no answer by then: no reply of a unit on
// the board, no resolution of the post, and no reply or resolution of a case registered from
// it. The status is the post's current one, because moderation keeps no history of earlier
// statuses.
const unansweredCond = `p.status IN ('published', 'private') AND p.created_at < ?
	AND (p.resolved_at IS NULL OR p.resolved_at > ?)
	AND NOT EXISTS (SELECT 1 FROM board_messages m WHERE m.post_id = p.id AND m.author_kind = 'unit' AND m.created_at <= ?)
	AND NOT EXISTS (SELECT 1 FROM cases uc WHERE uc.post_id = p.id AND COALESCE(uc.replied_at, uc.resolved_at) <= ?)`

// unansweredWhere returns unansweredCond with every ? replaced by the placeholder $n.
func unansweredWhere(n int) string {
	return strings.ReplaceAll(unansweredCond, "?", fmt.Sprintf("$%d", n))
}

// UnansweredPost is an accepted board post that had no answer at a given moment.
type UnansweredPost struct {
	ID        int64
	Kind      board.Kind
	Title     string
	CreatedAt time.Time
}

// UnansweredPosts lists a town's posts that were unanswered at the moment asOf, oldest first.
func (db *DB) UnansweredPosts(ctx context.Context, townID int64, asOf time.Time) ([]UnansweredPost, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT p.id, p.kind, p.title, p.created_at FROM board_posts p
		WHERE p.town_id = $1 AND `+unansweredWhere(2)+` ORDER BY p.created_at, p.id`, townID, asOf.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnansweredPost
	for rows.Next() {
		var p UnansweredPost
		var kind string
		if err := rows.Scan(&p.ID, &kind, &p.Title, &p.CreatedAt); err != nil {
			return nil, err
		}
		p.Kind = board.Kind(kind)
		out = append(out, p)
	}
	return out, rows.Err()
}
