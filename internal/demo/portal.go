package demo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"math/rand/v2"
	"slices"
	"sort"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/files"
	"pingan/internal/richtext"
	"pingan/internal/store"
)

// portalVillages are the villages and communities whose names fill {v}.
var portalVillages = []string{"越丰村", "高桥村", "骑力村", "南日村", "三门村", "亭桥村", "永丰村", "新联村", "高桥社区", "大桥社区"}

// demoReporters name the village reporters who write contributions.
var demoReporters = []string{"张卫东", "沈建明", "陆美芳", "屠志刚", "徐红英", "钟伟", "俞国强", "褚丽娟", "潘建华", "费晓东"}

// demoTopics are the topics (专题) of the demo portal.
var demoTopics = []string{"平安高桥建设", "反诈宣传", "安全生产月", "禁毒宣传", "矛盾纠纷多元化解"}

// demoViews is the total number of views the demo's published articles get: a little over 1,000.
const demoViews = 1046

// portalBuilder carries what the portal step needs while it writes.
type portalBuilder struct {
	ctx     context.Context
	tx      *sql.Tx
	db      *store.DB
	town    *Town
	rng     *rand.Rand
	editor  domain.Actor
	columns map[string]int64
	topics  map[string]int64
}

// Portal adds the news portal: the 14 columns, topics and 120 articles published over the six
// months. Of these, 44 are original and 76 reprinted or contributed, and 18 are in 会议精神, 23 in
// 工作动态, 18 in 平安提示 and 9 in 经验交流. It adds a little over 1,000 views and some drafts,
// contributions waiting for review or returned, and scheduled articles. The texts come from the
// pools in portal_texts.go with a fixed seed, so every load gives the same site.
func Portal(ctx context.Context, tx *sql.Tx, db *store.DB, town *Town) error {
	b := &portalBuilder{ctx: ctx, tx: tx, db: db, town: town, rng: rand.New(rand.NewPCG(2026, 3)),
		columns: map[string]int64{}, topics: map[string]int64{}}
	b.editor = domain.Actor{TownID: town.TownID, OrgID: town.CenterID, Name: "钱晓燕（editor）", IP: "local",
		Roles: []domain.Role{domain.RoleEditor}}
	for _, a := range town.Accounts {
		if a.Username == "editor" {
			b.editor.AccountID = a.ID
		}
	}
	if err := b.addColumns(); err != nil {
		return err
	}
	plans := b.plan()
	ids := make([]int64, 0, len(plans))
	for _, p := range plans {
		id, err := b.publish(p)
		if err != nil {
			return fmt.Errorf("demo article %q: %w", p.item.title, err)
		}
		ids = append(ids, id)
	}
	if err := b.addViews(plans, ids); err != nil {
		return err
	}
	if err := b.addUnpublished(); err != nil {
		return err
	}
	return b.addSiteErrors()
}

// addSiteErrors adds visitors' reports of errors on the site (网站纠错): the last one is handled
// already, the others wait for the editor.
func (b *portalBuilder) addSiteErrors() error {
	ctx := store.WithTx(b.ctx, b.tx)
	end := b.town.Until.AddDate(0, 0, 1)
	if now := time.Now(); now.Before(end) {
		end = now
	}
	for i, r := range demoSiteErrors {
		at := end.Add(-time.Duration(len(demoSiteErrors)-i) * 26 * time.Hour).UTC().Truncate(time.Minute)
		id, err := b.db.CreateSiteErrorReport(ctx, b.town.TownID, store.NewSiteErrorReport{Report: r, SubmitToken: fmt.Sprintf("demo-site-error-%d", i),
			IPHash: b.db.Keys().Hash(fmt.Sprintf("ip:demo-%d", i)), At: at})
		if err != nil {
			return fmt.Errorf("demo site error report: %w", err)
		}
		if i == 0 {
			if err := b.db.HandleSiteError(ctx, b.editor, id, "已更正，谢谢指出。"); err != nil {
				return err
			}
		}
	}
	return nil
}

