package domain

// coordinationActionLabels are the Chinese names of the coordination platform's audit actions.
var coordinationActionLabels = map[string]string{
	"bell.read":               "查看提醒",
	"bell.read_all":           "提醒全部标为已读",
	"notice.issue":            "下发通知",
	"notice.read":             "阅读通知",
	"notice.feedback":         "提交通知回执",
	"notice.remind":           "催办通知",
	"report.template_create":  "新建报表模板",
	"report.template_update":  "修改报表模板",
	"report.field_add":        "添加报表字段",
	"report.field_update":     "修改报表字段",
	"report.field_delete":     "删除报表字段",
	"report.field_move":       "调整报表字段顺序",
	"report.assign":           "下发报表",
	"report.stop":             "停止报表任务",
	"report.save":             "保存报表草稿",
	"report.submit":           "提交报表",
	"report.accept":           "审核通过报表",
	"report.return":           "退回报表",
	"report.import":           "导入离线报表",
	"report.export":           "导出报表汇总",
	"report.remind":           "报表到期提醒",
	"info_report.submit":      "上报信息",
	"info_report.adopt":       "采用上报信息",
	"pending_article.draft":   "上报信息转为稿件",
	"info_report.decline":     "不采用上报信息",
	"inquiry.ask":             "提出询问",
	"inquiry.assign":          "转交询问",
	"inquiry.answer":          "答复询问",
	"inquiry.faq_publish":     "发布常见问题",
	"inquiry.faq_withdraw":    "撤下常见问题",
	"wg.channel_create":       "新建工作群频道",
	"wg.members":              "调整频道成员",
	"wg.post":                 "发送工作群消息",
	"pending_article.claimed": "上报信息转为稿件",
}

// The labels are registered while package variables initialize, before any request is served.
var _ = func() bool {
	RegisterActionLabels(coordinationActionLabels)
	return true
}()
