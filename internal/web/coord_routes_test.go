package web

import (
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"pingan/internal/domain"
)

// coordRoutePrefixes are the paths of the coordination platform's routes.
var coordRoutePrefixes = []string{"/events", "/faq", "/admin/bell", "/admin/attachments", "/admin/notices", "/admin/reports",
	"/admin/my-reports", "/admin/info-reports", "/admin/my-info-reports", "/admin/inquiries", "/admin/my-inquiries", "/admin/workgroup"}

func isCoordRoute(pattern string) bool {
	_, path, _ := strings.Cut(pattern, " ")
	for _, p := range coordRoutePrefixes {
		if path == p || strings.HasPrefix(path, p+"/") {
			return true
		}
	}
	return false
}

// coordRecords are the records of one village (越丰村) that the route tests open by id.
type coordRecords struct {
	notice, template, assignment, submission, field, infoReport, inquiry, channel, feedbackFile, bell string
}

// seedCoordRecords creates one record of each kind through the web forms.
func seedCoordRecords(t *testing.T, h *coordHarness) coordRecords {
	t.Helper()
	var r coordRecords
	center := h.signIn("coordinator")
	village := h.signIn("yuefeng")
	r.notice = h.issueNotice(center, "路由测试通知", true)
	village.get("/admin/notices/" + r.notice)
	village.postMultipart("/admin/notices/"+r.notice+"/feedback", url.Values{"body": {"已完成"}}, coordUpload{"files", "回执.pdf", []byte("%PDF-1.4 test")})
	r.feedbackFile = between(center.get("/admin/notices/"+r.notice+"/receipts").body, `/admin/attachments/`, `?download=1">回执.pdf`)

	r.template = designMonthlyTemplate(t, center, "路由测试月报")
	res := center.post("/admin/reports/assignments", url.Values{"template_id": {r.template}, "title": {"路由测试月报"},
		"period_kind": {"monthly"}, "start_month": {h.db.Now().In(shanghai()).Format("2006-01")}, "due_day": {"5"}, "kind_all": {"village"}})
	r.assignment = regexp.MustCompile(`(\d+)$`).FindString(res.location)
	r.submission = ownReportID(t, village)
	tid, _ := strconv.ParseInt(r.template, 10, 64)
	if tpl, err := h.db.GetTemplate(t.Context(), h.actor("coordinator"), tid); err == nil && len(tpl.Fields) > 0 {
		r.field = idStr(tpl.Fields[0].ID)
	}

	res = village.postMultipart("/admin/my-info-reports", url.Values{"category": {"other"}, "title": {"路由测试信息"}, "body": {"正文"}})
	r.infoReport = regexp.MustCompile(`(\d+)$`).FindString(res.location)
	res = village.post("/admin/my-inquiries", url.Values{"assignee": {idStr(h.orgs["综治工作中心"])}, "title": {"路由测试询问"}, "question": {"内容"}})
	r.inquiry = regexp.MustCompile(`(\d+)$`).FindString(res.location)
	res = center.post("/admin/workgroup", url.Values{"name": {"路由测试频道"}, "member": {idStr(h.accounts["yuefeng"])}})
	r.channel = regexp.MustCompile(`(\d+)$`).FindString(res.location)
	list, _, _ := h.db.ListNotifications(t.Context(), h.actor("yuefeng"), storePage(1))
	if len(list) > 0 {
		r.bell = idStr(list[0].ID)
	}
	for name, v := range map[string]string{"notice": r.notice, "assignment": r.assignment, "submission": r.submission, "field": r.field,
		"info report": r.infoReport, "inquiry": r.inquiry, "channel": r.channel, "feedback file": r.feedbackFile, "bell": r.bell} {
		if v == "" {
			t.Fatalf("seeding the %s failed", name)
		}
	}
	return r
}

// fill puts record ids into a route pattern's path.
func (r coordRecords) fill(path string) string {
	ids := map[string]string{"/admin/notices/": r.notice, "/admin/reports/templates/": r.template, "/admin/reports/assignments/": r.assignment,
		"/admin/reports/submissions/": r.submission, "/admin/my-reports/": r.submission, "/admin/info-reports/": r.infoReport,
		"/admin/my-info-reports/": r.infoReport, "/admin/inquiries/": r.inquiry, "/admin/my-inquiries/": r.inquiry,
		"/admin/workgroup/": r.channel, "/admin/attachments/": r.feedbackFile, "/admin/bell/": r.bell}
	for prefix, id := range ids {
		if strings.HasPrefix(path, prefix+"{id}") {
			path = strings.Replace(path, "{id}", id, 1)
		}
	}
	return strings.ReplaceAll(path, "{field}", r.field)
}

