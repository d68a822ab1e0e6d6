package store

import (
	"context"
	"database/sql"
	"fmt"
	"regexp"
	"time"

	"pingan/internal/board"
	"pingan/internal/domain"
)

// SettingDutyHours is the settings key of live consultation's daily hours, "08:30-17:30",
// which apply on working days of the holiday calendar.
const SettingDutyHours = "chat.duty_hours"

// DefaultDutyHours are the hours of a town that set none.
const DefaultDutyHours = "08:30-17:30"

var dutyHoursPattern = regexp.MustCompile(`^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$`)

// OnDuty reports whether live consultation is staffed at now: a working day of the calendar,
// within the town's duty hours, Beijing time.
func (db *DB) OnDuty(ctx context.Context, townID int64, now time.Time) (bool, string, error) {
	hours, err := db.Setting(ctx, townID, SettingDutyHours, DefaultDutyHours)
	if err != nil {
		return false, "", err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return false, hours, err
	}
	if !cal.IsWorkday(now) {
		return false, hours, nil
	}
	clock := now.In(domain.Shanghai).Format("15:04")
	return clock >= hours[:5] && clock < hours[6:], hours, nil
}

// SaveDutyHours stores the duty hours after checking their form, and audits the change.
func (db *DB) SaveDutyHours(ctx context.Context, actor domain.Actor, hours string) error {
	if !dutyHoursPattern.MatchString(hours) || hours[:5] >= hours[6:] {
		return &domain.Error{Kind: domain.KindInvalid, Message: "值班时间格式应为 08:30-17:30，且结束晚于开始。", Fields: map[string]string{"hours": "请按 08:30-17:30 的格式填写。"}}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		if err := db.putSetting(ctx, tx, actor.TownID, SettingDutyHours, hours); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.duty_hours", "settings", actor.TownID, domain.OutcomeSuccess, hours))
	})
}

// RosterEntry is one agent on duty on one day.
type RosterEntry struct {
	Day       string
	AccountID int64
	Name      string
}

// Roster returns the duty roster of the actor's town from a day on, for a number of days.
func (db *DB) Roster(ctx context.Context, actor domain.Actor, from time.Time, days int) ([]RosterEntry, error) {
	start := from.In(domain.Shanghai).Format("2006-01-02")
	end := from.In(domain.Shanghai).AddDate(0, 0, days).Format("2006-01-02")
	rows, err := db.sql.QueryContext(ctx, `SELECT d.day, d.account_id, a.display_name FROM duty_roster d JOIN accounts a ON a.id = d.account_id
		WHERE d.town_id = $1 AND d.day >= $2 AND d.day < $3 ORDER BY d.day, a.display_name, a.id`, actor.TownID, start, end)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RosterEntry
	for rows.Next() {
		var e RosterEntry
		if err := rows.Scan(&e.Day, &e.AccountID, &e.Name); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SetRoster puts an agent on duty on a day, or takes them off, and audits it.
func (db *DB) SetRoster(ctx context.Context, actor domain.Actor, day string, accountID int64, on bool) error {
	if _, err := domain.ParseDate(day); err != nil {
		return &domain.Error{Kind: domain.KindInvalid, Message: "请选择日期。", Fields: map[string]string{"day": "请选择日期。"}}
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts a JOIN account_roles r ON r.account_id = a.id AND r.role = 'agent'
			WHERE a.id = $1 AND a.town_id = $2`, accountID, actor.TownID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return &domain.Error{Kind: domain.KindInvalid, Message: "请选择在线咨询值班员。", Fields: map[string]string{"account_id": "请选择值班员。"}}
		}
		var err error
		if on {
			_, err = tx.ExecContext(ctx, `INSERT INTO duty_roster (town_id, day, account_id) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING`, actor.TownID, day, accountID)
		} else {
			_, err = tx.ExecContext(ctx, `DELETE FROM duty_roster WHERE town_id = $1 AND day = $2 AND account_id = $3`, actor.TownID, day, accountID)
		}
		if err != nil {
			return err
		}
		verb := "排班"
		if !on {
			verb = "取消排班"
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.roster", "account", accountID, domain.OutcomeSuccess, verb+" "+day))
	})
}

// Agents returns the enabled accounts of the actor's town that hold the agent role.
func (db *DB) Agents(ctx context.Context, actor domain.Actor) ([]RosterEntry, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT a.id, a.display_name FROM accounts a JOIN account_roles r ON r.account_id = a.id AND r.role = 'agent'
		WHERE a.town_id = $1 AND a.disabled = FALSE ORDER BY a.display_name, a.id`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []RosterEntry
	for rows.Next() {
		var e RosterEntry
		if err := rows.Scan(&e.AccountID, &e.Name); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// CannedReply is a prepared answer agents insert with one click.
type CannedReply struct {
	ID   int64
	Body string
}

// CannedReplies returns the canned replies of the actor's town in order.
func (db *DB) CannedReplies(ctx context.Context, actor domain.Actor) ([]CannedReply, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT id, body FROM chat_canned_replies WHERE town_id = $1 ORDER BY sort_order, id`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CannedReply
	for rows.Next() {
		var c CannedReply
		if err := rows.Scan(&c.ID, &c.Body); err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// AddCannedReply adds a canned reply to the actor's town.
func (db *DB) AddCannedReply(ctx context.Context, actor domain.Actor, body string) error {
	return db.inTx(ctx, func(tx *sql.Tx) error { return db.addCannedReply(ctx, tx, actor, body) })
}

func (db *DB) addCannedReply(ctx context.Context, q querier, actor domain.Actor, body string) error {
	body = domain.CleanText(body)
	p := domain.Problems{}
	board.CheckText(p, "body", "常用语", body, true, MaxChatMessage)
	if err := p.Err(); err != nil {
		return err
	}
	id, err := insertID(ctx, q, `INSERT INTO chat_canned_replies (town_id, body, sort_order, created_at) VALUES ($1, $2,
		(SELECT COALESCE(MAX(sort_order), 0) + 10 FROM chat_canned_replies WHERE town_id = $1), $3) RETURNING id`, actor.TownID, body, db.now())
	if err != nil {
		return fmt.Errorf("add canned reply: %w", err)
	}
	return db.appendAudit(ctx, q, auditFor(actor, "chat.canned_add", "canned_reply", id, domain.OutcomeSuccess, domain.TruncateChars(body, 40)))
}

// DeleteCannedReply removes a canned reply of the actor's town.
func (db *DB) DeleteCannedReply(ctx context.Context, actor domain.Actor, id int64) error {
	return db.inTx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM chat_canned_replies WHERE id = $1 AND town_id = $2`, id, actor.TownID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.NotFound("常用语不存在。")
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "chat.canned_delete", "canned_reply", id, domain.OutcomeSuccess, ""))
	})
}
