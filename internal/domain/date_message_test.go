package domain

import "testing"

func TestDateMessagesTellFormatFromMissingDay(t *testing.T) {
	for _, c := range []struct{ value, want string }{
		{"2026-1-1", "请按 2026-10-01 的格式填写开始日期。"},
		{"昨天", "请按 2026-10-01 的格式填写开始日期。"},
		{"2026-02-30", "开始日期 2026-02-30 不存在，请检查月份和日期。"},
		{" 2026-13-01 ", "开始日期 2026-13-01 不存在，请检查月份和日期。"},
	} {
		if _, err := ParseDate(c.value); err == nil {
			t.Fatalf("ParseDate(%q) succeeded, want an error", c.value)
		}
		if got := DateFormatMessage("开始日期", c.value); got != c.want {
			t.Errorf("DateFormatMessage(%q) = %q, want %q", c.value, got, c.want)
		}
	}
	for _, c := range []struct{ value, want string }{
		{"明天上午", "请按 2026-10-01 09:30 的格式填写发布时间。"},
		{"2026/10/01 09:30", "请按 2026-10-01 09:30 的格式填写发布时间。"},
		{"2026-02-30T09:30", "发布时间 2026-02-30 09:30 不存在，请检查日期和时间。"},
		{"2026-10-01 25:00", "发布时间 2026-10-01 25:00 不存在，请检查日期和时间。"},
		{"2026-02-30", "发布时间 2026-02-30 不存在，请检查月份和日期。"},
	} {
		if _, ok := ParseLocalDateTime(c.value); ok {
			t.Fatalf("ParseLocalDateTime(%q) succeeded, want a failure", c.value)
		}
		if got := DateTimeFormatMessage("发布时间", c.value); got != c.want {
			t.Errorf("DateTimeFormatMessage(%q) = %q, want %q", c.value, got, c.want)
		}
	}
}
