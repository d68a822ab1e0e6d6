package live

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// Limits of one stream. A browser that fell further behind than maxBacklog events on a topic
// gets a "reset" event and reloads its page instead of a long replay.
const (
	replayBatch = 200
	maxBacklog  = 1000
	maxTopics   = 500
)

// ErrNoTopics reports that no source offers the subscriber any topic, as for an anonymous
// visitor without a chat token.
var ErrNoTopics = errors.New("live: no topics for this subscriber")

// ErrIdle reports that no event arrived within the wait given to Stream.Next.
var ErrIdle = errors.New("live: no event within the wait")

// Broker opens event streams over a hub for the registered sources. It is safe for concurrent use.
type Broker struct {
	hub     Hub
	sources []Source
	byName  map[string]Source
}

// NewBroker returns a broker over hub. Each feature that sends live events passes its Source
// here, once, at start-up; two sources with the same name are a programming error.
func NewBroker(hub Hub, sources ...Source) *Broker {
	b := &Broker{hub: hub, byName: map[string]Source{}}
	for _, s := range sources {
		if _, dup := b.byName[s.Name()]; dup {
			panic("live: two sources named " + s.Name())
		}
		b.byName[s.Name()] = s
		b.sources = append(b.sources, s)
	}
	return b
}

// Hub returns the hub the broker streams from, for publishers.
func (b *Broker) Hub() Hub { return b.hub }

// Publish sends events through the hub. Call it after the events are stored and committed.
func (b *Broker) Publish(ctx context.Context, events ...Event) error {
	if len(events) == 0 {
		return nil
	}
	return b.hub.Publish(ctx, events...)
}

// Heads returns the current position of every topic who may receive. A page renders it as the
// cursor its event stream starts from, so that nothing stored after the page was built is lost.
func (b *Broker) Heads(ctx context.Context, who Subscriber) (Cursor, error) {
	c := Cursor{}
	for _, s := range b.sources {
		heads, err := s.Topics(ctx, who)
		if err != nil {
			return nil, fmt.Errorf("live: topics of %s: %w", s.Name(), err)
		}
		for _, h := range heads {
			c[h.Topic] = h.Seq
		}
	}
	return c, nil
}

// Open starts a stream of the events who may receive, beginning after the positions in from.
// Topics missing from from start at their current head. The stream first replays what is
// stored after those positions, then delivers live events, each exactly once per topic and in
// sequence order. It returns ErrNoTopics when who may receive nothing.
func (b *Broker) Open(ctx context.Context, who Subscriber, from Cursor) (*Stream, error) {
	heads, err := b.Heads(ctx, who)
	if err != nil {
		return nil, err
	}
	if len(heads) == 0 {
		return nil, ErrNoTopics
	}
	if len(heads) > maxTopics {
		return nil, fmt.Errorf("live: %d topics for one subscriber, more than %d", len(heads), maxTopics)
	}

	topics := make([]string, 0, len(heads))
	pos := make(Cursor, len(heads))
	for t, head := range heads {
		topics = append(topics, t)
		p, ok := from[t]
		if !ok || p > head {
			// A position past the head comes from another database or a damaged cursor.
			p = head
		}
		pos[t] = p
	}

	slices.Sort(topics)
	st := &Stream{broker: b, who: who, sub: b.hub.Subscribe(topics), pos: pos, sorted: topics}
	// Subscribed first, then read: anything stored after the heads above is either replayed
	// here or delivered by the hub, and duplicates are dropped by sequence number.
	for _, t := range topics {
		if err := st.replay(ctx, t); err != nil {
			st.Close()
			return nil, err
		}
	}
	return st, nil
}

// Stream is one subscriber's ordered view of its topics. It is not safe for concurrent use:
// one goroutine, the one serving the browser, calls Next.
type Stream struct {
	broker  *Broker
	who     Subscriber
	sub     *Subscription
	pos     Cursor
	pending []*Event
	timer   *time.Timer
	sorted  []string // the topics in cursor order
}

// Cursor returns the position of every topic after the events returned so far. The event stream
// sends it as each event's id, which the browser sends back when it reconnects.
func (s *Stream) Cursor() Cursor { return s.pos }

// AppendCursor appends the stream's cursor, in the form Cursor.String returns, to dst. The
// event stream writes it as every event's id, so it avoids the allocations of String.
func (s *Stream) AppendCursor(dst []byte) []byte {
	for i, t := range s.sorted {
		if i > 0 {
			dst = append(dst, ',')
		}
		dst = append(dst, t...)
		dst = append(dst, '=')
		dst = strconv.AppendInt(dst, s.pos[t], 10)
	}
	return dst
}

