package sqlite

import (
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// everyMember is every member name parseOmit takes, by level.
var everyMember = map[string][]string{
	"": {"key", "company_key", "amount", "valuation", "investors", "capacity", "acquirer", "anchors", "sources", "conflicts", "updated_at"},
	"sources.": {"article_id", "deal_index", "url", "source", "title", "published_at", "authority", "extractor_version",
		"extracted_at", "deal", "outlet"},
	"sources.deal.": {"company", "round", "amount", "valuation", "valuation_alt", "investors", "capacity", "acquirer",
		"evidence", "evidence_span", "confidence"},
}

// TestDecodeDealOmitting checks that omitting members leaves exactly those
// at zero and decodes the rest as encoding/json does, for each member
// alone and for all of them at once, on a record with every field set.
func TestDecodeDealOmitting(t *testing.T) {
	full := filled(t)
	raw, err := json.Marshal(full)
	if err != nil {
		t.Fatal(err)
	}
	var sets [][]string
	var all []string
	for prefix, names := range everyMember {
		for _, n := range names {
			sets = append(sets, []string{prefix + n})
			all = append(all, prefix+n)
		}
	}
	sets = append(sets, all, nil)
	for _, names := range sets {
		omit, err := parseOmit(names)
		if err != nil {
			t.Fatalf("parseOmit(%q): %v", names, err)
		}
		var got news.DealRecord
		d := dealDecoder{s: string(raw), omit: omit}
		if err := d.dealRecord(&got); err != nil || d.i != len(raw) {
			t.Fatalf("omitting %q: fast path stopped at byte %d of %d: %v", names, d.i, len(raw), err)
		}
		if want := indextest.WithoutMembers(t, full, names); !reflect.DeepEqual(got, want) {
			t.Errorf("omitting %q: decoded\n%+v\nwant\n%+v", names, got, want)
		}
	}
}

func TestParseOmit(t *testing.T) {
	for _, name := range []string{"", "sources.", "sources.deal.", "title", "sources.company", "sources.deal.url",
		"sources.deal.deal", "deal.company", "Sources.title", "sources.deal.investors.name"} {
		if _, err := parseOmit([]string{"anchors", name}); err == nil || !strings.Contains(err.Error(), "no such member") {
			t.Errorf("parseOmit(%q): %v, want an error naming it", name, err)
		}
	}
	o, err := parseOmit([]string{"anchors", "sources.title", "sources.deal.investors", "sources.deal.investors"})
	if err != nil || o != (omitSet{record: recordBit("anchors"), source: sourceBit("title"), deal: dealBit("investors")}) {
		t.Errorf("parseOmit: %+v, %v", o, err)
	}
	// Every bit is one member's: no two names share one.
	for level, bit := range map[string]func(string) uint32{"": recordBit, "sources.": sourceBit, "sources.deal.": dealBit} {
		seen := map[uint32]string{}
		for _, n := range everyMember[level] {
			b := bit(n)
			if b == 0 || b&(b-1) != 0 || seen[b] != "" {
				t.Errorf("%s%s: bit %#x (also %q)", level, n, b, seen[b])
			}
			seen[b] = n
		}
	}
}

// TestSkip passes over values of every kind and refuses what is not one
// whole value, which sends a record to encoding/json.
func TestSkip(t *testing.T) {
	tests := []struct {
		in   string
		ok   bool
		rest string // what follows the value
	}{
		{`"a\"b\\",1`, true, `,1`},
		{`123.5e-3}`, true, `}`},
		{`true]`, true, `]`},
		{`null,`, true, `,`},
		{` {"a":[1,{"b":"}]"}],"c\"}":{}} ,"x"`, true, ` ,"x"`},
		{`[[[]],[{}]]]`, true, `]`},
		{`[` + strings.Repeat(`{"a":[`, 31) + strings.Repeat(`]}`, 31) + `]`, true, ``},
		{strings.Repeat(`[`, 65) + strings.Repeat(`]`, 65), false, ``},
		{`{"a":1]`, false, ``},
		{`[1}`, false, ``},
		{`{"a":"b}`, false, ``},
		{`{"a":1`, false, ``},
		{`"open`, false, ``},
		{`}`, false, ``},
		{`,1`, false, ``},
		{``, false, ``},
	}
	for _, tt := range tests {
		d := dealDecoder{s: tt.in}
		err := d.skip()
		if (err == nil) != tt.ok || err == nil && tt.in[d.i:] != tt.rest {
			t.Errorf("skip(%q): %v, rest %q; want ok %v, rest %q", tt.in, err, tt.in[min(d.i, len(tt.in)):], tt.ok, tt.rest)
		}
	}
}

// TestDecodeDealOmittingSlowPath: a record the fast path refuses, in a
// member it would pass over, is decoded whole by encoding/json.
func TestDecodeDealOmittingSlowPath(t *testing.T) {
	omit, err := parseOmit([]string{"anchors", "sources.title"})
	if err != nil {
		t.Fatal(err)
	}
	in := `{"id":"x","anchors":[{"field":"amount"}],"sources":[{"title":"T","url":"u"}],"future":1}`
	var got, want news.DealRecord
	if err := decodeDealOmitting(in, &got, omit); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal([]byte(in), &want); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("decoded %+v, want encoding/json's %+v", got, want)
	}
}

// TestSearchDealsOmitting reads a page through the index: the hits are
// those of SearchDeals, in order, with the omitted members zero; an
// unknown name is refused.
func TestSearchDealsOmitting(t *testing.T) {
	s, err := Open(t.Context(), Config{Path: filepath.Join(t.TempDir(), "index.db")}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	base := filled(t)
	var deals []news.DealRecord
	for i := range 3 * decodeStretch / 2 { // two decoding stretches
		dr := base
		dr.ID, dr.Deleted = "deal"+strings.Repeat("x", i%3)+string(rune('a'+i%26))+time.Duration(i).String(), false
		dr.AnnouncedAt = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i%40) * time.Hour)
		deals = append(deals, dr)
	}
	for i, err := range s.IndexDeals(t.Context(), deals) {
		if err != nil {
			t.Fatalf("deal %d: %v", i, err)
		}
	}
	q := index.Query{Sort: index.SortDate, Size: index.MaxSize}
	all, err := s.SearchDeals(t.Context(), q)
	if err != nil {
		t.Fatal(err)
	}
	names := []string{"anchors", "sources.title", "sources.deal.investors"}
	lean, err := s.SearchDealsOmitting(t.Context(), q, false, names)
	if err != nil {
		t.Fatal(err)
	}
	if len(lean.Hits) != len(deals) || len(all.Hits) != len(deals) || lean.Total != 0 || all.Total != len(deals) {
		t.Fatalf("%d hits (total %d) omitting, %d (total %d) whole; want %d, uncounted", len(lean.Hits), lean.Total, len(all.Hits), all.Total, len(deals))
	}
	for i := range lean.Hits {
		if got, want := lean.Hits[i], all.Hits[i]; got.ID != want.ID || !reflect.DeepEqual(got.Deal, indextest.WithoutMembers(t, want.Deal, names)) {
			t.Fatalf("hit %d: %s %+v, want %s with %q zero", i, got.ID, got.Deal, want.ID, names)
		}
	}
	if _, err := s.SearchDealsOmitting(t.Context(), q, true, []string{"sources.nope"}); err == nil || !strings.Contains(err.Error(), `"sources.nope"`) {
		t.Errorf("omitting sources.nope: %v, want an error naming it", err)
	}
}
