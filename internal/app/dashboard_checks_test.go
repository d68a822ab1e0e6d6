package app

import (
	"context"
	"database/sql"
	"encoding/json"
	"flag"
	"fmt"
	"html"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/casework"
	"pingan/internal/config"
	"pingan/internal/domain"
	"pingan/internal/stats"
	"pingan/internal/store/storetest"
)

// checkRow is one expected row of the per-unit or per-village table.
type checkRow struct {
	name                                              string
	cases, replyNum, replyDen, resolveNum, resolveDen int
	satisfied, rated                                  int
}

func (r checkRow) rates() [3]string {
	f := func(num, den int) string {
		if den == 0 {
			return "—"
		}
		return stats.Format(stats.Figure{Shape: stats.Rate}, float64(int(float64(num)/float64(den)*10000+0.5))/10000)
	}
	return [3]string{f(r.replyNum, r.replyDen), f(r.resolveNum, r.resolveDen), f(r.satisfied, r.rated)}
}

// expectedChecks are the check tables of the demo's half year, computed from the raw rows.
type expectedChecks struct {
	units, villages map[int64]*checkRow
	town            checkRow
	stale           map[int64][2]string // column id → last published date ("" without articles), days since
	unanswered      map[int64]bool      // post id → past its reply limit
}

// TestDashboardChecksAgree loads the demo on each database and checks that the per-unit and
// per-village tables, the stale columns and the unanswered posts agree between
// `pingan stats --json`, the dashboard page, its .xlsx export and values computed here from
// the stored rows.
func TestDashboardChecksAgree(t *testing.T) {
	for _, dialect := range storetest.Dialects {
		t.Run(dialect, func(t *testing.T) {
			data := t.TempDir()
			env := map[string]string{"PINGAN_DATA": data}
			if dialect == "postgres" {
				env["PINGAN_DATABASE_URL"] = storetest.NewPostgresSchema(t)
			}
			if _, _, err := run(t, env, "", "demo", "--until", "2026-12-04"); err != nil {
				t.Fatal(err)
			}
			from, to := "2026-06-05", "2026-12-04"
			want := computeChecks(t, env, from, to)
			if len(want.stale) == 0 || len(want.unanswered) == 0 || len(want.villages) < 3 {
				t.Fatalf("demo shows too little: %d stale columns, %d unanswered posts, %d villages", len(want.stale), len(want.unanswered), len(want.villages))
			}

			out, _, err := run(t, env, "", "stats", "--from", from, "--to", to, "--json")
			if err != nil {
				t.Fatal(err)
			}
			var figs map[string]json.RawMessage
			if err := json.Unmarshal([]byte(out), &figs); err != nil {
				t.Fatal(err)
			}
			checkJSONGroups(t, "units", figs["units"], want.units)
			checkJSONGroups(t, "villages", figs["villages"], want.villages)
			checkJSONStale(t, figs["stale_columns"], want.stale)
			checkJSONPosts(t, figs, want.unanswered)
			checkTownRelation(t, want, figs)

			addr, _ := startServer(t, env)
			c := signIn(t, addr, data, "coordinator")
			// The coordinator's case list contains only coordination matters, so its dashboard
			// shows the case tables without links. The dispatcher's dashboard links every case
			// and every post, and its links are followed.
			dispatcher := signIn(t, addr, data, "dispatcher")
			editor := signIn(t, addr, data, "editor")
			query := "?from=" + from + "&to=" + to
			page := fetch(t, c, "http://"+addr+"/admin/dashboard"+query)
			checkPageGroups(t, c, addr, page, "units", want.units)
			checkPageGroups(t, c, addr, page, "villages", want.villages)
			checkPageStale(t, page, want.stale)
			if strings.Contains(tableOf(page, "units"), "<a href") {
				t.Error("the coordinator's unit table links case lists the coordinator sees only in part")
			}
			page = fetch(t, dispatcher, "http://"+addr+"/admin/dashboard"+query)
			checkPageGroups(t, dispatcher, addr, page, "units", want.units)
			checkPageGroups(t, dispatcher, addr, page, "villages", want.villages)
			checkPageStale(t, fetch(t, editor, "http://"+addr+"/admin/dashboard"+query), want.stale)
			checkPagePosts(t, page, want.unanswered)
			report := fetch(t, c, "http://"+addr+"/admin/dashboard/report"+query)
			for _, heading := range []string{"各承办单位办理情况", "各村（社区）工单情况", "栏目更新检查", "留言未答复"} {
				if !strings.Contains(report, heading) {
					t.Errorf("report lacks the section %s", heading)
				}
			}

			x, err := excelize.OpenReader(strings.NewReader(fetch(t, c, "http://"+addr+"/admin/dashboard/export.xlsx"+query)))
			if err != nil {
				t.Fatalf("export does not open: %v", err)
			}
			checkSheetGroups(t, x, "各承办单位", want.units)
			checkSheetGroups(t, x, "各村（社区）", want.villages)
			checkSheetStale(t, x, want.stale)
			checkSheetPosts(t, x, want.unanswered)
		})
	}
}