func (b *portalBuilder) addColumns() error {
	for i, c := range demoColumns {
		id, err := b.db.CreateColumnTx(b.ctx, b.tx, b.editor, domain.Column{Name: c.name, Slug: c.slug, Kind: domain.ColumnList,
			Visible: true, SortOrder: (i + 1) * 10, UpdateIntervalDays: c.interval})
		if err != nil {
			return fmt.Errorf("column %s: %w", c.name, err)
		}
		b.columns[c.name] = id
	}
	for i, name := range demoTopics {
		id, err := b.db.CreateTopicTx(b.ctx, b.tx, b.editor, domain.Topic{Name: name, SortOrder: (i + 1) * 10})
		if err != nil {
			return err
		}
		b.topics[name] = id
	}
	return nil
}

// articlePlan is one article to publish.
type articlePlan struct {
	column  string
	item    demoItem
	body    []string
	kind    domain.SourceKind
	source  string
	village string // fills {v}; also the contributing organization of a village contribution
	org     string // the contributing organization
	at      time.Time
	pinned  bool
	returns bool // the contribution was returned once before it was published
}

// plan decides every published article: its column, kind, texts and publish time.
func (b *portalBuilder) plan() []articlePlan {
	last := b.town.Until
	if today := dayOf(time.Now()); !last.Before(today) {
		last = today.AddDate(0, 0, -1)
	}
	var plans []articlePlan
	villageTurn := 0
	for _, c := range demoColumns {
		contrib, reprinted := c.contrib, c.reprinted
		items := c.items
		if c.name == "工作动态" {
			items = append(append([]demoItem{}, items...), pickleCase, trafficCase)
		}
		for i, it := range items {
			if season, ok := seasonalItems[it.title]; ok && len(daysInMonths(season.months, b.town.From, last)) < minSeasonDays {
				it = season.instead
			}
			p := articlePlan{column: c.name, item: it, kind: domain.SourceOriginal}
			switch {
			case contrib > 0 && (strings.Contains(it.title, "{v}") || it.org != ""):
				contrib--
				p.kind = domain.SourceContribution
			case reprinted > 0 && !strings.Contains(it.title, "高桥") && it != pickleCase && it != trafficCase:
				reprinted--
				p.kind = domain.SourceReprint
				p.source = c.sources[i%len(c.sources)]
			}
			if strings.Contains(it.title+it.lead, "{v}") {
				p.village = portalVillages[villageTurn%len(portalVillages)]
				villageTurn++
			}
			if p.kind == domain.SourceContribution {
				p.org = it.org
				if p.org == "" {
					p.org = p.village
				}
				p.returns = b.rng.IntN(5) == 0
			}
			p.body = b.pickBody(c, it)
			plans = append(plans, p)
		}
	}

	// Spread the publish times over the period, on working hours of days before its last day,
	// so that every article is public when the demo loads. A seasonal article falls in its
	// season.
	days := int(last.Sub(b.town.From).Hours()/24) + 1
	for i := range plans {
		day := b.town.From.AddDate(0, 0, b.rng.IntN(max(days, 1)))
		if season, ok := seasonalItems[plans[i].item.title]; ok {
			if in := daysInMonths(season.months, b.town.From, last); len(in) >= minSeasonDays {
				day = in[b.rng.IntN(len(in))]
			}
		}
		plans[i].at = day.Add(time.Duration(8*60+30+b.rng.IntN(9*60)) * time.Minute).UTC()
	}
	sort.SliceStable(plans, func(i, j int) bool { return plans[i].at.Before(plans[j].at) })
	// Pin the environment case and the newest report of a meeting.
	for i := len(plans) - 1; i >= 0; i-- {
		if plans[i].column == "会议精神" {
			plans[i].pinned = true
			break
		}
	}
	for i := range plans {
		if plans[i].item == pickleCase {
			plans[i].pinned = true
		}
	}
	return plans
}

