package web

import (
	"context"
	"html/template"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/search"
	"pingan/internal/store"
)

// Column slugs that the home page gives their own boxes. A town that renames the columns keeps
// the slugs; a town without them simply has no such box.
const (
	slugNotices    = "notices"     // 通知公告
	slugSafetyTips = "safety-tips" // 平安提示
)

// trustedHTML marks an article body as safe; bodies are sanitized before they are stored.
func trustedHTML(s string) template.HTML { return template.HTML(s) }

// publicTownID returns the town whose portal this server shows: the first town. It is looked up
// once; a town's id never changes.
func (s *Server) publicTownID(ctx context.Context) (int64, error) {
	if id := s.townID.Load(); id != 0 {
		return id, nil
	}
	t, err := s.db.FirstTown(ctx)
	if err != nil {
		return 0, err
	}
	s.townID.Store(t.ID)
	return t.ID, nil
}

// fillPublicPage adds the public navigation and the elder mode to a page of the public layout.
func (s *Server) fillPublicPage(r *http.Request, p *Page) {
	p.Elder = elderMode(r)
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return
	}
	cols, err := s.db.ListColumns(r.Context(), townID, false)
	if err != nil {
		s.log.Error("load navigation columns", "request_id", requestID(r.Context()), "error", err)
		return
	}
	for _, c := range cols {
		if c.ParentID == 0 {
			p.Columns = append(p.Columns, c)
		}
	}
}

const elderCookie = "pingan_elder"

func elderMode(r *http.Request) bool {
	c, err := r.Cookie(elderCookie)
	return err == nil && c.Value == "1"
}

// elderToggle turns the elder mode on or off for this browser and goes back to the page.
func (s *Server) elderToggle(w http.ResponseWriter, r *http.Request) error {
	on := r.URL.Query().Get("mode") != "off"
	c := &http.Cookie{Name: elderCookie, Value: "1", Path: "/", MaxAge: 365 * 24 * 3600, HttpOnly: true, SameSite: http.SameSiteLaxMode,
		Secure: s.secure(r)}
	if !on {
		c.Value, c.MaxAge = "", -1
	}
	http.SetCookie(w, c)
	back := safeNext(r.URL.Query().Get("back"))
	if back == "" {
		back = "/"
	}
	http.Redirect(w, r, back, http.StatusSeeOther)
	return nil
}

type columnBox struct {
	Column   domain.Column
	Articles []domain.Article
}

type homePage struct {
	Page
	Headlines []domain.Article
	Latest    []domain.Article
	Boxes     []columnBox
	Notices   *columnBox
	Tips      *columnBox
	Figures   store.PortalFigures
	Year      int
	// Replies are the latest public replies of the message board.
	Replies []store.PublicReply
}

func (s *Server) home(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	townID, err := s.publicTownID(ctx)
	if err != nil {
		return s.render(w, r, http.StatusOK, "home", &homePage{Page: Page{Title: "首页"}})
	}
	now := s.db.Now()
	data := &homePage{Page: Page{Title: "首页"}}
	if data.Headlines, err = s.db.PinnedArticles(ctx, townID, 5, now); err != nil {
		return err
	}
	if data.Latest, err = s.db.LatestArticles(ctx, townID, 0, 8, false, now); err != nil {
		return err
	}
	if data.Replies, err = s.db.LatestPublicReplies(ctx, townID, 6); err != nil {
		return err
	}
	cols, err := s.db.ListColumns(ctx, townID, false)
	if err != nil {
		return err
	}
	for _, c := range cols {
		if c.Kind != domain.ColumnList {
			continue
		}
		list, err := s.db.LatestArticles(ctx, townID, c.ID, 6, true, now)
		if err != nil {
			return err
		}
		box := columnBox{Column: c, Articles: list}
		switch c.Slug {
		case slugNotices:
			data.Notices = &box
		case slugSafetyTips:
			data.Tips = &box
		default:
			if len(list) > 0 {
				data.Boxes = append(data.Boxes, box)
			}
		}
	}
	local := now.In(domain.Shanghai)
	data.Year = local.Year()
	yearStart := time.Date(local.Year(), 1, 1, 0, 0, 0, 0, domain.Shanghai)
	if data.Figures, err = s.db.PortalStats(ctx, townID, yearStart, now.Add(time.Second), domain.FormatDate(yearStart), domain.FormatDate(now)); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "home", data)
}

type columnPage struct {
	Page
	Column   domain.Column
	Articles []domain.Article
	Pager    Pager
	Single   *articlePage
}

