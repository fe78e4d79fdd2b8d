package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/dealwire/dealwire/ingest"
	"github.com/dealwire/dealwire/news"
)

// isolateEnv clears the variables that would point a command at another
// configuration, NATS server, index or address than the test's.
func isolateEnv(t *testing.T) {
	t.Helper()
	for _, k := range []string{"DEALWIRE_CONFIG", "DEALWIRE_DATA_DIR", "DEALWIRE_FEEDS_FILE", "DEALWIRE_NATS_URL",
		"DEALWIRE_NATS_CREDS", "DEALWIRE_NATS_NKEY", "DEALWIRE_NATS_TOKEN", "DEALWIRE_NATS_USER", "DEALWIRE_NATS_PASSWORD",
		"DEALWIRE_ES_URLS", "DEALWIRE_SQLITE_PATH", "DEALWIRE_HTTP_ADDR", "DEALWIRE_HTTP_TOKEN",
		"DEALWIRE_SEARCH_MIN_CONFIDENCE", "DEALWIRE_LOG_LEVEL", "DEALWIRE_LOG_FORMAT"} {
		t.Setenv(k, "")
		os.Unsetenv(k) // t.Setenv restores it; an empty variable would still override
	}
}

// freeAddr returns a loopback address nothing listens on.
func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

// writeRunConfig writes a configuration with its data under dir, a NATS
// server on a free port and the API on addr, plus extra YAML.
func writeRunConfig(t *testing.T, dir, addr, extra string) string {
	t.Helper()
	path := filepath.Join(dir, "dealwire.yaml")
	body := fmt.Sprintf("data_dir: %s\nlog_level: warn\nnats:\n  embedded:\n    port: -1\nhttp:\n  addr: %s\n%s", dir, addr, extra)
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

// getJSON decodes the answer of a GET on the API into v.
func getJSON(t *testing.T, u string, v any) error {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		b, _ := io.ReadAll(resp.Body)
		return fmt.Errorf("GET %s: %s: %s", u, resp.Status, b)
	}
	return json.NewDecoder(resp.Body).Decode(v)
}

type sampleDeals struct {
	Total int `json:"total"`
	Hits  []struct {
		Deal news.DealRecord `json:"deal"`
	} `json:"hits"`
}

type sampleRecords struct {
	Total int `json:"total"`
	Hits  []struct {
		Record news.Record `json:"record"`
	} `json:"hits"`
}

// Sample figures the test checks: 63 stories, of which Northbridge Ledger's
// copy of a Harbor & Main Wire release is collapsed into one record with it,
// and the funding feed's items (the main feed's, under links with tracking
// parameters) add none.
const sampleRecordsIndexed = 62

// TestRunSample runs "dealwire run --sample" in-process on a fresh data
// directory, waits through the API until every sample article is indexed and
// both corrections have landed, and checks known deals, the corrections and
// the collapsed duplicates.
func TestRunSample(t *testing.T) {
	isolateEnv(t)
	dir := t.TempDir()
	addr := freeAddr(t)
	cfgPath := writeRunConfig(t, dir, addr, "")
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	e := &env{stdin: strings.NewReader(""), stdout: io.Discard, stderr: io.Discard}
	go func() { done <- runAll(ctx, e, []string{"--config", cfgPath, "--sample"}) }()
	defer func() {
		cancel()
		if err := <-done; err != nil {
			t.Errorf("run --sample: %v", err)
		}
	}()
	api := "http://" + addr

	// The pipeline is eventually consistent (records, then deals; the
	// corrections go live from each feed's second request on, which the
	// sample's 10s poll interval brings within half a minute), so the checks
	// are repeated until they all hold or time runs out.
	var problems []string
	for deadline := time.Now().Add(3 * time.Minute); ; time.Sleep(time.Second) {
		select {
		case err := <-done:
			done <- err
			t.Fatalf("run --sample stopped early: %v", err)
		default:
		}
		problems = checkSample(t, api)
		if len(problems) == 0 {
			checkHealth(t, api)
			return
		}
		if time.Now().After(deadline) {
			break
		}
	}
	for _, p := range problems {
		t.Error(p)
	}
}

