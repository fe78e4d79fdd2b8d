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
	"slices"
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

// envStageAs names a loader that takes the stage's place in
// BenchmarkIndexCeiling, to tell where the stage's distance from the
// ceiling comes from: "items", the ceiling's loader asking for the answer
// the store asks for (each item's _id, status and error); "store", the
// store's own bulk writes ([Store.IndexRaw] of the records' JSON, batches
// of the stage's size, as many at once as the stage has workers), without
// NATS; "burn", the ceiling's loader beside a goroutine that keeps 30% of a
// core busy, about the stage's own CPU; "ceiling", the ceiling's loader
// itself: a null pair, whose ratios show how far two sides that do the same
// work differ from round to round and run to run (the harness's noise).
const envStageAs = "DEALWIRE_BENCH_INDEX_ES_STAGE_AS"

// envRefresh, set to "off", turns the scheduled refresh off on both sides'
// indexes (refresh_interval -1; each is refreshed once after its clock
// stops, to be counted). With it on (the index's default, once a second),
// a side that runs longer for any reason gets more refreshes, so more
// segments and merges, and runs longer still: in the null pair
// ([envStageAs] "ceiling") on a loaded machine, the side with a merge (5-12 s
// of merging) more than the other was the slower in 7 of 8 such rounds, the
// eighth a tie. Off, both sides' engine work depends on the bytes alone.
const envRefresh = "DEALWIRE_BENCH_INDEX_ES_REFRESH"

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
	stageAs := os.Getenv(envStageAs)
	if !slices.Contains([]string{"", "items", "store", "burn", "ceiling"}, stageAs) {
		b.Fatalf("%s=%q: want items, store, burn, ceiling or nothing", envStageAs, stageAs)
	}
	var raws [][]byte // the records as the stream has them, for "store"
	if stageAs == "store" {
		for _, r := range recs {
			data, err := json.Marshal(r)
			if err != nil {
				b.Fatal(err)
			}
			raws = append(raws, data)
		}
	}
	b.Logf("%d records, %.1f MB of bulk bodies in %d requests of %d documents", n, float64(size)/1e6, len(bodies), cfg.Batch)
	refreshOff := false
	switch v := os.Getenv(envRefresh); v {
	case "":
	case "off":
		refreshOff = true
	default:
		b.Fatalf("%s=%q: want off or nothing", envRefresh, v)
	}
	loader := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 16}}
	defer loader.CloseIdleConnections()

	b.ResetTimer()
	for b.Loop() {
		// ceilingSide is the ceiling's loader, or with variant one of the
		// loaders that can stand in for the stage ([envStageAs]; "ceiling"
		// is the loader itself).
		ceilingSide := func(b *testing.B, round int, clock *indexstagetest.Clock, variant string) {
			s, drop := openBench(b, u, rates, refreshOff)
			before := mustNodeWork(b, loader, u)
			filter := "errors"
			if variant == "items" {
				filter = bulkAnswerFields
			}
			clock.Start()
			stopBurn := func() {}
			if variant == "burn" {
				stopBurn = burn(0.3)
			}
			defer stopBurn()
			var g errgroup.Group
			g.SetLimit(enc.cfg.Workers)
			if variant == "store" {
				for i := 0; i < len(raws); i += cfg.Batch {
					batch := raws[i:min(i+cfg.Batch, len(raws))]
					g.Go(func() error {
						for _, err := range s.IndexRaw(b.Context(), batch) {
							if err != nil {
								return err
							}
						}
						return nil
					})
				}
			} else {
				for _, body := range bodies {
					g.Go(func() error {
						return postBulk(b, loader, u+"/"+s.cfg.Index+"/_bulk?filter_path="+filter+"&require_alias=true", body)
					})
				}
			}
			if err := g.Wait(); err != nil {
				b.Fatalf("ceiling: %v", err)
			}
			stopBurn()
			clock.Stop()
			side := "ceiling"
			if variant != "" {
				side = variant + " as the stage"
			}
			logNodeWork(b, loader, u, side, round, before)
			checkCount(b, s, n)
			drop()
		}
		indexstagetest.Compare(b, n, rounds,
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				if stageAs != "" {
					ceilingSide(b, round, clock, stageAs)
					return
				}
				s, drop := openBench(b, u, rates, refreshOff)
				before := mustNodeWork(b, loader, u)
				indexstagetest.Run(b, js, s, cfg, clock)
				logNodeWork(b, loader, u, "stage", round, before)
				checkCount(b, s, n)
				drop()
			},
			func(b *testing.B, round int, clock *indexstagetest.Clock) {
				ceilingSide(b, round, clock, "")
			},
			func() (time.Duration, error) { return nodeCPU(b.Context(), loader, u) })
	}
}

