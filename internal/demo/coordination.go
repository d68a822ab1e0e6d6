package demo

import (
	"cmp"
	"context"
	"database/sql"
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
)

// coordinationAccounts are the staff of villages and units that the base demo has no account
// for. They author the demo's reports, inquiries and messages. Their passwords are random and
// never shown, so a system administrator resets one to sign in as it.
var coordinationAccounts = []struct {
	username, name, org string
	role                domain.Role
}{
	{"qili.info", "陆小平", "骑力村", domain.RoleReporter},
	{"nanri.info", "顾春华", "南日村", domain.RoleReporter},
	{"sanmen.info", "范国强", "三门村", domain.RoleReporter},
	{"tingqiao.info", "屠美芳", "亭桥村", domain.RoleReporter},
	{"yongfeng.info", "钟建忠", "永丰村", domain.RoleReporter},
	{"xinlian.info", "褚丽萍", "新联村", domain.RoleReporter},
	{"gqsq.info", "邵慧敏", "高桥社区", domain.RoleReporter},
	{"dqsq.info", "金海林", "大桥社区", domain.RoleReporter},
	{"school.info", "杨文静", "桐乡市高桥中学", domain.RoleReporter},
	{"qiye.info", "马国庆", "浙江高桥新材料有限公司", domain.RoleReporter},
	{"xinfang.unit", "何卫国", "信访办", domain.RoleUnitHandler},
	{"anjian.unit", "施建华", "安监站", domain.RoleUnitHandler},
	{"jiaoguan.unit", "冯志明", "交管站", domain.RoleUnitHandler},
	{"jindu.unit", "俞晓东", "禁毒办", domain.RoleUnitHandler},
	{"xinjumin.unit", "莫丽娟", "新居民事务所", domain.RoleUnitHandler},
	{"baoan.unit", "汤卫星", "保安队", domain.RoleUnitHandler},
}

var demoVillages = []string{"越丰村", "高桥村", "骑力村", "南日村", "三门村", "亭桥村", "永丰村", "新联村", "高桥社区", "大桥社区"}

var demoUnits = []string{"信访办", "司法所", "安监站", "交管站", "禁毒办", "新居民事务所", "保安队", "高桥派出所", "生态环境办",
	"桐乡市高桥中学", "浙江高桥新材料有限公司"}

// coordDemo is the state of the coordination step while it plays the six months.
type coordDemo struct {
	ctx    context.Context
	tx     *sql.Tx
	db     *store.DB
	town   *Town
	rng    *rand.Rand
	actors map[string]domain.Actor // by organization name, one account each
	center domain.Actor
	events []demoEvent
	clock  time.Time
	// limit is the end of the simulation: the end of the last day, or now when that is earlier.
	limit    time.Time
	channels map[string]int64
	counter  int
}

// demoEvent is one thing that happens at a time of the simulation.
type demoEvent struct {
	at  time.Time
	seq int
	run func() error
}

// Coordination adds the coordination platform's six months to the demo town. It issues 26
// notices, work plans and requirements with read receipts, feedback and reminders. Each village
// reports each month, four reports come late, and one is returned and resubmitted. There are 57
// information reports, some adopted, and 81 inquiries, most answered and some published as FAQ
// entries. The work group talks about the notices. Everything goes through the store's own operations at
// historical times, so audit records and notifications are what they would have been.
func Coordination(ctx context.Context, tx *sql.Tx, db *store.DB, town *Town) error {
	c := &coordDemo{ctx: ctx, tx: tx, db: db, town: town, rng: rand.New(rand.NewPCG(2024, 11)),
		actors: map[string]domain.Actor{}, channels: map[string]int64{}}
	saved := db.Now
	defer func() { db.Now = saved }()
	db.Now = func() time.Time { return c.clock }
	c.limit = town.Until.AddDate(0, 0, 1)
	if now := time.Now(); now.Before(c.limit) {
		c.limit = now
	}

	steps := []func() error{c.accounts, c.scheduleNotices, c.scheduleReports, c.scheduleInfoReports, c.scheduleInquiries, c.scheduleChat}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	slices.SortStableFunc(c.events, func(a, b demoEvent) int {
		if n := a.at.Compare(b.at); n != 0 {
			return n
		}
		return cmp.Compare(a.seq, b.seq)
	})
	for _, e := range c.events {
		if !e.at.Before(c.limit) {
			continue
		}
		c.clock = e.at.UTC().Truncate(time.Second)
		if err := e.run(); err != nil {
			return fmt.Errorf("coordination demo at %s: %w", domain.FormatTime(e.at), err)
		}
	}
	c.clock = c.limit
	// Only the last three days' notifications still wait on the bells.
	return db.MarkNotificationsReadBefore(ctx, tx, town.TownID, c.limit.Add(-72*time.Hour))
}

