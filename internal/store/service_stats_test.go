package store_test

import (
	"context"
	"testing"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestServiceAveragesCountResolutionAsReply checks that a case resolved without a separate
// reply counts in the average reply time, as it does in the on-time reply rate, and that a
// period without cases has no averages rather than averages of 0 hours.
func TestServiceAveragesCountResolutionAsReply(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		st := seedServiceTown(t, db)
		town := st.center.TownID
		start := time.Date(2026, 9, 1, 1, 0, 0, 0, time.UTC)
		now := start
		db.Now = func() time.Time { return now }
		c, err := db.RegisterCase(ctx, st.dispatcher, store.NewCase{Channel: casework.ChannelPhone, Category: casework.CategoryEnvironment,
			Title: "河道漂浮垃圾", Body: "村口河道有大量漂浮垃圾。", Citizen: store.Citizen{Name: "沈某", Phone: "13900002222"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range []struct {
			actor domain.Actor
			in    store.CaseInput
			after time.Duration
		}{
			{st.dispatcher, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: st.ecologyOrg}, 0},
			{st.ecology, store.CaseInput{Action: casework.ActAcknowledge}, 2 * time.Hour},
			{st.ecology, store.CaseInput{Action: casework.ActResolve, Note: "已组织保洁员清理。"}, 30 * time.Hour},
		} {
			now = now.Add(s.after)
			if _, err := db.CaseAction(ctx, s.actor, c.ID, s.in); err != nil {
				t.Fatalf("%s: %v", s.in.Action, err)
			}
		}

		f, err := db.ServiceStats(ctx, town, start.AddDate(0, 0, -1), start.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		if f.ReplyOnTime.Den != 1 {
			t.Fatalf("on-time reply rate counts %d cases, want 1", f.ReplyOnTime.Den)
		}
		if f.AvgHoursToAck != (store.Mean{Sum: 2, N: 1}) {
			t.Errorf("acknowledgement mean = %+v, want 2 hours over 1 case", f.AvgHoursToAck)
		}
		if f.AvgHoursToReply != (store.Mean{Sum: 32, N: 1}) {
			t.Errorf("reply mean = %+v, want 32 hours over 1 case (resolved without a separate reply)", f.AvgHoursToReply)
		}
		if f.AvgHoursToResolve != (store.Mean{Sum: 32, N: 1}) {
			t.Errorf("resolution mean = %+v, want 32 hours over 1 case", f.AvgHoursToResolve)
		}
		_, total, err := db.ListCases(ctx, st.dispatcher, store.CaseFilter{From: start.AddDate(0, 0, -1), To: start.AddDate(0, 0, 1),
			Reached: store.StepReplied, Page: store.Page{Size: 20}})
		if err != nil {
			t.Fatal(err)
		}
		if total != f.AvgHoursToReply.N {
			t.Errorf("the reached=replied list has %d cases, the reply mean averages %d", total, f.AvgHoursToReply.N)
		}

		empty, err := db.ServiceStats(ctx, town, start.AddDate(-1, 0, 0), start.AddDate(-1, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		for name, m := range map[string]store.Mean{"acknowledgement": empty.AvgHoursToAck, "reply": empty.AvgHoursToReply, "resolution": empty.AvgHoursToResolve} {
			if m.N != 0 {
				t.Errorf("%s mean of an empty period = %+v, want no cases", name, m)
			}
		}
	})
}
