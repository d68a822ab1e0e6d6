package web

import (
	"net/http"
	"strconv"
	"strings"

	"pingan/internal/domain"
)

type templateListPage struct {
	Page
	Templates []domain.ReportTemplate
}

func (s *Server) templateList(w http.ResponseWriter, r *http.Request) error {
	list, err := s.db.ListTemplates(r.Context(), s.actor(r))
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/report_templates", &templateListPage{Page: Page{Title: "报表模板"}, Templates: list})
}

type templateFormPage struct {
	Page
	Template domain.ReportTemplate
}

func (s *Server) templateNewForm(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "admin/report_template_form", &templateFormPage{Page: Page{Title: "新建报表模板"}})
}

func (s *Server) templateCreate(w http.ResponseWriter, r *http.Request) error {
	t := domain.ReportTemplate{Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	id, err := s.db.CreateTemplate(r.Context(), s.actor(r), t)
	if err != nil {
		data := &templateFormPage{Page: Page{Title: "新建报表模板"}, Template: t}
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/report_template_form", data)
	}
	return redirectFlash(w, r, templatePath(id), "已新建模板，请添加字段。")
}

func templatePath(id int64) string { return "/admin/reports/templates/" + strconv.FormatInt(id, 10) }

type designerPage struct {
	Page
	Template domain.ReportTemplate
	Kinds    []domain.FieldKind
	// New is the add-field form, kept when it comes back with an error.
	New domain.ReportField
	// EditID is the field whose form came back with an error, and Edit its values.
	EditID int64
	Edit   domain.ReportField
}

// templateDesigner shows a template's fields in order with a form for each and one to add a
// field. A template already assigned shows its fields read-only.
func (s *Server) templateDesigner(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderDesigner(w, r, http.StatusOK, id, nil)
}

func (s *Server) renderDesigner(w http.ResponseWriter, r *http.Request, status int, id int64, fill func(*designerPage)) error {
	t, err := s.db.GetTemplate(r.Context(), s.actor(r), id)
	if err != nil {
		return err
	}
	data := &designerPage{Page: Page{Title: "报表模板：" + t.Name}, Template: t, Kinds: domain.FieldKinds,
		New: domain.ReportField{Kind: domain.FieldInteger}}
	if fill != nil {
		fill(data)
	}
	return s.render(w, r, status, "admin/report_designer", data)
}

func (s *Server) templateUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	t := domain.ReportTemplate{ID: id, Name: r.PostFormValue("name"), Description: r.PostFormValue("description")}
	if err := s.db.UpdateTemplate(r.Context(), s.actor(r), t); err != nil {
		if domain.ErrorKind(err) != domain.KindInvalid && domain.ErrorKind(err) != domain.KindConflict {
			return err
		}
		return s.renderDesigner(w, r, http.StatusUnprocessableEntity, id, func(d *designerPage) {
			formInvalid(&d.Page, err)
			d.Template.Name, d.Template.Description = t.Name, t.Description
		})
	}
	return redirectFlash(w, r, templatePath(id), "模板名称和说明已保存。")
}

func (s *Server) templateCopy(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	name := strings.TrimSpace(r.PostFormValue("name"))
	newID, err := s.db.CopyTemplate(r.Context(), s.actor(r), id, name)
	if err != nil {
		if domain.ErrorKind(err) == domain.KindInvalid || domain.ErrorKind(err) == domain.KindConflict {
			msg := domain.UserMessage(err)
			for _, v := range domain.FieldErrors(err) {
				msg = v
			}
			return redirectFlash(w, r, templatePath(id), "复制失败："+msg)
		}
		return err
	}
	return redirectFlash(w, r, templatePath(newID), "已复制为新模板，可以修改字段。")
}

// fieldFromForm reads the designer's field form; choices come one per line.
func fieldFromForm(r *http.Request) domain.ReportField {
	return domain.ReportField{Section: r.PostFormValue("section"), Label: r.PostFormValue("label"),
		Kind: domain.FieldKind(r.PostFormValue("kind")), Required: r.PostFormValue("required") == "1",
		Help: r.PostFormValue("help"), Choices: strings.Split(r.PostFormValue("choices"), "\n")}
}

func (s *Server) fieldAdd(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	f := fieldFromForm(r)
	if _, err := s.db.AddField(r.Context(), s.actor(r), id, f); err != nil {
		return s.designerError(w, r, id, err, func(d *designerPage) { d.New = f })
	}
	return redirectFlash(w, r, templatePath(id)+"#add", "已添加字段“"+domain.CleanLine(f.Label)+"”。")
}

// designerError shows the designer again with the field form that failed, or sends a conflict
// (a used template) back as a message.
func (s *Server) designerError(w http.ResponseWriter, r *http.Request, id int64, err error, keep func(*designerPage)) error {
	switch domain.ErrorKind(err) {
	case domain.KindInvalid:
		return s.renderDesigner(w, r, http.StatusUnprocessableEntity, id, func(d *designerPage) {
			formInvalid(&d.Page, err)
			keep(d)
		})
	case domain.KindConflict:
		return redirectFlash(w, r, templatePath(id), domain.UserMessage(err))
	}
	return err
}

func (s *Server) fieldUpdate(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fieldID, err := pathID(r, "field")
	if err != nil {
		return err
	}
	f := fieldFromForm(r)
	f.ID = fieldID
	if err := s.db.UpdateField(r.Context(), s.actor(r), id, f); err != nil {
		return s.designerError(w, r, id, err, func(d *designerPage) { d.EditID, d.Edit = fieldID, f })
	}
	return redirectFlash(w, r, templatePath(id)+"#field-"+strconv.FormatInt(fieldID, 10), "字段已保存。")
}

func (s *Server) fieldDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fieldID, err := pathID(r, "field")
	if err != nil {
		return err
	}
	if err := s.db.DeleteField(r.Context(), s.actor(r), id, fieldID); err != nil {
		return s.designerError(w, r, id, err, func(*designerPage) {})
	}
	return redirectFlash(w, r, templatePath(id), "字段已删除。")
}

func (s *Server) fieldMove(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fieldID, err := pathID(r, "field")
	if err != nil {
		return err
	}
	delta := 1
	if r.PostFormValue("direction") == "up" {
		delta = -1
	}
	if err := s.db.MoveField(r.Context(), s.actor(r), id, fieldID, delta); err != nil {
		return s.designerError(w, r, id, err, func(*designerPage) {})
	}
	http.Redirect(w, r, templatePath(id)+"#field-"+strconv.FormatInt(fieldID, 10), http.StatusSeeOther)
	return nil
}
