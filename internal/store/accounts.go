package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"pingan/internal/domain"
)

const accountColumns = `a.id, a.town_id, a.org_id, o.name, a.username, a.display_name, a.phone_enc,
	a.must_change_password, a.password_changed_at, a.failed_attempts, a.locked_until, a.last_sign_in_at,
	a.disabled, a.created_at, a.updated_at`

const accountFrom = ` FROM accounts a JOIN orgs o ON o.id = a.org_id `

func (db *DB) scanAccount(row interface{ Scan(...any) error }) (domain.Account, error) {
	var a domain.Account
	var phoneEnc string
	var locked, lastSignIn sql.NullTime
	err := row.Scan(&a.ID, &a.TownID, &a.OrgID, &a.OrgName, &a.Username, &a.DisplayName, &phoneEnc,
		&a.MustChangePassword, &a.PasswordChangedAt, &a.FailedAttempts, &locked, &lastSignIn,
		&a.Disabled, &a.CreatedAt, &a.UpdatedAt)
	if err != nil {
		return a, err
	}
	a.LockedUntil = locked.Time
	a.LastSignInAt = lastSignIn.Time
	if a.Phone, err = db.keys.Decrypt(phoneEnc); err != nil {
		return a, fmt.Errorf("account %d phone: %w", a.ID, err)
	}
	return a, nil
}

func (db *DB) loadRoles(ctx context.Context, q querier, accounts []domain.Account) error {
	if len(accounts) == 0 {
		return nil
	}
	idx := make(map[int64]int, len(accounts))
	args := make([]any, len(accounts))
	marks := make([]string, len(accounts))
	for i, a := range accounts {
		idx[a.ID] = i
		args[i] = a.ID
		marks[i] = fmt.Sprintf("$%d", i+1)
	}
	rows, err := q.QueryContext(ctx, `SELECT account_id, role FROM account_roles WHERE account_id IN (`+strings.Join(marks, ",")+`) ORDER BY account_id, role`, args...)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var role string
		if err := rows.Scan(&id, &role); err != nil {
			return err
		}
		accounts[idx[id]].Roles = append(accounts[idx[id]].Roles, domain.Role(role))
	}
	return rows.Err()
}

// NormalizeMobile strips spaces and dashes from a mobile number before hashing or storing it.
func NormalizeMobile(s string) string {
	return strings.NewReplacer(" ", "", "-", "", "\u3000", "").Replace(strings.TrimSpace(s))
}

// NewAccount is the input of CreateAccount: the account and its password hash.
type NewAccount struct {
	Account      domain.Account
	PasswordHash string
}

func accountWriteError(err error) error {
	if isUniqueViolation(err) {
		return &domain.Error{Kind: domain.KindConflict, Message: "用户名已被占用。",
			Fields: map[string]string{"username": "该用户名已被占用，请换一个。"}, Err: err}
	}
	return fmt.Errorf("write account: %w", err)
}

// CreateAccount adds an account to an organization of the actor's town. The organization
// determines the account's town. actor.AccountID may be 0 for installation and the demo.
func (db *DB) CreateAccount(ctx context.Context, actor domain.Actor, n NewAccount) (int64, error) {
	var id int64
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = db.createAccount(ctx, tx, actor, n)
		return err
	})
	return id, err
}

// CreateAccountTx is CreateAccount inside a caller's transaction.
func (db *DB) CreateAccountTx(ctx context.Context, tx *sql.Tx, actor domain.Actor, n NewAccount) (int64, error) {
	return db.createAccount(ctx, tx, actor, n)
}

