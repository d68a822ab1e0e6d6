package web_test

import (
	"bytes"
	"context"
	"encoding/hex"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os/exec"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// browser starts a headless Chromium with a fresh profile and returns a context for it.
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		t.Fatalf("chromium is not installed (apt-get install chromium): %v", err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1280, 1000),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	ctx, cancelTimeout := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelCtx()
		cancelAlloc()
	})
	return ctx
}

// wordClipboard returns what Word puts on the clipboard when a paragraph, a picture and a table
// are copied: HTML with Office markup and a file:/// picture, and RTF with the picture as PNG hex
// (and a metafile copy that must be ignored).
func wordClipboard(t *testing.T) (html, rtf string) {
	img := image.NewRGBA(image.Rect(0, 0, 40, 30))
	for x := range 40 {
		for y := range 30 {
			img.Set(x, y, color.RGBA{R: 200, G: uint8(x * 6), B: 40, A: 255})
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	src := "file:///C:/Users/zhang/AppData/Local/Temp/msohtmlclip1/01/clip_image001.png"
	html = `<html xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:v="urn:schemas-microsoft-com:vml"><head>` +
		`<meta name=Generator content="Microsoft Word 15"><style>p.MsoNormal{mso-style-parent:"";margin:0cm;}</style></head><body lang=ZH-CN>` +
		`<!--StartFragment--><p class=MsoNormal style='text-indent:2em;mso-char-indent-count:2.0'>3月5日晚，越丰村组织党员和志愿者开展平安夜巡。<o:p></o:p></p>` +
		`<p class=MsoNormal><!--[if gte vml 1]><v:shape id="_x0000_i1025" style='width:30pt;height:22.5pt'><v:imagedata src="` + src +
		`" o:title=""/></v:shape><![endif]--><![if !vml]><img width=40 height=30 src="` + src + `" v:shapes="_x0000_i1025"><![endif]><o:p></o:p></p>` +
		`<table class=MsoTableGrid border=1 cellspacing=0 style='border-collapse:collapse;mso-yfti-tbllook:1184'>` +
		`<tr><td style='mso-border-alt:solid windowtext .5pt'><p class=MsoNormal>巡防时段</p></td><td><p class=MsoNormal>参加人数</p></td></tr>` +
		`<tr><td><p class=MsoNormal>19:00—21:00</p></td><td><p class=MsoNormal>12</p></td></tr></table><!--EndFragment--></body></html>`
	rtf = `{\rtf1\ansi\ansicpg936\deff0{\fonttbl{\f0\fnil 宋体;}}\pard 3月5日晚\par ` +
		`{\*\shppict{\pict{\*\picprop\shplid1025}\picscalex100\picscaley100\picw1058\pich794\picwgoal600\pichgoal450\pngblip\bliptag-1234567` +
		`{\*\blipuid 0123456789abcdef0123456789abcdef}` + hex.EncodeToString(buf.Bytes()) + `}}` +
		`{\nonshppict{\pict\picscalex100\picscaley100\picw1058\pich794\wmetafile8\bliptag-1234567 010009000003}}\par}`
	return html, rtf
}

// session drives one browser tab and fails the test at the first step that fails.
type session struct {
	t        *testing.T
	ctx      context.Context
	site     *demoSite
	signedIn bool
}

func (s *session) do(stage string, steps ...chromedp.Action[chromedp.Void]) {
	s.t.Helper()
	if err := chromedp.Do(s.ctx, steps...); err != nil {
		s.t.Fatalf("%s: %v", stage, err)
	}
}

func (s *session) text(css string) string {
	s.t.Helper()
	v, err := chromedp.Run(s.ctx, chromedp.Text(chromedp.CSS(css)))
	if err != nil {
		s.t.Fatalf("read %s: %v", css, err)
	}
	return v
}

// flashSays waits until the page's one-time message contains text, so that a step waits for
// its own redirect and not for the message of the step before.
func flashSays(text string) chromedp.Action[chromedp.Void] {
	check := fmt.Sprintf(`(function(){ const f = document.querySelector(".flash"); return !!f && f.textContent.includes(%q); })()`, text)
	return chromedp.Func(func(ctx context.Context, t *chromedp.Target) error {
		deadline := time.Now().Add(20 * time.Second)
		for {
			// The check fails while the page navigates; it is tried again until the deadline.
			ok, err := chromedp.Evaluate[bool](check)(ctx, t)
			if err == nil && ok {
				return nil
			}
			if time.Now().After(deadline) {
				return fmt.Errorf("no message %q within 20 s (last error: %v)", text, err)
			}
			time.Sleep(100 * time.Millisecond)
		}
	})
}

// signIn signs in through the sign-in form, signing out first when someone is signed in.
func (s *session) signIn(username string) {
	s.t.Helper()
	var pw string
	for _, a := range s.site.town.Accounts {
		if a.Username == username {
			pw = a.Password
		}
	}
	if s.signedIn {
		s.do("sign out",
			chromedp.Navigate(s.site.ts.URL+"/account"),
			chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)),
			chromedp.WaitVisible(chromedp.ID("username")),
		)
	}
	s.do("sign in as "+username,
		chromedp.Navigate(s.site.ts.URL+"/signin"),
		chromedp.WaitVisible(chromedp.ID("username")),
		chromedp.SendKeys(chromedp.ID("username"), username),
		chromedp.SendKeys(chromedp.ID("password"), pw),
		chromedp.Submit(chromedp.ID("password")),
		chromedp.WaitVisible(chromedp.CSS(".admin-nav")),
	)
	s.signedIn = true
}

