package domain

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// CleanText trims surrounding space and removes control characters other than newline and tab,
// which text pasted from Word and WPS often carries.
func CleanText(s string) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if r == '\n' || r == '\t' {
			return r
		}
		if unicode.IsControl(r) || r == '\u200b' || r == '\ufeff' {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(strings.ReplaceAll(s, "\r\n", "\n"))
}

// CleanLine is CleanText for one-line fields: newlines and tabs become spaces.
func CleanLine(s string) string {
	s = CleanText(s)
	s = strings.NewReplacer("\n", " ", "\t", " ").Replace(s)
	return s
}

// CharCount returns the number of characters (runes) in s; lengths shown to users count
// characters, never bytes.
func CharCount(s string) int { return utf8.RuneCountInString(s) }

// CheckLength adds a problem for field when value is empty though required, or longer than max
// characters. label is the field's Chinese name.
func (p Problems) CheckLength(field, label, value string, required bool, max int) {
	n := CharCount(value)
	switch {
	case required && n == 0:
		p.Add(field, "请填写"+label+"。")
	case n > max:
		p.Add(field, label+"不能超过"+strconv.Itoa(max)+"个字符（现有"+strconv.Itoa(n)+"个）。")
	}
}

// TruncateChars cuts s to at most n characters, appending "…" when it cut anything.
func TruncateChars(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return string(r[:n]) + "…"
}

// Shanghai is Beijing time. China observes no daylight saving time, so a fixed UTC+8 zone is
// exact and needs no time zone database on the server.
var Shanghai = time.FixedZone("CST", 8*3600)

// FormatTime shows t in Beijing time as 2006-01-02 15:04, or "" for the zero time.
func FormatTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02 15:04")
}

// FormatDate shows t in Beijing time as 2006-01-02, or "" for the zero time.
func FormatDate(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02")
}

// dateShape and dateTimeShape match values written in the expected layout, whatever the
// numbers. A value that matches but does not parse names a day or time that does not exist.
var (
	dateShape     = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
	dateTimeShape = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}[T ][0-9]{2}:[0-9]{2}(:[0-9]{2})?$`)
)

// DateFormatMessage returns the message for a date field whose value failed to parse as
// YYYY-MM-DD. A value in that layout names a day that does not exist, so the message names the
// value, such as "开始日期 2026-02-30 不存在，请检查月份和日期。". Any other value gets an example
// date, such as "请按 2026-10-01 的格式填写开始日期。", because users do not read Go's layout
// 2006-01-02 as a pattern.
func DateFormatMessage(label, value string) string {
	value = strings.TrimSpace(value)
	if dateShape.MatchString(value) {
		return label + " " + value + " 不存在，请检查月份和日期。"
	}
	return "请按 2026-10-01 的格式填写" + label + "。"
}

// DateTimeFormatMessage returns the message for a date and time field whose value failed to
// parse as YYYY-MM-DD HH:MM. Like DateFormatMessage, it names a well-formed value that does not
// exist, such as "发布时间 2026-02-30 09:30 不存在，请检查日期和时间。", and shows an example otherwise.
func DateTimeFormatMessage(label, value string) string {
	value = strings.TrimSpace(value)
	if dateTimeShape.MatchString(value) {
		return label + " " + strings.Replace(value, "T", " ", 1) + " 不存在，请检查日期和时间。"
	}
	if dateShape.MatchString(value) {
		return DateFormatMessage(label, value)
	}
	return "请按 2026-10-01 09:30 的格式填写" + label + "。"
}

// ParseDate reads a YYYY-MM-DD date as the start of that day in Beijing time.
func ParseDate(s string) (time.Time, error) {
	return time.ParseInLocation("2006-01-02", s, Shanghai)
}