// TestCoordRoutesByRole requests every coordination route as every role: a role without the
// route's permission gets 403, a role with it gets anything but 403 and 500, and a visitor who
// is not signed in is sent to sign in (or gets 401 for a form post).
func TestCoordRoutesByRole(t *testing.T) {
	h := newCoordHarness(t, "sqlite")
	recs := seedCoordRecords(t, h)
	roles := map[domain.Role]string{}
	for _, a := range harnessAccounts {
		if _, ok := roles[a.roles[0]]; !ok {
			roles[a.roles[0]] = a.username
		}
	}
	if len(roles) != len(domain.AllRoles) {
		t.Fatalf("harness covers %d roles, want %d", len(roles), len(domain.AllRoles))
	}
	clients := map[domain.Role]*coordClient{}
	for role, user := range roles {
		clients[role] = h.signIn(user)
	}
	anonymous := &coordClient{h: h, base: h.ts.URL, http: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	covered := 0
	for _, rt := range h.srv.Routes() {
		if !isCoordRoute(rt.Pattern) || rt.Pattern == "GET /events" {
			continue
		}
		covered++
		method, path, _ := strings.Cut(rt.Pattern, " ")
		path = recs.fill(path)
		send := func(c *coordClient) coordResponse {
			if method == http.MethodPost {
				return c.post(path, url.Values{})
			}
			return c.get(path)
		}
		for _, role := range domain.AllRoles {
			res := send(clients[role])
			allowed := rt.Permission == public || domain.RoleHas(role, rt.Permission)
			switch {
			case !allowed && res.status != http.StatusForbidden:
				t.Errorf("%s as %s: status %d, want 403", rt.Pattern, role, res.status)
			case allowed && (res.status == http.StatusForbidden || res.status >= 500):
				t.Errorf("%s as %s: status %d, want the route to serve it", rt.Pattern, role, res.status)
			}
		}
		if rt.Permission != public {
			res := send(anonymous)
			want := http.StatusSeeOther
			if method == http.MethodPost {
				want = http.StatusUnauthorized
			}
			if res.status != want {
				t.Errorf("%s anonymous: status %d, want %d", rt.Pattern, res.status, want)
			}
		}
	}
	if covered < 60 {
		t.Errorf("only %d coordination routes covered", covered)
	}
}

// TestVillageCannotReachOtherVillagesRecords changes ids in URLs as another village (高桥村)
// and as a member unit: every record of 越丰村 is not found.
func TestVillageCannotReachOtherVillagesRecords(t *testing.T) {
	eachDB(t, func(t *testing.T, h *coordHarness) {
		recs := seedCoordRecords(t, h)
		for _, user := range []string{"gaoqiao", "judicial"} {
			c := h.signIn(user)
			checks := []struct {
				method, path string
			}{
				{"GET", "/admin/my-reports/" + recs.submission},
				{"POST", "/admin/my-reports/" + recs.submission},
				{"GET", "/admin/my-reports/" + recs.submission + "/form.xlsx"},
				{"POST", "/admin/my-reports/" + recs.submission + "/upload"},
				{"GET", "/admin/my-info-reports/" + recs.infoReport},
				{"GET", "/admin/my-inquiries/" + recs.inquiry},
				{"GET", "/admin/attachments/" + recs.feedbackFile},
				{"GET", "/admin/workgroup/" + recs.channel},
				{"POST", "/admin/workgroup/" + recs.channel + "/messages"},
				{"POST", "/admin/workgroup/" + recs.channel + "/read"},
				{"GET", "/admin/workgroup/" + recs.channel + "/members"},
				{"POST", "/admin/bell/" + recs.bell + "/open"},
			}
			for _, ch := range checks {
				var res coordResponse
				if ch.method == "POST" {
					res = c.post(ch.path, url.Values{"seq": {"1"}, "body": {"x"}})
				} else {
					res = c.get(ch.path)
				}
				// A unit handler may not fill reports or send up information: 403 is as closed as 404.
				if res.status != http.StatusNotFound && res.status != http.StatusForbidden {
					t.Errorf("%s %s %s: status %d, want 404", user, ch.method, ch.path, res.status)
				}
				if user == "gaoqiao" && res.status != http.StatusNotFound {
					t.Errorf("village %s %s: status %d, want 404", ch.method, ch.path, res.status)
				}
			}
		}
		// The village's own copy of its feedback file and report are reachable.
		village := h.signIn("yuefeng")
		for _, p := range []string{"/admin/attachments/" + recs.feedbackFile, "/admin/my-reports/" + recs.submission, "/admin/workgroup/" + recs.channel} {
			if res := village.get(p); res.status != http.StatusOK {
				t.Errorf("own GET %s: status %d, want 200", p, res.status)
			}
		}
		// The event stream never carries another channel's or account's topic.
		st := h.signIn("gaoqiao").openStream(t, "?cursor="+url.QueryEscape("wg:"+recs.channel+"=0,bell:"+idStr(h.accounts["yuefeng"])+"=0"), "")
		village.post("/admin/workgroup/"+recs.channel+"/messages", url.Values{"body": {"只给频道成员"}})
		h.notify("gaoqiao", "给高桥村自己的提醒")
		e := st.next(t, 5_000_000_000)
		if !strings.Contains(e.data, "给高桥村自己的提醒") {
			t.Errorf("first event for 高桥村 = %s %s, want only its own bell", e.name, e.data)
		}
	})
}
