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
		{"GET /{$}", public, s.home},

		// Public service: the message board, progress queries and live consultation.
		{"GET /board", public, s.boardList},
		{"GET /board/new", public, s.boardForm},
		{"POST /board", public, s.boardSubmit},
		{"GET /board/{id}", public, s.boardPost},
		{"GET /board/{id}/photos/{file}", public, s.boardPhoto},
		{"GET /query", public, s.queryForm},
		{"POST /query", public, s.queryOpen},
		{"POST /query/follow-up", public, s.queryFollowUp},
		{"POST /query/rate", public, s.queryRate},
		{"GET /chat", public, s.chatStart},
		{"POST /chat", public, s.chatCreate},
		{"GET /chat/room", public, s.chatRoom},
		{"GET /chat/events", public, s.chatVisitorEvents},
		{"POST /chat/messages", public, s.chatVisitorSend},
		{"POST /chat/rate", public, s.chatVisitorRate},

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

		// Back office: statistics.
		{"GET /admin/dashboard", domain.PermStatsView, s.dashboard},
		{"GET /admin/dashboard/export.xlsx", domain.PermStatsView, s.dashboardExport},
		{"GET /admin/dashboard/report", domain.PermStatsView, s.dashboardReport},

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

		// Back office: message board moderation.
		{"GET /admin/board", domain.PermBoardModerate, s.boardQueue},
		{"GET /admin/board/words", domain.PermBoardModerate, s.wordsForm},
		{"POST /admin/board/words", domain.PermBoardModerate, s.wordsSave},
		{"GET /admin/board/{id}", domain.PermBoardModerate, s.boardStaffPost},
		{"GET /admin/board/{id}/photos/{file}", domain.PermBoardModerate, s.boardStaffPhoto},
		{"POST /admin/board/{id}/moderate", domain.PermBoardModerate, s.boardModerate},
		{"POST /admin/board/{id}/reply", domain.PermBoardModerate, s.boardReply},
		{"POST /admin/board/{id}/register", domain.PermCasesDispatch, s.boardRegister},

		// Back office: cases. The store scopes each case to the actor and the workflow decides
		// each step, so one permission opens the pages.
		{"GET /admin/cases", domain.PermCasesView, s.caseList},
		{"GET /admin/cases/new", domain.PermCasesView, s.caseNewForm},
		{"POST /admin/cases", domain.PermCasesView, s.caseCreate},
		{"GET /admin/cases/{id}", domain.PermCasesView, s.caseDetail},
		{"POST /admin/cases/{id}/action", domain.PermCasesView, s.caseAction},
		{"GET /admin/cases/{id}/files/{file}", domain.PermCasesView, s.caseFile},
		{"GET /admin/cases/{id}/sheet", domain.PermCasesView, s.caseSheet},
		{"GET /admin/coordination", domain.PermCoordinationManage, s.coordinationList},
		{"GET /admin/coordination/new", domain.PermCoordinationManage, s.coordinationNewForm},
		{"POST /admin/coordination", domain.PermCoordinationManage, s.coordinationCreate},
		{"GET /admin/calendar", domain.PermSettingsManage, s.calendarForm},
		{"POST /admin/calendar", domain.PermSettingsManage, s.calendarSave},
		{"GET /admin/service-stats", domain.PermStatsView, s.serviceStats},
		{"GET /admin/service-stats.xlsx", domain.PermStatsView, s.serviceStatsExport},

		// Back office: live consultation (staff on duty).
		{"GET /admin/chat", domain.PermChatAgent, s.chatQueue},
		{"GET /admin/chat/events", domain.PermChatAgent, s.chatQueueEvents},
		{"GET /admin/chat/settings", domain.PermChatAgent, s.chatSettings},
		{"POST /admin/chat/settings", domain.PermChatAgent, s.chatSettingsSave},
		{"GET /admin/chat/{id}", domain.PermChatAgent, s.chatAgentRoom},
		{"GET /admin/chat/{id}/events", domain.PermChatAgent, s.chatAgentEvents},
		{"POST /admin/chat/{id}/take", domain.PermChatAgent, s.chatTake()},
		{"POST /admin/chat/{id}/messages", domain.PermChatAgent, s.chatAgentSend()},
		{"POST /admin/chat/{id}/transfer", domain.PermChatAgent, s.chatTransfer()},
		{"POST /admin/chat/{id}/end", domain.PermChatAgent, s.chatEnd()},
		{"POST /admin/chat/{id}/case", domain.PermChatAgent, s.chatToCase},

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
