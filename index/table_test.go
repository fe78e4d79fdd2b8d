package index

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"strings"
	"testing"
	"time"

	"github.com/dealwire/dealwire/news"
)

func TestWriteResult(t *testing.T) {
	at := time.Date(2024, 3, 5, 9, 0, 0, 0, time.UTC)
	rec := news.Record{Article: news.Article{Source: "techcrunch", Title: "Acme raises\n  $40M and more", PublishedAt: at}}
	rec.Extraction.Deals = []news.Deal{
		{Company: "Acme", Round: "seed", Amount: &news.Money{Value: news.Decimal{Coef: 5, Exp: 6}, Currency: "EUR", USD: 5.4e6}, Confidence: 0.91},
		{Company: "Acme", Round: "series a", Amount: &news.Money{Value: news.Decimal{Coef: 40, Exp: 6}, Currency: "USD"}},
	}
	res := Result{Total: 3, Hits: []Hit{{ID: "0123456789abcdef", Record: rec, HiddenDeals: 1}}, Next: "CUR", MinConfidence: 0.5,
		Facets: &Facets{Rounds: []Bucket{{Key: "seed", Count: 2}, {Key: "series a", Count: 1}}}}
	var b bytes.Buffer
	if err := WriteResult(&b, res, false); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(b.String(), "\n")
	// The largest deal (USD 40M beats EUR 5M) is on the hit's line, the
	// other below it; unscored confidence shows as "-".
	if f := strings.Fields(lines[1]); len(f) < 8 || f[0] != "0123456789a…" || f[1] != "2024-03-05" || f[3] != "USD" || f[4] != "40M" || f[7] != "-" {
		t.Errorf("hit line %q", lines[1])
	}
	if !strings.Contains(lines[1], "Acme raises $40M and more") {
		t.Errorf("hit line %q: want the title on one line", lines[1])
	}
	if f := strings.Fields(lines[2]); len(f) != 5 || f[0] != "EUR" || f[1] != "5M" || f[2] != "seed" || f[3] != "0.91" {
		t.Errorf("second deal line %q", lines[2])
	}
	if want := "1 of 3 matching records; 1 deal below confidence 0.5 hidden (--min-confidence 0 shows all); next page: --after CUR"; lines[4] != want {
		t.Errorf("summary\n got %q\nwant %q", lines[4], want)
	}
	if !strings.Contains(b.String(), "rounds:     seed (2), series a (1)\n") {
		t.Errorf("facets missing:\n%s", b.String())
	}

	b.Reset()
	if err := WriteResult(&b, Result{}, true); err != nil {
		t.Fatal(err)
	}
	var got map[string]any
	if err := json.Unmarshal(b.Bytes(), &got); err != nil {
		t.Fatal(err)
	}
	if hits, ok := got["hits"].([]any); !ok || len(hits) != 0 {
		t.Errorf("json of no hits: %s, want \"hits\": [] as the API answers", b.String())
	}
}

func TestAddFlags(t *testing.T) {
	fs := flag.NewFlagSet("search", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	read := AddFlags(fs, map[string]string{"sort": "my help"}, "size", "after")
	if err := fs.Parse([]string{"--lead-investor", "Accel", "--amount-usd-min", "20m", "robots", "-drones"}); err != nil {
		t.Fatal(err)
	}
	v := read()
	if v.Get("lead_investor") != "Accel" || v.Get("amount_usd_min") != "20m" || v.Get("q") != "robots -drones" || len(v) != 3 {
		t.Errorf("values %v", v)
	}
	if _, err := ParseQuery(v, Config{}); err != nil {
		t.Errorf("ParseQuery of the flags' values: %v", err)
	}
	if fs.Lookup("size") != nil || fs.Lookup("after") != nil || fs.Lookup("q") != nil || fs.Lookup("facets") != nil {
		t.Error("a skipped parameter, q or facets got a flag")
	}
	if f := fs.Lookup("sort"); f == nil || f.Usage != "my help" {
		t.Errorf("sort flag %+v, want the help given", f)
	}
	if f := fs.Lookup("valuation-max"); f == nil || !strings.Contains(f.Usage, "valuation") {
		t.Errorf("valuation-max flag %+v, want the help of Params", f)
	}
}

func TestParseFrom(t *testing.T) {
	if got, err := ParseFrom(""); err != nil || !got.IsZero() {
		t.Errorf(`ParseFrom("") = %v, %v; want the zero time`, got, err)
	}
	if got, err := ParseFrom("2026-01"); err != nil || !got.Equal(time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf(`ParseFrom("2026-01") = %v, %v`, got, err)
	}
	q, qerr := ParseQuery(map[string][]string{"from": {"soon"}}, Config{})
	_, err := ParseFrom("soon")
	if err == nil || qerr == nil || err.Error() != qerr.Error() || !q.PublishedFrom.IsZero() {
		t.Errorf(`ParseFrom("soon") = %v; want the error of from=soon, %v`, err, qerr)
	}
}
