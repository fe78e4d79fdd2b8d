package faults

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// root is the repository's top directory, seen from this package.
const root = ".."

// buildBinaries compiles dealwire and nats-server (from the module in
// go.mod) into dir.
func buildBinaries(t testing.TB, dir string) (dealwire, natsServer string, err error) {
	t.Helper()
	dealwire, natsServer = filepath.Join(dir, "dealwire"), filepath.Join(dir, "nats-server")
	for _, b := range [][2]string{{dealwire, "./cmd/dealwire"}, {natsServer, "github.com/nats-io/nats-server/v2"}} {
		cmd := exec.Command("go", "build", "-o", b[0], b[1])
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			return "", "", fmt.Errorf("building %s: %w\n%s", b[1], err, out)
		}
	}
	return dealwire, natsServer, nil
}

// proc is one OS process the test runs, restarts and kills: a stage or the
// NATS server. Each start writes its output to a log file of its own.
type proc struct {
	name   string
	bin    string
	args   []string
	env    []string
	logDir string

	mu sync.Mutex // guards the fields below
	// cmd is the current process, done is closed when it has exited.
	cmd  *exec.Cmd
	done chan struct{}
	// stopping is set while the test kills or stops the process on purpose.
	stopping bool
	starts   int
	logs     []string
}

func (p *proc) start() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.starts++
	logPath := filepath.Join(p.logDir, fmt.Sprintf("%s-%d.log", p.name, p.starts))
	log, err := os.Create(logPath)
	if err != nil {
		return err
	}
	cmd := exec.Command(p.bin, p.args...)
	cmd.Env = p.env
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return fmt.Errorf("starting %s: %w", p.name, err)
	}
	done := make(chan struct{})
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		log.Close()
		close(done)
	}()
	p.cmd, p.done, p.stopping = cmd, done, false
	p.logs = append(p.logs, logPath)
	return nil
}

func (p *proc) pid() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.cmd.Process.Pid
}

// exitedUnasked reports a process that ended without the test asking, with
// its exit status.
func (p *proc) exitedUnasked() (string, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.cmd == nil || p.stopping {
		return "", false
	}
	select {
	case <-p.done:
		return p.cmd.ProcessState.String(), true
	default:
		return "", false
	}
}

// signal sends sig and waits up to limit for the process to exit; it
// SIGKILLs a process that does not. It returns the exit state.
func (p *proc) signal(sig syscall.Signal, limit time.Duration) (*os.ProcessState, error) {
	p.mu.Lock()
	cmd, done := p.cmd, p.done
	p.stopping = true
	p.mu.Unlock()
	if err := cmd.Process.Signal(sig); err != nil && !errors.Is(err, os.ErrProcessDone) {
		return nil, fmt.Errorf("signalling %s: %w", p.name, err)
	}
	select {
	case <-done:
		return cmd.ProcessState, nil
	case <-time.After(limit):
		_ = cmd.Process.Kill()
		<-done
		return cmd.ProcessState, fmt.Errorf("%s did not exit within %s of %s; killed", p.name, limit, sig)
	}
}

func (p *proc) lastLog() string {
	p.mu.Lock()
	defer p.mu.Unlock()
	if len(p.logs) == 0 {
		return ""
	}
	return p.logs[len(p.logs)-1]
}

// tail is the last n lines of a file.
func tail(path string, n int) string {
	b, err := os.ReadFile(path)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// freePort returns a loopback TCP port nothing listens on now.
func freePort(t testing.TB) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// freeESPort picks a free port for an Elasticsearch node at random among
// 9230-9299: below the ephemeral range, so no outgoing connection takes it
// while the node is stopped, and at random, so two runs seldom pick the same.
func freeESPort(t testing.TB) int {
	t.Helper()
	for range 100 {
		port := 9230 + rand.IntN(70)
		ln, err := net.Listen("tcp", net.JoinHostPort("127.0.0.1", strconv.Itoa(port)))
		if err == nil {
			ln.Close()
			return port
		}
	}
	t.Fatal("no free port among 9230-9299 for an Elasticsearch node")
	return 0
}

// memory reads a process's resident set size and its peak (VmRSS and
// VmHWM of /proc/<pid>/status), in bytes.
func memory(pid int) (rss, peak int64, err error) {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0, 0, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		k, v, ok := strings.Cut(sc.Text(), ":")
		if !ok || k != "VmRSS" && k != "VmHWM" {
			continue
		}
		kb, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(v), " kB"), 10, 64)
		if err != nil {
			return 0, 0, fmt.Errorf("reading %s of process %d: %w", k, pid, err)
		}
		if k == "VmRSS" {
			rss = kb << 10
		} else {
			peak = kb << 10
		}
	}
	return rss, peak, sc.Err()
}

