package faults

import (
	"context"
	"fmt"
	"io"
	"maps"
	"math"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/company"
	"github.com/dealwire/dealwire/deals"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/news"
)

// params size a run. CI uses the defaults; scripts/faults sets the long
// run's through the environment.
type params struct {
	articles     int           // unique articles (DEALWIRE_FAULTS_ARTICLES)
	kills        int           // SIGKILLs of each of extract and index (DEALWIRE_FAULTS_KILLS)
	esOutage     time.Duration // how long Elasticsearch stays stopped before it is started again (DEALWIRE_FAULTS_ES_OUTAGE)
	natsRestarts int           // NATS server restarts (DEALWIRE_FAULTS_NATS_RESTARTS)
	esPort       string        // port of the test's own Elasticsearch node (DEALWIRE_FAULTS_ES_PORT); default a free one
	seed         uint64        // corpus seed (DEALWIRE_FAULTS_SEED)
}

func readParams(t *testing.T) params {
	t.Helper()
	p := params{articles: 200, kills: 3, esOutage: 60 * time.Second, natsRestarts: 1, seed: 1}
	num := func(name string, v *int) {
		if s := os.Getenv(name); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				t.Fatalf("%s=%q: want a count", name, s)
			}
			*v = n
		}
	}
	num("DEALWIRE_FAULTS_ARTICLES", &p.articles)
	num("DEALWIRE_FAULTS_KILLS", &p.kills)
	num("DEALWIRE_FAULTS_NATS_RESTARTS", &p.natsRestarts)
	if s := os.Getenv("DEALWIRE_FAULTS_ES_OUTAGE"); s != "" {
		d, err := time.ParseDuration(s)
		if err != nil {
			t.Fatalf("DEALWIRE_FAULTS_ES_OUTAGE=%q: %v", s, err)
		}
		p.esOutage = d
	}
	if s := os.Getenv("DEALWIRE_FAULTS_ES_PORT"); s != "" {
		p.esPort = s
	}
	if s := os.Getenv("DEALWIRE_FAULTS_SEED"); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("DEALWIRE_FAULTS_SEED=%q: %v", s, err)
		}
		p.seed = n
	}
	if p.articles < 20 {
		t.Fatalf("DEALWIRE_FAULTS_ARTICLES=%d: want at least 20", p.articles)
	}
	return p
}

// Stages and the streams they read.
const (
	stageFetch   = "fetch"
	stageExtract = "extract"
	stageIndex   = "index"
	stepES       = "elasticsearch"
	stepNATS     = "nats"
)

// TestFaults runs fetch, extract and index as separate processes against a
// nats-server process and an Elasticsearch node of its own, loads generated
// articles from local feeds and meanwhile SIGKILLs extract and index
// (restarting each at once, as a supervisor would), stops Elasticsearch for
// p.esOutage and restarts the NATS server. Then it waits until nothing
// moves and checks that the index holds exactly the unique articles, that
// the indexed deals are exactly those the resolver makes of the indexed
// records on a fresh server, that nothing is duplicated and that DEAD is
// empty. It reports how long each stage took to move again after a kill,
// the outage lengths and the index process's memory during the outage;
// none of those times is asserted.
func TestFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("the faults suite takes minutes")
	}
	if os.Getenv("DEALWIRE_ES_URL") == "" && os.Getenv("CI") != "true" && os.Getenv("DEALWIRE_FAULTS") == "" {
		t.Skip("runs under scripts/test or scripts/faults (set DEALWIRE_FAULTS=1 to run it alone): it starts its own Elasticsearch node and takes minutes")
	}
	p := readParams(t)
	r := &run{t: t, p: p, ctx: t.Context(), began: time.Now(), recoveries: map[string][]time.Duration{}, stalled: map[string]int{}, held: map[string][]int{}}
	r.setUp()
	r.load()
	r.check()
	r.tearDown()
	r.report()
}

// run is one faults run: its processes, services and figures.
type run struct {
	t     *testing.T
	p     params
	ctx   context.Context
	began time.Time

	stories []story
	rounds  []round
	feeds   *newsFeeds
	chunk   int
	// outageShare is how many articles arrive while Elasticsearch is down.
	outageShare int

	logDir  string
	es      *elasticsearch
	alias   string
	natsURL string
	nats    *proc
	stages  map[string]*proc
	obsAddr map[string]string // each stage process's /metrics and /readyz
	mon     *natsMonitor

	// figures
	minDistance int
	recoveries  map[string][]time.Duration // per stage: kill to its output moving again
	stalled     map[string]int             // kills after which nothing moved within the limit
	held        map[string][]int           // per stage: messages the killed process held unacknowledged
	esOutages   []esOutage
	natsDowns   []natsDown
	unexpected  []string // processes that exited without being asked
	settled     time.Duration
	final       finalCounts
}

