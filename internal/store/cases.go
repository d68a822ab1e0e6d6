package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/pii"
)

// Citizen is the person a case is about, decrypted; fields are masked or hidden as the reader's
// role requires.
type Citizen struct {
	Name     string
	Phone    string
	Address  string
	IDNumber string
	// Masked is set when the fields are masked; Hidden when the reader belongs to the unit the
	// case complains about and may not learn who complained.
	Masked bool
	Hidden bool
}

// Assignment is a case's dispatch to one unit, lead or assisting.
type Assignment struct {
	ID             int64
	OrgID          int64
	OrgName        string
	Lead           bool
	State          casework.State
	Active         bool
	DispatchedAt   time.Time
	AckDueAt       time.Time
	ReplyDueAt     time.Time
	ResolveDueAt   time.Time
	AcknowledgedAt time.Time
	RepliedAt      time.Time
	ResolvedAt     time.Time
}

// Overdue reports whether the assignment missed a deadline of the stage it is in at now.
func (a Assignment) Overdue(now time.Time) bool {
	if !a.Active {
		return false
	}
	switch {
	case a.AcknowledgedAt.IsZero() && now.After(a.AckDueAt):
		return true
	case a.RepliedAt.IsZero() && a.ResolvedAt.IsZero() && now.After(a.ReplyDueAt):
		return true
	case a.ResolvedAt.IsZero() && now.After(a.ResolveDueAt):
		return true
	}
	return false
}

// CaseStep is one entry of a case's timeline.
type CaseStep struct {
	ID           int64
	At           time.Time
	ActorName    string
	ActorOrgName string
	Action       casework.Action
	From, To     casework.State
	Note         string
	Public       bool
	Detail       string
	Files        []FileRecord
}

// Case is a case with what its page shows.
type Case struct {
	ID              int64
	TownID          int64
	Number          string
	Channel         casework.Channel
	Category        casework.Category
	Title           string
	Body            string
	State           casework.State
	Outcome         casework.Outcome
	Local           bool
	Escalated       bool
	OriginOrgID     int64
	OriginOrgName   string
	SubjectOrgID    int64
	SubjectOrgName  string
	Citizen         Citizen
	HasQueryCode    bool
	PostID          int64
	ChatID          int64
	MergedInto      int64
	RegisteredAt    time.Time
	DispatchedAt    time.Time
	AcknowledgedAt  time.Time
	RepliedAt       time.Time
	PromisedAt      time.Time
	ResolvedAt      time.Time
	ClosedAt        time.Time
	AckDueAt        time.Time
	ReplyDueAt      time.Time
	ResolveDueAt    time.Time
	SupervisedCount int
	ReopenedCount   int
	Rating          casework.Rating
	RatingReason    string
	LeadOrgName     string
	Assignments     []Assignment
	Steps           []CaseStep
	// Allowed lists the actions the reader may take now.
	Allowed []casework.Action
	// Party is the reader's relation to the case.
	Party casework.Party
}

// Facts returns what the workflow rules need to know of the case.
func (c *Case) Facts() casework.Facts {
	return casework.Facts{State: c.State, Channel: c.Channel, Local: c.Local}
}

// Overdue reports whether the case's state is active and one of its stage deadlines passed.
func (c Case) Overdue(now time.Time) bool {
	if !c.State.Active() {
		return false
	}
	switch {
	case c.State == casework.Dispatched && now.After(c.AckDueAt):
		return true
	case c.RepliedAt.IsZero() && now.After(c.ReplyDueAt):
		return true
	}
	return now.After(c.ResolveDueAt)
}

// Lead returns the active lead assignment, if there is one.
func (c *Case) Lead() (Assignment, bool) {
	for _, a := range c.Assignments {
		if a.Active && a.Lead {
			return a, true
		}
	}
	return Assignment{}, false
}

// NewCase is the input of RegisterCase.
type NewCase struct {
	Channel      casework.Channel
	Category     casework.Category
	Title        string
	Body         string
	Citizen      Citizen
	SubjectOrgID int64
	// Local registers a dispute for the actor's village to settle itself.
	Local  bool
	PostID int64
	ChatID int64
}

