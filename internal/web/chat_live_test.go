package web

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"
	"time"

	"pingan/internal/store"
)

// openChatStream opens the chat event stream at rawURL with client's cookies, resuming after
// lastSeq, and checks the status.
func openChatStream(t *testing.T, client *http.Client, rawURL string, lastSeq string) *sseStream {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, rawURL, nil)
	if lastSeq != "" {
		req.Header.Set("Last-Event-ID", lastSeq)
	}
	res, err := (&http.Client{Jar: client.Jar}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { res.Body.Close() })
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET %s: status %d", rawURL, res.StatusCode)
	}
	return &sseStream{res: res, br: bufio.NewReader(res.Body)}
}

// expectChatMessage reads the stream's next event and checks that it is the message with seq
// and body.
func expectChatMessage(t *testing.T, s *sseStream, seq, body string) {
	t.Helper()
	e := s.next(t, 10*time.Second)
	if e.id != seq {
		t.Fatalf("event id = %q, want %q (data %s)", e.id, seq, e.data)
	}
	var ev chatEvent
	if err := json.Unmarshal([]byte(e.data), &ev); err != nil {
		t.Fatalf("decode %q: %v", e.data, err)
	}
	if ev.Kind != "message" {
		t.Fatalf("event kind = %q, want message", ev.Kind)
	}
	if ev.Message.Body != body {
		t.Fatalf("message body = %q, want %q", ev.Message.Body, body)
	}
}

// TestChatAcrossInstances has a visitor on one instance and the agent on another, sharing one
// PostgreSQL database: each side's message reaches the other's stream once, in order.
func TestChatAcrossInstances(t *testing.T) {
	h := newCoordHarness(t, "postgres")
	second := h.secondInstance()
	ctx := context.Background()

	token := newToken()
	c, err := h.db.CreateChat(ctx, h.town, store.NewChat{Topic: "咨询宅基地审批", TokenHash: hashToken(token), IPHash: "two-instances"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := h.db.TakeChat(ctx, h.actor("agent"), c.ID); err != nil {
		t.Fatal(err)
	}

	// The visitor holds only the chat token, on instance A.
	jar, _ := cookiejar.New(nil)
	base, _ := url.Parse(h.ts.URL)
	jar.SetCookies(base, []*http.Cookie{{Name: chatCookie, Value: token, Path: "/chat"}})
	visitor := &http.Client{Jar: jar, Timeout: 30 * time.Second,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	visitorSend := func(body string) {
		t.Helper()
		req, _ := http.NewRequest(http.MethodPost, h.ts.URL+"/chat/messages", strings.NewReader(url.Values{"body": {body}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Requested-With", "fetch")
		res, err := visitor.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			t.Fatalf("visitor send: status %d", res.StatusCode)
		}
	}

	// The agent is signed in on instance B. Messages 1 and 2 (welcome, taken) are already seen.
	agent := h.signInAt(second, "agent")
	chatPath := "/admin/chat/" + itoa(c.ID)
	agentStream := openChatStream(t, agent.http, second.URL+chatPath+"/events", "2")
	visitorStream := openChatStream(t, visitor, h.ts.URL+"/chat/events", "2")

	visitorSend("请问宅基地审批需要哪些材料？")
	expectChatMessage(t, agentStream, "3", "请问宅基地审批需要哪些材料？")
	expectChatMessage(t, visitorStream, "3", "请问宅基地审批需要哪些材料？")

	res := agent.post(chatPath+"/messages", url.Values{"body": {"需要身份证和户口本。"}})
	if res.status != http.StatusSeeOther {
		t.Fatalf("agent send: status %d: %s", res.status, res.body)
	}
	expectChatMessage(t, visitorStream, "4", "需要身份证和户口本。")

	// The next event on each stream is the next message, not a repeat of one already delivered.
	visitorSend("好的，谢谢。")
	expectChatMessage(t, agentStream, "4", "需要身份证和户口本。")
	expectChatMessage(t, agentStream, "5", "好的，谢谢。")
	expectChatMessage(t, visitorStream, "5", "好的，谢谢。")

	// A reconnect on instance B after message 4 replays only message 5.
	again := openChatStream(t, agent.http, second.URL+chatPath+"/events", "4")
	expectChatMessage(t, again, "5", "好的，谢谢。")
}
