package store

import (
	"context"
	"database/sql"
	"errors"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
)

// citizenRateCase applies a citizen's rating to a case: on a resolved case it is the follow-up,
// and "not solved" then reopens the case; on a case staff already followed up, "not solved"
// reopens it. A closed case cannot be reopened by the citizen.
func (db *DB) citizenRateCase(ctx context.Context, tx *sql.Tx, citizen domain.Actor, caseID int64, st casework.State, r CitizenRating) error {
	switch {
	case st == casework.Resolved:
		if _, err := db.caseActionTx(ctx, tx, citizen, caseID, CaseInput{Action: casework.ActFollowUp, Rating: r.Rating, Note: r.Reason}, true); err != nil {
			return err
		}
	case st == casework.FollowedUp && r.NotSolved:
	case st == casework.Closed && r.NotSolved:
		return domain.Conflict("该事项已结案，不能在线重新办理。如问题仍未解决，请重新留言或致电综治中心。")
	case st == casework.FollowedUp || st == casework.Closed:
		if _, err := tx.ExecContext(ctx, `UPDATE cases SET rating = $1, rating_reason = $2, rated_at = $3 WHERE id = $4`,
			string(r.Rating), r.Reason, db.now(), caseID); err != nil {
			return err
		}
	default:
		return domain.Conflict("您的诉求还在办理中，办结后才能评价。")
	}
	if r.NotSolved {
		_, err := db.caseActionTx(ctx, tx, citizen, caseID, CaseInput{Action: casework.ActReopen, Note: "群众反映问题仍未解决：" + r.Reason}, true)
		return err
	}
	return nil
}

// caseIDByCode finds a case by its own query code (cases registered from a chat, a phone call
// or a visit) and the citizen's mobile number.
func (db *DB) caseIDByCode(ctx context.Context, q querier, townID int64, code, mobile string) (int64, error) {
	code = casework.NormalizeQueryCode(code)
	mobile = board.NormalizeMobile(mobile)
	if !casework.ValidQueryCode(code) || !domain.ValidMobile(mobile) {
		return 0, errNoSuchCode
	}
	var id int64
	var phoneHash string
	err := q.QueryRowContext(ctx, `SELECT id, citizen_phone_hash FROM cases WHERE query_code_hash = $1 AND town_id = $2 AND post_id IS NULL`,
		db.keys.Hash(code), townID).Scan(&id, &phoneHash)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && phoneHash != db.keys.Hash(mobile)) {
		return 0, errNoSuchCode
	}
	return id, err
}

// CitizenCase opens a case with its query code and mobile number for the citizen: the state,
// the public replies and the notices, nothing about the units' internal notes.
func (db *DB) CitizenCase(ctx context.Context, townID int64, code, mobile string) (CitizenCaseView, error) {
	id, err := db.caseIDByCode(ctx, db.sql, townID, code, mobile)
	if err != nil {
		return CitizenCaseView{}, err
	}
	return db.citizenCaseView(ctx, id)
}

// CitizenCaseView is what a citizen sees of a case.
type CitizenCaseView struct {
	ID         int64
	Number     string
	Title      string
	State      casework.State
	Outcome    casework.Outcome
	PromisedAt string
	Replies    []CaseStep
	Notices    []CitizenNotice
	Rating     casework.Rating
	Reason     string
}

func (db *DB) citizenCaseView(ctx context.Context, id int64) (CitizenCaseView, error) {
	var v CitizenCaseView
	var state, outcome, rating string
	var promised sql.NullTime
	err := db.sql.QueryRowContext(ctx, `SELECT id, number, title, state, outcome, promised_at, rating, rating_reason FROM cases WHERE id = $1`, id).
		Scan(&v.ID, &v.Number, &v.Title, &state, &outcome, &promised, &rating, &v.Reason)
	if err != nil {
		return v, err
	}
	v.State, v.Outcome, v.Rating = casework.State(state), casework.Outcome(outcome), casework.Rating(rating)
	v.PromisedAt = domain.FormatDate(promised.Time)
	steps, err := db.caseSteps(ctx, db.sql, id)
	if err != nil {
		return v, err
	}
	for _, s := range steps {
		if s.Public {
			v.Replies = append(v.Replies, s)
		}
	}
	v.Notices, err = db.citizenNotices(ctx, "case_id", id)
	return v, err
}

// CitizenRateCase records the rating of a case opened with its own query code. A case already
// rated is KindConflict unless it was reopened and resolved again since.
func (db *DB) CitizenRateCase(ctx context.Context, townID int64, code, mobile string, r CitizenRating) error {
	if err := r.Validate(); err != nil {
		return err
	}
	return db.inTx(ctx, func(tx *sql.Tx) error {
		id, err := db.caseIDByCode(ctx, tx, townID, code, mobile)
		if err != nil {
			return err
		}
		var state, previous string
		if err := tx.QueryRowContext(ctx, `SELECT state, rating FROM cases WHERE id = $1`, id).Scan(&state, &previous); err != nil {
			return err
		}
		if previous != "" && casework.State(state) != casework.Resolved {
			return errAlreadyRated
		}
		return db.citizenRateCase(ctx, tx, domain.Actor{TownID: townID, Name: "群众（凭查询码）"}, id, casework.State(state), r)
	})
}
