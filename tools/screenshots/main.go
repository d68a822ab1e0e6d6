// Command screenshots renders the main pages of pingan with the demo town in headless Chromium,
// at desktop and phone sizes, into docs/screenshots/. Run it from the repository root:
//
//	go run ./tools/screenshots
//
// It loads the demo into a temporary data folder, serves it on a free loopback port and signs
// in with the demo accounts, so the pages show realistic data. It is not part of the test run.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/chromedp/chromedp"

	"pingan/internal/app"
	"pingan/internal/browsertest"
)

// shot is one page to capture; user is the demo account to sign in as, or "" for a visitor.
// When follow is set, the page captured is the target of the first link on path that matches
// the CSS selector follow, for records whose ids the demo does not fix.
type shot struct {
	name   string
	user   string
	path   string
	follow string
}

// shots lists the pages in the order the README shows them, then the main page of each role
// that the role guides under docs/ show.
var shots = []shot{
	{"home", "", "/", ""},
	{"article", "", "/articles/1", ""},
	{"search", "", "/search?q=%E7%A6%81%E6%AF%92", ""},
	{"board", "", "/board", ""},
	{"signin", "", "/signin", ""},
	{"cases", "dispatcher", "/admin/cases", ""},
	{"case", "dispatcher", "/admin/cases/1", ""},
	{"notices", "yuefeng", "/admin/notices", ""},
	{"workgroup", "coordinator", "/admin/workgroup/1", ""},
	{"articles", "editor", "/admin/articles", ""},
	{"dashboard", "coordinator", "/admin/dashboard", ""},
	{"orgs", "admin", "/admin/orgs", ""},
	{"audit", "auditor", "/admin/audit", ""},
	{"report-error", "", "/report-error?page=%2Fcolumns%2Fnews", ""},
	{"query", "", "/query", ""},
	{"security", "security", "/admin/security", ""},
	{"roles", "security", "/admin/roles", ""},
	{"contributions", "yuefeng", "/admin/contributions", ""},
	{"site-errors", "editor", "/admin/site-errors?status=all", ""},
	{"moderation", "moderator", "/admin/board", ""},
	{"chat-desk", "agent", "/admin/chat", ""},
	{"unit-case", "police", "/admin/cases", `table a[href^="/admin/cases/"]`},
	{"grid-cases", "grid", "/admin/cases", ""},
	{"notice-unread", "yuefeng", "/admin/notices?unread=1", `table a[href^="/admin/notices/"]`},
	{"my-report", "yuefeng", "/admin/my-reports", `a[href^="/admin/my-reports/"]`},
	{"report-tasks", "coordinator", "/admin/reports", ""},
}

func main() {
	out := flag.String("out", "docs/screenshots", "folder for the PNG files")
	only := flag.String("only", "", "comma-separated shot names to take (default all)")
	listen := flag.String("listen", "127.0.0.1:0", "loopback address the demo server listens on (default: a free port)")
	flag.Parse()
	if err := run(*out, *only, *listen); err != nil {
		fmt.Fprintln(os.Stderr, "screenshots:", err)
		os.Exit(1)
	}
}

func run(outDir, only, listen string) error {
	if err := os.MkdirAll(outDir, 0o755); err != nil {
		return err
	}
	data, err := os.MkdirTemp("", "pingan-screenshots-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(data)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	done := make(chan error, 1)
	go func() {
		done <- app.Run(ctx, []string{"serve", "--demo", "--data", data, "--listen", listen},
			func(string) string { return "" }, strings.NewReader(""), pw, io.Discard)
		pw.Close()
	}()
	addr, err := waitForAddress(pr)
	if err != nil {
		return err
	}
	go io.Copy(io.Discard, pr)
	passwords, err := demoPasswords(filepath.Join(data, "demo-accounts.txt"))
	if err != nil {
		return err
	}

	want := map[string]bool{}
	for _, n := range strings.Split(only, ",") {
		if n = strings.TrimSpace(n); n != "" {
			want[n] = true
		}
	}
	for _, size := range []struct {
		suffix string
		w, h   int
	}{{"desktop", browsertest.DesktopWidth, browsertest.DesktopHeight}, {"phone", browsertest.PhoneWidth, browsertest.PhoneHeight}} {
		if err := capture(addr, passwords, outDir, size.suffix, size.w, size.h, want); err != nil {
			return err
		}
	}
	cancel()
	return <-done
}

var startedLine = regexp.MustCompile(`http://([0-9.:]+)/`)

func waitForAddress(r io.Reader) (string, error) {
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		if strings.Contains(sc.Text(), "平安网已启动") {
			if m := startedLine.FindStringSubmatch(sc.Text()); m != nil {
				return m[1], nil
			}
		}
	}
	return "", fmt.Errorf("server did not start")
}

