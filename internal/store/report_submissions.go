package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"pingan/internal/domain"
)

const submissionColumns = `s.id, s.town_id, s.assignment_id, a.title, a.template_id, s.org_id, o.name, o.kind, s.period_key,
	s.period_start, s.period_end, s.due_at, s.status, s.first_submitted_at, s.submitted_at, COALESCE(sb.display_name, ''),
	s.reviewed_at, COALESCE(rb.display_name, ''), s.return_reason, s.updated_at`

const submissionFrom = ` FROM report_submissions s JOIN report_assignments a ON a.id = s.assignment_id JOIN orgs o ON o.id = s.org_id
	LEFT JOIN accounts sb ON sb.id = s.submitted_by LEFT JOIN accounts rb ON rb.id = s.reviewed_by `

func scanSubmission(row interface{ Scan(...any) error }) (domain.ReportSubmission, error) {
	var s domain.ReportSubmission
	var kind, status string
	var first, submitted, reviewed sql.NullTime
	err := row.Scan(&s.ID, &s.TownID, &s.AssignmentID, &s.AssignmentTitle, &s.TemplateID, &s.OrgID, &s.OrgName, &kind, &s.PeriodKey,
		&s.PeriodStart, &s.PeriodEnd, &s.DueAt, &status, &first, &submitted, &s.SubmittedBy, &reviewed, &s.ReviewedBy, &s.ReturnReason, &s.UpdatedAt)
	s.OrgKind = domain.OrgKind(kind)
	s.Status = domain.SubmissionStatus(status)
	s.FirstSubmittedAt, s.SubmittedAt, s.ReviewedAt = first.Time, submitted.Time, reviewed.Time
	return s, err
}

func (db *DB) querySubmissions(ctx context.Context, where string, args ...any) ([]domain.ReportSubmission, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT `+submissionColumns+submissionFrom+where, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ReportSubmission
	for rows.Next() {
		s, err := scanSubmission(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

// ListOwnSubmissions returns one page of the reports of the actor's organization, the newest
// periods first, and the total.
func (db *DB) ListOwnSubmissions(ctx context.Context, actor domain.Actor, page Page) ([]domain.ReportSubmission, int, error) {
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*) FROM report_submissions WHERE org_id = $1 AND town_id = $2`,
		[]any{actor.OrgID, actor.TownID}, &page)
	if err != nil {
		return nil, 0, err
	}
	list, err := db.querySubmissions(ctx, ` WHERE s.org_id = $1 AND s.town_id = $2 ORDER BY s.period_start DESC, s.due_at DESC, s.id DESC`+limit,
		args...)
	return list, total, err
}

// OwnSubmissionID returns the id of the actor's organization's report for a period of an
// assignment, read through q so that a caller's transaction sees its own rows.
func (db *DB) OwnSubmissionID(ctx context.Context, q querier, actor domain.Actor, assignmentID int64, periodKey string) (int64, error) {
	var id int64
	err := q.QueryRowContext(ctx, `SELECT id FROM report_submissions WHERE assignment_id = $1 AND org_id = $2 AND town_id = $3 AND period_key = $4`,
		assignmentID, actor.OrgID, actor.TownID, periodKey).Scan(&id)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, domain.NotFound("报表不存在。")
	}
	return id, err
}

