package web

import (
	"errors"
	"io"
	"net/http"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// maxOfflineFormBytes bounds an uploaded offline form.
const maxOfflineFormBytes = 5 << 20

type myReportsPage struct {
	Page
	Reports []submissionRow
	Pager   Pager
}

// myReports lists the reports of the person's organization, newest periods first.
func (s *Server) myReports(w http.ResponseWriter, r *http.Request) error {
	page := store.Page{Number: pageNumber(r), Size: 30}
	list, total, err := s.db.ListOwnSubmissions(r.Context(), s.actor(r), page)
	if err != nil {
		return err
	}
	data := &myReportsPage{Page: Page{Title: "报表填报"}, Pager: newPager(r, page.Normalize(total).Number, 30, total)}
	now := s.db.Now()
	for _, sub := range list {
		data.Reports = append(data.Reports, submissionRow{ReportSubmission: sub, Late: sub.Late(now)})
	}
	return s.render(w, r, http.StatusOK, "admin/my_reports", data)
}

// fieldSection is a run of fields under one heading of a report form.
type fieldSection struct {
	Title  string
	Fields []domain.ReportField
}

// sections groups consecutive fields with the same section name.
func sections(fields []domain.ReportField) []fieldSection {
	var out []fieldSection
	for _, f := range fields {
		if len(out) == 0 || out[len(out)-1].Title != f.Section {
			out = append(out, fieldSection{Title: f.Section})
		}
		out[len(out)-1].Fields = append(out[len(out)-1].Fields, f)
	}
	return out
}

type reportFormPage struct {
	Page
	Submission domain.ReportSubmission
	Template   domain.ReportTemplate
	Sections   []fieldSection
	Values     map[int64]string
	Events     []domain.ReportEvent
	Late       bool
	Editable   bool
}

// FieldName returns the form input name of a field.
func (reportFormPage) FieldName(f domain.ReportField) string {
	return "f" + strconv.FormatInt(f.ID, 10)
}

// FieldError returns the problem of a field, if any.
func (p reportFormPage) FieldError(f domain.ReportField) string {
	return p.Errors["f"+strconv.FormatInt(f.ID, 10)]
}

// MaxTextValue returns the maxlength of a text field's input.
func (reportFormPage) MaxTextValue() int { return domain.MaxTextValue }

// Value returns what the form shows for a field: what was typed, or what is stored.
func (p reportFormPage) Value(f domain.ReportField) string { return p.Values[f.ID] }

func (s *Server) myReportForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderReportForm(w, r, http.StatusOK, id, nil, nil)
}

// renderReportForm shows a report of the person's organization; typed keeps the values of a
// form that came back with cause.
func (s *Server) renderReportForm(w http.ResponseWriter, r *http.Request, status int, id int64, typed map[int64]string, cause error) error {
	sub, t, err := s.db.OwnSubmission(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	events, err := s.db.SubmissionEvents(r.Context(), id)
	if err != nil {
		return err
	}
	values := sub.Values
	if typed != nil {
		values = typed
	}
	data := &reportFormPage{Page: Page{Title: sub.AssignmentTitle + "（" + sub.PeriodLabel() + "）"}, Submission: sub, Template: t,
		Sections: sections(t.Fields), Values: values, Events: events, Late: sub.Late(s.db.Now()), Editable: sub.Status.Editable()}
	if cause != nil {
		formInvalid(&data.Page, cause)
	} else if problems := domain.PartProblems(t.Fields, values); data.Editable && len(problems) > 0 {
		// A draft may keep a part larger than its total; the form shows why it cannot be submitted yet.
		data.Message = "草稿中有数字需要核对，改正后才能提交。"
		data.Errors = problems
	}
	return s.render(w, r, status, "admin/my_report", data)
}

// myReportSave saves a report as a draft (action=save) or submits it (action=submit).
func (s *Server) myReportSave(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	_, t, err := s.db.OwnSubmission(r.Context(), actor, id)
	if err != nil {
		return err
	}
	raw := map[int64]string{}
	for _, f := range t.Fields {
		raw[f.ID] = r.PostFormValue("f" + strconv.FormatInt(f.ID, 10))
	}
	mode, msg := store.SaveDraft, "草稿已保存。"
	if r.PostFormValue("action") == "submit" {
		mode, msg = store.SaveSubmit, "报表已提交，等待综治中心审核。"
	}
	err = s.db.SaveSubmission(r.Context(), actor, id, raw, mode)
	switch domain.ErrorKind(err) {
	case 0:
	case domain.KindInvalid:
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, id, raw, err)
	case domain.KindConflict:
		return redirectFlash(w, r, myReportPath(id), domain.UserMessage(err))
	default:
		return err
	}
	if err != nil {
		return err
	}
	return redirectFlash(w, r, myReportPath(id), msg)
}

func myReportPath(id int64) string { return "/admin/my-reports/" + strconv.FormatInt(id, 10) }

// myReportXLSX sends the report as an offline .xlsx form with the values stored so far.
func (s *Server) myReportXLSX(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	sub, t, err := s.db.OwnSubmission(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	setAttachment(w, sub.AssignmentTitle+"-"+sub.PeriodLabel()+"-"+sub.OrgName+".xlsx")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return writeOfflineForm(w, sub, t)
}

// offlineFormInvalid is the error shown when the offline form cannot be read. The page shows
// it under the file input, whose errors are keyed "files".
func offlineFormInvalid(msg string) error {
	return &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: map[string]string{"files": msg}}
}

// myReportUpload reads a filled offline form and saves its values as a draft, which the person
// then checks and submits on the page.
func (s *Server) myReportUpload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	sub, t, err := s.db.OwnSubmission(r.Context(), actor, id)
	if err != nil {
		return err
	}
	r.Body = http.MaxBytesReader(w, r.Body, maxOfflineFormBytes+64<<10)
	f, fh, err := r.FormFile("file")
	if err != nil {
		var tooBig *http.MaxBytesError
		msg := "请选择填好的 .xlsx 离线表格。"
		if errors.As(err, &tooBig) {
			msg = "文件不能超过 5 MB。"
		}
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, id, nil, offlineFormInvalid(msg))
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, maxOfflineFormBytes+1))
	if err != nil || len(data) > maxOfflineFormBytes || !strings.HasSuffix(strings.ToLower(fh.Filename), ".xlsx") {
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, id, nil, offlineFormInvalid("请上传不超过 5 MB 的 .xlsx 文件。"))
	}
	values, err := readOfflineForm(data, sub, t)
	if err != nil {
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, id, nil, err)
	}
	err = s.db.SaveSubmission(r.Context(), actor, id, values, store.SaveImport)
	switch domain.ErrorKind(err) {
	case 0:
	case domain.KindInvalid:
		return s.renderReportForm(w, r, http.StatusUnprocessableEntity, id, values, err)
	case domain.KindConflict:
		return redirectFlash(w, r, myReportPath(id), domain.UserMessage(err))
	default:
		return err
	}
	if err != nil {
		return err
	}
	return redirectFlash(w, r, myReportPath(id), "已从离线表格读入，请核对后点击“提交”。")
}
