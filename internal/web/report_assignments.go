package web

import (
	"net/http"
	"strconv"
	"time"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// assignmentSummary is one assignment on the dashboard with its newest period's counts.
type assignmentSummary struct {
	domain.ReportAssignment
	Latest store.PeriodSummary
	Has    bool
}

type reportDashboardPage struct {
	Page
	Assignments []assignmentSummary
}

// reportDashboard shows every assignment with the submitted, late and returned counts of its
// newest period.
func (s *Server) reportDashboard(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	list, err := s.db.ListAssignments(r.Context(), actor)
	if err != nil {
		return err
	}
	data := &reportDashboardPage{Page: Page{Title: "报表管理"}}
	for _, a := range list {
		periods, err := s.db.AssignmentPeriods(r.Context(), actor, a.ID)
		if err != nil {
			return err
		}
		sum := assignmentSummary{ReportAssignment: a}
		if len(periods) > 0 {
			sum.Latest, sum.Has = periods[0], true
		}
		data.Assignments = append(data.Assignments, sum)
	}
	return s.render(w, r, http.StatusOK, "admin/reports", data)
}

type assignmentFormPage struct {
	Page
	Assignment domain.ReportAssignment
	Templates  []domain.ReportTemplate
	Kinds      []domain.PeriodKind
	Groups     []orgGroup
	Picked     map[int64]bool
	KindAll    map[domain.OrgKind]bool
	StartMonth string
	DueDate    string
}

func (s *Server) assignmentForm(r *http.Request, data *assignmentFormPage) error {
	actor := s.actor(r)
	templates, err := s.db.ListTemplates(r.Context(), actor)
	if err != nil {
		return err
	}
	groups, err := s.recipientGroups(r, actor)
	if err != nil {
		return err
	}
	data.Templates, data.Groups, data.Kinds = templates, groups, domain.PeriodKinds
	if data.Picked == nil {
		data.Picked, data.KindAll = map[int64]bool{}, map[domain.OrgKind]bool{}
	}
	return nil
}

func (s *Server) assignmentNewForm(w http.ResponseWriter, r *http.Request) error {
	templateID, _ := strconv.ParseInt(r.URL.Query().Get("template"), 10, 64)
	now := s.db.Now().In(domain.Shanghai)
	data := &assignmentFormPage{Page: Page{Title: "下发报表"}, StartMonth: now.Format("2006-01"),
		Assignment: domain.ReportAssignment{TemplateID: templateID, PeriodKind: domain.PeriodMonthly, DueDay: 5}}
	if err := s.assignmentForm(r, data); err != nil {
		return err
	}
	for _, t := range data.Templates {
		if t.ID == templateID {
			data.Assignment.Title = t.Name
		}
	}
	return s.render(w, r, http.StatusOK, "admin/report_assignment_form", data)
}

// assignmentCreate assigns a template to the organizations picked by hand and by kind.
func (s *Server) assignmentCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	dueDay, _ := strconv.Atoi(r.PostFormValue("due_day"))
	templateID, _ := strconv.ParseInt(r.PostFormValue("template_id"), 10, 64)
	a := domain.ReportAssignment{TemplateID: templateID, Title: r.PostFormValue("title"),
		PeriodKind: domain.PeriodKind(r.PostFormValue("period_kind")), DueDay: dueDay}
	data := &assignmentFormPage{Page: Page{Title: "下发报表"}, Picked: map[int64]bool{}, KindAll: map[domain.OrgKind]bool{},
		StartMonth: r.PostFormValue("start_month"), DueDate: r.PostFormValue("due_date")}
	if err := s.assignmentForm(r, data); err != nil {
		return err
	}
	if start, err := time.ParseInLocation("2006-01", data.StartMonth, domain.Shanghai); err == nil {
		a.StartsAt = start.UTC()
	}
	if a.PeriodKind == domain.PeriodOnce {
		a.StartsAt = s.db.Now()
		if due, ok := domain.ParseLocalDateTime(data.DueDate); ok && !due.IsZero() {
			// A one-off report is due at the end of the day picked.
			a.DueAt = due.Add(time.Minute)
		}
	}
	var orgIDs []int64
	for _, v := range r.PostForm["org"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			orgIDs = append(orgIDs, id)
			data.Picked[id] = true
		}
	}
	for _, v := range r.PostForm["kind_all"] {
		k := domain.OrgKind(v)
		data.KindAll[k] = true
		for _, g := range data.Groups {
			if g.Kind == k {
				for _, o := range g.Orgs {
					orgIDs = append(orgIDs, o.ID)
				}
			}
		}
	}
	data.Assignment = a

	id, notes, err := s.db.CreateAssignment(r.Context(), actor, a, orgIDs)
	if err != nil {
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/report_assignment_form", data)
	}
	s.publishBell(r.Context(), notes)
	return redirectFlash(w, r, assignmentPath(id), "已下发“"+domain.CleanLine(a.Title)+"”。")
}

