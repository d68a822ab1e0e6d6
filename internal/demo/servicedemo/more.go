package servicedemo

import (
	"fmt"
	"slices"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
)

// townCases registers the center's phone, visit and patrol cases and carries each to its stage.
func (b *builder) townCases() error {
	dispatcher := b.account("dispatcher")
	for _, tc := range townCases {
		b.at(tc.day, 9, 30)
		reg, err := b.db.RegisterCase(b.ctx, dispatcher, store.NewCase{Channel: tc.channel, Category: tc.category, Title: tc.title, Body: tc.body,
			Citizen: store.Citizen{Name: tc.name, Phone: b.nextPhone()}})
		if err != nil {
			return fmt.Errorf("demo case %s: %w", tc.title, err)
		}
		var assists []int64
		for _, a := range tc.assists {
			assists = append(assists, b.town.Orgs[a])
		}
		b.later(time.Hour)
		if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs[tc.lead], AssistOrgIDs: assists}); err != nil {
			return err
		}
		if tc.stage == "overdue" {
			b.later(6 * 24 * time.Hour)
			if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActSupervise, Note: "已超过签收时限，请立即签收办理。"}); err != nil {
				return err
			}
			continue
		}
		lead := b.orgActor(tc.lead, tc.lead+"经办人", domain.RoleUnitHandler)
		b.later(3 * time.Hour)
		if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
			return err
		}
		if tc.stage == "supervised" {
			for i, note := range []string{"答复已超期，请于两个工作日内答复群众。", "第二次督办：请单位负责人过问，明日前报送办理情况。"} {
				b.later(time.Duration(7+i*3) * 24 * time.Hour)
				if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActSupervise, Note: note}); err != nil {
					return err
				}
			}
			continue
		}
		b.later(20 * time.Hour)
		if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActReply, Note: tc.reply}); err != nil {
			return err
		}
		b.later(48 * time.Hour)
		if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActResolve, Note: tc.reply}); err != nil {
			return err
		}
		switch tc.stage {
		case "closed":
			b.later(24 * time.Hour)
			if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActFollowUp, Rating: casework.Satisfied, Note: "电话回访满意。"}); err != nil {
				return err
			}
			if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActClose, Outcome: casework.Solved}); err != nil {
				return err
			}
		case "reopened":
			b.later(4 * 24 * time.Hour)
			if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActFollowUp, Rating: casework.Dissatisfied, Note: "回访时群众反映近几天夜间仍有施工。"}); err != nil {
				return err
			}
			if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActReopen, Note: "群众反映问题仍未解决，重新交办，请加强夜间巡查。"}); err != nil {
				return err
			}
			b.later(5 * time.Hour)
			if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
				return err
			}
		}
	}
	return nil
}

// localDisputes registers disputes that villages settle themselves, and one the village
// escalates to the town.
func (b *builder) localDisputes() error {
	n := 0
	for round := 0; round < 5; round++ {
		for vi, v := range disputeVillages {
			if round == 4 && vi >= 6 {
				break
			}
			k := disputeKinds[(round*len(disputeVillages)+vi)%len(disputeKinds)]
			b.at(5+round*35+vi*3, 14, 10)
			worker := b.orgActor(v.village, v.village+"调解员", domain.RoleReporter)
			if v.village == "越丰村" && round%2 == 0 {
				worker = b.account("grid")
			}
			reg, err := b.db.RegisterCase(b.ctx, worker, store.NewCase{Channel: casework.ChannelVisit, Category: casework.CategoryDispute,
				Title: k.title, Body: k.body, Local: true, Citizen: store.Citizen{Name: disputeNames[n%len(disputeNames)], Phone: b.nextPhone()}})
			if err != nil {
				return err
			}
			n++
			handler := b.orgActor(v.org, v.org+"调解员", domain.RoleReporter)
			if v.org == v.village {
				handler = b.orgActor(v.village, v.village+"调解员", domain.RoleReporter)
			}
			steps := []store.CaseInput{
				{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs[v.org]},
				{Action: casework.ActAcknowledge},
				{Action: casework.ActResolve, Note: k.note},
				{Action: casework.ActClose, Outcome: casework.Solved},
			}
			// In the fourth round the villages ask the parties how they feel about the
			// settlement, so the villages' satisfaction rates differ.
			if round == 3 {
				rating := disputeRatings[vi%len(disputeRatings)]
				steps = append(steps[:3], store.CaseInput{Action: casework.ActFollowUp, Rating: rating, Note: "电话回访当事人。"}, steps[3])
			}
			// Two settlements take longer than the dispute's limits, so the villages'
			// on-time rates differ.
			late := (round == 1 && vi == 2) || (round == 2 && vi == 6)
			for i, in := range steps {
				b.later(time.Duration(2+i*20) * time.Hour)
				if late && in.Action == casework.ActResolve {
					b.later(12 * 24 * time.Hour)
				}
				who := handler
				if in.Action == casework.ActDispatch || in.Action == casework.ActFollowUp || in.Action == casework.ActClose {
					who = b.orgActor(v.village, v.village+"调解员", domain.RoleReporter)
				}
				if err := b.step(who, reg.ID, in); err != nil {
					return err
				}
			}
		}
	}
	// One dispute goes beyond the village: it escalates it to the town, which dispatches it.
	b.at(133, 15, 0)
	village := b.orgActor("高桥村", "高桥村调解员", domain.RoleReporter)
	reg, err := b.db.RegisterCase(b.ctx, village, store.NewCase{Channel: casework.ChannelVisit, Category: casework.CategoryDispute,
		Title: "企业与村民噪声纠纷", Body: "村民反映村边一家企业夜间生产噪声大，与企业多次协商不成，双方情绪激动。", Local: true,
		Citizen: store.Citizen{Name: "严先生", Phone: b.nextPhone()}})
	if err != nil {
		return err
	}
	b.later(3 * time.Hour)
	if err := b.step(village, reg.ID, store.CaseInput{Action: casework.ActEscalate, Note: "涉及企业环保问题，村里调解不成，上报镇综治中心。"}); err != nil {
		return err
	}
	dispatcher := b.account("dispatcher")
	b.later(2 * time.Hour)
	if err := b.step(dispatcher, reg.ID, store.CaseInput{Action: casework.ActDispatch, LeadOrgID: b.town.Orgs["生态环境办"], AssistOrgIDs: []int64{b.town.Orgs["司法所"]}}); err != nil {
		return err
	}
	ecology := b.account("ecology")
	for _, in := range []store.CaseInput{
		{Action: casework.ActAcknowledge},
		{Action: casework.ActReply, Note: "已对企业噪声进行监测，夜间超标，责令加装隔音设施并调整生产时间。"},
		{Action: casework.ActResolve, Note: "企业隔音设施已安装，复测达标，村民认可。"},
	} {
		b.later(26 * time.Hour)
		if err := b.step(ecology, reg.ID, in); err != nil {
			return err
		}
	}
	return nil
}