// minSeasonDays is the number of days of its season that the period must contain for a seasonal
// article to keep its own text; a season cut to a day or two at an edge of the period would put
// the article on that edge.
const minSeasonDays = 7

// daysInMonths returns the days from first to last, both included, that fall in one of months.
func daysInMonths(months []time.Month, first, last time.Time) []time.Time {
	var out []time.Time
	for day := first; !day.After(last); day = day.AddDate(0, 0, 1) {
		if slices.Contains(months, day.Month()) {
			out = append(out, day)
		}
	}
	return out
}

func dayOf(t time.Time) time.Time {
	t = t.In(domain.Shanghai)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, domain.Shanghai)
}

// pickBody returns the paragraphs after the lead: the case stories as written, otherwise two
// paragraphs of the column's pool and sometimes a closing one.
func (b *portalBuilder) pickBody(c demoColumn, it demoItem) []string {
	switch it {
	case pickleCase:
		return pickleBody
	case trafficCase:
		return trafficBody
	}
	order := b.rng.Perm(len(c.pool))
	n := min(2+b.rng.IntN(2), len(c.pool))
	out := make([]string, 0, n+1)
	for _, k := range order[:n] {
		out = append(out, c.pool[k])
	}
	if len(c.pool) < 4 && c.name != "通知公告" {
		out = append(out, closingParagraphs[b.rng.IntN(len(closingParagraphs))])
	}
	return out
}

// fill replaces the placeholders of a demo text.
func fill(s, village string, at time.Time) string {
	local := at.In(domain.Shanghai)
	return strings.NewReplacer("{v}", village, "{d}", fmt.Sprintf("%d月%d日", local.Month(), local.Day())).Replace(s)
}

// contributor returns the actor who writes a contribution of org: the demo account of the
// village where there is one, otherwise the organization's reporter without an account.
func (b *portalBuilder) contributor(org string) domain.Actor {
	a := domain.Actor{TownID: b.town.TownID, OrgID: b.town.Orgs[org], IP: "local", Roles: []domain.Role{domain.RoleReporter}}
	for _, acc := range b.town.Accounts {
		if acc.OrgName == org && len(acc.Roles) == 1 && acc.Roles[0] == domain.RoleReporter {
			a.AccountID, a.Name = acc.ID, acc.Name+"（"+acc.Username+"）"
			return a
		}
	}
	a.Name = org + "信息员"
	return a
}

func (b *portalBuilder) topicsFor(column, title string) []int64 {
	var out []int64
	add := func(name string) { out = append(out, b.topics[name]) }
	switch column {
	case "平安创建", "政法综治":
		add("平安高桥建设")
	case "安全生产", "消防安全":
		add("安全生产月")
	case "禁毒宣传":
		add("禁毒宣传")
	}
	if strings.Contains(title, "诈骗") || strings.Contains(title, "反诈") {
		add("反诈宣传")
	}
	if strings.Contains(title, "纠纷") || strings.Contains(title, "调解") {
		add("矛盾纠纷多元化解")
	}
	return out
}

func (b *portalBuilder) article(column string, it demoItem, paras []string, village string, at time.Time) domain.Article {
	var html strings.Builder
	html.WriteString("<p>" + fill(it.lead, village, at.Add(-24*time.Hour)) + "</p>")
	for _, p := range paras {
		html.WriteString("<p>" + fill(p, village, at) + "</p>")
	}
	body, text := richtext.Sanitize(html.String())
	title := fill(it.title, village, at)
	return domain.Article{ColumnID: b.columns[column], Title: title, Body: body, BodyText: text,
		TopicIDs: b.topicsFor(column, title), Editor: "钱晓燕"}
}

