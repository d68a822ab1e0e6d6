package casework

import (
	"slices"

	"pingan/internal/domain"
)

// Action is one step of the workflow. Every action, including those that keep the state
// (supervision, a handling note), is a timeline entry.
type Action string

const (
	ActRegister    Action = "register"    // 受理
	ActDecline     Action = "decline"     // 不予受理
	ActDispatch    Action = "dispatch"    // 交办
	ActAcknowledge Action = "acknowledge" // 签收
	ActHandle      Action = "handle"      // 办理（记录办理情况）
	ActReply       Action = "reply"       // 答复
	ActResolve     Action = "resolve"     // 办结
	ActFollowUp    Action = "follow_up"   // 回访
	ActClose       Action = "close"       // 结案
	ActSendBack    Action = "send_back"   // 退回
	ActEscalate    Action = "escalate"    // 上报
	ActMerge       Action = "merge"       // 合并
	ActReopen      Action = "reopen"      // 重新办理
	ActSupervise   Action = "supervise"   // 督办
)

// Actions lists every action in workflow order.
var Actions = []Action{ActRegister, ActDecline, ActDispatch, ActAcknowledge, ActHandle, ActReply, ActResolve,
	ActFollowUp, ActClose, ActSendBack, ActEscalate, ActMerge, ActReopen, ActSupervise}

var actionLabels = map[Action]string{
	ActRegister: "受理", ActDecline: "不予受理", ActDispatch: "交办", ActAcknowledge: "签收", ActHandle: "办理",
	ActReply: "答复", ActResolve: "办结", ActFollowUp: "回访", ActClose: "结案", ActSendBack: "退回",
	ActEscalate: "上报", ActMerge: "合并", ActReopen: "重新办理", ActSupervise: "督办",
}

// Label returns the Chinese name of the action.
func (a Action) Label() string {
	if l, ok := actionLabels[a]; ok {
		return l
	}
	return string(a)
}

// Party says which side of a case an actor takes. The store works it out from the actor's
// account and the case; Check then decides with the actor's roles.
type Party struct {
	Roles []domain.Role
	// Citizen is set for the visitor who opened the case with its query code and mobile number.
	Citizen bool
	// Lead and Assist are set when the actor's organization holds the case's lead or an
	// assisting assignment.
	Lead, Assist bool
	// Village is set when the actor belongs to the village (or one of its groups, grids or
	// mediation committees) that registered a local case.
	Village bool
}

func (p Party) can(perm domain.Permission) bool { return domain.HasPermission(p.Roles, perm) }

// Facts are what the rules need to know about a case.
type Facts struct {
	State   State
	Channel Channel
	// Local is set for a dispute a village registered to settle itself; it is cleared when the
	// village escalates it to the town.
	Local bool
}

// manager reports whether the party runs the case: the center's dispatcher, a coordinator for a
// coordination matter, or the village for its own local case.
func (p Party) manager(f Facts) bool {
	if p.Citizen {
		return false
	}
	if f.Local {
		return p.Village && p.can(domain.PermCasesLocal)
	}
	if p.can(domain.PermCasesDispatch) {
		return true
	}
	return f.Channel == ChannelCoordination && p.can(domain.PermCoordinationManage)
}

// center reports whether the party is the governance center for this case (supervision is the
// center's alone, also over local cases).
func (p Party) center(f Facts) bool {
	if p.Citizen {
		return false
	}
	return p.can(domain.PermCasesDispatch) || f.Channel == ChannelCoordination && p.can(domain.PermCoordinationManage)
}

// lead reports whether the party handles the case as its lead unit.
func (p Party) lead() bool {
	return !p.Citizen && p.Lead && (p.can(domain.PermCasesHandle) || p.can(domain.PermCasesLocal))
}

// assist reports whether the party handles the case as an assisting unit (and not as the lead).
func (p Party) assist() bool {
	return !p.Citizen && p.Assist && !p.Lead && (p.can(domain.PermCasesHandle) || p.can(domain.PermCasesLocal))
}

type rule struct {
	from []State
	to   State // "" keeps the state
	who  func(p Party, f Facts) bool
}

