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
)

// bellSource is the bell's part of the event stream: topic "bell:<account id>", which only that
// account receives.
type bellSource struct{ db *store.DB }

func (bellSource) Name() string { return "bell" }

func (b bellSource) Topics(ctx context.Context, who live.Subscriber) ([]live.Head, error) {
	if who.Actor.AccountID == 0 {
		return nil, nil
	}
	topic := store.BellTopic(who.Actor.AccountID)
	heads, err := b.db.TopicHeads(ctx, []string{topic})
	if err != nil {
		return nil, err
	}
	return []live.Head{{Topic: topic, Seq: heads[topic]}}, nil
}

func (b bellSource) Replay(ctx context.Context, who live.Subscriber, topic string, after int64, limit int) ([]live.Event, error) {
	if topic != store.BellTopic(who.Actor.AccountID) {
		return nil, nil
	}
	list, err := b.db.NotificationsAfter(ctx, who.Actor.AccountID, after, limit)
	if err != nil || len(list) == 0 {
		return nil, err
	}
	unread, err := b.db.UnreadNotifications(ctx, who.Actor)
	if err != nil {
		return nil, err
	}
	out := make([]live.Event, len(list))
	for i, n := range list {
		out[i] = bellEvent(n, unread)
	}
	return out, nil
}

// bellPayload is what the browser receives for a notification; unread is the account's unread
// count, which the bell shows as it is.
type bellPayload struct {
	ID     int64  `json:"id"`
	Kind   string `json:"kind"`
	Label  string `json:"label"`
	Title  string `json:"title"`
	Unread int    `json:"unread"`
	At     string `json:"at"`
}

func bellEvent(n domain.Notification, unread int) live.Event {
	data, _ := json.Marshal(bellPayload{ID: n.ID, Kind: string(n.Kind), Label: n.Kind.Label(), Title: n.Title,
		Unread: unread, At: domain.FormatTime(n.CreatedAt)})
	return live.Event{Topic: store.BellTopic(n.AccountID), Seq: n.Seq, Type: "bell", Data: data}
}

// publishBell sends stored notifications to their accounts' browsers. The notifications are
// committed already, so a failure is logged and not returned: browsers find them on their next
// replay.
func (s *Server) publishBell(ctx context.Context, list []domain.Notification) {
	if len(list) == 0 {
		return
	}
	ids := make([]int64, 0, len(list))
	for _, n := range list {
		ids = append(ids, n.AccountID)
	}
	counts, err := s.db.UnreadCounts(ctx, ids)
	if err != nil {
		s.log.Error("count unread notifications failed", "error", err)
		return
	}
	events := make([]live.Event, len(list))
	for i, n := range list {
		events[i] = bellEvent(n, counts[n.AccountID])
	}
	s.publish(ctx, events...)
}

// PublishNotifications sends notifications stored outside a request, by scheduled jobs, to
// their accounts' browsers.
func (s *Server) PublishNotifications(ctx context.Context, list []domain.Notification) {
	s.publishBell(ctx, list)
}

// publish sends committed events through the hub and logs a failure.
func (s *Server) publish(ctx context.Context, events ...live.Event) {
	if err := s.broker.Publish(context.WithoutCancel(ctx), events...); err != nil {
		s.log.Error("publish live events failed", "request_id", requestID(ctx), "count", len(events), "error", err)
	}
}

type bellPage struct {
	Page
	Items []domain.Notification
	Pager Pager
}

func (s *Server) bellList(w http.ResponseWriter, r *http.Request) error {
	list, total, err := s.db.ListNotifications(r.Context(), s.actor(r), store.Page{Number: pageNumber(r), Size: 30})
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/bell", &bellPage{Page: Page{Title: "我的提醒"}, Items: list,
		Pager: newPager(r, store.Page{Number: pageNumber(r), Size: 30}.Normalize(total).Number, 30, total)})
}

// bellOpen marks a notification read and goes to what it is about.
func (s *Server) bellOpen(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	n, err := s.db.OpenNotification(r.Context(), actor, id)
	if err != nil {
		return err
	}
	to := n.Link
	if !strings.HasPrefix(to, "/admin") {
		to = "/admin/bell"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

func (s *Server) bellReadAll(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	n, err := s.db.MarkAllNotificationsRead(r.Context(), actor)
	if err != nil {
		return err
	}
	if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "bell.read_all", "account", actor.AccountID,
		domain.OutcomeSuccess, "标记 "+strconv.FormatInt(n, 10)+" 条提醒为已读")); err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/bell", "已全部标记为已读。")
}

// fillLive puts the event stream's cursor and the bell count on a signed-in account's page. The
// cursor is read first: a notification stored in between is then both counted and streamed,
// and the bell shows the absolute count each event carries. A failure leaves the page without
// them rather than failing it.
func (s *Server) fillLive(r *http.Request, p *Page) {
	if p.LiveCursor == "" {
		c, err := s.liveCursor(r)
		if err != nil {
			s.log.Error("read live cursor failed", "request_id", requestID(r.Context()), "error", err)
		} else {
			p.LiveCursor = c.String()
		}
	}
	unread, err := s.db.UnreadNotifications(r.Context(), s.actor(r))
	if err != nil {
		s.log.Error("count unread notifications failed", "request_id", requestID(r.Context()), "error", err)
	}
	p.Bell = unread
}
