package web

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"runtime"
	"runtime/pprof"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// The live benchmark measures the event stream with many connected clients. It runs only when
// PINGAN_BENCH=1, because it takes a minute and loads both cores:
//
//	PINGAN_BENCH=1 go test -run '^TestLiveLoad$' -v -count=1 ./internal/web
//
// The server runs in a child process (this test binary again, as TestLiveLoadServer), so that
// the memory per connected coordClient is the server's alone. Everything stays on loopback.
// PINGAN_BENCH_DB=postgres runs the server on PostgreSQL with the LISTEN/NOTIFY hub.

const benchClients = 500

// benchServerInfo is what the child process prints when it is ready.
type benchServerInfo struct {
	URL     string `json:"url"`
	Debug   string `json:"debug"`
	Channel string `json:"channel"`
}

// benchMem is the server's memory after a garbage collection.
type benchMem struct {
	HeapAlloc   uint64 `json:"heap_alloc"`
	HeapInuse   uint64 `json:"heap_inuse"`
	StackInuse  uint64 `json:"stack_inuse"`
	Goroutines  int    `json:"goroutines"`
	Subscribers int    `json:"subscribers"`
}

// TestLiveLoadServer is the child process of TestLiveLoad: a server on SQLite with a debug
// endpoint for its memory. It serves until its standard input closes.
func TestLiveLoadServer(t *testing.T) {
	if os.Getenv("PINGAN_BENCH_SERVER") != "1" {
		t.Skip("child process of TestLiveLoad")
	}
	dialect := os.Getenv("PINGAN_BENCH_DB")
	if dialect == "" {
		dialect = "sqlite"
	}
	h := newCoordHarness(t, dialect)
	id, err := h.db.EnsureDefaultChannel(context.Background(), nil, h.town)
	if err != nil {
		t.Fatal(err)
	}
	local := h.hub.(interface{ Subscribers() int })
	debug := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Several collections let idle goroutines' stacks shrink to what they use.
		for range 4 {
			runtime.GC()
		}
		if os.Getenv("PINGAN_BENCH_STACKS") != "" {
			var m runtime.MemStats
			for i := range 6 {
				runtime.GC()
				runtime.ReadMemStats(&m)
				fmt.Fprintf(os.Stderr, "gc %d: stacks %d\n", i, m.StackInuse)
			}
		}
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		if path := os.Getenv("PINGAN_BENCH_HEAP"); path != "" {
			if f, err := os.Create(path); err == nil {
				pprof.WriteHeapProfile(f)
				f.Close()
			}
		}
		json.NewEncoder(w).Encode(benchMem{HeapAlloc: m.HeapAlloc, HeapInuse: m.HeapInuse, StackInuse: m.StackInuse,
			Goroutines: runtime.NumGoroutine(), Subscribers: local.Subscribers()})
	}))
	defer debug.Close()
	info, _ := json.Marshal(benchServerInfo{URL: h.ts.URL, Debug: debug.URL, Channel: strconv.FormatInt(id, 10)})
	fmt.Printf("BENCH %s\n", info)
	bufio.NewReader(os.Stdin).ReadString('\n')
}

