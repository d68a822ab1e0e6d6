package web

import (
	"bytes"
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"image"
	"image/png"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"regexp"
	"strings"
	"testing"

	"pingan/internal/casework"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

func TestServiceRoutesPerRole(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		// Case 1 is the first coordination matter; find a board case the ecology office handles.
		list, _, err := h.db.ListCases(context.Background(), h.actorOf("ecology"), store.CaseFilter{Search: "卤水"})
		if err != nil || len(list) != 1 {
			t.Fatalf("brine case: %d found, %v", len(list), err)
		}
		brine := itoa(list[0].ID)
		routes := []struct {
			path string
			want map[string]int // by username; "" is anonymous; missing users expect 403
		}{
			{"/board", map[string]int{"": 200, "auditor": 200}},
			{"/board/new", map[string]int{"": 200}},
			{"/query", map[string]int{"": 200}},
			{"/chat", map[string]int{"": 200}},
			{"/chat/room", map[string]int{"": 404}},
			{"/board/999999", map[string]int{"": 404}},
			{"/admin/board", map[string]int{"": 303, "moderator": 200, "dispatcher": 200}},
			{"/admin/board/words", map[string]int{"": 303, "moderator": 200, "dispatcher": 200}},
			{"/admin/board/1", map[string]int{"": 303, "moderator": 200, "dispatcher": 200}},
			{"/admin/board/999999", map[string]int{"": 303, "moderator": 404, "dispatcher": 404}},
			{"/admin/cases", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200, "agent": 200, "ecology": 200, "police": 200, "yuefeng": 200, "grid": 200}},
			{"/admin/cases/" + brine, map[string]int{"": 303, "dispatcher": 200, "coordinator": 404, "agent": 404, "ecology": 200, "police": 404, "yuefeng": 404, "grid": 404}},
			{"/admin/cases/" + brine + "/sheet?kind=dispatch", map[string]int{"": 303, "dispatcher": 200, "coordinator": 404, "agent": 404, "ecology": 200, "police": 404, "yuefeng": 404, "grid": 404}},
			{"/admin/cases/new", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200, "agent": 200, "ecology": 200, "police": 200, "yuefeng": 200, "grid": 200}},
			{"/admin/coordination", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200}},
			{"/admin/coordination/new", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200}},
			{"/admin/chat", map[string]int{"": 303, "agent": 200}},
			{"/admin/chat/settings", map[string]int{"": 303, "agent": 200}},
			{"/admin/chat/1", map[string]int{"": 303, "agent": 200}},
			{"/admin/chat/999999", map[string]int{"": 303, "agent": 404}},
			{"/admin/calendar", map[string]int{"": 303, "admin": 200}},
			{"/admin/service-stats", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200, "editor": 200}},
			{"/admin/service-stats.xlsx", map[string]int{"": 303, "dispatcher": 200, "coordinator": 200, "editor": 200}},
		}
		users := []string{"", "admin", "security", "auditor", "editor", "dispatcher", "coordinator", "moderator", "agent", "police", "ecology", "yuefeng", "grid"}
		clients := map[string]*http.Client{}
		for _, u := range users {
			clients[u] = h.client(u)
		}
		for _, rt := range routes {
			for _, u := range users {
				want, ok := rt.want[u]
				if !ok {
					want = http.StatusForbidden
					if !strings.HasPrefix(rt.path, "/admin") {
						want = rt.want[""]
					}
				}
				if got, _ := h.get(clients[u], rt.path); got != want {
					t.Errorf("GET %s as %q: status %d, want %d", rt.path, u, got, want)
				}
			}
		}
	})
}

// postForm fetches the board form and returns its fields filled with a valid complaint.
func (h *demoHarness) postForm(c *http.Client, ip string) url.Values {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/board/new", nil)
	req.Header.Set("X-Forwarded-For", ip)
	res, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	b, _ := io.ReadAll(res.Body)
	res.Body.Close()
	v := h.formFields(string(b))
	v.Set("kind", "complaint")
	v.Set("title", "路口信号灯坏了")
	v.Set("body", "高桥大道和国道的路口信号灯一直闪黄灯，很危险。")
	v.Set("name", "测试者")
	v.Set("phone", "13900000001")
	v.Set("consent", "1")
	v.Set("public", "1")
	return v
}

