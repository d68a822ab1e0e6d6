package app

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"strings"
	"testing"
)

func TestStatsJSONForDemoHalfYear(t *testing.T) {
	dir := t.TempDir()
	env := func(string) string { return "" }
	ctx := context.Background()
	var out bytes.Buffer
	if err := Run(ctx, []string{"demo", "--data", dir, "--until", "2026-11-30"}, env, strings.NewReader(""), io.Discard, &out); err != nil {
		t.Fatalf("demo: %v\n%s", err, out.String())
	}
	out.Reset()
	if err := Run(ctx, []string{"stats", "--data", dir, "--from", "2026-06-01", "--to", "2026-11-30", "--json"}, env, strings.NewReader(""), &out, io.Discard); err != nil {
		t.Fatalf("stats: %v", err)
	}
	var figs map[string]any
	if err := json.Unmarshal(out.Bytes(), &figs); err != nil {
		t.Fatalf("stats output is not JSON: %v\n%s", err, out.String())
	}
	for key, want := range map[string]float64{"suggestions": 26, "help_requests": 11, "help_requests_resolved": 9, "coordination_matters": 22} {
		if got, _ := figs[key].(float64); got != want {
			t.Errorf("%s = %v, want %v", key, figs[key], want)
		}
	}
	if rate, _ := figs["disputes_settled_locally_rate"].(float64); rate <= 0.95 {
		t.Errorf("disputes_settled_locally_rate = %v, want above 0.95", figs["disputes_settled_locally_rate"])
	}
	for _, key := range []string{"posts_by_kind", "cases_by_channel", "cases_resolved", "reply_on_time_rate", "resolve_on_time_rate", "satisfaction_rate", "disputes"} {
		if _, ok := figs[key]; !ok {
			t.Errorf("key %s missing", key)
		}
	}
}
