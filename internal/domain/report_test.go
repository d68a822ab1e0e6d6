package domain

import (
	"testing"
	"time"
)

func TestNormalizeValue(t *testing.T) {
	integer := ReportField{Label: "件数", Kind: FieldInteger}
	decimal := ReportField{Label: "比率", Kind: FieldDecimal}
	date := ReportField{Label: "日期", Kind: FieldDate}
	choice := ReportField{Label: "形势", Kind: FieldChoice, Choices: []string{"平稳", "不稳定"}}
	cases := []struct {
		field   ReportField
		in      string
		want    string
		problem bool
	}{
		{integer, " 1,234 ", "1234", false},
		{integer, "００７", "7", false},
		{integer, "-3", "", true},
		{integer, "－５", "", true},
		{integer, "-0", "0", false},
		{integer, "0", "0", false},
		{integer, "1.5", "", true},
		{integer, "十二", "", true},
		{integer, "1234567890123", "", true},
		{decimal, "12.50", "12.5", false},
		{decimal, "0.0001", "0.0001", false},
		{decimal, "-0.25", "-0.25", false},
		{decimal, "1.23456", "", true},
		{decimal, "12.", "", true},
		{decimal, "３．５", "3.5", false},
		{date, "2024/3/5", "2024-03-05", false},
		{date, "2024年3月5日", "2024-03-05", false},
		{date, "昨天", "", true},
		{choice, "平稳", "平稳", false},
		{choice, "很好", "", true},
		{integer, "", "", false},
	}
	for _, c := range cases {
		got, problem := c.field.NormalizeValue(c.in)
		if got != c.want || (problem != "") != c.problem {
			t.Errorf("%s %q: got %q, problem %q; want %q, problem %v", c.field.Kind, c.in, got, problem, c.want, c.problem)
		}
	}
}

func TestValidateValuesRequiredOnSubmitOnly(t *testing.T) {
	fields := []ReportField{{ID: 1, Label: "件数", Kind: FieldInteger, Required: true}, {ID: 2, Label: "备注", Kind: FieldText}}
	if _, err := ValidateValues(fields, map[int64]string{2: "无"}, false); err != nil {
		t.Errorf("draft without a required value: %v", err)
	}
	_, err := ValidateValues(fields, map[int64]string{2: "无"}, true)
	if FieldErrors(err)["f1"] == "" {
		t.Errorf("submit without a required value: err = %v, want a problem for f1", err)
	}
}

func TestPeriods(t *testing.T) {
	at := time.Date(2024, 12, 20, 10, 0, 0, 0, Shanghai)
	m := PeriodMonthly.PeriodAt(at, 5)
	if m.Key != "2024-12" || m.Label() != "2024年12月" {
		t.Errorf("monthly period = %s %s", m.Key, m.Label())
	}
	if want := time.Date(2025, 1, 6, 0, 0, 0, 0, Shanghai); !m.Due.Equal(want) {
		t.Errorf("monthly due = %s, want %s", m.Due.In(Shanghai), want)
	}
	q := PeriodQuarterly.PeriodAt(at, 10)
	if q.Key != "2024-Q4" || q.Label() != "2024年第4季度" || !q.Due.Equal(time.Date(2025, 1, 11, 0, 0, 0, 0, Shanghai)) {
		t.Errorf("quarterly period = %s %s due %s", q.Key, q.Label(), q.Due.In(Shanghai))
	}
	list := PeriodMonthly.PeriodsUntil(time.Date(2024, 10, 1, 0, 0, 0, 0, Shanghai), at, 5)
	if len(list) != 3 || list[0].Key != "2024-10" || list[2].Key != "2024-12" {
		t.Errorf("periods until December = %v", list)
	}
}

func TestSubmissionLate(t *testing.T) {
	due := time.Date(2024, 4, 6, 0, 0, 0, 0, Shanghai)
	cases := []struct {
		first, now time.Time
		late       bool
	}{
		{time.Time{}, due.Add(-time.Hour), false},
		{time.Time{}, due.Add(time.Hour), true},
		{due.Add(-time.Minute), due.Add(48 * time.Hour), false},
		{due.Add(time.Minute), due.Add(48 * time.Hour), true},
	}
	for _, c := range cases {
		s := ReportSubmission{DueAt: due, FirstSubmittedAt: c.first}
		if got := s.Late(c.now); got != c.late {
			t.Errorf("first %v at %v: late = %v, want %v", c.first, c.now, got, c.late)
		}
	}
}

