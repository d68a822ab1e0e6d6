package app

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"pingan/internal/browsertest"
	"pingan/internal/store/storetest"
)

// TestAdministratorJourney loads the demo, signs in as the demo's system administrator through
// the real sign-in page in Chromium, browses the organization tree and the accounts, and signs out.
func TestAdministratorJourney(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			data := t.TempDir()
			env := map[string]string{"PINGAN_DATA": data}
			if dialect == "postgres" {
				env["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
			}
			addr, _ := startServer(t, env, "--demo")
			accounts, err := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
			if err != nil {
				t.Fatal(err)
			}
			m := regexp.MustCompile(`(?m)^  admin\s+(\S+)`).FindSubmatch(accounts)
			if m == nil {
				t.Fatalf("no admin line in demo-accounts.txt:\n%s", accounts)
			}
			base := "http://" + addr
			ctx := browsertest.New(t, browsertest.DesktopWidth, browsertest.DesktopHeight)

			browsertest.Do(t, ctx,
				chromedp.Navigate(base+"/"),
				chromedp.Click(chromedp.CSS(`a[href="/signin"]`)),
				chromedp.WaitVisible(chromedp.CSS(`#username`)),
				chromedp.SendKeys(chromedp.CSS(`#username`), "admin"),
				chromedp.SendKeys(chromedp.CSS(`#password`), string(m[1])),
				chromedp.Submit(chromedp.CSS(`#password`)),
				chromedp.WaitVisible(chromedp.CSS(`.admin-nav`)),
			)
			home := browsertest.Text(t, ctx, "main")
			browsertest.Do(t, ctx,
				chromedp.Click(chromedp.Search(`//nav[@class="admin-nav"]//a[text()="组织机构"]`)),
				chromedp.WaitVisible(chromedp.CSS(`table.tree`)),
			)
			orgs := browsertest.Text(t, ctx, "table.tree")
			browsertest.Do(t, ctx,
				chromedp.Click(chromedp.Search(`//nav[@class="admin-nav"]//a[text()="账号管理"]`)),
				chromedp.WaitVisible(chromedp.Search(`//h1[text()="账号管理"]`)),
			)
			accountList := browsertest.Text(t, ctx, "main")
			browsertest.Do(t, ctx,
				chromedp.Click(chromedp.Search(`//button[text()="退出"]`)),
				chromedp.WaitVisible(chromedp.CSS(`.flash`)),
			)
			signedOut := browsertest.Text(t, ctx, "body")
			for _, want := range []string{"工作台", "陈建国"} {
				if !strings.Contains(home, want) {
					t.Errorf("back-office home lacks %q", want)
				}
			}
			for _, want := range []string{"高桥镇综治工作中心", "越丰村", "扶国桥组", "桐乡市高桥中学", "高桥派出所", "网格"} {
				if !strings.Contains(orgs, want) {
					t.Errorf("organization tree lacks %q", want)
				}
			}
			for _, want := range []string{"dispatcher", "周文斌", "中心派单员", "139****"} {
				if !strings.Contains(accountList, want) {
					t.Errorf("account list lacks %q", want)
				}
			}
			if !strings.Contains(signedOut, "您已安全退出") || !strings.Contains(signedOut, "工作人员登录") {
				t.Errorf("after signing out the page reads:\n%s", signedOut)
			}
		})
	}
}