// at schedules run at t.
func (c *coordDemo) at(t time.Time, run func() error) {
	c.counter++
	c.events = append(c.events, demoEvent{at: t, seq: c.counter, run: run})
}

// day returns hour:minute of the day that is offset days after the first day, Beijing time.
func (c *coordDemo) day(offset, hour, minute int) time.Time {
	d := c.town.From.AddDate(0, 0, offset)
	return time.Date(d.Year(), d.Month(), d.Day(), hour, minute, 0, 0, domain.Shanghai)
}

// workTime moves t onto office hours of a weekday: a weekend moves to Monday, and an hour
// outside 8:30–17:30 to the next morning.
func workTime(t time.Time) time.Time {
	t = t.In(domain.Shanghai)
	if h := t.Hour(); h >= 18 || h < 8 {
		next := t
		if h >= 18 {
			next = t.AddDate(0, 0, 1)
		}
		t = time.Date(next.Year(), next.Month(), next.Day(), 8, 30+t.Minute()%30, 0, 0, domain.Shanghai)
	}
	switch t.Weekday() {
	case time.Saturday:
		t = t.AddDate(0, 0, 2)
	case time.Sunday:
		t = t.AddDate(0, 0, 1)
	}
	return t
}

// lastCreate is the latest time a record the statistics count may be created.
func (c *coordDemo) lastCreate() time.Time { return c.limit.Add(-2 * time.Hour) }

// clampCreate keeps a creation time inside the period and before the limit.
func (c *coordDemo) clampCreate(t time.Time) time.Time {
	if last := c.lastCreate(); t.After(last) {
		return last
	}
	return t
}

func (c *coordDemo) between(min, max time.Duration) time.Duration {
	return min + time.Duration(c.rng.Int64N(int64(max-min)+1))
}

func (c *coordDemo) account(username string) (Account, error) {
	for _, a := range c.town.Accounts {
		if a.Username == username {
			return a, nil
		}
	}
	return Account{}, fmt.Errorf("demo account %s is missing", username)
}

func actorOf(townID, accountID, orgID int64, name, username string, roles []domain.Role) domain.Actor {
	return domain.Actor{AccountID: accountID, TownID: townID, OrgID: orgID, Name: name + "（" + username + "）", Roles: roles, IP: "local"}
}

// accounts creates the staff accounts the step needs and maps each organization to one actor.
func (c *coordDemo) accounts() error {
	hasher := password.NewHasher(password.Params{MemoryKiB: 64, Iterations: 1, Threads: 1}, 1)
	// The accounts open a few days before the half year, so their audit records stay within the
	// minimum audit retention of 190 days when the demo is first started on its last day.
	c.clock = c.town.From.AddDate(0, 0, -3)
	admin := domain.Actor{TownID: c.town.TownID, Name: "演示数据", IP: "local"}
	for _, a := range coordinationAccounts {
		hash, err := hasher.Hash(c.ctx, password.Generate(24))
		if err != nil {
			return err
		}
		org := c.town.Orgs[a.org]
		id, err := c.db.CreateAccountTx(c.ctx, c.tx, admin, store.NewAccount{PasswordHash: hash, Account: domain.Account{
			OrgID: org, Username: a.username, DisplayName: a.name, Roles: []domain.Role{a.role}}})
		if err != nil {
			return fmt.Errorf("account %s: %w", a.username, err)
		}
		c.actors[a.org] = actorOf(c.town.TownID, id, org, a.name, a.username, []domain.Role{a.role})
	}
	for username, org := range map[string]string{"coordinator": "高桥镇综治工作中心", "yuefeng": "越丰村", "gaoqiao": "高桥村",
		"police": "高桥派出所", "judicial": "司法所", "ecology": "生态环境办"} {
		a, err := c.account(username)
		if err != nil {
			return err
		}
		c.actors[org] = actorOf(c.town.TownID, a.ID, c.town.Orgs[org], a.Name, a.Username, a.Roles)
	}
	c.center = c.actors["高桥镇综治工作中心"]
	return nil
}

