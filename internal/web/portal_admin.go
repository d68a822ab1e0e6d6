package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/richtext"
	"pingan/internal/store"
	"pingan/internal/upload"
)

// articleArea is one of the two back-office views of articles: the center's editors see every
// article of the town under /admin/articles, and villages and units see their own contributions
// under /admin/contributions. The store scopes both by the actor.
type articleArea struct {
	Base       string
	Contribute bool
}

var (
	editorArea     = articleArea{Base: "/admin/articles"}
	contributeArea = articleArea{Base: "/admin/contributions", Contribute: true}
)

// Title returns the Chinese name of the area.
func (a articleArea) Title() string {
	if a.Contribute {
		return "我的投稿"
	}
	return "稿件管理"
}

type articleListPage struct {
	Page
	Area     articleArea
	Articles []domain.Article
	Columns  []domain.Column
	Counts   map[domain.ArticleStatus]int
	Statuses []domain.ArticleStatus
	// Pending are adopted information reports that wait to become drafts (editors only).
	Pending []domain.PendingArticle
	Filter  struct {
		Status string
		Column int64
		Query  string
	}
	Scope listScope
	Pager Pager
}

func (s *Server) articleList(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		actor := s.actor(r)
		q := r.URL.Query()
		data := &articleListPage{Page: Page{Title: area.Title()}, Area: area, Statuses: domain.ArticleStatuses}
		data.Filter.Status = q.Get("status")
		data.Filter.Column, _ = strconv.ParseInt(q.Get("column"), 10, 64)
		data.Filter.Query = domain.CleanLine(q.Get("q"))
		f := store.ArticleFilter{ColumnID: data.Filter.Column, Query: data.Filter.Query}
		if domain.ArticleStatus(data.Filter.Status).Label() != "" {
			f.Status = domain.ArticleStatus(data.Filter.Status)
		}
		var err error
		if data.Scope, err = s.articleListScope(r, area, &f); err != nil {
			return err
		}
		page := store.Page{Number: pageNumber(r), Size: 20}
		list, total, err := s.db.ListArticles(r.Context(), actor, f, page)
		if err != nil {
			return err
		}
		page = page.Normalize(total)
		data.Articles, data.Pager = list, newPager(r, page.Number, page.Size, total)
		if data.Counts, err = s.db.CountArticlesByStatus(r.Context(), actor); err != nil {
			return err
		}
		if data.Columns, err = s.db.ListColumns(r.Context(), actor.TownID, true); err != nil {
			return err
		}
		if !area.Contribute && actor.Can(domain.PermArticlesEdit) {
			if data.Pending, err = s.db.PendingArticles(r.Context(), actor.TownID); err != nil {
				return err
			}
		}
		return s.render(w, r, http.StatusOK, "admin/articles", data)
	}
}

type articleFormPage struct {
	Page
	Area        articleArea
	Article     domain.Article
	Columns     []domain.Column
	Topics      []domain.Topic
	Attachments []store.FileRecord
	SourceKinds []domain.SourceKind
	PublishAt   string
}

func (s *Server) articleFormData(r *http.Request, area articleArea, a domain.Article, title string) (*articleFormPage, error) {
	actor := s.actor(r)
	data := &articleFormPage{Page: Page{Title: title}, Area: area, Article: a, SourceKinds: domain.SourceKinds}
	cols, err := s.db.ListColumns(r.Context(), actor.TownID, true)
	if err != nil {
		return nil, err
	}
	for _, c := range cols {
		if c.Kind != domain.ColumnLink {
			data.Columns = append(data.Columns, c)
		}
	}
	if data.Topics, err = s.db.ListTopics(r.Context(), actor.TownID); err != nil {
		return nil, err
	}
	if data.Attachments, err = s.db.ArticleFiles(r.Context(), actor.TownID, a.AttachmentIDs); err != nil {
		return nil, err
	}
	if !a.PublishAt.IsZero() {
		data.PublishAt = a.PublishAt.In(domain.Shanghai).Format("2006-01-02T15:04")
	}
	return data, nil
}

