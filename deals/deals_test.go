package deals

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) {
	goleak.VerifyTestMain(m)
}

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

func day(n int) time.Time { return t0.Add(time.Duration(n) * 24 * time.Hour) }

func money(v int64, cur string) *news.Money {
	d, err := news.ParseDecimal(fmt.Sprint(v))
	if err != nil {
		panic(err) // impossible: a formatted integer always parses
	}
	return &news.Money{Value: d, Currency: cur, Text: fmt.Sprintf("%s %d", cur, v), Span: news.Span{Start: 3, End: 9}}
}

// report is one article in a test: its id, outlet and what it says.
type report struct {
	id, source string
	at         time.Time
	deals      []news.Deal
}

func (r report) record() news.Record {
	return news.Record{
		V: news.SchemaVersion,
		Article: news.Article{
			V:           news.SchemaVersion,
			ID:          r.id,
			URL:         "https://" + r.source + ".example/" + r.id,
			Source:      r.source,
			Title:       "title of " + r.id,
			PublishedAt: r.at,
			FetchedAt:   r.at.Add(time.Hour),
		},
		ExtractorVersion: "test-1",
		ExtractedAt:      r.at.Add(2 * time.Hour),
		Extraction:       news.Extraction{Deals: r.deals},
	}
}

func deal(company, round string, amount *news.Money, investors ...string) news.Deal {
	d := news.Deal{Company: company, Round: round, Amount: amount, Investors: []news.Investor{}, Capacity: []news.Capacity{}}
	for i, n := range investors {
		d.Investors = append(d.Investors, news.Investor{Name: n, Canonical: n, Lead: i == 0})
	}
	return d
}

