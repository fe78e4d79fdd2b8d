package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/index"
	"github.com/dealwire/dealwire/news"
)

// buildBinary builds cmd/dealwire of the repository in the working
// directory into dir.
func buildBinary(ctx context.Context, dir string) (string, error) {
	bin := filepath.Join(dir, "dealwire")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/dealwire")
	cmd.Stdout, cmd.Stderr = os.Stderr, os.Stderr
	if err := cmd.Run(); err != nil {
		return "", fmt.Errorf("building dealwire: %w", err)
	}
	return bin, nil
}

// childEnv is the environment of the dealwire processes: ours without any
// DEALWIRE_* variable, so that a configured Elasticsearch, NATS server or
// data directory of the caller cannot leak into the run.
func childEnv() []string {
	var env []string
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DEALWIRE_") {
			env = append(env, kv)
		}
	}
	return append(env, "DEALWIRE_LOG_LEVEL=info", "DEALWIRE_LOG_FORMAT=text")
}

// extractDirect runs "dealwire extract --jsonl" over the corpus texts and
// returns each document's deals by id: the extractor without the pipeline.
func extractDirect(ctx context.Context, bin string, docs []doc) (map[string][]news.Deal, error) {
	var in bytes.Buffer
	enc := json.NewEncoder(&in)
	enc.SetEscapeHTML(false)
	for _, d := range docs {
		if err := enc.Encode(map[string]string{"id": d.ID, "text": d.Text, "title": d.Title}); err != nil {
			return nil, fmt.Errorf("encoding extract input: %w", err)
		}
	}
	cmd := exec.CommandContext(ctx, bin, "extract", "--jsonl")
	cmd.Env = childEnv()
	cmd.Stdin = &in
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, os.Stderr
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("running dealwire extract --jsonl: %w", err)
	}
	res := map[string][]news.Deal{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 1<<20), 64<<20)
	for sc.Scan() {
		var line struct {
			ID    string      `json:"id"`
			Deals []news.Deal `json:"deals"`
			Error string      `json:"error"`
		}
		if err := json.Unmarshal(sc.Bytes(), &line); err != nil {
			return nil, fmt.Errorf("reading extract output: %w", err)
		}
		if line.Error != "" {
			return nil, fmt.Errorf("dealwire extract: %s", line.Error)
		}
		res[line.ID] = line.Deals
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("reading extract output: %w", err)
	}
	if len(res) != len(docs) {
		return nil, fmt.Errorf("dealwire extract answered %d of %d documents", len(res), len(docs))
	}
	return res, nil
}

// freeAddr returns a loopback address with a port that was free a moment ago.
func freeAddr() (string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", fmt.Errorf("finding a free port: %w", err)
	}
	addr := ln.Addr().String()
	return addr, ln.Close()
}

// pipeline is one "dealwire run" process and its HTTP API.
type pipeline struct {
	cmd     *exec.Cmd
	api     string // http://host:port
	logPath string
	client  *http.Client
	exited  chan struct{} // closed when the process has exited
	waitErr error         // set before exited is closed
}

// runSettings are the configuration a run writes for "dealwire run".
type runSettings struct {
	hostDelay time.Duration
	maxItems  int
}

// configYAML is the configuration file of the run. Everything else keeps
// the defaults of "dealwire run".
func (rs runSettings) configYAML() string {
	return fmt.Sprintf(`# written by tools/corpusrun
ingest:
  # one feed on one host: the defaults (100 items per poll, polls at least
  # 5 minutes apart, 1s between requests to a host) would spread the corpus
  # over six polls and about 45 minutes
  max_items_per_poll: %d
  host_delay: %s
nats:
  embedded:
    port: -1 # a free port, not 4222: another dealwire run may hold it
`, rs.maxItems, rs.hostDelay)
}

// startPipeline writes the configuration and starts "dealwire run" on the
// feed with its data under dir, logging to dir/dealwire.log.
func startPipeline(ctx context.Context, bin, dir, feedURL string, rs runSettings) (*pipeline, error) {
	cfgPath := filepath.Join(dir, "dealwire.yaml")
	if err := os.WriteFile(cfgPath, []byte(rs.configYAML()), 0o644); err != nil {
		return nil, fmt.Errorf("writing config: %w", err)
	}
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, "dealwire.log")
	logf, err := os.Create(logPath)
	if err != nil {
		return nil, fmt.Errorf("creating log: %w", err)
	}
	cmd := exec.Command(bin, "run", "--config", cfgPath, "--data-dir", filepath.Join(dir, "data"),
		"--http-addr", addr, "--feed", feedURL)
	cmd.Env = childEnv()
	cmd.Stdout, cmd.Stderr = logf, logf
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, fmt.Errorf("starting dealwire run: %w", err)
	}
	p := &pipeline{cmd: cmd, api: "http://" + addr, logPath: logPath, client: &http.Client{Timeout: 30 * time.Second}, exited: make(chan struct{})}
	go func() {
		p.waitErr = cmd.Wait()
		logf.Close()
		close(p.exited)
	}()
	deadline := time.Now().Add(2 * time.Minute)
	for {
		if _, err := p.get(ctx, "/healthz"); err == nil {
			return p, nil
		}
		if time.Now().After(deadline) {
			_, _ = p.stop(10 * time.Second)
			return nil, fmt.Errorf("waiting for %s/healthz: no answer within 2 minutes (log: %s)", p.api, logPath)
		}
		select {
		case <-p.exited:
			printTail(logPath, 20)
			return nil, fmt.Errorf("starting dealwire run: exited: %w", p.waitErr)
		case <-ctx.Done():
			_, _ = p.stop(10 * time.Second)
			return nil, ctx.Err()
		case <-time.After(200 * time.Millisecond):
		}
	}
}

