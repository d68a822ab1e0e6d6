package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"pingan/internal/domain"
	"pingan/internal/pii"
)

// NewSiteErrorReport is a visitor's report of an error on the site as it arrives. The captcha
// is spent in the same transaction that stores the report.
type NewSiteErrorReport struct {
	Report      domain.SiteErrorReport // validated by the caller
	SubmitToken string                 // the form's one-time token; a repeated submit stores nothing new
	IPHash      string
	// CaptchaHash and CaptchaAnswer are the captcha the visitor answered. Only the demo leaves
	// CaptchaHash empty, to store reports without one.
	CaptchaHash   string
	CaptchaAnswer string
	At            time.Time // when the report was made; zero means now
}

var errTooManySiteErrors = &domain.Error{Kind: domain.KindTooMany, Message: fmt.Sprintf(
	"提交过于频繁：同一网络地址 10 分钟内最多提交 %d 条纠错、每天最多 %d 条。请稍后再试。",
	PostsPerAddressPer10Min, PostsPerAddressPerDay)}

// CreateSiteErrorReport stores a visitor's report with its contact encrypted, after spending
// the captcha and checking the address's limits (those of the message board: PostsPerAddressPer10Min
// and PostsPerAddressPerDay), in one transaction with its audit record. A second submit of the
// same form token returns the first report's id without storing anything.
func (db *DB) CreateSiteErrorReport(ctx context.Context, townID int64, in NewSiteErrorReport) (int64, error) {
	var id int64
	err := db.inTx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id FROM site_error_reports WHERE submit_token = $1 AND town_id = $2`,
			in.SubmitToken, townID).Scan(&id)
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		if in.CaptchaHash != "" {
			if err := db.useCaptcha(ctx, tx, in.CaptchaHash, in.CaptchaAnswer); err != nil {
				return err
			}
		}
		now := db.now()
		if !in.At.IsZero() {
			now = in.At.UTC()
		}
		var recent, daily int
		if err := tx.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN created_at > $2 THEN 1 ELSE 0 END), 0), COUNT(*)
			FROM site_error_reports WHERE ip_hash = $1 AND created_at > $3`,
			in.IPHash, now.Add(-10*time.Minute), now.Add(-24*time.Hour)).Scan(&recent, &daily); err != nil {
			return err
		}
		if recent >= PostsPerAddressPer10Min || daily >= PostsPerAddressPerDay {
			return errTooManySiteErrors
		}
		contactEnc, err := db.keys.Encrypt(in.Report.Contact)
		if err != nil {
			return err
		}
		r := in.Report
		id, err = insertID(ctx, tx, `INSERT INTO site_error_reports (town_id, page_url, description, contact_enc, status,
			submit_token, ip_hash, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id`,
			townID, r.PageURL, r.Description, contactEnc, string(domain.SiteErrorNew), in.SubmitToken, in.IPHash, now)
		if err != nil {
			return fmt.Errorf("insert site error report: %w", err)
		}
		// Like a board post, the entry keeps the start of the address hash, never the address.
		visitor := domain.Actor{TownID: townID, Name: "访客", IP: in.IPHash[:min(12, len(in.IPHash))]}
		e := auditFor(visitor, "site_error.report", "site_error", id, domain.OutcomeSuccess, domain.TruncateChars(r.PageURL, 100))
		e.At = now
		return db.appendAudit(ctx, tx, e)
	})
	return id, err
}

