package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/news"
)

// fourOutlets is one Series B reported by four outlets in different words,
// one of them with a conflicting amount, plus an unrelated round.
var fourOutlets = []struct{ source, title, body string }{
	{"wire", "Quillstone raises $40 million Series B led by Accel",
		"Quillstone, a Lisbon robotics startup, said on Tuesday it has raised $40 million in a Series B round led by Accel."},
	{"techdaily", "Lisbon's Quillstone lands $40M to scale warehouse robots",
		"Warehouse robotics company Quillstone has closed a $40M Series B. Accel led the round, with participation from Northzone."},
	{"fundingnews", "Quillstone secures $42 million in Series B funding",
		"Quillstone announced a $42 million Series B financing round led by Accel and joined by existing investor Seedcamp."},
	{"eurotech", "Accel backs Quillstone in $40 million round",
		"Accel has led a $40 million Series B investment in Quillstone, the Portuguese maker of inventory robots."},
	{"wire", "Brightmoor raises €12m seed round",
		"Brightmoor, a Dublin heat-pump startup, has raised €12m in a seed round led by Frontline Ventures."},
}

// buildBinary compiles dealwire once for tests that run it as processes.
func buildBinary(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "dealwire")
	cmd := exec.CommandContext(t.Context(), "go", "build", "-o", bin, ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("building dealwire: %v\n%s", err, out)
	}
	return bin
}

// TestTwoExtractProcessesResolveOneDeal runs two "dealwire extract --stage"
// processes and one "dealwire index" process against one NATS server and
// one Elasticsearch node, publishes four reports of one round at the same
// moment, and checks that the deal index ends with one deal with four
// sources and the conflicting amount recorded.
func TestTwoExtractProcessesResolveOneDeal(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the binary")
	}
	esURL := os.Getenv("DEALWIRE_ES_URL")
	if esURL == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("DEALWIRE_ES_URL is not set under CI: run the suite with scripts/test")
		}
		t.Skip("DEALWIRE_ES_URL not set; run scripts/test")
	}
	esIndex := fmt.Sprintf("concurrency-%d", time.Now().UnixNano())
	dropIndexAtEnd(t, esURL, esIndex)
	bin := buildBinary(t)
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	cfg := bus.Config{Embedded: bus.EmbeddedConfig{StoreDir: "unused"}}.WithDefaults()
	if err := bus.EnsureStreams(t.Context(), js, cfg); err != nil {
		t.Fatal(err)
	}

	stages := [][]string{{"extract", "--stage"}, {"extract", "--stage"}, {"index"}}
	for i, args := range stages {
		cmd := exec.Command(bin, args...)
		cmd.Env = append(os.Environ(),
			"DEALWIRE_NATS_URL="+srv.ClientURL(),
			"DEALWIRE_ES_URLS="+esURL,
			"DEALWIRE_ES_INDEX="+esIndex,
			"DEALWIRE_DATA_DIR="+t.TempDir(),
			"DEALWIRE_LOG_LEVEL=warn",
			"DEALWIRE_CONFIG=", "DEALWIRE_OBS_ADDR=127.0.0.1:0",
		)
		out, err := os.Create(filepath.Join(t.TempDir(), fmt.Sprintf("%s-%d.log", args[0], i)))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = out, out
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %v: %v", args, err)
		}
		t.Cleanup(func() {
			_ = cmd.Process.Signal(syscall.SIGTERM)
			if err := cmd.Wait(); err != nil {
				log, _ := os.ReadFile(out.Name())
				t.Errorf("process %v: %v\n%s", args, err, log)
			}
			out.Close()
		})
	}

	// Publish every report at the same moment.
	published := time.Date(2026, 11, 17, 9, 0, 0, 0, time.UTC)
	var wg sync.WaitGroup
	for i, o := range fourOutlets {
		wg.Go(func() {
			url := fmt.Sprintf("https://%s.example/news/%d", o.source, i)
			a := news.Article{
				V: news.SchemaVersion, ID: news.ArticleID(url), URL: url, CanonicalURL: url, Source: o.source,
				Title: o.title, Text: o.title + "\n" + o.body,
				PublishedAt: published.Add(time.Duration(i) * time.Hour), FetchedAt: time.Now().UTC(),
			}
			if _, err := bus.Publish(t.Context(), js, news.ArticleSubject(a.Source), a.ID, a); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()

	resolver, err := deals.NewResolver(t.Context(), js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	var all []news.DealRecord
	deadline := time.Now().Add(60 * time.Second)
	for {
		all, err = resolver.Deals(t.Context())
		if err != nil {
			t.Fatal(err)
		}
		if sources(all) == len(fourOutlets) || time.Now().After(deadline) {
			break
		}
		time.Sleep(50 * time.Millisecond) // polling with a deadline
	}
	if len(all) != 2 {
		t.Fatalf("resolved %d deals, want 2 (Quillstone and Brightmoor): %+v", len(all), all)
	}
	var q news.DealRecord
	for _, d := range all {
		if d.Company == "Quillstone" {
			q = d
		}
	}
	if len(q.Sources) != 4 || q.Round != "series b" {
		t.Fatalf("Quillstone deal has %d sources, round %q; want 4 sources of one series b", len(q.Sources), q.Round)
	}
	if q.Amount == nil || q.Amount.Value.Float64() != 40e6 {
		t.Errorf("chosen amount %+v, want the most-cited $40M", q.Amount)
	}
	var conflict bool
	for _, c := range q.Conflicts {
		conflict = conflict || c.Field == "amount" && len(c.Values) == 2
	}
	if !conflict {
		t.Errorf("the $42M report is not recorded as a conflict: %+v", q.Conflicts)
	}
	waitConsumed(t, js, news.StreamArticles, "extract")
	waitConsumed(t, js, news.StreamDeals, "index-deals")

	// The index process wrote the same single deal to Elasticsearch.
	store, err := elastic.New(t.Context(), elastic.Config{URLs: []string{esURL}, Index: esIndex}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := store.Refresh(t.Context()); err != nil {
		t.Fatal(err)
	}
	res, err := store.SearchDeals(t.Context(), index.Query{Company: "Quillstone"})
	if err != nil {
		t.Fatal(err)
	}
	if res.Total != 1 || len(res.Hits[0].Deal.Sources) != 4 {
		t.Fatalf("Elasticsearch holds %d Quillstone deals (want 1 with 4 sources): %+v", res.Total, res.Hits)
	}
	if got := res.Hits[0].Deal.ID; got != q.ID {
		t.Errorf("indexed deal id %s, resolved deal id %s", got, q.ID)
	}
}

func sources(ds []news.DealRecord) int {
	n := 0
	for _, d := range ds {
		n += len(d.Sources)
	}
	return n
}

// consumerBusy reports what a durable consumer still holds: "" when it has
// acked everything, else a description (see [bustest.Busy]).
func consumerBusy(t *testing.T, js jetstream.JetStream, stream, durable string) string {
	t.Helper()
	busy, err := bustest.Busy(t.Context(), js, stream, durable)
	if err != nil {
		t.Fatal(err)
	}
	return busy
}

// waitConsumed waits until a durable consumer has acked everything.
func waitConsumed(t *testing.T, js jetstream.JetStream, stream, durable string) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for {
		busy := consumerBusy(t, js, stream, durable)
		if busy == "" {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("consumer on %s not done after 30s: %s", stream, busy)
		}
		time.Sleep(50 * time.Millisecond) // polling with a deadline
	}
}
