package obs

import (
	"context"
	"fmt"
	"net"
)

// RunBeside runs stage while serving /metrics, /healthz and /readyz on
// [Config.Addr], and stops serving when stage returns; it returns stage's
// error. It listens before starting stage, so that a taken port fails the
// process at once with what to set. A failure of the server alone is
// logged: the stage keeps running without its metrics.
func (s *Server) RunBeside(ctx context.Context, stage func(context.Context) error) error {
	if s.cfg.Addr == Off {
		return stage(ctx)
	}
	ln, err := net.Listen("tcp", s.cfg.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s for /metrics and /readyz: %w (each process needs its own obs.addr or DEALWIRE_OBS_ADDR; \"off\" disables it)", s.cfg.Addr, err)
	}
	octx, cancel := context.WithCancel(ctx)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- s.Serve(octx, ln) }()
	err = stage(ctx)
	cancel()
	if oerr := <-errc; oerr != nil {
		s.logger.Warn("metrics and health server", "error", oerr)
	}
	return err
}