func (s *Server) columnView(w http.ResponseWriter, r *http.Request) error {
	ctx := r.Context()
	townID, err := s.publicTownID(ctx)
	if err != nil {
		return errNotFoundPage
	}
	c, err := s.db.ColumnBySlug(ctx, townID, r.PathValue("slug"))
	if err != nil {
		return err
	}
	switch c.Kind {
	case domain.ColumnLink:
		http.Redirect(w, r, c.LinkURL, http.StatusFound)
		return nil
	case domain.ColumnPage:
		list, err := s.db.LatestArticles(ctx, townID, c.ID, 1, false, s.db.Now())
		if err != nil {
			return err
		}
		if len(list) == 0 {
			return s.render(w, r, http.StatusOK, "column", &columnPage{Page: Page{Title: c.Name}, Column: c})
		}
		return s.renderArticle(w, r, townID, list[0].ID)
	}
	page := store.Page{Number: pageNumber(r), Size: 20}
	list, total, page, err := s.db.PublicArticles(ctx, townID, c.ID, page, s.db.Now())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "column", &columnPage{Page: Page{Title: c.Name}, Column: c, Articles: list,
		Pager: newPager(r, page.Number, page.Size, total)})
}

type articlePage struct {
	Page
	Article     domain.Article
	Body        template.HTML
	Topics      []domain.Topic
	Attachments []store.FileRecord
	Related     []domain.Article
	FontSize    string
	Views       int64
}

// articleView shows a public article and counts the view unless the request is a HEAD, a
// prefetch or a crawler.
func (s *Server) articleView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	sw := &statusWriter{ResponseWriter: w}
	err = s.cached(func(w http.ResponseWriter, r *http.Request) error { return s.renderArticle(w, r, townID, id) })(sw, r)
	// Only a page that was shown counts, and the cached page tells that without a query.
	if err == nil && sw.status == http.StatusOK && countsAsView(r) {
		s.views.add(id)
	}
	return err
}

func (s *Server) renderArticle(w http.ResponseWriter, r *http.Request, townID, id int64) error {
	ctx := r.Context()
	now := s.db.Now()
	a, err := s.db.PublicArticle(ctx, townID, id, now)
	if err != nil {
		return err
	}
	data := &articlePage{Page: Page{Title: a.Title}, Article: a, Body: trustedHTML(a.Body), Views: a.Views + s.views.pending(id)}
	switch r.URL.Query().Get("fs") {
	case "l", "s":
		data.FontSize = r.URL.Query().Get("fs")
	default:
		data.FontSize = "m"
	}
	if data.Attachments, err = s.db.ArticleFiles(ctx, townID, a.AttachmentIDs); err != nil {
		return err
	}
	if data.Related, err = s.db.RelatedArticles(ctx, a, 6, now); err != nil {
		return err
	}
	if data.Topics, err = s.db.TopicsByID(ctx, townID, a.TopicIDs); err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "article", data)
}

// attachmentDownload sends an attachment of a public article with its original file name.
func (s *Server) attachmentDownload(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	fileID, err := pathID(r, "file")
	if err != nil {
		return err
	}
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	f, err := s.db.PublicAttachment(r.Context(), townID, id, fileID, s.db.Now())
	if err != nil {
		return err
	}
	return s.serveStoredFile(w, r, f, false)
}

// media serves an uploaded image by its random storage key; other files download.
func (s *Server) media(w http.ResponseWriter, r *http.Request) error {
	f, err := s.db.FileByKey(r.Context(), r.PathValue("key"))
	if err != nil {
		return err
	}
	return s.serveStoredFile(w, r, f, true)
}

type searchHit struct {
	Article  domain.Article
	Title    template.HTML
	Excerpt  template.HTML
	TitleHit bool
}

type searchPage struct {
	Page
	Query    string
	ColumnID int64
	From, To string
	Searched bool
	Hits     []searchHit
	Total    int
	Listed   int
	Pager    Pager
	Window   int
	CountCap int
	Elapsed  string
}

// maxQueryChars bounds a search query.
const maxQueryChars = 50

