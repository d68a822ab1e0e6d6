package web

import (
	"fmt"
	"net/http"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store"
	"pingan/internal/upload"
)

type boardQueuePage struct {
	Page
	Posts    []store.BoardPost
	Status   board.Status
	Statuses []board.Status
	// Unanswered limits the list to accepted posts no unit has answered yet.
	Unanswered bool
	Scope      listScope
	Pager      Pager
	// SeesCases links case numbers to the case pages.
	SeesCases bool
}

// mayOpenBoardCases reports whether the actor may open every case made from a post, because only
// the center's case scope covers the whole town. A moderator without it gets the number only.
func mayOpenBoardCases(actor domain.Actor) bool {
	return actor.Can(domain.PermCasesView) && actor.Can(domain.PermCasesDispatch)
}

func (s *Server) boardQueue(w http.ResponseWriter, r *http.Request) error {
	status := board.Status(r.URL.Query().Get("status"))
	if r.URL.Query().Get("status") == "" {
		status = board.Pending
	}
	if status == "all" {
		status = ""
	}
	unanswered := r.URL.Query().Get("unanswered") == "1"
	f := store.PostFilter{Status: status, Unanswered: unanswered, Page: store.Page{Number: pageNumber(r), Size: 20}}
	scope, err := s.boardQueueScope(r, &f)
	if err != nil {
		return err
	}
	posts, total, err := s.db.ListPostsForStaff(r.Context(), s.actor(r), f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/board/queue", &boardQueuePage{Page: Page{Title: "留言审核"}, Posts: posts, Status: status, Unanswered: unanswered,
		Statuses: []board.Status{board.Pending, board.Published, board.Private, board.Rejected}, Scope: scope, Pager: newPager(r, pageNumber(r), 20, total), SeesCases: mayOpenBoardCases(s.actor(r))})
}

// boardQueueScope reads the filters the dashboard's links add to the message-board queue: the
// kind of post, the days from and to (inclusive, Beijing time) it was sent, and overdue=1, which
// keeps the unanswered posts whose reply limit has passed.
func (s *Server) boardQueueScope(r *http.Request, f *store.PostFilter) (listScope, error) {
	q := r.URL.Query()
	p := domain.Problems{}
	scope := listScope{Base: "/admin/board?status=all"}
	switch f.Status {
	case "", board.Pending, board.Published, board.Private, board.Rejected:
	default:
		p.Add("status", "状态应为 all、pending、published、private 或 rejected。")
	}
	if v := q.Get("kind"); v != "" {
		f.Kind = board.Kind(v)
		if !f.Kind.Valid() {
			p.Add("kind", "留言类别应为 suggestion、consultation、complaint、help 或 tipoff。")
		}
		scope.Params = append(scope.Params, scopeParam{Name: "kind", Label: "类别", Value: f.Kind.Label()})
	}
	f.From, f.To = periodParams(q, p)
	pageParam(q, p)
	scope.Params = append(scope.Params, periodScope(q, "留言日期")...)
	if f.Unanswered && !f.To.IsZero() {
		// As on the dashboard, a post counts as unanswered when no answer came by the end of
		// the last day, or by now while that day has not ended.
		f.AsOf = f.To
		if now := s.db.Now(); now.Before(f.AsOf) {
			f.AsOf = now
		}
		scope.Params = append(scope.Params, scopeParam{Name: "unanswered", Label: "截至", Value: "1",
			Text: f.AsOf.In(domain.Shanghai).Format("2006-01-02 15:04") + " 未答复"})
	}
	switch q.Get("overdue") {
	case "":
	case "1":
		if !f.Unanswered {
			p.Add("overdue", "超过答复时限的筛选只用于未答复的留言，请同时设置 unanswered=1。")
			break
		}
		ids, err := s.overduePostIDs(r, f.AsOf)
		if err != nil {
			return scope, err
		}
		f.IDs = ids
		scope.Base = "/admin/board?status=all&unanswered=1"
		scope.Params = append(scope.Params, scopeParam{Name: "overdue", Label: "统计口径", Value: "1",
			Text: fmt.Sprintf("超过答复时限（%d 个工作日）", stats.PostReplyLimit())})
	default:
		p.Add("overdue", "超过答复时限筛选的值应为 1。")
	}
	return scope, filterErr(p)
}

