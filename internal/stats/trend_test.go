package stats_test

import (
	"context"
	"testing"

	"pingan/internal/demo"
	"pingan/internal/demo/full"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestTrendMatchesComputePerMonth checks that the grouped monthly counts equal Compute run on
// each month alone, for the demo town's half year and the month before it.
func TestTrendMatchesComputePerMonth(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until, _ := domain.ParseDate("2026-12-04")
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 2)
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: until, Steps: full.Steps, Files: files.Disk{Dir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		sources := []stats.Source{stats.Portal, stats.Coordination, stats.Service}
		months := stats.Months(stats.Period{From: town.From.AddDate(0, -1, 0), To: town.Until})
		trend, err := stats.Trend(ctx, db, town.TownID, months)
		if err != nil {
			t.Fatal(err)
		}
		if len(trend) != len(months) {
			t.Fatalf("trend has %d months, want %d", len(trend), len(months))
		}
		total := map[string]float64{}
		for i, m := range months {
			want, err := stats.Compute(ctx, db, town.TownID, m, sources)
			if err != nil {
				t.Fatal(err)
			}
			for _, key := range stats.TrendKeys {
				got, okGot := stats.Number(trend[i], key)
				w, okWant := stats.Number(want, key)
				if !okGot || !okWant || got != w {
					t.Errorf("%s %s: trend %v, Compute %v", m.Label(), key, trend[i][key], want[key])
				}
				total[key] += got
			}
		}
		for _, key := range []string{"articles_published", "page_views", "notices_issued", "inquiries", "suggestions", "coordination_matters"} {
			if total[key] == 0 {
				t.Errorf("%s is 0 in every month; the comparison checks nothing", key)
			}
		}
	})
}
