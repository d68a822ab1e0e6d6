package web

import (
	"net/http"
	"slices"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

type noticeListPage struct {
	Page
	Tab     string // "inbox" or "sent"
	Notices []domain.Notice
	Pager   Pager
	Query   string
	Unread  bool
	Issuer  bool
	// UnreadCount is how many received notices the person has not opened.
	UnreadCount int
	Scope       listScope
}

// noticeInbox lists the notices sent to the person's organization.
func (s *Server) noticeInbox(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	q := r.URL.Query()
	f := store.NoticeFilter{Query: domain.CleanLine(q.Get("q")), UnreadOnly: q.Get("unread") == "1"}
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, err := s.db.ListReceivedNotices(r.Context(), actor, f, page)
	if err != nil {
		return err
	}
	unread, err := s.db.UnreadNoticeCount(r.Context(), actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/notices", &noticeListPage{Page: Page{Title: "通知公告"}, Tab: "inbox",
		Notices: list, Pager: newPager(r, page.Normalize(total).Number, 20, total), Query: f.Query, Unread: f.UnreadOnly,
		Issuer: actor.Can(domain.PermNoticesIssue), UnreadCount: unread})
}

// noticeSent lists the notices the person's organization issued.
func (s *Server) noticeSent(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.NoticeFilter{Query: domain.CleanLine(q.Get("q"))}
	p := domain.Problems{}
	f.From, f.To = periodParams(q, p)
	pageParam(q, p)
	if err := filterErr(p); err != nil {
		return err
	}
	scope := listScope{Base: "/admin/notices/sent", Params: periodScope(q, "下发日期")}
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, err := s.db.ListSentNotices(r.Context(), s.actor(r), f, page)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/notices", &noticeListPage{Page: Page{Title: "已下发的通知"}, Tab: "sent",
		Notices: list, Pager: newPager(r, page.Normalize(total).Number, 20, total), Query: f.Query, Issuer: true, Scope: scope})
}

// orgGroup is one kind of organization in the recipient picker.
type orgGroup struct {
	Kind domain.OrgKind
	Orgs []domain.Org
}

type noticeFormPage struct {
	Page
	Notice   domain.Notice
	Deadline string
	Groups   []orgGroup
	Kinds    []domain.NoticeKind
	Picked   map[int64]bool
	KindAll  map[domain.OrgKind]bool
	Accept   string
}

// recipientGroups lists the organizations of the town that may receive notices, by kind, in
// the order of the kinds, leaving out the sender's own organization.
func (s *Server) recipientGroups(r *http.Request, actor domain.Actor) ([]orgGroup, error) {
	orgs, err := s.db.ListOrgs(r.Context(), actor)
	if err != nil {
		return nil, err
	}
	var groups []orgGroup
	for _, k := range domain.OrgKinds {
		if k == domain.OrgTown || k == domain.OrgCounty {
			continue
		}
		g := orgGroup{Kind: k}
		for _, o := range orgs {
			if o.Kind == k && o.ID != actor.OrgID {
				g.Orgs = append(g.Orgs, o)
			}
		}
		if len(g.Orgs) > 0 {
			groups = append(groups, g)
		}
	}
	return groups, nil
}

func (s *Server) noticeNewForm(w http.ResponseWriter, r *http.Request) error {
	groups, err := s.recipientGroups(r, s.actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/notice_form", &noticeFormPage{Page: Page{Title: "下发通知"},
		Notice: domain.Notice{Kind: domain.NoticeGeneral}, Groups: groups, Kinds: domain.NoticeKinds,
		Picked: map[int64]bool{}, KindAll: map[domain.OrgKind]bool{}, Accept: coordAccept})
}

// noticeCreate issues a notice to the organizations picked by hand and to every organization of
// the kinds picked as a whole ("all villages").
func (s *Server) noticeCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	if err := parseCoordForm(w, r); err != nil {
		return err
	}
	groups, err := s.recipientGroups(r, actor)
	if err != nil {
		return err
	}
	data := &noticeFormPage{Page: Page{Title: "下发通知"}, Groups: groups, Kinds: domain.NoticeKinds,
		Picked: map[int64]bool{}, KindAll: map[domain.OrgKind]bool{}, Accept: coordAccept}
	n := domain.Notice{Kind: domain.NoticeKind(r.PostFormValue("kind")), Title: r.PostFormValue("title"),
		Body: r.PostFormValue("body"), FeedbackRequired: r.PostFormValue("feedback_required") == "1"}
	data.Deadline = r.PostFormValue("deadline")
	deadline, ok := domain.ParseLocalDateTime(data.Deadline)
	n.Deadline = deadline
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
		for _, g := range groups {
			if g.Kind == k {
				for _, o := range g.Orgs {
					orgIDs = append(orgIDs, o.ID)
				}
			}
		}
	}
	data.Notice = n

	invalid := func(err error) error {
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/notice_form", data)
	}
	if !ok {
		return invalid(&domain.Error{Kind: domain.KindInvalid, Message: "提交的内容有误，请按提示修改后重新提交。",
			Fields: map[string]string{"deadline": domain.DateTimeFormatMessage("截止时间", data.Deadline)}})
	}

	uploads, err := s.uploads.Receive(r, "files", upload.CoordAttachments, actor)
	if err != nil {
		return invalid(err)
	}
	id, notes, err := s.db.IssueNotice(r.Context(), actor, n, orgIDs, uploads)
	if err != nil {
		s.uploads.Discard(r.Context(), uploads)
		return invalid(err)
	}
	s.publishBell(r.Context(), notes)
	return redirectFlash(w, r, "/admin/notices/"+strconv.FormatInt(id, 10)+"/receipts",
		"已下发“"+domain.CleanLine(n.Title)+"”。")
}

