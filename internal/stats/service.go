package stats

import (
	"context"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/store"
)

// Service adds the public-service platform's figures; docs/STATS.md describes each key.
func Service(ctx context.Context, db *store.DB, townID int64, p Period, out Figures) error {
	f, err := db.ServiceStats(ctx, townID, p.Start(), p.End())
	if err != nil {
		return err
	}
	byKind := map[string]int{}
	for _, k := range board.Kinds {
		byKind[string(k)] = f.PostsByKind[k]
	}
	byChannel := map[string]int{}
	for _, c := range casework.Channels {
		byChannel[string(c)] = f.CasesByChannel[c]
	}
	local := store.Ratio{Num: f.DisputesSettledLocal, Den: f.Disputes}
	out["posts_by_kind"] = byKind
	out["suggestions"] = f.Suggestions
	out["help_requests"] = f.HelpRequests
	out["help_requests_resolved"] = f.HelpRequestsResolved
	out["live_chats"] = f.Chats
	out["cases_by_channel"] = byChannel
	out["cases"] = f.Cases
	out["cases_resolved"] = f.CasesResolved
	out["reply_on_time_rate"] = rate(f.ReplyOnTime)
	out["resolve_on_time_rate"] = rate(f.ResolveOnTime)
	out["satisfaction_rate"] = rate(f.Satisfaction)
	out["disputes"] = f.Disputes
	out["disputes_settled_locally"] = f.DisputesSettledLocal
	out["disputes_settled_locally_rate"] = rate(local)
	out["coordination_matters"] = f.CoordinationMatters
	out["avg_hours_to_acknowledge"] = average(f.AvgHoursToAck)
	out["avg_hours_to_reply"] = average(f.AvgHoursToReply)
	out["avg_hours_to_resolve"] = average(f.AvgHoursToResolve)
	return nil
}
