package stats

import (
	"fmt"
	"math"
	"sort"
	"strconv"
	"time"

	"pingan/internal/store"
)

// Shape selects how a figure's value is shown and compared.
type Shape int

const (
	Count     Shape = iota // a whole number
	Rate                   // a fraction from 0 to 1, shown as a percentage
	Breakdown              // a map from a name (column, organization, kind) to a count
	Average                // a mean in hours with one decimal; nil when nothing is averaged
)

// Figure describes one key of Figures for people: its Chinese label, its group on the dashboard,
// and the back-office list of the records behind it.
type Figure struct {
	Key   string
	Label string
	Group string
	Shape Shape
	// Link is the list of the records behind the figure, with {from} and {to} replaced by the
	// period's dates; empty when there is no such list. A rate links to the records of its
	// denominator.
	Link string
	// EntryLink is the list of the records behind one entry of a breakdown: {key} is replaced
	// by the entry's code (a post kind, a case channel), {column} and {org} by the ID of the
	// column or organization the entry names, and {from} and {to} as in Link.
	EntryLink string
	// Headline marks the figures of the center's half-year report table.
	Headline bool
}

// Catalog lists every figure in the order of the dashboard. A key a feature area does not
// compute (yet) shows as "—".
var Catalog = []Figure{
	{Key: "articles_published", Label: "发布稿件", Group: "宣传平台", Shape: Count, Headline: true, Link: "/admin/articles?status=published&from={from}&to={to}"},
	{Key: "articles_original", Label: "其中自采自编", Group: "宣传平台", Shape: Count, Headline: true, Link: "/admin/articles?status=published&source=original&from={from}&to={to}"},
	{Key: "articles_reprinted_or_contributed", Label: "其中转载和村（社区）供稿", Group: "宣传平台", Shape: Count, Headline: true, Link: "/admin/articles?status=published&source=not_original&from={from}&to={to}"},
	{Key: "articles_by_column", Label: "按栏目分", Group: "宣传平台", Shape: Breakdown, Headline: true, EntryLink: "/admin/articles?status=published&column={column}&from={from}&to={to}"},
	{Key: "contributions_by_org", Label: "各村（单位）供稿", Group: "宣传平台", Shape: Breakdown, EntryLink: "/admin/articles?contributor={org}&by=submitted&from={from}&to={to}"},
	// NOTE: page_views has no link, because no back-office list ranks articles by the views of a
	// period. The article list shows each article's views of all time.
	{Key: "page_views", Label: "网站浏览量", Group: "宣传平台", Shape: Count, Headline: true},

	{Key: "notices_issued", Label: "下发工作计划和要求", Group: "上下协同", Shape: Count, Headline: true, Link: "/admin/notices/sent?from={from}&to={to}"},
	{Key: "notice_read_rate", Label: "通知签收率", Group: "上下协同", Shape: Rate, Link: "/admin/notices/sent?from={from}&to={to}"},
	{Key: "reports_submitted", Label: "报表填报", Group: "上下协同", Shape: Count},
	{Key: "reports_late", Label: "其中逾期填报", Group: "上下协同", Shape: Count},
	{Key: "information_reports", Label: "上报信息", Group: "上下协同", Shape: Count, Headline: true, Link: "/admin/info-reports?from={from}&to={to}"},
	{Key: "information_reports_adopted", Label: "其中被采用", Group: "上下协同", Shape: Count, Link: "/admin/info-reports?status=adopted&from={from}&to={to}"},
	{Key: "inquiries", Label: "村（单位）询问事项", Group: "上下协同", Shape: Count, Headline: true, Link: "/admin/inquiries?from={from}&to={to}"},
	{Key: "coordination_matters", Label: "协调事项", Group: "上下协同", Shape: Count, Headline: true, Link: "/admin/cases?channel=coordination&from={from}&to={to}"},

	{Key: "suggestions", Label: "建言献策", Group: "服务民生", Shape: Count, Headline: true, Link: "/admin/board?status=all&kind=suggestion&from={from}&to={to}"},
	{Key: "help_requests", Label: "求助和咨询", Group: "服务民生", Shape: Count, Headline: true},
	{Key: "help_requests_resolved", Label: "其中已办结", Group: "服务民生", Shape: Count, Headline: true},
	{Key: "posts_by_kind", Label: "留言按类别分", Group: "服务民生", Shape: Breakdown, EntryLink: "/admin/board?status=all&kind={key}&from={from}&to={to}"},
	{Key: "cases_by_channel", Label: "工单按来源分", Group: "服务民生", Shape: Breakdown, EntryLink: "/admin/cases?channel={key}&from={from}&to={to}"},
	{Key: "live_chats", Label: "在线咨询会话", Group: "服务民生", Shape: Count},
	{Key: "cases", Label: "受理工单", Group: "服务民生", Shape: Count, Link: "/admin/cases?from={from}&to={to}"},
	{Key: "avg_hours_to_acknowledge", Label: "平均签收用时（小时）", Group: "服务民生", Shape: Average, Link: "/admin/cases?reached=acknowledged&from={from}&to={to}"},
	{Key: "avg_hours_to_reply", Label: "平均答复用时（小时）", Group: "服务民生", Shape: Average, Link: "/admin/cases?reached=replied&from={from}&to={to}"},
	{Key: "avg_hours_to_resolve", Label: "平均办结用时（小时）", Group: "服务民生", Shape: Average, Link: "/admin/cases?reached=resolved&from={from}&to={to}"},
	{Key: "cases_resolved", Label: "办结工单", Group: "服务民生", Shape: Count, Link: "/admin/cases?solved=1&from={from}&to={to}"},
	{Key: "reply_on_time_rate", Label: "按时答复率", Group: "服务民生", Shape: Rate, Link: "/admin/cases?counted=reply&from={from}&to={to}"},
	{Key: "resolve_on_time_rate", Label: "按时办结率", Group: "服务民生", Shape: Rate, Link: "/admin/cases?counted=resolve&from={from}&to={to}"},
	{Key: "satisfaction_rate", Label: "群众满意率", Group: "服务民生", Shape: Rate},
	{Key: "disputes", Label: "矛盾纠纷", Group: "服务民生", Shape: Count, Link: "/admin/cases?category=dispute&from={from}&to={to}"},
	{Key: "disputes_settled_locally_rate", Label: "矛盾纠纷就地化解率", Group: "服务民生", Shape: Rate, Headline: true, Link: "/admin/cases?category=dispute&from={from}&to={to}"},

	{Key: "unanswered_posts", Label: "留言未答复", Group: "日常检查", Shape: Count, Link: "/admin/board?status=all&unanswered=1&to={to}"},
	{Key: "unanswered_posts_overdue", Label: "其中超过答复时限", Group: "日常检查", Shape: Count, Link: "/admin/board?status=all&unanswered=1&overdue=1&to={to}"},
}

