package store_test

import (
	"context"
	"database/sql"
	"sync"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// coordTown is a town with a center coordinator and two villages with a reporter each.
type coordTown struct {
	center, village1, village2 domain.Actor
}

func seedCoordTown(t *testing.T, db *store.DB) coordTown {
	t.Helper()
	ctx := context.Background()
	admin, center := seedTown(t, db, "高桥镇")
	account := func(org int64, username string, role domain.Role) domain.Actor {
		id, err := db.CreateAccount(ctx, admin, store.NewAccount{PasswordHash: "x", Account: domain.Account{OrgID: org,
			Username: username, DisplayName: username, Roles: []domain.Role{role}}})
		if err != nil {
			t.Fatal(err)
		}
		return domain.Actor{AccountID: id, TownID: admin.TownID, OrgID: org, Name: username, Roles: []domain.Role{role}}
	}
	v1, err := db.CreateOrg(ctx, admin, domain.Org{ParentID: admin.TownID, Kind: domain.OrgVillage, Name: "越丰村"})
	if err != nil {
		t.Fatal(err)
	}
	v2, err := db.CreateOrg(ctx, admin, domain.Org{ParentID: admin.TownID, Kind: domain.OrgVillage, Name: "高桥村"})
	if err != nil {
		t.Fatal(err)
	}
	return coordTown{center: account(center, "coordinator", domain.RoleCoordinator),
		village1: account(v1, "yuefeng", domain.RoleReporter), village2: account(v2, "gaoqiao", domain.RoleReporter)}
}

func TestNextSeqUnderConcurrentWriters(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		var wg sync.WaitGroup
		seen := make(chan int64, 40)
		for range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for range 10 {
					err := db.Tx(ctx, func(tx *sqlTx) error {
						n, err := db.NextSeq(ctx, tx, "wg:1")
						seen <- n
						return err
					})
					if err != nil {
						t.Error(err)
					}
				}
			}()
		}
		wg.Wait()
		close(seen)
		got := map[int64]bool{}
		for n := range seen {
			if got[n] {
				t.Errorf("seq %d taken twice", n)
			}
			got[n] = true
		}
		for i := int64(1); i <= 40; i++ {
			if !got[i] {
				t.Errorf("seq %d missing", i)
			}
		}
	})
}

func TestNoticeAutomaticReminderOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		town := seedCoordTown(t, db)
		now := time.Now().UTC()
		db.Now = func() time.Time { return now }
		id, _, err := db.IssueNotice(ctx, town.center, domain.Notice{Kind: domain.NoticeRequirement, Title: "报送排查台账",
			Body: "请于周五前报送。", Deadline: now.Add(30 * time.Hour), FeedbackRequired: true},
			[]int64{town.village1.OrgID, town.village2.OrgID}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.AddNoticeFeedback(ctx, town.village1, id, "已报送。", nil); err != nil {
			t.Fatal(err)
		}
		if notes, _ := db.RemindNoticesBeforeDeadline(ctx, 24*time.Hour); len(notes) != 0 {
			t.Errorf("reminders 30 h before the deadline: %d, want 0", len(notes))
		}
		now = now.Add(8 * time.Hour)
		notes, err := db.RemindNoticesBeforeDeadline(ctx, 24*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 1 || notes[0].AccountID != town.village2.AccountID {
			t.Errorf("reminders 22 h before the deadline = %+v, want one to 高桥村", notes)
		}
		if again, _ := db.RemindNoticesBeforeDeadline(ctx, 24*time.Hour); len(again) != 0 {
			t.Errorf("second run sent %d reminders, want 0", len(again))
		}
	})
}

func TestReportPeriodsOpenAndRemind(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		town := seedCoordTown(t, db)
		jan := time.Date(2024, 1, 15, 9, 0, 0, 0, domain.Shanghai).UTC()
		now := jan
		db.Now = func() time.Time { return now }
		tid, err := db.CreateTemplate(ctx, town.center, domain.ReportTemplate{Name: "月报", Fields: []domain.ReportField{
			{Label: "纠纷", Kind: domain.FieldInteger, Required: true}}})
		if err != nil {
			t.Fatal(err)
		}
		if _, _, err := db.CreateAssignment(ctx, town.center, domain.ReportAssignment{TemplateID: tid, Title: "月报",
			PeriodKind: domain.PeriodMonthly, DueDay: 5, StartsAt: jan}, []int64{town.village1.OrgID, town.village2.OrgID}); err != nil {
			t.Fatal(err)
		}
		now = time.Date(2024, 3, 2, 9, 0, 0, 0, domain.Shanghai).UTC()
		notes, err := db.OpenReportPeriods(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if len(notes) != 2 {
			t.Errorf("opening February and March notified %d accounts, want 2 (March only)", len(notes))
		}
		list, total, err := db.ListOwnSubmissions(ctx, town.village1, store.Page{Number: 1, Size: 10})
		if err != nil || total != 3 || list[0].PeriodKey != "2024-03" {
			t.Fatalf("village reports = %d (%v), newest %v", total, err, list)
		}
		// February's report is due before March 6 and still open: remind once.
		reminders, err := db.RemindReportsDue(ctx, 48*time.Hour)
		if err != nil {
			t.Fatal(err)
		}
		if len(reminders) != 0 {
			t.Errorf("reminders on March 2 = %d, want 0", len(reminders))
		}
		now = time.Date(2024, 3, 4, 9, 0, 0, 0, domain.Shanghai).UTC()
		if reminders, _ := db.RemindReportsDue(ctx, 48*time.Hour); len(reminders) != 2 {
			t.Errorf("reminders on March 4 = %d, want 2", len(reminders))
		}
		if reminders, _ := db.RemindReportsDue(ctx, 48*time.Hour); len(reminders) != 0 {
			t.Errorf("repeated reminders = %d, want 0", len(reminders))
		}
		// Stats: January's reports were due on February 6 and are missing.
		from := time.Date(2024, 2, 1, 0, 0, 0, 0, domain.Shanghai)
		f, err := db.CoordinationStats(ctx, town.center.TownID, from, from.AddDate(0, 1, 0))
		if err != nil {
			t.Fatal(err)
		}
		if f.ReportsLate != 2 {
			t.Errorf("late reports due in February = %d, want 2", f.ReportsLate)
		}
	})
}

func TestPendingArticleClaimedOnce(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		town := seedCoordTown(t, db)
		id, _, err := db.SubmitInfoReport(ctx, town.village1, domain.InfoReport{Category: "work_news", Title: "防汛演练", Body: "正文"}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := db.ReviewInfoReport(ctx, town.center, id, true, ""); err != nil {
			t.Fatal(err)
		}
		pending, _ := db.PendingArticles(ctx, town.center.TownID)
		if len(pending) != 1 {
			t.Fatalf("pending = %d, want 1", len(pending))
		}
		claim := func() error {
			return db.Tx(ctx, func(tx *sqlTx) error { return db.ClaimPendingArticleTx(ctx, tx, town.center, pending[0].ID, 99) })
		}
		if err := claim(); err != nil {
			t.Fatal(err)
		}
		if err := claim(); domain.ErrorKind(err) != domain.KindConflict {
			t.Errorf("second claim: err = %v, want conflict", err)
		}
		if left, _ := db.PendingArticles(ctx, town.center.TownID); len(left) != 0 {
			t.Errorf("pending after claim = %d", len(left))
		}
	})
}

type sqlTx = sql.Tx
