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
