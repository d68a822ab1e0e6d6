package demo

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/richtext"
	"pingan/internal/store"
)

// AddArchive imports n generated published articles, dated in the ten years before the demo's
// period, into the demo town's columns. It exists to measure the portal with a large archive;
// the articles reuse the demo's sentences, so their texts repeat.
func AddArchive(ctx context.Context, db *store.DB, town *Town, n int) error {
	cols, err := db.ListColumns(ctx, town.TownID, false)
	if err != nil {
		return err
	}
	ids := map[string]int64{}
	for _, c := range cols {
		ids[c.Name] = c.ID
	}
	rng := rand.New(rand.NewPCG(uint64(n), 7))
	actor := domain.Actor{TownID: town.TownID, OrgID: town.CenterID, Name: "演示数据", IP: "local", Roles: []domain.Role{domain.RoleEditor}}
	span := int64(10 * 365 * 24 * time.Hour / time.Minute)
	const chunk = 5000
	for done := 0; done < n; done += chunk {
		batch := make([]domain.Article, 0, min(chunk, n-done))
		for range cap(batch) {
			c := demoColumns[rng.IntN(len(demoColumns))]
			it := c.items[rng.IntN(len(c.items))]
			village := demoVillages[rng.IntN(len(demoVillages))]
			at := town.From.Add(-time.Duration(1+rng.Int64N(span)) * time.Minute)
			var html strings.Builder
			html.WriteString("<p>" + fill(it.lead, village, at) + "</p>")
			for _, k := range rng.Perm(len(c.pool))[:min(len(c.pool), 2+rng.IntN(3))] {
				html.WriteString("<p>" + fill(c.pool[k], village, at) + "</p>")
			}
			html.WriteString("<p>" + closingParagraphs[rng.IntN(len(closingParagraphs))] + "</p>")
			body, text := richtext.Sanitize(html.String())
			kind, source := domain.SourceOriginal, ""
			if len(c.sources) > 0 && rng.IntN(2) == 0 {
				kind, source = domain.SourceReprint, c.sources[rng.IntN(len(c.sources))]
			}
			batch = append(batch, domain.Article{ColumnID: ids[c.name], Title: fill(it.title, village, at), Body: body, BodyText: text,
				SourceKind: kind, SourceName: source, Author: demoReporters[rng.IntN(len(demoReporters))], Editor: "钱晓燕",
				PublishAt: at, Views: int64(rng.IntN(40))})
		}
		if err := db.ImportPublished(ctx, actor, batch); err != nil {
			return fmt.Errorf("import archive: %w", err)
		}
	}
	return nil
}
