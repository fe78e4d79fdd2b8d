package main

import (
	"context"
	"errors"
)

// Owned by the extract work: replaced by extract.go and eval.go.
func runExtract(ctx context.Context, e *env, args []string) error { return errors.New("extract: not built yet") }
func runEval(ctx context.Context, e *env, args []string) error    { return errors.New("eval: not built yet") }
