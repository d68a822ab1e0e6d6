package web

import (
	"net/http"
	"strconv"

	"pingan/internal/domain"
	"pingan/internal/password"
	"pingan/internal/store"
)

var accountFilterAll = store.AccountFilter{Page: store.Page{Number: 1, Size: 1}}

type accountListPage struct {
	Page
	Accounts []domain.Account
	Orgs     []*domain.OrgNode
	Roles    []domain.Role
	Query    string
	OrgID    int64
	Role     domain.Role
	Status   string
	Pager    Pager
	// RolesMode shows the list as the security administrator's role assignment list.
	RolesMode bool
}

func (s *Server) accountListData(r *http.Request, title string) (*accountListPage, error) {
	actor := s.actor(r)
	q := r.URL.Query()
	f := store.AccountFilter{Query: domain.CleanLine(q.Get("q")), Page: store.Page{Number: pageNumber(r), Size: 20}}
	f.OrgID, _ = strconv.ParseInt(q.Get("org"), 10, 64)
	if role, ok := domain.ParseRole(q.Get("role")); ok {
		f.Role = role
	}
	switch q.Get("status") {
	case "active":
		v := false
		f.Disabled = &v
	case "disabled":
		v := true
		f.Disabled = &v
	}
	accounts, total, err := s.db.ListAccounts(r.Context(), actor, f)
	if err != nil {
		return nil, err
	}
	orgs, err := s.db.ListOrgs(r.Context(), actor)
	if err != nil {
		return nil, err
	}
	page := f.Page.Normalize(total)
	return &accountListPage{Page: Page{Title: title}, Accounts: accounts, Orgs: domain.Flatten(domain.BuildTree(orgs)),
		Roles: domain.AllRoles, Query: f.Query, OrgID: f.OrgID, Role: f.Role, Status: q.Get("status"),
		Pager: newPager(r, page.Number, page.Size, total)}, nil
}

func (s *Server) accountList(w http.ResponseWriter, r *http.Request) error {
	data, err := s.accountListData(r, "账号管理")
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/accounts", data)
}

func (s *Server) roleList(w http.ResponseWriter, r *http.Request) error {
	data, err := s.accountListData(r, "角色分配")
	if err != nil {
		return err
	}
	data.RolesMode = true
	return s.render(w, r, http.StatusOK, "admin/accounts", data)
}

type accountFormPage struct {
	Page
	Account domain.Account
	Orgs    []*domain.OrgNode
	Editing bool
}

func (s *Server) accountFormData(r *http.Request, title string, a domain.Account, editing bool) (*accountFormPage, error) {
	orgs, err := s.db.ListOrgs(r.Context(), s.actor(r))
	if err != nil {
		return nil, err
	}
	return &accountFormPage{Page: Page{Title: title}, Account: a, Orgs: domain.Flatten(domain.BuildTree(orgs)), Editing: editing}, nil
}

