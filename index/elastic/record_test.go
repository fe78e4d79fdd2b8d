package elastic

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// rawCases are records as JSON the way they may come from the stream:
// the fixture and synthetic records, records with unusual titles and
// texts, each as encoding/json writes it (HTML characters escaped), as
// encoding/json/v2 writes it (not escaped) and indented on many lines (not
// storable as it is); and hand-written JSON a record encoder would not
// write.
func rawCases(t testing.TB) map[string][]byte {
	t.Helper()
	recs := append(indextest.Records(), indextest.SyntheticRecords(30, 5)...)
	odd := indextest.Records()[0]
	odd.Article.ID = `odd "id" \ with <html> & ünïcode`
	odd.Article.Title = "Ünïcode — 日本語 🚀 raises €5m <b>&amp;</b> \"quoted\" \\ back"
	odd.Article.Text = "Tab\there, newline\nthere, \u2028 and \u2029, control \x01\x1f, emoji 🚀👩‍👩‍👧, </script>, 'single' and \"double\"."
	odd.Article.Authors, odd.Article.Tags, odd.Article.Outlet = []string{"A. Writer"}, []string{"ai", "funding"}, "Outlet"
	empty := indextest.Records()[4]
	empty.Article.ID, empty.Article.Title, empty.Article.Text = "empty", "", ""
	doubtful := indextest.Records()[2]
	doubtful.Article.ID = "doubtful"
	doubtful.Extraction.Doubtful, doubtful.Extraction.Deals = doubtful.Extraction.Deals[1:], doubtful.Extraction.Deals[:1]
	// A correction of r1: the same id with another amount, title and text.
	corrected := indextest.Records()[0]
	corrected.Article.Title, corrected.Article.Text = "Nvidia leads $2.5B Series C in Acme AI", "Correction: Acme AI raised $2.5 billion."
	amount := *corrected.Extraction.Deals[0].Amount
	amount.Value, amount.Text = news.Decimal{Coef: 25, Exp: 8}, "$2.5 billion"
	corrected.Extraction.Deals[0].Amount = &amount
	noInvestors := indextest.Records()[1]
	noInvestors.Article.ID = "no-investors"
	noInvestors.Extraction.Deals[0].Investors = nil
	recs = append(recs, odd, empty, doubtful, noInvestors, corrected)

	cases := map[string][]byte{}
	for i, r := range recs {
		v1, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		v2, err := jsonv2.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		indented, err := json.MarshalIndent(r, "", "  ")
		if err != nil {
			t.Fatal(err)
		}
		name := fmt.Sprintf("%d %s", i, r.Article.ID)
		if i == len(recs)-1 {
			name = "correction " + name
		}
		cases[name+"/encoding-json"], cases[name+"/json-v2"], cases[name+"/indented"] = v1, v2, indented
	}
	for name, raw := range map[string]string{
		"no title or text":  `{"v":1,"article":{"id":"h1","source":"s","fetched_at":"2024-04-01T09:00:00Z"},"extraction":{"deals":null}}`,
		"null title":        `{"v":1,"article":{"id":"h2","title":null,"text":"t"}}`,
		"escapes":           `{"article":{"id":"h3","title":"caf\u00e9 \/ \"x\" \\ \b\f\n\r\t","text":"\u003cp\u003e \u0026 \u2028"}}`,
		"surrogate pair":    `{"article":{"id":"h4","title":"rocket \ud83d\ude80","text":"ok"}}`,
		"lone surrogate":    `{"article":{"id":"h5","title":"ok","text":"lone \ud800 and \uDC00 here"}}`,
		"invalid UTF-8":     "{\"article\":{\"id\":\"h6\",\"title\":\"bad \xff byte\",\"text\":\"x\"}}",
		"later fields":      `{"v":1,"future":{"nested":[1,{"a":"b"}]},"article":{"id":"h7","title":"t","text":"x","later":true},"extraction":{"deals":[],"more":1}}`,
		"name case":         `{"Article":{"ID":"h8","Title":"upper","TEXT":"case"}}`,
		"duplicate title":   `{"article":{"id":"h9","title":"first","text":"x","title":"second"}}`,
		"two articles":      `{"article":{"id":"h10","title":"kept"},"article":{"text":"merged"}}`,
		"whitespace":        ` { "article" : { "id" : "h11" , "title" : "spaced" , "text" : "out" } } `,
		"deal and doubtful": `{"article":{"id":"h12","title":"t","text":"x"},"extraction":{"deals":[{"company":"C","round":"Series A","amount":{"value":5000000,"currency":"EUR"},"investors":[{"name":"I","lead":true,"amount":{"value":1e6,"currency":"GBP"}}]}],"doubtful":[{"company":"D","confidence":0.2}]}}`,
	} {
		cases[name] = []byte(raw)
	}
	return cases
}