func TestAggregateReports(t *testing.T) {
	tpl := ReportTemplate{Fields: []ReportField{
		{ID: 1, Label: "件数", Kind: FieldInteger},
		{ID: 2, Label: "比率", Kind: FieldDecimal},
		{ID: 3, Label: "形势", Kind: FieldChoice, Choices: []string{"平稳", "不稳定"}},
	}}
	orgs := []Org{{ID: 10, Name: "越丰村", Kind: OrgVillage}, {ID: 11, Name: "高桥村", Kind: OrgVillage}, {ID: 20, Name: "高桥中学", Kind: OrgSchool}}
	subs := []ReportSubmission{
		{OrgID: 10, Status: SubmissionAccepted, Values: map[int64]string{1: "3", 2: "0.1", 3: "平稳"}},
		{OrgID: 10, Status: SubmissionSubmitted, Values: map[int64]string{1: "4", 2: "0.2", 3: "平稳"}},
		{OrgID: 11, Status: SubmissionReturned, Values: map[int64]string{1: "100"}},
		{OrgID: 20, Status: SubmissionSubmitted, Values: map[int64]string{1: "1", 2: "12.5", 3: "不稳定"}},
	}
	a := AggregateReports(tpl, subs, orgs)
	if len(a.Groups) != 2 || a.Groups[0].Kind != OrgVillage || len(a.Groups[0].Rows) != 2 {
		t.Fatalf("groups = %+v", a.Groups)
	}
	checks := []struct {
		name string
		row  AggregateRow
		f    ReportField
		want string
	}{
		{"越丰村 件数", a.Groups[0].Rows[0], tpl.Fields[0], "7"},
		{"越丰村 比率", a.Groups[0].Rows[0], tpl.Fields[1], "0.3"},
		{"高桥村 returned", a.Groups[0].Rows[1], tpl.Fields[0], "0"},
		{"village subtotal", a.Groups[0].Subtotal, tpl.Fields[0], "7"},
		{"total 件数", a.Total, tpl.Fields[0], "8"},
		{"total 比率", a.Total, tpl.Fields[1], "12.8"},
	}
	for _, c := range checks {
		if got := c.row.Sum(c.f); got != c.want {
			t.Errorf("%s = %s, want %s", c.name, got, c.want)
		}
	}
	if a.Total.Reports != 3 {
		t.Errorf("total reports = %d, want 3", a.Total.Reports)
	}
	if got := a.Choices[3]; len(got) != 2 || got[0].Count != 2 || got[1].Count != 1 {
		t.Errorf("choice counts = %+v", got)
	}
}

func TestFindMentions(t *testing.T) {
	names := map[string]int64{"王秀": 1, "王秀英": 2, "张卫东": 3}
	got := FindMentions("请@王秀英 和 ＠张卫东 看一下，@王秀英 再确认；@李四", names)
	if len(got) != 2 || got[0] != 2 || got[1] != 3 {
		t.Errorf("FindMentions = %v, want [2 3]", got)
	}
	if got := FindMentions("没有提及", names); got != nil {
		t.Errorf("FindMentions without @ = %v", got)
	}
}

func TestNoticeRecipientLate(t *testing.T) {
	deadline := time.Date(2024, 5, 1, 17, 0, 0, 0, Shanghai)
	n := Notice{Deadline: deadline, FeedbackRequired: true}
	after := deadline.Add(time.Hour)
	cases := []struct {
		name string
		r    NoticeRecipient
		late bool
	}{
		{"feedback in time", NoticeRecipient{FirstReadAt: deadline.Add(-time.Hour), FeedbackAt: deadline.Add(-time.Minute)}, false},
		{"feedback late", NoticeRecipient{FeedbackAt: after}, true},
		{"read but no feedback", NoticeRecipient{FirstReadAt: deadline.Add(-time.Hour)}, true},
	}
	for _, c := range cases {
		if got := c.r.Late(n, after.Add(time.Hour)); got != c.late {
			t.Errorf("%s: late = %v, want %v", c.name, got, c.late)
		}
	}
	if !(NoticeRecipient{FirstReadAt: deadline}).Pending(n) {
		t.Error("a recipient that read but owes feedback is not pending")
	}
}

func TestValidateValuesPartNotAboveTotal(t *testing.T) {
	fields := []ReportField{
		{ID: 1, Label: "排查矛盾纠纷（件）", Kind: FieldInteger},
		{ID: 2, Label: "调处成功（件）", Kind: FieldInteger},
		{ID: 3, Label: "其中在村（社区）化解（件）", Kind: FieldInteger},
		{ID: 4, Label: "其中调解协议（件）", Kind: FieldInteger},
		{ID: 5, Label: "工作小结", Kind: FieldText},
		{ID: 6, Label: "其中说明", Kind: FieldText},
	}
	if got, want := PartTotals(fields), map[int64]int64{3: 2, 4: 2}; len(got) != len(want) || got[3] != 2 || got[4] != 2 {
		t.Errorf("PartTotals = %v, want %v", got, want)
	}
	cases := []struct {
		name     string
		values   map[int64]string
		complete bool
		problems []string
	}{
		{"parts within total", map[int64]string{2: "3", 3: "3", 4: "1"}, true, nil},
		{"part above total on submit", map[int64]string{1: "20", 2: "3", 3: "9", 4: "2"}, true, []string{"f3"}},
		{"both parts above total", map[int64]string{2: "3", 3: "9", 4: "4"}, true, []string{"f3", "f4"}},
		{"part above total in a draft", map[int64]string{2: "3", 3: "9"}, false, nil},
		{"total left empty", map[int64]string{3: "9"}, true, nil},
	}
	for _, c := range cases {
		_, err := ValidateValues(fields, c.values, c.complete)
		got := FieldErrors(err)
		if len(got) != len(c.problems) {
			t.Errorf("%s: problems %v, want %v", c.name, got, c.problems)
			continue
		}
		for _, k := range c.problems {
			if got[k] == "" {
				t.Errorf("%s: no problem for %s", c.name, k)
			}
		}
	}
	_, err := ValidateValues(fields, map[int64]string{2: "3", 3: "9"}, true)
	if msg := FieldErrors(err)["f3"]; msg != "“其中在村（社区）化解（件）”（9）不能大于“调处成功（件）”（3）。" {
		t.Errorf("part problem message = %q", msg)
	}
}
