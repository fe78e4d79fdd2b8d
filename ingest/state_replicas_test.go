package ingest

import (
	"strings"
	"testing"
)

// TestStateBucketFollowsReplicas checks that the feed-state bucket is created
// with Config.StateReplicas copies. A single test server is not a cluster, so
// a bucket of three replicas must be refused there; an ignored setting would
// let it through with one.
func TestStateBucketFollowsReplicas(t *testing.T) {
	js := newBus(t)
	cfg := testConfig()

	cfg.StateBucket = "feeds_r1"
	cfg.StateReplicas = 1
	if err := newTestPoller(t, cfg, js).PollOnce(t.Context()); err != nil {
		t.Fatalf("one replica: %v", err)
	}
	if _, err := js.KeyValue(t.Context(), "feeds_r1"); err != nil {
		t.Fatalf("the state bucket of one replica was not created: %v", err)
	}

	cfg.StateBucket = "feeds_r3"
	cfg.StateReplicas = 3
	err := newTestPoller(t, cfg, js).PollOnce(t.Context())
	if err == nil || !strings.Contains(err.Error(), "replicas") {
		t.Fatalf("three replicas on a single server: err %v, want the server to refuse the replica count", err)
	}
}