func (db *DB) createAccount(ctx context.Context, tx *sql.Tx, actor domain.Actor, n NewAccount) (int64, error) {
	a := n.Account
	a.Phone = NormalizeMobile(a.Phone)
	if err := domain.ValidateAccount(&a); err != nil {
		return 0, err
	}
	org, err := db.getOrg(ctx, tx, actor, a.OrgID)
	if err != nil {
		return 0, &domain.Error{Kind: domain.KindInvalid, Message: "所属组织不存在。", Fields: map[string]string{"org_id": "请选择所属组织。"}}
	}
	phoneEnc, err := db.keys.Encrypt(a.Phone)
	if err != nil {
		return 0, err
	}
	now := db.now()
	id, err := insertID(ctx, tx, `INSERT INTO accounts (town_id, org_id, username, display_name, phone_enc, phone_hash,
		password_hash, must_change_password, password_changed_at, created_at, updated_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id`,
		org.TownID, org.ID, a.Username, a.DisplayName, phoneEnc, db.keys.Hash(a.Phone), n.PasswordHash,
		a.MustChangePassword, now, now, now)
	if err != nil {
		return 0, accountWriteError(err)
	}
	for _, r := range a.Roles {
		if _, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, role) VALUES ($1, $2)`, id, string(r)); err != nil {
			return 0, err
		}
	}
	detail := a.Username + "（" + a.DisplayName + "，" + org.Name + "）"
	if err := db.appendAudit(ctx, tx, auditFor(actor, "account.create", "account", id, domain.OutcomeSuccess, detail)); err != nil {
		return 0, err
	}
	return id, nil
}

// UpdateAccount changes the display name, organization and mobile number of an account in the
// actor's town. Roles change through SetRoles only.
func (db *DB) UpdateAccount(ctx context.Context, actor domain.Actor, a domain.Account) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getAccount(ctx, tx, actor, a.ID)
		if err != nil {
			return err
		}
		a.Username = cur.Username
		a.Roles = cur.Roles
		a.Phone = NormalizeMobile(a.Phone)
		if err := domain.ValidateAccount(&a); err != nil {
			return err
		}
		if _, err := db.getOrg(ctx, tx, actor, a.OrgID); err != nil {
			return &domain.Error{Kind: domain.KindInvalid, Message: "所属组织不存在。", Fields: map[string]string{"org_id": "请选择所属组织。"}}
		}
		phoneEnc, err := db.keys.Encrypt(a.Phone)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET display_name = $1, org_id = $2, phone_enc = $3, phone_hash = $4, updated_at = $5
			WHERE id = $6`, a.DisplayName, a.OrgID, phoneEnc, db.keys.Hash(a.Phone), db.now(), a.ID); err != nil {
			return accountWriteError(err)
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "account.update", "account", a.ID, domain.OutcomeSuccess, cur.Username))
	})
}

// SetRoles replaces the roles of an account in the actor's town, enforcing the separation of
// duties. An actor cannot change its own roles.
func (db *DB) SetRoles(ctx context.Context, actor domain.Actor, id int64, roles []domain.Role) error {
	if err := domain.ValidateRoles(roles); err != nil {
		return &domain.Error{Kind: domain.KindInvalid, Message: domain.UserMessage(err), Fields: map[string]string{"roles": domain.UserMessage(err)}}
	}
	if id == actor.AccountID {
		return domain.Forbidden("不能修改自己的角色，请由另一位安全管理员操作。")
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getAccount(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM account_roles WHERE account_id = $1`, id); err != nil {
			return err
		}
		labels := make([]string, 0, len(roles))
		for _, r := range roles {
			if _, err := tx.ExecContext(ctx, `INSERT INTO account_roles (account_id, role) VALUES ($1, $2)`, id, string(r)); err != nil {
				return err
			}
			labels = append(labels, r.Label())
		}
		old := make([]string, 0, len(cur.Roles))
		for _, r := range cur.Roles {
			old = append(old, r.Label())
		}
		detail := cur.Username + "：" + strings.Join(old, "、") + " → " + strings.Join(labels, "、")
		return db.appendAudit(ctx, tx, auditFor(actor, "account.roles", "account", id, domain.OutcomeSuccess, detail))
	})
}

// SetDisabled disables or enables an account in the actor's town. Disabling ends its sessions
// at once. An actor cannot disable itself.
func (db *DB) SetDisabled(ctx context.Context, actor domain.Actor, id int64, disabled bool) error {
	if id == actor.AccountID && disabled {
		return domain.Forbidden("不能停用自己的账号。")
	}
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getAccount(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET disabled = $1, updated_at = $2 WHERE id = $3`, disabled, db.now(), id); err != nil {
			return err
		}
		action := "account.enable"
		if disabled {
			action = "account.disable"
			if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
				return err
			}
		}
		return db.appendAudit(ctx, tx, auditFor(actor, action, "account", id, domain.OutcomeSuccess, cur.Username))
	})
}

