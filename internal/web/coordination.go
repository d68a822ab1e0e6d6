package web

import (
	"net/http"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
)

func (s *Server) coordinationList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.CaseFilter{Channel: casework.ChannelCoordination, State: casework.State(q.Get("state")), Overdue: q.Get("overdue") == "1",
		Search: domain.TruncateChars(q.Get("q"), 40), Page: store.Page{Number: pageNumber(r), Size: 20}}
	p := domain.Problems{}
	if f.State != "" && !f.State.Valid() {
		p.Add("state", "状态筛选有误，请从列表中选择。")
	}
	pageParam(q, p)
	if err := filterErr(p); err != nil {
		return err
	}
	return s.renderCaseList(w, r, "协调事项", "/admin/coordination", f)
}

func (s *Server) coordinationNewForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.caseFormData(r, "登记协调事项")
	if err != nil {
		return err
	}
	data.Coord, data.Action = true, "/admin/coordination"
	return s.render(w, r, http.StatusOK, "admin/cases/new", data)
}

// coordinationCreate registers a coordination matter and dispatches it to its lead and
// assisting units in one step.
func (s *Server) coordinationCreate(w http.ResponseWriter, r *http.Request) error {
	n := store.NewCase{Channel: casework.ChannelCoordination, Category: casework.CategoryCoordination, Title: r.PostFormValue("title"),
		Body: r.PostFormValue("body")}
	lead, assists := formID(r, "lead_org_id"), formIDs(r, "assist_org_ids")
	reg, err := s.db.RegisterCoordination(r.Context(), s.actor(r), n, lead, assists)
	if err != nil {
		data, derr := s.caseFormData(r, "登记协调事项")
		if derr != nil {
			return derr
		}
		data.Case, data.Coord, data.Action, data.Lead, data.Assists = n, true, "/admin/coordination", lead, assists
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/cases/new", data)
	}
	s.publishBell(r.Context(), reg.Notifications)
	return redirectFlash(w, r, "/admin/cases/"+itoa(reg.ID), "协调事项 "+reg.Number+" 已登记并交办。")
}
