package web

import (
	"net/http"
	"net/url"
	"strconv"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

type infoReportListPage struct {
	Page
	Own        bool
	Reports    []domain.InfoReport
	Pager      Pager
	Status     string
	Category   string
	Query      string
	Categories []domain.InfoCategory
	Scope      listScope
}

func (s *Server) infoReportList(w http.ResponseWriter, r *http.Request, own bool) error {
	q := r.URL.Query()
	f := store.InfoReportFilter{Own: own, Status: domain.InfoReportStatus(q.Get("status")), Category: domain.InfoCategory(q.Get("category")),
		Query: domain.CleanLine(q.Get("q"))}
	scope, err := infoReportScope(q, own, &f)
	if err != nil {
		return err
	}
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, err := s.db.ListInfoReports(r.Context(), s.actor(r), f, page)
	if err != nil {
		return err
	}
	title := "上报信息审核"
	if own {
		title = "信息上报"
	}
	return s.render(w, r, http.StatusOK, "admin/info_reports", &infoReportListPage{Page: Page{Title: title}, Own: own, Reports: list,
		Pager: newPager(r, page.Normalize(total).Number, 20, total), Status: string(f.Status), Category: string(f.Category),
		Query: f.Query, Categories: domain.InfoCategories, Scope: scope})
}

// infoReportScope checks the status the dashboard's links set and reads their days from and to
// (inclusive, Beijing time) the reports were sent up.
func infoReportScope(q url.Values, own bool, f *store.InfoReportFilter) (listScope, error) {
	p := domain.Problems{}
	scope := listScope{Base: "/admin/info-reports"}
	if own {
		scope.Base = "/admin/my-info-reports"
	}
	switch f.Status {
	case "", domain.InfoSubmitted, domain.InfoAdopted, domain.InfoDeclined:
	default:
		p.Add("status", "状态应为 submitted、adopted 或 declined。")
	}
	if f.Category != "" && !f.Category.Valid() {
		p.Add("category", "类别筛选有误，请从列表中选择。")
	}
	f.From, f.To = periodParams(q, p)
	pageParam(q, p)
	scope.Params = periodScope(q, "上报日期")
	return scope, filterErr(p)
}

// myInfoReports lists the information reports the person's organization sent up.
func (s *Server) myInfoReports(w http.ResponseWriter, r *http.Request) error {
	return s.infoReportList(w, r, true)
}

// infoReports lists every information report of the town for the center to review.
func (s *Server) infoReports(w http.ResponseWriter, r *http.Request) error {
	return s.infoReportList(w, r, false)
}

type infoReportFormPage struct {
	Page
	Report     domain.InfoReport
	Categories []domain.InfoCategory
	Accept     string
}

func (s *Server) infoReportNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/info_report_form", &infoReportFormPage{Page: Page{Title: "上报信息"},
		Report: domain.InfoReport{Category: "work_news"}, Categories: domain.InfoCategories, Accept: coordAccept})
}

func (s *Server) infoReportCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	if err := parseCoordForm(w, r); err != nil {
		return err
	}
	rep := domain.InfoReport{Category: domain.InfoCategory(r.PostFormValue("category")), Title: r.PostFormValue("title"), Body: r.PostFormValue("body")}
	invalid := func(err error) error {
		data := &infoReportFormPage{Page: Page{Title: "上报信息"}, Report: rep, Categories: domain.InfoCategories, Accept: coordAccept}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/info_report_form", data)
	}
	uploads, err := s.uploads.Receive(r, "files", upload.CoordAttachments, actor)
	if err != nil {
		return invalid(err)
	}
	id, notes, err := s.db.SubmitInfoReport(r.Context(), actor, rep, uploads)
	if err != nil {
		s.uploads.Discard(r.Context(), uploads)
		return invalid(err)
	}
	s.publishBell(r.Context(), notes)
	return redirectFlash(w, r, "/admin/my-info-reports/"+strconv.FormatInt(id, 10), "信息已上报，等待综治中心审核。")
}

type infoReportPage struct {
	Page
	Report    domain.InfoReport
	CanReview bool
	Note      string
}

func (s *Server) infoReportDetail(w http.ResponseWriter, r *http.Request, review bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	rep, err := s.db.GetInfoReport(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if !review && rep.OrgID != actor.OrgID {
		return domain.NotFound("上报信息不存在。")
	}
	return s.render(w, r, http.StatusOK, "admin/info_report", &infoReportPage{Page: Page{Title: rep.Title}, Report: rep,
		CanReview: review && rep.Status == domain.InfoSubmitted})
}

func (s *Server) myInfoReport(w http.ResponseWriter, r *http.Request) error {
	return s.infoReportDetail(w, r, false)
}

func (s *Server) infoReportReviewPage(w http.ResponseWriter, r *http.Request) error {
	return s.infoReportDetail(w, r, true)
}

func (s *Server) infoReportAdopt(w http.ResponseWriter, r *http.Request) error {
	return s.reviewInfo(w, r, true)
}

func (s *Server) infoReportDecline(w http.ResponseWriter, r *http.Request) error {
	return s.reviewInfo(w, r, false)
}

func (s *Server) reviewInfo(w http.ResponseWriter, r *http.Request, adopt bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	note := r.PostFormValue("note")
	notes, err := s.db.ReviewInfoReport(r.Context(), actor, id, adopt, note)
	to := "/admin/info-reports/" + strconv.FormatInt(id, 10)
	switch domain.ErrorKind(err) {
	case 0:
	case domain.KindInvalid:
		rep, gerr := s.db.GetInfoReport(r.Context(), actor, id)
		if gerr != nil {
			return gerr
		}
		data := &infoReportPage{Page: Page{Title: rep.Title}, Report: rep, CanReview: true, Note: note}
		formInvalid(&data.Page, err)
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/info_report", data)
	case domain.KindConflict:
		return redirectFlash(w, r, to, domain.UserMessage(err))
	default:
		return err
	}
	if err != nil {
		return err
	}
	s.publishBell(r.Context(), notes)
	msg := "已采用，并已转入待编稿件，宣传平台可据此生成稿件草稿。"
	if !adopt {
		msg = "已标记为不采用，并通知了上报人。"
	}
	return redirectFlash(w, r, to, msg)
}
