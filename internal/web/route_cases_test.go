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
	}
	return cases
}