func TestLiveLoad(t *testing.T) {
	if os.Getenv("PINGAN_BENCH") != "1" {
		t.Skip("set PINGAN_BENCH=1 to run the live benchmark")
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestLiveLoadServer$", "-test.count=1")
	cmd.Env = append(os.Environ(), "PINGAN_BENCH_SERVER=1")
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	defer func() {
		stdin.Close()
		cmd.Wait()
	}()
	var info benchServerInfo
	sc := bufio.NewScanner(stdout)
	for sc.Scan() {
		if line, ok := strings.CutPrefix(sc.Text(), "BENCH "); ok {
			json.Unmarshal([]byte(line), &info)
			break
		}
	}
	if info.URL == "" {
		t.Fatal("the server process did not start")
	}
	go func() {
		for sc.Scan() {
		}
	}()

	sender := benchSignIn(t, info.URL, "coordinator")
	reader := benchSignIn(t, info.URL, "yuefeng")
	before := benchReadMem(t, info.Debug)

	// Connect the clients, each on its own connection, as coordBrowser tabs are.
	transport := &http.Transport{MaxIdleConnsPerHost: benchClients + 10, MaxConnsPerHost: 0}
	coordClient := &http.Client{Transport: transport, Jar: reader.Jar}
	var received atomic.Int64
	latencies := make([][]time.Duration, benchClients)
	var sent sync.Map // seq → send time
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var ready sync.WaitGroup
	for i := range benchClients {
		ready.Add(1)
		go benchClient(ctx, t, coordClient, info.URL, &ready, &received, &sent, &latencies[i])
	}
	ready.Wait()
	for deadline := time.Now().Add(30 * time.Second); ; {
		if m := benchReadMem(t, info.Debug); m.Subscribers >= benchClients || time.Now().After(deadline) {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	after := benchReadMem(t, info.Debug)
	perClient := float64((after.HeapAlloc+after.StackInuse)-(before.HeapAlloc+before.StackInuse)) / benchClients
	perClientSpans := float64((after.HeapInuse+after.StackInuse)-(before.HeapInuse+before.StackInuse)) / benchClients
	t.Logf("memory: %d subscribers, %.1f KB per connected coordClient of live heap and stacks (%.1f KB counting whole heap spans); "+
		"heap %+d B, stacks %+d B, goroutines %d → %d", after.Subscribers, perClient/1024, perClientSpans/1024,
		int64(after.HeapAlloc)-int64(before.HeapAlloc), int64(after.StackInuse)-int64(before.StackInuse), before.Goroutines, after.Goroutines)

	post := func(seq int, text string) {
		sent.Store(seq, time.Now())
		req, _ := http.NewRequest(http.MethodPost, info.URL+"/admin/workgroup/"+info.Channel+"/messages",
			strings.NewReader(url.Values{"body": {text}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		res, err := sender.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		if res.StatusCode != http.StatusCreated {
			t.Fatalf("post: status %d", res.StatusCode)
		}
	}
	waitFor := func(total int64) time.Time {
		deadline := time.Now().Add(120 * time.Second)
		for received.Load() < total {
			if time.Now().After(deadline) {
				t.Fatalf("delivered %d of %d", received.Load(), total)
			}
			time.Sleep(2 * time.Millisecond)
		}
		return time.Now()
	}

	// Latency: a steady 10 messages a second, 5,000 deliveries a second.
	const paced = 100
	for i := 1; i <= paced; i++ {
		post(i, "延迟测试消息 "+strconv.Itoa(i))
		time.Sleep(100 * time.Millisecond)
	}
	waitFor(paced * benchClients)
	var all []time.Duration
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	pct := func(p float64) time.Duration { return all[int(float64(len(all)-1)*p)] }
	t.Logf("latency at 10 messages/s to %d clients (%d deliveries): p50 %s, p99 %s, max %s",
		benchClients, len(all), pct(0.50), pct(0.99), all[len(all)-1])

	// Throughput: messages as fast as one sender posts them.
	const burst = 400
	for i := range latencies {
		latencies[i] = latencies[i][:0]
	}
	start := time.Now()
	for i := paced + 1; i <= paced+burst; i++ {
		post(i, "吞吐测试消息 "+strconv.Itoa(i))
	}
	sendDone := time.Since(start)
	end := waitFor((paced + burst) * benchClients)
	deliveries := burst * benchClients
	t.Logf("throughput: %d messages to %d clients, %d deliveries in %s (sending took %s): %.0f deliveries/s",
		burst, benchClients, deliveries, end.Sub(start).Round(time.Millisecond), sendDone.Round(time.Millisecond),
		float64(deliveries)/end.Sub(start).Seconds())
	all = all[:0]
	for _, l := range latencies {
		all = append(all, l...)
	}
	slices.Sort(all)
	t.Logf("latency during the burst: p50 %s, p99 %s", pct(0.50), pct(0.99))
}

func benchSignIn(t *testing.T, base, username string) *http.Client {
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	res, err := c.PostForm(base+"/signin", url.Values{"username": {username}, "password": {coordTestPassword}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("sign in %s: status %d", username, res.StatusCode)
	}
	return c
}

func benchReadMem(t *testing.T, debug string) benchMem {
	res, err := http.Get(debug)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var m benchMem
	json.NewDecoder(res.Body).Decode(&m)
	return m
}

// benchClient holds one event stream open and records when each message arrives.
func benchClient(ctx context.Context, t *testing.T, c *http.Client, base string, ready *sync.WaitGroup,
	received *atomic.Int64, sent *sync.Map, latencies *[]time.Duration) {
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, base+"/events", nil)
	res, err := c.Do(req)
	ready.Done()
	if err != nil {
		if ctx.Err() == nil {
			t.Error(err)
		}
		return
	}
	defer res.Body.Close()
	br := bufio.NewReaderSize(res.Body, 4096)
	message := false
	for {
		line, err := br.ReadSlice('\n')
		if err != nil {
			return
		}
		switch {
		case bytes.HasPrefix(line, []byte("event: ")):
			message = bytes.HasPrefix(line, []byte("event: message"))
		case message && bytes.HasPrefix(line, []byte("data: ")):
			now := time.Now()
			if i := bytes.Index(line, []byte(`"seq":`)); i >= 0 {
				rest := line[i+6:]
				j := bytes.IndexByte(rest, ',')
				seq, _ := strconv.Atoi(string(rest[:max(j, 0)]))
				if at, ok := sent.Load(seq); ok {
					*latencies = append(*latencies, now.Sub(at.(time.Time)))
				}
			}
			received.Add(1)
		}
	}
}