func newResolver(t testing.TB, cfg Config) *Resolver {
	t.Helper()
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	r, err := NewResolver(t.Context(), js, cfg, nil)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func resolveAll(t testing.TB, r *Resolver, recs []news.Record) {
	t.Helper()
	for _, rec := range recs {
		if _, err := r.Resolve(t.Context(), rec); err != nil {
			t.Fatalf("resolving %s: %v", rec.Article.ID, err)
		}
	}
}

func allDeals(t testing.TB, r *Resolver) []news.DealRecord {
	t.Helper()
	ds, err := r.Deals(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return ds
}

func sourceIDs(d news.DealRecord) []string {
	var ids []string
	for _, s := range d.Sources {
		ids = append(ids, s.ArticleID)
	}
	slices.Sort(ids)
	return ids
}

func fourOutlets() []news.Record {
	return []news.Record{
		report{"pr", "businesswire", day(0), []news.Deal{deal("Acme Robotics, Inc.", "Series B", money(40_000_000, "USD"), "Accel", "Index Ventures")}}.record(),
		report{"tc", "techcrunch", day(0).Add(3 * time.Hour), []news.Deal{deal("Acme Robotics", "series b", money(40_000_000, "USD"), "Accel")}}.record(),
		report{"vb", "venturebeat", day(1), []news.Deal{deal("Acme", "series-b", money(40_000_000, "USD"), "Accel", "Sequoia")}}.record(),
		report{"nl", "newsletter", day(3), []news.Deal{deal("ACME Robotics", "Series B", money(45_000_000, "USD"))}}.record(),
	}
}

func TestFourOutletsOneDeal(t *testing.T) {
	r := newResolver(t, Config{})
	var last []news.DealRecord
	for _, rec := range fourOutlets() {
		got, err := r.Resolve(t.Context(), rec)
		if err != nil {
			t.Fatal(err)
		}
		last = got
	}
	ds := allDeals(t, r)
	if len(ds) != 1 {
		t.Fatalf("got %d deals, want 1: %+v", len(ds), ds)
	}
	d := ds[0]
	if diff := cmp.Diff(last, ds); diff != "" {
		t.Errorf("last Resolve result differs from stored deals (-resolve +stored):\n%s", diff)
	}
	if got, want := sourceIDs(d), []string{"nl", "pr", "tc", "vb"}; !slices.Equal(got, want) {
		t.Errorf("sources = %v, want %v", got, want)
	}
	// The press release speaks for the chosen amount (most authoritative of
	// the three that gave it): the amount keeps its span there.
	if d.Amount == nil || d.Amount.Value.String() != "40000000" || d.Amount.Span != (news.Span{Start: 3, End: 9}) {
		t.Errorf("amount = %+v, want 40000000 USD with the source's span 3-9", d.Amount)
	}
	if i := slices.IndexFunc(d.Anchors, func(a news.DealAnchor) bool { return a.Field == "amount" }); i < 0 || d.Anchors[i].ArticleID != "pr" {
		t.Errorf("anchors = %+v, want the amount anchored in article pr", d.Anchors)
	}
	if d.Round != "series b" || d.Company != "Acme Robotics, Inc." || d.CompanyKey != "acme robotics" {
		t.Errorf("round, company, key = %q, %q, %q", d.Round, d.Company, d.CompanyKey)
	}
	if d.Key != "acme robotics|series b|2026-03-02" || !d.AnnouncedAt.Equal(day(0)) {
		t.Errorf("key = %q, announced %v", d.Key, d.AnnouncedAt)
	}
	wantConflicts := []news.DealConflict{{Field: "amount", Values: []news.DealValue{
		{Value: "40000000 USD", ArticleIDs: []string{"pr", "tc", "vb"}, Chosen: true},
		{Value: "45000000 USD", ArticleIDs: []string{"nl"}},
	}}}
	if diff := cmp.Diff(wantConflicts, d.Conflicts); diff != "" {
		t.Errorf("conflicts (-want +got):\n%s", diff)
	}
	var names []string
	for _, inv := range d.Investors {
		names = append(names, fmt.Sprintf("%s/%v", inv.Name, inv.Lead))
	}
	if want := []string{"Accel/true", "Index Ventures/false", "Sequoia/false"}; !slices.Equal(names, want) {
		t.Errorf("investors = %v, want %v", names, want)
	}
	if d.Sources[0].Authority != 2 || d.Sources[1].Authority != 1 {
		t.Errorf("authorities = %d, %d, want press release 2, trade press 1", d.Sources[0].Authority, d.Sources[1].Authority)
	}
}

func TestMergeRuleTies(t *testing.T) {
	tests := []struct {
		name    string
		reports []report
		want    string
	}{
		{"most cited wins over authority", []report{
			{"a", "businesswire", day(0), []news.Deal{deal("Nimbus", "seed", money(5_000_000, "USD"))}},
			{"b", "techcrunch", day(1), []news.Deal{deal("Nimbus", "seed", money(6_000_000, "USD"))}},
			{"c", "sifted", day(2), []news.Deal{deal("Nimbus", "seed", money(6_000_000, "USD"))}},
		}, "6000000 USD"},
		{"tie goes to the press release", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Nimbus", "seed", money(6_000_000, "USD"))}},
			{"b", "prnewswire", day(1), []news.Deal{deal("Nimbus", "seed", money(5_000_000, "USD"))}},
		}, "5000000 USD"},
		{"tie goes to the company site", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Nimbus Labs", "seed", money(6_000_000, "USD"))}},
			{"b", "nimbuslabs", day(1), []news.Deal{deal("Nimbus Labs", "seed", money(5_000_000, "USD"))}},
		}, "5000000 USD"},
		{"then the earliest", []report{
			{"a", "sifted", day(1), []news.Deal{deal("Nimbus", "seed", money(5_000_000, "USD"))}},
			{"b", "techcrunch", day(0), []news.Deal{deal("Nimbus", "seed", money(6_000_000, "USD"))}},
		}, "6000000 USD"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var cs []contribution
			for _, rp := range tt.reports {
				rec := rp.record()
				if rp.source == "nimbuslabs" {
					rec.Article.URL = "https://www.nimbuslabs.com/news/seed"
				}
				r := &Resolver{cfg: Config{}.withDefaults()}
				m, err := r.contributions(rec)
				if err != nil {
					t.Fatal(err)
				}
				for _, c := range m {
					cs = append(cs, c...)
				}
			}
			ds := resolve(cs, (&Resolver{cfg: Config{}.withDefaults()}).rules())
			if len(ds) != 1 {
				t.Fatalf("got %d deals, want 1", len(ds))
			}
			if got := moneyKey(ds[0].Amount); got != tt.want {
				t.Errorf("chosen amount = %q, want %q (conflicts %+v)", got, tt.want, ds[0].Conflicts)
			}
		})
	}
}