// elasticsearch drives the test's own node through scripts/elasticsearch.
type elasticsearch struct {
	port   string
	url    string
	client *http.Client
	// wasRunning says the node answered before the test; it is left running.
	wasRunning bool
}

func newHTTPClient() *http.Client { return &http.Client{} }

func (es *elasticsearch) ctl(command string) error {
	cmd := exec.Command(filepath.Join(root, "scripts", "elasticsearch"), command)
	cmd.Env = append(os.Environ(), "ES_PORT="+es.port, "ES_HEAP=512m")
	out, err := cmd.CombinedOutput()
	if err != nil {
		return fmt.Errorf("scripts/elasticsearch %s on port %s: %w\n%s", command, es.port, err, out)
	}
	return nil
}

func (es *elasticsearch) answers() bool {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, es.url+"/_cluster/health", nil)
	if err != nil {
		return false
	}
	resp, err := es.client.Do(req)
	if err != nil {
		return false
	}
	resp.Body.Close()
	return resp.StatusCode == http.StatusOK
}

// do sends a request to the node and decodes a JSON answer into out
// (when not nil).
func (es *elasticsearch) do(ctx context.Context, method, path string, body any, out any) error {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(b)
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, method, es.url+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := es.client.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return err
	}
	if resp.StatusCode >= 300 {
		return fmt.Errorf("%s %s: %s: %s", method, path, resp.Status, b)
	}
	if out == nil {
		return nil
	}
	return json.Unmarshal(b, out)
}

// count is the number of documents visible in alias, or -1 when the node
// does not answer.
func (es *elasticsearch) count(ctx context.Context, alias string) int {
	var res struct {
		Count int `json:"count"`
	}
	if err := es.do(ctx, http.MethodGet, "/"+alias+"/_count", nil, &res); err != nil {
		return -1
	}
	return res.Count
}

// ids lists the document ids of alias.
func (es *elasticsearch) ids(ctx context.Context, alias string) ([]string, error) {
	var res struct {
		Hits struct {
			Hits []struct {
				ID string `json:"_id"`
			} `json:"hits"`
		} `json:"hits"`
	}
	q := map[string]any{"size": 10000, "_source": false, "sort": []string{"_doc"}}
	if err := es.do(ctx, http.MethodPost, "/"+alias+"/_search", q, &res); err != nil {
		return nil, err
	}
	out := make([]string, len(res.Hits.Hits))
	for i, h := range res.Hits.Hits {
		out[i] = h.ID
	}
	return out, nil
}

// natsMonitor watches the streams from a connection of the test's own,
// which follows the server across restarts.
type natsMonitor struct {
	nc *nats.Conn
	js jetstream.JetStream
}

func connectMonitor(url string) (*natsMonitor, error) {
	nc, err := nats.Connect(url, nats.MaxReconnects(-1), nats.ReconnectWait(200*time.Millisecond), nats.Name("faults-monitor"))
	if err != nil {
		return nil, err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return nil, err
	}
	return &natsMonitor{nc: nc, js: js}, nil
}

// stream is the state of a stream, or nil when it cannot be read now.
func (m *natsMonitor) stream(ctx context.Context, name string) *jetstream.StreamState {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, err := m.js.Stream(ctx, name)
	if err != nil {
		return nil
	}
	info, err := s.Info(ctx)
	if err != nil {
		return nil
	}
	return &info.State
}

// lastSeq is a stream's last sequence, or 0 when it cannot be read.
func (m *natsMonitor) lastSeq(ctx context.Context, name string) uint64 {
	if st := m.stream(ctx, name); st != nil {
		return st.LastSeq
	}
	return 0
}

// consumer is the state of a durable consumer, or nil.
func (m *natsMonitor) consumer(ctx context.Context, stream, durable string) *jetstream.ConsumerInfo {
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	c, err := m.js.Consumer(ctx, stream, durable)
	if err != nil {
		return nil
	}
	info, err := c.Info(ctx)
	if err != nil {
		return nil
	}
	return info
}

// idle reports whether the consumer has handed out and settled everything.
func (m *natsMonitor) idle(ctx context.Context, stream, durable string) bool {
	busy, err := bustest.Busy(ctx, m.js, stream, durable)
	return err == nil && busy == ""
}

// ready waits until a NATS server with JetStream answers on url.
func natsReady(ctx context.Context, url string, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		nc, err := nats.Connect(url, nats.Timeout(2*time.Second))
		if err == nil {
			js, jerr := jetstream.New(nc)
			if jerr == nil {
				actx, cancel := context.WithTimeout(ctx, 2*time.Second)
				_, jerr = js.AccountInfo(actx)
				cancel()
			}
			nc.Close()
			if jerr == nil {
				return nil
			}
			err = jerr
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("nats at %s not ready after %s: %w", url, limit, err)
		}
		time.Sleep(100 * time.Millisecond) // polling with a deadline
	}
}