// checkHealth reads run's /readyz and /metrics on the API's address: ready
// with NATS and the index, and the stages' counters there. A scrape leaves
// the lag series out when JetStream does not answer a consumer info
// request within its timeout (bus.LagCollector), which a loaded machine can
// make happen, so each path is read again for up to half a minute until it
// has everything.
func checkHealth(t *testing.T, api string) {
	t.Helper()
	for path, want := range map[string][]string{
		"/readyz":  {"[+]nats ok", "[+]index ok"},
		"/metrics": {`dealwire_stage_messages_total{result="ack",stage="extract"}`, "dealwire_consumer_pending_messages", "dealwire_ingest_articles_published_total"},
		"/healthz": {"ok"},
	} {
		var problems []string
		for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(time.Second) {
			problems = healthProblems(t, api+path, want)
			if len(problems) == 0 || time.Now().After(deadline) {
				break
			}
		}
		for _, p := range problems {
			t.Errorf("GET %s: %s", path, p)
		}
	}
}

// healthProblems GETs url and says what of want its answer lacks, or that
// it did not answer 200.
func healthProblems(t *testing.T, url string, want []string) (problems []string) {
	t.Helper()
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, url, nil)
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return []string{err.Error()}
	}
	b, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		problems = append(problems, fmt.Sprintf("%s: %s", resp.Status, b))
	}
	for _, w := range want {
		if !strings.Contains(string(b), w) {
			problems = append(problems, fmt.Sprintf("no %q", w))
		}
	}
	return problems
}

// checkSample reads every record and deal through the API and returns what
// is not as it should be once the sample is fully processed.
func checkSample(t *testing.T, api string) (problems []string) {
	t.Helper()
	var deals sampleDeals
	var records sampleRecords
	if err := getJSON(t, api+"/api/deals?size=200&min_confidence=0", &deals); err != nil {
		return []string{err.Error()}
	}
	if err := getJSON(t, api+"/api/search?size=200&min_confidence=0", &records); err != nil {
		return []string{err.Error()}
	}
	bad := func(format string, args ...any) { problems = append(problems, fmt.Sprintf(format, args...)) }
	if records.Total != sampleRecordsIndexed {
		bad("%d records indexed, want %d", records.Total, sampleRecordsIndexed)
	}
	byCompany := func(name string) *news.DealRecord {
		for i := range deals.Hits {
			if deals.Hits[i].Deal.Company == name {
				return &deals.Hits[i].Deal
			}
		}
		return nil
	}

	// Known rounds, each reported by several outlets in their own words,
	// resolve to one deal with the right company and amount. The corrected
	// figures (Quillfeather AI, Helioport Storage) are the only ones left.
	for _, tc := range []struct {
		company  string
		value    float64
		currency string
		outlets  []string
	}{
		{"Lumenvale Robotics", 48e6, "USD", []string{"Northbridge Ledger", "Seedline Daily", "Harbor & Main Wire"}},
		{"Mirrorlake", 300e6, "USD", []string{"Northbridge Ledger", "Seedline Daily", "Harbor & Main Wire"}},
		{"Vireo Payments", 15e6, "EUR", []string{"Northbridge Ledger", "Ronda Abierta"}},
		{"Glasswing Bio", 75e6, "USD", []string{"Northbridge Ledger", "Harbor & Main Wire"}},
		{"Campoalto Renovables", 140e6, "EUR", []string{"Gridwatch Finance", "Ronda Abierta"}},
		{"Quillfeather AI", 120e6, "USD", []string{"Northbridge Ledger", "Seedline Daily"}},
		{"Helioport Storage", 95e6, "USD", []string{"Gridwatch Finance"}},
		{"Brindle Analytics", 19.5e6, "USD", []string{"Harbor & Main Wire"}},
		{"Atelier Brume", 40e6, "EUR", []string{"Tour de Table Hebdo"}},
	} {
		d := byCompany(tc.company)
		if d == nil || d.Amount == nil || d.Amount.Currency != tc.currency || d.Amount.Value.Float64() != tc.value {
			bad("deal of %s: got %+v, want an amount of %v %s", tc.company, d, tc.value, tc.currency)
			continue
		}
		if len(d.Conflicts) != 0 {
			bad("deal of %s has conflicts: %+v", tc.company, d.Conflicts)
		}
		got := map[string]bool{}
		for _, s := range d.Sources {
			got[s.Source] = true
		}
		for _, o := range tc.outlets {
			if !got[o] {
				bad("deal of %s: sources %v, want %s among them", tc.company, got, o)
			}
		}
	}
	if d := byCompany("Brackenridge Energie"); d == nil || len(d.Capacity) == 0 || d.Capacity[0].ValueWatts.Float64() != 420e6 {
		bad("Brackenridge Energie: got %+v, want a deal with a 420 MW capacity", d)
	}

	// Duplicates collapsed: one record per canonical URL, none under a
	// tracking link, and one record for the wire release and its copy.
	seen := map[string]string{}
	drywell := 0
	for _, h := range records.Hits {
		a := h.Record.Article
		if strings.Contains(a.Text, "$102 million") || strings.Contains(a.Text, "$90 million") {
			bad("record %s (%s) still has the figure its outlet corrected", a.ID, a.URL)
		}
		if prev, ok := seen[a.CanonicalURL]; ok {
			bad("two records for %s: %s and %s", a.CanonicalURL, prev, a.ID)
		}
		seen[a.CanonicalURL] = a.ID
		if u, err := url.Parse(a.CanonicalURL); err != nil || u.Query().Has("utm_source") {
			bad("record %s has a canonical URL with tracking parameters: %s", a.ID, a.CanonicalURL)
		}
		if strings.Contains(a.Text, "Drywell Analytics") {
			drywell++
		}
	}
	if drywell != 1 {
		bad("%d records about the Drywell acquisition, want 1 (the wire release and its copy are one article)", drywell)
	}
	return problems
}

