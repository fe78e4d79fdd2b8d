package indextest

import (
	"os"
	"testing"
)

// ElasticURL returns the address of the Elasticsearch node of tests and
// benchmarks, DEALWIRE_ES_URL. Without it tb is skipped, or fails when
// CI=true: there the node is always started and must be used.
func ElasticURL(tb testing.TB) string {
	tb.Helper()
	u := os.Getenv("DEALWIRE_ES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			tb.Fatal("DEALWIRE_ES_URL is not set and CI=true: Elasticsearch tests and benchmarks must run")
		}
		tb.Skip("DEALWIRE_ES_URL is not set")
	}
	return u
}
