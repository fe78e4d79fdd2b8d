package config

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/index"
)

func TestSearchConfig(t *testing.T) {
	tests := []struct {
		name    string
		yaml    string
		env     string // DEALWIRE_SEARCH_MIN_CONFIDENCE
		want    float64
		wantErr string
	}{
		{name: "default", want: index.DefaultMinConfidence},
		{name: "file", yaml: "search:\n  min_confidence: 0.7\n", want: 0.7},
		{name: "file shows all", yaml: "search:\n  min_confidence: 0\n", want: 0},
		{name: "environment over file", yaml: "search:\n  min_confidence: 0.7\n", env: "0.25", want: 0.25},
		{name: "environment shows all", env: "0", want: 0},
		{name: "file out of range", yaml: "search:\n  min_confidence: 1.5\n", wantErr: "search.min_confidence 1.5: want a number from 0 to 1"},
		{name: "environment out of range", env: "-1", wantErr: "search.min_confidence -1"},
		{name: "environment not a number", env: "half", wantErr: `DEALWIRE_SEARCH_MIN_CONFIDENCE="half"`},
		{name: "unknown search field", yaml: "search:\n  min_confidance: 0.5\n", wantErr: "min_confidance"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv("DEALWIRE_CONFIG", "")
			t.Setenv("DEALWIRE_SEARCH_MIN_CONFIDENCE", tt.env)
			path := ""
			if tt.yaml != "" {
				path = filepath.Join(t.TempDir(), "c.yaml")
				if err := os.WriteFile(path, []byte(tt.yaml), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c, err := Load(path)
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("Load error = %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if c.Search.MinConfidence != tt.want || c.HTTP.Search.MinConfidence != tt.want {
				t.Errorf("search.min_confidence %g, the API's %g; want %g for both", c.Search.MinConfidence, c.HTTP.Search.MinConfidence, tt.want)
			}
		})
	}
}

func TestExampleConfigSearch(t *testing.T) {
	t.Chdir("..")
	t.Setenv("DEALWIRE_SEARCH_MIN_CONFIDENCE", "")
	c, err := Load("configs/dealwire.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if c.Search.MinConfidence != index.DefaultMinConfidence {
		t.Errorf("configs/dealwire.yaml: search.min_confidence %g, want the default %g", c.Search.MinConfidence, index.DefaultMinConfidence)
	}
}
