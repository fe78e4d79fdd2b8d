package indextest

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/news"
)

// FilledDeal returns a deal record with every exported field set,
// recursively: two elements in each list, the n-th value filled taking
// str(n) for a string and at(n) for a time, small integers (a
// Decimal's exponent too), non-round floats and true. A recursive type
// (Money.Equivalent) is filled twelve levels deep. Tests of decoders and of
// rows built from records use it, so that a field nobody reads or decodes
// shows.
func FilledDeal(tb testing.TB, str func(n int) string, at func(n int) time.Time) news.DealRecord {
	tb.Helper()
	var dr news.DealRecord
	n := 0
	var fill func(v reflect.Value, depth int)
	fill = func(v reflect.Value, depth int) {
		n++
		switch v.Kind() {
		case reflect.String:
			v.SetString(str(n))
		case reflect.Int, reflect.Int32, reflect.Int64:
			v.SetInt(int64(n%7 + 1))
		case reflect.Float64:
			v.SetFloat(float64(n) + 0.25)
		case reflect.Bool:
			v.SetBool(true)
		case reflect.Pointer:
			if depth > 12 {
				return
			}
			v.Set(reflect.New(v.Type().Elem()))
			fill(v.Elem(), depth+1)
		case reflect.Slice:
			v.Set(reflect.MakeSlice(v.Type(), 2, 2))
			for i := range 2 {
				fill(v.Index(i), depth+1)
			}
		case reflect.Struct:
			if v.Type() == reflect.TypeFor[time.Time]() {
				v.Set(reflect.ValueOf(at(n)))
				return
			}
			for i := range v.NumField() {
				if v.Type().Field(i).IsExported() {
					fill(v.Field(i), depth+1)
				}
			}
		default:
			tb.Fatalf("filling a deal record: no value for a %s", v.Type())
		}
	}
	fill(reflect.ValueOf(&dr).Elem(), 0)
	return dr
}

// WithoutMembers is dr with the members names deleted from its JSON, the
// way encoding/json sees a record whose members were left out: "a.b"
// deletes member b of object a, or of every element of list a.
func WithoutMembers(tb testing.TB, dr news.DealRecord, names []string) news.DealRecord {
	tb.Helper()
	raw, err := json.Marshal(dr)
	if err != nil {
		tb.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		tb.Fatal(err)
	}
	for _, name := range names {
		path := strings.Split(name, ".")
		objs := []map[string]any{m}
		for _, p := range path[:len(path)-1] {
			var next []map[string]any
			for _, o := range objs {
				switch v := o[p].(type) {
				case []any:
					for _, e := range v {
						next = append(next, e.(map[string]any))
					}
				case map[string]any:
					next = append(next, v)
				}
			}
			objs = next
		}
		for _, o := range objs {
			delete(o, path[len(path)-1])
		}
	}
	if raw, err = json.Marshal(m); err != nil {
		tb.Fatal(err)
	}
	var out news.DealRecord
	if err := json.Unmarshal(raw, &out); err != nil {
		tb.Fatal(err)
	}
	return out
}
