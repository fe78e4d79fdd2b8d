package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

type bench struct {
	o    options
	site *site
	runs int
}

// stage runs one stage with setting st on a copy of the store snapshot
// from ("" for an empty store) until it has done its work on all the
// articles, and prints its line; with save set it keeps the store after
// the run as that snapshot instead of printing.
func (b *bench) stage(ctx context.Context, st setting, from, save string, articles int) error {
	b.runs++
	dir := filepath.Join(b.o.dir, fmt.Sprintf("run%02d", b.runs))
	store := filepath.Join(dir, "nats")
	if from != "" {
		if err := copyDir(filepath.Join(b.o.dir, "snapshot-"+from), store); err != nil {
			return err
		}
	}
	defer os.RemoveAll(dir)
	ns, url, err := b.startNATS(dir, store)
	if err != nil {
		return err
	}
	defer ns.stop()
	nc, err := nats.Connect(url)
	if err != nil {
		return err
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		return err
	}

	cfg, err := b.writeConfig(dir, url, st)
	if err != nil {
		return err
	}
	args := map[string][]string{"fetch": {"fetch"}, "extract": {"extract", "--stage"}, "index": {"index"}}[st.stage]
	p, err := start(b.o.dealwire, args, dir, "DEALWIRE_CONFIG="+cfg, "DEALWIRE_OBS_ADDR=off")
	if err != nil {
		return err
	}
	began := time.Now()
	done := func() (bool, error) {
		switch st.stage {
		case "fetch":
			n, err := streamMsgs(ctx, js, "ARTICLES")
			return n >= uint64(articles), err
		case "extract":
			return drained(ctx, js, "ARTICLES", "extract")
		default:
			ok, err := drained(ctx, js, "RECORDS", "index")
			if !ok || err != nil {
				return ok, err
			}
			return drained(ctx, js, "DEALS", "index-deals")
		}
	}
	deadline := began.Add(b.o.timeout)
	for {
		ok, err := done()
		if ok {
			break
		}
		if p.exited() {
			return fmt.Errorf("dealwire %s exited before it was done:\n%s", st.stage, p.tail(20))
		}
		if time.Now().After(deadline) || ctx.Err() != nil {
			p.stop()
			return fmt.Errorf("not done after %s (last check: %v):\n%s", b.o.timeout, err, p.tail(20))
		}
		time.Sleep(100 * time.Millisecond) // polling with a deadline
	}
	took := time.Since(began)
	peak, err := p.stop()
	if err != nil {
		return err
	}
	if save != "" {
		nc.Close()
		ns.stop()
		if err := copyDir(store, filepath.Join(b.o.dir, "snapshot-"+save)); err != nil {
			return err
		}
		fmt.Fprintf(os.Stderr, "stagemem: %s with defaults: %d articles in %.1f s, peak %.0f MiB (kept as the %s backlog)\n",
			st.stage, articles, took.Seconds(), float64(peak)/(1<<20), save)
		return nil
	}
	fmt.Printf("%-8s %-52s %9.0f %9.1f %10.0f\n", st.stage, st.name, float64(peak)/(1<<20), took.Seconds(), float64(articles)/took.Seconds())
	return nil
}

// writeConfig writes the configuration of a run: the defaults, except the
// local news site as the feed list (polled at once, every second), the
// NATS URL, the data directory, and st.
func (b *bench) writeConfig(dir, url string, st setting) (string, error) {
	sections := map[string]map[string]string{
		"nats": {"url": fmt.Sprintf("%q", url)},
		"ingest": {"allow_private": "[127.0.0.1]", "host_delay": "0s", "host_concurrency": "256", "interval": "1s",
			"min_interval": "1s", "max_interval": "2s", "jitter": "0", "max_items_per_poll": "1000"},
	}
	for k, v := range st.yaml {
		sec, key, _ := strings.Cut(k, ".")
		if sections[sec] == nil {
			sections[sec] = map[string]string{}
		}
		sections[sec][key] = v
	}
	var y strings.Builder
	fmt.Fprintf(&y, "data_dir: %q\nlog_level: warn\nfeeds_file: \"\"\n", filepath.Join(dir, "data"))
	names := make([]string, 0, len(sections))
	for sec := range sections {
		names = append(names, sec)
	}
	sort.Strings(names)
	for _, sec := range names {
		fmt.Fprintf(&y, "%s:\n", sec)
		keys := make([]string, 0, len(sections[sec]))
		for k := range sections[sec] {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			fmt.Fprintf(&y, "  %s: %s\n", k, sections[sec][k])
		}
		if sec == "ingest" {
			y.WriteString("  feeds:\n")
			for i := range b.o.feeds {
				fmt.Fprintf(&y, "    - {name: site%d, url: %q}\n", i, b.site.feedURL(i))
			}
		}
	}
	path := filepath.Join(dir, "dealwire.yaml")
	return path, os.WriteFile(path, []byte(y.String()), 0o600)
}

