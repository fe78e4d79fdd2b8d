package elastic

import (
	"errors"
	"testing"

	"github.com/dealwire/dealwire/news"
)

func TestClassifyItem(t *testing.T) {
	mapping := &esError{Type: "document_parsing_exception", Reason: "failed to parse field [date]",
		CausedBy: &esError{Type: "illegal_argument_exception", Reason: "bad date"}}
	tests := []struct {
		name          string
		status        int
		err           *esError
		wantNil       bool
		wantPermanent bool
		wantType      string
	}{
		{"created", 201, nil, true, false, ""},
		{"updated", 200, nil, true, false, ""},
		{"too many requests", 429, &esError{Type: "es_rejected_execution_exception", Reason: "queue full"}, false, false, "es_rejected_execution_exception"},
		{"server error", 500, &esError{Type: "null_pointer_exception"}, false, false, "null_pointer_exception"},
		{"unavailable shard", 503, &esError{Type: "unavailable_shards_exception"}, false, false, "unavailable_shards_exception"},
		{"no status", 0, nil, false, false, ""},
		{"mapping error", 400, mapping, false, true, "document_parsing_exception"},
		{"strict mapping", 400, &esError{Type: "strict_dynamic_mapping_exception"}, false, true, "strict_dynamic_mapping_exception"},
		{"version conflict", 409, &esError{Type: "version_conflict_engine_exception"}, false, true, "version_conflict_engine_exception"},
		{"index missing waits for the index", 404, &esError{Type: "index_not_found_exception"}, false, false, "index_not_found_exception"},
		{"write block waits for the block to lift", 403, &esError{Type: "cluster_block_exception"}, false, false, "cluster_block_exception"},
		{"refused credentials wait for the fix", 403, &esError{Type: "security_exception"}, false, false, "security_exception"},
		{"unauthorized", 401, nil, false, false, ""},
		{"illegal argument", 400, &esError{Type: "illegal_argument_exception"}, false, true, "illegal_argument_exception"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			err := classifyItem("a1", tt.status, tt.err)
			if (err == nil) != tt.wantNil {
				t.Fatalf("classifyItem(%d) = %v, want nil: %v", tt.status, err, tt.wantNil)
			}
			if err == nil {
				return
			}
			if got := news.IsPermanent(err); got != tt.wantPermanent {
				t.Errorf("classifyItem(%d) permanent = %v, want %v (%v)", tt.status, got, tt.wantPermanent, err)
			}
			var ie *ItemError
			if !errors.As(err, &ie) || ie.Status != tt.status || ie.Type != tt.wantType || ie.ID != "a1" {
				t.Errorf("classifyItem(%d) = %#v, want an *ItemError with status and type %q", tt.status, err, tt.wantType)
			}
		})
	}
	if err := classifyItem("a1", 400, mapping); err.Error() != "indexing a1: status 400: document_parsing_exception: failed to parse field [date]: illegal_argument_exception: bad date" {
		t.Errorf("message = %q", err)
	}
}

func TestConfigValidate(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		ok   bool
	}{
		{"minimal", Config{URLs: []string{"http://127.0.0.1:9200"}}, true},
		{"several with basic auth", Config{URLs: []string{"https://a:9200", "https://b:9200"}, Username: "u", Password: "p"}, true},
		{"api key", Config{URLs: []string{"https://a:9200"}, APIKey: "aWQ6a2V5"}, true},
		{"no urls", Config{}, false},
		{"not a url", Config{URLs: []string{"es:9200"}}, false},
		{"both auths", Config{URLs: []string{"https://a:9200"}, APIKey: "k", Username: "u", Password: "p"}, false},
		{"user without password", Config{URLs: []string{"https://a:9200"}, Username: "u"}, false},
		{"upper-case index", Config{URLs: []string{"https://a:9200"}, Index: "Deals"}, false},
		{"index with star", Config{URLs: []string{"https://a:9200"}, Index: "deals*"}, false},
		{"negative workers", Config{URLs: []string{"https://a:9200"}, Workers: -1}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.cfg.Validate(); (err == nil) != tt.ok {
				t.Errorf("Validate() = %v, want ok %v", err, tt.ok)
			}
		})
	}
}