func demoPasswords(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, line := range strings.Split(string(b), "\n") {
		f := strings.Fields(line)
		if len(f) >= 2 && strings.HasPrefix(line, "  ") && f[0] != "用户名" && !strings.HasPrefix(f[0], "pingan") {
			out[f[0]] = f[1]
		}
	}
	return out, nil
}

// capture takes every wanted shot at one window size, signing in once per account.
func capture(addr string, passwords map[string]string, outDir, suffix string, w, h int, want map[string]bool) error {
	base := "http://" + addr
	browsers := map[string]context.Context{}
	var cancels []context.CancelFunc
	defer func() {
		for _, c := range cancels {
			c()
		}
	}()
	for _, s := range shots {
		if len(want) > 0 && !want[s.name] {
			continue
		}
		ctx, ok := browsers[s.user]
		if !ok {
			var cancel context.CancelFunc
			var err error
			ctx, cancel, err = newBrowser(w, h)
			if err != nil {
				return err
			}
			cancels = append(cancels, cancel)
			if s.user != "" {
				err := chromedp.Do(ctx,
					chromedp.Navigate(base+"/signin"),
					chromedp.SendKeys(chromedp.CSS("#username"), s.user),
					chromedp.SendKeys(chromedp.CSS("#password"), passwords[s.user]),
					chromedp.Submit(chromedp.CSS("#password")),
					chromedp.Sleep(500*time.Millisecond),
				)
				if err != nil {
					return fmt.Errorf("sign in as %s: %w", s.user, err)
				}
			}
			browsers[s.user] = ctx
		}
		if err := chromedp.Do(ctx, chromedp.Navigate(base+s.path), chromedp.Sleep(300*time.Millisecond)); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		if s.follow != "" {
			selector, _ := json.Marshal(s.follow)
			href, err := chromedp.Run(ctx, chromedp.Evaluate[string](
				"(function(){var a=document.querySelector("+string(selector)+");return a?a.getAttribute('href'):''})()"))
			if err != nil || href == "" {
				return fmt.Errorf("%s: no link %s on %s: %v", s.name, s.follow, s.path, err)
			}
			if err := chromedp.Do(ctx, chromedp.Navigate(base+href), chromedp.Sleep(300*time.Millisecond)); err != nil {
				return fmt.Errorf("%s: %w", s.name, err)
			}
		}
		png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		if err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
		file := filepath.Join(outDir, s.name+"-"+suffix+".png")
		if err := os.WriteFile(file, png, 0o644); err != nil {
			return err
		}
		fmt.Println(file)
	}
	return nil
}

func newBrowser(w, h int) (context.Context, context.CancelFunc, error) {
	bin := browsertest.Path()
	if bin == "" {
		return nil, nil, fmt.Errorf("chromium is not installed: apt-get install chromium")
	}
	dir, err := os.MkdirTemp("", "pingan-chromium-")
	if err != nil {
		return nil, nil, err
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(),
		chromedp.ExecPath(bin), chromedp.UserDataDir(dir), chromedp.WindowSize(w, h),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true), chromedp.Flag("hide-scrollbars", true))
	ctx, cancelCtx := chromedp.NewContext(allocCtx)
	return ctx, func() { cancelCtx(); cancelAlloc(); os.RemoveAll(dir) }, nil
}
