package store

import (
	"context"
	"database/sql"
	"math"
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
)

// ServiceFigures are the public-service platform's figures of a period. Every figure counts
// records created in [from, to), computed from the data.
type ServiceFigures struct {
	PostsByKind          map[board.Kind]int
	Suggestions          int
	HelpRequests         int // consultations and help requests on the board, and live chats
	HelpRequestsResolved int
	Chats                int
	CasesByChannel       map[casework.Channel]int
	Cases                int
	CasesResolved        int
	ReplyOnTime          Ratio // a resolution without a separate reply answers the citizen too
	ResolveOnTime        Ratio
	Satisfaction         Ratio
	Disputes             int
	DisputesSettledLocal int
	CoordinationMatters  int
	AvgHoursToAck        Mean
	AvgHoursToReply      Mean // to the reply, or to the resolution of a case resolved without one
	AvgHoursToResolve    Mean
}

// Mean is an average with the number of values it averages.
type Mean struct {
	Sum float64
	N   int
}

// Value returns Sum/N rounded to one decimal, or 0 when N is 0; callers show a Mean with N = 0
// as unknown, not as 0.
func (m Mean) Value() float64 {
	if m.N == 0 {
		return 0
	}
	return math.Round(m.Sum/float64(m.N)*10) / 10
}

// Ratio is a share with its parts; Rate is 0 when there is nothing to count.
type Ratio struct{ Num, Den int }

// Rate returns Num/Den rounded to four decimals, or 0 for an empty denominator.
func (r Ratio) Rate() float64 {
	if r.Den == 0 {
		return 0
	}
	return float64(int(float64(r.Num)/float64(r.Den)*10000+0.5)) / 10000
}

// solvedCond is true for a case that counts as solved: closed as solved, or resolved and not
// yet closed (its outcome is recorded at closing).
const solvedCond = `(c.outcome = 'solved' OR c.state IN ('resolved', 'followed_up'))`

// caseRateSums are the numerators and denominators of the on-time reply, on-time resolution
// and satisfaction rates over the cases c, with $4 the moment of the query. The town-wide
// figures and the per-unit and per-village rows share them, so their rates agree.
const caseRateSums = `COALESCE(SUM(CASE WHEN c.reply_due_at IS NOT NULL AND COALESCE(c.replied_at, c.resolved_at) <= c.reply_due_at THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.reply_due_at IS NOT NULL AND (COALESCE(c.replied_at, c.resolved_at) IS NOT NULL OR c.reply_due_at < $4) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.resolve_due_at IS NOT NULL AND c.resolved_at IS NOT NULL AND c.resolved_at <= c.resolve_due_at THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.resolve_due_at IS NOT NULL AND (c.resolved_at IS NOT NULL OR c.resolve_due_at < $4) THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.rating <> '' THEN 1 ELSE 0 END), 0)`

// ServiceStats computes the figures of a town for records created in [from, to).
func (db *DB) ServiceStats(ctx context.Context, townID int64, from, to time.Time) (ServiceFigures, error) {
	f := ServiceFigures{PostsByKind: map[board.Kind]int{}, CasesByChannel: map[casework.Channel]int{}}
	from, to = from.UTC(), to.UTC()
	rows, err := db.sql.QueryContext(ctx, `SELECT kind, COUNT(*), COALESCE(SUM(CASE WHEN resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0)
		FROM board_posts WHERE town_id = $1 AND created_at >= $2 AND created_at < $3 GROUP BY kind`, townID, from, to)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var kind string
		var n, resolved int
		if err := rows.Scan(&kind, &n, &resolved); err != nil {
			rows.Close()
			return f, err
		}
		k := board.Kind(kind)
		f.PostsByKind[k] = n
		if k == board.Consultation || k == board.HelpRequest {
			f.HelpRequests += n
			f.HelpRequestsResolved += resolved
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	f.Suggestions = f.PostsByKind[board.Suggestion]
	var chatsResolved int
	if err := db.sql.QueryRowContext(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN resolved THEN 1 ELSE 0 END), 0) FROM chats
		WHERE town_id = $1 AND created_at >= $2 AND created_at < $3`, townID, from, to).Scan(&f.Chats, &chatsResolved); err != nil {
		return f, err
	}
	f.HelpRequests += f.Chats
	f.HelpRequestsResolved += chatsResolved

	now := db.now()
	err = db.sql.QueryRowContext(ctx, `SELECT COUNT(*),
		COALESCE(SUM(CASE WHEN `+solvedCond+` THEN 1 ELSE 0 END), 0),
		`+caseRateSums+`,
		COALESCE(SUM(CASE WHEN c.category = 'dispute' THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN c.category = 'dispute' AND c.local AND NOT c.escalated AND `+solvedCond+` THEN 1 ELSE 0 END), 0)
		FROM cases c WHERE c.town_id = $1 AND c.registered_at >= $2 AND c.registered_at < $3 AND c.merged_into IS NULL`,
		townID, from, to, now).Scan(&f.Cases, &f.CasesResolved, &f.ReplyOnTime.Num, &f.ReplyOnTime.Den, &f.ResolveOnTime.Num, &f.ResolveOnTime.Den,
		&f.Satisfaction.Num, &f.Satisfaction.Den, &f.Disputes, &f.DisputesSettledLocal)
	if err != nil {
		return f, err
	}
	// Posts rated without a case, and rated chats, count in the satisfaction rate too.
	var num, den int
	if err := db.sql.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN p.rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN p.rating <> '' THEN 1 ELSE 0 END), 0) FROM board_posts p
		WHERE p.town_id = $1 AND p.created_at >= $2 AND p.created_at < $3 AND NOT EXISTS (SELECT 1 FROM cases c WHERE c.post_id = p.id)`,
		townID, from, to).Scan(&num, &den); err != nil {
		return f, err
	}
	f.Satisfaction.Num, f.Satisfaction.Den = f.Satisfaction.Num+num, f.Satisfaction.Den+den
	if err := db.sql.QueryRowContext(ctx, `SELECT COALESCE(SUM(CASE WHEN rating IN ('satisfied', 'basically') THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN rating <> '' THEN 1 ELSE 0 END), 0) FROM chats WHERE town_id = $1 AND created_at >= $2 AND created_at < $3`,
		townID, from, to).Scan(&num, &den); err != nil {
		return f, err
	}
	f.Satisfaction.Num, f.Satisfaction.Den = f.Satisfaction.Num+num, f.Satisfaction.Den+den

	rows, err = db.sql.QueryContext(ctx, `SELECT channel, COUNT(*) FROM cases WHERE town_id = $1 AND registered_at >= $2 AND registered_at < $3
		AND merged_into IS NULL GROUP BY channel`, townID, from, to)
	if err != nil {
		return f, err
	}
	for rows.Next() {
		var ch string
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			rows.Close()
			return f, err
		}
		f.CasesByChannel[casework.Channel(ch)] = n
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return f, err
	}
	f.CoordinationMatters = f.CasesByChannel[casework.ChannelCoordination]
	return f, db.serviceDurations(ctx, &f, townID, from, to)
}