func (s *Server) search(w http.ResponseWriter, r *http.Request) error {
	q := r.URL.Query()
	data := &searchPage{Page: Page{Title: "站内搜索"}, Query: domain.CleanLine(q.Get("q")), From: q.Get("from"), To: q.Get("to"),
		Window: store.SearchWindow, CountCap: store.SearchWindow}
	data.ColumnID, _ = strconv.ParseInt(q.Get("column"), 10, 64)
	problems := domain.Problems{}
	f := store.SearchFilter{ColumnID: data.ColumnID}
	if domain.CharCount(data.Query) > maxQueryChars {
		problems.Add("q", "搜索词不能超过 "+strconv.Itoa(maxQueryChars)+" 个字符。")
	}
	if data.From != "" {
		t, err := domain.ParseDate(data.From)
		if err != nil {
			problems.Add("from", domain.DateFormatMessage("开始日期", data.From))
		}
		f.From = t
	}
	if data.To != "" {
		t, err := domain.ParseDate(data.To)
		if err != nil {
			problems.Add("to", domain.DateFormatMessage("结束日期", data.To))
		}
		f.To = t.AddDate(0, 0, 1)
	}
	if len(problems) == 0 && data.From != "" && data.To != "" && !f.From.Before(f.To) {
		problems.Add("to", "结束日期不能早于开始日期。")
	}
	if err := problems.Err(); err != nil {
		formInvalid(&data.Page, err)
		data.Pager = newPager(r, 1, 20, 0)
		return s.render(w, r, http.StatusBadRequest, "search", data)
	}
	f.Terms = search.ParseQuery(data.Query)
	data.Searched = data.Query != ""
	townID, err := s.publicTownID(r.Context())
	if err != nil || len(f.Terms) == 0 {
		data.Pager = newPager(r, 1, 20, 0)
		return s.render(w, r, http.StatusOK, "search", data)
	}
	start := time.Now()
	res, err := s.db.SearchArticles(r.Context(), townID, f, store.Page{Number: pageNumber(r), Size: 20}, s.db.Now())
	if err != nil {
		return err
	}
	data.Elapsed = strconv.FormatFloat(time.Since(start).Seconds(), 'f', 3, 64)
	data.Total, data.Listed = res.Total, res.Listed
	data.Pager = newPager(r, res.Page.Number, res.Page.Size, res.Listed)
	for i, a := range res.Articles {
		data.Hits = append(data.Hits, searchHit{Article: a, Title: search.Highlight(a.Title, f.Terms, 0),
			Excerpt: search.Highlight(a.Subtitle+" "+a.BodyText, f.Terms, 120), TitleHit: res.TitleHit[i]})
	}
	return s.render(w, r, http.StatusOK, "search", data)
}

type sitemapPage struct {
	Page
	Topics []domain.Topic
}

func (s *Server) sitemapHTML(w http.ResponseWriter, r *http.Request) error {
	data := &sitemapPage{Page: Page{Title: "网站地图"}}
	if townID, err := s.publicTownID(r.Context()); err == nil {
		if data.Topics, err = s.db.ListTopics(r.Context(), townID); err != nil {
			return err
		}
	}
	return s.render(w, r, http.StatusOK, "sitemap", data)
}

type infoPage struct {
	Page
}

func (s *Server) accessibility(w http.ResponseWriter, r *http.Request) error {
	return s.render(w, r, http.StatusOK, "accessibility", &infoPage{Page: Page{Title: "无障碍说明"}})
}

// reportError shows how to report a mistake on the site, with the address of the page concerned.
// absoluteURL returns the address of path on this site as the visitor reached it.
func (s *Server) absoluteURL(r *http.Request, path string) string {
	scheme := "http"
	if s.secure(r) {
		scheme = "https"
	}
	host := r.Host
	if s.cfg.TrustProxy {
		if h := r.Header.Get("X-Forwarded-Host"); h != "" {
			host = h
		}
	}
	u := url.URL{Scheme: scheme, Host: host, Path: path}
	return u.String()
}

// fontSizeLink returns the address of the current page with font size fs.
func fontSizeLink(path, fs string) string { return path + "?fs=" + fs }

// pathWithQuery returns the request path with its query, for links back to the same page.
func pathWithQuery(r *http.Request) string {
	if r.URL.RawQuery == "" {
		return r.URL.Path
	}
	return r.URL.Path + "?" + strings.TrimSpace(r.URL.RawQuery)
}

// fileSizeText shows a byte count as KB or MB.
func fileSizeText(n int64) string {
	if n < 1<<20 {
		return strconv.FormatInt(max(1, n>>10), 10) + " KB"
	}
	return strconv.FormatFloat(float64(n)/(1<<20), 'f', 1, 64) + " MB"
}

// percentOf returns n as a whole percentage of max, for bar widths.
func percentOf(n, max int) int {
	if max <= 0 {
		return 0
	}
	return n * 100 / max
}

type topicPage struct {
	Page
	Topic    domain.Topic
	Articles []domain.Article
	Pager    Pager
}

// topicView lists the public articles of a topic across columns.
func (s *Server) topicView(w http.ResponseWriter, r *http.Request) error {
	id, err := pathID(r, "id")
	if err != nil {
		return err
	}
	townID, err := s.publicTownID(r.Context())
	if err != nil {
		return errNotFoundPage
	}
	t, err := s.db.GetTopic(r.Context(), townID, id)
	if err != nil {
		return err
	}
	list, total, page, err := s.db.TopicArticles(r.Context(), townID, id, store.Page{Number: pageNumber(r), Size: 20}, s.db.Now())
	if err != nil {
		return err
	}
	return s.render(w, r, http.StatusOK, "topic", &topicPage{Page: Page{Title: t.Name}, Topic: t, Articles: list,
		Pager: newPager(r, page.Number, page.Size, total)})
}