// publish writes one planned article through the same workflow as the web pages.
func (b *portalBuilder) publish(p articlePlan) (int64, error) {
	a := b.article(p.column, p.item, p.body, p.village, p.at)
	a.SourceKind, a.SourceName, a.Pinned = p.kind, p.source, p.pinned
	writer := b.editor
	switch p.kind {
	case domain.SourceOriginal:
		a.Author = []string{"钱晓燕", "朱海英", "周文斌"}[b.rng.IntN(3)]
	case domain.SourceContribution:
		writer = b.contributor(p.org)
		a.Author = demoReporters[b.rng.IntN(len(demoReporters))]
		a.Editor = ""
	}
	if p.column == "通知公告" {
		ids, err := b.attachments(p.item.title)
		if err != nil {
			return 0, err
		}
		a.AttachmentIDs = ids
	}
	a.CreatedAt = p.at.Add(-time.Duration(20+b.rng.IntN(30)) * time.Hour)
	id, err := b.db.CreateArticleTx(b.ctx, b.tx, writer, a)
	if err != nil {
		return 0, err
	}
	if p.kind == domain.SourceContribution {
		submitted := a.CreatedAt.Add(time.Hour)
		if err := b.step(writer, id, store.StepInput{Action: domain.ActionSubmit, At: submitted}); err != nil {
			return 0, err
		}
		if p.returns {
			if err := b.step(b.editor, id, store.StepInput{Action: domain.ActionReturn, At: submitted.Add(2 * time.Hour),
				Reason: "请补充参加人数和具体成效，语句再精炼一些。"}); err != nil {
				return 0, err
			}
			if err := b.step(writer, id, store.StepInput{Action: domain.ActionSubmit, At: submitted.Add(5 * time.Hour)}); err != nil {
				return 0, err
			}
		}
	}
	return id, b.step(b.editor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true, At: p.at, PublishAt: p.at})
}

func (b *portalBuilder) step(actor domain.Actor, id int64, in store.StepInput) error {
	return b.db.ArticleStepTx(b.ctx, b.tx, actor, id, in)
}

// addViews gives the published articles demoViews views in all, spread over the days after
// their publication.
func (b *portalBuilder) addViews(plans []articlePlan, ids []int64) error {
	per := make([]int64, len(ids))
	left := int64(demoViews)
	for i := range per {
		per[i] = 4
		left -= 4
	}
	for left > 0 {
		// Newer and pinned articles draw more readers.
		i := len(per) - 1 - b.rng.IntN(len(per))*b.rng.IntN(len(per))/len(per)
		per[i]++
		left--
	}
	byDay := map[string]map[int64]int64{}
	for i, id := range ids {
		start := dayOf(plans[i].at)
		span := int(b.town.Until.Sub(start).Hours()/24) + 1
		for n := per[i]; n > 0; {
			k := min(n, 1+int64(b.rng.IntN(4)))
			day := domain.FormatDate(start.AddDate(0, 0, b.rng.IntN(min(max(span, 1), 20))))
			if byDay[day] == nil {
				byDay[day] = map[int64]int64{}
			}
			byDay[day][id] += k
			n -= k
		}
	}
	for day, views := range byDay {
		if err := b.db.AddArticleViewsTx(b.ctx, b.tx, day, views); err != nil {
			return err
		}
	}
	return nil
}

