package elastic

import (
	"encoding/json"
	"math"
	"slices"
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
// with "decode+json". "raw+batch" is "raw" as the stage runs it, batches
// of 200 into a buffer from the store's pool: what a record costs besides
// its lines' bytes.
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
		d := s.recordLines(nil, r, nil, "index")
		if d.err != nil {
			b.Fatal(d.err)
		}
		bytes += int64(len(d.lines))
		if raws[i], err = json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	var lb *lineBuf
	for _, bc := range []struct {
		name  string
		lines func(i int) bulkDoc
	}{
		{"encode", func(i int) bulkDoc { return s.recordLines(nil, recs[i], nil, "index") }},
		{"json", func(i int) bulkDoc { return s.recordLines(nil, recs[i], raws[i], "index") }},
		{"decode+json", func(i int) bulkDoc {
			r, err := news.DecodeRecord(raws[i])
			if err != nil {
				return bulkDoc{err: err}
			}
			return s.recordLines(nil, r, raws[i], "index")
		}},
		{"raw", func(i int) bulkDoc { return s.rawLines(nil, raws[i], "index") }},
		// As the index stage builds them: a batch of 200 into a buffer
		// of the store's (used again by later batches).
		{"raw+batch", func(i int) bulkDoc {
			if i%200 == 0 {
				lb.release()
				lb = s.lineBuf(linesSize(raws[i:min(i+200, len(raws))]))
			}
			return s.rawLines(lb, raws[i], "index")
		}},
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
		d := s.recordLines(nil, rec, nil, "create")
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
	if d := (*lineBuf)(nil).docLines("gone", "delete", nil); d.err != nil || string(d.lines) != `{"delete":{"_id":"gone"}}`+"\n" {
		t.Errorf("delete lines %q (%v)", d.lines, d.err)
	}
}

// TestAppendFields: the fields written by hand are the bytes encoding/json
// writes, for odd strings and numbers too; a number without a JSON form is
// refused.
func TestAppendFields(t *testing.T) {
	ms := int64(1712000000123)
	odd := []string{"", "plain", `quote " and \ back`, "<b>&amp;</b>", "tab\tnew\nline\x01", "ünïcode 日本 🚀", "\u2028\u2029", "bad \xff utf-8"}
	floats := []float64{0, 1, -2.5, 1e-7, 1.5e-6, 123456789.125, 1e20, 1e21, 4.7e300, -1e-300, 0.1 + 0.2}
	var docs []document
	for i, s := range odd {
		f := floats[i%len(floats)]
		docs = append(docs, document{
			ID: s + "id", Source: []string{s, "x"}, URL: s, Lang: s, Date: int64(i) - 3, ExtractorVersion: s,
			AmountUSDMax: f,
			Deals: []dealDoc{{
				Company: s, CompanyKey: s, Round: s, Currency: s, Amount: f, AmountUSD: -f, Valuation: f * 3,
				ValuationCurrency: s, ValuationUSD: f / 7, ValuationBasis: s, CapacityWatts: floats,
				Investors:  []investorDoc{{Name: s, Canonical: s, Keys: []string{s, s}, Lead: i%2 == 0, Amount: f, Currency: s, AmountUSD: f}, {}},
				Confidence: f,
			}, {}},
		})
		if i%2 == 0 {
			docs[i].PublishedAt, docs[i].FetchedAt = &ms, &ms
		}
	}
	docs = append(docs, document{ID: "only an id"})
	for _, f := range floats {
		docs = append(docs, document{ID: "f", AmountUSDMax: f, Deals: []dealDoc{{Amount: f}}})
	}
	for _, doc := range docs {
		want, err := json.Marshal(doc)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := appendFields([]byte("{"), &doc)
		if !ok || string(append(got, '}')) != string(want) {
			t.Errorf("appendFields (ok %t):\n%s}\nwant\n%s", ok, got, want)
		}
	}
	for _, f := range []float64{math.Inf(1), math.Inf(-1), math.NaN()} {
		for _, doc := range []document{{ID: "x", AmountUSDMax: f}, {ID: "x", Deals: []dealDoc{{CapacityWatts: []float64{1, f}}}}, {ID: "x", Deals: []dealDoc{{Investors: []investorDoc{{AmountUSD: f}}}}}} {
			if _, ok := appendFields(nil, &doc); ok {
				t.Errorf("appendFields took %v", f)
			}
			d := (*lineBuf)(nil).docLines("x", "index", &doc)
			if d.err == nil || !news.IsPermanent(d.err) || !strings.Contains(d.err.Error(), "encoding document x: json: unsupported value") {
				t.Errorf("docLines with %v: %v, want encoding/json's error", f, d.err)
			}
		}
	}
}

// TestBody: the documents of a chunk are sent as the slice of the batch's
// buffer they lie in, or, when the buffer grew between them, as a copy;
// either way the body is their lines one after the other.
func TestBody(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	recs := indextest.SyntheticRecords(12, 7)
	raws := make([][]byte, len(recs))
	for i, r := range recs {
		if raws[i], err = json.Marshal(r); err != nil {
			t.Fatal(err)
		}
	}
	raws[3] = []byte(`{"article":{"title":"no id"}}`)
	for _, c := range []struct {
		name    string
		size    int
		aliased bool // every document fits: the body of documents in order is a slice of the buffer
	}{{"room for all", linesSize(raws), true}, {"grown", 100, false}} {
		lb := newLineBuf(c.size)
		docs := make([]bulkDoc, len(raws))
		for i, raw := range raws {
			docs[i] = s.rawLines(lb, raw, "index")
		}
		if docs[3].err == nil {
			t.Fatal("a record without id got lines")
		}
		for _, pos := range [][]int{{0}, {0, 1, 2}, {2, 4, 5}, {4, 5, 6, 7, 8, 9, 10, 11}, {0, 2, 1}} {
			var want []byte
			for _, p := range pos {
				want = append(want, docs[p].lines...)
			}
			got := body(docs, pos)
			if string(got) != string(want) {
				t.Errorf("%s: body of %v is not the documents' lines one after the other", c.name, pos)
			}
			if !c.aliased {
				continue // whether the buffer grew between two documents depends on append's growth
			}
			want1 := len(pos) == 1 || slices.IsSorted(pos)
			if aliased := &got[0] == &docs[pos[0]].lines[0]; aliased != want1 {
				t.Errorf("%s: body of %v a slice of the buffer: %t, want %t", c.name, pos, aliased, want1)
			}
		}
	}
}
