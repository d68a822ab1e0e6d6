// Package board holds the rules of the message board 平安建设大家说: post kinds and their
// validation, the sensitive-word matcher that holds a post for moderation, and the captcha
// question a screen-reader user can answer. It imports neither net/http nor database/sql.
package board

import (
	"regexp"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
)

// Kind is the kind of a post.
type Kind string

const (
	Suggestion   Kind = "suggestion"   // 建议
	Consultation Kind = "consultation" // 咨询
	Complaint    Kind = "complaint"    // 投诉
	HelpRequest  Kind = "help"         // 求助
	TipOff       Kind = "tipoff"       // 举报
)

// Kinds lists the kinds in the order the form offers them.
var Kinds = []Kind{Suggestion, Consultation, Complaint, HelpRequest, TipOff}

// Label returns the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case Suggestion:
		return "建议"
	case Consultation:
		return "咨询"
	case Complaint:
		return "投诉"
	case HelpRequest:
		return "求助"
	case TipOff:
		return "举报"
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k Kind) Valid() bool {
	for _, x := range Kinds {
		if x == k {
			return true
		}
	}
	return false
}

// Status is where a post stands in moderation.
type Status string

const (
	Pending   Status = "pending"   // 待审核
	Published Status = "published" // 已公开
	Private   Status = "private"   // 已受理，不公开
	Rejected  Status = "rejected"  // 未通过审核
)

// Label returns the Chinese name of the status.
func (s Status) Label() string {
	switch s {
	case Pending:
		return "待审核"
	case Published:
		return "已公开"
	case Private:
		return "已受理（不公开）"
	case Rejected:
		return "未通过审核"
	}
	return string(s)
}

// Length limits of a post, in characters.
const (
	MinTitle   = 4
	MaxTitle   = 50
	MinBody    = 10
	MaxBody    = 2000
	MaxName    = 20
	MaxAddress = 100
	MaxReply   = 2000
	MaxReason  = 200
)

// Post is what a visitor submits.
type Post struct {
	Kind     Kind
	Title    string
	Body     string
	Name     string
	Phone    string
	Address  string
	IDNumber string
	Public   bool
	Consent  bool
}

var markup = regexp.MustCompile(`(?i)<\s*/?\s*[a-z!?]|javascript\s*:|on[a-z]+\s*=\s*["']`)

// HasMarkup reports whether s contains HTML tags or script, which the board refuses instead of
// silently escaping, so that what the citizen sees is what is stored.
func HasMarkup(s string) bool { return markup.MatchString(s) }

const markupMessage = "不能包含网页代码或脚本（如 <script>），请只填写文字。"

// CheckText adds a problem for field when value is required and empty, longer than max
// characters, or contains markup.
func CheckText(p domain.Problems, field, label, value string, required bool, max int) {
	p.CheckLength(field, label, value, required, max)
	if HasMarkup(value) {
		p.Add(field, label+markupMessage)
	}
}

// Validate normalizes the post's fields and checks them; now is used for the ID number's date.
func (x *Post) Validate(now time.Time) error {
	x.Title = domain.CleanLine(x.Title)
	x.Body = domain.CleanText(x.Body)
	x.Name = domain.CleanLine(x.Name)
	x.Phone = NormalizeMobile(x.Phone)
	x.Address = domain.CleanLine(x.Address)
	x.IDNumber = domain.NormalizeIDNumber(x.IDNumber)
	p := domain.Problems{}
	if !x.Kind.Valid() {
		p.Add("kind", "请选择留言类型。")
	}
	CheckText(p, "title", "标题", x.Title, true, MaxTitle)
	if n := domain.CharCount(x.Title); n > 0 && n < MinTitle {
		p.Add("title", "标题至少 "+strconv.Itoa(MinTitle)+" 个字。")
	}
	CheckText(p, "body", "留言内容", x.Body, true, MaxBody)
	if n := domain.CharCount(x.Body); n > 0 && n < MinBody {
		p.Add("body", "留言内容至少 "+strconv.Itoa(MinBody)+" 个字，请把事情说清楚。")
	}
	CheckText(p, "name", "姓名", x.Name, true, MaxName)
	if x.Phone == "" {
		p.Add("phone", "请填写手机号码，以便工作人员联系您。")
	} else if !domain.ValidMobile(x.Phone) {
		p.Add("phone", "手机号码应为 11 位数字，以 1 开头。")
	}
	CheckText(p, "address", "地址", x.Address, false, MaxAddress)
	if x.IDNumber != "" && !domain.ValidIDNumber(x.IDNumber, now) {
		p.Add("id_number", "身份证号码有误：请核对 18 位号码的出生日期和最后一位校验码。")
	}
	if !x.Consent {
		p.Add("consent", "请阅读并同意个人信息处理说明后再提交。")
	}
	return p.Err()
}

// NormalizeMobile drops spaces, dashes and a +86 or 86 prefix from a typed mobile number and
// turns full-width digits into ASCII.
func NormalizeMobile(s string) string {
	s = strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == ' ' || r == '-' || r == '　' || r == '(' || r == ')':
			return -1
		}
		return r
	}, strings.TrimSpace(s))
	s = strings.TrimPrefix(s, "+86")
	if len(s) == 13 && strings.HasPrefix(s, "86") {
		s = s[2:]
	}
	return s
}
