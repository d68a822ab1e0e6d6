package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pingan/internal/store"
)

// secondInstance starts another pingan instance on the coordHarness's PostgreSQL database, with its
// own connection pool and LISTEN/NOTIFY hub, as a second server behind a load balancer.
func (h *coordHarness) secondInstance() *httptest.Server {
	h.t.Helper()
	if h.dialect != "postgres" {
		h.t.Fatal("a second instance needs PostgreSQL")
	}
	db, err := store.Open(context.Background(), h.dbOpt)
	if err != nil {
		h.t.Fatal(err)
	}
	h.t.Cleanup(func() { db.Close() })
	srv, hub := h.newServer(db)
	ts := httptest.NewServer(srv.Handler())
	h.t.Cleanup(func() {
		hub.Close()
		ts.Close()
	})
	return ts
}

// say posts a message through the channel page's form, which the page script sends with fetch.
func (p *coordPerson) say(text string) {
	p.t.Helper()
	p.setField("#body", text)
	p.do(`document.querySelector("form[data-post] button[type=submit]").click()`)
	p.waitFor(`document.querySelector("#body").value === "" && !document.querySelector("form[data-post] button").disabled`, 5*time.Second)
}

// messages returns the texts of the channel page's message list, top to bottom.
func (p *coordPerson) messages() []string {
	return js[[]string](p, `[...document.querySelectorAll("[data-messages] .wg-message .text")].map(e => e.textContent)`)
}

// waitForMessages waits until the page lists want at its end, exactly and in order.
func (p *coordPerson) waitForMessages(want []string, timeout time.Duration) {
	p.t.Helper()
	list, _ := json.Marshal(want)
	literal, _ := json.Marshal(string(list))
	p.waitFor(fmt.Sprintf(`JSON.stringify([...document.querySelectorAll("[data-messages] .wg-message .text")].map(e => e.textContent).slice(-%d)) === %s`,
		len(want), literal), timeout)
}

// workGroupLostConnection runs the two-coordBrowser scenario: a and b see each other's messages
// promptly; b's network drops while a sends; after it returns, b shows each message once, in
// order. b reaches its server through link.
func workGroupLostConnection(t *testing.T, a, b *coordPerson, link *proxy) {
	a.visit("/admin/workgroup", http.StatusOK)
	b.visit("/admin/workgroup", http.StatusOK)
	b.waitFor(`document.body.dataset.liveState === "open"`, 5*time.Second)
	a.waitFor(`document.body.dataset.liveState === "open"`, 5*time.Second)

	a.say("各村注意：今晚八点前报送出租房屋检查情况。")
	b.waitForMessages([]string{"各村注意：今晚八点前报送出租房屋检查情况。"}, 3*time.Second)
	b.say("越丰村收到，七点前报。")
	before := []string{"各村注意：今晚八点前报送出租房屋检查情况。", "越丰村收到，七点前报。"}
	a.waitForMessages(before, 3*time.Second)
	// b's own message reaches its page through the stream too; wait for it before cutting the link.
	b.waitForMessages(before, 3*time.Second)

	link.Cut()
	b.waitFor(`document.body.dataset.liveState !== "open"`, 10*time.Second)
	missed := []string{"断线期间第一条：高桥村已报。", "断线期间第二条：骑力村已报。", "断线期间第三条：请越丰村抓紧。"}
	for _, m := range missed {
		a.say(m)
	}
	if got := b.messages(); len(got) != 2 {
		t.Errorf("while offline b lists %d messages, want the 2 from before", len(got))
	}
	link.Restore()
	all := append([]string{"各村注意：今晚八点前报送出租房屋检查情况。", "越丰村收到，七点前报。"}, missed...)
	b.waitForMessages(all, 15*time.Second)
	a.say("恢复之后的消息。")
	all = append(all, "恢复之后的消息。")
	b.waitForMessages(all, 5*time.Second)
	if got := b.messages(); strings.Join(got, "|") != strings.Join(all, "|") {
		t.Errorf("b lists %q, want each message once in order: %q", got, all)
	}
	if got := a.messages(); strings.Join(got, "|") != strings.Join(all, "|") {
		t.Errorf("a lists %q, want %q", got, all)
	}
}

// TestBrowserWorkGroupTwoBrowsers runs the scenario with both browsers on one instance.
func TestBrowserWorkGroupTwoBrowsers(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		br := newCoordBrowser(t)
		link := newProxy(t, h.ts.URL)
		a := br.open(h.ts.URL, "coordinator")
		a.signIn("coordinator")
		b := br.open(link.URL(), "yuefeng")
		b.signIn("yuefeng")
		workGroupLostConnection(t, a, b, link)
	})
}

// TestBrowserWorkGroupTwoInstances runs the scenario with the browsers on two instances that
// share one PostgreSQL database.
func TestBrowserWorkGroupTwoInstances(t *testing.T) {
	h := newCoordHarness(t, "postgres")
	second := h.secondInstance()
	br := newCoordBrowser(t)
	link := newProxy(t, second.URL)
	a := br.open(h.ts.URL, "coordinator")
	a.signIn("coordinator")
	b := br.open(link.URL(), "yuefeng")
	b.signIn("yuefeng")
	workGroupLostConnection(t, a, b, link)
}
