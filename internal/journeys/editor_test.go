package journeys

import (
	"testing"

	"github.com/chromedp/chromedp"
)

func TestEditorJourney(t *testing.T) { eachDialect(t, editorJourney) }

// editorJourney: the center's editor opens the contributions waiting for review and reviews
// one, the village reporter's when that journey ran on this town before. The editor confirms the
// confidentiality review and publishes it, and a reader then finds it in its column.
func editorJourney(t *testing.T, town *townUnderTest) {
	editor := town.staff(t, "editor")
	editor.navToHeading("待审稿件", "稿件管理")
	pick := chromedp.Search(`(//table//tr[.//span[normalize-space()="待审核"]]//a)[1]`)
	if town.contributionTitle != "" {
		pick = link(town.contributionTitle)
	}
	var title, column string
	editor.run("open a contribution waiting for review",
		chromedp.Click(pick),
		chromedp.WaitVisible(chromedp.CSS(`form[action$="/publish"]`)),
		into(&title, chromedp.Text(chromedp.CSS(`h1`))),
		into(&column, chromedp.Text(chromedp.Search(`//dl[@class="details"]/dt[normalize-space()="栏目"]/following-sibling::dd[1]`))))
	mustContain(t, "the contribution's source", editor.text(".details"), "投稿单位")
	editor.run("confirm the confidentiality review and publish",
		chromedp.Click(chromedp.CSS(`#confirmed`)),
		chromedp.Click(chromedp.CSS(`form[action$="/publish"] button`)),
		flashSays("已发布"))
	mustContain(t, "the published article's page", editor.text(".details"), "已发布", "保密审查")

	reader := town.visitor(t)
	reader.run("find the article in its column on the public site",
		chromedp.Click(chromedp.Search(`(//a[normalize-space()="`+column+`"])[1]`)),
		chromedp.WaitVisible(chromedp.CSS(`.column-list`)),
		chromedp.Click(chromedp.Search(`//section[contains(@class, "column-list")]//a[normalize-space()="`+title+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.article h1`)))
	if shown := reader.text(".article h1"); shown != title {
		t.Errorf("the public article's heading is %q, want %q", shown, title)
	}
	if town.contributionTitle != "" {
		mustContain(t, "the public article", reader.text(".article-body"), contributionText)
	}
}
