package journeys

import (
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// contributionText is the body the village reporter types into the editor.
const contributionText = "越丰村组织党员和志愿者开展平安夜巡，走访沿街店铺二十余家。"

func TestVillageReporterJourney(t *testing.T) { eachDialect(t, villageReporterJourney) }

// villageReporterJourney: 越丰村's reporter contributes an article, files the monthly report
// of the current period, and submits feedback on a notice the center's coordinator sends.
func villageReporterJourney(t *testing.T, town *townUnderTest) {
	reporter := town.staff(t, "yuefeng")

	title := uniqueTitle("越丰村开展平安夜巡")
	reporter.navTo("我的投稿")
	reporter.run("write a contribution",
		chromedp.Click(link("我要投稿")),
		chromedp.WaitVisible(chromedp.CSS(`.editor-shell.ready`)),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.Evaluate[chromedp.Void](pickOption("#column_id", "工作动态")),
		chromedp.Click(chromedp.CSS(`#editor-area [contenteditable=true]`)),
		chromedp.SendKeys(chromedp.CSS(`#editor-area [contenteditable=true]`), contributionText),
		chromedp.Click(chromedp.CSS(`.article-form button[type=submit]`)),
		flashSays("已保存为草稿"),
		chromedp.Click(chromedp.CSS(`form[action$="/submit"] button`)),
		flashSays("已提交审核"))
	mustContain(t, "the contribution's state", reporter.text(".details"), "待审核", "工作动态")
	mustContain(t, "the contribution's preview", reporter.text(".article-body.preview"), contributionText)
	town.contributionTitle = title

	reporter.navTo("报表填报")
	var heading string
	reporter.run("open the report of the current period",
		chromedp.Click(chromedp.Search(`(//tr[.//span[contains(@class, "status") and normalize-space()="待填报"]]//a)[1]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-status="pending"]`)),
		into(&heading, chromedp.Text(chromedp.CSS(`h1`))))
	values := map[string]string{
		"排查矛盾纠纷（件）":     "6",
		"调处成功（件）":       "5",
		"其中在村（社区）化解（件）": "4",
		"刑事案件（起）":       "0",
		"治安案件（起）":       "1",
		"排查安全隐患（处）":     "9",
		"整改到位（处）":       "8",
		"新登记新居民（人）":     "23",
		"工作小结":          "本月排查矛盾纠纷 6 件，调处成功 5 件；发现安全隐患 9 处，整改 8 处。",
	}
	var fill []chromedp.Action[chromedp.Void]
	for label, value := range values {
		fill = append(fill, chromedp.SendKeys(fieldByLabel(label), value))
	}
	fill = append(fill,
		chromedp.SetValue(fieldByLabel("本月治安形势"), "平稳"),
		chromedp.Click(chromedp.CSS(`button[name="action"][value="submit"]`)),
		flashSays("报表已提交"))
	reporter.run("fill in and submit the report", fill...)
	mustContain(t, "the submitted report", reporter.text(".admin-main .details"), "已提交")
	town.reportTitle = strings.TrimSpace(heading)

	coordinator := town.staff(t, "coordinator")
	notice := uniqueTitle("关于报送冬季防火检查情况的工作要求")
	coordinator.navToHeading("下发通知", "已下发的通知")
	coordinator.run("send the village a notice that asks for feedback",
		chromedp.Click(chromedp.Search(`//ul[@class="tabs"]//a[normalize-space()="下发通知"]`)),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SetValue(chromedp.CSS(`#kind`), "requirement"),
		chromedp.SendKeys(chromedp.CSS(`#title`), notice),
		chromedp.SendKeys(chromedp.CSS(`#body`), "请各村对辖区出租房屋、沿街店铺开展冬季防火检查，检查情况以回执报送。"),
		chromedp.SetValue(chromedp.CSS(`#deadline`), time.Now().In(beijing).AddDate(0, 0, 7).Format("2006-01-02T15:04")),
		chromedp.Click(chromedp.CSS(`input[name="feedback_required"]`)),
		chromedp.Click(chromedp.Search(`//label[normalize-space()="越丰村"]/input[@name="org"]`)),
		chromedp.Click(chromedp.Search(`//form//button[normalize-space()="下发"]`)),
		flashSays("已下发"))

	feedback := "已检查出租房屋 38 户、沿街店铺 12 家，发现隐患 5 处，已当场整改 4 处。"
	reporter.navTo("通知公告")
	reporter.run("answer the notice",
		chromedp.Click(link(notice)),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/feedback"]`)),
		chromedp.SendKeys(chromedp.CSS(`#body`), feedback),
		chromedp.Click(chromedp.CSS(`form[action$="/feedback"] button[type=submit]`)),
		flashSays("回执已提交"))
	mustContain(t, "the notice after the feedback", reporter.text(".admin-main"), feedback, "越丰村")
	town.noticeTitle = notice
}

// beijing is the product's time zone for dates people type; China keeps no daylight saving time.
var beijing = time.FixedZone("CST", 8*60*60)

// fieldByLabel finds a form field by the text its label starts with, as a person reads it.
func fieldByLabel(label string) chromedp.Search {
	return chromedp.Search(`//*[@id=//label[starts-with(normalize-space(), "` + label + `")]/@for]`)
}