func signIn(t *testing.T, addr, data, username string) *http.Client {
	t.Helper()
	accounts, _ := os.ReadFile(filepath.Join(data, "demo-accounts.txt"))
	m := regexp.MustCompile(`(?m)^  ` + username + `\s+(\S+)`).FindSubmatch(accounts)
	if m == nil {
		t.Fatalf("no %s in demo-accounts.txt", username)
	}
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	res, err := c.PostForm("http://"+addr+"/signin", url.Values{"username": {username}, "password": {string(m[1])}})
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return c
}

// computeChecks reads the stored rows and applies the documented rules in plain Go.
func computeChecks(t *testing.T, env map[string]string, from, to string) expectedChecks {
	t.Helper()
	ctx := context.Background()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	finish := config.Flags(fs, envOf(env))
	if err := fs.Parse(nil); err != nil {
		t.Fatal(err)
	}
	cfg, err := finish()
	if err != nil {
		t.Fatal(err)
	}
	e, err := open(ctx, cfg)
	if err != nil {
		t.Fatal(err)
	}
	defer e.Close()
	db := e.db.SQL()
	start, _ := domain.ParseDate(from)
	last, _ := domain.ParseDate(to)
	end := last.AddDate(0, 0, 1)
	now := time.Now()
	if now.Before(end) {
		t.Fatalf("the test expects the period %s to %s to have ended", from, to)
	}

	type org struct {
		parent int64
		kind   string
		name   string
	}
	orgs := map[int64]org{}
	eachRow(t, db, `SELECT id, COALESCE(parent_id, 0), kind, name FROM orgs`, func(scan func(...any)) {
		var id int64
		var o org
		scan(&id, &o.parent, &o.kind, &o.name)
		orgs[id] = o
	})
	villageOf := func(id int64) int64 {
		for hops := 0; id != 0 && hops < 20; hops++ {
			if orgs[id].kind == string(domain.OrgVillage) {
				return id
			}
			id = orgs[id].parent
		}
		return 0
	}
	lastLead := map[int64]int64{} // case → org of the lead assignment with the highest id
	leadID := map[int64]int64{}
	eachRow(t, db, `SELECT id, case_id, org_id FROM case_assignments WHERE lead`, func(scan func(...any)) {
		var id, caseID, orgID int64
		scan(&id, &caseID, &orgID)
		if id > leadID[caseID] {
			leadID[caseID], lastLead[caseID] = id, orgID
		}
	})

	want := expectedChecks{units: map[int64]*checkRow{}, villages: map[int64]*checkRow{}, stale: map[int64][2]string{}, unanswered: map[int64]bool{}}
	add := func(rows map[int64]*checkRow, id int64, one checkRow) {
		r := rows[id]
		if r == nil {
			r = &checkRow{name: orgs[id].name}
			rows[id] = r
		}
		r.cases += one.cases
		r.replyNum, r.replyDen = r.replyNum+one.replyNum, r.replyDen+one.replyDen
		r.resolveNum, r.resolveDen = r.resolveNum+one.resolveNum, r.resolveDen+one.resolveDen
		r.satisfied, r.rated = r.satisfied+one.satisfied, r.rated+one.rated
	}
	answeredCase := map[int64]time.Time{} // post → earliest reply or resolution of a case made from it
	eachRow(t, db, `SELECT id, origin_org_id, registered_at, merged_into IS NULL, COALESCE(post_id, 0), replied_at, resolved_at,
		reply_due_at, resolve_due_at, rating FROM cases`, func(scan func(...any)) {
		var id, origin, post int64
		var registered time.Time
		var unmerged bool
		var replied, resolved, replyDue, resolveDue sql.NullTime
		var rating string
		scan(&id, &origin, &registered, &unmerged, &post, &replied, &resolved, &replyDue, &resolveDue, &rating)
		answer := replied
		if !answer.Valid {
			answer = resolved
		}
		if post != 0 && answer.Valid {
			if at, ok := answeredCase[post]; !ok || answer.Time.Before(at) {
				answeredCase[post] = answer.Time
			}
		}
		if !unmerged || registered.Before(start) || !registered.Before(end) {
			return
		}
		one := checkRow{cases: 1}
		if replyDue.Valid && (answer.Valid || replyDue.Time.Before(now)) {
			one.replyDen = 1
			if answer.Valid && !answer.Time.After(replyDue.Time) {
				one.replyNum = 1
			}
		}
		if resolveDue.Valid && (resolved.Valid || resolveDue.Time.Before(now)) {
			one.resolveDen = 1
			if resolved.Valid && !resolved.Time.After(resolveDue.Time) {
				one.resolveNum = 1
			}
		}
		if rating != "" {
			one.rated = 1
			if rating == string(casework.Satisfied) || rating == string(casework.Basically) {
				one.satisfied = 1
			}
		}
		want.town.cases++
		want.town.replyNum, want.town.replyDen = want.town.replyNum+one.replyNum, want.town.replyDen+one.replyDen
		want.town.resolveNum, want.town.resolveDen = want.town.resolveNum+one.resolveNum, want.town.resolveDen+one.resolveDen
		want.town.satisfied, want.town.rated = want.town.satisfied+one.satisfied, want.town.rated+one.rated
		if unit, ok := lastLead[id]; ok {
			add(want.units, unit, one)
		}
		if v := villageOf(origin); v != 0 {
			add(want.villages, v, one)
		}
	})

	newest := map[int64]time.Time{}
	eachRow(t, db, `SELECT column_id, publish_at FROM articles WHERE status = 'published' AND publish_at IS NOT NULL`, func(scan func(...any)) {
		var col int64
		var at time.Time
		scan(&col, &at)
		if !at.After(end) && at.After(newest[col]) {
			newest[col] = at
		}
	})
	eachRow(t, db, `SELECT id, kind, visible, update_interval_days FROM columns`, func(scan func(...any)) {
		var id int64
		var kind string
		var visible bool
		var interval int
		scan(&id, &kind, &visible, &interval)
		if !visible || interval == 0 || kind == string(domain.ColumnLink) {
			return
		}
		at, ok := newest[id]
		if !ok {
			want.stale[id] = [2]string{"", ""}
			return
		}
		d, _ := domain.ParseDate(domain.FormatDate(at))
		days := int(last.Sub(d).Hours()/24 + 0.5)
		if days > interval {
			want.stale[id] = [2]string{domain.FormatDate(at), strconv.Itoa(days)}
		}
	})

	unitReply := map[int64]time.Time{}
	eachRow(t, db, `SELECT post_id, created_at FROM board_messages WHERE author_kind = 'unit'`, func(scan func(...any)) {
		var post int64
		var at time.Time
		scan(&post, &at)
		if cur, ok := unitReply[post]; !ok || at.Before(cur) {
			unitReply[post] = at
		}
	})
	cal, err := e.db.Calendar(ctx)
	if err != nil {
		t.Fatal(err)
	}
	info, _ := casework.CategoryOther.Info()
	eachRow(t, db, `SELECT id, status, created_at, resolved_at FROM board_posts`, func(scan func(...any)) {
		var id int64
		var status string
		var created time.Time
		var resolved sql.NullTime
		scan(&id, &status, &created, &resolved)
		if (status != "published" && status != "private") || !created.Before(end) || (resolved.Valid && !resolved.Time.After(end)) {
			return
		}
		if at, ok := unitReply[id]; ok && !at.After(end) {
			return
		}
		if at, ok := answeredCase[id]; ok && !at.After(end) {
			return
		}
		want.unanswered[id] = cal.Deadline(created, info.Limits.Reply).Before(end)
	})
	return want
}

