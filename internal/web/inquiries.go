package web

import (
	"net/http"
	"strconv"

	"pingan/internal/domain"
	"pingan/internal/store"
)

type inquiryListPage struct {
	Page
	Asked     bool
	Inquiries []domain.Inquiry
	Pager     Pager
	Status    string
	Query     string
	CanAsk    bool
	Scope     listScope
}

func (s *Server) inquiryList(w http.ResponseWriter, r *http.Request, asked bool) error {
	actor := s.actor(r)
	q := r.URL.Query()
	f := store.InquiryFilter{Asked: asked, Status: domain.InquiryStatus(q.Get("status")), Query: domain.CleanLine(q.Get("q"))}
	p := domain.Problems{}
	switch f.Status {
	case "", domain.InquiryOpen, domain.InquiryAnswered:
	default:
		p.Add("status", "状态应为 open（待答复）或 answered（已答复）。")
	}
	f.From, f.To = periodParams(q, p)
	pageParam(q, p)
	if err := filterErr(p); err != nil {
		return err
	}
	scope := listScope{Base: "/admin/inquiries", Params: periodScope(q, "询问日期")}
	if asked {
		scope.Base = "/admin/my-inquiries"
	}
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, err := s.db.ListInquiries(r.Context(), actor, f, page)
	if err != nil {
		return err
	}
	title := "答复询问"
	if asked {
		title = "询问事项"
	}
	return s.render(w, r, http.StatusOK, "admin/inquiries", &inquiryListPage{Page: Page{Title: title}, Asked: asked, Inquiries: list,
		Pager: newPager(r, page.Normalize(total).Number, 20, total), Status: string(f.Status), Query: f.Query,
		CanAsk: actor.Can(domain.PermInquiriesAsk), Scope: scope})
}

// myInquiries lists the inquiries the person's organization asked, open and answered.
func (s *Server) myInquiries(w http.ResponseWriter, r *http.Request) error {
	return s.inquiryList(w, r, true)
}

// inquiriesToAnswer lists the inquiries the person's organization answers; the center sees all.
func (s *Server) inquiriesToAnswer(w http.ResponseWriter, r *http.Request) error {
	return s.inquiryList(w, r, false)
}

type inquiryFormPage struct {
	Page
	Inquiry   domain.Inquiry
	Answerers []domain.Org
	Assignee  int64
}

func (s *Server) inquiryNewForm(w http.ResponseWriter, r *http.Request) error {
	answerers, err := s.db.InquiryAnswerers(r.Context(), s.actor(r))
	if err != nil {
		return err
	}
	data := &inquiryFormPage{Page: Page{Title: "提出询问"}, Answerers: answerers}
	if len(answerers) > 0 {
		data.Assignee = answerers[0].ID
	}
	return s.render(w, r, http.StatusOK, "admin/inquiry_form", data)
}

func (s *Server) inquiryCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	q := domain.Inquiry{Title: r.PostFormValue("title"), Question: r.PostFormValue("question")}
	assignee, _ := strconv.ParseInt(r.PostFormValue("assignee"), 10, 64)
	id, notes, err := s.db.AskInquiry(r.Context(), actor, q, assignee)
	if err != nil {
		answerers, aerr := s.db.InquiryAnswerers(r.Context(), actor)
		if aerr != nil {
			return aerr
		}
		data := &inquiryFormPage{Page: Page{Title: "提出询问"}, Inquiry: q, Answerers: answerers, Assignee: assignee}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/inquiry_form", data)
	}
	s.publishBell(r.Context(), notes)
	return redirectFlash(w, r, "/admin/my-inquiries/"+strconv.FormatInt(id, 10), "询问已提交。")
}

type inquiryPage struct {
	Page
	Inquiry   domain.Inquiry
	Access    store.InquiryAccess
	Answerers []domain.Org
	Answer    string
	FAQQ      string
	FAQA      string
	// Manage is true on the answering side's page.
	Manage bool
}

func (s *Server) inquiryDetail(w http.ResponseWriter, r *http.Request, manage bool) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderInquiry(w, r, http.StatusOK, id, manage, nil, nil)
}