// submissionValues loads the stored values of one report.
func submissionValues(ctx context.Context, q querier, id int64) (map[int64]string, error) {
	rows, err := q.QueryContext(ctx, `SELECT field_id, value FROM report_values WHERE submission_id = $1`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[int64]string{}
	for rows.Next() {
		var f int64
		var v string
		if err := rows.Scan(&f, &v); err != nil {
			return nil, err
		}
		out[f] = v
	}
	return out, rows.Err()
}

// loadSubmission loads one report matching where ($1 is the report id) with its values and
// its template.
func (db *DB) loadSubmission(ctx context.Context, q querier, where string, args ...any) (domain.ReportSubmission, domain.ReportTemplate, error) {
	s, err := scanSubmission(q.QueryRowContext(ctx, `SELECT `+submissionColumns+submissionFrom+where, args...))
	if errors.Is(err, sql.ErrNoRows) {
		return s, domain.ReportTemplate{}, domain.NotFound("报表不存在。")
	}
	if err != nil {
		return s, domain.ReportTemplate{}, err
	}
	if s.Values, err = submissionValues(ctx, q, s.ID); err != nil {
		return s, domain.ReportTemplate{}, err
	}
	t, err := db.getTemplate(ctx, q, s.TownID, s.TemplateID)
	return s, t, err
}

// OwnSubmission loads a report of the actor's organization with its values and template; a
// report of any other organization is not found.
func (db *DB) OwnSubmission(ctx context.Context, actor domain.Actor, id int64) (domain.ReportSubmission, domain.ReportTemplate, error) {
	return db.loadSubmission(ctx, db.sql, ` WHERE s.id = $1 AND s.org_id = $2 AND s.town_id = $3`, id, actor.OrgID, actor.TownID)
}

// SubmissionForReview loads any report of the actor's town with its values and template, for
// the center that reviews reports.
func (db *DB) SubmissionForReview(ctx context.Context, actor domain.Actor, id int64) (domain.ReportSubmission, domain.ReportTemplate, error) {
	return db.loadSubmission(ctx, db.sql, ` WHERE s.id = $1 AND s.town_id = $2`, id, actor.TownID)
}

func (db *DB) addReportEvent(ctx context.Context, tx *sql.Tx, actor domain.Actor, id int64, action, note string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO report_events (submission_id, at, account_id, actor_name, action, note) VALUES ($1, $2, $3, $4, $5, $6)`,
		id, db.now(), nullInt(actor.AccountID), actorDisplayName(actor), action, note)
	return err
}

// SubmissionEvents returns the history of a report, oldest first. Callers load the report
// through OwnSubmission or SubmissionForReview first, which checks the actor's scope.
func (db *DB) SubmissionEvents(ctx context.Context, id int64) ([]domain.ReportEvent, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT at, actor_name, action, note FROM report_events WHERE submission_id = $1 ORDER BY at, id`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []domain.ReportEvent
	for rows.Next() {
		var e domain.ReportEvent
		if err := rows.Scan(&e.At, &e.Actor, &e.Action, &e.Note); err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, rows.Err()
}

// SaveMode selects how SaveSubmission saves a report.
type SaveMode int

const (
	SaveDraft  SaveMode = iota // keep the values; required fields may stay empty
	SaveSubmit                 // check every required field and submit for review
	SaveImport                 // keep the values read from an offline .xlsx form, as a draft
)

// SaveSubmission stores the values of a report of the actor's organization, as a draft or
// submitted, with its history entry and audit record in one transaction. A report that is
// submitted or accepted cannot change; a returned report stays returned until it is submitted
// again. Values are keyed by field id; field problems come back keyed "f<field id>".
func (db *DB) SaveSubmission(ctx context.Context, actor domain.Actor, id int64, raw map[int64]string, mode SaveMode) error {
	return db.SaveSubmissionTx(ctx, nil, actor, id, raw, mode)
}

// SaveSubmissionTx is SaveSubmission inside the caller's transaction, or a new one when outer is nil.
func (db *DB) SaveSubmissionTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, raw map[int64]string, mode SaveMode) error {
	return db.txOr(ctx, outer, func(tx *sql.Tx) error {
		s, t, err := db.loadSubmission(ctx, tx, ` WHERE s.id = $1 AND s.org_id = $2 AND s.town_id = $3`, id, actor.OrgID, actor.TownID)
		if err != nil {
			return err
		}
		if !s.Status.Editable() {
			return domain.Conflict("该报表" + s.Status.Label() + "，不能再修改。")
		}
		values, err := domain.ValidateValues(t.Fields, raw, mode == SaveSubmit)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM report_values WHERE submission_id = $1`, id); err != nil {
			return err
		}
		for _, f := range t.Fields {
			if v, ok := values[f.ID]; ok {
				if _, err := tx.ExecContext(ctx, `INSERT INTO report_values (submission_id, field_id, value) VALUES ($1, $2, $3)`, id, f.ID, v); err != nil {
					return err
				}
			}
		}
		now := db.now()
		label := s.AssignmentTitle + "（" + s.PeriodLabel() + "）"
		switch mode {
		case SaveSubmit:
			_, err = tx.ExecContext(ctx, `UPDATE report_submissions SET status = $1, submitted_at = $2,
				first_submitted_at = COALESCE(first_submitted_at, $2), submitted_by = $3, updated_at = $2 WHERE id = $4`,
				string(domain.SubmissionSubmitted), now, actor.AccountID, id)
			if err == nil {
				err = db.addReportEvent(ctx, tx, actor, id, "submitted", "")
			}
			if err == nil {
				err = db.appendAudit(ctx, tx, auditFor(actor, "report.submit", "report", id, domain.OutcomeSuccess, label))
			}
		default:
			status := domain.SubmissionDraft
			if s.Status == domain.SubmissionReturned {
				status = domain.SubmissionReturned
			}
			action, event := "report.save", "saved"
			if mode == SaveImport {
				action, event = "report.import", "imported"
			}
			_, err = tx.ExecContext(ctx, `UPDATE report_submissions SET status = $1, updated_at = $2 WHERE id = $3`, string(status), now, id)
			if err == nil {
				err = db.addReportEvent(ctx, tx, actor, id, event, "")
			}
			if err == nil {
				err = db.appendAudit(ctx, tx, auditFor(actor, action, "report", id, domain.OutcomeSuccess, label))
			}
		}
		return err
	})
}

// ReviewSubmission accepts a submitted report of the actor's town, or returns it with a reason,
// records the step and audits it, and notifies the organization's report accounts, in one
// transaction. It returns the notifications to publish. Only a submitted report can be reviewed.
func (db *DB) ReviewSubmission(ctx context.Context, actor domain.Actor, id int64, accept bool, reason string) ([]domain.Notification, error) {
	return db.ReviewSubmissionTx(ctx, nil, actor, id, accept, reason)
}

// ReviewSubmissionTx is ReviewSubmission inside the caller's transaction, or a new one when outer is nil.
func (db *DB) ReviewSubmissionTx(ctx context.Context, outer *sql.Tx, actor domain.Actor, id int64, accept bool, reason string) ([]domain.Notification, error) {
	if !accept {
		var err error
		if reason, err = domain.ValidateReturnReason(reason); err != nil {
			return nil, err
		}
	}
	var notes []domain.Notification
	err := db.txOr(ctx, outer, func(tx *sql.Tx) error {
		s, _, err := db.loadSubmission(ctx, tx, ` WHERE s.id = $1 AND s.town_id = $2`, id, actor.TownID)
		if err != nil {
			return err
		}
		if s.Status != domain.SubmissionSubmitted {
			return domain.Conflict("只能审核已提交的报表，该报表" + s.Status.Label() + "。")
		}
		status, event, action, kind, title := domain.SubmissionAccepted, "accepted", "report.accept", domain.NotifyReportAccepted,
			"报表已通过："+s.AssignmentTitle+"（"+s.PeriodLabel()+"）"
		if !accept {
			status, event, action, kind, title = domain.SubmissionReturned, "returned", "report.return", domain.NotifyReportReturned,
				"报表被退回："+s.AssignmentTitle+"（"+s.PeriodLabel()+"），原因："+domain.TruncateChars(reason, 60)
		}
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE report_submissions SET status = $1, reviewed_at = $2, reviewed_by = $3, return_reason = $4, updated_at = $2
			WHERE id = $5`, string(status), now, actor.AccountID, reason, id); err != nil {
			return err
		}
		if err := db.addReportEvent(ctx, tx, actor, id, event, reason); err != nil {
			return err
		}
		notes, err = db.notifyOrgs(ctx, tx, s.TownID, []int64{s.OrgID}, domain.PermReportsSubmit, domain.Notification{
			Kind: kind, Title: title, Link: fmt.Sprintf("/admin/my-reports/%d", id), RefType: "report", RefID: id})
		if err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, action, "report", id, domain.OutcomeSuccess,
			s.OrgName+"："+s.AssignmentTitle+"（"+s.PeriodLabel()+"）"))
	})
	return notes, err
}