// addUnpublished adds drafts, contributions waiting for review or returned, and articles
// scheduled for after the load.
func (b *portalBuilder) addUnpublished() error {
	now := time.Now().UTC()
	start := now
	if u := b.town.Until.AddDate(0, 0, 1); u.After(start) {
		start = u
	}
	for i, d := range draftItems {
		at := now.Add(-time.Duration(3+i*5) * time.Hour)
		publishAt := dayOf(start).AddDate(0, 0, 3+i).Add(9 * time.Hour)
		if d.state == "scheduled" && d.column == "平安提示" {
			tip := holidayTips[publishAt.Month()]
			d.title, d.lead = tip[0], tip[1]
		}
		village := "越丰村"
		if d.org != "" {
			village = d.org
		}
		paras := []string{"（待补充）"}
		if d.state == "scheduled" || d.state == "submitted" {
			c := demoColumnByName(d.column)
			paras = c.pool[:2]
		}
		a := b.article(d.column, demoItem{title: d.title, lead: d.lead}, paras, village, at)
		a.SourceKind, a.Author, a.CreatedAt = domain.SourceOriginal, "钱晓燕", at
		writer := b.editor
		if d.org != "" {
			writer = b.contributor(d.org)
			a.Author, a.Editor = demoReporters[i%len(demoReporters)], ""
		}
		ids, err := b.attachments(d.title)
		if err != nil {
			return err
		}
		a.AttachmentIDs = ids
		id, err := b.db.CreateArticleTx(b.ctx, b.tx, writer, a)
		if err != nil {
			return fmt.Errorf("demo draft %q: %w", d.title, err)
		}
		switch d.state {
		case "submitted", "returned":
			if err := b.step(writer, id, store.StepInput{Action: domain.ActionSubmit, At: at.Add(time.Hour)}); err != nil {
				return err
			}
			if d.state == "returned" {
				if err := b.step(b.editor, id, store.StepInput{Action: domain.ActionReturn, Reason: d.reason, At: at.Add(2 * time.Hour)}); err != nil {
					return err
				}
			}
		case "scheduled":
			if err := b.step(b.editor, id, store.StepInput{Action: domain.ActionPublish, Confirmed: true, At: now, PublishAt: publishAt}); err != nil {
				return err
			}
		}
	}
	return nil
}

func demoColumnByName(name string) demoColumn {
	for _, c := range demoColumns {
		if c.name == name {
			return c
		}
	}
	return demoColumn{}
}

// attachments writes the spreadsheet attached to a notice, when the notice has one, and returns
// its file id. The file name is Chinese on purpose: downloads must keep it intact.
func (b *portalBuilder) attachments(title string) ([]int64, error) {
	if b.town.Files == nil {
		return nil, nil
	}
	var name string
	var rows [][]any
	switch {
	case strings.Contains(title, "志愿者"):
		name = "平安志愿者报名表.xlsx"
		rows = [][]any{{"姓名", "性别", "出生年月", "所在村（社区）", "联系电话", "可参加的服务"}, {"", "", "", "", "", "巡防 / 宣传 / 调解 / 交通劝导"}}
	case strings.Contains(title, "法律进家庭"):
		name = "“法律进家庭”活动签到表.xlsx"
		rows = [][]any{{"序号", "户主姓名", "村民小组", "领取资料"}, {1, "", "扶国桥组", "民法典宣传册"}, {2, "", "越丰组", "民法典宣传册"}}
	case strings.Contains(title, "满意度"):
		name = "平安高桥建设群众满意度调查问卷.xlsx"
		rows = [][]any{{"序号", "问题", "满意", "基本满意", "不满意"}, {1, "您对本村（社区）治安状况是否满意？"}, {2, "您对矛盾纠纷调解工作是否满意？"},
			{3, "您对消防和安全生产宣传是否满意？"}}
	default:
		return nil, nil
	}
	x := excelize.NewFile()
	defer x.Close()
	for i, row := range rows {
		cell, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := x.SetSheetRow("Sheet1", cell, &row); err != nil {
			return nil, err
		}
	}
	var buf bytes.Buffer
	if err := x.Write(&buf); err != nil {
		return nil, err
	}
	key := files.NewKey(".xlsx")
	if err := b.town.Files.Put(b.ctx, key, buf.Bytes()); err != nil {
		return nil, fmt.Errorf("store demo attachment: %w", err)
	}
	sum := sha256.Sum256(buf.Bytes())
	id, err := b.db.InsertFile(b.ctx, b.tx, store.FileRecord{TownID: b.town.TownID, StorageKey: key, OriginalName: name,
		ContentType: "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", Size: int64(buf.Len()),
		SHA256: hex.EncodeToString(sum[:]), CreatedBy: b.editor.AccountID})
	if err != nil {
		return nil, err
	}
	return []int64{id}, nil
}