// Validate normalizes and checks the fields a person types.
func (n *NewCase) Validate(now time.Time) error {
	n.Title = domain.CleanLine(n.Title)
	n.Body = domain.CleanText(n.Body)
	n.Citizen.Name = domain.CleanLine(n.Citizen.Name)
	n.Citizen.Phone = board.NormalizeMobile(n.Citizen.Phone)
	n.Citizen.Address = domain.CleanLine(n.Citizen.Address)
	n.Citizen.IDNumber = domain.NormalizeIDNumber(n.Citizen.IDNumber)
	p := domain.Problems{}
	if !n.Channel.Valid() {
		p.Add("channel", "请选择来源渠道。")
	}
	if !n.Category.Valid() {
		p.Add("category", "请选择事项类别。")
	}
	board.CheckText(p, "title", "标题", n.Title, true, 60)
	board.CheckText(p, "body", "诉求内容", n.Body, true, 20000)
	board.CheckText(p, "citizen_name", "群众姓名", n.Citizen.Name, false, board.MaxName)
	if n.Citizen.Phone != "" && !domain.ValidMobile(n.Citizen.Phone) {
		p.Add("citizen_phone", "手机号码应为 11 位数字，以 1 开头。")
	}
	board.CheckText(p, "citizen_address", "地址", n.Citizen.Address, false, board.MaxAddress)
	if n.Citizen.IDNumber != "" && !domain.ValidIDNumber(n.Citizen.IDNumber, now) {
		p.Add("citizen_id_number", "身份证号码有误：请核对 18 位号码的出生日期和最后一位校验码。")
	}
	return p.Err()
}

// RegisteredCase is the result of RegisterCase: the new case and, for a case that a citizen
// follows with its own query code, the code to tell them once.
type RegisteredCase struct {
	ID        int64
	Number    string
	QueryCode string
	// Notifications are the bell notifications of a dispatch in the same step, as in
	// RegisterCoordination. Publish them once the step has committed.
	Notifications []domain.Notification
}

// RegisterCase registers a case with its first timeline step and audit record in one
// transaction. A case from a board post takes the post's citizen and query code; a post that is
// still pending or already has an open case is a conflict.
func (db *DB) RegisterCase(ctx context.Context, actor domain.Actor, n NewCase) (RegisteredCase, error) {
	var out RegisteredCase
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		var err error
		out, err = db.RegisterCaseTx(ctx, tx, actor, n)
		return err
	})
	return out, err
}