// openBench opens a store on a new index and returns it with drop, which
// deletes the index; drop runs when the benchmark ends if not before. A
// side drops its index as soon as it has counted it: an index left on the
// node merges its segments in the background for a while, and took the
// node's CPU from whichever side ran next. With refreshOff the index is
// never refreshed on its own ([envRefresh]).
func openBench(b *testing.B, u string, rates *fx.Table, refreshOff bool) (s *Store, drop func()) {
	b.Helper()
	s, err := New(b.Context(), Config{URLs: []string{u}, Index: uniqueIndex(b), Rates: rates}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	if refreshOff {
		off := map[string]any{"index": map[string]any{"refresh_interval": "-1"}}
		if err := s.client.do(b.Context(), http.MethodPut, "/"+s.cfg.Index+"/_settings", off, nil); err != nil {
			b.Fatalf("turning the refresh off: %v", err)
		}
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

// getNodeStats GETs path from the node at u and decodes its JSON answer
// into ans.
func getNodeStats(ctx context.Context, c *http.Client, u, path string, ans any) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u+path, nil)
	if err != nil {
		return err
	}
	resp, err := c.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if err := json.NewDecoder(resp.Body).Decode(ans); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

// nodeCPU is the CPU time the Elasticsearch node has used: from
// /proc/<pid>/stat when the node runs on this machine (10ms steps), else
// as the node reports it (which it refreshes only every second or so).
func nodeCPU(ctx context.Context, c *http.Client, u string) (time.Duration, error) {
	if d, ok := procCPU(ctx, c, u); ok {
		return d, nil
	}
	var ans struct {
		Nodes map[string]struct {
			Process struct {
				CPU struct {
					TotalInMillis int64 `json:"total_in_millis"`
				} `json:"cpu"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if err := getNodeStats(ctx, c, u, "/_nodes/_local/stats/process?filter_path=nodes.*.process.cpu.total_in_millis,nodes.*.host", &ans); err != nil {
		return 0, err
	}
	for _, n := range ans.Nodes {
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
	var ans struct {
		Nodes map[string]struct {
			Process struct {
				ID int `json:"id"`
			} `json:"process"`
		} `json:"nodes"`
	}
	if getNodeStats(ctx, c, u, "/_nodes/_local/process?filter_path=nodes.*.process.id", &ans) != nil {
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

// nodeWork is what the node has done so far, summed over its indices: bulk
// requests (shard-level), their bytes, documents indexed, refreshes (the
// scheduled ones included), merges and their time, flushes.
type nodeWork struct {
	Bulk, BulkBytes, Docs, Refreshes, ExternalRefreshes, Merges, MergeMillis, Flushes int64
}

// readNodeWork reads the node's counters for [nodeWork].
func readNodeWork(ctx context.Context, c *http.Client, u string) (nodeWork, error) {
	var ans struct {
		Nodes map[string]struct {
			Indices struct {
				Bulk struct {
					Ops   int64 `json:"total_operations"`
					Bytes int64 `json:"total_size_in_bytes"`
				} `json:"bulk"`
				Indexing struct {
					Total int64 `json:"index_total"`
				} `json:"indexing"`
				Refresh struct {
					Total         int64 `json:"total"`
					ExternalTotal int64 `json:"external_total"`
				} `json:"refresh"`
				Merges struct {
					Total  int64 `json:"total"`
					Millis int64 `json:"total_time_in_millis"`
				} `json:"merges"`
				Flush struct {
					Total int64 `json:"total"`
				} `json:"flush"`
			} `json:"indices"`
		} `json:"nodes"`
	}
	if err := getNodeStats(ctx, c, u, "/_nodes/_local/stats/indices/bulk,indexing,refresh,merge,flush", &ans); err != nil {
		return nodeWork{}, err
	}
	for _, n := range ans.Nodes {
		i := n.Indices
		return nodeWork{i.Bulk.Ops, i.Bulk.Bytes, i.Indexing.Total, i.Refresh.Total, i.Refresh.ExternalTotal, i.Merges.Total, i.Merges.Millis, i.Flush.Total}, nil
	}
	return nodeWork{}, errors.New("node stats: no node")
}

// mustNodeWork is [readNodeWork] that fails b on an error.
func mustNodeWork(b *testing.B, c *http.Client, u string) nodeWork {
	b.Helper()
	w, err := readNodeWork(b.Context(), c, u)
	if err != nil {
		b.Fatal(err)
	}
	return w
}

// logNodeWork logs what the node did between before and now for side.
func logNodeWork(b *testing.B, c *http.Client, u, side string, round int, before nodeWork) {
	b.Helper()
	after, err := readNodeWork(b.Context(), c, u)
	if err != nil {
		b.Logf("node stats: %v", err)
		return
	}
	b.Logf("round %d %s: node did %d bulk shard requests (%.1f MB), %d documents, %d refreshes (%d external), %d merges (%d ms), %d flushes",
		round+1, side, after.Bulk-before.Bulk, float64(after.BulkBytes-before.BulkBytes)/1e6, after.Docs-before.Docs,
		after.Refreshes-before.Refreshes, after.ExternalRefreshes-before.ExternalRefreshes,
		after.Merges-before.Merges, after.MergeMillis-before.MergeMillis, after.Flushes-before.Flushes)
}

// burn keeps one goroutine busy for f of every 4ms until stop is called.
func burn(f float64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		busy := time.Duration(f * float64(4*time.Millisecond))
		for {
			select {
			case <-done:
				return
			default:
			}
			t := time.Now()
			for time.Since(t) < busy {
			}
			time.Sleep(4*time.Millisecond - busy)
		}
	}()
	return sync.OnceFunc(func() { close(done); wg.Wait() })
}
