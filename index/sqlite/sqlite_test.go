package sqlite

import (
	"path/filepath"
	"testing"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

func openTest(t *testing.T) index.Store {
	t.Helper()
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	t.Cleanup(func() {
		if err := s.Close(); err != nil {
			t.Errorf("Close: %v", err)
		}
	})
	return s
}

func TestConformance(t *testing.T) {
	indextest.Run(t, openTest)
}
