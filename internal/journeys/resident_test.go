package journeys

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/chromedp/chromedp"
)

func TestResidentJourney(t *testing.T) { eachDialect(t, residentJourney) }

// residentJourney: a resident without an account reads an article of a column, searches the
// site and opens a hit, then posts on the message board, solving its captcha, and keeps the
// query code. The moderator publishes the post and replies to it. The resident looks the reply
// up with the query code and rates it.
func residentJourney(t *testing.T, town *townUnderTest) {
	resident := town.visitor(t)

	var linkTitle string
	resident.run("open an article of a column",
		chromedp.Click(chromedp.Search(`(//a[@href="/columns/news"])[1]`)),
		chromedp.WaitVisible(chromedp.CSS(`.column-list ul.list a`)),
		into(&linkTitle, chromedp.Text(chromedp.CSS(`.column-list ul.list a`))),
		chromedp.Click(chromedp.CSS(`.column-list ul.list a`)),
		chromedp.WaitVisible(chromedp.CSS(`.article h1`)))
	if title := resident.text(".article h1"); title != linkTitle {
		t.Errorf("the article's heading is %q, the column linked %q", title, linkTitle)
	}

	var hitTitle string
	resident.run("search the site",
		chromedp.SendKeys(chromedp.CSS(`#site-q`), "禁毒"),
		chromedp.Submit(chromedp.CSS(`#site-q`)),
		chromedp.WaitVisible(chromedp.CSS(`ol.hits h2 a`)),
		into(&hitTitle, chromedp.Text(chromedp.CSS(`ol.hits h2 a`))))
	mustContain(t, "search status", resident.text(`.search-page p[role="status"]`), "禁毒")
	resident.run("open the first hit",
		chromedp.Click(chromedp.CSS(`ol.hits h2 a`)),
		chromedp.WaitVisible(chromedp.CSS(`.article h1`)))
	if title := resident.text(".article h1"); title != hitTitle {
		t.Errorf("the hit opens %q, the result list said %q", title, hitTitle)
	}
	mustContain(t, "the article found by the search", resident.text(".article"), "禁毒")

	title := uniqueTitle("村口路灯坏了")
	const phone = "13957312468"
	var question string
	resident.run("open the message board form",
		chromedp.Click(chromedp.Search(`(//a[@href="/board"])[1]`)),
		chromedp.WaitVisible(chromedp.Search(`//h1[normalize-space()="平安建设大家说"]`)),
		chromedp.Click(link("我要留言")),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		into(&question, chromedp.Value(chromedp.CSS(`input[name="captcha_question"]`))))
	answer, err := solveCaptcha(question)
	if err != nil {
		t.Fatal(err)
	}
	var code string
	resident.run("post on the message board",
		chromedp.Click(chromedp.CSS(`input[name="kind"][value="help"]`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.SendKeys(chromedp.CSS(`#body`), "越丰村村口往扶国桥方向的三盏路灯坏了半个月，晚上骑车看不清路，请帮忙修一下。"),
		chromedp.SendKeys(chromedp.CSS(`#name`), "沈阿毛"),
		chromedp.SendKeys(chromedp.CSS(`#phone`), phone),
		chromedp.Click(chromedp.CSS(`input[name="public"]`)),
		chromedp.Click(chromedp.CSS(`input[name="consent"]`)),
		chromedp.SendKeys(chromedp.CSS(`#captcha_answer`), answer),
		chromedp.Click(chromedp.CSS(`form[action="/board"] button[type="submit"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#query-code`)),
		into(&code, chromedp.Text(chromedp.CSS(`#query-code`))))
	if len(code) != 8 {
		t.Fatalf("the receipt shows the query code %q, want 8 characters", code)
	}
	town.postTitle = title

	moderator := town.staff(t, "moderator")
	moderator.navTo("留言审核")
	reply := "已通知越丰村和供电所，三盏路灯本周内修复。感谢您的反映。"
	moderator.run("publish and answer the post",
		chromedp.Click(link(title)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/moderate"]`)),
		chromedp.Click(chromedp.CSS(`input[name="decision"][value="publish"]`)),
		chromedp.Click(chromedp.CSS(`form[action$="/moderate"] button`)),
		flashSays("审核结果已保存"),
		chromedp.SendKeys(chromedp.CSS(`#reply`), reply),
		chromedp.Click(chromedp.CSS(`form[action$="/reply"] button`)),
		flashSays("答复已发布"))

	resident.run("look the post up with the query code",
		chromedp.Click(chromedp.Search(`(//a[@href="/query"])[1]`)),
		chromedp.WaitVisible(chromedp.CSS(`#code`)),
		chromedp.SendKeys(chromedp.CSS(`#code`), code),
		chromedp.SendKeys(chromedp.CSS(`#mobile`), phone),
		chromedp.Click(chromedp.CSS(`form[action="/query"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.board-post`)))
	mustContain(t, "the query page", resident.text(".board-post"), title, reply)
	resident.run("rate the answer",
		chromedp.Click(chromedp.CSS(`input[name="rating"][value="satisfied"]`)),
		chromedp.Click(chromedp.CSS(`form[action="/query/rate"] button`)),
		flashSays("感谢您的评价"))
	mustContain(t, "the query page after rating", resident.text(".board-post"), "您的评价：满意")
}

var captchaQuestion = regexp.MustCompile(`^(.+?)(加|减|乘以)(.+?)等于几？$`)

// solveCaptcha computes the answer to the message board's question, such as 七加五等于几？, as a person does.
func solveCaptcha(question string) (string, error) {
	m := captchaQuestion.FindStringSubmatch(question)
	if m == nil {
		return "", fmt.Errorf("cannot read the captcha question %q", question)
	}
	a, okA := chineseNumber(m[1])
	b, okB := chineseNumber(m[3])
	if !okA || !okB {
		return "", fmt.Errorf("cannot read the numbers of the captcha question %q", question)
	}
	switch m[2] {
	case "加":
		return strconv.Itoa(a + b), nil
	case "减":
		return strconv.Itoa(a - b), nil
	}
	return strconv.Itoa(a * b), nil
}

// chineseNumber reads 0–99 written in Chinese characters: 七, 十二, 二十, 三十五.
func chineseNumber(s string) (int, bool) {
	digit := func(r string) (int, bool) {
		i := strings.Index("零一二三四五六七八九", r)
		if utf8.RuneCountInString(r) != 1 || i < 0 {
			return 0, false
		}
		return i / len("零"), true
	}
	tens, ones, found := strings.Cut(s, "十")
	if !found {
		return digit(s)
	}
	t, u := 1, 0
	if tens != "" {
		var ok bool
		if t, ok = digit(tens); !ok {
			return 0, false
		}
	}
	if ones != "" {
		var ok bool
		if u, ok = digit(ones); !ok {
			return 0, false
		}
	}
	return t*10 + u, true
}
