package web

import (
	"net/http"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/live"
	"pingan/internal/store"
)

type chatQueuePage struct {
	Page
	Open   []store.Chat
	Ended  []store.Chat
	OnDuty bool
	Hours  string
	Roster []store.RosterEntry
}

func (s *Server) chatQueue(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	open, ended, err := s.db.ChatQueue(r.Context(), actor)
	if err != nil {
		return err
	}
	onDuty, hours, err := s.db.OnDuty(r.Context(), actor.TownID, s.db.Now())
	if err != nil {
		return err
	}
	roster, err := s.db.Roster(r.Context(), actor, s.db.Now(), 1)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/chat/queue", &chatQueuePage{Page: Page{Title: "在线咨询"}, Open: open, Ended: ended,
		OnDuty: onDuty, Hours: hours, Roster: roster})
}

// chatQueueEvents streams queue changes to agents, so that the queue page can play a sound and
// reload when a visitor starts waiting.
func (s *Server) chatQueueEvents(w http.ResponseWriter, r *http.Request) error {
	sub := s.broker.Hub().Subscribe([]string{queueTopic(s.actor(r).TownID)})
	defer sub.Close()
	sse, err := startSSE(w)
	if err != nil {
		return err
	}
	// Queue events are ephemeral hints to reload the page, so dropped ones need no replay.
	return sse.loop(r.Context(), sub, func(e *live.Event) error { return sse.sendRaw(e.Data, 0) }, nil)
}

func (s *Server) chatAgentRoom(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	c, err := s.db.GetChat(r.Context(), actor, id)
	if err != nil {
		return err
	}
	msgs, err := s.db.ChatMessagesAfter(r.Context(), id, 0)
	if err != nil {
		return err
	}
	canned, err := s.db.CannedReplies(r.Context(), actor)
	if err != nil {
		return err
	}
	agents, err := s.db.Agents(r.Context(), actor)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/chat/room", &chatRoomPage{Page: Page{Title: "咨询会话"}, Chat: c, Messages: msgs, Staff: true,
		Canned: canned, Agents: agents, Cats: casework.Categories})
}

func (s *Server) chatAgentEvents(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.db.GetChat(r.Context(), s.actor(r), id); err != nil {
		return err
	}
	return s.streamChat(w, r, id)
}

// chatAgentStep runs one agent operation on a chat and publishes the message it produced.
func (s *Server) chatAgentStep(op func(r *http.Request, actor domain.Actor, id int64) (store.ChatMessage, error), done string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		actor := s.actor(r)
		m, err := op(r, actor, id)
		if err != nil {
			return err
		}
		s.publishChat(r.Context(), chatTopic(id), chatEvent{Kind: "message", Message: m})
		s.publishChat(r.Context(), queueTopic(actor.TownID), chatEvent{Kind: "queue", Message: store.ChatMessage{ChatID: id}})
		if r.Header.Get("X-Requested-With") == "fetch" {
			w.WriteHeader(http.StatusNoContent)
			return nil
		}
		return redirectFlash(w, r, "/admin/chat/"+itoa(id), done)
	}
}

func (s *Server) chatTake() handlerFunc {
	return s.chatAgentStep(func(r *http.Request, a domain.Actor, id int64) (store.ChatMessage, error) {
		return s.db.TakeChat(r.Context(), a, id)
	}, "已接入会话。")
}

func (s *Server) chatAgentSend() handlerFunc {
	return s.chatAgentStep(func(r *http.Request, a domain.Actor, id int64) (store.ChatMessage, error) {
		return s.db.AgentMessage(r.Context(), a, id, r.PostFormValue("body"))
	}, "")
}

func (s *Server) chatTransfer() handlerFunc {
	return s.chatAgentStep(func(r *http.Request, a domain.Actor, id int64) (store.ChatMessage, error) {
		return s.db.TransferChat(r.Context(), a, id, formID(r, "to"))
	}, "会话已转交。")
}

func (s *Server) chatEnd() handlerFunc {
	return s.chatAgentStep(func(r *http.Request, a domain.Actor, id int64) (store.ChatMessage, error) {
		return s.db.EndChat(r.Context(), a, id, r.PostFormValue("resolved") == "1")
	}, "会话已结束。")
}

// chatToCase turns a conversation into a case that carries its transcript.
func (s *Server) chatToCase(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	reg, err := s.db.ChatToCase(r.Context(), actor, id, casework.Category(r.PostFormValue("category")), domain.CleanLine(r.PostFormValue("title")))
	if err != nil {
		return err
	}
	if msgs, err := s.db.ChatMessagesAfter(r.Context(), id, 0); err == nil && len(msgs) > 0 {
		s.publishChat(r.Context(), chatTopic(id), chatEvent{Kind: "message", Message: msgs[len(msgs)-1]})
	}
	return redirectFlash(w, r, "/admin/cases/"+itoa(reg.ID), "已转为工单 "+reg.Number+"，咨询记录已附在工单中。")
}

type chatSettingsPage struct {
	Page
	Hours  string
	Agents []store.RosterEntry
	Roster []store.RosterEntry
	Canned []store.CannedReply
	Today  string
}

func (s *Server) chatSettings(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	data := &chatSettingsPage{Page: Page{Title: "值班与常用语"}, Today: domain.FormatDate(s.db.Now())}
	var err error
	if _, data.Hours, err = s.db.OnDuty(r.Context(), actor.TownID, s.db.Now()); err != nil {
		return err
	}
	if data.Agents, err = s.db.Agents(r.Context(), actor); err != nil {
		return err
	}
	if data.Roster, err = s.db.Roster(r.Context(), actor, s.db.Now(), 14); err != nil {
		return err
	}
	if data.Canned, err = s.db.CannedReplies(r.Context(), actor); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/chat/settings", data)
}

func (s *Server) chatSettingsSave(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	var err error
	switch r.PostFormValue("op") {
	case "hours":
		err = s.db.SaveDutyHours(r.Context(), actor, r.PostFormValue("hours"))
	case "roster_add", "roster_remove":
		err = s.db.SetRoster(r.Context(), actor, r.PostFormValue("day"), formID(r, "account_id"), r.PostFormValue("op") == "roster_add")
	case "canned_add":
		err = s.db.AddCannedReply(r.Context(), actor, r.PostFormValue("body"))
	case "canned_delete":
		err = s.db.DeleteCannedReply(r.Context(), actor, formID(r, "id"))
	default:
		err = domain.Invalid("未知的操作。")
	}
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/chat/settings", "已保存。")
}

// waitLabel shows how long a visitor has waited: "3 分钟".
func waitLabel(since, now time.Time) string {
	d := now.Sub(since)
	switch {
	case d < time.Minute:
		return "不到 1 分钟"
	case d < time.Hour:
		return itoa(int64(d/time.Minute)) + " 分钟"
	default:
		return itoa(int64(d/time.Hour)) + " 小时 " + itoa(int64(d%time.Hour/time.Minute)) + " 分钟"
	}
}
