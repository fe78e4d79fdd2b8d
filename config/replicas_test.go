package config

import (
	"os"
	"path/filepath"
	"testing"
)

// TestBucketsFollowNATSReplicas checks that nats.replicas reaches the
// feed-state bucket, which the fetch stage creates from the ingest config.
func TestBucketsFollowNATSReplicas(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dealwire.yaml")
	if err := os.WriteFile(path, []byte("nats:\n  url: nats://nats-1:4222\n  replicas: 3\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	c, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if c.Ingest.StateReplicas != 3 {
		t.Errorf("feed-state bucket replicas %d, want nats.replicas 3", c.Ingest.StateReplicas)
	}
}
