package journeys

import (
	"regexp"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestAuditAdministratorJourney runs the other roles' journeys on one town, then the audit
// administrator finds a record of each of their key actions in the audit trail, filtering it by
// action and by operator as a person would.
func TestAuditAdministratorJourney(t *testing.T) {
	eachDialect(t, func(t *testing.T, town *townUnderTest) {
		for _, j := range []struct {
			name string
			run  journey
		}{
			{"resident", residentJourney},
			{"village reporter", villageReporterJourney},
			{"editor", editorJourney},
			{"dispatcher", dispatcherJourney},
			{"unit handler", unitHandlerJourney},
		} {
			j.run(t, town)
			if t.Failed() {
				t.Fatalf("the %s's journey failed; the audit trail is not checked", j.name)
			}
		}
		auditAdministratorJourney(t, town)
	})
}

// auditAdministratorJourney: the audit administrator opens the audit trail and looks up each
// key action the other journeys took on this town.
func auditAdministratorJourney(t *testing.T, town *townUnderTest) {
	auditor := town.staff(t, "auditor")
	auditor.navTo("审计日志")
	trail := &auditTrail{auditor}

	// The message board's records name the post by number: the post's own record gives it.
	posted := trail.find("提交留言", "", town.postTitle)
	post := regexp.MustCompile(`留言 #\d+`).FindString(posted)
	if post == "" {
		t.Fatalf("the post's record names no post number: %q", posted)
	}
	trail.find("审核留言", "徐佳琪", post, "公开")
	trail.find("答复留言", "徐佳琪", post)
	trail.find("评价留言", "", post, "满意")

	trail.find("提交稿件", "张卫东", town.contributionTitle)
	trail.find("发布稿件", "钱晓燕", town.contributionTitle)
	trail.find("提交报表", "张卫东", town.reportTitle)
	trail.find("提交通知回执", "张卫东", town.noticeTitle)

	trail.find("受理工单", "周文斌", town.dispatchedCase)
	trail.find("交办工单", "周文斌", town.dispatchedCase)
	trail.find("督办工单", "周文斌", town.dispatchedCase)
	trail.find("签收工单", "李振华", town.handledCase)
	trail.find("答复工单", "李振华", town.handledCase)
	trail.find("办结工单", "李振华", town.handledCase)
}

// auditTrail is the audit administrator on the audit trail's page.
type auditTrail struct{ *person }

// find filters the trail by the action's name and, unless it is empty, the operator's name,
// and returns the text of the newest row that contains each of wants. The test fails when no
// row on the first page does.
func (a *auditTrail) find(action, operator string, wants ...string) string {
	a.t.Helper()
	var rows []string
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.Evaluate[chromedp.Void](pickOption("#action", action)),
		chromedp.Evaluate[chromedp.Void](`document.querySelector("#actor").value = ""`),
	}
	if operator != "" {
		steps = append(steps, chromedp.SendKeys(chromedp.CSS(`#actor`), operator))
	}
	a.run("filter the audit trail by "+action, append(steps,
		chromedp.Click(chromedp.Search(`//form[contains(@class, "filters")]//button[normalize-space()="查询"]`)),
		// The reloaded form marks the chosen action as selected in its markup.
		chromedp.WaitReady(chromedp.Search(`//select[@id="action"]/option[@selected and normalize-space()="`+action+`"]`)),
		into(&rows, chromedp.Evaluate[[]string](`[...document.querySelectorAll("main table tbody tr")].map(r => r.innerText)`)))...)
	for _, row := range rows {
		if !strings.Contains(row, action) || (operator != "" && !strings.Contains(row, operator)) {
			continue
		}
		found := true
		for _, want := range wants {
			found = found && strings.Contains(row, want)
		}
		if found {
			return row
		}
	}
	a.t.Errorf("the audit trail filtered by %s and %q has no row with %q; its first page:\n%s",
		action, operator, wants, strings.Join(rows, "\n"))
	return ""
}
