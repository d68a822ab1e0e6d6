package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
)

// CaseInput is one workflow step a person takes on a case.
type CaseInput struct {
	Action casework.Action
	Note   string
	// LeadOrgID and AssistOrgIDs are the units of a dispatch.
	LeadOrgID    int64
	AssistOrgIDs []int64
	// PromisedAt is the promised date of a reply that does not settle the matter at once.
	PromisedAt time.Time
	Outcome    casework.Outcome
	Rating     casework.Rating
	// MergeInto is the number of the case a duplicate merges into.
	MergeInto string
	FileIDs   []int64
}

// CaseResult is what a step produced besides the case itself.
type CaseResult struct {
	To casework.State
	// Messages go to the citizen through the message gateway once the step has committed.
	Messages []CitizenMessage
	// Notifications are the staff's bell notifications the step stored. Publish them once the
	// step has committed.
	Notifications []domain.Notification
}

// StaffEvent is one workflow event that staff should hear of in the back office.
type StaffEvent struct {
	TownID int64
	CaseID int64
	Action casework.Action
	// OrgIDs are the units concerned, such as the units a case was dispatched to.
	OrgIDs []int64
	// Overdue marks an ActSupervise event that comes from the scheduled overdue reminder
	// rather than from a dispatcher, so the unit sees 工单超期提醒 instead of 工单督办.
	Overdue bool
}

// notifyStaffTx stores the bell notifications of one case event inside the step's transaction
// and returns them, for publishing after the commit. A dispatch notifies the unit handlers of
// ev.OrgIDs, a send-back or escalation the dispatchers of the town's center, and supervision
// or an overdue reminder the unit handlers of ev.OrgIDs. Other events notify no one.
func (db *DB) notifyStaffTx(ctx context.Context, tx *sql.Tx, ev StaffEvent) ([]domain.Notification, error) {
	var kind domain.NotificationKind
	var accounts []int64
	var err error
	switch ev.Action {
	case casework.ActDispatch:
		kind = domain.NotifyCaseDispatched
		accounts, err = accountsWithRole(ctx, tx, ev.OrgIDs, domain.RoleUnitHandler)
	case casework.ActSendBack, casework.ActEscalate:
		kind = domain.NotifyCaseSentBack
		if ev.Action == casework.ActEscalate {
			kind = domain.NotifyCaseEscalated
		}
		accounts, err = centerAccountsWithRole(ctx, tx, ev.TownID, domain.RoleDispatcher)
	case casework.ActSupervise:
		kind = domain.NotifyCaseSupervised
		if ev.Overdue {
			kind = domain.NotifyCaseOverdue
		}
		accounts, err = accountsWithRole(ctx, tx, ev.OrgIDs, domain.RoleUnitHandler)
	default:
		return nil, nil
	}
	if err != nil || len(accounts) == 0 {
		return nil, err
	}

	var number, title string
	if err := tx.QueryRowContext(ctx, `SELECT number, title FROM cases WHERE id = $1`, ev.CaseID).Scan(&number, &title); err != nil {
		return nil, fmt.Errorf("read case %d for notifications: %w", ev.CaseID, err)
	}
	list := make([]domain.Notification, len(accounts))
	for i, a := range accounts {
		list[i] = domain.Notification{TownID: ev.TownID, AccountID: a, Kind: kind, Title: kind.Label() + "：" + number + " " + title,
			Link: "/admin/cases/" + idString(ev.CaseID), RefType: "case", RefID: ev.CaseID}
	}
	return db.AddNotificationsTx(ctx, tx, list)
}

// CaseAction takes one workflow step on a case the actor may see, with its timeline entry,
// assignment changes, citizen notice and audit record in one transaction. Refused steps are
// KindForbidden or KindConflict; bad input is KindInvalid, and nothing is stored then.
func (db *DB) CaseAction(ctx context.Context, actor domain.Actor, id int64, in CaseInput) (CaseResult, error) {
	var res CaseResult
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		res, err = db.caseActionTx(ctx, tx, actor, id, in, false)
		return err
	})
	return res, err
}

// CaseActionTx is CaseAction inside a caller's transaction.
func (db *DB) CaseActionTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64, in CaseInput) (CaseResult, error) {
	return db.caseActionTx(ctx, tx, actor, id, in, false)
}

