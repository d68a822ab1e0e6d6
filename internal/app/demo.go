package app

import (
	"context"
	"errors"
	"fmt"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/demo/full"
	"pingan/internal/domain"
)

// demoSteps are the feature areas' additions to the demo town, in order.
var demoSteps = full.Steps

func runDemo(ctx context.Context, args []string, cio IO) error {
	fs := newFlags("demo", cio)
	finish := config.Flags(fs, cio.Env)
	until := fs.String("until", "", "last day of the demo's six months, YYYY-MM-DD (default today)")
	archive := fs.Int("archive", 0, "also import this many generated older articles, for benchmarks (0–1000000)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *archive < 0 || *archive > 1_000_000 {
		return usageError{fmt.Sprintf("invalid --archive %d: want 0 to 1000000", *archive)}
	}
	cfg, err := finish()
	if err != nil {
		return usageError{err.Error()}
	}
	day := time.Now()
	if *until != "" {
		day, err = domain.ParseDate(*until)
		if err != nil {
			return usageError{fmt.Sprintf("invalid --until %q: want YYYY-MM-DD", *until)}
		}
	}
	e, err := open(ctx, cfg)
	if err != nil {
		return err
	}
	defer e.Close()
	start := time.Now()
	town, err := demo.Load(ctx, e.db, e.hasher, demo.Options{DataDir: cfg.DataDir, Until: day, Out: cio.Stdout, Steps: demoSteps, Files: e.files})
	if errors.Is(err, demo.ErrNotEmpty) {
		return usageError{err.Error()}
	}
	if err != nil {
		return err
	}
	if *archive > 0 {
		if err := demo.AddArchive(ctx, e.db, town, *archive); err != nil {
			return err
		}
		fmt.Fprintf(cio.Stdout, "已导入 %d 篇生成的历史稿件（用于性能测试）。\n", *archive)
	}
	fmt.Fprintf(cio.Stdout, "载入用时 %.1f 秒。启动：pingan serve --data %s\n", time.Since(start).Seconds(), cfg.DataDir)
	return nil
}
