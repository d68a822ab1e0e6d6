package jobs_test

import (
	"context"
	"io"
	"log/slog"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pingan/internal/jobs"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestJobRunsOnceAcrossRunners starts several runners on one database, as several instances
// would, and checks that a due job runs exactly once.
func TestJobRunsOnceAcrossRunners(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		log := slog.New(slog.NewTextHandler(io.Discard, nil))
		var runs atomic.Int32
		job := jobs.Job{Name: "flush", Every: time.Hour, Run: func(context.Context) error {
			runs.Add(1)
			time.Sleep(20 * time.Millisecond)
			return nil
		}}
		var runners []*jobs.Runner
		for i := 0; i < 4; i++ {
			r := jobs.NewRunner(db, log, time.Hour)
			r.Add(job)
			runners = append(runners, r)
		}
		if err := db.EnsureJob(ctx, "flush", time.Now().Add(-time.Second)); err != nil {
			t.Fatal(err)
		}
		var wg sync.WaitGroup
		for _, r := range runners {
			wg.Add(1)
			go func() {
				defer wg.Done()
				r.RunDue(ctx)
			}()
		}
		wg.Wait()
		if n := runs.Load(); n != 1 {
			t.Errorf("job ran %d times, want 1", n)
		}
		// It is not due again until its interval has passed.
		runners[0].RunDue(ctx)
		if n := runs.Load(); n != 1 {
			t.Errorf("job ran again before its interval: %d runs", n)
		}
		list, err := db.Jobs(ctx)
		if err != nil || len(list) != 1 || list[0].LastRunAt.IsZero() || list[0].NextRunAt.Before(time.Now().Add(50*time.Minute)) {
			t.Errorf("job state = %+v, err %v", list, err)
		}
	})
}

func TestFailingJobRecordsError(t *testing.T) {
	db := storetest.Open(t, "sqlite")
	ctx := context.Background()
	r := jobs.NewRunner(db, slog.New(slog.NewTextHandler(io.Discard, nil)), time.Hour)
	r.Add(jobs.Job{Name: "broken", Every: time.Minute, Run: func(context.Context) error { panic("boom") }})
	db.EnsureJob(ctx, "broken", time.Now().Add(-time.Second))
	r.RunDue(ctx)
	list, _ := db.Jobs(ctx)
	if len(list) != 1 || list[0].LastError != "panic: boom" {
		t.Errorf("job state = %+v, want the panic recorded", list)
	}
}