// RegisterCaseTx is RegisterCase inside a caller's transaction.
func (db *DB) RegisterCaseTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, n NewCase) (RegisteredCase, error) {
	var out RegisteredCase
	now := db.now()
	if err := n.Validate(now); err != nil {
		return out, err
	}
	if _, err := casework.Check(casework.Party{Roles: actor.Roles}, casework.Facts{Channel: n.Channel, Local: n.Local}, casework.ActRegister); err != nil {
		return out, err
	}
	orgs, err := db.townOrgs(ctx, tx, actor.TownID)
	if err != nil {
		return out, err
	}
	origin := actor.OrgID
	if n.Local {
		origin = localRoot(orgs, actor.OrgID)
	}
	if n.SubjectOrgID != 0 {
		if _, ok := orgs[n.SubjectOrgID]; !ok {
			return out, &domain.Error{Kind: domain.KindInvalid, Message: "被反映单位不存在。", Fields: map[string]string{"subject_org_id": "请选择本镇的单位。"}}
		}
	}
	var nameEnc, phoneEnc, phoneHash, addrEnc, idEnc, codeHash, codeEnc string
	if n.PostID != 0 {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status, name_enc, phone_enc, phone_hash, address_enc, id_number_enc, query_code_hash, query_code_enc
			FROM board_posts WHERE id = $1 AND town_id = $2`, n.PostID, actor.TownID).Scan(&status, &nameEnc, &phoneEnc, &phoneHash, &addrEnc, &idEnc, &codeHash, &codeEnc)
		if errors.Is(err, sql.ErrNoRows) {
			return out, domain.NotFound("留言不存在。")
		}
		if err != nil {
			return out, err
		}
		if board.Status(status) == board.Pending || board.Status(status) == board.Rejected {
			return out, domain.Conflict("留言尚未通过审核，不能登记为工单。")
		}
		var open int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cases WHERE post_id = $1 AND state <> 'closed'`, n.PostID).Scan(&open); err != nil {
			return out, err
		}
		if open > 0 {
			return out, domain.Conflict("这条留言已登记为工单，请在工单中继续办理。")
		}
	} else {
		c := n.Citizen
		enc := func(dst *string, v string) {
			if err == nil {
				*dst, err = db.keys.Encrypt(v)
			}
		}
		enc(&nameEnc, c.Name)
		enc(&phoneEnc, c.Phone)
		enc(&addrEnc, c.Address)
		enc(&idEnc, c.IDNumber)
		if err != nil {
			return out, err
		}
		phoneHash = db.keys.Hash(c.Phone)
		if c.Phone != "" {
			out.QueryCode = casework.NewQueryCode()
			codeHash = db.keys.Hash(out.QueryCode)
			if codeEnc, err = db.keys.Encrypt(out.QueryCode); err != nil {
				return out, err
			}
		}
	}
	town := orgs[actor.TownID]
	var seq int
	if err := tx.QueryRowContext(ctx, `INSERT INTO case_sequences (town_id, day, last) VALUES ($1, $2, 1)
		ON CONFLICT (town_id, day) DO UPDATE SET last = case_sequences.last + 1 RETURNING last`,
		actor.TownID, now.In(domain.Shanghai).Format("2006-01-02")).Scan(&seq); err != nil {
		return out, fmt.Errorf("next case number: %w", err)
	}
	out.Number = casework.FormatNumber(casework.TownPrefix(town.Code, town.Name), now, seq)
	out.ID, err = insertID(ctx, tx, `INSERT INTO cases (town_id, number, channel, category, title, body, state, local, origin_org_id,
		subject_org_id, citizen_name_enc, citizen_phone_enc, citizen_phone_hash, citizen_address_enc, citizen_id_number_enc,
		post_id, chat_id, query_code_hash, query_code_enc, registered_by, registered_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $21) RETURNING id`,
		actor.TownID, out.Number, string(n.Channel), string(n.Category), n.Title, n.Body, string(casework.Registered), n.Local, origin,
		nullInt(n.SubjectOrgID), nameEnc, phoneEnc, phoneHash, addrEnc, idEnc, nullInt(n.PostID), nullInt(n.ChatID), codeHash, codeEnc,
		nullInt(actor.AccountID), now)
	if err != nil {
		return out, fmt.Errorf("insert case: %w", err)
	}
	detail := n.Channel.Label() + "，" + n.Category.Label()
	if n.Local {
		detail += "，就地化解"
	}
	if err := db.insertStep(ctx, tx, out.ID, actor, orgs[actor.OrgID].Name, casework.ActRegister, casework.None, casework.Registered, "", false, detail, nil); err != nil {
		return out, err
	}
	if n.PostID != 0 {
		if err := db.addCitizenNotice(ctx, tx, actor.TownID, n.PostID, out.ID, "您的留言已受理，编号 "+out.Number+"。"); err != nil {
			return out, err
		}
	}
	if _, err := db.notifyStaffTx(ctx, tx, StaffEvent{TownID: actor.TownID, CaseID: out.ID, Action: casework.ActRegister}); err != nil {
		return out, err
	}
	return out, db.appendAudit(ctx, tx, auditFor(actor, "case.register", "case", out.ID, domain.OutcomeSuccess, out.Number+" "+domain.TruncateChars(n.Title, 40)))
}

func (db *DB) insertStep(ctx context.Context, tx *sql.Tx, caseID int64, actor domain.Actor, orgName string, a casework.Action,
	from, to casework.State, note string, public bool, detail string, fileIDs []int64) error {
	id, err := insertID(ctx, tx, `INSERT INTO case_steps (case_id, at, actor_id, actor_name, actor_org_name, action, from_state, to_state, note, public_note, detail)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		caseID, db.now(), nullInt(actor.AccountID), actor.Name, orgName, string(a), string(from), string(to), note, public, detail)
	if err != nil {
		return fmt.Errorf("insert case step: %w", err)
	}
	for _, f := range fileIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO case_step_files (step_id, file_id) VALUES ($1, $2)`, id, f); err != nil {
			return err
		}
	}
	return nil
}

// townOrgs returns a town's organizations by id. It reads through q, so a transaction finds its
// own inserts.
func (db *DB) townOrgs(ctx context.Context, q querier, townID int64) (map[int64]domain.Org, error) {
	rows, err := q.QueryContext(ctx, `SELECT `+orgColumns+` FROM orgs WHERE town_id = $1`, townID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]domain.Org{}
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out[o.ID] = o
	}
	return out, rows.Err()
}