// TestRawLines builds the bulk lines of every raw case both ways: from the
// JSON as it came ([Store.rawLines], the index stage's way now) and by
// decoding the whole record first and giving the store its JSON when it
// can be stored as it is (the stage's way before). The action lines are
// the same bytes, the documents the same JSON values.
func TestRawLines(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	// One buffer for every case, in the map's random order, as a batch
	// builds its documents in its buffer's docScratch one after the other:
	// the lines are the same bytes as a document built on its own.
	lb := newLineBuf(0)
	for name, raw := range rawCases(t) {
		if own, shared := s.rawLines(nil, raw, "index"), s.rawLines(lb, raw, "index"); string(shared.lines) != string(own.lines) {
			t.Errorf("%s: lines built after other documents' in a batch's buffer\n%s\nwant\n%s", name, shared.lines, own.lines)
		}
		rec, err := news.DecodeRecord(raw)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		payload := raw
		if !news.StorableJSON(raw) {
			payload = nil
		}
		want := s.recordLines(nil, rec, payload, "index")
		got := s.rawLines(nil, raw, "index")
		if got.err != nil || want.err != nil {
			t.Errorf("%s: error %v, want %v", name, got.err, want.err)
			continue
		}
		if got.id != want.id {
			t.Errorf("%s: id %q, want %q", name, got.id, want.id)
		}
		gl, wl := strings.SplitN(string(got.lines), "\n", 3), strings.SplitN(string(want.lines), "\n", 3)
		if len(gl) != 3 || gl[2] != "" || gl[0] != wl[0] {
			t.Errorf("%s: lines %q, want an action line %q and a source line", name, got.lines, wl[0])
			continue
		}
		var g, w any
		if err := json.Unmarshal([]byte(gl[1]), &g); err != nil {
			t.Fatalf("%s: source line %s: %v", name, gl[1], err)
		}
		if err := json.Unmarshal([]byte(wl[1]), &w); err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Errorf("%s: document (-decoded whole +from the JSON):\n%s", name, diff)
		}
	}
}

// TestRawLinesErrors: JSON that is no record is a permanent error, the
// same one the index stage gave when it decoded records itself.
func TestRawLinesErrors(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	for name, raw := range map[string]string{
		"empty":             ``,
		"not json":          `not json`,
		"truncated":         `{"v":1,"article":{"id":"x","title":"cut`,
		"array":             `[1,2]`,
		"trailing garbage":  `{"article":{"id":"x"}} {}`,
		"no id":             `{"v":1,"article":{"title":"t","text":"x"}}`,
		"empty object":      `{}`,
		"title a number":    `{"article":{"id":"x","title":5,"text":"x"}}`,
		"text an object":    `{"article":{"id":"x","title":"t","text":{"a":1}}}`,
		"date not a date":   `{"article":{"id":"x","title":"t","text":"x","published_at":"yesterday"}}`,
		"extracted_at type": `{"article":{"id":"x","title":"t","text":"x"},"extracted_at":5}`,
		"deals not a list":  `{"article":{"id":"x","title":"t","text":"x"},"extraction":{"deals":{}}}`,
		"bad amount":        `{"article":{"id":"x","title":"t","text":"x"},"extraction":{"deals":[{"amount":{"value":"lots"}}]}}`,
		"bad later figure":  `{"article":{"id":"x","title":"t","text":"x"},"extraction":{"prior_amounts":[{"value":true}]}}`,
		"indented bad":      "{\n \"article\": {\"id\": 7}\n}",
	} {
		_, want := news.DecodeRecord([]byte(raw))
		got := s.rawLines(nil, []byte(raw), "index")
		if want == nil {
			t.Fatalf("%s: the whole decoder took %s", name, raw)
		}
		if got.err == nil || !news.IsPermanent(got.err) || got.err.Error() != want.Error() {
			t.Errorf("%s: %v (permanent %t), want the permanent %v", name, got.err, news.IsPermanent(got.err), want)
		}
	}
}

