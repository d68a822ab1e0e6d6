package main

import (
	"context"
	"database/sql"
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

// TestMultiplyCopiesEveryKind makes a town of twice the demo's volume over one year and checks
// the row counts of every copied kind, the figures of the whole span, and that the product can
// still add records afterwards.
func TestMultiplyCopiesEveryKind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until, _ := domain.ParseDate("2026-12-04")
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 2)
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: until, Steps: full.Steps, Files: files.Disk{Dir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		before, err := CountRows(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		plan := Plan{Scale: 2, Years: 1}
		if err := Multiply(ctx, db, plan); err != nil {
			t.Fatal(err)
		}
		after, err := CountRows(ctx, db)
		if err != nil {
			t.Fatal(err)
		}
		copies := int64(plan.Copies())
		for i, k := range after {
			if k.Rows != before[i].Rows*copies {
				t.Errorf("%s: %d rows, want %d × %d", k.Name, k.Rows, copies, before[i].Rows)
			}
		}

		// Every copy falls in the demo's half year or the one before it, shifted by whole days.
		span := stats.Period{From: town.From.AddDate(0, 0, -183-plan.Scale), To: town.Until}
		figs, err := stats.Compute(ctx, db, town.TownID, span, []stats.Source{stats.Portal, stats.Coordination, stats.Service})
		if err != nil {
			t.Fatal(err)
		}
		// The demo's two articles scheduled after its period count in the copies shifted into
		// the past, so there are between 120 and 122 published articles per copy.
		if got, _ := stats.Number(figs, "articles_published"); got < float64(120*plan.Copies()) || got > float64(122*plan.Copies()) {
			t.Errorf("articles_published over %s = %v, want %d to %d", span.Label(), got, 120*plan.Copies(), 122*plan.Copies())
		}
		for key, demoValue := range map[string]int{"notices_issued": 26, "inquiries": 81,
			"information_reports": 57, "suggestions": 26, "coordination_matters": 22} {
			if got, _ := stats.Number(figs, key); got != float64(demoValue*plan.Copies()) {
				t.Errorf("%s over %s = %v, want %d", key, span.Label(), got, demoValue*plan.Copies())
			}
		}

		err = db.Tx(ctx, func(tx *sql.Tx) error {
			return db.AppendAuditTx(ctx, tx, store.AuditFor(domain.Actor{TownID: town.TownID, Name: "测试"}, "test.after_copies", "org",
				town.TownID, domain.OutcomeSuccess, "复制之后仍可写入审计记录"))
		})
		if err != nil {
			t.Errorf("append an audit record after the copies: %v", err)
		}
	})
}
