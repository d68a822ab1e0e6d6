package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"

	"pingan/internal/domain"
)

// ChannelTopic returns the live topic of a work group channel.
func ChannelTopic(channelID int64) string { return "wg:" + idString(channelID) }

// EnsureDefaultChannel creates the town's channel of all work group members unless it exists,
// and returns its id.
func (db *DB) EnsureDefaultChannel(ctx context.Context, q querier, townID int64) (int64, error) {
	if q == nil {
		q = db.sql
	}
	if _, err := q.ExecContext(ctx, `INSERT INTO wg_channels (town_id, name, description, everyone, created_at)
		VALUES ($1, $2, $3, TRUE, $4) ON CONFLICT (town_id, name) DO NOTHING`,
		townID, domain.DefaultChannelName, "全镇综治工作人员的工作群", db.now()); err != nil {
		return 0, fmt.Errorf("create default channel: %w", err)
	}
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM wg_channels WHERE town_id = $1 AND everyone ORDER BY id LIMIT 1`, townID).Scan(&id)
	return id, err
}

const channelColumns = `c.id, c.town_id, c.name, c.description, c.everyone, COALESCE(c.created_by, 0), c.created_at`

func scanChannel(row interface{ Scan(...any) error }, extra ...any) (domain.Channel, error) {
	var c domain.Channel
	err := row.Scan(append([]any{&c.ID, &c.TownID, &c.Name, &c.Description, &c.Everyone, &c.CreatedBy, &c.CreatedAt}, extra...)...)
	return c, err
}

// channelVisible returns the condition that the actor may see channel c, given the placeholders
// of its account and town: the channel of everyone for an account that may use the work group,
// or a channel it belongs to.
func channelVisible(actor domain.Actor, account, town string) string {
	if !actor.Can(domain.PermWorkGroup) {
		return `c.town_id = ` + town + ` AND c.id < 0 AND ` + account + ` < 0`
	}
	return `c.town_id = ` + town + ` AND (c.everyone OR EXISTS (SELECT 1 FROM wg_members wm WHERE wm.channel_id = c.id AND wm.account_id = ` + account + `))`
}

// channelForActor loads a channel the actor may see; any other channel is not found.
func (db *DB) channelForActor(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.Channel, error) {
	c, err := scanChannel(q.QueryRowContext(ctx, `SELECT `+channelColumns+` FROM wg_channels c WHERE c.id = $1 AND `+channelVisible(actor, "$2", "$3"),
		id, actor.AccountID, actor.TownID))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("频道不存在或您不是该频道成员。")
	}
	return c, err
}

// GetChannel loads a channel the actor may see; any other channel is not found.
func (db *DB) GetChannel(ctx context.Context, actor domain.Actor, id int64) (domain.Channel, error) {
	return db.channelForActor(ctx, db.sql, actor, id)
}

// ListChannels returns the channels the actor may see, the channel of everyone first, each with
// its latest sequence number, the actor's read position and the number of unread messages by
// others.
func (db *DB) ListChannels(ctx context.Context, actor domain.Actor) ([]domain.Channel, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+channelColumns+`, COALESCE(t.last_seq, 0), COALESCE(r.last_read_seq, 0),
		(SELECT COUNT(*) FROM wg_messages msg WHERE msg.channel_id = c.id AND msg.seq > COALESCE(r.last_read_seq, 0) AND msg.account_id <> $1),
		(SELECT COUNT(*) FROM wg_members mm WHERE mm.channel_id = c.id)
		FROM wg_channels c
		LEFT JOIN live_topics t ON t.topic = 'wg:' || CAST(c.id AS TEXT)
		LEFT JOIN wg_reads r ON r.channel_id = c.id AND r.account_id = $1
		WHERE `+channelVisible(actor, "$1", "$2")+` ORDER BY c.everyone DESC, c.name, c.id`, actor.AccountID, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Channel
	for rows.Next() {
		var lastSeq, lastRead int64
		var unread, members int
		c, err := scanChannel(rows, &lastSeq, &lastRead, &unread, &members)
		if err != nil {
			return nil, err
		}
		c.LastSeq, c.LastRead, c.Unread, c.Members = lastSeq, lastRead, unread, members
		out = append(out, c)
	}
	return out, rows.Err()
}

// WorkGroupMember is an account that may be picked as a channel member or @mentioned.
type WorkGroupMember struct {
	ID      int64
	Name    string
	OrgName string
}

// workGroupAccounts returns the enabled accounts of the town whose roles grant the work group,
// ordered by organization and name.
func (db *DB) workGroupAccounts(ctx context.Context, q querier, townID int64, channel *domain.Channel) ([]WorkGroupMember, error) {
	var roles []string
	for r, perms := range domain.RolePermissions {
		if slices.Contains(perms, domain.PermWorkGroup) {
			roles = append(roles, string(r))
		}
	}
	slices.Sort(roles)
	args := []any{townID}
	marks := placeholders(&args, stringsToAny(roles))
	query := `SELECT DISTINCT a.id, a.display_name, o.name, o.sort_order FROM accounts a JOIN orgs o ON o.id = a.org_id
		JOIN account_roles ar ON ar.account_id = a.id
		WHERE a.town_id = $1 AND NOT a.disabled AND ar.role IN (` + marks + `)`
	if channel != nil && !channel.Everyone {
		args = append(args, channel.ID)
		query += fmt.Sprintf(` AND EXISTS (SELECT 1 FROM wg_members m WHERE m.channel_id = $%d AND m.account_id = a.id)`, len(args))
	}
	rows, err := q.QueryContext(ctx, query+` ORDER BY o.sort_order, o.name, a.display_name, a.id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []WorkGroupMember
	for rows.Next() {
		var m WorkGroupMember
		var sort int
		if err := rows.Scan(&m.ID, &m.Name, &m.OrgName, &sort); err != nil {
			return nil, err
		}
		out = append(out, m)
	}
	return out, rows.Err()
}