type esOutage struct {
	// stopped: from the stop command to the start command; stopTook: the
	// stop command itself; down: stop command to healthy again;
	// recovered: healthy to the index moving.
	stopped, stopTook, down, recovered time.Duration
	rssBefore, rssPeak, hwm            int64 // index process: before, sampled peak during, VmHWM at the end
	samples                            int
	moved                              bool
}

type natsDown struct {
	down, recovered time.Duration
	moved           bool
}

type finalCounts struct {
	items, records, wantRecords, deals, liveDeals, oracleDeals, dead, sameCompanyRound, roundsFound int
}

func (r *run) setUp() {
	t := r.t
	r.stories, r.rounds = generate(r.p.articles, r.p.seed)
	r.minDistance = checkDistinct(t, r.stories)
	r.feeds = newNewsFeeds(t, r.stories)

	var err error
	r.logDir, err = os.MkdirTemp(os.Getenv("DEALWIRE_TEST_ARTIFACTS"), "dealwire-faults-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("process logs kept in %s", r.logDir)
			return
		}
		os.RemoveAll(r.logDir)
	})

	// Build both binaries while the Elasticsearch node starts. The node is
	// the test's own, on a port nothing else uses (other checkouts on the
	// machine may run this suite at the same time): it is stopped and
	// started again, and removed at the end with its data.
	port := r.p.esPort
	if port == "" {
		port = strconv.Itoa(freeESPort(t))
	}
	r.es = &elasticsearch{port: port, url: "http://127.0.0.1:" + port, client: newHTTPClient()}
	r.es.wasRunning = r.es.answers()
	if r.es.wasRunning && r.p.esPort == "" {
		t.Fatalf("something answers on the free port %s", port)
	}
	esData := filepath.Join(root, ".cache", "elasticsearch", "data-"+port)
	_, statErr := os.Stat(esData)
	freshData := os.IsNotExist(statErr)
	esErr := make(chan error, 1)
	go func() { esErr <- r.es.ctl("start") }()
	binDir := t.TempDir()
	dealwire, natsServer, buildErr := buildBinaries(t, binDir)
	if err := <-esErr; err != nil {
		if os.Getenv("CI") == "true" || os.Getenv("DEALWIRE_FAULTS") != "" {
			t.Fatal(err)
		}
		t.Skipf("no Elasticsearch node of its own: %v", err)
	}
	t.Cleanup(func() {
		if r.es.wasRunning {
			return
		}
		if err := r.es.ctl("stop"); err != nil {
			t.Error(err)
		}
		esLog := filepath.Join(root, ".cache", "elasticsearch", "es-"+port+".log")
		if t.Failed() {
			if b, err := os.ReadFile(esLog); err == nil {
				_ = os.WriteFile(filepath.Join(r.logDir, "elasticsearch.log"), b, 0o644)
			}
		}
		if freshData {
			os.RemoveAll(esData)
			os.Remove(esLog)
		}
	})
	if buildErr != nil {
		t.Fatal(buildErr)
	}
	r.alias = fmt.Sprintf("faults-%d", time.Now().UnixNano())
	t.Cleanup(func() {
		if !t.Failed() && r.es.answers() {
			// Leave the node as it was; the indexes of a failed run stay for a look.
			_ = r.es.do(context.Background(), "DELETE", "/"+r.alias+"-*", nil, nil)
		}
	})

	// The NATS server: JetStream on disk, restarted on the same port and store.
	natsPort := freePort(t)
	r.natsURL = fmt.Sprintf("nats://127.0.0.1:%d", natsPort)
	r.nats = &proc{name: "nats-server", bin: natsServer, logDir: r.logDir, env: os.Environ(),
		args: []string{"-a", "127.0.0.1", "-p", strconv.Itoa(natsPort), "-js", "-sd", t.TempDir(), "-n", "faults"}}
	if err := r.nats.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _, _ = r.nats.signal(syscall.SIGTERM, time.Minute) })
	if err := natsReady(r.ctx, r.natsURL, time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, tail(r.nats.lastLog(), 20))
	}
	r.mon, err = connectMonitor(r.natsURL)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.mon.nc.Close)

	cfg := r.writeConfig(t.TempDir())
	env := []string{"DEALWIRE_CONFIG=" + cfg}
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DEALWIRE_") {
			env = append(env, kv)
		}
	}
	r.stages = map[string]*proc{}
	for _, st := range []struct {
		name string
		args []string
	}{
		{stageIndex, []string{"index"}},
		{stageExtract, []string{"extract", "--stage"}},
		{stageFetch, []string{"fetch"}},
	} {
		// Each process its own metrics address, kept across restarts.
		if r.obsAddr == nil {
			r.obsAddr = map[string]string{}
		}
		r.obsAddr[st.name] = fmt.Sprintf("127.0.0.1:%d", freePort(t))
		stEnv := append(slices.Clone(env), "DEALWIRE_OBS_ADDR="+r.obsAddr[st.name])
		pr := &proc{name: st.name, bin: dealwire, args: st.args, env: stEnv, logDir: r.logDir}
		if err := pr.start(); err != nil {
			t.Fatal(err)
		}
		r.stages[st.name] = pr
	}
	t.Cleanup(func() {
		for _, pr := range r.stages {
			_, _ = pr.signal(syscall.SIGKILL, time.Minute) // a no-op when tearDown stopped it
		}
	})
}

