// Command corpusrun measures the whole pipeline on the labelled real-news
// corpus (issue 9): it serves the corpus as a local news site (an RSS feed
// of every document, one HTML page per document, a robots.txt allowing
// everything), runs the built binary as "dealwire run --feed" on it with a
// temporary data directory, waits until every article is indexed, reads the
// records and the resolved deals back through the HTTP API, stops the
// process with SIGINT and scores what came out against the labels: the
// share of deal records whose company, round and amount are all right
// (target 0.85), and the share of labelled deals found. The same figures
// for "dealwire extract --jsonl" run directly on the corpus texts show what
// fetching and page extraction lose.
//
// Run it from the repository root as scripts/corpus-run (which runs
// "go run ./tools/corpusrun"); see that script for what it needs and how
// long it takes. The corpus is third-party text: it is read from
// ../shared at run time and never copied into the repository.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"
)

// options are the command-line flags.
type options struct {
	corpus    string
	bin       string
	keep      bool
	verbose   bool
	serve     bool
	timeout   time.Duration
	quiet     time.Duration
	pageIdle  time.Duration
	hostDelay time.Duration
	maxItems  int
}

func main() {
	var o options
	flag.StringVar(&o.corpus, "corpus", "../shared/realnews/realnews.jsonl", "labelled corpus (JSONL of the realnews schema)")
	flag.StringVar(&o.bin, "bin", "", "dealwire binary to run (default: go build ./cmd/dealwire into the temporary directory)")
	flag.BoolVar(&o.keep, "keep", false, "keep the temporary directory (binary, config, data, dealwire.log, details.tsv)")
	flag.BoolVar(&o.verbose, "v", false, "list the documents behind every loss")
	flag.BoolVar(&o.serve, "serve", false, "only serve the corpus feed and pages until interrupted (for trying dealwire page or run by hand)")
	flag.DurationVar(&o.timeout, "timeout", 30*time.Minute, "give up waiting for the pipeline after this long and score what is indexed")
	flag.DurationVar(&o.quiet, "quiet", 10*time.Second, "the pipeline counts as done when nothing has moved for this long")
	flag.DurationVar(&o.pageIdle, "page-idle", 90*time.Second, "stop waiting for pages the fetch stage has not asked for after this long without a request")
	flag.DurationVar(&o.hostDelay, "host-delay", 0, "ingest.host_delay of the run (default of dealwire: 1s, which adds about one second per document)")
	flag.IntVar(&o.maxItems, "max-items", 1000, "ingest.max_items_per_poll of the run (default of dealwire: 100, which needs one poll, at least 5 minutes apart, per 100 documents)")
	flag.Parse()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, o); err != nil {
		fmt.Fprintln(os.Stderr, "corpus-run:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, o options) error {
	t0 := time.Now()
	docs, err := readCorpus(o.corpus)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "corpus-run-")
	if err != nil {
		return fmt.Errorf("creating temporary directory: %w", err)
	}
	if o.keep {
		fmt.Fprintf(os.Stderr, "keeping %s\n", dir)
	} else {
		defer os.RemoveAll(dir)
	}

	cs, err := startCorpusServer(docs)
	if err != nil {
		return err
	}
	defer func() {
		sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = cs.close(sctx)
	}()
	if o.serve {
		fmt.Printf("serving %d documents: feed %s, pages %s/doc/<id>; interrupt to stop\n", len(docs), cs.feedURL(), cs.base)
		<-ctx.Done()
		return nil
	}

	var tm timings
	bin := o.bin
	if bin == "" {
		if _, err := os.Stat(filepath.Join("cmd", "dealwire")); err != nil {
			return errors.New("run from the repository root (scripts/corpus-run does), or pass -bin")
		}
		fmt.Fprintln(os.Stderr, "building dealwire")
		if bin, err = buildBinary(ctx, dir); err != nil {
			return err
		}
	}
	tm.build = time.Since(t0)

	t := time.Now()
	fmt.Fprintf(os.Stderr, "extracting %d documents directly (dealwire extract --jsonl)\n", len(docs))
	direct, err := extractDirect(ctx, bin, docs)
	if err != nil {
		return err
	}
	tm.direct = time.Since(t)

	t = time.Now()
	rs := runSettings{hostDelay: o.hostDelay, maxItems: o.maxItems}
	fmt.Fprintf(os.Stderr, "starting dealwire run --feed %s (max_items_per_poll %d, host_delay %s)\n", cs.feedURL(), rs.maxItems, rs.hostDelay)
	p, err := startPipeline(ctx, bin, dir, cs.feedURL(), rs)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "search API at %s, log %s; waiting for the articles (deadline %s)\n", p.api, p.logPath, o.timeout)
	final, waitErr := p.waitIndexed(ctx, cs, t.Add(o.timeout), o.quiet, o.pageIdle, t)
	tm.pipeline = time.Since(t)
	if waitErr != nil && (ctx.Err() != nil || isExit(p)) {
		if !isExit(p) {
			_, _ = p.stop(time.Minute)
		}
		return waitErr
	}

	t = time.Now()
	got, err := p.collect(ctx)
	if err != nil {
		_, _ = p.stop(time.Minute)
		return err
	}
	tm.collect = time.Since(t)

	t = time.Now()
	clean, stopErr := p.stop(time.Minute)
	tm.stop = time.Since(t)
	warns, examples, err := logSummary(p.logPath)
	if err != nil {
		return err
	}
	tm.total = time.Since(t0)

	rep := report{
		docs: docs, cs: cs, direct: direct, got: got,
		final: final, waitErr: waitErr, clean: clean, stopErr: stopErr,
		warns: warns, warnExamples: examples, settings: rs, times: tm, verbose: o.verbose,
	}
	if o.keep {
		rep.detailsPath = filepath.Join(dir, "details.tsv")
	}
	return rep.write(os.Stdout)
}

func isExit(p *pipeline) bool {
	select {
	case <-p.exited:
		return true
	default:
		return false
	}
}

// timings are the wall-clock times of the run's phases.
type timings struct {
	build, direct, pipeline, collect, stop, total time.Duration
}