func assignmentPath(id int64) string {
	return "/admin/reports/assignments/" + strconv.FormatInt(id, 10)
}

// submissionRow is one organization's report of the shown period with its lateness.
type submissionRow struct {
	domain.ReportSubmission
	Late bool
}

type assignmentPage struct {
	Page
	Assignment domain.ReportAssignment
	Periods    []store.PeriodSummary
	Period     store.PeriodSummary
	Rows       []submissionRow
}

// assignmentDetail shows the periods of an assignment and, for one period (the newest unless
// ?period= names another), every organization's report with its status and lateness.
func (s *Server) assignmentDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	a, err := s.db.GetAssignment(r.Context(), actor, id)
	if err != nil {
		return err
	}
	periods, err := s.db.AssignmentPeriods(r.Context(), actor, id)
	if err != nil {
		return err
	}
	data := &assignmentPage{Page: Page{Title: a.Title}, Assignment: a, Periods: periods}
	if len(periods) > 0 {
		data.Period = periods[0]
		for _, p := range periods {
			if p.Key == r.URL.Query().Get("period") {
				data.Period = p
			}
		}
		subs, err := s.db.PeriodSubmissions(r.Context(), actor, id, data.Period.Key)
		if err != nil {
			return err
		}
		now := s.db.Now()
		for _, sub := range subs {
			data.Rows = append(data.Rows, submissionRow{ReportSubmission: sub, Late: sub.Late(now)})
		}
	}
	return s.render(w, r, http.StatusOK, "admin/report_assignment", data)
}