func (s *Server) accountNewForm(w http.ResponseWriter, r *http.Request) error {
	a := domain.Account{}
	a.OrgID, _ = strconv.ParseInt(r.URL.Query().Get("org"), 10, 64)
	data, err := s.accountFormData(r, "新建账号", a, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/account_form", data)
}

func accountFromForm(r *http.Request) domain.Account {
	org, _ := strconv.ParseInt(r.PostFormValue("org_id"), 10, 64)
	return domain.Account{Username: r.PostFormValue("username"), DisplayName: r.PostFormValue("display_name"),
		Phone: r.PostFormValue("phone"), OrgID: org}
}

type passwordIssuedPage struct {
	Page
	Account  domain.Account
	Password string
}

// accountCreate adds an account with a random one-time password that is shown once; the person
// must change it at the first sign-in. Roles are assigned by the security administrator.
func (s *Server) accountCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	a := accountFromForm(r)
	a.MustChangePassword = true
	pw := password.Generate(14)
	hash, err := s.hasher.Hash(r.Context(), pw)
	if err != nil {
		return err
	}
	id, err := s.db.CreateAccount(r.Context(), actor, store.NewAccount{Account: a, PasswordHash: hash})
	if err != nil {
		data, derr := s.accountFormData(r, "新建账号", a, false)
		if derr != nil {
			return derr
		}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/account_form", data)
	}
	created, err := s.db.GetAccount(r.Context(), actor, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/password_issued", &passwordIssuedPage{Page: Page{Title: "账号已建立"}, Account: created, Password: pw})
}

type accountDetailPage struct {
	Page
	Account domain.Account
	Locked  bool
}

func (s *Server) accountDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.db.GetAccount(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/account", &accountDetailPage{Page: Page{Title: "账号：" + a.DisplayName}, Account: a, Locked: a.LockedAt(s.db.Now())})
}

func (s *Server) accountEditForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.db.GetAccount(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	data, err := s.accountFormData(r, "修改账号", a, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/account_form", data)
}

func (s *Server) accountUpdate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := s.db.GetAccount(r.Context(), actor, id)
	if err != nil {
		return err
	}
	a := accountFromForm(r)
	a.ID, a.Username = id, cur.Username
	if err := s.db.UpdateAccount(r.Context(), actor, a); err != nil {
		data, derr := s.accountFormData(r, "修改账号", a, true)
		if derr != nil {
			return derr
		}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/account_form", data)
	}
	return redirectFlash(w, r, "/admin/accounts/"+strconv.FormatInt(id, 10), "已保存。")
}

func (s *Server) accountAction(action string) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		actor := s.actor(r)
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		back := "/admin/accounts/" + strconv.FormatInt(id, 10)
		switch action {
		case "disable":
			err = s.db.SetDisabled(r.Context(), actor, id, true)
			if err == nil {
				return redirectFlash(w, r, back, "账号已停用，其登录已全部失效。")
			}
		case "enable":
			err = s.db.SetDisabled(r.Context(), actor, id, false)
			if err == nil {
				return redirectFlash(w, r, back, "账号已启用。")
			}
		case "unlock":
			err = s.db.Unlock(r.Context(), actor, id)
			if err == nil {
				return redirectFlash(w, r, back, "账号已解锁。")
			}
		case "reset-password":
			a, gerr := s.db.GetAccount(r.Context(), actor, id)
			if gerr != nil {
				return gerr
			}
			pw := password.Generate(14)
			hash, herr := s.hasher.Hash(r.Context(), pw)
			if herr != nil {
				return herr
			}
			if err = s.db.ResetPassword(r.Context(), actor, id, hash); err == nil {
				return s.render(w, r, http.StatusOK, "admin/password_issued", &passwordIssuedPage{Page: Page{Title: "密码已重置"}, Account: a, Password: pw})
			}
		}
		return err
	}
}

func (s *Server) accountConfirm(action string) handlerFunc {
	questions := map[string][2]string{
		"disable":        {"确定停用账号“%s”吗？", "停用后该账号立即退出所有登录，且不能再登录，直到重新启用。"},
		"reset-password": {"确定重置账号“%s”的密码吗？", "系统将生成一次性密码，只显示一次；原密码立即失效，该账号的登录全部退出。"},
	}
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		a, err := s.db.GetAccount(r.Context(), s.actor(r), id)
		if err != nil {
			return err
		}
		q := questions[action]
		return s.render(w, r, http.StatusOK, "admin/confirm", &confirmPage{Page: Page{Title: "请确认"},
			Question: sprintf(q[0], a.DisplayName+"（"+a.Username+"）"), Detail: q[1],
			Action: "/admin/accounts/" + strconv.FormatInt(id, 10) + "/" + action, Back: "/admin/accounts/" + strconv.FormatInt(id, 10), Button: "确定"})
	}
}

type rolesFormPage struct {
	Page
	Account      domain.Account
	AdminRoles   []domain.Role
	WorkingRoles []domain.Role
	Selected     []domain.Role
}

func (s *Server) rolesForm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.db.GetAccount(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/roles_form", &rolesFormPage{Page: Page{Title: "分配角色"}, Account: a,
		AdminRoles: domain.AdminRoles, WorkingRoles: domain.WorkingRoles, Selected: a.Roles})
}

func (s *Server) rolesUpdate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	a, err := s.db.GetAccount(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return domain.Invalid("表单无法解析。")
	}
	var roles []domain.Role
	for _, v := range r.PostForm["role"] {
		role, ok := domain.ParseRole(v)
		if !ok {
			return domain.Invalid("未知的角色。")
		}
		roles = append(roles, role)
	}
	if err := s.db.SetRoles(r.Context(), actor, id, roles); err != nil {
		data := &rolesFormPage{Page: Page{Title: "分配角色"}, Account: a, AdminRoles: domain.AdminRoles, WorkingRoles: domain.WorkingRoles, Selected: roles}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/roles_form", data)
	}
	return redirectFlash(w, r, "/admin/roles", "已更新“"+a.DisplayName+"”的角色。")
}

type permissionsPage struct {
	Page
	Roles       []domain.Role
	Permissions []domain.Permission
}

func (s *Server) permissionTable(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/permissions", &permissionsPage{Page: Page{Title: "权限表"},
		Roles: domain.AllRoles, Permissions: domain.AllPermissions})
}
