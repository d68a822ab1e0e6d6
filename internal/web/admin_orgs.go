package web

import (
	"net/http"
	"strconv"

	"pingan/internal/domain"
)

type adminHomePage struct {
	Page
	Orgs     int
	Accounts int
}

func (s *Server) adminHome(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	orgs, err := s.db.CountOrgs(r.Context(), actor)
	if err != nil {
		return err
	}
	_, accounts, err := s.db.ListAccounts(r.Context(), actor, accountFilterAll)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/home", &adminHomePage{Page: Page{Title: "工作台"}, Orgs: orgs, Accounts: accounts})
}

type orgListPage struct {
	Page
	Nodes []*domain.OrgNode
}

func (s *Server) orgList(w http.ResponseWriter, r *http.Request) error {
	orgs, err := s.db.ListOrgs(r.Context(), s.actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/orgs", &orgListPage{Page: Page{Title: "组织机构"}, Nodes: domain.Flatten(domain.BuildTree(orgs))})
}

type orgFormPage struct {
	Page
	Org     domain.Org
	Parent  domain.Org
	Kinds   []domain.OrgKind
	Editing bool
}

func (s *Server) orgNewForm(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	parentID, _ := strconv.ParseInt(r.URL.Query().Get("parent"), 10, 64)
	if parentID == 0 {
		parentID = actor.TownID
	}
	parent, err := s.db.GetOrg(r.Context(), actor, parentID)
	if err != nil {
		return err
	}
	data := &orgFormPage{Page: Page{Title: "新建组织"}, Parent: parent, Kinds: childKinds(parent.Kind)}
	data.Org.ParentID = parent.ID
	if len(data.Kinds) > 0 {
		data.Org.Kind = data.Kinds[0]
	}
	return s.render(w, r, http.StatusOK, "admin/org_form", data)
}

func childKinds(parent domain.OrgKind) []domain.OrgKind {
	var out []domain.OrgKind
	for _, k := range domain.OrgKinds {
		if domain.CanParent(parent, k) {
			out = append(out, k)
		}
	}
	return out
}

func orgFromForm(r *http.Request) domain.Org {
	sort, _ := strconv.Atoi(r.PostFormValue("sort_order"))
	parent, _ := strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	return domain.Org{ParentID: parent, Kind: domain.OrgKind(r.PostFormValue("kind")), Name: r.PostFormValue("name"),
		Code: r.PostFormValue("code"), SortOrder: sort, Contact: r.PostFormValue("contact")}
}

func (s *Server) orgCreate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	o := orgFromForm(r)
	if _, err := strconv.Atoi(r.PostFormValue("sort_order")); err != nil && r.PostFormValue("sort_order") != "" {
		o.SortOrder = -1
	}
	id, err := s.db.CreateOrg(r.Context(), actor, o)
	if err != nil {
		parent, perr := s.db.GetOrg(r.Context(), actor, o.ParentID)
		if perr != nil {
			parent, perr = s.db.GetOrg(r.Context(), actor, actor.TownID)
			if perr != nil {
				return perr
			}
			o.ParentID = parent.ID
		}
		data := &orgFormPage{Page: Page{Title: "新建组织"}, Org: o, Parent: parent, Kinds: childKinds(parent.Kind)}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/org_form", data)
	}
	return redirectFlash(w, r, "/admin/orgs#org-"+strconv.FormatInt(id, 10), "已新建“"+domain.CleanLine(o.Name)+"”。")
}

func (s *Server) orgEditForm(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.db.GetOrg(r.Context(), actor, id)
	if err != nil {
		return err
	}
	data := &orgFormPage{Page: Page{Title: "修改组织"}, Org: o, Editing: true}
	if o.ParentID != 0 {
		data.Parent, _ = s.db.GetOrg(r.Context(), actor, o.ParentID)
	}
	return s.render(w, r, http.StatusOK, "admin/org_form", data)
}

func (s *Server) orgUpdate(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	cur, err := s.db.GetOrg(r.Context(), actor, id)
	if err != nil {
		return err
	}
	o := orgFromForm(r)
	o.ID, o.ParentID, o.Kind = id, cur.ParentID, cur.Kind
	if _, err := strconv.Atoi(r.PostFormValue("sort_order")); err != nil && r.PostFormValue("sort_order") != "" {
		o.SortOrder = -1
	}
	if err := s.db.UpdateOrg(r.Context(), actor, o); err != nil {
		data := &orgFormPage{Page: Page{Title: "修改组织"}, Org: o, Editing: true}
		if cur.ParentID != 0 {
			data.Parent, _ = s.db.GetOrg(r.Context(), actor, cur.ParentID)
		}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/org_form", data)
	}
	return redirectFlash(w, r, "/admin/orgs#org-"+strconv.FormatInt(id, 10), "已保存“"+o.Name+"”。")
}

type confirmPage struct {
	Page
	Question string
	Detail   string
	Action   string
	Back     string
	Button   string
}

func (s *Server) orgDeleteConfirm(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	o, err := s.db.GetOrg(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/confirm", &confirmPage{Page: Page{Title: "删除组织"},
		Question: "确定删除“" + o.Name + "”吗？", Detail: "删除后不能恢复。有下级组织、账号或业务记录的组织不能删除。",
		Action: "/admin/orgs/" + strconv.FormatInt(id, 10) + "/delete", Back: "/admin/orgs", Button: "确定删除"})
}

func (s *Server) orgDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	actor := s.actor(r)
	o, err := s.db.GetOrg(r.Context(), actor, id)
	if err != nil {
		return err
	}
	if err := s.db.DeleteOrg(r.Context(), actor, id); err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/orgs", "已删除“"+o.Name+"”。")
}
