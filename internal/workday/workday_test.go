package workday

import (
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
)

func bj(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, domain.Shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestDeadline2026(t *testing.T) {
	cal := New(Shipped())
	tests := []struct {
		name     string
		start    string
		days     int
		wantLast string // last working day, Beijing date
	}{
		{"national day: last working day before, 3 days, make-up Saturday counts", "2026-09-30 16:20", 3, "2026-10-10"},
		{"national day: dispatched just after midnight Beijing", "2026-09-30 00:05", 3, "2026-10-10"},
		{"national day: 2 days stop before the make-up day", "2026-09-30 09:00", 2, "2026-10-09"},
		{"national day: 4 days skip Sunday after the make-up day", "2026-09-30 09:00", 4, "2026-10-12"},
		{"mid-autumn: make-up Sunday 09-20 counts", "2026-09-18 10:00", 3, "2026-09-22"},
		{"mid-autumn: last working day before, 3 days", "2026-09-24 10:00", 3, "2026-09-30"},
		{"spring festival: Friday before, make-up Saturday 02-14 is the first day", "2026-02-13 15:00", 3, "2026-02-25"},
		{"spring festival: dispatched on the make-up Saturday", "2026-02-14 11:00", 3, "2026-02-26"},
		{"spring festival: make-up Saturday 02-28 counts", "2026-02-26 11:00", 2, "2026-02-28"},
		{"labour day: last working day before, 3 days", "2026-04-30 17:30", 3, "2026-05-08"},
		{"labour day: 4 days land on make-up Saturday 05-09", "2026-04-30 17:30", 4, "2026-05-09"},
		{"labour day: 5 days skip Sunday 05-10", "2026-04-30 17:30", 5, "2026-05-11"},
		{"qingming: Friday before the holiday", "2026-04-03 09:00", 3, "2026-04-09"},
		{"dragon boat: Thursday before the holiday", "2026-06-18 09:00", 3, "2026-06-24"},
		{"new year: make-up Sunday 01-04 counts", "2025-12-31 09:00", 3, "2026-01-06"},
		{"ordinary week: Friday to Monday", "2026-03-06 18:00", 1, "2026-03-09"},
		{"ordinary week: 5 days span one weekend", "2026-03-11 08:00", 5, "2026-03-18"},
		{"zero days count as one", "2026-03-10 08:00", 0, "2026-03-11"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := cal.Deadline(bj(tt.start), tt.days)
			want := bj(tt.wantLast + " 00:00").Add(24*time.Hour - time.Second)
			if !got.Equal(want) {
				t.Errorf("Deadline(%s, %d) = %s, want %s", tt.start, tt.days, got.In(domain.Shanghai), want)
			}
		})
	}
}

func TestDeadlineFromUTCInstant(t *testing.T) {
	cal := New(Shipped())
	// 2026-09-29 17:00 UTC is 2026-09-30 01:00 in Beijing: the day of dispatch is 09-30.
	start := time.Date(2026, 9, 29, 17, 0, 0, 0, time.UTC)
	got := cal.Deadline(start, 3)
	if d := domain.FormatDate(got); d != "2026-10-10" {
		t.Errorf("Deadline(%s) = %s, want 2026-10-10", start, d)
	}
}

func TestIsWorkday2026(t *testing.T) {
	cal := New(Shipped())
	work := []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10",
		"2026-02-13", "2026-02-24", "2026-10-08", "2026-12-31"}
	off := []string{"2026-01-01", "2026-01-03", "2026-02-15", "2026-02-23", "2026-04-06", "2026-05-05",
		"2026-06-19", "2026-09-25", "2026-10-01", "2026-10-07", "2026-10-11", "2026-03-07"}
	for _, d := range work {
		if !cal.IsWorkday(bj(d + " 12:00")) {
			t.Errorf("IsWorkday(%s) = false, want true", d)
		}
	}
	for _, d := range off {
		if cal.IsWorkday(bj(d + " 12:00")) {
			t.Errorf("IsWorkday(%s) = true, want false", d)
		}
	}
}

func TestShippedCoversYears(t *testing.T) {
	cal := New(Shipped())
	if !cal.Covers(2026) {
		t.Fatal("shipped calendar does not cover 2026")
	}
	if cal.Covers(2027) {
		t.Error("shipped calendar claims 2027, whose notice is not published")
	}
	if n := len(Shipped()); n != 39 {
		t.Errorf("shipped 2026 lists %d days, want 39 (33 days off and 6 make-up days)", n)
	}
}

func TestWorkdaysBetween(t *testing.T) {
	cal := New(Shipped())
	if n := cal.WorkdaysBetween(bj("2026-09-30 10:00"), bj("2026-10-10 09:00")); n != 3 {
		t.Errorf("WorkdaysBetween(09-30, 10-10) = %d, want 3", n)
	}
	if n := cal.WorkdaysBetween(bj("2026-09-30 10:00"), bj("2026-09-30 18:00")); n != 0 {
		t.Errorf("WorkdaysBetween(same day) = %d, want 0", n)
	}
}

func TestParse(t *testing.T) {
	days, err := Parse(strings.NewReader("# 2027\n2027-01-01 放假 元旦\n\n2027-02-06 调休上班 春节调休\n"))
	if err != nil {
		t.Fatal(err)
	}
	if len(days) != 2 || days[0].Kind != Off || days[1].Kind != Work || days[1].Name != "春节调休" {
		t.Errorf("Parse = %+v", days)
	}
	bad := []string{"2027-13-01 off 元旦", "2027-01-01 maybe 元旦", "2027-01-01 off", "2027-01-01 off " + strings.Repeat("节", 21)}
	for _, in := range bad {
		_, err := Parse(strings.NewReader(in))
		if domain.ErrorKind(err) != domain.KindInvalid {
			t.Errorf("Parse(%q) error = %v, want KindInvalid", in, err)
		}
		if err != nil && !strings.Contains(domain.UserMessage(err), "第 1 行") {
			t.Errorf("Parse(%q) message %q does not name the line", in, domain.UserMessage(err))
		}
	}
}
