package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/pii"
)

// Chat states.
const (
	ChatWaiting = "waiting" // 等待接入
	ChatActive  = "active"  // 咨询中
	ChatEnded   = "ended"   // 已结束
)

// ChatStateLabel returns the Chinese name of a chat state.
func ChatStateLabel(s string) string {
	switch s {
	case ChatWaiting:
		return "等待接入"
	case ChatActive:
		return "咨询中"
	case ChatEnded:
		return "已结束"
	}
	return s
}

// Chat is one live consultation. VisitorName and VisitorPhone are masked unless revealed.
type Chat struct {
	ID           int64
	TownID       int64
	VisitorName  string
	VisitorPhone string
	Topic        string
	State        string
	AgentID      int64
	AgentName    string
	LastSeq      int64
	Resolved     bool
	Rating       casework.Rating
	RatingReason string
	CreatedAt    time.Time
	TakenAt      time.Time
	EndedAt      time.Time
	CaseID       int64
	CaseNumber   string
}

// StateLabel returns the Chinese name of the chat's state.
func (c Chat) StateLabel() string { return ChatStateLabel(c.State) }

// ChatMessage is one message of a chat; Seq numbers the messages of one chat from 1.
type ChatMessage struct {
	ChatID     int64
	Seq        int64
	Author     string // visitor, agent, system
	AuthorName string
	Body       string
	CreatedAt  time.Time
}

// MaxChatMessage is the longest chat message, in characters.
const MaxChatMessage = 500

// NewChat is what a visitor gives to open a chat.
type NewChat struct {
	Name      string
	Phone     string
	Topic     string
	TokenHash string
	IPHash    string
}

// Validate checks the optional name and mobile number and the topic.
func (n *NewChat) Validate() error {
	n.Name, n.Phone, n.Topic = domain.CleanLine(n.Name), board.NormalizeMobile(n.Phone), domain.CleanLine(n.Topic)
	p := domain.Problems{}
	board.CheckText(p, "name", "称呼", n.Name, false, board.MaxName)
	if n.Phone != "" && !domain.ValidMobile(n.Phone) {
		p.Add("phone", "手机号码应为 11 位数字，以 1 开头。")
	}
	board.CheckText(p, "topic", "咨询事项", n.Topic, true, 100)
	return p.Err()
}

// ChatsPerAddressPerHour limits how many chats one address opens.
const ChatsPerAddressPerHour = 10

// CreateChat opens a chat waiting for an agent, with a first system message.
func (db *DB) CreateChat(ctx context.Context, townID int64, n NewChat) (Chat, error) {
	if err := n.Validate(); err != nil {
		return Chat{}, err
	}
	var c Chat
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		var recent int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE ip_hash = $1 AND created_at > $2`, n.IPHash, now.Add(-time.Hour)).Scan(&recent); err != nil {
			return err
		}
		if recent >= ChatsPerAddressPerHour {
			return &domain.Error{Kind: domain.KindTooMany, Message: "同一网络地址 1 小时内最多发起 10 次在线咨询，请稍后再试或在留言板留言。"}
		}
		nameEnc, err := db.keys.Encrypt(n.Name)
		if err != nil {
			return err
		}
		phoneEnc, err := db.keys.Encrypt(n.Phone)
		if err != nil {
			return err
		}
		id, err := insertID(ctx, tx, `INSERT INTO chats (town_id, token_hash, visitor_name_enc, visitor_phone_enc, phone_hash, topic, state, ip_hash, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, 'waiting', $7, $8, $8) RETURNING id`,
			townID, n.TokenHash, nameEnc, phoneEnc, db.keys.Hash(n.Phone), n.Topic, n.IPHash, now)
		if err != nil {
			return err
		}
		c = Chat{ID: id, TownID: townID, Topic: n.Topic, State: ChatWaiting, CreatedAt: now}
		_, err = db.appendChatMessage(ctx, tx, id, "system", "", "您好，您已进入在线咨询，正在为您接通值班人员，请稍候。咨询事项："+n.Topic)
		return err
	})
	return c, err
}

func (db *DB) appendChatMessage(ctx context.Context, tx *sql.Tx, chatID int64, author, name, body string) (ChatMessage, error) {
	m := ChatMessage{ChatID: chatID, Author: author, AuthorName: name, Body: body, CreatedAt: db.now()}
	if err := tx.QueryRowContext(ctx, `UPDATE chats SET last_seq = last_seq + 1, updated_at = $1 WHERE id = $2 RETURNING last_seq`, m.CreatedAt, chatID).Scan(&m.Seq); err != nil {
		return m, fmt.Errorf("next chat seq: %w", err)
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO chat_messages (chat_id, seq, author, author_name, body, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		chatID, m.Seq, author, name, body, m.CreatedAt)
	return m, err
}

const chatColumns = `c.id, c.town_id, c.visitor_name_enc, c.visitor_phone_enc, c.topic, c.state, COALESCE(c.agent_id, 0), c.agent_name,
	c.last_seq, c.resolved, c.rating, c.rating_reason, c.created_at, c.taken_at, c.ended_at,
	COALESCE((SELECT MAX(k.id) FROM cases k WHERE k.chat_id = c.id), 0), COALESCE((SELECT MAX(k.number) FROM cases k WHERE k.chat_id = c.id), '')`

func (db *DB) scanChat(row interface{ Scan(...any) error }, reveal bool) (Chat, error) {
	var c Chat
	var nameEnc, phoneEnc, rating string
	var taken, ended sql.NullTime
	err := row.Scan(&c.ID, &c.TownID, &nameEnc, &phoneEnc, &c.Topic, &c.State, &c.AgentID, &c.AgentName, &c.LastSeq, &c.Resolved,
		&rating, &c.RatingReason, &c.CreatedAt, &taken, &ended, &c.CaseID, &c.CaseNumber)
	if err != nil {
		return c, err
	}
	c.Rating, c.TakenAt, c.EndedAt = casework.Rating(rating), taken.Time, ended.Time
	if c.VisitorName, err = db.keys.Decrypt(nameEnc); err != nil {
		return c, err
	}
	if c.VisitorPhone, err = db.keys.Decrypt(phoneEnc); err != nil {
		return c, err
	}
	if !reveal {
		c.VisitorName, c.VisitorPhone = pii.MaskName(c.VisitorName), pii.MaskPhone(c.VisitorPhone)
	}
	return c, nil
}

// ChatByToken loads the chat whose visitor holds the token (by its hash).
func (db *DB) ChatByToken(ctx context.Context, tokenHash string) (Chat, error) {
	c, err := db.scanChat(db.sql.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c WHERE c.token_hash = $1`, tokenHash), false)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("咨询会话不存在或已失效，请重新发起在线咨询。")
	}
	return c, err
}