// stop sends SIGINT and waits up to grace for the process to exit, then
// kills it. clean reports an exit with status 0 within grace.
func (p *pipeline) stop(grace time.Duration) (clean bool, err error) {
	select {
	case <-p.exited:
		return false, fmt.Errorf("stopping dealwire run: it had already exited: %w", p.waitErr)
	default:
	}
	if err := p.cmd.Process.Signal(os.Interrupt); err != nil {
		return false, fmt.Errorf("interrupting dealwire run: %w", err)
	}
	select {
	case <-p.exited:
		return p.waitErr == nil, p.waitErr
	case <-time.After(grace):
		_ = p.cmd.Process.Kill()
		<-p.exited
		return false, fmt.Errorf("stopping dealwire run: still running %s after SIGINT, killed", grace)
	}
}

func (p *pipeline) get(ctx context.Context, path string) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, p.api+path, nil)
	if err != nil {
		return nil, err
	}
	resp, err := p.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, fmt.Errorf("reading %s: %w", path, err)
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s: %s: %s", path, resp.Status, bytes.TrimSpace(body))
	}
	return body, nil
}

func (p *pipeline) getJSON(ctx context.Context, path string, v any) error {
	body, err := p.get(ctx, path)
	if err != nil {
		return err
	}
	if err := json.Unmarshal(body, v); err != nil {
		return fmt.Errorf("decoding %s: %w", path, err)
	}
	return nil
}

// metrics reads /metrics and sums each sample by metric name, by
// name{result} and, for the per-stage families, by name{stage,result}
// (e.g. dealwire_stage_messages_total{index-deals,ack}).
func (p *pipeline) metrics(ctx context.Context) (map[string]float64, error) {
	body, err := p.get(ctx, "/metrics")
	if err != nil {
		return nil, err
	}
	m := map[string]float64{}
	for _, line := range strings.Split(string(body), "\n") {
		if !strings.HasPrefix(line, "dealwire_") {
			continue
		}
		i := strings.LastIndexByte(line, ' ')
		if i < 0 {
			continue
		}
		v, err := strconv.ParseFloat(line[i+1:], 64)
		if err != nil {
			continue
		}
		series := line[:i]
		name, labels, _ := strings.Cut(series, "{")
		m[name] += v
		res, stage := labelValue(labels, "result"), labelValue(labels, "stage")
		if res != "" {
			m[name+"{"+res+"}"] += v
		}
		if stage != "" && res != "" {
			m[name+"{"+stage+","+res+"}"] += v
		}
	}
	return m, nil
}

// labelValue is the value of label name in a sample's label list
// (`a="x",b="y"}`), or "" when it has none. Our label values hold no quotes.
func labelValue(labels, name string) string {
	for _, pair := range strings.Split(strings.TrimSuffix(labels, "}"), ",") {
		k, v, ok := strings.Cut(pair, "=")
		if ok && k == name {
			return strings.Trim(v, `"`)
		}
	}
	return ""
}

// searchTotal is the number of records the index holds.
func (p *pipeline) searchTotal(ctx context.Context) (int, error) {
	var res index.Result
	if err := p.getJSON(ctx, "/api/search?size=1&min_confidence=0", &res); err != nil {
		return 0, err
	}
	return res.Total, nil
}

// progress is what the run watches while the pipeline works.
type progress struct {
	served                           counts
	published, duplicates            float64
	extracted, extractDead           float64 // settled by the extract stage
	indexed, indexDead               float64 // records settled by the index stage
	dealUpdates, dealDead            float64 // deal updates settled by index-deals
	retries                          float64 // naks of any stage
	pagesOK, pagesFailed, pagesOther float64
	searchable                       int
}

// settled is the family of messages settled per stage and result.
const settled = bus.MetricMessages