func eachRow(t *testing.T, db *sql.DB, query string, fn func(scan func(...any))) {
	t.Helper()
	rows, err := db.Query(query)
	if err != nil {
		t.Fatalf("%s: %v", query, err)
	}
	defer rows.Close()
	for rows.Next() {
		fn(func(dst ...any) {
			if err := rows.Scan(dst...); err != nil {
				t.Fatalf("%s: %v", query, err)
			}
		})
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
}

func checkJSONGroups(t *testing.T, key string, raw json.RawMessage, want map[int64]*checkRow) {
	t.Helper()
	var got []stats.CaseGroup
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatalf("%s: %v", key, err)
	}
	if len(got) != len(want) {
		t.Errorf("%s has %d rows, want %d", key, len(got), len(want))
	}
	for _, g := range got {
		w := want[g.OrgID]
		if w == nil {
			t.Errorf("%s has an unexpected row %s", key, g.Name)
			continue
		}
		gotRow := checkRow{name: g.Name, cases: g.Cases, replyNum: g.RepliedOnTime, replyDen: g.ReplyCounted,
			resolveNum: g.ResolvedOnTime, resolveDen: g.ResolveCounted, satisfied: g.Satisfied, rated: g.Rated}
		if gotRow != *w {
			t.Errorf("%s row %d = %+v, want %+v", key, g.OrgID, gotRow, *w)
		}
		rates := w.rates()
		shown := [3]string{rateText(g.ReplyOnTimeRate), rateText(g.ResolveOnTimeRate), rateText(g.SatisfactionRate)}
		if shown != rates {
			t.Errorf("%s row %s rates = %v, want %v", key, g.Name, shown, rates)
		}
	}
}

