package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"testing"
	"time"

	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/pii"
	"pingan/internal/stats"
	"pingan/internal/store"
)

// bigTownServer serves the town in PINGAN_BENCH_DATA (and PINGAN_BENCH_DATABASE_URL) on a
// loopback port and returns its address and a client signed in as the demo's coordinator.
func bigTownServer(b *testing.B) (string, *http.Client) {
	data := os.Getenv("PINGAN_BENCH_DATA")
	if data == "" {
		b.Skip("set PINGAN_BENCH_DATA to a data folder made by tools/bigtown")
	}
	ctx := context.Background()
	cfg := config.Defaults()
	cfg.DataDir = data
	key, err := pii.LoadOrCreateKey("", cfg.KeyPath())
	if err != nil {
		b.Fatal(err)
	}
	keys, err := pii.NewKeyring("k1", map[string][]byte{"k1": key})
	if err != nil {
		b.Fatal(err)
	}
	db, err := store.Open(ctx, store.Options{URL: os.Getenv("PINGAN_BENCH_DATABASE_URL"), SQLitePath: cfg.SQLitePath(), Keys: keys})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	srv, err := New(Deps{DB: db, Files: files.Disk{Dir: cfg.FilesDir()}, Config: cfg,
		Log:          slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelError})),
		Hasher:       password.NewHasher(password.OWASP, 2),
		StatsSources: []stats.Source{stats.Portal, stats.Coordination, stats.Service}})
	if err != nil {
		b.Fatal(err)
	}
	ts := httptest.NewServer(srv.Handler())
	b.Cleanup(ts.Close)

	accounts, err := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
	if err != nil {
		b.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^  coordinator\s+(\S+)`).FindSubmatch(accounts)
	if m == nil {
		b.Fatal("no coordinator in demo-accounts.txt")
	}
	jar, _ := cookiejar.New(nil)
	client := &http.Client{Jar: jar}
	res, err := client.PostForm(ts.URL+"/signin", url.Values{"username": {"coordinator"}, "password": {string(m[1])}})
	if err != nil {
		b.Fatal(err)
	}
	res.Body.Close()

	return ts.URL, client
}

// BenchmarkDashboard requests the dashboard and its export for six months, a year and five
// years, signed in as the demo's coordinator, from a town that tools/bigtown generated:
//
//	PINGAN_BENCH_DATA=/tmp/bigtown go test -run '^$' -bench Dashboard -benchtime 10x ./internal/web
//
// PINGAN_BENCH_DATABASE_URL names the town's PostgreSQL database when it has one. The server
// runs in the test process on a loopback port, so -cpuprofile profiles the requests.
func BenchmarkDashboard(b *testing.B) {
	base, client := bigTownServer(b)
	now := time.Now().In(domain.Shanghai)
	today := time.Date(now.Year(), now.Month(), now.Day(), 0, 0, 0, 0, domain.Shanghai)
	for _, c := range []struct {
		name, path string
		from       time.Time
	}{
		{"six_months", "/admin/dashboard", today.AddDate(0, -6, 1)},
		{"one_year", "/admin/dashboard", today.AddDate(-1, 0, 1)},
		{"five_years", "/admin/dashboard", today.AddDate(-5, 0, 1)},
		{"export_one_year", "/admin/dashboard/export.xlsx", today.AddDate(-1, 0, 1)},
		{"export_five_years", "/admin/dashboard/export.xlsx", today.AddDate(-5, 0, 1)},
	} {
		target := base + c.path + "?from=" + domain.FormatDate(c.from) + "&to=" + domain.FormatDate(today)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				res, err := client.Get(target)
				if err != nil {
					b.Fatal(err)
				}
				n, _ := io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode != http.StatusOK || n == 0 {
					b.Fatalf("GET %s: status %d, %d bytes", target, res.StatusCode, n)
				}
			}
		})
	}
}

// BenchmarkPublicPages requests the main public pages of the town in PINGAN_BENCH_DATA one at
// a time, each with a query string of its own so that it misses the five-second page cache:
//
//	PINGAN_BENCH_DATA=/tmp/bigtown go test -run '^$' -bench PublicPages -benchtime 20x ./internal/web
func BenchmarkPublicPages(b *testing.B) {
	base, _ := bigTownServer(b)
	client := &http.Client{}
	home := fetchBench(b, client, base+"/")
	column := regexp.MustCompile(`href="(/columns/[a-z0-9-]+)"`).FindStringSubmatch(home)
	if column == nil {
		b.Fatal("no column link on the home page")
	}
	article := regexp.MustCompile(`href="(/articles/[0-9]+)"`).FindStringSubmatch(fetchBench(b, client, base+column[1]))
	if article == nil {
		b.Fatal("no article link on " + column[1])
	}
	for _, c := range []struct{ name, path string }{
		{"home", "/?"},
		{"column", column[1] + "?"},
		{"article", article[1] + "?"},
		{"search", "/search?q=%E7%A6%81%E6%AF%92&"},
		{"board", "/board?"},
		{"query", "/query?"},
	} {
		b.Run(c.name, func(b *testing.B) {
			n := 0
			for b.Loop() {
				n++
				fetchBench(b, client, base+c.path+"nocache="+strconv.Itoa(n))
			}
		})
	}
}

func fetchBench(b *testing.B, client *http.Client, target string) string {
	res, err := client.Get(target)
	if err != nil {
		b.Fatal(err)
	}
	defer res.Body.Close()
	body, _ := io.ReadAll(res.Body)
	if res.StatusCode != http.StatusOK {
		b.Fatalf("GET %s: status %d", target, res.StatusCode)
	}
	return string(body)
}
