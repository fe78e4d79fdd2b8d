package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/index/elastic"
	"github.com/dealwire/dealwire/news"
)

// TestKilledIndexProcessLosesNothing SIGKILLs a "dealwire index" process
// while it holds unacknowledged records, starts another, and checks that
// the second indexes every record, the killed one's included, with nothing
// dead-lettered. It logs how long after the kill the stage moved again and
// when it had drained. ack_wait is 5s here (DEALWIRE_KILL_ACK_WAIT sets
// another, e.g. the default 30s, to measure it).
func TestKilledIndexProcessLosesNothing(t *testing.T) {
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
	ackWait := os.Getenv("DEALWIRE_KILL_ACK_WAIT")
	if ackWait == "" {
		ackWait = "5s"
	}
	bin := buildBinary(t)
	srv := bustest.NewServer(t)
	_, js := bustest.Connect(t, srv)
	if err := bus.EnsureStreams(t.Context(), js, bus.Config{}.WithDefaults()); err != nil {
		t.Fatal(err)
	}
	esIndex := fmt.Sprintf("kill-%d", time.Now().UnixNano())
	dropIndexAtEnd(t, esURL, esIndex)
	cfgFile := filepath.Join(t.TempDir(), "dealwire.yaml")
	if err := os.WriteFile(cfgFile, []byte("nats:\n  ack_wait: "+ackWait+"\nindex:\n  batch: 100\n  flush_interval: 100ms\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	start := func(name string) *exec.Cmd {
		cmd := exec.Command(bin, "index", "--config", cfgFile)
		cmd.Env = append(os.Environ(), "DEALWIRE_NATS_URL="+srv.ClientURL(), "DEALWIRE_ES_URLS="+esURL,
			"DEALWIRE_ES_INDEX="+esIndex, "DEALWIRE_DATA_DIR="+t.TempDir(), "DEALWIRE_LOG_LEVEL=warn", "DEALWIRE_CONFIG=", "DEALWIRE_OBS_ADDR=127.0.0.1:0")
		log, err := os.Create(filepath.Join(t.TempDir(), name+".log"))
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			t.Fatalf("starting %s: %v", name, err)
		}
		return cmd
	}

	doomed := start("doomed")
	const n = 3000
	publishRecords(t, js, 0, n)
	waitUntil(t, 60*time.Second, "the doomed process holds records", func() bool { return indexInfo(t, js).NumAckPending > 0 })
	if err := doomed.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed := time.Now()
	_ = doomed.Wait() // killed: its exit status says so
	held := indexInfo(t, js).NumAckPending
	if held == 0 {
		t.Fatal("the doomed process acked everything before it died; nothing to recover (raise n)")
	}
	pendingAtKill := indexInfo(t, js).NumPending

	survivor := start("survivor")
	t.Cleanup(func() {
		_ = survivor.Process.Signal(syscall.SIGTERM)
		if err := survivor.Wait(); err != nil {
			t.Errorf("survivor: %v", err)
		}
	})
	var moved time.Duration
	waitUntil(t, 120*time.Second, "every record is indexed", func() bool {
		info := indexInfo(t, js)
		if moved == 0 && info.NumPending < pendingAtKill {
			moved = time.Since(killed)
		}
		return info.NumPending == 0 && info.NumAckPending == 0
	})
	drained := time.Since(killed)

	store, err := elastic.New(t.Context(), elastic.Config{URLs: []string{esURL}, Index: esIndex}, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if got := indexed(t, store); got != n {
		t.Errorf("index holds %d records after the kill, want %d", got, n)
	}
	if got := streamCount(t, js, news.StreamDead); got != 0 {
		t.Errorf("%d dead letters, want 0", got)
	}
	if info := indexInfo(t, js); info.NumRedelivered == 0 && info.Delivered.Consumer <= n {
		t.Errorf("no record was delivered twice, yet the killed process held %d", held)
	}
	t.Logf("ack_wait %s: killed holding %d records; the stage moved again %.1fs after the kill (a new process started); drained after %.1fs",
		ackWait, held, moved.Seconds(), drained.Seconds())
}

func indexInfo(t *testing.T, js jetstream.JetStream) *jetstream.ConsumerInfo {
	t.Helper()
	c, err := js.Consumer(t.Context(), news.StreamRecords, "index")
	if err != nil {
		return &jetstream.ConsumerInfo{} // not created yet
	}
	info, err := c.Info(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	return info
}
