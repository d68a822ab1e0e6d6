package domain

import (
	"strings"
	"time"
)

// NoticeKind is the kind of a notice sent down to organizations: a notice, a work plan or a
// requirement (通知, 工作计划, 工作要求).
type NoticeKind string

const (
	NoticeGeneral     NoticeKind = "notice"      // 通知
	NoticeWorkPlan    NoticeKind = "work_plan"   // 工作计划
	NoticeRequirement NoticeKind = "requirement" // 工作要求
)

// NoticeKinds lists the kinds in the order forms offer them.
var NoticeKinds = []NoticeKind{NoticeGeneral, NoticeWorkPlan, NoticeRequirement}

var noticeKindLabels = map[NoticeKind]string{NoticeGeneral: "通知", NoticeWorkPlan: "工作计划", NoticeRequirement: "工作要求"}

// Label returns the Chinese name of the kind.
func (k NoticeKind) Label() string {
	if l, ok := noticeKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Valid reports whether k is a known kind.
func (k NoticeKind) Valid() bool { _, ok := noticeKindLabels[k]; return ok }

// Notice is a notice, work plan or requirement issued by one organization to others.
type Notice struct {
	ID               int64
	TownID           int64
	SenderOrgID      int64
	SenderOrgName    string
	CreatedBy        int64
	CreatedByName    string
	Kind             NoticeKind
	Title            string
	Body             string
	Deadline         time.Time // zero when there is none
	FeedbackRequired bool
	IssuedAt         time.Time

	// Counts over the recipients, filled by lists and the sender's view.
	Recipients int
	ReadOrgs   int
	Feedbacks  int

	// The viewing person's own state, filled for a recipient.
	ReadAt       time.Time // when this person first opened it
	OrgFeedbacks int       // feedback entries of the person's organization
}

// Overdue reports whether the deadline has passed at now.
func (n Notice) Overdue(now time.Time) bool { return !n.Deadline.IsZero() && now.After(n.Deadline) }

// Notice limits, in characters.
const (
	MaxNoticeTitle    = 100
	MaxNoticeBody     = 20000
	MaxFeedbackBody   = 5000
	MaxNoticeOrgs     = 500
	MaxAttachmentName = 100
)

// ValidateNotice checks a notice before it is issued at now to recipients organizations.
func ValidateNotice(n *Notice, recipients int, now time.Time) error {
	n.Title = CleanLine(n.Title)
	n.Body = CleanText(n.Body)
	p := Problems{}
	if !n.Kind.Valid() {
		p.Add("kind", "请选择类别：通知、工作计划或工作要求。")
	}
	p.CheckLength("title", "标题", n.Title, true, MaxNoticeTitle)
	p.CheckLength("body", "正文", n.Body, true, MaxNoticeBody)
	if !n.Deadline.IsZero() && !n.Deadline.After(now) {
		p.Add("deadline", "截止时间应晚于现在。")
	}
	if n.FeedbackRequired && n.Deadline.IsZero() {
		p.Add("deadline", "要求回执的通知须设截止时间。")
	}
	switch {
	case recipients == 0:
		p.Add("recipients", "请至少选择一个接收单位。")
	case recipients > MaxNoticeOrgs:
		p.Add("recipients", "接收单位过多，一次最多下发给 500 个单位。")
	}
	return p.Err()
}

// NoticeRecipient is one receiving organization's row of the sender's matrix.
type NoticeRecipient struct {
	OrgID       int64
	OrgName     string
	OrgKind     OrgKind
	FirstReadAt time.Time
	FirstReader string
	Readers     int
	FeedbackAt  time.Time // first feedback
	RemindedAt  time.Time
	Reminders   int
}

// Read reports whether anyone of the organization has opened the notice.
func (r NoticeRecipient) Read() bool { return !r.FirstReadAt.IsZero() }

// HasFeedback reports whether the organization has sent feedback.
func (r NoticeRecipient) HasFeedback() bool { return !r.FeedbackAt.IsZero() }

// Late reports whether the organization missed the notice's deadline at now: it gave the
// required feedback after the deadline or not at all, or, when no feedback is required, it
// had not read the notice by the deadline.
func (r NoticeRecipient) Late(n Notice, now time.Time) bool {
	if n.Deadline.IsZero() {
		return false
	}
	done := r.FirstReadAt
	if n.FeedbackRequired {
		done = r.FeedbackAt
	}
	if done.IsZero() {
		return now.After(n.Deadline)
	}
	return done.After(n.Deadline)
}

// Pending reports whether the organization still owes something: reading the notice, or the
// required feedback. Reminders go to pending organizations.
func (r NoticeRecipient) Pending(n Notice) bool {
	if n.FeedbackRequired {
		return !r.HasFeedback()
	}
	return !r.Read()
}

// NoticeFeedback is one organization's written reply to a notice (回执), with files.
type NoticeFeedback struct {
	ID        int64
	NoticeID  int64
	OrgID     int64
	OrgName   string
	AccountID int64
	Author    string
	Body      string
	CreatedAt time.Time
	Files     []Attachment
}

// ValidateFeedback checks a feedback text; an empty text is allowed when files come with it.
func ValidateFeedback(body string, files int) (string, error) {
	body = CleanText(body)
	p := Problems{}
	if body == "" && files == 0 {
		p.Add("body", "请填写回执内容或上传附件。")
	}
	p.CheckLength("body", "回执内容", body, false, MaxFeedbackBody)
	return body, p.Err()
}

// Attachment is an uploaded file linked to a coordination record.
type Attachment struct {
	FileID      int64
	Name        string
	ContentType string
	Size        int64
}

// IsImage reports whether the attachment is a picture that a page may show inline.
func (a Attachment) IsImage() bool { return strings.HasPrefix(a.ContentType, "image/") }

// ParseLocalDateTime reads a "2006-01-02T15:04" value of a datetime-local input, or a
// "2006-01-02" date meaning the end of that day, as Beijing time. An empty value is the zero time.
func ParseLocalDateTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, true
	}
	for _, layout := range []string{"2006-01-02T15:04", "2006-01-02 15:04", "2006-01-02T15:04:05"} {
		if t, err := time.ParseInLocation(layout, s, Shanghai); err == nil {
			return t.UTC(), true
		}
	}
	if t, err := time.ParseInLocation("2006-01-02", s, Shanghai); err == nil {
		return t.Add(24*time.Hour - time.Minute).UTC(), true
	}
	return time.Time{}, false
}

// FormatLocalDateTime shows t as a datetime-local input value in Beijing time.
func FormatLocalDateTime(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(Shanghai).Format("2006-01-02T15:04")
}