type noticeDetailPage struct {
	Page
	View      store.NoticeView
	Feedback  []domain.NoticeFeedback
	Body      string
	Overdue   bool
	Accept    string
	CanRemind bool
}

// isPrefetch reports whether the browser fetched the page ahead of the person opening it; a
// prefetch never counts as a read.
func isPrefetch(r *http.Request) bool {
	for _, h := range []string{"Sec-Purpose", "Purpose", "X-Purpose", "X-Moz"} {
		if strings.Contains(strings.ToLower(r.Header.Get(h)), "prefetch") || strings.Contains(strings.ToLower(r.Header.Get(h)), "preview") {
			return true
		}
	}
	return false
}

// noticeDetail shows a notice. When a person of a recipient organization opens it, the read is
// recorded first, so the sender's matrix shows it at once.
func (s *Server) noticeDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	v, err := s.db.GetNotice(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if v.IsRecipient && r.Method == http.MethodGet && !isPrefetch(r) {
		if _, err := s.db.RecordNoticeRead(r.Context(), actor, id); err != nil {
			return err
		}
	}
	return s.renderNotice(w, r, http.StatusOK, v, "")
}

func (s *Server) renderNotice(w http.ResponseWriter, r *http.Request, status int, v store.NoticeView, body string) error {
	actor := s.actor(r)
	fb, err := s.db.NoticeFeedbackList(r.Context(), actor, v.Notice.ID)
	if err != nil {
		return err
	}
	data := &noticeDetailPage{Page: Page{Title: v.Notice.Title}, View: v, Feedback: fb, Body: body,
		Overdue: v.Notice.Overdue(s.db.Now()), Accept: coordAccept,
		CanRemind: v.IsSender && actor.Can(domain.PermNoticesIssue)}
	return s.render(w, r, status, "admin/notice", data)
}

// noticeFeedback records a recipient organization's feedback with files.
func (s *Server) noticeFeedback(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	if err := parseCoordForm(w, r); err != nil {
		return err
	}
	v, err := s.db.GetNotice(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if !v.IsRecipient {
		return domain.NotFound("通知不存在。")
	}

	body := r.PostFormValue("body")
	invalid := func(err error) error {
		data := &noticeDetailPage{Page: Page{Title: v.Notice.Title}, View: v, Body: body, Accept: coordAccept}
		if !formInvalid(&data.Page, err) {
			return err
		}
		fb, ferr := s.db.NoticeFeedbackList(r.Context(), actor, id)
		if ferr != nil {
			return ferr
		}
		data.Feedback = fb
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/notice", data)
	}
	uploads, err := s.uploads.Receive(r, "files", upload.CoordAttachments, actor)
	if err != nil {
		return invalid(err)
	}
	notes, err := s.db.AddNoticeFeedback(r.Context(), actor, id, body, uploads)
	if err != nil {
		s.uploads.Discard(r.Context(), uploads)
		return invalid(err)
	}
	s.publishBell(r.Context(), notes)
	return redirectFlash(w, r, "/admin/notices/"+strconv.FormatInt(id, 10), "回执已提交。")
}

// receiptRow is one organization of the sender's matrix with its lateness worked out.
type receiptRow struct {
	domain.NoticeRecipient
	Late    bool
	Pending bool
}

type noticeReceiptsPage struct {
	Page
	Notice   domain.Notice
	Rows     []receiptRow
	Feedback []domain.NoticeFeedback
	Read     int
	Unread   int
	Answered int
	Late     int
	Pending  int
}

// noticeReceipts shows the sender the matrix of organizations × read, feedback and lateness.
func (s *Server) noticeReceipts(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	n, recipients, err := s.db.NoticeRecipients(r.Context(), actor, id)
	if err != nil {
		return err
	}
	fb, err := s.db.NoticeFeedbackList(r.Context(), actor, id)
	if err != nil {
		return err
	}
	now := s.db.Now()
	data := &noticeReceiptsPage{Page: Page{Title: "签收与回执：" + n.Title}, Notice: n, Feedback: fb}
	for _, rc := range recipients {
		row := receiptRow{NoticeRecipient: rc, Late: rc.Late(n, now), Pending: rc.Pending(n)}
		data.Rows = append(data.Rows, row)
		if rc.Read() {
			data.Read++
		} else {
			data.Unread++
		}
		if rc.HasFeedback() {
			data.Answered++
		}
		if row.Late {
			data.Late++
		}
		if row.Pending {
			data.Pending++
		}
	}
	return s.render(w, r, http.StatusOK, "admin/notice_receipts", data)
}

// noticeRemind sends a reminder to one organization (org_id) or to every pending one.
func (s *Server) noticeRemind(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	orgID, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	names, notes, err := s.db.RemindNotice(r.Context(), s.actor(r), id, orgID)
	to := "/admin/notices/" + strconv.FormatInt(id, 10) + "/receipts"
	if domain.ErrorKind(err) == domain.KindConflict {
		return redirectFlash(w, r, to, domain.UserMessage(err))
	}
	if err != nil {
		return err
	}
	s.publishBell(r.Context(), notes)
	shown := names
	if len(shown) > 5 {
		shown = slices.Concat(shown[:5], []string{"等 " + strconv.Itoa(len(names)) + " 个单位"})
	}
	return redirectFlash(w, r, to, "已催办："+strings.Join(shown, "、")+"。")
}
