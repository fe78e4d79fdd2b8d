package bus

import (
	"context"
	"fmt"

	"github.com/nats-io/nats.go"
)

// Ready returns a readiness check of nc: nil while the connection is
// connected and the server answers a ping within ctx. A connection that is
// reconnecting fails it at once, so a process cut off from NATS reports
// not ready instead of queueing work it cannot hand on.
func Ready(nc *nats.Conn) func(ctx context.Context) error {
	return func(ctx context.Context) error {
		if st := nc.Status(); st != nats.CONNECTED {
			return fmt.Errorf("nats connection is %s", st)
		}
		if _, ok := ctx.Deadline(); !ok {
			// FlushWithContext refuses a context without a deadline.
			var cancel context.CancelFunc
			ctx, cancel = context.WithTimeout(ctx, lagTimeout)
			defer cancel()
		}
		if err := nc.FlushWithContext(ctx); err != nil {
			return fmt.Errorf("pinging nats %s: %w", nc.ConnectedUrlRedacted(), err)
		}
		return nil
	}
}
