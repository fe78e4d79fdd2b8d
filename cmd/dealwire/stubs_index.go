package main

import (
	"context"
	"errors"
)

// Owned by the index work: replaced by search.go.
func runSearch(ctx context.Context, e *env, args []string) error { return errors.New("search: not built yet") }
