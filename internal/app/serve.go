package app

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"runtime/debug"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/jobs"
	"pingan/internal/web"
)

func runServe(ctx context.Context, args []string, cio IO) error {
	fs := newFlags("serve", cio)
	finish := config.Flags(fs, cio.Env)
	loadDemo := fs.Bool("demo", cio.Env("PINGAN_DEMO") == "1", "load the demo town into an empty data folder before serving (PINGAN_DEMO=1)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	cfg.Demo = *loadDemo
	log := cfg.Logger(cio.Stderr)

	start := time.Now()
	e, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()

	empty, err := e.db.IsEmpty(ctx)
	if err != nil {
		return err
	}
	switch {
	case empty && cfg.Demo:
		if _, err := demo.Load(ctx, e.db, e.hasher, demo.Options{DataDir: cfg.DataDir, Until: time.Now(), Out: cio.Stdout, Steps: demoSteps, Files: e.files}); err != nil {
			return fmt.Errorf("load demo: %w", err)
		}
	case empty:
		if err := bootstrap(ctx, e, cio.Stdout); err != nil {
			return fmt.Errorf("initialize: %w", err)
		}
	case cfg.Demo:
		fmt.Fprintf(cio.Stdout, "数据目录 %s 中已有数据，本次不再载入演示数据，直接使用现有数据。\n", cfg.DataDir)
	}

	hub, err := openHub(ctx, e, log)
	if err != nil {
		return err
	}
	defer hub.Close()
	srv, err := web.New(web.Deps{DB: e.db, Files: e.files, Log: log, Hasher: e.hasher, Config: cfg, Hub: hub,
		StatsSources: statsSources})
	if err != nil {
		return err
	}
	runner := jobs.NewRunner(e.db, log, 30*time.Second)
	registerJobs(runner, e, srv, log)
	registerCoordinationJobs(runner, e, srv, log)
	registerPortalJobs(runner, srv, log)
	jobCtx, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	if err := runner.Start(jobCtx); err != nil {
		return err
	}

	// First-start hashing and migrations leave tens of megabytes of garbage. Returning it to the
	// system now keeps the idle process small, because the scavenger would take minutes.
	debug.FreeOSMemory()

	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", cfg.Listen, err)
	}
	hs := srv.HTTPServer()
	log.Info("server started", "addr", ln.Addr().String(), "database", e.db.Dialect(), "data", cfg.DataDir,
		"startup_ms", time.Since(start).Milliseconds(), "version", Version())
	fmt.Fprintf(cio.Stdout, "平安网已启动：http://%s/ （后台登录：http://%s/signin）\n", ln.Addr().String(), ln.Addr().String())

	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	select {
	case err := <-errc:
		if !errors.Is(err, http.ErrServerClosed) {
			return err
		}
	case <-ctx.Done():
	}
	log.Info("server stopping")
	stopJobs()
	// Closing the hub ends the event streams, which would otherwise hold Shutdown until its timeout.
	hub.Close()
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), cfg.ShutdownTimeout)
	defer cancel()
	if err := hs.Shutdown(shutdownCtx); err != nil {
		log.Error("shutdown", "error", err)
	}
	flushViewsAtShutdown(ctx, srv, log)
	log.Info("server stopped")
	return nil
}
