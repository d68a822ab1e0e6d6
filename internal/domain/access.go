package domain

import (
	"slices"
	"strings"
)

// Role is a named set of permissions given to an account.
type Role string

// The three administrator roles of the separation of duties (三权分立). No account holds two of
// them, none of them holds a working role, and none is a super-user: each has only its own
// permissions.
const (
	RoleSystemAdmin   Role = "system_admin"   // 系统管理员
	RoleSecurityAdmin Role = "security_admin" // 安全管理员
	RoleAuditAdmin    Role = "audit_admin"    // 审计管理员
)

// Working roles, which an account may combine.
const (
	RoleEditor      Role = "editor"       // 中心编辑
	RoleDispatcher  Role = "dispatcher"   // 中心派单员
	RoleCoordinator Role = "coordinator"  // 中心协调员: notices, report forms, inquiries, information reports
	RoleModerator   Role = "moderator"    // 留言审核员
	RoleAgent       Role = "agent"        // 在线咨询值班员
	RoleUnitHandler Role = "unit_handler" // 成员单位办理人
	RoleReporter    Role = "reporter"     // 村（单位）信息员
	RoleGridWorker  Role = "grid_worker"  // 网格员
)

// AdminRoles are the three roles that exclude each other and every working role.
var AdminRoles = []Role{RoleSystemAdmin, RoleSecurityAdmin, RoleAuditAdmin}

// WorkingRoles are the roles an account may combine freely.
var WorkingRoles = []Role{RoleEditor, RoleDispatcher, RoleCoordinator, RoleModerator, RoleAgent,
	RoleUnitHandler, RoleReporter, RoleGridWorker}

// AllRoles lists administrator roles first, then working roles.
var AllRoles = append(slices.Clone(AdminRoles), WorkingRoles...)

var roleLabels = map[Role]string{
	RoleSystemAdmin: "系统管理员", RoleSecurityAdmin: "安全管理员", RoleAuditAdmin: "审计管理员",
	RoleEditor: "中心编辑", RoleDispatcher: "中心派单员", RoleCoordinator: "中心协调员",
	RoleModerator: "留言审核员", RoleAgent: "在线咨询值班员", RoleUnitHandler: "成员单位办理人",
	RoleReporter: "村（单位）信息员", RoleGridWorker: "网格员",
}

// Label returns the Chinese name of the role.
func (r Role) Label() string {
	if l, ok := roleLabels[r]; ok {
		return l
	}
	return string(r)
}

// Valid reports whether r is a known role.
func (r Role) Valid() bool { _, ok := roleLabels[r]; return ok }

// IsAdmin reports whether r is one of the three administrator roles.
func (r Role) IsAdmin() bool { return slices.Contains(AdminRoles, r) }

// ParseRole accepts the code or the Chinese label of a role.
func ParseRole(s string) (Role, bool) {
	s = strings.TrimSpace(s)
	if Role(s).Valid() {
		return Role(s), true
	}
	for r, l := range roleLabels {
		if l == s {
			return r, true
		}
	}
	return "", false
}

// ValidateRoles enforces the separation of duties: an administrator role stands alone.
func ValidateRoles(roles []Role) error {
	admins := 0
	for _, r := range roles {
		if !r.Valid() {
			return Invalid("未知的角色：" + string(r) + "。")
		}
		if r.IsAdmin() {
			admins++
		}
	}
	if admins > 1 {
		return Invalid("系统管理员、安全管理员、审计管理员三者必须分设，同一账号只能担任其中之一。")
	}
	if admins == 1 && len(roles) > 1 {
		return Invalid("管理员账号不能同时担任业务角色，请为业务工作另建账号。")
	}
	return nil
}

// Permission is one thing an account may do. Routes name the permission they need.
type Permission string

const (
	// PermSignedIn is held by every signed-in account: its own password, the back-office frame.
	PermSignedIn Permission = "signed_in"

	PermOrgsManage      Permission = "orgs.manage"      // 管理组织机构
	PermAccountsManage  Permission = "accounts.manage"  // 管理账号
	PermSettingsManage  Permission = "settings.manage"  // 管理站点设置
	PermRolesAssign     Permission = "roles.assign"     // 分配角色
	PermSecurityPolicy  Permission = "security.policy"  // 设置安全策略
	PermAuditRead       Permission = "audit.read"       // 查阅审计日志
	PermPermissionsView Permission = "permissions.view" // 查看权限表

	PermArticlesEdit       Permission = "articles.edit"       // 编辑稿件
	PermArticlesReview     Permission = "articles.review"     // 审核发布稿件
	PermArticlesContribute Permission = "articles.contribute" // 投稿
	PermColumnsManage      Permission = "columns.manage"      // 管理栏目
	PermSiteErrors         Permission = "site_errors.handle"  // 处理网站纠错

	PermNoticesIssue      Permission = "notices.issue"       // 下发通知
	PermNoticesReceive    Permission = "notices.receive"     // 接收通知
	PermReportsManage     Permission = "reports.manage"      // 管理报表
	PermReportsSubmit     Permission = "reports.submit"      // 填报报表
	PermInfoReportsReview Permission = "info_reports.review" // 采用上报信息
	PermInfoReportsSubmit Permission = "info_reports.submit" // 上报信息
	PermInquiriesAnswer   Permission = "inquiries.answer"    // 答复询问
	PermInquiriesAsk      Permission = "inquiries.ask"       // 提出询问
	PermWorkGroup         Permission = "workgroup.use"       // 使用工作群

	PermBoardModerate Permission = "board.moderate" // 审核留言
	PermChatAgent     Permission = "chat.agent"     // 在线咨询坐席
	PermCasesView     Permission = "cases.view"     // 查看本单位相关工单
	PermCasesDispatch Permission = "cases.dispatch" // 受理、交办、督办工单
	PermCasesHandle   Permission = "cases.handle"   // 签收、办理工单
	PermCasesLocal    Permission = "cases.local"    // 在村（社区）登记、化解纠纷
	// PermCoordinationManage lets the center register coordination matters and dispatch them to
	// several units; dispatchers hold it with every other case, coordinators hold it alone.
	PermCoordinationManage Permission = "coordination.manage" // 登记、交办协调事项
	PermPersonalInfo       Permission = "pii.view"            // 查看群众完整个人信息
	PermStatsView          Permission = "stats.view"          // 查看统计
)

