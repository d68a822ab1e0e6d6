// Package notify sends messages to citizens' mobiles through a message gateway. pingan ships a
// gateway that only logs; an SMS provider is added by implementing Gateway, without touching
// the case workflow, which hands its messages over after each step commits.
package notify

import (
	"context"
	"log/slog"

	"pingan/internal/pii"
)

// Message is one text to one mobile number.
type Message struct {
	Mobile string
	Text   string
}

// Gateway delivers messages. Implementations are safe for concurrent use and return an error
// only for a message they could not hand over; the caller logs it and goes on, because the
// citizen can always read the same notice behind the query code.
type Gateway interface {
	Send(ctx context.Context, m Message) error
}

// LogGateway writes each message to the log with the number masked, and sends nothing.
type LogGateway struct {
	Log *slog.Logger
}

// Send logs m.
func (g LogGateway) Send(_ context.Context, m Message) error {
	g.Log.Info("citizen message (log gateway, not sent)", "mobile", pii.MaskPhone(m.Mobile), "chars", len([]rune(m.Text)))
	return nil
}
