package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"pingan/internal/domain"
)

const assignmentColumns = `a.id, a.town_id, a.template_id, t.name, a.title, a.period_kind, a.due_day, a.starts_at, a.due_at,
	a.stopped_at, COALESCE(a.created_by, 0), a.created_at, (SELECT COUNT(*) FROM report_assignment_orgs ao WHERE ao.assignment_id = a.id)`

const assignmentFrom = ` FROM report_assignments a JOIN report_templates t ON t.id = a.template_id `

func scanAssignment(row interface{ Scan(...any) error }) (domain.ReportAssignment, error) {
	var a domain.ReportAssignment
	var kind string
	var due, stopped sql.NullTime
	err := row.Scan(&a.ID, &a.TownID, &a.TemplateID, &a.TemplateName, &a.Title, &kind, &a.DueDay, &a.StartsAt, &due,
		&stopped, &a.CreatedBy, &a.CreatedAt, &a.Orgs)
	a.PeriodKind = domain.PeriodKind(kind)
	a.DueAt, a.StoppedAt = due.Time, stopped.Time
	return a, err
}

// CreateAssignment gives a template of the actor's town to organizations for monthly,
// quarterly or one-off periods, opens the periods that have begun, notifies the organizations'
// report accounts and audits it, in one transaction. It returns the assignment id and the
// notifications to publish. For monthly and quarterly assignments StartsAt is any day of the
// first period.
func (db *DB) CreateAssignment(ctx context.Context, actor domain.Actor, a domain.ReportAssignment, orgIDs []int64) (int64, []domain.Notification, error) {
	return db.CreateAssignmentTx(ctx, nil, actor, a, orgIDs)
}

// CreateAssignmentTx is CreateAssignment inside the caller's transaction, or a new one when outer is nil.
func (db *DB) CreateAssignmentTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, a domain.ReportAssignment, orgIDs []int64) (int64, []domain.Notification, error) {
	now := db.now()
	if err := domain.ValidateAssignment(&a, len(orgIDs), now); err != nil {
		return 0, nil, err
	}
	if a.PeriodKind != domain.PeriodOnce {
		a.StartsAt = a.PeriodKind.PeriodAt(a.StartsAt, a.DueDay).Start
	}
	var id int64
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		if _, err := db.getTemplate(ctx, tx, actor.TownID, a.TemplateID); err != nil {
			return &domain.Error{Kind: domain.KindInvalid, Message: "报表模板不存在。", Fields: map[string]string{"template_id": "请选择报表模板。"}}
		}
		orgs, err := recipientOrgs(ctx, tx, actor.TownID, orgIDs)
		if err != nil {
			return err
		}
		id, err = insertID(ctx, tx, `INSERT INTO report_assignments (town_id, template_id, title, period_kind, due_day, starts_at, due_at, created_by, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id`, actor.TownID, a.TemplateID, a.Title, string(a.PeriodKind),
			a.DueDay, a.StartsAt.UTC(), nullTime(a.DueAt), nullInt(actor.AccountID), now)
		if err != nil {
			return fmt.Errorf("insert assignment: %w", err)
		}
		for _, o := range orgs {
			if _, err := tx.ExecContext(ctx, `INSERT INTO report_assignment_orgs (assignment_id, org_id) VALUES ($1, $2)`, id, o); err != nil {
				return err
			}
		}
		a.ID, a.TownID = id, actor.TownID
		notes, err = db.openPeriodsTx(ctx, tx, a, orgs, now)
		if err != nil {
			return err
		}
		detail := fmt.Sprintf("%s（%s），%d 个单位", a.Title, a.PeriodKind.Label(), len(orgs))
		return db.appendAudit(ctx, tx, auditFor(actor, "report.assign", "report_assignment", id, domain.OutcomeSuccess, detail))
	})
	return id, notes, err
}

// periodsOf returns the periods of an assignment that have begun at now.
func periodsOf(a domain.ReportAssignment, now time.Time) []domain.Period {
	if a.PeriodKind == domain.PeriodOnce {
		if a.StartsAt.After(now) {
			return nil
		}
		return []domain.Period{domain.OncePeriod(a.StartsAt, a.DueAt)}
	}
	end := now
	if !a.StoppedAt.IsZero() && a.StoppedAt.Before(end) {
		end = a.StoppedAt
	}
	return a.PeriodKind.PeriodsUntil(a.StartsAt, end, a.DueDay)
}

