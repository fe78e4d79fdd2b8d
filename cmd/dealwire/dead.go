package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/dealwire/dealwire/bus"
	"github.com/dealwire/dealwire/config"
)

var runDead = group("dead", "dead list: show the messages a stage gave up on (DEAD stream), with their reasons; "+
	"dead replay: send them back to their stage once the cause is fixed",
	"  dealwire dead list [--stage S] [--json] [--config FILE] [--nats URL]\n"+
		"  dealwire dead replay [--stage S] [--id ID] [--config FILE] [--nats URL]\n",
	subcommand{"list", runDeadList}, subcommand{"replay", runDeadReplay})

// attach connects to nats.url, or without one to the embedded server of a
// running "dealwire run", started here on its store when none answers, so
// that dead letters and alert state can be read while the pipeline is stopped.
func attach(ctx context.Context, cfg *config.Config, name string) (*bus.Client, error) {
	return bus.Open(ctx, cfg.NATS, name, bus.Attach, cfg.NewLogger(os.Stderr).With("stage", name))
}

// deadFlags registers the flags both subcommands share; connect parses
// args, loads the configuration and attaches to NATS.
func deadFlags(e *env, name, summary string) (fs *flag.FlagSet, stage *string, connect func(context.Context, []string) (*bus.Client, error)) {
	fs = newFlagSet(e, name, summary)
	cfgPath := configFlag(fs)
	natsURL := fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'")
	stage = fs.String("stage", "", "only this stage's dead letters (extract, index, index-deals); default every stage")
	return fs, stage, func(ctx context.Context, args []string) (*bus.Client, error) {
		if err := parseFlags(fs, args); err != nil {
			return nil, err
		}
		cfg, err := config.Load(*cfgPath, config.NATSURL(*natsURL))
		if err != nil {
			return nil, err
		}
		return attach(ctx, cfg, "dead")
	}
}

func runDeadList(ctx context.Context, e *env, args []string) error {
	fs, stage, connect := deadFlags(e, "dead list", "list dead letters: id (for replay), stage, original subject, deliveries, time and reason")
	asJSON := fs.Bool("json", false, "print one JSON object per dead letter, with the full reason")
	c, err := connect(ctx, args)
	if err != nil {
		return err
	}
	defer c.Close()
	dls, err := bus.ListDead(ctx, c.JS, *stage)
	if err != nil {
		return err
	}
	if err := bus.WriteDeadLetters(e.stdout, dls, *asJSON); err != nil || *asJSON {
		return err
	}
	fmt.Fprintf(e.stderr, "%d dead letters\n", len(dls))
	return nil
}

func runDeadReplay(ctx context.Context, e *env, args []string) error {
	fs, stage, connect := deadFlags(e, "dead replay", "re-publish dead letters to the subject they came from, so their stage handles them again, "+
		"and delete them from DEAD; replay after fixing the cause (a mapping, a bug), or they come back")
	id := fs.Uint64("id", 0, "replay only the dead letter with this id (see 'dealwire dead list'); default all (of --stage)")
	c, err := connect(ctx, args)
	if err != nil {
		return err
	}
	defer c.Close()
	n, err := bus.ReplayDeadLetters(ctx, c.JS, *stage, *id, e.stdout)
	if err != nil {
		return err
	}
	fmt.Fprintf(e.stderr, "%d dead letters replayed\n", n)
	return nil
}
