package app

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/stats"
)

// TestDashboardExportAndStatsAgree loads the demo and checks that the dashboard page, its .xlsx
// export and `pingan stats --json` show the same figures for the demo's half year.
func TestDashboardExportAndStatsAgree(t *testing.T) {
	data := t.TempDir()
	if _, _, err := run(t, nil, "", "demo", "--data", data, "--until", "2026-12-04"); err != nil {
		t.Fatal(err)
	}
	out, _, err := run(t, nil, "", "stats", "--data", data, "--from", "2026-06-05", "--to", "2026-12-04", "--json")
	if err != nil {
		t.Fatal(err)
	}
	var figs stats.Figures
	if err := json.Unmarshal([]byte(out), &figs); err != nil {
		t.Fatal(err)
	}
	wantHeadline := map[string]float64{
		"articles_published": 120, "articles_original": 44, "articles_reprinted_or_contributed": 76,
		"notices_issued": 26, "coordination_matters": 22, "inquiries": 81, "information_reports": 57,
		"suggestions": 26, "help_requests": 11, "help_requests_resolved": 9,
	}
	for k, want := range wantHeadline {
		if got, _ := stats.Number(figs, k); got != want {
			t.Errorf("stats %s = %v, want %v", k, got, want)
		}
	}
	if v, _ := stats.Number(figs, "page_views"); v < 1000 || v > 1100 {
		t.Errorf("page_views = %v, want between 1,000 and 1,100", v)
	}
	if v, _ := stats.Number(figs, "disputes_settled_locally_rate"); v <= 0.95 {
		t.Errorf("disputes_settled_locally_rate = %v, want above 0.95", v)
	}

	addr, _ := startServer(t, map[string]string{"PINGAN_DATA": data})
	accounts, _ := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
	m := regexp.MustCompile(`(?m)^  coordinator\s+(\S+)`).FindSubmatch(accounts)
	if m == nil {
		t.Fatal("no coordinator in demo-accounts.txt")
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm("http://"+addr+"/signin", url.Values{"username": {"coordinator"}, "password": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	query := "?from=2026-06-05&to=2026-12-04"
	page := fetch(t, c, "http://"+addr+"/admin/dashboard"+query)
	cell := regexp.MustCompile(`data-key="([a-z_]+)">(?:<a [^>]*>)?([^<]+)<`)
	shown := map[string]string{}
	for _, m := range cell.FindAllStringSubmatch(page, -1) {
		shown[m[1]] = strings.TrimSpace(m[2])
	}
	export := fetch(t, c, "http://"+addr+"/admin/dashboard/export.xlsx"+query)
	x, err := excelize.OpenReader(strings.NewReader(export))
	if err != nil {
		t.Fatalf("export does not open: %v", err)
	}
	rows, _ := x.GetRows("统计数字")
	exported := map[string]string{}
	for _, r := range rows {
		if len(r) >= 3 {
			exported[r[1]] = r[2]
		}
	}
	breakdown, _ := x.GetRows("分类明细")
	if len(breakdown) < 10 {
		t.Errorf("breakdown sheet has %d rows", len(breakdown))
	}
	for _, r := range breakdown[1:] {
		if len(r) < 3 || strings.HasPrefix(r[0], "{") || strings.HasPrefix(r[1], "{") || r[1] == "suggestion" || r[1] == "visit" {
			t.Errorf("breakdown row %q is not a Chinese name and a count", r)
		}
	}
	checked := 0
	for _, f := range stats.Catalog {
		v, ok := stats.Number(figs, f.Key)
		if !ok || f.Shape == stats.Breakdown {
			continue
		}
		want := stats.Format(f, v)
		if shown[f.Key] != want {
			t.Errorf("dashboard shows %s = %q, stats says %q", f.Key, shown[f.Key], want)
		}
		if exported[f.Label] != want {
			t.Errorf("export has %s = %q, stats says %q", f.Label, exported[f.Label], want)
		}
		checked++
	}
	if checked < 20 {
		t.Errorf("compared only %d figures", checked)
	}

	// The demo's records start within the period, so the previous period's rates have no
	// denominator: the JSON carries null and the dashboard shows "—", not "0.0%".
	from, _ := time.ParseInLocation("2006-01-02", "2026-06-05", domain.Shanghai)
	to, _ := time.ParseInLocation("2006-01-02", "2026-12-04", domain.Shanghai)
	prev := stats.Previous(stats.Period{From: from, To: to})
	out, _, err = run(t, nil, "", "stats", "--data", data, "--from", domain.FormatDate(prev.From), "--to", domain.FormatDate(prev.To), "--json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, `"satisfaction_rate": null`) && !strings.Contains(out, `"satisfaction_rate":null`) {
		t.Errorf("previous period's satisfaction_rate is not null: %s", out)
	}
	var prevFigs stats.Figures
	if err := json.Unmarshal([]byte(out), &prevFigs); err != nil {
		t.Fatal(err)
	}
	previousCell := regexp.MustCompile(`data-previous-key="([a-z_]+)">([^<]*)<`)
	previous := map[string]string{}
	for _, m := range previousCell.FindAllStringSubmatch(page, -1) {
		previous[m[1]] = strings.TrimSpace(m[2])
	}
	for _, f := range stats.Catalog {
		if f.Shape == stats.Breakdown {
			continue
		}
		want := "—"
		if v, ok := stats.Number(prevFigs, f.Key); ok {
			want = stats.Format(f, v)
		}
		if previous[f.Key] != want {
			t.Errorf("dashboard shows previous %s = %q, want %q", f.Key, previous[f.Key], want)
		}
	}
}

func fetch(t *testing.T, c *http.Client, u string) string {
	t.Helper()
	res, err := c.Get(u)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", u, res.StatusCode)
	}
	return string(b)
}