// SiteErrorSubmitted reports whether a report with the form token was stored already, so that a
// repeated submit shows the thanks again before its spent captcha is checked.
func (db *DB) SiteErrorSubmitted(ctx context.Context, townID int64, token string) (bool, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM site_error_reports WHERE submit_token = $1 AND town_id = $2`, token, townID).Scan(&n)
	return n > 0, err
}

// SiteErrorFilter selects reports for the staff list; an empty Status lists every report.
type SiteErrorFilter struct {
	Status domain.SiteErrorStatus
	Page   Page
}

const siteErrorColumns = `r.id, r.town_id, r.page_url, r.description, r.contact_enc, r.status, r.created_at, r.handled_at,
	r.handle_note, COALESCE(a.display_name, '')`

const siteErrorFrom = ` FROM site_error_reports r LEFT JOIN accounts a ON a.id = r.handled_by`

func (db *DB) scanSiteError(row interface{ Scan(...any) error }, reveal bool) (domain.SiteErrorReport, error) {
	var r domain.SiteErrorReport
	var contactEnc, status string
	var handled sql.NullTime
	if err := row.Scan(&r.ID, &r.TownID, &r.PageURL, &r.Description, &contactEnc, &status, &r.CreatedAt, &handled,
		&r.HandleNote, &r.HandledBy); err != nil {
		return r, err
	}
	r.Status, r.HandledAt = domain.SiteErrorStatus(status), handled.Time
	contact, err := db.keys.Decrypt(contactEnc)
	if err != nil {
		return r, err
	}
	r.Contact = contact
	if !reveal {
		r.Contact = pii.MaskContact(contact)
	}
	return r, nil
}

// ListSiteErrors returns one page of the actor's town's reports, newest first, with contacts
// masked, and the total.
func (db *DB) ListSiteErrors(ctx context.Context, actor domain.Actor, f SiteErrorFilter) ([]domain.SiteErrorReport, int, error) {
	where, args := ` WHERE r.town_id = $1`, []any{actor.TownID}
	if f.Status != "" {
		where += ` AND r.status = $2`
		args = append(args, string(f.Status))
	}
	var total int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM site_error_reports r`+where, args...).Scan(&total); err != nil {
		return nil, 0, err
	}
	page := f.Page.Normalize(total)
	rows, err := db.sql.QueryContext(ctx, `SELECT `+siteErrorColumns+siteErrorFrom+where+
		fmt.Sprintf(` ORDER BY r.created_at DESC, r.id DESC LIMIT %d OFFSET %d`, page.Size, page.Offset()), args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.SiteErrorReport
	for rows.Next() {
		r, err := db.scanSiteError(rows, false)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, r)
	}
	return out, total, rows.Err()
}

// SiteError loads one report of the actor's town. With reveal the contact is shown in full and
// the viewing is audited; otherwise it is masked.
func (db *DB) SiteError(ctx context.Context, actor domain.Actor, id int64, reveal bool) (domain.SiteErrorReport, error) {
	r, err := db.scanSiteError(db.sql.QueryRowContext(ctx, `SELECT `+siteErrorColumns+siteErrorFrom+
		` WHERE r.id = $1 AND r.town_id = $2`, id, actor.TownID), reveal)
	if errors.Is(err, sql.ErrNoRows) {
		return r, domain.NotFound("纠错记录不存在。")
	}
	if err != nil {
		return r, err
	}
	if reveal && r.Contact != "" {
		err = db.appendAudit(ctx, db.sql, auditFor(actor, "pii.view", "site_error", id, domain.OutcomeSuccess, "查看网站纠错的完整联系方式"))
	}
	return r, err
}

// HandleSiteError marks a report of the actor's town handled, with an optional note of what was
// done, audited. A report already handled is KindConflict.
func (db *DB) HandleSiteError(ctx context.Context, actor domain.Actor, id int64, note string) error {
	note = domain.CleanText(note)
	if n := domain.CharCount(note); n > domain.MaxSiteErrorNote {
		p := domain.Problems{}
		p.Add("note", fmt.Sprintf("处理说明不能超过 %d 个字符，现有 %d 个。", domain.MaxSiteErrorNote, n))
		return p.Err()
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		var status string
		err := tx.QueryRowContext(ctx, `SELECT status FROM site_error_reports WHERE id = $1 AND town_id = $2`, id, actor.TownID).Scan(&status)
		if errors.Is(err, sql.ErrNoRows) {
			return domain.NotFound("纠错记录不存在。")
		}
		if err != nil {
			return err
		}
		if status == string(domain.SiteErrorHandled) {
			return domain.Conflict("这条纠错已经处理过了。")
		}
		if _, err := tx.ExecContext(ctx, `UPDATE site_error_reports SET status = $1, handled_by = $2, handled_at = $3, handle_note = $4
			WHERE id = $5`, string(domain.SiteErrorHandled), actor.AccountID, db.now(), note, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "site_error.handle", "site_error", id, domain.OutcomeSuccess, note))
	})
}