// WorkGroupAccounts returns every account of the actor's town that may use the work group.
func (db *DB) WorkGroupAccounts(ctx context.Context, actor domain.Actor) ([]WorkGroupMember, error) {
	return db.workGroupAccounts(ctx, db.sql, actor.TownID, nil)
}

// ChannelMembers returns the members of a channel the actor may see.
func (db *DB) ChannelMembers(ctx context.Context, actor domain.Actor, id int64) ([]WorkGroupMember, error) {
	c, err := db.GetChannel(ctx, actor, id)
	if err != nil {
		return nil, err
	}
	return db.workGroupAccounts(ctx, db.sql, actor.TownID, &c)
}

// CreateChannel creates a channel with the given members, the actor always among them, and
// audits it. Members must be work group accounts of the actor's town.
func (db *DB) CreateChannel(ctx context.Context, actor domain.Actor, c domain.Channel, memberIDs []int64) (int64, error) {
	return db.CreateChannelTx(ctx, nil, actor, c, memberIDs)
}

// CreateChannelTx is CreateChannel inside the caller's transaction, or a new one when outer is nil.
func (db *DB) CreateChannelTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, c domain.Channel, memberIDs []int64) (int64, error) {
	memberIDs = append(slices.Clone(memberIDs), actor.AccountID)
	slices.Sort(memberIDs)
	memberIDs = slices.Compact(memberIDs)
	if err := domain.ValidateChannel(&c, len(memberIDs)); err != nil {
		return 0, err
	}
	var id int64
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		if err := db.checkWorkGroupAccounts(ctx, tx, actor.TownID, memberIDs); err != nil {
			return err
		}
		var err error
		id, err = insertID(ctx, tx, `INSERT INTO wg_channels (town_id, name, description, everyone, created_by, created_at)
			VALUES ($1, $2, $3, FALSE, $4, $5) RETURNING id`, actor.TownID, c.Name, c.Description, actor.AccountID, db.now())
		if isUniqueViolation(err) {
			return &domain.Error{Kind: domain.KindConflict, Message: "已有同名频道。", Fields: map[string]string{"name": "已有同名频道，请换一个名称。"}}
		}
		if err != nil {
			return err
		}
		if err := db.addMembers(ctx, tx, id, memberIDs); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "wg.channel_create", "wg_channel", id, domain.OutcomeSuccess,
			fmt.Sprintf("%s，%d 名成员", c.Name, len(memberIDs))))
	})
	return id, err
}

