package extractstage

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
	"go.uber.org/goleak"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/extract"
	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/news"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestFillUSD(t *testing.T) {
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	ex := extract.Extract("Kovo raises €18 million\nKovo, a Berlin startup, raised €18 million in a Series A round at a $100 million valuation. Its revenue was £2 million.")
	fillUSD(&ex, rates)
	if len(ex.Deals) != 1 || ex.Deals[0].Amount == nil {
		t.Fatalf("extraction: %+v", ex)
	}
	eur, _ := rates.USD(18e6, "EUR")
	if got := ex.Deals[0].Amount.USD; got != eur || got == 0 {
		t.Errorf("amount USD = %v, want %v", got, eur)
	}
	if v := ex.Deals[0].Valuation; v == nil || v.USD != 100e6 {
		t.Errorf("valuation USD = %+v, want 1e8", v)
	}
	for _, f := range ex.OtherAmounts {
		if f.Currency == "GBP" && f.USD == 0 {
			t.Errorf("other amount %q has no USD value", f.Text)
		}
	}
}

const kovo = "Kovo, a Berlin startup, raised €18 million in a Series A round led by Index Ventures. " +
	"The company makes software for warehouses and will use the money to hire engineers in Berlin and Lisbon."

// TestStage runs the stage against a real NATS server: an article becomes a
// record with fingerprint and USD values and a deal on DEALS, and a copy of
// it under another URL updates the first record instead of making a second.
func TestStage(t *testing.T) {
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := bus.Config{}.WithDefaults()
	ctx := t.Context()
	if err := bus.EnsureStreams(ctx, js, cfg); err != nil {
		t.Fatal(err)
	}
	rates, err := fx.Default()
	if err != nil {
		t.Fatal(err)
	}
	st, err := New(ctx, js, Config{Workers: 1}, Options{NATS: cfg, Rates: rates})
	if err != nil {
		t.Fatal(err)
	}
	runCtx, cancel := context.WithCancel(ctx)
	done := make(chan error, 1)
	go func() { done <- st.Run(runCtx) }()
	t.Cleanup(func() {
		cancel()
		if err := <-done; err != nil && !errors.Is(err, context.Canceled) {
			t.Errorf("Run: %v", err)
		}
	})

	for _, a := range []news.Article{
		{ID: "a1", URL: "https://one.example/kovo", Source: "one", Title: "Kovo raises €18M", Text: kovo},
		{ID: "a2", URL: "https://two.example/kovo", Source: "two", Title: "Kovo raises €18M", Text: kovo},
	} {
		if _, err := bus.Publish(ctx, js, news.ArticleSubject(a.Source), a.MsgID(), a); err != nil {
			t.Fatal(err)
		}
	}
	waitAcked(t, js, 2)
	recs := read[news.Record](t, js, news.StreamRecords, 1)
	if s, err := js.Stream(ctx, news.StreamRecords); err != nil {
		t.Fatal(err)
	} else if info, err := s.Info(ctx); err != nil {
		t.Fatal(err)
	} else if info.State.Msgs != 1 {
		t.Errorf("RECORDS holds %d records, want 1 (the copy has the first article's id and content)", info.State.Msgs)
	}
	for _, r := range recs {
		if r.Article.ID != "a1" {
			t.Errorf("record of %s has id %s, want a1 (the near-duplicate takes the first article's id)", r.Article.URL, r.Article.ID)
		}
		if r.Article.Fingerprint == "" {
			t.Errorf("record of %s has no fingerprint", r.Article.URL)
		}
		if len(r.Extraction.Deals) != 1 || r.Extraction.Deals[0].Amount == nil || r.Extraction.Deals[0].Amount.USD == 0 {
			t.Errorf("record of %s: deals %+v, want one with a USD amount", r.Article.URL, r.Extraction.Deals)
		}
	}
	dls := read[news.DealRecord](t, js, news.StreamDeals, 1)
	if dls[0].Company != "Kovo" {
		t.Errorf("deal company = %q, want Kovo", dls[0].Company)
	}
}

// waitAcked waits until the extract consumer has acked n articles.
func waitAcked(t *testing.T, js jetstream.JetStream, n uint64) {
	t.Helper()
	ctx := t.Context()
	deadline := time.Now().Add(30 * time.Second)
	for {
		c, err := js.Consumer(ctx, news.StreamArticles, "extract")
		if err != nil {
			t.Fatal(err)
		}
		info, err := c.Info(ctx)
		if err != nil {
			t.Fatal(err)
		}
		if info.AckFloor.Stream >= n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("extract consumer acked up to %d, want %d", info.AckFloor.Stream, n)
		}
		select {
		case <-ctx.Done():
			t.Fatal(ctx.Err())
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// read waits for n messages on stream and decodes them.
func read[T any](t *testing.T, js jetstream.JetStream, stream string, n int) []T {
	t.Helper()
	ctx := t.Context()
	s, err := js.Stream(ctx, stream)
	if err != nil {
		t.Fatal(err)
	}
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{})
	if err != nil {
		t.Fatal(err)
	}
	var out []T
	deadline := time.Now().Add(30 * time.Second)
	for len(out) < n && time.Now().Before(deadline) {
		m, err := cons.Next(jetstream.FetchMaxWait(time.Second))
		if err != nil {
			continue
		}
		var v T
		if err := json.Unmarshal(m.Data(), &v); err != nil {
			t.Fatal(err)
		}
		out = append(out, v)
	}
	if len(out) < n {
		t.Fatalf("%s: %d messages, want %d", stream, len(out), n)
	}
	return out
}
