package web

import (
	"net/http"
	"strconv"

	"pingan/internal/domain"
)

type settingsPage struct {
	Page
	Settings domain.SiteSettings
}

func (s *Server) settingsForm(w http.ResponseWriter, r *http.Request) error {
	site, err := s.db.SiteSettings(r.Context(), s.actor(r).TownID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/settings", &settingsPage{Page: Page{Title: "站点设置"}, Settings: site})
}

func (s *Server) settingsUpdate(w http.ResponseWriter, r *http.Request) error {
	site := domain.SiteSettings{
		SiteName: r.PostFormValue("site_name"), Motto: r.PostFormValue("motto"), Contact: r.PostFormValue("contact"),
		ICPNumber: r.PostFormValue("icp_number"), PublicSecurity: r.PostFormValue("public_security_number"),
		SiteCode: r.PostFormValue("site_code"), Copyright: r.PostFormValue("copyright"), Mourning: r.PostFormValue("mourning") == "1",
	}
	if err := s.db.SaveSiteSettings(r.Context(), s.actor(r), site); err != nil {
		data := &settingsPage{Page: Page{Title: "站点设置"}, Settings: site}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/settings", data)
	}
	return redirectFlash(w, r, "/admin/settings", "站点设置已保存。")
}

type securityPage struct {
	Page
	Policy domain.SecurityPolicy
}

func (s *Server) securityForm(w http.ResponseWriter, r *http.Request) error {
	p, err := s.db.SecurityPolicy(r.Context(), s.actor(r).TownID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/security", &securityPage{Page: Page{Title: "安全策略"}, Policy: p})
}

func (s *Server) securityUpdate(w http.ResponseWriter, r *http.Request) error {
	num := func(name string) int {
		v, err := strconv.Atoi(r.PostFormValue(name))
		if err != nil {
			return -1
		}
		return v
	}
	p := domain.SecurityPolicy{
		MinPasswordLength: num("min_password_length"), PasswordMaxAgeDays: num("password_max_age_days"),
		MaxFailedAttempts: num("max_failed_attempts"), LockoutMinutes: num("lockout_minutes"),
		SessionIdleMinutes: num("session_idle_minutes"), SessionMaxHours: num("session_max_hours"),
	}
	if err := s.db.SaveSecurityPolicy(r.Context(), s.actor(r), p); err != nil {
		data := &securityPage{Page: Page{Title: "安全策略"}, Policy: p}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/security", data)
	}
	return redirectFlash(w, r, "/admin/security", "安全策略已保存。")
}
