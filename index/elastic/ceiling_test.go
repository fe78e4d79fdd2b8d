package elastic

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
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
// stage's batch size, as many in flight as the stage has workers, asking
// only for the answer's errors flag). Stage
// and ceiling take turns, in the same run; the figure to read is
// stage/ceiling. scripts/bench-index runs it:
//
//	DEALWIRE_ES_URL=http://127.0.0.1:9200 go test -run '^$' -bench IndexCeiling -benchtime 1x -timeout 1h ./index/elastic
//
// DEALWIRE_BENCH_INDEX_RECORDS and DEALWIRE_BENCH_INDEX_ROUNDS size it (see
// [indexstagetest]).
func BenchmarkIndexCeiling(b *testing.B) {
	u := indextest.ElasticURL(b)
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
			d := enc.recordLines(nil, r, nil, "index")
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
				s, drop := openBench(b, u, rates)
				indexstagetest.Run(b, js, s, cfg, clock)
				checkCount(b, s, n)
				drop()
			},
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				s, drop := openBench(b, u, rates)
				clock.Start()
				var g errgroup.Group
				g.SetLimit(enc.cfg.Workers)
				for _, body := range bodies {
					g.Go(func() error {
						return postBulk(b, loader, u+"/"+s.cfg.Index+"/_bulk?filter_path=errors&require_alias=true", body)
					})
				}
				if err := g.Wait(); err != nil {
					b.Fatalf("ceiling: %v", err)
				}
				clock.Stop()
				checkCount(b, s, n)
				drop()
			},
			func() (time.Duration, error) { return nodeCPU(b.Context(), loader, u) })
	}
}

// openBench opens a store on a new index and returns it with drop, which
// deletes the index; drop runs when the benchmark ends if not before. A
// side drops its index as soon as it has counted it: an index left on the
// node merges its segments in the background for a while, and took the
// node's CPU from whichever side ran next.
func openBench(b *testing.B, u string, rates *fx.Table) (s *Store, drop func()) {
	b.Helper()
	s, err := New(b.Context(), Config{URLs: []string{u}, Index: uniqueIndex(b), Rates: rates}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	drop = sync.OnceFunc(func() {
		ctx, cancel := contextWithTimeout(time.Minute)
		defer cancel()
		if err := s.Delete(ctx); err != nil {
			b.Error(err)
		}
		s.Close()
	})
	b.Cleanup(drop)
	return s, drop
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

// nodeCPU is the CPU time the Elasticsearch node has used: from
// /proc/<pid>/stat when the node runs on this machine (10ms steps), else
// as the node reports it (which it refreshes only every second or so).
func nodeCPU(ctx context.Context, c *http.Client, u string) (time.Duration, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet,
		u+"/_nodes/_local/stats/process?filter_path=nodes.*.process.cpu.total_in_millis,nodes.*.host", nil)
	if err != nil {
		return 0, err
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var ans struct {
		Nodes map[string]struct {
			Process struct {
				CPU struct {
					TotalInMillis int64 `json:"total_in_millis"`
				} `json:"cpu"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return 0, fmt.Errorf("decoding node stats: %w", err)
	}
	for _, n := range ans.Nodes {
		if d, ok := procCPU(ctx, c, u); ok {
			return d, nil
		}
		return time.Duration(n.Process.CPU.TotalInMillis) * time.Millisecond, nil
	}
	return 0, errors.New("node stats: no node")
}

// procCPU reads the node's user and system time from /proc, when the node
// is a process of this machine (found by the pid the node reports).
func procCPU(ctx context.Context, c *http.Client, u string) (time.Duration, bool) {
	if !strings.HasPrefix(u, "http://127.0.0.1:") && !strings.HasPrefix(u, "http://localhost:") {
		return 0, false
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+"/_nodes/_local/process?filter_path=nodes.*.process.id", nil)
	if err != nil {
		return 0, false
	}
	resp, err := c.Do(req)
	if err != nil {
		return 0, false
	}
	defer resp.Body.Close()
	var ans struct {
		Nodes map[string]struct {
			Process struct {
				ID int `json:"id"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if json.NewDecoder(resp.Body).Decode(&ans) != nil {
		return 0, false
	}
	for _, n := range ans.Nodes {
		raw, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", n.Process.ID))
		if err != nil {
			return 0, false
		}
		// Fields after the parenthesised command: state is the 3rd field
		// of the line, utime and stime the 14th and 15th, in 1/100 s.
		_, rest, ok := strings.Cut(string(raw), ") ")
		f := strings.Fields(rest)
		if !ok || len(f) < 13 {
			return 0, false
		}
		ut, err1 := strconv.ParseInt(f[11], 10, 64)
		st, err2 := strconv.ParseInt(f[12], 10, 64)
		if err1 != nil || err2 != nil {
			return 0, false
		}
		return time.Duration(ut+st) * 10 * time.Millisecond, true
	}
	return 0, false
}
