package elastic

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"

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

// BenchmarkBulkAnswer decodes the filtered answer to a bulk request of 200
// documents, as [Store.send] does for every request; per document with
// -benchmem's allocations divided by 200.
//
//	go test -run '^$' -bench BulkAnswer -benchmem ./index/elastic
func BenchmarkBulkAnswer(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"errors":false,"items":[`)
	for i := range 200 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"index":{"_id":"%040x","status":201}}`, i)
	}
	sb.WriteString(`]}`)
	raw := []byte(sb.String())
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		var ans bulkAnswer
		if err := jsonv2.Unmarshal(raw, &ans); err != nil {
			b.Fatal(err)
		}
		if op, it := ans.Items[199].item(); op != "index" || it.Status != 201 {
			b.Fatalf("last item %s %+v, want an index with status 201", op, it)
		}
	}
}

// TestBulkResultItem: each item of a bulk answer names its action, and
// item returns that action with its id, status and error.
func TestBulkResultItem(t *testing.T) {
	raw := `{"errors":true,"items":[` +
		`{"index":{"_id":"a","status":201}},` +
		`{"delete":{"_id":"b","status":404}},` +
		`{"create":{"_id":"c","status":409,"error":{"type":"version_conflict_engine_exception","reason":"exists"}}},` +
		`{"update":{"_id":"d","status":200}},` +
		`{"index":{"_id":"e","status":400,"error":{"type":"document_parsing_exception","reason":"bad","caused_by":{"type":"x","reason":"y"}}}}]}`
	var ans bulkAnswer
	if err := jsonv2.Unmarshal([]byte(raw), &ans); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		op, id, errType string
		status          int
	}{
		{"index", "a", "", 201},
		{"delete", "b", "", 404},
		{"create", "c", "version_conflict_engine_exception", 409},
		{"update", "d", "", 200},
		{"index", "e", "document_parsing_exception", 400},
	}
	if !ans.Errors || len(ans.Items) != len(want) {
		t.Fatalf("errors %v, %d items; want true, %d", ans.Errors, len(ans.Items), len(want))
	}
	for i, w := range want {
		op, it := ans.Items[i].item()
		errType := ""
		if it.Error != nil {
			errType = it.Error.Type
		}
		if op != w.op || it.ID != w.id || it.Status != w.status || errType != w.errType {
			t.Errorf("item %d: %s %s %d %q, want %s %s %d %q", i, op, it.ID, it.Status, errType, w.op, w.id, w.status, w.errType)
		}
	}
	if _, it := ans.Items[4].item(); it.Error.reason() != "bad: x: y" {
		t.Errorf("reason %q, want the causes too", it.Error.reason())
	}
}
