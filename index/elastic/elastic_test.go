package elastic

import (
	"crypto/rand"
	"encoding/hex"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

// esURL returns the test cluster's address from DEALWIRE_ES_URL. Without
// it the test is skipped, or fails when CI=true.
func esURL(t testing.TB) string {
	t.Helper()
	u := os.Getenv("DEALWIRE_ES_URL")
	if u == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_URL is not set and CI=true: Elasticsearch tests must run")
		}
		t.Skip("DEALWIRE_ES_URL is not set")
	}
	return u
}

// uniqueIndex is an alias name no other test uses.
func uniqueIndex(t testing.TB) string {
	b := make([]byte, 6)
	_, _ = rand.Read(b)
	return "dealwire-test-" + strings.ToLower(hex.EncodeToString(b))
}

func openTest(t *testing.T, cfg Config) *Store {
	t.Helper()
	cfg.URLs = []string{esURL(t)}
	if cfg.Index == "" {
		cfg.Index = uniqueIndex(t)
	}
	s, err := New(t.Context(), cfg, nil, nil)
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	t.Cleanup(func() {
		ctx, cancel := contextWithTimeout(10 * time.Second)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			t.Errorf("Delete: %v", err)
		}
		s.Close()
	})
	return s
}

func TestConformance(t *testing.T) {
	indextest.Run(t, func(t *testing.T) index.Store { return openTest(t, Config{}) })
}