// unreadOrgs are the organizations with demo accounts that leave their newest notices unread
// and unanswered, so that a person trying the demo as yuefeng or police finds the unread count
// and a notice waiting for feedback.
var unreadOrgs = []string{"越丰村", "高桥派出所"}

// unreadPerOrg is how many of its newest notices each of unreadOrgs leaves unread.
const unreadPerOrg = 2

// recentUnread returns, by index in demoNotices, the organizations that leave that notice unread.
func recentUnread() map[int]map[string]bool {
	out := map[int]map[string]bool{}
	for _, org := range unreadOrgs {
		left := unreadPerOrg
		for i := len(demoNotices) - 1; i >= 0 && left > 0; i-- {
			if !slices.Contains(recipients(demoNotices[i].to), org) {
				continue
			}
			if out[i] == nil {
				out[i] = map[string]bool{}
			}
			out[i][org] = true
			left--
		}
	}
	return out
}

// recipients returns the organizations a notice goes to.
func recipients(to string) []string {
	switch to {
	case "units":
		return demoUnits
	case "villages+school":
		return append(slices.Clone(demoVillages), "桐乡市高桥中学")
	case "all":
		return append(slices.Clone(demoVillages), demoUnits...)
	}
	return demoVillages
}

func (c *coordDemo) orgIDs(names []string) []int64 {
	out := make([]int64, len(names))
	for i, n := range names {
		out[i] = c.town.Orgs[n]
	}
	return out
}

// post schedules a work group message; channel "" is the channel of everyone.
func (c *coordDemo) post(t time.Time, channel string, who domain.Actor, body string) {
	c.at(t, func() error {
		id, ok := c.channels[channel]
		if !ok {
			return fmt.Errorf("channel %q is missing", channel)
		}
		_, _, err := c.db.PostMessageTx(c.ctx, c.tx, who, id, body, nil)
		return err
	})
}