// startNATS starts nats-server with JetStream in store on a free port.
func (b *bench) startNATS(dir, store string) (*proc, string, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", err
	}
	port := ln.Addr().(*net.TCPAddr).Port
	ln.Close()
	p, err := start(b.o.natsServer, []string{"-a", "127.0.0.1", "-p", fmt.Sprint(port), "-js", "-sd", store}, dir)
	if err != nil {
		return nil, "", err
	}
	url := fmt.Sprintf("nats://127.0.0.1:%d", port)
	for deadline := time.Now().Add(30 * time.Second); ; {
		nc, err := nats.Connect(url)
		if err == nil {
			nc.Close()
			return p, url, nil
		}
		if time.Now().After(deadline) {
			p.stop()
			return nil, "", fmt.Errorf("nats-server not answering after 30s: %w\n%s", err, p.tail(10))
		}
		time.Sleep(100 * time.Millisecond) // polling with a deadline
	}
}

func streamMsgs(ctx context.Context, js jetstream.JetStream, stream string) (uint64, error) {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return 0, err
	}
	info, err := s.Info(ctx)
	if err != nil {
		return 0, err
	}
	return info.State.Msgs, nil
}

// drained reports whether the durable consumer has been handed and has
// acked every message up to the stream's last sequence.
func drained(ctx context.Context, js jetstream.JetStream, stream, durable string) (bool, error) {
	s, err := js.Stream(ctx, stream)
	if err != nil {
		return false, err
	}
	si, err := s.Info(ctx)
	if err != nil {
		return false, err
	}
	c, err := js.Consumer(ctx, stream, durable)
	if err != nil {
		return false, err
	}
	ci, err := c.Info(ctx)
	if err != nil {
		return false, err
	}
	return ci.AckFloor.Stream >= si.State.LastSeq && ci.NumAckPending == 0, nil
}

// proc is a child process whose output goes to a log file.
type proc struct {
	cmd  *exec.Cmd
	log  string
	done chan struct{}
}

func start(bin string, args []string, dir string, env ...string) (*proc, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	logPath := filepath.Join(dir, filepath.Base(bin)+".log")
	log, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Stdout, cmd.Stderr = log, log
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "DEALWIRE_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, env...)
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("starting %s: %w", bin, err)
	}
	p := &proc{cmd: cmd, log: logPath, done: make(chan struct{})}
	go func() {
		_ = cmd.Wait() // the exit status is read from cmd.ProcessState
		log.Close()
		close(p.done)
	}()
	return p, nil
}

func (p *proc) exited() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// stop sends SIGINT, waits up to a minute (then kills) and returns the
// process's peak resident set in bytes.
func (p *proc) stop() (int64, error) {
	if !p.exited() {
		_ = p.cmd.Process.Signal(os.Interrupt)
		select {
		case <-p.done:
		case <-time.After(time.Minute):
			_ = p.cmd.Process.Kill()
			<-p.done
			return 0, fmt.Errorf("%s did not stop within a minute of SIGINT; killed:\n%s", p.cmd.Path, p.tail(20))
		}
	}
	ru, ok := p.cmd.ProcessState.SysUsage().(*syscall.Rusage)
	if !ok {
		return 0, fmt.Errorf("no resource usage of %s", p.cmd.Path)
	}
	return ru.Maxrss * 1024, nil // kilobytes on Linux
}

// tail is the last n lines of the process's log.
func (p *proc) tail(n int) string {
	b, err := os.ReadFile(p.log)
	if err != nil {
		return err.Error()
	}
	lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}

// copyDir copies the tree at from to to.
func copyDir(from, to string) error {
	return filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, path)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.MkdirAll(dst, 0o755)
		}
		src, err := os.Open(path)
		if err != nil {
			return err
		}
		defer src.Close()
		out, err := os.Create(dst)
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, src); err != nil {
			out.Close()
			return err
		}
		return out.Close()
	})
}
