package web

import (
	"context"
	"net/http"

	"pingan/internal/domain"
	"pingan/internal/notify"
	"pingan/internal/store"
)

// service holds what the public-service platform adds to the server: the citizen message
// gateway and the live-consultation transport.
type service struct {
	gateway notify.Gateway
	chat    chatTransport
}

func newService(d Deps) *service {
	gw := d.Gateway
	if gw == nil {
		gw = notify.LogGateway{Log: d.Log}
	}
	return &service{gateway: gw, chat: newLocalChatTransport()}
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
