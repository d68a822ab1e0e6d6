package demo

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"

	"pingan/internal/domain"
)

// TestDemoArticlesFallInSeason plans the portal for a period ending in each month of a year and
// checks that every seasonal article is dated in its season while each column keeps its counts.
func TestDemoArticlesFallInSeason(t *testing.T) {
	for month := time.January; month <= time.December; month++ {
		until := time.Date(2025, month, 20, 0, 0, 0, 0, domain.Shanghai)
		b := &portalBuilder{town: &Town{From: until.AddDate(0, -6, 1), Until: until}, rng: rand.New(rand.NewPCG(1, 2))}
		plans := b.plan()

		kinds := map[string]map[domain.SourceKind]int{}
		titles := map[string]bool{}
		for _, p := range plans {
			if kinds[p.column] == nil {
				kinds[p.column] = map[domain.SourceKind]int{}
			}
			kinds[p.column][p.kind]++
			if titles[p.column+p.item.title] {
				t.Errorf("until %s: %s has %q twice", until.Format("2006-01"), p.column, p.item.title)
			}
			titles[p.column+p.item.title] = true
			if season, ok := seasonalItems[p.item.title]; ok && !slices.Contains(season.months, p.at.In(domain.Shanghai).Month()) {
				t.Errorf("until %s: %q published %s, out of its season %v", until.Format("2006-01"), p.item.title, p.at.In(domain.Shanghai).Format("2006-01-02"), season.months)
			}
			if _, ok := seasonalItems[p.item.title]; !ok && strings.Contains(p.item.title+p.item.lead, "国庆") {
				t.Errorf("until %s: %q names a holiday without a season", until.Format("2006-01"), p.item.title)
			}
		}
		for _, c := range demoColumns {
			got := kinds[c.name]
			if got[domain.SourceContribution] != c.contrib || got[domain.SourceReprint] != c.reprinted {
				t.Errorf("until %s: %s has %d contributions and %d reprints, want %d and %d", until.Format("2006-01"), c.name,
					got[domain.SourceContribution], got[domain.SourceReprint], c.contrib, c.reprinted)
			}
		}
	}
}

// TestSeasonalReplacementsKeepShape checks that an out-of-season article's replacement is counted
// the same way: village placeholder, contributor and the town's name in the title decide whether
// the plan makes it a contribution or a reprint.
func TestSeasonalReplacementsKeepShape(t *testing.T) {
	known := map[string]bool{}
	for _, c := range demoColumns {
		for _, it := range c.items {
			known[it.title] = true
		}
	}
	for title, season := range seasonalItems {
		if !known[title] {
			t.Errorf("seasonal title %q is not in demoColumns", title)
		}
		if len(season.months) == 0 {
			t.Errorf("%q has no months", title)
		}
		in := season.instead
		if strings.Contains(title, "{v}") != strings.Contains(in.title, "{v}") ||
			strings.Contains(title, "高桥") != strings.Contains(in.title, "高桥") || in.org != "" {
			t.Errorf("replacement %q of %q has another shape", in.title, title)
		}
		if known[in.title] {
			t.Errorf("replacement %q repeats an article of the column", in.title)
		}
	}
	for month := time.January; month <= time.December; month++ {
		if tip := holidayTips[month]; tip[0] == "" || tip[1] == "" {
			t.Errorf("no scheduled tip for %s", month)
		}
	}
}
