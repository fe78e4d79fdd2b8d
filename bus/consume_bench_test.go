package bus

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"

	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"

	"github.com/dealwire/dealwire/bus/bustest"
	"github.com/dealwire/dealwire/news"
)

// BenchmarkConsumeBatch measures what a batch stage costs per message
// around its handler: the in-process JetStream server delivering, the NATS
// client, the consumer's hand-overs and the per-message acks, with a
// handler that does nothing. b.N messages of 4 kB (about an index record's
// size) are published first, outside the time; then two workers take them
// in batches of 200 until the last one is acked. "fetch" is a Fetch per
// batch, "prefetch" the index stage's way ([Stage.Prefetch]: the next
// batch's Fetch asked for before a batch is handled). Besides ns/op (one
// message), cpu-ns/msg is this process's CPU time while consuming (server,
// client and consumer), which moves less with the machine's load than the
// wall time; for instructions, run it under cachegrind at two sizes, e.g.
//
//	go test -c -o /tmp/bus.test ./bus
//	GOMAXPROCS=2 valgrind --tool=cachegrind --cache-sim=no /tmp/bus.test -test.run '^$' -test.bench 'ConsumeBatch/prefetch' -test.benchtime 4000x
func BenchmarkConsumeBatch(b *testing.B) {
	for _, prefetch := range []bool{false, true} {
		name := "fetch"
		if prefetch {
			name = "prefetch"
		}
		b.Run(name, func(b *testing.B) { benchConsume(b, prefetch) })
	}
}

func benchConsume(b *testing.B, prefetch bool) {
	_, js := bustest.Connect(b, bustest.NewServer(b))
	cfg := Config{Embedded: EmbeddedConfig{StoreDir: "unused"}}.WithDefaults()
	if err := EnsureStreams(b.Context(), js, cfg); err != nil {
		b.Fatal(err)
	}
	body := []byte(`{"v":1,"text":"` + strings.Repeat("funding round led by ", 200)[:4000] + `"}`)
	n := b.N
	for i := 0; i < n; i += 256 {
		var futs []jetstream.PubAckFuture
		for j := i; j < min(i+256, n); j++ {
			f, err := js.PublishMsgAsync(&nats.Msg{Subject: news.ArticleSubject("bench"), Data: body}, jetstream.WithMsgID(fmt.Sprint(j)))
			if err != nil {
				b.Fatal(err)
			}
			futs = append(futs, f)
		}
		for _, f := range futs {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				b.Fatal(err)
			}
		}
	}
	c, err := NewConsumer(b.Context(), js, cfg, Stage{Name: "bench", Stream: news.StreamArticles, Durable: "bench",
		Workers: 2, Batch: 200, MaxWait: 100 * time.Millisecond, Prefetch: prefetch}, nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	ctx, cancel := context.WithCancel(b.Context())
	defer cancel()
	var handled atomic.Int64
	cpu0 := processCPU()
	b.ResetTimer()
	err = c.RunBatch(ctx, func(_ context.Context, msgs []jetstream.Msg) []error {
		if handled.Add(int64(len(msgs))) >= int64(n) {
			cancel()
		}
		return make([]error, len(msgs))
	})
	b.StopTimer()
	if err != nil {
		b.Fatal(err)
	}
	if got := handled.Load(); got != int64(n) {
		b.Fatalf("handled %d messages, want %d", got, n)
	}
	b.ReportMetric(float64((processCPU()-cpu0).Nanoseconds())/float64(n), "cpu-ns/msg")
}

// processCPU is the user and system time this process has used.
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
