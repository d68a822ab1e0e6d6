package web

import (
	"net/http"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
)

const chatCookie = "pingan_chat"

type chatStartPage struct {
	Page
	OnDuty    bool
	Hours     string
	Chat      store.NewChat
	Question  string
	CaptchaID string
}

// chatStart shows the consultation entry: the start form within duty hours, or the invitation
// to leave a message outside them. A visitor who already holds an open chat goes back to it.
func (s *Server) chatStart(w http.ResponseWriter, r *http.Request) error {
	if c, err := s.visitorChat(r); err == nil && c.State != store.ChatEnded {
		http.Redirect(w, r, "/chat/room", http.StatusSeeOther)
		return nil
	}
	return s.renderChatStart(w, r, http.StatusOK, &chatStartPage{Page: Page{Title: "在线咨询"}})
}

func (s *Server) renderChatStart(w http.ResponseWriter, r *http.Request, status int, data *chatStartPage) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	data.OnDuty, data.Hours, err = s.db.OnDuty(r.Context(), town.ID, s.db.Now())
	if err != nil {
		return err
	}
	if data.OnDuty {
		if data.CaptchaID, data.Question, err = s.newCaptcha(r); err != nil {
			return err
		}
	}
	return s.render(w, r, status, "chat/start", data)
}

func (s *Server) chatCreate(w http.ResponseWriter, r *http.Request) error {
	town, err := s.publicTown(r)
	if err != nil {
		return err
	}
	data := &chatStartPage{Page: Page{Title: "在线咨询"}, Chat: store.NewChat{Name: r.PostFormValue("name"), Phone: r.PostFormValue("phone"), Topic: r.PostFormValue("topic")}}
	onDuty, _, err := s.db.OnDuty(r.Context(), town.ID, s.db.Now())
	if err != nil {
		return err
	}
	if !onDuty {
		return redirectFlash(w, r, "/chat", "现在不是值班时间，请留言，工作人员上班后答复您。")
	}
	if err := data.Chat.Validate(); err != nil {
		formInvalid(&data.Page, err)
		return s.renderChatStart(w, r, http.StatusUnprocessableEntity, data)
	}
	if err := s.db.UseCaptcha(r.Context(), hashToken(r.PostFormValue("captcha_id")), board.NormalizeAnswer(r.PostFormValue("captcha_answer"))); err != nil {
		formInvalid(&data.Page, err)
		return s.renderChatStart(w, r, http.StatusBadRequest, data)
	}
	token := newToken()
	data.Chat.TokenHash, data.Chat.IPHash = hashToken(token), s.ipHash(r)
	c, err := s.db.CreateChat(r.Context(), town.ID, data.Chat)
	if err != nil {
		if formInvalid(&data.Page, err) {
			return s.renderChatStart(w, r, http.StatusUnprocessableEntity, data)
		}
		return err
	}
	http.SetCookie(w, &http.Cookie{Name: chatCookie, Value: token, Path: "/chat", HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r), MaxAge: int((24 * time.Hour).Seconds())})
	s.publishChat(r.Context(), queueTopic(town.ID), chatEvent{Kind: "queue", State: store.ChatWaiting, Message: store.ChatMessage{ChatID: c.ID}})
	http.Redirect(w, r, "/chat/room", http.StatusSeeOther)
	return nil
}

// visitorChat returns the chat of the visitor's chat token.
func (s *Server) visitorChat(r *http.Request) (store.Chat, error) {
	c, err := r.Cookie(chatCookie)
	if err != nil || c.Value == "" || len(c.Value) > 100 {
		return store.Chat{}, domain.NotFound("咨询会话不存在或已失效，请重新发起在线咨询。")
	}
	return s.db.ChatByToken(r.Context(), hashToken(c.Value))
}

type chatRoomPage struct {
	Page
	Chat     store.Chat
	Messages []store.ChatMessage
	Ratings  []casework.Rating
	Staff    bool
	Canned   []store.CannedReply
	Agents   []store.RosterEntry
	Cats     []casework.CategoryInfo
}

func (s *Server) chatRoom(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visitorChat(r)
	if err != nil {
		return err
	}
	msgs, err := s.db.ChatMessagesAfter(r.Context(), c.ID, 0)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "chat/room", &chatRoomPage{Page: Page{Title: "在线咨询"}, Chat: c, Messages: msgs, Ratings: casework.Ratings})
}

func (s *Server) chatVisitorEvents(w http.ResponseWriter, r *http.Request) error {
	c, err := s.visitorChat(r)
	if err != nil {
		return err
	}
	return s.streamChat(w, r, c.ID)
}

// chatVisitorSend stores the visitor's message. A script posts it and gets 204; a browser
// without JavaScript posts the form and comes back to the room.
func (s *Server) chatVisitorSend(w http.ResponseWriter, r *http.Request) error {
	tok, err := r.Cookie(chatCookie)
	if err != nil {
		return domain.NotFound("咨询会话不存在或已失效，请重新发起在线咨询。")
	}
	m, err := s.db.VisitorMessage(r.Context(), hashToken(tok.Value), r.PostFormValue("body"))
	if err != nil {
		return err
	}
	s.publishChat(r.Context(), chatTopic(m.ChatID), chatEvent{Kind: "message", Message: m})
	if r.Header.Get("X-Requested-With") == "fetch" {
		w.WriteHeader(http.StatusNoContent)
		return nil
	}
	http.Redirect(w, r, "/chat/room", http.StatusSeeOther)
	return nil
}

func (s *Server) chatVisitorRate(w http.ResponseWriter, r *http.Request) error {
	tok, err := r.Cookie(chatCookie)
	if err != nil {
		return domain.NotFound("咨询会话不存在或已失效。")
	}
	if err := s.db.RateChat(r.Context(), hashToken(tok.Value), store.CitizenRating{Rating: casework.Rating(r.PostFormValue("rating")), Reason: r.PostFormValue("reason")}); err != nil {
		return err
	}
	return redirectFlash(w, r, "/chat/room", "感谢您的评价。")
}