func (db *DB) caseActionTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64, in CaseInput, citizen bool) (CaseResult, error) {
	var res CaseResult
	in.Note = domain.CleanText(in.Note)
	p := domain.Problems{}
	board.CheckText(p, "note", "说明", in.Note, noteRequired(in.Action), 2000)
	if err := p.Err(); err != nil {
		return res, err
	}
	var c Case
	var err error
	orgs, err := db.townOrgs(ctx, tx, actor.TownID)
	if err != nil {
		return res, err
	}
	if citizen {
		// The citizen proved the query code and mobile number; the case is loaded unscoped.
		c, err = db.getCase(ctx, tx, domain.Actor{TownID: actor.TownID, Roles: []domain.Role{domain.RoleDispatcher}}, id, false)
		if err != nil {
			return res, err
		}
		c.Party = casework.Party{Citizen: true}
	} else {
		if c, err = db.getCase(ctx, tx, actor, id, false); err != nil {
			return res, err
		}
	}
	to, err := casework.Check(c.Party, c.Facts(), in.Action)
	if err != nil {
		return res, err
	}
	res.To = to
	now := db.now()
	actorOrg := orgs[actor.OrgID].Name
	detail := ""
	public := false
	notice := ""
	set := map[string]any{}
	// An assisting unit's step changes its own assignment only; the case follows the lead.
	assist := c.Party.Assist && !c.Party.Lead && slices.Contains(casework.AssistActions, in.Action)

	switch in.Action {
	case casework.ActDecline:
		set["outcome"], set["closed_at"] = string(casework.Declined), now
		notice = "您反映的事项不予受理，理由：" + in.Note
	case casework.ActDispatch:
		d, err := db.dispatch(ctx, tx, &c, orgs, in.LeadOrgID, in.AssistOrgIDs, now)
		if err != nil {
			return res, err
		}
		detail = d
		if c.DispatchedAt.IsZero() {
			set["dispatched_at"] = now
		}
		if err := db.setCaseDue(ctx, tx, c.ID, set); err != nil {
			return res, err
		}
		notice = "您反映的事项已交由" + orgs[in.LeadOrgID].Name + "办理。"
	case casework.ActAcknowledge:
		if err := db.setAssignment(ctx, tx, c.ID, actor.OrgID, "state = 'acknowledged', acknowledged_at = $3", now); err != nil {
			return res, err
		}
		if !assist {
			set["acknowledged_at"] = now
		}
	case casework.ActHandle:
		if err := db.setAssignment(ctx, tx, c.ID, actor.OrgID, "state = CASE WHEN state = 'replied' THEN state ELSE 'in_progress' END, acknowledged_at = COALESCE(acknowledged_at, $3)", now); err != nil {
			return res, err
		}
	case casework.ActReply:
		if !in.PromisedAt.IsZero() {
			day := in.PromisedAt.In(domain.Shanghai)
			today := now.In(domain.Shanghai)
			if day.Before(time.Date(today.Year(), today.Month(), today.Day(), 0, 0, 0, 0, domain.Shanghai)) || day.After(today.AddDate(0, 6, 0)) {
				return res, &domain.Error{Kind: domain.KindInvalid, Message: "承诺办结日期应在今天到半年之内。", Fields: map[string]string{"promised_at": "请选择今天以后、半年以内的日期。"}}
			}
			detail = "承诺 " + domain.FormatDate(in.PromisedAt) + " 前办结"
		}
		if err := db.setAssignment(ctx, tx, c.ID, actor.OrgID, "state = 'replied', replied_at = $3, acknowledged_at = COALESCE(acknowledged_at, $3)", now); err != nil {
			return res, err
		}
		if !assist {
			public = true
			set["replied_at"] = now
			if !in.PromisedAt.IsZero() {
				set["promised_at"] = endOfDay(in.PromisedAt)
			}
			notice = actorOrg + "已答复您反映的事项" + optional("，", detail) + "。"
			if err := db.publishReply(ctx, tx, &c, actor, actorOrg, in.Note, now); err != nil {
				return res, err
			}
		}
	case casework.ActResolve:
		if err := db.setAssignment(ctx, tx, c.ID, actor.OrgID, "state = 'resolved', resolved_at = $3, acknowledged_at = COALESCE(acknowledged_at, $3)", now); err != nil {
			return res, err
		}
		if !assist {
			set["resolved_at"] = now
			notice = "您反映的事项已办结，欢迎凭查询码评价办理结果。"
			if c.PostID != 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE board_posts SET resolved_at = COALESCE(resolved_at, $1), updated_at = $1 WHERE id = $2`, now, c.PostID); err != nil {
					return res, err
				}
			}
			if c.ChatID != 0 {
				if _, err := tx.ExecContext(ctx, `UPDATE chats SET resolved = TRUE, updated_at = $1 WHERE id = $2`, now, c.ChatID); err != nil {
					return res, err
				}
			}
		}
	case casework.ActFollowUp:
		if !in.Rating.Valid() {
			return res, &domain.Error{Kind: domain.KindInvalid, Message: "请选择群众的满意度评价。", Fields: map[string]string{"rating": "请选择评价。"}}
		}
		set["rating"], set["rating_reason"], set["rated_at"] = string(in.Rating), in.Note, now
		detail = "评价：" + in.Rating.Label()
	case casework.ActClose:
		if !slices.Contains(casework.CloseOutcomes, in.Outcome) {
			return res, &domain.Error{Kind: domain.KindInvalid, Message: "请选择办理结果。", Fields: map[string]string{"outcome": "请选择办理结果。"}}
		}
		set["outcome"], set["closed_at"] = string(in.Outcome), now
		detail = "结果：" + in.Outcome.Label()
		notice = "您反映的事项已结案，办理结果：" + in.Outcome.Label() + "。"
	case casework.ActSendBack:
		if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET active = FALSE, state = 'sent_back' WHERE case_id = $1 AND active = TRUE`, c.ID); err != nil {
			return res, err
		}
	case casework.ActEscalate:
		set["escalated"] = true
		if c.Local {
			set["local"] = false
			detail = "村（社区）上报镇综治中心"
		} else {
			detail = "上报上级"
		}
	case casework.ActMerge:
		target, err := db.mergeTarget(ctx, tx, actor, &c, in.MergeInto)
		if err != nil {
			return res, err
		}
		set["merged_into"], set["outcome"], set["closed_at"] = target.ID, string(casework.Merged), now
		detail = "并入 " + target.Number
		if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET active = FALSE WHERE case_id = $1 AND active = TRUE`, c.ID); err != nil {
			return res, err
		}
		if err := db.insertStep(ctx, tx, target.ID, actor, actorOrg, casework.ActHandle, target.State, target.State,
			"合并重复工单 "+c.Number+"："+in.Note, false, "", nil); err != nil {
			return res, err
		}
		notice = "您反映的事项与编号 " + target.Number + " 的事项合并办理。"
	case casework.ActReopen:
		if err := db.reopen(ctx, tx, &c, orgs, now); err != nil {
			return res, err
		}
		set["reopened_count"] = c.ReopenedCount + 1
		set["outcome"] = ""
		set["resolved_at"], set["closed_at"], set["replied_at"], set["acknowledged_at"] = nil, nil, nil, nil
		if err := db.setCaseDue(ctx, tx, c.ID, set); err != nil {
			return res, err
		}
		notice = "您反映的事项已重新交办。"
	case casework.ActSupervise:
		set["supervised_count"] = c.SupervisedCount + 1
		if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET reminded_at = $1 WHERE case_id = $2 AND active = TRUE`, now, c.ID); err != nil {
			return res, err
		}
	}
	if assist {
		detail = strings.TrimSpace("协办单位 " + actorOrg + " " + detail)
	}
	set["state"] = string(to)
	set["updated_at"] = now
	if err := db.updateCase(ctx, tx, c.ID, set); err != nil {
		return res, err
	}
	if err := db.insertStep(ctx, tx, c.ID, actor, actorOrg, in.Action, c.State, to, in.Note, public, detail, in.FileIDs); err != nil {
		return res, err
	}
	if notice != "" {
		if err := db.addCitizenNotice(ctx, tx, c.TownID, c.PostID, c.ID, notice); err != nil {
			return res, err
		}
		if m, err := db.citizenMobile(ctx, tx, c.ID); err != nil {
			return res, err
		} else if m != "" {
			res.Messages = append(res.Messages, CitizenMessage{Mobile: m, Text: notice})
		}
	}
	ev := StaffEvent{TownID: c.TownID, CaseID: c.ID, Action: in.Action}
	for _, a := range c.Assignments {
		if a.Active {
			ev.OrgIDs = append(ev.OrgIDs, a.OrgID)
		}
	}
	switch in.Action {
	case casework.ActDispatch:
		ev.OrgIDs = append([]int64{in.LeadOrgID}, in.AssistOrgIDs...)
	case casework.ActSupervise:
		// Supervision presses the lead unit, which is responsible for the whole case.
		ev.OrgIDs = nil
		for _, a := range c.Assignments {
			if a.Active && a.Lead {
				ev.OrgIDs = append(ev.OrgIDs, a.OrgID)
			}
		}
	}
	if res.Notifications, err = db.notifyStaffTx(ctx, tx, ev); err != nil {
		return res, err
	}
	auditDetail := c.Number + " " + c.State.Label() + " → " + to.Label() + optional("，", detail)
	return res, db.appendAudit(ctx, tx, auditFor(actor, "case."+string(in.Action), "case", c.ID, domain.OutcomeSuccess, auditDetail))
}

