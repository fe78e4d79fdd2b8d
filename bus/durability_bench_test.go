package bus

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"golang.org/x/sync/errgroup"
)

// BenchmarkDurability measures what syncing every JetStream write to disk
// costs: messages of 4 KiB (an article's size) published the way the fetch
// stage does (bus.Publish, each waiting for its PubAck, 32 publishers at
// once), then consumed the way the extract and index stages do (a durable
// pull consumer, batches of 200, each message acked and the ack waited for),
// on
//
//   - embedded: one in-process server, as "dealwire run" starts it;
//   - cluster: three nats-server processes built from the module in go.mod,
//     on localhost ports, with the stream replicated three times;
//
// each with the server's default (data written at once, fsync every 2
// minutes: sync_interval) and with sync_interval: always (SyncAlways, an
// fsync per write). It reports published and consumed messages per second.
//
// DEALWIRE_BENCH_MESSAGES sets the number of messages (default 20,000);
// scripts/bench-jetstream runs it. It does the work once whatever b.N is;
// run it with -benchtime 1x.
func BenchmarkDurability(b *testing.B) {
	n := 20000
	if v, err := strconv.Atoi(os.Getenv("DEALWIRE_BENCH_MESSAGES")); err == nil && v > 0 {
		n = v
	}
	natsServer := buildNATSServer(b) // for the cluster cases
	for _, setup := range []string{"embedded", "cluster"} {
		for _, always := range []bool{false, true} {
			name := setup + "/sync=default"
			if always {
				name = setup + "/sync=always"
			}
			b.Run(name, func(b *testing.B) {
				var url string
				replicas := 1
				if setup == "embedded" {
					url = embeddedServer(b, always)
				} else {
					url, replicas = natsCluster(b, natsServer, always), 3
				}
				for b.Loop() {
					pub, con := durabilityRun(b, url, replicas, n)
					b.ReportMetric(pub, "published/s")
					b.ReportMetric(con, "consumed/s")
				}
			})
		}
	}
}

// durabilityRun publishes n messages to a new stream and consumes them,
// and returns both rates per second.
func durabilityRun(b *testing.B, url string, replicas, n int) (published, consumed float64) {
	ctx := b.Context()
	nc, err := nats.Connect(url)
	if err != nil {
		b.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		b.Fatal(err)
	}
	stream := fmt.Sprintf("BENCH%d", time.Now().UnixNano())
	if err := EnsureStream(ctx, js, jetstream.StreamConfig{Name: stream, Subjects: []string{stream + ".>"},
		Storage: jetstream.FileStorage, Replicas: replicas, Duplicates: time.Hour}); err != nil {
		b.Fatal(err)
	}
	defer func() { _ = js.DeleteStream(context.Background(), stream) }()

	body := strings.Repeat("Acme raised $20 million in a Series A round led by Example Ventures. ", 60)[:4096]
	type article struct {
		ID   string `json:"id"`
		Text string `json:"text"`
	}
	var next atomic.Int64
	start := time.Now()
	var g errgroup.Group
	for range 32 {
		g.Go(func() error {
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return nil
				}
				id := strconv.FormatInt(i, 16)
				if _, err := Publish(ctx, js, stream+".bench", id, article{ID: id, Text: body}); err != nil {
					return err
				}
			}
		})
	}
	if err := g.Wait(); err != nil {
		b.Fatal(err)
	}
	published = float64(n) / time.Since(start).Seconds()

	cons, err := js.CreateOrUpdateConsumer(ctx, stream, jetstream.ConsumerConfig{Durable: "bench", AckPolicy: jetstream.AckExplicitPolicy,
		MaxAckPending: 800})
	if err != nil {
		b.Fatal(err)
	}
	start = time.Now()
	for got := 0; got < n; {
		batch, err := cons.Fetch(200, jetstream.FetchMaxWait(5*time.Second))
		if err != nil {
			b.Fatal(err)
		}
		var acks errgroup.Group
		acks.SetLimit(32)
		for msg := range batch.Messages() {
			got++
			acks.Go(func() error { return doubleAck(ctx, msg) })
		}
		if err := errors.Join(batch.Error(), acks.Wait()); err != nil {
			b.Fatal(err)
		}
	}
	consumed = float64(n) / time.Since(start).Seconds()
	return published, consumed
}

