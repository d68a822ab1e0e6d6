package stats_test

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestRatesWithoutDataAreNull(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, domain.Shanghai)
		figs, err := stats.Compute(context.Background(), db, 1, stats.Period{From: day, To: day.AddDate(0, 0, 30)},
			[]stats.Source{stats.Service, stats.Coordination})
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(figs)
		if err != nil {
			t.Fatal(err)
		}
		rates := 0
		for _, f := range stats.Catalog {
			if f.Shape != stats.Rate {
				continue
			}
			rates++
			if v, present := figs[f.Key]; !present || v != nil {
				t.Errorf("%s = %v (present %v), want nil", f.Key, v, present)
			}
			if _, ok := stats.Number(figs, f.Key); ok {
				t.Errorf("Number(%s) reports a value for a rate without data", f.Key)
			}
			if !strings.Contains(string(out), `"`+f.Key+`":null`) {
				t.Errorf("JSON lacks %s: null: %s", f.Key, out)
			}
		}
		if rates == 0 {
			t.Error("the catalog has no rate figures")
		}
		if v, ok := stats.Number(figs, "cases"); !ok || v != 0 {
			t.Errorf("cases = %v, %v; want 0, true", v, ok)
		}
	})
}

func TestAveragesWithoutDataAreNull(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		day := time.Date(2026, 1, 1, 0, 0, 0, 0, domain.Shanghai)
		figs, err := stats.Compute(context.Background(), db, 1, stats.Period{From: day, To: day.AddDate(0, 0, 30)}, []stats.Source{stats.Service})
		if err != nil {
			t.Fatal(err)
		}
		out, err := json.Marshal(figs)
		if err != nil {
			t.Fatal(err)
		}
		averages := 0
		for _, f := range stats.Catalog {
			if f.Shape != stats.Average {
				continue
			}
			averages++
			if v, present := figs[f.Key]; !present || v != nil {
				t.Errorf("%s = %v (present %v), want nil", f.Key, v, present)
			}
			if !strings.Contains(string(out), `"`+f.Key+`":null`) {
				t.Errorf("JSON lacks %s: null: %s", f.Key, out)
			}
		}
		if averages != 3 {
			t.Errorf("the catalog has %d average figures, want 3", averages)
		}
	})
}

func TestChangeRoundsToShownPrecision(t *testing.T) {
	avg, _ := stats.Lookup("avg_hours_to_acknowledge")
	rate, _ := stats.Lookup("reply_on_time_rate")
	count, _ := stats.Lookup("cases")
	for _, c := range []struct {
		f         stats.Figure
		cur, prev float64
		want      string
	}{
		{avg, 15.3, 26.2, "−10.9"},
		{avg, 58.8, 64, "−5.2"},
		{avg, 26.2, 9.4, "+16.8"},
		{avg, 4.1, 4.1, "持平"},
		{rate, 0.5556, 0.5, "+5.6 个百分点"},
		{rate, 0.5, 0.7143, "−21.4 个百分点"},
		{count, 9, 12, "−3"},
		{count, 12, 9, "+3"},
	} {
		if got := stats.Change(c.f, c.cur, c.prev); got != c.want {
			t.Errorf("Change(%s, %v, %v) = %q, want %q", c.f.Key, c.cur, c.prev, got, c.want)
		}
	}
}

func TestPeriodTooLongAfterFiveYears(t *testing.T) {
	day := func(s string) time.Time {
		t.Helper()
		d, err := domain.ParseDate(s)
		if err != nil {
			t.Fatal(err)
		}
		return d
	}
	for _, c := range []struct {
		from, to string
		tooLong  bool
	}{
		{"2026-11-25", "2026-11-25", false},
		{"2021-11-26", "2026-11-25", false},
		{"2021-11-25", "2026-11-25", true},
		{"2020-02-29", "2025-02-28", false},
		{"2020-02-29", "2025-03-01", true},
	} {
		p := stats.Period{From: day(c.from), To: day(c.to)}
		if got := p.TooLong(); got != c.tooLong {
			t.Errorf("%s to %s: TooLong() = %v, want %v", c.from, c.to, got, c.tooLong)
		}
	}
}
