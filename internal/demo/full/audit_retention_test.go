package full_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/demo"
	"pingan/internal/demo/full"
	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestDemoAuditSurvivesFirstPurge(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until := time.Date(2026, 12, 4, 0, 0, 0, 0, domain.Shanghai)
		// The first start happens late on the demo's last day, the latest moment its default
		// "until" (today) allows.
		db.Now = func() time.Time { return until.Add(23*time.Hour + 59*time.Minute) }
		hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 4)
		town, err := demo.Load(ctx, db, hasher, demo.Options{Until: until, Steps: full.Steps})
		if err != nil {
			t.Fatal(err)
		}
		var oldest time.Time
		if err := db.SQL().QueryRowContext(ctx, `SELECT at FROM audit_log ORDER BY at LIMIT 1`).Scan(&oldest); err != nil {
			t.Fatal(err)
		}
		var before, after int
		count := `SELECT COUNT(*) FROM audit_log`
		if err := db.SQL().QueryRowContext(ctx, count).Scan(&before); err != nil {
			t.Fatal(err)
		}
		purged, err := db.PurgeAudit(ctx, config.Defaults().AuditRetentionDays)
		if err != nil {
			t.Fatal(err)
		}
		if purged != 0 {
			t.Errorf("first purge deleted %d demo audit records; oldest is %s, demo starts %s", purged,
				domain.FormatTime(oldest), domain.FormatDate(town.From))
		}
		if err := db.SQL().QueryRowContext(ctx, count).Scan(&after); err != nil {
			t.Fatal(err)
		}
		if after != before {
			t.Errorf("audit records: %d before the purge, %d after", before, after)
		}
	})
}