func noteRequired(a casework.Action) bool {
	switch a {
	case casework.ActDecline, casework.ActSendBack, casework.ActEscalate, casework.ActHandle, casework.ActReply,
		casework.ActResolve, casework.ActSupervise, casework.ActReopen:
		return true
	}
	return false
}

func endOfDay(t time.Time) time.Time {
	d := t.In(domain.Shanghai)
	return time.Date(d.Year(), d.Month(), d.Day(), 23, 59, 59, 0, domain.Shanghai).UTC()
}

// updateCase sets columns of a case; the column names come from this package, never from input.
func (db *DB) updateCase(ctx context.Context, tx *sql.Tx, id int64, set map[string]any) error {
	cols := make([]string, 0, len(set))
	for k := range set {
		cols = append(cols, k)
	}
	slices.Sort(cols)
	parts := make([]string, len(cols))
	args := make([]any, 0, len(cols)+1)
	for i, k := range cols {
		v := set[k]
		if t, ok := v.(time.Time); ok {
			v = t.UTC()
		}
		args = append(args, v)
		parts[i] = fmt.Sprintf("%s = $%d", k, len(args))
	}
	args = append(args, id)
	_, err := tx.ExecContext(ctx, `UPDATE cases SET `+strings.Join(parts, ", ")+fmt.Sprintf(` WHERE id = $%d`, len(args)), args...)
	if err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	return nil
}