// writeConfig writes the stages' configuration: the defaults, except the
// feeds (polled every second or two, the text taken from the feed) and the
// addresses of the services.
func (r *run) writeConfig(dir string) string {
	var feeds strings.Builder
	for _, f := range r.feeds.feeds() {
		fmt.Fprintf(&feeds, "    - {name: %s, url: %q, full_text: never}\n", f, r.feeds.feedURL(f))
	}
	yaml := fmt.Sprintf(`data_dir: %s
log_level: info
feeds_file: ""
nats:
  url: %q
elasticsearch:
  urls: [%q]
  index: %s
ingest:
  allow_private: [127.0.0.1]
  ignore_robots: true
  host_delay: 0s
  host_concurrency: 4
  interval: 1s
  min_interval: 1s
  max_interval: 2s
  max_backoff: 10s
  jitter: 0
  max_items_per_poll: 5000
  seen_items: 50000
  feeds:
%s`, dir, r.natsURL, r.es.url, r.alias, feeds.String())
	path := filepath.Join(dir, "dealwire.yaml")
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		r.t.Fatal(err)
	}
	return path
}

// steps is the order of the faults: half the kills (extract and index in
// turn), the Elasticsearch outage, then the other kills with the NATS
// restarts spread among them.
func (r *run) steps() []string {
	var kills []string
	for i := range 2 * r.p.kills {
		kills = append(kills, []string{stageExtract, stageIndex}[i%2])
	}
	half := len(kills) / 2
	out := append(slices.Clone(kills[:half]), stepES)
	after := slices.Clone(kills[half:])
	n := len(after)
	for i := range r.p.natsRestarts {
		after = slices.Insert(after, i*n/r.p.natsRestarts+i, stepNATS)
	}
	return append(out, after...)
}

