// Package servicedemo adds the public-service platform's records to the demo town 高桥镇: message
// board posts, live chats, cases from every channel carried through the real workflow, local
// disputes settled in the villages, and coordination matters. Every record goes through the
// same store methods as a request, with the store's clock moved to the record's moment.
package servicedemo

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"pingan/internal/board"
	"pingan/internal/demo"
	"pingan/internal/domain"
	"pingan/internal/store"
)

// Step is the demo step of the public-service platform.
func Step(ctx context.Context, tx *sql.Tx, db *store.DB, town *demo.Town) error {
	restore := db.Now
	defer func() { db.Now = restore }()
	b := &builder{ctx: store.WithTx(ctx, tx), db: db, town: town}
	steps := []func() error{b.settings, b.posts, b.brineCase, b.trafficCase, b.chats, b.townCases, b.localDisputes, b.coordination}
	for _, s := range steps {
		if err := s(); err != nil {
			return err
		}
	}
	return nil
}

type builder struct {
	ctx   context.Context
	db    *store.DB
	town  *demo.Town
	phone int
}

// at moves the store's clock to day days after the demo's first day, at hh:mm Beijing time.
func (b *builder) at(day, hh, mm int) {
	t := b.town.From.AddDate(0, 0, day).Add(time.Duration(hh)*time.Hour + time.Duration(mm)*time.Minute)
	b.db.Now = func() time.Time { return t.UTC() }
}

// later moves the clock forward by d.
func (b *builder) later(d time.Duration) {
	t := b.db.Now().Add(d)
	b.db.Now = func() time.Time { return t }
}

func (b *builder) account(username string) domain.Actor {
	for _, a := range b.town.Accounts {
		if a.Username == username {
			return domain.Actor{AccountID: a.ID, TownID: b.town.TownID, OrgID: b.town.Orgs[a.OrgName], Name: a.Name + "（" + a.Username + "）",
				Roles: a.Roles, IP: "local"}
		}
	}
	panic("demo account " + username + " missing")
}

// orgActor is a worker of an organization that has no demo account, such as a village's
// mediator; the timeline names them by their organization.
func (b *builder) orgActor(org, name string, role domain.Role) domain.Actor {
	id, ok := b.town.Orgs[org]
	if !ok {
		panic("demo org " + org + " missing")
	}
	return domain.Actor{TownID: b.town.TownID, OrgID: id, Name: name, Roles: []domain.Role{role}, IP: "local"}
}

func (b *builder) nextPhone() string {
	b.phone++
	return fmt.Sprintf("1385730%04d", 2000+b.phone)
}

func (b *builder) step(actor domain.Actor, id int64, in store.CaseInput) error {
	if _, err := b.db.CaseAction(b.ctx, actor, id, in); err != nil {
		return fmt.Errorf("demo case %d %s: %w", id, in.Action, err)
	}
	return nil
}

func (b *builder) settings() error {
	b.at(0, 8, 0)
	agent := b.account("agent")
	for _, text := range []string{
		"您好，我是今天的值班员，请问有什么可以帮您？",
		"您反映的情况我已记录，会尽快转交相关单位办理，办理结果会通知您。",
		"这个问题需要到镇便民服务中心窗口办理，地址：高桥镇人民政府一楼，工作日上午 8:30 至下午 5:00。",
		"如遇紧急情况，请立即拨打 110。",
	} {
		if err := b.db.AddCannedReply(b.ctx, agent, text); err != nil {
			return err
		}
	}
	// Put the agent on duty every day of the demo's last two weeks, so the queue has a roster.
	for d := -7; d < 14; d++ {
		day := domain.FormatDate(b.town.Until.AddDate(0, 0, d))
		if err := b.db.SetRoster(b.ctx, agent, day, agent.AccountID, true); err != nil {
			return err
		}
	}
	return nil
}

