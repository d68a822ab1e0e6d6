package web

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"pingan/internal/casework"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

const chromiumPath = "/usr/bin/chromium"

// newBrowser starts headless Chromium with a fresh profile; each call of the returned function
// opens a separate browser context, with cookies of its own, for one person of the journey.
func newBrowser(t *testing.T) func() context.Context {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Fatalf("browser tests need Chromium at %s (Debian package chromium): %v", chromiumPath, err)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Flag("headless", true), chromedp.Flag("no-sandbox", true), chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true), chromedp.Flag("no-first-run", true),
		chromedp.UserDataDir(t.TempDir()), chromedp.WindowSize(1280, 900),
	}
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	browser, cancelBrowser := chromedp.NewContext(alloc)
	if err := chromedp.Do(browser); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	t.Cleanup(func() { cancelBrowser(); cancelAlloc() })
	return func() context.Context {
		ctx, cancel := chromedp.NewContext(browser, chromedp.WithNewBrowserContext())
		t.Cleanup(cancel)
		// The first action opens the tab and binds it to the context it runs with, so it runs
		// here without a timeout; later steps use contexts with a timeout derived from ctx.
		if err := chromedp.Do(ctx); err != nil {
			t.Fatalf("open a browser context: %v", err)
		}
		return ctx
	}
}

// into runs a and stores its value in dst, so that reading a page fits among other steps.
func into[T any](dst *T, a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		v, err := a(ctx, t)
		*dst = v
		return chromedp.Void{}, err
	}
}

func (h *demoHarness) run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	// Each journey step gets 30 seconds; the page's address and text help read a failure.
	stepCtx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(stepCtx, actions...); err != nil {
		loc, _ := chromedp.Run(ctx, chromedp.Location())
		text, _ := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("body")))
		t.Fatalf("%s: %v\npage %s:\n%s", what, err, loc, text)
	}
}

func (h *demoHarness) signIn(t *testing.T, ctx context.Context, username string) {
	t.Helper()
	pw := ""
	for _, a := range h.town.Accounts {
		if a.Username == username {
			pw = a.Password
		}
	}
	h.run(t, ctx, "sign in as "+username,
		chromedp.Navigate(h.srv.URL+"/signin"),
		chromedp.SendKeys(chromedp.CSS("#username"), username),
		chromedp.SendKeys(chromedp.CSS("#password"), pw),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(".admin-main")))
}

// submitAction fills and submits the case page's form for one workflow action.
func submitAction(action string, fill ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	form := `form:has(input[name="action"][value="` + action + `"])`
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(form))}, fill...)
	// Wait for this step's own message: the page before the submit may show an older one.
	done := `//p[contains(@class, "flash") and contains(., "` + casework.Action(action).Label() + `已完成")]`
	steps = append(steps, chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)), chromedp.WaitVisible(done))
	return chromedp.Steps(steps...)
}