func rateText(r *float64) string {
	if r == nil {
		return "—"
	}
	return stats.Format(stats.Figure{Shape: stats.Rate}, *r)
}

// checkTownRelation checks that the unit rows split the town's cases: every dispatched case
// is in exactly one unit row, so the on-time numerators and denominators add up to the town's.
func checkTownRelation(t *testing.T, want expectedChecks, figs map[string]json.RawMessage) {
	t.Helper()
	var sum checkRow
	for _, r := range want.units {
		sum.replyNum, sum.replyDen = sum.replyNum+r.replyNum, sum.replyDen+r.replyDen
		sum.resolveNum, sum.resolveDen = sum.resolveNum+r.resolveNum, sum.resolveDen+r.resolveDen
	}
	if sum.replyNum != want.town.replyNum || sum.replyDen != want.town.replyDen {
		t.Errorf("units' replies on time add up to %d/%d, town %d/%d", sum.replyNum, sum.replyDen, want.town.replyNum, want.town.replyDen)
	}
	if sum.resolveNum != want.town.resolveNum || sum.resolveDen != want.town.resolveDen {
		t.Errorf("units' resolutions on time add up to %d/%d, town %d/%d", sum.resolveNum, sum.resolveDen, want.town.resolveNum, want.town.resolveDen)
	}
	for key, parts := range map[string][2]int{
		"reply_on_time_rate":   {want.town.replyNum, want.town.replyDen},
		"resolve_on_time_rate": {want.town.resolveNum, want.town.resolveDen},
	} {
		var got float64
		if err := json.Unmarshal(figs[key], &got); err != nil {
			t.Fatalf("%s: %v", key, err)
		}
		if w := float64(int(float64(parts[0])/float64(parts[1])*10000+0.5)) / 10000; got != w {
			t.Errorf("%s = %v, want %v from the cases", key, got, w)
		}
	}
	var cases int
	if err := json.Unmarshal(figs["cases"], &cases); err != nil || cases != want.town.cases {
		t.Errorf("cases = %d (%v), want %d", cases, err, want.town.cases)
	}
}

func checkJSONStale(t *testing.T, raw json.RawMessage, want map[int64][2]string) {
	t.Helper()
	var got []stats.StaleColumn
	if err := json.Unmarshal(raw, &got); err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Errorf("stale_columns has %d rows, want %d", len(got), len(want))
	}
	for _, c := range got {
		w, ok := want[c.ColumnID]
		days := ""
		if c.DaysSince != nil {
			days = strconv.Itoa(*c.DaysSince)
		}
		if !ok || [2]string{c.LastPublished, days} != w {
			t.Errorf("stale column %s = %s, %s days; want %v (listed %v)", c.Name, c.LastPublished, days, w, ok)
		}
	}
}

