package elastic

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
	"unsafe"

	jsonv2 "github.com/go-json-experiment/json"
	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/news"
)

// checkScan fails t when scanRecord takes raw and gives anything but what
// the general decoder gives. It reports whether scanRecord took raw, and
// passes over JSON that is not valid UTF-8, which scanRecord never gets.
func checkScan(t *testing.T, name string, raw []byte) bool {
	t.Helper()
	if !utf8.Valid(raw) {
		return false
	}
	got, title, text, ok := scanRecord(raw)
	if !ok {
		return false
	}
	want, err := news.DecodeRecord(raw)
	if err != nil {
		t.Fatalf("%s: scanRecord took %q, which the general decoder refuses: %v", name, raw, err)
	}
	for _, f := range []struct {
		field string
		js    []byte
		dst   *string
	}{{"title", title, &got.Article.Title}, {"text", text, &got.Article.Text}} {
		if err := json.Unmarshal(f.js, f.dst); err != nil {
			t.Fatalf("%s: the %s %s is no JSON string: %v", name, f.field, f.js, err)
		}
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Fatalf("%s: %q: record (-general decoder +scanRecord):\n%s", name, raw, diff)
	}
	return true
}

// TestScanRecord: every record as an encoder writes it is taken, and
// decodes as the general decoder decodes it; what it does not take is
// left to the general decoder.
func TestScanRecord(t *testing.T) {
	for name, raw := range rawCases(t) {
		took := checkScan(t, name, raw)
		encoded := strings.HasSuffix(name, "/encoding-json") || strings.HasSuffix(name, "/json-v2") || strings.HasSuffix(name, "/indented")
		if encoded && !took {
			t.Errorf("%s: not taken: %s", name, raw)
		}
	}
	full := filled(reflect.TypeFor[news.Record](), 0, 0).Interface().(news.Record)
	for _, enc := range []struct {
		name    string
		marshal func(any) ([]byte, error)
	}{{"encoding/json", json.Marshal}, {"json v2", func(v any) ([]byte, error) { return jsonv2.Marshal(v) }}} {
		raw, err := enc.marshal(full)
		if err != nil {
			t.Fatal(err)
		}
		if !checkScan(t, "every field set", raw) {
			t.Errorf("a record with every field set, encoded by %s, not taken (a field scanRecord does not know?): %s", enc.name, raw)
		}
	}
	for name, raw := range map[string]string{
		"unknown field":     `{"article":{"id":"x"},"later":1}`,
		"name case":         `{"Article":{"id":"x"}}`,
		"duplicate":         `{"article":{"id":"x","id":"y"}}`,
		"null string":       `{"article":{"id":"x","url":null}}`,
		"null number":       `{"v":null,"article":{"id":"x"}}`,
		"null time":         `{"article":{"id":"x","fetched_at":null}}`,
		"null decimal":      `{"article":{"id":"x"},"extraction":{"deals":[{"amount":{"value":null}}]}}`,
		"fraction in int":   `{"v":1.0,"article":{"id":"x"}}`,
		"int overflow":      `{"v":99999999999999999999,"article":{"id":"x"}}`,
		"float overflow":    `{"article":{"id":"x"},"extraction":{"deals":[{"confidence":1e400}]}}`,
		"string number":     `{"v":"1","article":{"id":"x"}}`,
		"lone surrogate":    `{"article":{"id":"x","url":"\ud800"}}`,
		"surrogate pair":    `{"article":{"id":"x","url":"\ud83d\ude80"}}`,
		"title surrogate":   `{"article":{"id":"x","title":"\ud83d\ude80"}}`,
		"escaped time":      `{"article":{"id":"x","fetched_at":"2024-04-01T09:00:00\u005a"}}`,
		"bad time":          `{"article":{"id":"x","fetched_at":"2024-13-01T09:00:00Z"}}`,
		"no id":             `{"article":{"title":"t"}}`,
		"empty id":          `{"article":{"id":""}}`,
		"trailing":          `{"article":{"id":"x"}}x`,
		"two values":        `{"article":{"id":"x"}} {}`,
		"leading zero":      `{"v":01,"article":{"id":"x"}}`,
		"bare minus":        `{"v":-,"article":{"id":"x"}}`,
		"control character": "{\"article\":{\"id\":\"x\x01\"}}",
		"bad escape":        `{"article":{"id":"\x"}}`,
		"short escape":      `{"article":{"id":"\u12"}}`,
		"unclosed":          `{"article":{"id":"x"}`,
		"trailing comma":    `{"article":{"id":"x"},}`,
		"top-level null":    `null`,
		"array":             `[]`,
		"empty":             ``,
	} {
		if checkScan(t, name, []byte(raw)) {
			t.Errorf("%s: taken: %s", name, raw)
		}
	}
	for name, raw := range map[string]string{
		"escapes":       `{"article":{"id":"a\"b\\c\/d\b\f\n\r\t\u00e9\u20ac\u0000","title":"x\"y","text":null}}`,
		"whitespace":    " {\n\t\"v\" : 1 , \"article\" : { \"id\" : \"x\" , \"authors\" : [ \"a\" , \"b\" ] } }\r\n",
		"empty lists":   `{"article":{"id":"x","tags":[]},"extraction":{"deals":[],"prior_amounts":[],"other_amounts":null}}`,
		"null pointers": `{"article":{"id":"x"},"extraction":{"deals":[{"amount":null,"valuation":null,"investors":[{"amount":null}]}],"prior_amounts":[{"value":null,"max":null}]}}`,
		"numbers":       `{"v":-0,"article":{"id":"x"},"extraction":{"deals":[{"confidence":-1.5e-3,"amount":{"value":1.20E+9,"usd":0}}]}}`,
		"escaped key":   `{"\u0076":2,"article":{"id":"x"}}`,
		"offset time":   `{"article":{"id":"x","published_at":"2024-04-01T09:00:00.123456789+02:00"}}`,
	} {
		if !checkScan(t, name, []byte(raw)) {
			t.Errorf("%s: not taken: %s", name, raw)
		}
	}
}

