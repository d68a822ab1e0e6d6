package web

import (
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net/http"
	"strings"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

// Captcha limits: how long a question stays valid, and how many one address may ask for.
const (
	captchaTTL           = 20 * time.Minute
	captchasPerAddress10 = 60
)

type boardListPage struct {
	Page
	Posts []store.BoardPost
	Kinds []board.Kind
	Kind  board.Kind
	Pager Pager
}

func (s *Server) boardList(w http.ResponseWriter, r *http.Request) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	kind := board.Kind(r.URL.Query().Get("kind"))
	posts, total, err := s.db.ListPublicPosts(r.Context(), town.ID, store.PostFilter{Kind: kind, Page: store.Page{Number: pageNumber(r), Size: 15}})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "board/list", &boardListPage{Page: Page{Title: "平安建设大家说"}, Posts: posts,
		Kinds: board.Kinds, Kind: kind, Pager: newPager(r, pageNumber(r), 15, total)})
}

type boardFormPage struct {
	Page
	Post      board.Post
	Kinds     []board.Kind
	Question  string
	CaptchaID string
	Token     string
	Source    string // "chat" for a message left outside the chat's duty hours
	Limits    struct{ MinTitle, Title, MinBody, Body, Name, Address int }
}

func randomToken() string {
	b := make([]byte, 18)
	rand.Read(b)
	return base64.RawURLEncoding.EncodeToString(b)
}

// newCaptcha stores a fresh question for the form and returns its id and text. An address that
// requests too many gets KindTooMany.
func (s *Server) newCaptcha(r *http.Request) (id, question string, err error) {
	ipHash := s.ipHash(r)
	n, err := s.db.CountCaptchas(r.Context(), ipHash, s.db.Now().Add(-10*time.Minute))
	if err != nil {
		return "", "", err
	}
	if n >= captchasPerAddress10 {
		return "", "", &domain.Error{Kind: domain.KindTooMany, Message: "验证题获取过于频繁，请 10 分钟后再试。"}
	}
	q, a := board.NewQuestion()
	id = randomToken()
	if err := s.db.CreateCaptcha(r.Context(), hashToken(id), a, ipHash, captchaTTL); err != nil {
		return "", "", err
	}
	return id, q, nil
}

func (s *Server) boardForm(w http.ResponseWriter, r *http.Request) error {
	data := &boardFormPage{Page: Page{Title: "我要留言"}, Kinds: board.Kinds, Token: randomToken()}
	data.Post.Kind = board.Kind(r.URL.Query().Get("kind"))
	if r.URL.Query().Get("from") == "chat" {
		data.Source, data.Title = "chat", "给在线咨询值班人员留言"
	}
	return s.renderBoardForm(w, r, http.StatusOK, data, true)
}

func (s *Server) renderBoardForm(w http.ResponseWriter, r *http.Request, status int, data *boardFormPage, fresh bool) error {
	if fresh || data.CaptchaID == "" {
		id, q, err := s.newCaptcha(r)
		if err != nil {
			return err
		}
		data.CaptchaID, data.Question = id, q
	}
	data.Kinds = board.Kinds
	data.Limits.MinTitle, data.Limits.Title, data.Limits.MinBody, data.Limits.Body = board.MinTitle, board.MaxTitle, board.MinBody, board.MaxBody
	data.Limits.Name, data.Limits.Address = board.MaxName, board.MaxAddress
	return s.render(w, r, status, "board/new", data)
}

type boardReceiptPage struct {
	Page
	Receipt store.PostReceipt
}

