package web

import (
	"context"
	"database/sql"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
	"pingan/internal/live"
	"pingan/internal/store"
)

// notify stores one bell notification for a coordHarness account and publishes it, as a feature
// handler does.
func (h *coordHarness) notify(username, title string) domain.Notification {
	h.t.Helper()
	ctx := context.Background()
	var list []domain.Notification
	err := h.db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		list, err = h.db.AddNotificationsTx(ctx, tx, []domain.Notification{{TownID: h.town, AccountID: h.accounts[username],
			Kind: domain.NotifyNotice, Title: title, Link: "/admin/notices"}})
		return err
	})
	if err != nil {
		h.t.Fatal(err)
	}
	h.srv.publishBell(ctx, list)
	return list[0]
}

func TestEventsAnonymousGetsNoContent(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	res, err := http.Get(h.ts.URL + "/events")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusNoContent {
		t.Errorf("anonymous GET /events: status %d, want 204", res.StatusCode)
	}
}

func TestEventsBellStreamsAndResumes(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		c := h.signIn("yuefeng")
		page := c.get("/admin/bell")
		cursor := between(page.body, `data-live-cursor="`, `"`)
		if !strings.Contains(cursor, "bell:") {
			t.Fatalf("page cursor %q has no bell topic", cursor)
		}
		// Stored after the page was built but before the stream opened: replayed.
		h.notify("yuefeng", "第一条")
		st := c.openStream(t, "?cursor="+cursor, "")
		first := st.next(t, 5*time.Second)
		h.notify("yuefeng", "第二条")
		second := st.next(t, 5*time.Second)
		for i, e := range []sseEvent{first, second} {
			var msg struct {
				Topic string `json:"topic"`
				Seq   int64  `json:"seq"`
				Data  struct {
					Title  string `json:"title"`
					Unread int    `json:"unread"`
				} `json:"data"`
			}
			if err := json.Unmarshal([]byte(e.data), &msg); err != nil {
				t.Fatalf("event %d data %q: %v", i, e.data, err)
			}
			if e.name != "bell" || msg.Seq != int64(i+1) || msg.Data.Unread != i+1 {
				t.Errorf("event %d = %s %+v, want bell #%d with %d unread", i, e.name, msg, i+1, i+1)
			}
		}
		if want := "第二条"; !strings.Contains(second.data, want) {
			t.Errorf("second event %q lacks %q", second.data, want)
		}

		// A reconnect with the id of the first event gets the second again and nothing else.
		h.notify("yuefeng", "第三条")
		again := c.openStream(t, "", first.id)
		if e := again.next(t, 5*time.Second); !strings.Contains(e.data, "第二条") {
			t.Errorf("resumed stream starts with %q, want the second notification", e.data)
		}
		if e := again.next(t, 5*time.Second); !strings.Contains(e.data, "第三条") {
			t.Errorf("resumed stream continues with %q, want the third notification", e.data)
		}

		// Another account's stream never carries this bell.
		other := h.signIn("gaoqiao").openStream(t, "", "bell:"+idStr(h.accounts["yuefeng"])+"=0")
		h.notify("gaoqiao", "给高桥村")
		if e := other.next(t, 5*time.Second); !strings.Contains(e.data, "给高桥村") {
			t.Errorf("other account's first event = %q, want only its own", e.data)
		}
	})
}

func TestEventsOutliveServerTimeouts(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	ts := httptest.NewUnstartedServer(h.srv.Handler())
	ts.Config.ReadTimeout = 500 * time.Millisecond
	ts.Config.WriteTimeout = 500 * time.Millisecond
	ts.Start()
	t.Cleanup(ts.Close)
	c := h.signInAt(ts, "yuefeng")
	st := c.openStream(t, "", "")
	time.Sleep(1500 * time.Millisecond)
	h.notify("yuefeng", "超时之后")
	if e := st.next(t, 5*time.Second); !strings.Contains(e.data, "超时之后") {
		t.Errorf("event after the server timeouts = %q", e.data)
	}
}

func TestEventsEndWhenHubCloses(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	st := h.signIn("yuefeng").openStream(t, "", "")
	h.hub.Close()
	done := make(chan error, 1)
	go func() {
		_, err := st.br.ReadString('\x00')
		done <- err
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("stream still open 5 s after the hub closed")
	}
}

func TestBellPagesMarkRead(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	n := h.notify("yuefeng", "请阅读通知")
	c := h.signIn("yuefeng")
	page := c.get("/admin/bell")
	mustContain(t, "bell page", page.body, "请阅读通知", `data-bell-count>1<`)
	if res := h.signIn("gaoqiao").post("/admin/bell/"+idStr(n.ID)+"/open", nil); res.status != http.StatusNotFound {
		t.Errorf("another account opens the notification: status %d, want 404", res.status)
	}
	res := c.post("/admin/bell/"+idStr(n.ID)+"/open", nil)
	if res.status != http.StatusSeeOther || res.location != "/admin/notices" {
		t.Errorf("open notification: status %d to %q", res.status, res.location)
	}
	unread, _ := h.db.UnreadNotifications(context.Background(), h.actor("yuefeng"))
	if unread != 0 {
		t.Errorf("unread after opening = %d, want 0", unread)
	}
}

// between returns the text of s after the first open and before the next close.
func between(s, open, close string) string {
	_, rest, ok := strings.Cut(s, open)
	if !ok {
		return ""
	}
	v, _, _ := strings.Cut(rest, close)
	return v
}

func idStr(id int64) string { return store.BellTopic(id)[len("bell:"):] }

var _ = live.ParseCursor
