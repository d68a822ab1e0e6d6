package domain

import "time"

// InfoCategory is the category of an information report.
type InfoCategory string

// The categories of information reports, in the order forms offer them.
var InfoCategories = []InfoCategory{"work_news", "disputes", "hazards", "safety_building", "experience", "public_opinion", "other"}

var infoCategoryLabels = map[InfoCategory]string{
	"work_news": "工作动态", "disputes": "矛盾纠纷", "hazards": "安全隐患", "safety_building": "平安创建",
	"experience": "经验做法", "public_opinion": "社情民意", "other": "其他",
}

// Label returns the Chinese name of the category.
func (c InfoCategory) Label() string {
	if l, ok := infoCategoryLabels[c]; ok {
		return l
	}
	return string(c)
}

// Valid reports whether c is a known category.
func (c InfoCategory) Valid() bool { _, ok := infoCategoryLabels[c]; return ok }

// InfoReportStatus is where an information report stands.
type InfoReportStatus string

const (
	InfoSubmitted InfoReportStatus = "submitted" // 待采用
	InfoAdopted   InfoReportStatus = "adopted"   // 已采用
	InfoDeclined  InfoReportStatus = "declined"  // 未采用
)

var infoStatusLabels = map[InfoReportStatus]string{InfoSubmitted: "待审核", InfoAdopted: "已采用", InfoDeclined: "未采用"}

// Label returns the Chinese name of the status.
func (s InfoReportStatus) Label() string {
	if l, ok := infoStatusLabels[s]; ok {
		return l
	}
	return string(s)
}

// InfoReport is news or material that a unit sends up to the center (信息上报).
type InfoReport struct {
	ID         int64
	TownID     int64
	OrgID      int64
	OrgName    string
	CreatedBy  int64
	Author     string
	Category   InfoCategory
	Title      string
	Body       string
	Status     InfoReportStatus
	ReviewNote string
	Reviewer   string
	ReviewedAt time.Time
	CreatedAt  time.Time
	Files      []Attachment
}

// Information report limits, in characters.
const (
	MaxInfoTitle  = 100
	MaxInfoBody   = 20000
	MaxReviewNote = 500
)

// ValidateInfoReport checks an information report before it is sent up.
func ValidateInfoReport(r *InfoReport) error {
	r.Title = CleanLine(r.Title)
	r.Body = CleanText(r.Body)
	p := Problems{}
	if !r.Category.Valid() {
		p.Add("category", "请选择信息类别。")
	}
	p.CheckLength("title", "标题", r.Title, true, MaxInfoTitle)
	p.CheckLength("body", "正文", r.Body, true, MaxInfoBody)
	return p.Err()
}

// ValidateReviewNote checks the note of a review; declining needs one.
func ValidateReviewNote(note string, adopt bool) (string, error) {
	note = CleanText(note)
	p := Problems{}
	p.CheckLength("note", "审核意见", note, !adopt, MaxReviewNote)
	return note, p.Err()
}

// PendingArticle is an adopted information report waiting for the portal to turn it into an
// article draft, crediting the organization that contributed it.
type PendingArticle struct {
	ID               int64
	TownID           int64
	InfoReportID     int64
	Title            string
	Body             string
	ContributorOrgID int64
	ContributorName  string
	CreatedAt        time.Time
	ClaimedAt        time.Time
	ArticleID        int64
}
