package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"sync"
	"testing"
	"time"
)

// memSource is a Source over events kept in memory, standing in for a feature's table.
type memSource struct {
	name string
	mu   sync.Mutex
	log  map[string][]Event
	// allowed lists the topics every subscriber may receive.
	allowed []string
}

func newMemSource(name string, topics ...string) *memSource {
	return &memSource{name: name, log: map[string][]Event{}, allowed: topics}
}

func (m *memSource) Name() string { return m.name }

func (m *memSource) Topics(_ context.Context, who Subscriber) ([]Head, error) {
	if who.Params.Get("deny") != "" {
		return nil, nil
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Head
	for _, t := range m.allowed {
		out = append(out, Head{Topic: t, Seq: int64(len(m.log[t]))})
	}
	return out, nil
}

func (m *memSource) Replay(_ context.Context, _ Subscriber, topic string, after int64, limit int) ([]Event, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	var out []Event
	for _, e := range m.log[topic] {
		if e.Seq > after && len(out) < limit {
			out = append(out, e)
		}
	}
	return out, nil
}

// store appends an event to topic, as a committed transaction would, and returns it.
func (m *memSource) store(topic string, n int) Event {
	m.mu.Lock()
	defer m.mu.Unlock()
	data, _ := json.Marshal(map[string]int{"n": n})
	e := Event{Topic: topic, Seq: int64(len(m.log[topic]) + 1), Type: "message", Data: data}
	m.log[topic] = append(m.log[topic], e)
	return e
}

func TestCursorRoundTrip(t *testing.T) {
	c := ParseCursor("wg:7=123,bell:42=5, bad, x=1,wg:8=-1,chat:ab=zz,wg:9=0")
	want := "bell:42=5,wg:7=123,wg:9=0"
	if got := c.String(); got != want {
		t.Errorf("ParseCursor(...).String() = %q, want %q", got, want)
	}
	if got := ParseCursor(strings.Repeat("a", maxCursorLength+1)); len(got) != 0 {
		t.Errorf("oversized cursor parsed to %v, want empty", got)
	}
}

func TestLocalDeliversToSubscribedTopicsOnly(t *testing.T) {
	h := NewLocal()
	defer h.Close()
	a := h.Subscribe([]string{"wg:1"})
	b := h.Subscribe([]string{"wg:2"})
	h.Publish(context.Background(), Event{Topic: "wg:1", Seq: 1, Type: "message", Data: []byte(`{}`)})
	select {
	case e := <-a.C:
		if e.Topic != "wg:1" || e.Seq != 1 {
			t.Errorf("a received %+v", e)
		}
	case <-time.After(time.Second):
		t.Fatal("a received nothing")
	}
	select {
	case e := <-b.C:
		t.Errorf("b received %+v, want nothing", e)
	default:
	}
	a.Close()
	a.Close()
	if _, ok := <-a.C; ok {
		t.Error("closed subscription still open")
	}
	if n := h.Subscribers(); n != 1 {
		t.Errorf("Subscribers() = %d, want 1", n)
	}
}

func TestLocalMarksSlowSubscriberLagged(t *testing.T) {
	h := NewLocal()
	defer h.Close()
	s := h.Subscribe([]string{"wg:1"})
	for i := range subscriptionBuffer + 5 {
		h.Publish(context.Background(), Event{Topic: "wg:1", Seq: int64(i + 1), Type: "message", Data: []byte(`{}`)})
	}
	select {
	case <-s.Lagged():
	default:
		t.Fatal("subscriber that missed events is not marked lagged")
	}
}

func TestLocalCloseEndsSubscriptions(t *testing.T) {
	h := NewLocal()
	s := h.Subscribe([]string{"wg:1"})
	h.Close()
	if _, ok := <-s.C; ok {
		t.Error("subscription open after hub closed")
	}
	late := h.Subscribe([]string{"wg:1"})
	if _, ok := <-late.C; ok {
		t.Error("subscription on a closed hub is open")
	}
}

func TestBrokerRejectsSubscriberWithoutTopics(t *testing.T) {
	b := NewBroker(NewLocal(), newMemSource("wg", "wg:1"))
	_, err := b.Open(context.Background(), Subscriber{Params: map[string][]string{"deny": {"1"}}}, nil)
	if !errors.Is(err, ErrNoTopics) {
		t.Errorf("Open for a subscriber without topics: err = %v, want ErrNoTopics", err)
	}
}

// collect reads events from st until it has n of them or a second passes without one.
func collect(t *testing.T, st *Stream, n int) []*Event {
	t.Helper()
	var out []*Event
	for len(out) < n {
		e, err := st.Next(context.Background(), 2*time.Second)
		if err != nil {
			t.Fatalf("after %d of %d events: %v", len(out), n, err)
		}
		out = append(out, e)
	}
	return out
}

func TestStreamReplaysFromCursorThenStreams(t *testing.T) {
	src := newMemSource("wg", "wg:1", "wg:2")
	hub := NewLocal()
	b := NewBroker(hub, src)
	for i := 1; i <= 5; i++ {
		src.store("wg:1", i)
	}
	st, err := b.Open(context.Background(), Subscriber{}, Cursor{"wg:1": 2})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e := src.store("wg:2", 1)
	hub.Publish(context.Background(), e)
	got := collect(t, st, 4)
	var seen []string
	for _, e := range got {
		seen = append(seen, fmt.Sprintf("%s#%d", e.Topic, e.Seq))
	}
	if want := "wg:1#3 wg:1#4 wg:1#5 wg:2#1"; strings.Join(seen, " ") != want {
		t.Errorf("events = %v, want %s", seen, want)
	}
	if got := st.Cursor().String(); got != "wg:1=5,wg:2=1" {
		t.Errorf("cursor = %s", got)
	}
	if _, err := st.Next(context.Background(), 50*time.Millisecond); !errors.Is(err, ErrIdle) {
		t.Errorf("Next on a quiet stream: err = %v, want ErrIdle", err)
	}
}

// TestStreamExactlyOnceUnderDisorder publishes from several goroutines that store in order but
// publish late, out of order, twice or not at all, and checks that the stream still returns
// every event once and in order.
func TestStreamExactlyOnceUnderDisorder(t *testing.T) {
	src := newMemSource("wg", "wg:1", "wg:2")
	hub := NewLocal()
	b := NewBroker(hub, src)
	st, err := b.Open(context.Background(), Subscriber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()

	const perTopic = 300
	var wg sync.WaitGroup
	for _, topic := range []string{"wg:1", "wg:2"} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var held []Event
			for i := range perTopic {
				e := src.store(topic, i)
				switch rand.IntN(6) {
				case 0: // lost: the stream finds it through the next event's gap
				case 1:
					held = append(held, e) // published later, out of order
				case 2:
					hub.Publish(context.Background(), e, e)
				default:
					hub.Publish(context.Background(), e)
				}
				if len(held) > 3 {
					hub.Publish(context.Background(), held[len(held)-1], held[0])
					held = held[1 : len(held)-1]
				}
			}
			hub.Publish(context.Background(), held...)
			// A last event that surely arrives reveals any gap left at the end.
			hub.Publish(context.Background(), src.store(topic, perTopic))
		}()
	}
	got := collect(t, st, 2*(perTopic+1))
	wg.Wait()
	next := map[string]int64{"wg:1": 1, "wg:2": 1}
	for _, e := range got {
		if e.Seq != next[e.Topic] {
			t.Fatalf("%s: got seq %d, want %d", e.Topic, e.Seq, next[e.Topic])
		}
		next[e.Topic]++
	}
	if _, err := st.Next(context.Background(), 100*time.Millisecond); !errors.Is(err, ErrIdle) {
		t.Errorf("extra event after all were seen: err = %v", err)
	}
}