// boardSubmit takes a visitor's post. A repeated submit shows the first receipt. The fields are
// validated before the captcha is spent, and the captcha, the limits and the photos are checked
// before anything is stored.
func (s *Server) boardSubmit(w http.ResponseWriter, r *http.Request) error {
	if err := upload.LimitRequest(w, r, upload.Photos, 64<<10); err != nil {
		return err
	}
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	token := r.PostFormValue("form_token")
	data := &boardFormPage{Page: Page{Title: "我要留言"}, Token: token, CaptchaID: r.PostFormValue("captcha_id"), Question: r.PostFormValue("captcha_question")}
	if r.PostFormValue("source") == "chat" {
		data.Source = "chat"
	}
	data.Post = board.Post{Kind: board.Kind(r.PostFormValue("kind")), Title: r.PostFormValue("title"), Body: r.PostFormValue("body"),
		Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Address: r.PostFormValue("address"),
		IDNumber: r.PostFormValue("id_number"), Public: r.PostFormValue("public") == "1", Consent: r.PostFormValue("consent") == "1"}
	if token == "" || len(token) > 64 {
		data.Token = randomToken()
		data.Message = "表单已失效，请重新提交。"
		return s.renderBoardForm(w, r, http.StatusBadRequest, data, true)
	}
	if rec, err := s.db.PostReceiptByToken(r.Context(), town.ID, token); err == nil {
		return s.render(w, r, http.StatusOK, "board/receipt", &boardReceiptPage{Page: Page{Title: "留言已提交"}, Receipt: rec})
	} else if domain.ErrorKind(err) != domain.KindNotFound {
		return err
	}
	if err := data.Post.Validate(s.db.Now()); err != nil {
		formInvalid(&data.Page, err)
		return s.renderBoardForm(w, r, http.StatusUnprocessableEntity, data, data.CaptchaID == "")
	}
	captchaHash, answer := hashToken(data.CaptchaID), board.NormalizeAnswer(r.PostFormValue("captcha_answer"))
	if err := s.db.CheckCaptcha(r.Context(), captchaHash, answer); err != nil {
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.renderBoardForm(w, r, http.StatusBadRequest, data, true)
	}
	ipHash := s.ipHash(r)
	if err := s.db.CheckPostLimits(r.Context(), ipHash, data.Post.Phone); err != nil {
		return err
	}
	photos, err := upload.PrepareField(r, "photos", upload.Photos)
	if err != nil {
		formInvalid(&data.Page, err)
		return s.renderBoardForm(w, r, http.StatusUnprocessableEntity, data, true)
	}
	words, err := s.db.SensitiveWords(r.Context(), town.ID)
	if err != nil {
		return err
	}
	in := store.NewPost{Post: data.Post, SubmitToken: token, IPHash: ipHash, Source: data.Source, CaptchaHash: captchaHash, CaptchaAnswer: answer,
		Flagged: board.CachedMatcher(words).Find(data.Post.Title, data.Post.Body, data.Post.Name, data.Post.Address)}
	visitor := domain.Actor{TownID: town.ID, Name: "访客", IP: s.clientIP(r)}
	for _, p := range photos {
		rec, err := s.uploads.Store(r.Context(), visitor, p)
		if err != nil {
			return err
		}
		in.FileIDs = append(in.FileIDs, rec.ID)
	}
	rec, _, err := s.db.CreatePost(r.Context(), town.ID, in)
	if err != nil {
		if errors.Is(err, store.ErrCaptchaUsed) && formInvalid(&data.Page, err) {
			return s.renderBoardForm(w, r, http.StatusBadRequest, data, true)
		}
		return err
	}
	return s.render(w, r, http.StatusOK, "board/receipt", &boardReceiptPage{Page: Page{Title: "留言已提交"}, Receipt: rec})
}

type boardPostPage struct {
	Page
	Post store.BoardPost
}

func (s *Server) boardPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	p, err := s.db.PublicPost(r.Context(), town.ID, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "board/post", &boardPostPage{Page: Page{Title: p.Title}, Post: p})
}

func (s *Server) boardPhoto(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	rec, err := s.db.PostFile(r.Context(), town.ID, id, fileID, true)
	if err != nil {
		return err
	}
	return upload.Serve(w, r, s.files, rec, upload.Serving{Inline: true})
}

type queryPage struct {
	Page
	Code    string
	Mobile  string
	Post    *store.BoardPost
	Case    *store.CitizenCaseView
	Ratings []casework.Rating
}

// CanRate reports whether there is an answer to rate: a unit's reply to the post, a reply in the
// case, or a case that has been resolved. Before that, and once rated, the page offers no rating.
func (p *queryPage) CanRate() bool {
	answered := func(st casework.State) bool {
		return st == casework.Replied || st == casework.Resolved || st == casework.FollowedUp || st == casework.Closed
	}
	// A rating is given once each time the matter is resolved, as the store enforces.
	if p.Case != nil && p.Case.Rating != "" && p.Case.State != casework.Resolved {
		return false
	}
	if p.Post != nil && p.Post.Rating != "" && (p.Post.CaseID == 0 || p.Post.CaseState != casework.Resolved) {
		return false
	}
	if p.Case != nil && (len(p.Case.Replies) > 0 || answered(p.Case.State)) {
		return true
	}
	if p.Post != nil {
		for _, m := range p.Post.Messages {
			if m.AuthorKind == "unit" {
				return true
			}
		}
		return answered(p.Post.CaseState)
	}
	return false
}

func (s *Server) queryForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "query", &queryPage{Page: Page{Title: "办理进度查询"}})
}