// Unlock clears the failed sign-in count and lock of an account in the actor's town.
func (db *DB) Unlock(ctx context.Context, actor domain.Actor, id int64) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getAccount(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET failed_attempts = 0, locked_until = NULL, updated_at = $1 WHERE id = $2`, db.now(), id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "account.unlock", "account", id, domain.OutcomeSuccess, cur.Username))
	})
}

// ResetPassword sets a new password hash on an account in the actor's town, requires a change
// at the next sign-in, unlocks it and ends its sessions.
func (db *DB) ResetPassword(ctx context.Context, actor domain.Actor, id int64, hash string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		cur, err := db.getAccount(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, must_change_password = TRUE, failed_attempts = 0,
			locked_until = NULL, password_changed_at = $2, updated_at = $2 WHERE id = $3`, hash, db.now(), id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1`, id); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "account.reset_password", "account", id, domain.OutcomeSuccess, cur.Username))
	})
}

// ChangeOwnPassword stores the new hash of the actor's own password, clears the must-change
// flag and ends every other session of the account.
func (db *DB) ChangeOwnPassword(ctx context.Context, actor domain.Actor, hash, keepSessionHash string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1, must_change_password = FALSE, password_changed_at = $2,
			updated_at = $2 WHERE id = $3`, hash, now, actor.AccountID); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE account_id = $1 AND id_hash <> $2`, actor.AccountID, keepSessionHash); err != nil {
			return err
		}
		return db.appendAudit(ctx, tx, auditFor(actor, "auth.password_change", "account", actor.AccountID, domain.OutcomeSuccess, ""))
	})
}

// GetAccount loads an account of the actor's town with its roles; others are not found.
func (db *DB) GetAccount(ctx context.Context, actor domain.Actor, id int64) (domain.Account, error) {
	return db.getAccount(ctx, db.sql, actor, id)
}

func (db *DB) getAccount(ctx context.Context, q querier, actor domain.Actor, id int64) (domain.Account, error) {
	a, err := db.scanAccount(q.QueryRowContext(ctx, `SELECT `+accountColumns+accountFrom+`WHERE a.id = $1 AND a.town_id = $2`, id, actor.TownID))
	if errors.Is(err, sql.ErrNoRows) {
		return a, domain.NotFound("账号不存在。")
	}
	if err != nil {
		return a, err
	}
	list := []domain.Account{a}
	if err := db.loadRoles(ctx, q, list); err != nil {
		return a, err
	}
	return list[0], nil
}

// Credentials are the account and password hash that sign-in checks.
type Credentials struct {
	Account      domain.Account
	PasswordHash string
}

// CredentialsByUsername loads an account for sign-in, in any town. It returns a KindNotFound
// error for an unknown username.
func (db *DB) CredentialsByUsername(ctx context.Context, username string) (Credentials, error) {
	var c Credentials
	row := db.sql.QueryRowContext(ctx, `SELECT `+accountColumns+`, a.password_hash`+accountFrom+`WHERE a.username = $1`, username)
	var hash string
	a, err := db.scanAccount(scanWithExtra{row, &hash})
	if errors.Is(err, sql.ErrNoRows) {
		return c, domain.NotFound("账号不存在。")
	}
	if err != nil {
		return c, err
	}
	list := []domain.Account{a}
	if err := db.loadRoles(ctx, db.sql, list); err != nil {
		return c, err
	}
	return Credentials{Account: list[0], PasswordHash: hash}, nil
}

// scanWithExtra appends destinations after those the inner scan requests.
type scanWithExtra struct {
	row   interface{ Scan(...any) error }
	extra *string
}

func (s scanWithExtra) Scan(dest ...any) error { return s.row.Scan(append(dest, s.extra)...) }

// RecordSignInFailure counts a failed sign-in and locks the account when the count reaches
// maxAttempts. It returns whether this failure locked the account. The failure and any lock are
// audited in the same transaction.
func (db *DB) RecordSignInFailure(ctx context.Context, a domain.Account, ip string, maxAttempts int, lockFor time.Duration) (bool, error) {
	locked := false
	err := db.Tx(ctx, func(tx *sql.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `UPDATE accounts SET failed_attempts = failed_attempts + 1 WHERE id = $1 RETURNING failed_attempts`, a.ID).Scan(&n); err != nil {
			return err
		}
		actor := domain.Actor{AccountID: a.ID, TownID: a.TownID, Name: a.ActorName(), IP: ip}
		if err := db.appendAudit(ctx, tx, auditFor(actor, "auth.sign_in_failed", "account", a.ID, domain.OutcomeFailure,
			fmt.Sprintf("连续失败 %d 次", n))); err != nil {
			return err
		}
		if n >= maxAttempts {
			until := db.now().Add(lockFor)
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET locked_until = $1, failed_attempts = 0 WHERE id = $2`, until, a.ID); err != nil {
				return err
			}
			locked = true
			return db.appendAudit(ctx, tx, auditFor(actor, "auth.locked", "account", a.ID, domain.OutcomeSuccess,
				fmt.Sprintf("连续失败 %d 次，锁定 %d 分钟", n, int(lockFor.Minutes()))))
		}
		return nil
	})
	return locked, err
}

