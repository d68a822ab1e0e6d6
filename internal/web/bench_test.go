package web

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"pingan/internal/store"
)

// The service benchmarks run only with PINGAN_BENCH=1, against the real server on loopback:
//
//	PINGAN_BENCH=1 go test -run 'TestBench' -v -timeout 20m ./internal/web/
//
// PINGAN_BENCH_DB=postgres runs them on PostgreSQL instead of SQLite. Every load client dials
// from its own loopback address (127.0.x.y), so the per-address limits apply as in production;
// the clients read captcha answers from the captcha store in-process. docs/benchmarks.md
// records the figures.
func benchHarness(t *testing.T) *demoHarness {
	if os.Getenv("PINGAN_BENCH") != "1" {
		t.Skip("set PINGAN_BENCH=1 to run the service benchmarks")
	}
	dialect := "sqlite"
	if os.Getenv("PINGAN_BENCH_DB") == "postgres" {
		dialect = "postgres"
	}
	return newDemoHarness(t, dialect)
}

// loopbackClient returns an HTTP client whose connections come from the loopback address ip.
func loopbackClient(ip string) *http.Client {
	d := &net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	return &http.Client{Timeout: 30 * time.Second, Transport: &http.Transport{DialContext: d.DialContext, MaxIdleConnsPerHost: 2},
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func clientIPFor(i int) string { return fmt.Sprintf("127.0.%d.%d", 1+i/250, 1+i%250) }

func TestBenchBoardPosts(t *testing.T) {
	h := benchHarness(t)
	h.s.cfg.TrustProxy = false // the server sees each client's own loopback address
	const clients, perClient = 400, store.PostsPerAddressPer10Min
	type job struct{ client, n int }
	jobs := make(chan job, clients*perClient)
	for n := 0; n < perClient; n++ {
		for c := 0; c < clients; c++ {
			jobs <- job{c, n}
		}
	}
	close(jobs)
	cl := make([]*http.Client, clients)
	for i := range cl {
		cl[i] = loopbackClient(clientIPFor(i))
	}
	// Phase one fetches every form with its captcha; phase two posts them, and is what counts.
	forms := make([][]byte, clients*perClient)
	var formErr atomic.Int64
	formStart := time.Now()
	parallel(32, jobs, func(j job) {
		c := cl[j.client]
		res, err := c.Get(h.srv.URL + "/board/new")
		if err != nil {
			formErr.Add(1)
			return
		}
		page, _ := io.ReadAll(res.Body)
		res.Body.Close()
		v := h.formFields(string(page))
		v.Set("kind", "suggestion")
		v.Set("title", "压力测试建议")
		v.Set("body", "这是压力测试提交的建议内容，用于测量留言板的吞吐量。")
		v.Set("name", "测试")
		v.Set("phone", fmt.Sprintf("139%04d%04d", j.client, j.n))
		v.Set("consent", "1")
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		for k, vals := range v {
			mw.WriteField(k, vals[0])
		}
		mw.Close()
		forms[j.client*perClient+j.n] = append([]byte(mw.FormDataContentType()+"\n"), buf.Bytes()...)
	})
	formElapsed := time.Since(formStart)
	jobs = make(chan job, clients*perClient)
	for n := 0; n < perClient; n++ {
		for c := 0; c < clients; c++ {
			jobs <- job{c, n}
		}
	}
	close(jobs)
	var ok, failed atomic.Int64
	var postTime atomic.Int64
	start := time.Now()
	parallel(32, jobs, func(j job) {
		f := forms[j.client*perClient+j.n]
		ct, body, _ := bytes.Cut(f, []byte("\n"))
		req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/board", bytes.NewReader(body))
		req.Header.Set("Content-Type", string(ct))
		t0 := time.Now()
		res, err := cl[j.client].Do(req)
		if err != nil {
			failed.Add(1)
			return
		}
		io.Copy(io.Discard, res.Body)
		res.Body.Close()
		postTime.Add(int64(time.Since(t0)))
		if res.StatusCode == http.StatusOK {
			ok.Add(1)
		} else {
			failed.Add(1)
		}
	})
	elapsed := time.Since(start)
	t.Logf("board (%s): %d forms with captchas served in %.2f s (%.0f/s); %d posts accepted, %d failed, in %.2f s: %.0f posts/s; mean POST latency %.1f ms",
		h.db.Dialect(), clients*perClient-int(formErr.Load()), formElapsed.Seconds(), float64(clients*perClient)/formElapsed.Seconds(),
		ok.Load(), failed.Load(), elapsed.Seconds(), float64(ok.Load())/elapsed.Seconds(),
		float64(postTime.Load())/float64(ok.Load()+failed.Load())/1e6)
	if failed.Load()+formErr.Load() > 0 {
		t.Errorf("%d forms and %d posts failed", formErr.Load(), failed.Load())
	}
}

// parallel runs fn for every job with n workers.
func parallel[J any](n int, jobs <-chan J, fn func(J)) {
	var wg sync.WaitGroup
	for w := 0; w < n; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				fn(j)
			}
		}()
	}
	wg.Wait()
}