func (s *Server) renderInquiry(w http.ResponseWriter, r *http.Request, status int, id int64, manage bool, cause error, keep func(*inquiryPage)) error {
	actor := s.actor(r)
	q, access, err := s.db.GetInquiry(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if (manage && !access.Answerer) || (!manage && !access.Asker) {
		return domain.NotFound("询问事项不存在。")
	}
	data := &inquiryPage{Page: Page{Title: q.Title}, Inquiry: q, Access: access, Manage: manage, FAQQ: q.FAQQuestion, FAQA: q.FAQAnswer}
	if data.FAQQ == "" {
		data.FAQQ, data.FAQA = q.Question, q.Answer
	}
	if manage && access.Center {
		if data.Answerers, err = s.db.InquiryAnswerers(r.Context(), actor); err != nil {
			return err
		}
	}
	if cause != nil {
		formInvalid(&data.Page, cause)
	}
	if keep != nil {
		keep(data)
	}
	return s.render(w, r, status, "admin/inquiry", data)
}

func (s *Server) myInquiry(w http.ResponseWriter, r *http.Request) error {
	return s.inquiryDetail(w, r, false)
}

func (s *Server) inquiryManage(w http.ResponseWriter, r *http.Request) error {
	return s.inquiryDetail(w, r, true)
}

// inquiryAction runs one answering-side change and shows the page again on a form error.
func (s *Server) inquiryAction(w http.ResponseWriter, r *http.Request, run func(id int64) error, keep func(*inquiryPage), done string) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	to := "/admin/inquiries/" + strconv.FormatInt(id, 10)
	err = run(id)
	switch domain.ErrorKind(err) {
	case 0:
		if err != nil {
			return err
		}
		return redirectFlash(w, r, to, done)
	case domain.KindInvalid:
		return s.renderInquiry(w, r, http.StatusUnprocessableEntity, id, true, err, keep)
	case domain.KindConflict, domain.KindForbidden:
		return redirectFlash(w, r, to, domain.UserMessage(err))
	}
	return err
}

func (s *Server) inquiryAnswer(w http.ResponseWriter, r *http.Request) error {
	answer := r.PostFormValue("answer")
	return s.inquiryAction(w, r, func(id int64) error {
		notes, err := s.db.AnswerInquiry(r.Context(), s.actor(r), id, answer)
		s.publishBell(r.Context(), notes)
		return err
	}, func(p *inquiryPage) { p.Answer = answer }, "已答复，并通知了提问人。")
}

func (s *Server) inquiryAssign(w http.ResponseWriter, r *http.Request) error {
	orgID, _ := strconv.ParseInt(r.PostFormValue("assignee"), 10, 64)
	return s.inquiryAction(w, r, func(id int64) error {
		notes, err := s.db.AssignInquiry(r.Context(), s.actor(r), id, orgID)
		s.publishBell(r.Context(), notes)
		return err
	}, nil, "已转交。")
}

func (s *Server) inquiryPublishFAQ(w http.ResponseWriter, r *http.Request) error {
	q, a := r.PostFormValue("faq_question"), r.PostFormValue("faq_answer")
	return s.inquiryAction(w, r, func(id int64) error {
		return s.db.PublishFAQ(r.Context(), s.actor(r), id, q, a)
	}, func(p *inquiryPage) { p.FAQQ, p.FAQA = q, a }, "已发布到公开的常见问题。")
}

func (s *Server) inquiryWithdrawFAQ(w http.ResponseWriter, r *http.Request) error {
	return s.inquiryAction(w, r, func(id int64) error {
		return s.db.WithdrawFAQ(r.Context(), s.actor(r), id)
	}, nil, "已从常见问题中撤下。")
}

type faqPage struct {
	Page
	Entries []domain.Inquiry
	Pager   Pager
	Query   string
}

// faq is the public page of the FAQ entries published from answered inquiries.
func (s *Server) faq(w http.ResponseWriter, r *http.Request) error {
	town, err := s.db.FirstTown(r.Context())
	if err != nil {
		return err
	}
	q := domain.CleanLine(r.URL.Query().Get("q"))
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, err := s.db.ListFAQ(r.Context(), town.ID, q, page)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "faq", &faqPage{Page: Page{Title: "常见问题"}, Entries: list,
		Pager: newPager(r, page.Normalize(total).Number, 20, total), Query: q})
}
