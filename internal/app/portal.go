package app

import (
	"context"
	"log/slog"
	"os"
	"time"

	"pingan/internal/jobs"
	"pingan/internal/web"
)

// viewsFlushEvery is how often the article views counted in memory reach the database.
const viewsFlushEvery = time.Minute

// registerPortalJobs adds the news portal's scheduled work. Views are counted in each
// instance's memory, so each instance needs its own flush: the job's name carries the host name,
// so instances on different hosts do not take each other's turn.
// NOTE: two instances on one host share the job. Each flushes its counts when it wins the claim,
// and every instance flushes once more when it stops.
func registerPortalJobs(r *jobs.Runner, srv *web.Server, log *slog.Logger) {
	host, err := os.Hostname()
	if err != nil || host == "" {
		host = "local"
	}
	r.Add(jobs.Job{Name: "views.flush@" + host, Every: viewsFlushEvery, Lease: time.Minute, Run: func(ctx context.Context) error {
		return srv.FlushViews(ctx)
	}})
}

// flushViewsAtShutdown stores the views still counted in memory when the server stops.
func flushViewsAtShutdown(ctx context.Context, srv *web.Server, log *slog.Logger) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.FlushViews(ctx); err != nil {
		log.Error("flush article views at shutdown failed", "error", err)
	}
}
