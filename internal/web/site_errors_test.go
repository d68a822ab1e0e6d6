package web

import (
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// siteErrorForm opens the form from addr and returns its fields with the captcha answered.
func (h *demoHarness) siteErrorForm(c *http.Client, addr string) url.Values {
	h.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/report-error", nil)
	req.Header.Set("X-Forwarded-For", addr)
	res, err := c.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	return h.formFieldsFrom(res)
}

// formFieldsFrom reads a form page and returns its fields, as formFields does.
func (h *demoHarness) formFieldsFrom(res *http.Response) url.Values {
	h.t.Helper()
	defer res.Body.Close()
	page, err := io.ReadAll(res.Body)
	if err != nil || res.StatusCode != http.StatusOK {
		h.t.Fatalf("form page: status %d, %v", res.StatusCode, err)
	}
	return h.formFields(string(page))
}

func (h *demoHarness) countSiteErrors() int {
	var n int
	if err := h.db.SQL().QueryRow(`SELECT COUNT(*) FROM site_error_reports`).Scan(&n); err != nil {
		h.t.Fatal(err)
	}
	return n
}

func TestSiteErrorFormPrefillsPage(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("")
		if _, body := h.get(c, "/report-error?page=%2Fcolumns%2Fnews"); !strings.Contains(body, `name="page" value="/columns/news"`) {
			t.Error("the page parameter does not fill the address")
		}
		if _, body := h.get(c, "/report-error?page=https%3A%2F%2Fevil.example%2F"); !strings.Contains(body, `name="page" value=""`) {
			t.Error("an address of another site fills the form")
		}
		for referer, want := range map[string]string{h.srv.URL + "/faq?x=1": "/faq?x=1", "https://other.example/faq": ""} {
			req, _ := http.NewRequest(http.MethodGet, h.srv.URL+"/report-error", nil)
			req.Header.Set("Referer", referer)
			res, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			v := h.formFieldsFrom(res)
			if got := v.Get("page"); got != want {
				t.Errorf("Referer %s fills %q, want %q", referer, got, want)
			}
		}
	})
}

func TestSiteErrorReportJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("")
		tests := []struct {
			name   string
			edit   func(v url.Values)
			status int
			text   string
		}{
			{"no page", func(v url.Values) { v.Set("page", "") }, 422, "请填写出错页面的地址"},
			{"page of another scheme", func(v url.Values) { v.Set("page", "javascript:alert(1)") }, 422, "页面地址应以"},
			{"description too short", func(v url.Values) { v.Set("description", "错字") }, 422, "至少 5 个字"},
			{"description too long", func(v url.Values) { v.Set("description", strings.Repeat("错", domain.MaxSiteErrorDescription+1)) }, 422, "不能超过 1000 个字符"},
			{"contact neither mobile nor e-mail", func(v url.Values) { v.Set("contact", "12345") }, 422, "11 位手机号码或电子邮箱"},
			{"wrong captcha", func(v url.Values) { v.Set("captcha_answer", "999") }, 400, "验证题回答不正确"},
		}
		for i, tt := range tests {
			addr := "10.0.3." + itoa(int64(i))
			v := h.siteErrorForm(c, addr)
			v.Set("page", "/columns/news")
			v.Set("description", "第二段“高桥镇”写成了“高乔镇”。")
			tt.edit(v)
			status, body := h.post(c, "/report-error", v, "X-Forwarded-For", addr)
			if status != tt.status || !strings.Contains(body, tt.text) {
				t.Errorf("%s: status %d, want %d with %q", tt.name, status, tt.status, tt.text)
			}
		}
		if n := h.countSiteErrors(); n != 0 {
			t.Fatalf("bad input stored %d reports", n)
		}

		v := h.siteErrorForm(c, "10.0.4.1")
		v.Set("page", "/columns/news")
		v.Set("description", "第二段“高桥镇”写成了“高乔镇”。")
		v.Set("contact", "139 0573 1234")
		for range 2 {
			if status, body := h.post(c, "/report-error", v, "X-Forwarded-For", "10.0.4.1"); status != 200 || !strings.Contains(body, "感谢您的反映") {
				t.Fatalf("valid report: status %d", status)
			}
		}
		if n := h.countSiteErrors(); n != 1 {
			t.Errorf("the same form submitted twice stored %d reports, want 1", n)
		}
		var id int64
		var contactEnc string
		if err := h.db.SQL().QueryRow(`SELECT id, contact_enc FROM site_error_reports`).Scan(&id, &contactEnc); err != nil {
			t.Fatal(err)
		}
		if strings.Contains(contactEnc, "1234") || !strings.HasPrefix(contactEnc, "pii1.") {
			t.Errorf("contact stored as %q, want an encrypted envelope", contactEnc)
		}

		editor := h.client("editor")
		_, list := h.get(editor, "/admin/site-errors")
		if !strings.Contains(list, "139****1234") || strings.Contains(list, "13905731234") {
			t.Error("the list does not show the contact masked")
		}
		if status, _ := h.get(h.client("moderator"), "/admin/site-errors"); status != http.StatusForbidden {
			t.Errorf("moderator opens the list: status %d, want 403", status)
		}
		path := "/admin/site-errors/" + itoa(id)
		if _, page := h.get(editor, path+"?reveal=1"); !strings.Contains(page, "13905731234") {
			t.Error("reveal does not show the full contact")
		}
		if status, body := h.post(editor, path+"/handle", url.Values{"note": {strings.Repeat("长", domain.MaxSiteErrorNote+1)}}); status != 422 || !strings.Contains(body, "不能超过 300 个字符") {
			t.Errorf("over-long note: status %d, want 422", status)
		}
		if status, _ := h.post(editor, path+"/handle", url.Values{"note": {"已更正错字。"}}); status != http.StatusSeeOther {
			t.Fatalf("handle: status %d, want 303", status)
		}
		if _, page := h.get(editor, path); !strings.Contains(page, `data-status="handled"`) || !strings.Contains(page, "已更正错字") {
			t.Error("the report does not show as handled with its note")
		}
		if status, _ := h.post(editor, path+"/handle", url.Values{}); status != http.StatusConflict {
			t.Errorf("handle twice: status %d, want 409", status)
		}
		for _, action := range []string{"site_error.report", "site_error.handle", "pii.view"} {
			var n int
			h.db.SQL().QueryRow(`SELECT COUNT(*) FROM audit_log WHERE action = $1 AND object_type = 'site_error' AND object_id = $2`, action, itoa(id)).Scan(&n)
			if n != 1 {
				t.Errorf("%d audit records of %s, want 1", n, action)
			}
		}
	})
}

func TestSiteErrorRateLimit(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		c := h.client("")
		for i := range store.PostsPerAddressPer10Min + 1 {
			v := h.siteErrorForm(c, "10.0.5.1")
			v.Set("page", "/faq")
			v.Set("description", "常见问题里的电话号码打不通。")
			status, body := h.post(c, "/report-error", v, "X-Forwarded-For", "10.0.5.1")
			want := http.StatusOK
			if i == store.PostsPerAddressPer10Min {
				want = http.StatusTooManyRequests
			}
			if status != want {
				t.Errorf("report %d: status %d, want %d", i+1, status, want)
			}
			if want == http.StatusTooManyRequests && !strings.Contains(body, "提交过于频繁") {
				t.Error("the limit page does not say why")
			}
		}
		if n := h.countSiteErrors(); n != store.PostsPerAddressPer10Min {
			t.Errorf("%d reports stored, want %d", n, store.PostsPerAddressPer10Min)
		}
	})
}
