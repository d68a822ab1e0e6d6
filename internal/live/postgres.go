package live

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// maxNotifyPayload is the largest payload sent through NOTIFY. PostgreSQL rejects payloads of
// 8000 bytes or more; an event that does not fit travels without its data.
const maxNotifyPayload = 7900

// listenerPing is how long the listener waits for a notification before it checks that its
// connection is still alive.
const listenerPing = 30 * time.Second

// Postgres is the hub of several instances that share one PostgreSQL database: Publish sends
// each event with NOTIFY, and every instance, this one included, receives it on a dedicated
// LISTEN connection and hands it to its own subscriptions. It is safe for concurrent use.
//
// When the listening connection drops, the hub reconnects with backoff and then marks every
// subscription as lagged, so that streams read what they missed from the database.
type Postgres struct {
	local   *Local
	db      *sql.DB
	url     string
	channel string
	log     *slog.Logger

	cancel    context.CancelFunc
	done      chan struct{}
	closeOnce sync.Once

	mu   sync.Mutex
	conn *pgx.Conn // the listening connection, for tests that cut it
}

// NewPostgres starts a hub on the database at url; db is the pool that sends notifications. The
// NOTIFY channel is named after the connection's schema, so that deployments and tests that
// share one database in separate schemas stay apart. It returns once the listener listens.
func NewPostgres(ctx context.Context, url string, db *sql.DB, log *slog.Logger) (*Postgres, error) {
	var schema string
	if err := db.QueryRowContext(ctx, `SELECT current_schema()`).Scan(&schema); err != nil {
		return nil, fmt.Errorf("live: read current schema: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.WithoutCancel(ctx))
	p := &Postgres{local: NewLocal(), db: db, url: url, channel: channelName(schema), log: log,
		cancel: cancel, done: make(chan struct{})}
	ready := make(chan error, 1)
	go p.run(runCtx, ready)
	select {
	case err := <-ready:
		if err != nil {
			cancel()
			<-p.done
			return nil, err
		}
	case <-ctx.Done():
		cancel()
		<-p.done
		return nil, ctx.Err()
	}
	return p, nil
}

// channelName returns the NOTIFY channel of a schema: "pingan_live_public" for the default
// schema, or a hash when the name would pass PostgreSQL's 63-byte identifier limit.
func channelName(schema string) string {
	name := "pingan_live_" + schema
	if len(name) <= 63 {
		return name
	}
	sum := sha256.Sum256([]byte(schema))
	return "pingan_live_" + hex.EncodeToString(sum[:16])
}

// Publish sends each event through NOTIFY, in order. An event whose payload would not fit is
// sent without its data; receivers then read it from the database. An ephemeral event (Seq 0)
// that does not fit is an error, since there is nothing to read back.
func (p *Postgres) Publish(ctx context.Context, events ...Event) error {
	for i := range events {
		e := events[i]
		payload := e.Wire()
		if len(payload) > maxNotifyPayload {
			if e.Seq == 0 {
				return fmt.Errorf("live: ephemeral event on %s is %d bytes, over the notification limit", e.Topic, len(payload))
			}
			e.Data = nil
			payload = e.Wire()
		}
		if _, err := p.db.ExecContext(ctx, `SELECT pg_notify($1, $2)`, p.channel, string(payload)); err != nil {
			return fmt.Errorf("live: notify %s: %w", e.Topic, err)
		}
	}
	return nil
}

// Subscribe returns a subscription to topics on this instance.
func (p *Postgres) Subscribe(topics []string) *Subscription { return p.local.Subscribe(topics) }

// Close stops the listener and ends every subscription.
func (p *Postgres) Close() error {
	p.closeOnce.Do(func() {
		p.cancel()
		<-p.done
		p.local.Close()
	})
	return nil
}

// Subscribers returns how many subscriptions are open on this instance.
func (p *Postgres) Subscribers() int { return p.local.Subscribers() }

// run keeps a listening connection open until ctx ends. It reports the first attempt on ready.
func (p *Postgres) run(ctx context.Context, ready chan<- error) {
	defer close(p.done)
	backoff := 100 * time.Millisecond
	first := true
	for ctx.Err() == nil {
		conn, err := p.listen(ctx)
		if err != nil {
			if first {
				ready <- err
				return
			}
			if ctx.Err() != nil {
				return
			}
			p.log.Warn("live listener reconnect failed", "error", err, "retry_ms", backoff.Milliseconds())
			select {
			case <-ctx.Done():
				return
			case <-time.After(backoff):
			}
			backoff = min(backoff*2, 5*time.Second)
			continue
		}
		if first {
			ready <- nil
			first = false
		} else {
			// Events sent while the listener was away reached no subscription here, so streams
			// replay them from the database.
			p.log.Info("live listener reconnected", "channel", p.channel)
			p.local.markAllLagged()
		}
		backoff = 100 * time.Millisecond
		err = p.receive(ctx, conn)
		p.setConn(nil)
		conn.Close(context.WithoutCancel(ctx))
		if ctx.Err() != nil {
			return
		}
		p.log.Warn("live listener connection lost", "error", err)
	}
}

func (p *Postgres) listen(ctx context.Context) (*pgx.Conn, error) {
	connectCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	conn, err := pgx.Connect(connectCtx, p.url)
	if err != nil {
		return nil, fmt.Errorf("live: connect listener: %w", err)
	}
	if _, err := conn.Exec(connectCtx, "LISTEN "+pgx.Identifier{p.channel}.Sanitize()); err != nil {
		conn.Close(context.WithoutCancel(ctx))
		return nil, fmt.Errorf("live: listen: %w", err)
	}
	p.setConn(conn)
	return conn, nil
}

func (p *Postgres) setConn(c *pgx.Conn) {
	p.mu.Lock()
	p.conn = c
	p.mu.Unlock()
}

// receive hands notifications to the local subscriptions until the connection fails or ctx ends.
func (p *Postgres) receive(ctx context.Context, conn *pgx.Conn) error {
	for {
		waitCtx, cancel := context.WithTimeout(ctx, listenerPing)
		n, err := conn.WaitForNotification(waitCtx)
		cancel()
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			// A quiet channel times out the wait; anything else means the connection failed.
			if conn.PgConn().IsClosed() || !(pgconn.Timeout(err) || errors.Is(err, context.DeadlineExceeded)) {
				return err
			}
			pingCtx, cancel := context.WithTimeout(ctx, 5*time.Second)
			err = conn.Ping(pingCtx)
			cancel()
			if err != nil {
				return err
			}
			continue
		}
		var e Event
		if err := json.Unmarshal([]byte(n.Payload), &e); err != nil || !validTopic(e.Topic) {
			p.log.Warn("live notification ignored", "channel", n.Channel, "error", err)
			continue
		}
		p.local.deliver(&e)
	}
}

// DropConnection closes the listening connection as a network failure would, so that tests can
// check that the hub reconnects and that streams recover what they missed.
func (p *Postgres) DropConnection() {
	p.mu.Lock()
	c := p.conn
	p.mu.Unlock()
	if c != nil {
		c.PgConn().Conn().Close()
	}
}