func (s *Server) articleNew(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a := domain.Article{SourceKind: domain.SourceOriginal}
		if area.Contribute {
			a.SourceKind = domain.SourceContribution
		}
		if si := sessionFrom(r.Context()); si != nil {
			a.Author = si.account.DisplayName
			if !area.Contribute {
				a.Editor = si.account.DisplayName
			}
		}
		data, err := s.articleFormData(r, area, a, "撰写稿件")
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "admin/article_form", data)
	}
}

// articleFromForm reads the article form, stores its new cover and attachments, and returns the
// article to save. File problems come back as KindInvalid errors with the article as typed.
// storedPublishAt is the publish time the article already has (zero for a new article): the form
// shows it again, so it is accepted unchanged even when it lies in the past.
func (s *Server) articleFromForm(w http.ResponseWriter, r *http.Request, area articleArea, storedPublishAt time.Time) (domain.Article, error) {
	var a domain.Article
	if err := upload.ParseForm(w, r, maxArticleRequest); err != nil {
		return a, err
	}
	form := r.PostForm
	a.ColumnID, _ = strconv.ParseInt(form.Get("column_id"), 10, 64)
	a.Title, a.Subtitle, a.Summary = form.Get("title"), form.Get("subtitle"), form.Get("summary")
	a.SourceKind = domain.SourceKind(form.Get("source_kind"))
	a.SourceName, a.Author, a.Editor = form.Get("source_name"), form.Get("author"), form.Get("editor")
	a.Pinned = form.Get("pinned") == "1" && !area.Contribute
	for _, v := range form["topics"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			a.TopicIDs = append(a.TopicIDs, id)
		}
	}
	for _, v := range form["keep_attachment"] {
		if id, err := strconv.ParseInt(v, 10, 64); err == nil {
			a.AttachmentIDs = append(a.AttachmentIDs, id)
		}
	}
	a.CoverFileID, _ = strconv.ParseInt(form.Get("cover_file_id"), 10, 64)
	if form.Get("remove_cover") == "1" {
		a.CoverFileID = 0
	}
	p := domain.Problems{}
	if !area.Contribute {
		a.PublishAt = parsePublishAt(p, form.Get("publish_at"), s.db.Now(), storedPublishAt)
	}
	raw := form.Get("body")
	if pending := countLocalImages(raw); pending > 0 {
		p.Add("body", "正文中有 "+strconv.Itoa(pending)+" 张图片仍是本机文件（file:///），网页无法显示。请在编辑器中逐张上传后再保存。")
	}
	a.Body, a.BodyText = richtext.Sanitize(raw)

	// Files are stored even when other fields are wrong: the form shows them again as the
	// current cover and kept attachments, so the author need not choose them a second time.
	actor := s.actor(r)
	cover, err := upload.PrepareField(r, "cover", upload.ArticleImages)
	if ferr := addUploadProblem(p, err, "cover"); ferr != nil {
		return a, ferr
	}
	attachments, err := upload.PrepareField(r, "attachments", upload.ArticleAttachments)
	if ferr := addUploadProblem(p, err, "attachments"); ferr != nil {
		return a, ferr
	}
	if len(cover) > 0 {
		recs, err := s.storeArticleFiles(r.Context(), actor, cover)
		if err != nil {
			return a, err
		}
		a.CoverFileID = recs[0].ID
	}
	recs, err := s.storeArticleFiles(r.Context(), actor, attachments)
	if err != nil {
		return a, err
	}
	for _, rec := range recs {
		a.AttachmentIDs = append(a.AttachmentIDs, rec.ID)
	}

	// The store validates the article again when it saves it. Checking a copy here reports the
	// field problems together with the problems of the form and its files.
	if len(p) > 0 {
		check := a
		for field, msg := range domain.FieldErrors(domain.ValidateArticle(&check)) {
			p.Add(field, msg)
		}
	}
	return a, p.Err()
}

// addUploadProblem records an invalid upload as a problem of field and returns nil. Any other
// error, such as a failed write, is returned for the caller to pass on.
func addUploadProblem(p domain.Problems, err error, field string) error {
	if err == nil {
		return nil
	}
	if domain.ErrorKind(err) != domain.KindInvalid {
		return err
	}
	p.Add(field, domain.UserMessage(err))
	return nil
}