// scheduleNotices spreads the 26 notices over the period with their reads, feedback,
// reminders and work group talk.
func (c *coordDemo) scheduleNotices() error {
	days := int(c.town.Until.Sub(c.town.From).Hours()/24) + 1
	unread := recentUnread()
	for i, spec := range demoNotices {
		issued := workTime(c.day(1+i*(days-6)/len(demoNotices), 9, c.rng.IntN(90)))
		issued = c.clampCreate(issued)
		due := workTime(issued.AddDate(0, 0, spec.days))
		deadline := time.Date(due.Year(), due.Month(), due.Day(), 17, 0, 0, 0, domain.Shanghai)
		orgs := recipients(spec.to)
		var id int64
		c.at(issued, func() error {
			var err error
			n := domain.Notice{Kind: domain.NoticeKind(spec.kind), Title: spec.title, Body: spec.body,
				Deadline: deadline, FeedbackRequired: spec.feedback}
			id, _, err = c.db.IssueNoticeTx(c.ctx, c.tx, c.center, n, c.orgIDs(orgs), nil)
			return err
		})
		what := "请及时阅读"
		if spec.feedback {
			what = "请在截止时间前提交回执"
		}
		c.post(issued.Add(8*time.Minute), "", c.center, "各位，刚下发了《"+spec.title+"》，"+what+"。")
		pending := map[string]bool{}
		for j, org := range orgs {
			who, ok := c.actors[org]
			if !ok {
				continue
			}
			read := workTime(issued.Add(c.between(15*time.Minute, 52*time.Hour)))
			if c.rng.IntN(25) == 0 {
				pending[org] = true
				continue
			}
			// A notice left unread still draws its random numbers, so the other
			// organizations' reads and feedback stay as they were.
			keepUnread := unread[i][org]
			if keepUnread {
				pending[org] = true
			} else {
				c.at(read, func() error {
					_, err := c.db.RecordNoticeReadTx(c.ctx, c.tx, who, id)
					return err
				})
			}
			if j < 4 && c.rng.IntN(3) > 0 {
				ack := read.Add(c.between(time.Minute, 20*time.Minute))
				body := chatAck[c.rng.IntN(len(chatAck))]
				if !keepUnread {
					c.post(ack, "", who, body)
				}
			}
			if !spec.feedback {
				continue
			}
			var sent time.Time
			switch r := c.rng.IntN(20); {
			case r == 0:
				pending[org] = true
				continue
			case r <= 2:
				sent = workTime(deadline.Add(c.between(20*time.Hour, 70*time.Hour)))
			default:
				sent = workTime(read.Add(c.between(time.Hour, time.Duration(spec.days)*18*time.Hour)))
				if sent.After(deadline) {
					sent = deadline.Add(-c.between(time.Hour, 6*time.Hour))
				}
			}
			if !sent.Before(deadline.Add(-24 * time.Hour)) {
				pending[org] = true
			}
			body := fmt.Sprintf(noticeFeedback[c.rng.IntN(len(noticeFeedback))], 3+c.rng.IntN(40))
			if keepUnread {
				continue
			}
			c.at(sent, func() error {
				_, err := c.db.AddNoticeFeedbackTx(c.ctx, c.tx, who, id, body, nil)
				return err
			})
		}
		if c.rng.IntN(10) < 4 {
			asker := c.actors[orgs[c.rng.IntN(len(orgs))]]
			qa := chatQA[c.rng.IntN(len(chatQA))]
			q := workTime(issued.Add(c.between(time.Hour, 4*time.Hour)))
			c.post(q, "", asker, qa[0])
			c.post(q.Add(c.between(5*time.Minute, 40*time.Minute)), "", c.center, qa[1])
		}
		if spec.feedback && len(pending) > 0 && i%2 == 0 {
			remind := workTime(deadline.Add(-24 * time.Hour)).Truncate(time.Hour).Add(30 * time.Minute)
			c.at(remind, func() error {
				_, _, err := c.db.RemindNoticeTx(c.ctx, c.tx, c.center, id, 0)
				if domain.ErrorKind(err) == domain.KindConflict {
					return nil
				}
				return err
			})
			var names []string
			for org := range pending {
				if a, ok := c.actors[org]; ok {
					names = append(names, "@"+actorName(a))
				}
			}
			slices.Sort(names)
			if len(names) > 3 {
				names = names[:3]
			}
			c.post(remind.Add(5*time.Minute), "", c.center, strings.Join(names, " ")+" 《"+spec.title+"》的回执明天截止，请抓紧。")
		}
	}
	return nil
}

func actorName(a domain.Actor) string {
	name, _, _ := strings.Cut(a.Name, "（")
	return name
}

