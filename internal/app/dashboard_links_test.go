package app

import (
	"context"
	"database/sql"
	"flag"
	"html"
	"io"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store/storetest"
)

// dashboardLink is one linked number of the dashboard: a figure or one entry of a breakdown.
type dashboardLink struct {
	key, label, shown, href string
	entry                   bool
	viewer                  string // the account whose dashboard showed the link
}

var (
	figureLinkPattern = regexp.MustCompile(`<th scope="row">([^<]+)</th>\s*<td data-key="([a-z_]+)"><a href="([^"]+)">([^<]+)</a>`)
	breakdownPattern  = regexp.MustCompile(`(?s)<tr data-breakdown="([a-z_]+)"><th scope="row">([^<]+)</th>(.*?)</tr>`)
	entryPattern      = regexp.MustCompile(`<li data-entry="([^"]+)">[^<]*(?:<a href="([^"]+)">)?(\d+)(?:</a>)?</li>`)
	totalPattern      = regexp.MustCompile(`data-total="(\d+)"`)
)

// TestDashboardLinksAgree loads the demo on each database, opens the dashboard and follows the
// link of every figure and breakdown entry: each list must open and show as many records as the
// figure counts. A rate's list holds the records of its denominator, and an average's list the
// cases it averages over.
func TestDashboardLinksAgree(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			data := t.TempDir()
			env := map[string]string{"PINGAN_DATA": data}
			if dialect == "postgres" {
				env["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
			}
			if _, _, err := run(t, env, "", "demo", "--until", "2026-12-04"); err != nil {
				t.Fatal(err)
			}
			from, to := "2026-06-05", "2026-12-04"
			checks := computeChecks(t, env, from, to)
			reached := countReachedSteps(t, env, from, to)

			addr, _ := startServer(t, env)
			// No single role that may see the dashboard may open every list (see docs/STATS.md), so
			// each viewer's dashboard links only the lists that viewer may open in full, and each
			// link is followed by every viewer whose page shows it.
			viewers := map[string]*http.Client{}
			var links []dashboardLink
			seen := map[string]bool{}
			var page string
			for _, name := range []string{"editor", "dispatcher", "coordinator"} {
				viewers[name] = signIn(t, addr, data, name)
				page = fetch(t, viewers[name], "http://"+addr+"/admin/dashboard?from="+from+"&to="+to)
				for _, l := range dashboardLinks(page) {
					seen[l.key+"|"+l.label] = true
					l.viewer = name
					links = append(links, l)
				}
			}
			shown := map[string]string{}
			for _, l := range links {
				shown[l.key] = l.shown
			}
			// Figures whose value is not a count link to the records they are computed from.
			expected := map[string]string{
				"notice_read_rate":              shown["notices_issued"],
				"disputes_settled_locally_rate": shown["disputes"],
				"reply_on_time_rate":            strconv.Itoa(checks.town.replyDen),
				"resolve_on_time_rate":          strconv.Itoa(checks.town.resolveDen),
				"avg_hours_to_acknowledge":      strconv.Itoa(reached["acknowledged"]),
				"avg_hours_to_reply":            strconv.Itoa(reached["replied"]),
				"avg_hours_to_resolve":          strconv.Itoa(reached["resolved"]),
			}
			for i, l := range links {
				if want, ok := expected[l.key]; ok {
					links[i].shown = want
				}
			}

			linkedFigures := map[string]bool{}
			for _, l := range links {
				linkedFigures[l.key] = true
			}
			for _, f := range stats.Catalog {
				if f.Link != "" && !linkedFigures[f.Key] {
					t.Errorf("figure %s (%s) has a link in the catalog but none on the dashboard", f.Label, f.Key)
				}
			}

			breakdowns := map[string]int{}
			for _, l := range links {
				if l.entry {
					breakdowns[l.key]++
				}
			}
			for _, b := range breakdownPattern.FindAllStringSubmatch(page, -1) {
				for _, e := range entryPattern.FindAllStringSubmatch(b[3], -1) {
					label := b[2] + "：" + html.UnescapeString(e[1])
					if f, _ := stats.Lookup(b[1]); !seen[b[1]+"|"+label] && f.EntryLink != "" {
						t.Errorf("breakdown %s entry %s has no link", b[2], e[1])
					}
				}
			}
			for _, f := range stats.Catalog {
				if f.EntryLink != "" && breakdowns[f.Key] == 0 {
					t.Errorf("breakdown %s (%s) shows no linked entry", f.Label, f.Key)
				}
			}
			if len(links) < 40 {
				t.Errorf("the dashboard has only %d linked numbers", len(links))
			}

			for _, l := range links {
				res, err := viewers[l.viewer].Get("http://" + addr + l.href)
				if err != nil {
					t.Fatal(err)
				}
				body := readBody(t, res)
				if res.StatusCode != http.StatusOK {
					t.Errorf("%s: %s answers %s with status %d", l.label, l.href, l.viewer, res.StatusCode)
					continue
				}
				m := totalPattern.FindStringSubmatch(body)
				if m == nil {
					t.Errorf("%s: %s shows no total", l.label, l.href)
					continue
				}
				if m[1] != l.shown {
					t.Errorf("%s: the dashboard shows %s, the list %s holds %s", l.label, l.shown, l.href, m[1])
				}
				if strings.Contains(l.href, "from=") && !strings.Contains(body, "data-scope") {
					t.Errorf("%s: %s does not name its filters", l.label, l.href)
				}
			}
		})
	}
}

