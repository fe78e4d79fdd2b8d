package main

import (
	"context"
	"fmt"
	"net"
	"os"
)

func runServe(ctx context.Context, e *env, args []string) error {
	const summary = "serve the search API (GET /api/search, GET /api/articles/{id}) and the web search page from the configured index"
	fs := newFlagSet(e, "serve", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	addr := fs.String("http-addr", "", "listen address (default 127.0.0.1:8080)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfigWith(*cfgPath, "", *addr)
	if err != nil {
		return err
	}
	logger := newLogger(cfg, os.Stderr).With("stage", "serve")
	d := &deps{cfg: cfg, logger: logger, reg: newRegistry()}
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	ln, err := net.Listen("tcp", cfg.HTTP.Addr)
	if err != nil {
		return fmt.Errorf("listening on %s: %w (set http.addr or --http-addr)", cfg.HTTP.Addr, err)
	}
	return serveHTTP(ctx, d, store, ln)
}
