package main

import (
	"context"
	"errors"
)

// Owned by the ingest work: replaced by page.go and feeds.go.
func runPage(ctx context.Context, e *env, args []string) error  { return errors.New("page: not built yet") }
func runFeeds(ctx context.Context, e *env, args []string) error { return errors.New("feeds: not built yet") }
