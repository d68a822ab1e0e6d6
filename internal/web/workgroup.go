package web

import (
	"context"
	"encoding/json"
	"net/http"
	"strconv"
	"strings"

	"pingan/internal/domain"
	"pingan/internal/live"
	"pingan/internal/store"
	"pingan/internal/upload"
)

// historyPage is how many messages a channel page shows at once.
const historyPage = 50

// workGroupSource is the work group's part of the event stream: topic "wg:<channel id>" for
// every channel the account may see.
type workGroupSource struct{ db *store.DB }

func (workGroupSource) Name() string { return "wg" }

func (w workGroupSource) Topics(ctx context.Context, who live.Subscriber) ([]live.Head, error) {
	if who.Actor.AccountID == 0 || !who.Actor.Can(domain.PermWorkGroup) {
		return nil, nil
	}
	topics, err := w.db.VisibleChannelTopics(ctx, who.Actor)
	if err != nil {
		return nil, err
	}
	heads, err := w.db.TopicHeads(ctx, topics)
	if err != nil {
		return nil, err
	}
	out := make([]live.Head, len(topics))
	for i, t := range topics {
		out[i] = live.Head{Topic: t, Seq: heads[t]}
	}
	return out, nil
}

func (w workGroupSource) Replay(ctx context.Context, who live.Subscriber, topic string, after int64, limit int) ([]live.Event, error) {
	id, err := strconv.ParseInt(strings.TrimPrefix(topic, "wg:"), 10, 64)
	if err != nil {
		return nil, nil
	}
	list, err := w.db.MessagesAfter(ctx, id, after, limit)
	if err != nil {
		return nil, err
	}
	out := make([]live.Event, len(list))
	for i, m := range list {
		out[i] = messageEvent(m)
	}
	return out, nil
}

// messagePayload is what the browser receives for a work group message.
type messagePayload struct {
	ID       int64         `json:"id"`
	Seq      int64         `json:"seq"`
	Channel  int64         `json:"channel"`
	Account  int64         `json:"account"`
	Author   string        `json:"author"`
	Org      string        `json:"org"`
	Body     string        `json:"body"`
	At       string        `json:"at"`
	Files    []filePayload `json:"files,omitempty"`
	Mentions []int64       `json:"mentions,omitempty"`
}

type filePayload struct {
	ID    int64  `json:"id"`
	Name  string `json:"name"`
	Size  string `json:"size"`
	Image bool   `json:"image"`
}

func messageEvent(m domain.Message) live.Event {
	p := messagePayload{ID: m.ID, Seq: m.Seq, Channel: m.ChannelID, Account: m.AccountID, Author: m.Author, Org: m.OrgName,
		Body: m.Body, At: domain.FormatTime(m.CreatedAt), Mentions: m.Mentions}
	for _, f := range m.Files {
		p.Files = append(p.Files, filePayload{ID: f.FileID, Name: f.Name, Size: fileSize(f.Size), Image: f.IsImage()})
	}
	data, _ := json.Marshal(p)
	return live.Event{Topic: store.ChannelTopic(m.ChannelID), Seq: m.Seq, Type: "message", Data: data}
}