// localRoot returns the village an organization belongs to (itself, or the nearest ancestor of
// kind village), or the organization itself when it lies in no village.
func localRoot(orgs map[int64]domain.Org, id int64) int64 {
	for cur, hops := id, 0; cur != 0 && hops < 20; hops++ {
		o, ok := orgs[cur]
		if !ok {
			break
		}
		if o.Kind == domain.OrgVillage {
			return o.ID
		}
		cur = o.ParentID
	}
	return id
}

// within reports whether org id is root or lies below it.
func within(orgs map[int64]domain.Org, id, root int64) bool {
	for cur, hops := id, 0; cur != 0 && hops < 20; hops++ {
		if cur == root {
			return true
		}
		cur = orgs[cur].ParentID
	}
	return false
}

const caseColumns = `c.id, c.town_id, c.number, c.channel, c.category, c.title, c.body, c.state, c.outcome, c.local, c.escalated,
	c.origin_org_id, oo.name, COALESCE(c.subject_org_id, 0), COALESCE(so.name, ''),
	c.citizen_name_enc, c.citizen_phone_enc, c.citizen_address_enc, c.citizen_id_number_enc, c.query_code_hash,
	COALESCE(c.post_id, 0), COALESCE(c.chat_id, 0), COALESCE(c.merged_into, 0),
	c.registered_at, c.dispatched_at, c.acknowledged_at, c.replied_at, c.promised_at, c.resolved_at, c.closed_at,
	c.ack_due_at, c.reply_due_at, c.resolve_due_at, c.supervised_count, c.reopened_count, c.rating, c.rating_reason,
	COALESCE((SELECT o.name FROM case_assignments a JOIN orgs o ON o.id = a.org_id WHERE a.case_id = c.id AND a.active = TRUE AND a.lead = TRUE ORDER BY a.id DESC LIMIT 1), '')`

const caseFrom = ` FROM cases c JOIN orgs oo ON oo.id = c.origin_org_id LEFT JOIN orgs so ON so.id = c.subject_org_id `

type caseEnc struct{ name, phone, address, idNumber string }

func scanCase(row interface{ Scan(...any) error }) (Case, caseEnc, error) {
	var c Case
	var e caseEnc
	var channel, category, state, outcome, rating, codeHash string
	var dispatched, acked, replied, promised, resolved, closed, ackDue, replyDue, resolveDue sql.NullTime
	err := row.Scan(&c.ID, &c.TownID, &c.Number, &channel, &category, &c.Title, &c.Body, &state, &outcome, &c.Local, &c.Escalated,
		&c.OriginOrgID, &c.OriginOrgName, &c.SubjectOrgID, &c.SubjectOrgName,
		&e.name, &e.phone, &e.address, &e.idNumber, &codeHash, &c.PostID, &c.ChatID, &c.MergedInto,
		&c.RegisteredAt, &dispatched, &acked, &replied, &promised, &resolved, &closed, &ackDue, &replyDue, &resolveDue,
		&c.SupervisedCount, &c.ReopenedCount, &rating, &c.RatingReason, &c.LeadOrgName)
	c.Channel, c.Category, c.State = casework.Channel(channel), casework.Category(category), casework.State(state)
	c.Outcome, c.Rating = casework.Outcome(outcome), casework.Rating(rating)
	c.DispatchedAt, c.AcknowledgedAt, c.RepliedAt, c.PromisedAt = dispatched.Time, acked.Time, replied.Time, promised.Time
	c.ResolvedAt, c.ClosedAt, c.AckDueAt, c.ReplyDueAt, c.ResolveDueAt = resolved.Time, closed.Time, ackDue.Time, replyDue.Time, resolveDue.Time
	c.HasQueryCode = codeHash != ""
	return c, e, err
}