// setAssignment updates the actor's organization's active assignment of a case; $3 is at.
func (db *DB) setAssignment(ctx context.Context, tx *sql.Tx, caseID, orgID int64, assignments string, at time.Time) error {
	_, err := tx.ExecContext(ctx, `UPDATE case_assignments SET `+assignments+` WHERE case_id = $1 AND org_id = $2 AND active = TRUE`, caseID, orgID, at)
	return err
}

// dispatch deactivates the case's assignments and creates the new ones with deadlines counted
// in working days from the category's limits. It returns the timeline detail.
func (db *DB) dispatch(ctx context.Context, tx *sql.Tx, c *Case, orgs map[int64]domain.Org, lead int64, assists []int64, now time.Time) (string, error) {
	p := domain.Problems{}
	valid := func(id int64) bool {
		o, ok := orgs[id]
		if !ok || !o.HandlesCases() {
			return false
		}
		return !c.Local || within(orgs, id, c.OriginOrgID)
	}
	if lead == 0 || !valid(lead) {
		msg := "请选择主办单位。"
		if o, ok := orgs[lead]; ok && (o.Kind == domain.OrgTown || o.Kind == domain.OrgCounty) {
			msg = "主办单位须是成员单位或村（社区），不能是镇本身。"
		}
		if c.Local {
			msg = "就地化解的纠纷只能交给本村（社区）的组织办理；需要镇里办理的，请先上报。"
		}
		p.Add("lead_org_id", msg)
	}
	seen := map[int64]bool{lead: true}
	var names []string
	for _, a := range assists {
		if !valid(a) {
			p.Add("assist_org_ids", "协办单位有误，请重新选择。")
			continue
		}
		if seen[a] {
			p.Add("assist_org_ids", "主办单位和协办单位不能重复。")
			continue
		}
		seen[a] = true
		names = append(names, orgs[a].Name)
	}
	if len(assists) > 10 {
		p.Add("assist_org_ids", "协办单位最多 10 个。")
	}
	if err := p.Err(); err != nil {
		return "", err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET active = FALSE WHERE case_id = $1 AND active = TRUE`, c.ID); err != nil {
		return "", err
	}
	if err := db.insertAssignments(ctx, tx, c, lead, assists, now); err != nil {
		return "", err
	}
	detail := "主办：" + orgs[lead].Name
	if len(names) > 0 {
		detail += "；协办：" + strings.Join(names, "、")
	}
	return detail, nil
}

func (db *DB) insertAssignments(ctx context.Context, tx *sql.Tx, c *Case, lead int64, assists []int64, now time.Time) error {
	cal, err := db.calendar(ctx, tx)
	if err != nil {
		return err
	}
	info, _ := c.Category.Info()
	ack, reply, resolve := cal.Deadline(now, info.Limits.Acknowledge), cal.Deadline(now, info.Limits.Reply), cal.Deadline(now, info.Limits.Resolve)
	for i, org := range append([]int64{lead}, assists...) {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_assignments (case_id, org_id, lead, state, active, dispatched_at, ack_due_at, reply_due_at, resolve_due_at)
			VALUES ($1, $2, $3, 'dispatched', TRUE, $4, $5, $6, $7)`, c.ID, org, i == 0, now, ack.UTC(), reply.UTC(), resolve.UTC()); err != nil {
			return err
		}
	}
	return nil
}