// filled is a value of type t with every field set, for records with
// every field in their JSON; n varies the values, and pointers are set
// depth 2 down (Money.Equivalent is a Money of its own, once).
func filled(t reflect.Type, n, depth int) reflect.Value {
	v := reflect.New(t).Elem()
	switch t {
	case reflect.TypeFor[time.Time]():
		v.Set(reflect.ValueOf(time.Date(2024, 4, 1, 9, n, 0, 123000000, time.UTC)))
		return v
	case reflect.TypeFor[news.Decimal]():
		v.Set(reflect.ValueOf(news.Decimal{Coef: int64(15 + n), Exp: 5}))
		return v
	}
	switch t.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("s%d <&> é", n))
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(n + 1))
	case reflect.Float64:
		v.SetFloat(float64(n) + 0.25)
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		if depth < 2 {
			v.Set(filled(t.Elem(), n+1, depth+1).Addr())
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(t, 2, 2))
		for i := range 2 {
			v.Index(i).Set(filled(t.Elem(), n+i+1, depth))
		}
	case reflect.Struct:
		for i := range t.NumField() {
			if t.Field(i).IsExported() {
				v.Field(i).Set(filled(t.Field(i).Type, n+i, depth))
			}
		}
	}
	return v
}

// FuzzScanRecord: whatever scanRecord takes, the general decoder takes
// too and decodes to the same record.
//
//	go test -run '^$' -fuzz FuzzScanRecord -fuzztime 2m ./index/elastic
func FuzzScanRecord(f *testing.F) {
	for _, raw := range rawCases(f) {
		f.Add(raw)
	}
	f.Fuzz(func(t *testing.T, raw []byte) {
		checkScan(t, "fuzz", raw)
	})
}

