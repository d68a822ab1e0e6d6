package domain

import (
	"fmt"
	"math/big"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

// FieldKind is the type of a report field.
type FieldKind string

const (
	FieldInteger FieldKind = "integer" // 整数
	FieldDecimal FieldKind = "decimal" // 小数
	FieldText    FieldKind = "text"    // 文字
	FieldChoice  FieldKind = "choice"  // 单选
	FieldDate    FieldKind = "date"    // 日期
)

// FieldKinds lists the kinds in the order the designer offers them.
var FieldKinds = []FieldKind{FieldInteger, FieldDecimal, FieldText, FieldChoice, FieldDate}

var fieldKindLabels = map[FieldKind]string{FieldInteger: "整数", FieldDecimal: "小数", FieldText: "文字",
	FieldChoice: "单选", FieldDate: "日期"}

// Label returns the Chinese name of the kind.
func (k FieldKind) Label() string {
	if l, ok := fieldKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k FieldKind) Valid() bool { _, ok := fieldKindLabels[k]; return ok }

// Numeric reports whether values of the kind are summed when reports are aggregated.
func (k FieldKind) Numeric() bool { return k == FieldInteger || k == FieldDecimal }

// Report limits, in characters unless named otherwise.
const (
	MaxTemplateName   = 60
	MaxTemplateDesc   = 500
	MaxTemplateFields = 200
	MaxFieldLabel     = 60
	MaxFieldSection   = 30
	MaxFieldHelp      = 200
	MaxChoices        = 30
	MaxChoiceLength   = 30
	MaxTextValue      = 500
	MaxReturnReason   = 500
	// DecimalPlaces is the number of decimal places a decimal field keeps.
	DecimalPlaces = 4
	// maxIntegerDigits bounds integer values, and the integer part of decimals, so that a sum
	// over every report of a year stays exact.
	maxIntegerDigits = 12
)

// ReportTemplate is a report form that the center designs: named fields in sections.
type ReportTemplate struct {
	ID          int64
	TownID      int64
	Name        string
	Description string
	Fields      []ReportField
	// Assignments counts the assignments that use the template; a used template's fields are
	// fixed, because submitted values refer to them.
	Assignments int
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// Locked reports whether the template's fields may no longer change.
func (t ReportTemplate) Locked() bool { return t.Assignments > 0 }

// NumericFields returns the fields that aggregation sums, in order.
func (t ReportTemplate) NumericFields() []ReportField {
	var out []ReportField
	for _, f := range t.Fields {
		if f.Kind.Numeric() {
			out = append(out, f)
		}
	}
	return out
}

// ValidateTemplate checks a template's name and description.
func ValidateTemplate(t *ReportTemplate) error {
	t.Name = CleanLine(t.Name)
	t.Description = CleanText(t.Description)
	p := Problems{}
	p.CheckLength("name", "模板名称", t.Name, true, MaxTemplateName)
	p.CheckLength("description", "填报说明", t.Description, false, MaxTemplateDesc)
	return p.Err()
}

// ReportField is one field of a report template.
type ReportField struct {
	ID         int64
	TemplateID int64
	Position   int
	Section    string // fields with the same section in a row show under one heading
	Label      string
	Kind       FieldKind
	Required   bool
	Help       string
	Choices    []string // options of a single-choice field
}

// LengthHint returns the limit a form shows beside a text field, taken from MaxTextValue so
// that the hint, the input's maxlength and the validation agree; other kinds have none.
func (f ReportField) LengthHint() string {
	if f.Kind != FieldText {
		return ""
	}
	return strconv.Itoa(MaxTextValue) + " 字以内"
}

// ValidateField checks a field of the template designer.
func ValidateField(f *ReportField) error {
	f.Label = CleanLine(f.Label)
	f.Section = CleanLine(f.Section)
	f.Help = CleanLine(f.Help)
	var choices []string
	for _, c := range f.Choices {
		if c = CleanLine(c); c != "" && !slices.Contains(choices, c) {
			choices = append(choices, c)
		}
	}
	f.Choices = choices
	p := Problems{}
	p.CheckLength("label", "字段名称", f.Label, true, MaxFieldLabel)
	p.CheckLength("section", "分组", f.Section, false, MaxFieldSection)
	p.CheckLength("help", "填写说明", f.Help, false, MaxFieldHelp)
	if !f.Kind.Valid() {
		p.Add("kind", "请选择字段类型。")
	}
	if f.Kind == FieldChoice {
		switch {
		case len(choices) < 2:
			p.Add("choices", "单选字段至少需要两个选项，每行一个。")
		case len(choices) > MaxChoices:
			p.Add("choices", "选项不能超过 30 个。")
		}
		for _, c := range choices {
			if CharCount(c) > MaxChoiceLength {
				p.Add("choices", "每个选项不能超过 30 个字符。")
			}
		}
	} else {
		f.Choices = nil
	}
	return p.Err()
}

// fullWidthDigits turns the full-width digits and signs of Chinese input methods into ASCII.
var fullWidthDigits = strings.NewReplacer("０", "0", "１", "1", "２", "2", "３", "3", "４", "4", "５", "5",
	"６", "6", "７", "7", "８", "8", "９", "9", "．", ".", "－", "-")

var (
	integerPattern = regexp.MustCompile(`^-?[0-9]+$`)
	decimalPattern = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?$`)
)

// NormalizeValue checks a value typed into the field and returns its stored form: integers and
// decimals without spaces, thousands separators or needless zeros, dates as 2006-01-02. An
// empty value is returned as "" without a problem; required fields are checked on submit.
// The problem is a Chinese message naming the field.
func (f ReportField) NormalizeValue(raw string) (string, string) {
	v := CleanLine(raw)
	if f.Kind.Numeric() {
		v = fullWidthDigits.Replace(v)
	}
	if v == "" {
		return "", ""
	}
	switch f.Kind {
	case FieldInteger:
		v = strings.NewReplacer(",", "", "，", "", " ", "").Replace(v)
		if !integerPattern.MatchString(v) {
			return "", "“" + f.Label + "”应填写整数。"
		}
		n := strings.TrimLeft(strings.TrimPrefix(v, "-"), "0")
		if len(n) > maxIntegerDigits {
			return "", "“" + f.Label + "”的数值过大。"
		}
		i, _ := strconv.ParseInt(v, 10, 64)
		if i < 0 {
			return "", "“" + f.Label + "”不能为负数，请填写 0 或正整数。"
		}
		return strconv.FormatInt(i, 10), ""
	case FieldDecimal:
		v = strings.NewReplacer(",", "", "，", "", " ", "").Replace(v)
		if !decimalPattern.MatchString(v) {
			return "", "“" + f.Label + "”应填写数字，例如 12.5。"
		}
		whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
		if len(strings.TrimLeft(whole, "0")) > maxIntegerDigits {
			return "", "“" + f.Label + "”的数值过大。"
		}
		if len(strings.TrimRight(frac, "0")) > DecimalPlaces {
			return "", "“" + f.Label + "”最多保留 " + strconv.Itoa(DecimalPlaces) + " 位小数。"
		}
		scaled, _ := ParseDecimal(v)
		return FormatDecimal(scaled), ""
	case FieldText:
		v = CleanText(raw)
		if CharCount(v) > MaxTextValue {
			return "", "“" + f.Label + "”不能超过 " + strconv.Itoa(MaxTextValue) + " 个字符。"
		}
		return v, ""
	case FieldChoice:
		if !slices.Contains(f.Choices, v) {
			return "", "“" + f.Label + "”请从选项中选择。"
		}
		return v, ""
	case FieldDate:
		for _, layout := range []string{"2006-01-02", "2006/1/2", "2006-1-2", "2006年1月2日"} {
			if t, err := time.ParseInLocation(layout, v, Shanghai); err == nil {
				return t.Format("2006-01-02"), ""
			}
		}
		return "", "“" + f.Label + "”应填写日期，例如 2024-03-05。"
	}
	return "", "“" + f.Label + "”的类型未知。"
}

// ValidateValues normalizes the values of a report, keyed by field id, and returns the stored
// values without empty ones. With complete set, as on submit, required fields must be filled.
// Problems are keyed "f<field id>".
func ValidateValues(fields []ReportField, raw map[int64]string, complete bool) (map[int64]string, error) {
	out := map[int64]string{}
	p := Problems{}
	for _, f := range fields {
		v, problem := f.NormalizeValue(raw[f.ID])
		key := "f" + strconv.FormatInt(f.ID, 10)
		switch {
		case problem != "":
			p.Add(key, problem)
		case v == "" && f.Required && complete:
			p.Add(key, "请填写“"+f.Label+"”。")
		case v != "":
			out[f.ID] = v
		}
	}
	if complete && len(p) == 0 {
		for k, msg := range PartProblems(fields, out) {
			p.Add(k, msg)
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// PartPrefix starts the label of an integer field that counts part of another: "其中在村化解（件）"
// is part of the nearest integer field before it whose label does not start with the prefix.
const PartPrefix = "其中"

// PartTotals maps each part field's id to the id of its total field, by the rule of PartPrefix.
// A part field with no integer field before it has no total.
func PartTotals(fields []ReportField) map[int64]int64 {
	out := map[int64]int64{}
	var total int64
	for _, f := range fields {
		if f.Kind != FieldInteger {
			continue
		}
		if !strings.HasPrefix(f.Label, PartPrefix) {
			total = f.ID
			continue
		}
		if total != 0 {
			out[f.ID] = total
		}
	}
	return out
}

// PartProblems returns, keyed "f<field id>", the part fields whose normalized value is larger
// than their total's. Empty values are not compared.
func PartProblems(fields []ReportField, values map[int64]string) Problems {
	byID := map[int64]ReportField{}
	for _, f := range fields {
		byID[f.ID] = f
	}
	totals := PartTotals(fields)
	p := Problems{}
	for _, f := range fields {
		totalID, ok := totals[f.ID]
		if !ok {
			continue
		}
		part, err1 := strconv.ParseInt(values[f.ID], 10, 64)
		total, err2 := strconv.ParseInt(values[totalID], 10, 64)
		if err1 != nil || err2 != nil || part <= total {
			continue
		}
		p.Add("f"+strconv.FormatInt(f.ID, 10), fmt.Sprintf("“%s”（%d）不能大于“%s”（%d）。", f.Label, part, byID[totalID].Label, total))
	}
	return p
}

var decimalScale = big.NewInt(10000) // 10^DecimalPlaces

// ParseDecimal reads a normalized decimal as a whole number of ten-thousandths.
func ParseDecimal(v string) (*big.Int, bool) {
	neg := strings.HasPrefix(v, "-")
	whole, frac, _ := strings.Cut(strings.TrimPrefix(v, "-"), ".")
	frac = (frac + strings.Repeat("0", DecimalPlaces))[:DecimalPlaces]
	n, ok := new(big.Int).SetString(whole+frac, 10)
	if !ok {
		return nil, false
	}
	if neg {
		n.Neg(n)
	}
	return n, true
}

// FormatDecimal shows a number of ten-thousandths as a decimal without needless zeros: 125000
// is "12.5" and 120000 is "12".
func FormatDecimal(scaled *big.Int) string {
	q, r := new(big.Int).QuoRem(new(big.Int).Abs(scaled), decimalScale, new(big.Int))
	s := q.String()
	if r.Sign() != 0 {
		frac := strings.TrimRight(strconv.FormatInt(r.Int64()+10000, 10)[1:], "0")
		s += "." + frac
	}
	if scaled.Sign() < 0 {
		s = "-" + s
	}
	return s
}

// PeriodKind is how often an assignment asks for a report.
type PeriodKind string

const (
	PeriodMonthly   PeriodKind = "monthly"   // 每月
	PeriodQuarterly PeriodKind = "quarterly" // 每季度
	PeriodOnce      PeriodKind = "once"      // 一次性
)

// PeriodKinds lists the kinds in the order forms offer them.
var PeriodKinds = []PeriodKind{PeriodMonthly, PeriodQuarterly, PeriodOnce}

var periodKindLabels = map[PeriodKind]string{PeriodMonthly: "每月", PeriodQuarterly: "每季度", PeriodOnce: "一次性"}

// Label returns the Chinese name of the kind.
func (k PeriodKind) Label() string {
	if l, ok := periodKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k PeriodKind) Valid() bool { _, ok := periodKindLabels[k]; return ok }

// Period is one reporting period: [Start, End) in Beijing time, stored as UTC, with the time
// by which the report is due.
type Period struct {
	Key   string // "2024-03", "2024-Q1" or "once"
	Start time.Time
	End   time.Time
	Due   time.Time
}

// Label returns the Chinese name of the period, such as 2024年3月 or 2024年第1季度.
func (p Period) Label() string { return PeriodLabel(p.Key) }

// PeriodLabel returns the Chinese name of a period key.
func PeriodLabel(key string) string {
	if key == "once" {
		return "一次性"
	}
	year, rest, ok := strings.Cut(key, "-")
	if !ok {
		return key
	}
	if q, ok := strings.CutPrefix(rest, "Q"); ok {
		return year + "年第" + q + "季度"
	}
	m, err := strconv.Atoi(rest)
	if err != nil {
		return key
	}
	return year + "年" + strconv.Itoa(m) + "月"
}

// dueAfter returns the end of day dueDay of the month that starts at end: the first instant
// after it, Beijing time. A report of March with due day 5 is due before April 6, 00:00.
func dueAfter(end time.Time, dueDay int) time.Time {
	e := end.In(Shanghai)
	return time.Date(e.Year(), e.Month(), dueDay+1, 0, 0, 0, 0, Shanghai).UTC()
}

// PeriodAt returns the period of kind that contains t, due on dueDay of the month after it.
// It is not defined for one-off assignments, whose single period is OncePeriod.
func (k PeriodKind) PeriodAt(t time.Time, dueDay int) Period {
	b := t.In(Shanghai)
	switch k {
	case PeriodQuarterly:
		q := (int(b.Month()) - 1) / 3
		start := time.Date(b.Year(), time.Month(q*3+1), 1, 0, 0, 0, 0, Shanghai)
		end := start.AddDate(0, 3, 0)
		return Period{Key: strconv.Itoa(b.Year()) + "-Q" + strconv.Itoa(q+1), Start: start.UTC(), End: end.UTC(), Due: dueAfter(end, dueDay)}
	default:
		start := time.Date(b.Year(), b.Month(), 1, 0, 0, 0, 0, Shanghai)
		end := start.AddDate(0, 1, 0)
		return Period{Key: start.Format("2006-01"), Start: start.UTC(), End: end.UTC(), Due: dueAfter(end, dueDay)}
	}
}

// OncePeriod is the single period of a one-off assignment, from its start to its due time.
func OncePeriod(start, due time.Time) Period {
	return Period{Key: "once", Start: start.UTC(), End: due.UTC(), Due: due.UTC()}
}

// PeriodsUntil returns the periods of kind from the one containing first through the one
// containing now, oldest first.
func (k PeriodKind) PeriodsUntil(first, now time.Time, dueDay int) []Period {
	var out []Period
	for p := k.PeriodAt(first, dueDay); !p.Start.After(now) && len(out) < 1000; p = k.PeriodAt(p.End, dueDay) {
		out = append(out, p)
	}
	return out
}

// ReportAssignment gives a template to organizations for monthly, quarterly or one-off periods.
type ReportAssignment struct {
	ID           int64
	TownID       int64
	TemplateID   int64
	TemplateName string
	Title        string
	PeriodKind   PeriodKind
	DueDay       int       // monthly and quarterly: day of the following month the report is due
	StartsAt     time.Time // first day of the first period; for a one-off, when it opens
	DueAt        time.Time // one-off only
	StoppedAt    time.Time
	CreatedBy    int64
	CreatedAt    time.Time
	Orgs         int
}

// ValidateAssignment checks an assignment before it is created for orgs organizations.
func ValidateAssignment(a *ReportAssignment, orgs int, now time.Time) error {
	a.Title = CleanLine(a.Title)
	p := Problems{}
	p.CheckLength("title", "任务名称", a.Title, true, MaxTemplateName+20)
	if !a.PeriodKind.Valid() {
		p.Add("period_kind", "请选择填报周期。")
	}
	if a.PeriodKind == PeriodOnce {
		if a.DueAt.IsZero() || !a.DueAt.After(now) {
			p.Add("due_at", "一次性填报须设截止日期，且晚于现在。")
		}
	} else if a.DueDay < 1 || a.DueDay > 28 {
		p.Add("due_day", "截止日应在 1 到 28 日之间。")
	}
	if a.StartsAt.IsZero() {
		p.Add("starts_at", "请选择开始的月份。")
	}
	switch {
	case orgs == 0:
		p.Add("recipients", "请至少选择一个填报单位。")
	case orgs > MaxNoticeOrgs:
		p.Add("recipients", "填报单位过多，一次最多 500 个。")
	}
	return p.Err()
}

// SubmissionStatus is where one organization's report of one period stands.
type SubmissionStatus string

const (
	SubmissionPending   SubmissionStatus = "pending"   // 待填报
	SubmissionDraft     SubmissionStatus = "draft"     // 草稿
	SubmissionSubmitted SubmissionStatus = "submitted" // 已提交，待审核
	SubmissionAccepted  SubmissionStatus = "accepted"  // 已通过
	SubmissionReturned  SubmissionStatus = "returned"  // 已退回
)

var submissionStatusLabels = map[SubmissionStatus]string{SubmissionPending: "待填报", SubmissionDraft: "草稿",
	SubmissionSubmitted: "已提交", SubmissionAccepted: "已通过", SubmissionReturned: "已退回"}

// Label returns the Chinese name of the status.
func (s SubmissionStatus) Label() string {
	if l, ok := submissionStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// Editable reports whether the organization may still change and submit the report.
func (s SubmissionStatus) Editable() bool {
	return s == SubmissionPending || s == SubmissionDraft || s == SubmissionReturned
}

// Received reports whether the report counts as received: submitted or accepted. Aggregates
// sum received reports only.
func (s SubmissionStatus) Received() bool { return s == SubmissionSubmitted || s == SubmissionAccepted }

// ReportSubmission is one organization's report for one period of an assignment.
type ReportSubmission struct {
	ID               int64
	TownID           int64
	AssignmentID     int64
	AssignmentTitle  string
	TemplateID       int64
	OrgID            int64
	OrgName          string
	OrgKind          OrgKind
	PeriodKey        string
	PeriodStart      time.Time
	PeriodEnd        time.Time
	DueAt            time.Time
	Status           SubmissionStatus
	FirstSubmittedAt time.Time
	SubmittedAt      time.Time
	SubmittedBy      string
	ReviewedAt       time.Time
	ReviewedBy       string
	ReturnReason     string
	UpdatedAt        time.Time
	Values           map[int64]string
}

// PeriodLabel returns the Chinese name of the submission's period.
func (s ReportSubmission) PeriodLabel() string { return PeriodLabel(s.PeriodKey) }

// Late reports whether the report missed its due time at now: first submitted after it, or
// not submitted while it has passed. A report returned and resubmitted keeps its first time.
func (s ReportSubmission) Late(now time.Time) bool {
	if s.FirstSubmittedAt.IsZero() {
		return now.After(s.DueAt) || now.Equal(s.DueAt)
	}
	return !s.FirstSubmittedAt.Before(s.DueAt)
}

// ValidateReturnReason checks the reason the center gives when it returns a report.
func ValidateReturnReason(reason string) (string, error) {
	reason = CleanText(reason)
	p := Problems{}
	p.CheckLength("reason", "退回原因", reason, true, MaxReturnReason)
	return reason, p.Err()
}

// ReportEvent is one step in the history of a report: saved, submitted, returned, accepted.
type ReportEvent struct {
	At     time.Time
	Actor  string
	Action string
	Note   string
}

var reportEventLabels = map[string]string{"saved": "保存草稿", "submitted": "提交", "returned": "退回",
	"accepted": "审核通过", "imported": "导入离线表格"}

// ActionLabel returns the Chinese name of the step.
func (e ReportEvent) ActionLabel() string {
	if l, ok := reportEventLabels[e.Action]; ok {
		return l
	}
	return e.Action
}