// setCaseDue copies the deadlines of the case's active lead assignment into set.
func (db *DB) setCaseDue(ctx context.Context, tx *sql.Tx, caseID int64, set map[string]any) error {
	var ack, reply, resolve time.Time
	err := tx.QueryRowContext(ctx, `SELECT ack_due_at, reply_due_at, resolve_due_at FROM case_assignments
		WHERE case_id = $1 AND active = TRUE AND lead = TRUE`, caseID).Scan(&ack, &reply, &resolve)
	if err != nil {
		return fmt.Errorf("lead assignment deadlines: %w", err)
	}
	set["ack_due_at"], set["reply_due_at"], set["resolve_due_at"] = ack, reply, resolve
	return nil
}

// reopen dispatches the case again to the units of its latest dispatch, with new deadlines.
func (db *DB) reopen(ctx context.Context, tx *sql.Tx, c *Case, orgs map[int64]domain.Org, now time.Time) error {
	var lead int64
	var assists []int64
	latest := time.Time{}
	for _, a := range c.Assignments {
		if a.DispatchedAt.After(latest) {
			latest = a.DispatchedAt
		}
	}
	for _, a := range c.Assignments {
		if !a.DispatchedAt.Equal(latest) {
			continue
		}
		if a.Lead {
			lead = a.OrgID
		} else {
			assists = append(assists, a.OrgID)
		}
	}
	if lead == 0 {
		return domain.Conflict("该工单从未交办，不能重新办理，请直接交办。")
	}
	if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET active = FALSE WHERE case_id = $1 AND active = TRUE`, c.ID); err != nil {
		return err
	}
	return db.insertAssignments(ctx, tx, c, lead, assists, now)
}

func (db *DB) mergeTarget(ctx context.Context, tx *sql.Tx, actor domain.Actor, c *Case, number string) (Case, error) {
	number = strings.TrimSpace(number)
	fail := func(msg string) (Case, error) {
		return Case{}, &domain.Error{Kind: domain.KindInvalid, Message: msg, Fields: map[string]string{"merge_into": msg}}
	}
	if number == "" {
		return fail("请填写要并入的工单编号。")
	}
	if number == c.Number {
		return fail("不能并入工单自身。")
	}
	var id int64
	err := tx.QueryRowContext(ctx, `SELECT id FROM cases WHERE number = $1 AND town_id = $2`, number, actor.TownID).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return fail("找不到编号为 " + number + " 的工单。")
	}
	if err != nil {
		return Case{}, err
	}
	t, err := db.getCase(ctx, tx, actor, id, false)
	if err != nil {
		return fail("找不到编号为 " + number + " 的工单。")
	}
	if t.State == casework.Closed {
		return fail("工单 " + number + " 已结案，不能并入。")
	}
	return t, nil
}

// publishReply puts a unit's reply on the board when the case came from a post.
func (db *DB) publishReply(ctx context.Context, tx *sql.Tx, c *Case, actor domain.Actor, orgName, body string, now time.Time) error {
	if c.PostID == 0 {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO board_messages (post_id, author_kind, org_id, org_name, account_id, body, created_at)
		VALUES ($1, 'unit', $2, $3, $4, $5, $6)`, c.PostID, nullInt(actor.OrgID), orgName, nullInt(actor.AccountID), body, now)
	return err
}

func (db *DB) citizenMobile(ctx context.Context, q querier, caseID int64) (string, error) {
	var enc string
	if err := q.QueryRowContext(ctx, `SELECT citizen_phone_enc FROM cases WHERE id = $1`, caseID).Scan(&enc); err != nil {
		return "", err
	}
	return db.keys.Decrypt(enc)
}