func (p *pipeline) progress(ctx context.Context, cs *corpusServer) (progress, error) {
	m, err := p.metrics(ctx)
	if err != nil {
		return progress{}, err
	}
	n, err := p.searchTotal(ctx)
	if err != nil {
		return progress{}, err
	}
	pr := progress{
		served:      cs.counts(),
		published:   m["dealwire_ingest_articles_published_total"],
		duplicates:  m["dealwire_ingest_articles_duplicate_total"],
		extracted:   m[settled+"{extract,ack}"],
		extractDead: m[settled+"{extract,dead}"],
		indexed:     m[settled+"{index,ack}"],
		indexDead:   m[settled+"{index,dead}"],
		dealUpdates: m[settled+"{index-deals,ack}"],
		dealDead:    m[settled+"{index-deals,dead}"],
		pagesOK:     m["dealwire_ingest_page_fetches_total{ok}"],
		pagesFailed: m["dealwire_ingest_page_fetches_total{failed}"],
		searchable:  n,
	}
	pr.pagesOther = m["dealwire_ingest_page_fetches_total"] - pr.pagesOK - pr.pagesFailed
	pr.retries = m[settled+"{retry}"]
	return pr, nil
}

func (pr progress) String() string {
	return fmt.Sprintf("feed polls %d, pages served %d (%d requests), page fetches ok %.0f failed %.0f other %.0f, published %.0f, extracted %.0f, indexed %.0f, deal updates %.0f, retries %.0f, dead %.0f, searchable %d",
		pr.served.feedHits, pr.served.pages, pr.served.requests, pr.pagesOK, pr.pagesFailed, pr.pagesOther,
		pr.published, pr.extracted, pr.indexed, pr.dealUpdates, pr.retries, pr.extractDead+pr.indexDead+pr.dealDead, pr.searchable)
}

// settled reports whether every article the fetch stage published has been
// through the extract and index stages.
func (pr progress) settled() bool {
	return pr.published > 0 && pr.extracted+pr.extractDead >= pr.published && pr.indexed+pr.indexDead >= pr.extracted
}

// waitIndexed polls the pipeline until the fetch stage has taken every
// page (or asked for none for pageIdle after the feed was read), the extract
// and index stages have settled every article, and nothing has moved for
// quiet; it gives up at deadline and returns the last progress.
func (p *pipeline) waitIndexed(ctx context.Context, cs *corpusServer, deadline time.Time, quiet, pageIdle time.Duration, start time.Time) (progress, error) {
	var last progress
	lastChange, lastPrint := time.Now(), time.Time{}
	for {
		select {
		case <-p.exited:
			printTail(p.logPath, 20)
			return last, fmt.Errorf("waiting for the pipeline: dealwire run exited: %w", p.waitErr)
		case <-ctx.Done():
			return last, ctx.Err()
		case <-time.After(2 * time.Second):
		}
		pr, err := p.progress(ctx, cs)
		if err != nil {
			fmt.Fprintf(os.Stderr, "  reading progress: %v\n", err)
			continue
		}
		now := time.Now()
		if pr.String() != last.String() {
			lastChange = now
		}
		if pr.String() != last.String() || now.Sub(lastPrint) >= 30*time.Second {
			fmt.Fprintf(os.Stderr, "  %5.0fs  %s\n", now.Sub(start).Seconds(), pr)
			lastPrint = now
		}
		last = pr
		pagesDone := pr.served.pages == len(cs.docs) ||
			pr.served.feedHits > 0 && now.Sub(later(pr.served.lastPage, lastChange)) >= pageIdle
		if pagesDone && pr.settled() && now.Sub(lastChange) >= quiet {
			return pr, nil
		}
		if now.After(deadline) {
			return pr, errors.New("waiting for the pipeline: not settled by the deadline")
		}
	}
}

