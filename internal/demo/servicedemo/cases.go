package servicedemo

import (
	"time"

	"pingan/internal/board"
	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
)

// brineCase carries the pickle factory's brine through every step: a resident's public post,
// moderation, registration, dispatch to the ecology office, an inspection with the city's
// environment bureau, a reply with a promised date, an agreed treatment plan, the resident's
// rating with the query code and closing.
func (b *builder) brineCase() error {
	moderator, dispatcher, ecology := b.account("moderator"), b.account("dispatcher"), b.account("ecology")
	b.at(34, 7, 45)
	postID, code, phone, err := b.post(board.Complaint, "酱菜厂往河里倒卤水，河水发黑发臭",
		"三门村南边的一家酱菜腌制厂，最近几天晚上把腌菜的卤水直接倒进厂后面的小河里。现在河水已经发黑，有很重的酸臭味，河里的鱼也死了不少。希望政府尽快来查一查。",
		"沈建华", "高桥镇三门村南港组", true)
	if err != nil {
		return err
	}
	b.later(90 * time.Minute)
	if err := b.db.ModeratePost(b.ctx, moderator, postID, store.DecisionPublish, ""); err != nil {
		return err
	}
	b.later(30 * time.Minute)
	reg, err := b.db.RegisterCase(b.ctx, dispatcher, store.NewCase{Channel: casework.ChannelBoard, Category: casework.CategoryEnvironment,
		Title: "酱菜厂往河里倒卤水，河水发黑发臭", Body: "留言反映三门村南边酱菜腌制厂夜间向河道倾倒卤水，河水发黑发臭、出现死鱼。", PostID: postID})
	if err != nil {
		return err
	}
	b.later(20 * time.Minute)
	if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs["生态环境办"],
		AssistOrgIDs: []int64{b.town.Orgs["三门村"]}, Note: "请生态环境办牵头，会同市生态环境局现场核查，三门村配合。"}); err != nil {
		return err
	}
	village := b.orgActor("三门村", "三门村村委会", domain.RoleUnitHandler)
	b.later(40 * time.Minute)
	if err := b.step(ecology, reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
		return err
	}
	b.later(30 * time.Minute)
	if err := b.step(village, reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
		return err
	}
	b.later(5 * time.Hour)
	if err := b.step(ecology, reg.ID, store.CaseInput{Action: casework.ActHandle,
		Note: "当天下午会同桐乡市生态环境局执法人员到现场检查：该厂腌制池卤水经软管排入厂后河道，排放口附近水体发黑。已现场取样送检，责令立即停止排放、封堵排放口。"}); err != nil {
		return err
	}
	b.later(2 * time.Hour)
	if err := b.step(village, reg.ID, store.CaseInput{Action: casework.ActHandle, Note: "村里已安排人员每天早晚巡查该河段，并在河边设置临时围挡。"}); err != nil {
		return err
	}
	b.later(20 * time.Hour)
	if err := b.step(ecology, reg.ID, store.CaseInput{Action: casework.ActReply, PromisedAt: b.db.Now().AddDate(0, 0, 20),
		Note: "您好，您反映的问题属实。我办已会同市生态环境局现场检查，责令该厂停止排放并封堵排放口，检测报告出来后将依法处理，并督促企业制定卤水收集处理方案，预计 20 天内完成整改。"}); err != nil {
		return err
	}
	b.later(9 * 24 * time.Hour)
	if err := b.step(ecology, reg.ID, store.CaseInput{Action: casework.ActHandle,
		Note: "检测结果显示排放口水样化学需氧量、氯化物严重超标。市生态环境局已立案处罚。经与企业、三门村共同商定治理方案：企业新建卤水收集池，卤水委托有资质单位统一处置；河道由村里组织清淤、补水。"}); err != nil {
		return err
	}
	b.later(8 * 24 * time.Hour)
	if err := b.step(ecology, reg.ID, store.CaseInput{Action: casework.ActResolve,
		Note: "卤水收集池已建成投用，企业与处置单位签订处置合同；河道清淤完成，经复测水质恢复正常。"}); err != nil {
		return err
	}
	b.later(26 * time.Hour)
	if err := b.db.CitizenRatePost(b.ctx, b.town.TownID, code, phone, store.CitizenRating{Rating: casework.Satisfied, Reason: "处理及时，河水清了。"}); err != nil {
		return err
	}
	b.later(3 * time.Hour)
	return b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActClose, Outcome: casework.Solved, Note: "企业整改到位，群众满意。"})
}