func TestDifferentRoundsAndYearsStayApart(t *testing.T) {
	tests := []struct {
		name    string
		reports []report
		want    int
	}{
		{"series a in march, series b in october", []report{
			{"a1", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series A", money(12_000_000, "USD"))}},
			{"a2", "sifted", day(1), []news.Deal{deal("Acme Robotics", "series a", money(12_000_000, "USD"))}},
			{"b1", "techcrunch", day(220), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}},
			{"b2", "businesswire", day(220), []news.Deal{deal("Acme Robotics Inc", "Series B", money(40_000_000, "USD"))}},
		}, 2},
		{"same round two years apart", []report{
			{"s1", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "seed", money(2_000_000, "USD"))}},
			{"s2", "techcrunch", day(730), []news.Deal{deal("Acme Robotics", "seed", money(2_000_000, "USD"))}},
		}, 2},
		{"series a and b within the window", []report{
			{"a1", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series A", money(12_000_000, "USD"))}},
			{"b1", "techcrunch", day(20), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}},
		}, 2},
		{"unknown round joins the known one", []report{
			{"k", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}},
			{"u", "newsletter", day(2), []news.Deal{deal("Acme", "unknown", money(40_000_000, "USD"))}},
		}, 1},
		{"unknown round with a far other amount stays apart", []report{
			{"k", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}},
			{"u", "newsletter", day(2), []news.Deal{deal("Acme Robotics", "unknown", money(3_000_000, "USD"))}},
		}, 2},
		{"other company sharing the first word", []report{
			{"r", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}},
			{"f", "techcrunch", day(1), []news.Deal{deal("Acme Foods", "Series B", money(40_000_000, "USD"))}},
		}, 2},
		{"debt is not an unknown equity round", []report{
			{"e", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "unknown", money(40_000_000, "USD"))}},
			{"d", "techcrunch", day(1), []news.Deal{deal("Acme Robotics", "debt", money(40_000_000, "USD"))}},
		}, 2},
		{"late coverage with the same round and amount joins", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series F", money(13_000_000_000, "USD"))}},
			{"b", "fortune", day(70), []news.Deal{deal("Acme Robotics", "Series F", money(13_000_000_000, "USD"))}},
		}, 1},
		{"late coverage with another amount stays apart", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series F", money(13_000_000_000, "USD"))}},
			{"b", "fortune", day(70), []news.Deal{deal("Acme Robotics", "Series F", money(6_000_000_000, "USD"))}},
		}, 2},
		{"late coverage without the round stays apart", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "Series F", money(13_000_000_000, "USD"))}},
			{"b", "fortune", day(70), []news.Deal{deal("Acme Robotics", "unknown", money(13_000_000_000, "USD"))}},
		}, 2},
		{"outlets naming different rounds for one sum join", []report{
			{"d", "reuters", day(0), []news.Deal{deal("Revolut", "Series D", money(800_000_000, "USD"))}},
			{"e", "sifted", day(1), []news.Deal{deal("Revolut Ltd", "Series E", money(800_000_000, "USD"))}},
		}, 1},
		{"one name, one round, far amounts stay apart", []report{
			{"a", "techcrunch", day(0), []news.Deal{deal("Nova", "seed", money(2_000_000, "USD"))}},
			{"b", "fiercebiotech", day(5), []news.Deal{deal("Nova", "seed", money(10_000_000, "USD"))}},
		}, 2},
		{"two deals in one article stay two", []report{
			{"x", "techcrunch", day(0), []news.Deal{
				deal("Acme Robotics", "unknown", money(40_000_000, "USD")),
				deal("Acme Robotics", "unknown", money(30_000_000, "USD")),
			}},
		}, 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := newResolver(t, Config{})
			var recs []news.Record
			for _, rp := range tt.reports {
				recs = append(recs, rp.record())
			}
			resolveAll(t, r, recs)
			ds := allDeals(t, r)
			if len(ds) != tt.want {
				var keys []string
				for _, d := range ds {
					keys = append(keys, fmt.Sprint(d.Key, sourceIDs(d)))
				}
				t.Errorf("got %d deals %v, want %d", len(ds), keys, tt.want)
			}
		})
	}
}