// dashboardLinks returns the linked figures and breakdown entries of a dashboard page, in page
// order. The figures come first.
func dashboardLinks(page string) []dashboardLink {
	var links []dashboardLink
	for _, m := range figureLinkPattern.FindAllStringSubmatch(page, -1) {
		links = append(links, dashboardLink{key: m[2], label: m[1], shown: m[4], href: html.UnescapeString(m[3])})
	}
	for _, b := range breakdownPattern.FindAllStringSubmatch(page, -1) {
		for _, e := range entryPattern.FindAllStringSubmatch(b[3], -1) {
			if e[2] != "" {
				links = append(links, dashboardLink{key: b[1], label: b[2] + "：" + html.UnescapeString(e[1]), shown: e[3],
					href: html.UnescapeString(e[2]), entry: true})
			}
		}
	}
	return links
}

// countReachedSteps counts, by step, the cases registered in the period that were dispatched and
// then acknowledged, replied to or resolved, as the average durations count them.
func countReachedSteps(t *testing.T, env map[string]string, from, to string) map[string]int {
	t.Helper()
	db, closeDB := openDemoDB(t, env)
	defer closeDB()
	start, _ := domain.ParseDate(from)
	last, _ := domain.ParseDate(to)
	end := last.AddDate(0, 0, 1)
	counts := map[string]int{}
	eachRow(t, db, `SELECT registered_at, dispatched_at, acknowledged_at, replied_at, resolved_at FROM cases`, func(scan func(...any)) {
		var registered time.Time
		var dispatched, ack, replied, resolved sql.NullTime
		scan(&registered, &dispatched, &ack, &replied, &resolved)
		if registered.Before(start) || !registered.Before(end) || !dispatched.Valid {
			return
		}
		if !replied.Valid {
			replied = resolved // a case resolved without a separate reply is answered at its resolution
		}
		for step, at := range map[string]sql.NullTime{"acknowledged": ack, "replied": replied, "resolved": resolved} {
			if at.Valid && at.Time.After(dispatched.Time) {
				counts[step]++
			}
		}
	})
	return counts
}

// openDemoDB opens the database env names, for reading the stored rows directly.
func openDemoDB(t *testing.T, env map[string]string) (*sql.DB, func()) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	finish := config.Flags(fs, envOf(env))
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := finish()
	if err != nil {
		t.Fatal(err)
	}
	e, err := open(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	return e.db.SQL(), func() { e.Close() }
}

func readBody(t *testing.T, res *http.Response) string {
	t.Helper()
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