// TestScanRecordSharesRaw: the strings scanRecord decodes without escapes
// are cut from the record's own bytes, not from a copy of them (a third of
// what the index stage's handler allocated).
func TestScanRecordSharesRaw(t *testing.T) {
	raw, err := json.Marshal(indextest.SyntheticRecords(1, 1)[0])
	if err != nil {
		t.Fatal(err)
	}
	rec, _, _, ok := scanRecord(raw)
	if !ok {
		t.Fatalf("not taken: %s", raw)
	}
	start := uintptr(unsafe.Pointer(unsafe.SliceData(raw)))
	for _, s := range []string{rec.Article.ID, rec.Article.URL, rec.ExtractorVersion} {
		if p := uintptr(unsafe.Pointer(unsafe.StringData(s))); s == "" || p < start || p >= start+uintptr(len(raw)) {
			t.Errorf("%q is not a part of the record's bytes", s)
		}
	}
}

// BenchmarkScanRecord compares scanRecord with the general decoder on
// synthetic records.
//
//	go test -run '^$' -bench ScanRecord -benchmem ./index/elastic
func BenchmarkScanRecord(b *testing.B) {
	recs := indextest.SyntheticRecords(1000, 1)
	raws := make([][]byte, len(recs))
	for i, r := range recs {
		var err error
		if raws[i], err = json.Marshal(r); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("scan", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, _, _, ok := scanRecord(raws[i%len(raws)]); !ok {
				b.Fatal("not taken")
			}
		}
	})
	b.Run("general", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			var rj recordJSON
			if err := jsonv2.Unmarshal(raws[i%len(raws)], &rj, news.RecordDecoding); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// TestScanRecordInto: records of every shape scanned one after the other
// into the same record, in the map's random order and twice over, are
// each what scanRecord makes of them on their own, whatever the record
// before left in the lists and amounts that scanRecordInto reuses.
func TestScanRecordInto(t *testing.T) {
	cases := rawCases(t)
	// Each field of a list's element, then an element without it.
	full := `{"kind":"a","value":5,"currency":"USD","value_watts":7,"text":"t","span":{"start":1,"end":2},"approx":true,"qualifier":"q","max":9,"note":"n","usd":3}`
	amount := `{"value":5,"currency":"EUR","text":"t","span":{"start":1,"end":2},"approx":true,"qualifier":"q","max":9,"mentions":["m"],"equivalent":{"value":1,"currency":"USD"},"usd":3,"confidence":0.5}`
	inv := `{"name":"n","canonical":"c","lead":true,"amount":` + amount + `,"span":{"start":1,"end":2},"confidence":0.5}`
	deal := `{"company":"c","round":"r","amount":` + amount + `,"valuation":` + amount + `,"investors":[` + inv + `,` + inv + `],"capacity":[{"value_watts":1}],"acquirer":"a","evidence":"e","confidence":0.5}`
	order := []string{
		`{"article":{"id":"a","authors":["x","y"],"tags":["t"]},"extraction":{"deals":[` + deal + `,` + deal + `],"doubtful":[` + deal + `],"prior_amounts":[` + full + `,` + full + `],"other_amounts":[` + full + `]}}`,
		`{"article":{"id":"b","authors":["z"]},"extraction":{"deals":[{"investors":[{"name":"n"}]},{}],"doubtful":[{}],"prior_amounts":[{}],"other_amounts":[{"kind":"b"}]}}`,
		`{"article":{"id":"c","authors":[]},"extraction":{"deals":[],"prior_amounts":null}}`,
		`{"article":{"id":"d"}}`,
	}
	var rec news.Record
	for i, raw := range order {
		want, _, _, _ := scanRecord([]byte(raw))
		if _, _, ok := scanRecordInto([]byte(raw), &rec); !ok {
			t.Fatalf("record %d not taken: %s", i, raw)
		}
		if diff := cmp.Diff(want, rec, cmpopts.EquateEmpty()); diff != "" {
			t.Fatalf("record %d scanned after the others (-on its own +after others):\n%s", i, diff)
		}
	}
	for range 2 {
		for name, raw := range cases {
			want, wtitle, wtext, wok := scanRecord(raw)
			title, text, ok := scanRecordInto(raw, &rec)
			if ok != wok {
				t.Fatalf("%s: scanRecordInto took it: %t, scanRecord: %t", name, ok, wok)
			}
			if !ok {
				continue
			}
			if string(title) != string(wtitle) || string(text) != string(wtext) {
				t.Errorf("%s: title and text %s, %s, want %s, %s", name, title, text, wtitle, wtext)
			}
			// A list reused may be empty where scanRecord's is nil.
			if diff := cmp.Diff(want, rec, cmpopts.EquateEmpty()); diff != "" {
				t.Fatalf("%s: scanned after other records (-on its own +after others):\n%s", name, diff)
			}
		}
	}
}

// checkLongString fails t when longStringEnd, on the contents of a string
// starting at s[0], ends it elsewhere than stringEnd without surrogates,
// which it stands in for on title and text.
func checkLongString(t *testing.T, s []byte) {
	t.Helper()
	sc := recordScan{b: s}
	want, _ := sc.stringEnd(0, false)
	if got := sc.longStringEnd(0); got != want {
		t.Errorf("longStringEnd(%q) = %d, stringEnd says %d", s, got, want)
	}
}

// TestLongStringEnd: the title and text's scanner ends a string where the
// scanner of the record's other strings does, or refuses it as that one
// does: escaped quotes at a step's every offset, escapes next to the end,
// control characters before and after a backslash, surrogates, strings
// without an end.
func TestLongStringEnd(t *testing.T) {
	long := strings.Repeat("plain text of an article, ", 8)
	cases := []string{
		`"`, `abc"`, `abc`, ``, `\"`, `\\"`, `\\\"`, `\\\"x"`, `a\"b"c"`, `\n\t\r\b\f\/"`,
		`\u00e9"`, `\u2019 quotes"`, `\ud83d\ude00"`, `\udc00"`, `\u12"`, `\u12g4"`, `\x"`, `\`,
		"tab\there\"", "\x00\"", "\x1f\"", "\x7f\"", "ünïcode ✓\"", "\xe2\x80\xa8\"",
		long + `"`, long + `\"` + long + `"`, long + "\n" + long + `"`, long + `\` + "\n\"",
		long + `\n` + long + "\x01\"", long + "\x01" + `\n"`, `\n` + long + "\x02\"",
		strings.Repeat(`\"`, 40) + `"`, strings.Repeat(`a\\`, 40) + `"`, long + `\u00`,
	}
	for i := range 33 { // an escaped quote at every offset of a 16- and 32-byte step
		cases = append(cases, strings.Repeat("x", i)+`\"`+long+`"`, strings.Repeat("y", i)+"\x05"+long+`"`)
	}
	for _, c := range cases {
		checkLongString(t, []byte(c+`,"more":"x"}`))
		checkLongString(t, []byte(c))
	}
}

// FuzzLongStringEnd: longStringEnd agrees with stringEnd on any bytes.
//
//	go test -run '^$' -fuzz FuzzLongStringEnd -fuzztime 1m ./index/elastic
func FuzzLongStringEnd(f *testing.F) {
	for _, s := range []string{`abc"`, `a\"b\\"`, "\x00\"", `\u00e9 \ud800"`, strings.Repeat(`ab\n`, 20) + `"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, s []byte) {
		checkLongString(t, s)
	})
}

func TestShortInt(t *testing.T) {
	for _, lit := range []string{"0", "-0", "7", "-7", "1234567890", "999999999", "-999999999",
		"123456789012345678", "-123456789012345678", "1234567890123456789", "9223372036854775807",
		"-9223372036854775808", "9223372036854775808", "1.5", "1e3", "-", "", "12a"} {
		want, werr := strconv.ParseInt(lit, 10, strconv.IntSize)
		got, ok := shortInt(lit)
		if ok && (werr != nil || int64(got) != want) {
			t.Errorf("shortInt(%q) = %d, want %d (ParseInt error %v)", lit, got, want, werr)
		}
		if !ok && len(lit) <= maxShortDigits && werr == nil {
			t.Errorf("shortInt(%q) refused a short whole number", lit)
		}
	}
}
