// Package browsertest starts headless Chromium for journey tests. It uses Debian's chromium
// (or the binary named by PINGAN_CHROMIUM) and fails the test when none is installed: a skipped
// journey would hide a broken page.
package browsertest

import (
	"context"
	"os"
	"os/exec"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// Path returns the Chromium binary the tests use.
func Path() string {
	if p := os.Getenv("PINGAN_CHROMIUM"); p != "" {
		return p
	}
	for _, p := range []string{"/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome"} {
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	return ""
}

// allocatorOptions are the flags of every test browser: headless, a fresh profile in dir, no
// background traffic, Chinese as the interface language.
func allocatorOptions(bin, dir string, width, height int) []chromedp.ExecAllocatorOption {
	return []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.UserDataDir(dir),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("no-default-browser-check", true),
		chromedp.Flag("lang", "zh-CN"),
		chromedp.WindowSize(width, height),
	}
}

// start launches a fresh headless browser with its own profile and closes it when the test
// ends. The returned context is bound to the browser and has no deadline.
func start(t testing.TB, width, height int) context.Context {
	t.Helper()
	bin := Path()
	if bin == "" {
		t.Fatal("Chromium is not installed: apt-get install chromium (or set PINGAN_CHROMIUM)")
	}
	opts := allocatorOptions(bin, t.TempDir(), width, height)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(allocCtx)
	// Start the browser now, so a start failure is reported here and not in the first action.
	if err := chromedp.Do(browser); err != nil {
		cancelBrowser()
		cancelAlloc()
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() {
		cancelBrowser()
		cancelAlloc()
	})
	return browser
}

// New starts a fresh headless browser with its own profile and returns a context for chromedp
// actions; the browser closes when the test ends. width and height set the window.
func New(t testing.TB, width, height int) context.Context {
	t.Helper()
	// The browser started under the bound context itself; the timeout applies to later actions.
	ctx, cancelTimeout := context.WithTimeout(start(t, width, height), 3*time.Minute)
	t.Cleanup(cancelTimeout)
	return ctx
}

// NewPeople starts a fresh headless browser like New and returns a function that opens a
// separate browser context in it, with cookies and storage of its own, for each person of a
// journey. The contexts have no deadline, so callers give each step a timeout of its own.
func NewPeople(t testing.TB, width, height int) func() context.Context {
	t.Helper()
	browser := start(t, width, height)
	return func() context.Context {
		t.Helper()
		ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		// The first action opens the tab and binds it to the context it runs with, so it runs
		// without a timeout.
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("open a browser context: %v", err)
		}
		return ctx
	}
}

// Desktop and Phone are the window sizes of the journeys and screenshots.
const (
	DesktopWidth, DesktopHeight = 1366, 900
	PhoneWidth, PhoneHeight     = 390, 844
)

// Do runs the steps in order and fails the test at the first error.
func Do(t testing.TB, ctx context.Context, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
}

// Text returns the visible text of the first element that matches the CSS selector.
func Text(t testing.TB, ctx context.Context, css string) string {
	t.Helper()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		t.Fatalf("text of %s: %v", css, err)
	}
	return s
}
