package web

import (
	"net/http"
	"strconv"

	"pingan/internal/domain"
)

type columnListPage struct {
	Page
	Columns []domain.Column
	Topics  []domain.Topic
}

func (s *Server) columnList(w http.ResponseWriter, r *http.Request) error {
	townID := s.actor(r).TownID
	cols, err := s.db.ListColumns(r.Context(), townID, true)
	if err != nil {
		return err
	}
	topics, err := s.db.ListTopics(r.Context(), townID)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/columns", &columnListPage{Page: Page{Title: "栏目和专题"}, Columns: cols, Topics: topics})
}

type columnFormPage struct {
	Page
	Column  domain.Column
	Parents []domain.Column
	Kinds   []domain.ColumnKind
	Editing bool
}

func (s *Server) columnFormData(r *http.Request, c domain.Column, editing bool) (*columnFormPage, error) {
	cols, err := s.db.ListColumns(r.Context(), s.actor(r).TownID, true)
	if err != nil {
		return nil, err
	}
	title := "新建栏目"
	if editing {
		title = "修改栏目"
	}
	data := &columnFormPage{Page: Page{Title: title}, Column: c, Kinds: domain.ColumnKinds, Editing: editing}
	for _, p := range cols {
		if p.ID != c.ID {
			data.Parents = append(data.Parents, p)
		}
	}
	return data, nil
}

func columnFromForm(r *http.Request) domain.Column {
	c := domain.Column{Name: r.PostFormValue("name"), Slug: r.PostFormValue("slug"), Kind: domain.ColumnKind(r.PostFormValue("kind")),
		LinkURL: r.PostFormValue("link_url"), Description: r.PostFormValue("description"), Visible: r.PostFormValue("visible") == "1"}
	c.ParentID, _ = strconv.ParseInt(r.PostFormValue("parent_id"), 10, 64)
	var err error
	if c.SortOrder, err = strconv.Atoi(r.PostFormValue("sort_order")); err != nil && r.PostFormValue("sort_order") != "" {
		c.SortOrder = -1
	}
	if c.UpdateIntervalDays, err = strconv.Atoi(r.PostFormValue("update_interval_days")); err != nil && r.PostFormValue("update_interval_days") != "" {
		c.UpdateIntervalDays = -1
	}
	return c
}

func (s *Server) columnNew(w http.ResponseWriter, r *http.Request) error {
	data, err := s.columnFormData(r, domain.Column{Kind: domain.ColumnList, Visible: true, UpdateIntervalDays: domain.DefaultUpdateInterval(domain.ColumnList)}, false)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/column_form", data)
}

func (s *Server) columnCreate(w http.ResponseWriter, r *http.Request) error {
	c := columnFromForm(r)
	if _, err := s.db.CreateColumn(r.Context(), s.actor(r), c); err != nil {
		return s.columnInvalid(w, r, c, false, err)
	}
	return redirectFlash(w, r, "/admin/columns", "已新建栏目“"+domain.CleanLine(c.Name)+"”。")
}

func (s *Server) columnInvalid(w http.ResponseWriter, r *http.Request, c domain.Column, editing bool, err error) error {
	data, derr := s.columnFormData(r, c, editing)
	if derr != nil {
		return derr
	}
	if !formInvalid(&data.Page, err) {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/column_form", data)
}

func (s *Server) columnEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.db.GetColumn(r.Context(), s.actor(r).TownID, id)
	if err != nil {
		return err
	}
	data, err := s.columnFormData(r, c, true)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/column_form", data)
}

func (s *Server) columnUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if _, err := s.db.GetColumn(r.Context(), s.actor(r).TownID, id); err != nil {
		return err
	}
	c := columnFromForm(r)
	c.ID = id
	if err := s.db.UpdateColumn(r.Context(), s.actor(r), c); err != nil {
		return s.columnInvalid(w, r, c, true, err)
	}
	return redirectFlash(w, r, "/admin/columns", "已保存栏目“"+domain.CleanLine(c.Name)+"”。")
}

type topicFormPage struct {
	Page
	Topic   domain.Topic
	Editing bool
}

func topicFromForm(r *http.Request) domain.Topic {
	t := domain.Topic{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	var err error
	if t.SortOrder, err = strconv.Atoi(r.PostFormValue("sort_order")); err != nil && r.PostFormValue("sort_order") != "" {
		t.SortOrder = -1
	}
	return t
}

func (s *Server) topicNew(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/topic_form", &topicFormPage{Page: Page{Title: "新建专题"}})
}

func (s *Server) topicCreate(w http.ResponseWriter, r *http.Request) error {
	t := topicFromForm(r)
	if _, err := s.db.CreateTopic(r.Context(), s.actor(r), t); err != nil {
		data := &topicFormPage{Page: Page{Title: "新建专题"}, Topic: t}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/topic_form", data)
	}
	return redirectFlash(w, r, "/admin/columns", "已新建专题“"+domain.CleanLine(t.Name)+"”。")
}

func (s *Server) topicEdit(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t, err := s.db.GetTopic(r.Context(), s.actor(r).TownID, id)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/topic_form", &topicFormPage{Page: Page{Title: "修改专题"}, Topic: t, Editing: true})
}

func (s *Server) topicUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t := topicFromForm(r)
	t.ID = id
	if err := s.db.UpdateTopic(r.Context(), s.actor(r), t); err != nil {
		data := &topicFormPage{Page: Page{Title: "修改专题"}, Topic: t, Editing: true}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/topic_form", data)
	}
	return redirectFlash(w, r, "/admin/columns", "已保存专题“"+domain.CleanLine(t.Name)+"”。")
}
