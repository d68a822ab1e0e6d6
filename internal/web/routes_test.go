package web

import (
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"testing"

	"pingan/internal/domain"
)

// routeCase is how the matrix test calls one route: the path with real ids, the form of a POST,
// and the status an account with the permission gets. otherTown is the same path with the id of
// a row in another town, which must return 404 even to an account with the permission.
type routeCase struct {
	path      string
	form      url.Values
	ok        int
	otherTown string
}

func routeCases(h *harness) map[string]routeCase {
	id := func(n int64) string { return fmt.Sprint(n) }
	village, leaf := id(h.orgs["越丰村"]), id(h.orgs["待删除的网格"])
	target := id(h.accounts["target"])
	otherOrg, otherAcc := id(h.otherOrg), id(h.otherAccount)
	validOrg := url.Values{"name": {"越丰村（改）"}, "code": {"YF"}, "sort_order": {"5"}, "contact": {""}}
	validAccount := url.Values{"display_name": {"被操作账号"}, "org_id": {village}, "phone": {"13800001111"}}
	return map[string]routeCase{
		"GET /healthz":           {path: "/healthz", ok: 200},
		"GET /readyz":            {path: "/readyz", ok: 200},
		"GET /static/":           {path: "/static/site.css", ok: 200},
		"GET /{$}":               {path: "/", ok: 200},
		"GET /signin":            {path: "/signin", ok: 200},
		"POST /signin":           {path: "/signin", form: url.Values{"username": {""}}, ok: 422},
		"POST /signout":          {path: "/signout", form: url.Values{}, ok: 303},
		"POST /signout-all":      {path: "/signout-all", form: url.Values{}, ok: 303},
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
		"POST /admin/orgs/{id}/delete": {path: "/admin/orgs/" + leaf + "/delete", form: url.Values{}, ok: 303, otherTown: "/admin/orgs/" + otherOrg + "/delete"},

		"GET /admin/accounts":     {path: "/admin/accounts?q=a&page=2", ok: 200},
		"GET /admin/accounts/new": {path: "/admin/accounts/new", ok: 200},
		"POST /admin/accounts": {path: "/admin/accounts", ok: 200,
			form: url.Values{"username": {"newuser"}, "display_name": {"新同事"}, "org_id": {village}}},
		"GET /admin/accounts/{id}":                 {path: "/admin/accounts/" + target, ok: 200, otherTown: "/admin/accounts/" + otherAcc},
		"GET /admin/accounts/{id}/edit":            {path: "/admin/accounts/" + target + "/edit", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/edit"},
		"POST /admin/accounts/{id}":                {path: "/admin/accounts/" + target, form: validAccount, ok: 303, otherTown: "/admin/accounts/" + otherAcc},
		"GET /admin/accounts/{id}/disable":         {path: "/admin/accounts/" + target + "/disable", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/disable"},
		"POST /admin/accounts/{id}/disable":        {path: "/admin/accounts/" + target + "/disable", form: url.Values{}, ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/disable"},
		"POST /admin/accounts/{id}/enable":         {path: "/admin/accounts/" + target + "/enable", form: url.Values{}, ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/enable"},
		"POST /admin/accounts/{id}/unlock":         {path: "/admin/accounts/" + target + "/unlock", form: url.Values{}, ok: 303, otherTown: "/admin/accounts/" + otherAcc + "/unlock"},
		"GET /admin/accounts/{id}/reset-password":  {path: "/admin/accounts/" + target + "/reset-password", ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/reset-password"},
		"POST /admin/accounts/{id}/reset-password": {path: "/admin/accounts/" + target + "/reset-password", form: url.Values{}, ok: 200, otherTown: "/admin/accounts/" + otherAcc + "/reset-password"},
		"GET /admin/import":                        {path: "/admin/import", ok: 200},
		"GET /admin/import/template.xlsx":          {path: "/admin/import/template.xlsx", ok: 200},
		"POST /admin/import":                       {path: "/admin/import", form: url.Values{}, ok: 422},

		"GET /admin/settings": {path: "/admin/settings", ok: 200},
		"POST /admin/settings": {path: "/admin/settings", ok: 303,
			form: url.Values{"site_name": {"平安高桥网"}, "motto": {"联接大众，共创平安"}}},
		"GET /admin/roles":       {path: "/admin/roles", ok: 200},
		"GET /admin/roles/{id}":  {path: "/admin/roles/" + target, ok: 200, otherTown: "/admin/roles/" + otherAcc},
		"POST /admin/roles/{id}": {path: "/admin/roles/" + target, form: url.Values{"role": {"reporter", "grid_worker"}}, ok: 303, otherTown: "/admin/roles/" + otherAcc},
		"GET /admin/security":    {path: "/admin/security", ok: 200},
		"POST /admin/security": {path: "/admin/security", ok: 303, form: url.Values{
			"min_password_length": {"12"}, "password_max_age_days": {"90"}, "max_failed_attempts": {"5"},
			"lockout_minutes": {"15"}, "session_idle_minutes": {"30"}, "session_max_hours": {"12"}}},
		"GET /admin/permissions":       {path: "/admin/permissions", ok: 200},
		"GET /admin/audit":             {path: "/admin/audit?from=2026-01-01&to=2026-12-31", ok: 200},
		"GET /admin/audit/export.xlsx": {path: "/admin/audit/export.xlsx", ok: 200},
	}
}

// expectedStatus is the status a caller with the given roles (nil for an anonymous visitor)
// gets from a route.
func expectedStatus(pattern string, perm domain.Permission, rc routeCase, roles []domain.Role) int {
	method, _, _ := strings.Cut(pattern, " ")
	signedIn := roles != nil
	switch {
	case perm == public && pattern == "GET /signin" && signedIn:
		return http.StatusSeeOther // a signed-in account is sent on to the back office
	case perm == public:
		return rc.ok
	case !signedIn && method == http.MethodGet:
		return http.StatusSeeOther
	case !signedIn:
		return http.StatusUnauthorized
	case !domain.HasPermission(roles, perm):
		return http.StatusForbidden
	}
	return rc.ok
}

// TestRoleRouteMatrix calls every route as every role and as an anonymous visitor and checks the
// status; rows of another town return 404 to accounts that hold the permission.
func TestRoleRouteMatrix(t *testing.T) {
	forEachDB(t, func(t *testing.T, base *harness) {
		cases := routeCases(base)
		routes := base.srv.Routes()
		for _, r := range routes {
			if _, ok := cases[r.Pattern]; !ok {
				t.Errorf("route %q has no case in the matrix test", r.Pattern)
			}
		}
		// Sign-out routes end the session, so they run last.
		sort.SliceStable(routes, func(i, j int) bool {
			return !strings.Contains(routes[i].Pattern, "signout") && strings.Contains(routes[j].Pattern, "signout")
		})
		callers := []domain.Role{""}
		callers = append(callers, domain.AllRoles...)
		for _, role := range callers {
			name := "anonymous"
			if role != "" {
				name = string(role)
			}
			t.Run(name, func(t *testing.T) {
				// Each caller gets a fresh server, so one caller's writes do not change another's results.
				h := base
				if role != domain.AllRoles[0] && role != "" {
					h = newHarness(t, base.db.Dialect())
				}
				cases := routeCases(h)
				c := h.anonymous()
				var roles []domain.Role
				if role != "" {
					c = h.signIn(roleUsers[role])
					roles = []domain.Role{role}
				}
				for _, r := range routes {
					rc := cases[r.Pattern]
					if role != "" && strings.Contains(r.Pattern, "signout") {
						c = h.signIn(roleUsers[role]) // the previous sign-out ended the session
					}
					want := expectedStatus(r.Pattern, r.Permission, rc, roles)
					res := c.call(r.Pattern, rc.path, rc.form)
					if res.StatusCode != want {
						t.Errorf("%s %s: status %d, want %d", r.Pattern, rc.path, res.StatusCode, want)
					}
					if role != "" && rc.otherTown != "" && domain.HasPermission(roles, r.Permission) {
						if res := c.call(r.Pattern, rc.otherTown, rc.form); res.StatusCode != http.StatusNotFound {
							t.Errorf("%s %s (other town): status %d, want 404", r.Pattern, rc.otherTown, res.StatusCode)
						}
					}
				}
			})
		}
	})
}

func (c *client) call(pattern, path string, form url.Values) response {
	if strings.HasPrefix(pattern, "POST ") {
		if form == nil {
			form = url.Values{}
		}
		return c.post(path, form)
	}
	return c.get(path)
}
