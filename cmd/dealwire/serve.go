package main

import (
	"context"

	"github.com/dealwire/dealwire/pipeline"
)

func runServe(ctx context.Context, e *env, args []string) error {
	fs := newFlagSet(e, "serve", "serve the search API (GET /api/search, GET /api/articles/{id}) and the web search page from the configured index")
	configFlag(fs)
	fs.String("http-addr", "", "listen address (default 127.0.0.1:8080)")
	cfg, err := parseConfig(fs, args)
	if err != nil {
		return err
	}
	return pipeline.Serve(ctx, cfg)
}
