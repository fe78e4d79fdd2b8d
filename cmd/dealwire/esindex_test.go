package main

import (
	"context"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index/elastic"
)

// dropIndexAtEnd deletes the Elasticsearch indices, aliases and templates
// of index name (records and deals) when t ends, after the cleanups
// registered later (the stage processes using it) have run. A developer's
// node then does not collect a test's indices run after run, up to the
// node's shard limit.
func dropIndexAtEnd(t *testing.T, url, name string) {
	t.Helper()
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		s, err := elastic.New(ctx, elastic.Config{URLs: []string{url}, Index: name}, nil, nil)
		if err != nil {
			t.Errorf("opening index %s to delete it: %v", name, err)
			return
		}
		defer s.Close()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("deleting index %s: %v", name, err)
		}
	})
}
