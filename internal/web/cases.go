package web

import (
	"net/http"
	"net/url"
	"strconv"
	"time"

	"pingan/internal/casework"
	"pingan/internal/domain"
	"pingan/internal/store"
	"pingan/internal/upload"
)

type caseListPage struct {
	Page
	Cases      []store.Case
	Filter     store.CaseFilter
	States     []casework.State
	Channels   []casework.Channel
	Categories []casework.CategoryInfo
	Pager      Pager
	Base       string
	CanNew     bool
	// Scope lists the dashboard's filters of the request, kept as hidden fields of the form.
	Scope []scopeParam
}

// scopeParam is one filter a dashboard link set: its query parameter, its Chinese label, its
// raw value and, when the raw value means nothing to a reader, the Chinese text shown instead.
type scopeParam struct{ Name, Label, Value, Text string }

// caseScopeTexts are the shown texts of the case list's filters that select the records behind
// a dashboard figure.
var caseScopeTexts = map[string]map[string]string{
	"solved": {"1": "已解决（按解决结案，或已办结待结案）"},
	"counted": {store.RateReply: "计入按时答复率的工单（已答复、已办结或已过答复时限）",
		store.RateResolve: "计入按时办结率的工单（已办结或已过办结时限）"},
	"reached": {store.StepAcknowledged: "已交办并已签收的工单", store.StepReplied: "已交办并已答复的工单",
		store.StepResolved: "已交办并已办结的工单"},
}

// scopeParams returns the dashboard filters of the request. A unit or village shows its name
// in place of its ID when the actor may see it.
func (s *Server) scopeParams(r *http.Request) []scopeParam {
	q := r.URL.Query()
	var out []scopeParam
	for _, k := range []struct{ name, label string }{{"from", "登记日期自"}, {"to", "至"}, {"unit", "主办单位"}, {"village", "登记的村（社区）"}} {
		v := q.Get(k.name)
		if v == "" {
			continue
		}
		p := scopeParam{Name: k.name, Label: k.label, Value: v}
		if id, err := strconv.ParseInt(v, 10, 64); err == nil && (k.name == "unit" || k.name == "village") {
			if o, err := s.db.GetOrg(r.Context(), s.actor(r), id); err == nil {
				p.Text = o.Name
			}
		}
		out = append(out, p)
	}
	for _, name := range []string{"solved", "counted", "reached"} {
		if text, ok := caseScopeTexts[name][q.Get(name)]; ok {
			out = append(out, scopeParam{Name: name, Label: "统计口径", Value: q.Get(name), Text: text})
		}
	}
	return out
}

func (s *Server) caseList(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	f := store.CaseFilter{State: casework.State(q.Get("state")), Channel: casework.Channel(q.Get("channel")),
		Category: casework.Category(q.Get("category")), Overdue: q.Get("overdue") == "1", Local: q.Get("local") == "1",
		Search: domain.TruncateChars(q.Get("q"), 40), Page: store.Page{Number: pageNumber(r), Size: 20}}
	if err := caseListScope(q, &f); err != nil {
		return err
	}
	return s.renderCaseList(w, r, "工单", "/admin/cases", f)
}

// caseListScope checks the state, channel, category and page of the case list's form. It also
// reads the filters the dashboard's links add: the registration days from and to (inclusive,
// Beijing time), the lead unit, the registering village, and the solved, counted and reached
// filters of caseScopeTexts.
func caseListScope(q url.Values, f *store.CaseFilter) error {
	p := domain.Problems{}
	if f.State != "" && !f.State.Valid() {
		p.Add("state", "状态筛选有误，请从列表中选择。")
	}
	if f.Channel != "" && !f.Channel.Valid() {
		p.Add("channel", "渠道筛选有误，请从列表中选择。")
	}
	if f.Category != "" && !f.Category.Valid() {
		p.Add("category", "类别筛选有误，请从列表中选择。")
	}
	pageParam(q, p)
	f.From, f.To = periodParams(q, p)
	for _, k := range []struct {
		name, label string
		dst         *int64
	}{{"unit", "主办单位", &f.UnitID}, {"village", "村（社区）", &f.VillageID}} {
		if v := q.Get(k.name); v != "" {
			id, err := strconv.ParseInt(v, 10, 64)
			if err != nil || id <= 0 {
				p.Add(k.name, k.label+"编号应为正整数。")
			}
			*k.dst = id
		}
	}
	for _, k := range []struct {
		name, message string
		dst           *string
	}{{"counted", "统计口径应为 reply（按时答复率）或 resolve（按时办结率）。", &f.Counted},
		{"reached", "办理环节应为 acknowledged（签收）、replied（答复）或 resolved（办结）。", &f.Reached}} {
		if v := q.Get(k.name); v != "" {
			if _, ok := caseScopeTexts[k.name][v]; !ok {
				p.Add(k.name, k.message)
			}
			*k.dst = v
		}
	}
	switch q.Get("solved") {
	case "":
	case "1":
		f.Solved = true
	default:
		p.Add("solved", "已解决筛选的值应为 1。")
	}
	return filterErr(p)
}

