package store

import (
	"context"
	"time"
)

// EnsureJob registers a scheduled job so that it first runs at first, unless it exists already.
func (db *DB) EnsureJob(ctx context.Context, name string, first time.Time) error {
	_, err := db.sql.ExecContext(ctx, `INSERT INTO jobs (name, next_run_at) VALUES ($1, $2) ON CONFLICT (name) DO NOTHING`, name, first.UTC())
	return err
}

// ClaimJob takes the lease of a due job for owner until now+lease. Exactly one of several
// instances that try at once gets it, because the claim is one conditional UPDATE; the lease
// expires on its own if the owner dies while running the job.
func (db *DB) ClaimJob(ctx context.Context, name, owner string, lease time.Duration) (bool, error) {
	now := db.now()
	res, err := db.sql.ExecContext(ctx, `UPDATE jobs SET locked_until = $1, locked_by = $2
		WHERE name = $3 AND next_run_at <= $4 AND (locked_until IS NULL OR locked_until < $4)`,
		now.Add(lease), owner, name, now)
	if err != nil {
		return false, err
	}
	n, err := res.RowsAffected()
	return n == 1, err
}

// FinishJob releases the lease of a job held by owner and schedules its next run.
func (db *DB) FinishJob(ctx context.Context, name, owner string, next time.Time, runErr error) error {
	msg := ""
	if runErr != nil {
		msg = runErr.Error()
	}
	_, err := db.sql.ExecContext(ctx, `UPDATE jobs SET locked_until = NULL, locked_by = '', last_run_at = $1, next_run_at = $2, last_error = $3
		WHERE name = $4 AND locked_by = $5`, db.now(), next.UTC(), msg, name, owner)
	return err
}

// JobStatus is the state of one scheduled job.
type JobStatus struct {
	Name      string
	NextRunAt time.Time
	LastRunAt time.Time
	LastError string
}

// Jobs returns the state of every scheduled job.
func (db *DB) Jobs(ctx context.Context) ([]JobStatus, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT name, next_run_at, last_run_at, last_error FROM jobs ORDER BY name`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []JobStatus
	for rows.Next() {
		var j JobStatus
		var last nullTimeScanner
		if err := rows.Scan(&j.Name, &j.NextRunAt, &last, &j.LastError); err != nil {
			return nil, err
		}
		j.LastRunAt = last.Time
		out = append(out, j)
	}
	return out, rows.Err()
}
