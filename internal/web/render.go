package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"pingan/internal/domain"
	"pingan/internal/pii"
)

//go:embed templates
var templateFS embed.FS

// Page is the part every page's data shares: the site, the signed-in account, the navigation,
// a one-time message and form errors.
type Page struct {
	Title   string
	Site    domain.SiteSettings
	Account *domain.Account
	Nav     []navItem
	Path    string
	Flash   string
	// Message is a form-level error; Errors maps a field to its message.
	Message string
	Errors  map[string]string
	Now     time.Time
	// Bell is the signed-in account's number of unread notifications.
	Bell int
	// LiveCursor is where the page's event stream starts; a handler that renders live records
	// sets it before rendering, otherwise it is the current head of every topic.
	LiveCursor string
	// Columns are the visible columns for the public navigation; Elder turns on the larger,
	// simpler elder mode (长辈版). Both are filled for pages of the public layout only.
	Columns []domain.Column
	Elder   bool
}

func (p *Page) base() *Page { return p }

type pager interface{ base() *Page }

var templateFuncs = template.FuncMap{
	"fmtTime":      domain.FormatTime,
	"fmtDate":      domain.FormatDate,
	"maskPhone":    pii.MaskPhone,
	"maskName":     pii.MaskName,
	"roleLabel":    func(r domain.Role) string { return r.Label() },
	"kindLabel":    func(k domain.OrgKind) string { return k.Label() },
	"actionLabel":  domain.ActionLabel,
	"outcomeLabel": domain.OutcomeLabel,
	"add":          func(a, b int) int { return a + b },
	"indent":       func(depth int) string { return strings.Repeat("　", depth) },
	"can":          func(a *domain.Account, p string) bool { return a != nil && a.Can(domain.Permission(p)) },
	"hasRole":      func(roles []domain.Role, r domain.Role) bool { return containsRole(roles, r) },
	"itoa":         func(v int64) string { return strconv.FormatInt(v, 10) },
	"roleHas":      func(r domain.Role, p domain.Permission) bool { return domain.RoleHas(r, p) },
	"permLabel":    func(p domain.Permission) string { return p.Label() },
	"waitLabel":    waitLabel,
	"ratioText":    ratioText,
	"meanText":     meanText,
	// News portal.
	"sourceLabel":  func(k domain.SourceKind) string { return k.Label() },
	"statusLabel":  func(s domain.ArticleStatus) string { return s.Label() },
	"colKindLabel": func(k domain.ColumnKind) string { return k.Label() },
	"eventLabel":   domain.ArticleEventLabel,
	"truncate":     domain.TruncateChars,
	"containsID":   func(ids []int64, id int64) bool { return slices.Contains(ids, id) },
	"fontSizeLink": fontSizeLink,
	"fileSizeText": fileSizeText,
	"percentOf":    func(n, max int) int { return percentOf(n, max) },
}

func containsRole(roles []domain.Role, r domain.Role) bool {
	for _, x := range roles {
		if x == r {
			return true
		}
	}
	return false
}

// parseTemplates parses each page under templates/pages together with the layouts and partials.
// A page's name is its path below pages without the extension, such as "admin/orgs".
func parseTemplates() (map[string]*template.Template, error) {
	base, err := template.New("").Funcs(templateFuncs).Funcs(coordTemplateFuncs).ParseFS(templateFS, "templates/layouts/*.html")
	if err != nil {
		return nil, fmt.Errorf("parse layouts: %w", err)
	}
	pages := map[string]*template.Template{}
	err = fs.WalkDir(templateFS, "templates/pages", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		t, err := base.Clone()
		if err != nil {
			return err
		}
		if _, err := t.ParseFS(templateFS, p); err != nil {
			return fmt.Errorf("parse %s: %w", p, err)
		}
		name := strings.TrimSuffix(strings.TrimPrefix(p, "templates/pages/"), ".html")
		pages[name] = t
		return nil
	})
	return pages, err
}

// PageNames lists every parsed page, for the test that renders them all.
func (s *Server) PageNames() []string {
	names := make([]string, 0, len(s.pages))
	for n := range s.pages {
		names = append(names, n)
	}
	return names
}