// citizenFor decrypts the citizen of a case for the reader: hidden from the unit the case
// complains about, in full only when reveal is set and the reader holds PermPersonalInfo, and
// masked otherwise.
func (db *DB) citizenFor(actor domain.Actor, c *Case, e caseEnc, reveal bool) error {
	if c.SubjectOrgID != 0 && actor.OrgID == c.SubjectOrgID {
		c.Citizen = Citizen{Name: "（依规定不向被反映单位提供）", Hidden: true}
		return nil
	}
	var cz Citizen
	var err error
	dec := func(dst *string, v string) {
		if err == nil {
			*dst, err = db.keys.Decrypt(v)
		}
	}
	dec(&cz.Name, e.name)
	dec(&cz.Phone, e.phone)
	dec(&cz.Address, e.address)
	dec(&cz.IDNumber, e.idNumber)
	if err != nil {
		return fmt.Errorf("case %d citizen: %w", c.ID, err)
	}
	if !(reveal && actor.Can(domain.PermPersonalInfo)) {
		cz = Citizen{Name: pii.MaskName(cz.Name), Phone: pii.MaskPhone(cz.Phone), Address: pii.MaskAddress(cz.Address),
			IDNumber: pii.MaskIDNumber(cz.IDNumber), Masked: true}
	}
	c.Citizen = cz
	return nil
}

// caseScope returns the condition that limits cases to what the actor may see, with its
// arguments starting at $2 ($1 is the town): the center sees every case of the town, a
// coordinator every coordination matter, an agent the cases it registered, a unit the cases
// dispatched to it, and a village the cases it registered or that were dispatched to it.
func caseScope(actor domain.Actor, orgs map[int64]domain.Org) (string, []any) {
	if actor.Can(domain.PermCasesDispatch) {
		return "", nil
	}
	var conds []string
	var args []any
	next := func(v any) string {
		args = append(args, v)
		return fmt.Sprintf("$%d", len(args)+1)
	}
	if actor.Can(domain.PermCoordinationManage) {
		conds = append(conds, "c.channel = 'coordination'")
	}
	if actor.Can(domain.PermChatAgent) {
		conds = append(conds, "c.registered_by = "+next(actor.AccountID))
	}
	if actor.Can(domain.PermCasesHandle) || actor.Can(domain.PermCasesLocal) {
		conds = append(conds, "EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.org_id = "+next(actor.OrgID)+")")
	}
	if actor.Can(domain.PermCasesLocal) {
		conds = append(conds, "c.origin_org_id = "+next(localRoot(orgs, actor.OrgID)))
	}
	if len(conds) == 0 {
		return " AND 1 = 0", nil
	}
	return " AND (" + strings.Join(conds, " OR ") + ")", args
}

// GetCase loads a case the actor may see, with its assignments, timeline and the actions the
// actor may take. The citizen's personal information is revealed under the rules of citizenFor;
// a revealed view is audited. Cases outside the actor's scope are not found.
func (db *DB) GetCase(ctx context.Context, actor domain.Actor, id int64, reveal bool) (Case, error) {
	return db.getCase(ctx, db.sql, actor, id, reveal)
}

func (db *DB) getCase(ctx context.Context, q querier, actor domain.Actor, id int64, reveal bool) (Case, error) {
	orgs, err := db.townOrgs(ctx, q, actor.TownID)
	if err != nil {
		return Case{}, err
	}
	scope, args := caseScope(actor, orgs)
	c, e, err := scanCase(q.QueryRowContext(ctx, `SELECT `+caseColumns+caseFrom+` WHERE c.town_id = $1`+scope+fmt.Sprintf(` AND c.id = $%d`, len(args)+2),
		append(append([]any{actor.TownID}, args...), id)...))
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("工单不存在，或不在您的办理范围内。")
	}
	if err != nil {
		return c, err
	}
	if err := db.citizenFor(actor, &c, e, reveal); err != nil {
		return c, err
	}
	if reveal && !c.Citizen.Masked && !c.Citizen.Hidden {
		if err := db.appendAudit(ctx, q, auditFor(actor, "pii.view", "case", id, domain.OutcomeSuccess, "查看工单群众完整个人信息 "+c.Number)); err != nil {
			return c, err
		}
	}
	if c.Assignments, err = db.caseAssignments(ctx, q, id); err != nil {
		return c, err
	}
	if c.Steps, err = db.caseSteps(ctx, q, id); err != nil {
		return c, err
	}
	c.Party = partyOf(actor, &c, orgs)
	c.Allowed = casework.Allowed(c.Party, c.Facts())
	return c, nil
}

