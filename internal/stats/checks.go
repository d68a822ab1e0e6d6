package stats

import (
	"context"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
)

// CaseGroup is one row of the per-unit (units) or per-village (villages) table: the cases of
// the period with the parts of the three rates the town-wide figures also use. A rate is nil
// when nothing counts towards it.
type CaseGroup struct {
	OrgID             int64    `json:"org_id"`
	Name              string   `json:"name"`
	Cases             int      `json:"cases"`
	RepliedOnTime     int      `json:"replied_on_time"`
	ReplyCounted      int      `json:"reply_counted"`
	ReplyOnTimeRate   *float64 `json:"reply_on_time_rate"`
	ResolvedOnTime    int      `json:"resolved_on_time"`
	ResolveCounted    int      `json:"resolve_counted"`
	ResolveOnTimeRate *float64 `json:"resolve_on_time_rate"`
	Satisfied         int      `json:"satisfied"`
	Rated             int      `json:"rated"`
	SatisfactionRate  *float64 `json:"satisfaction_rate"`
}

// StaleColumn is a portal column whose newest article is older than its update interval.
type StaleColumn struct {
	ColumnID           int64  `json:"column_id"`
	Name               string `json:"name"`
	UpdateIntervalDays int    `json:"update_interval_days"`
	// LastPublished is the Beijing date of the newest article, "" when the column has none.
	LastPublished string `json:"last_published"`
	// DaysSince counts calendar days from LastPublished to the check day; nil without articles.
	DaysSince *int `json:"days_since"`
}

// WaitingPost is an accepted message-board post without an answer on the check day.
type WaitingPost struct {
	PostID      int64  `json:"post_id"`
	Kind        string `json:"kind"`
	Title       string `json:"title"`
	Submitted   string `json:"submitted"`
	DaysWaiting int    `json:"days_waiting"`
	ReplyDue    string `json:"reply_due"`
	Overdue     bool   `json:"overdue"`
}

// OldestPostsShown is how many of the oldest unanswered posts the figures list.
const OldestPostsShown = 10

// PostReplyLimit is the reply limit of a message-board post in working days. Posts have no
// limit of their own, so they take the reply limit of a case of the category 其他.
func PostReplyLimit() int {
	info, _ := casework.CategoryOther.Info()
	return info.Limits.Reply
}

// CheckDay returns the moment the checks of p look at, the end of the period or now when the
// period has not ended yet, and its Beijing date.
func CheckDay(p Period, now time.Time) (time.Time, time.Time) {
	if now.Before(p.End()) {
		n := now.In(domain.Shanghai)
		return now, time.Date(n.Year(), n.Month(), n.Day(), 0, 0, 0, 0, domain.Shanghai)
	}
	return p.End(), p.To
}

// Checks adds the tables a town's staff check next to the figures: cases per unit and per
// village, stale columns and unanswered posts. docs/STATS.md defines each key.
func Checks(ctx context.Context, db *store.DB, townID int64, p Period, out Figures) error {
	units, err := db.CaseStatsByUnit(ctx, townID, p.Start(), p.End())
	if err != nil {
		return err
	}
	villages, err := db.CaseStatsByVillage(ctx, townID, p.Start(), p.End())
	if err != nil {
		return err
	}
	out["units"] = caseGroups(units)
	out["villages"] = caseGroups(villages)

	asOf, day := CheckDay(p, db.Now())
	out["checked_on"] = domain.FormatDate(day)
	stale, err := staleColumns(ctx, db, townID, asOf, day)
	if err != nil {
		return err
	}
	out["stale_columns"] = stale
	return unansweredPosts(ctx, db, townID, asOf, day, out)
}

func caseGroups(rows []store.CaseGroupFigures) []CaseGroup {
	out := make([]CaseGroup, 0, len(rows))
	for _, r := range rows {
		out = append(out, CaseGroup{OrgID: r.OrgID, Name: r.OrgName, Cases: r.Cases,
			RepliedOnTime: r.ReplyOnTime.Num, ReplyCounted: r.ReplyOnTime.Den, ReplyOnTimeRate: optionalRate(r.ReplyOnTime),
			ResolvedOnTime: r.ResolveOnTime.Num, ResolveCounted: r.ResolveOnTime.Den, ResolveOnTimeRate: optionalRate(r.ResolveOnTime),
			Satisfied: r.Satisfaction.Num, Rated: r.Satisfaction.Den, SatisfactionRate: optionalRate(r.Satisfaction)})
	}
	return out
}

func optionalRate(r store.Ratio) *float64 {
	if r.Den == 0 {
		return nil
	}
	v := r.Rate()
	return &v
}

func staleColumns(ctx context.Context, db *store.DB, townID int64, asOf, day time.Time) ([]StaleColumn, error) {
	cols, err := db.ListColumns(ctx, townID, false)
	if err != nil {
		return nil, err
	}
	latest, err := db.LatestPublished(ctx, townID, asOf)
	if err != nil {
		return nil, err
	}
	out := []StaleColumn{}
	for _, c := range cols {
		if c.UpdateIntervalDays <= 0 || c.Kind == domain.ColumnLink {
			continue
		}
		row := StaleColumn{ColumnID: c.ID, Name: c.Name, UpdateIntervalDays: c.UpdateIntervalDays}
		if at, ok := latest[c.ID]; ok {
			days := daysBetween(at, day)
			if days <= c.UpdateIntervalDays {
				continue
			}
			row.LastPublished, row.DaysSince = domain.FormatDate(at), &days
		}
		out = append(out, row)
	}
	return out, nil
}

// daysBetween counts the calendar days from the Beijing date of t to day.
func daysBetween(t, day time.Time) int {
	s := t.In(domain.Shanghai)
	start := time.Date(s.Year(), s.Month(), s.Day(), 0, 0, 0, 0, domain.Shanghai)
	return int(day.Sub(start).Hours()/24 + 0.5)
}

func unansweredPosts(ctx context.Context, db *store.DB, townID int64, asOf, day time.Time, out Figures) error {
	posts, err := db.UnansweredPosts(ctx, townID, asOf)
	if err != nil {
		return err
	}
	cal, err := db.Calendar(ctx)
	if err != nil {
		return err
	}
	limit := PostReplyLimit()
	overdue := 0
	oldest := []WaitingPost{}
	for _, p := range posts {
		due := cal.Deadline(p.CreatedAt, limit)
		late := due.Before(asOf)
		if late {
			overdue++
		}
		if len(oldest) < OldestPostsShown {
			oldest = append(oldest, WaitingPost{PostID: p.ID, Kind: string(p.Kind), Title: p.Title, Submitted: domain.FormatDate(p.CreatedAt),
				DaysWaiting: daysBetween(p.CreatedAt, day), ReplyDue: domain.FormatDate(due), Overdue: late})
		}
	}
	out["unanswered_posts"] = len(posts)
	out["unanswered_posts_overdue"] = overdue
	out["unanswered_posts_oldest"] = oldest
	return nil
}
