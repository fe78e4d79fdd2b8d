package elastic

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"testing"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/dealwire/dealwire/fx"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/index/indextest"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/indexstage/indexstagetest"
)

// BenchmarkIndexCeiling times the index stage (JetStream consumer, bulk
// write, per-message acks) into a fresh index beside the ceiling: the same
// documents, encoded before the clock starts, posted to _bulk of an index
// with the same mapping by a minimal loader (net/http, bodies of the
// stage's batch size, as many in flight as the stage has workers). Stage
// and ceiling take turns, in the same run; the figure to read is
// stage/ceiling. scripts/bench-index runs it:
//
//	DEALWIRE_ES_URL=http://127.0.0.1:9200 go test -run '^$' -bench IndexCeiling -benchtime 1x -timeout 1h ./index/elastic
//
// DEALWIRE_BENCH_INDEX_RECORDS and DEALWIRE_BENCH_INDEX_ROUNDS size it (see
// [indexstagetest]).
func BenchmarkIndexCeiling(b *testing.B) {
	u := esURL(b)
	n, rounds := indexstagetest.Size(b)
	recs := indextest.SyntheticRecords(n, 1)
	rates, err := fx.Default()
	if err != nil {
		b.Fatal(err)
	}
	cfg := indexstage.Config{}.WithDefaults()
	js := indexstagetest.Stream(b, recs)

	// The ceiling's bodies: each batch's documents as the store encodes them.
	enc := &Store{cfg: Config{}.WithDefaults(), rates: rates}
	var bodies [][]byte
	var size int
	for i := 0; i < len(recs); i += cfg.Batch {
		var body bytes.Buffer
		for _, r := range recs[i:min(i+cfg.Batch, len(recs))] {
			d := enc.recordLines(r, nil, "index")
			if d.err != nil {
				b.Fatal(d.err)
			}
			body.Write(d.lines)
		}
		size += body.Len()
		bodies = append(bodies, body.Bytes())
	}
	b.Logf("%d records, %.1f MB of bulk bodies in %d requests of %d documents", n, float64(size)/1e6, len(bodies), cfg.Batch)
	loader := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer loader.CloseIdleConnections()

	b.ResetTimer()
	for b.Loop() {
		indexstagetest.Compare(b, n, rounds,
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				s := openBench(b, u, rates)
				indexstagetest.Run(b, js, s, cfg, clock)
				checkCount(b, s, n)
			},
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				s := openBench(b, u, rates)
				clock.Start()
				var g errgroup.Group
				g.SetLimit(enc.cfg.Workers)
				for _, body := range bodies {
					g.Go(func() error { return postBulk(b, loader, u+"/"+s.cfg.Index+"/_bulk?require_alias=true", body) })
				}
				if err := g.Wait(); err != nil {
					b.Fatalf("ceiling: %v", err)
				}
				clock.Stop()
				checkCount(b, s, n)
			})
	}
}

// openBench opens a store on a new index, deleted when the benchmark ends.
func openBench(b *testing.B, u string, rates *fx.Table) *Store {
	b.Helper()
	s, err := New(b.Context(), Config{URLs: []string{u}, Index: uniqueIndex(b), Rates: rates}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() {
		ctx, cancel := contextWithTimeout(time.Minute)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			b.Error(err)
		}
		s.Close()
	})
	return s
}

func checkCount(b *testing.B, s *Store, want int) {
	b.Helper()
	if err := s.Refresh(b.Context()); err != nil {
		b.Fatal(err)
	}
	res, err := s.Search(b.Context(), index.Query{Size: 1})
	if err != nil {
		b.Fatal(err)
	}
	if res.Total != want {
		b.Fatalf("the index holds %d records, want %d", res.Total, want)
	}
}

// postBulk is the minimal loader: one _bulk request, failing on any item error.
func postBulk(b *testing.B, c *http.Client, url string, body []byte) error {
	req, err := http.NewRequestWithContext(b.Context(), http.MethodPost, url, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/x-ndjson")
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	var ans struct {
		Errors bool `json:"errors"`
	}
	if resp.StatusCode != http.StatusOK || json.Unmarshal(raw, &ans) != nil || ans.Errors {
		return fmt.Errorf("bulk: status %d: %.300s", resp.StatusCode, raw)
	}
	return nil
}