func dealsJSON(t testing.TB, ds []news.DealRecord) string {
	t.Helper()
	b, err := json.MarshalIndent(ds, "", " ")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func TestEditUpdatesAndReplayConverges(t *testing.T) {
	recs := fourOutlets()
	recs = append(recs, report{"a1", "techcrunch", day(-200), []news.Deal{deal("Acme Robotics", "Series A", money(12_000_000, "USD"))}}.record())
	r := newResolver(t, Config{})
	resolveAll(t, r, recs)

	// The trade-press article is edited: its amount becomes $45M.
	edited := recs[1]
	edited.Article.FetchedAt = edited.Article.FetchedAt.Add(6 * time.Hour)
	edited.ExtractedAt = edited.ExtractedAt.Add(6 * time.Hour)
	edited.Extraction.Deals = []news.Deal{deal("Acme Robotics", "Series B", money(45_000_000, "USD"), "Accel")}
	got, err := r.Resolve(t.Context(), edited)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || len(got[0].Sources) != 4 {
		t.Fatalf("edit returned %d deals, want 1 with 4 sources: %s", len(got), dealsJSON(t, got))
	}
	for _, s := range got[0].Sources {
		if s.ArticleID == "tc" && moneyKey(s.Deal.Amount) != "45000000 USD" {
			t.Errorf("edited source amount = %s, want 45000000 USD", moneyKey(s.Deal.Amount))
		}
	}
	// Now 2 articles say 40M (one a press release) and 2 say 45M: the tie
	// goes to the press release's figure.
	if moneyKey(got[0].Amount) != "40000000 USD" {
		t.Errorf("chosen amount = %s, want the press release's 40000000 USD", moneyKey(got[0].Amount))
	}
	if c := got[0].Conflicts; len(c) != 1 || len(c[0].Values) != 2 || len(c[0].Values[1].ArticleIDs) != 2 {
		t.Errorf("conflicts after edit = %+v, want 40M by pr,vb and 45M by nl,tc", c)
	}
	// Redelivery of the edited record and a replay of the old version change nothing.
	before := dealsJSON(t, allDeals(t, r))
	again, err := r.Resolve(t.Context(), edited)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(got, again); diff != "" {
		t.Errorf("redelivery returned other records:\n%s", diff)
	}
	stale, err := r.Resolve(t.Context(), recs[1])
	if err != nil || stale != nil {
		t.Errorf("older version: got %v, %v; want nothing", stale, err)
	}
	if after := dealsJSON(t, allDeals(t, r)); after != before {
		t.Errorf("redelivery or stale replay changed the deals:\n%s\nwas\n%s", after, before)
	}

	// Replaying every record (old version included) in other orders, on
	// fresh buckets, gives the same deals byte for byte.
	all := append(slices.Clone(recs), edited)
	orders := map[string][]news.Record{
		"reversed":                     reversed(all),
		"edit first, old version last": append(append([]news.Record{edited}, recs[2:]...), recs[0], recs[1]),
	}
	for name, order := range orders {
		t.Run(name, func(t *testing.T) {
			r2 := newResolver(t, Config{})
			resolveAll(t, r2, order)
			if got := dealsJSON(t, allDeals(t, r2)); got != before {
				t.Errorf("replay gives\n%s\nwant\n%s", got, before)
			}
		})
	}
}

func reversed(recs []news.Record) []news.Record {
	out := slices.Clone(recs)
	slices.Reverse(out)
	return out
}

func TestEditMovesContributionToAnotherCompany(t *testing.T) {
	r := newResolver(t, Config{})
	rec := report{"x", "techcrunch", day(0), []news.Deal{deal("Acme Robotics", "seed", money(2_000_000, "USD"))}}.record()
	resolveAll(t, r, []news.Record{rec})
	first := allDeals(t, r)
	rec.Article.FetchedAt = rec.Article.FetchedAt.Add(time.Hour)
	rec.Extraction.Deals[0].Company = "Zenith Robotics"
	got, err := r.Resolve(t.Context(), rec)
	if err != nil {
		t.Fatal(err)
	}
	ds := allDeals(t, r)
	if len(ds) != 1 || ds[0].CompanyKey != "zenith robotics" {
		t.Fatalf("deals after the edit: %s", dealsJSON(t, ds))
	}
	if ds[0].ID == first[0].ID {
		t.Fatalf("deal id %s survived the move to another company", ds[0].ID)
	}
	var tomb, live bool
	for _, d := range got {
		tomb = tomb || d.Deleted && d.ID == first[0].ID
		live = live || !d.Deleted && d.ID == ds[0].ID
	}
	if !tomb || !live {
		t.Errorf("Resolve returned %s; want the new deal and a tombstone for %s", dealsJSON(t, got), first[0].ID)
	}
}

func TestConcurrentResolvers(t *testing.T) {
	srv := bustest.NewServer(t)
	retries := &retryCounter{}
	var resolvers [2]*Resolver
	for i := range resolvers {
		_, js := bustest.Connect(t, srv)
		r, err := NewResolver(t.Context(), js, Config{}, slog.New(retries))
		if err != nil {
			t.Fatal(err)
		}
		resolvers[i] = r
	}
	var recs []news.Record
	for i := range 40 {
		o := fmt.Sprintf("outlet%02d", i)
		name := []string{"Acme Robotics", "Acme Robotics Inc.", "Acme"}[i%3]
		recs = append(recs, report{fmt.Sprintf("art%02d", i), o, day(0).Add(time.Duration(i) * time.Hour),
			[]news.Deal{deal(name, "Series B", money(40_000_000, "USD"), "Accel")}}.record())
	}
	start := make(chan struct{})
	var wg sync.WaitGroup
	errs := make([]error, len(resolvers))
	for w, r := range resolvers {
		wg.Go(func() {
			<-start
			// Worker w takes the records at positions w, w+2, ... : interleaved.
			for i := w; i < len(recs); i += len(resolvers) {
				if _, err := r.Resolve(t.Context(), recs[i]); err != nil {
					errs[w] = err
					return
				}
			}
		})
	}
	close(start)
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	ds := allDeals(t, resolvers[0])
	if len(ds) != 1 || len(ds[0].Sources) != len(recs) {
		t.Fatalf("got %d deals, want 1 with %d sources: %s", len(ds), len(recs), dealsJSON(t, ds))
	}
	t.Logf("%d compare-and-set retries", retries.n.Load())
	// The same records resolved one by one give the same record.
	seq := newResolver(t, Config{})
	resolveAll(t, seq, recs)
	if a, b := dealsJSON(t, ds), dealsJSON(t, allDeals(t, seq)); a != b {
		t.Errorf("concurrent resolution differs from sequential:\n%s\nvs\n%s", a, b)
	}
}

// retryCounter is a slog handler counting the resolver's retry messages.
type retryCounter struct{ n atomic.Int64 }

func (c *retryCounter) Enabled(context.Context, slog.Level) bool { return true }
func (c *retryCounter) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *retryCounter) WithGroup(string) slog.Handler            { return c }
func (c *retryCounter) Handle(_ context.Context, r slog.Record) error {
	if strings.Contains(r.Message, "retrying") {
		c.n.Add(1)
	}
	return nil
}