// countLocalImages counts images whose source is a file on the author's computer, which Word
// pastes and which no browser may load.
func countLocalImages(body string) int {
	n := 0
	for _, src := range richtext.ImageSources(body) {
		if strings.HasPrefix(strings.ToLower(strings.TrimSpace(src)), "file:") {
			n++
		}
	}
	return n
}

func (s *Server) articleCreate(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		a, err := s.articleFromForm(w, r, area, time.Time{})
		if err == nil {
			var id int64
			id, err = s.db.CreateArticle(r.Context(), s.actor(r), a)
			if err == nil {
				return redirectFlash(w, r, area.Base+"/"+itoa64(id), "稿件已保存为草稿。")
			}
		}
		return s.articleFormInvalid(w, r, area, a, "撰写稿件", err)
	}
}

func (s *Server) articleFormInvalid(w http.ResponseWriter, r *http.Request, area articleArea, a domain.Article, title string, err error) error {
	data, derr := s.articleFormData(r, area, a, title)
	if derr != nil {
		return derr
	}
	if !formInvalid(&data.Page, err) {
		return err
	}
	return s.render(w, r, http.StatusUnprocessableEntity, "admin/article_form", data)
}

func (s *Server) articleEdit(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		a, err := s.db.GetArticle(r.Context(), s.actor(r), id)
		if err != nil {
			return err
		}
		if !domain.CanEditArticle(s.actor(r), a) {
			return domain.Conflict("稿件当前为“" + a.Status.Label() + "”，不能修改。")
		}
		data, err := s.articleFormData(r, area, a, "修改稿件")
		if err != nil {
			return err
		}
		return s.render(w, r, http.StatusOK, "admin/article_form", data)
	}
}

func (s *Server) articleUpdate(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		cur, err := s.db.GetArticle(r.Context(), s.actor(r), id)
		if err != nil {
			return err
		}
		a, err := s.articleFromForm(w, r, area, cur.PublishAt)
		a.ID = id
		if err == nil {
			if err = s.db.UpdateArticle(r.Context(), s.actor(r), a); err == nil {
				return redirectFlash(w, r, area.Base+"/"+itoa64(id), "稿件已保存。")
			}
		}
		return s.articleFormInvalid(w, r, area, a, "修改稿件", err)
	}
}

type articleDetailPage struct {
	Page
	Area        articleArea
	Article     domain.Article
	Body        any
	Events      []domain.ArticleEvent
	Attachments []store.FileRecord
	Topics      []domain.Topic
	CanEdit     bool
	CanSubmit   bool
	CanReview   bool
	Public      bool
	// AttachmentLinks is true when the actor may open the attachments: the contributor in
	// 我的投稿, and staff who review articles.
	AttachmentLinks bool
}

func (s *Server) articleDetail(area articleArea) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		return s.renderArticleDetail(w, r, area, id, http.StatusOK, nil)
	}
}

func (s *Server) renderArticleDetail(w http.ResponseWriter, r *http.Request, area articleArea, id int64, status int, stepErr error) error {
	actor := s.actor(r)
	a, err := s.db.GetArticle(r.Context(), actor, id)
	if err != nil {
		return err
	}
	data := &articleDetailPage{Page: Page{Title: a.Title}, Area: area, Article: a, Body: trustedHTML(a.Body)}
	if data.Events, err = s.db.ArticleEvents(r.Context(), actor, id); err != nil {
		return err
	}
	if data.Attachments, err = s.db.ArticleFiles(r.Context(), actor.TownID, a.AttachmentIDs); err != nil {
		return err
	}
	topics, err := s.db.ListTopics(r.Context(), actor.TownID)
	if err != nil {
		return err
	}
	for _, t := range topics {
		for _, id := range a.TopicIDs {
			if t.ID == id {
				data.Topics = append(data.Topics, t)
			}
		}
	}
	data.CanEdit = domain.CanEditArticle(actor, a)
	_, serr := domain.Transition(actor, a.Status, domain.ActionSubmit)
	data.CanSubmit = serr == nil
	data.CanReview = !area.Contribute && actor.Can(domain.PermArticlesReview)
	data.Public = a.Public(s.db.Now())
	data.AttachmentLinks = area.Contribute || actor.Can(domain.PermArticlesReview)
	if stepErr != nil {
		formInvalid(&data.Page, stepErr)
	}
	return s.render(w, r, status, "admin/article", data)
}