// openPeriodsTx creates the missing report of every organization for every period of the
// assignment that has begun, and notifies the organizations of newly opened ones.
func (db *DB) openPeriodsTx(ctx context.Context, tx *sql.Tx, a domain.ReportAssignment, orgs []int64, now time.Time) ([]domain.Notification, error) {
	var notes []domain.Notification
	for _, p := range periodsOf(a, now) {
		var opened []int64
		for _, o := range orgs {
			res, err := tx.ExecContext(ctx, `INSERT INTO report_submissions (town_id, assignment_id, org_id, period_key, period_start, period_end,
				due_at, status, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
				ON CONFLICT (assignment_id, org_id, period_key) DO NOTHING`,
				a.TownID, a.ID, o, p.Key, p.Start, p.End, p.Due, string(domain.SubmissionPending), now)
			if err != nil {
				return nil, fmt.Errorf("open period %s: %w", p.Key, err)
			}
			if n, err := res.RowsAffected(); err == nil && n > 0 {
				opened = append(opened, o)
			}
		}
		// Only the current period is announced; older ones opened at creation are listed anyway.
		if len(opened) == 0 || !p.End.After(now) && a.PeriodKind != domain.PeriodOnce {
			continue
		}
		list, err := db.notifyOrgs(ctx, tx, a.TownID, opened, domain.PermReportsSubmit, domain.Notification{
			Kind:  domain.NotifyReportDue,
			Title: "报表待填：" + a.Title + "（" + p.Label() + "），截止 " + domain.FormatTime(p.Due.Add(-time.Minute)),
			Link:  "/admin/my-reports", RefType: "report_assignment", RefID: a.ID})
		if err != nil {
			return nil, err
		}
		notes = append(notes, list...)
	}
	return notes, nil
}

func assignmentOrgIDs(ctx context.Context, q querier, id int64) ([]int64, error) {
	return queryIDs(ctx, q, `SELECT org_id FROM report_assignment_orgs WHERE assignment_id = $1 ORDER BY org_id`, id)
}

// OpenReportPeriods opens the periods that have begun for every active assignment of every
// town. It runs as a scheduled job and returns the notifications to publish.
func (db *DB) OpenReportPeriods(ctx context.Context) ([]domain.Notification, error) {
	return db.OpenReportPeriodsTx(ctx, nil)
}

// OpenReportPeriodsTx is OpenReportPeriods inside the caller's transaction, or one new
// transaction per assignment when outer is nil.
func (db *DB) OpenReportPeriodsTx(ctx context.Context, outer *sql.Tx) ([]domain.Notification, error) {
	now := db.now()
	var q querier = db.sql
	if outer != nil {
		q = outer
	}
	rows, err := q.QueryContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE a.stopped_at IS NULL ORDER BY a.id`)
	if err != nil {
		return nil, err
	}
	var list []domain.ReportAssignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			rows.Close()
			return nil, err
		}
		list = append(list, a)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	var notes []domain.Notification
	for _, a := range list {
		err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
			orgs, err := assignmentOrgIDs(ctx, tx, a.ID)
			if err != nil {
				return err
			}
			n, err := db.openPeriodsTx(ctx, tx, a, orgs, now)
			notes = append(notes, n...)
			return err
		})
		if err != nil {
			return notes, fmt.Errorf("open periods of assignment %d: %w", a.ID, err)
		}
	}
	return notes, nil
}

// ListAssignments returns the assignments of the actor's town, newest first.
func (db *DB) ListAssignments(ctx context.Context, actor domain.Actor) ([]domain.ReportAssignment, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE a.town_id = $1 ORDER BY a.created_at DESC, a.id DESC`, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ReportAssignment
	for rows.Next() {
		a, err := scanAssignment(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, a)
	}
	return out, rows.Err()
}

