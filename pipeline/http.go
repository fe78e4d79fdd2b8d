package pipeline

import (
	"context"
	"fmt"
	"net"
	"net/http"
	"time"

	"github.com/dealwire/dealwire/api"
	"github.com/dealwire/dealwire/config"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/ingest"
)

// ListenHTTP opens the listener of the search API on http.addr, before
// anything starts, so that a taken port fails the process at once.
func ListenHTTP(cfg *config.Config) (net.Listener, error) {
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return nil, fmt.Errorf("listening on %s: %w (set http.addr or --http-addr)", cfg.HTTP.Addr, err)
	}
	return ln, nil
}

// serveHTTP serves the API (when store is not nil), /readyz, the alert
// feeds and the WebSub callbacks (when websub is not nil) on ln until ctx
// ends, then shuts down gracefully.
func (p *Process) serveHTTP(ctx context.Context, store index.Store, websub http.Handler, ln net.Listener) error {
	cfg := p.Config
	mux := http.NewServeMux()
	if store != nil {
		hc := cfg.HTTP
		rates, err := cfg.FXTable()
		if err != nil {
			return err
		}
		hc.Rates = rates // the index's table: exports convert as the index does
		mux.Handle("/", api.NewHandler(hc, store, p.Logger, p.Registry))
	}
	if p.obs != nil {
		mux.Handle("GET /readyz", p.obs.Handler())
	}
	if p.alertFeeds != nil {
		mux.Handle("GET /alerts/", api.NewAlertFeedHandler(cfg.HTTP, p.alertFeeds, p.Logger))
	}
	if websub != nil {
		path := ingest.WebSubPath(cfg.Ingest.WebSubCallback)
		mux.Handle(path, websub)
		p.Logger.Info("taking WebSub pushes", "path", path, "callback", cfg.Ingest.WebSubCallback)
	}
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	p.Logger.Info("serving http", "url", "http://"+ln.Addr().String()+"/")
	select {
	case err := <-errc:
		return fmt.Errorf("serving http: %w", err)
	case <-ctx.Done():
	}
	sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil {
		return fmt.Errorf("shutting down http server: %w", err)
	}
	<-errc
	return nil
}
