package web

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"
)

// defaultChannel opens the work group as c and returns the default channel's id.
func defaultChannel(t *testing.T, c *coordClient) string {
	t.Helper()
	res := c.get("/admin/workgroup")
	m := regexp.MustCompile(`^/admin/workgroup/(\d+)$`).FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("GET /admin/workgroup: status %d to %q", res.status, res.location)
	}
	return m[1]
}

func TestWorkGroupMessagesStreamToMembers(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		center := h.signIn("coordinator")
		village := h.signIn("yuefeng")
		id := defaultChannel(t, center)
		page := village.get("/admin/workgroup/" + id)
		mustContain(t, "channel page", page.body, "严禁在工作群中发布", "还没有消息")
		st := village.openStream(t, "?cursor="+url.QueryEscape(between(page.body, `data-live-cursor="`, `"`)), "")

		res := center.postMultipart("/admin/workgroup/"+id+"/messages", url.Values{"body": {"@张卫东 请把今天的排查照片发到群里"}},
			coordUpload{"files", "现场.png", pngBytes})
		if res.status != http.StatusSeeOther {
			t.Fatalf("post message: status %d", res.status)
		}
		e := st.next(t, 5*time.Second)
		for e.name == "bell" {
			e = st.next(t, 5*time.Second)
		}
		var msg struct {
			Seq  int64 `json:"seq"`
			Data struct {
				Body     string  `json:"body"`
				Author   string  `json:"author"`
				Mentions []int64 `json:"mentions"`
				Files    []struct {
					Image bool `json:"image"`
				} `json:"files"`
			} `json:"data"`
		}
		if err := json.Unmarshal([]byte(e.data), &msg); err != nil {
			t.Fatal(err)
		}
		if e.name != "message" || msg.Seq != 1 || msg.Data.Author != "朱海英" || len(msg.Data.Files) != 1 || !msg.Data.Files[0].Image {
			t.Errorf("streamed message = %s %s", e.name, e.data)
		}
		if len(msg.Data.Mentions) != 1 || msg.Data.Mentions[0] != h.accounts["yuefeng"] {
			t.Errorf("mentions = %v, want yuefeng", msg.Data.Mentions)
		}
		n, _ := h.db.UnreadNotifications(context.Background(), h.actor("yuefeng"))
		if n != 1 {
			t.Errorf("mentioned account has %d unread notifications, want 1", n)
		}

		// The page script posts with Accept: application/json.
		req, _ := http.NewRequest(http.MethodPost, village.base+"/admin/workgroup/"+id+"/messages",
			strings.NewReader(url.Values{"body": {"收到，马上发。"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		if res := village.do(req); res.status != http.StatusCreated || !strings.Contains(res.body, `"seq":2`) {
			t.Errorf("JSON post: status %d body %s", res.status, res.body)
		}
		req, _ = http.NewRequest(http.MethodPost, village.base+"/admin/workgroup/"+id+"/messages", strings.NewReader("body="))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Accept", "application/json")
		if res := village.do(req); res.status != http.StatusUnprocessableEntity || !strings.Contains(res.body, "请输入消息内容") {
			t.Errorf("empty JSON post: status %d body %s", res.status, res.body)
		}

		search := center.get("/admin/workgroup/search?q=" + url.QueryEscape("排查照片"))
		mustContain(t, "search", search.body, "请把今天的排查照片发到群里")
		if strings.Contains(search.body, "收到，马上发") {
			t.Error("search lists a message without the words")
		}
	})
}

func TestWorkGroupChannelsScopedToMembers(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	center := h.signIn("coordinator")
	res := center.post("/admin/workgroup", url.Values{"name": {"禁毒专项"}, "member": {idStr(h.accounts["judicial"])}})
	m := regexp.MustCompile(`^/admin/workgroup/(\d+)$`).FindStringSubmatch(res.location)
	if res.status != http.StatusSeeOther || m == nil {
		t.Fatalf("create channel: status %d to %q", res.status, res.location)
	}
	id := m[1]
	center.post("/admin/workgroup/"+id+"/messages", url.Values{"body": {"专项行动方案下周印发"}})
	village := h.signIn("yuefeng")
	for _, path := range []string{"/admin/workgroup/" + id, "/admin/workgroup/" + id + "/members"} {
		if res := village.get(path); res.status != http.StatusNotFound {
			t.Errorf("non-member GET %s: status %d, want 404", path, res.status)
		}
	}
	if res := village.post("/admin/workgroup/"+id+"/messages", url.Values{"body": {"越权"}}); res.status != http.StatusNotFound {
		t.Errorf("non-member posts: status %d, want 404", res.status)
	}
	if res := village.get("/admin/workgroup/search?q=" + url.QueryEscape("专项行动")); strings.Contains(res.body, "专项行动方案") {
		t.Error("search shows a non-member another channel's message")
	}
	if res := h.signIn("judicial").get("/admin/workgroup/" + id); res.status != http.StatusOK || !strings.Contains(res.body, "专项行动方案下周印发") {
		t.Errorf("member opens channel: status %d", res.status)
	}
	if res := h.signIn("sysadmin").get("/admin/workgroup"); res.status != http.StatusForbidden {
		t.Errorf("system administrator opens the work group: status %d, want 403", res.status)
	}
}

// pngBytes is a 1×1 PNG that decodes, as every uploaded image must.
var pngBytes = tinyPNG(1, 1)