// doubleAck acks msg and waits for the server's confirmation. In the
// three-node cluster the consumer's leader may be moving when the run
// starts, and the ack's reply then has no responder: the ack is idempotent,
// so it is sent again, a few times, before that fails the run.
func doubleAck(ctx context.Context, msg jetstream.Msg) error {
	var err error
	for attempt := range 5 {
		if err = msg.DoubleAck(ctx); !errors.Is(err, nats.ErrNoResponders) {
			return err
		}
		time.Sleep(time.Duration(attempt+1) * 100 * time.Millisecond)
	}
	return err
}

// embeddedServer starts an in-process server like [StartEmbedded]'s, with
// SyncAlways when always is set, and returns its URL.
func embeddedServer(b *testing.B, always bool) string {
	return bustest.NewServer(b, func(o *server.Options) { o.SyncAlways = always }).ClientURL()
}

// buildNATSServer compiles nats-server from the module in go.mod.
func buildNATSServer(b *testing.B) string {
	bin := filepath.Join(b.TempDir(), "nats-server")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/nats-io/nats-server/v2")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Fatalf("building nats-server: %v\n%s", err, out)
	}
	return bin
}

// natsCluster starts three nats-server processes on free localhost ports,
// routed to each other, with JetStream (sync_interval: always when always
// is set), waits until their stream store answers, stops them at cleanup
// and returns their client URLs.
func natsCluster(b *testing.B, bin string, always bool) string {
	ports := make([]int, 6) // client and route port of each node
	for i := range ports {
		ports[i] = freeTCPPort(b)
	}
	var routes []string
	for i := range 3 {
		routes = append(routes, fmt.Sprintf("nats://127.0.0.1:%d", ports[3+i]))
	}
	sync := ""
	if always {
		sync = "\n  sync_interval: always"
	}
	var urls []string
	for i := range 3 {
		dir := b.TempDir()
		conf := fmt.Sprintf(`server_name: n%d
listen: 127.0.0.1:%d
jetstream {
  store_dir: %q%s
}
cluster {
  name: bench
  listen: 127.0.0.1:%d
  routes: [%s]
}
`, i, ports[i], filepath.Join(dir, "js"), sync, ports[3+i], strings.Join(routes, ", "))
		path := filepath.Join(dir, "nats.conf")
		if err := os.WriteFile(path, []byte(conf), 0o600); err != nil {
			b.Fatal(err)
		}
		log, err := os.Create(filepath.Join(dir, "nats.log"))
		if err != nil {
			b.Fatal(err)
		}
		cmd := exec.Command(bin, "-c", path)
		cmd.Stdout, cmd.Stderr = log, log
		if err := cmd.Start(); err != nil {
			b.Fatal(err)
		}
		done := make(chan struct{})
		go func() {
			_ = cmd.Wait() // how it ended does not matter once the benchmark is over
			log.Close()
			close(done)
		}()
		b.Cleanup(func() {
			_ = cmd.Process.Signal(os.Interrupt)
			select {
			case <-done:
			case <-time.After(30 * time.Second):
				_ = cmd.Process.Kill()
				<-done
			}
		})
		urls = append(urls, fmt.Sprintf("nats://127.0.0.1:%d", ports[i]))
	}
	url := strings.Join(urls, ",")
	// Ready when a replicated stream can be created: the nodes have met
	// and elected a meta leader.
	deadline := time.Now().Add(time.Minute)
	for {
		err := func() error {
			nc, err := nats.Connect(url)
			if err != nil {
				return err
			}
			defer nc.Close()
			js, err := jetstream.New(nc)
			if err != nil {
				return err
			}
			ctx, cancel := context.WithTimeout(b.Context(), 5*time.Second)
			defer cancel()
			if _, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: "READY", Subjects: []string{"ready"}, Replicas: 3}); err != nil {
				return err
			}
			return js.DeleteStream(ctx, "READY")
		}()
		if err == nil {
			return url
		}
		if time.Now().After(deadline) {
			b.Fatalf("the cluster did not accept a replicated stream within a minute: %v", err)
		}
		time.Sleep(200 * time.Millisecond) // polling with a deadline
	}
}

func freeTCPPort(b *testing.B) int {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}
