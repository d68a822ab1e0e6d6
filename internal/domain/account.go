package domain

import (
	"regexp"
	"strconv"
	"time"
	"unicode"
)

// Account is a staff account. Phone and IDNumber are plain here and encrypted by the store.
type Account struct {
	ID                 int64
	TownID             int64
	OrgID              int64
	OrgName            string
	Username           string
	DisplayName        string
	Phone              string
	Roles              []Role
	Disabled           bool
	MustChangePassword bool
	PasswordChangedAt  time.Time
	FailedAttempts     int
	LockedUntil        time.Time
	LastSignInAt       time.Time
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// ActorName returns the name recorded for the account's actions: display name and username,
// as in 朱海英（coordinator）.
func (a Account) ActorName() string { return a.DisplayName + "（" + a.Username + "）" }

// Can reports whether the account's roles grant p.
func (a *Account) Can(p Permission) bool { return HasPermission(a.Roles, p) }

// HasRole reports whether the account holds r.
func (a *Account) HasRole(r Role) bool {
	for _, x := range a.Roles {
		if x == r {
			return true
		}
	}
	return false
}

// LockedAt reports whether the account is locked at now.
func (a Account) LockedAt(now time.Time) bool { return a.LockedUntil.After(now) }

var usernamePattern = regexp.MustCompile(`^[a-z][a-z0-9_.-]{2,31}$`)

var mobilePattern = regexp.MustCompile(`^1[3-9][0-9]{9}$`)

// ValidMobile reports whether s is an 11-digit mainland mobile number.
func ValidMobile(s string) bool { return mobilePattern.MatchString(s) }

// ValidateAccount checks the fields of the account form.
func ValidateAccount(a *Account) error {
	a.Username = CleanLine(a.Username)
	a.DisplayName = CleanLine(a.DisplayName)
	a.Phone = CleanLine(a.Phone)
	p := Problems{}
	if !usernamePattern.MatchString(a.Username) {
		p.Add("username", "用户名须为 3 到 32 位小写英文字母、数字、下划线、点或连字符，并以字母开头。")
	}
	p.CheckLength("display_name", "姓名", a.DisplayName, true, 30)
	if a.Phone != "" && !ValidMobile(a.Phone) {
		p.Add("phone", "手机号码应为 11 位数字，以 1 开头。")
	}
	if a.OrgID == 0 {
		p.Add("org_id", "请选择所属组织。")
	}
	if err := ValidateRoles(a.Roles); err != nil {
		p.Add("roles", UserMessage(err))
	}
	return p.Err()
}

// SecurityPolicy is the password and session policy the security administrator sets.
type SecurityPolicy struct {
	MinPasswordLength  int // characters
	PasswordMaxAgeDays int // 0 means passwords do not expire
	MaxFailedAttempts  int // failed sign-ins before the account locks
	LockoutMinutes     int
	SessionIdleMinutes int
	SessionMaxHours    int
}

// DefaultSecurityPolicy is the policy of a new installation.
var DefaultSecurityPolicy = SecurityPolicy{
	MinPasswordLength:  10,
	PasswordMaxAgeDays: 90,
	MaxFailedAttempts:  5,
	LockoutMinutes:     15,
	SessionIdleMinutes: 30,
	SessionMaxHours:    12,
}

// Validate checks that every value of the policy lies in a sensible range.
func (sp SecurityPolicy) Validate() error {
	p := Problems{}
	check := func(field, label string, v, min, max int) {
		if v < min || v > max {
			p.Add(field, label+"应在 "+strconv.Itoa(min)+" 到 "+strconv.Itoa(max)+" 之间。")
		}
	}
	check("min_password_length", "密码最短长度", sp.MinPasswordLength, 8, 64)
	check("password_max_age_days", "密码有效期（天）", sp.PasswordMaxAgeDays, 0, 365)
	check("max_failed_attempts", "允许连续失败次数", sp.MaxFailedAttempts, 3, 20)
	check("lockout_minutes", "锁定时长（分钟）", sp.LockoutMinutes, 1, 1440)
	check("session_idle_minutes", "无操作超时（分钟）", sp.SessionIdleMinutes, 5, 480)
	check("session_max_hours", "会话最长时长（小时）", sp.SessionMaxHours, 1, 72)
	return p.Err()
}

// PasswordExpired reports whether a password set at changedAt has expired at now.
func (sp SecurityPolicy) PasswordExpired(changedAt, now time.Time) bool {
	if sp.PasswordMaxAgeDays == 0 || changedAt.IsZero() {
		return false
	}
	return now.Sub(changedAt) > time.Duration(sp.PasswordMaxAgeDays)*24*time.Hour
}

// CheckPassword returns a Chinese message when password breaks the policy, or "" when it is
// acceptable. It requires the minimum length and at least three of: lower case, upper case,
// digits, other characters; and it refuses a password that contains the username.
func (sp SecurityPolicy) CheckPassword(password, username string) string {
	n := CharCount(password)
	if n < sp.MinPasswordLength {
		return "密码至少需要 " + strconv.Itoa(sp.MinPasswordLength) + " 个字符。"
	}
	if n > 128 {
		return "密码不能超过 128 个字符。"
	}
	var lower, upper, digit, other bool
	for _, r := range password {
		switch {
		case unicode.IsLower(r):
			lower = true
		case unicode.IsUpper(r):
			upper = true
		case unicode.IsDigit(r):
			digit = true
		default:
			other = true
		}
	}
	classes := 0
	for _, b := range []bool{lower, upper, digit, other} {
		if b {
			classes++
		}
	}
	if classes < 3 {
		return "密码须包含小写字母、大写字母、数字、符号中的至少三类。"
	}
	if username != "" && len(username) >= 3 && containsFold(password, username) {
		return "密码不能包含用户名。"
	}
	return ""
}

func containsFold(s, sub string) bool {
	rs, rsub := []rune(s), []rune(sub)
	for i := 0; i+len(rsub) <= len(rs); i++ {
		match := true
		for j := range rsub {
			if unicode.ToLower(rs[i+j]) != unicode.ToLower(rsub[j]) {
				match = false
				break
			}
		}
		if match {
			return true
		}
	}
	return false
}

// Actor is who performs an operation: an account with its roles, or an anonymous visitor.
type Actor struct {
	AccountID int64
	TownID    int64
	OrgID     int64
	Name      string
	Roles     []Role
	IP        string
}

// Can reports whether the actor's roles grant p.
func (a Actor) Can(p Permission) bool { return HasPermission(a.Roles, p) }

// Site settings keys that staff edit.
const (
	SettingSiteName       = "site_name"
	SettingMotto          = "motto"
	SettingContact        = "contact"
	SettingICP            = "icp_number"
	SettingPublicSecurity = "public_security_number"
	SettingSiteCode       = "site_code"
	SettingCopyright      = "copyright"
	SettingMourning       = "mourning"
)

// SiteSettings is the set of site settings the system administrator edits.
type SiteSettings struct {
	SiteName       string
	Motto          string
	Contact        string
	ICPNumber      string
	PublicSecurity string
	SiteCode       string
	Copyright      string
	Mourning       bool
}

// Validate checks the lengths of the settings.
func (s *SiteSettings) Validate() error {
	s.SiteName = CleanLine(s.SiteName)
	s.Motto = CleanLine(s.Motto)
	s.Contact = CleanLine(s.Contact)
	s.ICPNumber = CleanLine(s.ICPNumber)
	s.PublicSecurity = CleanLine(s.PublicSecurity)
	s.SiteCode = CleanLine(s.SiteCode)
	s.Copyright = CleanLine(s.Copyright)
	p := Problems{}
	p.CheckLength("site_name", "站点名称", s.SiteName, true, 40)
	p.CheckLength("motto", "宣传语", s.Motto, false, 60)
	p.CheckLength("contact", "联系方式", s.Contact, false, 120)
	p.CheckLength("icp_number", "ICP备案号", s.ICPNumber, false, 40)
	p.CheckLength("public_security_number", "公安备案号", s.PublicSecurity, false, 40)
	p.CheckLength("site_code", "网站标识码", s.SiteCode, false, 20)
	p.CheckLength("copyright", "版权声明", s.Copyright, false, 200)
	return p.Err()
}
