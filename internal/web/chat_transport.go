package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync"
	"time"

	"pingan/internal/store"
)

// chatEvent is one live event of the consultation: a chat message (Seq > 0) or a change of the
// agents' queue.
type chatEvent struct {
	Kind    string            `json:"kind"` // "message", "queue", "state"
	Message store.ChatMessage `json:"message"`
	State   string            `json:"state,omitempty"`
}

// chatTransport carries live chat events between the request that stored them and the
// browsers that listen. It is the one seam between live consultation and the live hub: this
// package ships an in-process implementation, and moving onto the hub means implementing these
// two methods on it.
//
// NOTE: the in-process transport only reaches browsers connected to the same instance. Several
// instances behind a load balancer need the hub, which shares events through the database.
type chatTransport interface {
	// Publish delivers ev to every current subscriber of topic without blocking.
	Publish(topic string, ev chatEvent)
	// Subscribe returns a channel of topic's events and a function that ends the subscription.
	Subscribe(topic string) (<-chan chatEvent, func())
}

type localChatTransport struct {
	mu   sync.Mutex
	subs map[string]map[chan chatEvent]struct{}
}

func newLocalChatTransport() *localChatTransport {
	return &localChatTransport{subs: map[string]map[chan chatEvent]struct{}{}}
}

func (t *localChatTransport) Publish(topic string, ev chatEvent) {
	t.mu.Lock()
	defer t.mu.Unlock()
	for ch := range t.subs[topic] {
		select {
		case ch <- ev:
		default:
			// A subscriber that cannot keep up misses live events; it catches up from the
			// database on its next reconnect, because replay is by sequence number.
		}
	}
}

func (t *localChatTransport) Subscribe(topic string) (<-chan chatEvent, func()) {
	// A small buffer keeps a waiting visitor's stream cheap; a subscriber that falls behind
	// catches up from the database on reconnect.
	ch := make(chan chatEvent, 8)
	t.mu.Lock()
	if t.subs[topic] == nil {
		t.subs[topic] = map[chan chatEvent]struct{}{}
	}
	t.subs[topic][ch] = struct{}{}
	t.mu.Unlock()
	return ch, func() {
		t.mu.Lock()
		delete(t.subs[topic], ch)
		if len(t.subs[topic]) == 0 {
			delete(t.subs, topic)
		}
		t.mu.Unlock()
	}
}

func chatTopic(id int64) string    { return "chat:" + strconv.FormatInt(id, 10) }
func queueTopic(town int64) string { return "chatqueue:" + strconv.FormatInt(town, 10) }

// streamChat serves a chat's Server-Sent Events: first every stored message after the one the
// browser last saw (Last-Event-ID, or the after query parameter), then live messages, each
// with its sequence number as the event id. Subscribing before reading the database and
// skipping sequence numbers already sent means a reconnect neither loses nor repeats a message.
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, chatID int64) error {
	last, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if last == 0 {
		last, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}
	events, cancel := s.svc.chat.Subscribe(chatTopic(chatID))
	defer cancel()
	missed, err := s.db.ChatMessagesAfter(r.Context(), chatID, last)
	if err != nil {
		return err
	}
	sse, err := startSSE(w)
	if err != nil {
		return err
	}
	for _, m := range missed {
		if err := sse.send(chatEvent{Kind: "message", Message: m}, m.Seq); err != nil {
			return nil
		}
		last = m.Seq
	}
	return sse.loop(r.Context(), events, func(ev chatEvent) error {
		if ev.Kind == "message" {
			if ev.Message.Seq <= last {
				return nil
			}
			last = ev.Message.Seq
			return sse.send(ev, ev.Message.Seq)
		}
		return sse.send(ev, 0)
	})
}

type sseWriter struct {
	w  http.ResponseWriter
	rc *http.ResponseController
}

// startSSE writes the event-stream headers and clears the server's write deadline, which would
// otherwise cut a long-lived stream.
func startSSE(w http.ResponseWriter) (*sseWriter, error) {
	rc := http.NewResponseController(w)
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return nil, fmt.Errorf("clear write deadline: %w", err)
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := fmt.Fprint(w, "retry: 3000\n\n"); err != nil {
		return nil, err
	}
	return &sseWriter{w: w, rc: rc}, rc.Flush()
}

func (s *sseWriter) send(ev chatEvent, id int64) error {
	b, err := json.Marshal(ev)
	if err != nil {
		return err
	}
	if id > 0 {
		if _, err := fmt.Fprintf(s.w, "id: %d\n", id); err != nil {
			return err
		}
	}
	if _, err := fmt.Fprintf(s.w, "data: %s\n\n", b); err != nil {
		return err
	}
	return s.rc.Flush()
}

// loop forwards events until the client leaves, with a comment every 25 seconds so that
// proxies keep the connection open.
func (s *sseWriter) loop(ctx context.Context, events <-chan chatEvent, handle func(chatEvent) error) error {
	tick := time.NewTicker(25 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case ev := <-events:
			if err := handle(ev); err != nil {
				return nil
			}
		case <-tick.C:
			if _, err := fmt.Fprint(s.w, ": keep-alive\n\n"); err != nil {
				return nil
			}
			if err := s.rc.Flush(); err != nil {
				return nil
			}
		}
	}
}
