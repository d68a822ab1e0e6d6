// Package live carries real-time events from the instance that stores them to the browsers that
// show them. The bell and the work group travel over one event stream per browser tab. Live
// consultation publishes on the same hub but serves its own streams.
//
// A Hub delivers published events to the subscriptions of every instance: Local within one
// process, Postgres between processes that share one PostgreSQL database. A Broker adds what a
// browser needs on top: it asks the registered Sources which topics a subscriber may receive,
// replays what the browser missed from the database, and then streams, so that a reconnecting
// browser sees every stored event once and in order. See docs/live.md.
package live

import (
	"context"
	"encoding/json"
	"errors"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"pingan/internal/domain"
)

// Event is one message on a topic. A topic names one ordered stream of events, such as
// "bell:42" (the notifications of account 42) or "wg:7" (work group channel 7). Its first part,
// before the colon, is the name of the Source that owns it.
type Event struct {
	Topic string `json:"topic"`
	// Seq is the event's position in its topic: 1, 2, 3 … in the order the storing transactions
	// committed. Zero marks an ephemeral event that was never stored and is never replayed.
	Seq int64 `json:"seq,omitempty"`
	// Type is the SSE event name the browser listens for, such as "bell" or "message".
	Type string `json:"type"`
	// Data is the JSON payload. It is nil when a hub could not carry it, because PostgreSQL
	// limits a notification to 8000 bytes. The Broker then reads the event from the database.
	Data json.RawMessage `json:"data,omitempty"`

	// wire is the JSON encoding of the event, computed once before it fans out.
	wire []byte
}

// Wire returns the JSON encoding of the event that the event stream sends as its data line.
func (e *Event) Wire() []byte {
	if e.wire != nil {
		return e.wire
	}
	b, err := json.Marshal(e)
	if err != nil {
		// Data is a RawMessage that came from json.Marshal or the database, so an invalid one is
		// a programming error. The browser then gets the event without its payload.
		b, _ = json.Marshal(Event{Topic: e.Topic, Seq: e.Seq, Type: e.Type})
	}
	return b
}

// encode fixes the wire form of e; it must run before e is shared between goroutines.
func (e *Event) encode() {
	e.wire = nil
	e.wire = e.Wire()
}

// Hub delivers published events to the subscriptions of every instance that shares it.
// Implementations are safe for concurrent use.
type Hub interface {
	// Publish sends events, in order, to the subscribers of their topics. Call it after the
	// transaction that stored them has committed.
	Publish(ctx context.Context, events ...Event) error
	// Subscribe returns a subscription to topics. Close it when done.
	Subscribe(topics []string) *Subscription
	// Close ends every subscription and stops the hub.
	Close() error
}

// Subscriber is who opens an event stream: a signed-in account, or an anonymous visitor whose
// request parameters (a chat token, for example) a Source checks.
type Subscriber struct {
	// Actor is the signed-in account; its AccountID is 0 for an anonymous visitor.
	Actor domain.Actor
	// Params are the query parameters of the stream request.
	Params url.Values
}

// Head is a topic with the sequence number of its latest stored event.
type Head struct {
	Topic string
	Seq   int64
}

// Source is one feature's part of the event stream: which of its topics a subscriber may
// receive, and the stored events of a topic. Register a Source with NewBroker.
type Source interface {
	// Name is the first part of every topic of the source ("bell" for "bell:42"). It contains
	// none of ':', ',' and '='.
	Name() string
	// Topics returns the topics of the source that who may receive, each with its head. It
	// returns no topics, not an error, when who may receive none.
	Topics(ctx context.Context, who Subscriber) ([]Head, error)
	// Replay returns the stored events of topic with Seq greater than after, oldest first, at
	// most limit of them. The Broker calls it only for topics that Topics returned for who.
	Replay(ctx context.Context, who Subscriber, topic string, after int64, limit int) ([]Event, error)
}

// ErrClosed reports that the hub closed the subscription, as it does when the server stops.
var ErrClosed = errors.New("live: hub closed")

// Cursor maps each topic to the sequence number of the last event a browser received.
type Cursor map[string]int64

// maxCursorLength bounds the cursor a browser sends; longer input is ignored.
const maxCursorLength = 8192

// ParseCursor reads a cursor in the form "bell:42=5,wg:7=123". Malformed parts are skipped, so
// a damaged cursor costs a replay, never an error.
func ParseCursor(s string) Cursor {
	c := Cursor{}
	if len(s) > maxCursorLength {
		return c
	}
	for part := range strings.SplitSeq(s, ",") {
		topic, seq, ok := strings.Cut(strings.TrimSpace(part), "=")
		if !ok || !validTopic(topic) {
			continue
		}
		n, err := strconv.ParseInt(seq, 10, 64)
		if err != nil || n < 0 {
			continue
		}
		c[topic] = n
	}
	return c
}

// String encodes the cursor in the form ParseCursor reads, topics in sorted order.
func (c Cursor) String() string {
	topics := make([]string, 0, len(c))
	for t := range c {
		topics = append(topics, t)
	}
	slices.Sort(topics)
	var b strings.Builder
	for i, t := range topics {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(t)
		b.WriteByte('=')
		b.WriteString(strconv.FormatInt(c[t], 10))
	}
	return b.String()
}

// validTopic reports whether t has the form "source:key" with no separator of the cursor.
func validTopic(t string) bool {
	name, key, ok := strings.Cut(t, ":")
	return ok && name != "" && key != "" && len(t) <= 200 && !strings.ContainsAny(t, ",= \n\r")
}

// TopicName returns the source name of a topic: "wg" for "wg:7".
func TopicName(topic string) string {
	name, _, _ := strings.Cut(topic, ":")
	return name
}