func TestStreamRecoversAfterLag(t *testing.T) {
	src := newMemSource("wg", "wg:1")
	hub := NewLocal()
	b := NewBroker(hub, src)
	st, err := b.Open(context.Background(), Subscriber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	n := subscriptionBuffer * 3
	for i := range n {
		hub.Publish(context.Background(), src.store("wg:1", i))
	}
	got := collect(t, st, n)
	for i, e := range got {
		if e.Seq != int64(i+1) {
			t.Fatalf("event %d has seq %d", i, e.Seq)
		}
	}
}

func TestStreamResetsAfterLongAbsence(t *testing.T) {
	src := newMemSource("wg", "wg:1")
	b := NewBroker(NewLocal(), src)
	for i := range maxBacklog + replayBatch + 10 {
		src.store("wg:1", i)
	}
	st, err := b.Open(context.Background(), Subscriber{}, Cursor{"wg:1": 1})
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	e, err := st.Next(context.Background(), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	if e.Type != resetType {
		t.Errorf("first event after a long absence is %s #%d, want a reset", e.Type, e.Seq)
	}
	if got, want := st.Cursor()["wg:1"], int64(maxBacklog+replayBatch+10); got != want {
		t.Errorf("position after reset = %d, want the head %d", got, want)
	}
}

func TestStreamEndsWhenHubCloses(t *testing.T) {
	hub := NewLocal()
	b := NewBroker(hub, newMemSource("wg", "wg:1"))
	st, err := b.Open(context.Background(), Subscriber{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	hub.Close()
	if _, err := st.Next(context.Background(), time.Second); !errors.Is(err, ErrClosed) {
		t.Errorf("Next after hub closed: err = %v, want ErrClosed", err)
	}
}
