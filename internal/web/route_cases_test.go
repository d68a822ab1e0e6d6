package web

import (
	"fmt"
	"net/url"
)

// routeCases gives every route of the table a call for the matrix test.
func routeCases(m *matrixHarness) map[string]routeCase {
	h := m.harness
	id := func(n int64) string { return fmt.Sprint(n) }
	village, leaf := id(h.orgs["越丰村"]), id(h.orgs["待删除的网格"])
	target := id(h.accounts["target"])
	otherOrg, otherAcc := id(h.otherOrg), id(h.otherAccount)
	validOrg := url.Values{"name": {"越丰村"}, "code": {"YF"}, "sort_order": {"5"}, "contact": {""}}
	validAccount := url.Values{"display_name": {"被操作账号"}, "org_id": {village}, "phone": {"13800001111"}}
	post, pending := m.ids["published_post"], m.ids["pending_post"]
	brine, openCase, chat := m.ids["brine_case"], m.ids["open_case"], m.ids["ended_chat"]
	// The brine case and the open case belong to other units than these accounts' own, so the
	// store's scoping answers "not found" although the role may view and handle cases.
	outsideUnit := map[string]int{"agent": 404, "coordinator": 404, "grid": 404, "yuefeng": 404, "police": 404}
	// The notice went to the villages, and the inquiry to the center: other units do not see them.
	notRecipient := map[string]int{"grid": 404, "police": 404}
	notAssigned := map[string]int{"police": 404}
	cases := map[string]routeCase{
		"GET /healthz":           {path: "/healthz", ok: 200},
		"GET /readyz":            {path: "/readyz", ok: 200},
		"GET /static/":           {path: "/static/site.css", ok: 200},
		"GET /{$}":               {path: "/", ok: 200},
		"GET /signin":            {path: "/signin", ok: 200},
		"POST /signin":           {path: "/signin", form: url.Values{"username": {""}}, ok: 422},
		"POST /signout":          {path: "/signout", ok: 303},
		"POST /signout-all":      {path: "/signout-all", ok: 303},
		"GET /account":           {path: "/account", ok: 200},
		"GET /account/password":  {path: "/account/password", ok: 200},
		"POST /account/password": {path: "/account/password", form: url.Values{"current": {"wrong"}, "new": {"x"}, "confirm": {"y"}}, ok: 422},
		"GET /admin":             {path: "/admin", ok: 200},

		"GET /admin/dashboard":             {path: "/admin/dashboard?from=2026-06-05&to=2026-12-04", ok: 200},
		"GET /admin/dashboard/export.xlsx": {path: "/admin/dashboard/export.xlsx", ok: 200},
		"GET /admin/dashboard/report":      {path: "/admin/dashboard/report", ok: 200},

		"GET /admin/orgs":     {path: "/admin/orgs", ok: 200},
		"GET /admin/orgs/new": {path: "/admin/orgs/new?parent=" + village, ok: 200},
		"POST /admin/orgs": {path: "/admin/orgs", ok: 303,
			form: url.Values{"parent_id": {village}, "kind": {"grid"}, "name": {"越丰村第三网格"}, "sort_order": {"1"}}},
		"GET /admin/orgs/{id}/edit":    {path: "/admin/orgs/" + village + "/edit", ok: 200, otherTown: "/admin/orgs/" + otherOrg + "/edit"},
		"POST /admin/orgs/{id}":        {path: "/admin/orgs/" + village, form: validOrg, ok: 303, otherTown: "/admin/orgs/" + otherOrg},
		"GET /admin/orgs/{id}/delete":  {path: "/admin/orgs/" + leaf + "/delete", ok: 200, otherTown: "/admin/orgs/" + otherOrg + "/delete"},
		"POST /admin/orgs/{id}/delete": {path: "/admin/orgs/" + leaf + "/delete", ok: 303, otherTown: "/admin/orgs/" + otherOrg + "/delete"},

		"GET /admin/accounts":     {path: "/admin/accounts?q=a&page=2", ok: 200},
		"GET /admin/accounts/new": {path: "/admin/accounts/new", ok: 200},
		"POST /admin/accounts": {path: "/admin/accounts", ok: 200,
			form: url.Values{"username": {"newuser"}, "display_name": {"新同事"}, "org_id": {village}}},
		"GET /admin/accounts/{id}":                 {path: "/admin/accounts/" + target, ok: 200, otherTown: "/admin/accounts/" + otherAcc},
		"GET /admin/accounts/{id}/edit":            {path: "/admin/accounts/" + target + "/edit", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/edit"},
		"POST /admin/accounts/{id}":                {path: "/admin/accounts/" + target, form: validAccount, ok: 303, otherTown: "/admin/accounts/" + otherAcc},
		"GET /admin/accounts/{id}/disable":         {path: "/admin/accounts/" + target + "/disable", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/disable"},
		"POST /admin/accounts/{id}/disable":        {path: "/admin/accounts/" + target + "/disable", ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/disable"},
		"POST /admin/accounts/{id}/enable":         {path: "/admin/accounts/" + target + "/enable", ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/enable"},
		"POST /admin/accounts/{id}/unlock":         {path: "/admin/accounts/" + target + "/unlock", ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/unlock"},
		"GET /admin/accounts/{id}/reset-password":  {path: "/admin/accounts/" + target + "/reset-password", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/reset-password"},
		"POST /admin/accounts/{id}/reset-password": {path: "/admin/accounts/" + target + "/reset-password", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/reset-password"},
		"GET /admin/import":                        {path: "/admin/import", ok: 200},
		"GET /admin/import/template.xlsx":          {path: "/admin/import/template.xlsx", ok: 200},
		"POST /admin/import":                       {path: "/admin/import", ok: 422},

		"GET /admin/settings": {path: "/admin/settings", ok: 200},
		"POST /admin/settings": {path: "/admin/settings", ok: 303,
			form: url.Values{"site_name": {"平安高桥网"}, "motto": {"联接大众，共创平安"}}},
		"GET /admin/roles":       {path: "/admin/roles", ok: 200},
		"GET /admin/roles/{id}":  {path: "/admin/roles/" + target, ok: 200, otherTown: "/admin/roles/" + otherAcc},
		"POST /admin/roles/{id}": {path: "/admin/roles/" + target, form: url.Values{"role": {"reporter", "grid_worker"}}, ok: 303, otherTown: "/admin/roles/" + otherAcc},
		"GET /admin/security":    {path: "/admin/security", ok: 200},
		"POST /admin/security": {path: "/admin/security", ok: 303, form: url.Values{
			"min_password_length": {"10"}, "password_max_age_days": {"90"}, "max_failed_attempts": {"5"},
			"lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}}},
		"GET /admin/permissions":       {path: "/admin/permissions", ok: 200},
		"GET /admin/audit":             {path: "/admin/audit?from=2026-01-01&to=2026-12-31", ok: 200},
		"GET /admin/audit/export.xlsx": {path: "/admin/audit/export.xlsx", ok: 200},

		// The public-service platform: public pages.
		"GET /board":                    {path: "/board", ok: 200},
		"GET /board/new":                {path: "/board/new", ok: 200},
		"POST /board":                   {path: "/board", ok: 400},
		"GET /board/{id}":               {path: "/board/" + post, ok: 200},
		"GET /board/{id}/photos/{file}": {path: "/board/" + post + "/photos/999999", ok: 404},
		"GET /query":                    {path: "/query", ok: 200},
		"POST /query":                   {path: "/query", ok: 404},
		"POST /query/follow-up":         {path: "/query/follow-up", ok: 404},
		"POST /query/rate":              {path: "/query/rate", ok: 404},
		"GET /chat":                     {path: "/chat", ok: 200},
		"POST /chat":                    {path: "/chat", ok: 422},
		"GET /chat/room":                {path: "/chat/room", ok: 404},
		"GET /chat/events":              {path: "/chat/events", ok: 404},
		"POST /chat/messages":           {path: "/chat/messages", ok: 404},
		"POST /chat/rate":               {path: "/chat/rate", ok: 404},

		// The public-service platform: moderation, cases, coordination matters, live consultation.
		"GET /admin/board":                    {path: "/admin/board", ok: 200},
		"GET /admin/board/words":              {path: "/admin/board/words", ok: 200},
		"POST /admin/board/words":             {path: "/admin/board/words", form: url.Values{"words": {"测试敏感词"}}, ok: 303},
		"GET /admin/board/{id}":               {path: "/admin/board/" + pending, ok: 200},
		"GET /admin/board/{id}/photos/{file}": {path: "/admin/board/" + pending + "/photos/999999", ok: 404},
		"POST /admin/board/{id}/moderate":     {path: "/admin/board/" + pending + "/moderate", ok: 400},
		"POST /admin/board/{id}/reply":        {path: "/admin/board/" + post + "/reply", ok: 400},
		"POST /admin/board/{id}/register":     {path: "/admin/board/" + pending + "/register", ok: 400},
		"GET /admin/cases":                    {path: "/admin/cases", ok: 200},
		"GET /admin/cases/new":                {path: "/admin/cases/new", ok: 200},
		"POST /admin/cases":                   {path: "/admin/cases", ok: 422},
		"GET /admin/cases/{id}":               {path: "/admin/cases/" + brine, ok: 200, okFor: outsideUnit},
		"POST /admin/cases/{id}/action":       {path: "/admin/cases/" + openCase + "/action", ok: 400, okFor: outsideUnit},
		"GET /admin/cases/{id}/files/{file}":  {path: "/admin/cases/" + brine + "/files/999999", ok: 404},
		"GET /admin/cases/{id}/sheet":         {path: "/admin/cases/" + brine + "/sheet?kind=dispatch", ok: 200, okFor: outsideUnit},
		"GET /admin/coordination":             {path: "/admin/coordination", ok: 200},
		"GET /admin/coordination/new":         {path: "/admin/coordination/new", ok: 200},
		"POST /admin/coordination":            {path: "/admin/coordination", ok: 422},
		"GET /admin/calendar":                 {path: "/admin/calendar", ok: 200},
		"POST /admin/calendar":                {path: "/admin/calendar", ok: 400},
		"GET /admin/service-stats":            {path: "/admin/service-stats", ok: 200},
		"GET /admin/service-stats.xlsx":       {path: "/admin/service-stats.xlsx", ok: 200},
		"GET /admin/chat":                     {path: "/admin/chat", ok: 200},
		"GET /admin/chat/events":              {path: "/admin/chat/events?probe=1", ok: 200},
		"GET /admin/chat/settings":            {path: "/admin/chat/settings", ok: 200},
		"POST /admin/chat/settings":           {path: "/admin/chat/settings", ok: 400},
		"GET /admin/chat/{id}":                {path: "/admin/chat/" + chat, ok: 200},
		"GET /admin/chat/{id}/events":         {path: "/admin/chat/" + chat + "/events", ok: 200},
		"POST /admin/chat/{id}/take":          {path: "/admin/chat/" + chat + "/take", ok: 409},
		"POST /admin/chat/{id}/messages":      {path: "/admin/chat/" + chat + "/messages", ok: 400},
		"POST /admin/chat/{id}/transfer":      {path: "/admin/chat/" + chat + "/transfer", ok: 409},
		"POST /admin/chat/{id}/end":           {path: "/admin/chat/" + chat + "/end", ok: 409},
		"POST /admin/chat/{id}/case":          {path: "/admin/chat/" + chat + "/case", ok: 400},

		// The coordination platform.
		"GET /faq":                    {path: "/faq", ok: 200},
		"GET /events":                 {path: "/events", ok: 200, okFor: map[string]int{"": 204}},
		"GET /admin/bell":             {path: "/admin/bell", ok: 200},
		"POST /admin/bell/{id}/open":  {path: "/admin/bell/" + m.ids["notification"] + "/open", ok: 404, okFor: map[string]int{"yuefeng": 303}},
		"POST /admin/bell/read-all":   {path: "/admin/bell/read-all", ok: 303},
		"GET /admin/attachments/{id}": {path: "/admin/attachments/999999", ok: 404},

		"GET /admin/notices":                {path: "/admin/notices", ok: 200},
		"GET /admin/notices/sent":           {path: "/admin/notices/sent", ok: 200},
		"GET /admin/notices/new":            {path: "/admin/notices/new", ok: 200},
		"POST /admin/notices":               {path: "/admin/notices", ok: 422},
		"GET /admin/notices/{id}":           {path: "/admin/notices/" + m.ids["notice"], ok: 200, okFor: notRecipient},
		"POST /admin/notices/{id}/feedback": {path: "/admin/notices/" + m.ids["notice"] + "/feedback", ok: 404, okFor: map[string]int{"yuefeng": 422}},
		"GET /admin/notices/{id}/receipts":  {path: "/admin/notices/" + m.ids["notice"] + "/receipts", ok: 200},
		"POST /admin/notices/{id}/remind":   {path: "/admin/notices/" + m.ids["notice"] + "/remind", ok: 303},

		"GET /admin/reports":                                       {path: "/admin/reports", ok: 200},
		"GET /admin/reports/templates":                             {path: "/admin/reports/templates", ok: 200},
		"GET /admin/reports/templates/new":                         {path: "/admin/reports/templates/new", ok: 200},
		"POST /admin/reports/templates":                            {path: "/admin/reports/templates", ok: 422},
		"GET /admin/reports/templates/{id}":                        {path: "/admin/reports/templates/" + m.ids["template"], ok: 200},
		"POST /admin/reports/templates/{id}":                       {path: "/admin/reports/templates/" + m.ids["template"], ok: 422},
		"POST /admin/reports/templates/{id}/copy":                  {path: "/admin/reports/templates/" + m.ids["template"] + "/copy", ok: 303},
		"POST /admin/reports/templates/{id}/fields":                {path: "/admin/reports/templates/" + m.ids["template"] + "/fields", ok: 422},
		"POST /admin/reports/templates/{id}/fields/{field}":        {path: "/admin/reports/templates/" + m.ids["template"] + "/fields/" + m.ids["field"], ok: 422},
		"POST /admin/reports/templates/{id}/fields/{field}/delete": {path: "/admin/reports/templates/" + m.ids["template"] + "/fields/" + m.ids["field"] + "/delete", ok: 303},
		"POST /admin/reports/templates/{id}/fields/{field}/move":   {path: "/admin/reports/templates/" + m.ids["template"] + "/fields/" + m.ids["field"] + "/move", ok: 303},
		"GET /admin/reports/assignments/new":                       {path: "/admin/reports/assignments/new", ok: 200},
		"POST /admin/reports/assignments":                          {path: "/admin/reports/assignments", ok: 422},
		"GET /admin/reports/assignments/{id}":                      {path: "/admin/reports/assignments/" + m.ids["assignment"], ok: 200},
		"POST /admin/reports/assignments/{id}/stop":                {path: "/admin/reports/assignments/999999/stop", ok: 404},
		"GET /admin/reports/assignments/{id}/aggregate":            {path: "/admin/reports/assignments/" + m.ids["assignment"] + "/aggregate", ok: 200},
		"GET /admin/reports/assignments/{id}/export.xlsx":          {path: "/admin/reports/assignments/" + m.ids["assignment"] + "/export.xlsx", ok: 200},
		"GET /admin/reports/submissions/{id}":                      {path: "/admin/reports/submissions/" + m.ids["submission"], ok: 200},
		"POST /admin/reports/submissions/{id}/accept":              {path: "/admin/reports/submissions/999999/accept", ok: 404},
		"POST /admin/reports/submissions/{id}/return":              {path: "/admin/reports/submissions/" + m.ids["submission"] + "/return", ok: 422},
		"GET /admin/my-reports":                                    {path: "/admin/my-reports", ok: 200},
		"GET /admin/my-reports/{id}":                               {path: "/admin/my-reports/" + m.ids["my_report"], ok: 404, okFor: map[string]int{"yuefeng": 200}},
		"POST /admin/my-reports/{id}":                              {path: "/admin/my-reports/" + m.ids["my_report"], ok: 404, okFor: map[string]int{"yuefeng": 303}},
		"GET /admin/my-reports/{id}/form.xlsx":                     {path: "/admin/my-reports/" + m.ids["my_report"] + "/form.xlsx", ok: 404, okFor: map[string]int{"yuefeng": 200}},
		"POST /admin/my-reports/{id}/upload":                       {path: "/admin/my-reports/" + m.ids["my_report"] + "/upload", ok: 404, okFor: map[string]int{"yuefeng": 422}},

		"GET /admin/my-info-reports":            {path: "/admin/my-info-reports", ok: 200},
		"GET /admin/my-info-reports/new":        {path: "/admin/my-info-reports/new", ok: 200},
		"POST /admin/my-info-reports":           {path: "/admin/my-info-reports", ok: 422},
		"GET /admin/my-info-reports/{id}":       {path: "/admin/my-info-reports/" + m.ids["info_report"], ok: 404, okFor: map[string]int{"yuefeng": 200}},
		"GET /admin/info-reports":               {path: "/admin/info-reports", ok: 200},
		"GET /admin/info-reports/{id}":          {path: "/admin/info-reports/" + m.ids["info_report"], ok: 200},
		"POST /admin/info-reports/{id}/adopt":   {path: "/admin/info-reports/999999/adopt", ok: 404},
		"POST /admin/info-reports/{id}/decline": {path: "/admin/info-reports/999999/decline", ok: 404},

		"GET /admin/my-inquiries":                 {path: "/admin/my-inquiries", ok: 200},
		"GET /admin/my-inquiries/new":             {path: "/admin/my-inquiries/new", ok: 200},
		"POST /admin/my-inquiries":                {path: "/admin/my-inquiries", ok: 422},
		"GET /admin/my-inquiries/{id}":            {path: "/admin/my-inquiries/" + m.ids["inquiry"], ok: 404, okFor: map[string]int{"yuefeng": 200}},
		"GET /admin/inquiries":                    {path: "/admin/inquiries", ok: 200},
		"GET /admin/inquiries/{id}":               {path: "/admin/inquiries/" + m.ids["inquiry"], ok: 200, okFor: notAssigned},
		"POST /admin/inquiries/{id}/answer":       {path: "/admin/inquiries/" + m.ids["inquiry"] + "/answer", ok: 422, okFor: notAssigned},
		"POST /admin/inquiries/{id}/assign":       {path: "/admin/inquiries/" + m.ids["inquiry"] + "/assign", ok: 303, okFor: notAssigned},
		"POST /admin/inquiries/{id}/faq":          {path: "/admin/inquiries/" + m.ids["inquiry"] + "/faq", ok: 422, okFor: notAssigned},
		"POST /admin/inquiries/{id}/faq/withdraw": {path: "/admin/inquiries/999999/faq/withdraw", ok: 404},

		"GET /admin/workgroup":                {path: "/admin/workgroup", ok: 303},
		"GET /admin/workgroup/new":            {path: "/admin/workgroup/new", ok: 200},
		"POST /admin/workgroup":               {path: "/admin/workgroup", ok: 422},
		"GET /admin/workgroup/search":         {path: "/admin/workgroup/search?q=" + url.QueryEscape("通知"), ok: 200},
		"GET /admin/workgroup/{id}":           {path: "/admin/workgroup/" + m.ids["channel"], ok: 200},
		"POST /admin/workgroup/{id}/messages": {path: "/admin/workgroup/" + m.ids["channel"] + "/messages", ok: 422},
		"POST /admin/workgroup/{id}/read":     {path: "/admin/workgroup/" + m.ids["channel"] + "/read", ok: 400},
		"GET /admin/workgroup/{id}/members":   {path: "/admin/workgroup/" + m.ids["channel"] + "/members", ok: 200},
		"POST /admin/workgroup/{id}/members":  {path: "/admin/workgroup/" + m.ids["channel"] + "/members", ok: 303},
	}
	return cases
}