var disputeNames = []string{"张建林", "沈美芳", "徐国强", "陆雪琴", "朱志明", "钱丽萍", "吴海龙", "姚秀英", "蒋伟", "褚桂英", "俞建华", "屠玉珍"}

// coordination registers the center's coordination matters, dispatches them to several units
// and carries most of them to closing.
func (b *builder) coordination() error {
	coordinator := b.account("coordinator")
	matters, days, err := planCoordination(b.town.From)
	if err != nil {
		return err
	}
	for i, m := range matters {
		b.at(days[i], 8, 40)
		var assists []int64
		for _, a := range m.assists {
			assists = append(assists, b.town.Orgs[a])
		}
		reg, err := b.db.RegisterCoordination(b.ctx, coordinator, store.NewCase{Title: m.title, Body: m.body}, b.town.Orgs[m.lead], assists)
		if err != nil {
			return fmt.Errorf("demo coordination %s: %w", m.title, err)
		}
		lead := b.orgActor(m.lead, m.lead+"经办人", domain.RoleUnitHandler)
		b.later(4 * time.Hour)
		if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
			return err
		}
		for _, a := range m.assists {
			b.later(time.Hour)
			if err := b.step(b.orgActor(a, a+"经办人", domain.RoleUnitHandler), reg.ID, store.CaseInput{Action: casework.ActAcknowledge}); err != nil {
				return err
			}
		}
		if m.open {
			continue
		}
		b.later(3 * 24 * time.Hour)
		if err := b.step(lead, reg.ID, store.CaseInput{Action: casework.ActResolve, Note: "已按要求完成，情况报综治中心。"}); err != nil {
			return err
		}
		b.later(24 * time.Hour)
		if err := b.step(coordinator, reg.ID, store.CaseInput{Action: casework.ActClose, Outcome: casework.Solved}); err != nil {
			return err
		}
	}
	return nil
}

// planCoordination returns the coordination matters of a half year starting on from (Beijing
// time), with the day offset each is registered on, seasonal ones replaced out of season.
func planCoordination(from time.Time) ([]coordinationMatter, []int, error) {
	out := make([]coordinationMatter, 0, len(coordinationMatters))
	days := make([]int, 0, len(coordinationMatters))
	spare := 0
	for i, m := range coordinationMatters {
		day := 2 + i*8
		month := from.AddDate(0, 0, day).Month()
		if m.months != nil && !slices.Contains(m.months, month) {
			if spare == len(offSeasonMatters) {
				return nil, nil, fmt.Errorf("demo coordination: no replacement left for %s in %s", m.title, month)
			}
			replacement := offSeasonMatters[spare]
			replacement.open = m.open
			m = replacement
			spare++
		}
		out = append(out, m)
		days = append(days, day)
	}
	return out, days, nil
}
