package domain

import "time"

// NotificationKind is the subject of a bell notification.
type NotificationKind string

// The kinds of bell notification. Other areas add their own kinds, such as a dispatched case.
const (
	NotifyNotice          NotificationKind = "notice"           // a notice to read
	NotifyNoticeReminder  NotificationKind = "notice_reminder"  // 催办: read or answer a notice
	NotifyNoticeFeedback  NotificationKind = "notice_feedback"  // a recipient sent feedback
	NotifyReportDue       NotificationKind = "report_due"       // a report is due soon
	NotifyReportReturned  NotificationKind = "report_returned"  // the center returned a report
	NotifyReportAccepted  NotificationKind = "report_accepted"  // the center accepted a report
	NotifyInfoReport      NotificationKind = "info_report"      // an information report was reviewed
	NotifyInquiryNew      NotificationKind = "inquiry_new"      // an inquiry waits for an answer
	NotifyInquiryAnswered NotificationKind = "inquiry_answered" // an inquiry was answered
	NotifyMention         NotificationKind = "mention"          // someone @mentioned the account in the work group
	NotifyCaseDispatched  NotificationKind = "case_dispatched"  // a case was dispatched to the account's unit
	NotifyCaseSentBack    NotificationKind = "case_sent_back"   // a unit sent a case back to the center
	NotifyCaseEscalated   NotificationKind = "case_escalated"   // a unit escalated a case to the center
	NotifyCaseSupervised  NotificationKind = "case_supervised"  // 督办: the center pressed the unit on a case
	NotifyCaseOverdue     NotificationKind = "case_overdue"     // the scheduled reminder found the unit's case overdue
)

var notificationKindLabels = map[NotificationKind]string{
	NotifyNotice: "待阅通知", NotifyNoticeReminder: "催办", NotifyNoticeFeedback: "通知回执",
	NotifyReportDue: "报表待填", NotifyReportReturned: "报表退回", NotifyReportAccepted: "报表已通过",
	NotifyInfoReport: "信息上报", NotifyInquiryNew: "待答复询问", NotifyInquiryAnswered: "询问已答复",
	NotifyMention: "工作群提及", NotifyCaseDispatched: "工单交办", NotifyCaseSentBack: "工单退回",
	NotifyCaseEscalated: "工单上报", NotifyCaseSupervised: "工单督办",
	NotifyCaseOverdue: "工单超期提醒",
}

// Label returns the Chinese name of the kind.
func (k NotificationKind) Label() string {
	if l, ok := notificationKindLabels[k]; ok {
		return l
	}
	return string(k)
}

// Notification is one entry of an account's bell: something that waits on the person. Seq is
// its position in the account's live topic.
type Notification struct {
	ID        int64
	TownID    int64
	AccountID int64
	Seq       int64
	Kind      NotificationKind
	Title     string
	Link      string // a back-office path, such as /admin/notices/12
	RefType   string // the record it is about, such as "notice", so reading the record clears it
	RefID     int64
	CreatedAt time.Time
	ReadAt    time.Time
}

// Unread reports whether the person has not opened the notification yet.
func (n Notification) Unread() bool { return n.ReadAt.IsZero() }
