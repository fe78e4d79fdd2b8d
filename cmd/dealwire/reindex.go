package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dealwire/dealwire/dealindexstage"
	"github.com/dealwire/dealwire/indexstage"
)

// reindexer is an index that can rebuild itself from its previous version
// (Elasticsearch: copy the old concrete index into the new one, then move
// the alias).
type reindexer interface {
	Reindex(ctx context.Context) (int, error)
}

// runReindex is "dealwire index reindex": rebuild the index from the
// RECORDS stream (any backend) or from the old index (Elasticsearch).
func runReindex(ctx context.Context, e *env, args []string) error {
	const summary = "rebuild the index: replay every record of the RECORDS stream and every resolved deal into it (--from stream), " +
		"or copy Elasticsearch's previous concrete index into the one of the current mapping and switch the alias (--from index)"
	fs := newFlagSet(e, "index reindex", summary)
	cfgPath := fs.String("config", "", "configuration file (YAML); default $DEALWIRE_CONFIG")
	from := fs.String("from", "stream", "where to rebuild from: stream or index")
	batch := fs.Int("batch", 500, "records per bulk write")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *from != "stream" && *from != "index" {
		fmt.Fprintf(e.stderr, "dealwire index reindex: --from %q: want stream or index\n", *from)
		return errUsage
	}
	cfg, err := loadConfig(*cfgPath)
	if err != nil {
		return err
	}
	d := newDeps(cfg, "reindex")
	logger := d.logger
	store, err := openStore(ctx, cfg, logger, d.reg)
	if err != nil {
		return err
	}
	defer closeStore(store, logger)
	if *from == "index" {
		ri, ok := store.(reindexer)
		if !ok {
			return errors.New("reindexing from the index: only Elasticsearch keeps an old index to copy; use --from stream")
		}
		n, err := ri.Reindex(ctx)
		if err != nil {
			return err
		}
		fmt.Fprintf(e.stdout, "reindexed %d records\n", n)
		return nil
	}
	// Replaying needs the stream, which "dealwire run" keeps in its embedded
	// server: start it when no external NATS is configured.
	if err := connectBus(ctx, d, "reindex", true); err != nil {
		return err
	}
	defer d.closeBus()
	n, err := indexstage.Replay(ctx, d.js, store, *batch, logger)
	if err != nil {
		return err
	}
	nd, err := dealindexstage.Replay(ctx, d.js, store, cfg.Deals, logger)
	if err != nil {
		return err
	}
	if err := store.Refresh(ctx); err != nil {
		return err
	}
	fmt.Fprintf(e.stdout, "reindexed %d records and %d deals from the stream\n", n, nd)
	return nil
}
