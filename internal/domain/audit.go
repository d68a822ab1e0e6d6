package domain

import "time"

// Outcome of an audited action.
const (
	OutcomeSuccess = "success"
	OutcomeFailure = "failure"
	OutcomeDenied  = "denied"
)

// AuditEntry is one row of the append-only audit trail.
type AuditEntry struct {
	ID         int64
	TownID     int64
	At         time.Time
	ActorID    int64
	ActorName  string
	IP         string
	Action     string
	ObjectType string
	ObjectID   string
	Outcome    string
	Detail     string
}

// AuditFilter selects audit entries; zero fields do not filter.
type AuditFilter struct {
	From, To   time.Time // [From, To)
	ActorName  string
	Action     string
	ObjectType string
	ObjectID   string
	Outcome    string
	IP         string
}

// MinAuditRetentionDays is the shortest time audit records are kept: the MLPS level-2 baseline
// requires at least six months, and 190 days leaves a margin over that.
const MinAuditRetentionDays = 190

var actionLabels = map[string]string{
	"auth.sign_in":           "登录",
	"auth.sign_in_failed":    "登录失败",
	"auth.locked":            "账号锁定",
	"auth.sign_out":          "退出登录",
	"auth.sign_out_all":      "退出全部会话",
	"auth.password_change":   "修改密码",
	"account.create":         "新建账号",
	"account.update":         "修改账号",
	"account.disable":        "停用账号",
	"account.enable":         "启用账号",
	"account.unlock":         "解锁账号",
	"account.reset_password": "重置密码",
	"account.roles":          "分配角色",
	"account.import":         "导入账号",
	"org.create":             "新建组织",
	"org.update":             "修改组织",
	"org.delete":             "删除组织",
	"org.import":             "导入组织",
	"settings.update":        "修改站点设置",
	"security.policy":        "修改安全策略",
	"audit.export":           "导出审计日志",
	"access.denied":          "越权访问被拒绝",
	"system.init":            "系统初始化",
	"demo.load":              "载入演示数据",
	"backup.create":          "创建备份",
}

// ActionLabel returns the Chinese name of an audit action, or the action itself.
func ActionLabel(action string) string {
	if l, ok := actionLabels[action]; ok {
		return l
	}
	return action
}

// RegisterActionLabels adds Chinese names for the audit actions of a feature area.
// It is meant for package initialization of variables, before any request is served.
func RegisterActionLabels(labels map[string]string) {
	for k, v := range labels {
		actionLabels[k] = v
	}
}

// OutcomeLabel returns the Chinese name of an outcome.
func OutcomeLabel(o string) string {
	switch o {
	case OutcomeSuccess:
		return "成功"
	case OutcomeFailure:
		return "失败"
	case OutcomeDenied:
		return "拒绝"
	}
	return o
}

var objectTypeLabels = map[string]string{
	"account": "账号", "org": "组织", "settings": "设置", "import": "导入", "audit": "审计日志", "backup": "备份",
	"route": "页面", "file": "文件", "stats": "统计", "article": "稿件", "column": "栏目", "topic": "专题",
	"pending_article": "待编稿件", "notice": "通知", "notification": "提醒", "report": "报表",
	"report_assignment": "报表任务", "report_template": "报表模板", "info_report": "上报信息", "inquiry": "询问事项",
	"wg_channel": "工作群频道", "wg_message": "工作群消息", "board_post": "留言", "case": "工单", "chat": "在线咨询",
	"canned_reply": "常用回复", "calendar": "节假日日历", "site_error": "网站纠错",
}

// ObjectTypeLabel returns the Chinese name of an audited object type, or the type itself.
func ObjectTypeLabel(t string) string {
	if l, ok := objectTypeLabels[t]; ok {
		return l
	}
	return t
}