// GetChat loads a chat of the actor's town for an agent.
func (db *DB) GetChat(ctx context.Context, actor domain.Actor, id int64) (Chat, error) {
	c, err := db.scanChat(db.sql.QueryRowContext(ctx, `SELECT `+chatColumns+` FROM chats c WHERE c.id = $1 AND c.town_id = $2`, id, actor.TownID), false)
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("咨询会话不存在。")
	}
	return c, err
}

// ChatQueue returns the chats of the actor's town that wait or are active, oldest first, and
// the latest ended ones.
func (db *DB) ChatQueue(ctx context.Context, actor domain.Actor) (open, ended []Chat, err error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats c WHERE c.town_id = $1 AND c.state <> 'ended' ORDER BY c.created_at, c.id LIMIT 200`, actor.TownID)
	if err != nil {
		return nil, nil, err
	}
	if open, err = db.scanChats(rows); err != nil {
		return nil, nil, err
	}
	rows, err = db.sql.QueryContext(ctx, `SELECT `+chatColumns+` FROM chats c WHERE c.town_id = $1 AND c.state = 'ended' ORDER BY c.ended_at DESC, c.id DESC LIMIT 20`, actor.TownID)
	if err != nil {
		return nil, nil, err
	}
	ended, err = db.scanChats(rows)
	return open, ended, err
}

func (db *DB) scanChats(rows *sql.Rows) ([]Chat, error) {
	defer rows.Close()
	var out []Chat
	for rows.Next() {
		c, err := db.scanChat(rows, false)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// ChatMessagesAfter returns a chat's messages with a sequence number above after, in order.
func (db *DB) ChatMessagesAfter(ctx context.Context, chatID, after int64) ([]ChatMessage, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT chat_id, seq, author, author_name, body, created_at FROM chat_messages
		WHERE chat_id = $1 AND seq > $2 ORDER BY seq LIMIT 1000`, chatID, after)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChatMessage
	for rows.Next() {
		var m ChatMessage
		if err := rows.Scan(&m.ChatID, &m.Seq, &m.Author, &m.AuthorName, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// ChatTranscript returns every message of a chat of a town.
func (db *DB) ChatTranscript(ctx context.Context, townID, chatID int64) ([]ChatMessage, error) {
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM chats WHERE id = $1 AND town_id = $2`, chatID, townID).Scan(&n); err != nil || n == 0 {
		return nil, err
	}
	return db.ChatMessagesAfter(ctx, chatID, 0)
}

// VisitorMessage adds the visitor's message to an open chat.
func (db *DB) VisitorMessage(ctx context.Context, tokenHash, body string) (ChatMessage, error) {
	var m ChatMessage
	body = domain.CleanText(body)
	if err := checkChatBody(body); err != nil {
		return m, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var id int64
		var state string
		err := tx.QueryRowContext(ctx, `SELECT id, state FROM chats WHERE token_hash = $1`, tokenHash).Scan(&id, &state)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("咨询会话不存在或已失效，请重新发起在线咨询。")
		}
		if err != nil {
			return err
		}
		if state == ChatEnded {
			return domain.Conflict("本次咨询已结束。如还有问题，请重新发起咨询或留言。")
		}
		m, err = db.appendChatMessage(ctx, tx, id, "visitor", "", body)
		return err
	})
	return m, err
}

func checkChatBody(body string) error {
	p := domain.Problems{}
	board.CheckText(p, "body", "消息", body, true, MaxChatMessage)
	return p.Err()
}

// AgentMessage adds the agent's message to a chat the agent has taken.
func (db *DB) AgentMessage(ctx context.Context, actor domain.Actor, chatID int64, body string) (ChatMessage, error) {
	var m ChatMessage
	body = domain.CleanText(body)
	if err := checkChatBody(body); err != nil {
		return m, err
	}
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.ownChat(ctx, tx, actor, chatID); err != nil {
			return err
		}
		var err error
		m, err = db.appendChatMessage(ctx, tx, chatID, "agent", agentDisplay(actor), body)
		return err
	})
	return m, err
}

func agentDisplay(actor domain.Actor) string {
	return "值班员" + pii.MaskName(actorPersonName(actor))
}

// actorPersonName returns the display name without the "（username）" suffix.
func actorPersonName(actor domain.Actor) string {
	for i, r := range actor.Name {
		if r == '（' {
			return actor.Name[:i]
		}
	}
	return actor.Name
}

func (db *DB) ownChat(ctx context.Context, q querier, actor domain.Actor, chatID int64) error {
	var state string
	var agent sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT state, agent_id FROM chats WHERE id = $1 AND town_id = $2`, chatID, actor.TownID).Scan(&state, &agent)
	if errors.Is(err, sql.ErrNoRows) {
		return domain.NotFound("咨询会话不存在。")
	}
	if err != nil {
		return err
	}
	if state != ChatActive || agent.Int64 != actor.AccountID {
		return domain.Conflict("这个会话不在您的接待中，请先接入。")
	}
	return nil
}

// TakeChat lets an agent take a waiting chat; a chat another agent took first is a conflict.
func (db *DB) TakeChat(ctx context.Context, actor domain.Actor, chatID int64) (ChatMessage, error) {
	var m ChatMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		res, err := tx.ExecContext(ctx, `UPDATE chats SET state = 'active', agent_id = $1, agent_name = $2, taken_at = $3, updated_at = $3
			WHERE id = $4 AND town_id = $5 AND state = 'waiting'`, actor.AccountID, actor.Name, now, chatID, actor.TownID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.Conflict("这个会话已被其他值班人员接入或已结束。")
		}
		if m, err = db.appendChatMessage(ctx, tx, chatID, "system", "", agentDisplay(actor)+"已接入，请问有什么可以帮您？"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.take", "chat", chatID, domain.OutcomeSuccess, ""))
	})
	return m, err
}