func TestBrowserComplaintJourney(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		open := newBrowser(t)
		photo := filepath.Join(t.TempDir(), "河边.png")
		if err := os.WriteFile(photo, tinyPNG(64, 48), 0o600); err != nil {
			t.Fatal(err)
		}

		// The visitor posts a complaint with a photo.
		visitor := open()
		var captchaID, code string
		h.run(t, visitor, "open the board form",
			chromedp.Navigate(h.srv.URL+"/board/new"),
			chromedp.WaitVisible(chromedp.CSS("#title")),
			into(&captchaID, chromedp.Value(chromedp.CSS(`input[name="captcha_id"]`))))
		answer, err := h.db.CaptchaAnswer(context.Background(), hashToken(captchaID))
		if err != nil {
			t.Fatal(err)
		}
		h.run(t, visitor, "post the complaint",
			chromedp.Click(chromedp.CSS(`input[name="kind"][value="complaint"]`)),
			chromedp.SendKeys(chromedp.CSS("#title"), "厂里往河里倒卤水"),
			chromedp.SendKeys(chromedp.CSS("#body"), "村南的腌菜厂晚上把卤水倒进小河，河水发黑发臭。"),
			chromedp.SetUploadFiles(chromedp.CSS("#photos"), []string{photo}),
			chromedp.SendKeys(chromedp.CSS("#name"), "张三丰"),
			chromedp.SendKeys(chromedp.CSS("#phone"), "13812345678"),
			chromedp.Click(chromedp.CSS(`input[name="public"]`)),
			chromedp.Click(chromedp.CSS(`input[name="consent"]`)),
			chromedp.SendKeys(chromedp.CSS("#captcha_answer"), answer),
			chromedp.Click(chromedp.CSS(`form[action="/board"] button[type="submit"]`)),
			chromedp.WaitVisible(chromedp.CSS("#query-code")),
			into(&code, chromedp.Text(chromedp.CSS("#query-code"))))
		var postID int64
		if err := h.db.SQL().QueryRow(`SELECT MAX(id) FROM board_posts`).Scan(&postID); err != nil {
			t.Fatal(err)
		}
		var photos int
		h.db.SQL().QueryRow(`SELECT COUNT(*) FROM board_post_files WHERE post_id = $1`, postID).Scan(&photos)
		if len(code) != 8 || photos != 1 {
			t.Fatalf("receipt code %q, photos %d", code, photos)
		}

		// The moderator publishes it.
		moderator := open()
		h.signIn(t, moderator, "moderator")
		post := h.srv.URL + "/admin/board/" + itoa(postID)
		h.run(t, moderator, "publish the post",
			chromedp.Navigate(post),
			chromedp.Click(chromedp.CSS(`input[name="decision"][value="publish"]`)),
			chromedp.Click(chromedp.CSS(`form[action$="/moderate"] button`)),
			chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "审核结果已保存")]`))

		// The dispatcher registers it and dispatches it to two units.
		dispatcher := open()
		h.signIn(t, dispatcher, "dispatcher")
		ecologyOrg, policeOrg := itoa(h.town.Orgs["生态环境办"]), itoa(h.town.Orgs["高桥派出所"])
		var caseURL string
		h.run(t, dispatcher, "register and dispatch",
			chromedp.Navigate(post),
			chromedp.SetValue(chromedp.CSS("#category"), "environment"),
			chromedp.Click(chromedp.CSS(`form[action$="/register"] button`)),
			chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "已登记为工单")]`),
			into(&caseURL, chromedp.Location()),
			submitAction("dispatch",
				chromedp.SetValue(chromedp.CSS("#lead_org_id"), ecologyOrg),
				chromedp.Click(chromedp.CSS(`input[name="assist_org_ids"][value="`+policeOrg+`"]`))))

		// The lead unit acknowledges, replies with a promised date and resolves; the assisting
		// unit acknowledges its part.
		police := open()
		h.signIn(t, police, "police")
		h.run(t, police, "assisting unit acknowledges", chromedp.Navigate(caseURL), submitAction("acknowledge"))
		ecology := open()
		h.signIn(t, ecology, "ecology")
		h.run(t, ecology, "lead unit works the case",
			chromedp.Navigate(caseURL),
			submitAction("acknowledge"),
			submitAction("reply",
				chromedp.SetValue(chromedp.CSS("#promised_at"), "2026-12-10"),
				chromedp.SendKeys(chromedp.CSS("#note-reply"), "已会同市生态环境局现场检查，责令停止排放，12 月 10 日前完成整改。")),
			submitAction("resolve", chromedp.SendKeys(chromedp.CSS("#note-resolve"), "企业已建卤水收集池，河道清淤完成。")))

		// The citizen rates the handling with the query code.
		var flash string
		h.run(t, visitor, "rate with the query code",
			chromedp.Navigate(h.srv.URL+"/query"),
			chromedp.SendKeys(chromedp.CSS("#code"), code),
			chromedp.SendKeys(chromedp.CSS("#mobile"), "13812345678"),
			chromedp.Click(chromedp.CSS(`form[action="/query"] button`)),
			chromedp.WaitVisible(chromedp.CSS(`input[name="rating"][value="satisfied"]`)),
			chromedp.Click(chromedp.CSS(`input[name="rating"][value="satisfied"]`)),
			chromedp.Click(chromedp.CSS(`form[action="/query/rate"] button`)),
			chromedp.WaitVisible(`//p[contains(@class, "flash") and contains(., "感谢")]`),
			into(&flash, chromedp.Text(chromedp.CSS(".flash"))))
		if !strings.Contains(flash, "感谢") {
			t.Errorf("after rating: %q", flash)
		}

		// The public page shows the masked name and the unit's reply.
		var page string
		h.run(t, visitor, "read the public post",
			chromedp.Navigate(h.srv.URL+"/board/"+itoa(postID)),
			into(&page, chromedp.Text(chromedp.CSS("main"))))
		for _, want := range []string{"张**", "138****5678", "生态环境办", "12 月 10 日前完成整改", "满意"} {
			if !strings.Contains(page, want) {
				t.Errorf("public post page lacks %q", want)
			}
		}
		if strings.Contains(page, "张三丰") || strings.Contains(page, "13812345678") {
			t.Error("public post page shows the unmasked name or number")
		}
		var state, rating string
		h.db.SQL().QueryRow(`SELECT state, rating FROM cases WHERE post_id = $1`, postID).Scan(&state, &rating)
		if state != "followed_up" || rating != "satisfied" {
			t.Errorf("case state %s, rating %s", state, rating)
		}
	})
}