// scheduleReports designs the monthly report template, assigns it to every village, and has
// each village report each month: four late, one returned and resubmitted, most accepted.
func (c *coordDemo) scheduleReports() error {
	// The six reported months are those that end inside the period, so that every report is
	// submitted within it: the first ends on the first first-of-month on or after From.
	from := c.town.From.In(domain.Shanghai)
	firstEnd := time.Date(from.Year(), from.Month(), 1, 0, 0, 0, 0, domain.Shanghai)
	if firstEnd.Before(from) {
		firstEnd = firstEnd.AddDate(0, 1, 0)
	}
	start := firstEnd.AddDate(0, -1, 0).Add(10 * time.Hour)
	var fields []domain.ReportField
	for _, f := range demoFields {
		field := domain.ReportField{Section: f[0], Label: f[1], Kind: domain.FieldKind(f[2]), Required: f[3] == "1", Help: f[4]}
		if field.Kind == domain.FieldChoice {
			field.Choices = []string{"平稳", "基本平稳", "不稳定"}
		}
		fields = append(fields, field)
	}
	var templateID, assignmentID int64
	var template domain.ReportTemplate
	c.at(start, func() error {
		var err error
		templateID, err = c.db.CreateTemplateTx(c.ctx, c.tx, c.center, domain.ReportTemplate{Name: "综治工作月报表",
			Description: "每月5日前报送上月情况。数字以本村（社区）台账为准，与上报镇里的各类台账保持一致。", Fields: fields})
		if err != nil {
			return err
		}
		template, err = c.db.GetTemplateTx(c.ctx, c.tx, c.center, templateID)
		if err != nil {
			return err
		}
		assignmentID, _, err = c.db.CreateAssignmentTx(c.ctx, c.tx, c.center, domain.ReportAssignment{TemplateID: templateID, Title: "综治工作月报",
			PeriodKind: domain.PeriodMonthly, DueDay: 5, StartsAt: start}, c.orgIDs(demoVillages))
		return err
	})
	// Each later month opens at its first minute.
	for m := start.AddDate(0, 1, 0); m.Before(c.limit); m = m.AddDate(0, 1, 0) {
		open := time.Date(m.Year(), m.Month(), 1, 0, 5, 0, 0, domain.Shanghai)
		c.at(open, func() error {
			_, err := c.db.OpenReportPeriodsTx(c.ctx, c.tx)
			return err
		})
	}

	// The six periods reported within the demo's half year.
	var periods []domain.Period
	for p := domain.PeriodMonthly.PeriodAt(start, 5); len(periods) < 6; p = domain.PeriodMonthly.PeriodAt(p.End, 5) {
		periods = append(periods, p)
	}
	late := map[[2]int]bool{}
	for _, pair := range [][2]int{{2, 1}, {5, 2}, {7, 3}, {3, 4}} {
		if periods[pair[1]].Due.Add(80 * time.Hour).Before(c.limit) {
			late[pair] = true
		}
	}
	returned := [2]int{4, 2}
	for pi, p := range periods {
		for vi, village := range demoVillages {
			who := c.actors[village]
			submit := workTime(p.End.Add(c.between(8*time.Hour+30*time.Minute, 90*time.Hour)))
			if !submit.Before(p.Due) {
				submit = p.Due.Add(-c.between(time.Hour, 12*time.Hour))
			}
			if late[[2]int{vi, pi}] {
				submit = workTime(p.Due.Add(c.between(26*time.Hour, 60*time.Hour)))
			}
			submit = c.clampCreate(submit)
			if !submit.After(p.End) {
				submit = p.End.Add((c.limit.Sub(p.End)) / 2)
			}
			values := c.monthValues(village, vi, pi)
			wrong := [2]int{vi, pi} == returned
			key := p.Key
			c.at(submit, func() error {
				id, err := c.submissionID(assignmentID, who, key)
				if err != nil {
					return err
				}
				first := values
				if wrong {
					// The first version claims more disputes settled than found; the center returns it.
					first = maps.Clone(values)
					first["调处成功（件）"] = strconv.Itoa(atoi(values["排查矛盾纠纷（件）"]) + 3)
				}
				return c.db.SaveSubmissionTx(c.ctx, c.tx, who, id, byID(template, first), store.SaveSubmit)
			})
			review := workTime(submit.Add(c.between(20*time.Hour, 60*time.Hour)))
			if wrong {
				c.at(review, func() error {
					id, err := c.submissionID(assignmentID, who, key)
					if err != nil {
						return err
					}
					_, err = c.db.ReviewSubmissionTx(c.ctx, c.tx, c.center, id, false, "调处成功数大于排查数，请核对台账后重新填报。")
					return err
				})
				resubmit := workTime(review.Add(c.between(2*time.Hour, 20*time.Hour)))
				c.at(resubmit, func() error {
					id, err := c.submissionID(assignmentID, who, key)
					if err != nil {
						return err
					}
					return c.db.SaveSubmissionTx(c.ctx, c.tx, who, id, byID(template, values), store.SaveSubmit)
				})
				review = workTime(resubmit.Add(c.between(20*time.Hour, 40*time.Hour)))
			}
			c.at(review, func() error {
				id, err := c.submissionID(assignmentID, who, key)
				if err != nil {
					return err
				}
				_, err = c.db.ReviewSubmissionTx(c.ctx, c.tx, c.center, id, true, "")
				return err
			})
		}
	}
	return nil
}

// submissionID finds the report of an organization for a period of the monthly assignment.
func (c *coordDemo) submissionID(assignmentID int64, who domain.Actor, key string) (int64, error) {
	return c.db.OwnSubmissionID(c.ctx, c.tx, who, assignmentID, key)
}