// load feeds the articles in chunks, one before each fault (and a fifth of
// them while Elasticsearch is down), and injects the faults.
func (r *run) load() {
	t := r.t
	steps := r.steps()
	// A fifth of the articles arrive while Elasticsearch is down; the rest
	// in chunks, one before the first step, one per step and one at the end.
	r.outageShare = len(r.stories) / 5
	r.chunk = int(math.Ceil(float64(len(r.stories)-r.outageShare) / float64(len(steps)+2)))
	t.Logf("%d unique articles (%d rounds; least SimHash distance %d bits), chunks of %d, %d during the outage, faults: %s",
		len(r.stories), len(r.rounds), r.minDistance, r.chunk, r.outageShare, strings.Join(steps, " "))

	r.feeds.reveal(r.chunk)
	if !r.waitFor(5*time.Minute, func() bool { return r.indexCount() > 0 }) {
		t.Fatalf("nothing was indexed within 5 minutes of the start; logs in %s", r.logDir)
	}
	for i, step := range steps {
		switch step {
		case stageExtract, stageIndex:
			r.kill(step)
		case stepES:
			r.outage()
		case stepNATS:
			r.restartNATS()
		}
		t.Logf("step %d/%d (%s) done after %s: %d articles in the feeds, %d indexed", i+1, len(steps), step,
			time.Since(r.began).Round(time.Second), r.feeds.shown(), r.indexCount())
	}
	r.feeds.reveal(len(r.stories))
	lastFault := time.Now()

	// Settled: every consumer idle and no count moving for 20 s.
	type snapshot struct {
		articles, records, deals uint64
		indexed, dealsIndexed    int
	}
	var last snapshot
	var since time.Time
	ok := r.waitFor(15*time.Minute, func() bool {
		s := snapshot{r.mon.lastSeq(r.ctx, news.StreamArticles), r.mon.lastSeq(r.ctx, news.StreamRecords),
			r.mon.lastSeq(r.ctx, news.StreamDeals), r.indexCount(), r.es.count(r.ctx, r.alias+"-deals")}
		idle := r.mon.idle(r.ctx, news.StreamArticles, "extract") && r.mon.idle(r.ctx, news.StreamRecords, "index") &&
			r.mon.idle(r.ctx, news.StreamDeals, "index-deals")
		if s != last || !idle || s.indexed < 0 {
			last, since = s, time.Now()
			return false
		}
		return time.Since(since) >= 20*time.Second
	})
	r.settled = time.Since(lastFault)
	if !ok {
		t.Errorf("the pipeline did not settle within 15 minutes of the last fault; logs in %s", r.logDir)
	}
}

// waitFor polls cond until it holds or limit passes, restarting any stage
// that exited on its own meanwhile (as a supervisor would; each such exit
// is reported).
func (r *run) waitFor(limit time.Duration, cond func() bool) bool {
	deadline := time.Now().Add(limit)
	for {
		r.supervise()
		if cond() {
			return true
		}
		if time.Now().After(deadline) || r.ctx.Err() != nil {
			return false
		}
		time.Sleep(200 * time.Millisecond) // polling with a deadline
	}
}

func (r *run) supervise() {
	for _, name := range []string{stageFetch, stageExtract, stageIndex} {
		pr := r.stages[name]
		if state, ok := pr.exitedUnasked(); ok {
			msg := fmt.Sprintf("%s exited on its own (%s) at %s; last lines of %s:\n%s",
				name, state, time.Since(r.began).Round(time.Second), pr.lastLog(), tail(pr.lastLog(), 15))
			r.unexpected = append(r.unexpected, msg)
			r.t.Log(msg)
			if err := pr.start(); err != nil {
				r.t.Fatal(err)
			}
		}
	}
}

// indexCount is how many records the index holds, made visible first; -1
// when the node does not answer.
func (r *run) indexCount() int {
	_ = r.es.do(r.ctx, "POST", "/"+r.alias+"/_refresh", nil, nil) // a node that is down shows in the count
	return r.es.count(r.ctx, r.alias)
}

// progress is what grows when a stage works: the records published (extract)
// or the records indexed (index).
func (r *run) progress(stage string) int {
	if stage == stageExtract {
		return int(r.mon.lastSeq(r.ctx, news.StreamRecords))
	}
	return r.indexCount()
}

// kill SIGKILLs a stage while it has work in hand, starts it again at once
// and measures the time from the kill until its output moves again. Half
// the chunk arrives before the kill, half after: the feeds keep publishing.
func (r *run) kill(stage string) {
	input := map[string]string{stageExtract: news.StreamArticles, stageIndex: news.StreamRecords}[stage]
	durable := stage
	seq := r.mon.lastSeq(r.ctx, input)
	r.feeds.reveal(r.feeds.shown() + r.chunk/2)
	r.waitFor(time.Minute, func() bool { return r.mon.lastSeq(r.ctx, input) > seq })
	r.waitFor(10*time.Second, func() bool {
		c := r.mon.consumer(r.ctx, input, durable)
		return c != nil && c.NumAckPending > 0
	})
	held := -1
	if c := r.mon.consumer(r.ctx, input, durable); c != nil {
		held = c.NumAckPending
	}
	r.held[stage] = append(r.held[stage], held)
	pr := r.stages[stage]
	if _, err := pr.signal(syscall.SIGKILL, time.Minute); err != nil {
		r.t.Fatal(err)
	}
	killed := time.Now()
	base := r.progress(stage)
	if err := pr.start(); err != nil {
		r.t.Fatal(err)
	}
	r.feeds.reveal(r.feeds.shown() + r.chunk - r.chunk/2)
	if r.waitFor(2*time.Minute, func() bool { return r.progress(stage) > base }) {
		r.recoveries[stage] = append(r.recoveries[stage], time.Since(killed))
		r.t.Logf("%s killed holding %d messages: moving again after %s", stage, r.held[stage][len(r.held[stage])-1],
			time.Since(killed).Round(100*time.Millisecond))
	} else {
		r.stalled[stage]++
		r.t.Logf("%s did not move within 2 minutes of its kill", stage)
	}
}

