package news_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	jsonv1 "github.com/go-json-experiment/json/v1"
	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// TestDecodeRecord checks the streaming decoder against encoding/json's
// semantics with its error reporting (the stage's decoder before): the
// same records, and for what is no record, a permanent error with the
// same message.
func TestDecodeRecord(t *testing.T) {
	legacy := func(data []byte) (news.Record, error) {
		var r news.Record
		if err := jsonv2.Unmarshal(data, &r, jsonv1.DefaultOptionsV1()); err != nil {
			return news.Record{}, news.Permanent(fmt.Errorf("decoding record: %w", err))
		}
		if r.Article.ID == "" {
			return news.Record{}, news.Permanent(errors.New("decoding record: no article id"))
		}
		return r, nil
	}
	cases := map[string]string{
		"empty":             ``,
		"not json":          `not json`,
		"truncated":         `{"v":1,"article":{"id":"x","title":"cut`,
		"array":             `[1,2]`,
		"trailing garbage":  `{"article":{"id":"x"}} {}`,
		"no id":             `{"v":1,"article":{"title":"t","text":"x"}}`,
		"title a number":    `{"article":{"id":"x","title":5,"text":"x"}}`,
		"date not a date":   `{"article":{"id":"x","published_at":"yesterday"}}`,
		"two errors":        `{"article":{"id":"x","title":5},"extracted_at":true}`,
		"late syntax error": `{"article":{"id":"x","title":5},"extraction":{"deals":[}}`,
		"bad amount":        `{"article":{"id":"x"},"extraction":{"deals":[{"amount":{"value":"lots"}}]}}`,
		"invalid UTF-8":     "{\"article\":{\"id\":\"x\",\"title\":\"bad \xff byte\"}}",
		"later fields":      `{"v":1,"future":{"a":[1]},"article":{"id":"x","title":"t","later":true}}`,
		"name case":         `{"Article":{"ID":"x","Title":"upper"}}`,
		"duplicate title":   `{"article":{"id":"x","title":"first","title":"second"}}`,
	}
	for i, r := range append(indextest.Records(), indextest.SyntheticRecords(10, 2)...) {
		raw, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		cases[fmt.Sprintf("record %d", i)] = string(raw)
	}
	for name, in := range cases {
		got, gerr := news.DecodeRecord([]byte(in))
		want, werr := legacy([]byte(in))
		if fmt.Sprint(gerr) != fmt.Sprint(werr) || (gerr != nil && !news.IsPermanent(gerr)) {
			t.Errorf("%s: error %v, want %v", name, gerr, werr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: record (-want +got):\n%s", name, diff)
		}
	}
}

// BenchmarkDecodeRecord measures decoding the records the stage takes
// from RECORDS, the stage's own CPU work besides the store's.
//
//	go test -run '^$' -bench DecodeRecord -benchmem ./news
func BenchmarkDecodeRecord(b *testing.B) {
	recs := indextest.SyntheticRecords(1000, 1)
	raws := make([][]byte, len(recs))
	var size int64
	for i, r := range recs {
		raw, err := json.Marshal(r)
		if err != nil {
			b.Fatal(err)
		}
		raws[i] = raw
		size += int64(len(raw))
	}
	b.SetBytes(size / int64(len(raws)))
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, err := news.DecodeRecord(raws[i%len(raws)]); err != nil {
			b.Fatal(err)
		}
	}
}