func partyOf(actor domain.Actor, c *Case, orgs map[int64]domain.Org) casework.Party {
	p := casework.Party{Roles: actor.Roles}
	for _, a := range c.Assignments {
		if !a.Active || a.OrgID != actor.OrgID {
			continue
		}
		if a.Lead {
			p.Lead = true
		} else {
			p.Assist = true
		}
	}
	p.Village = c.Local && actor.OrgID != 0 && within(orgs, actor.OrgID, c.OriginOrgID)
	return p
}

func (db *DB) caseAssignments(ctx context.Context, q querier, caseID int64) ([]Assignment, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.id, a.org_id, o.name, a.lead, a.state, a.active, a.dispatched_at, a.ack_due_at, a.reply_due_at,
		a.resolve_due_at, a.acknowledged_at, a.replied_at, a.resolved_at
		FROM case_assignments a JOIN orgs o ON o.id = a.org_id WHERE a.case_id = $1 ORDER BY a.active DESC, a.lead DESC, a.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Assignment
	for rows.Next() {
		var a Assignment
		var state string
		var acked, replied, resolved sql.NullTime
		if err := rows.Scan(&a.ID, &a.OrgID, &a.OrgName, &a.Lead, &state, &a.Active, &a.DispatchedAt, &a.AckDueAt, &a.ReplyDueAt,
			&a.ResolveDueAt, &acked, &replied, &resolved); err != nil {
			return nil, err
		}
		a.State = casework.State(state)
		a.AcknowledgedAt, a.RepliedAt, a.ResolvedAt = acked.Time, replied.Time, resolved.Time
		out = append(out, a)
	}
	return out, rows.Err()
}

