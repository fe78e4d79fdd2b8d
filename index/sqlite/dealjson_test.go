package sqlite

import (
	"context"
	"encoding/json"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// filled returns a deal record with every field set, recursively: two
// elements in each list, strings that need escaping or are not ASCII. A
// recursive type (Money.Equivalent) is filled as [indextest.FilledDeal]
// fills it.
func filled(tb testing.TB) news.DealRecord {
	tb.Helper()
	return indextest.FilledDeal(tb, func(n int) string {
		return []string{"Acme €", `quote " and \ slash`, "line\nbreak\t<&>", "plain"}[n%4]
	},
		func(n int) time.Time {
			return time.Date(2025, 3, n%28+1, 10, 4, 5, 123456789, time.FixedZone("x", 3600))
		})
}

// TestDecodeDealMatchesEncodingJSON checks that the fast path knows every
// field of a deal record (a field added to news must be added to
// dealjson.go) and gives what encoding/json gives.
func TestDecodeDealMatchesEncodingJSON(t *testing.T) {
	raw, err := json.Marshal(filled(t))
	if err != nil {
		t.Fatal(err)
	}
	var fast news.DealRecord
	d := dealDecoder{s: string(raw)}
	if err := d.dealRecord(&fast); err != nil {
		t.Fatalf("fast path refused a full deal record at byte %d of %s: %v", d.i, raw, err)
	}
	var want news.DealRecord
	if err := json.Unmarshal(raw, &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(fast, want) {
		t.Errorf("fast path decoded\n%+v\nencoding/json\n%+v", fast, want)
	}
}

func TestDecodeDealEdgeCases(t *testing.T) {
	full, err := json.Marshal(filled(t))
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct{ name, in string }{
		{"full", string(full)},
		{"empty", `{}`},
		{"empty lists", `{"investors":[],"capacity":[],"sources":[{"deal":{"investors":[]}}],"anchors":[],"conflicts":[{"values":[]}]}`},
		{"null lists and pointers", `{"amount":null,"valuation":null,"investors":null,"capacity":null,"sources":null,"anchors":null,"conflicts":null}`},
		{"null scalars", `{"id":null,"confidence":null,"v":null,"deleted":null,"announced_at":null,"sources":[{"deal":null,"url":null}]}`},
		{"white space", " {\n\t\"id\" : \"x\" ,\r\n \"investors\" : [ { \"name\" : \"A\" } , { } ] } \n"},
		{"unknown field", `{"id":"x","future":{"a":[1,2]},"round":"seed"}`},
		{"other case", `{"ID":"x","Company":"Acme"}`},
		{"escaped key", `{"i\u0064":"x"}`},
		{"escaped value", `{"id":"a\u00e9\ud83d\ude00\"\\\/\b\f\n\r\t","company":"\ud800"}`},
		{"invalid utf-8", "{\"id\":\"a\xffb\"}"},
		{"duplicate key", `{"id":"x","id":"y","amount":{"value":1},"amount":{"currency":"EUR"}}`},
		{"numbers", `{"confidence":1e-3,"v":-0,"amount":{"value":1.5e3,"usd":-2.5E+2,"max":12}}`},
		{"decimal null", `{"amount":{"value":null}}`},
		{"int as float", `{"v":1.0}`},
		{"string for number", `{"v":"1"}`},
		{"bad number", `{"confidence":01}`},
		{"bad time", `{"announced_at":"yesterday"}`},
		{"trailing garbage", `{"id":"x"} x`},
		{"truncated", `{"id":"x","sources":[{"deal":{"company":"A"`},
		{"not an object", `[1]`},
		{"null", `null`},
		{"control character", "{\"id\":\"a\x01\"}"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) { checkDecodeDeal(t, []byte(tt.in)) })
	}
}

// checkDecodeDeal checks that decodeDeal fails when encoding/json does and
// otherwise gives the same record.
func checkDecodeDeal(t *testing.T, in []byte) {
	t.Helper()
	var got, want news.DealRecord
	gotErr := decodeDeal(string(in), &got)
	wantErr := json.Unmarshal(in, &want)
	if (gotErr == nil) != (wantErr == nil) {
		t.Fatalf("decodeDeal(%q) error %v, encoding/json %v", in, gotErr, wantErr)
	}
	if wantErr == nil && !reflect.DeepEqual(got, want) {
		t.Errorf("decodeDeal(%q)\n%+v\nencoding/json\n%+v", in, got, want)
	}
}

func FuzzDecodeDeal(f *testing.F) {
	full, err := json.Marshal(filled(f))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(full)
	f.Add([]byte(`{"investors":[],"sources":[{"deal":{"amount":{"value":1e3}}}]}`))
	f.Add([]byte(strings.Repeat(`{"conflicts":[{"values":[{"article_ids":["a"]}]}]}`, 1)))
	f.Fuzz(checkDecodeDeal)
}

// TestSearchDealsLargePage reads pages of several decoding stretches
// (see dealPage) and checks that every hit is in order, decoded as stored,
// and that the uncounted search returns the same hits without a total.
func TestSearchDealsLargePage(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	const n = 2*index.MaxSize + 3*decodeStretch/2
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	var deals []news.DealRecord
	for i := range n {
		at := base.Add(time.Duration(i%700) * time.Hour) // ties, for the cursor
		deals = append(deals, news.DealRecord{V: news.SchemaVersion, ID: fmt.Sprintf("deal%04d", i), Company: fmt.Sprintf("Acme %d", i),
			Round: "seed", AnnouncedAt: at, Amount: &news.Money{Value: news.Decimal{Coef: int64(i + 1), Exp: 6}, Currency: "EUR"},
			Sources: []news.DealSource{{ArticleID: fmt.Sprintf("a%d", i), URL: "https://example.com/", PublishedAt: at,
				Deal: news.Deal{Evidence: "Acme raised €1m.", EvidenceSpan: news.Span{Start: 3, End: 19}}}}})
	}
	for i, err := range s.IndexDeals(t.Context(), deals) {
		if err != nil {
			t.Fatalf("indexing deal %d: %v", i, err)
		}
	}
	for _, uncounted := range []bool{false, true} {
		q := index.Query{Sort: index.SortDate, Size: index.MaxSize}
		seen := map[string]bool{}
		var last news.DealRecord
		for page := 0; ; page++ {
			search := s.SearchDeals
			if uncounted {
				search = func(ctx context.Context, q index.Query) (index.DealResult, error) {
					return s.SearchDealsOmitting(ctx, q, false, nil)
				}
			}
			res, err := search(t.Context(), q)
			if err != nil {
				t.Fatal(err)
			}
			if want := map[bool]int{false: n, true: 0}[uncounted]; res.Total != want {
				t.Errorf("uncounted %v, page %d: total %d, want %d", uncounted, page, res.Total, want)
			}
			for _, h := range res.Hits {
				if seen[h.ID] {
					t.Fatalf("uncounted %v: %s twice", uncounted, h.ID)
				}
				seen[h.ID] = true
				if h.Deal.AnnouncedAt.After(last.AnnouncedAt) && last.ID != "" ||
					h.Deal.AnnouncedAt.Equal(last.AnnouncedAt) && h.Deal.ID < last.ID {
					t.Fatalf("uncounted %v: %s after %s", uncounted, h.ID, last.ID)
				}
				if h.ID != h.Deal.ID {
					t.Fatalf("uncounted %v: hit %s holds deal %s", uncounted, h.ID, h.Deal.ID)
				}
				if len(seen)%10 == 0 { // GetDeal decodes with encoding/json
					want, err := s.GetDeal(t.Context(), h.ID)
					if err != nil {
						t.Fatal(err)
					}
					if !reflect.DeepEqual(h.Deal, want) {
						t.Fatalf("uncounted %v: hit %s decoded differently from GetDeal", uncounted, h.ID)
					}
				}
				last = h.Deal
			}
			if res.Next == "" {
				break
			}
			q.After = res.Next
		}
		if len(seen) != n {
			t.Errorf("uncounted %v: %d deals read, want %d", uncounted, len(seen), n)
		}
	}
}

// TestSpecial checks the word-at-a-time test of string bytes against
// [plain], for every byte in every position of a word of plain bytes.
func TestSpecial(t *testing.T) {
	for pos := range 8 {
		for c := range 256 {
			b := []byte("abcdefgh")
			b[pos] = byte(c)
			if got, want := special(load64(string(b), 0)) != 0, !plain[c]; got != want {
				t.Errorf("special(%q) = %v, want %v", b, got, want)
			}
		}
	}
}