// TestDocString checks which titles and texts go into the document as they
// came.
func TestDocString(t *testing.T) {
	for _, c := range []struct {
		in, want string
		ok       bool
	}{
		{``, `""`, true},
		{`null`, `""`, true},
		{`"plain"`, `"plain"`, true},
		{`"\u003c \u00e9 \u2028 \uabcd \uD7FF"`, `"\u003c \u00e9 \u2028 \uabcd \uD7FF"`, true},
		{`"\\ud800 is no escape"`, `"\\ud800 is no escape"`, true},
		{`"\ud83d\ude80"`, ``, false},
		{`"lone \uDC00"`, ``, false},
		{`5`, ``, false},
		{`{"a":1}`, ``, false},
		{`["x"]`, ``, false},
	} {
		got, ok := docString(jsontext.Value(c.in))
		if ok != c.ok || string(got) != c.want {
			t.Errorf("docString(%s) = %s, %t; want %s, %t", c.in, got, ok, c.want, c.ok)
		}
	}
}

// rawStore is a [Store] whose Index goes through [Store.IndexRaw], the
// way the index stage writes, for the conformance suite.
type rawStore struct {
	*Store
}

func (s rawStore) Index(ctx context.Context, recs []news.Record) []error {
	raw := make([][]byte, len(recs))
	for i, r := range recs {
		b, err := json.Marshal(r)
		if err != nil {
			panic(err) // impossible: records always encode
		}
		raw[i] = b
	}
	return s.IndexRaw(ctx, raw)
}

// TestConformanceRaw runs the conformance suite on documents written from
// the records' JSON.
func TestConformanceRaw(t *testing.T) {
	indextest.Run(t, func(t *testing.T) index.Store { return rawStore{openTest(t, Config{})} })
}

// TestIndexRaw writes the raw cases through a real node: each is stored,
// or refused alone as a permanent error, and reads back as the record it
// decodes to. The correction of a record, written after it, replaces it.
func TestIndexRaw(t *testing.T) {
	s := openTest(t, Config{})
	cases := rawCases(t)
	names := slices.Sorted(maps.Keys(cases))
	first, corrections := slices.DeleteFunc(slices.Clone(names), isCorrection), slices.DeleteFunc(slices.Clone(names), func(n string) bool { return !isCorrection(n) })
	for _, names := range [][]string{first, corrections} {
		raws := make([][]byte, 0, len(names)+1)
		for _, name := range names {
			raws = append(raws, cases[name])
		}
		raws = append(raws, []byte(`{"article":{"title":"no id"}}`))
		errs := s.IndexRaw(t.Context(), raws)
		if len(errs) != len(raws) {
			t.Fatalf("%d results for %d records", len(errs), len(raws))
		}
		if err := errs[len(raws)-1]; !news.IsPermanent(err) || !strings.Contains(err.Error(), "no article id") {
			t.Errorf("record without id: %v, want a permanent error", err)
		}
		for i, name := range names {
			switch {
			case refusedByNode[name] && (!news.IsPermanent(errs[i]) || !strings.Contains(errs[i].Error(), "Duplicate field")):
				t.Errorf("%s: %v, want a permanent error for a duplicate field", name, errs[i])
			case !refusedByNode[name] && errs[i] != nil:
				t.Errorf("%s: %v", name, errs[i])
			}
		}
	}
	if len(corrections) == 0 {
		t.Fatal("no correction among the raw cases")
	}
	overwritten := map[string]bool{}
	for _, name := range corrections {
		rec, err := news.DecodeRecord(cases[name])
		if err != nil {
			t.Fatal(err)
		}
		overwritten[rec.Article.ID] = true
	}
	for _, name := range names {
		want, err := news.DecodeRecord(cases[name])
		if err != nil {
			t.Fatal(err)
		}
		if refusedByNode[name] || overwritten[want.Article.ID] && !isCorrection(name) {
			continue
		}
		got, err := s.Get(t.Context(), want.Article.ID)
		if err != nil {
			t.Errorf("%s: Get: %v", name, err)
			continue
		}
		// The same record in other encodings may have been written last,
		// one that writes empty lists where this one has none.
		if diff := cmp.Diff(want, got, cmpopts.EquateEmpty()); diff != "" {
			t.Errorf("%s: Get (-want +got):\n%s", name, diff)
		}
	}
}