// Lookup returns the catalog entry of key.
func Lookup(key string) (Figure, bool) {
	for _, f := range Catalog {
		if f.Key == key {
			return f, true
		}
	}
	return Figure{}, false
}

// rate is the value of a rate figure: nil, which JSON shows as null and the dashboard as "—",
// when the denominator is 0, because a share of nothing is unknown rather than 0%.
func rate(r store.Ratio) any {
	if r.Den == 0 {
		return nil
	}
	return r.Rate()
}

// average is the value of an Average figure. It is nil when no case reached the step, because
// the mean of nothing is unknown rather than 0 hours. JSON shows nil as null, the pages as "—".
func average(m store.Mean) any {
	if m.N == 0 {
		return nil
	}
	return m.Value()
}

// Number returns a count, rate or average figure as a float, and whether figs holds a number
// for it. It returns false for a missing key and for a rate or average without data (nil).
func Number(figs Figures, key string) (float64, bool) {
	switch v := figs[key].(type) {
	case int:
		return float64(v), true
	case int64:
		return float64(v), true
	case float64:
		return v, true
	}
	return 0, false
}

// Entries returns a breakdown figure as name/count pairs, largest first, then by name.
func Entries(figs Figures, key string) []Entry {
	var out []Entry
	switch m := figs[key].(type) {
	case map[string]int:
		for k, v := range m {
			out = append(out, Entry{k, v})
		}
	case map[string]int64:
		for k, v := range m {
			out = append(out, Entry{k, int(v)})
		}
	case map[string]any:
		for k, v := range m {
			if n, ok := v.(float64); ok {
				out = append(out, Entry{k, int(n)})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Count != out[j].Count {
			return out[i].Count > out[j].Count
		}
		return out[i].Name < out[j].Name
	})
	return out
}

// Entry is one row of a breakdown.
type Entry struct {
	Name  string
	Count int
}

// Format shows a count, rate or average figure the way the dashboard and the export show it.
func Format(f Figure, v float64) string {
	switch f.Shape {
	case Rate:
		return strconv.FormatFloat(math.Round(v*1000)/10, 'f', 1, 64) + "%"
	case Average:
		return strconv.FormatFloat(math.Round(v*10)/10, 'f', -1, 64)
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

// Change returns the difference cur − prev of a figure as shown: "+3", "−10.9", "+1.5 个百分点" for a
// rate, or "持平". It rounds to the precision Format shows, so float noise such as
// 10.899999999999999 never reaches a page.
func Change(f Figure, cur, prev float64) string {
	var d float64
	unit := ""
	switch f.Shape {
	case Rate:
		d = math.Round((cur-prev)*1000) / 10
		unit = " 个百分点"
	case Average:
		d = math.Round((cur-prev)*10) / 10
	default:
		d = math.Round(cur - prev)
	}
	text := strconv.FormatFloat(math.Abs(d), 'f', -1, 64)
	if f.Shape == Rate {
		text = strconv.FormatFloat(math.Abs(d), 'f', 1, 64)
	}
	switch {
	case d > 0:
		return "+" + text + unit
	case d < 0:
		return "−" + text + unit
	}
	return "持平"
}

// Previous returns the period of the same number of days that ends the day before p starts.
func Previous(p Period) Period {
	days := int(p.To.Sub(p.From).Hours()/24+0.5) + 1
	to := p.From.AddDate(0, 0, -1)
	return Period{From: to.AddDate(0, 0, -(days - 1)), To: to}
}

// Months splits p into calendar months, the first and last cut to the period.
func Months(p Period) []Period {
	var out []Period
	for start := p.From; !start.After(p.To); {
		next := time.Date(start.Year(), start.Month()+1, 1, 0, 0, 0, 0, start.Location())
		end := next.AddDate(0, 0, -1)
		if end.After(p.To) {
			end = p.To
		}
		out = append(out, Period{From: start, To: end})
		start = next
	}
	return out
}

// Label names a period as 2026-06-05 至 2026-12-04.
func (p Period) Label() string {
	return fmt.Sprintf("%s 至 %s", p.From.Format("2006-01-02"), p.To.Format("2006-01-02"))
}
