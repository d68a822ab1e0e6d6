package app

import (
	"bytes"
	"context"
	"encoding/json"
	"path/filepath"
	"testing"
)

// TestStatsJSONAfterDemo loads the demo through the command line and checks the portal's figures
// that `pingan stats --json` prints for the demo's six months.
func TestStatsJSONAfterDemo(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "data")
	env := func(string) string { return "" }
	var out, errOut bytes.Buffer
	ctx := context.Background()
	if err := Run(ctx, []string{"demo", "--data", dir, "--until", "2026-06-30"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("demo: %v\n%s", err, errOut.String())
	}
	out.Reset()
	if err := Run(ctx, []string{"stats", "--data", dir, "--from", "2026-01-01", "--to", "2026-06-30", "--json"}, env, nil, &out, &errOut); err != nil {
		t.Fatalf("stats: %v\n%s", err, errOut.String())
	}
	var figs struct {
		Published     int            `json:"articles_published"`
		Original      int            `json:"articles_original"`
		Reprinted     int            `json:"articles_reprinted_or_contributed"`
		ByColumn      map[string]int `json:"articles_by_column"`
		Contributions map[string]int `json:"contributions_by_org"`
		PageViews     int            `json:"page_views"`
	}
	if err := json.Unmarshal(out.Bytes(), &figs); err != nil {
		t.Fatalf("stats output is not one JSON object: %v\n%s", err, out.String())
	}
	if figs.Published != 120 || figs.Original != 44 || figs.Reprinted != 76 {
		t.Errorf("published %d, original %d, reprinted or contributed %d; want 120, 44, 76", figs.Published, figs.Original, figs.Reprinted)
	}
	for column, want := range map[string]int{"会议精神": 18, "工作动态": 23, "平安提示": 18, "经验交流": 9} {
		if figs.ByColumn[column] != want {
			t.Errorf("articles_by_column[%s] = %d, want %d", column, figs.ByColumn[column], want)
		}
	}
	if figs.PageViews <= 1000 || figs.PageViews > 1100 {
		t.Errorf("page_views = %d, want a little over 1000", figs.PageViews)
	}
	if len(figs.Contributions) == 0 {
		t.Error("contributions_by_org is empty")
	}
}