// monthValues makes one village's plausible monthly figures, by field label.
func (c *coordDemo) monthValues(village string, vi, pi int) map[string]string {
	community := strings.HasSuffix(village, "社区")
	found := 2 + c.rng.IntN(8)
	settled := found - c.rng.IntN(2)
	local := settled
	if c.rng.IntN(6) == 0 {
		local--
	}
	hazards := 3 + c.rng.IntN(12)
	residents := 5 + c.rng.IntN(30)
	if community {
		residents += 25
	}
	situation := "平稳"
	if c.rng.IntN(5) == 0 {
		situation = "基本平稳"
	}
	return map[string]string{
		"排查矛盾纠纷（件）":     strconv.Itoa(found),
		"调处成功（件）":       strconv.Itoa(settled),
		"其中在村（社区）化解（件）": strconv.Itoa(max(local, 0)),
		"刑事案件（起）":       strconv.Itoa(c.rng.IntN(3)),
		"治安案件（起）":       strconv.Itoa(c.rng.IntN(5)),
		"排查安全隐患（处）":     strconv.Itoa(hazards),
		"整改到位（处）":       strconv.Itoa(hazards - c.rng.IntN(3)),
		"新登记新居民（人）":     strconv.Itoa(residents),
		"检查出租房屋（户）":     strconv.Itoa(10 + c.rng.IntN(70)),
		"开展平安宣传（场次）":    strconv.Itoa(1 + c.rng.IntN(4)),
		"本月治安形势":        situation,
		"工作小结":          fmt.Sprintf(monthlySummaries[(vi+pi)%len(monthlySummaries)], village),
	}
}

func atoi(s string) int {
	n, _ := strconv.Atoi(s)
	return n
}

// byID keys values by field id instead of label.
func byID(t domain.ReportTemplate, byLabel map[string]string) map[int64]string {
	out := map[int64]string{}
	for _, f := range t.Fields {
		if v, ok := byLabel[f.Label]; ok {
			out[f.ID] = v
		}
	}
	return out
}

var declineNotes = []string{
	"内容与近期已采用的信息重复，暂不采用。",
	"素材较好，但缺少具体时间和数据，请补充后再报。",
	"属于日常工作，暂不作为信息采用，已转相关部门参考。",
}

// scheduleInfoReports spreads the 57 information reports over the period with their reviews.
func (c *coordDemo) scheduleInfoReports() error {
	const total = 57
	days := int(c.town.Until.Sub(c.town.From).Hours()/24) + 1
	for i := range total {
		spec := demoInfoReports[i%len(demoInfoReports)]
		village := demoVillages[(i*3+i/len(demoInfoReports))%len(demoVillages)]
		who := c.actors[village]
		created := c.clampCreate(workTime(c.day(2+i*(days-5)/total, 10, c.rng.IntN(400))))
		r := domain.InfoReport{Category: domain.InfoCategory(spec.category), Title: fmt.Sprintf(spec.title, village),
			Body: village + spec.body}
		var id int64
		c.at(created, func() error {
			var err error
			id, _, err = c.db.SubmitInfoReportTx(c.ctx, c.tx, who, r, nil)
			return err
		})
		if i >= total-4 {
			continue
		}
		adopt := i%5 < 2
		note := ""
		if !adopt {
			note = declineNotes[i%len(declineNotes)]
		}
		c.at(workTime(created.Add(c.between(18*time.Hour, 70*time.Hour))), func() error {
			_, err := c.db.ReviewInfoReportTx(c.ctx, c.tx, c.center, id, adopt, note)
			return err
		})
	}
	return nil
}

