package web

import (
	"net/http"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/workday"
)

type calendarPage struct {
	Page
	Year  int
	Years []int
	Days  []workday.Day
	Text  string
}

func (s *Server) calendarForm(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.URL.Query().Get("year"))
	if err != nil || year < 2000 || year > 2100 {
		year = s.db.Now().In(domain.Shanghai).Year()
	}
	data := &calendarPage{Page: Page{Title: "节假日日历"}, Year: year}
	return s.renderCalendar(w, r, http.StatusOK, data)
}

func (s *Server) renderCalendar(w http.ResponseWriter, r *http.Request, status int, data *calendarPage) error {
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return err
	}
	data.Years = cal.Years()
	if data.Days, err = s.db.CalendarYear(r.Context(), data.Year); err != nil {
		return err
	}
	if data.Text == "" {
		var b strings.Builder
		for _, d := range data.Days {
			b.WriteString(d.Date + " " + d.Kind.Label() + " " + d.Name + "\n")
		}
		data.Text = b.String()
	}
	return s.render(w, r, status, "admin/calendar", data)
}

// calendarSave replaces one year's holidays and make-up working days with the pasted list.
func (s *Server) calendarSave(w http.ResponseWriter, r *http.Request) error {
	year, err := strconv.Atoi(r.PostFormValue("year"))
	if err != nil {
		return domain.Invalid("请填写年份。")
	}
	text := r.PostFormValue("days")
	data := &calendarPage{Page: Page{Title: "节假日日历"}, Year: year, Text: text}
	if domain.CharCount(text) > 10000 {
		data.Message = "内容过长，一年最多几十行。"
		return s.renderCalendar(w, r, http.StatusUnprocessableEntity, data)
	}
	days, err := workday.Parse(strings.NewReader(text))
	if err == nil {
		err = s.db.ReplaceCalendarYear(r.Context(), s.actor(r), year, days)
	}
	if err != nil {
		if domain.ErrorKind(err) != domain.KindInvalid {
			return err
		}
		data.Message = domain.UserMessage(err)
		return s.renderCalendar(w, r, http.StatusUnprocessableEntity, data)
	}
	return redirectFlash(w, r, "/admin/calendar?year="+strconv.Itoa(year), strconv.Itoa(year)+" 年节假日日历已保存，共 "+strconv.Itoa(len(days))+" 天。")
}
