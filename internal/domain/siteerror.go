package domain

import (
	"net/mail"
	"strconv"
	"strings"
	"time"
)

// SiteErrorStatus is the handling state of a report of an error on the site (网站纠错).
type SiteErrorStatus string

const (
	SiteErrorNew     SiteErrorStatus = "new"     // 待处理
	SiteErrorHandled SiteErrorStatus = "handled" // 已处理
)

// Label returns the Chinese name of the status.
func (s SiteErrorStatus) Label() string {
	if s == SiteErrorHandled {
		return "已处理"
	}
	return "待处理"
}

// Limits of a site error report, in characters.
const (
	MaxSiteErrorPage        = 300
	MinSiteErrorDescription = 5
	MaxSiteErrorDescription = 1000
	MaxSiteErrorContact     = 60
	MaxSiteErrorNote        = 300
)

// SiteErrorReport is a visitor's report of an error on the public site: a typo, a broken link,
// outdated information or a page that does not work. Contact is personal information, stored
// encrypted and shown masked in lists.
type SiteErrorReport struct {
	ID          int64
	TownID      int64
	PageURL     string // the address of the page, as the visitor gave it
	Description string
	Contact     string // a mobile number or an e-mail address; optional
	Status      SiteErrorStatus
	CreatedAt   time.Time
	HandledAt   time.Time
	HandledBy   string // display name of the staff member who marked it handled
	HandleNote  string
}

// Validate cleans the visitor's fields and checks them, with a Chinese message per field. A
// mobile number is stored without spaces or a +86 prefix.
func (r *SiteErrorReport) Validate() error {
	r.PageURL = CleanLine(r.PageURL)
	r.Description = CleanText(r.Description)
	r.Contact = CleanLine(r.Contact)
	p := Problems{}
	switch n := CharCount(r.PageURL); {
	case n == 0:
		p.Add("page", "请填写出错页面的地址。")
	case n > MaxSiteErrorPage:
		p.Add("page", "页面地址不能超过 "+strconv.Itoa(MaxSiteErrorPage)+" 个字符。")
	case !strings.HasPrefix(r.PageURL, "/") && !strings.HasPrefix(r.PageURL, "http://") && !strings.HasPrefix(r.PageURL, "https://"):
		p.Add("page", "页面地址应以 / 或 http:// 、https:// 开头，可从浏览器地址栏复制。")
	}
	switch n := CharCount(r.Description); {
	case n < MinSiteErrorDescription:
		p.Add("description", "请写明具体问题，至少 "+strconv.Itoa(MinSiteErrorDescription)+" 个字。")
	case n > MaxSiteErrorDescription:
		p.Add("description", "问题描述不能超过 "+strconv.Itoa(MaxSiteErrorDescription)+" 个字符，现有 "+strconv.Itoa(n)+" 个。")
	}
	if r.Contact != "" {
		contact, ok := normalizeContact(r.Contact)
		switch {
		case CharCount(r.Contact) > MaxSiteErrorContact:
			p.Add("contact", "联系方式不能超过 "+strconv.Itoa(MaxSiteErrorContact)+" 个字符。")
		case !ok:
			p.Add("contact", "联系方式请填写 11 位手机号码或电子邮箱地址，不需要回复可以不填。")
		default:
			r.Contact = contact
		}
	}
	return p.Err()
}

// normalizeContact returns a mobile number without separators or prefix, or a plain e-mail
// address, and whether s is either.
func normalizeContact(s string) (string, bool) {
	if strings.Contains(s, "@") {
		a, err := mail.ParseAddress(s)
		if err != nil || a.Name != "" || !strings.Contains(a.Address[strings.LastIndex(a.Address, "@"):], ".") {
			return "", false
		}
		return a.Address, true
	}
	digits := strings.Map(func(r rune) rune {
		switch {
		case r >= '０' && r <= '９':
			return '0' + (r - '０')
		case r == ' ' || r == '-' || r == '　':
			return -1
		}
		return r
	}, s)
	digits = strings.TrimPrefix(digits, "+86")
	return digits, ValidMobile(digits)
}

// LocalPage reports whether PageURL is a path on this site, which staff pages may link to.
func (r SiteErrorReport) LocalPage() bool {
	return strings.HasPrefix(r.PageURL, "/") && !strings.HasPrefix(r.PageURL, "//") && !strings.HasPrefix(r.PageURL, `/\`)
}