// scheduleInquiries spreads the 81 inquiries over the period. The center or the unit each was
// addressed to answers most of them, and some answers become public FAQ entries.
func (c *coordDemo) scheduleInquiries() error {
	days := int(c.town.Until.Sub(c.town.From).Hours()/24) + 1
	askers := append(slices.Clone(demoVillages), demoUnits...)
	for i, spec := range demoInquiries {
		assignee := spec.to
		asker := askers[(i*7)%len(askers)]
		if asker == assignee {
			asker = askers[(i*7+1)%len(askers)]
		}
		who := c.actors[asker]
		answerer, ok := c.actors[assignee]
		if !ok {
			return fmt.Errorf("demo: no account found to answer for %s", assignee)
		}
		asked := c.clampCreate(workTime(c.day(1+i*(days-4)/len(demoInquiries), 9, c.rng.IntN(480))))
		q := domain.Inquiry{Title: spec.title, Question: spec.question}
		var id int64
		c.at(asked, func() error {
			var err error
			id, _, err = c.db.AskInquiryTx(c.ctx, c.tx, who, q, c.town.Orgs[assignee])
			return err
		})
		if i >= len(demoInquiries)-5 {
			continue
		}
		answered := workTime(asked.Add(c.between(40*time.Minute, 50*time.Hour)))
		c.at(answered, func() error {
			_, err := c.db.AnswerInquiryTx(c.ctx, c.tx, answerer, id, spec.answer)
			return err
		})
		if i%6 == 1 {
			c.at(workTime(answered.Add(c.between(20*time.Hour, 50*time.Hour))), func() error {
				return c.db.PublishFAQTx(c.ctx, c.tx, c.center, id, spec.question, spec.answer)
			})
		}
	}
	return nil
}

// scheduleChat creates the work group's channels and its everyday messages.
func (c *coordDemo) scheduleChat() error {
	open := c.town.From.AddDate(0, 0, -2).Add(9 * time.Hour)
	c.at(open, func() error {
		id, err := c.db.EnsureDefaultChannel(c.ctx, c.tx, c.town.TownID)
		c.channels[""] = id
		return err
	})
	topics := []struct {
		name, description string
		orgs              []string
	}{
		{"防汛防台值班", "汛期值班调度和险情报告", append(slices.Clone(demoVillages), "生态环境办", "安监站")},
		{"禁毒专项工作", "禁毒宣传和专项行动的协调", []string{"高桥派出所", "禁毒办", "司法所", "桐乡市高桥中学", "新居民事务所"}},
	}
	for _, t := range topics {
		var members []int64
		for _, o := range t.orgs {
			members = append(members, c.actors[o].AccountID)
		}
		c.at(open.Add(30*time.Minute), func() error {
			id, err := c.db.CreateChannelTx(c.ctx, c.tx, c.center, domain.Channel{Name: t.name, Description: t.description}, members)
			c.channels[t.name] = id
			return err
		})
	}
	days := int(c.town.Until.Sub(c.town.From).Hours()/24) + 1
	for i, m := range chatDaily {
		t := c.clampCreate(workTime(c.day(3+i*(days-6)/len(chatDaily), 14, c.rng.IntN(180))))
		who := c.center
		switch m[0] {
		case "center":
		case "village":
			who = c.actors[demoVillages[c.rng.IntN(len(demoVillages))]]
		default:
			who = c.actors[m[0]]
		}
		c.post(t, "", who, m[1])
	}
	flood := [][2]string{
		{"center", "今晚起进入汛期值班，请各村值班人员保持电话畅通。"},
		{"越丰村", "越丰村低洼地带五户人家已逐户告知转移路线。"},
		{"生态环境办", "明天上午我们去河道沿线看一下排涝泵站。"},
		{"三门村", "三门村防汛物资已清点，编织袋缺两百只，请镇里调配。"},
		{"center", "@范国强 编织袋明天上午到镇防汛仓库领取。"},
		{"亭桥村", "亭桥村桥头水位正常，夜里安排两人巡查。"},
		{"安监站", "请各村提醒在建工地做好基坑排水和塔吊加固。"},
	}
	drugs := [][2]string{
		{"禁毒办", "禁毒宣传月活动方案已经发在通知里了，请各单位对照落实。"},
		{"桐乡市高桥中学", "学校初二年级的禁毒课定在下周五下午第二节。"},
		{"高桥派出所", "下周起开展娱乐场所清查，请新居民事务所配合核对从业人员信息。"},
		{"新居民事务所", "收到，从业人员名单我们周三前整理好。"},
		{"司法所", "社区戒毒康复人员的帮教谈话本月已全部完成。"},
	}
	for i, m := range flood {
		who := c.center
		if m[0] != "center" {
			who = c.actors[m[0]]
		}
		c.post(c.clampCreate(workTime(c.day(days/2+i, 16, 10*i))), "防汛防台值班", who, m[1])
	}
	for i, m := range drugs {
		c.post(c.clampCreate(workTime(c.day(days/3+2*i, 10, 15*i))), "禁毒专项工作", c.actors[m[0]], m[1])
	}
	return nil
}
