package live

import (
	"context"
	"database/sql"
	"log/slog"
	"strings"
	"testing"
	"time"

	"pingan/internal/store/storetest"
)

// openPostgresHubs starts n hubs on one fresh schema, as n instances sharing a database would.
func openPostgresHubs(t *testing.T, n int) []*Postgres {
	t.Helper()
	url := storetest.NewPostgresSchema(t)
	db, err := sql.Open("pgx", url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	var hubs []*Postgres
	for range n {
		h, err := NewPostgres(context.Background(), url, db, slog.New(slog.DiscardHandler))
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { h.Close() })
		hubs = append(hubs, h)
	}
	return hubs
}

func receive(t *testing.T, s *Subscription) *Event {
	t.Helper()
	select {
	case e, ok := <-s.C:
		if !ok {
			t.Fatal("subscription closed")
		}
		return e
	case <-time.After(5 * time.Second):
		t.Fatal("no event within 5 s")
	}
	return nil
}

func TestPostgresDeliversAcrossInstances(t *testing.T) {
	hubs := openPostgresHubs(t, 2)
	a := hubs[0].Subscribe([]string{"wg:1"})
	b := hubs[1].Subscribe([]string{"wg:1"})
	if err := hubs[0].Publish(context.Background(), Event{Topic: "wg:1", Seq: 1, Type: "message", Data: []byte(`{"body":"你好"}`)}); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*Subscription{"same instance": a, "other instance": b} {
		e := receive(t, s)
		if e.Seq != 1 || string(e.Data) != `{"body":"你好"}` {
			t.Errorf("%s received %+v", name, e)
		}
	}
}

func TestPostgresSendsLargeEventWithoutData(t *testing.T) {
	hubs := openPostgresHubs(t, 1)
	s := hubs[0].Subscribe([]string{"wg:1"})
	big := `{"body":"` + strings.Repeat("长", 4000) + `"}`
	if err := hubs[0].Publish(context.Background(), Event{Topic: "wg:1", Seq: 7, Type: "message", Data: []byte(big)}); err != nil {
		t.Fatal(err)
	}
	e := receive(t, s)
	if e.Seq != 7 || e.Data != nil {
		t.Errorf("large event arrived as seq %d with %d bytes of data, want seq 7 without data", e.Seq, len(e.Data))
	}
	if err := hubs[0].Publish(context.Background(), Event{Topic: "wg:1", Type: "typing", Data: []byte(big)}); err == nil {
		t.Error("large ephemeral event published, want an error")
	}
}

func TestPostgresReconnectMarksLagged(t *testing.T) {
	hubs := openPostgresHubs(t, 2)
	s := hubs[1].Subscribe([]string{"wg:1"})
	hubs[1].DropConnection()
	select {
	case <-s.Lagged():
	case <-time.After(10 * time.Second):
		t.Fatal("no lag signal after the listener reconnected")
	}
	// The listener works again after the reconnect.
	deadline := time.Now().Add(5 * time.Second)
	for {
		hubs[0].Publish(context.Background(), Event{Topic: "wg:1", Seq: 1, Type: "message", Data: []byte(`{}`)})
		select {
		case e := <-s.C:
			if e.Seq != 1 {
				t.Errorf("received %+v", e)
			}
			return
		case <-time.After(200 * time.Millisecond):
		}
		if time.Now().After(deadline) {
			t.Fatal("no event after the reconnect")
		}
	}
}

func TestChannelNameFitsIdentifierLimit(t *testing.T) {
	if got := channelName("public"); got != "pingan_live_public" {
		t.Errorf("channelName(public) = %q", got)
	}
	long := channelName(strings.Repeat("s", 80))
	if len(long) > 63 || !strings.HasPrefix(long, "pingan_live_") {
		t.Errorf("channelName of a long schema = %q (%d bytes)", long, len(long))
	}
}
