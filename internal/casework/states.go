// Package casework is the case workflow (工单) of the public-service platform: the states, the
// actions that move a case between them and who may take each, the channels a case comes from,
// the categories with their time limits in working days, closing outcomes, satisfaction ratings,
// case numbers and query codes. It imports neither net/http nor database/sql.
package casework

// State is where a case stands. The case's state is always the target state of its last
// timeline step.
type State string

const (
	None         State = ""             // before registration
	Registered   State = "registered"   // 已受理
	Dispatched   State = "dispatched"   // 已交办
	Acknowledged State = "acknowledged" // 已签收
	InProgress   State = "in_progress"  // 办理中
	Replied      State = "replied"      // 已答复
	Resolved     State = "resolved"     // 已办结
	FollowedUp   State = "followed_up"  // 已回访
	Closed       State = "closed"       // 已结案
	SentBack     State = "sent_back"    // 已退回，待重新交办
	Escalated    State = "escalated"    // 已上报
)

// States lists every state in workflow order.
var States = []State{Registered, Dispatched, Acknowledged, InProgress, Replied, Resolved, FollowedUp, Closed, SentBack, Escalated}

var stateLabels = map[State]string{
	None: "未受理", Registered: "已受理", Dispatched: "已交办", Acknowledged: "已签收", InProgress: "办理中",
	Replied: "已答复", Resolved: "已办结", FollowedUp: "已回访", Closed: "已结案", SentBack: "已退回",
	Escalated: "已上报",
}

// Label returns the Chinese name of the state.
func (s State) Label() string {
	if l, ok := stateLabels[s]; ok {
		return l
	}
	return string(s)
}

// Valid reports whether s is a known state other than None.
func (s State) Valid() bool { _, ok := stateLabels[s]; return ok && s != None }

// Open reports whether the case still waits for work: it is neither resolved nor closed.
func (s State) Open() bool {
	switch s {
	case Resolved, FollowedUp, Closed:
		return false
	}
	return true
}

// Active reports whether units are working on the case, so that its deadlines run.
func (s State) Active() bool {
	switch s {
	case Dispatched, Acknowledged, InProgress, Replied:
		return true
	}
	return false
}

// Outcome is what closing a case records. Only Solved counts as solved in the statistics, and
// the citizen is told exactly the outcome, never "solved" for another one.
type Outcome string

const (
	Solved         Outcome = "solved"          // 已解决
	Answered       Outcome = "answered"        // 已答复说明
	Declined       Outcome = "declined"        // 不予受理
	NotResponsible Outcome = "not_responsible" // 不属本镇职责
	Merged         Outcome = "merged"          // 已合并
)

// CloseOutcomes are the outcomes a person may choose when closing a resolved case; Declined and
// Merged come only from their own actions.
var CloseOutcomes = []Outcome{Solved, Answered, NotResponsible}

var outcomeLabels = map[Outcome]string{
	Solved: "已解决", Answered: "已答复说明", Declined: "不予受理", NotResponsible: "不属本镇职责", Merged: "与其他工单合并办理",
}

// Label returns the Chinese name of the outcome.
func (o Outcome) Label() string {
	if l, ok := outcomeLabels[o]; ok {
		return l
	}
	return string(o)
}

// Valid reports whether o is a known outcome.
func (o Outcome) Valid() bool { _, ok := outcomeLabels[o]; return ok }

// Rating is the citizen's satisfaction rating.
type Rating string

const (
	Satisfied    Rating = "satisfied"    // 满意
	Basically    Rating = "basically"    // 基本满意
	Dissatisfied Rating = "dissatisfied" // 不满意
)

// Ratings lists the ratings in the order forms offer them.
var Ratings = []Rating{Satisfied, Basically, Dissatisfied}

// Label returns the Chinese name of the rating.
func (r Rating) Label() string {
	switch r {
	case Satisfied:
		return "满意"
	case Basically:
		return "基本满意"
	case Dissatisfied:
		return "不满意"
	}
	return string(r)
}

// Valid reports whether r is a known rating.
func (r Rating) Valid() bool { return r == Satisfied || r == Basically || r == Dissatisfied }

// Counted reports whether the rating counts as satisfied in the satisfaction rate.
func (r Rating) Counted() bool { return r == Satisfied || r == Basically }
