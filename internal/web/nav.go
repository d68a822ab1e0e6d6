package web

import "pingan/internal/domain"

type navItem struct {
	Label string
	Href  string
	Group string
	perm  domain.Permission
}

// navItems is the back-office navigation; each item shows only to accounts with its permission.
var navItems = []navItem{
	{Label: "工作台", Href: "/admin", Group: "", perm: domain.PermSignedIn},
	{Label: "统计分析", Href: "/admin/dashboard", Group: "", perm: domain.PermStatsView},
	{Label: "留言审核", Href: "/admin/board", Group: "服务民生", perm: domain.PermBoardModerate},
	{Label: "工单", Href: "/admin/cases", Group: "服务民生", perm: domain.PermCasesView},
	{Label: "协调事项", Href: "/admin/coordination", Group: "服务民生", perm: domain.PermCoordinationManage},
	{Label: "在线咨询", Href: "/admin/chat", Group: "服务民生", perm: domain.PermChatAgent},
	{Label: "服务民生统计", Href: "/admin/service-stats", Group: "服务民生", perm: domain.PermStatsView},
	{Label: "通知公告", Href: "/admin/notices", Group: "上下协同", perm: domain.PermNoticesReceive},
	{Label: "下发通知", Href: "/admin/notices/sent", Group: "上下协同", perm: domain.PermNoticesIssue},
	{Label: "报表填报", Href: "/admin/my-reports", Group: "上下协同", perm: domain.PermReportsSubmit},
	{Label: "报表管理", Href: "/admin/reports", Group: "上下协同", perm: domain.PermReportsManage},
	{Label: "信息上报", Href: "/admin/my-info-reports", Group: "上下协同", perm: domain.PermInfoReportsSubmit},
	{Label: "上报信息审核", Href: "/admin/info-reports", Group: "上下协同", perm: domain.PermInfoReportsReview},
	{Label: "询问事项", Href: "/admin/my-inquiries", Group: "上下协同", perm: domain.PermInquiriesAsk},
	{Label: "答复询问", Href: "/admin/inquiries", Group: "上下协同", perm: domain.PermInquiriesAnswer},
	{Label: "工作群", Href: "/admin/workgroup", Group: "上下协同", perm: domain.PermWorkGroup},
	{Label: "组织机构", Href: "/admin/orgs", Group: "系统管理", perm: domain.PermOrgsManage},
	{Label: "账号管理", Href: "/admin/accounts", Group: "系统管理", perm: domain.PermAccountsManage},
	{Label: "批量导入", Href: "/admin/import", Group: "系统管理", perm: domain.PermAccountsManage},
	{Label: "站点设置", Href: "/admin/settings", Group: "系统管理", perm: domain.PermSettingsManage},
	{Label: "节假日日历", Href: "/admin/calendar", Group: "系统管理", perm: domain.PermSettingsManage},
	{Label: "角色分配", Href: "/admin/roles", Group: "安全管理", perm: domain.PermRolesAssign},
	{Label: "安全策略", Href: "/admin/security", Group: "安全管理", perm: domain.PermSecurityPolicy},
	{Label: "权限表", Href: "/admin/permissions", Group: "安全管理", perm: domain.PermPermissionsView},
	{Label: "审计日志", Href: "/admin/audit", Group: "安全审计", perm: domain.PermAuditRead},
	{Label: "稿件管理", Href: "/admin/articles", Group: "宣传平台", perm: domain.PermArticlesEdit},
	{Label: "待审稿件", Href: "/admin/articles?status=submitted", Group: "宣传平台", perm: domain.PermArticlesReview},
	{Label: "我的投稿", Href: "/admin/contributions", Group: "宣传平台", perm: domain.PermArticlesContribute},
	{Label: "栏目和专题", Href: "/admin/columns", Group: "宣传平台", perm: domain.PermColumnsManage},
	{Label: "宣传统计", Href: "/admin/portal-stats", Group: "宣传平台", perm: domain.PermStatsView},
	{Label: "网站纠错", Href: "/admin/site-errors", Group: "宣传平台", perm: domain.PermSiteErrors},
	{Label: "我的提醒", Href: "/admin/bell", Group: "个人", perm: domain.PermSignedIn},
	{Label: "我的账号", Href: "/account", Group: "个人", perm: domain.PermSignedIn},
}

func navFor(a *domain.Account) []navItem {
	var out []navItem
	for _, it := range navItems {
		if a.Can(it.perm) {
			out = append(out, it)
		}
	}
	return out
}