// post creates a board post at the current clock and returns its id and query code.
func (b *builder) post(kind board.Kind, title, body, name, address string, public bool) (int64, string, string, error) {
	p := board.Post{Kind: kind, Title: title, Body: body, Name: name, Phone: b.nextPhone(), Address: address, Public: public, Consent: true}
	if err := p.Validate(b.db.Now()); err != nil {
		return 0, "", "", fmt.Errorf("demo post %q: %w", title, err)
	}
	rec, _, err := b.db.CreatePost(b.ctx, b.town.TownID, store.NewPost{Post: p, SubmitToken: fmt.Sprintf("demo-%d", b.phone),
		IPHash: fmt.Sprintf("demo-ip-%d", b.phone)})
	return rec.PostID, rec.QueryCode, p.Phone, err
}

func (b *builder) posts() error {
	moderator, center := b.account("moderator"), b.account("coordinator")
	for i, s := range suggestions {
		b.at(3+i*6, 9+i%8, 10+i)
		id, _, _, err := b.post(board.Suggestion, s.title, s.body, s.name, "", true)
		if err != nil {
			return err
		}
		b.later(5 * time.Hour)
		if err := b.db.ModeratePost(b.ctx, moderator, id, store.DecisionPublish, ""); err != nil {
			return err
		}
		if s.reply != "" {
			b.later(40 * time.Hour)
			if _, err := b.db.ReplyToPost(b.ctx, center, id, s.reply); err != nil {
				return err
			}
		}
	}
	for i, h := range helpPosts {
		b.at(10+i*31, 10, 20)
		id, code, phone, err := b.post(h.kind, h.title, h.body, h.name, h.address, h.public)
		if err != nil {
			return err
		}
		b.later(3 * time.Hour)
		decision := store.DecisionPublish
		if !h.public {
			decision = store.DecisionPrivate
		}
		if err := b.db.ModeratePost(b.ctx, moderator, id, decision, ""); err != nil {
			return err
		}
		if h.reply == "" {
			continue
		}
		b.later(20 * time.Hour)
		if _, err := b.db.ReplyToPost(b.ctx, center, id, h.reply); err != nil {
			return err
		}
		if h.rating != "" {
			b.later(30 * time.Hour)
			if err := b.db.CitizenRatePost(b.ctx, b.town.TownID, code, phone, store.CitizenRating{Rating: h.rating}); err != nil {
				return err
			}
		}
	}
	// A held post: a sensitive word waits for a moderator, who rejects it.
	b.at(150, 22, 40)
	id, _, _, err := b.post(board.TipOff, "有人在微信群里招揽兼职刷单", "最近村民微信群里有人发兼职刷单返利的广告，好几个老人加了好友，担心被骗，请派出所关注。", "钱先生", "", false)
	if err != nil {
		return err
	}
	b.later(10 * time.Hour)
	if err := b.db.ModeratePost(b.ctx, moderator, id, store.DecisionPrivate, "已转派出所反诈民警关注，不公开。"); err != nil {
		return err
	}
	// A recent complaint is accepted but not answered yet, within its reply limit.
	b.at(179, 9, 40)
	if id, _, _, err = b.post(board.Complaint, "小区门口夜市油烟扰民", "大桥社区小区门口每晚有流动摊贩摆夜市，油烟和噪声很大，十点以后还不收摊，希望有关部门管一管。", "沈女士", "", true); err != nil {
		return err
	}
	b.later(2 * time.Hour)
	if err := b.db.ModeratePost(b.ctx, moderator, id, store.DecisionPublish, ""); err != nil {
		return err
	}
	// Two posts still wait in the moderation queue.
	b.at(179, 20, 5)
	if _, _, _, err := b.post(board.Suggestion, "建议在村口增设电动车充电桩", "村里不少人把电动车推到楼道里充电，很不安全。建议在村委会旁边装一排集中充电桩，按次收费也可以。", "王女士", "", true); err != nil {
		return err
	}
	b.later(30 * time.Minute)
	_, _, _, err = b.post(board.Consultation, "新居民子女入学需要哪些材料", "我们一家在高桥镇打工三年了，孩子明年上小学，请问需要准备哪些证明材料，什么时候报名？", "刘先生", "", false)
	return err
}
