package web

import (
	"context"
	"net/http"

	"pingan/internal/domain"
	"pingan/internal/notify"
	"pingan/internal/store"
)

// service holds what the public-service platform adds to the server: the citizen message
// gateway. Live consultation streams through the server's live hub.
type service struct {
	gateway notify.Gateway
}

func newService(d Deps) *service {
	gw := d.Gateway
	if gw == nil {
		gw = notify.LogGateway{Log: d.Log}
	}
	return &service{gateway: gw}
}

// publicTown returns the town whose public site this is: the first town of the deployment.
func (s *Server) publicTown(r *http.Request) (domain.Org, error) {
	return s.db.FirstTown(r.Context())
}

// ipHash returns the keyed hash of the client's address, which rate limits count by so that
// addresses are not stored in plain text.
func (s *Server) ipHash(r *http.Request) string {
	return s.db.Keys().Hash("ip:" + s.clientIP(r))
}

// sendCitizen hands messages to the gateway after the step that produced them committed. A
// failed send is logged: the citizen reads the same notice behind the query code.
func (s *Server) sendCitizen(ctx context.Context, msgs []store.CitizenMessage) {
	for _, m := range msgs {
		if m.Mobile == "" {
			continue
		}
		if err := s.svc.gateway.Send(context.WithoutCancel(ctx), notify.Message{Mobile: m.Mobile, Text: m.Text}); err != nil {
			s.log.Error("send citizen message failed", "error", err)
		}
	}
}

// serviceAuditLabels names the public-service platform's audit actions in Chinese.
var serviceAuditLabels = func() bool {
	domain.RegisterActionLabels(map[string]string{
		"board.post": "提交留言", "board.moderate": "审核留言", "board.reply": "答复留言", "board.follow_up": "留言追问",
		"board.rate": "评价留言", "board.sensitive_words": "修改敏感词表", "pii.view": "查看完整个人信息",
		"case.register": "受理工单", "case.decline": "不予受理", "case.dispatch": "交办工单", "case.acknowledge": "签收工单",
		"case.handle": "办理工单", "case.reply": "答复工单", "case.resolve": "办结工单", "case.follow_up": "回访工单",
		"case.close": "结案", "case.send_back": "退回工单", "case.escalate": "上报工单", "case.merge": "合并工单",
		"case.reopen": "重新办理工单", "case.supervise": "督办工单", "case.remind": "超期提醒",
		"chat.take": "接入在线咨询", "chat.transfer": "转交在线咨询", "chat.end": "结束在线咨询", "chat.roster": "值班排班",
		"chat.duty_hours": "修改值班时间", "chat.canned_add": "新增常用语", "chat.canned_delete": "删除常用语",
		"calendar.update": "修改节假日日历", "stats.export": "导出统计",
		"site_error.report": "提交网站纠错", "site_error.handle": "处理网站纠错",
	})
	return true
}()
