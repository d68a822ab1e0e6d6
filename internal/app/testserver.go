package app

import (
	"bytes"
	"context"
	"io"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// ServerOutput collects what `pingan serve` prints. The server goroutine writes to it while the
// test reads it, so every access takes the lock.
type ServerOutput struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (o *ServerOutput) Write(p []byte) (int, error) {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.Write(p)
}

func (o *ServerOutput) String() string {
	o.mu.Lock()
	defer o.mu.Unlock()
	return o.b.String()
}

var startedLine = regexp.MustCompile(`平安网已启动：http://([0-9.:]+)/`)

// StartTestServer runs `pingan serve --listen 127.0.0.1:0` with the extra args and the
// environment variables in env until the test ends, and returns the address it listens on and
// its output. The test fails when the server stops early, does not start within 30 seconds, or
// returns an error when it is stopped.
func StartTestServer(t testing.TB, env map[string]string, args ...string) (string, *ServerOutput) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out := &ServerOutput{}
	done := make(chan error, 1)
	getenv := func(k string) string { return env[k] }
	go func() {
		done <- Run(ctx, append([]string{"serve", "--listen", "127.0.0.1:0"}, args...), getenv, strings.NewReader(""), out, io.Discard)
	}()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("serve returned %v", err)
		}
	})
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if m := startedLine.FindStringSubmatch(out.String()); m != nil {
			return m[1], out
		}
		select {
		case err := <-done:
			t.Fatalf("serve stopped early: %v\n%s", err, out.String())
		case <-time.After(20 * time.Millisecond):
		}
	}
	t.Fatalf("serve did not start:\n%s", out.String())
	return "", nil
}