// refusedByNode are the raw cases Elasticsearch refuses: it parses the
// payload too, and refuses a field named twice in an object, whichever
// way the document is built.
var refusedByNode = map[string]bool{"duplicate title": true, "two articles": true}

func isCorrection(name string) bool { return strings.HasPrefix(name, "correction ") }

// FuzzRawLines checks that any input gives the same outcome both ways (see
// TestRawLines): the same error, or an equal document.
//
//	go test -run '^$' -fuzz FuzzRawLines -fuzztime 2m ./index/elastic
func FuzzRawLines(f *testing.F) {
	rates, err := fx.Default()
	if err != nil {
		f.Fatal(err)
	}
	s := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	for _, raw := range rawCases(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		got := s.rawLines(nil, raw, "index")
		rec, err := news.DecodeRecord(raw)
		if err != nil {
			if got.err == nil || got.err.Error() != err.Error() || !news.IsPermanent(got.err) {
				t.Fatalf("%q: %v, want the permanent %v", raw, got.err, err)
			}
			return
		}
		payload := raw
		if !news.StorableJSON(raw) {
			payload = nil
		}
		want := s.recordLines(nil, rec, payload, "index")
		if (got.err == nil) != (want.err == nil) {
			t.Fatalf("%q: error %v, want %v", raw, got.err, want.err)
		}
		if got.err != nil {
			return
		}
		gl, wl := strings.SplitN(string(got.lines), "\n", 3), strings.SplitN(string(want.lines), "\n", 3)
		if len(gl) != 3 || gl[0] != wl[0] {
			t.Fatalf("%q: lines %q, want %q", raw, got.lines, want.lines)
		}
		var g, w any
		if err := json.Unmarshal([]byte(gl[1]), &g); err != nil {
			t.Fatalf("%q: source line %s: %v", raw, gl[1], err)
		}
		if err := json.Unmarshal([]byte(wl[1]), &w); err != nil {
			t.Fatalf("%q: source line before %s: %v", raw, wl[1], err)
		}
		if diff := cmp.Diff(w, g); diff != "" {
			t.Fatalf("%q: document (-decoded whole +from the JSON):\n%s", raw, diff)
		}
	})
}

// appendStringCases are strings appendString must write as json.Marshal
// does: plain ASCII, HTML characters, control characters, DEL, accents,
// the line and paragraph separators, invalid UTF-8.
var appendStringCases = []string{
	"", "Brightfield Labs", "series a", "https://example.com/news?id=7&lang=en",
	"Kettle & Finch Capital", "<b>Nordlicht</b>", `say "yes" \ no`, "tab\there\nnew\rline\b\f",
	"\x00\x01\x1f\x7f", "Société Générale Ventures", "€3m for Zürich’s Quellwerk", "a\u2028b\u2029c",
	"bad \xff byte", "cut \xe2\x82", "\xed\xa0\x80 surrogate", "日本のファンド", "🚀 rocket",
}

func TestAppendString(t *testing.T) {
	for _, s := range appendStringCases {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString([]byte("x"), s); string(got) != "x"+string(want) {
			t.Errorf("appendString(%q) = %s, want x%s", s, got, want)
		}
	}
}

// FuzzAppendString checks appendString against json.Marshal on any string.
//
//	go test -run '^$' -fuzz FuzzAppendString -fuzztime 1m ./index/elastic
func FuzzAppendString(f *testing.F) {
	for _, s := range appendStringCases {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendString(nil, s); string(got) != string(want) {
			t.Fatalf("appendString(%q) = %s, want %s", s, got, want)
		}
	})
}

// BenchmarkAppendString writes appendStringCases' names and URLs that are
// not plain ASCII (accents, an ampersand, a query): what went through
// json.Marshal before.
func BenchmarkAppendString(b *testing.B) {
	ss := []string{"Société Générale Ventures", "Kettle & Finch Capital", "https://example.com/news?id=7&lang=en", "€3m for Zürich’s Quellwerk"}
	var dst []byte
	b.ReportAllocs()
	for b.Loop() {
		for _, s := range ss {
			dst = appendString(dst[:0], s)
		}
	}
}