// TransferChat hands a chat the actor holds to another agent of the town.
func (db *DB) TransferChat(ctx context.Context, actor domain.Actor, chatID, toAccountID int64) (ChatMessage, error) {
	var m ChatMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.ownChat(ctx, tx, actor, chatID); err != nil {
			return err
		}
		var name string
		var n int
		err := tx.QueryRowContext(ctx, `SELECT a.display_name, (SELECT COUNT(*) FROM account_roles r WHERE r.account_id = a.id AND r.role = 'agent')
			FROM accounts a WHERE a.id = $1 AND a.town_id = $2 AND a.disabled = FALSE`, toAccountID, actor.TownID).Scan(&name, &n)
		if errors.Is(err, sql.ErrNoRows) || (err == nil && n == 0) || toAccountID == actor.AccountID {
			return &domain.Error{Kind: domain.KindInvalid, Message: "请选择另一位在线咨询值班员。", Fields: map[string]string{"to": "请选择另一位值班员。"}}
		}
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET agent_id = $1, agent_name = $2, updated_at = $3 WHERE id = $4`, toAccountID, name, db.now(), chatID); err != nil {
			return err
		}
		if m, err = db.appendChatMessage(ctx, tx, chatID, "system", "", "会话已转给值班员"+pii.MaskName(name)+"继续为您服务。"); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.transfer", "chat", chatID, domain.OutcomeSuccess, "转给 "+name))
	})
	return m, err
}

// EndChat ends a chat the actor holds, marking whether the visitor's question was resolved.
func (db *DB) EndChat(ctx context.Context, actor domain.Actor, chatID int64, resolved bool) (ChatMessage, error) {
	var m ChatMessage
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.ownChat(ctx, tx, actor, chatID); err != nil {
			return err
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE chats SET state = 'ended', ended_at = $1, resolved = (resolved OR $2), updated_at = $1 WHERE id = $3`, now, resolved, chatID); err != nil {
			return err
		}
		var err error
		if m, err = db.appendChatMessage(ctx, tx, chatID, "system", "", "本次咨询已结束，感谢您的信任。欢迎对本次服务进行评价。"); err != nil {
			return err
		}
		detail := "未解决"
		if resolved {
			detail = "已解决"
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.end", "chat", chatID, domain.OutcomeSuccess, detail))
	})
	return m, err
}