// RemindReportsDue notifies the organizations whose reports are due within window and not yet
// submitted, once per report. It runs as a scheduled job and returns the notifications to
// publish.
func (db *DB) RemindReportsDue(ctx context.Context, window time.Duration) ([]domain.Notification, error) {
	now := db.now()
	subs, err := db.querySubmissions(ctx, ` WHERE s.status IN ($1, $2, $3) AND s.due_at > $4 AND s.due_at <= $5 AND s.due_reminded_at IS NULL
		ORDER BY s.due_at, s.id`, string(domain.SubmissionPending), string(domain.SubmissionDraft), string(domain.SubmissionReturned), now, now.Add(window))
	if err != nil {
		return nil, err
	}
	var notes []domain.Notification
	for _, s := range subs {
		err := db.Tx(ctx, func(tx *sql.Tx) error {
			res, err := tx.ExecContext(ctx, `UPDATE report_submissions SET due_reminded_at = $1 WHERE id = $2 AND due_reminded_at IS NULL`, now, s.ID)
			if err != nil {
				return err
			}
			if n, _ := res.RowsAffected(); n == 0 {
				return nil
			}
			list, err := db.notifyOrgs(ctx, tx, s.TownID, []int64{s.OrgID}, domain.PermReportsSubmit, domain.Notification{
				Kind:  domain.NotifyReportDue,
				Title: "报表即将到期：" + s.AssignmentTitle + "（" + s.PeriodLabel() + "），截止 " + domain.FormatTime(s.DueAt.Add(-time.Minute)),
				Link:  fmt.Sprintf("/admin/my-reports/%d", s.ID), RefType: "report", RefID: s.ID})
			if err != nil {
				return err
			}
			notes = append(notes, list...)
			actor := domain.Actor{TownID: s.TownID, Name: "系统（到期提醒）", IP: "local"}
			return db.appendAudit(ctx, tx, auditFor(actor, "report.remind", "report", s.ID, domain.OutcomeSuccess, s.OrgName))
		})
		if err != nil {
			return notes, fmt.Errorf("remind report %d: %w", s.ID, err)
		}
	}
	return notes, nil
}