func (db *DB) checkWorkGroupAccounts(ctx context.Context, q querier, townID int64, ids []int64) error {
	all, err := db.workGroupAccounts(ctx, q, townID, nil)
	if err != nil {
		return err
	}
	ok := map[int64]bool{}
	for _, m := range all {
		ok[m.ID] = true
	}
	for _, id := range ids {
		if !ok[id] {
			return &domain.Error{Kind: domain.KindInvalid, Message: "成员中有不能使用工作群的账号。",
				Fields: map[string]string{"members": "请从列表中选择成员。"}}
		}
	}
	return nil
}

func (db *DB) addMembers(ctx context.Context, tx *sql.Tx, channelID int64, ids []int64) error {
	now := db.now()
	for _, m := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO wg_members (channel_id, account_id, added_at) VALUES ($1, $2, $3)
			ON CONFLICT (channel_id, account_id) DO NOTHING`, channelID, m, now); err != nil {
			return err
		}
	}
	return nil
}

// SetChannelMembers replaces the members of a channel the actor created, keeping the actor, and
// audits the change. The channel of everyone has no member list to change.
func (db *DB) SetChannelMembers(ctx context.Context, actor domain.Actor, id int64, memberIDs []int64) error {
	memberIDs = append(slices.Clone(memberIDs), actor.AccountID)
	slices.Sort(memberIDs)
	memberIDs = slices.Compact(memberIDs)
	if len(memberIDs) > domain.MaxChannelMembers {
		return &domain.Error{Kind: domain.KindInvalid, Message: "频道成员不能超过 1000 人。", Fields: map[string]string{"members": "成员过多。"}}
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		c, err := db.channelForActor(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if c.Everyone {
			return domain.Conflict("“" + c.Name + "”包含全部成员，无需设置。")
		}
		if c.CreatedBy != actor.AccountID {
			return domain.Forbidden("只有频道的创建人可以调整成员。")
		}
		if err := db.checkWorkGroupAccounts(ctx, tx, actor.TownID, memberIDs); err != nil {
			return err
		}
		args := []any{id}
		marks := placeholders(&args, int64sToAny(memberIDs))
		if _, err := tx.ExecContext(ctx, `DELETE FROM wg_members WHERE channel_id = $1 AND account_id NOT IN (`+marks+`)`, args...); err != nil {
			return err
		}
		if err := db.addMembers(ctx, tx, id, memberIDs); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "wg.members", "wg_channel", id, domain.OutcomeSuccess,
			fmt.Sprintf("%s：%d 名成员", c.Name, len(memberIDs))))
	})
}

// PostMessage stores a message with its files in a channel the actor may see, with the next
// sequence number of the channel's topic. It records the @mentions of channel members and
// notifies them, moves the author's read position past the message, and audits the post, in
// one transaction. It returns the message and the notifications to publish.
func (db *DB) PostMessage(ctx context.Context, actor domain.Actor, channelID int64, body string, files []FileRecord) (domain.Message, []domain.Notification, error) {
	return db.PostMessageTx(ctx, nil, actor, channelID, body, files)
}

// PostMessageTx is PostMessage inside the caller's transaction, or a new one when outer is nil.
func (db *DB) PostMessageTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, channelID int64, body string, files []FileRecord) (domain.Message, []domain.Notification, error) {
	body, err := domain.ValidateMessage(body, len(files))
	if err != nil {
		return domain.Message{}, nil, err
	}
	var m domain.Message
	var notes []domain.Notification
	err = db.txOr(ctx, outer, func(tx *sql.Tx) error {
		c, err := db.channelForActor(ctx, tx, actor, channelID)
		if err != nil {
			return err
		}
		org, err := db.getOrg(ctx, tx, actor, actor.OrgID)
		if err != nil {
			return err
		}
		seq, err := db.NextSeq(ctx, tx, ChannelTopic(channelID))
		if err != nil {
			return err
		}
		m = domain.Message{ChannelID: channelID, Seq: seq, AccountID: actor.AccountID, Author: actorDisplayName(actor),
			OrgName: org.Name, Body: body, CreatedAt: db.now()}
		m.ID, err = insertID(ctx, tx, `INSERT INTO wg_messages (town_id, channel_id, seq, account_id, author, org_name, body, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`, actor.TownID, channelID, seq, actor.AccountID, m.Author, m.OrgName, body, m.CreatedAt)
		if err != nil {
			return fmt.Errorf("insert message: %w", err)
		}
		if err := db.attachFilesTx(ctx, tx, actor.TownID, AttachMessage, m.ID, files); err != nil {
			return err
		}
		files, err := db.attachmentsTx(ctx, tx, AttachMessage, m.ID)
		if err != nil {
			return err
		}
		m.Files = files
		notes, err = db.recordMentions(ctx, tx, actor, c, &m)
		if err != nil {
			return err
		}
		if err := db.setReadPosition(ctx, tx, channelID, actor.AccountID, seq); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "wg.post", "wg_message", m.ID, domain.OutcomeSuccess,
			fmt.Sprintf("%s #%d", c.Name, seq)))
	})
	return m, notes, err
}

// attachmentsTx reads the attachments of one owner inside a transaction.
func (db *DB) attachmentsTx(ctx context.Context, tx *sql.Tx, ownerType string, ownerID int64) ([]domain.Attachment, error) {
	rows, err := tx.QueryContext(ctx, `SELECT f.id, f.original_name, f.content_type, f.size FROM coord_attachments a
		JOIN files f ON f.id = a.file_id WHERE a.owner_type = $1 AND a.owner_id = $2 ORDER BY a.position, f.id`, ownerType, ownerID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Attachment
	for rows.Next() {
		var a domain.Attachment
		if err := rows.Scan(&a.FileID, &a.Name, &a.ContentType, &a.Size); err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

func (db *DB) recordMentions(ctx context.Context, tx *sql.Tx, actor domain.Actor, c domain.Channel, m *domain.Message) ([]domain.Notification, error) {
	if !strings.ContainsAny(m.Body, "@＠") {
		return nil, nil
	}
	members, err := db.workGroupAccounts(ctx, tx, actor.TownID, &c)
	if err != nil {
		return nil, err
	}
	names := map[string]int64{}
	for _, mem := range members {
		if mem.ID != actor.AccountID {
			names[mem.Name] = mem.ID
		}
	}
	m.Mentions = domain.FindMentions(m.Body, names)
	var list []domain.Notification
	for _, id := range m.Mentions {
		if _, err := tx.ExecContext(ctx, `INSERT INTO wg_mentions (message_id, account_id) VALUES ($1, $2)`, m.ID, id); err != nil {
			return nil, err
		}
		list = append(list, domain.Notification{TownID: actor.TownID, AccountID: id, Kind: domain.NotifyMention,
			Title: m.Author + "在“" + c.Name + "”中提到了您：" + domain.TruncateChars(m.Body, 40),
			Link:  fmt.Sprintf("/admin/workgroup/%d#m%d", c.ID, m.Seq), RefType: "wg_channel", RefID: c.ID})
	}
	return db.AddNotificationsTx(ctx, tx, list)
}

func (db *DB) setReadPosition(ctx context.Context, q querier, channelID, accountID, seq int64) error {
	_, err := q.ExecContext(ctx, `INSERT INTO wg_reads (channel_id, account_id, last_read_seq) VALUES ($1, $2, $3)
		ON CONFLICT (channel_id, account_id) DO UPDATE SET last_read_seq = excluded.last_read_seq
		WHERE wg_reads.last_read_seq < excluded.last_read_seq`, channelID, accountID, seq)
	return err
}

// MarkChannelRead moves the actor's read position in a channel forward to seq, capped at the
// channel's latest message; it never moves back. The read position is the person's own view
// state, so it is not audited.
func (db *DB) MarkChannelRead(ctx context.Context, actor domain.Actor, channelID, seq int64) error {
	if _, err := db.GetChannel(ctx, actor, channelID); err != nil {
		return err
	}
	heads, err := db.TopicHeads(ctx, []string{ChannelTopic(channelID)})
	if err != nil {
		return err
	}
	seq = min(seq, heads[ChannelTopic(channelID)])
	if seq <= 0 {
		return nil
	}
	if err := db.setReadPosition(ctx, db.sql, channelID, actor.AccountID, seq); err != nil {
		return err
	}
	// Mentions in what the person has now read are read too.
	_, err = db.sql.ExecContext(ctx, `UPDATE notifications SET read_at = $1 WHERE account_id = $2 AND ref_type = 'wg_channel'
		AND ref_id = $3 AND read_at IS NULL`, db.now(), actor.AccountID, channelID)
	return err
}

const messageColumns = `m.id, m.channel_id, m.seq, m.account_id, m.author, m.org_name, m.body, m.created_at`

func (db *DB) queryMessages(ctx context.Context, query string, args ...any) ([]domain.Message, error) {
	rows, err := db.sql.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, err
	}
	var out []domain.Message
	var ids []int64
	for rows.Next() {
		var m domain.Message
		if err := rows.Scan(&m.ID, &m.ChannelID, &m.Seq, &m.AccountID, &m.Author, &m.OrgName, &m.Body, &m.CreatedAt); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, m)
		ids = append(ids, m.ID)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	files, err := db.attachmentsOf(ctx, AttachMessage, ids)
	if err != nil {
		return nil, err
	}
	mentions, err := db.mentionsOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for i := range out {
		out[i].Files = files[out[i].ID]
		out[i].Mentions = mentions[out[i].ID]
	}
	return out, nil
}

func (db *DB) mentionsOf(ctx context.Context, messageIDs []int64) (map[int64][]int64, error) {
	out := map[int64][]int64{}
	if len(messageIDs) == 0 {
		return out, nil
	}
	args := []any{}
	marks := placeholders(&args, int64sToAny(messageIDs))
	rows, err := db.sql.QueryContext(ctx, `SELECT message_id, account_id FROM wg_mentions WHERE message_id IN (`+marks+`) ORDER BY message_id, account_id`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var m, a int64
		if err := rows.Scan(&m, &a); err != nil {
			return nil, err
		}
		out[m] = append(out[m], a)
	}
	return out, rows.Err()
}

// ChannelHistory returns up to limit messages of a channel the actor may see with seq below
// before (0 for the latest), oldest first.
func (db *DB) ChannelHistory(ctx context.Context, actor domain.Actor, channelID, before int64, limit int) ([]domain.Message, error) {
	if _, err := db.GetChannel(ctx, actor, channelID); err != nil {
		return nil, err
	}
	if before <= 0 {
		before = 1 << 62
	}
	list, err := db.queryMessages(ctx, `SELECT `+messageColumns+` FROM wg_messages m WHERE m.channel_id = $1 AND m.seq < $2
		ORDER BY m.seq DESC LIMIT $3`, channelID, before, limit)
	slices.Reverse(list)
	return list, err
}

// MessagesAfter returns the messages of a channel with seq above after, oldest first, at most
// limit: the replay of the channel's topic. Callers check that the reader may see the channel.
func (db *DB) MessagesAfter(ctx context.Context, channelID, after int64, limit int) ([]domain.Message, error) {
	return db.queryMessages(ctx, `SELECT `+messageColumns+` FROM wg_messages m WHERE m.channel_id = $1 AND m.seq > $2
		ORDER BY m.seq LIMIT $3`, channelID, after, limit)
}

// SearchMessages returns one page of the messages containing query in the channels the actor
// may see, newest first, and the total.
func (db *DB) SearchMessages(ctx context.Context, actor domain.Actor, query string, page Page) ([]domain.Message, int, error) {
	query = strings.TrimSpace(query)
	if query == "" {
		return nil, 0, nil
	}
	cond := ` FROM wg_messages m JOIN wg_channels c ON c.id = m.channel_id WHERE ` + channelVisible(actor, "$2", "$3") + ` AND m.town_id = $3 AND ` +
		db.dialect.containsFold("m.body", "$1")
	args := []any{escapeLike(domain.TruncateChars(query, 50)), actor.AccountID, actor.TownID}
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+cond, args, &page)
	if err != nil {
		return nil, 0, err
	}
	list, err := db.queryMessages(ctx, `SELECT `+messageColumns+cond+` ORDER BY m.created_at DESC, m.id DESC`+limit, args...)
	return list, total, err
}

// VisibleChannelTopics returns the topic of every channel the actor may see, for the event stream.
func (db *DB) VisibleChannelTopics(ctx context.Context, actor domain.Actor) ([]string, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT c.id FROM wg_channels c WHERE `+channelVisible(actor, "$1", "$2")+` ORDER BY c.id`,
		actor.AccountID, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			return nil, err
		}
		out = append(out, ChannelTopic(id))
	}
	return out, rows.Err()
}