// overduePostIDs returns the posts unanswered at asOf (now when zero) whose reply limit had
// passed by then, by the rule of unanswered_posts_overdue.
func (s *Server) overduePostIDs(r *http.Request, asOf time.Time) ([]int64, error) {
	if asOf.IsZero() {
		asOf = s.db.Now()
	}
	posts, err := s.db.UnansweredPosts(r.Context(), s.actor(r).TownID, asOf)
	if err != nil {
		return nil, err
	}
	cal, err := s.db.Calendar(r.Context())
	if err != nil {
		return nil, err
	}
	ids := []int64{}
	for _, p := range posts {
		if cal.Deadline(p.CreatedAt, stats.PostReplyLimit()).Before(asOf) {
			ids = append(ids, p.ID)
		}
	}
	return ids, nil
}

type boardStaffPage struct {
	Page
	Post       store.BoardPost
	Categories []casework.CategoryInfo
	CanCase    bool
	SeesCases  bool
}

func (s *Server) boardStaffPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	p, err := s.db.PostForStaff(r.Context(), actor, id, r.URL.Query().Get("reveal") == "1")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/board/post", &boardStaffPage{Page: Page{Title: "留言详情"}, Post: p,
		Categories: casework.Categories, CanCase: actor.Can(domain.PermCasesDispatch), SeesCases: mayOpenBoardCases(actor)})
}

func (s *Server) boardModerate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := s.db.ModeratePost(r.Context(), s.actor(r), id, r.PostFormValue("decision"), r.PostFormValue("note")); err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/board/"+itoa(id), "审核结果已保存。")
}

func (s *Server) boardReply(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	msg, err := s.db.ReplyToPost(r.Context(), s.actor(r), id, r.PostFormValue("reply"))
	if err != nil {
		return err
	}
	s.sendCitizen(r.Context(), []store.CitizenMessage{msg})
	return redirectFlash(w, r, "/admin/board/"+itoa(id), "答复已发布。")
}

// boardRegister registers a moderated post as a case.
func (s *Server) boardRegister(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	p, err := s.db.PostForStaff(r.Context(), actor, id, false)
	if err != nil {
		return err
	}
	reg, err := s.db.RegisterCase(r.Context(), actor, store.NewCase{Channel: casework.ChannelBoard, Category: casework.Category(r.PostFormValue("category")),
		Title: p.Title, Body: p.Body, PostID: id, SubjectOrgID: formID(r, "subject_org_id")})
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/cases/"+itoa(reg.ID), "已登记为工单 "+reg.Number+"，请交办。")
}

func (s *Server) boardStaffPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	rec, err := s.db.PostFile(r.Context(), s.actor(r).TownID, id, fileID, false)
	if err != nil {
		return err
	}
	return upload.Serve(w, r, s.files, rec, upload.Serving{Inline: true})
}

type wordsPage struct {
	Page
	Words string
	Count int
}

func (s *Server) wordsForm(w http.ResponseWriter, r *http.Request) error {
	words, err := s.db.SensitiveWords(r.Context(), s.actor(r).TownID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/board/words", &wordsPage{Page: Page{Title: "敏感词表"}, Words: words, Count: len(board.ParseWords(words))})
}

func (s *Server) wordsSave(w http.ResponseWriter, r *http.Request) error {
	list := r.PostFormValue("words")
	if err := s.db.SaveSensitiveWords(r.Context(), s.actor(r), list); err != nil {
		data := &wordsPage{Page: Page{Title: "敏感词表"}, Words: list}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/board/words", data)
	}
	return redirectFlash(w, r, "/admin/board/words", "敏感词表已保存。")
}