var permissionLabels = map[Permission]string{
	PermSignedIn: "登录后台", PermOrgsManage: "管理组织机构", PermAccountsManage: "管理账号",
	PermSettingsManage: "管理站点设置", PermRolesAssign: "分配角色", PermSecurityPolicy: "设置安全策略",
	PermAuditRead: "查阅审计日志", PermPermissionsView: "查看权限表",
	PermArticlesEdit: "编辑稿件", PermArticlesReview: "审核发布稿件", PermArticlesContribute: "投稿",
	PermColumnsManage: "管理栏目", PermSiteErrors: "处理网站纠错", PermNoticesIssue: "下发通知", PermNoticesReceive: "接收通知",
	PermReportsManage: "设计、下发、审核报表", PermReportsSubmit: "填报报表",
	PermInfoReportsReview: "采用上报信息", PermInfoReportsSubmit: "上报信息",
	PermInquiriesAnswer: "答复询问事项", PermInquiriesAsk: "提出询问事项", PermWorkGroup: "使用工作群",
	PermBoardModerate: "审核留言", PermChatAgent: "在线咨询坐席", PermCasesView: "查看本单位相关工单", PermCasesDispatch: "受理、交办、督办工单",
	PermCasesHandle: "签收、办理工单", PermCasesLocal: "就地登记、化解矛盾纠纷", PermCoordinationManage: "登记、交办协调事项",
	PermPersonalInfo: "查看群众完整个人信息", PermStatsView: "查看统计",
}

// Label returns the Chinese name of the permission.
func (p Permission) Label() string {
	if l, ok := permissionLabels[p]; ok {
		return l
	}
	return string(p)
}

// RolePermissions is the permission table: what each role may do. It is the single source that
// the route gates, the admin page and the role × route test read.
var RolePermissions = map[Role][]Permission{
	RoleSystemAdmin:   {PermSignedIn, PermOrgsManage, PermAccountsManage, PermSettingsManage, PermPermissionsView},
	RoleSecurityAdmin: {PermSignedIn, PermRolesAssign, PermSecurityPolicy, PermPermissionsView},
	RoleAuditAdmin:    {PermSignedIn, PermAuditRead},
	RoleEditor: {PermSignedIn, PermArticlesEdit, PermArticlesReview, PermColumnsManage, PermSiteErrors, PermNoticesReceive,
		PermWorkGroup, PermStatsView},
	RoleDispatcher: {PermSignedIn, PermBoardModerate, PermCasesView, PermCasesDispatch, PermCasesHandle, PermCoordinationManage, PermPersonalInfo,
		PermNoticesReceive, PermWorkGroup, PermStatsView},
	RoleCoordinator: {PermSignedIn, PermNoticesIssue, PermNoticesReceive, PermReportsManage, PermInfoReportsReview,
		PermInquiriesAnswer, PermCasesView, PermCoordinationManage, PermWorkGroup, PermStatsView},
	RoleModerator: {PermSignedIn, PermBoardModerate, PermPersonalInfo, PermNoticesReceive, PermWorkGroup},
	RoleAgent:     {PermSignedIn, PermChatAgent, PermCasesView, PermNoticesReceive, PermWorkGroup},
	RoleUnitHandler: {PermSignedIn, PermCasesView, PermCasesHandle, PermNoticesReceive, PermInquiriesAsk, PermInquiriesAnswer,
		PermInfoReportsSubmit, PermReportsSubmit, PermWorkGroup},
	RoleReporter: {PermSignedIn, PermArticlesContribute, PermNoticesReceive, PermReportsSubmit,
		PermInfoReportsSubmit, PermInquiriesAsk, PermCasesView, PermCasesLocal, PermWorkGroup},
	RoleGridWorker: {PermSignedIn, PermCasesView, PermCasesLocal, PermCasesHandle, PermNoticesReceive, PermWorkGroup},
}

// AllPermissions lists every permission in the order of the admin page.
var AllPermissions = []Permission{PermSignedIn, PermOrgsManage, PermAccountsManage, PermSettingsManage,
	PermRolesAssign, PermSecurityPolicy, PermAuditRead, PermPermissionsView,
	PermArticlesEdit, PermArticlesReview, PermArticlesContribute, PermColumnsManage, PermSiteErrors,
	PermNoticesIssue, PermNoticesReceive, PermReportsManage, PermReportsSubmit,
	PermInfoReportsReview, PermInfoReportsSubmit, PermInquiriesAnswer, PermInquiriesAsk, PermWorkGroup,
	PermBoardModerate, PermChatAgent, PermCasesView, PermCasesDispatch, PermCasesHandle, PermCasesLocal,
	PermCoordinationManage, PermPersonalInfo, PermStatsView}

// RoleHas reports whether role r grants permission p.
func RoleHas(r Role, p Permission) bool { return slices.Contains(RolePermissions[r], p) }

// HasPermission reports whether any of roles grants p.
func HasPermission(roles []Role, p Permission) bool {
	for _, r := range roles {
		if RoleHas(r, p) {
			return true
		}
	}
	return false
}
