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
	{Label: "组织机构", Href: "/admin/orgs", Group: "系统管理", perm: domain.PermOrgsManage},
	{Label: "账号管理", Href: "/admin/accounts", Group: "系统管理", perm: domain.PermAccountsManage},
	{Label: "批量导入", Href: "/admin/import", Group: "系统管理", perm: domain.PermAccountsManage},
	{Label: "站点设置", Href: "/admin/settings", Group: "系统管理", perm: domain.PermSettingsManage},
	{Label: "角色分配", Href: "/admin/roles", Group: "安全管理", perm: domain.PermRolesAssign},
	{Label: "安全策略", Href: "/admin/security", Group: "安全管理", perm: domain.PermSecurityPolicy},
	{Label: "权限表", Href: "/admin/permissions", Group: "安全管理", perm: domain.PermPermissionsView},
	{Label: "审计日志", Href: "/admin/audit", Group: "安全审计", perm: domain.PermAuditRead},
	{Label: "稿件管理", Href: "/admin/articles", Group: "宣传平台", perm: domain.PermArticlesEdit},
	{Label: "待审稿件", Href: "/admin/articles?status=submitted", Group: "宣传平台", perm: domain.PermArticlesReview},
	{Label: "我的投稿", Href: "/admin/contributions", Group: "宣传平台", perm: domain.PermArticlesContribute},
	{Label: "栏目和专题", Href: "/admin/columns", Group: "宣传平台", perm: domain.PermColumnsManage},
	{Label: "宣传统计", Href: "/admin/portal-stats", Group: "宣传平台", perm: domain.PermStatsView},
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
