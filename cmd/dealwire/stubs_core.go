package main

import (
	"context"
	"errors"
)

func runAll(ctx context.Context, e *env, args []string) error {
	return errors.New("run: not built yet")
}
func runFetch(ctx context.Context, e *env, args []string) error {
	return errors.New("fetch: not built yet")
}
func runIndex(ctx context.Context, e *env, args []string) error {
	return errors.New("index: not built yet")
}
func runServe(ctx context.Context, e *env, args []string) error {
	return errors.New("serve: not built yet")
}
func runVersion(ctx context.Context, e *env, args []string) error {
	return errors.New("version: not built yet")
}

// runExtractStage runs the pipeline's extract stage (consume ARTICLES, publish
// RECORDS); "dealwire extract --stage" calls it.
func runExtractStage(ctx context.Context, e *env, configPath string) error {
	return errors.New("extract stage: not built yet")
}