// serviceDurations averages the hours from the first dispatch to acknowledgement, reply and
// resolution over the dispatched cases registered in [from, to) that reached the step after
// dispatch. A case resolved without a separate reply counts as answered at its resolution, as
// in the on-time reply rate.
func (db *DB) serviceDurations(ctx context.Context, f *ServiceFigures, townID int64, from, to time.Time) error {
	rows, err := db.sql.QueryContext(ctx, `SELECT dispatched_at, acknowledged_at, replied_at, resolved_at FROM cases
		WHERE town_id = $1 AND registered_at >= $2 AND registered_at < $3 AND dispatched_at IS NOT NULL`, townID, from, to)
	if err != nil {
		return err
	}
	defer rows.Close()
	means := [3]*Mean{&f.AvgHoursToAck, &f.AvgHoursToReply, &f.AvgHoursToResolve}
	for rows.Next() {
		var dispatched time.Time
		var ack, replied, resolved sql.NullTime
		if err := rows.Scan(&dispatched, &ack, &replied, &resolved); err != nil {
			return err
		}
		if !replied.Valid {
			replied = resolved
		}
		for i, step := range [3]sql.NullTime{ack, replied, resolved} {
			if step.Valid && step.Time.After(dispatched) {
				means[i].Sum += step.Time.Sub(dispatched).Hours()
				means[i].N++
			}
		}
	}
	return rows.Err()
}

// UnitFigures is one unit's line of the per-unit table the center may publish.
type UnitFigures struct {
	OrgName       string
	Dispatched    int
	Acknowledged  int
	RepliedOnTime int
	Resolved      int
	Overdue       int
}

// ServiceUnitStats counts, per unit, the lead assignments dispatched to it in [from, to).
func (db *DB) ServiceUnitStats(ctx context.Context, townID int64, from, to time.Time) ([]UnitFigures, error) {
	now := db.now()
	rows, err := db.sql.QueryContext(ctx, `SELECT o.name, COUNT(*),
		COALESCE(SUM(CASE WHEN a.acknowledged_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN COALESCE(a.replied_at, a.resolved_at) <= a.reply_due_at THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN a.resolved_at IS NOT NULL THEN 1 ELSE 0 END), 0),
		COALESCE(SUM(CASE WHEN a.active AND a.resolved_at IS NULL AND a.resolve_due_at < $4
			AND c.state IN ('dispatched', 'acknowledged', 'in_progress', 'replied') THEN 1 ELSE 0 END), 0)
		FROM case_assignments a JOIN cases c ON c.id = a.case_id JOIN orgs o ON o.id = a.org_id
		WHERE c.town_id = $1 AND a.lead AND a.dispatched_at >= $2 AND a.dispatched_at < $3
		GROUP BY o.id, o.name, o.sort_order ORDER BY COUNT(*) DESC, o.sort_order, o.id`, townID, from.UTC(), to.UTC(), now)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []UnitFigures
	for rows.Next() {
		var u UnitFigures
		if err := rows.Scan(&u.OrgName, &u.Dispatched, &u.Acknowledged, &u.RepliedOnTime, &u.Resolved, &u.Overdue); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, rows.Err()
}