// RateChat records the visitor's rating of an ended chat, once: a second rating is KindConflict.
func (db *DB) RateChat(ctx context.Context, tokenHash string, r CitizenRating) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var state, previous string
		err := tx.QueryRowContext(ctx, `SELECT state, rating FROM chats WHERE token_hash = $1`, tokenHash).Scan(&state, &previous)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("咨询会话不存在或已失效。")
		}
		if err != nil {
			return err
		}
		if state != ChatEnded {
			return domain.Conflict("咨询结束后才能评价。")
		}
		if previous != "" {
			return errAlreadyRated
		}
		_, err = tx.ExecContext(ctx, `UPDATE chats SET rating = $1, rating_reason = $2, updated_at = $3 WHERE token_hash = $4`,
			string(r.Rating), r.Reason, db.now(), tokenHash)
		return err
	})
}

// ChatToCase registers a case from a chat, with the chat's visitor as the citizen and the
// transcript attached through the chat. Only the agent holding the chat, or any agent once it
// ended, may do it; a chat becomes at most one case.
func (db *DB) ChatToCase(ctx context.Context, actor domain.Actor, chatID int64, category casework.Category, title string) (RegisteredCase, error) {
	var out RegisteredCase
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var nameEnc, phoneEnc, topic, state string
		var agent sql.NullInt64
		var cases int
		err := tx.QueryRowContext(ctx, `SELECT visitor_name_enc, visitor_phone_enc, topic, state, agent_id, (SELECT COUNT(*) FROM cases WHERE chat_id = chats.id)
			FROM chats WHERE id = $1 AND town_id = $2`, chatID, actor.TownID).Scan(&nameEnc, &phoneEnc, &topic, &state, &agent, &cases)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("咨询会话不存在。")
		}
		if err != nil {
			return err
		}
		if cases > 0 {
			return domain.Conflict("这个会话已转为工单。")
		}
		if state == ChatWaiting || (state == ChatActive && agent.Int64 != actor.AccountID) {
			return domain.Conflict("请先接入这个会话，再转为工单。")
		}
		name, err := db.keys.Decrypt(nameEnc)
		if err != nil {
			return err
		}
		phone, err := db.keys.Decrypt(phoneEnc)
		if err != nil {
			return err
		}
		msgs, err := db.chatMessagesTx(ctx, tx, chatID)
		if err != nil {
			return err
		}
		body := "在线咨询事项：" + topic + "\n群众在咨询中反映："
		for _, m := range msgs {
			if m.Author == "visitor" {
				body += "\n" + m.Body
			}
		}
		if title == "" {
			title = domain.TruncateChars(topic, 50)
		}
		out, err = db.RegisterCaseTx(ctx, tx, actor, NewCase{Channel: casework.ChannelChat, Category: category, Title: title,
			Body: domain.TruncateChars(body, 19000), ChatID: chatID, Citizen: Citizen{Name: name, Phone: phone}})
		if err != nil {
			return err
		}
		_, err = db.appendChatMessage(ctx, tx, chatID, "system", "", "您反映的问题已登记为工单，编号 "+out.Number+"。"+
			map[bool]string{true: "查询码：" + out.QueryCode + "，凭查询码和手机号码可查询办理进度。", false: ""}[out.QueryCode != ""])
		return err
	})
	return out, err
}

func (db *DB) chatMessagesTx(ctx context.Context, tx *sql.Tx, chatID int64) ([]ChatMessage, error) {
	rows, err := tx.QueryContext(ctx, `SELECT chat_id, seq, author, author_name, body, created_at FROM chat_messages WHERE chat_id = $1 ORDER BY seq`, chatID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []ChatMessage
	for rows.Next() {
		var m ChatMessage
		if err := rows.Scan(&m.ChatID, &m.Seq, &m.Author, &m.AuthorName, &m.Body, &m.CreatedAt); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}
