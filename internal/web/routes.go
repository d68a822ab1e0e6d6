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
		{"GET /faq", public, s.faq},

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
		{"POST /report-error", public, s.reportErrorSubmit},

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
		// Live events: one stream per browser tab; each source checks who may receive what.
		{"GET /events", public, s.events},

		// The bell: what waits on the signed-in person.
		{"GET /admin/bell", domain.PermSignedIn, s.bellList},
		{"POST /admin/bell/{id}/open", domain.PermSignedIn, s.bellOpen},
		{"POST /admin/bell/read-all", domain.PermSignedIn, s.bellReadAll},

		// Coordination: attachments, checked against the record that owns each file.
		{"GET /admin/attachments/{id}", domain.PermSignedIn, s.coordAttachment},

		// Coordination: notices, work plans and requirements with read receipts and feedback.
		{"GET /admin/notices", domain.PermNoticesReceive, s.noticeInbox},
		{"GET /admin/notices/sent", domain.PermNoticesIssue, s.noticeSent},
		{"GET /admin/notices/new", domain.PermNoticesIssue, s.noticeNewForm},
		{"POST /admin/notices", domain.PermNoticesIssue, s.noticeCreate},
		{"GET /admin/notices/{id}", domain.PermNoticesReceive, s.noticeDetail},
		{"POST /admin/notices/{id}/feedback", domain.PermNoticesReceive, s.noticeFeedback},
		{"GET /admin/notices/{id}/receipts", domain.PermNoticesIssue, s.noticeReceipts},
		{"POST /admin/notices/{id}/remind", domain.PermNoticesIssue, s.noticeRemind},

		// Coordination: report forms at the center: templates, assignments, review, aggregation.
		{"GET /admin/reports", domain.PermReportsManage, s.reportDashboard},
		{"GET /admin/reports/templates", domain.PermReportsManage, s.templateList},
		{"GET /admin/reports/templates/new", domain.PermReportsManage, s.templateNewForm},
		{"POST /admin/reports/templates", domain.PermReportsManage, s.templateCreate},
		{"GET /admin/reports/templates/{id}", domain.PermReportsManage, s.templateDesigner},
		{"POST /admin/reports/templates/{id}", domain.PermReportsManage, s.templateUpdate},
		{"POST /admin/reports/templates/{id}/copy", domain.PermReportsManage, s.templateCopy},
		{"POST /admin/reports/templates/{id}/fields", domain.PermReportsManage, s.fieldAdd},
		{"POST /admin/reports/templates/{id}/fields/{field}", domain.PermReportsManage, s.fieldUpdate},
		{"POST /admin/reports/templates/{id}/fields/{field}/delete", domain.PermReportsManage, s.fieldDelete},
		{"POST /admin/reports/templates/{id}/fields/{field}/move", domain.PermReportsManage, s.fieldMove},
		{"GET /admin/reports/assignments/new", domain.PermReportsManage, s.assignmentNewForm},
		{"POST /admin/reports/assignments", domain.PermReportsManage, s.assignmentCreate},
		{"GET /admin/reports/assignments/{id}", domain.PermReportsManage, s.assignmentDetail},
		{"POST /admin/reports/assignments/{id}/stop", domain.PermReportsManage, s.assignmentStop},
		{"GET /admin/reports/assignments/{id}/aggregate", domain.PermReportsManage, s.assignmentAggregate},
		{"GET /admin/reports/assignments/{id}/export.xlsx", domain.PermReportsManage, s.assignmentExport},
		{"GET /admin/reports/submissions/{id}", domain.PermReportsManage, s.submissionReview},
		{"POST /admin/reports/submissions/{id}/accept", domain.PermReportsManage, s.submissionAccept},
		{"POST /admin/reports/submissions/{id}/return", domain.PermReportsManage, s.submissionReturn},

		// Coordination: report forms at the units, scoped to the actor's organization in the store.
		{"GET /admin/my-reports", domain.PermReportsSubmit, s.myReports},
		{"GET /admin/my-reports/{id}", domain.PermReportsSubmit, s.myReportForm},
		{"POST /admin/my-reports/{id}", domain.PermReportsSubmit, s.myReportSave},
		{"GET /admin/my-reports/{id}/form.xlsx", domain.PermReportsSubmit, s.myReportXLSX},
		{"POST /admin/my-reports/{id}/upload", domain.PermReportsSubmit, s.myReportUpload},

		// Coordination: information reports sent up by units and adopted by the center.
		{"GET /admin/my-info-reports", domain.PermInfoReportsSubmit, s.myInfoReports},
		{"GET /admin/my-info-reports/new", domain.PermInfoReportsSubmit, s.infoReportNewForm},
		{"POST /admin/my-info-reports", domain.PermInfoReportsSubmit, s.infoReportCreate},
		{"GET /admin/my-info-reports/{id}", domain.PermInfoReportsSubmit, s.myInfoReport},
		{"GET /admin/info-reports", domain.PermInfoReportsReview, s.infoReports},
		{"GET /admin/info-reports/{id}", domain.PermInfoReportsReview, s.infoReportReviewPage},
		{"POST /admin/info-reports/{id}/adopt", domain.PermInfoReportsReview, s.infoReportAdopt},
		{"POST /admin/info-reports/{id}/decline", domain.PermInfoReportsReview, s.infoReportDecline},

		// Coordination: inquiries from units, answered by the center or a designated unit.
		{"GET /admin/my-inquiries", domain.PermInquiriesAsk, s.myInquiries},
		{"GET /admin/my-inquiries/new", domain.PermInquiriesAsk, s.inquiryNewForm},
		{"POST /admin/my-inquiries", domain.PermInquiriesAsk, s.inquiryCreate},
		{"GET /admin/my-inquiries/{id}", domain.PermInquiriesAsk, s.myInquiry},
		{"GET /admin/inquiries", domain.PermInquiriesAnswer, s.inquiriesToAnswer},
		{"GET /admin/inquiries/{id}", domain.PermInquiriesAnswer, s.inquiryManage},
		{"POST /admin/inquiries/{id}/answer", domain.PermInquiriesAnswer, s.inquiryAnswer},
		{"POST /admin/inquiries/{id}/assign", domain.PermInquiriesAnswer, s.inquiryAssign},
		{"POST /admin/inquiries/{id}/faq", domain.PermInquiriesAnswer, s.inquiryPublishFAQ},
		{"POST /admin/inquiries/{id}/faq/withdraw", domain.PermInquiriesAnswer, s.inquiryWithdrawFAQ},

		// Coordination: the work group, whose channels are scoped to their members in the store.
		{"GET /admin/workgroup", domain.PermWorkGroup, s.workGroupHome},
		{"GET /admin/workgroup/new", domain.PermWorkGroup, s.channelNewForm},
		{"POST /admin/workgroup", domain.PermWorkGroup, s.channelCreate},
		{"GET /admin/workgroup/search", domain.PermWorkGroup, s.workGroupSearch},
		{"GET /admin/workgroup/{id}", domain.PermWorkGroup, s.workGroupChannel},
		{"POST /admin/workgroup/{id}/messages", domain.PermWorkGroup, s.workGroupPost},
		{"POST /admin/workgroup/{id}/read", domain.PermWorkGroup, s.workGroupRead},
		{"GET /admin/workgroup/{id}/members", domain.PermWorkGroup, s.channelMembersForm},
		{"POST /admin/workgroup/{id}/members", domain.PermWorkGroup, s.channelMembersUpdate},

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
		// Back office: articles of the center's editors.
		{"GET /admin/articles", domain.PermArticlesEdit, s.articleList(editorArea)},
		{"GET /admin/articles/new", domain.PermArticlesEdit, s.articleNew(editorArea)},
		{"POST /admin/articles", domain.PermArticlesEdit, s.articleCreate(editorArea)},
		{"POST /admin/pending-articles/{id}/draft", domain.PermArticlesEdit, s.articleFromReport},
		{"POST /admin/articles/uploads", domain.PermArticlesEdit, s.editorUpload},
		{"GET /admin/articles/{id}", domain.PermArticlesEdit, s.articleDetail(editorArea)},
		{"GET /admin/articles/{id}/attachments/{file}", domain.PermArticlesReview, s.articleAttachment},
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
		{"GET /admin/contributions/{id}/attachments/{file}", domain.PermArticlesContribute, s.articleAttachment},
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

		// Back office: reports of errors on the site (网站纠错).
		{"GET /admin/site-errors", domain.PermSiteErrors, s.siteErrorList},
		{"GET /admin/site-errors/{id}", domain.PermSiteErrors, s.siteErrorDetail},
		{"POST /admin/site-errors/{id}/handle", domain.PermSiteErrors, s.siteErrorHandle},

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