func later(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// records reads every record through /api/search, paging with the
// cursor, at the threshold minConf ("" for the server's default; "0" shows
// every deal, doubtful ones included). It returns the threshold the server
// applied and how many deals it hid.
func (p *pipeline) records(ctx context.Context, minConf string) ([]news.Record, float64, int, error) {
	var out []news.Record
	hidden := 0
	after := ""
	for {
		q := pageQuery(minConf, after)
		var res index.Result
		if err := p.getJSON(ctx, "/api/search?"+q.Encode(), &res); err != nil {
			return nil, 0, 0, err
		}
		for _, h := range res.Hits {
			out = append(out, h.Record)
			hidden += h.HiddenDeals
		}
		if res.Next == "" || len(res.Hits) == 0 {
			return out, res.MinConfidence, hidden, nil
		}
		after = res.Next
	}
}

// pageQuery is the query of one page of a listing sorted by date, at the
// threshold minConf ("" for the server's default), after the cursor after.
func pageQuery(minConf, after string) url.Values {
	q := url.Values{"size": {strconv.Itoa(index.MaxSize)}, "sort": {"date"}}
	if minConf != "" {
		q.Set("min_confidence", minConf)
	}
	if after != "" {
		q.Set("after", after)
	}
	return q
}

// article reads one stored record through /api/articles/{id}: the
// extractor's answer in Extraction.Deals and the deals its model rejected
// in Extraction.Doubtful.
func (p *pipeline) article(ctx context.Context, id string) (news.Record, error) {
	var rec news.Record
	err := p.getJSON(ctx, "/api/articles/"+url.PathEscape(id), &rec)
	return rec, err
}

// deals reads every resolved deal through /api/deals at the threshold
// minConf ("" for the server's default), and the threshold applied.
func (p *pipeline) deals(ctx context.Context, minConf string) ([]news.DealRecord, float64, error) {
	var out []news.DealRecord
	after := ""
	for {
		q := pageQuery(minConf, after)
		var res index.DealResult
		if err := p.getJSON(ctx, "/api/deals?"+q.Encode(), &res); err != nil {
			return nil, 0, err
		}
		for _, h := range res.Hits {
			out = append(out, h.Deal)
		}
		if res.Next == "" || len(res.Hits) == 0 {
			return out, res.MinConfidence, nil
		}
		after = res.Next
	}
}

// collected is everything read back from the API before the stop.
type collected struct {
	all         []news.Record // /api/search?min_confidence=0: every deal shown
	shown       []news.Record // /api/search at the default threshold
	shownThresh float64
	hiddenAll   int           // deals hidden at min_confidence=0 (should be 0)
	stored      []news.Record // /api/articles/{id} of every record
	dealsAll    []news.DealRecord
	dealsShown  []news.DealRecord
	dealsThresh float64
}

func (p *pipeline) collect(ctx context.Context) (collected, error) {
	var c collected
	var err error
	if c.all, _, c.hiddenAll, err = p.records(ctx, "0"); err != nil {
		return c, fmt.Errorf("reading records: %w", err)
	}
	if c.shown, c.shownThresh, _, err = p.records(ctx, ""); err != nil {
		return c, fmt.Errorf("reading records: %w", err)
	}
	for _, r := range c.all {
		rec, err := p.article(ctx, r.Article.ID)
		if err != nil {
			return c, fmt.Errorf("reading article: %w", err)
		}
		c.stored = append(c.stored, rec)
	}
	if c.dealsAll, _, err = p.deals(ctx, "0"); err != nil {
		return c, fmt.Errorf("reading deals: %w", err)
	}
	if c.dealsShown, c.dealsThresh, err = p.deals(ctx, ""); err != nil {
		return c, fmt.Errorf("reading deals: %w", err)
	}
	return c, nil
}

// printTail copies the last n lines of the dealwire log to stderr, so
// that a failed run says why before its temporary directory goes.
func printTail(path string, n int) {
	b, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(os.Stderr, "reading %s: %v\n", path, err)
		return
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	fmt.Fprintf(os.Stderr, "last lines of %s:\n", path)
	for _, l := range lines[max(0, len(lines)-n):] {
		fmt.Fprintf(os.Stderr, "  %s\n", l)
	}
}

// logSummary counts the WARN and ERROR lines of the dealwire log by
// message, with up to three examples each, and the near-duplicate notices.
func logSummary(path string) (map[string]int, map[string][]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, fmt.Errorf("opening log: %w", err)
	}
	defer f.Close()
	count, examples := map[string]int{}, map[string][]string{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	for sc.Scan() {
		line := sc.Text()
		level := fieldOf(line, "level")
		msg := fieldOf(line, "msg")
		if level != "WARN" && level != "ERROR" && msg != "article repeats an earlier one" {
			continue
		}
		k := level + " " + msg
		count[k]++
		if len(examples[k]) < 3 {
			examples[k] = append(examples[k], line)
		}
	}
	if err := sc.Err(); err != nil && !errors.Is(err, bufio.ErrTooLong) {
		return nil, nil, fmt.Errorf("reading log: %w", err)
	}
	return count, examples, nil
}

// fieldOf reads key=value or key="quoted value" from a slog text line.
func fieldOf(line, key string) string {
	i := strings.Index(line, key+"=")
	for i > 0 && line[i-1] != ' ' {
		j := strings.Index(line[i+1:], " "+key+"=")
		if j < 0 {
			return ""
		}
		i += j + 2
	}
	if i < 0 {
		return ""
	}
	v := line[i+len(key)+1:]
	if strings.HasPrefix(v, `"`) {
		if s, err := strconv.QuotedPrefix(v); err == nil {
			u, _ := strconv.Unquote(s)
			return u
		}
	}
	v, _, _ = strings.Cut(v, " ")
	return v
}
