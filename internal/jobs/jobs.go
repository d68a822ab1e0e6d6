// Package jobs runs scheduled work (reminders, overdue checks, counter flushes, scheduled
// publishing, clean-ups) exactly once across every instance that shares a database: each run
// first claims the job's row with a conditional update, and only the instance that wins runs it.
package jobs

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"log/slog"
	"os"
	"sync"
	"time"
)

// Store is the part of the database the runner needs.
type Store interface {
	EnsureJob(ctx context.Context, name string, first time.Time) error
	ClaimJob(ctx context.Context, name, owner string, lease time.Duration) (bool, error)
	FinishJob(ctx context.Context, name, owner string, next time.Time, runErr error) error
}

// Job is one piece of scheduled work.
type Job struct {
	Name  string
	Every time.Duration
	// Lease is how long a claim lasts; it must exceed the job's longest run. Zero means 5 minutes.
	Lease time.Duration
	Run   func(ctx context.Context) error
}

// Runner polls the jobs table and runs due jobs. It is safe for concurrent use.
type Runner struct {
	store Store
	log   *slog.Logger
	owner string
	poll  time.Duration
	mu    sync.Mutex
	jobs  []Job
}

// NewRunner returns a Runner that checks for due jobs every poll interval.
func NewRunner(store Store, log *slog.Logger, poll time.Duration) *Runner {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	rand.Read(b)
	return &Runner{store: store, log: log, poll: poll, owner: fmt.Sprintf("%s-%d-%s", host, os.Getpid(), hex.EncodeToString(b))}
}

// Add registers a job. Call it before Start.
func (r *Runner) Add(j Job) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if j.Lease == 0 {
		j.Lease = 5 * time.Minute
	}
	r.jobs = append(r.jobs, j)
}

// Start registers the jobs in the database and runs the poll loop until ctx ends.
func (r *Runner) Start(ctx context.Context) error {
	r.mu.Lock()
	jobs := append([]Job(nil), r.jobs...)
	r.mu.Unlock()
	for _, j := range jobs {
		if err := r.store.EnsureJob(ctx, j.Name, time.Now()); err != nil {
			return fmt.Errorf("register job %s: %w", j.Name, err)
		}
	}
	go func() {
		t := time.NewTicker(r.poll)
		defer t.Stop()
		for {
			r.RunDue(ctx)
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
		}
	}()
	return nil
}

// RunDue runs every job that is due and that this runner manages to claim.
func (r *Runner) RunDue(ctx context.Context) {
	r.mu.Lock()
	jobs := append([]Job(nil), r.jobs...)
	r.mu.Unlock()
	for _, j := range jobs {
		if ctx.Err() != nil {
			return
		}
		ok, err := r.store.ClaimJob(ctx, j.Name, r.owner, j.Lease)
		if err != nil {
			r.log.Error("claim job failed", "job", j.Name, "error", err)
			continue
		}
		if !ok {
			continue
		}
		start := time.Now()
		runErr := r.run(ctx, j)
		if runErr != nil {
			r.log.Error("job failed", "job", j.Name, "error", runErr)
		} else {
			r.log.Debug("job done", "job", j.Name, "duration_ms", time.Since(start).Milliseconds())
		}
		if err := r.store.FinishJob(context.WithoutCancel(ctx), j.Name, r.owner, time.Now().Add(j.Every), runErr); err != nil {
			r.log.Error("finish job failed", "job", j.Name, "error", err)
		}
	}
}

func (r *Runner) run(ctx context.Context, j Job) (err error) {
	defer func() {
		if p := recover(); p != nil {
			err = fmt.Errorf("panic: %v", p)
		}
	}()
	ctx, cancel := context.WithTimeout(ctx, j.Lease)
	defer cancel()
	return j.Run(ctx)
}