// CaseFile returns a file attached to a step of a case the actor may see.
func (db *DB) CaseFile(ctx context.Context, actor domain.Actor, caseID, fileID int64) (FileRecord, error) {
	if _, err := db.GetCase(ctx, actor, caseID, false); err != nil {
		return FileRecord{}, err
	}
	var n int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM case_step_files sf JOIN case_steps s ON s.id = sf.step_id
		WHERE s.case_id = $1 AND sf.file_id = $2`, caseID, fileID).Scan(&n); err != nil {
		return FileRecord{}, err
	}
	if n == 0 {
		return FileRecord{}, domain.NotFound("文件不存在。")
	}
	return db.GetFile(ctx, actor.TownID, fileID)
}

// OverdueAssignment is an active assignment past a deadline, for the reminder job.
type OverdueAssignment struct {
	CaseID  int64
	Number  string
	OrgID   int64
	TownID  int64
	OrgName string
	// Notifications are the bell notifications of the reminder. Publish them once
	// RemindOverdue has returned.
	Notifications []domain.Notification
}

// RemindOverdue finds active assignments past a deadline that were not reminded in the last
// day, marks them reminded and returns them, so that each unit hears of each overdue case at
// most once a day.
func (db *DB) RemindOverdue(ctx context.Context) ([]OverdueAssignment, error) {
	var out []OverdueAssignment
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		rows, err := tx.QueryContext(ctx, `SELECT a.id, c.id, c.number, a.org_id, c.town_id, o.name FROM case_assignments a
			JOIN cases c ON c.id = a.case_id JOIN orgs o ON o.id = a.org_id
			WHERE a.active = TRUE AND c.state IN ('dispatched', 'acknowledged', 'in_progress', 'replied')
			AND ((a.acknowledged_at IS NULL AND a.ack_due_at < $1) OR (a.replied_at IS NULL AND a.resolved_at IS NULL AND a.reply_due_at < $1)
			     OR (a.resolved_at IS NULL AND a.resolve_due_at < $1))
			AND (a.reminded_at IS NULL OR a.reminded_at < $2) ORDER BY a.id LIMIT 500`, now, now.Add(-24*time.Hour))
		if err != nil {
			return err
		}
		var ids []int64
		for rows.Next() {
			var id int64
			var o OverdueAssignment
			if err := rows.Scan(&id, &o.CaseID, &o.Number, &o.OrgID, &o.TownID, &o.OrgName); err != nil {
				rows.Close()
				return err
			}
			ids = append(ids, id)
			out = append(out, o)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for i, id := range ids {
			if _, err := tx.ExecContext(ctx, `UPDATE case_assignments SET reminded_at = $1 WHERE id = $2`, now, id); err != nil {
				return err
			}
			o := out[i]
			// The reminder presses the overdue unit itself, which may be an assisting unit.
			notes, err := db.notifyStaffTx(ctx, tx, StaffEvent{TownID: o.TownID, CaseID: o.CaseID, Action: casework.ActSupervise, OrgIDs: []int64{o.OrgID}, Overdue: true})
			if err != nil {
				return err
			}
			out[i].Notifications = notes
			if err := db.appendAudit(ctx, tx, domain.AuditEntry{TownID: o.TownID, ActorName: "系统（超期提醒）", Action: "case.remind",
				ObjectType: "case", ObjectID: idString(o.CaseID), Outcome: domain.OutcomeSuccess, Detail: o.Number + " 提醒 " + o.OrgName}); err != nil {
				return err
			}
		}
		return nil
	})
	return out, err
}

// RegisterCoordination registers a coordination matter and dispatches it to a lead unit and
// assisting units in one transaction, so that a refused dispatch leaves no half-registered
// matter behind.
func (db *DB) RegisterCoordination(ctx context.Context, actor domain.Actor, n NewCase, lead int64, assists []int64) (RegisteredCase, error) {
	n.Channel, n.Category = casework.ChannelCoordination, casework.CategoryCoordination
	var out RegisteredCase
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		if out, err = db.RegisterCaseTx(ctx, tx, actor, n); err != nil {
			return err
		}
		res, err := db.caseActionTx(ctx, tx, actor, out.ID, CaseInput{Action: casework.ActDispatch, LeadOrgID: lead, AssistOrgIDs: assists}, false)
		out.Notifications = res.Notifications
		return err
	})
	return out, err
}