// RecordSignInSuccess resets the failure count, stores the new session and audits the sign-in,
// in one transaction. It replaces the password hash when rehash is not empty.
func (db *DB) RecordSignInSuccess(ctx context.Context, a domain.Account, s Session, rehash string) error {
	return db.Tx(ctx, func(tx *sql.Tx) error {
		now := db.now()
		if _, err := tx.ExecContext(ctx, `UPDATE accounts SET failed_attempts = 0, locked_until = NULL, last_sign_in_at = $1 WHERE id = $2`, now, a.ID); err != nil {
			return err
		}
		if rehash != "" {
			if _, err := tx.ExecContext(ctx, `UPDATE accounts SET password_hash = $1 WHERE id = $2`, rehash, a.ID); err != nil {
				return err
			}
		}
		if err := db.insertSession(ctx, tx, s); err != nil {
			return err
		}
		actor := domain.Actor{AccountID: a.ID, TownID: a.TownID, Name: a.ActorName(), IP: s.IP}
		return db.appendAudit(ctx, tx, auditFor(actor, "auth.sign_in", "account", a.ID, domain.OutcomeSuccess, ""))
	})
}

// AccountFilter selects accounts for the list page.
type AccountFilter struct {
	Query    string // matches username or display name
	OrgID    int64
	Role     domain.Role
	Disabled *bool
	Page     Page
}

// ListAccounts returns one page of the accounts of the actor's town and the total count,
// ordered by organization order, then id.
func (db *DB) ListAccounts(ctx context.Context, actor domain.Actor, f AccountFilter) ([]domain.Account, int, error) {
	where := []string{"a.town_id = $1"}
	args := []any{actor.TownID}
	add := func(cond string, v any) {
		args = append(args, v)
		where = append(where, strings.ReplaceAll(cond, "?", fmt.Sprintf("$%d", len(args))))
	}
	if q := strings.TrimSpace(f.Query); q != "" {
		args = append(args, escapeLike(q))
		ph := fmt.Sprintf("$%d", len(args))
		where = append(where, "("+db.dialect.containsFold("a.username", ph)+" OR "+db.dialect.containsFold("a.display_name", ph)+")")
	}
	if f.OrgID != 0 {
		add("a.org_id = ?", f.OrgID)
	}
	if f.Role != "" {
		add("a.id IN (SELECT account_id FROM account_roles WHERE role = ?)", string(f.Role))
	}
	if f.Disabled != nil {
		add("a.disabled = ?", *f.Disabled)
	}
	cond := " WHERE " + strings.Join(where, " AND ")
	total, limit, args, err := db.countPage(ctx, `SELECT COUNT(*)`+accountFrom+cond, args, &f.Page)
	if err != nil {
		return nil, 0, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT `+accountColumns+accountFrom+cond+` ORDER BY o.sort_order, o.id, a.id`+limit, args...)
	if err != nil {
		return nil, 0, err
	}
	defer rows.Close()
	var out []domain.Account
	for rows.Next() {
		a, err := db.scanAccount(rows)
		if err != nil {
			return nil, 0, err
		}
		out = append(out, a)
	}
	if err := rows.Err(); err != nil {
		return nil, 0, err
	}
	return out, total, db.loadRoles(ctx, db.sql, out)
}

// CountAccounts returns the number of accounts in the deployment.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n)
	return n, err
}

// AccountIDByUsername returns the id and town of an account, in any town, for the command line.
func (db *DB) AccountIDByUsername(ctx context.Context, username string) (id, townID int64, err error) {
	err = db.sql.QueryRowContext(ctx, `SELECT id, town_id FROM accounts WHERE username = $1`, username).Scan(&id, &townID)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, 0, domain.NotFound("账号“" + username + "”不存在。")
	}
	return id, townID, err
}
