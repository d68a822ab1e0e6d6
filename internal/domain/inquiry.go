package domain

import "time"

// InquiryStatus is where an inquiry stands.
type InquiryStatus string

const (
	InquiryOpen     InquiryStatus = "open"     // 待答复
	InquiryAnswered InquiryStatus = "answered" // 已答复
)

// Label returns the Chinese name of the status.
func (s InquiryStatus) Label() string {
	switch s {
	case InquiryOpen:
		return "待答复"
	case InquiryAnswered:
		return "已答复"
	}
	return string(s)
}

// Inquiry is a unit's question to the center or a designated unit, with its answer, which may
// be published as a public FAQ entry.
type Inquiry struct {
	ID              int64
	TownID          int64
	OrgID           int64
	OrgName         string
	AskedBy         int64
	Asker           string
	AssigneeOrgID   int64
	AssigneeOrgName string
	Title           string
	Question        string
	Status          InquiryStatus
	Answer          string
	Answerer        string
	AnsweredOrgName string
	AnsweredAt      time.Time
	FAQQuestion     string
	FAQAnswer       string
	FAQPublishedAt  time.Time
	CreatedAt       time.Time
}

// Published reports whether the inquiry is a public FAQ entry.
func (q Inquiry) Published() bool { return !q.FAQPublishedAt.IsZero() }

// Inquiry limits, in characters.
const (
	MaxInquiryTitle    = 100
	MaxInquiryQuestion = 5000
	MaxInquiryAnswer   = 5000
	MaxFAQQuestion     = 300
)

// ValidateInquiry checks a new inquiry.
func ValidateInquiry(q *Inquiry) error {
	q.Title = CleanLine(q.Title)
	q.Question = CleanText(q.Question)
	p := Problems{}
	p.CheckLength("title", "标题", q.Title, true, MaxInquiryTitle)
	p.CheckLength("question", "询问内容", q.Question, true, MaxInquiryQuestion)
	return p.Err()
}

// ValidateAnswer checks an answer.
func ValidateAnswer(answer string) (string, error) {
	answer = CleanText(answer)
	p := Problems{}
	p.CheckLength("answer", "答复内容", answer, true, MaxInquiryAnswer)
	return answer, p.Err()
}

// ValidateFAQ checks the public wording of a FAQ entry, which staff edit so that no internal
// detail reaches the public site.
func ValidateFAQ(question, answer string) (string, string, error) {
	question, answer = CleanText(question), CleanText(answer)
	p := Problems{}
	p.CheckLength("faq_question", "公开的问题", question, true, MaxFAQQuestion)
	p.CheckLength("faq_answer", "公开的答复", answer, true, MaxInquiryAnswer)
	return question, answer, p.Err()
}
