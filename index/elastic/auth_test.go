package elastic

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
)

// secureNode returns the URL, user and password of the Elasticsearch node
// that scripts/test starts with security on.
func secureNode(t *testing.T) (url, user, password string) {
	t.Helper()
	url, user, password = os.Getenv("DEALWIRE_ES_SECURE_URL"), os.Getenv("DEALWIRE_ES_SECURE_USER"), os.Getenv("DEALWIRE_ES_SECURE_PASSWORD")
	if url == "" || user == "" || password == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_SECURE_URL/USER/PASSWORD are not set under CI: run the suite with scripts/test")
		}
		t.Skip("no secured Elasticsearch node; scripts/test starts one")
	}
	return url, user, password
}

func TestCredentials(t *testing.T) {
	url, user, password := secureNode(t)
	name := fmt.Sprintf("auth-%d", time.Now().UnixNano())
	tests := []struct {
		name       string
		user, pass string
		wantStatus int
		wantText   string
	}{
		{"wrong password", user, password + "x", http.StatusUnauthorized, "rejected the credentials (401)"},
		{"no credentials", "", "", http.StatusUnauthorized, "rejected the credentials (401)"},
		{"right credentials", user, password, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := New(t.Context(), Config{URLs: []string{url}, Index: name, Username: tt.user, Password: tt.pass}, nil, nil)
			if tt.wantStatus != 0 {
				var se *StatusError
				if !errors.As(err, &se) || se.Status != tt.wantStatus || !strings.Contains(err.Error(), tt.wantText) {
					t.Fatalf("New: error %v, want a %d naming %q", err, tt.wantStatus, tt.wantText)
				}
				return
			}
			if err != nil {
				t.Fatalf("New with the right credentials: %v", err)
			}
			t.Cleanup(func() {
				if err := s.Delete(context.Background()); err != nil { // t.Context is done by cleanup time
					t.Errorf("deleting test index: %v", err)
				}
				s.Close()
			})
			recs := indextest.Records()[:2]
			for i, err := range s.Index(t.Context(), recs) {
				if err != nil {
					t.Fatalf("indexing record %d with credentials: %v", i, err)
				}
			}
			if err := s.Refresh(t.Context()); err != nil {
				t.Fatal(err)
			}
			res, err := s.Search(t.Context(), index.Query{})
			if err != nil || res.Total != 2 {
				t.Fatalf("search with credentials: %d hits, %v", res.Total, err)
			}
		})
	}
}