// outage stops the Elasticsearch node while records keep arriving, keeps
// it stopped for p.esOutage, starts it again and measures how long the
// index stage took to move once the node answered. It samples the index
// process's memory meanwhile.
func (r *run) outage() {
	t := r.t
	seq := r.mon.lastSeq(r.ctx, news.StreamRecords)
	r.feeds.reveal(r.feeds.shown() + r.chunk)
	r.waitFor(time.Minute, func() bool { return r.mon.lastSeq(r.ctx, news.StreamRecords) > seq })
	idx := r.stages[stageIndex]
	pid := idx.pid()
	var o esOutage
	o.rssBefore, _, _ = memory(pid)
	sample := func() {
		if rss, hwm, err := memory(pid); err == nil {
			o.rssPeak, o.hwm = max(o.rssPeak, rss), hwm
			o.samples++
		}
	}
	began := time.Now()
	if err := r.es.ctl("stop"); err != nil {
		t.Fatal(err)
	}
	o.stopTook = time.Since(began)
	if r.es.answers() {
		t.Fatalf("Elasticsearch on port %s still answers after scripts/elasticsearch stop", r.es.port)
	}
	// More articles arrive while the node is down, a few at a time.
	target := r.feeds.shown() + r.outageShare
	from := r.feeds.shown()
	for time.Since(began) < r.p.esOutage {
		frac := float64(time.Since(began)) / float64(r.p.esOutage)
		r.feeds.reveal(from + int(frac*float64(target-from)))
		sample()
		r.supervise()
		time.Sleep(time.Second) // the outage lasts this long on purpose
	}
	r.feeds.reveal(target)
	o.stopped = time.Since(began)
	started := make(chan error, 1)
	go func() { started <- r.es.ctl("start") }()
	var err error
	for waiting := true; waiting; {
		select {
		case err = <-started:
			waiting = false
		case <-time.After(time.Second):
			sample()
		}
	}
	if err != nil {
		t.Fatal(err)
	}
	o.down = time.Since(began)
	if idx.pid() != pid {
		t.Errorf("the index process was restarted during the outage; its memory figures are partial")
	}
	healthy := time.Now()
	base := r.indexCount()
	o.moved = r.waitFor(5*time.Minute, func() bool { return r.indexCount() > base })
	o.recovered = time.Since(healthy)
	r.esOutages = append(r.esOutages, o)
	t.Logf("Elasticsearch stopped for %s (unavailable %s); index moved %s after it answered; index RSS %s before, peak %s during",
		o.stopped.Round(time.Second), o.down.Round(time.Second), o.recovered.Round(100*time.Millisecond), mib(o.rssBefore), mib(o.rssPeak))
}

// restartNATS stops the NATS server with SIGTERM and starts it again on
// the same port and store, then measures how long the index took to move.
func (r *run) restartNATS() {
	t := r.t
	seq := r.mon.lastSeq(r.ctx, news.StreamArticles)
	r.feeds.reveal(r.feeds.shown() + r.chunk/2)
	r.waitFor(time.Minute, func() bool { return r.mon.lastSeq(r.ctx, news.StreamArticles) > seq })
	began := time.Now()
	if state, err := r.nats.signal(syscall.SIGTERM, time.Minute); err != nil {
		t.Fatal(err)
	} else if !state.Success() {
		t.Logf("nats-server exited with %s on SIGTERM", state)
	}
	if err := r.nats.start(); err != nil {
		t.Fatal(err)
	}
	if err := natsReady(r.ctx, r.natsURL, time.Minute); err != nil {
		t.Fatalf("%v\n%s", err, tail(r.nats.lastLog(), 20))
	}
	var d natsDown
	d.down = time.Since(began)
	up := time.Now()
	base := r.indexCount()
	r.feeds.reveal(r.feeds.shown() + r.chunk - r.chunk/2)
	d.moved = r.waitFor(3*time.Minute, func() bool { return r.indexCount() > base })
	d.recovered = time.Since(up)
	r.natsDowns = append(r.natsDowns, d)
}