// submitMultipart posts the board form as multipart with optional files (name → bytes).
func (h *demoHarness) submitMultipart(c *http.Client, ip string, v url.Values, files map[string][]byte) (int, string) {
	h.t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	for k, vals := range v {
		for _, x := range vals {
			mw.WriteField(k, x)
		}
	}
	for name, data := range files {
		fw, _ := mw.CreateFormFile("photos", name)
		fw.Write(data)
	}
	mw.Close()
	req, _ := http.NewRequest(http.MethodPost, h.srv.URL+"/board", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("X-Forwarded-For", ip)
	res, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, string(b)
}

func (h *demoHarness) countPosts() int {
	var n int
	if err := h.db.SQL().QueryRow(`SELECT COUNT(*) FROM board_posts`).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func tinyPNG(w, hgt int) []byte {
	var buf bytes.Buffer
	png.Encode(&buf, image.NewGray(image.Rect(0, 0, w, hgt)))
	return buf.Bytes()
}

// hugePNGHeader is a PNG whose header claims 100000×100000 pixels: decoding it would need tens
// of gigabytes.
func hugePNGHeader() []byte {
	b := tinyPNG(1, 1)
	// Width and height are the first two fields of the IHDR chunk at byte 16; the chunk's
	// CRC over its type and data follows at byte 29.
	copy(b[16:24], []byte{0, 1, 0x86, 0xa0, 0, 1, 0x86, 0xa0})
	binary.BigEndian.PutUint32(b[29:33], crc32.ChecksumIEEE(b[12:29]))
	return b
}

func TestBoardRejectsBadInput(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("")
		before := h.countPosts()
		tests := []struct {
			name   string
			edit   func(v url.Values)
			files  map[string][]byte
			status int
			text   string
		}{
			{"text over the limit", func(v url.Values) { v.Set("body", strings.Repeat("长", 2001)) }, nil, 422, "不能超过2000个字符"},
			{"markup", func(v url.Values) { v.Set("body", "信号灯坏了<script>alert(1)</script>") }, nil, 422, "不能包含网页代码"},
			{"wrong captcha", func(v url.Values) { v.Set("captcha_answer", "999") }, nil, 400, "验证题回答不正确"},
			{"not an image", nil, map[string][]byte{"photo.jpg": []byte("this is plain text, not a photo at all")}, 422, "格式不在允许范围内"},
			{"gigapixel image", nil, map[string][]byte{"big.png": hugePNGHeader()}, 422, "过大"},
		}
		for i, tt := range tests {
			v := h.postForm(c, "10.0.0.1")
			if tt.edit != nil {
				tt.edit(v)
			}
			status, body := h.submitMultipart(c, "10.0.1."+itoa(int64(i)), v, tt.files)
			if status != tt.status || !strings.Contains(body, tt.text) {
				t.Errorf("%s: status %d, want %d with %q", tt.name, status, tt.status, tt.text)
			}
		}
		if n := h.countPosts(); n != before {
			t.Errorf("bad input stored %d posts", n-before)
		}

		// A captcha answered twice: the first submit posts, the second with another form token
		// is refused.
		v := h.postForm(c, "10.0.2.1")
		if status, body := h.submitMultipart(c, "10.0.2.1", v, nil); status != 200 || !strings.Contains(body, "查询码") {
			t.Fatalf("valid post: status %d", status)
		}
		v.Set("form_token", "another-token")
		if status, body := h.submitMultipart(c, "10.0.2.1", v, nil); status != 400 || !strings.Contains(body, "验证码已失效") {
			t.Errorf("captcha used twice: status %d", status)
		}
		// The same form submitted twice shows the same receipt and stores one post.
		v = h.postForm(c, "10.0.3.1")
		_, first := h.submitMultipart(c, "10.0.3.1", v, nil)
		_, second := h.submitMultipart(c, "10.0.3.1", v, nil)
		code := func(s string) string {
			i := strings.Index(s, `id="query-code">`)
			if i < 0 {
				return ""
			}
			return s[i+16 : i+24]
		}
		if code(first) == "" || code(first) != code(second) {
			t.Errorf("double submit: receipts %q and %q", code(first), code(second))
		}
		if n := h.countPosts(); n != before+2 {
			t.Errorf("after two good posts and a double submit: %d new posts, want 2", n-before)
		}

		// A hundred posts from one address in a minute: the first five pass, the rest get 429.
		accepted, limited := 0, 0
		for i := 0; i < 100; i++ {
			// The forms come from other addresses, so that the captcha limit does not bite first.
			v := h.postForm(c, "10.0.8."+itoa(int64(i)))
			v.Set("phone", "1390000"+itoa(int64(1000+i)))
			status, body := h.submitMultipart(c, "10.0.9.9", v, nil)
			switch {
			case status == 200:
				accepted++
			case status == 429 && strings.Contains(body, "提交过于频繁"):
				limited++
			default:
				t.Fatalf("post %d from one address: status %d", i, status)
			}
		}
		if accepted != store.PostsPerAddressPer10Min || limited != 100-accepted {
			t.Errorf("one address: %d accepted, %d limited", accepted, limited)
		}

		// A file name with a path keeps only its last part.
		v = h.postForm(c, "10.0.4.1")
		if status, _ := h.submitMultipart(c, "10.0.4.1", v, map[string][]byte{`..\..\C:\Users\张三\现场.png`: tinyPNG(4, 4)}); status != 200 {
			t.Fatalf("post with photo: status %d", status)
		}
		var name string
		if err := h.db.SQL().QueryRow(`SELECT original_name FROM files ORDER BY id DESC LIMIT 1`).Scan(&name); err != nil {
			t.Fatal(err)
		}
		if name != "现场.png" {
			t.Errorf("stored display name %q, want 现场.png", name)
		}
	})
}

