package web

import (
	"net/http"

	"pingan/internal/domain"
)

// routeTable lists every route with the permission it needs, on one line each. The role ×
// route test reads this table, so a route added here is covered there.
func (s *Server) routeTable() []route {
	return []route{
		// Health and static files.
		{"GET /healthz", public, s.healthz},
		{"GET /readyz", public, s.readyz},
		{"GET /static/", public, s.static},

		// The public portal.
		{"GET /{$}", public, s.cached(s.home)},
		{"GET /columns/{slug}", public, s.cached(s.columnView)},
		{"GET /columns/{slug}/rss.xml", public, s.cached(s.columnFeed)},
		{"GET /articles/{id}", public, s.articleView},
		{"GET /articles/{id}/attachments/{file}", public, s.attachmentDownload},
		{"GET /media/{key...}", public, s.media},
		{"GET /topics/{id}", public, s.cached(s.topicView)},
		{"GET /search", public, s.search},
		{"GET /sitemap", public, s.cached(s.sitemapHTML)},
		{"GET /sitemap.xml", public, s.cached(s.sitemapXML)},
		{"GET /rss.xml", public, s.cached(s.siteFeed)},
		{"GET /elder", public, s.elderToggle},
		{"GET /accessibility", public, s.accessibility},
		{"GET /report-error", public, s.reportError},

		// Sign-in and the signed-in account itself.
		{"GET /signin", public, s.signInForm},
		{"POST /signin", public, s.signIn},
		{"POST /signout", domain.PermSignedIn, s.signOut},
		{"POST /signout-all", domain.PermSignedIn, s.signOutAll},
		{"GET /account", domain.PermSignedIn, s.accountHome},
		{"GET /account/password", domain.PermSignedIn, s.passwordForm},
		{"POST /account/password", domain.PermSignedIn, s.changePassword},

		// Back office: the frame.
		{"GET /admin", domain.PermSignedIn, s.adminHome},

		// Back office: organizations (system administrator).
		{"GET /admin/orgs", domain.PermOrgsManage, s.orgList},
		{"GET /admin/orgs/new", domain.PermOrgsManage, s.orgNewForm},
		{"POST /admin/orgs", domain.PermOrgsManage, s.orgCreate},
		{"GET /admin/orgs/{id}/edit", domain.PermOrgsManage, s.orgEditForm},
		{"POST /admin/orgs/{id}", domain.PermOrgsManage, s.orgUpdate},
		{"GET /admin/orgs/{id}/delete", domain.PermOrgsManage, s.orgDeleteConfirm},
		{"POST /admin/orgs/{id}/delete", domain.PermOrgsManage, s.orgDelete},

		// Back office: accounts (system administrator).
		{"GET /admin/accounts", domain.PermAccountsManage, s.accountList},
		{"GET /admin/accounts/new", domain.PermAccountsManage, s.accountNewForm},
		{"POST /admin/accounts", domain.PermAccountsManage, s.accountCreate},
		{"GET /admin/accounts/{id}", domain.PermAccountsManage, s.accountDetail},
		{"GET /admin/accounts/{id}/edit", domain.PermAccountsManage, s.accountEditForm},
		{"POST /admin/accounts/{id}", domain.PermAccountsManage, s.accountUpdate},
		{"GET /admin/accounts/{id}/disable", domain.PermAccountsManage, s.accountConfirm("disable")},
		{"POST /admin/accounts/{id}/disable", domain.PermAccountsManage, s.accountAction("disable")},
		{"POST /admin/accounts/{id}/enable", domain.PermAccountsManage, s.accountAction("enable")},
		{"POST /admin/accounts/{id}/unlock", domain.PermAccountsManage, s.accountAction("unlock")},
		{"GET /admin/accounts/{id}/reset-password", domain.PermAccountsManage, s.accountConfirm("reset-password")},
		{"POST /admin/accounts/{id}/reset-password", domain.PermAccountsManage, s.accountAction("reset-password")},
		{"GET /admin/import", domain.PermAccountsManage, s.importForm},
		{"GET /admin/import/template.xlsx", domain.PermAccountsManage, s.importTemplate},
		{"POST /admin/import", domain.PermAccountsManage, s.importUpload},

		// Back office: site settings (system administrator).
		{"GET /admin/settings", domain.PermSettingsManage, s.settingsForm},
		{"POST /admin/settings", domain.PermSettingsManage, s.settingsUpdate},

		// Back office: roles and security policy (security administrator).
		{"GET /admin/roles", domain.PermRolesAssign, s.roleList},
		{"GET /admin/roles/{id}", domain.PermRolesAssign, s.rolesForm},
		{"POST /admin/roles/{id}", domain.PermRolesAssign, s.rolesUpdate},
		{"GET /admin/security", domain.PermSecurityPolicy, s.securityForm},
		{"POST /admin/security", domain.PermSecurityPolicy, s.securityUpdate},
		{"GET /admin/permissions", domain.PermPermissionsView, s.permissionTable},

		// Back office: articles of the center's editors.
		{"GET /admin/articles", domain.PermArticlesEdit, s.articleList(editorArea)},
		{"GET /admin/articles/new", domain.PermArticlesEdit, s.articleNew(editorArea)},
		{"POST /admin/articles", domain.PermArticlesEdit, s.articleCreate(editorArea)},
		{"POST /admin/articles/uploads", domain.PermArticlesEdit, s.editorUpload},
		{"GET /admin/articles/{id}", domain.PermArticlesEdit, s.articleDetail(editorArea)},
		{"GET /admin/articles/{id}/edit", domain.PermArticlesEdit, s.articleEdit(editorArea)},
		{"POST /admin/articles/{id}", domain.PermArticlesEdit, s.articleUpdate(editorArea)},
		{"POST /admin/articles/{id}/submit", domain.PermArticlesEdit, s.articleStep(editorArea, domain.ActionSubmit)},
		{"POST /admin/articles/{id}/return", domain.PermArticlesReview, s.articleStep(editorArea, domain.ActionReturn)},
		{"POST /admin/articles/{id}/publish", domain.PermArticlesReview, s.articleStep(editorArea, domain.ActionPublish)},
		{"POST /admin/articles/{id}/withdraw", domain.PermArticlesReview, s.articleStep(editorArea, domain.ActionWithdraw)},

		// Back office: contributions of villages and units.
		{"GET /admin/contributions", domain.PermArticlesContribute, s.articleList(contributeArea)},
		{"GET /admin/contributions/new", domain.PermArticlesContribute, s.articleNew(contributeArea)},
		{"POST /admin/contributions", domain.PermArticlesContribute, s.articleCreate(contributeArea)},
		{"POST /admin/contributions/uploads", domain.PermArticlesContribute, s.editorUpload},
		{"GET /admin/contributions/{id}", domain.PermArticlesContribute, s.articleDetail(contributeArea)},
		{"GET /admin/contributions/{id}/edit", domain.PermArticlesContribute, s.articleEdit(contributeArea)},
		{"POST /admin/contributions/{id}", domain.PermArticlesContribute, s.articleUpdate(contributeArea)},
		{"POST /admin/contributions/{id}/submit", domain.PermArticlesContribute, s.articleStep(contributeArea, domain.ActionSubmit)},

		// Back office: columns and topics.
		{"GET /admin/columns", domain.PermColumnsManage, s.columnList},
		{"GET /admin/columns/new", domain.PermColumnsManage, s.columnNew},
		{"POST /admin/columns", domain.PermColumnsManage, s.columnCreate},
		{"GET /admin/columns/{id}/edit", domain.PermColumnsManage, s.columnEdit},
		{"POST /admin/columns/{id}", domain.PermColumnsManage, s.columnUpdate},
		{"GET /admin/topics/new", domain.PermColumnsManage, s.topicNew},
		{"POST /admin/topics", domain.PermColumnsManage, s.topicCreate},
		{"GET /admin/topics/{id}/edit", domain.PermColumnsManage, s.topicEdit},
		{"POST /admin/topics/{id}", domain.PermColumnsManage, s.topicUpdate},

		// Back office: statistics of the news portal.
		{"GET /admin/portal-stats", domain.PermStatsView, s.portalStats},
		{"GET /admin/portal-stats/export.xlsx", domain.PermStatsView, s.portalStatsExport},

		// Back office: the audit trail (audit administrator).
		{"GET /admin/audit", domain.PermAuditRead, s.auditList},
		{"GET /admin/audit/export.xlsx", domain.PermAuditRead, s.auditExport},
	}
}

// RouteInfo describes one route for tests and the permission page.
type RouteInfo struct {
	Pattern    string
	Permission domain.Permission
}

// Routes lists the route table.
func (s *Server) Routes() []RouteInfo {
	out := make([]RouteInfo, len(s.routes))
	for i, rt := range s.routes {
		out[i] = RouteInfo{Pattern: rt.pattern, Permission: rt.perm}
	}
	return out
}

func (s *Server) healthz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, err := w.Write([]byte("ok\n"))
	return err
}

func (s *Server) readyz(w http.ResponseWriter, r *http.Request) error {
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	if err := s.db.Ping(r.Context()); err != nil {
		s.log.Warn("database not ready", "error", err)
		w.WriteHeader(http.StatusServiceUnavailable)
		_, err := w.Write([]byte("database unavailable\n"))
		return err
	}
	_, err := w.Write([]byte("ready\n"))
	return err
}
