package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strconv"
	"time"

	"pingan/internal/live"
)

// Event stream timing: a comment line keeps idle proxies from closing the stream, and each
// write gets a deadline, so a browser that stops reading frees its connection.
const (
	streamHeartbeat     = 25 * time.Second
	streamWriteDeadline = 30 * time.Second
	streamRetryMillis   = 2000
	// streamSessionCheck is how often a signed-in stream checks that its session is still live.
	streamSessionCheck = time.Minute
)

// subscriber returns who opens an event stream: the signed-in account, if any, and the query
// parameters, which sources for anonymous visitors read (a chat token, for example).
func (s *Server) subscriber(r *http.Request) live.Subscriber {
	who := live.Subscriber{Params: r.URL.Query()}
	si := sessionFrom(r.Context())
	// An account that must change its password sees no page yet, so it gets no events either.
	if si != nil && !si.account.MustChangePassword && !si.policy.PasswordExpired(si.account.PasswordChangedAt, s.db.Now()) {
		who.Actor = s.actor(r)
	}
	return who
}

// liveCursor returns the cursor a page hands to its event stream: the current head of every
// topic the viewer may receive. Handlers that render events themselves overwrite their topics'
// positions with the last event they rendered.
func (s *Server) liveCursor(r *http.Request) (live.Cursor, error) {
	return s.broker.Heads(r.Context(), s.subscriber(r))
}

// events serves the one Server-Sent Events stream of a browser tab. It starts after the cursor
// in the Last-Event-ID header (sent by the browser when it reconnects) or, on the first
// connection, in the cursor query parameter that the page rendered. Every event carries the
// whole cursor as its id, so a reconnect resumes each topic where it stopped.
func (s *Server) events(w http.ResponseWriter, r *http.Request) error {
	stream, err := s.openStream(r)
	if errors.Is(err, live.ErrNoTopics) {
		// 204 tells EventSource to stop reconnecting.
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	if err != nil {
		return err
	}
	defer stream.Close()
	return s.pump(w, r, stream)
}

// openStream opens the request's stream at the cursor it names. It is a function of its own,
// like pump, so that the database work of opening leaves no large frame on the goroutine that
// then holds the stream for hours.
func (s *Server) openStream(r *http.Request) (*live.Stream, error) {
	from := live.ParseCursor(r.Header.Get("Last-Event-ID"))
	if len(from) == 0 {
		from = live.ParseCursor(r.URL.Query().Get("cursor"))
	}
	return s.broker.Open(r.Context(), s.subscriber(r), from)
}

// pump writes the stream's events to the response until the browser leaves, the hub closes or
// the session ends.
func (s *Server) pump(w http.ResponseWriter, r *http.Request, stream *live.Stream) error {
	ctx := r.Context()
	rc := http.NewResponseController(w)
	// The server's read and write timeouts suit ordinary requests; this one lives for hours.
	// The read deadline also has to go, because its expiry cancels the request's context.
	if err := rc.SetReadDeadline(time.Time{}); err != nil {
		return err
	}
	if err := rc.SetWriteDeadline(time.Time{}); err != nil {
		return err
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-store")
	h.Set("X-Accel-Buffering", "no")
	w.WriteHeader(http.StatusOK)
	if _, err := io.WriteString(w, "retry: "+strconv.Itoa(streamRetryMillis)+"\n\n"); err != nil {
		return nil
	}
	if err := rc.Flush(); err != nil {
		return nil
	}

	si := sessionFrom(ctx)
	lastCheck := time.Now()
	// buf holds one event at a time; it is reused, so a busy stream allocates nothing per event.
	buf := make([]byte, 0, 512)
	batch := false
	for {
		e, err := stream.Next(ctx, streamHeartbeat)
		switch {
		case errors.Is(err, live.ErrIdle):
			if si != nil && time.Since(lastCheck) >= streamSessionCheck {
				lastCheck = time.Now()
				if !s.sessionLive(ctx, si) {
					writeStreamEvent(w, "signedout", []byte(`{}`))
					rc.Flush()
					return nil
				}
			}
			rc.SetWriteDeadline(time.Now().Add(streamWriteDeadline))
			if _, err := io.WriteString(w, ": ping\n\n"); err != nil {
				return nil
			}
			if rc.Flush() != nil {
				return nil
			}
			continue
		case err != nil:
			// The browser left, or the hub closed because the server is stopping; the browser
			// reconnects, to this instance or another.
			return nil
		}
		if !batch {
			// One deadline covers the events written before the next flush.
			rc.SetWriteDeadline(time.Now().Add(streamWriteDeadline))
			batch = true
		}
		buf = append(buf[:0], "id: "...)
		buf = stream.AppendCursor(buf)
		buf = appendStreamEvent(append(buf, '\n'), e.Type, e.Wire())
		if _, err := w.Write(buf); err != nil {
			return nil
		}
		// Write what is already waiting before one flush: a burst costs one system call.
		if !stream.Buffered() {
			if rc.Flush() != nil {
				return nil
			}
			batch = false
		}
	}
}

// appendStreamEvent appends the event and data lines of one event in the text/event-stream
// format to dst. data is one line of JSON.
func appendStreamEvent(dst []byte, name string, data []byte) []byte {
	dst = append(dst, "event: "...)
	dst = append(dst, name...)
	dst = append(dst, "\ndata: "...)
	dst = append(dst, data...)
	return append(dst, "\n\n"...)
}

// writeStreamEvent writes one event without an id.
func writeStreamEvent(w io.Writer, name string, data []byte) error {
	_, err := w.Write(appendStreamEvent(nil, name, data))
	return err
}

// sessionLive reports whether the session that opened a stream is still signed in and within
// the town's idle and maximum session time.
func (s *Server) sessionLive(ctx context.Context, si *sessionInfo) bool {
	sess, _, err := s.db.SessionAccount(ctx, si.idHash, time.Duration(si.policy.SessionIdleMinutes)*time.Minute)
	if err != nil {
		return false
	}
	return s.db.Now().Sub(sess.CreatedAt) <= time.Duration(si.policy.SessionMaxHours)*time.Hour
}
