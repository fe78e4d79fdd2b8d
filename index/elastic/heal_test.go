package elastic

import (
	"net/http"
	"testing"
	"time"

	"github.com/dealwire/dealwire/news"
)

// TestWriteRecreatesMissingAlias: a cluster that lost the alias (restored
// empty, or another cluster behind the address) gets no concrete index
// named like the alias from a write; the write is retried, not
// dead-lettered, and the store recreates the alias so that the retry lands.
func TestWriteRecreatesMissingAlias(t *testing.T) {
	s := openTest(t, Config{})
	if err := s.client.do(t.Context(), http.MethodDelete, "/"+s.Concrete(), nil, nil); err != nil {
		t.Fatalf("deleting the concrete index: %v", err)
	}
	rec := news.Record{Article: news.Article{ID: "heal-1", Title: "Acme raises $5 million", Text: "Acme raised $5 million.", PublishedAt: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}}
	errs := s.Index(t.Context(), []news.Record{rec})
	if errs[0] == nil || news.IsPermanent(errs[0]) {
		t.Fatalf("writing while the alias is missing: %v, want a retryable error", errs[0])
	}
	// The write must not have created an index named like the alias.
	var indices map[string]any
	if err := s.client.do(t.Context(), http.MethodGet, "/"+s.cfg.Index+"/_alias", nil, &indices); err != nil {
		t.Fatalf("reading what %s names: %v", s.cfg.Index, err)
	}
	if _, concrete := indices[s.cfg.Index]; concrete {
		t.Fatalf("the write created a concrete index %q, which blocks the alias for good", s.cfg.Index)
	}
	if _, ok := indices[s.Concrete()]; !ok {
		t.Fatalf("after the failed write %s names %v, want the recreated %s", s.cfg.Index, keys(indices), s.Concrete())
	}
	if errs := s.Index(t.Context(), []news.Record{rec}); errs[0] != nil {
		t.Fatalf("retrying after the alias was recreated: %v", errs[0])
	}
}

func keys(m map[string]any) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	return out
}