func (s *Server) assignmentStop(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.StopAssignment(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	return redirectFlash(w, r, assignmentPath(id), "已停止该报表任务，之后不再生成新的填报期。")
}

type aggregatePage struct {
	Page
	Assignment domain.ReportAssignment
	Template   domain.ReportTemplate
	Periods    []domain.Period
	From, To   string
	Aggregate  domain.Aggregate
	Reports    int
}

// aggregateRange reads ?from= and ?to= period keys; missing or unknown keys mean the first and
// the last opened period. It returns the periods, the chosen keys and [start, end) of the range.
func (s *Server) aggregateRange(r *http.Request, id int64) ([]domain.Period, string, string, time.Time, time.Time, error) {
	periods, err := s.db.AssignmentPeriodKeys(r.Context(), s.actor(r), id)
	if err != nil || len(periods) == 0 {
		return periods, "", "", time.Time{}, time.Time{}, err
	}
	from, to := periods[0], periods[len(periods)-1]
	for _, p := range periods {
		if p.Key == r.URL.Query().Get("from") {
			from = p
		}
		if p.Key == r.URL.Query().Get("to") {
			to = p
		}
	}
	if to.Start.Before(from.Start) {
		from, to = to, from
	}
	return periods, from.Key, to.Key, from.Start, to.Start.Add(time.Second), nil
}

// loadAggregate computes the aggregate of an assignment over the range of the request.
func (s *Server) loadAggregate(r *http.Request, id int64) (*aggregatePage, []domain.ReportSubmission, error) {
	actor := s.actor(r)
	a, err := s.db.GetAssignment(r.Context(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	t, err := s.db.GetTemplate(r.Context(), actor, a.TemplateID)
	if err != nil {
		return nil, nil, err
	}
	periods, fromKey, toKey, start, end, err := s.aggregateRange(r, id)
	if err != nil {
		return nil, nil, err
	}
	orgs, err := s.db.AssignmentOrgs(r.Context(), actor, id)
	if err != nil {
		return nil, nil, err
	}
	var subs []domain.ReportSubmission
	if len(periods) > 0 {
		if subs, err = s.db.ReportsInRange(r.Context(), actor, id, start, end); err != nil {
			return nil, nil, err
		}
	}
	agg := domain.AggregateReports(t, subs, orgs)
	return &aggregatePage{Page: Page{Title: "汇总：" + a.Title}, Assignment: a, Template: t, Periods: periods,
		From: fromKey, To: toKey, Aggregate: agg, Reports: agg.Total.Reports}, subs, nil
}

func (s *Server) assignmentAggregate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	data, _, err := s.loadAggregate(r, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/report_aggregate", data)
}

// assignmentExport sends the aggregate of the range as .xlsx and audits the export.
func (s *Server) assignmentExport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	data, subs, err := s.loadAggregate(r, id)
	if err != nil {
		return err
	}
	rangeLabel := domain.PeriodLabel(data.From) + " 至 " + domain.PeriodLabel(data.To)
	if data.From == data.To {
		rangeLabel = domain.PeriodLabel(data.From)
	}
	actor := s.actor(r)
	if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "report.export", "report_assignment", id, domain.OutcomeSuccess,
		data.Assignment.Title+"："+rangeLabel)); err != nil {
		return err
	}
	setAttachment(w, data.Assignment.Title+"-汇总-"+data.From+"至"+data.To+".xlsx")
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return writeAggregateWorkbook(w, data.Assignment, data.Template, data.Aggregate, subs, rangeLabel,
		func() string { return domain.FormatTime(s.db.Now()) })
}

type reviewPage struct {
	Page
	Submission domain.ReportSubmission
	Template   domain.ReportTemplate
	Events     []domain.ReportEvent
	Late       bool
	Reason     string
}

// submissionReview shows one report of the town to the center, with the accept and return forms.
func (s *Server) submissionReview(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderReview(w, r, http.StatusOK, id, "", nil)
}

func (s *Server) renderReview(w http.ResponseWriter, r *http.Request, status int, id int64, reason string, cause error) error {
	sub, t, err := s.db.SubmissionForReview(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	events, err := s.db.SubmissionEvents(r.Context(), id)
	if err != nil {
		return err
	}
	data := &reviewPage{Page: Page{Title: sub.OrgName + " · " + sub.AssignmentTitle + "（" + sub.PeriodLabel() + "）"},
		Submission: sub, Template: t, Events: events, Late: sub.Late(s.db.Now()), Reason: reason}
	if cause != nil {
		formInvalid(&data.Page, cause)
	}
	return s.render(w, r, status, "admin/report_review", data)
}

func (s *Server) submissionAccept(w http.ResponseWriter, r *http.Request) error {
	return s.review(w, r, true)
}

func (s *Server) submissionReturn(w http.ResponseWriter, r *http.Request) error {
	return s.review(w, r, false)
}

func (s *Server) review(w http.ResponseWriter, r *http.Request, accept bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reason := r.PostFormValue("reason")
	notes, err := s.db.ReviewSubmission(r.Context(), s.actor(r), id, accept, reason)
	switch domain.ErrorKind(err) {
	case 0:
	case domain.KindInvalid:
		return s.renderReview(w, r, http.StatusUnprocessableEntity, id, reason, err)
	case domain.KindConflict:
		return redirectFlash(w, r, "/admin/reports/submissions/"+strconv.FormatInt(id, 10), domain.UserMessage(err))
	default:
		return err
	}
	if err != nil {
		return err
	}
	s.publishBell(r.Context(), notes)
	msg := "已审核通过。"
	if !accept {
		msg = "已退回，并通知了填报单位。"
	}
	return redirectFlash(w, r, "/admin/reports/submissions/"+strconv.FormatInt(id, 10), msg)
}
