package web_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/store/storetest"
)

// TestColumnUpdateInterval edits a column's update interval through the column form and
// checks that bad values are rejected with a Chinese message.
func TestColumnUpdateInterval(t *testing.T) {
	storetest.Each(t, func(t *testing.T, db *store.DB) {
		site := newDemoSite(t, db)
		cols, err := db.ListColumns(context.Background(), site.town.TownID, true)
		if err != nil {
			t.Fatal(err)
		}
		col := cols[0]
		editor := site.signIn(t, "editor")
		form := func(interval string) url.Values {
			return url.Values{"name": {col.Name}, "slug": {col.Slug}, "kind": {string(col.Kind)}, "parent_id": {"0"},
				"sort_order": {fmt.Sprint(col.SortOrder)}, "visible": {"1"}, "update_interval_days": {interval}}
		}
		submit := func(interval string) (int, string) {
			res, err := editor.PostForm(fmt.Sprintf("%s/admin/columns/%d", site.ts.URL, col.ID), form(interval))
			if err != nil {
				t.Fatal(err)
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			return res.StatusCode, string(b)
		}

		if code, _ := submit("45"); code != http.StatusSeeOther {
			t.Fatalf("saving an interval of 45 days: status %d, want 303", code)
		}
		got, err := db.GetColumn(context.Background(), site.town.TownID, col.ID)
		if err != nil {
			t.Fatal(err)
		}
		if got.UpdateIntervalDays != 45 {
			t.Errorf("stored interval = %d, want 45", got.UpdateIntervalDays)
		}
		if _, list, _ := get(t, editor, site.ts.URL+"/admin/columns"); !strings.Contains(list, "45 天") {
			t.Error("column list does not show the interval 45 天")
		}
		if _, edit, _ := get(t, editor, fmt.Sprintf("%s/admin/columns/%d/edit", site.ts.URL, col.ID)); !strings.Contains(edit, `name="update_interval_days" value="45"`) {
			t.Error("column form does not show the stored interval")
		}

		for _, bad := range []string{"abc", "-1", fmt.Sprint(domain.MaxUpdateInterval + 1), "1e3"} {
			code, page := submit(bad)
			if code != http.StatusUnprocessableEntity {
				t.Errorf("interval %q: status %d, want 422", bad, code)
			}
			if !strings.Contains(page, "更新周期应为 0 到") {
				t.Errorf("interval %q: the page does not explain the allowed range", bad)
			}
		}
		if got, _ := db.GetColumn(context.Background(), site.town.TownID, col.ID); got.UpdateIntervalDays != 45 {
			t.Errorf("a rejected form changed the interval to %d", got.UpdateIntervalDays)
		}

		if code, _ := submit("0"); code != http.StatusSeeOther {
			t.Fatalf("saving interval 0: status %d, want 303", code)
		}
		if _, list, _ := get(t, editor, site.ts.URL+"/admin/columns"); !strings.Contains(list, "不检查") {
			t.Error("column list does not show 不检查 for interval 0")
		}
	})
}
