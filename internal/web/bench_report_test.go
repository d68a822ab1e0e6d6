package web

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// TestReportExportYear times the aggregate and the .xlsx export of a year of monthly reports
// from 100 organizations (1,200 reports of 13 fields). It runs only when PINGAN_BENCH=1:
//
//	PINGAN_BENCH=1 go test -run '^TestReportExportYear$' -v -count=1 ./internal/web
func TestReportExportYear(t *testing.T) {
	if os.Getenv("PINGAN_BENCH") != "1" {
		t.Skip("set PINGAN_BENCH=1 to run the export benchmark")
	}
	eachDB(t, func(t *testing.T, h *coordHarness) {
		ctx := context.Background()
		center := h.actor("coordinator")
		clock := time.Date(2024, 1, 2, 9, 0, 0, 0, domain.Shanghai)
		h.db.Now = func() time.Time { return clock.UTC() }
		defer func() { h.db.Now = func() time.Time { return time.Now().UTC() } }()

		admin := domain.Actor{TownID: h.town, Name: "基准测试", IP: "127.0.0.1"}
		kinds := []domain.OrgKind{domain.OrgVillage, domain.OrgVillage, domain.OrgVillage, domain.OrgEnterprise, domain.OrgSchool}
		var units []domain.Actor
		for i := range 100 {
			org, err := h.db.CreateOrg(ctx, admin, domain.Org{ParentID: h.town, Kind: kinds[i%len(kinds)], Name: fmt.Sprintf("基准单位%03d", i)})
			if err != nil {
				t.Fatal(err)
			}
			id, err := h.db.CreateAccount(ctx, admin, store.NewAccount{PasswordHash: h.hash, Account: domain.Account{OrgID: org,
				Username: fmt.Sprintf("bench%03d", i), DisplayName: "填报员" + strconv.Itoa(i), Roles: []domain.Role{domain.RoleReporter}}})
			if err != nil {
				t.Fatal(err)
			}
			units = append(units, domain.Actor{AccountID: id, TownID: h.town, OrgID: org, Name: "填报员", Roles: []domain.Role{domain.RoleReporter}})
		}
		var fields []domain.ReportField
		for i := range 10 {
			fields = append(fields, domain.ReportField{Section: "数据", Label: "整数项" + strconv.Itoa(i), Kind: domain.FieldInteger, Required: true})
		}
		fields = append(fields, domain.ReportField{Label: "比率", Kind: domain.FieldDecimal},
			domain.ReportField{Label: "形势", Kind: domain.FieldChoice, Choices: []string{"平稳", "基本平稳"}},
			domain.ReportField{Label: "小结", Kind: domain.FieldText})
		tid, err := h.db.CreateTemplate(ctx, center, domain.ReportTemplate{Name: "年度基准月报", Fields: fields})
		if err != nil {
			t.Fatal(err)
		}
		tpl, _ := h.db.GetTemplate(ctx, center, tid)
		var orgIDs []int64
		for _, u := range units {
			orgIDs = append(orgIDs, u.OrgID)
		}
		aid, _, err := h.db.CreateAssignment(ctx, center, domain.ReportAssignment{TemplateID: tid, Title: "年度基准月报",
			PeriodKind: domain.PeriodMonthly, DueDay: 5, StartsAt: clock}, orgIDs)
		if err != nil {
			t.Fatal(err)
		}
		seeding := time.Now()
		for month := range 12 {
			clock = time.Date(2024, time.Month(month+2), 3, 9, 0, 0, 0, domain.Shanghai)
			if _, err := h.db.OpenReportPeriods(ctx); err != nil {
				t.Fatal(err)
			}
			key := time.Date(2024, time.Month(month+1), 1, 0, 0, 0, 0, domain.Shanghai).Format("2006-01")
			for i, u := range units {
				id, err := h.db.OwnSubmissionID(ctx, h.db.SQL(), u, aid, key)
				if err != nil {
					t.Fatal(err)
				}
				values := map[int64]string{}
				for j, f := range tpl.Fields {
					switch f.Kind {
					case domain.FieldInteger:
						values[f.ID] = strconv.Itoa((i*7 + j*3 + month) % 40)
					case domain.FieldDecimal:
						values[f.ID] = strconv.Itoa(90+i%10) + ".25"
					case domain.FieldChoice:
						values[f.ID] = "平稳"
					default:
						values[f.ID] = "本月工作正常，无重大事项。"
					}
				}
				if err := h.db.SaveSubmission(ctx, u, id, values, store.SaveSubmit); err != nil {
					t.Fatal(err)
				}
			}
		}
		t.Logf("%s: seeded 1,200 reports in %s", h.dialect, time.Since(seeding).Round(time.Millisecond))
		clock = time.Date(2025, 1, 10, 9, 0, 0, 0, domain.Shanghai)

		c := h.signIn("coordinator")
		path := fmt.Sprintf("/admin/reports/assignments/%d/export.xlsx?from=2024-01&to=2024-12", aid)
		var runs []time.Duration
		var size int
		for range 5 {
			start := time.Now()
			res := c.get(path)
			runs = append(runs, time.Since(start))
			if res.status != http.StatusOK {
				t.Fatalf("export: status %d", res.status)
			}
			size = len(res.body)
		}
		slices.Sort(runs)
		t.Logf("%s: aggregate and export of 1,200 reports (%d KB .xlsx) over HTTP: median %s, fastest %s, slowest %s",
			h.dialect, size/1024, runs[2].Round(time.Millisecond), runs[0].Round(time.Millisecond), runs[4].Round(time.Millisecond))
		page := time.Now()
		if res := c.get(fmt.Sprintf("/admin/reports/assignments/%d/aggregate?from=2024-01&to=2024-12", aid)); res.status != http.StatusOK {
			t.Fatalf("aggregate page: status %d", res.status)
		}
		t.Logf("%s: aggregate page: %s", h.dialect, time.Since(page).Round(time.Millisecond))
	})
}