// workGroupHome opens the channel of everyone, creating it on first use.
func (s *Server) workGroupHome(w http.ResponseWriter, r *http.Request) error {
	id, err := s.db.EnsureDefaultChannel(r.Context(), nil, s.actor(r).TownID)
	if err != nil {
		return err
	}
	http.Redirect(w, r, "/admin/workgroup/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
	return nil
}

type channelPage struct {
	Page
	Channels []domain.Channel
	Channel  domain.Channel
	Messages []domain.Message
	// Before is the seq to pass for older messages, 0 when there are none.
	Before  int64
	History bool
	Banner  string
	Body    string
	Accept  string
	Creator bool
}

// workGroupChannel shows a channel: its latest messages (or older ones with ?before=), the list
// of channels with unread counts, and the form to post. Opening the latest messages moves the
// person's read position to the last one shown.
func (s *Server) workGroupChannel(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderChannel(w, r, http.StatusOK, id, channelForm{})
}

// channelForm is the post form of a channel page when it comes back with an error.
type channelForm struct {
	Body    string
	Message string
	Errors  map[string]string
}

func (s *Server) renderChannel(w http.ResponseWriter, r *http.Request, status int, id int64, form channelForm) error {
	actor := s.actor(r)
	ctx := r.Context()
	c, err := s.db.GetChannel(ctx, actor, id)
	if err != nil {
		return err
	}
	before, _ := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64)
	// Heads first, then messages: the stream then starts at or before what the page shows.
	cursor, err := s.liveCursor(r)
	if err != nil {
		return err
	}
	msgs, err := s.db.ChannelHistory(ctx, actor, id, before, historyPage+1)
	if err != nil {
		return err
	}
	data := &channelPage{Page: Page{Title: "工作群 · " + c.Name, Message: form.Message, Errors: form.Errors}, Channel: c,
		History: before > 0, Banner: domain.WorkGroupBanner, Body: form.Body, Accept: coordAccept,
		Creator: c.CreatedBy == actor.AccountID && !c.Everyone}
	if len(msgs) > historyPage {
		msgs = msgs[1:]
		data.Before = msgs[0].Seq
	}
	data.Messages = msgs
	topic := store.ChannelTopic(id)
	if !data.History {
		last := int64(0)
		if len(msgs) > 0 {
			last = msgs[len(msgs)-1].Seq
		}
		cursor[topic] = last
		if last > 0 && !isPrefetch(r) {
			if err := s.db.MarkChannelRead(ctx, actor, id, last); err != nil {
				return err
			}
		}
	}
	data.LiveCursor = cursor.String()
	if data.Channels, err = s.db.ListChannels(ctx, actor); err != nil {
		return err
	}
	return s.render(w, r, status, "admin/workgroup", data)
}

// wantsJSON reports whether the request came from the page script, which reads JSON.
func wantsJSON(r *http.Request) bool {
	return strings.Contains(r.Header.Get("Accept"), "application/json")
}

// writeJSON writes v as a JSON response with status.
func writeJSON(w http.ResponseWriter, status int, v any) error {
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	return json.NewEncoder(w).Encode(v)
}

// workGroupPost stores a message and publishes it to the channel's members. The page script
// posts with Accept: application/json and gets {"seq": n} or {"error": "…"}; a plain form is
// redirected back to the channel.
func (s *Server) workGroupPost(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	fail := func(err error) error {
		if domain.ErrorKind(err) != domain.KindInvalid {
			return err
		}
		msg := domain.UserMessage(err)
		for _, v := range domain.FieldErrors(err) {
			msg = v
		}
		if wantsJSON(r) {
			return writeJSON(w, http.StatusUnprocessableEntity, map[string]string{"error": msg})
		}
		return s.renderChannelError(w, r, id, err)
	}
	if err := parseCoordForm(w, r); err != nil {
		return fail(err)
	}
	if _, err := s.db.GetChannel(r.Context(), actor, id); err != nil {
		return err
	}

	uploads, err := s.uploads.Receive(r, "files", upload.CoordAttachments, actor)
	if err != nil {
		return fail(err)
	}
	m, notes, err := s.db.PostMessage(r.Context(), actor, id, r.PostFormValue("body"), uploads)
	if err != nil {
		s.uploads.Discard(r.Context(), uploads)
		return fail(err)
	}
	s.publish(r.Context(), messageEvent(m))
	s.publishBell(r.Context(), notes)
	if wantsJSON(r) {
		return writeJSON(w, http.StatusCreated, map[string]int64{"seq": m.Seq})
	}
	http.Redirect(w, r, "/admin/workgroup/"+strconv.FormatInt(id, 10)+"#m"+strconv.FormatInt(m.Seq, 10), http.StatusSeeOther)
	return nil
}

// renderChannelError shows the channel again with the rejected message kept in the form.
func (s *Server) renderChannelError(w http.ResponseWriter, r *http.Request, id int64, cause error) error {
	form := Page{}
	formInvalid(&form, cause)
	r2 := r.Clone(r.Context())
	r2.URL.RawQuery = ""
	return s.renderChannel(w, r2, http.StatusUnprocessableEntity, id, channelForm{Body: r.PostFormValue("body"),
		Message: form.Message, Errors: form.Errors})
}

