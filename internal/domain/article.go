package domain

import (
	"fmt"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ColumnKind is what a column (栏目) shows when opened.
type ColumnKind string

const (
	ColumnList ColumnKind = "list" // a list of articles
	ColumnPage ColumnKind = "page" // a single page: its newest published article
	ColumnLink ColumnKind = "link" // an external link
)

var columnKindLabels = map[ColumnKind]string{ColumnList: "文章列表", ColumnPage: "单页", ColumnLink: "外部链接"}

// ColumnKinds lists the kinds in the order forms offer them.
var ColumnKinds = []ColumnKind{ColumnList, ColumnPage, ColumnLink}

// Label returns the Chinese name of the kind.
func (k ColumnKind) Label() string { return columnKindLabels[k] }

// Column is a section of the portal. Slug is the stable path segment of its address.
type Column struct {
	ID          int64
	TownID      int64
	ParentID    int64
	Name        string
	Slug        string
	Kind        ColumnKind
	LinkURL     string
	Description string
	SortOrder   int
	Visible     bool
	// UpdateIntervalDays is the number of days within which the column should publish a new
	// article (栏目更新周期); 0 means the column is not checked.
	UpdateIntervalDays int
	CreatedAt          time.Time
	UpdatedAt          time.Time
}

// MaxUpdateInterval is the longest update interval a column may have, in days.
const MaxUpdateInterval = 730

// DefaultUpdateInterval returns the update interval a new column of kind k starts with: two
// weeks for a list of articles, the limit government-website inspections set for news
// columns, and no check for single pages and external links.
func DefaultUpdateInterval(k ColumnKind) int {
	if k == ColumnList {
		return 14
	}
	return 0
}

// Href returns the public address of the column.
func (c Column) Href() string {
	if c.Kind == ColumnLink {
		return c.LinkURL
	}
	return "/columns/" + c.Slug
}

var slugPattern = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{0,39}$`)

// ValidateColumn checks the fields of the column form.
func ValidateColumn(c *Column) error {
	c.Name = CleanLine(c.Name)
	c.Slug = strings.ToLower(CleanLine(c.Slug))
	c.LinkURL = CleanLine(c.LinkURL)
	c.Description = CleanLine(c.Description)
	p := Problems{}
	p.CheckLength("name", "栏目名称", c.Name, true, 20)
	if !slugPattern.MatchString(c.Slug) {
		p.Add("slug", "访问路径须为 1 到 40 位小写英文字母、数字或连字符，并以字母或数字开头。")
	}
	if _, ok := columnKindLabels[c.Kind]; !ok {
		p.Add("kind", "请选择栏目类型。")
	}
	if c.Kind == ColumnLink {
		u, err := url.Parse(c.LinkURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			p.Add("link_url", "外部链接须为以 http:// 或 https:// 开头的完整网址。")
		}
	} else {
		c.LinkURL = ""
	}
	p.CheckLength("link_url", "外部链接", c.LinkURL, false, 300)
	p.CheckLength("description", "栏目说明", c.Description, false, 200)
	if c.SortOrder < 0 || c.SortOrder > 99999 {
		p.Add("sort_order", "排序号应在 0 到 99999 之间。")
	}
	if c.UpdateIntervalDays < 0 || c.UpdateIntervalDays > MaxUpdateInterval {
		p.Add("update_interval_days", fmt.Sprintf("更新周期应为 0 到 %d 之间的整数天数（0 表示不检查）。", MaxUpdateInterval))
	}
	return p.Err()
}

// Topic is a collection of articles across columns (专题).
type Topic struct {
	ID          int64
	TownID      int64
	Name        string
	Description string
	SortOrder   int
	Articles    int // published articles, filled by list queries
}

// ValidateTopic checks the fields of the topic form.
func ValidateTopic(t *Topic) error {
	t.Name = CleanLine(t.Name)
	t.Description = CleanLine(t.Description)
	p := Problems{}
	p.CheckLength("name", "专题名称", t.Name, true, 30)
	p.CheckLength("description", "专题说明", t.Description, false, 200)
	if t.SortOrder < 0 || t.SortOrder > 99999 {
		p.Add("sort_order", "排序号应在 0 到 99999 之间。")
	}
	return p.Err()
}

// SourceKind is where an article comes from.
type SourceKind string

const (
	SourceOriginal     SourceKind = "original"     // 自采自编: written by the center
	SourceReprint      SourceKind = "reprint"      // 转载: from another outlet, named in SourceName
	SourceContribution SourceKind = "contribution" // 村社区供稿: contributed by a village or unit
)

// SourceKinds lists the kinds in the order forms offer them.
var SourceKinds = []SourceKind{SourceOriginal, SourceReprint, SourceContribution}

var sourceKindLabels = map[SourceKind]string{SourceOriginal: "自采自编", SourceReprint: "转载", SourceContribution: "村（社区）供稿"}

// Label returns the Chinese name of the kind.
func (k SourceKind) Label() string { return sourceKindLabels[k] }

// ArticleStatus is the state of an article in the editorial workflow.
type ArticleStatus string

const (
	StatusDraft     ArticleStatus = "draft"     // 草稿
	StatusSubmitted ArticleStatus = "submitted" // 待审核
	StatusReturned  ArticleStatus = "returned"  // 已退回
	StatusPublished ArticleStatus = "published" // 已发布, or scheduled when PublishAt is in the future
	StatusWithdrawn ArticleStatus = "withdrawn" // 已撤稿
)

var statusLabels = map[ArticleStatus]string{StatusDraft: "草稿", StatusSubmitted: "待审核", StatusReturned: "已退回",
	StatusPublished: "已发布", StatusWithdrawn: "已撤稿"}

// Label returns the Chinese name of the status.
func (s ArticleStatus) Label() string { return statusLabels[s] }

// ArticleStatuses lists the statuses in the order filters offer them.
var ArticleStatuses = []ArticleStatus{StatusDraft, StatusSubmitted, StatusReturned, StatusPublished, StatusWithdrawn}

// Article is one news item of the portal. Body is sanitized HTML; BodyText is its plain text for
// search and summaries.
type Article struct {
	ID               int64
	TownID           int64
	ColumnID         int64
	ColumnName       string
	ColumnSlug       string
	Title            string
	Subtitle         string
	Body             string
	BodyText         string
	Summary          string
	CoverFileID      int64
	CoverURL         string
	SourceKind       SourceKind
	SourceName       string
	Author           string
	Editor           string
	Status           ArticleStatus
	PublishAt        time.Time
	Pinned           bool
	Views            int64
	ContributorOrgID int64
	ContributorOrg   string
	SubmittedAt      time.Time
	ReturnReason     string
	ConfirmedBy      int64
	ConfirmedByName  string
	ConfirmedAt      time.Time
	CreatedBy        int64
	CreatedAt        time.Time
	UpdatedAt        time.Time
	TopicIDs         []int64
	AttachmentIDs    []int64
}

// Href returns the public address of the article; it depends only on the id, so it stays the
// same when the title or column changes.
func (a Article) Href() string { return "/articles/" + idText(a.ID) }

// Public reports whether visitors may see the article at now.
func (a Article) Public(now time.Time) bool {
	return a.Status == StatusPublished && !a.PublishAt.IsZero() && !a.PublishAt.After(now)
}

// Scheduled reports whether the article is published with a publish time after now.
func (a Article) Scheduled(now time.Time) bool {
	return a.Status == StatusPublished && a.PublishAt.After(now)
}

// StatusText returns the Chinese status, telling scheduled articles apart.
func (a Article) StatusText(now time.Time) string {
	if a.Scheduled(now) {
		return "定时发布"
	}
	return a.Status.Label()
}

// Length limits of article fields, in characters.
const (
	MaxTitle      = 80
	MaxSubtitle   = 80
	MaxSummary    = 300
	MaxSourceName = 60
	MaxPerson     = 30
	MaxBodyBytes  = 2 << 20 // the body's HTML after sanitizing
	MaxReason     = 300
	SummaryLength = 120 // characters of a summary derived from the body
)

// ValidateArticle checks the fields a person types into the article form. Body and BodyText must
// already be sanitized.
func ValidateArticle(a *Article) error {
	a.Title = CleanLine(a.Title)
	a.Subtitle = CleanLine(a.Subtitle)
	a.Summary = CleanText(a.Summary)
	a.SourceName = CleanLine(a.SourceName)
	a.Author = CleanLine(a.Author)
	a.Editor = CleanLine(a.Editor)
	p := Problems{}
	p.CheckLength("title", "标题", a.Title, true, MaxTitle)
	p.CheckLength("subtitle", "副标题", a.Subtitle, false, MaxSubtitle)
	p.CheckLength("summary", "摘要", a.Summary, false, MaxSummary)
	p.CheckLength("source_name", "来源名称", a.SourceName, a.SourceKind == SourceReprint, MaxSourceName)
	p.CheckLength("author", "作者", a.Author, false, MaxPerson)
	p.CheckLength("editor", "编辑", a.Editor, false, MaxPerson)
	if _, ok := sourceKindLabels[a.SourceKind]; !ok {
		p.Add("source_kind", "请选择稿件来源。")
	}
	if a.ColumnID == 0 {
		p.Add("column_id", "请选择栏目。")
	}
	if strings.TrimSpace(a.BodyText) == "" && !strings.Contains(a.Body, "<img") {
		p.Add("body", "请填写正文。")
	}
	if len(a.Body) > MaxBodyBytes {
		p.Add("body", "正文过长，请删减或拆分为几篇稿件。")
	}
	if len(a.TopicIDs) > 10 {
		p.Add("topics", "一篇稿件最多属于 10 个专题。")
	}
	return p.Err()
}

// DeriveSummary returns the summary to store: the one typed, or the first SummaryLength
// characters of the body's text, cut at a character boundary.
func DeriveSummary(typed, bodyText string) string {
	if typed = CleanText(typed); typed != "" {
		return typed
	}
	return TruncateChars(strings.Join(strings.Fields(bodyText), " "), SummaryLength)
}

// ArticleAction is a step of the editorial workflow.
type ArticleAction string

const (
	ActionSubmit   ArticleAction = "submit"   // 提交审核
	ActionReturn   ArticleAction = "return"   // 退回
	ActionPublish  ArticleAction = "publish"  // 发布
	ActionWithdraw ArticleAction = "withdraw" // 撤稿
)

var actionStatusLabels = map[ArticleAction]string{ActionSubmit: "提交审核", ActionReturn: "退回修改", ActionPublish: "审核发布",
	ActionWithdraw: "撤稿"}

// Label returns the Chinese name of the action.
func (a ArticleAction) Label() string { return actionStatusLabels[a] }

// transitions lists, per action, the statuses it starts from, the status it leads to and the
// permission it needs.
var transitions = map[ArticleAction]struct {
	from []ArticleStatus
	to   ArticleStatus
	perm Permission
}{
	ActionSubmit:   {[]ArticleStatus{StatusDraft, StatusReturned}, StatusSubmitted, PermArticlesContribute},
	ActionReturn:   {[]ArticleStatus{StatusSubmitted}, StatusReturned, PermArticlesReview},
	ActionPublish:  {[]ArticleStatus{StatusDraft, StatusSubmitted, StatusWithdrawn}, StatusPublished, PermArticlesReview},
	ActionWithdraw: {[]ArticleStatus{StatusPublished}, StatusWithdrawn, PermArticlesReview},
}

// Transition returns the status that action leads to from status for an actor, or an error:
// KindForbidden when the actor lacks the permission, KindConflict when the action does not
// apply to the status. Editors may also submit, so that a draft of theirs can wait for a
// colleague's review.
func Transition(actor Actor, status ArticleStatus, action ArticleAction) (ArticleStatus, error) {
	t, ok := transitions[action]
	if !ok {
		return "", Invalid("未知的操作。")
	}
	allowed := actor.Can(t.perm) || (action == ActionSubmit && actor.Can(PermArticlesEdit))
	if !allowed {
		return "", Forbidden("您没有执行此操作的权限。")
	}
	for _, s := range t.from {
		if s == status {
			return t.to, nil
		}
	}
	return "", Conflict("稿件当前为“" + status.Label() + "”，不能" + action.Label() + "。")
}

// CanEditArticle reports whether actor may change the content of an article: an editor always,
// a contributor only an article of the own organization that is a draft or was returned.
func CanEditArticle(actor Actor, a Article) bool {
	if actor.Can(PermArticlesEdit) {
		return true
	}
	return actor.Can(PermArticlesContribute) && a.ContributorOrgID == actor.OrgID &&
		(a.Status == StatusDraft || a.Status == StatusReturned)
}

// ArticleEvent is one entry of an article's timeline.
type ArticleEvent struct {
	At        time.Time
	ActorName string
	Action    string
	Note      string
}

var articleEventLabels = map[string]string{
	"create": "新建稿件", "update": "修改稿件", "submit": "提交审核", "return": "退回修改", "publish": "审核发布",
	"withdraw": "撤稿",
}

// ArticleEventLabel returns the Chinese name of a timeline action.
func ArticleEventLabel(action string) string {
	if l, ok := articleEventLabels[action]; ok {
		return l
	}
	return action
}

func init() {
	RegisterActionLabels(map[string]string{
		"article.create": "新建稿件", "article.update": "修改稿件", "article.submit": "提交稿件",
		"article.return": "退回稿件", "article.publish": "发布稿件", "article.withdraw": "撤回稿件",
		"column.create": "新建栏目", "column.update": "修改栏目", "topic.create": "新建专题", "topic.update": "修改专题",
		"file.upload": "上传文件", "portal.stats_export": "导出宣传统计", "article.import": "导入稿件",
	})
}

func idText(id int64) string { return strconv.FormatInt(id, 10) }
