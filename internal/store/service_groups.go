package store

import (
	"context"
	"sort"
	"time"

	"pingan/internal/domain"
)

// CaseGroupFigures are the cases of one organization registered in a period, with the parts
// of the same three rates as ServiceFigures.
type CaseGroupFigures struct {
	OrgID         int64
	OrgName       string
	Cases         int
	ReplyOnTime   Ratio
	ResolveOnTime Ratio
	Satisfaction  Ratio
}

// lastLeadCond is true for the assignment a that is the newest lead assignment of case c. A
// re-dispatch adds a new lead row, so every dispatched case has exactly one.
const lastLeadCond = `a.lead AND a.id = (SELECT MAX(l.id) FROM case_assignments l WHERE l.case_id = c.id AND l.lead)`

// CaseStatsByUnit groups the cases registered in [from, to) by the organization of their
// newest lead assignment, so each dispatched case counts for exactly one unit and the sums of
// the rows' ratios equal the town's case ratios. Cases never dispatched are in no row.
// Rows come largest first, then in the order of the organization tree.
func (db *DB) CaseStatsByUnit(ctx context.Context, townID int64, from, to time.Time) ([]CaseGroupFigures, error) {
	rows, err := db.sql.QueryContext(ctx, `SELECT o.id, o.name, o.sort_order, COUNT(*), `+caseRateSums+`
		FROM cases c JOIN case_assignments a ON a.case_id = c.id AND `+lastLeadCond+` JOIN orgs o ON o.id = a.org_id
		WHERE c.town_id = $1 AND c.registered_at >= $2 AND c.registered_at < $3 AND c.merged_into IS NULL
		GROUP BY o.id, o.name, o.sort_order`, townID, from.UTC(), to.UTC(), db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []CaseGroupFigures
	order := map[int64]int{}
	for rows.Next() {
		var g CaseGroupFigures
		var sortOrder int
		if err := rows.Scan(&g.OrgID, &g.OrgName, &sortOrder, &g.Cases, &g.ReplyOnTime.Num, &g.ReplyOnTime.Den,
			&g.ResolveOnTime.Num, &g.ResolveOnTime.Den, &g.Satisfaction.Num, &g.Satisfaction.Den); err != nil {
			return nil, err
		}
		order[g.OrgID] = sortOrder
		out = append(out, g)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	sortGroups(out, order)
	return out, nil
}

// CaseStatsByVillage groups the cases registered in [from, to) by the village (村/社区) of the
// organization that registered them: the village itself, or the village above a village group
// or grid. Cases the center or a unit registered (from the board, chats, phone calls) are in
// no row, because the citizen's address is encrypted free text and names no village.
func (db *DB) CaseStatsByVillage(ctx context.Context, townID int64, from, to time.Time) ([]CaseGroupFigures, error) {
	orgs, err := db.townOrgs(ctx, db.sql, townID)
	if err != nil {
		return nil, err
	}
	rows, err := db.sql.QueryContext(ctx, `SELECT c.origin_org_id, COUNT(*), `+caseRateSums+`
		FROM cases c WHERE c.town_id = $1 AND c.registered_at >= $2 AND c.registered_at < $3 AND c.merged_into IS NULL
		GROUP BY c.origin_org_id`, townID, from.UTC(), to.UTC(), db.now())
	if err != nil {
		return nil, err
	}
	defer rows.Close()

	byVillage := map[int64]*CaseGroupFigures{}
	for rows.Next() {
		var origin int64
		var g CaseGroupFigures
		if err := rows.Scan(&origin, &g.Cases, &g.ReplyOnTime.Num, &g.ReplyOnTime.Den,
			&g.ResolveOnTime.Num, &g.ResolveOnTime.Den, &g.Satisfaction.Num, &g.Satisfaction.Den); err != nil {
			return nil, err
		}
		village, ok := orgs[localRoot(orgs, origin)]
		if !ok || village.Kind != domain.OrgVillage {
			continue
		}
		sum := byVillage[village.ID]
		if sum == nil {
			sum = &CaseGroupFigures{OrgID: village.ID, OrgName: village.Name}
			byVillage[village.ID] = sum
		}
		sum.Cases += g.Cases
		sum.ReplyOnTime = sum.ReplyOnTime.add(g.ReplyOnTime)
		sum.ResolveOnTime = sum.ResolveOnTime.add(g.ResolveOnTime)
		sum.Satisfaction = sum.Satisfaction.add(g.Satisfaction)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}

	out := make([]CaseGroupFigures, 0, len(byVillage))
	order := map[int64]int{}
	for id, g := range byVillage {
		out = append(out, *g)
		order[id] = orgs[id].SortOrder
	}
	sortGroups(out, order)
	return out, nil
}

func (r Ratio) add(o Ratio) Ratio { return Ratio{Num: r.Num + o.Num, Den: r.Den + o.Den} }

// sortGroups orders rows by case count, largest first, then by the organizations' sort order
// and id, so that the order is stable.
func sortGroups(rows []CaseGroupFigures, sortOrder map[int64]int) {
	sort.Slice(rows, func(i, j int) bool {
		a, b := rows[i], rows[j]
		if a.Cases != b.Cases {
			return a.Cases > b.Cases
		}
		if sortOrder[a.OrgID] != sortOrder[b.OrgID] {
			return sortOrder[a.OrgID] < sortOrder[b.OrgID]
		}
		return a.OrgID < b.OrgID
	})
}
