package api

import (
	"encoding/json"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"

	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/sqlite"
	"github.com/dealwire/dealwire/news"
)

// scoredRecord is a record whose deals have the given amounts (USD),
// investors and confidences.
func scoredRecord(id, title string, deals ...news.Deal) news.Record {
	rec := record(id, title, "", 1)
	rec.Extraction.Deals = deals
	return rec
}

func scoredDeal(company string, usd int64, investor string, conf float64) news.Deal {
	return news.Deal{Company: company, Round: "series a", Confidence: conf,
		Amount:    &news.Money{Value: news.Decimal{Coef: usd}, Currency: "USD", Text: "$x"},
		Investors: []news.Investor{{Name: investor, Canonical: investor, Lead: true}}}
}

// newConfidenceServer serves three records and two deal records with a
// default min_confidence of 0.5:
//
//	c1: one deal, 0.9, Accel, $40M
//	c2: one deal, 0.2, Accel, $12M
//	c3: two deals: 0.9, Index Ventures, $5M; and 0.2, Accel, $90M
//	d-high (0.9) and d-low (0.2)
func newConfidenceServer(t *testing.T) *httptest.Server {
	t.Helper()
	store, err := sqlite.Open(t.Context(), sqlite.Config{Path: t.TempDir() + "/conf.db"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	recs := []news.Record{
		scoredRecord("c1", "Quillstone raises $40 million", scoredDeal("Quillstone", 40_000_000, "Accel", 0.9)),
		scoredRecord("c2", "Brightmoor raises $12 million", scoredDeal("Brightmoor", 12_000_000, "Accel", 0.2)),
		scoredRecord("c3", "Tavera raises $5 million", scoredDeal("Tavera", 5_000_000, "Index Ventures", 0.9),
			scoredDeal("Tavera Holdings", 90_000_000, "Accel", 0.2)),
	}
	for i, err := range store.Index(t.Context(), recs) {
		if err != nil {
			t.Fatalf("indexing record %d: %v", i, err)
		}
	}
	var drs []news.DealRecord
	for _, d := range []struct {
		id   string
		conf float64
	}{{"d-high", 0.9}, {"d-low", 0.2}} {
		deal := recs[0].Extraction.Deals[0]
		drs = append(drs, news.DealRecord{V: news.SchemaVersion, ID: d.id, Company: "Quillstone", CompanyKey: "quillstone",
			Round: "series a", AnnouncedAt: recs[0].Article.PublishedAt, Amount: deal.Amount, Investors: deal.Investors,
			Confidence: d.conf, Sources: []news.DealSource{{ArticleID: "c1", Source: "example", Deal: deal}}})
	}
	for _, err := range store.IndexDeals(t.Context(), drs) {
		if err != nil {
			t.Fatal(err)
		}
	}
	srv := httptest.NewServer(NewHandler(Config{Search: index.Config{MinConfidence: 0.5}}, store, nil, nil))
	t.Cleanup(srv.Close)
	return srv
}

func TestSearchMinConfidence(t *testing.T) {
	srv := newConfidenceServer(t)
	type hit struct {
		ID     string
		Deals  int
		Hidden int
	}
	tests := []struct {
		name      string
		query     string
		wantConf  float64
		want      []hit
		wantAccel int // records counted for Accel in the investor facet
	}{
		{"default hides low deals", "sort=date", 0.5,
			[]hit{{"c1", 1, 0}, {"c2", 0, 1}, {"c3", 1, 1}}, 1},
		{"zero shows all", "sort=date&min_confidence=0", 0,
			[]hit{{"c1", 1, 0}, {"c2", 1, 0}, {"c3", 2, 0}}, 3},
		{"filter matches only shown deals", "investor=accel", 0.5,
			[]hit{{"c1", 1, 0}}, 1},
		{"filter with all shown", "investor=accel&sort=date&min_confidence=0", 0,
			[]hit{{"c1", 1, 0}, {"c2", 1, 0}, {"c3", 2, 0}}, 3},
		{"amount sort by shown deals", "sort=amount", 0.5,
			[]hit{{"c1", 1, 0}, {"c3", 1, 1}, {"c2", 0, 1}}, 1},
		{"amount sort by all deals", "sort=amount&min_confidence=0", 0,
			[]hit{{"c3", 2, 0}, {"c1", 1, 0}, {"c2", 1, 0}}, 3},
		{"higher threshold", "sort=date&min_confidence=0.95", 0.95,
			[]hit{{"c1", 0, 1}, {"c2", 0, 1}, {"c3", 0, 2}}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, _, body := get(t, srv.URL+"/api/search?facets=true&"+tt.query)
			if code != 200 {
				t.Fatalf("status %d: %s", code, body)
			}
			var res index.Result
			if err := json.Unmarshal([]byte(body), &res); err != nil {
				t.Fatal(err)
			}
			if res.MinConfidence != tt.wantConf {
				t.Errorf("min_confidence = %g, want %g", res.MinConfidence, tt.wantConf)
			}
			var got []hit
			for _, h := range res.Hits {
				got = append(got, hit{h.ID, len(h.Record.Extraction.Deals), h.HiddenDeals})
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("hits %+v, want %+v", got, tt.want)
			}
			accel := 0
			for _, b := range res.Facets.Investors {
				if b.Key == "Accel" {
					accel = b.Count
				}
			}
			if accel != tt.wantAccel {
				t.Errorf("Accel facet = %d, want %d", accel, tt.wantAccel)
			}
		})
	}
}

func TestMinConfidenceErrors(t *testing.T) {
	srv := newConfidenceServer(t)
	for _, q := range []string{"min_confidence=2", "min_confidence=-1", "min_confidence=high", "min_confidence=NaN"} {
		for _, path := range []string{"/api/search?", "/api/deals?"} {
			code, _, body := get(t, srv.URL+path+q)
			var e apiError
			if err := json.Unmarshal([]byte(body), &e); code != 400 || err != nil ||
				!strings.Contains(e.Error, "min_confidence") || !strings.Contains(e.Error, "want a number from 0 to 1") {
				t.Errorf("%s%s: status %d, body %s; want 400 naming min_confidence and its range", path, q, code, body)
			}
		}
	}
}

func TestDealsMinConfidence(t *testing.T) {
	srv := newConfidenceServer(t)
	for _, tt := range []struct {
		query string
		want  []string
	}{
		{"", []string{"d-high"}},
		{"min_confidence=0", []string{"d-high", "d-low"}},
		{"min_confidence=0.2", []string{"d-high", "d-low"}},
		{"min_confidence=0.95", nil},
	} {
		code, _, body := get(t, srv.URL+"/api/deals?sort=date&"+tt.query)
		var res index.DealResult
		if err := json.Unmarshal([]byte(body), &res); err != nil || code != 200 {
			t.Fatalf("%s: status %d, %v: %s", tt.query, code, err, body)
		}
		var got []string
		for _, h := range res.Hits {
			got = append(got, h.ID)
		}
		slices.Sort(got)
		if !slices.Equal(got, tt.want) || res.Total != len(tt.want) {
			t.Errorf("/api/deals?%s = %v (total %d), want %v", tt.query, got, res.Total, tt.want)
		}
	}
	// One deal by id is returned whatever its confidence.
	if code, _, body := get(t, srv.URL+"/api/deals/d-low"); code != 200 || !strings.Contains(body, `"confidence":0.2`) {
		t.Errorf("GET /api/deals/d-low: %d %s", code, body)
	}
}

func TestArticleKeepsEveryDeal(t *testing.T) {
	srv := newConfidenceServer(t)
	code, _, body := get(t, srv.URL+"/api/articles/c3")
	var rec news.Record
	if err := json.Unmarshal([]byte(body), &rec); err != nil || code != 200 {
		t.Fatalf("status %d, %v: %s", code, err, body)
	}
	if len(rec.Extraction.Deals) != 2 || rec.Extraction.Deals[1].Confidence != 0.2 {
		t.Errorf("GET /api/articles/c3 has %d deals, want both with their confidences", len(rec.Extraction.Deals))
	}
}

func TestConfigValidateSearch(t *testing.T) {
	if err := (Config{Search: index.Config{MinConfidence: 1.5}}).Validate(); err == nil || !strings.Contains(err.Error(), "search.min_confidence") {
		t.Errorf("Validate with min_confidence 1.5 = %v, want an error naming search.min_confidence", err)
	}
	if err := (Config{Search: index.DefaultConfig()}).Validate(); err != nil {
		t.Errorf("Validate with the default search config = %v", err)
	}
}

func TestPageOffersAllDeals(t *testing.T) {
	srv := newConfidenceServer(t)
	doc := getPage(t, srv, "/?sort=date", 200)
	if got := status(doc); got != "3 matching articles · deals with confidence below 0.5 hidden" {
		t.Errorf("status %q", got)
	}
	box := doc.Find(`#f input[type=checkbox][name=min_confidence][value="0"]`)
	if box.Length() != 1 || box.Is("[checked]") || !strings.Contains(box.Parent().Text(), "include low-confidence deals") {
		t.Errorf("the form has %d unticked boxes for low-confidence deals, want 1", box.Length())
	}
	if got := texts(doc, "#hits .hit .meta"); !strings.Contains(strings.Join(got, "|"), "1 low-confidence deal hidden") {
		t.Errorf("hit notes %q lack that a deal is hidden", got)
	}

	doc = getPage(t, srv, "/?sort=date&min_confidence=0", 200)
	if got := status(doc); got != "3 matching articles · all deals shown" {
		t.Errorf("with every deal: status %q", got)
	}
	if !doc.Find(`#f input[name=min_confidence]`).Is("[checked]") {
		t.Error("with min_confidence=0 the box is not ticked")
	}
	if n := doc.Find(`#f input[type=hidden][name=min_confidence]`).Length(); n != 0 {
		t.Errorf("min_confidence=0 also travels in %d hidden fields", n)
	}
	if got := texts(doc, "#hits .deal .conf"); !slices.Contains(got, "confidence 0.20") {
		t.Errorf("confidences %q lack the low 0.20", got)
	}
	// Another threshold from an address travels in a hidden field.
	doc = getPage(t, srv, "/?min_confidence=0.95", 200)
	if v, _ := doc.Find(`#f input[type=hidden][name=min_confidence]`).Attr("value"); v != "0.95" {
		t.Errorf("min_confidence=0.95 travels as %q, want a hidden field", v)
	}
}