// queryOpen shows a post or case to the citizen who holds its query code and mobile number.
// Both travel in the POST body, never in the address, so they stay out of logs and history.
func (s *Server) queryOpen(w http.ResponseWriter, r *http.Request) error {
	problems := domain.Problems{}
	if strings.TrimSpace(r.PostFormValue("code")) == "" {
		problems.Add("code", "请填写查询码")
	}
	if strings.TrimSpace(r.PostFormValue("mobile")) == "" {
		problems.Add("mobile", "请填写手机号码")
	}
	if len(problems) > 0 {
		data := &queryPage{Page: Page{Title: "办理进度查询", Message: "查询信息不完整，请按提示补充后再查询。", Errors: problems},
			Code: casework.NormalizeQueryCode(r.PostFormValue("code")), Mobile: board.NormalizeMobile(r.PostFormValue("mobile"))}
		return s.render(w, r, http.StatusUnprocessableEntity, "query", data)
	}
	return s.renderQuery(w, r, http.StatusOK, "")
}

func (s *Server) renderQuery(w http.ResponseWriter, r *http.Request, status int, flash string) error {
	return s.renderQueryMessage(w, r, status, flash, "")
}

func (s *Server) renderQueryMessage(w http.ResponseWriter, r *http.Request, status int, flash, problem string) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	data := &queryPage{Page: Page{Title: "办理进度查询", Flash: flash, Message: problem}, Code: casework.NormalizeQueryCode(r.PostFormValue("code")),
		Mobile: board.NormalizeMobile(r.PostFormValue("mobile")), Ratings: casework.Ratings}
	p, err := s.db.CitizenPost(r.Context(), town.ID, data.Code, data.Mobile)
	if err == nil {
		data.Post = &p
		return s.render(w, r, status, "query", data)
	}
	if domain.ErrorKind(err) != domain.KindNotFound {
		return err
	}
	c, err := s.db.CitizenCase(r.Context(), town.ID, data.Code, data.Mobile)
	if err == nil {
		data.Case = &c
		return s.render(w, r, status, "query", data)
	}
	if domain.ErrorKind(err) != domain.KindNotFound {
		return err
	}
	data.Message = domain.UserMessage(err)
	data.Post, data.Case = nil, nil
	return s.render(w, r, http.StatusNotFound, "query", data)
}

func (s *Server) queryFollowUp(w http.ResponseWriter, r *http.Request) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	if err := s.db.CitizenFollowUp(r.Context(), town.ID, r.PostFormValue("code"), r.PostFormValue("mobile"), r.PostFormValue("question")); err != nil {
		if domain.ErrorKind(err) == domain.KindInvalid {
			return s.renderQueryError(w, r, err)
		}
		return err
	}
	return s.renderQuery(w, r, http.StatusOK, "您的追问已提交，工作人员会尽快答复。")
}

func (s *Server) queryRate(w http.ResponseWriter, r *http.Request) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	rating := store.CitizenRating{Rating: casework.Rating(r.PostFormValue("rating")), Reason: r.PostFormValue("reason"),
		NotSolved: r.PostFormValue("not_solved") == "1"}
	code, mobile := r.PostFormValue("code"), r.PostFormValue("mobile")
	err = s.db.CitizenRatePost(r.Context(), town.ID, code, mobile, rating)
	if domain.ErrorKind(err) == domain.KindNotFound {
		err = s.db.CitizenRateCase(r.Context(), town.ID, code, mobile, rating)
	}
	if err != nil {
		k := domain.ErrorKind(err)
		if k == domain.KindInvalid || k == domain.KindConflict {
			return s.renderQueryError(w, r, err)
		}
		return err
	}
	msg := "感谢您的评价。"
	if rating.NotSolved {
		msg = "已收到您的反馈，事项已重新交办。"
	}
	return s.renderQuery(w, r, http.StatusOK, msg)
}

// renderQueryError shows the query page again with the problem of a follow-up or rating.
func (s *Server) renderQueryError(w http.ResponseWriter, r *http.Request, cause error) error {
	status := http.StatusUnprocessableEntity
	if domain.ErrorKind(cause) == domain.KindConflict {
		status = http.StatusConflict
	}
	msg := domain.UserMessage(cause)
	if f := domain.FieldErrors(cause); len(f) > 0 {
		parts := make([]string, 0, len(f))
		for _, m := range f {
			parts = append(parts, m)
		}
		msg = strings.Join(parts, " ")
	}
	return s.renderQueryMessage(w, r, status, "", "未能提交："+msg)
}