func TestBrowserChatBecomesCase(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		h := newDemoHarness(t, db.Dialect())
		open := newBrowser(t)
		visitor := open()
		var captchaID string
		h.run(t, visitor, "open the chat",
			chromedp.Navigate(h.srv.URL+"/chat"),
			chromedp.WaitVisible(chromedp.CSS("#topic")),
			into(&captchaID, chromedp.Value(chromedp.CSS(`input[name="captcha_id"]`))))
		answer, err := h.db.CaptchaAnswer(context.Background(), hashToken(captchaID))
		if err != nil {
			t.Fatal(err)
		}
		h.run(t, visitor, "start the chat",
			chromedp.SendKeys(chromedp.CSS("#topic"), "反映小区楼道堆放杂物"),
			chromedp.SendKeys(chromedp.CSS("#phone"), "13912340000"),
			chromedp.SendKeys(chromedp.CSS("#captcha_answer"), answer),
			chromedp.Click(chromedp.CSS(`form[action="/chat"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#chat-log")))

		agent := open()
		h.signIn(t, agent, "agent")
		h.run(t, agent, "take the conversation",
			chromedp.Navigate(h.srv.URL+"/admin/chat"),
			chromedp.Click(chromedp.CSS(`form[action$="/take"] button`)),
			chromedp.WaitVisible(chromedp.CSS("#chat-body")),
			chromedp.SendKeys(chromedp.CSS("#chat-body"), "您好，请说一下具体位置。"),
			chromedp.Click(chromedp.CSS(`#chat-form button[type="submit"]`)))
		h.run(t, visitor, "visitor sees the reply live and answers",
			chromedp.WaitVisible(`//li[contains(@class,"agent")]//div[contains(., "具体位置")]`),
			chromedp.SendKeys(chromedp.CSS("#chat-body"), "高桥社区3幢二单元楼道里堆满了纸箱，挡住了消防通道。"),
			chromedp.Click(chromedp.CSS(`#chat-form button[type="submit"]`)))
		var caseText string
		h.run(t, agent, "agent sees the message live and turns the chat into a case",
			chromedp.WaitVisible(`//li[contains(@class,"visitor")]//div[contains(., "纸箱")]`),
			chromedp.SetValue(chromedp.CSS("#case-category"), "work_safety"),
			chromedp.Click(chromedp.CSS(`form[action$="/case"] button`)),
			chromedp.WaitVisible(chromedp.CSS(".transcript")),
			into(&caseText, chromedp.Text(chromedp.CSS("main"))))
		for _, want := range []string{"在线咨询", "纸箱", "具体位置", "反映小区楼道堆放杂物"} {
			if !strings.Contains(caseText, want) {
				t.Errorf("case page lacks %q", want)
			}
		}
		var reloads int
		h.run(t, visitor, "visitor is told the case number",
			chromedp.WaitVisible(`//li[contains(@class,"system")]//div[contains(., "已登记为工单")]`),
			into(&reloads, chromedp.Evaluate[int](`document.querySelectorAll("#chat-log li").length`)))
		// Each message appears once: a reconnect or live delivery repeats none.
		var dup bool
		h.run(t, visitor, "no repeated message",
			into(&dup, chromedp.Evaluate[bool](`(function(){var s={};var d=false;document.querySelectorAll("#chat-log li").forEach(function(li){var k=li.getAttribute("data-seq");if(s[k]){d=true}s[k]=true});return d})()`)))
		if dup {
			t.Error("a chat message is shown twice")
		}
	})
}