// articleAttachment serves an attachment of an article in the back office, before and after it
// is published, so that the contributor and the editor who reviews it (保密审查) can open it.
// The store limits the article to the actor's scope.
func (s *Server) articleAttachment(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	f, err := s.db.ArticleAttachment(r.Context(), s.actor(r), id, fileID)
	if err != nil {
		return err
	}
	return s.servePrivateFile(w, r, f)
}

// publishAtLeeway is how far before now a typed publish time may lie and still count as "now":
// the minute-precision field and the time spent on the page would otherwise reject a time the
// editor typed as the current minute.
const publishAtLeeway = 5 * time.Minute

// parsePublishAt reads the 发布时间 field of the article form and the publish step. A blank value
// returns the zero time, which publishes at once; a future time schedules the article. A malformed
// value or a time more than publishAtLeeway before now adds a problem for publish_at, so that an
// article is never backdated. The exception is stored, the article's current publish time, which
// the edit form shows again and which may be kept as it is.
func parsePublishAt(p domain.Problems, value string, now, stored time.Time) time.Time {
	if value == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation("2006-01-02T15:04", value, domain.Shanghai)
	if err != nil {
		p.Add("publish_at", domain.DateTimeFormatMessage("发布时间", value))
		return time.Time{}
	}
	if t.Before(now.Add(-publishAtLeeway)) && !t.Equal(stored.Truncate(time.Minute)) {
		p.Add("publish_at", "发布时间不能早于现在；要立即发布请留空。")
	}
	return t
}

var stepDone = map[domain.ArticleAction]string{
	domain.ActionSubmit: "已提交审核。", domain.ActionReturn: "已退回，投稿单位会看到退回理由。",
	domain.ActionPublish: "已发布。", domain.ActionWithdraw: "已撤稿，公众页面不再显示。",
}

func (s *Server) articleStep(area articleArea, action domain.ArticleAction) handlerFunc {
	return func(w http.ResponseWriter, r *http.Request) error {
		id, err := pathID(r, "id")
		if err != nil {
			return err
		}
		in := store.StepInput{Action: action, Reason: r.PostFormValue("reason"), Confirmed: r.PostFormValue("confirmed") == "1"}
		p := domain.Problems{}
		in.PublishAt = parsePublishAt(p, r.PostFormValue("publish_at"), s.db.Now(), time.Time{})
		if err := p.Err(); err != nil {
			return s.renderArticleDetail(w, r, area, id, http.StatusUnprocessableEntity, err)
		}
		err = s.db.ArticleStep(r.Context(), s.actor(r), id, in)
		if k := domain.ErrorKind(err); k == domain.KindInvalid || k == domain.KindConflict {
			status := http.StatusUnprocessableEntity
			if k == domain.KindConflict {
				status = http.StatusConflict
			}
			return s.renderArticleDetail(w, r, area, id, status, err)
		}
		if err != nil {
			return err
		}
		done := stepDone[action]
		if action == domain.ActionPublish {
			a, err := s.db.GetArticle(r.Context(), s.actor(r), id)
			if err != nil {
				return err
			}
			if a.Scheduled(s.db.Now()) {
				done = "已设为定时发布，将于 " + domain.FormatTime(a.PublishAt) + " 发布。"
			}
		}
		return redirectFlash(w, r, area.Base+"/"+itoa64(id), done)
	}
}

func itoa64(v int64) string { return strconv.FormatInt(v, 10) }

// articleFromReport turns an adopted information report into a contribution draft in 工作动态 and
// opens it for editing.
func (s *Server) articleFromReport(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	articleID, err := s.db.DraftFromPendingArticle(r.Context(), s.actor(r), id, "news")
	if err != nil {
		return err
	}
	return redirectFlash(w, r, "/admin/articles/"+strconv.FormatInt(articleID, 10)+"/edit", "已把上报信息转为稿件草稿，请修改、补充后提交审核。")
}