// TestFetchUsesShippedFeeds: "dealwire fetch" with no feed configured polls
// the shipped list, as run does; it says so before it needs NATS, so the
// test needs neither NATS nor network.
func TestFetchUsesShippedFeeds(t *testing.T) {
	isolateEnv(t)
	shipped, err := ingest.DefaultFeeds()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(t.Context(), buildBinary(t), "fetch")
	cmd.Dir = t.TempDir()
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("fetch without nats.url succeeded; output:\n%s", out)
	}
	want := fmt.Sprintf("using the default feed list (configs/feeds.yaml)\" stage=fetch feeds=%d", len(shipped))
	if !strings.Contains(string(out), want) {
		t.Errorf("fetch output lacks %q:\n%s", want, out)
	}
}

// TestRunWarnsWhenNoFeedIsReached: run on a feed that nothing answers says
// once, after the first round of polls, that no feed could be reached and
// points to --sample.
func TestRunWarnsWhenNoFeedIsReached(t *testing.T) {
	isolateEnv(t)
	dir := t.TempDir()
	cfgPath := writeRunConfig(t, dir, freeAddr(t), "ingest:\n  interval: 1s\n  min_interval: 1s\n")
	cmd := exec.CommandContext(t.Context(), buildBinary(t), "run", "--config", cfgPath, "--feed", "http://"+freeAddr(t)+"/feed.xml")
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stderr)
		for sc.Scan() {
			lines <- sc.Text()
		}
	}()
	var warning string
	timeout := time.After(2 * time.Minute)
wait:
	for {
		select {
		case l, ok := <-lines:
			if !ok {
				break wait
			}
			if strings.Contains(l, "no feed could be reached") {
				warning = l
				break wait
			}
		case <-timeout:
			break wait
		}
	}
	if err := cmd.Process.Signal(syscall.SIGINT); err != nil {
		t.Fatal(err)
	}
	for range lines {
	}
	if err := cmd.Wait(); err != nil {
		t.Errorf("run: %v", err)
	}
	if !strings.Contains(warning, "level=WARN") || !strings.Contains(warning, "--sample") {
		t.Errorf("warning %q: want a WARN line pointing to --sample", warning)
	}
}
