package journeys

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pingan/internal/app"
	"pingan/internal/browsertest"
	"pingan/internal/store/storetest"
)

// townUnderTest is one running product with the demo town loaded, and what the journeys run on
// it have done so far, for the journeys that check their traces (the audit administrator's).
type townUnderTest struct {
	dialect   string
	base      string // http://127.0.0.1:port
	passwords map[string]string
	open      func() context.Context

	// Set by the journeys as they go.
	postTitle         string // the resident's message-board post
	contributionTitle string // the village reporter's contribution
	reportTitle       string // the monthly report's page heading, with its period
	noticeTitle       string // the notice the village reporter gave feedback on
	dispatchedCase    string // the number of the case the dispatcher registered, dispatched and supervised
	handledCase       string // the number of the case the unit handler acknowledged and resolved
}

// journey is one person's path through the product.
type journey func(t *testing.T, town *townUnderTest)

// eachDialect runs j as a subtest per database dialect, each on a town of its own.
func eachDialect(t *testing.T, j journey) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			j(t, startTown(t, dialect))
		})
	}
}

var accountLine = regexp.MustCompile(`(?m)^  (\S+)\s+(\S+)\s`)

// startTown starts `pingan serve --demo` on a fresh data folder (and, for PostgreSQL, a fresh
// schema) and reads the demo's passwords. One Chromium serves all people of the town.
func startTown(t *testing.T, dialect string) *townUnderTest {
	t.Helper()
	data := t.TempDir()
	env := map[string]string{"PINGAN_DATA": data}
	if dialect == "postgres" {
		env["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
	}
	addr, _ := app.StartTestServer(t, env, "--demo")
	accounts, err := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
	if err != nil {
		t.Fatal(err)
	}
	town := &townUnderTest{dialect: dialect, base: "http://" + addr, passwords: map[string]string{}}
	for _, m := range accountLine.FindAllStringSubmatch(string(accounts), -1) {
		town.passwords[m[1]] = m[2]
	}
	if town.passwords["admin"] == "" {
		t.Fatalf("no passwords in demo-accounts.txt:\n%s", accounts)
	}
	town.open = browsertest.NewPeople(t, browsertest.DesktopWidth, browsertest.DesktopHeight)
	return town
}

// person is one browser context: a visitor without an account, or a signed-in staff member.
type person struct {
	t    *testing.T
	town *townUnderTest
	ctx  context.Context
	name string // the account's username, or "visitor"
}

// visitor opens a browser context for a citizen without an account, on the home page.
func (town *townUnderTest) visitor(t *testing.T) *person {
	t.Helper()
	p := &person{t: t, town: town, ctx: town.open(), name: "visitor"}
	p.run("open the home page",
		chromedp.Navigate(town.base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`form.site-search`)))
	return p
}

// staff opens a browser context and signs in as username from the public home page's link.
func (town *townUnderTest) staff(t *testing.T, username string) *person {
	t.Helper()
	password := town.passwords[username]
	if password == "" {
		t.Fatalf("demo-accounts.txt lists no account %s", username)
	}
	p := &person{t: t, town: town, ctx: town.open(), name: username}
	p.run("sign in",
		chromedp.Navigate(town.base+"/"),
		chromedp.Click(chromedp.CSS(`a[href="/signin"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#username`)),
		chromedp.SendKeys(chromedp.CSS(`#username`), username),
		chromedp.SendKeys(chromedp.CSS(`#password`), password),
		chromedp.Submit(chromedp.CSS(`#password`)),
		chromedp.WaitVisible(chromedp.CSS(`.admin-nav`)),
		pageLoaded())
	return p
}

// stepTimeout bounds one step of a journey: a few page loads on a shared, loaded machine.
const stepTimeout = 60 * time.Second

// run takes the steps in order and fails the test at the first that fails, with the page's
// address and text.
func (p *person) run(what string, steps ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, stepTimeout)
	defer cancel()
	if err := chromedp.Do(ctx, steps...); err != nil {
		p.t.Fatalf("%s (%s): %v\n%s", what, p.name, err, p.page())
	}
}

// page describes the current page for a failure message.
func (p *person) page() string {
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	loc, _ := chromedp.Run(ctx, chromedp.Location())
	text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
	return "page " + loc + ":\n" + text
}

// text returns the visible text of the first element that matches the CSS selector.
func (p *person) text(css string) string {
	p.t.Helper()
	var s string
	p.run("read "+css, into(&s, chromedp.Text(chromedp.CSS(css))))
	return s
}

// navTo follows a link of the back office's menu to the page whose heading is the link's text.
func (p *person) navTo(label string) {
	p.t.Helper()
	p.navToHeading(label, label)
}

// navToHeading follows a link of the back office's menu to a page with another heading.
func (p *person) navToHeading(label, heading string) {
	p.t.Helper()
	p.run("open "+label+" from the menu",
		pageLoaded(),
		chromedp.Click(chromedp.Search(`//nav[@class="admin-nav"]//a[normalize-space()="`+label+`"]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="`+heading+`"]`)),
		pageLoaded())
}

// into runs a and stores its value in dst, so that reading a page fits among other steps.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		*dst = v
		return chromedp.Void{}, err
	}
}

// pageLoaded waits until the current page has loaded with its scripts, so that a click does
// not land on an element the loading page is about to replace.
func pageLoaded() chromedp.Action[chromedp.Void] {
	var done bool
	return into(&done, chromedp.Poll[bool](`document.readyState === "complete"`))
}

// flashSays waits for the page's one-time message containing text, so that a step waits for
// its own redirect and not for the message of the step before.
func flashSays(text string) chromedp.Action[chromedp.Void] {
	return chromedp.WaitVisible(chromedp.Search(`//p[contains(@class, "flash") and contains(., "` + text + `")]`))
}

// link is the XPath of a link whose text is label.
func link(label string) chromedp.Search {
	return chromedp.Search(`//a[normalize-space()="` + label + `"]`)
}

// mustContain fails the test for each of wants that text lacks.
func mustContain(t *testing.T, what, text string, wants ...string) {
	t.Helper()
	for _, want := range wants {
		if !strings.Contains(text, want) {
			t.Errorf("%s lacks %q:\n%s", what, want, text)
		}
	}
}

// uniqueTitle appends a short mark to title that makes it unique within one town, so a journey
// finds its own record among the demo's and the other journeys'.
func uniqueTitle(title string) string {
	return fmt.Sprintf("%s（%s）", title, time.Now().Format("150405.000"))
}
