package stats

import (
	"context"

	"pingan/internal/domain"
	"pingan/internal/store"
)

// Portal adds the news portal's figures; docs/STATS.md defines each key.
func Portal(ctx context.Context, db *store.DB, townID int64, p Period, out Figures) error {
	f, err := db.PortalStats(ctx, townID, p.Start(), p.End(), domain.FormatDate(p.From), domain.FormatDate(p.To))
	if err != nil {
		return err
	}
	out["articles_published"] = f.Published
	out["articles_original"] = f.Original
	out["articles_reprinted_or_contributed"] = f.ReprintedOrContributed
	out["articles_by_column"] = f.ByColumn
	out["contributions_by_org"] = f.ContributionsByOrg
	out["page_views"] = f.PageViews
	return nil
}

// PortalLabels are the Chinese labels of the portal's keys, for the statistics page and export.
var PortalLabels = map[string]string{
	"articles_published":                "发布稿件",
	"articles_original":                 "自采自编稿件",
	"articles_reprinted_or_contributed": "转载及村（社区）供稿",
	"articles_by_column":                "各栏目发布稿件",
	"contributions_by_org":              "各单位投稿",
	"page_views":                        "稿件浏览量",
}