func (s *Server) renderCaseList(w http.ResponseWriter, r *http.Request, title, base string, f store.CaseFilter) error {
	actor := s.actor(r)
	cases, total, err := s.db.ListCases(r.Context(), actor, f)
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "admin/cases/list", &caseListPage{Page: Page{Title: title}, Cases: cases, Filter: f,
		States: casework.States, Channels: casework.Channels, Categories: casework.Categories, Base: base,
		CanNew: actor.Can(domain.PermCasesDispatch) || actor.Can(domain.PermCasesLocal), Scope: s.scopeParams(r),
		Pager: newPager(r, pageNumber(r), 20, total)})
}

type caseFormPage struct {
	Page
	Case       store.NewCase
	Channels   []casework.Channel
	Categories []casework.CategoryInfo
	Orgs       []*domain.OrgNode
	CanLocal   bool
	CanTown    bool
	Action     string
	Coord      bool
	Lead       int64
	Assists    []int64
}

func (s *Server) caseFormData(r *http.Request, title string) (*caseFormPage, error) {
	actor := s.actor(r)
	orgs, err := s.db.ListOrgs(r.Context(), actor)
	if err != nil {
		return nil, err
	}
	var staffChannels []casework.Channel
	for _, c := range casework.Channels {
		if c.StaffLogged() {
			staffChannels = append(staffChannels, c)
		}
	}
	return &caseFormPage{Page: Page{Title: title}, Channels: staffChannels, Categories: casework.Categories, Action: "/admin/cases",
		Orgs: domain.Flatten(domain.BuildTree(orgs)), CanLocal: actor.Can(domain.PermCasesLocal), CanTown: actor.Can(domain.PermCasesDispatch)}, nil
}

func (s *Server) caseNewForm(w http.ResponseWriter, r *http.Request) error {
	data, err := s.caseFormData(r, "登记工单")
	if err != nil {
		return err
	}
	data.Case.Local = !data.CanTown
	return s.render(w, r, http.StatusOK, "admin/cases/new", data)
}

func caseFromForm(r *http.Request) store.NewCase {
	return store.NewCase{Channel: casework.Channel(r.PostFormValue("channel")), Category: casework.Category(r.PostFormValue("category")),
		Title: r.PostFormValue("title"), Body: r.PostFormValue("body"), SubjectOrgID: formID(r, "subject_org_id"),
		Local: r.PostFormValue("local") == "1",
		Citizen: store.Citizen{Name: r.PostFormValue("citizen_name"), Phone: r.PostFormValue("citizen_phone"),
			Address: r.PostFormValue("citizen_address"), IDNumber: r.PostFormValue("citizen_id_number")}}
}

// caseCreate registers a case from a phone call, a visit or a patrol, or a village's local
// dispute.
func (s *Server) caseCreate(w http.ResponseWriter, r *http.Request) error {
	n := caseFromForm(r)
	if !n.Channel.StaffLogged() {
		n.Channel = ""
	}
	reg, err := s.db.RegisterCase(r.Context(), s.actor(r), n)
	if err != nil {
		data, derr := s.caseFormData(r, "登记工单")
		if derr != nil {
			return derr
		}
		data.Case = n
		if !formInvalid(&data.Page, err) {
			return err
		}
		return s.render(w, r, http.StatusUnprocessableEntity, "admin/cases/new", data)
	}
	msg := "工单 " + reg.Number + " 已登记。"
	if reg.QueryCode != "" {
		msg += "请告知群众查询码：" + reg.QueryCode + "（只显示这一次）。"
	}
	return redirectFlash(w, r, "/admin/cases/"+itoa(reg.ID), msg)
}

type caseDetailPage struct {
	Page
	Case       store.Case
	Overdue    bool
	Orgs       []*domain.OrgNode
	Outcomes   []casework.Outcome
	Ratings    []casework.Rating
	Transcript []store.ChatMessage
	Can        map[string]bool
	Today      string
}

func (s *Server) caseDetail(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	return s.renderCase(w, r, http.StatusOK, id, "admin/cases/detail", nil)
}