func TestNormalizeRound(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Series A+", "series a"}, {"series-a extension", "series a"}, {"Seed extension", "seed"},
		{"preseed", "pre-seed"}, {"Pre-Seed", "pre-seed"}, {"growth equity", "growth"},
		{"", "unknown"}, {"DEBT", "debt"}, {"Series B round", "series b"},
	}
	for _, tt := range tests {
		if got := NormalizeRound(tt.in); got != tt.want {
			t.Errorf("NormalizeRound(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBigEntryArchivesClosedDeals(t *testing.T) {
	r := newResolver(t, Config{MaxEntryBytes: 8 << 10})
	var recs []news.Record
	for i := range 12 {
		// Twelve seed rounds a year apart, two reports each: about 1 KB a report.
		for j, src := range []string{"techcrunch", "sifted"} {
			recs = append(recs, report{fmt.Sprintf("y%02d-%d", i, j), src, day(365*i + j),
				[]news.Deal{deal("Acme Robotics", "seed", money(int64(1+i)*1_000_000, "USD"), "Accel", "Sequoia")}}.record())
		}
	}
	resolveAll(t, r, recs)
	ds := allDeals(t, r)
	if len(ds) != 12 {
		t.Fatalf("got %d deals, want 12", len(ds))
	}
	for _, d := range ds {
		if len(d.Sources) != 2 {
			t.Errorf("deal %s has %d sources, want 2", d.Key, len(d.Sources))
		}
	}
	e, err := r.kv.Get(t.Context(), "co.acme")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(e.Value()); n > 8<<10 {
		t.Errorf("entry is %d bytes, above the 8 KiB limit", n)
	}
	archived, err := r.keys(t.Context(), "dl.>")
	if err != nil || len(archived) == 0 {
		t.Errorf("archived deals: %v, %v; want some", archived, err)
	}
	// A redelivered report of an archived deal does not start it anew.
	resolveAll(t, r, recs[:2])
	if got := allDeals(t, r); dealsJSON(t, got) != dealsJSON(t, ds) {
		t.Errorf("redelivery of an archived deal's report changed the deals")
	}
}

// TestResolveIgnoresOrder checks on random reports that the grouping and
// merge are a function of the set of contributions, not of their order.
func TestResolveIgnoresOrder(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	names := []string{"Acme", "Acme Robotics", "Acme Robotics Inc", "Acme Foods", "ACME"}
	rounds := []string{"seed", "series a", "series b", "unknown", "debt"}
	r := &Resolver{cfg: Config{}.withDefaults()}
	var cs []contribution
	for i := range 80 {
		d := deal(names[rng.IntN(len(names))], rounds[rng.IntN(len(rounds))], money(int64(1+rng.IntN(4))*10_000_000, "USD"), "Accel")
		rec := report{fmt.Sprintf("r%02d", i), []string{"businesswire", "techcrunch"}[rng.IntN(2)], day(rng.IntN(400)), []news.Deal{d}}.record()
		m, err := r.contributions(rec)
		if err != nil {
			t.Fatal(err)
		}
		cs = append(cs, m["co.acme"]...)
	}
	want := dealsJSON(t, resolve(cs, r.rules()))
	for range 20 {
		rng.Shuffle(len(cs), func(i, j int) { cs[i], cs[j] = cs[j], cs[i] })
		if got := dealsJSON(t, resolve(cs, r.rules())); got != want {
			t.Fatal("another order of the same contributions gives other deals")
		}
	}
}

func TestLateEarlierSourceRetiresID(t *testing.T) {
	r := newResolver(t, Config{})
	later := report{"later", "techcrunch", day(5), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}}.record()
	earlier := report{"earlier", "businesswire", day(0), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}}.record()
	third := report{"third", "sifted", day(6), []news.Deal{deal("Acme Robotics", "Series B", money(40_000_000, "USD"))}}.record()
	first, err := r.Resolve(t.Context(), later)
	if err != nil || len(first) != 1 {
		t.Fatalf("first report: %v, %v", first, err)
	}
	oldID := first[0].ID
	for attempt := range 2 { // the second is a redelivery
		got, err := r.Resolve(t.Context(), earlier)
		if err != nil {
			t.Fatal(err)
		}
		if len(got) != 2 || got[0].Deleted == got[1].Deleted {
			t.Fatalf("attempt %d: got %s, want the deal and one tombstone", attempt, dealsJSON(t, got))
		}
		for _, d := range got {
			if d.Deleted && d.ID != oldID || !d.Deleted && (d.ID == oldID || len(d.Sources) != 2) {
				t.Errorf("attempt %d: unexpected %s", attempt, dealsJSON(t, []news.DealRecord{d}))
			}
		}
	}
	got, err := r.Resolve(t.Context(), third)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Deleted || len(got[0].Sources) != 3 {
		t.Errorf("a later report got %s, want only the deal", dealsJSON(t, got))
	}
}