func checkJSONPosts(t *testing.T, figs map[string]json.RawMessage, want map[int64]bool) {
	t.Helper()
	var count, overdue int
	var oldest []stats.WaitingPost
	if err := json.Unmarshal(figs["unanswered_posts"], &count); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(figs["unanswered_posts_overdue"], &overdue); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(figs["unanswered_posts_oldest"], &oldest); err != nil {
		t.Fatal(err)
	}
	if count != len(want) {
		t.Errorf("unanswered_posts = %d, want %d", count, len(want))
	}
	if w := overdueCount(want); overdue != w {
		t.Errorf("unanswered_posts_overdue = %d, want %d", overdue, w)
	}
	if w := min(len(want), stats.OldestPostsShown); len(oldest) != w {
		t.Errorf("unanswered_posts_oldest has %d posts, want %d", len(oldest), w)
	}
	for i, p := range oldest {
		late, ok := want[p.PostID]
		if !ok || late != p.Overdue {
			t.Errorf("oldest post %d (%s): overdue %v, want listed %v and overdue %v", p.PostID, p.Title, p.Overdue, ok, late)
		}
		if i > 0 && p.Submitted < oldest[i-1].Submitted {
			t.Errorf("oldest posts are not in date order: %s after %s", p.Submitted, oldest[i-1].Submitted)
		}
	}
}

func overdueCount(want map[int64]bool) int {
	n := 0
	for _, late := range want {
		if late {
			n++
		}
	}
	return n
}

// tableOf returns the HTML of the table marked data-check="key", or "" when the page has none.
func tableOf(page, key string) string {
	i := strings.Index(page, `data-check="`+key+`"`)
	if i < 0 {
		return ""
	}
	j := strings.Index(page[i:], "</table>")
	return page[i : i+j]
}

var groupRowPattern = regexp.MustCompile(`<tr data-org="(\d+)"><th scope="row">([^<]+)</th>\s*<td data-col="cases">(?:<a href="([^"]+)">)?(\d+)(?:</a>)?</td>\s*` +
	`<td data-col="reply_on_time_rate"[^>]*>([^<]+)</td>\s*<td data-col="resolve_on_time_rate"[^>]*>([^<]+)</td>\s*<td data-col="satisfaction_rate"[^>]*>([^<]+)</td>`)

var caseLinkPattern = regexp.MustCompile(`<a href="/admin/cases/\d+">`)

func checkPageGroups(t *testing.T, c *http.Client, addr, page, key string, want map[int64]*checkRow) {
	t.Helper()
	rows := groupRowPattern.FindAllStringSubmatch(tableOf(page, key), -1)
	if len(rows) != len(want) {
		t.Errorf("dashboard table %s has %d rows, want %d", key, len(rows), len(want))
	}
	followed := 0
	for _, m := range rows {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		w := want[id]
		if w == nil {
			t.Errorf("dashboard table %s has an unexpected row %s", key, m[2])
			continue
		}
		rates := w.rates()
		if m[2] != w.name || m[4] != strconv.Itoa(w.cases) || [3]string{m[5], m[6], m[7]} != rates {
			t.Errorf("dashboard %s row %s = %q %s %v, want %q %d %v", key, m[1], m[2], m[4], m[5:8], w.name, w.cases, rates)
		}
		// The count links to the case list filtered to the row's cases. The first rows' links
		// are followed.
		if followed < 3 && w.cases <= 20 && m[3] != "" {
			list := fetch(t, c, "http://"+addr+html.UnescapeString(m[3]))
			if n := len(caseLinkPattern.FindAllString(list, -1)); n != w.cases {
				t.Errorf("the list behind %s row %s shows %d cases, want %d", key, w.name, n, w.cases)
			}
			followed++
		}
	}
}

var staleRowPattern = regexp.MustCompile(`<tr data-column="(\d+)"><th scope="row">(?:<a href="[^"]+">)?([^<]+)(?:</a>)?</th><td data-col="update_interval_days">(\d+)</td><td data-col="last_published">([^<]+)</td><td data-col="days_since">([^<]+)</td>`)