func (s *Server) renderCase(w http.ResponseWriter, r *http.Request, status int, id int64, page string, cause error) error {
	actor := s.actor(r)
	c, err := s.db.GetCase(r.Context(), actor, id, r.URL.Query().Get("reveal") == "1")
	if err != nil {
		return err
	}
	orgs, err := s.db.ListOrgs(r.Context(), actor)
	if err != nil {
		return err
	}
	data := &caseDetailPage{Page: Page{Title: "工单 " + c.Number}, Case: c, Overdue: c.Overdue(s.db.Now()),
		Orgs: domain.Flatten(domain.BuildTree(orgs)), Outcomes: casework.CloseOutcomes, Ratings: casework.Ratings,
		Can: map[string]bool{}, Today: domain.FormatDate(s.db.Now())}
	for _, a := range c.Allowed {
		data.Can[string(a)] = true
	}
	if c.ChatID != 0 {
		if data.Transcript, err = s.db.ChatTranscript(r.Context(), actor.TownID, c.ChatID); err != nil {
			return err
		}
	}
	if cause != nil {
		formInvalid(&data.Page, cause)
		if data.Message == "" {
			data.Message = domain.UserMessage(cause)
		}
	}
	return s.render(w, r, status, page, data)
}

// caseAction takes one workflow step from the case page's forms.
func (s *Server) caseAction(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	if err := upload.LimitRequest(w, r, upload.Attachments, 64<<10); err != nil {
		return err
	}
	in := store.CaseInput{Action: casework.Action(r.PostFormValue("action")), Note: r.PostFormValue("note"),
		LeadOrgID: formID(r, "lead_org_id"), AssistOrgIDs: formIDs(r, "assist_org_ids"), Outcome: casework.Outcome(r.PostFormValue("outcome")),
		Rating: casework.Rating(r.PostFormValue("rating")), MergeInto: r.PostFormValue("merge_into")}
	if in.PromisedAt, err = formDate(r, "promised_at", "承诺办结日期"); err != nil {
		return s.renderCase(w, r, http.StatusUnprocessableEntity, id, "admin/cases/detail", err)
	}
	files, err := upload.PrepareField(r, "files", upload.Attachments)
	if err != nil {
		return s.renderCase(w, r, http.StatusUnprocessableEntity, id, "admin/cases/detail", err)
	}
	actor := s.actor(r)
	// Check the step before storing files, so that a refused step leaves no file behind.
	c, err := s.db.GetCase(r.Context(), actor, id, false)
	if err != nil {
		return err
	}
	if _, err := casework.Check(c.Party, c.Facts(), in.Action); err != nil {
		return err
	}
	for _, p := range files {
		rec, err := s.uploads.Store(r.Context(), actor, p)
		if err != nil {
			return err
		}
		in.FileIDs = append(in.FileIDs, rec.ID)
	}
	res, err := s.db.CaseAction(r.Context(), actor, id, in)
	if err != nil {
		k := domain.ErrorKind(err)
		if k == domain.KindInvalid {
			return s.renderCase(w, r, http.StatusUnprocessableEntity, id, "admin/cases/detail", err)
		}
		return err
	}
	s.sendCitizen(r.Context(), res.Messages)
	s.publishBell(r.Context(), res.Notifications)
	return redirectFlash(w, r, "/admin/cases/"+itoa(id), in.Action.Label()+"已完成，工单现为“"+res.To.Label()+"”。")
}

func (s *Server) caseFile(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	rec, err := s.db.CaseFile(r.Context(), s.actor(r), id, fileID)
	if err != nil {
		return err
	}
	return upload.Serve(w, r, s.files, rec, upload.Serving{})
}

type caseSheetPage struct {
	caseDetailPage
	Kind    string
	Printed time.Time
	Steps   []store.CaseStep
}

// caseSheet renders the printable dispatch sheet (交办单) or supervision sheet (督办单).
func (s *Server) caseSheet(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	c, err := s.db.GetCase(r.Context(), s.actor(r), id, false)
	if err != nil {
		return err
	}
	kind := r.URL.Query().Get("kind")
	var title string
	var want casework.Action
	switch kind {
	case "dispatch":
		title, want = "交办单", casework.ActDispatch
	case "supervise":
		title, want = "督办单", casework.ActSupervise
	default:
		return domain.Invalid("单据类型无效：只能打印交办单（dispatch）或督办单（supervise）。")
	}
	data := &caseSheetPage{caseDetailPage: caseDetailPage{Page: Page{Title: title}, Case: c, Overdue: c.Overdue(s.db.Now())}, Kind: kind, Printed: s.db.Now()}
	for _, st := range c.Steps {
		if st.Action == want {
			data.Steps = append(data.Steps, st)
		}
	}
	if len(data.Steps) == 0 {
		return domain.NotFound("该工单还没有" + want.Label() + "记录，无法打印" + title + "。")
	}
	return s.render(w, r, http.StatusOK, "admin/cases/sheet", data)
}
