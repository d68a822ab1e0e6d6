package demo_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/password"
	"pingan/internal/search"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// searchQueries are 30 words a visitor of the demo portal might search for: two-character words,
// longer phrases, place names and single characters.
var searchQueries = []string{"禁毒", "消防", "纠纷", "调解", "安全", "诈骗", "网格", "巡防", "志愿者", "交通安全",
	"公安", "派出所", "司法所", "新居民", "出租房", "隐患", "宣传", "平安", "越丰村", "扶国桥",
	"腌菜", "卤水", "生态环境", "电动自行车", "防溺水", "燃气", "老人", "学校", "禁", "火"}

// TestDemoSearchFindsEveryMatch checks the index against the text itself: for each query, the
// search returns exactly the public articles whose title, subtitle or body contains it, and the
// same ones on SQLite and PostgreSQL.
func TestDemoSearchFindsEveryMatch(t *testing.T) {
	hits := map[string]string{}
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		ctx := context.Background()
		until, _ := domain.ParseDate("2026-06-30")
		town, err := demo.Load(ctx, db, password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 2),
			demo.Options{Until: until, Steps: []demo.Step{demo.Portal}, Files: files.Disk{Dir: t.TempDir()}})
		if err != nil {
			t.Fatal(err)
		}
		now := db.Now()
		all, total, _, err := db.PublicArticles(ctx, town.TownID, 0, store.Page{Number: 1, Size: 200}, now)
		if err != nil || total > 200 {
			t.Fatalf("public articles: %d, %v", total, err)
		}
		var out strings.Builder
		for _, q := range searchQueries {
			var want []int64
			for _, a := range all {
				full, err := db.PublicArticle(ctx, town.TownID, a.ID, now)
				if err != nil {
					t.Fatal(err)
				}
				if strings.Contains(full.Title, q) || strings.Contains(full.Subtitle, q) || strings.Contains(full.BodyText, q) {
					want = append(want, a.ID)
				}
			}
			start := time.Now()
			res, err := db.SearchArticles(ctx, town.TownID, store.SearchFilter{Terms: search.ParseQuery(q)}, store.Page{Number: 1, Size: 200}, now)
			if err != nil {
				t.Fatalf("search %q: %v", q, err)
			}
			elapsed := time.Since(start)
			var got []int64
			for _, a := range res.Articles {
				got = append(got, a.ID)
			}
			slices.Sort(got)
			slices.Sort(want)
			if fmt.Sprint(got) != fmt.Sprint(want) || res.Total != len(want) {
				t.Errorf("search %q: %d hits (total %d), want the %d articles containing it", q, len(got), res.Total, len(want))
			}
			fmt.Fprintf(&out, "%s:%v ", q, got)
			t.Logf("%-6s %3d hits in %s", q, len(got), elapsed.Round(time.Microsecond))
		}
		hits[db.Dialect()] = out.String()
	})
	if hits["sqlite"] != hits["postgres"] {
		t.Error("SQLite and PostgreSQL return different hits")
	}
}