// check compares the index with what it must hold.
func (r *run) check() {
	t := r.t
	ctx := r.ctx
	r.final.items = r.feeds.items()
	r.checkMetrics()

	// Records: exactly one per unique article.
	want := map[string]string{}
	for _, s := range r.stories {
		want[r.feeds.articleID(t, s)] = s.slug
	}
	ids, err := r.es.ids(ctx, r.alias)
	if err != nil {
		t.Fatal(err)
	}
	r.final.records, r.final.wantRecords = len(ids), len(want)
	got := map[string]bool{}
	for _, id := range ids {
		got[id] = true
		if _, ok := want[id]; !ok {
			t.Errorf("the index holds record %s, which is no unique article's id (a duplicate under another id?)", id)
		}
	}
	var missing []string
	for id, slug := range want {
		if !got[id] {
			missing = append(missing, slug+" ("+id+")")
		}
	}
	if len(missing) > 0 || len(ids) != len(want) {
		slices.Sort(missing)
		t.Errorf("the index holds %d records, want %d; missing %d: %s", len(ids), len(want), len(missing), strings.Join(missing[:min(len(missing), 10)], ", "))
	}

	// DEAD holds nothing.
	if st := r.mon.stream(ctx, news.StreamDead); st == nil {
		t.Error("cannot read the DEAD stream")
	} else {
		r.final.dead = int(st.Msgs)
		if st.Msgs > 0 {
			t.Errorf("DEAD holds %d messages, want 0:\n%s", st.Msgs, r.deadReasons(st.FirstSeq, st.LastSeq))
		}
	}

	// Deals: the index holds exactly the deals the resolver's state holds,
	// which are exactly those a fresh resolver makes of the indexed records.
	store, err := elastic.New(ctx, elastic.Config{URLs: []string{r.es.url}, Index: r.alias}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	dealIDs, err := r.es.ids(ctx, r.alias+"-deals")
	if err != nil {
		t.Fatal(err)
	}
	indexed := map[string]news.DealRecord{}
	for _, id := range dealIDs {
		d, err := store.GetDeal(ctx, id)
		if err != nil {
			t.Fatalf("reading indexed deal %s: %v", id, err)
		}
		indexed[id] = d
	}
	live, err := deals.NewResolver(ctx, r.mon.js, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	liveDeals, err := live.Deals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oracleSrv := bustest.NewServer(t)
	_, ojs := bustest.Connect(t, oracleSrv)
	oracle, err := deals.NewResolver(ctx, ojs, deals.Config{}, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range ids {
		rec, err := store.Get(ctx, id)
		if err != nil {
			t.Fatalf("reading indexed record %s: %v", id, err)
		}
		if _, err := oracle.Resolve(ctx, rec); err != nil {
			t.Fatalf("resolving record %s on a fresh server: %v", id, err)
		}
	}
	oracleDeals, err := oracle.Deals(ctx)
	if err != nil {
		t.Fatal(err)
	}
	r.final.deals, r.final.liveDeals, r.final.oracleDeals = len(indexed), countLive(liveDeals), countLive(oracleDeals)
	compareDeals(t, "the resolver's state on the faulted server", byID(liveDeals), indexed)
	compareDeals(t, "a fresh resolver over the indexed records", byID(oracleDeals), indexed)

	// Nothing duplicated: no deal lists an article twice, and no two deals
	// share a company and round unless the fresh resolver makes them too.
	pairs := func(ds map[string]news.DealRecord) int {
		seen, dup := map[string]bool{}, 0
		for _, d := range ds {
			k := d.CompanyKey + "|" + d.Round
			if seen[k] {
				dup++
			}
			seen[k] = true
		}
		return dup
	}
	r.final.sameCompanyRound = pairs(indexed)
	if o := pairs(byID(oracleDeals)); r.final.sameCompanyRound != o {
		t.Errorf("%d indexed deals repeat a company and round, a fresh resolver makes %d such", r.final.sameCompanyRound, o)
	}
	for _, d := range indexed {
		arts := map[string]bool{}
		for _, s := range d.Sources {
			if arts[s.ArticleID+"/"+strconv.Itoa(s.DealIndex)] {
				t.Errorf("deal %s (%s) lists article %s twice", d.ID, d.Company, s.ArticleID)
			}
			arts[s.ArticleID+"/"+strconv.Itoa(s.DealIndex)] = true
		}
	}
	// How many generated rounds the extractor found (reported, not asserted:
	// it measures the extractor, not the faults).
	for _, rd := range r.rounds {
		first := company.Tokens(rd.company)[0]
		for _, d := range indexed {
			if tk := company.Tokens(d.Company); len(tk) > 0 && tk[0] == first && d.Round == rd.round {
				r.final.roundsFound++
				break
			}
		}
	}
	if len(r.unexpected) > 0 {
		t.Errorf("%d stage processes exited without being asked (restarted each time):\n%s", len(r.unexpected), strings.Join(r.unexpected, "\n"))
	}
}

// checkMetrics scrapes each stage process once the pipeline has settled:
// /readyz answers 200 (NATS connected; for index, the index answers), and
// /metrics shows what each did: the fetcher's published articles, and no
// message left pending for the extract and index consumers.
func (r *run) checkMetrics() {
	t := r.t
	want := map[string][]string{
		stageFetch:   {"dealwire_ingest_articles_published_total"},
		stageExtract: {`dealwire_consumer_pending_messages{consumer="extract",stream="ARTICLES"} 0`},
		stageIndex:   {`dealwire_consumer_pending_messages{consumer="index",stream="RECORDS"} 0`, `dealwire_consumer_pending_messages{consumer="index-deals",stream="DEALS"} 0`},
	}
	for stage, lines := range want {
		base := "http://" + r.obsAddr[stage]
		if code, body := httpGet(r.ctx, base+"/readyz"); code != http.StatusOK {
			t.Errorf("%s /readyz: %d %s, want 200", stage, code, body)
		}
		code, body := httpGet(r.ctx, base+"/metrics")
		if code != http.StatusOK {
			t.Errorf("%s /metrics: %d", stage, code)
			continue
		}
		for _, l := range lines {
			if !strings.Contains(body, l) {
				t.Errorf("%s /metrics has no %s", stage, l)
			}
		}
	}
}

func httpGet(ctx context.Context, url string) (int, string) {
	ctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, err.Error()
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return 0, err.Error()
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func countLive(ds []news.DealRecord) int { return len(byID(ds)) }

// byID keeps the deals that are not tombstones.
func byID(ds []news.DealRecord) map[string]news.DealRecord {
	out := map[string]news.DealRecord{}
	for _, d := range ds {
		if !d.Deleted {
			out[d.ID] = d
		}
	}
	return out
}

// compareDeals reports deals that are in one set and not the other, or
// whose sources differ.
func compareDeals(t *testing.T, what string, want, got map[string]news.DealRecord) {
	t.Helper()
	sources := func(d news.DealRecord) string {
		var ss []string
		for _, s := range d.Sources {
			ss = append(ss, s.ArticleID+"/"+strconv.Itoa(s.DealIndex))
		}
		slices.Sort(ss)
		return strings.Join(ss, ",")
	}
	var diffs []string
	for _, id := range slices.Sorted(maps.Keys(want)) {
		w := want[id]
		g, ok := got[id]
		switch {
		case !ok:
			diffs = append(diffs, fmt.Sprintf("missing from the index: %s %s %s (%d sources)", id, w.Company, w.Round, len(w.Sources)))
		case sources(g) != sources(w):
			diffs = append(diffs, fmt.Sprintf("deal %s %s: indexed sources %s, want %s", id, w.Company, sources(g), sources(w)))
		}
	}
	for _, id := range slices.Sorted(maps.Keys(got)) {
		if _, ok := want[id]; !ok {
			diffs = append(diffs, fmt.Sprintf("indexed but not in %s: %s %s %s", what, id, got[id].Company, got[id].Round))
		}
	}
	if len(diffs) > 0 {
		t.Errorf("indexed deals (%d) differ from %s (%d) in %d ways:\n%s", len(got), what, len(want), len(diffs),
			strings.Join(diffs[:min(len(diffs), 15)], "\n"))
	}
}

// deadReasons lists the first dead letters with their reasons.
func (r *run) deadReasons(first, last uint64) string {
	s, err := r.mon.js.Stream(r.ctx, news.StreamDead)
	if err != nil {
		return err.Error()
	}
	var b strings.Builder
	for seq := first; seq <= last && seq < first+10; seq++ {
		m, err := s.GetMsg(r.ctx, seq)
		if err != nil {
			continue
		}
		reason, _, _ := strings.Cut(m.Header.Get("Dealwire-Error"), "\n")
		fmt.Fprintf(&b, "  %s: %s\n", m.Subject, reason)
	}
	return b.String()
}

// tearDown stops the stages with SIGTERM, as an operator would: each must
// exit cleanly.
func (r *run) tearDown() {
	for _, name := range []string{stageFetch, stageExtract, stageIndex} {
		state, err := r.stages[name].signal(syscall.SIGTERM, 2*time.Minute)
		if err != nil {
			r.t.Error(err)
		} else if !state.Success() {
			r.t.Errorf("%s exited with %s on SIGTERM; last lines of %s:\n%s", name, state, r.stages[name].lastLog(), tail(r.stages[name].lastLog(), 15))
		}
	}
}

// report logs the run's figures as a table, and writes it to
// $DEALWIRE_FAULTS_SUMMARY when that is set (scripts/faults prints it).
func (r *run) report() {
	var b strings.Builder
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, v) }
	b.WriteString("| faults run | |\n|---|---|\n")
	row("articles", fmt.Sprintf("%d unique (%d rounds) in %d feed items: cross-feed duplicates under tracking parameters", r.p.articles, len(r.rounds), r.final.items))
	row("SIGKILLs", fmt.Sprintf("extract %d, index %d (each restarted at once); messages held unacknowledged at the kill: extract %s, index %s",
		r.p.kills, r.p.kills, spreadInts(r.held[stageExtract]), spreadInts(r.held[stageIndex])))
	for _, st := range []string{stageExtract, stageIndex} {
		row("moving again after a kill of "+st, spread(r.recoveries[st])+stalledNote(r.stalled[st]))
	}
	for i, o := range r.esOutages {
		row(fmt.Sprintf("Elasticsearch outage %d", i+1), fmt.Sprintf("stopped %s (the stop command took %s), unavailable %s (stop to healthy); index moving %s after it answered%s",
			secs(o.stopped), secs(o.stopTook), secs(o.down), secs(o.recovered), map[bool]string{false: " (did not move)", true: ""}[o.moved]))
		row("index process memory", fmt.Sprintf("RSS %s before the outage, peak %s during it (%d samples), VmHWM %s", mib(o.rssBefore), mib(o.rssPeak), o.samples, mib(o.hwm)))
	}
	var downs, recs []time.Duration
	for _, d := range r.natsDowns {
		downs, recs = append(downs, d.down), append(recs, d.recovered)
	}
	row("NATS restarts", fmt.Sprintf("%d; down %s; index moving %s after the server was back", len(r.natsDowns), spread(downs), spread(recs)))
	row("settled", fmt.Sprintf("%s after the last fault; whole run %s", secs(r.settled), secs(time.Since(r.began))))
	row("records indexed", fmt.Sprintf("%d (unique articles %d)", r.final.records, r.final.wantRecords))
	row("deals indexed", fmt.Sprintf("%d (resolver state %d, fresh resolver over the records %d; %d of %d generated rounds found by the extractor)",
		r.final.deals, r.final.liveDeals, r.final.oracleDeals, r.final.roundsFound, len(r.rounds)))
	row("DEAD", strconv.Itoa(r.final.dead))
	row("stage exits not asked for", strconv.Itoa(len(r.unexpected)))
	r.t.Log("\n" + b.String())
	if path := os.Getenv("DEALWIRE_FAULTS_SUMMARY"); path != "" {
		if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
			r.t.Error(err)
		}
	}
}

// spread is "min / median / max" of ds in seconds.
func spread(ds []time.Duration) string {
	if len(ds) == 0 {
		return "-"
	}
	s := slices.Clone(ds)
	slices.Sort(s)
	return fmt.Sprintf("%s / %s / %s (min / median / max of %d)", secs(s[0]), secs(s[len(s)/2]), secs(s[len(s)-1]), len(s))
}

// spreadInts is "min / median / max" of ns.
func spreadInts(ns []int) string {
	if len(ns) == 0 {
		return "-"
	}
	s := slices.Clone(ns)
	slices.Sort(s)
	return fmt.Sprintf("%d / %d / %d", s[0], s[len(s)/2], s[len(s)-1])
}

func stalledNote(n int) string {
	if n == 0 {
		return ""
	}
	return fmt.Sprintf("; %d kills after which it did not move within 2 min", n)
}

func secs(d time.Duration) string { return fmt.Sprintf("%.1f s", d.Seconds()) }

func mib(n int64) string { return fmt.Sprintf("%.0f MiB", float64(n)/(1<<20)) }