func TestDemoFiguresAndPrivacy(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		ctx := context.Background()
		f, err := h.db.ServiceStats(ctx, h.town.TownID, h.town.From, h.town.Until.AddDate(0, 0, 1))
		if err != nil {
			t.Fatal(err)
		}
		if f.Suggestions != 26 || f.HelpRequests != 11 || f.HelpRequestsResolved != 9 || f.CoordinationMatters != 22 {
			t.Errorf("figures: suggestions %d, help %d resolved %d, coordination %d; want 26, 11, 9, 22",
				f.Suggestions, f.HelpRequests, f.HelpRequestsResolved, f.CoordinationMatters)
		}
		if r := (store.Ratio{Num: f.DisputesSettledLocal, Den: f.Disputes}).Rate(); r <= 0.95 {
			t.Errorf("settled locally %d of %d = %.3f, want above 0.95", f.DisputesSettledLocal, f.Disputes, r)
		}
		// No demo mobile number is stored in plain text in any table, nor in the SQLite file.
		for _, table := range []string{"board_posts", "cases", "chats", "accounts", "case_steps", "citizen_notices", "chat_messages", "audit_log", "board_messages"} {
			if n := plainMobiles(t, h, table); n > 0 {
				t.Errorf("%s holds %d plain demo mobile numbers", table, n)
			}
		}
		if h.db.Dialect() == "sqlite" {
			if _, err := h.db.SQL().Exec(`PRAGMA wal_checkpoint(TRUNCATE)`); err != nil {
				t.Fatal(err)
			}
			var path string
			if err := h.db.SQL().QueryRow(`SELECT file FROM pragma_database_list WHERE name = 'main'`).Scan(&path); err != nil {
				t.Fatal(err)
			}
			raw, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			if demoMobile.Match(raw) {
				t.Errorf("the SQLite file %s contains a plain demo mobile number", path)
			}
		}
		// Look-up by mobile number and query code still works.
		list, _, err := h.db.ListCases(ctx, h.actorOf("dispatcher"), store.CaseFilter{Search: "交通事故"})
		if err != nil || len(list) != 1 {
			t.Fatalf("traffic case: %d, %v", len(list), err)
		}
		c, err := h.db.GetCase(ctx, h.actorOf("dispatcher"), list[0].ID, true)
		if err != nil {
			t.Fatal(err)
		}
		if c.State != casework.Closed || c.Outcome != casework.Solved || c.Citizen.Phone != "13857301688" {
			t.Errorf("traffic case: %s %s phone %q", c.State, c.Outcome, c.Citizen.Phone)
		}
	})
}

// demoMobile matches the demo's citizens' and staff's mobile numbers.
var demoMobile = regexp.MustCompile(`1385730[0-9]{4}|1390573[0-9]{4}`)

func plainMobiles(t *testing.T, h *demoHarness, table string) int {
	t.Helper()
	rows, err := h.db.SQL().Query(`SELECT * FROM ` + table)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	n := 0
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for _, v := range vals {
			if demoMobile.MatchString(fmt.Sprint(v)) {
				n++
			}
		}
	}
	return n
}
