package web

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/cdp"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
)

// Headless-Chromium helpers. One Chromium process runs per test, with a fresh profile; each
// coordPerson in a test gets a coordBrowser context of their own, so their cookies stay apart.

// coordChromiumPath returns the Chromium to drive: $PINGAN_CHROMIUM, or chromium on the PATH. The
// coordBrowser tests fail without one, because a skipped journey would hide a broken page.
func coordChromiumPath(t *testing.T) string {
	if p := os.Getenv("PINGAN_CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	t.Fatal("no Chromium found: install Debian's chromium or set PINGAN_CHROMIUM")
	return ""
}

type coordBrowser struct {
	t    *testing.T
	root context.Context
}

func newCoordBrowser(t *testing.T) *coordBrowser {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(coordChromiumPath(t)),
		chromedp.Headless,
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// Several people share one process; none of their tabs may be throttled as hidden.
		chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-renderer-backgrounding", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	root, cancelRoot := chromedp.NewContext(alloc)
	t.Cleanup(func() {
		cancelRoot()
		cancelAlloc()
	})
	if err := chromedp.Do(root); err != nil {
		t.Fatalf("start Chromium: %v", err)
	}
	return &coordBrowser{t: t, root: root}
}

// coordPerson is one signed-in coordPerson's coordBrowser context.
type coordPerson struct {
	t    *testing.T
	ctx  context.Context
	base string
	name string
}

// open starts a coordBrowser context for a coordPerson who uses the server at base.
func (b *coordBrowser) open(base, name string) *coordPerson {
	ctx, cancel := chromedp.NewContext(b.root, chromedp.WithNewBrowserContext())
	b.t.Cleanup(cancel)
	if err := chromedp.Do(ctx); err != nil {
		b.t.Fatalf("open a coordBrowser context for %s: %v", name, err)
	}
	return &coordPerson{t: b.t, ctx: ctx, base: base, name: name}
}

// withTimeout runs fn with a deadline, so a stuck page fails the test instead of hanging it.
func (p *coordPerson) withTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(p.ctx, d)
}

// visit loads a path and fails unless the page answers with want.
func (p *coordPerson) visit(path string, want int) {
	p.t.Helper()
	ctx, cancel := p.withTimeout(20 * time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Navigate(p.base+path))
	if err != nil {
		p.t.Fatalf("%s visits %s: %v", p.name, path, err)
	}
	if int(res.Status) != want {
		p.t.Fatalf("%s visits %s: status %d, want %d", p.name, path, res.Status, want)
	}
}

// js evaluates an expression in the page and decodes its value into T.
func js[T any](p *coordPerson, expr string) T {
	p.t.Helper()
	ctx, cancel := p.withTimeout(20 * time.Second)
	defer cancel()
	v, err := chromedp.Run(ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		p.t.Fatalf("%s evaluates %q: %v", p.name, expr, err)
	}
	return v
}

// do runs a statement in the page.
func (p *coordPerson) do(stmt string) {
	p.t.Helper()
	js[any](p, "(() => { "+stmt+"; return null; })()")
}

// submit clicks a button that posts a form and waits for the page that follows; it returns the
// final status.
func (p *coordPerson) submit(css string) int {
	p.t.Helper()
	ctx, cancel := p.withTimeout(30 * time.Second)
	defer cancel()
	res, err := chromedp.RunResponse(ctx, chromedp.Click(chromedp.CSS(css)))
	if err != nil {
		p.t.Fatalf("%s clicks %s: %v", p.name, css, err)
	}
	return int(res.Status)
}

