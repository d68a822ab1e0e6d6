package store

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"pingan/internal/domain"
)

// CreateCaptcha stores a captcha's answer under the hash of its id until ttl passes.
func (db *DB) CreateCaptcha(ctx context.Context, idHash, answer, ipHash string, ttl time.Duration) error {
	now := db.now()
	_, err := db.sql.ExecContext(ctx, `INSERT INTO captchas (id_hash, answer, ip_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5)`,
		idHash, answer, ipHash, now, now.Add(ttl))
	return err
}

// CountCaptchas returns how many captchas an address asked for since a moment.
func (db *DB) CountCaptchas(ctx context.Context, ipHash string, since time.Time) (int, error) {
	var n int
	err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*) FROM captchas WHERE ip_hash = $1 AND created_at > $2`, ipHash, since.UTC()).Scan(&n)
	return n, err
}

// ErrCaptchaUsed is returned when a captcha was already used, expired or never issued.
var ErrCaptchaUsed = &domain.Error{Kind: domain.KindInvalid, Message: "验证码已失效（每道验证题只能回答一次），请回答新的验证题后重新提交。",
	Fields: map[string]string{"captcha": "验证码已失效，请回答新的验证题。"}}

// ErrCaptchaWrong is returned for a wrong answer; the captcha is used up all the same.
var ErrCaptchaWrong = &domain.Error{Kind: domain.KindInvalid, Message: "验证题回答不正确，请回答新的验证题后重新提交。",
	Fields: map[string]string{"captcha": "回答不正确，请回答新的验证题。"}}

// UseCaptcha marks a captcha used and checks the answer, in one statement so that two requests
// racing with the same captcha cannot both pass. A captcha takes one attempt, right or wrong.
func (db *DB) UseCaptcha(ctx context.Context, idHash, answer string) error {
	return db.useCaptcha(ctx, db.sql, idHash, answer)
}

func (db *DB) useCaptcha(ctx context.Context, q querier, idHash, answer string) error {
	now := db.now()
	var want string
	err := q.QueryRowContext(ctx, `UPDATE captchas SET used_at = $1 WHERE id_hash = $2 AND used_at IS NULL AND expires_at > $1 RETURNING answer`,
		now, idHash).Scan(&want)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrCaptchaUsed
	}
	if err != nil {
		return err
	}
	if answer != want {
		return ErrCaptchaWrong
	}
	return nil
}

// CheckCaptcha checks an answer without a write when it is right, so that the write that uses
// the captcha can join the transaction that stores the post (see NewPost.CaptchaHash). A wrong
// answer uses the captcha up at once; an unknown, used or expired captcha is ErrCaptchaUsed.
func (db *DB) CheckCaptcha(ctx context.Context, idHash, answer string) error {
	var want string
	err := db.sql.QueryRowContext(ctx, `SELECT answer FROM captchas WHERE id_hash = $1 AND used_at IS NULL AND expires_at > $2`,
		idHash, db.now()).Scan(&want)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrCaptchaUsed
	}
	if err != nil {
		return err
	}
	if answer != want {
		return db.UseCaptcha(ctx, idHash, answer)
	}
	return nil
}

// CaptchaAnswer returns the stored answer of an unused captcha. Only in-process load tests call
// it; no route exposes it.
func (db *DB) CaptchaAnswer(ctx context.Context, idHash string) (string, error) {
	var a string
	err := db.sql.QueryRowContext(ctx, `SELECT answer FROM captchas WHERE id_hash = $1 AND used_at IS NULL`, idHash).Scan(&a)
	if errors.Is(err, sql.ErrNoRows) {
		return "", domain.NotFound("验证题不存在。")
	}
	return a, err
}

// PurgeCaptchas deletes captchas that expired more than a day ago.
func (db *DB) PurgeCaptchas(ctx context.Context) (int64, error) {
	res, err := db.sql.ExecContext(ctx, `DELETE FROM captchas WHERE expires_at < $1`, db.now().Add(-24*time.Hour))
	if err != nil {
		return 0, err
	}
	return res.RowsAffected()
}
