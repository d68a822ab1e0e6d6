package web

import (
	"errors"
	"net/http"
	"net/url"

	"pingan/internal/board"
	"pingan/internal/domain"
	"pingan/internal/store"
)

// siteErrorFormPage is the public form of 网站纠错.
type siteErrorFormPage struct {
	Page
	Report    domain.SiteErrorReport
	Token     string
	CaptchaID string
	Question  string
	Limits    struct{ Page, Description, Contact int }
	Done      bool // the report was stored; the page thanks the visitor
}

// reportError shows the form, with the page address taken from the page parameter (the
// footer's link sets it) or else from a Referer on this site.
func (s *Server) reportError(w http.ResponseWriter, r *http.Request) error {
	data := &siteErrorFormPage{Page: Page{Title: "网站纠错"}, Token: randomToken()}
	data.Report.PageURL = safeNext(r.URL.Query().Get("page"))
	if data.Report.PageURL == "" {
		data.Report.PageURL = sameSiteReferer(r)
	}
	return s.renderSiteErrorForm(w, r, http.StatusOK, data, true)
}

// sameSiteReferer returns the path and query of the Referer when it is a page of this site other
// than the form itself, or "".
func sameSiteReferer(r *http.Request) string {
	u, err := url.Parse(r.Referer())
	if err != nil || u.Host != r.Host || u.Path == "/report-error" {
		return ""
	}
	return safeNext(u.RequestURI())
}

func (s *Server) renderSiteErrorForm(w http.ResponseWriter, r *http.Request, status int, data *siteErrorFormPage, fresh bool) error {
	if fresh || data.CaptchaID == "" {
		id, q, err := s.newCaptcha(r)
		if err != nil {
			return err
		}
		data.CaptchaID, data.Question = id, q
	}
	data.Limits.Page, data.Limits.Description, data.Limits.Contact = domain.MaxSiteErrorPage, domain.MaxSiteErrorDescription, domain.MaxSiteErrorContact
	return s.render(w, r, status, "report_error", data)
}

// reportErrorSubmit stores a visitor's report. As on the message board, the fields are checked
// before the captcha is spent, and the captcha and the address's limits before anything is
// stored. A repeated submit of the same form shows the thanks again.
func (s *Server) reportErrorSubmit(w http.ResponseWriter, r *http.Request) error {
	r.Body = http.MaxBytesReader(w, r.Body, 64<<10)
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	token := r.PostFormValue("form_token")
	data := &siteErrorFormPage{Page: Page{Title: "网站纠错"}, Token: token, CaptchaID: r.PostFormValue("captcha_id"),
		Question: r.PostFormValue("captcha_question")}
	data.Report = domain.SiteErrorReport{PageURL: r.PostFormValue("page"), Description: r.PostFormValue("description"),
		Contact: r.PostFormValue("contact")}
	if token == "" || len(token) > 64 {
		data.Token = randomToken()
		data.Message = "表单已失效，请重新提交。"
		return s.renderSiteErrorForm(w, r, http.StatusBadRequest, data, true)
	}
	if done, err := s.db.SiteErrorSubmitted(r.Context(), town.ID, token); err != nil {
		return err
	} else if done {
		return s.render(w, r, http.StatusOK, "report_error", &siteErrorFormPage{Page: Page{Title: "网站纠错"}, Done: true})
	}
	if err := data.Report.Validate(); err != nil {
		formInvalid(&data.Page, err)
		return s.renderSiteErrorForm(w, r, http.StatusUnprocessableEntity, data, data.CaptchaID == "")
	}
	captchaHash, answer := hashToken(data.CaptchaID), board.NormalizeAnswer(r.PostFormValue("captcha_answer"))
	if err := s.db.CheckCaptcha(r.Context(), captchaHash, answer); err != nil {
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.renderSiteErrorForm(w, r, http.StatusBadRequest, data, true)
	}
	_, err = s.db.CreateSiteErrorReport(r.Context(), town.ID, store.NewSiteErrorReport{Report: data.Report, SubmitToken: token,
		IPHash: s.ipHash(r), CaptchaHash: captchaHash, CaptchaAnswer: answer})
	if err != nil {
		if errors.Is(err, store.ErrCaptchaUsed) && formInvalid(&data.Page, err) {
			return s.renderSiteErrorForm(w, r, http.StatusBadRequest, data, true)
		}
		return err
	}
	return s.render(w, r, http.StatusOK, "report_error", &siteErrorFormPage{Page: Page{Title: "网站纠错"}, Done: true})
}

type siteErrorListPage struct {
	Page
	Reports  []domain.SiteErrorReport
	Status   domain.SiteErrorStatus
	Statuses []domain.SiteErrorStatus
	Pager    Pager
}

// siteErrorList lists the town's reports for the staff who maintain the site, the ones waiting
// first by default.
func (s *Server) siteErrorList(w http.ResponseWriter, r *http.Request) error {
	status := domain.SiteErrorStatus(r.URL.Query().Get("status"))
	switch status {
	case "":
		status = domain.SiteErrorNew
	case "all":
		status = ""
	case domain.SiteErrorNew, domain.SiteErrorHandled:
	default:
		return domain.Invalid("状态筛选条件无效。")
	}
	list, total, err := s.db.ListSiteErrors(r.Context(), s.actor(r), store.SiteErrorFilter{Status: status, Page: store.Page{Number: pageNumber(r), Size: 20}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/site_errors", &siteErrorListPage{Page: Page{Title: "网站纠错"}, Reports: list,
		Status: status, Statuses: []domain.SiteErrorStatus{domain.SiteErrorNew, domain.SiteErrorHandled}, Pager: newPager(r, pageNumber(r), 20, total)})
}

type siteErrorPage struct {
	Page
	Report   domain.SiteErrorReport
	Revealed bool
	Note     string
}

// siteErrorDetail shows one report; ?reveal=1 shows the contact in full, audited.
func (s *Server) siteErrorDetail(w http.ResponseWriter, r *http.Request) error {
	return s.renderSiteError(w, r, http.StatusOK, nil)
}

func (s *Server) renderSiteError(w http.ResponseWriter, r *http.Request, status int, cause error) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	reveal := r.Method == http.MethodGet && r.URL.Query().Get("reveal") == "1"
	rep, err := s.db.SiteError(r.Context(), s.actor(r), id, reveal)
	if err != nil {
		return err
	}
	data := &siteErrorPage{Page: Page{Title: "网站纠错详情"}, Report: rep, Revealed: reveal}
	if cause != nil {
		formInvalid(&data.Page, cause)
		data.Note = r.PostFormValue("note")
	}
	return s.render(w, r, status, "admin/site_error", data)
}

// siteErrorHandle marks a report handled, with an optional note of what was done.
func (s *Server) siteErrorHandle(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.HandleSiteError(r.Context(), s.actor(r), id, r.PostFormValue("note")); err != nil {
		if domain.ErrorKind(err) == domain.KindInvalid {
			return s.renderSiteError(w, r, http.StatusUnprocessableEntity, err)
		}
		return err
	}
	return redirectFlash(w, r, "/admin/site-errors/"+itoa(id), "已标记为已处理。")
}