// waitFor polls a JavaScript condition until it holds, and fails after timeout.
func (p *coordPerson) waitFor(cond string, timeout time.Duration) {
	p.t.Helper()
	ctx, cancel := p.withTimeout(timeout + 5*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.Poll[chromedp.Void](cond, chromedp.WithPollingTimeout(timeout),
		chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		p.t.Fatalf("%s: %s did not become true within %s: %v", p.name, cond, timeout, err)
	}
}

// setField sets a form field's value, as typing would.
func (p *coordPerson) setField(css, value string) {
	p.t.Helper()
	v, _ := json.Marshal(value)
	c, _ := json.Marshal(css)
	p.do(fmt.Sprintf(`const el = document.querySelector(%s); if (!el) throw new Error("no field " + %s); el.value = %s;
		el.dispatchEvent(new Event("input", {bubbles: true}))`, c, c, v))
}

// check ticks a checkbox.
func (p *coordPerson) check(css string) {
	p.t.Helper()
	c, _ := json.Marshal(css)
	p.do(fmt.Sprintf(`const el = document.querySelector(%s); if (!el) throw new Error("no box " + %s); el.checked = true`, c, c))
}

// signIn signs in through the sign-in form.
func (p *coordPerson) signIn(username string) {
	p.t.Helper()
	p.visit("/signin", http.StatusOK)
	p.setField("#username", username)
	p.setField("#password", coordTestPassword)
	if status := p.submit("form[action='/signin'] button[type=submit]"); status != http.StatusOK {
		p.t.Fatalf("%s signs in: status %d", username, status)
	}
	if path := js[string](p, "location.pathname"); path != "/admin" {
		p.t.Fatalf("%s signed in and landed on %s", username, path)
	}
}

// cookieClient returns an HTTP coordClient that carries the coordPerson's session cookie, for downloads.
func (p *coordPerson) cookieClient() *http.Client {
	p.t.Helper()
	ctx, cancel := p.withTimeout(10 * time.Second)
	defer cancel()
	// The session cookie is HttpOnly, invisible to page scripts, so it is read over the protocol.
	all, err := chromedp.Run(ctx, getCookies())
	if err != nil {
		p.t.Fatal(err)
	}
	return &http.Client{Timeout: 30 * time.Second, Transport: cookieTransport{cookies: all}}
}

type cookieTransport struct{ cookies []*http.Cookie }

func (c cookieTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for _, ck := range c.cookies {
		r.AddCookie(ck)
	}
	return http.DefaultTransport.RoundTrip(r)
}

// proxy is a TCP relay in front of a server. Cut drops every connection through it and
// refuses new ones until Restore, as a lost network would.
type proxy struct {
	ln     net.Listener
	target string
	mu     sync.Mutex
	conns  map[net.Conn]bool
	down   bool
}

func newProxy(t *testing.T, target string) *proxy {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	p := &proxy{ln: ln, target: strings.TrimPrefix(target, "http://"), conns: map[net.Conn]bool{}}
	t.Cleanup(func() {
		ln.Close()
		p.Cut()
	})
	go p.serve()
	return p
}

// URL returns the proxy's base URL.
func (p *proxy) URL() string { return "http://" + p.ln.Addr().String() }

func (p *proxy) serve() {
	for {
		c, err := p.ln.Accept()
		if err != nil {
			return
		}
		p.mu.Lock()
		down := p.down
		if !down {
			p.conns[c] = true
		}
		p.mu.Unlock()
		if down {
			c.Close()
			continue
		}
		go p.relay(c)
	}
}

func (p *proxy) relay(c net.Conn) {
	up, err := net.Dial("tcp", p.target)
	if err != nil {
		c.Close()
		return
	}
	p.mu.Lock()
	p.conns[up] = true
	p.mu.Unlock()
	done := make(chan struct{}, 2)
	go func() { io.Copy(up, c); done <- struct{}{} }()
	go func() { io.Copy(c, up); done <- struct{}{} }()
	<-done
	c.Close()
	up.Close()
	p.mu.Lock()
	delete(p.conns, c)
	delete(p.conns, up)
	p.mu.Unlock()
}

// Cut closes every connection and refuses new ones.
func (p *proxy) Cut() {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.down = true
	for c := range p.conns {
		c.Close()
	}
	clear(p.conns)
}

// Restore accepts connections again.
func (p *proxy) Restore() {
	p.mu.Lock()
	p.down = false
	p.mu.Unlock()
}

// getCookies reads the current page's cookies over the DevTools protocol, HttpOnly ones too.
func getCookies() chromedp.Action[[]*http.Cookie] {
	return func(ctx context.Context, t *chromedp.Target) ([]*http.Cookie, error) {
		res, err := cdp.Call(ctx, t, network.GetCookies, network.GetCookiesParams{})
		if err != nil {
			return nil, err
		}
		out := make([]*http.Cookie, 0, len(res.Cookies))
		for _, c := range res.Cookies {
			out = append(out, &http.Cookie{Name: c.Name, Value: c.Value})
		}
		return out, nil
	}
}
