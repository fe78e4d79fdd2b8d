// Command stagemem measures the peak resident memory of each stage process
// of the built binary ("dealwire fetch", "dealwire extract --stage",
// "dealwire index" on SQLite) under load, against a nats-server process,
// and how it grows with the settings that bound what a stage holds:
// ingest.workers for fetch; extract.workers and nats.max_ack_pending for
// extract; index.workers, index.batch and nats.max_ack_pending for index.
//
// Load means a full backlog: the fetch stage polls every feed of a local
// news site at once (-feeds feeds of -items articles of about 5 KB, one
// feed in ten with short items whose pages are fetched and extracted); the
// extract stage starts with every article waiting in ARTICLES, the index
// stage with every record waiting in RECORDS. Each run starts from a copy
// of the same JetStream store (taken after a fetch, and after an extract,
// with the default settings), runs the stage until its consumer has acked
// everything, stops it with SIGINT and reads its peak resident set from
// the kernel (wait4's maximum RSS, which GNU time reports too). It prints
// one line per run: the stage, the setting, the peak in MiB, the time and
// the rate.
//
// Run it as scripts/bench-memory, which builds both binaries.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/extractstage"
	"github.com/dealwire/dealwire/indexstage"
	"github.com/dealwire/dealwire/ingest"
)

// options are the command-line flags.
type options struct {
	dealwire, natsServer string
	dir                  string
	feeds, items         int
	only                 string
	timeout              time.Duration
}

func main() {
	var o options
	flag.StringVar(&o.dealwire, "dealwire", "", "dealwire binary (required)")
	flag.StringVar(&o.natsServer, "nats-server", "", "nats-server binary (required)")
	flag.StringVar(&o.dir, "dir", "", "working directory (default: a temporary one, removed at the end)")
	flag.IntVar(&o.feeds, "feeds", 100, "feeds of the local news site")
	flag.IntVar(&o.items, "items", 20, "articles per feed")
	flag.StringVar(&o.only, "only", "", "run only the runs whose name contains this (e.g. index)")
	flag.DurationVar(&o.timeout, "timeout", 10*time.Minute, "longest a stage may take to drain its backlog")
	flag.Parse()
	if o.dealwire == "" || o.natsServer == "" {
		fmt.Fprintln(os.Stderr, "stagemem: -dealwire and -nats-server are required (scripts/bench-memory builds them)")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "stagemem:", err)
		os.Exit(1)
	}
}

// setting is one configuration of one stage: YAML lines added to the
// stage's configuration.
type setting struct {
	stage string // fetch, extract or index
	name  string // what the run varies, for the table
	yaml  map[string]string
}

// runs is the matrix: each stage with its defaults, then one setting
// varied at a time.
func runs() []setting {
	s := func(stage, name string, kv ...string) setting {
		m := map[string]string{}
		for i := 0; i < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return setting{stage, name, m}
	}
	// The defaults' labels are read from the stages' own defaults, so the
	// table names what a user gets without settings.
	natsCfg := bus.Config{}.WithDefaults()
	fetchW := ingest.DefaultConfig().Workers
	ex := extractstage.Config{}.WithDefaults()
	ix := indexstage.Config{}.WithDefaults()
	ackPending := func(workers, batch int) int {
		return bus.AckPending(natsCfg, bus.Stage{Workers: workers, Batch: batch})
	}
	return []setting{
		s("fetch", fmt.Sprintf("defaults (workers %d)", fetchW)),
		s("fetch", "workers 8", "ingest.workers", "8"),
		s("fetch", "workers 128", "ingest.workers", "128"),
		s("extract", fmt.Sprintf("defaults (workers %d, max_ack_pending %d)",
			ex.Workers, ackPending(ex.Workers, 1))),
		s("extract", "max_ack_pending 64", "nats.max_ack_pending", "64"),
		s("extract", "max_ack_pending 4096", "nats.max_ack_pending", "4096"),
		s("extract", "workers 1", "extract.workers", "1"),
		s("extract", "workers 4", "extract.workers", "4"),
		s("extract", "workers 8", "extract.workers", "8"),
		s("index", fmt.Sprintf("defaults (workers %d, batch %d, max_ack_pending %d)",
			ix.Workers, ix.Batch, ackPending(ix.Workers, ix.Batch))),
		s("index", "max_ack_pending 256", "nats.max_ack_pending", "256"),
		s("index", "max_ack_pending 6400", "nats.max_ack_pending", "6400"),
		s("index", "batch 50", "index.batch", "50"),
		s("index", "batch 1000", "index.batch", "1000"),
		s("index", "workers 1", "index.workers", "1"),
		s("index", "workers 4", "index.workers", "4"),
		s("index", "workers 8", "index.workers", "8"),
	}
}

func run(ctx context.Context, o options) error {
	if o.dir == "" {
		dir, err := os.MkdirTemp("", "stagemem-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		o.dir = dir
	}
	site, err := startSite(o.feeds, o.items)
	if err != nil {
		return err
	}
	defer site.close()
	b := &bench{o: o, site: site}
	articles := o.feeds * o.items
	fmt.Fprintf(os.Stderr, "stagemem: %d feeds of %d articles (%.1f MB of text) on %s\n", o.feeds, o.items, float64(site.textBytes())/1e6, site.url)

	// The backlogs every run starts from: the store after a fetch with the
	// defaults, and after an extract of it.
	if err := b.stage(ctx, runs()[0], "", "articles", articles); err != nil {
		return fmt.Errorf("filling ARTICLES: %w", err)
	}
	if err := b.stage(ctx, runs()[3], "articles", "records", articles); err != nil {
		return fmt.Errorf("filling RECORDS: %w", err)
	}
	fmt.Printf("%-8s %-52s %9s %9s %10s\n", "stage", "setting", "peak_MiB", "time_s", "per_s")
	for _, st := range runs() {
		if o.only != "" && !strings.Contains(st.stage+" "+st.name, o.only) {
			continue
		}
		from := map[string]string{"fetch": "", "extract": "articles", "index": "records"}[st.stage]
		if err := b.stage(ctx, st, from, "", articles); err != nil {
			return fmt.Errorf("%s, %s: %w", st.stage, st.name, err)
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
	}
	return nil
}

// errStopped is returned when the command is interrupted.
var errStopped = errors.New("stopped")