var workable = []State{Dispatched, Acknowledged, InProgress, Replied}

// rules is the workflow: for each action, the states it starts from, the state it leads to, and
// who may take it. Assisting units act on their own assignment only (see AssistActions).
var rules = map[Action][]rule{
	ActRegister: {{from: []State{None}, to: Registered, who: func(p Party, f Facts) bool {
		switch {
		case p.Citizen:
			return false
		case f.Local:
			return p.can(domain.PermCasesLocal)
		case f.Channel == ChannelChat && p.can(domain.PermChatAgent):
			return true
		}
		return p.manager(f)
	}}},
	ActDecline:     {{from: []State{Registered, SentBack, Escalated}, to: Closed, who: Party.manager}},
	ActDispatch:    {{from: []State{Registered, SentBack, Escalated}, to: Dispatched, who: Party.manager}},
	ActAcknowledge: {{from: []State{Dispatched}, to: Acknowledged, who: leadOnly}},
	ActSendBack:    {{from: []State{Dispatched, Acknowledged}, to: SentBack, who: leadOnly}},
	ActHandle: {
		{from: []State{Acknowledged, InProgress}, to: InProgress, who: leadOnly},
		{from: []State{Replied}, to: Replied, who: leadOnly},
	},
	ActReply:     {{from: []State{Acknowledged, InProgress, Replied}, to: Replied, who: leadOnly}},
	ActResolve:   {{from: []State{Acknowledged, InProgress, Replied}, to: Resolved, who: leadOnly}},
	ActFollowUp:  {{from: []State{Resolved}, to: FollowedUp, who: func(p Party, f Facts) bool { return p.Citizen || p.manager(f) }}},
	ActClose:     {{from: []State{Resolved, FollowedUp}, to: Closed, who: Party.manager}},
	ActEscalate:  {{from: []State{Registered, SentBack}, to: Escalated, who: Party.manager}},
	ActMerge:     {{from: []State{Registered, SentBack, Dispatched, Acknowledged, InProgress}, to: Closed, who: Party.manager}},
	ActSupervise: {{from: workable, to: "", who: func(p Party, f Facts) bool { return p.center(f) }}},
	ActReopen: {
		{from: []State{Resolved, FollowedUp}, to: Dispatched, who: func(p Party, f Facts) bool { return p.Citizen || p.manager(f) }},
		{from: []State{Closed}, to: Dispatched, who: Party.manager},
	},
}

func leadOnly(p Party, _ Facts) bool { return p.lead() }

// AssistActions are what an assisting unit does on its own assignment while the case is being
// worked on; they add a timeline entry and leave the case's state to the lead unit.
var AssistActions = []Action{ActAcknowledge, ActHandle, ActReply, ActResolve}

// Check returns the state the case moves to when p takes action a, or an error: KindForbidden
// when p may not take it, KindConflict when the case's state does not allow it. A supervision,
// an assisting unit's step and a note on a replied case keep the state.
func Check(p Party, f Facts, a Action) (State, error) {
	rs, ok := rules[a]
	if !ok {
		return "", domain.Invalid("未知的操作。")
	}
	stateFits := false
	for _, r := range rs {
		if !slices.Contains(r.from, f.State) {
			continue
		}
		stateFits = true
		if r.who(p, f) {
			if r.to == "" {
				return f.State, nil
			}
			return r.to, nil
		}
	}
	if p.assist() && slices.Contains(AssistActions, a) && slices.Contains(workable, f.State) {
		return f.State, nil
	}
	if !stateFits {
		return "", domain.Conflict("工单当前状态为“" + f.State.Label() + "”，不能" + a.Label() + "。请刷新页面查看最新进展。")
	}
	return "", domain.Forbidden("您无权对该工单执行“" + a.Label() + "”。")
}

// Allowed lists the actions p may take on a case in f, in workflow order, for the buttons of
// the case page.
func Allowed(p Party, f Facts) []Action {
	var out []Action
	for _, a := range Actions {
		if a == ActRegister {
			continue
		}
		if _, err := Check(p, f, a); err == nil {
			out = append(out, a)
		}
	}
	return out
}