// TestPortalBrowserContributionJourney follows a contribution in headless Chromium: a village
// reporter pastes a Word document with a picture and a table, the editor returns it with a
// reason, the reporter fixes it, the editor publishes it, and the public page, the timeline and
// the audit trail show it.
func TestPortalBrowserContributionJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		b := &session{t: t, ctx: browser(t), site: site}
		html, rtf := wordClipboard(t)
		paste := fmt.Sprintf(`(function () {
			const dt = new DataTransfer();
			dt.setData("text/html", %q);
			dt.setData("text/rtf", %q);
			dt.setData("text/plain", "3月5日晚，越丰村组织党员和志愿者开展平安夜巡。");
			window.pinganEditor.focus(true);
			const target = document.querySelector("#editor-area [contenteditable=true]");
			target.dispatchEvent(new ClipboardEvent("paste", {clipboardData: dt, bubbles: true, cancelable: true}));
			return true;
		})()`, html, rtf)

		b.signIn("yuefeng")
		b.do("reporter pastes from Word",
			chromedp.Navigate(site.ts.URL+"/admin/contributions/new"),
			chromedp.WaitVisible(chromedp.CSS(".editor-shell.ready")),
			chromedp.SendKeys(chromedp.ID("title"), "越丰村开展平安夜巡"),
			chromedp.SetValue(chromedp.ID("column_id"), columnValue(t, db, site, "工作动态")),
			chromedp.Evaluate[chromedp.Void](paste),
			chromedp.WaitVisible(chromedp.CSS(`.editor-shell[data-paste-pending="0"]`)),
		)
		body, err := chromedp.Run(b.ctx, chromedp.Value(chromedp.ID("body")))
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(body, "file:") || !regexp.MustCompile(`<img[^>]+src="/media/`).MatchString(body) || !strings.Contains(body, "<table") {
			t.Fatalf("editor body after the paste keeps a local image or lost the picture or the table:\n%s", body)
		}
		b.do("reporter saves",
			chromedp.Click(chromedp.CSS(".article-form button[type=submit]")),
			flashSays("已保存为草稿"),
		)
		location, err := chromedp.Run(b.ctx, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		id := location[strings.LastIndex(location, "/")+1:]
		b.do("reporter submits",
			chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
			flashSays("已提交审核"),
		)

		reason := "请补充巡防路线，并写明发现的隐患如何处理。"
		b.signIn("editor")
		b.do("editor returns",
			chromedp.Navigate(site.ts.URL+"/admin/articles/"+id),
			chromedp.SendKeys(chromedp.ID("return_reason"), reason),
			chromedp.Click(chromedp.CSS(`form[action$="/return"] button`)),
			flashSays("已退回"),
		)

		b.signIn("yuefeng")
		b.do("reporter opens the returned contribution", chromedp.Navigate(site.ts.URL+"/admin/contributions/"+id))
		if shown := b.text(".details .reason"); !strings.Contains(shown, reason) {
			t.Errorf("reporter sees reason %q, want %q", shown, reason)
		}
		b.do("reporter fixes and resubmits",
			chromedp.Navigate(site.ts.URL+"/admin/contributions/"+id+"/edit"),
			chromedp.WaitVisible(chromedp.CSS(".editor-shell.ready")),
			chromedp.Evaluate[chromedp.Void](`window.pinganEditor.focus(true); window.pinganEditor.insertText("巡防路线：村委会—扶国桥—沈家浜，发现的两处路灯损坏已报修。")`),
			chromedp.Click(chromedp.CSS(".article-form button[type=submit]")),
			flashSays("稿件已保存"),
			chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
			flashSays("已提交审核"),
		)

		b.signIn("editor")
		b.do("editor publishes without the confidentiality review",
			chromedp.Navigate(site.ts.URL+"/admin/articles/"+id),
			chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".error-summary")),
		)
		b.do("editor confirms the review and publishes",
			chromedp.Click(chromedp.ID("confirmed")),
			chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)),
			flashSays("已发布"),
		)
		if flash := b.text(".flash"); !strings.Contains(flash, "已发布") {
			t.Errorf("after publishing the flash says %q", flash)
		}
		timeline := b.text(".timeline")
		for _, want := range []string{"新建稿件", "提交审核", "退回修改", reason, "修改稿件", "审核发布", "已确认保密审查"} {
			if !strings.Contains(timeline, want) {
				t.Errorf("timeline lacks %q:\n%s", want, timeline)
			}
		}

		b.do("public page", chromedp.Navigate(site.ts.URL+"/articles/"+id))
		if title := b.text(".article h1"); title != "越丰村开展平安夜巡" {
			t.Errorf("public title %q", title)
		}
		if text := b.text(".article-body"); !strings.Contains(text, "巡防时段") || !strings.Contains(text, "扶国桥") {
			t.Errorf("public body lacks the table or the fix: %q", text)
		}
		loaded, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`(function(){ const i = document.querySelector(".article-body img"); return !!i && i.complete && i.naturalWidth === 40; })()`,
			chromedp.WithPollingTimeout(10*time.Second)))
		if err != nil || !loaded {
			t.Errorf("the pasted picture does not load on the public page: %v", err)
		}

		b.signIn("auditor")
		b.do("audit trail", chromedp.Navigate(site.ts.URL+"/admin/audit?object_type=article&object_id="+id))
		audit := b.text("main")
		for _, want := range []string{"新建稿件", "提交稿件", "退回稿件", "修改稿件", "发布稿件"} {
			if !strings.Contains(audit, want) {
				t.Errorf("audit trail lacks %q", want)
			}
		}
	})
}

func columnValue(t *testing.T, db *store.DB, site *demoSite, name string) string {
	t.Helper()
	cols, err := db.ListColumns(context.Background(), site.town.TownID, true)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cols {
		if c.Name == name {
			return fmt.Sprint(c.ID)
		}
	}
	t.Fatalf("no column %s", name)
	return ""
}