// workGroupRead moves the person's read position forward, for the page script.
func (s *Server) workGroupRead(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	seq, err := strconv.ParseInt(r.PostFormValue("seq"), 10, 64)
	if err != nil || seq < 0 {
		return domain.Invalid("已读位置无效。")
	}
	if err := s.db.MarkChannelRead(r.Context(), s.actor(r), id, seq); err != nil {
		return err
	}
	w.WriteHeader(http.StatusNoContent)
	return nil
}

type workGroupSearchPage struct {
	Page
	Query    string
	Results  []domain.Message
	Names    map[int64]string
	Pager    Pager
	Searched bool
}

// workGroupSearch finds messages in the channels the person may see.
func (s *Server) workGroupSearch(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	q := domain.CleanLine(r.URL.Query().Get("q"))
	data := &workGroupSearchPage{Page: Page{Title: "搜索工作群消息"}, Query: q, Names: map[int64]string{}}
	if q != "" {
		page := store.Page{Number: pageNumber(r), Size: domain.WorkGroupSearchSize}
		list, total, err := s.db.SearchMessages(r.Context(), actor, q, page)
		if err != nil {
			return err
		}
		data.Results, data.Searched = list, true
		data.Pager = newPager(r, page.Normalize(total).Number, domain.WorkGroupSearchSize, total)
		channels, err := s.db.ListChannels(r.Context(), actor)
		if err != nil {
			return err
		}
		for _, c := range channels {
			data.Names[c.ID] = c.Name
		}
	}
	return s.render(w, r, http.StatusOK, "admin/workgroup_search", data)
}

type channelFormPage struct {
	Page
	Channel  domain.Channel
	Accounts []store.WorkGroupMember
	Picked   map[int64]bool
	Editing  bool
	// Members lists the channel's members for a person who may not change them.
	Members []store.WorkGroupMember
}

func (s *Server) channelNewForm(w http.ResponseWriter, r *http.Request) error {
	accounts, err := s.db.WorkGroupAccounts(r.Context(), s.actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/channel_form", &channelFormPage{Page: Page{Title: "新建频道"},
		Accounts: accounts, Picked: map[int64]bool{}})
}

func pickedIDs(values []string) ([]int64, map[int64]bool) {
	var ids []int64
	picked := map[int64]bool{}
	for _, v := range values {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && id > 0 {
			ids = append(ids, id)
			picked[id] = true
		}
	}
	return ids, picked
}

func (s *Server) channelCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	c := domain.Channel{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	ids, picked := pickedIDs(r.PostForm["member"])
	id, err := s.db.CreateChannel(r.Context(), actor, c, ids)
	if err != nil {
		accounts, aerr := s.db.WorkGroupAccounts(r.Context(), actor)
		if aerr != nil {
			return aerr
		}
		data := &channelFormPage{Page: Page{Title: "新建频道"}, Channel: c, Accounts: accounts, Picked: picked}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/channel_form", data)
	}
	return redirectFlash(w, r, "/admin/workgroup/"+strconv.FormatInt(id, 10), "已新建频道“"+domain.CleanLine(c.Name)+"”。")
}

func (s *Server) channelMembersForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	c, err := s.db.GetChannel(r.Context(), actor, id)
	if err != nil {
		return err
	}
	members, err := s.db.ChannelMembers(r.Context(), actor, id)
	if err != nil {
		return err
	}
	accounts, err := s.db.WorkGroupAccounts(r.Context(), actor)
	if err != nil {
		return err
	}
	picked := map[int64]bool{}
	for _, m := range members {
		picked[m.ID] = true
	}
	data := &channelFormPage{Page: Page{Title: "频道成员：" + c.Name}, Channel: c, Picked: picked, Editing: true}
	if c.CreatedBy == actor.AccountID && !c.Everyone {
		data.Accounts = accounts
	} else {
		data.Members = members
	}
	return s.render(w, r, http.StatusOK, "admin/channel_form", data)
}

func (s *Server) channelMembersUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	ids, _ := pickedIDs(r.PostForm["member"])
	if err := s.db.SetChannelMembers(r.Context(), s.actor(r), id, ids); err != nil {
		if domain.ErrorKind(err) == domain.KindConflict {
			return redirectFlash(w, r, "/admin/workgroup/"+strconv.FormatInt(id, 10), domain.UserMessage(err))
		}
		return err
	}
	return redirectFlash(w, r, "/admin/workgroup/"+strconv.FormatInt(id, 10), "频道成员已更新。成员刷新页面后即可看到新的频道。")
}
