package store

import (
	"context"
	"fmt"
	"strings"
)

// NextSeq takes the next sequence number of a live topic inside the caller's transaction. The
// update locks the topic's row until commit, so a concurrent writer waits, and numbers become
// visible in the order they were taken: a reader that sees number n also sees every number
// below it. Every stored event that a live.Source replays takes its number here.
func (db *DB) NextSeq(ctx context.Context, q querier, topic string) (int64, error) {
	var seq int64
	err := q.QueryRowContext(ctx, `INSERT INTO live_topics (topic, last_seq) VALUES ($1, 1)
		ON CONFLICT (topic) DO UPDATE SET last_seq = live_topics.last_seq + 1
		RETURNING last_seq`, topic).Scan(&seq)
	if err != nil {
		return 0, fmt.Errorf("next seq of %s: %w", topic, err)
	}
	return seq, nil
}

// TopicHeads returns the last sequence number of each topic. Topics without events get 0.
func (db *DB) TopicHeads(ctx context.Context, topics []string) (map[string]int64, error) {
	out := make(map[string]int64, len(topics))
	if len(topics) == 0 {
		return out, nil
	}
	args := make([]any, len(topics))
	marks := make([]string, len(topics))
	for i, t := range topics {
		out[t] = 0
		args[i] = t
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT topic, last_seq FROM live_topics WHERE topic IN (`+strings.Join(marks, ",")+`)`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var t string
		var seq int64
		if err := rows.Scan(&t, &seq); err != nil {
			return nil, err
		}
		out[t] = seq
	}
	return out, rows.Err()
}
