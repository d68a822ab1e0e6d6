package live

import (
	"context"
	"sync"
	"sync/atomic"
)

// subscriptionBuffer is how many events wait for a slow subscriber before the hub drops events
// for it and marks it as lagging. A lagging stream replays from the database, so a drop costs a
// query, never a lost message. Events are shared pointers, so the buffer costs 8 bytes a slot.
const subscriptionBuffer = 64

// Subscription receives the events of its topics. Receive from C until it is closed; after
// Lagged fires, events were dropped and the receiver must read its topics from the database.
type Subscription struct {
	C      <-chan *Event
	c      chan *Event
	lagged chan struct{}
	topics []string
	hub    *Local
	closed atomic.Bool
}

// Lagged returns a channel that receives a value when the hub dropped events for this
// subscription because its buffer was full, or because a PostgreSQL hub lost its connection.
func (s *Subscription) Lagged() <-chan struct{} { return s.lagged }

// Topics returns the topics of the subscription.
func (s *Subscription) Topics() []string { return s.topics }

// Close ends the subscription and closes C. It is safe to call more than once.
func (s *Subscription) Close() {
	if s.hub != nil {
		s.hub.unsubscribe(s)
	}
}

func (s *Subscription) markLagged() {
	select {
	case s.lagged <- struct{}{}:
	default:
	}
}

// offer hands e to the subscriber without blocking; a full buffer marks the subscription lagged.
func (s *Subscription) offer(e *Event) {
	select {
	case s.c <- e:
	default:
		s.markLagged()
	}
}

// Local is the in-process hub: it delivers events to subscriptions of the same process. It
// serves a single instance on SQLite, and fans out inside each instance of a Postgres hub.
// It is safe for concurrent use.
type Local struct {
	mu     sync.RWMutex
	topics map[string]map[*Subscription]struct{}
	all    map[*Subscription]struct{}
	closed bool
}

// NewLocal returns an in-process hub.
func NewLocal() *Local {
	return &Local{topics: map[string]map[*Subscription]struct{}{}, all: map[*Subscription]struct{}{}}
}

// Publish delivers events to the subscribers of their topics in this process, in order. It never
// blocks on a slow subscriber.
func (h *Local) Publish(_ context.Context, events ...Event) error {
	for i := range events {
		e := events[i]
		h.deliver(&e)
	}
	return nil
}

// deliver fans e out; e must not change afterwards, because every subscriber shares it.
func (h *Local) deliver(e *Event) {
	e.encode()
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.topics[e.Topic] {
		s.offer(e)
	}
}

// markAllLagged tells every subscription that events may have been lost.
func (h *Local) markAllLagged() {
	h.mu.RLock()
	defer h.mu.RUnlock()
	for s := range h.all {
		s.markLagged()
	}
}

// Subscribe returns a subscription to topics. On a closed hub the subscription's C is closed.
func (h *Local) Subscribe(topics []string) *Subscription {
	c := make(chan *Event, subscriptionBuffer)
	s := &Subscription{C: c, c: c, lagged: make(chan struct{}, 1), topics: topics, hub: h}
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		s.closed.Store(true)
		close(c)
		return s
	}
	h.all[s] = struct{}{}
	for _, t := range topics {
		m := h.topics[t]
		if m == nil {
			m = map[*Subscription]struct{}{}
			h.topics[t] = m
		}
		m[s] = struct{}{}
	}
	return s
}

// unsubscribe removes s under the write lock, so no publisher is sending to s.c when it closes.
func (h *Local) unsubscribe(s *Subscription) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if !s.closed.CompareAndSwap(false, true) {
		return
	}
	delete(h.all, s)
	for _, t := range s.topics {
		if m := h.topics[t]; m != nil {
			delete(m, s)
			if len(m) == 0 {
				delete(h.topics, t)
			}
		}
	}
	close(s.c)
}

// Subscribers returns how many subscriptions are open, for tests and the benchmark.
func (h *Local) Subscribers() int {
	h.mu.RLock()
	defer h.mu.RUnlock()
	return len(h.all)
}

// Close ends every subscription. Later subscriptions are closed at once.
func (h *Local) Close() error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return nil
	}
	h.closed = true
	for s := range h.all {
		if s.closed.CompareAndSwap(false, true) {
			close(s.c)
		}
	}
	clear(h.all)
	clear(h.topics)
	return nil
}