// Topics returns the topics of the stream.
func (s *Stream) Topics() []string { return s.sub.Topics() }

// Buffered reports whether Next can return an event without waiting, so a writer can batch its
// flushes.
func (s *Stream) Buffered() bool { return len(s.pending) > 0 || len(s.sub.C) > 0 }

// Close ends the stream's subscription.
func (s *Stream) Close() { s.sub.Close() }

// Next returns the next event, waiting at most wait. It returns ErrIdle when the wait passed,
// ErrClosed when the hub closed, and ctx's error when ctx ended. A "reset" event on a topic
// instructs the browser to reload the page, because it fell too far behind.
func (s *Stream) Next(ctx context.Context, wait time.Duration) (*Event, error) {
	for {
		if e, ok := s.popPending(); ok {
			return e, nil
		}
		if s.timer == nil {
			s.timer = time.NewTimer(wait)
		} else {
			s.timer.Reset(wait)
		}
		select {
		case e, ok := <-s.sub.C:
			s.timer.Stop()
			if !ok {
				return nil, ErrClosed
			}
			if e.Seq == 0 {
				return e, nil
			}
			last, known := s.pos[e.Topic]
			switch {
			case !known || e.Seq <= last:
				// A duplicate of a replayed event.
				continue
			case e.Seq == last+1 && e.Data != nil:
				s.pos[e.Topic] = e.Seq
				return e, nil
			default:
				// A gap (an earlier event is still on its way or was dropped) or an event that
				// arrived without its data: read the topic from the database.
				if err := s.replay(ctx, e.Topic); err != nil {
					return nil, err
				}
			}
		case <-s.sub.Lagged():
			s.timer.Stop()
			for _, t := range s.sub.Topics() {
				if err := s.replay(ctx, t); err != nil {
					return nil, err
				}
			}
		case <-s.timer.C:
			return nil, ErrIdle
		case <-ctx.Done():
			s.timer.Stop()
			return nil, ctx.Err()
		}
	}
}

// popPending returns the next replayed event that is still new.
func (s *Stream) popPending() (*Event, bool) {
	for len(s.pending) > 0 {
		e := s.pending[0]
		s.pending[0] = nil
		s.pending = s.pending[1:]
		if len(s.pending) == 0 {
			// Let the backing array of a long replay go.
			s.pending = nil
		}
		if e.Type == resetType {
			return e, true
		}
		if e.Seq <= s.pos[e.Topic] {
			continue
		}
		s.pos[e.Topic] = e.Seq
		return e, true
	}
	return nil, false
}

// resetType is the event type that instructs a browser to reload instead of replaying a long
// backlog.
const resetType = "reset"

// replay appends the stored events of topic after the stream's position to pending, or a reset
// event when more than maxBacklog are waiting.
func (s *Stream) replay(ctx context.Context, topic string) error {
	src := s.broker.byName[TopicName(topic)]
	if src == nil {
		return fmt.Errorf("live: no source for topic %s", topic)
	}
	after := s.pos[topic]
	// Skip what is already pending, so a second replay of the same topic adds only newer events.
	for _, e := range s.pending {
		if e.Topic == topic && e.Seq > after {
			after = e.Seq
		}
	}
	added := 0
	for {
		events, err := src.Replay(ctx, s.who, topic, after, replayBatch)
		if err != nil {
			return fmt.Errorf("live: replay %s: %w", topic, err)
		}
		for i := range events {
			e := events[i]
			if e.Seq <= after {
				continue
			}
			after = e.Seq
			s.pending = append(s.pending, &e)
			added++
		}
		if len(events) < replayBatch {
			return nil
		}
		if added >= maxBacklog {
			s.dropPending(topic)
			s.pending = append(s.pending, &Event{Topic: topic, Type: resetType, Data: []byte(`{}`)})
			// After a reset the browser reloads; the stream goes on from the newest event.
			s.pos[topic] = s.lastSeq(ctx, src, topic, after)
			return nil
		}
	}
}

func (s *Stream) dropPending(topic string) {
	kept := s.pending[:0]
	for _, e := range s.pending {
		if e.Topic != topic {
			kept = append(kept, e)
		}
	}
	s.pending = kept
}

// lastSeq returns the head of topic, or after when the source does not report it.
func (s *Stream) lastSeq(ctx context.Context, src Source, topic string, after int64) int64 {
	heads, err := src.Topics(ctx, s.who)
	if err != nil {
		return after
	}
	for _, h := range heads {
		if h.Topic == topic && h.Seq > after {
			return h.Seq
		}
	}
	return after
}