// TestUpdateStaleRead updates an entry from a read taken before another
// resolver wrote it, as Resolve does with the entries it read together with
// the article's state: the first compare-and-set conflicts, the retry reads
// the entry again, and no contribution is lost.
func TestUpdateStaleRead(t *testing.T) {
	srv := bustest.NewServer(t)
	retries := &retryCounter{}
	var rs [2]*Resolver
	for i := range rs {
		_, js := bustest.Connect(t, srv)
		r, err := NewResolver(t.Context(), js, Config{}, slog.New(retries))
		if err != nil {
			t.Fatal(err)
		}
		rs[i] = r
	}
	ctx := t.Context()
	recs := fourOutlets()
	// Round 1 conflicts with creating the entry, round 2 with updating it.
	for round, pair := range [][2]news.Record{{recs[0], recs[1]}, {recs[2], recs[3]}} {
		add, err := rs[0].contributions(pair[0])
		if err != nil {
			t.Fatal(err)
		}
		if len(add) != 1 {
			t.Fatalf("%s contributes to %d entries, want 1", pair[0].Article.ID, len(add))
		}
		for key, cs := range add {
			snap, err := bus.GetMany(ctx, rs[0].js, rs[0].cfg.Bucket, []string{key})
			if err != nil {
				t.Fatal(err)
			}
			stale := snap[key]
			if _, err := rs[1].Resolve(ctx, pair[1]); err != nil {
				t.Fatal(err)
			}
			if _, err := rs[0].update(ctx, key, pair[0].Article.ID, cs, &stale); err != nil {
				t.Fatalf("updating %s from a stale read: %v", key, err)
			}
		}
		if got := retries.n.Load(); got != int64(round+1) {
			t.Errorf("round %d: %d compare-and-set retries, want %d", round+1, got, round+1)
		}
	}
	ds := allDeals(t, rs[0])
	if len(ds) != 1 || !slices.Equal(sourceIDs(ds[0]), []string{"nl", "pr", "tc", "vb"}) {
		t.Errorf("got %s, want one deal with the four sources", dealsJSON(t, ds))
	}
}
