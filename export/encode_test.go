package export

import (
	"bytes"
	"encoding/csv"
	"math"
	"math/rand/v2"
	"reflect"
	"strconv"
	"testing"
	"time"
)

// TestCSVLikeEncodingCSV checks the CSV encoder's quoting against
// encoding/csv's Writer, which it replaces.
func TestCSVLikeEncodingCSV(t *testing.T) {
	fields := []string{"", "plain", "a,b", `say "hi"`, "line\nbreak", "cr\rhere", " leading", "\tleading tab",
		"\u00a0nbsp", `\.`, `\.x`, "trailing ", "€ uro", "a;b; c", `""`, "\u2028sep", "\xffbad"}
	for _, f := range fields {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{f, "x"}); err != nil {
			t.Fatal(err)
		}
		w.Flush()
		got := append(appendCSVField(nil, []byte(f)), ",x\n"...)
		if string(got) != want.String() {
			t.Errorf("field %q: got %q, encoding/csv writes %q", f, got, want.String())
		}
	}
}

func FuzzCSVField(f *testing.F) {
	f.Add("a,b")
	f.Add(" \"x\"\r\n")
	f.Fuzz(func(t *testing.T, s string) {
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		if err := w.Write([]string{s, "x"}); err != nil {
			t.Skip()
		}
		w.Flush()
		if got := append(appendCSVField(nil, []byte(s)), ",x\n"...); string(got) != want.String() {
			t.Errorf("field %q: got %q, encoding/csv writes %q", s, got, want.String())
		}
	})
}

// TestAppendDay compares appendDay with the time package for every day
// from 1900 to 2200 and a few far ones.
func TestAppendDay(t *testing.T) {
	check := func(n int64) {
		want := time.Unix(n*86400, 0).UTC().Format(time.DateOnly)
		if got := string(appendDay(nil, n)); got != want {
			t.Fatalf("appendDay(%d) = %s, want %s", n, got, want)
		}
	}
	for n := int64(-25567); n <= 84006; n++ {
		check(n)
	}
	for _, n := range []int64{-719528, -719529, -1000000, 2932896, 2932897, 5000000} {
		check(n)
	}
}

// TestAppendInstant compares appendInstant with the time package's
// formatting for random instants from 1900 to 2200, whole days and the
// zones a row never has.
func TestAppendInstant(t *testing.T) {
	const layout = "2006-01-02T15:04:05.000Z07:00"
	rng := rand.New(rand.NewPCG(1, 2))
	ts := []time.Time{time.Unix(0, 0).UTC(), time.Unix(-1, 0).UTC(), time.Unix(-86400, 0).UTC(), time.Unix(86399, 999999999).UTC(),
		time.Date(1969, 12, 31, 23, 59, 59, 1e6, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(2025, 3, 1, 10, 4, 5, 0, time.FixedZone("x", 3600)), time.Date(2025, 3, 1, 10, 4, 5, 0, time.Local)}
	for range 200000 {
		ts = append(ts, time.Unix(rng.Int64N(300*365*86400)-70*365*86400, rng.Int64N(1e9)).UTC())
	}
	for _, tm := range ts {
		if got, want := string(appendInstant(nil, &tm)), tm.Format(layout); got != want {
			t.Fatalf("appendInstant(%v) = %s, want %s", tm, got, want)
		}
	}
}

// TestAppendNumber checks the whole-number shortcut of the number columns
// against strconv.AppendFloat.
func TestAppendNumber(t *testing.T) {
	c := Column{Type: "number"}
	vs := []float64{0, math.Copysign(0, -1), 1, -1, 40000000, 1e15, 1<<53 - 1, 1 << 53, -(1<<53 - 1), 1e22, 0.5, 2.5e-7, 1234.5678, math.MaxFloat64, math.SmallestNonzeroFloat64}
	rng := rand.New(rand.NewPCG(3, 4))
	for range 100000 {
		vs = append(vs, float64(rng.Int64N(1<<54)-1<<53), float64(rng.Int64N(1e12))/100)
	}
	for _, v := range vs {
		got := string(appendScalar(nil, c, reflect.ValueOf(v), false))
		if want := strconv.FormatFloat(v, 'f', -1, 64); got != want {
			t.Fatalf("number %v written %s, want %s", v, got, want)
		}
	}
}