func checkPageStale(t *testing.T, page string, want map[int64][2]string) {
	t.Helper()
	rows := staleRowPattern.FindAllStringSubmatch(tableOf(page, "stale_columns"), -1)
	if len(rows) != len(want) {
		t.Errorf("dashboard lists %d stale columns, want %d", len(rows), len(want))
	}
	for _, m := range rows {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		w, ok := want[id]
		if !ok || m[4] != orDefault(w[0], "从未发布") || m[5] != orDefault(w[1], "—") {
			t.Errorf("dashboard stale column %s shows %s, %s days; want %v (listed %v)", m[2], m[4], m[5], w, ok)
		}
	}
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

var postRowPattern = regexp.MustCompile(`<tr data-post="(\d+)"><th scope="row"><a href="/admin/board/(\d+)">`)

func checkPagePosts(t *testing.T, page string, want map[int64]bool) {
	t.Helper()
	for key, n := range map[string]int{"unanswered_posts": len(want), "unanswered_posts_overdue": overdueCount(want)} {
		m := regexp.MustCompile(`data-check="` + key + `">(\d+)<`).FindStringSubmatch(page)
		if m == nil || m[1] != strconv.Itoa(n) {
			t.Errorf("dashboard shows %s = %v, want %d", key, m, n)
		}
	}
	rows := postRowPattern.FindAllStringSubmatch(tableOf(page, "unanswered_posts_oldest"), -1)
	if len(rows) != min(len(want), stats.OldestPostsShown) {
		t.Errorf("dashboard lists %d unanswered posts, want %d", len(rows), min(len(want), stats.OldestPostsShown))
	}
	for _, m := range rows {
		id, _ := strconv.ParseInt(m[1], 10, 64)
		if _, ok := want[id]; !ok || m[1] != m[2] {
			t.Errorf("dashboard lists post %s linking to %s, which is not unanswered", m[1], m[2])
		}
	}
}

func checkSheetGroups(t *testing.T, x *excelize.File, sheet string, want map[int64]*checkRow) {
	t.Helper()
	rows, err := x.GetRows(sheet)
	if err != nil {
		t.Fatalf("sheet %s: %v", sheet, err)
	}
	byName := map[string]*checkRow{}
	for _, w := range want {
		byName[w.name] = w
	}
	if len(rows)-1 != len(want) {
		t.Errorf("sheet %s has %d rows, want %d", sheet, len(rows)-1, len(want))
	}
	for _, r := range rows[1:] {
		w := byName[r[0]]
		if w == nil || len(r) < 11 {
			t.Errorf("sheet %s has an unexpected row %q", sheet, r)
			continue
		}
		rates := w.rates()
		got := strings.Join(r[1:11], "|")
		exp := strings.Join([]string{strconv.Itoa(w.cases), rates[0], strconv.Itoa(w.replyNum), strconv.Itoa(w.replyDen), rates[1],
			strconv.Itoa(w.resolveNum), strconv.Itoa(w.resolveDen), rates[2], strconv.Itoa(w.satisfied), strconv.Itoa(w.rated)}, "|")
		if got != exp {
			t.Errorf("sheet %s row %s = %s, want %s", sheet, r[0], got, exp)
		}
	}
}

func checkSheetStale(t *testing.T, x *excelize.File, want map[int64][2]string) {
	t.Helper()
	rows, err := x.GetRows("栏目更新检查")
	if err != nil {
		t.Fatal(err)
	}
	var got, exp []string
	for _, r := range rows[1:] {
		got = append(got, r[2]+"/"+r[3])
	}
	for _, w := range want {
		exp = append(exp, orDefault(w[0], "从未发布")+"/"+orDefault(w[1], "—"))
	}
	sort.Strings(got)
	sort.Strings(exp)
	if strings.Join(got, ",") != strings.Join(exp, ",") {
		t.Errorf("sheet 栏目更新检查 lists %v, want %v", got, exp)
	}
}

func checkSheetPosts(t *testing.T, x *excelize.File, want map[int64]bool) {
	t.Helper()
	rows, err := x.GetRows("留言未答复")
	if err != nil {
		t.Fatal(err)
	}
	if len(rows)-1 != min(len(want), stats.OldestPostsShown) {
		t.Errorf("sheet 留言未答复 has %d posts, want %d", len(rows)-1, min(len(want), stats.OldestPostsShown))
	}
	late := 0
	for _, r := range rows[1:] {
		if len(r) > 5 && r[5] == "是" {
			late++
		}
	}
	if w := min(overdueCount(want), stats.OldestPostsShown); len(want) <= stats.OldestPostsShown && late != w {
		t.Errorf("sheet 留言未答复 marks %d posts overdue, want %d", late, w)
	}
	if !strings.Contains(rows[0][len(rows[0])-1], fmt.Sprintf("未答复 %d 条，其中超过答复时限 %d 条", len(want), overdueCount(want))) {
		t.Errorf("sheet 留言未答复 header %q lacks the counts", rows[0])
	}
}
