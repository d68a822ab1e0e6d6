// Command bigtown builds a large town for benchmarks: the demo town 高桥镇, then copies of its
// half year of records shifted back in time, so that the town has -scale times the demo's
// monthly volume of every kind of record for -years years. Run it from the repository root:
//
//	go run ./tools/bigtown -data /tmp/bigtown -scale 20 -years 5
//	go run ./tools/bigtown -data /tmp/bigtown-pg -database-url postgres://postgres@127.0.0.1:5432/bench_town
//
// The data folder (and the PostgreSQL database, when given) must be empty; `pingan serve` with
// the same -data and database URL then opens the town. The demo accounts and their passwords
// are printed and written to demo-accounts.txt in the data folder. It is not part of the binary.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"time"

	"pingan/internal/app"
	"pingan/internal/config"
	"pingan/internal/pii"
	"pingan/internal/store"
)

func main() {
	dataDir := flag.String("data", "", "empty data folder for the town (required)")
	databaseURL := flag.String("database-url", os.Getenv("PINGAN_DATABASE_URL"), "postgres:// URL of an empty database; empty uses SQLite in the data folder")
	scale := flag.Int("scale", 20, "copies of the demo's half year per half year (times the demo's monthly volume)")
	years := flag.Int("years", 5, "years of records, counted back from today")
	flag.Parse()
	if *dataDir == "" {
		fmt.Fprintln(os.Stderr, "bigtown: -data is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dataDir, *databaseURL, Plan{Scale: *scale, Years: *years, Out: os.Stdout}); err != nil {
		fmt.Fprintln(os.Stderr, "bigtown:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dataDir, databaseURL string, plan Plan) error {
	if plan.Scale < 1 || plan.Years < 1 || plan.Copies() > 2000 {
		return fmt.Errorf("invalid -scale %d and -years %d: both at least 1, scale × years × 2 at most 2000", plan.Scale, plan.Years)
	}
	env := func(key string) string {
		if key == "PINGAN_DATABASE_URL" {
			return databaseURL
		}
		return os.Getenv(key)
	}
	start := time.Now()
	fmt.Fprintln(plan.Out, "loading the demo town")
	if err := app.Run(ctx, []string{"demo", "--data", dataDir}, env, os.Stdin, plan.Out, os.Stderr); err != nil {
		return fmt.Errorf("load demo: %w", err)
	}

	cfg := config.Defaults()
	cfg.DataDir = dataDir
	key, err := pii.LoadOrCreateKey(os.Getenv("PINGAN_PII_KEY"), cfg.KeyPath())
	if err != nil {
		return err
	}
	keys, err := pii.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, store.Options{URL: databaseURL, SQLitePath: cfg.SQLitePath(), Keys: keys})
	if err != nil {
		return err
	}
	defer db.Close()
	if err := Multiply(ctx, db, plan); err != nil {
		return err
	}
	counts, err := CountRows(ctx, db)
	if err != nil {
		return err
	}
	fmt.Fprintf(plan.Out, "done in %.0f s; rows per kind:\n", time.Since(start).Seconds())
	for _, k := range counts {
		fmt.Fprintf(plan.Out, "  %-22s %9d\n", k.Name, k.Rows)
	}
	return nil
}

// KindCount is the number of rows of one kind of record.
type KindCount struct {
	Name string
	Rows int64
}

// CountRows counts the rows of each copied table, and the page views (the sum of the daily
// view counts).
func CountRows(ctx context.Context, db *store.DB) ([]KindCount, error) {
	var out []KindCount
	for _, t := range copiedTables {
		var n int64
		if err := db.SQL().QueryRowContext(ctx, `SELECT COUNT(*) FROM `+t.name).Scan(&n); err != nil {
			return nil, err
		}
		out = append(out, KindCount{t.name, n})
	}
	var views int64
	if err := db.SQL().QueryRowContext(ctx, `SELECT COALESCE(SUM(views), 0) FROM article_views_daily`).Scan(&views); err != nil {
		return nil, err
	}
	return append(out, KindCount{"page views", views}), nil
}
