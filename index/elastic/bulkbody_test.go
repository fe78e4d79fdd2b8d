package elastic

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// BenchmarkBulkBody measures turning records into bulk request lines (the
// CPU side of indexing, without Elasticsearch): "encode" encodes each
// record for the payload ([Store.Index]), "json" takes the record's JSON as
// well ([Store.IndexJSON]), "decode+json" decodes that JSON first, as the
// index stage did before [Store.IndexRaw], and "raw" builds the lines from
// the JSON alone ([Store.IndexRaw], the stage's way now): compare "raw"
// with "decode+json".
//
//	go test -run '^$' -bench BulkBody -benchmem ./index/elastic
func BenchmarkBulkBody(b *testing.B) {
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	recs := indextest.SyntheticRecords(1000, 1)
	raws := make([][]byte, len(recs))
	var bytes int64
	for i, r := range recs {
		d := s.recordLines(r, nil, "index")
		if d.err != nil {
			b.Fatal(d.err)
		}
		bytes += int64(len(d.lines))
		if raws[i], err = json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	for _, bc := range []struct {
		name  string
		lines func(i int) bulkDoc
	}{
		{"encode", func(i int) bulkDoc { return s.recordLines(recs[i], nil, "index") }},
		{"json", func(i int) bulkDoc { return s.recordLines(recs[i], raws[i], "index") }},
		{"decode+json", func(i int) bulkDoc {
			r, err := news.DecodeRecord(raws[i])
			if err != nil {
				return bulkDoc{err: err}
			}
			return s.recordLines(r, raws[i], "index")
		}},
		{"raw", func(i int) bulkDoc { return s.rawLines(raws[i], "index") }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.SetBytes(bytes / int64(len(recs)))
			b.ReportAllocs()
			for i := 0; b.Loop(); i++ {
				if d := bc.lines(i % len(recs)); d.err != nil {
					b.Fatal(d.err)
				}
			}
		})
	}
}

// TestDocLines checks the bulk lines put together by hand against the same
// values marshalled whole: an action line, and a source line that is the
// document with its payload as "record".
func TestDocLines(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	recs := append(indextest.Records(), indextest.SyntheticRecords(20, 3)...)
	recs[0].Article.ID = `odd "id" \ with <html> & ünïcode`
	for _, rec := range recs {
		d := s.recordLines(rec, nil, "create")
		if d.err != nil {
			t.Fatalf("%s: %v", rec.Article.ID, d.err)
		}
		lines := strings.Split(string(d.lines), "\n")
		if len(lines) != 3 || lines[2] != "" {
			t.Fatalf("%s: %d lines %q, want an action and a source line, each ending in a newline", rec.Article.ID, len(lines), d.lines)
		}
		var action map[string]map[string]string
		if err := json.Unmarshal([]byte(lines[0]), &action); err != nil || action["create"]["_id"] != rec.Article.ID || len(action) != 1 {
			t.Errorf("action line %s (%v), want create of %q", lines[0], err, rec.Article.ID)
		}
		raw, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		doc := newDocument(index.NewDoc(rec, rates), rec.ExtractorVersion, raw)
		whole, err := json.Marshal(struct {
			document
			Title  string          `json:"title"`
			Text   string          `json:"text"`
			Record json.RawMessage `json:"record"`
		}{doc, doc.Title, doc.Text, raw})
		if err != nil {
			t.Fatal(err)
		}
		var got, want any
		if err := json.Unmarshal([]byte(lines[1]), &got); err != nil {
			t.Fatalf("source line of %s: %v", rec.Article.ID, err)
		}
		if err := json.Unmarshal(whole, &want); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("source of %s (-marshalled whole +by hand):\n%s", rec.Article.ID, diff)
		}
	}
	if d := docLines("gone", "delete", nil); d.err != nil || string(d.lines) != `{"delete":{"_id":"gone"}}`+"\n" {
		t.Errorf("delete lines %q (%v)", d.lines, d.err)
	}
}
