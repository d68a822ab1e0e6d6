package journeys

import (
	"fmt"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

func TestDispatcherJourney(t *testing.T) { eachDialect(t, dispatcherJourney) }

func TestUnitHandlerJourney(t *testing.T) { eachDialect(t, unitHandlerJourney) }

// dispatcherJourney: the center's dispatcher registers a phoned-in case, dispatches it to the
// police station with the judicial office assisting, and supervises it.
func dispatcherJourney(t *testing.T, town *townUnderTest) {
	dispatcher := town.staff(t, "dispatcher")
	number := registerAndDispatch(dispatcher, uniqueTitle("扶国桥组两户因宅基地界址发生争执"), "高桥派出所", "司法所")

	opinion := "请派出所会同司法所三个工作日内上门调处，防止矛盾激化。"
	dispatcher.run("supervise the case",
		caseAction("supervise", chromedp.SendKeys(chromedp.CSS(`#note-supervise`), opinion)))
	mustContain(t, "the case's state line", dispatcher.text(".case-state"), "已交办", "督办 1 次")
	mustContain(t, "the case's timeline", dispatcher.text(".timeline"), "受理", "交办", "督办", opinion)
	mustContain(t, "the case's units", dispatcher.text(".admin-main table"), "高桥派出所", "主办", "司法所", "协办")

	dispatcher.navTo("工单")
	findCase(dispatcher, number)
	mustContain(t, "the case list", dispatcher.text(".admin-main table"), "督办", "高桥派出所")
	town.dispatchedCase = number
}

// unitHandlerJourney: the dispatcher hands a case to the police station. The station's handler
// finds it in the case list, acknowledges it, replies to the citizen and resolves it.
func unitHandlerJourney(t *testing.T, town *townUnderTest) {
	dispatcher := town.staff(t, "dispatcher")
	title := uniqueTitle("高桥集镇夜间有人飙车扰民")
	number := registerAndDispatch(dispatcher, title, "高桥派出所")

	police := town.staff(t, "police")
	police.navTo("工单")
	findCase(police, number)
	mustContain(t, "the station's case list", police.text(".admin-main table"), title, "已交办")
	reply := "已在集镇主要路口增设夜间巡逻卡点，查处改装摩托车 2 辆，后续将持续巡查。"
	police.run("acknowledge, reply and resolve",
		chromedp.Click(chromedp.Search(`//table//a[normalize-space()="`+number+`"]`)),
		chromedp.WaitVisible(chromedp.CSS(`.case-state`)),
		caseAction("acknowledge"),
		caseAction("reply", chromedp.SendKeys(chromedp.CSS(`#note-reply`), reply)),
		caseAction("resolve", chromedp.SendKeys(chromedp.CSS(`#note-resolve`), "夜间飙车问题已整治，群众反映的路段连续一周无扰民情况。")))
	mustContain(t, "the case's state line", police.text(".case-state"), "已办结")
	mustContain(t, "the case's timeline", police.text(".timeline"), "签收", "答复", reply, "办结")
	town.handledCase = number
}

// findCase filters the case list by the case's number.
func findCase(p *person, number string) {
	p.t.Helper()
	p.run("find case "+number+" in the list",
		chromedp.SendKeys(chromedp.CSS(`#q`), number),
		chromedp.Click(chromedp.Search(`//form[contains(@class, "filters")]//button[normalize-space()="筛选"]`)),
		// The unfiltered list may show the same link, so wait for the filtered page's own
		// search box, whose markup carries the number.
		chromedp.WaitReady(chromedp.Search(`//input[@id="q" and @value="`+number+`"]`)),
		pageLoaded(),
		chromedp.WaitVisible(chromedp.Search(`//table//a[normalize-space()="`+number+`"]`)))
}

// registerAndDispatch registers a phoned-in case from the case list's button and dispatches it
// to the lead unit, with the assisting units, and returns its number.
func registerAndDispatch(dispatcher *person, title, lead string, assist ...string) string {
	dispatcher.t.Helper()
	dispatcher.navTo("工单")
	dispatcher.run("register a case",
		chromedp.Click(link("登记工单")),
		chromedp.WaitVisible(chromedp.CSS(`#title`)),
		chromedp.SetValue(chromedp.CSS(`#channel`), "phone"),
		chromedp.SetValue(chromedp.CSS(`#category`), "dispute"),
		chromedp.SendKeys(chromedp.CSS(`#title`), title),
		chromedp.SendKeys(chromedp.CSS(`#body`), "群众来电反映："+title+"，希望镇里尽快处理。"),
		chromedp.SendKeys(chromedp.CSS(`#citizen_name`), "沈国强"),
		chromedp.SendKeys(chromedp.CSS(`#citizen_phone`), "13857390021"),
		chromedp.Click(chromedp.Search(`//form//button[normalize-space()="登记"]`)),
		flashSays("已登记"))
	var number string
	dispatcher.run("read the case number",
		into(&number, chromedp.Text(chromedp.Search(`//dl[@class="details"]/dt[normalize-space()="编号"]/following-sibling::dd[1]`))))
	number = strings.TrimSpace(number)
	if number == "" {
		dispatcher.t.Fatalf("the new case shows no number:\n%s", dispatcher.page())
	}

	steps := []chromedp.Action[chromedp.Void]{chromedp.Evaluate[chromedp.Void](pickOption("#lead_org_id", lead))}
	for _, unit := range assist {
		// The organization tree indents its names with ideographic spaces (U+3000).
		steps = append(steps, chromedp.Click(chromedp.Search(
			`//form[.//input[@name="action" and @value="dispatch"]]//label[translate(normalize-space(), "`+"\u3000"+`", "")="`+unit+`"]/input`)))
	}
	steps = append(steps, chromedp.SendKeys(chromedp.CSS(`#dispatch-note`), "请按时限办理并答复群众。"))
	dispatcher.run("dispatch the case", caseAction("dispatch", steps...))
	return number
}

// caseAction fills and submits the case page's form of one workflow action and waits for the
// message that the action is done.
func caseAction(action string, fill ...chromedp.Action[chromedp.Void]) chromedp.Action[chromedp.Void] {
	form := `form:has(input[name="action"][value="` + action + `"])`
	steps := append([]chromedp.Action[chromedp.Void]{chromedp.WaitVisible(chromedp.CSS(form))}, fill...)
	steps = append(steps,
		chromedp.Click(chromedp.CSS(form+` button[type="submit"]`)),
		flashSays(actionLabels[action]+"已完成"))
	return chromedp.Steps(steps...)
}

// actionLabels are the workflow actions' names as the case page shows them.
var actionLabels = map[string]string{
	"dispatch": "交办", "acknowledge": "签收", "reply": "答复", "resolve": "办结", "supervise": "督办",
}

// pickOption is JavaScript that selects the option of a select element whose text, without
// the indentation of the organization tree, is label, as a person picks it from the list.
func pickOption(selectCSS, label string) string {
	return fmt.Sprintf(`(function () {
		const s = document.querySelector(%q);
		const o = [...s.options].find(o => o.textContent.replace(/[\s\u3000]/g, "") === %q);
		if (!o) throw new Error("no option " + %q);
		s.value = o.value;
		s.dispatchEvent(new Event("change", {bubbles: true}));
	})()`, selectCSS, label, label)
}