// GetAssignment loads an assignment of the actor's town.
func (db *DB) GetAssignment(ctx context.Context, actor domain.Actor, id int64) (domain.ReportAssignment, error) {
	a, err := scanAssignment(db.sql.QueryRowContext(ctx, `SELECT `+assignmentColumns+assignmentFrom+` WHERE a.id = $1 AND a.town_id = $2`, id, actor.TownID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.NotFound("报表任务不存在。")
	}
	return a, err
}

// StopAssignment ends an assignment: no new periods open after now. Reports already opened
// stay as they are.
func (db *DB) StopAssignment(ctx context.Context, actor domain.Actor, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE report_assignments SET stopped_at = $1 WHERE id = $2 AND town_id = $3 AND stopped_at IS NULL`,
			db.now(), id, actor.TownID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return domain.NotFound("报表任务不存在或已停止。")
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "report.stop", "report_assignment", id, domain.OutcomeSuccess, ""))
	})
}

// AssignmentOrgs returns the organizations an assignment of the actor's town goes to, in the
// order of the organization tree.
func (db *DB) AssignmentOrgs(ctx context.Context, actor domain.Actor, id int64) ([]domain.Org, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+orgColumnsOf("o")+` FROM report_assignment_orgs ao JOIN orgs o ON o.id = ao.org_id
		JOIN report_assignments a ON a.id = ao.assignment_id WHERE ao.assignment_id = $1 AND a.town_id = $2 ORDER BY o.sort_order, o.id`, id, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Org
	for rows.Next() {
		o, err := scanOrg(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, o)
	}
	return out, rows.Err()
}

// orgColumnsOf is orgColumns for a table alias.
func orgColumnsOf(alias string) string {
	return alias + `.id, COALESCE(` + alias + `.town_id, 0), COALESCE(` + alias + `.parent_id, 0), ` + alias + `.kind, ` + alias + `.name, ` +
		alias + `.code, ` + alias + `.sort_order, ` + alias + `.contact, ` + alias + `.created_at, ` + alias + `.updated_at`
}

// PeriodSummary counts the reports of one period of an assignment.
type PeriodSummary struct {
	Key       string
	Due       time.Time
	Total     int
	Received  int // submitted or accepted
	Accepted  int
	Returned  int
	Late      int
	Unsettled int // not yet submitted: pending, draft or returned
}

// Label returns the Chinese name of the period.
func (p PeriodSummary) Label() string { return domain.PeriodLabel(p.Key) }

// AssignmentPeriods returns the counts of every opened period of an assignment of the actor's
// town, newest first.
func (db *DB) AssignmentPeriods(ctx context.Context, actor domain.Actor, id int64) ([]PeriodSummary, error) {
	subs, err := db.querySubmissions(ctx, ` WHERE s.assignment_id = $1 AND s.town_id = $2 ORDER BY s.period_start DESC, o.sort_order, o.id`, id, actor.TownID)
	if err != nil {
		return nil, err
	}
	now := db.now()
	var out []PeriodSummary
	for _, s := range subs {
		if len(out) == 0 || out[len(out)-1].Key != s.PeriodKey {
			out = append(out, PeriodSummary{Key: s.PeriodKey, Due: s.DueAt})
		}
		p := &out[len(out)-1]
		p.Total++
		switch {
		case s.Status.Received():
			p.Received++
		case s.Status == domain.SubmissionReturned:
			p.Returned++
		}
		if s.Status == domain.SubmissionAccepted {
			p.Accepted++
		}
		if s.Status.Editable() {
			p.Unsettled++
		}
		if s.Late(now) {
			p.Late++
		}
	}
	return out, nil
}

// PeriodSubmissions returns the reports of one period of an assignment of the actor's town, in
// the order of the organization tree.
func (db *DB) PeriodSubmissions(ctx context.Context, actor domain.Actor, id int64, key string) ([]domain.ReportSubmission, error) {
	return db.querySubmissions(ctx, ` WHERE s.assignment_id = $1 AND s.town_id = $2 AND s.period_key = $3 ORDER BY o.sort_order, o.id`,
		id, actor.TownID, key)
}

// ReportsInRange returns the reports of an assignment of the actor's town whose periods start
// in [from, to), with their values, for aggregation and export.
func (db *DB) ReportsInRange(ctx context.Context, actor domain.Actor, id int64, from, to time.Time) ([]domain.ReportSubmission, error) {
	subs, err := db.querySubmissions(ctx, ` WHERE s.assignment_id = $1 AND s.town_id = $2 AND s.period_start >= $3 AND s.period_start < $4
		ORDER BY o.sort_order, o.id, s.period_start`, id, actor.TownID, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT v.submission_id, v.field_id, v.value FROM report_values v
		JOIN report_submissions s ON s.id = v.submission_id
		WHERE s.assignment_id = $1 AND s.town_id = $2 AND s.period_start >= $3 AND s.period_start < $4`, id, actor.TownID, from.UTC(), to.UTC())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	byID := make(map[int64]*domain.ReportSubmission, len(subs))
	for i := range subs {
		subs[i].Values = map[int64]string{}
		byID[subs[i].ID] = &subs[i]
	}
	for rows.Next() {
		var sid, fid int64
		var v string
		if err := rows.Scan(&sid, &fid, &v); err != nil {
			return nil, err
		}
		if s := byID[sid]; s != nil {
			s.Values[fid] = v
		}
	}
	return subs, rows.Err()
}

// AssignmentPeriodKeys returns the keys of the opened periods of an assignment, oldest first.
func (db *DB) AssignmentPeriodKeys(ctx context.Context, actor domain.Actor, id int64) ([]domain.Period, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT DISTINCT period_key, period_start, period_end, due_at FROM report_submissions
		WHERE assignment_id = $1 AND town_id = $2 ORDER BY period_start`, id, actor.TownID)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.Period
	for rows.Next() {
		var p domain.Period
		if err := rows.Scan(&p.Key, &p.Start, &p.End, &p.Due); err != nil {
			return nil, err
		}
		if len(out) == 0 || out[len(out)-1].Key != p.Key {
			out = append(out, p)
		}
	}
	out = slices.Clip(out)
	return out, rows.Err()
}