// sseVisitor holds one visitor's event stream open on a raw connection and counts the chat
// messages that arrive.
type sseVisitor struct {
	conn     net.Conn
	received atomic.Int64
}

func openStream(addr, ip, token string) (*sseVisitor, error) {
	d := net.Dialer{LocalAddr: &net.TCPAddr{IP: net.ParseIP(ip)}, Timeout: 5 * time.Second}
	conn, err := d.Dial("tcp", addr)
	if err != nil {
		return nil, err
	}
	fmt.Fprintf(conn, "GET /chat/events HTTP/1.1\r\nHost: %s\r\nCookie: %s=%s\r\nAccept: text/event-stream\r\n\r\n", addr, chatCookie, token)
	v := &sseVisitor{conn: conn}
	r := bufio.NewReaderSize(conn, 512)
	status, err := r.ReadString('\n')
	if err != nil || !strings.Contains(status, "200") {
		conn.Close()
		return nil, fmt.Errorf("stream: %q %v", status, err)
	}
	go func() {
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			if strings.HasPrefix(line, "data: ") && strings.Contains(line, `"kind":"message"`) {
				v.received.Add(1)
			}
		}
	}()
	return v, nil
}

func heapAndStacks() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapInuse + m.StackInuse
}

func TestBenchChatWaitingVisitors(t *testing.T) {
	h := benchHarness(t)
	h.s.cfg.TrustProxy = false
	ctx := context.Background()
	const visitors = 1000
	tokens := make([]string, visitors)
	for i := range tokens {
		tokens[i] = newToken()
		if _, err := h.db.CreateChat(ctx, h.town.TownID, store.NewChat{Topic: "压力测试咨询", TokenHash: hashToken(tokens[i]),
			IPHash: fmt.Sprintf("bench-%d", i)}); err != nil {
			t.Fatal(err)
		}
	}
	addr := strings.TrimPrefix(h.srv.URL, "http://")

	// Memory: a child process opens the visitors' streams, so that this process measures the
	// server's side alone.
	tokenFile := filepath.Join(t.TempDir(), "tokens")
	os.WriteFile(tokenFile, []byte(strings.Join(tokens, "\n")), 0o600)
	before := heapAndStacks()
	child := exec.Command(os.Args[0], "-test.run=^TestBenchChatStreamsChild$", "-test.v")
	child.Env = append(os.Environ(), "PINGAN_BENCH_CHILD="+addr+" "+tokenFile)
	out, err := child.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(out)
	for sc.Scan() && !strings.Contains(sc.Text(), "streams open") {
	}
	serverOnly := heapAndStacks()
	child.Process.Kill()
	child.Wait()
	t.Logf("chat (%s): %d waiting visitors hold %.1f KB each of the server's heap and goroutine stacks",
		h.db.Dialect(), visitors, (float64(serverOnly)-float64(before))/visitors/1024)

	before = heapAndStacks()
	streams := make([]*sseVisitor, visitors)
	for i := range streams {
		s, err := openStream(addr, clientIPFor(i), tokens[i])
		if err != nil {
			t.Fatalf("visitor %d: %v", i, err)
		}
		streams[i] = s
	}
	defer func() {
		for _, s := range streams {
			s.conn.Close()
		}
	}()
	// Wait until every stream has replayed its welcome message.
	deadline := time.Now().Add(30 * time.Second)
	for _, s := range streams {
		for s.received.Load() < 1 && time.Now().Before(deadline) {
			time.Sleep(5 * time.Millisecond)
		}
	}
	after := heapAndStacks()
	t.Logf("chat (%s): with the clients in the same process: %.1f KB each for %d visitors",
		h.db.Dialect(), float64(after-before)/visitors/1024, visitors)

	// Every visitor sends messages; each is stored, then delivered on the visitor's stream.
	const perVisitor = 5
	clients := make([]*http.Client, visitors)
	for i := range clients {
		clients[i] = loopbackClient(clientIPFor(i))
	}
	type job struct{ visitor, n int }
	jobs := make(chan job, visitors*perVisitor)
	for n := 0; n < perVisitor; n++ {
		for v := 0; v < visitors; v++ {
			jobs <- job{v, n}
		}
	}
	close(jobs)
	var sent, failed atomic.Int64
	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 32; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for j := range jobs {
				req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/chat/messages", strings.NewReader("body="+fmt.Sprintf("第%d条消息", j.n)))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("X-Requested-With", "fetch")
				req.AddCookie(&http.Cookie{Name: chatCookie, Value: tokens[j.visitor]})
				res, err := clients[j.visitor].Do(req)
				if err != nil {
					failed.Add(1)
					continue
				}
				io.Copy(io.Discard, res.Body)
				res.Body.Close()
				if res.StatusCode == http.StatusNoContent {
					sent.Add(1)
				} else {
					failed.Add(1)
				}
			}
		}()
	}
	wg.Wait()
	stored := time.Since(start)
	want := int64(1 + perVisitor)
	deadline = time.Now().Add(30 * time.Second)
	for _, s := range streams {
		for s.received.Load() < want && time.Now().Before(deadline) {
			time.Sleep(time.Millisecond)
		}
	}
	delivered := time.Since(start)
	var got int64
	for _, s := range streams {
		got += s.received.Load() - 1
	}
	t.Logf("chat (%s): %d messages stored in %.2f s (%.0f/s); %d delivered to the %d open streams within %.2f s (%.0f/s); %d failed",
		h.db.Dialect(), sent.Load(), stored.Seconds(), float64(sent.Load())/stored.Seconds(), got, visitors, delivered.Seconds(),
		float64(got)/delivered.Seconds(), failed.Load())
	if got != sent.Load() {
		t.Errorf("delivered %d of %d messages", got, sent.Load())
	}
}

// TestBenchChatStreamsChild is the client side of the memory measurement: it opens one stream
// per token, reports, and holds them until the parent kills it (at most a minute).
func TestBenchChatStreamsChild(t *testing.T) {
	arg := os.Getenv("PINGAN_BENCH_CHILD")
	if arg == "" {
		t.Skip("run by TestBenchChatWaitingVisitors")
	}
	addr, file, _ := strings.Cut(arg, " ")
	raw, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	tokens := strings.Split(string(raw), "\n")
	streams := make([]*sseVisitor, len(tokens))
	for i, tok := range tokens {
		if streams[i], err = openStream(addr, clientIPFor(i), tok); err != nil {
			t.Fatal(err)
		}
	}
	for _, s := range streams {
		for s.received.Load() < 1 {
			time.Sleep(5 * time.Millisecond)
		}
	}
	fmt.Println("streams open")
	time.Sleep(time.Minute)
}
