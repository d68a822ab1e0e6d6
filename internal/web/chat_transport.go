package web

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"pingan/internal/live"
	"pingan/internal/store"
)

// chatEvent is one live event of the consultation: a chat message (Seq > 0) or a change of the
// agents' queue.
type chatEvent struct {
	Kind    string            `json:"kind"` // "message", "queue"
	Message store.ChatMessage `json:"message"`
	State   string            `json:"state,omitempty"`
}

// chatEventType is the type of the consultation's events on the live hub.
const chatEventType = "chat"

// chatReplayBatch is the LIMIT of store.ChatMessagesAfter: a read that returns this many
// messages may have left newer ones behind.
const chatReplayBatch = 1000

func chatTopic(id int64) string    { return "chat:" + strconv.FormatInt(id, 10) }
func queueTopic(town int64) string { return "chatqueue:" + strconv.FormatInt(town, 10) }

// publishChat sends a chat event through the live hub, which reaches the streams of every
// instance that shares the database. Call it after the step that stored the message committed.
// A message event carries the message's sequence number, so that a stream drops repeats and
// notices gaps. A queue event is ephemeral.
func (s *Server) publishChat(ctx context.Context, topic string, ev chatEvent) {
	data, err := json.Marshal(ev)
	if err != nil {
		s.log.Error("encode chat event failed", "topic", topic, "error", err)
		return
	}
	e := live.Event{Topic: topic, Type: chatEventType, Data: data}
	if ev.Kind == "message" {
		e.Seq = ev.Message.Seq
	}
	s.publish(ctx, e)
}

// streamChat serves a chat's Server-Sent Events: first every stored message after the one the
// browser last saw (Last-Event-ID, or the after query parameter), then live messages from the
// hub, each with its sequence number as the event id. It subscribes before reading the
// database and skips sequence numbers already sent, so a reconnect neither loses nor repeats a
// message. A hub event that skips a number, arrives without its data (a PostgreSQL
// notification is limited to 8000 bytes) or follows dropped events makes the stream read the
// missing messages from the database.
func (s *Server) streamChat(w http.ResponseWriter, r *http.Request, chatID int64) error {
	ctx := r.Context()
	last, _ := strconv.ParseInt(r.Header.Get("Last-Event-ID"), 10, 64)
	if last == 0 {
		last, _ = strconv.ParseInt(r.URL.Query().Get("after"), 10, 64)
	}

	sub := s.broker.Hub().Subscribe([]string{chatTopic(chatID)})
	defer sub.Close()
	missed, err := s.db.ChatMessagesAfter(ctx, chatID, last)
	if err != nil {
		return err
	}
	sse, err := startSSE(w)
	if err != nil {
		return err
	}

	sendStored := func(msgs []store.ChatMessage) error {
		for _, m := range msgs {
			if err := sse.send(chatEvent{Kind: "message", Message: m}, m.Seq); err != nil {
				return err
			}
			last = m.Seq
		}
		return nil
	}
	catchUp := func() error {
		for {
			msgs, err := s.db.ChatMessagesAfter(ctx, chatID, last)
			if err != nil {
				s.log.Error("read chat messages failed", "chat_id", chatID, "after", last, "error", err)
				return err
			}
			if err := sendStored(msgs); err != nil {
				return err
			}
			if len(msgs) < chatReplayBatch {
				return nil
			}
		}
	}

	if err := sendStored(missed); err != nil {
		return nil
	}
	if len(missed) == chatReplayBatch {
		if err := catchUp(); err != nil {
			return nil
		}
	}

	return sse.loop(ctx, sub, func(e *live.Event) error {
		switch {
		case e.Seq == 0:
			return sse.sendRaw(e.Data, 0)
		case e.Seq <= last:
			return nil
		case e.Seq == last+1 && e.Data != nil:
			last = e.Seq
			return sse.sendRaw(e.Data, e.Seq)
		default:
			return catchUp()
		}
	}, catchUp)
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
	return s.sendRaw(b, id)
}

// sendRaw writes one event whose data is the JSON b, with id as its event id unless it is 0.
func (s *sseWriter) sendRaw(b []byte, id int64) error {
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

// loop forwards the subscription's events to handle until the client leaves or the hub closes,
// with a comment every 25 seconds so that proxies keep the connection open. After the hub
// dropped events for the subscription, it calls lagged, when not nil. An error from handle or
// lagged ends the stream, and the browser reconnects.
func (s *sseWriter) loop(ctx context.Context, sub *live.Subscription, handle func(*live.Event) error, lagged func() error) error {
	tick := time.NewTicker(25 * time.Second)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case e, ok := <-sub.C:
			if !ok {
				// The hub closed, as on shutdown, so the browser reconnects to another instance.
				return nil
			}
			if err := handle(e); err != nil {
				return nil
			}
		case <-sub.Lagged():
			if lagged == nil {
				continue
			}
			if err := lagged(); err != nil {
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
