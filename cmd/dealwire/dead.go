package main

import (
	"context"
	"flag"
	"fmt"
	"os"

	"github.com/dealwire/dealwire/bus"
)

var runDead = group("dead", "dead list: show the messages a stage gave up on (DEAD stream), with their reasons; "+
	"dead replay: send them back to their stage once the cause is fixed",
	"  dealwire dead list [--stage S] [--json] [--config FILE] [--nats URL]\n"+
		"  dealwire dead replay [--stage S] [--id ID] [--config FILE] [--nats URL]\n",
	"list or replay", map[string]runFunc{"list": runDeadList, "replay": runDeadReplay})

// deadFlags registers the flags both subcommands share; connect parses
// args, loads the configuration and attaches to NATS.
func deadFlags(e *env, name, summary string) (fs *flag.FlagSet, stage *string, connect func(context.Context, []string) (*bus.Client, error)) {
	fs = newFlagSet(e, name, summary)
	configFlag(fs)
	fs.String("nats", "", "NATS server URL; default nats.url or $DEALWIRE_NATS_URL, else the embedded server of 'dealwire run'")
	stage = fs.String("stage", "", "only this stage's dead letters (extract, index, index-deals); default every stage")
	return fs, stage, func(ctx context.Context, args []string) (*bus.Client, error) {
		cfg, err := parseConfig(fs, args)
		if err != nil {
			return nil, err
		}
		return bus.Open(ctx, cfg.NATS, "dead", bus.Attach, cfg.NewLogger(os.Stderr).With("stage", "dead"))
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
	n, err := bus.WriteDeadLetters(ctx, c.JS, *stage, e.stdout, *asJSON)
	if err != nil || *asJSON {
		return err
	}
	fmt.Fprintf(e.stderr, "%d dead letters\n", n)
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
