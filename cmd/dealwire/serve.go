package main

import (
	"context"
)

func runServe(ctx context.Context, e *env, args []string) error {
	const summary = "serve the search API (GET /api/search, GET /api/articles/{id}) and the web search page from the configured index"
	fs := newFlagSet(e, "serve", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	addr := fs.String("http-addr", "", "listen address (default 127.0.0.1:8080)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	cfg, err := loadConfig(*cfgPath, httpAddrFlag(*addr))
	if err != nil {
		return err
	}
	d := newDeps(cfg, "serve")
	logger := d.logger
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	if err := openAlertFeeds(ctx, d); err != nil {
		return err
	}
	defer d.closeBus()
	if err := d.newObs(store); err != nil { // /readyz beside the API's /metrics and /healthz
		return err
	}
	ln, err := listenHTTP(cfg)
	if err != nil {
		return err
	}
	return serveHTTP(ctx, d, store, nil, ln)
}
