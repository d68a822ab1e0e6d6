package web

import (
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/xuri/excelize/v2"

	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

type auditPage struct {
	Page
	Entries []auditRow
	Actions []string
	Filter  auditFilterForm
	Pager   Pager
}

type auditFilterForm struct {
	From, To, Actor, Action, ObjectType, ObjectID, Outcome, IP string
}

// auditFilter reads the filter of the audit page; dates are inclusive days in Beijing time.
func auditFilter(r *http.Request) (domain.AuditFilter, auditFilterForm, error) {
	q := r.URL.Query()
	form := auditFilterForm{From: q.Get("from"), To: q.Get("to"), Actor: domain.CleanLine(q.Get("actor")),
		Action: q.Get("action"), ObjectType: q.Get("object_type"), ObjectID: q.Get("object_id"), Outcome: q.Get("outcome"), IP: q.Get("ip")}
	f := domain.AuditFilter{ActorName: form.Actor, Action: form.Action, ObjectType: form.ObjectType, ObjectID: form.ObjectID,
		Outcome: form.Outcome, IP: form.IP}
	p := domain.Problems{}
	if form.From != "" {
		t, err := domain.ParseDate(form.From)
		if err != nil {
			p.Add("from", domain.DateFormatMessage("开始日期", form.From))
		}
		f.From = t
	}
	if form.To != "" {
		t, err := domain.ParseDate(form.To)
		if err != nil {
			p.Add("to", domain.DateFormatMessage("结束日期", form.To))
		}
		f.To = t.AddDate(0, 0, 1)
	}
	if !f.From.IsZero() && !f.To.IsZero() && !f.From.Before(f.To) {
		p.Add("to", "结束日期不能早于开始日期。")
	}
	p.CheckLength("actor", "操作人", form.Actor, false, 60)
	return f, form, p.Err()
}

func (s *Server) auditList(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	f, form, ferr := auditFilter(r)
	data := &auditPage{Page: Page{Title: "审计日志"}, Filter: form}
	actions, err := s.db.AuditActions(r.Context(), actor)
	if err != nil {
		return err
	}
	data.Actions = actions
	if ferr != nil {
		formInvalid(&data.Page, ferr)
		data.Pager = newPager(r, 1, 50, 0)
		return s.render(w, r, http.StatusBadRequest, "admin/audit", data)
	}
	entries, total, err := s.db.ListAudit(r.Context(), actor, f, store.Page{Number: pageNumber(r), Size: 50})
	if err != nil {
		return err
	}
	page := store.Page{Number: pageNumber(r), Size: 50}.Normalize(total)
	if data.Entries, err = s.auditRows(r, entries); err != nil {
		return err
	}
	data.Pager = newPager(r, page.Number, page.Size, total)
	return s.render(w, r, http.StatusOK, "admin/audit", data)
}

// auditExportLimit caps one export; a wider range is exported in several narrower ones.
const auditExportLimit = 100_000

func (s *Server) auditExport(w http.ResponseWriter, r *http.Request) error {
	actor := s.actor(r)
	f, _, err := auditFilter(r)
	if err != nil {
		return err
	}
	entries, err := s.db.ExportAudit(r.Context(), actor, f, auditExportLimit)
	if err != nil {
		return err
	}
	x := excelize.NewFile()
	defer x.Close()
	sheet := "审计日志"
	x.SetSheetName("Sheet1", sheet)
	sw, err := x.NewStreamWriter(sheet)
	if err != nil {
		return err
	}
	header := []any{"时间（北京时间）", "操作人", "来源地址", "操作", "对象类型", "对象编号", "结果", "详情"}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	for i, e := range entries {
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		// Every value is written as a string cell, so nothing a user typed is read as a formula.
		row := []any{
			excelize.Cell{Value: domain.FormatTime(e.At)}, textCell(e.ActorName), textCell(e.IP),
			textCell(domain.ActionLabel(e.Action)), textCell(domain.ObjectTypeLabel(e.ObjectType)), textCell(e.ObjectID),
			textCell(domain.OutcomeLabel(e.Outcome)), textCell(e.Detail),
		}
		if err := sw.SetRow(cell, row); err != nil {
			return err
		}
	}
	if err := sw.Flush(); err != nil {
		return err
	}
	if err := s.db.AppendAudit(r.Context(), store.AuditFor(actor, "audit.export", "audit", 0, domain.OutcomeSuccess,
		fmt.Sprintf("导出 %d 条", len(entries)))); err != nil {
		return err
	}
	name := "审计日志-" + time.Now().In(domain.Shanghai).Format("20060102-1504") + ".xlsx"
	setAttachment(w, name)
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	return x.Write(w)
}

// textCell makes a cell that Excel and WPS show as text, never evaluating it: a leading "=" or a
// long digit string stays as typed.
func textCell(s string) excelize.Cell {
	return excelize.Cell{Value: s}
}

// setAttachment sets Content-Disposition so that a Chinese file name arrives intact (RFC 6266
// with an RFC 5987 filename*), with an ASCII fallback for old clients.
func setAttachment(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Disposition", upload.ContentDisposition("attachment", name))
}

// auditRow is an audit entry with the text of its object column.
type auditRow struct {
	domain.AuditEntry
	Object string
}

// auditRows names each entry's object: an account by its display name and username, as the
// actor column names people, and any other object by its kind and id.
func (s *Server) auditRows(r *http.Request, entries []domain.AuditEntry) ([]auditRow, error) {
	accounts := map[string]string{}
	rows := make([]auditRow, len(entries))
	for i, e := range entries {
		rows[i] = auditRow{AuditEntry: e, Object: domain.ObjectTypeLabel(e.ObjectType)}
		if e.ObjectID == "" {
			continue
		}
		rows[i].Object += " #" + e.ObjectID
		if e.ObjectType != "account" {
			continue
		}
		name, seen := accounts[e.ObjectID]
		if !seen {
			id, err := strconv.ParseInt(e.ObjectID, 10, 64)
			if err == nil {
				a, gerr := s.db.GetAccount(r.Context(), s.actor(r), id)
				if gerr != nil && domain.ErrorKind(gerr) != domain.KindNotFound {
					return nil, gerr
				}
				if gerr == nil {
					name = a.ActorName()
				}
			}
			accounts[e.ObjectID] = name
		}
		if name != "" {
			rows[i].Object = domain.ObjectTypeLabel(e.ObjectType) + " " + name
		}
	}
	return rows, nil
}
