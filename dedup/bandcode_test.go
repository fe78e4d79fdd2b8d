package dedup

import (
	"encoding/json"
	"math/rand/v2"
	"reflect"
	"strings"
	"testing"
)

func TestBandRoundTrip(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	id := func() string {
		const alphabet = "0123456789abcdefé/ "
		n := r.IntN(40)
		var sb strings.Builder
		for range n {
			sb.WriteByte(alphabet[r.IntN(len(alphabet))])
		}
		return sb.String()
	}
	for round := range 200 {
		var b band
		for range r.IntN(6) {
			m := member{ID: id(), FP: r.Uint64(), Seq: r.Uint64N(1 << (r.IntN(63) + 1))}
			m.Canonical = m.ID
			if r.IntN(3) == 0 {
				m.Canonical = id()
			}
			b.Members = append(b.Members, m)
		}
		got, err := parseBand(appendBand(nil, b))
		if err != nil {
			t.Fatalf("round %d: %v", round, err)
		}
		if len(got.Members) != len(b.Members) || (len(b.Members) > 0 && !reflect.DeepEqual(got, b)) {
			t.Fatalf("round %d: decoded %+v, want %+v", round, got, b)
		}
	}
}

// Members of 32-character ids (what news.ArticleID gives) take under 40%
// of their JSON size.
func TestBandCompact(t *testing.T) {
	var b band
	for i := range 100 {
		id := strings.Repeat("0123456789abcdef", 2)[:31] + string(rune('a'+i%26))
		b.Members = append(b.Members, member{ID: id, FP: uint64(i) * 0x9E3779B97F4A7C15, Canonical: id, Seq: uint64(100000 + i)})
	}
	js, err := json.Marshal(b)
	if err != nil {
		t.Fatal(err)
	}
	bin := appendBand(nil, b)
	if 10*len(bin) > 4*len(js) {
		t.Errorf("binary band %d bytes, JSON %d: want under 40%%", len(bin), len(js))
	}
}

// Values written as JSON by earlier versions still read.
func TestBandReadsJSON(t *testing.T) {
	old := `{"members":[{"id":"a1","fp":18446744073709551615,"canonical":"a1","seq":7},{"id":"b2","fp":5,"canonical":"a1","seq":9}]}`
	got, err := parseBand([]byte(old))
	if err != nil {
		t.Fatal(err)
	}
	want := band{Members: []member{{ID: "a1", FP: ^uint64(0), Canonical: "a1", Seq: 7}, {ID: "b2", FP: 5, Canonical: "a1", Seq: 9}}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("got %+v, want %+v", got, want)
	}
}

func TestBandRejectsDamage(t *testing.T) {
	valid := appendBand(nil, band{Members: []member{{ID: "article-1", FP: 42, Canonical: "article-0", Seq: 300}}})
	for _, tc := range []struct {
		name string
		v    []byte
	}{
		{"empty", nil},
		{"unknown format", append([]byte{0x7f}, valid[1:]...)},
		{"cut in the id", valid[:4]},
		{"cut in the fingerprint", valid[:1+1+9+3]},
		{"cut before the sequence", valid[:1+1+9+8]},
		{"cut in the canonical id", valid[:len(valid)-2]},
		{"id longer than the value", []byte{bandFormat, 0xff, 0x01, 'a'}},
		{"broken JSON", []byte(`{"members":[`)},
	} {
		if b, err := parseBand(tc.v); err == nil {
			t.Errorf("%s: decoded %+v, want an error", tc.name, b)
		}
	}
}

func FuzzParseBand(f *testing.F) {
	f.Add(appendBand(nil, band{Members: []member{{ID: "x", FP: 1, Canonical: "x", Seq: 1}, {ID: "y", FP: 2, Canonical: "x", Seq: 2}}}))
	f.Add([]byte(`{"members":[{"id":"a","fp":1,"canonical":"a","seq":1}]}`))
	f.Fuzz(func(t *testing.T, v []byte) {
		b, err := parseBand(v)
		if err != nil || len(v) == 0 || v[0] != bandFormat {
			return
		}
		again, err := parseBand(appendBand(nil, b))
		if err != nil || len(again.Members) != len(b.Members) || (len(b.Members) > 0 && !reflect.DeepEqual(again, b)) {
			t.Fatalf("%x decodes to %+v, which does not survive re-encoding: %+v, %v", v, b, again, err)
		}
	})
}

// An index whose band keys an earlier version wrote as JSON finds the
// articles in them, and the next registration in such a band writes it
// in the binary form with the old members kept.
func TestIndexReadsJSONBands(t *testing.T) {
	x := replicas(t, 1)[0]
	ctx := t.Context()
	const fp = uint64(0x0123456789abcdef)
	old := band{Members: []member{{ID: "old", FP: fp, Canonical: "old", Seq: 1}}}
	v, err := json.Marshal(old)
	if err != nil {
		t.Fatal(err)
	}
	for _, key := range x.bandKeys(fp) {
		if _, err := x.kv.Put(ctx, key, v); err != nil {
			t.Fatal(err)
		}
	}
	// One bit away from the old article: found through its JSON bands.
	got, err := x.Canonical(ctx, "new", fp^1)
	if err != nil {
		t.Fatal(err)
	}
	if got != "old" {
		t.Fatalf("Canonical(new) = %q, want old", got)
	}
	// A far article shares band 0 only (the low 11 bits); "new", one bit
	// off in band 0, was registered in bands 1 to 5. Every band a
	// registration touched is now in the binary form, old member first.
	far := fp ^ 0xffff_ffff_ffff_f800
	if got, err := x.Canonical(ctx, "far", far); err != nil || got != "far" {
		t.Fatalf("Canonical(far) = %q, %v; want far", got, err)
	}
	for i, want := range map[int]string{0: "old,far", 1: "old,new", 5: "old,new"} {
		e, err := x.kv.Get(ctx, x.bandKey(i, fp))
		if err != nil {
			t.Fatal(err)
		}
		if e.Value()[0] != bandFormat {
			t.Errorf("band %d still starts with %q after a registration", i, e.Value()[0])
		}
		b, err := parseBand(e.Value())
		if err != nil {
			t.Fatal(err)
		}
		var ids []string
		for _, m := range b.Members {
			ids = append(ids, m.ID)
		}
		if got := strings.Join(ids, ","); got != want {
			t.Errorf("band %d holds %s, want %s", i, got, want)
		}
	}
}
