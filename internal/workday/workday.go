// Package workday counts working days in Beijing time with China's official calendar: public
// holidays (放假) and make-up working days (调休上班) as the State Council publishes them each
// year, on top of the rule that Saturdays and Sundays are days off. Case deadlines count
// working days with it. It imports neither net/http nor database/sql.
package workday

import (
	"bufio"
	"embed"
	"fmt"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"pingan/internal/domain"
)

// Kind says how a listed day differs from the weekly rule.
type Kind string

const (
	Off  Kind = "off"  // a public holiday, or a weekday given off
	Work Kind = "work" // a make-up working day on a weekend
)

// Label returns the Chinese name of the kind.
func (k Kind) Label() string {
	switch k {
	case Off:
		return "放假"
	case Work:
		return "调休上班"
	}
	return string(k)
}

// Day is one listed day of the calendar. Date is YYYY-MM-DD in Beijing time.
type Day struct {
	Date string
	Kind Kind
	Name string
}

// Year returns the year of the day's date.
func (d Day) Year() int {
	t, err := domain.ParseDate(d.Date)
	if err != nil {
		return 0
	}
	return t.Year()
}

// Validate checks the date, the kind and the name's length; it normalizes the name.
func (d *Day) Validate() error {
	d.Name = domain.CleanLine(d.Name)
	p := domain.Problems{}
	if _, err := domain.ParseDate(d.Date); err != nil {
		p.Add("date", domain.DateFormatMessage("日期", d.Date))
	}
	if d.Kind != Off && d.Kind != Work {
		p.Add("kind", "请选择“放假”或“调休上班”。")
	}
	p.CheckLength("name", "节日名称", d.Name, true, 20)
	return p.Err()
}

// Calendar answers whether a day is a working day. It is immutable once built and safe for
// concurrent use.
type Calendar struct {
	days  map[string]Day
	years map[int]bool
}

// New builds a calendar from listed days. A later entry for the same date replaces an earlier.
func New(days []Day) *Calendar {
	c := &Calendar{days: make(map[string]Day, len(days)), years: map[int]bool{}}
	for _, d := range days {
		c.days[d.Date] = d
		c.years[d.Year()] = true
	}
	return c
}

// Covers reports whether any day of year is listed, that is whether the year's official
// notice has been entered. Deadlines in a year that is not covered follow the weekly rule only.
func (c *Calendar) Covers(year int) bool { return c.years[year] }

// Years lists the covered years in order.
func (c *Calendar) Years() []int {
	out := make([]int, 0, len(c.years))
	for y := range c.years {
		out = append(out, y)
	}
	sort.Ints(out)
	return out
}

// IsWorkday reports whether the Beijing-time day of t is a working day.
func (c *Calendar) IsWorkday(t time.Time) bool {
	t = t.In(domain.Shanghai)
	if d, ok := c.days[t.Format("2006-01-02")]; ok {
		return d.Kind == Work
	}
	wd := t.Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Lookup returns the listed day of t's Beijing date, if there is one.
func (c *Calendar) Lookup(t time.Time) (Day, bool) {
	d, ok := c.days[t.In(domain.Shanghai).Format("2006-01-02")]
	return d, ok
}

// Deadline returns the end of the n-th working day after the day of start, in Beijing time:
// the day of start itself does not count, whatever the hour, and the deadline is the last
// second (23:59:59) of its last working day. n below 1 counts as 1.
func (c *Calendar) Deadline(start time.Time, n int) time.Time {
	if n < 1 {
		n = 1
	}
	s := start.In(domain.Shanghai)
	day := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, domain.Shanghai)
	for n > 0 {
		day = day.AddDate(0, 0, 1)
		if c.IsWorkday(day) {
			n--
		}
	}
	return day.Add(24*time.Hour - time.Second)
}

// WorkdaysBetween counts the working days after the day of from up to and including the day
// of to; it is 0 when to falls on or before from's day.
func (c *Calendar) WorkdaysBetween(from, to time.Time) int {
	f := from.In(domain.Shanghai)
	day := time.Date(f.Year(), f.Month(), f.Day(), 0, 0, 0, 0, domain.Shanghai)
	end := to.In(domain.Shanghai)
	n := 0
	for {
		day = day.AddDate(0, 0, 1)
		if day.After(end) {
			return n
		}
		if c.IsWorkday(day) {
			n++
		}
	}
}

//go:embed data/*.txt
var shipped embed.FS

// Shipped returns every year of the official calendar that ships with pingan.
func Shipped() []Day {
	var out []Day
	names, _ := fs.Glob(shipped, "data/*.txt")
	for _, n := range names {
		f, err := shipped.Open(n)
		if err != nil {
			panic(err)
		}
		days, err := Parse(f)
		f.Close()
		if err != nil {
			// The shipped files are tested; a broken one is a build mistake.
			panic(fmt.Sprintf("workday: %s: %v", n, err))
		}
		out = append(out, days...)
	}
	return out
}

// Parse reads days in the text form staff paste into the back office and the shipped files
// use: one day per line as "2026-10-01 off 国庆节" (or 放假 / 调休上班 / 上班 for the kind),
// with blank lines and lines starting with # ignored. Errors name the line and are KindInvalid
// with a Chinese message.
func Parse(r io.Reader) ([]Day, error) {
	sc := bufio.NewScanner(r)
	var out []Day
	line := 0
	for sc.Scan() {
		line++
		text := strings.TrimSpace(sc.Text())
		if text == "" || strings.HasPrefix(text, "#") {
			continue
		}
		fields := strings.Fields(text)
		if len(fields) < 3 {
			return nil, domain.Invalid(fmt.Sprintf("第 %d 行应为“日期 类型 名称”三项，例如“2027-01-01 放假 元旦”。", line))
		}
		d := Day{Date: fields[0], Kind: parseKind(fields[1]), Name: strings.Join(fields[2:], " ")}
		if err := d.Validate(); err != nil {
			msg := ""
			for _, m := range domain.FieldErrors(err) {
				msg = m
				break
			}
			return nil, domain.Invalid(fmt.Sprintf("第 %d 行（%s）有误：%s", line, truncate(text, 30), msg))
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, domain.Invalid("无法读取日历内容。")
	}
	return out, nil
}

func parseKind(s string) Kind {
	switch strings.ToLower(s) {
	case "off", "放假", "休", "假":
		return Off
	case "work", "调休上班", "上班", "班":
		return Work
	}
	return Kind(s)
}

func truncate(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	return string([]rune(s)[:n]) + "…"
}