func (s *Server) fillPage(r *http.Request, w http.ResponseWriter, p *Page) {
	p.Path = r.URL.Path
	p.Now = s.db.Now()
	townID := int64(0)
	if si := sessionFrom(r.Context()); si != nil {
		a := si.account
		p.Account = &a
		p.Nav = navFor(&a)
		townID = a.TownID
		s.fillLive(r, p)
	}
	if townID == 0 {
		if t, err := s.db.FirstTown(r.Context()); err == nil {
			townID = t.ID
		}
	}
	if townID != 0 {
		if site, err := s.db.SiteSettings(r.Context(), townID); err == nil {
			p.Site = site
		}
	}
	if p.Site.SiteName == "" {
		p.Site.SiteName = "平安网"
	}
	if c, err := r.Cookie(flashCookie); err == nil && w != nil {
		if msg, err := url.QueryUnescape(c.Value); err == nil {
			p.Flash = msg
		}
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: "", Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
}

// render executes page name with data and writes it with status. The page is rendered to a
// buffer first, so that a template error yields a clean 500 page instead of half a page.
func (s *Server) render(w http.ResponseWriter, r *http.Request, status int, name string, data pager) error {
	t, ok := s.pages[name]
	if !ok {
		return fmt.Errorf("no page template %q", name)
	}
	s.fillPage(r, w, data.base())
	layout := "public"
	if strings.HasPrefix(name, "admin/") || strings.HasPrefix(name, "account/") {
		layout = "admin"
	} else {
		s.fillPublicPage(r, data.base())
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, layout, data); err != nil {
		return fmt.Errorf("render %s: %w", name, err)
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_, err := w.Write(buf.Bytes())
	return err
}

type errorPage struct {
	Page
	Status int
}

// renderError writes the error page with a Chinese message.
func (s *Server) renderError(w http.ResponseWriter, r *http.Request, status int, msg string) {
	data := &errorPage{Page: Page{Title: http.StatusText(status), Message: msg}, Status: status}
	data.Title = errorTitle(status)
	if err := s.render(w, r, status, "error", data); err != nil {
		s.log.Error("render error page failed", "error", err)
		http.Error(w, msg, status)
	}
}

func errorTitle(status int) string {
	switch status {
	case http.StatusNotFound:
		return "页面不存在"
	case http.StatusForbidden:
		return "无权访问"
	case http.StatusUnauthorized:
		return "请先登录"
	case http.StatusBadRequest, http.StatusUnprocessableEntity:
		return "请求有误"
	case http.StatusConflict:
		return "操作冲突"
	case http.StatusTooManyRequests:
		return "操作过于频繁"
	case http.StatusRequestEntityTooLarge:
		return "内容过大"
	default:
		return "系统繁忙"
	}
}

const flashCookie = "pingan_flash"

// redirectFlash redirects with 303 and shows msg once on the next page.
func redirectFlash(w http.ResponseWriter, r *http.Request, to, msg string) error {
	if msg != "" {
		http.SetCookie(w, &http.Cookie{Name: flashCookie, Value: url.QueryEscape(msg), Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode})
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
	return nil
}

// formInvalid fills a page with the messages of a validation error, so that the form renders
// again with what the person typed and 422.
func formInvalid(p *Page, err error) bool {
	if domain.ErrorKind(err) != domain.KindInvalid && domain.ErrorKind(err) != domain.KindConflict {
		return false
	}
	p.Message = domain.UserMessage(err)
	p.Errors = domain.FieldErrors(err)
	return true
}

// pathID reads a numeric path value; a malformed id is reported as not found.
func pathID(r *http.Request, name string) (int64, error) {
	id, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, domain.NotFound("记录不存在。")
	}
	return id, nil
}

// maxPageNumber is the highest page number a list accepts.
const maxPageNumber = 1_000_000

// pageNumber reads the page query parameter; anything but a positive number means page 1.
func pageNumber(r *http.Request) int {
	n, err := strconv.Atoi(r.URL.Query().Get("page"))
	if err != nil || n < 1 || n > maxPageNumber {
		return 1
	}
	return n
}

// Pager is the pagination bar of a list.
type Pager struct {
	Number, Size, Total, Pages int
	base                       url.URL
}

func newPager(r *http.Request, number, size, total int) Pager {
	pages := (total + size - 1) / size
	if pages < 1 {
		pages = 1
	}
	return Pager{Number: number, Size: size, Total: total, Pages: pages, base: *r.URL}
}

// URL returns the address of page n with the current filters kept.
func (p Pager) URL(n int) string {
	u := p.base
	q := u.Query()
	q.Set("page", strconv.Itoa(n))
	u.RawQuery = q.Encode()
	return path.Clean(u.Path) + "?" + u.RawQuery
}

// Prev reports whether there is a page before the current one.
func (p Pager) Prev() bool { return p.Number > 1 }

// Next reports whether there is a page after the current one.
func (p Pager) Next() bool { return p.Number < p.Pages }

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

var errNotFoundPage = domain.NotFound("您访问的页面不存在或已被删除。")