// trafficCase carries the dispute after a traffic accident in 越丰村扶国桥组: a villager's visit,
// dispatch to the police station with the judicial office assisting, mediation and agreement.
func (b *builder) trafficCase() error {
	dispatcher, police, judicial := b.account("dispatcher"), b.account("police"), b.account("judicial")
	b.at(62, 9, 5)
	reg, err := b.db.RegisterCase(b.ctx, dispatcher, store.NewCase{Channel: casework.ChannelVisit, Category: casework.CategoryDispute,
		Title:   "扶国桥组交通事故赔偿纠纷",
		Body:    "越丰村扶国桥组村民来访反映：上周其骑电动车在村道被同组村民驾驶的小货车刮倒，左腿骨折住院。双方对医药费和误工费赔偿金额争执不下，多次发生口角，请求帮助调解。",
		Citizen: store.Citizen{Name: "沈国良", Phone: "13857301688", Address: "高桥镇越丰村扶国桥组"}})
	if err != nil {
		return err
	}
	b.later(25 * time.Minute)
	if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs["高桥派出所"],
		AssistOrgIDs: []int64{b.town.Orgs["司法所"]}, Note: "请派出所核实事故责任，司法所协助组织调解。"}); err != nil {
		return err
	}
	seq := []struct {
		who   string
		after time.Duration
		in    store.CaseInput
	}{
		{"police", 50 * time.Minute, store.CaseInput{Action: casework.ActAcknowledge}},
		{"judicial", 70 * time.Minute, store.CaseInput{Action: casework.ActAcknowledge}},
		{"police", 26 * time.Hour, store.CaseInput{Action: casework.ActHandle, Note: "调取了事故责任认定书：货车驾驶人负主要责任，电动车驾驶人未戴头盔负次要责任。"}},
		{"judicial", 24 * time.Hour, store.CaseInput{Action: casework.ActHandle, Note: "在越丰村调解室组织双方调解，村调委会主任参加。初步确定按 7:3 分担医药费、误工费和护理费。"}},
		{"police", 3 * time.Hour, store.CaseInput{Action: casework.ActReply, Note: "您好，经调解，双方同意按事故责任比例分担损失，货车方承担 70%，共计赔偿 38600 元，保险理赔部分由保险公司直接支付。"}},
		{"police", 48 * time.Hour, store.CaseInput{Action: casework.ActResolve, Note: "双方签订人民调解协议书，赔偿款已一次性付清，双方表示不再追究。"}},
	}
	for _, s := range seq {
		b.later(s.after)
		who := police
		if s.who == "judicial" {
			who = judicial
		}
		if err := b.step(who, reg.ID, s.in); err != nil {
			return err
		}
	}
	b.later(30 * time.Hour)
	if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActFollowUp, Rating: casework.Satisfied, Note: "电话回访：当事人对调解结果满意。"}); err != nil {
		return err
	}
	b.later(time.Hour)
	return b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActClose, Outcome: casework.Solved})
}

func (b *builder) chats() error {
	agent := b.account("agent")
	for i, c := range chats {
		b.at(c.day, 10+i%5, 15)
		phone := ""
		if c.toCase {
			phone = b.nextPhone()
		}
		ch, err := b.db.CreateChat(b.ctx, b.town.TownID, store.NewChat{Name: c.name, Phone: phone, Topic: c.topic,
			TokenHash: "demo-chat-" + c.topic, IPHash: "demo-chat"})
		if err != nil {
			return err
		}
		b.later(2 * time.Minute)
		if _, err := b.db.TakeChat(b.ctx, agent, ch.ID); err != nil {
			return err
		}
		for j, line := range c.lines {
			b.later(90 * time.Second)
			if j%2 == 0 {
				_, err = b.db.VisitorMessage(b.ctx, "demo-chat-"+c.topic, line)
			} else {
				_, err = b.db.AgentMessage(b.ctx, agent, ch.ID, line)
			}
			if err != nil {
				return err
			}
		}
		b.later(time.Minute)
		if _, err := b.db.EndChat(b.ctx, agent, ch.ID, c.resolved); err != nil {
			return err
		}
		if c.rating != "" {
			if err := b.db.RateChat(b.ctx, "demo-chat-"+c.topic, store.CitizenRating{Rating: c.rating}); err != nil {
				return err
			}
		}
		if !c.toCase {
			continue
		}
		b.later(5 * time.Minute)
		reg, err := b.db.ChatToCase(b.ctx, agent, ch.ID, casework.CategoryEnvironment, "南日村养殖场异味扰民")
		if err != nil {
			return err
		}
		dispatcher, ecology := b.account("dispatcher"), b.account("ecology")
		b.later(time.Hour)
		if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs["生态环境办"], AssistOrgIDs: []int64{b.town.Orgs["南日村"]}}); err != nil {
			return err
		}
		for _, in := range []store.CaseInput{
			{Action: casework.ActAcknowledge},
			{Action: casework.ActReply, Note: "已现场核查，该养殖场粪污处理设施老化，已责令限期整改。"},
			{Action: casework.ActResolve, Note: "养殖场已更换粪污处理设备并加盖密闭，异味明显减轻。"},
		} {
			b.later(30 * time.Hour)
			if err := b.step(ecology, reg.ID, in); err != nil {
				return err
			}
		}
	}
	return nil
}