func (db *DB) caseSteps(ctx context.Context, q querier, caseID int64) ([]CaseStep, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, at, actor_name, actor_org_name, action, from_state, to_state, note, public_note, detail
		FROM case_steps WHERE case_id = $1 ORDER BY id`, caseID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseStep
	idx := map[int64]int{}
	for rows.Next() {
		var s CaseStep
		var action, from, to string
		if err := rows.Scan(&s.ID, &s.At, &s.ActorName, &s.ActorOrgName, &action, &from, &to, &s.Note, &s.Public, &s.Detail); err != nil {
			return nil, err
		}
		s.Action, s.From, s.To = casework.Action(action), casework.State(from), casework.State(to)
		idx[s.ID] = len(out)
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows.Close()
	frows, err := q.QueryContext(ctx, `SELECT sf.step_id, f.id, f.town_id, f.storage_key, f.original_name, f.content_type, f.size, f.sha256, f.created_at
		FROM case_step_files sf JOIN case_steps s ON s.id = sf.step_id JOIN files f ON f.id = sf.file_id WHERE s.case_id = $1 ORDER BY f.id`, caseID)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var stepID int64
		var f FileRecord
		if err := frows.Scan(&stepID, &f.ID, &f.TownID, &f.StorageKey, &f.OriginalName, &f.ContentType, &f.Size, &f.SHA256, &f.CreatedAt); err != nil {
			return nil, err
		}
		if i, ok := idx[stepID]; ok {
			out[i].Files = append(out[i].Files, f)
		}
	}
	return out, frows.Err()
}

// CaseFilter selects cases for a list.
type CaseFilter struct {
	State    casework.State
	Channel  casework.Channel
	Category casework.Category
	Overdue  bool
	Local    bool
	Search   string // number or words of the title
	// From and To limit the registration time to [From, To) when set. Like the dashboard's
	// figures, a list limited by From, To, UnitID or VillageID leaves out merged cases.
	From, To time.Time
	// UnitID keeps the cases whose newest lead assignment is this organization, as in
	// CaseStatsByUnit.
	UnitID int64
	// VillageID keeps the cases registered by this village or an organization below it, as in
	// CaseStatsByVillage.
	VillageID int64
	// Solved keeps the cases cases_resolved counts: closed as solved, or resolved and not yet
	// closed.
	Solved bool
	// Counted keeps the cases in the denominator of an on-time rate: RateReply or RateResolve.
	Counted string
	// Reached keeps the dispatched cases that reached a step after their first dispatch, as
	// the average durations count them: StepAcknowledged, StepReplied or StepResolved. Unlike
	// the other dashboard filters it keeps merged cases, because the averages count them.
	Reached string
	Page    Page
}

// Values of CaseFilter.Counted and CaseFilter.Reached.
const (
	RateReply        = "reply"
	RateResolve      = "resolve"
	StepAcknowledged = "acknowledged"
	StepReplied      = "replied"
	StepResolved     = "resolved"
)

// caseStepColumns are the time columns of the steps CaseFilter.Reached names.
// A case resolved without a separate reply has reached the reply step at its resolution.
var caseStepColumns = map[string]string{StepAcknowledged: "c.acknowledged_at", StepReplied: "COALESCE(c.replied_at, c.resolved_at)", StepResolved: "c.resolved_at"}

// ListCases returns one page of the cases the actor may see, newest first, and the total.
// Personal information is masked in lists.
func (db *DB) ListCases(ctx context.Context, actor domain.Actor, f CaseFilter) ([]Case, int, error) {
	orgs, err := db.townOrgs(ctx, db.sql, actor.TownID)
	if err != nil {
		return nil, 0, err
	}
	scope, args := caseScope(actor, orgs)
	args = append([]any{actor.TownID}, args...)
	where := ` WHERE c.town_id = $1` + scope
	add := func(cond string, v any) {
		args = append(args, v)
		where += " AND " + strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args)))
	}
	if f.State.Valid() {
		add("c.state = ?", string(f.State))
	}
	if f.Channel.Valid() {
		add("c.channel = ?", string(f.Channel))
	}
	if f.Category.Valid() {
		add("c.category = ?", string(f.Category))
	}
	if f.Local {
		where += " AND c.local = TRUE"
	}
	if !f.From.IsZero() {
		add("c.registered_at >= ?", f.From.UTC())
	}
	if !f.To.IsZero() {
		add("c.registered_at < ?", f.To.UTC())
	}
	if f.UnitID != 0 {
		add("EXISTS (SELECT 1 FROM case_assignments a WHERE a.case_id = c.id AND a.org_id = ? AND "+lastLeadCond+")", f.UnitID)
	}
	if (!f.From.IsZero() || !f.To.IsZero() || f.UnitID != 0 || f.VillageID != 0) && f.Reached == "" {
		where += " AND c.merged_into IS NULL"
	}
	if f.Solved {
		where += " AND " + solvedCond
	}
	switch f.Counted {
	case RateReply:
		args = append(args, db.now())
		where += fmt.Sprintf(" AND c.reply_due_at IS NOT NULL AND (COALESCE(c.replied_at, c.resolved_at) IS NOT NULL OR c.reply_due_at < $%d)", len(args))
	case RateResolve:
		args = append(args, db.now())
		where += fmt.Sprintf(" AND c.resolve_due_at IS NOT NULL AND (c.resolved_at IS NOT NULL OR c.resolve_due_at < $%d)", len(args))
	}
	if col, ok := caseStepColumns[f.Reached]; ok {
		where += " AND c.dispatched_at IS NOT NULL AND " + col + " > c.dispatched_at"
	}
	if f.VillageID != 0 {
		var ids []string
		for id := range orgs {
			if localRoot(orgs, id) == f.VillageID {
				ids = append(ids, strconv.FormatInt(id, 10))
			}
		}
		if len(ids) == 0 {
			ids = []string{"0"}
		}
		where += " AND c.origin_org_id IN (" + strings.Join(ids, ", ") + ")"
	}
	if f.Overdue {
		args = append(args, db.now())
		n := fmt.Sprintf("$%d", len(args))
		where += ` AND c.state IN ('dispatched', 'acknowledged', 'in_progress', 'replied') AND (c.resolve_due_at < ` + n +
			` OR (c.replied_at IS NULL AND c.reply_due_at < ` + n + `) OR (c.state = 'dispatched' AND c.ack_due_at < ` + n + `))`
	}
	if s := strings.TrimSpace(f.Search); s != "" {
		args = append(args, escapeLike(s))
		ph := fmt.Sprintf("$%d", len(args))
		where += " AND (" + db.dialect.containsFold("c.number", ph) + " OR " + db.dialect.containsFold("c.title", ph) + ")"
	}
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM cases c`+where, args, &f.Page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+caseColumns+caseFrom+where+` ORDER BY c.registered_at DESC, c.id DESC`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []Case
	for rows.Next() {
		c, e, err := scanCase(rows)
		if err != nil {
			return nil, 0, err
		}
		if err := db.citizenFor(actor, &c, e, false); err != nil {
			return nil, 0, err
		}
		out = append(out, c)
	}
	return out, total, rows.Err()
}
